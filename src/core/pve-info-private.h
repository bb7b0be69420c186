/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Shared by pve-node-info.c, pve-cluster-info.c and pve-console.c: one API call through the
 * manager, then a parser, delivered as a GTask. Not public API.
 */
#pragma once

#include "pve-remote-manager.h"

G_BEGIN_DECLS

/* Returns a new value (owned) or NULL with error set. */
typedef gpointer (*PveInfoParseFunc) (JsonNode  *data,
                                      gint64     total,
                                      gpointer   parse_data,
                                      GError   **error);

/* path is built by the caller with pve_client_build_path(); params may be NULL. */
void      _pve_info_request_async  (PveRemoteManager    *manager,
                                    PveRemote           *remote,
                                    const char          *method,
                                    const char          *path,
                                    GHashTable          *params,
                                    PveInfoParseFunc     parse,
                                    gpointer             parse_data,
                                    GDestroyNotify       parse_data_free,
                                    GDestroyNotify       result_free,
                                    gpointer             source_tag,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gpointer  _pve_info_request_finish (GAsyncResult        *result,
                                    gpointer             source_tag,
                                    GError             **error);

/* Helpers for parsers. */
char     *_pve_info_dup_string     (JsonObject          *object,
                                    const char          *member);
gint64    _pve_info_get_int        (JsonObject          *object,
                                    const char          *member,
                                    gint64               fallback);
double    _pve_info_get_double     (JsonObject          *object,
                                    const char          *member,
                                    double               fallback);
gboolean  _pve_info_get_bool       (JsonObject          *object,
                                    const char          *member,
                                    gboolean             fallback);
/* Error when data is not an array / object: "The server sent @what in an unexpected form". */
gboolean  _pve_info_check_array    (JsonNode            *data,
                                    const char          *what,
                                    GError             **error);
gboolean  _pve_info_check_object   (JsonNode            *data,
                                    const char          *what,
                                    GError             **error);

/* The object at index i of array, or NULL when that element is not an object. */
JsonObject *_pve_info_array_get_object (JsonArray   *array,
                                        guint        i);

/* Turns one element of a list answer into an entry; NULL skips the element (it lacks what
 * identifies it). */
typedef gpointer (*PveInfoEntryFunc) (JsonObject *object);

/* The common shape of list answers: checks that data is an array (else the @what error),
 * parses every object element with @parse_entry, drops what it refuses, sorts with @compare
 * (may be NULL). Returns a GPtrArray owning its entries through @entry_free. */
GPtrArray *_pve_info_parse_list    (JsonNode            *data,
                                    const char          *what,
                                    PveInfoEntryFunc     parse_entry,
                                    GDestroyNotify       entry_free,
                                    GCompareFunc         compare,
                                    GError             **error);

G_END_DECLS

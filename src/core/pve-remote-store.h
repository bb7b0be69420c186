/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveRemoteStore: the saved remotes, a GListModel of PveRemote persisted in
 * $XDG_CONFIG_HOME/com.example.PveRemotes/remotes.ini (GKeyFile, one group per remote id).
 * Writes are atomic (temp file + rename) and async. A corrupt file is moved aside to
 * remotes.ini.bak-YYYYMMDD-HHMMSS and reported; it is never silently emptied or overwritten.
 * No secret is ever written here.
 */
#pragma once

#include <gio/gio.h>

#include "pve-remote.h"

G_BEGIN_DECLS

#define PVE_STORE_ERROR (pve_store_error_quark ())

typedef enum
{
  PVE_STORE_ERROR_CORRUPT,     /* the file could not be read; it was moved aside */
  PVE_STORE_ERROR_IO,
  PVE_STORE_ERROR_DUPLICATE,   /* a remote with this name exists */
} PveStoreError;

GQuark pve_store_error_quark (void);

#define PVE_TYPE_REMOTE_STORE (pve_remote_store_get_type ())
G_DECLARE_FINAL_TYPE (PveRemoteStore, pve_remote_store, PVE, REMOTE_STORE, GObject)

/* path NULL = the default location above. */
PveRemoteStore *pve_remote_store_new          (const char      *path);
const char     *pve_remote_store_get_path     (PveRemoteStore  *self);

/* Sentences saying which saved remotes the last load skipped and why (an invalid host, port,
 * ...). Skipped groups are kept in the file unchanged on save. Never NULL. */
const char * const *pve_remote_store_get_skipped (PveRemoteStore *self);

/* Reads the file (a missing file is an empty store). On a corrupt file the store stays
 * empty, the file is moved aside and PVE_STORE_ERROR_CORRUPT names the backup. Remotes
 * that fail validation individually are skipped with a warning in the error-free path. */
void            pve_remote_store_load_async   (PveRemoteStore  *self,
                                               GCancellable    *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer         user_data);
gboolean        pve_remote_store_load_finish  (PveRemoteStore  *self,
                                               GAsyncResult    *result,
                                               GError         **error);

/* Writes every remote's configuration atomically. Concurrent saves are serialised; the last
 * state always wins. */
void            pve_remote_store_save_async   (PveRemoteStore  *self,
                                               GCancellable    *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer         user_data);
gboolean        pve_remote_store_save_finish  (PveRemoteStore  *self,
                                               GAsyncResult    *result,
                                               GError         **error);

/* In-memory list operations (call save afterwards). */
void            pve_remote_store_add          (PveRemoteStore  *self,
                                               PveRemote       *remote);
gboolean        pve_remote_store_remove       (PveRemoteStore  *self,
                                               PveRemote       *remote);
PveRemote      *pve_remote_store_lookup       (PveRemoteStore  *self,
                                               const char      *id);
PveRemote      *pve_remote_store_lookup_by_name (PveRemoteStore *self,
                                               const char      *name);

/* Serialisation used by load/save (exposed for the fuzzer and the tests). */
GPtrArray      *pve_remote_store_parse        (const char      *contents,
                                               gsize            length,
                                               GError         **error);
char           *pve_remote_store_serialize    (GListModel      *remotes,
                                               gsize           *length);

G_END_DECLS

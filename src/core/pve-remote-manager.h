/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveRemoteManager: the one owner of live sessions. Holds the store (GListModel of PveRemote),
 * the secrets, and the pool of connected PveClients keyed by remote id. It is the only code
 * that sets a remote's state; CONNECTED is set in exactly one place, after the client holds a
 * ticket (or a verified API token).
 *
 * Flows (all async, all cancellable):
 *   add:        validate -> TLS probe -> (TLS_UNTRUSTED: UI shows the certificate, pins it on the
 *               draft, calls add again) -> login -> (NEED_TFA: UI asks, submit_tfa) -> save the
 *               key file and the keyring secret -> CONNECTED. Any failure saves nothing.
 *   connect:    secret from the keyring (or the given password) -> login -> pool -> CONNECTED.
 *               No secret / locked or missing keyring -> NEEDS_CREDENTIALS and
 *               PVE_MANAGER_ERROR_NEEDS_CREDENTIALS; TFA -> NEEDS_CREDENTIALS and NEED_TFA;
 *               unknown/changed certificate -> NEEDS_TRUST and TLS_UNTRUSTED/TLS_CHANGED.
 *   disconnect: cancel in-flight work, drop the client, DISCONNECTED.
 *   remove:     disconnect, delete the key-file group and the keyring items.
 *   request:    NOT_CONNECTED at once (nothing sent) unless the remote is in the pool. A network
 *               failure while connected -> FAILED "Connection lost…" (Reconnect = connect).
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pve-client.h"
#include "pve-remote.h"
#include "pve-remote-store.h"
#include "pve-secrets.h"

G_BEGIN_DECLS

#define PVE_MANAGER_ERROR (pve_manager_error_quark ())

typedef enum
{
  PVE_MANAGER_ERROR_INVALID,            /* a field of the remote is missing or malformed */
  PVE_MANAGER_ERROR_DUPLICATE_NAME,
  PVE_MANAGER_ERROR_NEEDS_CREDENTIALS,  /* ask the user for the password / token secret */
  PVE_MANAGER_ERROR_BUSY,               /* the remote is already connecting */
} PveManagerError;

GQuark pve_manager_error_quark (void);

#define PVE_TYPE_REMOTE_MANAGER (pve_remote_manager_get_type ())
G_DECLARE_FINAL_TYPE (PveRemoteManager, pve_remote_manager, PVE, REMOTE_MANAGER, GObject)

PveRemoteManager *pve_remote_manager_new              (PveRemoteStore      *store,
                                                       PveSecrets          *secrets);
PveRemoteStore   *pve_remote_manager_get_store        (PveRemoteManager    *self);
PveSecrets       *pve_remote_manager_get_secrets      (PveRemoteManager    *self);
/* The remotes (the store's list model). */
GListModel       *pve_remote_manager_get_remotes      (PveRemoteManager    *self);

/* Client settings applied to every new client (tests and benchmarks shorten them). */
void              pve_remote_manager_set_timeouts     (PveRemoteManager    *self,
                                                       guint                connect_timeout,
                                                       guint                request_timeout);
void              pve_remote_manager_set_renew_after  (PveRemoteManager    *self,
                                                       guint                seconds);
/* Seconds between liveness checks of idle connected remotes (GET /version); 0 = off.
 * Default 30. */
void              pve_remote_manager_set_heartbeat_interval (PveRemoteManager *self,
                                                       guint                seconds);

/* FALSE once the keyring turned out to be unreachable: passwords are then asked for and kept
 * in memory for this run only. Property "keyring-available". */
gboolean          pve_remote_manager_get_keyring_available (PveRemoteManager *self);

/* TRUE while the store is being loaded (pve_remote_manager_load_async): until then, an empty
 * list of remotes means "not read yet", not "none saved". Property "loading". */
gboolean          pve_remote_manager_get_loading           (PveRemoteManager *self);

/* Loads the store; every remote is DISCONNECTED, except that remotes with autoconnect on are
 * then connected (their failures show in their state, not in this call's result). A corrupt
 * file gives PVE_STORE_ERROR_CORRUPT (the manager is still usable, with no remotes). */
void              pve_remote_manager_load_async       (PveRemoteManager    *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean          pve_remote_manager_load_finish      (PveRemoteManager    *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

/* draft: a new PveRemote (pve_remote_new) with the configuration filled in; secret: password
 * or token secret. On success the draft itself is in the store, CONNECTED. */
void              pve_remote_manager_add_async        (PveRemoteManager    *self,
                                                       PveRemote           *draft,
                                                       const char          *secret,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean          pve_remote_manager_add_finish       (PveRemoteManager    *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

/* password NULL: use the keyring (or the password kept for this run). password given:
 * use it, and when remember is TRUE store it in the keyring after a successful login. */
void              pve_remote_manager_connect_async    (PveRemoteManager    *self,
                                                       PveRemote           *remote,
                                                       const char          *password,
                                                       gboolean             remember,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean          pve_remote_manager_connect_finish   (PveRemoteManager    *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

/* After NEED_TFA from add or connect: "totp:123456" or "recovery:CODE". Completes the add
 * (saving it) or the connect that asked. */
void              pve_remote_manager_submit_tfa_async (PveRemoteManager    *self,
                                                       PveRemote           *remote,
                                                       const char          *response,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean          pve_remote_manager_submit_tfa_finish (PveRemoteManager   *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
/* TFA methods offered for the pending login of remote ("totp", "recovery", ...). */
const char * const *pve_remote_manager_get_tfa_methods (PveRemoteManager   *self,
                                                       PveRemote           *remote);

/* The certificate seen on the last TLS_UNTRUSTED / TLS_CHANGED for this remote (or draft). */
PveCertificateInfo *pve_remote_manager_get_peer_certificate (PveRemoteManager *self,
                                                       PveRemote           *remote);

/* Re-trust: connects without a pin to read the server's current certificate. */
void              pve_remote_manager_fetch_certificate_async  (PveRemoteManager *self,
                                                       PveRemote           *remote,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
PveCertificateInfo *pve_remote_manager_fetch_certificate_finish (PveRemoteManager *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
/* Pins fingerprint on the remote and saves the store. */
void              pve_remote_manager_pin_certificate_async (PveRemoteManager *self,
                                                       PveRemote           *remote,
                                                       const char          *fingerprint,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean          pve_remote_manager_pin_certificate_finish (PveRemoteManager *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

void              pve_remote_manager_disconnect       (PveRemoteManager    *self,
                                                       PveRemote           *remote);
void              pve_remote_manager_disconnect_all   (PveRemoteManager    *self);

/* Edit: copies new_config's configuration onto remote (validated), saves; new_secret non-NULL
 * replaces the keyring secret. A change of host, port, user, realm or auth disconnects. */
void              pve_remote_manager_update_async     (PveRemoteManager    *self,
                                                       PveRemote           *remote,
                                                       PveRemote           *new_config,
                                                       const char          *new_secret,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean          pve_remote_manager_update_finish    (PveRemoteManager    *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

void              pve_remote_manager_remove_async     (PveRemoteManager    *self,
                                                       PveRemote           *remote,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean          pve_remote_manager_remove_finish    (PveRemoteManager    *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

/* The live client of a connected remote, or NULL. */
PveClient        *pve_remote_manager_get_client       (PveRemoteManager    *self,
                                                       PveRemote           *remote);
/* Number of clients in the pool. */
guint             pve_remote_manager_get_pool_size    (PveRemoteManager    *self);
/* TRUE when at least one saved remote is CONNECTED. */
gboolean          pve_remote_manager_any_connected    (PveRemoteManager    *self);

/* An API call on a remote: see pve_client_request_async(). */
void              pve_remote_manager_request_async    (PveRemoteManager    *self,
                                                       PveRemote           *remote,
                                                       const char          *method,
                                                       const char          *path,
                                                       GHashTable          *params,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
JsonNode         *pve_remote_manager_request_finish   (PveRemoteManager    *self,
                                                       GAsyncResult        *result,
                                                       gint64              *total,
                                                       GError             **error);
/* The same, the body read by parser: see pve_client_request_parsed_async(). */
void              pve_remote_manager_request_parsed_async  (PveRemoteManager    *self,
                                                            PveRemote           *remote,
                                                            const char          *method,
                                                            const char          *path,
                                                            GHashTable          *params,
                                                            PveBodyParser        parser,
                                                            GDestroyNotify       parsed_free,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gpointer          pve_remote_manager_request_parsed_finish (PveRemoteManager    *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveSecrets: passwords and API token secrets in the desktop keyring (libsecret, schema
 * com.example.PveRemotes.Credential, attributes remote-id + kind), all async. Inside Flatpak
 * libsecret goes through the Secret portal. When no keyring can be reached the calls fail
 * with PVE_SECRETS_ERROR_UNAVAILABLE (and the app asks for the password per session);
 * there is never a plaintext fallback.
 */
#pragma once

#include <gio/gio.h>

#include "pve-remote.h"

G_BEGIN_DECLS

#define PVE_SECRETS_ERROR (pve_secrets_error_quark ())

typedef enum
{
  PVE_SECRETS_ERROR_UNAVAILABLE,   /* no Secret Service on the bus, or it failed */
  PVE_SECRETS_ERROR_LOCKED,        /* the keyring is locked and was not unlocked */
} PveSecretsError;

GQuark pve_secrets_error_quark (void);

#define PVE_TYPE_SECRETS (pve_secrets_get_type ())
G_DECLARE_FINAL_TYPE (PveSecrets, pve_secrets, PVE, SECRETS, GObject)

PveSecrets *pve_secrets_new            (void);

/* kind is "password" or "token". */
void        pve_secrets_store_async    (PveSecrets          *self,
                                        PveRemote           *remote,
                                        const char          *secret,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean    pve_secrets_store_finish   (PveSecrets          *self,
                                        GAsyncResult        *result,
                                        GError             **error);

/* Returns NULL without error when there is no item. Free with pve_secrets_free_secret(). */
void        pve_secrets_lookup_async   (PveSecrets          *self,
                                        PveRemote           *remote,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
char       *pve_secrets_lookup_finish  (PveSecrets          *self,
                                        GAsyncResult        *result,
                                        GError             **error);

/* Removes every item of the remote (any kind). Success when there was none. */
void        pve_secrets_clear_async    (PveSecrets          *self,
                                        const char          *remote_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean    pve_secrets_clear_finish   (PveSecrets          *self,
                                        GAsyncResult        *result,
                                        GError             **error);

/* Wipes and frees a secret string (NULL allowed). */
void        pve_secrets_free_secret    (char                *secret);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The libsecret half of PveSecrets (private to the core).
 *
 * PveSecrets (pve-secrets.c) keeps the object, its GTasks and the queue of waiting lookups:
 * the app creates it at startup, long before anything asks the keyring. These calls do the
 * talking to the keyring and are all that needs libsecret, so the app can load them with the
 * rest of its backend module after the first frame (pve-backend.h); the full core links them.
 *
 * Each call takes the task(s) it is given (a PveSecrets task whose data is a
 * PveSecretsRequest) and completes them, errors already in PVE_SECRETS_ERROR (or
 * G_IO_ERROR_CANCELLED when the caller cancelled).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char       *remote_id;
  const char *kind;       /* "password" or "token"; NULL for clear (every kind) */
  char       *label;      /* store only */
  char       *secret;     /* store only */
} PveSecretsRequest;

/* Opens the encrypted session with the Secret Service. Returns a boolean; the error only
 * says that the lookups that follow will fail too. No request. */
void pve_secrets_keyring_open_session (GTask     *task);
/* Returns a boolean. */
void pve_secrets_keyring_store        (GTask     *task);
/* Returns the secret (free with pve_secrets_free_secret()) or NULL when there is none. */
void pve_secrets_keyring_lookup       (GTask     *task);
/* Several lookups with one search of the keyring. tasks owns its tasks. */
void pve_secrets_keyring_lookup_many  (GPtrArray *tasks);
/* Removes every item of request->remote_id. Returns a boolean. */
void pve_secrets_keyring_clear        (GTask     *task);
/* Wipes and frees a secret, also one in libsecret's secure memory. */
void pve_secrets_keyring_free_secret  (char      *secret);

G_END_DECLS

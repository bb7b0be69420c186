/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PvePasswordDialog: asks for a remote's password (or API token secret) when none is stored,
 * the keyring is locked or unavailable, or the stored one was refused. Responses "cancel" and
 * "connect".
 */
#pragma once

#include <adwaita.h>

#include "pve-remote.h"

G_BEGIN_DECLS

#define PVE_TYPE_PASSWORD_DIALOG (pve_password_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PvePasswordDialog, pve_password_dialog, PVE, PASSWORD_DIALOG, AdwMessageDialog)

/* message: why we ask again (e.g. the server's "authentication failure"), or NULL.
 * keyring_available FALSE makes "Remember password" insensitive, with an explanation. */
void         pve_password_dialog_run_async   (GtkWindow           *parent,
                                              PveRemote           *remote,
                                              gboolean             keyring_available,
                                              const char          *message,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
/* The password (free with pve_secrets_free_secret()), or NULL without error when cancelled. */
char        *pve_password_dialog_run_finish  (GAsyncResult        *result,
                                              gboolean            *remember,
                                              GError             **error);

GtkEditable *pve_password_dialog_get_entry          (PvePasswordDialog *self);
GtkCheckButton *pve_password_dialog_get_remember_button (PvePasswordDialog *self);

G_END_DECLS

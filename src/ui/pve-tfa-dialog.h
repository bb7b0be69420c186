/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveTfaDialog: asks for the second factor of a login (a TOTP code or a recovery key).
 * Responses "cancel" and "verify".
 */
#pragma once

#include <adwaita.h>

#include "pve-remote.h"

G_BEGIN_DECLS

#define PVE_TYPE_TFA_DIALOG (pve_tfa_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PveTfaDialog, pve_tfa_dialog, PVE, TFA_DIALOG, AdwMessageDialog)

/* methods: what the server offered ("totp", "recovery", ...); NULL means TOTP only. */
void         pve_tfa_dialog_run_async    (GtkWindow           *parent,
                                          PveRemote           *remote,
                                          const char * const  *methods,
                                          const char          *message,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
/* "totp:123456" or "recovery:CODE", or NULL without error when cancelled. */
char        *pve_tfa_dialog_run_finish   (GAsyncResult        *result,
                                          GError             **error);

GtkEditable *pve_tfa_dialog_get_entry    (PveTfaDialog        *self);
/* Selects "totp" or "recovery" (what the method choice does). */
void         pve_tfa_dialog_set_method   (PveTfaDialog        *self,
                                          const char          *method);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveRemoteDialog: adds a remote (probe, trust, login; saves only on success) or edits one.
 * Errors stay in the dialog. Emits "saved" (PveRemote *) before closing on success.
 */
#pragma once

#include <adwaita.h>

#include "pve-remote-manager.h"

G_BEGIN_DECLS

#define PVE_TYPE_REMOTE_DIALOG (pve_remote_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PveRemoteDialog, pve_remote_dialog, PVE, REMOTE_DIALOG, AdwWindow)

/* remote NULL: add a new remote; else edit that one. */
PveRemoteDialog *pve_remote_dialog_new       (GtkWindow        *parent,
                                              PveRemoteManager *manager,
                                              PveRemote        *remote);
PveRemote       *pve_remote_dialog_get_remote (PveRemoteDialog *self);
/* The error shown in the dialog, or NULL. */
const char      *pve_remote_dialog_get_error (PveRemoteDialog  *self);
gboolean         pve_remote_dialog_get_busy  (PveRemoteDialog  *self);
/* The entry of a field by its title ("Name", "Host", "Port", "Realm", "User", "Password",
 * "Token ID", "Token Secret"). */
GtkEditable     *pve_remote_dialog_get_field (PveRemoteDialog  *self,
                                              const char       *title);
void             pve_remote_dialog_set_auth_kind (PveRemoteDialog *self,
                                              PveAuthKind       kind);
/* What the "Add"/"Save" button does. */
void             pve_remote_dialog_submit    (PveRemoteDialog  *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pve-remote-manager.h"
#include "pve-row-text.h"

G_BEGIN_DECLS

#define PVE_TYPE_REMOTE_ROW (pve_remote_row_get_type ())
G_DECLARE_FINAL_TYPE (PveRemoteRow, pve_remote_row, PVE, REMOTE_ROW, GtkWidget)

GtkWidget *pve_remote_row_new        (PveRemoteManager *manager,
                                      PveRemote        *remote);
PveRemote *pve_remote_row_get_remote (PveRemoteRow     *self);
/* Rows are recycled by the sidebar's list view: bound to another remote, or to none. */
void       pve_remote_row_set_remote (PveRemoteRow     *self,
                                      PveRemote        *remote);
/* The widget that draws the row's name, address and state. */
PveRowText *pve_remote_row_get_text (PveRemoteRow *self);
/* What the row says about the state ("Connected", or the warning of a failure). */
const char *pve_remote_row_get_state_text (PveRemoteRow *self);
const char *pve_remote_row_get_detail_text (PveRemoteRow *self);
/* The Connect/Disconnect/Reconnect button, and what it says. */
const char *pve_remote_row_get_action_label (PveRemoteRow *self);
GtkButton  *pve_remote_row_get_action_button (PveRemoteRow *self);
/* The button that opens the row's menu, and the menu (a GtkPopoverMenu built when first
 * opened; NULL before). */
GtkWidget  *pve_remote_row_get_menu_button (PveRemoteRow *self);
GtkWidget  *pve_remote_row_get_menu        (PveRemoteRow *self);
/* The label accessibility reads ("pve1, Connected"). */
const char *pve_remote_row_get_accessible_label (PveRemoteRow *self);

/* Text shown for a remote's state problem: the last error, and for a changed certificate
 * both fingerprints. NULL when there is nothing to say. Shared with the content page. */
char      *pve_remote_describe_problem (PveRemoteManager *manager,
                                        PveRemote        *remote);

G_END_DECLS

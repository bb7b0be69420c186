/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pve-guest-list.h"
#include "pve-remote-manager.h"

G_BEGIN_DECLS

#define PVE_TYPE_WINDOW (pve_window_get_type ())
G_DECLARE_FINAL_TYPE (PveWindow, pve_window, PVE, WINDOW, AdwApplicationWindow)

/* app may be NULL (the tests create windows without an application). */
PveWindow        *pve_window_new                (GtkApplication   *app,
                                                 PveRemoteManager *manager);
PveRemoteManager *pve_window_get_manager        (PveWindow        *self);
void              pve_window_add_toast          (PveWindow        *self,
                                                 const char       *title);
/* Tells the user that remotes.ini could not be read and where it was moved. */
void              pve_window_show_store_error   (PveWindow        *self,
                                                 const GError     *error);
/* Tells the user which saved remotes could not be loaded (pve_remote_store_get_skipped()).
 * Does nothing for an empty list. */
void              pve_window_show_skipped_remotes (PveWindow      *self,
                                                 const char * const *skipped);
/* The remote shown in the content pane, or NULL. */
PveRemote        *pve_window_get_selected_remote (PveWindow       *self);
void              pve_window_select_remote      (PveWindow        *self,
                                                 PveRemote        *remote);

/* The guests of every connected remote (paused while the window is hidden or minimized). */
PveGuestList     *pve_window_get_guest_list     (PveWindow        *self);
/* The views shown for a connected remote: "guests", "nodes", "tasks", "cluster". */
GtkWidget        *pve_window_get_view           (PveWindow        *self,
                                                 const char       *name);
/* Switches to a view (leaving a guest or node page). */
void              pve_window_show_view          (PveWindow        *self,
                                                 const char       *name);
/* The guest or node page shown (PveGuestPage, PveNodePage), or NULL. */
GtkWidget        *pve_window_get_detail         (PveWindow        *self);
/* What the content pane shows: "empty", "none", "remote" (a remote that is not connected),
 * "connected" (the views) or "detail". */
const char       *pve_window_get_content_page   (PveWindow        *self);

G_END_DECLS

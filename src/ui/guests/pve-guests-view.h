/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveGuestsView: every guest of every connected remote in one GtkColumnView (state, name,
 * VMID, node, remote, type, CPU, memory, uptime, tags), sortable by every column, with a
 * search entry (Ctrl+F) and filters by remote, node, state and type. Rows follow their
 * PveGuest in place. The power actions run on the selected guest from the action bar, the
 * context menu or their shortcuts. Activating a row emits "guest-activated" (PveGuest *).
 */
#pragma once

#include <adwaita.h>

#include "pve-guest-list.h"

G_BEGIN_DECLS

#define PVE_TYPE_GUESTS_VIEW (pve_guests_view_get_type ())
G_DECLARE_FINAL_TYPE (PveGuestsView, pve_guests_view, PVE, GUESTS_VIEW, AdwBin)

GtkWidget     *pve_guests_view_new               (PveGuestList  *list);
PveGuestList  *pve_guests_view_get_guest_list    (PveGuestsView *self);
/* The rows as shown (filtered and sorted): a GListModel of PveGuest. */
GListModel    *pve_guests_view_get_model         (PveGuestsView *self);
GtkColumnView *pve_guests_view_get_column_view   (PveGuestsView *self);
PveGuest      *pve_guests_view_get_selected      (PveGuestsView *self);
/* Selects guest (when shown) and scrolls to it. */
void           pve_guests_view_select            (PveGuestsView *self,
                                                  PveGuest      *guest);
void           pve_guests_view_focus_search      (PveGuestsView *self);
GtkEditable   *pve_guests_view_get_search_entry  (PveGuestsView *self);
/* which: "remote", "node", "state" or "type". */
GtkDropDown   *pve_guests_view_get_filter        (PveGuestsView *self,
                                                  const char    *which);
/* Sorts like clicking a column header. column: "state", "name", "vmid", "node", "remote",
 * "type", "cpu", "memory", "uptime", "tags". */
void           pve_guests_view_sort_by           (PveGuestsView *self,
                                                  const char    *column,
                                                  GtkSortType    order);
/* What the view shows: "list", "no-remotes", "no-guests", "no-results" or "loading". */
const char    *pve_guests_view_get_page          (PveGuestsView *self);
/* The action bar's button of action ("start", ...), for tooltips and tests. */
GtkWidget     *pve_guests_view_get_action_button (PveGuestsView *self,
                                                  const char    *action);
/* Runs action on the selected guest as the user would (confirmation included). */
void           pve_guests_view_run_action        (PveGuestsView *self,
                                                  const char    *action);

G_END_DECLS

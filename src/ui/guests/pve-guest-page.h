/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveGuestPage: one guest: a header (name, VMID, node, remote, state), the power actions,
 * Open Console (qemu), status (CPU, memory, disk, uptime, HA state, lock) that follows the
 * PveGuest live, a configuration summary from status/current, CPU/memory/network graphs
 * (hour/day) and the snapshots. Reloads every refresh-interval seconds while mapped.
 */
#pragma once

#include <adwaita.h>

#include "pve-guest-list.h"

G_BEGIN_DECLS

#define PVE_TYPE_GUEST_PAGE (pve_guest_page_get_type ())
G_DECLARE_FINAL_TYPE (PveGuestPage, pve_guest_page, PVE, GUEST_PAGE, AdwBin)

GtkWidget  *pve_guest_page_new                  (PveGuestList *list,
                                                 PveGuest     *guest);
PveGuest   *pve_guest_page_get_guest            (PveGuestPage *self);
/* Seconds between reloads while mapped (default 5). */
void        pve_guest_page_set_refresh_interval (PveGuestPage *self,
                                                 guint         seconds);
void        pve_guest_page_reload               (PveGuestPage *self);
/* For tests: TRUE once status/current, the snapshots and the graphs have loaded once. */
gboolean    pve_guest_page_get_loaded           (PveGuestPage *self);
/* For tests: the value shown in the row titled title ("CPU", "QEMU Status", ...), or NULL. */
const char *pve_guest_page_get_value            (PveGuestPage *self,
                                                 const char   *title);
/* For tests: the snapshot rows' titles, in order. */
GStrv       pve_guest_page_dup_snapshot_names   (PveGuestPage *self);
/* For tests: the CPU graph. */
GtkWidget  *pve_guest_page_get_cpu_graph        (PveGuestPage *self);
/* Opens the console (what the button does); errors are shown in a dialog. */
void        pve_guest_page_open_console         (PveGuestPage *self);
GtkWidget  *pve_guest_page_get_action_button    (PveGuestPage *self,
                                                 const char   *action);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveNodePage: one node of a remote: status (CPU, memory, load, uptime, kernel, PVE version,
 * subscription), usage graphs (hour/day), storage, network interfaces and the system log
 * with paging. Refreshes every refresh-interval seconds while mapped; shows "Not Connected"
 * while the remote is not connected and errors in words in the page.
 */
#pragma once

#include <adwaita.h>

#include "pve-remote-manager.h"

G_BEGIN_DECLS

#define PVE_TYPE_NODE_PAGE (pve_node_page_get_type ())
G_DECLARE_FINAL_TYPE (PveNodePage, pve_node_page, PVE, NODE_PAGE, AdwBin)

GtkWidget        *pve_node_page_new                  (PveRemoteManager *manager,
                                                      PveRemote        *remote,
                                                      const char       *node);
PveRemoteManager *pve_node_page_get_manager          (PveNodePage      *self);
PveRemote        *pve_node_page_get_remote           (PveNodePage      *self);
const char       *pve_node_page_get_node             (PveNodePage      *self);
/* Seconds between refreshes while mapped (default 5). Bind to the GSettings key. */
guint             pve_node_page_get_refresh_interval (PveNodePage      *self);
void              pve_node_page_set_refresh_interval (PveNodePage      *self,
                                                      guint             seconds);
/* Reload everything now. */
void              pve_node_page_reload               (PveNodePage      *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveNodesView: the nodes of every connected remote (name, status, CPU, memory, uptime), one
 * group per remote, refreshed while mapped. Activating a node emits "node-activated"
 * (PveRemote *remote, const char *node); the window then pushes pve_node_page_new().
 */
#pragma once

#include <adwaita.h>

#include "pve-remote-manager.h"

G_BEGIN_DECLS

#define PVE_TYPE_NODES_VIEW (pve_nodes_view_get_type ())
G_DECLARE_FINAL_TYPE (PveNodesView, pve_nodes_view, PVE, NODES_VIEW, AdwBin)

GtkWidget *pve_nodes_view_new                  (PveRemoteManager *manager);
guint      pve_nodes_view_get_refresh_interval (PveNodesView     *self);
void       pve_nodes_view_set_refresh_interval (PveNodesView     *self,
                                                guint             seconds);
void       pve_nodes_view_reload               (PveNodesView     *self);

G_END_DECLS

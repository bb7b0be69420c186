/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveClusterView: for one remote (chosen in the view, or set by the window): cluster status
 * (name, quorum, nodes online/total), the datacenter notes as plain text, users and the ACL.
 * Shows "Not Connected" while that remote is not connected.
 */
#pragma once

#include <adwaita.h>

#include "pve-remote-manager.h"

G_BEGIN_DECLS

#define PVE_TYPE_CLUSTER_VIEW (pve_cluster_view_get_type ())
G_DECLARE_FINAL_TYPE (PveClusterView, pve_cluster_view, PVE, CLUSTER_VIEW, AdwBin)

GtkWidget *pve_cluster_view_new        (PveRemoteManager *manager);
PveRemote *pve_cluster_view_get_remote (PveClusterView   *self);
/* Selects remote (one of the manager's). */
void       pve_cluster_view_set_remote (PveClusterView   *self,
                                        PveRemote        *remote);
void       pve_cluster_view_reload     (PveClusterView   *self);

G_END_DECLS

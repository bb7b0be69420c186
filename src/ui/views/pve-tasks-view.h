/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveTasksView: recent tasks of every connected remote in one GtkColumnView (start time,
 * remote, node, type, guest/object, user, status with an icon), newest first. Refreshes every
 * refresh-interval seconds while mapped, so running tasks update live. Activating a row opens
 * a PveTaskLogWindow for it.
 */
#pragma once

#include <adwaita.h>

#include "pve-remote-manager.h"

G_BEGIN_DECLS

#define PVE_TYPE_TASKS_VIEW (pve_tasks_view_get_type ())
G_DECLARE_FINAL_TYPE (PveTasksView, pve_tasks_view, PVE, TASKS_VIEW, AdwBin)

GtkWidget  *pve_tasks_view_new                  (PveRemoteManager *manager);
guint       pve_tasks_view_get_refresh_interval (PveTasksView     *self);
void        pve_tasks_view_set_refresh_interval (PveTasksView     *self,
                                                 guint             seconds);
void        pve_tasks_view_reload               (PveTasksView     *self);
/* The rows shown: a GListModel of PveTaskObject. */
GListModel *pve_tasks_view_get_model            (PveTasksView     *self);
/* Opens the log window of row position (what activating the row does). */
GtkWidget  *pve_tasks_view_open_log             (PveTasksView     *self,
                                                 guint             position);

/* One row: a task of a remote. */
#define PVE_TYPE_TASK_OBJECT (pve_task_object_get_type ())
G_DECLARE_FINAL_TYPE (PveTaskObject, pve_task_object, PVE, TASK_OBJECT, GObject)

PveRemote  *pve_task_object_get_remote  (PveTaskObject *self);
const char *pve_task_object_get_upid    (PveTaskObject *self);
const char *pve_task_object_get_node    (PveTaskObject *self);
const char *pve_task_object_get_type_name (PveTaskObject *self);
const char *pve_task_object_get_id      (PveTaskObject *self);
const char *pve_task_object_get_user    (PveTaskObject *self);
gint64      pve_task_object_get_starttime (PveTaskObject *self);
gboolean    pve_task_object_get_running (PveTaskObject *self);
gboolean    pve_task_object_get_failed  (PveTaskObject *self);
/* "Running", "OK", or the exit status. */
const char *pve_task_object_get_status_text (PveTaskObject *self);

G_END_DECLS

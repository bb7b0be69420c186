/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveTaskLogWindow: the log of one task, with its status; follows the log while the task
 * runs (polls every second) and shows the exit status once it ended.
 */
#pragma once

#include <adwaita.h>

#include "pve-remote-manager.h"

G_BEGIN_DECLS

#define PVE_TYPE_TASK_LOG_WINDOW (pve_task_log_window_get_type ())
G_DECLARE_FINAL_TYPE (PveTaskLogWindow, pve_task_log_window, PVE, TASK_LOG_WINDOW, AdwWindow)

/* node may be NULL (taken from the UPID). */
GtkWidget  *pve_task_log_window_new         (PveRemoteManager *manager,
                                             PveRemote        *remote,
                                             const char       *node,
                                             const char       *upid);
const char *pve_task_log_window_get_upid    (PveTaskLogWindow *self);
/* TRUE while the task is known to run (the log is followed). */
gboolean    pve_task_log_window_get_running (PveTaskLogWindow *self);
/* The log as shown (for tests and copying). */
char       *pve_task_log_window_dup_text    (PveTaskLogWindow *self);

G_END_DECLS

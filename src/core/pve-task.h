/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveTask: one power action on one guest, followed until the Proxmox task it starts has
 * ended.
 *
 *   POST /nodes/{node}/{qemu|lxc}/{vmid}/status/{action}  -> "UPID:..."  (state RUNNING)
 *   GET  /nodes/{node}/tasks/{upid}/status every poll-interval ms until status "stopped"
 *   exitstatus "OK" / "WARNINGS: N"  -> state OK, finish TRUE
 *   any other exitstatus             -> GET .../tasks/{upid}/log?start=0&limit=500 (kept, see
 *                                       pve_task_get_log), state FAILED, finish FALSE with
 *                                       PVE_TASK_ERROR_FAILED whose message is the exitstatus.
 *
 * An immediate refusal by the server (500 "CT 101 already running", 403 "Permission check
 * failed ...") fails with that client error as it is. A remote disconnected meanwhile fails
 * with PVE_CLIENT_ERROR_NOT_CONNECTED; cancelling stops following the task (the task itself
 * keeps running on the server) and fails with G_IO_ERROR_CANCELLED.
 *
 * While it runs, the guest is busy (PveGuest:busy, busy-label "Starting…"). The task does
 * not know the guest list: when it has ended (either way), the caller refreshes the guest's
 * remote with pve_guest_list_refresh_remote() so the new status shows.
 *
 * Properties: manager, guest, action (construct-only), upid, state, exitstatus, description
 * ("Starting web1"), poll-interval (ms, default 1000).
 */
#pragma once

#include <gio/gio.h>

#include "pve-guest.h"
#include "pve-remote-manager.h"

G_BEGIN_DECLS

#define PVE_TASK_ERROR (pve_task_error_quark ())

typedef enum
{
  PVE_TASK_ERROR_FAILED,        /* the task ended with an error exitstatus */
  PVE_TASK_ERROR_INVALID,       /* unknown action, or the server's answer was not a UPID */
} PveTaskError;

GQuark pve_task_error_quark (void);

typedef enum
{
  PVE_TASK_STATE_QUEUED,        /* created, or the action was sent and no UPID came back yet */
  PVE_TASK_STATE_RUNNING,       /* the server runs the task (upid is set) */
  PVE_TASK_STATE_OK,
  PVE_TASK_STATE_FAILED,
} PveTaskState;

#define PVE_TYPE_TASK_STATE (pve_task_state_get_type ())
GType pve_task_state_get_type (void) G_GNUC_CONST;

/* "start", "shutdown", "stop", "reboot", "suspend", "resume" */
gboolean     pve_guest_action_is_valid      (const char        *action);

/* Whether the user may run action on guest now: the remote is connected, the user has
 * VM.PowerMgmt (pve_client_has_cap "vms"), and the guest's state allows it (start: stopped and
 * not a template; shutdown/reboot/suspend: running; stop: running or paused/suspended;
 * resume: paused/suspended; nothing while the guest is busy or its node is offline). When
 * not, *why (if not NULL) gets a sentence for a tooltip, e.g. "You do not have the
 * VM.PowerMgmt privilege on pve1". */
gboolean     pve_guest_action_allowed       (PveRemoteManager  *manager,
                                             PveGuest          *guest,
                                             const char        *action,
                                             char             **why);

#define PVE_TYPE_TASK (pve_task_get_type ())
G_DECLARE_FINAL_TYPE (PveTask, pve_task, PVE, TASK, GObject)

PveTask     *pve_task_new                   (PveRemoteManager  *manager,
                                             PveGuest          *guest,
                                             const char        *action);

PveRemoteManager *pve_task_get_manager      (PveTask           *self);
PveGuest    *pve_task_get_guest             (PveTask           *self);
const char  *pve_task_get_action            (PveTask           *self);
/* "Starting web1", "Shutting down web1", ... (translated) */
const char  *pve_task_get_description       (PveTask           *self);
const char  *pve_task_get_upid              (PveTask           *self);
PveTaskState pve_task_get_state             (PveTask           *self);
/* NULL until the task has ended. */
const char  *pve_task_get_exitstatus        (PveTask           *self);
/* The task log's lines (fetched when the task failed), or NULL. */
GPtrArray   *pve_task_get_log               (PveTask           *self);

guint        pve_task_get_poll_interval     (PveTask           *self);
void         pve_task_set_poll_interval     (PveTask           *self,
                                             guint              milliseconds);

/* Runs the action once. */
void         pve_task_run_async             (PveTask           *self,
                                             GCancellable      *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer           user_data);
gboolean     pve_task_run_finish            (PveTask           *self,
                                             GAsyncResult      *result,
                                             GError           **error);

G_END_DECLS

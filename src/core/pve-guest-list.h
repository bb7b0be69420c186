/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveGuestList: a GListModel of PveGuest holding every VM and container of every CONNECTED
 * remote of a PveRemoteManager.
 *
 * - One GET /cluster/resources?type=vm per remote per refresh (never one per node), every
 *   refresh-interval seconds (default 5; the app binds it to GSettings), none while `paused`.
 *   A refresh of a remote never overlaps with another refresh of the same remote: a refresh
 *   asked for while one runs is run once right after it.
 * - A remote that becomes CONNECTED is refreshed at once. A remote that leaves CONNECTED (or
 *   leaves the manager) has its guests removed and its refresh cancelled.
 * - The answer is turned into PveResources in a worker thread, then merged on the main thread
 *   in idle chunks of a few milliseconds each: known guests are updated in place (same object,
 *   same position: selection and scroll survive; only their changed properties notify), new
 *   guests are appended with one items-changed per refresh, vanished guests are removed with
 *   one items-changed per contiguous run.
 * - A failed refresh keeps the remote's last guests and emits "remote-error"; the error stays
 *   readable with pve_guest_list_get_remote_error() until the next successful refresh.
 *   NOT_CONNECTED removes the remote's guests instead.
 *
 * Properties: manager (construct-only), refresh-interval (guint seconds, 0 = only on
 * demand), paused (gboolean), loading (read-only: a refresh is running for some remote),
 * n-items (read-only).
 *
 * Signals:
 *   "remote-error" (PveRemote *remote, GError *error): a refresh of remote failed.
 *   "refreshed" (PveRemote *remote): a refresh of remote has been merged completely. Views
 *   that sort or filter on changing values (cpu, status) re-sort here (gtk_sorter_changed).
 */
#pragma once

#include <gio/gio.h>

#include "pve-guest.h"
#include "pve-remote-manager.h"

G_BEGIN_DECLS

#define PVE_TYPE_GUEST_LIST (pve_guest_list_get_type ())
G_DECLARE_FINAL_TYPE (PveGuestList, pve_guest_list, PVE, GUEST_LIST, GObject)

PveGuestList     *pve_guest_list_new                  (PveRemoteManager *manager);
PveRemoteManager *pve_guest_list_get_manager          (PveGuestList     *self);

guint             pve_guest_list_get_refresh_interval (PveGuestList     *self);
void              pve_guest_list_set_refresh_interval (PveGuestList     *self,
                                                       guint             seconds);
gboolean          pve_guest_list_get_paused           (PveGuestList     *self);
/* Unpausing refreshes every connected remote at once. */
void              pve_guest_list_set_paused           (PveGuestList     *self,
                                                       gboolean          paused);
gboolean          pve_guest_list_get_loading          (PveGuestList     *self);

/* Refreshes every connected remote now (not while paused). */
void              pve_guest_list_refresh_now          (PveGuestList     *self);
/* Refreshes one remote now, e.g. after a PveTask on one of its guests has ended. Does nothing
 * when the remote is not connected or the list is paused. */
void              pve_guest_list_refresh_remote       (PveGuestList     *self,
                                                       PveRemote        *remote);

/* The error of the remote's last refresh, or NULL when it succeeded. */
const GError     *pve_guest_list_get_remote_error     (PveGuestList     *self,
                                                       PveRemote        *remote);

/* The guest with this key ("<remote-id>/qemu/100"), or NULL. Not a new reference. */
PveGuest         *pve_guest_list_lookup               (PveGuestList     *self,
                                                       const char       *key);
/* The guest of remote with this vmid, or NULL. Not a new reference. */
PveGuest         *pve_guest_list_lookup_vmid          (PveGuestList     *self,
                                                       PveRemote        *remote,
                                                       gint64            vmid);

/* Timings of the last completed refresh of remote, for tests and the benchmark (monotonic
 * microseconds, g_get_monotonic_time). FALSE when the remote has no completed refresh. */
typedef struct
{
  gint64 started;         /* request sent */
  gint64 answered;        /* answer (a JsonNode) received on the main thread */
  gint64 parsed;          /* PveResources back from the worker thread */
  gint64 merged;          /* model fully updated */
  gint64 longest_chunk;   /* longest single merge step on the main thread (µs) */
  guint  n_chunks;
  guint  n_resources;     /* guests in the answer */
  guint  n_added;
  guint  n_removed;
  guint  n_updated;       /* guests whose properties changed */
} PveGuestListStats;

gboolean          pve_guest_list_get_stats            (PveGuestList      *self,
                                                       PveRemote         *remote,
                                                       PveGuestListStats *out);

/* How long one merge step may hold the main thread, in µs (default 5000). For tests and
 * benchmarks; the default keeps every step well inside a 16 ms frame. */
void              pve_guest_list_set_merge_budget     (PveGuestList     *self,
                                                       guint             usec);

/* Requests sent by this list since it was created (all remotes). */
guint             pve_guest_list_get_request_count    (PveGuestList     *self);

G_END_DECLS

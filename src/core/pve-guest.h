/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveGuest: one VM or container of one remote, as /cluster/resources describes it. Plain
 * observable data; PveGuestList creates and updates them in place (one object per guest for
 * as long as the guest exists and its remote is connected), so rows bound to a PveGuest
 * follow it without being rebuilt. Every property is read-only from outside the core, except
 * busy/busy-label, which PveTask sets while an action runs.
 *
 * Properties: remote (PveRemote*; the guest holds a reference), remote-name, key
 * ("<remote-id>/qemu/100", unique over all remotes), id ("qemu/100"), vmid, node, guest-type
 * ("qemu"/"lxc"), status ("running", "stopped", "paused", "suspended", "prelaunch", "unknown"
 * for a guest on an offline node), name (NULL when the server sent none), display-name (name,
 * else "VM 100" / "CT 100"), template, tags (";"-separated as sent, or NULL), pool, lock,
 * has-stats (FALSE on an offline node: cpu/mem/... are then 0 and mean nothing), cpu (fraction
 * of maxcpu, 0..1), maxcpu, mem, maxmem, disk, maxdisk, uptime (seconds), busy, busy-label.
 */
#pragma once

#include <gio/gio.h>

#include "pve-api.h"
#include "pve-remote.h"

G_BEGIN_DECLS

#define PVE_TYPE_GUEST (pve_guest_get_type ())
G_DECLARE_FINAL_TYPE (PveGuest, pve_guest, PVE, GUEST, GObject)

/* resource must be a PVE_RESOURCE_QEMU or PVE_RESOURCE_LXC entry. remote may be NULL (tests,
 * fixtures); the key then starts with "-/". */
PveGuest     *pve_guest_new_from_resource    (PveRemote         *remote,
                                              const PveResource *resource);

/* Copies what changed from resource (same id) and notifies only the properties that changed
 * (batched). Returns TRUE when anything changed. */
gboolean      pve_guest_update_from_resource (PveGuest          *self,
                                              const PveResource *resource);

/* The remote (NULL only for guests made without one). Not a new reference. */
PveRemote    *pve_guest_get_remote           (PveGuest          *self);
/* The remote's current name ("" once the remote is gone). */
const char   *pve_guest_get_remote_name      (PveGuest          *self);
const char   *pve_guest_get_key              (PveGuest          *self);
const char   *pve_guest_get_id               (PveGuest          *self);
gint64        pve_guest_get_vmid             (PveGuest          *self);
const char   *pve_guest_get_node             (PveGuest          *self);
const char   *pve_guest_get_guest_type       (PveGuest          *self);
gboolean      pve_guest_is_qemu              (PveGuest          *self);
const char   *pve_guest_get_status           (PveGuest          *self);
const char   *pve_guest_get_name             (PveGuest          *self);
const char   *pve_guest_get_display_name     (PveGuest          *self);
gboolean      pve_guest_get_template         (PveGuest          *self);
const char   *pve_guest_get_tags             (PveGuest          *self);
/* The tags split on ';', ',' and spaces, empty ones dropped. Never NULL. */
GStrv         pve_guest_dup_tag_list         (PveGuest          *self);
const char   *pve_guest_get_pool             (PveGuest          *self);
const char   *pve_guest_get_lock             (PveGuest          *self);
gboolean      pve_guest_get_has_stats        (PveGuest          *self);
double        pve_guest_get_cpu              (PveGuest          *self);
gint64        pve_guest_get_maxcpu           (PveGuest          *self);
gint64        pve_guest_get_mem              (PveGuest          *self);
gint64        pve_guest_get_maxmem           (PveGuest          *self);
gint64        pve_guest_get_disk             (PveGuest          *self);
gint64        pve_guest_get_maxdisk          (PveGuest          *self);
gint64        pve_guest_get_uptime           (PveGuest          *self);

/* TRUE while an action (PveTask) runs on the guest; busy-label says which ("Starting…"). */
gboolean      pve_guest_get_busy             (PveGuest          *self);
const char   *pve_guest_get_busy_label       (PveGuest          *self);
/* For PveTask: label is shown while busy; NULL when not busy. */
void          pve_guest_set_busy             (PveGuest          *self,
                                              gboolean           busy,
                                              const char        *label);

/* For PveGuestList only: bookkeeping of the merge (which refresh saw the guest last). */
guint         _pve_guest_get_generation      (PveGuest          *self);
void          _pve_guest_set_generation      (PveGuest          *self,
                                              guint              generation);
gboolean      _pve_guest_get_doomed          (PveGuest          *self);
void          _pve_guest_set_doomed          (PveGuest          *self,
                                              gboolean           doomed);
/* Emits notify::remote-name (the remote was renamed). */
void          _pve_guest_notify_remote_name  (PveGuest          *self);

G_END_DECLS

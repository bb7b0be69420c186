/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveGuestStatus: what GET /nodes/{node}/{qemu|lxc}/{vmid}/status/current reports about one
 * guest (the guest page's status and configuration summary). Snapshots and RRD data of a
 * guest are in pve-node-info.h.
 *
 * The parser accepts hostile input like the others (numbers as strings, 0/1 booleans,
 * missing members); a `data` that is not an object is PVE_CLIENT_ERROR_PARSE.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pve-remote-manager.h"

G_BEGIN_DECLS

typedef struct
{
  char    *status;          /* "running", "stopped", ...; never NULL */
  char    *qmpstatus;       /* qemu only: "running", "paused", "prelaunch", ... or NULL */
  char    *name;            /* or NULL */
  char    *lock;            /* or NULL */
  char    *tags;            /* or NULL */
  gboolean template;
  double   cpu;             /* 0..1 of cpus */
  gint64   cpus;            /* virtual CPUs; 0 when unknown */
  gint64   mem;
  gint64   maxmem;
  gint64   disk;
  gint64   maxdisk;
  gint64   uptime;
  gint64   netin;
  gint64   netout;
  gint64   diskread;
  gint64   diskwrite;
  gint64   pid;             /* -1 when not running */
  gboolean has_agent;       /* qemu: the `agent` member was sent */
  gboolean agent;           /* qemu: the guest agent is enabled */
  gboolean ha_managed;
  char    *ha_state;        /* "started", ... or NULL */
  char    *running_qemu;    /* qemu only, or NULL */
  char    *running_machine; /* qemu only, or NULL */
} PveGuestStatus;

#define PVE_TYPE_GUEST_STATUS (pve_guest_status_get_type ())
GType           pve_guest_status_get_type    (void) G_GNUC_CONST;
PveGuestStatus *pve_guest_status_ref         (PveGuestStatus *status);
void            pve_guest_status_unref       (PveGuestStatus *status);
PveGuestStatus *pve_guest_status_parse       (JsonNode       *data,
                                              GError        **error);

/* guest_type: "qemu" or "lxc". */
void            pve_guest_status_load_async  (PveRemoteManager    *manager,
                                              PveRemote           *remote,
                                              const char          *node,
                                              const char          *guest_type,
                                              gint64               vmid,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
PveGuestStatus *pve_guest_status_load_finish (GAsyncResult        *result,
                                              GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PveGuestStatus, pve_guest_status_unref)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Typed views of what a Proxmox VE node reports: status, storage, network, subscription,
 * syslog pages, RRD series, snapshots and the node list.
 *
 * Parsers take the already unwrapped `data` (the client removed the envelope) and accept
 * hostile input: wrong types, missing members, numbers as strings, 0/1 booleans. A `data` of
 * the wrong shape is PVE_CLIENT_ERROR_PARSE with a message a person understands; a bad entry
 * inside a list is skipped, never fatal.
 *
 * Loaders run one request through PveRemoteManager; its errors pass through unchanged
 * (PVE_CLIENT_ERROR_NOT_CONNECTED, nothing sent, when the remote is not connected).
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pve-remote-manager.h"

G_BEGIN_DECLS

/* ---- GET /nodes/{node}/status ---------------------------------------------------------- */

typedef struct
{
  double  cpu;              /* 0..1 of all CPUs */
  gint64  cpus;             /* logical CPUs, 0 when unknown */
  gint64  sockets;
  char   *cpu_model;        /* may be NULL */
  double  mhz;              /* sent as a string; 0 when unknown */
  double  loadavg[3];       /* sent as strings */
  gboolean has_loadavg;
  gint64  memory_total;
  gint64  memory_used;
  gint64  memory_free;
  gint64  memory_available; /* -1 when not sent */
  gint64  swap_total;
  gint64  swap_used;
  gint64  swap_free;
  gint64  rootfs_total;
  gint64  rootfs_used;
  gint64  rootfs_avail;
  gint64  uptime;           /* seconds */
  char   *kversion;         /* "Linux 6.17.4-1-pve #1 SMP ..." or NULL */
  char   *pveversion;       /* "pve-manager/9.1.2/9d436f37a0ac4172" or NULL */
  char   *pve_version;      /* "9.1.2" or NULL */
  char   *boot_mode;        /* "efi", "legacy-bios" or NULL */
  gboolean secureboot;
} PveNodeStatus;

#define PVE_TYPE_NODE_STATUS (pve_node_status_get_type ())
GType          pve_node_status_get_type (void) G_GNUC_CONST;
PveNodeStatus *pve_node_status_ref      (PveNodeStatus *status);
void           pve_node_status_unref    (PveNodeStatus *status);
PveNodeStatus *pve_node_status_parse    (JsonNode      *data,
                                         GError       **error);
/* "pve-manager/9.1.2/abc" -> "9.1.2"; NULL when it does not look like that. */
char          *pve_node_parse_pve_version (const char  *pveversion);

void           pve_node_status_load_async  (PveRemoteManager    *manager,
                                            PveRemote           *remote,
                                            const char          *node,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
PveNodeStatus *pve_node_status_load_finish (GAsyncResult        *result,
                                            GError             **error);

/* ---- GET /nodes ------------------------------------------------------------------------ */

typedef struct
{
  char    *node;
  char    *status;           /* "online", "offline", "unknown"; never NULL */
  gboolean online;
  char    *ssl_fingerprint;  /* may be NULL */
  gboolean has_stats;        /* FALSE for an offline node */
  double   cpu;
  gint64   maxcpu;
  gint64   mem;
  gint64   maxmem;
  gint64   disk;
  gint64   maxdisk;
  gint64   uptime;
} PveNodeEntry;

void        pve_node_entry_free   (PveNodeEntry *entry);
/* GPtrArray of PveNodeEntry* sorted by name. */
GPtrArray  *pve_node_list_parse   (JsonNode     *data,
                                   GError      **error);
void        pve_node_list_load_async  (PveRemoteManager    *manager,
                                       PveRemote           *remote,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
GPtrArray  *pve_node_list_load_finish (GAsyncResult        *result,
                                       GError             **error);

/* ---- GET /nodes/{node}/storage --------------------------------------------------------- */

typedef struct
{
  char    *storage;
  char    *type;        /* "dir", "lvmthin", "zfspool", ... or NULL */
  char    *content;     /* "images,rootdir" or NULL */
  gboolean active;
  gboolean enabled;
  gboolean shared;
  gint64   total;       /* bytes; 0 when unknown (inactive storage) */
  gint64   used;
  gint64   avail;
  double   used_fraction; /* 0..1; computed from used/total when not sent */
} PveStorageInfo;

void        pve_storage_info_free      (PveStorageInfo *info);
/* GPtrArray of PveStorageInfo* sorted by name. */
GPtrArray  *pve_storage_list_parse     (JsonNode       *data,
                                        GError        **error);
void        pve_storage_list_load_async  (PveRemoteManager    *manager,
                                          PveRemote           *remote,
                                          const char          *node,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
GPtrArray  *pve_storage_list_load_finish (GAsyncResult        *result,
                                          GError             **error);

/* ---- GET /nodes/{node}/network --------------------------------------------------------- */

typedef struct
{
  char    *iface;
  char    *type;          /* "eth", "bridge", "bond", "vlan", ... or NULL */
  gboolean active;
  gboolean autostart;
  char    *method;        /* "static", "manual", "dhcp" or NULL */
  char    *address;       /* IPv4 or NULL */
  char    *cidr;          /* "192.168.1.2/24" or NULL */
  char    *gateway;
  char    *address6;
  char    *cidr6;
  char    *gateway6;
  char    *bridge_ports;
  char    *slaves;
  char    *comments;
} PveNetworkInterface;

void        pve_network_interface_free   (PveNetworkInterface *iface);
/* GPtrArray of PveNetworkInterface* sorted by name. */
GPtrArray  *pve_network_list_parse       (JsonNode            *data,
                                          GError             **error);
void        pve_network_list_load_async  (PveRemoteManager    *manager,
                                          PveRemote           *remote,
                                          const char          *node,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
GPtrArray  *pve_network_list_load_finish (GAsyncResult        *result,
                                          GError             **error);

/* ---- GET /nodes/{node}/subscription ---------------------------------------------------- */

typedef struct
{
  char    *status;        /* "notfound", "active", "expired", ... ; never NULL */
  gboolean active;
  char    *level;
  char    *productname;
  char    *message;       /* the server's words, may be NULL */
  char    *nextduedate;
  char    *serverid;
  char    *summary;       /* for people: "No subscription", "Active: Proxmox VE ...", ... */
} PveSubscription;

#define PVE_TYPE_SUBSCRIPTION (pve_subscription_get_type ())
GType            pve_subscription_get_type (void) G_GNUC_CONST;
PveSubscription *pve_subscription_ref      (PveSubscription *sub);
void             pve_subscription_unref    (PveSubscription *sub);
PveSubscription *pve_subscription_parse    (JsonNode        *data,
                                            GError         **error);
void             pve_subscription_load_async  (PveRemoteManager    *manager,
                                               PveRemote           *remote,
                                               const char          *node,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
PveSubscription *pve_subscription_load_finish (GAsyncResult        *result,
                                               GError             **error);

/* ---- Log pages: GET /nodes/{node}/syslog (and task logs, see pve-cluster-info.h) ---------- */

typedef struct
{
  GPtrArray *lines;    /* char*, in order */
  gint64     start;    /* the n of the first line (-1 when there is none) */
  gint64     total;    /* the server's `total`, or -1 when it sent none */
} PveLogPage;

#define PVE_TYPE_LOG_PAGE (pve_log_page_get_type ())
GType       pve_log_page_get_type (void) G_GNUC_CONST;
PveLogPage *pve_log_page_ref      (PveLogPage *page);
void        pve_log_page_unref    (PveLogPage *page);
/* data: [{"n":..,"t":..}], total as returned by the request (-1 if none). */
PveLogPage *pve_log_page_parse    (JsonNode   *data,
                                   gint64      total,
                                   GError    **error);

/* start: first line (0-based), limit: number of lines (0 = server default). */
void        pve_syslog_load_async  (PveRemoteManager    *manager,
                                    PveRemote           *remote,
                                    const char          *node,
                                    gint64               start,
                                    gint64               limit,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
PveLogPage *pve_syslog_load_finish (GAsyncResult        *result,
                                    GError             **error);

/* ---- RRD data: GET /nodes/{node}/rrddata, /nodes/{node}/{qemu|lxc}/{vmid}/rrddata -------- */

typedef enum
{
  PVE_RRD_TIMEFRAME_HOUR,
  PVE_RRD_TIMEFRAME_DAY,
  PVE_RRD_TIMEFRAME_WEEK,
} PveRrdTimeframe;

typedef struct _PveRrdSeries PveRrdSeries;

#define PVE_TYPE_RRD_SERIES (pve_rrd_series_get_type ())
GType         pve_rrd_series_get_type     (void) G_GNUC_CONST;
PveRrdSeries *pve_rrd_series_ref          (PveRrdSeries *series);
void          pve_rrd_series_unref        (PveRrdSeries *series);
/* Points are sorted by time; points without a usable `time` are dropped. Every numeric member
 * seen in any point becomes a named series; where a point lacks it the value is NAN. */
PveRrdSeries *pve_rrd_series_parse        (JsonNode     *data,
                                           GError      **error);
guint         pve_rrd_series_get_n_points (PveRrdSeries *series);
/* n_points times (seconds since the epoch). */
const gint64 *pve_rrd_series_get_times    (PveRrdSeries *series);
/* n_points values, or NULL when the series does not exist. */
const double *pve_rrd_series_get_values   (PveRrdSeries *series,
                                           const char   *name);
/* Sorted names of the series ("cpu", "memused", ...). */
GStrv         pve_rrd_series_dup_names    (PveRrdSeries *series);

const char   *pve_rrd_timeframe_to_string (PveRrdTimeframe timeframe);

void          pve_node_rrd_load_async     (PveRemoteManager    *manager,
                                           PveRemote           *remote,
                                           const char          *node,
                                           PveRrdTimeframe      timeframe,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
/* guest_type: "qemu" or "lxc". */
void          pve_guest_rrd_load_async    (PveRemoteManager    *manager,
                                           PveRemote           *remote,
                                           const char          *node,
                                           const char          *guest_type,
                                           gint64               vmid,
                                           PveRrdTimeframe      timeframe,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
/* For both loaders. */
PveRrdSeries *pve_rrd_load_finish         (GAsyncResult        *result,
                                           GError             **error);

/* ---- GET /nodes/{node}/{qemu|lxc}/{vmid}/snapshot ---------------------------------------- */

typedef struct
{
  char    *name;
  char    *description;  /* may be NULL */
  char    *parent;       /* may be NULL */
  gint64   snaptime;     /* -1 when not sent */
  gboolean vmstate;      /* RAM included */
  gboolean is_current;   /* the snapshot the guest is running from ("You are here!") */
} PveSnapshot;

void        pve_snapshot_free           (PveSnapshot *snapshot);
/* GPtrArray of PveSnapshot*, oldest first, WITHOUT the "current" pseudo entry (its parent is
 * marked is_current instead). */
GPtrArray  *pve_snapshot_list_parse     (JsonNode    *data,
                                         GError     **error);
void        pve_snapshot_list_load_async  (PveRemoteManager    *manager,
                                           PveRemote           *remote,
                                           const char          *node,
                                           const char          *guest_type,
                                           gint64               vmid,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GPtrArray  *pve_snapshot_list_load_finish (GAsyncResult        *result,
                                           GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PveNodeStatus, pve_node_status_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PveSubscription, pve_subscription_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PveLogPage, pve_log_page_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PveRrdSeries, pve_rrd_series_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PveNodeEntry, pve_node_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PveStorageInfo, pve_storage_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PveNetworkInterface, pve_network_interface_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PveSnapshot, pve_snapshot_free)

G_END_DECLS

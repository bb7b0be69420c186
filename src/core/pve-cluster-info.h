/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Typed views of cluster-wide data: recent tasks and their logs, users, ACL, datacenter notes
 * and cluster status. Same rules as pve-node-info.h: hostile-input safe parsers over the
 * unwrapped `data`, and loaders whose errors come from PveRemoteManager unchanged.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pve-node-info.h"
#include "pve-remote-manager.h"

G_BEGIN_DECLS

/* ---- GET /cluster/tasks ---------------------------------------------------------------- */

typedef struct
{
  char    *upid;
  char    *node;
  char    *type;        /* "qmstart", "vzdump", ... */
  char    *id;          /* guest id or other object, may be "" */
  char    *user;
  gint64   starttime;   /* -1 when unknown */
  gint64   endtime;     /* -1 while running */
  gboolean running;     /* no endtime and no status yet */
  char    *status;      /* NULL while running; "OK", "WARNINGS: N" or the error text */
  gboolean failed;      /* ended with something else than OK / WARNINGS */
} PveClusterTask;

void        pve_cluster_task_free       (PveClusterTask *task);
PveClusterTask *pve_cluster_task_copy   (const PveClusterTask *task);
/* GPtrArray of PveClusterTask*, newest first. Entries without a upid are skipped; node, type,
 * id, user and starttime missing from an entry are taken from its UPID. */
GPtrArray  *pve_cluster_tasks_parse     (JsonNode       *data,
                                         GError        **error);
void        pve_cluster_tasks_load_async  (PveRemoteManager    *manager,
                                           PveRemote           *remote,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GPtrArray  *pve_cluster_tasks_load_finish (GAsyncResult        *result,
                                           GError             **error);

/* GET /nodes/{node}/tasks/{upid}/log?start&limit. node NULL: taken from the UPID. limit 0: all
 * lines the server sends by default (50); use a large limit for the whole log. */
void        pve_task_log_load_async     (PveRemoteManager    *manager,
                                         PveRemote           *remote,
                                         const char          *node,
                                         const char          *upid,
                                         gint64               start,
                                         gint64               limit,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
PveLogPage *pve_task_log_load_finish    (GAsyncResult        *result,
                                         GError             **error);

/* GET /nodes/{node}/tasks/{upid}/status as a PveClusterTask (free with
 * pve_cluster_task_free). node NULL: taken from the UPID. */
void        pve_task_status_load_async  (PveRemoteManager    *manager,
                                         PveRemote           *remote,
                                         const char          *node,
                                         const char          *upid,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
PveClusterTask *pve_task_status_load_finish (GAsyncResult    *result,
                                         GError             **error);

/* ---- GET /access/users ----------------------------------------------------------------- */

typedef struct
{
  char    *userid;      /* "root@pam" */
  gboolean enabled;
  gint64   expire;      /* 0 = never */
  char    *firstname;
  char    *lastname;
  char    *email;
  char    *comment;
  char    *groups;      /* comma-separated, may be NULL */
  char    *realm_type;  /* "pam", "pve", ... or NULL */
} PveUser;

void        pve_user_free               (PveUser *user);
/* GPtrArray of PveUser* sorted by userid. */
GPtrArray  *pve_user_list_parse         (JsonNode *data,
                                         GError  **error);
void        pve_user_list_load_async    (PveRemoteManager    *manager,
                                         PveRemote           *remote,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
GPtrArray  *pve_user_list_load_finish   (GAsyncResult        *result,
                                         GError             **error);

/* ---- GET /access/acl ------------------------------------------------------------------- */

typedef struct
{
  char    *path;        /* "/vms/100" */
  char    *roleid;      /* "PVEAdmin" */
  char    *type;        /* "user", "group", "token" */
  char    *ugid;        /* the user, group or token */
  gboolean propagate;
} PveAclEntry;

void        pve_acl_entry_free          (PveAclEntry *entry);
/* GPtrArray of PveAclEntry* sorted by path, then ugid. */
GPtrArray  *pve_acl_parse               (JsonNode *data,
                                         GError  **error);
void        pve_acl_load_async          (PveRemoteManager    *manager,
                                         PveRemote           *remote,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
GPtrArray  *pve_acl_load_finish         (GAsyncResult        *result,
                                         GError             **error);

/* ---- GET /cluster/options -> description ----------------------------------------------- */

/* The datacenter notes (may be ""), as plain text. */
char       *pve_cluster_notes_parse       (JsonNode *data,
                                           GError  **error);
void        pve_cluster_notes_load_async  (PveRemoteManager    *manager,
                                           PveRemote           *remote,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
char       *pve_cluster_notes_load_finish (GAsyncResult        *result,
                                           GError             **error);

/* ---- GET /cluster/status --------------------------------------------------------------- */

typedef struct
{
  char    *name;
  char    *ip;          /* may be NULL */
  gint64   nodeid;      /* -1 when unknown */
  gboolean online;
  gboolean local;       /* the node that answered */
} PveClusterNode;

typedef struct
{
  gboolean   is_cluster;  /* FALSE for a standalone node (no "cluster" entry) */
  char      *name;        /* cluster name, NULL when standalone */
  gboolean   quorate;     /* a standalone node counts as quorate */
  gint64     version;     /* config version, -1 when unknown */
  guint      n_nodes;     /* total (the cluster entry's `nodes` when larger than the list) */
  guint      n_online;
  GPtrArray *nodes;       /* PveClusterNode*, sorted by name */
} PveClusterStatus;

#define PVE_TYPE_CLUSTER_STATUS (pve_cluster_status_get_type ())
GType             pve_cluster_status_get_type (void) G_GNUC_CONST;
PveClusterStatus *pve_cluster_status_ref      (PveClusterStatus *status);
void              pve_cluster_status_unref    (PveClusterStatus *status);
PveClusterStatus *pve_cluster_status_parse    (JsonNode         *data,
                                               GError          **error);
void              pve_cluster_status_load_async  (PveRemoteManager    *manager,
                                                  PveRemote           *remote,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
PveClusterStatus *pve_cluster_status_load_finish (GAsyncResult        *result,
                                                  GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PveClusterTask, pve_cluster_task_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PveUser, pve_user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PveAclEntry, pve_acl_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PveClusterStatus, pve_cluster_status_unref)

G_END_DECLS

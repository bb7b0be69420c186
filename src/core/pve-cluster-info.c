/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <glib/gi18n-lib.h>

#include "pve-api.h"
#include "pve-client.h"
#include "pve-cluster-info.h"
#include "pve-info-private.h"

/* ---- tasks ----------------------------------------------------------------------------- */

void
pve_cluster_task_free (PveClusterTask *task)
{
  if (task == NULL)
    return;
  g_free (task->upid);
  g_free (task->node);
  g_free (task->type);
  g_free (task->id);
  g_free (task->user);
  g_free (task->status);
  g_free (task);
}

PveClusterTask *
pve_cluster_task_copy (const PveClusterTask *task)
{
  PveClusterTask *copy;

  g_return_val_if_fail (task != NULL, NULL);

  copy = g_memdup2 (task, sizeof *task);
  copy->upid = g_strdup (task->upid);
  copy->node = g_strdup (task->node);
  copy->type = g_strdup (task->type);
  copy->id = g_strdup (task->id);
  copy->user = g_strdup (task->user);
  copy->status = g_strdup (task->status);
  return copy;
}

static int
compare_tasks (gconstpointer a,
               gconstpointer b)
{
  const PveClusterTask *ta = *(PveClusterTask * const *) a;
  const PveClusterTask *tb = *(PveClusterTask * const *) b;

  if (ta->starttime != tb->starttime)
    return (ta->starttime < tb->starttime) - (ta->starttime > tb->starttime);
  return strcmp (ta->upid, tb->upid);
}

GPtrArray *
pve_cluster_tasks_parse (JsonNode  *data,
                         GError   **error)
{
  g_autoptr(GPtrArray) list = NULL;
  JsonArray *array;

  if (!_pve_info_check_array (data, _("the task list"), error))
    return NULL;
  array = json_node_get_array (data);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) pve_cluster_task_free);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = _pve_info_array_get_object (array, i);
      PveUpid upid = { 0 };
      gboolean have_upid;
      PveClusterTask *task;
      char *upid_str;

      if (object == NULL || (upid_str = _pve_info_dup_string (object, "upid")) == NULL)
        continue;

      task = g_new0 (PveClusterTask, 1);
      task->upid = upid_str;
      have_upid = pve_upid_parse (upid_str, &upid, NULL);

      task->node = _pve_info_dup_string (object, "node");
      if (task->node == NULL && have_upid)
        task->node = g_strdup (upid.node);
      task->type = _pve_info_dup_string (object, "type");
      if (task->type == NULL && have_upid)
        task->type = g_strdup (upid.type);
      task->id = _pve_info_dup_string (object, "id");
      if (task->id == NULL && have_upid)
        task->id = g_strdup (upid.id);
      task->user = _pve_info_dup_string (object, "user");
      if (task->user == NULL && have_upid)
        task->user = g_strdup (upid.user);
      task->starttime = _pve_info_get_int (object, "starttime", have_upid ? upid.starttime : -1);
      task->endtime = _pve_info_get_int (object, "endtime", -1);
      task->status = _pve_info_dup_string (object, "status");
      if (task->status != NULL)
        g_strstrip (task->status);

      /* /cluster/tasks puts the exit status in `status`; a running task has neither. */
      if (task->status != NULL && (g_str_equal (task->status, "running")
                                   || *task->status == '\0'))
        g_clear_pointer (&task->status, g_free);
      task->running = task->status == NULL;
      if (task->running)
        task->endtime = -1;
      task->failed = !task->running && !pve_task_exitstatus_is_ok (task->status);

      if (task->node == NULL)
        task->node = g_strdup ("");
      if (task->type == NULL)
        task->type = g_strdup ("");
      if (task->id == NULL)
        task->id = g_strdup ("");
      if (task->user == NULL)
        task->user = g_strdup ("");

      if (have_upid)
        pve_upid_clear (&upid);
      g_ptr_array_add (list, task);
    }

  g_ptr_array_sort (list, compare_tasks);
  return g_steal_pointer (&list);
}

static gpointer
cluster_tasks_parse_cb (JsonNode *data, gint64 total, gpointer parse_data, GError **error)
{
  return pve_cluster_tasks_parse (data, error);
}

void
pve_cluster_tasks_load_async (PveRemoteManager    *manager,
                              PveRemote           *remote,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (PVE_IS_REMOTE_MANAGER (manager));
  g_return_if_fail (PVE_IS_REMOTE (remote));

  _pve_info_request_async (manager, remote, "GET", "/cluster/tasks", NULL,
                           cluster_tasks_parse_cb, NULL, NULL,
                           (GDestroyNotify) g_ptr_array_unref, pve_cluster_tasks_load_async,
                           cancellable, callback, user_data);
}

GPtrArray *
pve_cluster_tasks_load_finish (GAsyncResult  *result,
                               GError       **error)
{
  return _pve_info_request_finish (result, pve_cluster_tasks_load_async, error);
}

static gpointer
task_log_parse_cb (JsonNode *data, gint64 total, gpointer parse_data, GError **error)
{
  return pve_log_page_parse (data, total, error);
}

void
pve_task_log_load_async (PveRemoteManager    *manager,
                         PveRemote           *remote,
                         const char          *node,
                         const char          *upid,
                         gint64               start,
                         gint64               limit,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *path = NULL;
  PveUpid parsed = { 0 };

  g_return_if_fail (PVE_IS_REMOTE_MANAGER (manager));
  g_return_if_fail (PVE_IS_REMOTE (remote));
  g_return_if_fail (upid != NULL);

  if (node == NULL || *node == '\0')
    {
      g_autoptr(GError) error = NULL;

      if (!pve_upid_parse (upid, &parsed, &error))
        {
          g_autoptr(GTask) task = g_task_new (manager, cancellable, callback, user_data);

          g_task_set_source_tag (task, pve_task_log_load_async);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      node = parsed.node;
    }

  params = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_hash_table_insert (params, "start", g_strdup_printf ("%" G_GINT64_FORMAT, MAX (start, 0)));
  if (limit > 0)
    g_hash_table_insert (params, "limit", g_strdup_printf ("%" G_GINT64_FORMAT, limit));

  path = pve_client_build_path ("nodes", node, "tasks", upid, "log", NULL);
  pve_upid_clear (&parsed);

  _pve_info_request_async (manager, remote, "GET", path, params, task_log_parse_cb, NULL, NULL,
                           (GDestroyNotify) pve_log_page_unref, pve_task_log_load_async,
                           cancellable, callback, user_data);
}

PveLogPage *
pve_task_log_load_finish (GAsyncResult  *result,
                          GError       **error)
{
  return _pve_info_request_finish (result, pve_task_log_load_async, error);
}

static gpointer
task_status_parse_cb (JsonNode *data, gint64 total, gpointer parse_data, GError **error)
{
  PveTaskStatus status = { 0 };
  PveClusterTask *task;

  if (!pve_api_parse_task_status (data, &status, error))
    return NULL;

  task = g_new0 (PveClusterTask, 1);
  task->upid = g_strdup (status.upid ? status.upid : parse_data);
  task->node = g_strdup (status.node ? status.node : "");
  task->type = g_strdup (status.type ? status.type : "");
  task->id = g_strdup (status.id ? status.id : "");
  task->user = g_strdup (status.user ? status.user : "");
  task->starttime = status.starttime;
  task->endtime = status.running ? -1 : status.endtime;
  task->running = status.running;
  task->status = status.running ? NULL : g_strdup (status.exitstatus ? status.exitstatus : "");
  task->failed = !task->running && !pve_task_exitstatus_is_ok (task->status);
  pve_task_status_clear (&status);
  return task;
}

/* Resolves the node for a UPID-addressed request; FALSE (task completed with the error) when
 * the UPID cannot be parsed. */
static gboolean
resolve_node (PveRemoteManager     *manager,
              const char          **node,
              const char           *upid,
              PveUpid              *parsed,
              gpointer              source_tag,
              GCancellable         *cancellable,
              GAsyncReadyCallback   callback,
              gpointer              user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;

  if (*node != NULL && **node != '\0')
    return TRUE;
  if (pve_upid_parse (upid, parsed, &error))
    {
      *node = parsed->node;
      return TRUE;
    }
  task = g_task_new (manager, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_return_error (task, g_steal_pointer (&error));
  return FALSE;
}

void
pve_task_status_load_async (PveRemoteManager    *manager,
                            PveRemote           *remote,
                            const char          *node,
                            const char          *upid,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autofree char *path = NULL;
  PveUpid parsed = { 0 };

  g_return_if_fail (PVE_IS_REMOTE_MANAGER (manager));
  g_return_if_fail (PVE_IS_REMOTE (remote));
  g_return_if_fail (upid != NULL);

  if (!resolve_node (manager, &node, upid, &parsed, pve_task_status_load_async, cancellable,
                     callback, user_data))
    return;
  path = pve_client_build_path ("nodes", node, "tasks", upid, "status", NULL);
  pve_upid_clear (&parsed);

  _pve_info_request_async (manager, remote, "GET", path, NULL, task_status_parse_cb,
                           g_strdup (upid), g_free, (GDestroyNotify) pve_cluster_task_free,
                           pve_task_status_load_async, cancellable, callback, user_data);
}

PveClusterTask *
pve_task_status_load_finish (GAsyncResult  *result,
                             GError       **error)
{
  return _pve_info_request_finish (result, pve_task_status_load_async, error);
}

/* ---- users ----------------------------------------------------------------------------- */

void
pve_user_free (PveUser *user)
{
  if (user == NULL)
    return;
  g_free (user->userid);
  g_free (user->firstname);
  g_free (user->lastname);
  g_free (user->email);
  g_free (user->comment);
  g_free (user->groups);
  g_free (user->realm_type);
  g_free (user);
}

static int
compare_users (gconstpointer a,
               gconstpointer b)
{
  const PveUser *ua = *(PveUser * const *) a;
  const PveUser *ub = *(PveUser * const *) b;

  return g_utf8_collate (ua->userid, ub->userid);
}

/* `groups` is a comma-separated string, or (newer servers) an array of strings. */
static char *
dup_groups (JsonObject *object)
{
  JsonNode *node;

  if (!json_object_has_member (object, "groups"))
    return NULL;
  node = json_object_get_member (object, "groups");

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) groups = NULL;

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element)
              && json_node_get_value_type (element) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (element));
        }
      groups = g_strv_builder_end (builder);
      return groups[0] != NULL ? g_strjoinv (",", groups) : NULL;
    }

  return _pve_info_dup_string (object, "groups");
}

static gpointer
pve_user_list_parse_entry (JsonObject *object)
{
  PveUser *user;
  char *userid;

  if ((userid = _pve_info_dup_string (object, "userid")) == NULL)
    return NULL;

  user = g_new0 (PveUser, 1);
  user->userid = userid;
  user->enabled = _pve_info_get_bool (object, "enable", TRUE);
  user->expire = MAX (_pve_info_get_int (object, "expire", 0), 0);
  user->firstname = _pve_info_dup_string (object, "firstname");
  user->lastname = _pve_info_dup_string (object, "lastname");
  user->email = _pve_info_dup_string (object, "email");
  user->comment = _pve_info_dup_string (object, "comment");
  user->groups = dup_groups (object);
  user->realm_type = _pve_info_dup_string (object, "realm-type");
  return user;
}

GPtrArray *
pve_user_list_parse (JsonNode  *data,
                     GError   **error)
{
  return _pve_info_parse_list (data, _("the user list"), pve_user_list_parse_entry,
                               (GDestroyNotify) pve_user_free, compare_users, error);
}

static gpointer
user_list_parse_cb (JsonNode *data, gint64 total, gpointer parse_data, GError **error)
{
  return pve_user_list_parse (data, error);
}

void
pve_user_list_load_async (PveRemoteManager    *manager,
                          PveRemote           *remote,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (PVE_IS_REMOTE_MANAGER (manager));
  g_return_if_fail (PVE_IS_REMOTE (remote));

  _pve_info_request_async (manager, remote, "GET", "/access/users", NULL, user_list_parse_cb,
                           NULL, NULL, (GDestroyNotify) g_ptr_array_unref,
                           pve_user_list_load_async, cancellable, callback, user_data);
}

GPtrArray *
pve_user_list_load_finish (GAsyncResult  *result,
                           GError       **error)
{
  return _pve_info_request_finish (result, pve_user_list_load_async, error);
}

/* ---- ACL ------------------------------------------------------------------------------- */

void
pve_acl_entry_free (PveAclEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->path);
  g_free (entry->roleid);
  g_free (entry->type);
  g_free (entry->ugid);
  g_free (entry);
}

static int
compare_acl (gconstpointer a,
             gconstpointer b)
{
  const PveAclEntry *ea = *(PveAclEntry * const *) a;
  const PveAclEntry *eb = *(PveAclEntry * const *) b;
  int res = strcmp (ea->path, eb->path);

  if (res == 0)
    res = strcmp (ea->ugid, eb->ugid);
  if (res == 0)
    res = strcmp (ea->roleid, eb->roleid);
  return res;
}

static gpointer
pve_acl_parse_entry (JsonObject *object)
{
  PveAclEntry *entry;

  if (pve_json_get_string (object, "path") == NULL
      || pve_json_get_string (object, "roleid") == NULL
      || pve_json_get_string (object, "ugid") == NULL)
    return NULL;

  entry = g_new0 (PveAclEntry, 1);
  entry->path = _pve_info_dup_string (object, "path");
  entry->roleid = _pve_info_dup_string (object, "roleid");
  entry->ugid = _pve_info_dup_string (object, "ugid");
  entry->type = _pve_info_dup_string (object, "type");
  if (entry->type == NULL)
    entry->type = g_strdup ("user");
  entry->propagate = _pve_info_get_bool (object, "propagate", TRUE);
  return entry;
}

GPtrArray *
pve_acl_parse (JsonNode  *data,
               GError   **error)
{
  return _pve_info_parse_list (data, _("the access control list"), pve_acl_parse_entry,
                               (GDestroyNotify) pve_acl_entry_free, compare_acl, error);
}

static gpointer
acl_parse_cb (JsonNode *data, gint64 total, gpointer parse_data, GError **error)
{
  return pve_acl_parse (data, error);
}

void
pve_acl_load_async (PveRemoteManager    *manager,
                    PveRemote           *remote,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_return_if_fail (PVE_IS_REMOTE_MANAGER (manager));
  g_return_if_fail (PVE_IS_REMOTE (remote));

  _pve_info_request_async (manager, remote, "GET", "/access/acl", NULL, acl_parse_cb, NULL, NULL,
                           (GDestroyNotify) g_ptr_array_unref, pve_acl_load_async,
                           cancellable, callback, user_data);
}

GPtrArray *
pve_acl_load_finish (GAsyncResult  *result,
                     GError       **error)
{
  return _pve_info_request_finish (result, pve_acl_load_async, error);
}

/* ---- notes ----------------------------------------------------------------------------- */

char *
pve_cluster_notes_parse (JsonNode  *data,
                         GError   **error)
{
  char *notes;

  if (!_pve_info_check_object (data, _("the datacenter options"), error))
    return NULL;
  notes = _pve_info_dup_string (json_node_get_object (data), "description");
  return notes != NULL ? notes : g_strdup ("");
}

static gpointer
notes_parse_cb (JsonNode *data, gint64 total, gpointer parse_data, GError **error)
{
  return pve_cluster_notes_parse (data, error);
}

void
pve_cluster_notes_load_async (PveRemoteManager    *manager,
                              PveRemote           *remote,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (PVE_IS_REMOTE_MANAGER (manager));
  g_return_if_fail (PVE_IS_REMOTE (remote));

  _pve_info_request_async (manager, remote, "GET", "/cluster/options", NULL, notes_parse_cb,
                           NULL, NULL, g_free, pve_cluster_notes_load_async,
                           cancellable, callback, user_data);
}

char *
pve_cluster_notes_load_finish (GAsyncResult  *result,
                               GError       **error)
{
  return _pve_info_request_finish (result, pve_cluster_notes_load_async, error);
}

/* ---- cluster status -------------------------------------------------------------------- */

static void
cluster_node_free (PveClusterNode *node)
{
  g_free (node->name);
  g_free (node->ip);
  g_free (node);
}

static void
cluster_status_clear (gpointer data)
{
  PveClusterStatus *status = data;

  g_clear_pointer (&status->name, g_free);
  g_clear_pointer (&status->nodes, g_ptr_array_unref);
}

PveClusterStatus *
pve_cluster_status_ref (PveClusterStatus *status)
{
  return g_atomic_rc_box_acquire (status);
}

void
pve_cluster_status_unref (PveClusterStatus *status)
{
  g_atomic_rc_box_release_full (status, cluster_status_clear);
}

G_DEFINE_BOXED_TYPE (PveClusterStatus, pve_cluster_status, pve_cluster_status_ref,
                     pve_cluster_status_unref)

static int
compare_cluster_nodes (gconstpointer a,
                       gconstpointer b)
{
  const PveClusterNode *na = *(PveClusterNode * const *) a;
  const PveClusterNode *nb = *(PveClusterNode * const *) b;

  return g_utf8_collate (na->name, nb->name);
}

PveClusterStatus *
pve_cluster_status_parse (JsonNode  *data,
                          GError   **error)
{
  PveClusterStatus *status;
  JsonArray *array;
  gint64 declared_nodes = 0;

  if (!_pve_info_check_array (data, _("the cluster status"), error))
    return NULL;
  array = json_node_get_array (data);

  status = g_atomic_rc_box_new0 (PveClusterStatus);
  status->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) cluster_node_free);
  status->version = -1;
  status->quorate = TRUE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = _pve_info_array_get_object (array, i);
      const char *type;

      if (object == NULL || (type = pve_json_get_string (object, "type")) == NULL)
        continue;

      if (g_str_equal (type, "cluster") && !status->is_cluster)
        {
          status->is_cluster = TRUE;
          status->name = _pve_info_dup_string (object, "name");
          status->quorate = _pve_info_get_bool (object, "quorate", FALSE);
          status->version = _pve_info_get_int (object, "version", -1);
          declared_nodes = CLAMP (_pve_info_get_int (object, "nodes", 0), 0, G_MAXUINT);
        }
      else if (g_str_equal (type, "node"))
        {
          PveClusterNode *node;
          char *name = _pve_info_dup_string (object, "name");

          if (name == NULL)
            continue;
          node = g_new0 (PveClusterNode, 1);
          node->name = name;
          node->ip = _pve_info_dup_string (object, "ip");
          node->nodeid = _pve_info_get_int (object, "nodeid", -1);
          node->online = _pve_info_get_bool (object, "online", FALSE);
          node->local = _pve_info_get_bool (object, "local", FALSE);
          if (node->online)
            status->n_online++;
          g_ptr_array_add (status->nodes, node);
        }
    }

  g_ptr_array_sort (status->nodes, compare_cluster_nodes);
  status->n_nodes = MAX (status->nodes->len, (guint) declared_nodes);
  return status;
}

static gpointer
cluster_status_parse_cb (JsonNode *data, gint64 total, gpointer parse_data, GError **error)
{
  return pve_cluster_status_parse (data, error);
}

void
pve_cluster_status_load_async (PveRemoteManager    *manager,
                               PveRemote           *remote,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (PVE_IS_REMOTE_MANAGER (manager));
  g_return_if_fail (PVE_IS_REMOTE (remote));

  _pve_info_request_async (manager, remote, "GET", "/cluster/status", NULL,
                           cluster_status_parse_cb, NULL, NULL,
                           (GDestroyNotify) pve_cluster_status_unref,
                           pve_cluster_status_load_async, cancellable, callback, user_data);
}

PveClusterStatus *
pve_cluster_status_load_finish (GAsyncResult  *result,
                                GError       **error)
{
  return _pve_info_request_finish (result, pve_cluster_status_load_async, error);
}

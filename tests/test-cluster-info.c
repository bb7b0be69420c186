/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Cluster info parsers (fixtures, hostile input), loaders and the console launcher against
 * the in-process simulator through a real PveRemoteManager.
 */
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "pve-api.h"
#include "pve-client.h"
#include "pve-cluster-info.h"
#include "pve-console.h"
#include "pve-remote-manager.h"
#include "pve-sim.h"

#include "test-info-fixture.h"

/* Iterates the main context until check(data) holds, failing after 20 s. */
static gboolean
poll_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
wait_until (gboolean (*check) (gpointer),
            gpointer   data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (20, timeout_cb, &timed_out);
  guint poll = g_timeout_add (20, poll_cb, NULL);

  while (!check (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
  g_source_remove (poll);
}

static JsonNode *
request (SimFixture *fx,
         const char *method,
         const char *path,
         GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pve_remote_manager_request_async (fx->manager, fx->remote, method, path, NULL, NULL,
                                    store_result, &result);
  wait_for_result (&result);
  return pve_remote_manager_request_finish (fx->manager, result, NULL, error);
}

/* The node of a guest, from /cluster/resources. */
static char *
guest_node (SimFixture *fx,
            gint64      vmid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = request (fx, "GET", "/cluster/resources", &error);
  g_autoptr(GPtrArray) resources = NULL;

  g_assert_no_error (error);
  resources = pve_api_parse_resources (data, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < resources->len; i++)
    {
      PveResource *r = g_ptr_array_index (resources, i);

      if (r->vmid == vmid)
        return g_strdup (r->node);
    }
  g_assert_not_reached ();
  return NULL;
}

static GPtrArray *
load_tasks (SimFixture *fx)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *tasks;

  pve_cluster_tasks_load_async (fx->manager, fx->remote, NULL, store_result, &result);
  wait_for_result (&result);
  tasks = pve_cluster_tasks_load_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tasks);
  return tasks;
}

static PveClusterTask *
find_task (GPtrArray  *tasks,
           const char *upid)
{
  for (guint i = 0; i < tasks->len; i++)
    {
      PveClusterTask *task = g_ptr_array_index (tasks, i);

      if (g_str_equal (task->upid, upid))
        return task;
    }
  return NULL;
}

/* ---- parsers --------------------------------------------------------------------------- */

static void
test_status_fixture (void)
{
  g_autoptr(JsonNode) data = load_fixture_data ("cluster-status.go-proxmox-pve9x.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(PveClusterStatus) status = pve_cluster_status_parse (data, &error);
  PveClusterNode *first;

  g_assert_no_error (error);
  g_assert_true (status->is_cluster);
  g_assert_cmpstr (status->name, ==, "clustername");
  g_assert_true (status->quorate);
  g_assert_cmpint (status->version, ==, 4);
  g_assert_cmpuint (status->n_nodes, ==, 4);
  g_assert_cmpuint (status->n_online, ==, 4);
  g_assert_cmpuint (status->nodes->len, ==, 4);
  first = g_ptr_array_index (status->nodes, 0);
  g_assert_cmpstr (first->name, ==, "node1");
  g_assert_true (first->local);
  g_assert_cmpstr (first->ip, ==, "192.168.1.1");
}

static void
test_status_hostile (void)
{
  g_autoptr(JsonNode) standalone = json ("[{\"type\":\"node\",\"name\":\"pve\",\"online\":1,"
                                         "\"local\":1},{\"type\":7},\"x\"]");
  g_autoptr(JsonNode) lost = json ("[{\"type\":\"cluster\",\"name\":\"c\",\"quorate\":\"0\","
                                   "\"nodes\":\"3\"},{\"type\":\"node\",\"name\":\"a\","
                                   "\"online\":0},{\"type\":\"node\",\"name\":\"b\","
                                   "\"online\":1}]");
  g_autoptr(JsonNode) wrong = json ("{\"type\":\"cluster\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(PveClusterStatus) s1 = pve_cluster_status_parse (standalone, &error);
  g_autoptr(PveClusterStatus) s2 = NULL;

  g_assert_no_error (error);
  g_assert_false (s1->is_cluster);
  g_assert_null (s1->name);
  g_assert_true (s1->quorate);
  g_assert_cmpuint (s1->n_nodes, ==, 1);
  g_assert_cmpuint (s1->n_online, ==, 1);

  s2 = pve_cluster_status_parse (lost, &error);
  g_assert_no_error (error);
  g_assert_false (s2->quorate);
  g_assert_cmpuint (s2->n_nodes, ==, 3);
  g_assert_cmpuint (s2->n_online, ==, 1);

  g_assert_null (pve_cluster_status_parse (wrong, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
}

static void
test_tasks_fixture (void)
{
  g_autoptr(JsonNode) data = load_fixture_data ("nodes-NODE-tasks.pve-6.4-8.community-proxmox.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tasks = pve_cluster_tasks_parse (data, &error);
  PveClusterTask *newest, *failed;

  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 3);
  newest = g_ptr_array_index (tasks, 0);
  g_assert_cmpint (newest->starttime, ==, 1629092709);
  g_assert_cmpstr (newest->status, ==, "OK");
  g_assert_false (newest->running);
  g_assert_false (newest->failed);
  g_assert_cmpstr (newest->type, ==, "srvreload");
  g_assert_cmpstr (newest->node, ==, "iaclab-01-01");
  failed = g_ptr_array_index (tasks, 1);
  g_assert_true (failed->failed);
  g_assert_cmpstr (failed->status, ==, "command 'ifreload -a' failed: exit code 1");
  g_assert_cmpint (failed->endtime, ==, 1627975785);
}

static void
test_tasks_hostile (void)
{
  g_autoptr(JsonNode) data = json ("[{\"upid\":\"UPID:pve2:00001234:00ABCDEF:6500000A:qmstart:"
                                   "101:root@pam:\",\"starttime\":\"1694498826\"},"
                                   "{\"upid\":5},{\"node\":\"x\"},[],"
                                   "{\"upid\":\"garbage\",\"status\":\"WARNINGS: 2\","
                                   "\"endtime\":12,\"starttime\":11}]");
  g_autoptr(JsonNode) wrong = json ("{\"upid\":\"x\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tasks = pve_cluster_tasks_parse (data, &error);
  PveClusterTask *running, *warned;

  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 2);
  running = g_ptr_array_index (tasks, 0);
  g_assert_true (running->running);
  g_assert_null (running->status);
  g_assert_cmpint (running->endtime, ==, -1);
  g_assert_cmpstr (running->node, ==, "pve2");
  g_assert_cmpstr (running->type, ==, "qmstart");
  g_assert_cmpstr (running->id, ==, "101");
  g_assert_cmpstr (running->user, ==, "root@pam");
  warned = g_ptr_array_index (tasks, 1);
  g_assert_false (warned->running);
  g_assert_false (warned->failed);
  g_assert_cmpstr (warned->node, ==, "");

  g_assert_null (pve_cluster_tasks_parse (wrong, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
}

static void
test_access_parse (void)
{
  g_autoptr(JsonNode) users = json ("[{\"userid\":\"root@pam\",\"enable\":1,\"expire\":0},"
                                    "{\"userid\":\"bob@pve\",\"enable\":\"0\",\"groups\":"
                                    "[\"admins\",\"ops\",3],\"email\":\"b@x\"},"
                                    "{\"userid\":\"ann@pve\",\"groups\":\"dev\"},{\"enable\":1}]");
  g_autoptr(JsonNode) acl = json ("[{\"path\":\"/vms/100\",\"roleid\":\"PVEVMUser\","
                                  "\"type\":\"group\",\"ugid\":\"ops\",\"propagate\":0},"
                                  "{\"path\":\"/\",\"roleid\":\"Administrator\",\"type\":"
                                  "\"user\",\"ugid\":\"root@pam\"},{\"path\":\"/x\"}]");
  g_autoptr(JsonNode) notes = json ("{\"description\":\"Rack 4\\nCall Bob\",\"keyboard\":\"en\"}");
  g_autoptr(JsonNode) no_notes = json ("{\"keyboard\":\"en\"}");
  g_autoptr(JsonNode) wrong = json ("\"x\"");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) u = pve_user_list_parse (users, &error);
  g_autoptr(GPtrArray) a = NULL;
  g_autofree char *n1 = NULL;
  g_autofree char *n2 = NULL;
  PveUser *bob;
  PveAclEntry *root;

  g_assert_no_error (error);
  g_assert_cmpuint (u->len, ==, 3);
  g_assert_cmpstr (((PveUser *) g_ptr_array_index (u, 0))->userid, ==, "ann@pve");
  g_assert_cmpstr (((PveUser *) g_ptr_array_index (u, 0))->groups, ==, "dev");
  bob = g_ptr_array_index (u, 1);
  g_assert_false (bob->enabled);
  g_assert_cmpstr (bob->groups, ==, "admins,ops");
  g_assert_true (((PveUser *) g_ptr_array_index (u, 2))->enabled);

  a = pve_acl_parse (acl, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->len, ==, 2);
  root = g_ptr_array_index (a, 0);
  g_assert_cmpstr (root->path, ==, "/");
  g_assert_true (root->propagate);
  g_assert_false (((PveAclEntry *) g_ptr_array_index (a, 1))->propagate);

  n1 = pve_cluster_notes_parse (notes, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (n1, ==, "Rack 4\nCall Bob");
  n2 = pve_cluster_notes_parse (no_notes, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (n2, ==, "");

  g_assert_null (pve_user_list_parse (wrong, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_null (pve_acl_parse (wrong, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_null (pve_cluster_notes_parse (wrong, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
}

static void
test_console_vv (void)
{
  g_autoptr(JsonNode) data = json ("{\"type\":\"spice\",\"host\":\"pvespiceproxy:abc\","
                                   "\"password\":\"secret\",\"tls-port\":61000,\"proxy\":"
                                   "\"http://192.168.1.2:3128\",\"ca\":\"-----BEGIN\\\\n\","
                                   "\"title\":\"VM 100\\npassword=evil\",\"bad key\":\"x\","
                                   "\"delete-this-file\":0,\"secure-attention\":\"Ctrl+Alt+Ins\"}");
  g_autoptr(JsonNode) wrong = json ("[\"host\"]");
  g_autoptr(GError) error = NULL;
  g_autofree char *vv = pve_console_build_vv (data, &error);

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (vv, "[virt-viewer]\n"));
  g_assert_nonnull (strstr (vv, "\nhost=pvespiceproxy:abc\n"));
  g_assert_nonnull (strstr (vv, "\npassword=secret\n"));
  g_assert_nonnull (strstr (vv, "\ntls-port=61000\n"));
  g_assert_nonnull (strstr (vv, "\nca=-----BEGIN\\n\n"));
  /* A line break in a value cannot add a key. */
  g_assert_nonnull (strstr (vv, "\ntitle=VM 100\\npassword=evil\n"));
  g_assert_null (strstr (vv, "\npassword=evil"));
  g_assert_null (strstr (vv, "bad key"));
  g_assert_null (strstr (vv, "delete-this-file=0"));
  g_assert_true (g_str_has_suffix (vv, "\ndelete-this-file=1\n"));

  g_assert_null (pve_console_build_vv (wrong, &error));
  g_assert_error (error, PVE_CONSOLE_ERROR, PVE_CONSOLE_ERROR_INVALID);
}

/* ---- loaders --------------------------------------------------------------------------- */

typedef struct
{
  SimFixture *fx;
  const char *upid;
} TaskWait;

static gboolean
task_ended (gpointer data)
{
  TaskWait *wait = data;
  g_autoptr(GPtrArray) tasks = load_tasks (wait->fx);
  PveClusterTask *task = find_task (tasks, wait->upid);

  return task != NULL && !task->running;
}

static char *
guest_action (SimFixture *fx,
              gint64      vmid,
              const char *action)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *node = guest_node (fx, vmid);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, vmid);
  g_autofree char *path = pve_client_build_path ("nodes", node, "qemu", id, "status", action,
                                                 NULL);
  g_autoptr(JsonNode) data = request (fx, "POST", path, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_VALUE (data));
  return g_strdup (json_node_get_string (data));
}

static void
test_load_tasks (SimFixture    *fx,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PveLogPage) log = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *upid = NULL;
  g_autofree char *failed_upid = NULL;
  PveClusterTask *task;
  TaskWait wait = { fx, NULL };
  gint64 vmid = pve_sim_find_guest (fx->sim, "qemu", "stopped");

  g_assert_cmpint (vmid, >, 0);
  pve_sim_set_task_duration_ms (fx->sim, 3000);
  upid = guest_action (fx, vmid, "start");

  tasks = load_tasks (fx);
  task = find_task (tasks, upid);
  g_assert_nonnull (task);
  g_assert_true (task->running);
  g_assert_null (task->status);
  g_assert_cmpint (task->endtime, ==, -1);
  g_assert_cmpstr (task->type, ==, "qmstart");
  g_assert_cmpint (g_ascii_strtoll (task->id, NULL, 10), ==, vmid);
  g_assert_cmpstr (task->user, ==, "root@pam");
  g_assert_cmpint (task->starttime, >, 0);

  /* The task log, with the UPID percent-encoded in the path (the sim unescapes it). */
  pve_task_log_load_async (fx->manager, fx->remote, NULL, upid, 0, 0, NULL, store_result, &result);
  wait_for_result (&result);
  log = pve_task_log_load_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->lines->len, >, 0);

  wait.upid = upid;
  wait_until (task_ended, &wait);

  /* A task that fails shows its exit status. */
  pve_sim_set_task_duration_ms (fx->sim, 100);
  pve_sim_set_task_failure (fx->sim, vmid, "command 'qm stop' failed: exit code 1");
  failed_upid = guest_action (fx, vmid, "stop");
  wait.upid = failed_upid;
  wait_until (task_ended, &wait);

  after = load_tasks (fx);
  task = find_task (after, upid);
  g_assert_false (task->running);
  g_assert_false (task->failed);
  g_assert_cmpint (task->endtime, >=, task->starttime);
  task = find_task (after, failed_upid);
  g_assert_true (task->failed);
  g_assert_cmpstr (task->status, ==, "command 'qm stop' failed: exit code 1");
}

static void
test_load_access (SimFixture    *fx,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL, acl = NULL;
  g_autoptr(PveClusterStatus) status = NULL;
  g_autofree char *notes = NULL;
  gboolean saw_root = FALSE, saw_audit = FALSE;

  pve_user_list_load_async (fx->manager, fx->remote, NULL, store_result, &r1);
  pve_acl_load_async (fx->manager, fx->remote, NULL, store_result, &r2);
  pve_cluster_notes_load_async (fx->manager, fx->remote, NULL, store_result, &r3);
  pve_cluster_status_load_async (fx->manager, fx->remote, NULL, store_result, &r4);
  wait_for_result (&r1);
  wait_for_result (&r2);
  wait_for_result (&r3);
  wait_for_result (&r4);

  users = pve_user_list_load_finish (r1, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < users->len; i++)
    {
      PveUser *user = g_ptr_array_index (users, i);

      saw_root |= g_str_equal (user->userid, "root@pam");
      saw_audit |= g_str_equal (user->userid, "audit@pve");
    }
  g_assert_true (saw_root);
  g_assert_true (saw_audit);

  acl = pve_acl_load_finish (r2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (acl->len, >, 0);
  for (guint i = 0; i < acl->len; i++)
    {
      PveAclEntry *entry = g_ptr_array_index (acl, i);

      g_assert_true (g_str_has_prefix (entry->path, "/"));
      g_assert_nonnull (entry->roleid);
    }

  notes = pve_cluster_notes_load_finish (r3, &error);
  g_assert_no_error (error);
  g_assert_nonnull (notes);

  status = pve_cluster_status_load_finish (r4, &error);
  g_assert_no_error (error);
  g_assert_true (status->is_cluster);
  g_assert_nonnull (status->name);
  g_assert_true (status->quorate);
  g_assert_cmpuint (status->n_nodes, ==, 3);
  g_assert_cmpuint (status->n_online, ==, 2);
}

static void
test_load_wrong_types (SimFixture    *fx,
                       gconstpointer  data)
{
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL;
  g_autoptr(GError) error = NULL;

  pve_sim_set_fault (fx->sim, "/cluster/tasks", PVE_SIM_FAULT_WRONG_TYPES, 1);
  pve_cluster_tasks_load_async (fx->manager, fx->remote, NULL, store_result, &r1);
  wait_for_result (&r1);
  g_assert_null (pve_cluster_tasks_load_finish (r1, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
  g_clear_error (&error);

  pve_sim_set_fault (fx->sim, "/cluster/status", PVE_SIM_FAULT_WRONG_TYPES, 1);
  pve_cluster_status_load_async (fx->manager, fx->remote, NULL, store_result, &r2);
  wait_for_result (&r2);
  g_assert_null (pve_cluster_status_load_finish (r2, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
}

static void
test_load_not_connected (SimFixture    *fx,
                         gconstpointer  data)
{
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL;
  g_autoptr(GError) error = NULL;

  pve_remote_manager_disconnect (fx->manager, fx->remote);
  pve_sim_clear_requests (fx->sim);

  pve_cluster_tasks_load_async (fx->manager, fx->remote, NULL, store_result, &r1);
  pve_user_list_load_async (fx->manager, fx->remote, NULL, store_result, &r2);
  pve_cluster_status_load_async (fx->manager, fx->remote, NULL, store_result, &r3);
  wait_for_result (&r1);
  wait_for_result (&r2);
  wait_for_result (&r3);
  g_assert_null (pve_cluster_tasks_load_finish (r1, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED);
  g_clear_error (&error);
  g_assert_null (pve_user_list_load_finish (r2, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED);
  g_clear_error (&error);
  g_assert_null (pve_cluster_status_load_finish (r3, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED);

  g_assert_cmpuint (pve_sim_get_request_count (fx->sim), ==, 0);
}

/* ---- console --------------------------------------------------------------------------- */

static guint
count_vv_files (void)
{
  g_autoptr(GDir) dir = g_dir_open (g_get_user_runtime_dir (), 0, NULL);
  const char *name;
  guint n = 0;

  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".vv"))
      n++;
  return n;
}

static void
test_console_no_viewer (SimFixture    *fx,
                        gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_path = g_strdup (g_getenv ("PATH"));
  g_autofree char *empty = g_dir_make_tmp ("pve-no-viewer-XXXXXX", &error);
  gint64 vmid = pve_sim_find_guest (fx->sim, "qemu", "running");
  g_autofree char *node = NULL;

  g_assert_no_error (error);
  node = guest_node (fx, vmid);
  pve_sim_clear_requests (fx->sim);
  g_setenv ("PATH", empty, TRUE);

  pve_console_open_async (fx->manager, fx->remote, node, vmid, NULL, store_result, &result);
  wait_for_result (&result);
  g_setenv ("PATH", old_path, TRUE);

  g_assert_false (pve_console_open_finish (result, &error));
  g_assert_error (error, PVE_CONSOLE_ERROR, PVE_CONSOLE_ERROR_NO_VIEWER);
  g_assert_nonnull (strstr (error->message, "virt-viewer"));
  g_assert_cmpuint (count_vv_files (), ==, 0);
  g_assert_cmpuint (count_requests (fx->sim, "/nodes"), ==, 0);
  g_rmdir (empty);
}

typedef struct
{
  const char *path;
  gboolean    exists;
} FileWait;

static gboolean
file_state_reached (gpointer data)
{
  FileWait *wait = data;

  return g_file_test (wait->path, G_FILE_TEST_EXISTS) == wait->exists;
}

static void
test_console_launch (SimFixture    *fx,
                     gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_path = g_strdup (g_getenv ("PATH"));
  g_autofree char *bindir = g_dir_make_tmp ("pve-viewer-XXXXXX", &error);
  g_autofree char *script = g_build_filename (bindir, "remote-viewer", NULL);
  g_autofree char *out = g_build_filename (bindir, "out", NULL);
  g_autofree char *done = g_build_filename (bindir, "out.done", NULL);
  g_autofree char *new_path = g_strdup_printf ("%s:/usr/bin:/bin", bindir);
  g_autofree char *copy_path = g_build_filename (bindir, "out.vv", NULL);
  g_autofree char *mode_path = g_build_filename (bindir, "out.mode", NULL);
  g_autofree char *arg_path = g_build_filename (bindir, "out.arg", NULL);
  g_autofree char *contents = NULL, *mode = NULL, *arg = NULL;
  g_autofree char *node = NULL;
  gint64 vmid = pve_sim_find_guest (fx->sim, "qemu", "running");
  FileWait wait;

  g_assert_no_error (error);
  node = guest_node (fx, vmid);
  g_file_set_contents (script,
                       "#!/bin/sh\n"
                       "stat -c %a \"$1\" > \"$PVE_TEST_VIEWER_OUT.mode\"\n"
                       "cp \"$1\" \"$PVE_TEST_VIEWER_OUT.vv\"\n"
                       "printf %s \"$1\" > \"$PVE_TEST_VIEWER_OUT.arg\"\n"
                       "touch \"$PVE_TEST_VIEWER_OUT.done\"\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (script, 0700), ==, 0);
  g_setenv ("PVE_TEST_VIEWER_OUT", out, TRUE);
  g_setenv ("PATH", new_path, TRUE);

  pve_console_open_async (fx->manager, fx->remote, node, vmid, NULL, store_result, &result);
  wait_for_result (&result);
  g_setenv ("PATH", old_path, TRUE);
  pve_console_open_finish (result, &error);
  g_assert_no_error (error);

  wait.path = done;
  wait.exists = TRUE;
  wait_until (file_state_reached, &wait);

  g_file_get_contents (mode_path, &mode, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_strstrip (mode), ==, "600");
  g_file_get_contents (copy_path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "[virt-viewer]\n"));
  g_assert_nonnull (strstr (contents, "\nhost="));
  g_assert_nonnull (strstr (contents, "\npassword="));
  g_assert_nonnull (strstr (contents, "\ndelete-this-file=1\n"));
  g_file_get_contents (arg_path, &arg, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (arg, g_get_user_runtime_dir ()));
  g_assert_cmpuint (count_requests (fx->sim, "/nodes/"), >=, 1);

  /* Once the viewer has exited nothing with the password is left behind. */
  wait.path = arg;
  wait.exists = FALSE;
  wait_until (file_state_reached, &wait);
  g_assert_cmpuint (count_vv_files (), ==, 0);

  g_unlink (script);
  g_unlink (done);
  g_unlink (copy_path);
  g_unlink (mode_path);
  g_unlink (arg_path);
  g_rmdir (bindir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pve/cluster-info/status/fixture", test_status_fixture);
  g_test_add_func ("/pve/cluster-info/status/hostile", test_status_hostile);
  g_test_add_func ("/pve/cluster-info/tasks/fixture", test_tasks_fixture);
  g_test_add_func ("/pve/cluster-info/tasks/hostile", test_tasks_hostile);
  g_test_add_func ("/pve/cluster-info/access/parse", test_access_parse);
  g_test_add_func ("/pve/console/vv-file", test_console_vv);

#define ADD_SIM(path, func) \
  g_test_add (path, SimFixture, NULL, sim_fixture_setup, func, sim_fixture_teardown)
  ADD_SIM ("/pve/cluster-info/load/tasks", test_load_tasks);
  ADD_SIM ("/pve/cluster-info/load/access", test_load_access);
  ADD_SIM ("/pve/cluster-info/load/wrong-types", test_load_wrong_types);
  ADD_SIM ("/pve/cluster-info/load/not-connected", test_load_not_connected);
  ADD_SIM ("/pve/console/no-viewer", test_console_no_viewer);
  ADD_SIM ("/pve/console/launch", test_console_launch);
#undef ADD_SIM

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Faults, as the app meets them: the real simulator over real TLS, a real PveRemoteManager
 * (temporary key file, the isolated session's keyring), the real guest list and tasks.
 *
 *   restart      all tickets invalid mid-session -> one transparent re-login, no failed request
 *   reset        connection reset / cut off during a power action -> a clear error, the
 *                remote's state and the guest's busy flag truthful, the guest's status true
 *   hang         a server that never answers -> TIMEOUT, the main loop never stalls > 100 ms
 *   huge         a 50 MB answer -> TOO_LARGE with the app's default cap, RSS bounded
 *   malformed    not-JSON on every endpoint the app and the CLI call -> PARSE, said clearly
 *   cert-swap    a new certificate -> TLS_CHANGED, and no request with the old ticket is sent
 */
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "pve-guest-list.h"
#include "pve-remote-manager.h"
#include "pve-sim.h"
#include "pve-task.h"
#include "loop-probe.h"
#include "test-util.h"

#define WAIT_MS 20000

typedef struct
{
  PveSim           *sim;
  char             *dir;
  char             *path;
  PveRemoteManager *manager;
  PveRemote        *remote;
  PveGuestList     *list;
  guint             n_refreshed;
  guint             n_remote_errors;
  GError           *last_remote_error;
  guint             n_state_changes;
} Fixture;

/* ---- helpers --------------------------------------------------------------------------- */

static void
on_refreshed (PveGuestList *list,
              PveRemote    *remote,
              Fixture      *f)
{
  f->n_refreshed++;
}

static void
on_remote_error (PveGuestList *list,
                 PveRemote    *remote,
                 GError       *error,
                 Fixture      *f)
{
  f->n_remote_errors++;
  g_clear_error (&f->last_remote_error);
  f->last_remote_error = g_error_copy (error);
}

static void
on_state (PveRemote  *remote,
          GParamSpec *pspec,
          Fixture    *f)
{
  f->n_state_changes++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PveRemoteStore) store = NULL;
  g_autoptr(PveSecrets) secrets = NULL;

  f->sim = pve_sim_new (3, 12, 7);
  g_assert_cmpuint (pve_sim_listen (f->sim, 0, &error), >, 0);
  g_assert_no_error (error);
  pve_sim_set_task_duration_ms (f->sim, 100);

  f->dir = g_dir_make_tmp ("pve-faults-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "remotes.ini", NULL);
  store = pve_remote_store_new (f->path);
  secrets = pve_secrets_new ();
  f->manager = pve_remote_manager_new (store, secrets);
  /* Shorter than the app's (the hang test shortens the request timeout further). */
  pve_remote_manager_set_timeouts (f->manager, 10, 15);
  pve_remote_manager_set_heartbeat_interval (f->manager, 0);

  pve_remote_manager_load_async (f->manager, NULL, pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  g_assert_true (pve_remote_manager_load_finish (f->manager, result, &error));
  g_clear_object (&result);

  f->remote = pve_remote_new ();
  pve_remote_set_name (f->remote, "faulty");
  pve_remote_set_host (f->remote, "127.0.0.1");
  pve_remote_set_port (f->remote, pve_sim_get_port (f->sim));
  pve_remote_set_user (f->remote, "root");
  pve_remote_set_realm (f->remote, "pam");
  pve_remote_set_fingerprint (f->remote, pve_sim_get_fingerprint (f->sim));
  pve_remote_manager_add_async (f->manager, f->remote, PVE_SIM_ROOT_PASSWORD, NULL,
                                pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  g_assert_true (pve_remote_manager_add_finish (f->manager, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pve_remote_get_state (f->remote), ==, PVE_REMOTE_STATE_CONNECTED);
  g_signal_connect (f->remote, "notify::state", G_CALLBACK (on_state), f);
}

static void
start_guest_list (Fixture *f)
{
  f->list = pve_guest_list_new (f->manager);
  pve_guest_list_set_refresh_interval (f->list, 0);
  g_signal_connect (f->list, "refreshed", G_CALLBACK (on_refreshed), f);
  g_signal_connect (f->list, "remote-error", G_CALLBACK (on_remote_error), f);
  pve_guest_list_refresh_now (f->list);
  pve_test_wait_until (f->n_refreshed >= 1, WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 12);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (f->list != NULL)
    g_assert_finalize_object (g_steal_pointer (&f->list));
  g_signal_handlers_disconnect_by_data (f->remote, f);
  pve_sim_clear_faults (f->sim);
  /* Leave the keyring as we found it. */
  pve_remote_manager_remove_async (f->manager, f->remote, NULL, pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  pve_remote_manager_remove_finish (f->manager, result, NULL);
  g_clear_object (&f->remote);
  g_clear_object (&f->manager);
  pve_sim_stop (f->sim);
  g_clear_object (&f->sim);
  g_clear_error (&f->last_remote_error);
  g_unlink (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static JsonNode *
request (Fixture    *f,
         const char *method,
         const char *path,
         GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pve_remote_manager_request_async (f->manager, f->remote, method, path, NULL, NULL,
                                    pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  return pve_remote_manager_request_finish (f->manager, result, NULL, error);
}

static guint
count_requests (PveSim     *sim,
                const char *method,
                const char *path)
{
  GPtrArray *requests = pve_sim_get_requests (sim);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      PveSimRequest *r = g_ptr_array_index (requests, i);

      if (g_str_equal (r->method, method) && g_str_equal (r->path, path))
        n++;
    }
  return n;
}

static PveGuest *
find_guest (Fixture    *f,
            const char *type,
            const char *status)
{
  gint64 vmid = pve_sim_find_guest (f->sim, type, status);
  PveGuest *guest;

  g_assert_cmpint (vmid, >, 0);
  guest = pve_guest_list_lookup_vmid (f->list, f->remote, vmid);
  g_assert_nonnull (guest);
  g_assert_cmpstr (pve_guest_get_status (guest), ==, status);
  return guest;
}

/* Words of the old client that said nothing: never again. */
static void
assert_clear_message (const GError *error)
{
  g_autofree char *lower = g_utf8_strdown (error->message, -1);

  g_assert_cmpuint (strlen (error->message), >, 15);
  g_assert_null (strstr (lower, "invalid response format"));
  g_assert_null (strstr (lower, "missing field"));
  g_assert_null (strstr (lower, "unknown error"));
  g_assert_null (strstr (lower, "(null)"));
}

/* ---- restart ------------------------------------------------------------------------- */

static void
restart_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  guint *pending = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = pve_remote_manager_request_finish (PVE_REMOTE_MANAGER (object),
                                                                result, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  (*pending)--;
}

/* The server restarted: every ticket is gone. Five requests in flight at that moment, the
 * guest list and a power action all go through with one re-login between them. */
static void
test_restart (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PveTask) task = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  const char *paths[] = { "/version", "/cluster/resources", "/cluster/status", "/nodes",
                          "/cluster/tasks" };
  guint pending = G_N_ELEMENTS (paths);
  guint logins_before, refreshed;
  PveGuest *guest;

  start_guest_list (f);
  logins_before = count_requests (f->sim, "POST", "/access/ticket");

  pve_sim_invalidate_tickets (f->sim);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    pve_remote_manager_request_async (f->manager, f->remote, "GET", paths[i], NULL, NULL,
                                      restart_done_cb, &pending);
  pve_test_wait_until (pending == 0, WAIT_MS);
  g_assert_cmpuint (count_requests (f->sim, "POST", "/access/ticket"), ==, logins_before + 1);

  /* Again, now through the guest list and a task. */
  pve_sim_invalidate_tickets (f->sim);
  refreshed = f->n_refreshed;
  pve_guest_list_refresh_now (f->list);
  pve_test_wait_until (f->n_refreshed > refreshed, WAIT_MS);
  g_assert_cmpuint (count_requests (f->sim, "POST", "/access/ticket"), ==, logins_before + 2);
  guest = find_guest (f, "qemu", "stopped");
  pve_sim_invalidate_tickets (f->sim);
  task = pve_task_new (f->manager, guest, "start");
  pve_task_set_poll_interval (task, 50);
  pve_task_run_async (task, NULL, pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  g_assert_true (pve_task_run_finish (task, result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pve_sim_get_guest_status (f->sim, pve_guest_get_vmid (guest)), ==, "running");

  g_assert_cmpuint (f->n_remote_errors, ==, 0);
  g_assert_cmpuint (f->n_state_changes, ==, 0);
  g_assert_cmpint (pve_remote_get_state (f->remote), ==, PVE_REMOTE_STATE_CONNECTED);
  g_assert_cmpuint (count_requests (f->sim, "POST", "/access/ticket"), ==, logins_before + 3);
}

/* ---- reset during an action ------------------------------------------------------------ */

static void
run_action_with_fault (Fixture     *f,
                       PveSimFault  fault)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PveTask) task = NULL;
  g_autoptr(PveGuest) guest = NULL;
  g_autofree char *prefix = NULL;
  gint64 vmid;

  start_guest_list (f);
  guest = g_object_ref (find_guest (f, "qemu", "stopped"));
  vmid = pve_guest_get_vmid (guest);
  prefix = g_strdup_printf ("/nodes/%s/qemu/%" G_GINT64_FORMAT "/status/start",
                            pve_guest_get_node (guest), vmid);
  pve_sim_set_fault (f->sim, prefix, fault, 1);

  task = pve_task_new (f->manager, guest, "start");
  pve_task_set_poll_interval (task, 50);
  pve_task_run_async (task, NULL, pve_test_store_result, &result);
  g_assert_true (pve_guest_get_busy (guest));
  pve_test_await (&result, WAIT_MS);
  g_assert_false (pve_task_run_finish (task, result, &error));

  /* A clear error, and the truth: not busy, the action did not reach the server, and the
   * remote says the connection was lost (Reconnect is offered), with the reason. */
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NETWORK);
  assert_clear_message (error);
  g_test_message ("action error: %s", error->message);
  g_assert_false (pve_guest_get_busy (guest));
  g_assert_cmpint (pve_task_get_state (task), ==, PVE_TASK_STATE_FAILED);
  g_assert_cmpstr (pve_sim_get_guest_status (f->sim, vmid), ==, "stopped");
  g_assert_cmpint (pve_remote_get_state (f->remote), ==, PVE_REMOTE_STATE_FAILED);
  g_assert_nonnull (strstr (pve_remote_get_last_error (f->remote), error->message));
  g_assert_null (pve_remote_manager_get_client (f->manager, f->remote));
  /* A failed remote has no guests in the list: nothing stale is shown as current. */
  g_assert_null (pve_guest_list_lookup_vmid (f->list, f->remote, vmid));

  /* Reconnect: the guest is back, with the status the server really has. */
  g_clear_object (&result);
  pve_remote_manager_connect_async (f->manager, f->remote, NULL, FALSE, NULL,
                                    pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  g_assert_true (pve_remote_manager_connect_finish (f->manager, result, &error));
  pve_test_wait_until (pve_guest_list_lookup_vmid (f->list, f->remote, vmid) != NULL, WAIT_MS);
  g_assert_cmpstr (pve_guest_get_status (pve_guest_list_lookup_vmid (f->list, f->remote, vmid)),
                   ==, "stopped");
  g_assert_false (pve_guest_get_busy (pve_guest_list_lookup_vmid (f->list, f->remote, vmid)));
}

static void
test_reset_action (Fixture       *f,
                   gconstpointer  data)
{
  run_action_with_fault (f, PVE_SIM_FAULT_RESET);
}

static void
test_truncated_action (Fixture       *f,
                       gconstpointer  data)
{
  run_action_with_fault (f, PVE_SIM_FAULT_TRUNCATED);
}

/* ---- hang ------------------------------------------------------------------------------ */

static void
test_hang (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  LoopProbe probe;
  gint64 started;

  /* A 2 s request timeout, for a session made from now on. */
  pve_remote_manager_set_timeouts (f->manager, 10, 2);
  pve_remote_manager_disconnect (f->manager, f->remote);
  pve_remote_manager_connect_async (f->manager, f->remote, NULL, FALSE, NULL,
                                    pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  g_assert_true (pve_remote_manager_connect_finish (f->manager, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  loop_probe_start (&probe);

  pve_sim_set_fault (f->sim, "/cluster/resources", PVE_SIM_FAULT_HANG, 0);
  started = g_get_monotonic_time ();
  pve_remote_manager_request_async (f->manager, f->remote, "GET", "/cluster/resources", NULL,
                                    NULL, pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  node = pve_remote_manager_request_finish (f->manager, result, NULL, &error);
  g_assert_null (node);
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TIMEOUT);
  assert_clear_message (error);
  g_test_message ("after %.2f s: %s, longest main-loop gap %.1f ms (%.1f ms with waiting "
                  "for a CPU)", (g_get_monotonic_time () - started) / 1e6, error->message,
                  probe.longest / 1000.0, probe.longest_raw / 1000.0);
  /* The request timeout is 2 s (a seconds timer: it may fire up to 1 s early or late). */
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 1 * G_USEC_PER_SEC);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 6 * G_USEC_PER_SEC);
  g_assert_cmpint (probe.longest, <, 100 * 1000);

  /* The guest list meets the same hang: it reports TIMEOUT and keeps the loop running. */
  loop_probe_reset (&probe);
  f->list = pve_guest_list_new (f->manager);
  pve_guest_list_set_refresh_interval (f->list, 0);
  g_signal_connect (f->list, "remote-error", G_CALLBACK (on_remote_error), f);
  pve_guest_list_refresh_now (f->list);
  pve_test_wait_until (f->n_remote_errors == 1, WAIT_MS);
  g_assert_error (f->last_remote_error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TIMEOUT);
  g_test_message ("guest list: longest main-loop gap %.1f ms (%.1f ms with waiting for a CPU)",
                  probe.longest / 1000.0, probe.longest_raw / 1000.0);
  g_assert_cmpint (probe.longest, <, 100 * 1000);

  /* A timeout is not a lost session: the next answer comes through. */
  pve_sim_clear_faults (f->sim);
  g_clear_pointer (&node, json_node_unref);
  g_clear_error (&error);
  node = request (f, "GET", "/cluster/resources", &error);
  g_assert_no_error (error);
  loop_probe_stop (&probe);
}

/* ---- huge ------------------------------------------------------------------------------ */

static gsize
rss_bytes (void)
{
  g_autofree char *statm = NULL;
  unsigned long size = 0, resident = 0;

  g_assert_true (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL));
  g_assert_cmpint (sscanf (statm, "%lu %lu", &size, &resident), ==, 2);
  return (gsize)resident * (gsize)sysconf (_SC_PAGESIZE);
}

static void
test_huge (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gsize before, after;

  /* Plain and gzip: the cap applies to what is decoded either way. */
  for (guint round = 0; round < 2; round++)
    {
      pve_sim_set_gzip (f->sim, round == 1);
      pve_sim_set_fault_size (f->sim, 50 * 1000 * 1000);
      pve_sim_set_fault (f->sim, "/cluster/resources", PVE_SIM_FAULT_HUGE, 1);

      before = rss_bytes ();
      node = request (f, "GET", "/cluster/resources", &error);
      after = rss_bytes ();
      g_assert_null (node);
      g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TOO_LARGE);
      assert_clear_message (error);
      g_test_message ("%s: %s; RSS %zu -> %zu KiB", round ? "gzip" : "plain", error->message,
                      before / 1024, after / 1024);
      g_assert_cmpuint (after, <, before + 20 * 1024 * 1024);
      g_clear_error (&error);

      /* Still connected and working. */
      g_assert_cmpint (pve_remote_get_state (f->remote), ==, PVE_REMOTE_STATE_CONNECTED);
      node = request (f, "GET", "/version", &error);
      g_assert_no_error (error);
      g_clear_pointer (&node, json_node_unref);
    }
}

/* ---- malformed JSON on every endpoint ----------------------------------------------------- */

/* Every path the app, the core and the CLI call (grep '"/' src/ and pve_client_build_path in
 * src/): login (below), /version (probe, heartbeat, CLI check), cluster resources/status/
 * tasks/options, users and ACLs, nodes and a node's status/storage/network/subscription/
 * syslog/rrddata, a guest's rrddata/snapshots/status, a power action, the SPICE proxy, a
 * task's status and log. */
static void
test_malformed (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PveTask) task = NULL;
  g_autofree char *action_path = NULL;
  g_autofree char *upid = NULL;
  PveGuest *guest;
  JsonNode *node;

  start_guest_list (f);
  guest = find_guest (f, "qemu", "stopped");
  action_path = g_strdup_printf ("/nodes/%s/qemu/%" G_GINT64_FORMAT "/status/start",
                                 pve_guest_get_node (guest), pve_guest_get_vmid (guest));

  /* A real task to ask about. */
  node = request (f, "POST", action_path, &error);
  g_assert_no_error (error);
  upid = g_strdup (json_node_get_string (node));
  json_node_unref (node);

  {
    const char *node_name = pve_guest_get_node (guest);
    g_autofree char *vmid = g_strdup_printf ("%" G_GINT64_FORMAT, pve_guest_get_vmid (guest));
    g_autoptr(GPtrArray) endpoints = g_ptr_array_new_with_free_func (g_free);

#define EP(method, path) g_ptr_array_add (endpoints, g_strconcat (method, " ", path, NULL))
#define EP_NODE(method, ...) G_STMT_START {                                          \
      g_autofree char *p_ = pve_client_build_path ("nodes", node_name, __VA_ARGS__, NULL); \
      EP (method, p_);                                                               \
    } G_STMT_END
    /* core: manager heartbeat, guest list, tasks, node and cluster info, console;
     * CLI: check, guests, nodes, status, power actions, tasks */
    EP ("GET", "/version");
    EP ("GET", "/cluster/resources");
    EP ("GET", "/cluster/status");
    EP ("GET", "/cluster/tasks");
    EP ("GET", "/cluster/options");
    EP ("GET", "/access/users");
    EP ("GET", "/access/acl");
    EP ("GET", "/nodes");
    EP_NODE ("GET", "status");
    EP_NODE ("GET", "storage");
    EP_NODE ("GET", "network");
    EP_NODE ("GET", "subscription");
    EP_NODE ("GET", "syslog");
    EP_NODE ("GET", "rrddata");
    EP_NODE ("GET", "qemu", vmid, "rrddata");
    EP_NODE ("GET", "qemu", vmid, "snapshot");
    EP_NODE ("GET", "qemu", vmid, "status", "current");
    EP_NODE ("POST", "qemu", vmid, "status", "start");
    EP_NODE ("POST", "qemu", vmid, "spiceproxy");
    EP_NODE ("GET", "tasks", upid, "status");
    EP_NODE ("GET", "tasks", upid, "log");
#undef EP_NODE
#undef EP

    for (guint i = 0; i < endpoints->len; i++)
      {
        g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (endpoints, i), " ", 2);
        /* The simulator matches faults on the unescaped path. */
        g_autofree char *fault_path = g_uri_unescape_string (parts[1], NULL);

        pve_sim_set_fault (f->sim, fault_path, PVE_SIM_FAULT_MALFORMED_JSON, 1);
        node = request (f, parts[0], parts[1], &error);
        g_assert_null (node);
        g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
        assert_clear_message (error);
        g_test_message ("%s %s: %s", parts[0], parts[1], error->message);
        g_clear_error (&error);
        g_assert_cmpint (pve_remote_get_state (f->remote), ==, PVE_REMOTE_STATE_CONNECTED);
      }
    g_assert_cmpuint (endpoints->len, ==, 21);
  }

  /* The same through the parts of the app that use them. The guest list: */
  pve_sim_set_fault (f->sim, "/cluster/resources", PVE_SIM_FAULT_MALFORMED_JSON, 1);
  pve_guest_list_refresh_now (f->list);
  pve_test_wait_until (f->n_remote_errors == 1, WAIT_MS);
  g_assert_error (f->last_remote_error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 12);

  /* A task whose action answer is not JSON, then one whose status answer is not (on a
   * container: the VM above may be running by now). */
  guest = find_guest (f, "lxc", "stopped");
  g_free (action_path);
  action_path = g_strdup_printf ("/nodes/%s/lxc/%" G_GINT64_FORMAT "/status/start",
                                 pve_guest_get_node (guest), pve_guest_get_vmid (guest));
  pve_sim_set_fault (f->sim, action_path, PVE_SIM_FAULT_MALFORMED_JSON, 1);
  task = pve_task_new (f->manager, guest, "start");
  pve_task_run_async (task, NULL, pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  g_assert_false (pve_task_run_finish (task, result, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
  assert_clear_message (error);
  g_assert_false (pve_guest_get_busy (guest));
  g_clear_error (&error);
  g_clear_object (&result);
  g_clear_object (&task);

  pve_sim_clear_faults (f->sim);
  {
    g_autofree char *prefix = g_strdup_printf ("/nodes/%s/tasks/", pve_guest_get_node (guest));

    pve_sim_set_fault (f->sim, prefix, PVE_SIM_FAULT_MALFORMED_JSON, 1);
  }
  task = pve_task_new (f->manager, guest, "start");
  pve_task_set_poll_interval (task, 50);
  pve_task_run_async (task, NULL, pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  g_assert_false (pve_task_run_finish (task, result, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
  assert_clear_message (error);
  g_assert_false (pve_guest_get_busy (guest));
  g_clear_error (&error);

  /* The login answer: adding a remote fails with PARSE and saves nothing. */
  {
    g_autoptr(PveRemote) draft = pve_remote_new ();
    g_autofree char *contents = NULL;

    pve_remote_set_name (draft, "garbled");
    pve_remote_set_host (draft, "127.0.0.1");
    pve_remote_set_port (draft, pve_sim_get_port (f->sim));
    pve_remote_set_user (draft, "root");
    pve_remote_set_realm (draft, "pam");
    pve_remote_set_fingerprint (draft, pve_sim_get_fingerprint (f->sim));
    pve_sim_set_fault (f->sim, "/access/ticket", PVE_SIM_FAULT_MALFORMED_JSON, 1);
    g_clear_object (&result);
    pve_remote_manager_add_async (f->manager, draft, PVE_SIM_ROOT_PASSWORD, NULL,
                                  pve_test_store_result, &result);
    pve_test_await (&result, WAIT_MS);
    g_assert_false (pve_remote_manager_add_finish (f->manager, result, &error));
    g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
    assert_clear_message (error);
    g_assert_null (pve_remote_store_lookup (pve_remote_manager_get_store (f->manager),
                                            pve_remote_get_id (draft)));
    g_assert_true (g_file_get_contents (f->path, &contents, NULL, NULL));
    g_assert_null (strstr (contents, "garbled"));
  }
}

/* ---- certificate swap ------------------------------------------------------------------ */

static void
test_cert_swap (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *old_fingerprint = g_strdup (pve_sim_get_fingerprint (f->sim));
  GPtrArray *requests;

  node = request (f, "GET", "/cluster/resources", &error);
  g_assert_no_error (error);
  g_clear_pointer (&node, json_node_unref);

  pve_sim_swap_certificate (f->sim);
  g_assert_cmpstr (pve_sim_get_fingerprint (f->sim), !=, old_fingerprint);
  pve_sim_clear_requests (f->sim);

  node = request (f, "GET", "/cluster/resources", &error);
  g_assert_null (node);
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TLS_CHANGED);
  assert_clear_message (error);
  g_assert_nonnull (strstr (error->message, old_fingerprint));
  g_assert_nonnull (strstr (error->message, pve_sim_get_fingerprint (f->sim)));
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* The remote waits for the user's decision, out of the pool. */
  pve_test_wait_until (pve_remote_get_state (f->remote) == PVE_REMOTE_STATE_NEEDS_TRUST, WAIT_MS);
  g_assert_null (pve_remote_manager_get_client (f->manager, f->remote));
  g_assert_nonnull (pve_remote_manager_get_peer_certificate (f->manager, f->remote));
  node = request (f, "GET", "/version", &error);
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED);
  g_clear_error (&error);

  /* No HTTP request at all reached the new server with the old session's ticket. */
  requests = pve_sim_get_requests (f->sim);
  for (guint i = 0; i < requests->len; i++)
    {
      PveSimRequest *r = g_ptr_array_index (requests, i);

      g_test_message ("after the swap: %s %s cookie=%d", r->method, r->path, r->has_cookie);
      g_assert_false (r->has_cookie);
      g_assert_false (r->has_csrf);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/pve/faults/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("restart", test_restart);
  ADD ("reset-during-action", test_reset_action);
  ADD ("truncated-during-action", test_truncated_action);
  ADD ("hang", test_hang);
  ADD ("huge", test_huge);
  ADD ("malformed-every-endpoint", test_malformed);
  ADD ("cert-swap", test_cert_swap);
#undef ADD

  return g_test_run ();
}

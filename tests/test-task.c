/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveTask and pve_guest_action_allowed() against the real simulator over real TLS, with a
 * real PveRemoteManager (temporary store, the test session's throw-away keyring).
 */
#include <glib/gstdio.h>
#include <string.h>

#include "pve-guest.h"
#include "pve-guest-list.h"
#include "pve-remote-manager.h"
#include "pve-sim.h"
#include "pve-task.h"

static gboolean
tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

#define WAIT_UNTIL(expr, ms)                                                  \
  G_STMT_START {                                                              \
    gint64 end_ = g_get_monotonic_time () + (gint64)(ms) * 1000;              \
    guint tick_ = g_timeout_add (10, tick, NULL);                             \
    while (!(expr) && g_get_monotonic_time () < end_)                         \
      g_main_context_iteration (NULL, TRUE);                                  \
    g_source_remove (tick_);                                                  \
    g_assert_true (expr);                                                     \
  } G_STMT_END

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

typedef struct
{
  char             *dir;
  PveSim           *sim;
  PveRemoteStore   *store;
  PveSecrets       *secrets;
  PveRemoteManager *manager;
  PveRemote        *remote;
  PveGuestList     *list;
  guint             n_refreshed;
} Fixture;

static void
on_refreshed (PveGuestList *list,
              PveRemote    *remote,
              Fixture      *fixture)
{
  fixture->n_refreshed++;
}

static void
connect_as (Fixture    *fixture,
            const char *user,
            const char *realm,
            const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *path = NULL;

  fixture->sim = pve_sim_new (3, 12, 17);
  g_assert_cmpuint (pve_sim_listen (fixture->sim, 0, &error), >, 0);
  g_assert_no_error (error);
  pve_sim_set_task_duration_ms (fixture->sim, 150);

  fixture->dir = g_dir_make_tmp ("pve-task-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "remotes.ini", NULL);
  fixture->store = pve_remote_store_new (path);
  fixture->secrets = pve_secrets_new ();
  fixture->manager = pve_remote_manager_new (fixture->store, fixture->secrets);
  pve_remote_manager_set_timeouts (fixture->manager, 5, 20);
  pve_remote_manager_set_heartbeat_interval (fixture->manager, 0);

  pve_remote_manager_load_async (fixture->manager, NULL, on_done, &result);
  WAIT_UNTIL (result != NULL, 10000);
  g_assert_true (pve_remote_manager_load_finish (fixture->manager, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  fixture->remote = pve_remote_new ();
  pve_remote_set_name (fixture->remote, "pve1");
  pve_remote_set_host (fixture->remote, "127.0.0.1");
  pve_remote_set_port (fixture->remote, pve_sim_get_port (fixture->sim));
  pve_remote_set_user (fixture->remote, user);
  pve_remote_set_realm (fixture->remote, realm);
  pve_remote_set_auth_kind (fixture->remote, PVE_AUTH_KIND_PASSWORD);
  pve_remote_set_fingerprint (fixture->remote, pve_sim_get_fingerprint (fixture->sim));

  pve_remote_manager_add_async (fixture->manager, fixture->remote, password, NULL,
                                on_done, &result);
  WAIT_UNTIL (result != NULL, 20000);
  g_assert_true (pve_remote_manager_add_finish (fixture->manager, result, &error));
  g_assert_no_error (error);

  fixture->list = pve_guest_list_new (fixture->manager);
  g_signal_connect (fixture->list, "refreshed", G_CALLBACK (on_refreshed), fixture);
  WAIT_UNTIL (fixture->n_refreshed == 1, 20000);
}

static void
fixture_setup_root (Fixture       *fixture,
                    gconstpointer  data)
{
  connect_as (fixture, "root", "pam", PVE_SIM_ROOT_PASSWORD);
}

static void
fixture_setup_audit (Fixture       *fixture,
                     gconstpointer  data)
{
  connect_as (fixture, "audit", "pve", PVE_SIM_AUDIT_PASSWORD);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "remotes.ini", NULL);

  g_assert_finalize_object (g_steal_pointer (&fixture->list));
  pve_remote_manager_disconnect_all (fixture->manager);
  g_clear_object (&fixture->remote);
  g_clear_object (&fixture->manager);
  g_clear_object (&fixture->secrets);
  g_clear_object (&fixture->store);
  pve_sim_stop (fixture->sim);
  g_clear_object (&fixture->sim);
  g_unlink (path);
  g_rmdir (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

static PveGuest *
guest_in (Fixture    *fixture,
          const char *type,
          const char *status)
{
  gint64 vmid = pve_sim_find_guest (fixture->sim, type, status);
  PveGuest *guest;

  g_assert_cmpint (vmid, >, 0);
  guest = pve_guest_list_lookup_vmid (fixture->list, fixture->remote, vmid);
  g_assert_nonnull (guest);
  g_assert_cmpstr (pve_guest_get_status (guest), ==, status);
  return guest;
}

static gboolean
run_task (PveTask  *task,
          GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pve_task_run_async (task, NULL, on_done, &result);
  WAIT_UNTIL (result != NULL, 30000);
  return pve_task_run_finish (task, result, error);
}

static void
test_start_ok (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(PveTask) task = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;
  g_autofree char *expected = NULL;
  PveGuest *guest = guest_in (fixture, "qemu", "stopped");
  gint64 vmid = pve_guest_get_vmid (guest);

  g_assert_true (pve_guest_action_allowed (fixture->manager, guest, "start", &why));
  g_assert_null (why);

  task = pve_task_new (fixture->manager, guest, "start");
  pve_task_set_poll_interval (task, 50);
  g_assert_cmpint (pve_task_get_state (task), ==, PVE_TASK_STATE_QUEUED);
  expected = g_strdup_printf ("Starting %s", pve_guest_get_display_name (guest));
  g_assert_cmpstr (pve_task_get_description (task), ==, expected);

  pve_task_run_async (task, NULL, on_done, &result);
  /* The guest shows that an action runs, and no second action is offered meanwhile. */
  g_assert_true (pve_guest_get_busy (guest));
  g_assert_cmpstr (pve_guest_get_busy_label (guest), ==, "Starting…");
  g_assert_false (pve_guest_action_allowed (fixture->manager, guest, "stop", &why));
  g_assert_nonnull (why);
  g_clear_pointer (&why, g_free);

  WAIT_UNTIL (pve_task_get_state (task) == PVE_TASK_STATE_RUNNING, 10000);
  g_assert_true (g_str_has_prefix (pve_task_get_upid (task), "UPID:"));
  WAIT_UNTIL (result != NULL, 30000);
  g_assert_true (pve_task_run_finish (task, result, &error));
  g_assert_no_error (error);

  g_assert_cmpint (pve_task_get_state (task), ==, PVE_TASK_STATE_OK);
  g_assert_cmpstr (pve_task_get_exitstatus (task), ==, "OK");
  g_assert_false (pve_guest_get_busy (guest));
  g_assert_null (pve_guest_get_busy_label (guest));
  g_assert_cmpstr (pve_sim_get_guest_status (fixture->sim, vmid), ==, "running");

  /* The caller refreshes the remote; the same guest object shows the new state. */
  pve_guest_list_refresh_remote (fixture->list, fixture->remote);
  WAIT_UNTIL (fixture->n_refreshed == 2, 20000);
  g_assert_true (pve_guest_list_lookup_vmid (fixture->list, fixture->remote, vmid) == guest);
  g_assert_cmpstr (pve_guest_get_status (guest), ==, "running");
  g_assert_false (pve_guest_action_allowed (fixture->manager, guest, "start", &why));
  g_assert_nonnull (why);
  g_assert_true (pve_guest_action_allowed (fixture->manager, guest, "shutdown", NULL));

  /* A task runs once. */
  g_assert_false (run_task (task, &error));
  g_assert_error (error, PVE_TASK_ERROR, PVE_TASK_ERROR_INVALID);
}

static void
test_failure (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(PveTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *exitstatus = NULL;
  PveGuest *guest = guest_in (fixture, "qemu", "stopped");
  gint64 vmid = pve_guest_get_vmid (guest);
  GPtrArray *log;

  exitstatus = g_strdup_printf ("command 'qm start %" G_GINT64_FORMAT "' failed: exit code 1",
                                vmid);
  pve_sim_set_task_failure (fixture->sim, vmid, exitstatus);

  task = pve_task_new (fixture->manager, guest, "start");
  pve_task_set_poll_interval (task, 50);
  g_assert_false (run_task (task, &error));
  g_assert_error (error, PVE_TASK_ERROR, PVE_TASK_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, exitstatus);
  g_assert_cmpint (pve_task_get_state (task), ==, PVE_TASK_STATE_FAILED);
  g_assert_cmpstr (pve_task_get_exitstatus (task), ==, exitstatus);
  g_assert_nonnull (pve_task_get_upid (task));
  g_assert_false (pve_guest_get_busy (guest));

  log = pve_task_get_log (task);
  g_assert_nonnull (log);
  g_assert_cmpuint (log->len, >, 0);
  /* The log ends with the task's verdict. */
  g_assert_nonnull (strstr (g_ptr_array_index (log, log->len - 1), "exit code 1"));
  g_assert_cmpstr (pve_sim_get_guest_status (fixture->sim, vmid), ==, "stopped");
}

static void
test_immediate_error (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(PveTask) task = NULL;
  g_autoptr(GError) error = NULL;
  PveGuest *guest = guest_in (fixture, "lxc", "running");

  /* The rules refuse it; forced anyway, the server says why. */
  g_assert_false (pve_guest_action_allowed (fixture->manager, guest, "start", NULL));
  task = pve_task_new (fixture->manager, guest, "start");
  g_assert_false (run_task (task, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "already running"));
  g_assert_cmpint (pve_task_get_state (task), ==, PVE_TASK_STATE_FAILED);
  g_assert_null (pve_task_get_upid (task));
  g_assert_false (pve_guest_get_busy (guest));
}

static void
test_rules (Fixture       *fixture,
            gconstpointer  data)
{
  PveGuest *running = guest_in (fixture, "qemu", "running");
  PveGuest *stopped = guest_in (fixture, "qemu", "stopped");
  g_autofree char *why = NULL;
  PveGuest *tmpl = NULL;
  PveGuest *offline = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (fixture->list)); i++)
    {
      g_autoptr(PveGuest) guest = g_list_model_get_item (G_LIST_MODEL (fixture->list), i);

      if (pve_guest_get_template (guest) && pve_guest_get_has_stats (guest))
        tmpl = guest;
      if (g_strcmp0 (pve_guest_get_status (guest), "unknown") == 0)
        offline = guest;
    }
  g_assert_nonnull (tmpl);
  g_assert_nonnull (offline);

  g_assert_true (pve_guest_action_allowed (fixture->manager, running, "shutdown", NULL));
  g_assert_true (pve_guest_action_allowed (fixture->manager, running, "stop", NULL));
  g_assert_true (pve_guest_action_allowed (fixture->manager, running, "reboot", NULL));
  g_assert_true (pve_guest_action_allowed (fixture->manager, running, "suspend", NULL));
  g_assert_false (pve_guest_action_allowed (fixture->manager, running, "resume", NULL));
  g_assert_false (pve_guest_action_allowed (fixture->manager, running, "start", &why));
  g_assert_nonnull (why);
  g_clear_pointer (&why, g_free);

  g_assert_true (pve_guest_action_allowed (fixture->manager, stopped, "start", NULL));
  g_assert_false (pve_guest_action_allowed (fixture->manager, stopped, "shutdown", NULL));
  g_assert_false (pve_guest_action_allowed (fixture->manager, stopped, "reboot", NULL));

  g_assert_false (pve_guest_action_allowed (fixture->manager, tmpl, "start", &why));
  g_assert_nonnull (strstr (why, "template"));
  g_clear_pointer (&why, g_free);

  g_assert_false (pve_guest_action_allowed (fixture->manager, offline, "start", &why));
  g_assert_nonnull (why);
  g_clear_pointer (&why, g_free);

  g_assert_false (pve_guest_action_allowed (fixture->manager, running, "destroy", &why));
  g_assert_nonnull (why);
}

static void
test_no_power_privilege (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(PveTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;
  PveGuest *guest = guest_in (fixture, "qemu", "stopped");
  gint64 vmid = pve_guest_get_vmid (guest);

  g_assert_false (pve_guest_action_allowed (fixture->manager, guest, "start", &why));
  g_assert_cmpstr (why, ==, "You do not have the VM.PowerMgmt privilege on pve1");

  /* Forced: the server refuses with its own words. */
  task = pve_task_new (fixture->manager, guest, "start");
  g_assert_false (run_task (task, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "VM.PowerMgmt"));
  g_assert_cmpint (pve_task_get_state (task), ==, PVE_TASK_STATE_FAILED);
  g_assert_false (pve_guest_get_busy (guest));
  g_assert_cmpstr (pve_sim_get_guest_status (fixture->sim, vmid), ==, "stopped");
  /* 403 is "not allowed", never "disconnected". */
  g_assert_cmpint (pve_remote_get_state (fixture->remote), ==, PVE_REMOTE_STATE_CONNECTED);
}

static void
test_disconnect_while_polling (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(PveTask) task = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PveGuest *guest = guest_in (fixture, "qemu", "stopped");
  guint requests;

  g_object_ref (guest);  /* the list drops its guests on disconnect */
  pve_sim_set_task_duration_ms (fixture->sim, 10000);

  task = pve_task_new (fixture->manager, guest, "start");
  pve_task_set_poll_interval (task, 50);
  pve_task_run_async (task, NULL, on_done, &result);
  WAIT_UNTIL (pve_task_get_state (task) == PVE_TASK_STATE_RUNNING, 10000);

  pve_remote_manager_disconnect (fixture->manager, fixture->remote);
  WAIT_UNTIL (result != NULL, 10000);
  g_assert_false (pve_task_run_finish (task, result, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED);
  g_assert_cmpint (pve_task_get_state (task), ==, PVE_TASK_STATE_FAILED);
  g_assert_false (pve_guest_get_busy (guest));

  /* Nothing is polled any more. */
  requests = pve_sim_get_request_count (fixture->sim);
  {
    gint64 end = g_get_monotonic_time () + 300 * 1000;
    guint id = g_timeout_add (10, tick, NULL);

    while (g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (id);
  }
  g_assert_cmpuint (pve_sim_get_request_count (fixture->sim), ==, requests);
  g_object_unref (guest);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(PveTask) task = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  PveGuest *guest = guest_in (fixture, "qemu", "stopped");
  gint64 started;

  pve_sim_set_task_duration_ms (fixture->sim, 10000);
  task = pve_task_new (fixture->manager, guest, "start");
  /* A long interval: a cancel must not wait for it. */
  pve_task_set_poll_interval (task, 5000);
  pve_task_run_async (task, cancellable, on_done, &result);
  WAIT_UNTIL (pve_task_get_state (task) == PVE_TASK_STATE_RUNNING, 10000);

  started = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  WAIT_UNTIL (result != NULL, 10000);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 2 * G_USEC_PER_SEC);
  g_assert_false (pve_task_run_finish (task, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (pve_guest_get_busy (guest));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, setup, func) \
  g_test_add (path, Fixture, NULL, setup, func, fixture_teardown)

  ADD ("/pve/task/start/ok", fixture_setup_root, test_start_ok);
  ADD ("/pve/task/start/failed", fixture_setup_root, test_failure);
  ADD ("/pve/task/start/already-running", fixture_setup_root, test_immediate_error);
  ADD ("/pve/task/allowed/rules", fixture_setup_root, test_rules);
  ADD ("/pve/task/allowed/no-power-privilege", fixture_setup_audit, test_no_power_privilege);
  ADD ("/pve/task/disconnect-while-polling", fixture_setup_root, test_disconnect_while_polling);
  ADD ("/pve/task/cancel", fixture_setup_root, test_cancel);

#undef ADD

  return g_test_run ();
}

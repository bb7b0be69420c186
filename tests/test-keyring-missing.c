/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * No Secret Service on the bus: the app still works, asks for the password once per run, and
 * says why. The test starts its own session bus (a dbus-daemon with no service directories, so
 * nothing can be activated as org.freedesktop.secrets) before GIO touches any bus, and checks
 * that no keyring is there, so it cannot pass by accident against the wrapper's keyring.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "pve-remote-manager.h"
#include "pve-sim.h"
#include "test-util.h"

#define WAIT_MS 20000

/* Under AddressSanitizer (GCC 12), LeakSanitizer's exit-time scan crashes ("Tracer caught
 * signal 11") on the dynamic TLS of one of the threads GIO starts for this private bus; not
 * intercepting __tls_get_addr avoids it. Options from the environment still apply on top. */
const char *__asan_default_options (void);
const char *
__asan_default_options (void)
{
  return "intercept_tls_get_addr=0";
}

static GSubprocess *bus_daemon;
static char *bus_dir;

static void
start_private_bus (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GDataInputStream) out = NULL;

  bus_dir = g_dir_make_tmp ("pve-bus-XXXXXX", &error);
  g_assert_no_error (error);
  config = g_build_filename (bus_dir, "session.conf", NULL);
  contents = g_strdup_printf ("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus "
                              "Configuration 1.0//EN\" "
                              "\"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                              "<busconfig>\n"
                              "  <type>session</type>\n"
                              "  <listen>unix:dir=%s</listen>\n"
                              "  <auth>EXTERNAL</auth>\n"
                              "  <policy context=\"default\">\n"
                              "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
                              "    <allow eavesdrop=\"true\"/>\n"
                              "    <allow own=\"*\"/>\n"
                              "  </policy>\n"
                              "</busconfig>\n", bus_dir);
  g_assert_true (g_file_set_contents (config, contents, -1, &error));
  g_assert_no_error (error);

  bus_daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                 &error, "dbus-daemon", "--nofork", "--print-address=1",
                                 "--config-file", config, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bus_daemon));
  address = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (address);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", g_strstrip (address), TRUE);
}

static void
stop_private_bus (void)
{
  g_autoptr(GDir) dir = g_dir_open (bus_dir, 0, NULL);
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  const char *name;

  /* The shared connection raises SIGTERM when its bus goes away, by default; and it is
   * closed (its worker idle) before the daemon goes, so that nothing is mid-teardown at exit. */
  if (bus != NULL)
    {
      g_dbus_connection_set_exit_on_close (bus, FALSE);
      g_dbus_connection_close_sync (bus, NULL, NULL);
    }
  g_subprocess_send_signal (bus_daemon, SIGTERM);
  g_subprocess_wait (bus_daemon, NULL, NULL);
  g_clear_object (&bus_daemon);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (bus_dir, name, NULL);
      g_remove (child);
    }
  g_rmdir (bus_dir);
  g_free (bus_dir);
}

typedef struct
{
  PveSim           *sim;
  char             *dir;
  char             *path;
  PveRemoteManager *manager;
  guint             keyring_notifies;
} Fixture;

static void
keyring_notify_cb (PveRemoteManager *manager,
                   GParamSpec       *pspec,
                   Fixture          *f)
{
  f->keyring_notifies++;
}

static PveRemoteManager *
new_manager (Fixture *f)
{
  g_autoptr(PveRemoteStore) store = pve_remote_store_new (f->path);
  g_autoptr(PveSecrets) secrets = pve_secrets_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PveRemoteManager *manager = pve_remote_manager_new (store, secrets);

  pve_remote_manager_set_timeouts (manager, 5, 10);
  pve_remote_manager_set_heartbeat_interval (manager, 0);
  g_signal_connect (manager, "notify::keyring-available", G_CALLBACK (keyring_notify_cb), f);
  pve_remote_manager_load_async (manager, NULL, pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  g_assert_true (pve_remote_manager_load_finish (manager, result, &error));
  g_assert_no_error (error);
  return manager;
}

static gboolean
connect_remote (Fixture    *f,
                PveRemote  *remote,
                const char *password,
                GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pve_remote_manager_connect_async (f->manager, remote, password, TRUE, NULL,
                                    pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  return pve_remote_manager_connect_finish (f->manager, result, error);
}

static guint
count_logins (PveSim *sim)
{
  GPtrArray *requests = pve_sim_get_requests (sim);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      PveSimRequest *r = g_ptr_array_index (requests, i);
      n += g_str_equal (r->method, "POST") && g_str_equal (r->path, "/access/ticket");
    }
  return n;
}

static void
test_no_secret_service_on_bus (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GVariant) owner = NULL;
  g_autoptr(GVariant) activatable = NULL;
  g_autofree const char **names = NULL;
  gboolean has_owner = TRUE;

  g_assert_no_error (error);
  owner = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), 0, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (owner, "(b)", &has_owner);
  g_assert_false (has_owner);
  activatable = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                             "org.freedesktop.DBus", "ListActivatableNames",
                                             NULL, G_VARIANT_TYPE ("(as)"), 0, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (activatable, "(^a&s)", &names);
  g_assert_false (g_strv_contains (names, "org.freedesktop.secrets"));
}

static void
test_per_session_password (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PveRemote) draft = pve_remote_new ();
  g_autofree char *contents = NULL;
  g_autofree char *id = NULL;
  Fixture fx = { 0 }, *f = &fx;
  PveRemote *remote;
  guint logins;

  f->sim = pve_sim_new (1, 2, 3);
  g_assert_cmpuint (pve_sim_listen (f->sim, 0, &error), >, 0);
  f->dir = g_dir_make_tmp ("pve-nokeyring-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "remotes.ini", NULL);
  f->manager = new_manager (f);

  /* Add: the login works and the remote is saved; the password cannot be, and the manager
   * says so through keyring-available. */
  pve_remote_set_name (draft, "lab");
  pve_remote_set_host (draft, "127.0.0.1");
  pve_remote_set_port (draft, pve_sim_get_port (f->sim));
  pve_remote_set_user (draft, "root");
  pve_remote_set_realm (draft, "pam");
  pve_remote_set_fingerprint (draft, pve_sim_get_fingerprint (f->sim));
  id = g_strdup (pve_remote_get_id (draft));
  pve_remote_manager_add_async (f->manager, draft, PVE_SIM_ROOT_PASSWORD, NULL,
                                pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  g_assert_true (pve_remote_manager_add_finish (f->manager, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pve_remote_get_state (draft), ==, PVE_REMOTE_STATE_CONNECTED);
  g_assert_false (pve_remote_manager_get_keyring_available (f->manager));
  g_assert_cmpuint (f->keyring_notifies, >=, 1);
  g_assert_true (g_file_get_contents (f->path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, id));
  g_assert_null (strstr (contents, PVE_SIM_ROOT_PASSWORD));

  /* Disconnect and connect again in the same run: the password typed once is used from
   * memory, nobody is asked. */
  pve_remote_manager_disconnect (f->manager, draft);
  g_assert_cmpint (pve_remote_get_state (draft), ==, PVE_REMOTE_STATE_DISCONNECTED);
  logins = count_logins (f->sim);
  g_assert_true (connect_remote (f, draft, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pve_remote_get_state (draft), ==, PVE_REMOTE_STATE_CONNECTED);
  g_assert_cmpuint (count_logins (f->sim), ==, logins + 1);

  /* A new run (a new manager on the same file): the password is asked for again, and the
   * message says why. */
  g_clear_object (&f->manager);
  f->keyring_notifies = 0;
  f->manager = new_manager (f);
  remote = pve_remote_store_lookup (pve_remote_manager_get_store (f->manager), id);
  g_assert_nonnull (remote);
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_DISCONNECTED);
  g_assert_false (connect_remote (f, remote, NULL, &error));
  g_assert_error (error, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_NEEDS_CREDENTIALS);
  g_test_message ("asked: %s", error->message);
  g_assert_nonnull (strstr (error->message, "keyring"));
  g_assert_nonnull (strstr (error->message, "this session"));
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_NEEDS_CREDENTIALS);
  g_assert_nonnull (strstr (pve_remote_get_last_error (remote), "keyring"));
  g_assert_false (pve_remote_manager_get_keyring_available (f->manager));
  g_clear_error (&error);

  /* Given the password (remember asked for, but there is nowhere to keep it): connected. */
  g_assert_true (connect_remote (f, remote, PVE_SIM_ROOT_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_CONNECTED);
  g_assert_false (pve_remote_manager_get_keyring_available (f->manager));

  /* ... and kept for the rest of this run only. */
  pve_remote_manager_disconnect (f->manager, remote);
  g_assert_true (connect_remote (f, remote, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_CONNECTED);

  /* Never a plaintext fallback: nothing but the key file under the config dir. */
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (f->path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, PVE_SIM_ROOT_PASSWORD));
  {
    g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_cmpstr (name, ==, "remotes.ini");
  }

  /* Removing works without a keyring too; the manager says that it could not check the
   * keyring for a saved password (it may only be unreachable for now). */
  g_clear_object (&result);
  pve_remote_manager_remove_async (f->manager, remote, NULL, pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  g_assert_false (pve_remote_manager_remove_finish (f->manager, result, &error));
  g_assert_error (error, PVE_SECRETS_ERROR, PVE_SECRETS_ERROR_UNAVAILABLE);
  g_test_message ("remove: %s", error->message);
  g_clear_error (&error);
  g_assert_null (pve_remote_store_lookup (pve_remote_manager_get_store (f->manager), id));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (f->path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, id));

  g_clear_object (&f->manager);
  pve_sim_stop (f->sim);
  g_clear_object (&f->sim);
  g_unlink (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* Before anything connects to the session bus. */
  start_private_bus ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pve/keyring-missing/no-secret-service", test_no_secret_service_on_bus);
  g_test_add_func ("/pve/keyring-missing/per-session-password", test_per_session_password);

  ret = g_test_run ();
  stop_private_bus ();
  return ret;
}

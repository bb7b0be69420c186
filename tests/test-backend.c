/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The app's lazily loaded backend (src/core/pve-backend.h), linked like the app: its core
 * without pve-client.c and pve-secrets-keyring.c, the real module from the build tree, the
 * real keyring of the isolated session and the simulator over real TLS. What must not load
 * it does not; a keyring call before the load waits for it without blocking; threads that
 * need it at once all get it; and without a usable module every call fails with an error
 * that says so, without a crash. (The app itself is checked by test-backend-startup.sh.)
 */
#include <glib/gstdio.h>
#include <string.h>

#include "pve-backend.h"
#include "pve-client.h"
#include "pve-remote-manager.h"
#include "pve-sim.h"
#include "test-secrets-util.h"
#include "test-util.h"

#define WAIT_MS 15000
#define MISSING_MODULE "/nonexistent/pve-remotes-backend.so"

static gboolean
module_mapped (void)
{
  g_autofree char *maps = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  return strstr (maps, "/pve-remotes-backend") != NULL;
}

/* What the app has before its first frame: a store, the keyring's object, the manager. */
typedef struct
{
  char             *dir;
  char             *path;
  PveRemoteStore   *store;
  PveSecrets       *secrets;
  PveRemoteManager *manager;
} App;

static void
app_start (App *app)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  app->dir = g_dir_make_tmp ("pve-backend-XXXXXX", &error);
  g_assert_no_error (error);
  app->path = g_build_filename (app->dir, "remotes.ini", NULL);
  app->store = pve_remote_store_new (app->path);
  app->secrets = pve_secrets_new ();
  app->manager = pve_remote_manager_new (app->store, app->secrets);
  pve_remote_manager_load_async (app->manager, NULL, pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  pve_remote_manager_load_finish (app->manager, result, &error);
  g_assert_no_error (error);
}

static void
app_stop (App *app)
{
  g_clear_object (&app->manager);
  g_clear_object (&app->secrets);
  g_clear_object (&app->store);
  g_remove (app->path);
  g_rmdir (app->dir);
  g_clear_pointer (&app->path, g_free);
  g_clear_pointer (&app->dir, g_free);
}

/* What the app does before its first frame loads nothing; the first keyring call loads it. */
static void
test_lazy (void)
{
  App app = { NULL, };
  g_autoptr(PveRemote) remote = make_remote (PVE_AUTH_KIND_PASSWORD);
  g_autoptr(GError) error = NULL;
  g_autofree char *built = NULL;
  char *secret;

  app_start (&app);
  g_assert_true (pve_client_validate_host ("pve1.example.com", NULL));
  g_assert_false (pve_client_validate_host ("https://pve1", &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_INVALID_HOST);
  g_clear_error (&error);
  built = pve_client_build_path ("nodes", "pve 1", NULL);
  g_assert_cmpstr (built, ==, "/nodes/pve%201");
  /* A secret the user typed is wiped without libsecret. */
  pve_secrets_free_secret (g_strdup ("typed"));
  g_assert_false (pve_backend_is_loaded ());
  g_assert_false (module_mapped ());

  /* Before the load: the store waits for it in a thread, then goes to the keyring. */
  g_assert_true (store_secret (app.secrets, remote, "s3cret", &error));
  g_assert_no_error (error);
  g_assert_true (pve_backend_is_loaded ());
  g_assert_true (module_mapped ());

  /* From libsecret's secure memory, freed by libsecret. */
  secret = lookup_secret (app.secrets, remote, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "s3cret");
  pve_secrets_free_secret (secret);
  g_assert_true (clear_secret (app.secrets, pve_remote_get_id (remote), &error));
  g_assert_no_error (error);

  app_stop (&app);
}

static gpointer
new_client_thread (gpointer data)
{
  g_autoptr(GError) error = NULL;
  PveClient *client = pve_client_new ("127.0.0.1", GPOINTER_TO_UINT (data), &error);

  g_assert_no_error (error);
  g_assert_true (PVE_IS_CLIENT (client));
  /* Dropped in its own thread: its session belongs to it. */
  g_assert_finalize_object (client);
  return NULL;
}

/* In a child: the preload races with threads that need a client at once. */
static void
test_preload (void)
{
  g_autoptr(PveSim) sim = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GThread *threads[4];
  PveClient *client;
  guint port;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  sim = pve_sim_new (0, 0, 1);
  port = pve_sim_listen (sim, 0, &error);
  g_assert_no_error (error);

  g_assert_false (pve_backend_is_loaded ());
  pve_backend_preload ();
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("client", new_client_thread, GUINT_TO_POINTER (port));
  client = pve_client_new ("127.0.0.1", port, &error);
  g_assert_no_error (error);
  g_assert_true (pve_backend_is_loaded ());
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  /* The one in the main thread talks to the server through the module. */
  pve_client_set_pinned_fingerprint (client, pve_sim_get_fingerprint (sim));
  pve_client_login_async (client, "root@pam", PVE_SIM_ROOT_PASSWORD, NULL,
                          pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  pve_client_login_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_true (pve_client_is_connected (client));
  g_assert_cmpstr (pve_client_get_username (client), ==, "root@pam");
  pve_client_disconnect (client);
  g_clear_object (&result);
  g_assert_finalize_object (client);
}

static void
assert_not_installed (const GError *error,
                      GQuark        domain,
                      int           code,
                      const char   *module)
{
  g_assert_error (error, domain, code);
  g_assert_nonnull (strstr (error->message, "PVE Remotes is not installed correctly"));
  g_assert_nonnull (strstr (error->message, module));
}

/* Without a usable module: every call fails and says why, nothing crashes. */
static void
check_unusable (const char *module)
{
  App app = { NULL, };
  g_autoptr(PveRemote) remote = make_remote (PVE_AUTH_KIND_PASSWORD);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PveClient) client = NULL;

  g_setenv ("PVE_BACKEND_MODULE", module, TRUE);
  app_start (&app);

  client = pve_client_new ("127.0.0.1", 8006, &error);
  g_assert_null (client);
  assert_not_installed (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_FAILED, module);
  g_clear_error (&error);
  g_assert_false (pve_backend_is_loaded ());

  g_assert_false (store_secret (app.secrets, remote, "s3cret", &error));
  assert_not_installed (error, PVE_SECRETS_ERROR, PVE_SECRETS_ERROR_UNAVAILABLE, module);
  g_clear_error (&error);
  g_assert_null (lookup_secret (app.secrets, remote, &error));
  assert_not_installed (error, PVE_SECRETS_ERROR, PVE_SECRETS_ERROR_UNAVAILABLE, module);
  g_clear_error (&error);
  g_assert_false (clear_secret (app.secrets, pve_remote_get_id (remote), &error));
  assert_not_installed (error, PVE_SECRETS_ERROR, PVE_SECRETS_ERROR_UNAVAILABLE, module);
  g_clear_error (&error);

  /* Connecting with a typed password: the remote fails with the reason to show. */
  pve_remote_store_add (app.store, remote);
  pve_remote_manager_connect_async (app.manager, remote, "s3cret", FALSE, NULL,
                                    pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  g_assert_false (pve_remote_manager_connect_finish (app.manager, result, &error));
  assert_not_installed (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_FAILED, module);
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_FAILED);
  g_assert_nonnull (strstr (pve_remote_get_last_error (remote), "not installed correctly"));
  g_test_message ("shown: %s", pve_remote_get_last_error (remote));

  app_stop (&app);
}

static void
test_missing (void)
{
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }
  check_unusable (MISSING_MODULE);
}

/* A library that loads but lacks the backend's functions (an old or foreign file). */
static void
test_wrong_module (void)
{
  g_autofree char *maps = NULL;
  g_autofree char *library = NULL;
  const char *found;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  found = strstr (maps, "/libjson-glib-1.0.so");
  g_assert_nonnull (found);
  while (found > maps && found[-1] != ' ')
    found--;
  library = g_strndup (found, strcspn (found, "\n"));
  check_unusable (library);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* First: nothing may have loaded the backend yet. */
  g_test_add_func ("/pve/backend/lazy", test_lazy);
  g_test_add_func ("/pve/backend/preload", test_preload);
  g_test_add_func ("/pve/backend/missing", test_missing);
  g_test_add_func ("/pve/backend/wrong-module", test_wrong_module);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveRemoteManager end to end: the real simulator over real TLS (in-process), the real
 * gnome-keyring of the isolated session, the real key file. Every failure mode of
 * reference/reconnect-ticket.md has a test here: "connected" before a ticket, a wrong
 * password that saves anyway, no reconnect after a restart, a Disconnect that only changes
 * the state while the session stays in the pool.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "pve-remote-manager.h"
#include "pve-sim.h"
#include "test-util.h"

#define WAIT_MS 15000

typedef struct
{
  PveSim           *sim;
  guint             port;
  char             *dir;
  char             *path;
  PveRemoteManager *manager;
} Fixture;

/* ---- helpers --------------------------------------------------------------------------- */

static PveRemoteManager *
new_manager (Fixture *f)
{
  g_autoptr(PveRemoteStore) store = pve_remote_store_new (f->path);
  g_autoptr(PveSecrets) secrets = pve_secrets_new ();
  PveRemoteManager *manager = pve_remote_manager_new (store, secrets);

  /* Short, so that a test about a vanished server does not wait half a minute. */
  pve_remote_manager_set_timeouts (manager, 3, 5);
  pve_remote_manager_set_heartbeat_interval (manager, 0);
  return manager;
}

static void
count_notify (guint *count)
{
  (*count)++;
}

static void
load (PveRemoteManager *manager)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pve_remote_manager_load_async (manager, NULL, pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  g_assert_true (pve_remote_manager_load_finish (manager, result, &error));
  g_assert_no_error (error);
}

/* Drops the manager and waits until it is really gone: nothing may keep it (or its store,
 * pool and clients) alive once the app lets go, apart from a worker thread for a moment. */
static void
drop_manager (Fixture *f)
{
  PveRemoteManager *weak = f->manager;

  if (weak == NULL)
    return;
  g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *)&weak);
  g_clear_object (&f->manager);
  pve_test_wait_until (weak == NULL, WAIT_MS);
}

/* The manager of a restarted app: a new store on the same file, a new keyring connection. */
static void
restart (Fixture *f)
{
  drop_manager (f);
  f->manager = new_manager (f);
  load (f->manager);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sim = pve_sim_new (0, 0, 1);
  f->port = pve_sim_listen (f->sim, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->port, >, 0);

  f->dir = g_dir_make_tmp ("pve-manager-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "config", "remotes.ini", NULL);
  f->manager = new_manager (f);
  load (f->manager);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *config = g_path_get_dirname (f->path);
  g_autoptr(GDir) dir = g_dir_open (config, 0, NULL);
  const char *name;

  drop_manager (f);
  if (f->sim != NULL)
    pve_sim_stop (f->sim);
  g_clear_object (&f->sim);

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (config, name, NULL);
      g_remove (child);
    }
  g_rmdir (config);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static PveRemote *
make_draft (Fixture    *f,
            const char *name,
            const char *user,
            const char *realm,
            gboolean    pin)
{
  PveRemote *draft = pve_remote_new ();

  pve_remote_set_name (draft, name);
  pve_remote_set_host (draft, "127.0.0.1");
  pve_remote_set_port (draft, f->port);
  pve_remote_set_user (draft, user);
  pve_remote_set_realm (draft, realm);
  if (pin)
    pve_remote_set_fingerprint (draft, pve_sim_get_fingerprint (f->sim));
  return draft;
}

static gboolean
add (Fixture    *f,
     PveRemote  *draft,
     const char *secret,
     GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pve_remote_manager_add_async (f->manager, draft, secret, NULL, pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  return pve_remote_manager_add_finish (f->manager, result, error);
}

static gboolean
connect_remote (Fixture    *f,
                PveRemote  *remote,
                const char *password,
                gboolean    remember,
                GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pve_remote_manager_connect_async (f->manager, remote, password, remember, NULL,
                                    pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  return pve_remote_manager_connect_finish (f->manager, result, error);
}

static gboolean
submit_tfa (Fixture    *f,
            PveRemote  *remote,
            const char *response,
            GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pve_remote_manager_submit_tfa_async (f->manager, remote, response, NULL,
                                       pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  return pve_remote_manager_submit_tfa_finish (f->manager, result, error);
}

static JsonNode *
request (Fixture    *f,
         PveRemote  *remote,
         const char *path,
         GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pve_remote_manager_request_async (f->manager, remote, "GET", path, NULL, NULL,
                                    pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  return pve_remote_manager_request_finish (f->manager, result, NULL, error);
}

static gboolean
remove_remote (Fixture   *f,
               PveRemote *remote,
               GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pve_remote_manager_remove_async (f->manager, remote, NULL, pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  return pve_remote_manager_remove_finish (f->manager, result, error);
}

/* The keyring as another program sees it. */
static gboolean
keyring_has_item (const char *id)
{
  const char *argv[] = { "secret-tool", "search", "--all", "remote-id", id, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *needle = g_strdup_printf ("attribute.remote-id = %s", id);
  g_autoptr(GError) error = NULL;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, NULL,
                &error);
  g_assert_no_error (error);
  return strstr (out, needle) != NULL || strstr (err, needle) != NULL;
}

/* The key file as the next start will read it. */
static gboolean
file_has_group (Fixture    *f,
                const char *id)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();

  if (!g_key_file_load_from_file (key_file, f->path, G_KEY_FILE_NONE, NULL))
    return FALSE;
  return g_key_file_has_group (key_file, id);
}

static void
assert_file_lacks (Fixture    *f,
                   const char *secret)
{
  g_autofree char *contents = NULL;

  if (g_file_get_contents (f->path, &contents, NULL, NULL))
    g_assert_null (strstr (contents, secret));
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

/* CONNECTED may only ever be announced while the pool holds a client with a ticket. */
typedef struct
{
  PveRemoteManager *manager;
  guint             n_connected;
} StateWatch;

static void
on_state_changed (PveRemote  *remote,
                  GParamSpec *pspec,
                  StateWatch *watch)
{
  PveClient *client;

  if (pve_remote_get_state (remote) != PVE_REMOTE_STATE_CONNECTED)
    {
      g_assert_false (pve_remote_get_connected (remote));
      return;
    }

  client = pve_remote_manager_get_client (watch->manager, remote);
  g_assert_nonnull (client);
  g_assert_true (pve_client_is_connected (client));
  g_assert_true (pve_remote_get_connected (remote));
  watch->n_connected++;
}

/* Adds a pinned root@pam remote and checks it is connected. */
static PveRemote *
add_root (Fixture    *f,
          const char *name)
{
  g_autoptr(GError) error = NULL;
  PveRemote *draft = make_draft (f, name, "root", "pam", TRUE);

  g_assert_true (add (f, draft, PVE_SIM_ROOT_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pve_remote_get_state (draft), ==, PVE_REMOTE_STATE_CONNECTED);
  return draft;
}

/* Finds the loaded remote with the id of a remote of an earlier run. */
static PveRemote *
reloaded (Fixture   *f,
          PveRemote *old)
{
  PveRemote *remote = pve_remote_store_lookup (pve_remote_manager_get_store (f->manager),
                                               pve_remote_get_id (old));
  g_assert_nonnull (remote);
  g_assert_true (remote != old);
  return remote;
}

/* ---- tests ----------------------------------------------------------------------------- */

static void
test_add_wrong_then_right (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(PveRemote) draft = make_draft (f, "pve1", "root", "pam", TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) version = NULL;
  StateWatch watch = { f->manager, 0 };

  g_signal_connect (draft, "notify::state", G_CALLBACK (on_state_changed), &watch);

  /* A wrong password saves nothing: no key-file group, no keyring item, no pool entry. */
  g_assert_false (add (f, draft, "wrong-password", &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_AUTH_FAILED);
  g_assert_cmpint (pve_remote_get_state (draft), ==, PVE_REMOTE_STATE_FAILED);
  g_assert_nonnull (pve_remote_get_last_error (draft));
  g_assert_cmpuint (g_list_model_get_n_items (pve_remote_manager_get_remotes (f->manager)), ==, 0);
  g_assert_false (file_has_group (f, pve_remote_get_id (draft)));
  g_assert_false (keyring_has_item (pve_remote_get_id (draft)));
  g_assert_cmpuint (pve_remote_manager_get_pool_size (f->manager), ==, 0);
  g_assert_false (pve_remote_manager_any_connected (f->manager));
  g_assert_null (pve_remote_manager_get_client (f->manager, draft));
  g_assert_cmpuint (watch.n_connected, ==, 0);
  g_clear_error (&error);

  /* The right one saves both, and CONNECTED comes only with a ticket in the pool. */
  g_assert_true (add (f, draft, PVE_SIM_ROOT_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pve_remote_get_state (draft), ==, PVE_REMOTE_STATE_CONNECTED);
  g_assert_cmpuint (watch.n_connected, ==, 1);
  g_assert_null (pve_remote_get_last_error (draft));
  g_assert_true (file_has_group (f, pve_remote_get_id (draft)));
  g_assert_true (keyring_has_item (pve_remote_get_id (draft)));
  g_assert_cmpuint (pve_remote_manager_get_pool_size (f->manager), ==, 1);
  g_assert_true (pve_remote_manager_any_connected (f->manager));
  g_assert_true (pve_remote_store_lookup (pve_remote_manager_get_store (f->manager),
                                          pve_remote_get_id (draft)) == draft);
  assert_file_lacks (f, PVE_SIM_ROOT_PASSWORD);
  {
    g_autofree char *label = pve_remote_dup_accessible_label (draft);
    g_assert_cmpstr (label, ==, "pve1, Connected");
  }

  /* The ticket works: an API call goes through (envelope unwrapped once). */
  version = request (f, draft, "/version", &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (version));
  g_assert_true (json_object_has_member (json_node_get_object (version), "version"));

  /* Adding the same draft again is refused; a second remote may not take the name. */
  g_assert_false (add (f, draft, PVE_SIM_ROOT_PASSWORD, &error));
  g_assert_error (error, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_INVALID);
  g_clear_error (&error);
  {
    g_autoptr(PveRemote) twin = make_draft (f, "PVE1", "root", "pam", TRUE);
    g_assert_false (add (f, twin, PVE_SIM_ROOT_PASSWORD, &error));
    g_assert_error (error, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_DUPLICATE_NAME);
  }

  g_signal_handlers_disconnect_by_data (draft, &watch);
}

static void
test_restart_and_reconnect (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(PveRemote) first = add_root (f, "pve1");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  PveRemote *remote;
  StateWatch watch = { NULL, 0 };

  /* Restart: everything DISCONNECTED, and nothing was sent to the server. While the store is
   * read, the manager says it is loading (an empty list then means "not read yet"). */
  pve_sim_clear_requests (f->sim);
  drop_manager (f);
  f->manager = new_manager (f);
  g_assert_false (pve_remote_manager_get_loading (f->manager));
  {
    g_autoptr(GAsyncResult) result = NULL;
    guint notifies = 0;
    gulong id = g_signal_connect_swapped (f->manager, "notify::loading",
                                          G_CALLBACK (count_notify), &notifies);

    pve_remote_manager_load_async (f->manager, NULL, pve_test_store_result, &result);
    g_assert_true (pve_remote_manager_get_loading (f->manager));
    g_assert_cmpuint (g_list_model_get_n_items (pve_remote_manager_get_remotes (f->manager)), ==, 0);
    pve_test_await (&result, WAIT_MS);
    g_assert_true (pve_remote_manager_load_finish (f->manager, result, &error));
    g_assert_no_error (error);
    g_assert_false (pve_remote_manager_get_loading (f->manager));
    g_assert_cmpuint (notifies, ==, 2);
    g_signal_handler_disconnect (f->manager, id);
  }
  watch.manager = f->manager;
  g_assert_cmpuint (g_list_model_get_n_items (pve_remote_manager_get_remotes (f->manager)), ==, 1);
  remote = reloaded (f, first);
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_DISCONNECTED);
  g_assert_cmpuint (pve_remote_manager_get_pool_size (f->manager), ==, 0);
  g_assert_false (pve_remote_manager_any_connected (f->manager));
  g_assert_cmpuint (pve_sim_get_request_count (f->sim), ==, 0);

  /* Not connected: a request fails at once and sends nothing. */
  node = request (f, remote, "/version", &error);
  g_assert_null (node);
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED);
  g_assert_cmpuint (pve_sim_get_request_count (f->sim), ==, 0);
  g_clear_error (&error);

  /* Connect from the keyring. */
  g_signal_connect (remote, "notify::state", G_CALLBACK (on_state_changed), &watch);
  g_assert_true (connect_remote (f, remote, NULL, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_CONNECTED);
  g_assert_cmpuint (watch.n_connected, ==, 1);
  g_assert_cmpuint (count_requests (f->sim, "POST", "/access/ticket"), ==, 1);
  node = request (f, remote, "/cluster/resources", &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  g_clear_pointer (&node, json_node_unref);

  /* Disconnect empties the pool; from then on nothing reaches the server. */
  pve_remote_manager_disconnect (f->manager, remote);
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_DISCONNECTED);
  g_assert_cmpuint (pve_remote_manager_get_pool_size (f->manager), ==, 0);
  g_assert_null (pve_remote_manager_get_client (f->manager, remote));
  pve_sim_clear_requests (f->sim);
  node = request (f, remote, "/cluster/resources", &error);
  g_assert_null (node);
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED);
  g_assert_cmpstr (error->message, ==, "Remote is not connected");
  g_assert_cmpuint (pve_sim_get_request_count (f->sim), ==, 0);
  g_clear_error (&error);

  /* And connecting again works. */
  g_assert_true (connect_remote (f, remote, NULL, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (watch.n_connected, ==, 2);
  node = request (f, remote, "/version", &error);
  g_assert_no_error (error);
  g_clear_pointer (&node, json_node_unref);

  /* Connecting what is connected is a no-op, not a second login. */
  pve_sim_clear_requests (f->sim);
  g_assert_true (connect_remote (f, remote, NULL, FALSE, &error));
  g_assert_cmpuint (pve_sim_get_request_count (f->sim), ==, 0);

  pve_remote_manager_disconnect_all (f->manager);
  g_assert_cmpuint (pve_remote_manager_get_pool_size (f->manager), ==, 0);
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_DISCONNECTED);
  g_signal_handlers_disconnect_by_data (remote, &watch);
}

static void
test_needs_credentials (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(PveRemote) first = add_root (f, "pve1");
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  PveRemote *remote;

  /* The keyring item is gone (the user deleted it in Seahorse). */
  pve_secrets_clear_async (pve_remote_manager_get_secrets (f->manager), pve_remote_get_id (first),
                           NULL, pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  g_assert_true (pve_secrets_clear_finish (pve_remote_manager_get_secrets (f->manager), result,
                                           &error));
  g_assert_false (keyring_has_item (pve_remote_get_id (first)));

  restart (f);
  remote = reloaded (f, first);
  pve_sim_clear_requests (f->sim);
  g_assert_false (connect_remote (f, remote, NULL, FALSE, &error));
  g_assert_error (error, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_NEEDS_CREDENTIALS);
  g_assert_cmpstr (error->message, ==, "No password is saved for pve1");
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_NEEDS_CREDENTIALS);
  g_assert_cmpstr (pve_remote_get_last_error (remote), ==, "No password is saved for pve1");
  g_assert_true (pve_remote_manager_get_keyring_available (f->manager));
  g_assert_cmpuint (pve_sim_get_request_count (f->sim), ==, 0);
  g_clear_error (&error);

  /* A wrong password typed in is not remembered. */
  g_assert_false (connect_remote (f, remote, "nope", TRUE, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_AUTH_FAILED);
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_FAILED);
  g_assert_false (keyring_has_item (pve_remote_get_id (remote)));
  g_clear_error (&error);

  /* The right one, with "remember": connected, and stored for next time. */
  g_assert_true (connect_remote (f, remote, PVE_SIM_ROOT_PASSWORD, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_CONNECTED);
  g_assert_true (keyring_has_item (pve_remote_get_id (remote)));
  assert_file_lacks (f, PVE_SIM_ROOT_PASSWORD);

  restart (f);
  remote = reloaded (f, first);
  g_assert_true (connect_remote (f, remote, NULL, FALSE, &error));
  g_assert_no_error (error);
}

static void
test_tfa (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(PveRemote) draft = make_draft (f, "alice", "alice", "pve", TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char * const *methods;
  StateWatch watch = { f->manager, 0 };

  g_signal_connect (draft, "notify::state", G_CALLBACK (on_state_changed), &watch);

  /* Add: the password is right but a second factor is needed; nothing is saved yet. */
  g_assert_false (add (f, draft, PVE_SIM_ALICE_PASSWORD, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NEED_TFA);
  g_assert_cmpint (pve_remote_get_state (draft), ==, PVE_REMOTE_STATE_NEEDS_CREDENTIALS);
  methods = pve_remote_manager_get_tfa_methods (f->manager, draft);
  g_assert_nonnull (methods);
  g_assert_true (g_strv_contains (methods, "totp"));
  g_assert_false (file_has_group (f, pve_remote_get_id (draft)));
  g_assert_false (keyring_has_item (pve_remote_get_id (draft)));
  g_assert_cmpuint (pve_remote_manager_get_pool_size (f->manager), ==, 0);
  g_clear_error (&error);

  /* A wrong code: still waiting, still nothing saved. */
  g_assert_false (submit_tfa (f, draft, "totp:000000", &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_AUTH_FAILED);
  g_assert_cmpint (pve_remote_get_state (draft), ==, PVE_REMOTE_STATE_NEEDS_CREDENTIALS);
  g_assert_false (file_has_group (f, pve_remote_get_id (draft)));
  g_assert_false (keyring_has_item (pve_remote_get_id (draft)));
  g_clear_error (&error);

  /* The right code completes the add. */
  g_assert_true (submit_tfa (f, draft, "totp:" PVE_SIM_ALICE_TOTP, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pve_remote_get_state (draft), ==, PVE_REMOTE_STATE_CONNECTED);
  g_assert_cmpuint (watch.n_connected, ==, 1);
  g_assert_true (file_has_group (f, pve_remote_get_id (draft)));
  g_assert_true (keyring_has_item (pve_remote_get_id (draft)));
  g_assert_null (pve_remote_manager_get_tfa_methods (f->manager, draft));
  node = request (f, draft, "/version", &error);
  g_assert_no_error (error);
  g_clear_pointer (&node, json_node_unref);

  /* Connect later: password from the keyring, then the code again. */
  pve_remote_manager_disconnect (f->manager, draft);
  g_assert_false (connect_remote (f, draft, NULL, FALSE, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NEED_TFA);
  g_assert_cmpint (pve_remote_get_state (draft), ==, PVE_REMOTE_STATE_NEEDS_CREDENTIALS);
  g_assert_cmpuint (pve_remote_manager_get_pool_size (f->manager), ==, 0);
  g_clear_error (&error);
  g_assert_true (submit_tfa (f, draft, "totp:" PVE_SIM_ALICE_TOTP, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pve_remote_get_state (draft), ==, PVE_REMOTE_STATE_CONNECTED);
  g_assert_cmpuint (watch.n_connected, ==, 2);

  /* A code without a waiting login is refused. */
  g_assert_false (submit_tfa (f, draft, "totp:" PVE_SIM_ALICE_TOTP, &error));
  g_assert_error (error, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_INVALID);
  g_clear_error (&error);

  /* A TFA session cannot log in again unattended: a refused ticket ends it -> FAILED. */
  pve_sim_invalidate_tickets (f->sim);
  node = request (f, draft, "/version", &error);
  g_assert_null (node);
  g_assert_nonnull (error);
  g_clear_error (&error);
  pve_test_wait_until (pve_remote_get_state (draft) == PVE_REMOTE_STATE_FAILED, WAIT_MS);
  g_assert_cmpuint (pve_remote_manager_get_pool_size (f->manager), ==, 0);

  g_signal_handlers_disconnect_by_data (draft, &watch);
}

static void
test_certificate (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(PveRemote) draft = make_draft (f, "pve1", "root", "pam", FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *old_fp = g_strdup (pve_sim_get_fingerprint (f->sim));
  g_autofree char *new_fp = NULL;
  g_autoptr(PveCertificateInfo) fetched = NULL;
  PveCertificateInfo *seen;
  GKeyFile *key_file;

  /* Unknown certificate on add: the user is asked, and no password was sent. */
  g_assert_false (add (f, draft, PVE_SIM_ROOT_PASSWORD, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TLS_UNTRUSTED);
  g_assert_cmpint (pve_remote_get_state (draft), ==, PVE_REMOTE_STATE_NEEDS_TRUST);
  seen = pve_remote_manager_get_peer_certificate (f->manager, draft);
  g_assert_nonnull (seen);
  g_assert_cmpstr (seen->fingerprint, ==, old_fp);
  g_assert_cmpuint (count_requests (f->sim, "POST", "/access/ticket"), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (pve_remote_manager_get_remotes (f->manager)), ==, 0);
  g_clear_error (&error);

  /* Trusted (pinned on the draft), added. */
  pve_remote_manager_pin_certificate_async (f->manager, draft, seen->fingerprint, NULL,
                                            pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  g_assert_true (pve_remote_manager_pin_certificate_finish (f->manager, result, &error));
  g_clear_object (&result);
  g_assert_cmpint (pve_remote_get_state (draft), ==, PVE_REMOTE_STATE_DISCONNECTED);
  g_assert_true (add (f, draft, PVE_SIM_ROOT_PASSWORD, &error));
  g_assert_no_error (error);

  /* The server's certificate changes: refused, naming both fingerprints. */
  pve_remote_manager_disconnect (f->manager, draft);
  pve_sim_swap_certificate (f->sim);
  new_fp = g_strdup (pve_sim_get_fingerprint (f->sim));
  g_assert_cmpstr (old_fp, !=, new_fp);
  pve_sim_clear_requests (f->sim);

  g_assert_false (connect_remote (f, draft, NULL, FALSE, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TLS_CHANGED);
  g_assert_cmpint (pve_remote_get_state (draft), ==, PVE_REMOTE_STATE_NEEDS_TRUST);
  g_assert_nonnull (strstr (pve_remote_get_last_error (draft), old_fp));
  g_assert_nonnull (strstr (pve_remote_get_last_error (draft), new_fp));
  g_assert_cmpstr (pve_remote_manager_get_peer_certificate (f->manager, draft)->fingerprint, ==,
                   new_fp);
  g_assert_cmpuint (pve_remote_manager_get_pool_size (f->manager), ==, 0);
  g_assert_cmpuint (count_requests (f->sim, "POST", "/access/ticket"), ==, 0);
  g_clear_error (&error);

  /* Re-trust explicitly: fetch what the server shows now, pin it, connect. */
  pve_remote_manager_fetch_certificate_async (f->manager, draft, NULL, pve_test_store_result,
                                              &result);
  pve_test_await (&result, WAIT_MS);
  fetched = pve_remote_manager_fetch_certificate_finish (f->manager, result, &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_cmpstr (fetched->fingerprint, ==, new_fp);
  g_assert_nonnull (fetched->subject);
  /* Fetching does not change the pin by itself. */
  g_assert_cmpstr (pve_remote_get_fingerprint (draft), ==, old_fp);

  pve_remote_manager_pin_certificate_async (f->manager, draft, fetched->fingerprint, NULL,
                                            pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  g_assert_true (pve_remote_manager_pin_certificate_finish (f->manager, result, &error));
  g_clear_object (&result);

  key_file = g_key_file_new ();
  g_assert_true (g_key_file_load_from_file (key_file, f->path, G_KEY_FILE_NONE, NULL));
  {
    g_autofree char *pinned = g_key_file_get_string (key_file, pve_remote_get_id (draft),
                                                     "fingerprint", NULL);
    g_assert_cmpstr (pinned, ==, new_fp);
  }
  g_key_file_unref (key_file);

  g_assert_true (connect_remote (f, draft, NULL, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pve_remote_get_state (draft), ==, PVE_REMOTE_STATE_CONNECTED);

  /* A pin that is not a fingerprint is refused. */
  pve_remote_manager_pin_certificate_async (f->manager, draft, "AB:CD", NULL,
                                            pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  g_assert_false (pve_remote_manager_pin_certificate_finish (f->manager, result, &error));
  g_assert_error (error, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_INVALID);
  g_assert_cmpstr (pve_remote_get_fingerprint (draft), ==, new_fp);
}

static void
test_connection_lost (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(PveRemote) remote = add_root (f, "pve1");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint port = f->port;

  /* The server goes away: the next request fails, the remote says so, and leaves the pool. */
  pve_sim_stop (f->sim);
  node = request (f, remote, "/cluster/resources", &error);
  g_assert_null (node);
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NETWORK);
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_FAILED);
  g_assert_true (g_str_has_prefix (pve_remote_get_last_error (remote), "Connection lost: "));
  g_assert_cmpuint (pve_remote_manager_get_pool_size (f->manager), ==, 0);
  {
    g_autofree char *label = pve_remote_dup_accessible_label (remote);
    g_assert_true (g_str_has_prefix (label, "pve1, Connection lost: "));
  }
  g_clear_error (&error);

  /* Later calls fail at once. */
  node = request (f, remote, "/version", &error);
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED);
  g_clear_error (&error);

  /* Reconnect while it is still down: FAILED with "Could not connect…". */
  g_assert_false (connect_remote (f, remote, NULL, FALSE, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NETWORK);
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_FAILED);
  g_assert_true (g_str_has_prefix (pve_remote_get_last_error (remote), "Could not connect"));
  g_clear_error (&error);

  /* A server is back on the same port: Reconnect works. */
  g_clear_object (&f->sim);
  f->sim = pve_sim_new (0, 0, 1);
  g_assert_cmpuint (pve_sim_listen (f->sim, port, &error), ==, port);
  g_assert_no_error (error);
  g_assert_true (connect_remote (f, remote, NULL, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_CONNECTED);
  node = request (f, remote, "/version", &error);
  g_assert_no_error (error);
}

static void
test_heartbeat (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(PveRemote) remote = add_root (f, "pve1");
  guint before;

  /* An idle connected remote is checked with GET /version... */
  pve_sim_clear_requests (f->sim);
  pve_remote_manager_set_heartbeat_interval (f->manager, 1);
  pve_test_wait_until (count_requests (f->sim, "GET", "/version") >= 1, WAIT_MS);
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_CONNECTED);
  before = count_requests (f->sim, "GET", "/version");
  g_assert_cmpuint (before, >=, 1);

  /* ...so a vanished server shows without the user doing anything. */
  pve_sim_stop (f->sim);
  pve_test_wait_until (pve_remote_get_state (remote) == PVE_REMOTE_STATE_FAILED, WAIT_MS);
  g_assert_true (g_str_has_prefix (pve_remote_get_last_error (remote), "Connection lost: "));
  g_assert_cmpuint (pve_remote_manager_get_pool_size (f->manager), ==, 0);

  /* Off means off. */
  pve_remote_manager_set_heartbeat_interval (f->manager, 0);
}

static void
test_disconnect_while_connecting (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(PveRemote) remote = add_root (f, "pve1");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint logins;

  pve_remote_manager_disconnect (f->manager, remote);
  pve_sim_set_latency_ms (f->sim, 300);
  logins = count_requests (f->sim, "POST", "/access/ticket");

  pve_remote_manager_connect_async (f->manager, remote, NULL, FALSE, NULL,
                                    pve_test_store_result, &result);
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_CONNECTING);

  /* Busy: a second connect is refused, not doubled. */
  {
    g_autoptr(GAsyncResult) second = NULL;

    pve_remote_manager_connect_async (f->manager, remote, NULL, FALSE, NULL,
                                      pve_test_store_result, &second);
    pve_test_await (&second, WAIT_MS);
    g_assert_false (pve_remote_manager_connect_finish (f->manager, second, &error));
    g_assert_error (error, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_BUSY);
    g_clear_error (&error);
  }

  /* Wait until the login is on the wire, then disconnect. */
  pve_test_wait_until (count_requests (f->sim, "POST", "/access/ticket") > logins
                       || result != NULL, WAIT_MS);
  pve_remote_manager_disconnect (f->manager, remote);
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_DISCONNECTED);

  pve_test_await (&result, WAIT_MS);
  g_assert_false (pve_remote_manager_connect_finish (f->manager, result, &error));
  g_assert_nonnull (error);

  /* Whatever the server answered, the remote stays disconnected and out of the pool. */
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_DISCONNECTED);
  g_assert_cmpuint (pve_remote_manager_get_pool_size (f->manager), ==, 0);

  /* A caller's own cancel also returns the remote to DISCONNECTED. */
  g_clear_error (&error);
  g_clear_object (&result);
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    pve_remote_manager_connect_async (f->manager, remote, NULL, FALSE, cancellable,
                                      pve_test_store_result, &result);
    g_cancellable_cancel (cancellable);
    pve_test_await (&result, WAIT_MS);
    g_assert_false (pve_remote_manager_connect_finish (f->manager, result, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_DISCONNECTED);
    g_assert_cmpuint (pve_remote_manager_get_pool_size (f->manager), ==, 0);
  }
}

static void
test_remove (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(PveRemote) keep = add_root (f, "keep");
  g_autoptr(PveRemote) remote = add_root (f, "pve1");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_assert_true (keyring_has_item (pve_remote_get_id (remote)));
  g_assert_true (file_has_group (f, pve_remote_get_id (remote)));
  g_assert_cmpuint (pve_remote_manager_get_pool_size (f->manager), ==, 2);

  g_assert_true (remove_remote (f, remote, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_DISCONNECTED);
  g_assert_false (keyring_has_item (pve_remote_get_id (remote)));
  g_assert_false (file_has_group (f, pve_remote_get_id (remote)));
  g_assert_cmpuint (g_list_model_get_n_items (pve_remote_manager_get_remotes (f->manager)), ==, 1);
  g_assert_cmpuint (pve_remote_manager_get_pool_size (f->manager), ==, 1);
  node = request (f, remote, "/version", &error);
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED);
  g_clear_error (&error);

  /* The other remote is untouched. */
  g_assert_true (keyring_has_item (pve_remote_get_id (keep)));
  g_assert_true (file_has_group (f, pve_remote_get_id (keep)));
  g_assert_cmpint (pve_remote_get_state (keep), ==, PVE_REMOTE_STATE_CONNECTED);

  restart (f);
  g_assert_cmpuint (g_list_model_get_n_items (pve_remote_manager_get_remotes (f->manager)), ==, 1);
}

static void
test_autoconnect (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(PveRemote) manual = add_root (f, "manual");
  g_autoptr(PveRemote) draft = make_draft (f, "auto", "root", "pam", TRUE);
  g_autoptr(GError) error = NULL;
  PveRemote *automatic;
  PveRemote *other;

  pve_remote_set_autoconnect (draft, TRUE);
  g_assert_true (add (f, draft, PVE_SIM_ROOT_PASSWORD, &error));
  g_assert_no_error (error);

  restart (f);
  automatic = reloaded (f, draft);
  other = reloaded (f, manual);
  pve_test_wait_until (pve_remote_get_state (automatic) == PVE_REMOTE_STATE_CONNECTED, WAIT_MS);
  g_assert_cmpint (pve_remote_get_state (other), ==, PVE_REMOTE_STATE_DISCONNECTED);
  g_assert_cmpuint (pve_remote_manager_get_pool_size (f->manager), ==, 1);
  g_assert_true (pve_client_is_connected (pve_remote_manager_get_client (f->manager, automatic)));
}

static void
test_token (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(PveRemote) draft = make_draft (f, "ci", "root", "pam", TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  PveRemote *remote;

  pve_remote_set_auth_kind (draft, PVE_AUTH_KIND_TOKEN);
  pve_remote_set_token_id (draft, "ci");

  g_assert_false (add (f, draft, "00000000-0000-0000-0000-000000000000", &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_AUTH_FAILED);
  g_assert_cmpint (pve_remote_get_state (draft), ==, PVE_REMOTE_STATE_FAILED);
  g_assert_false (file_has_group (f, pve_remote_get_id (draft)));
  g_assert_false (keyring_has_item (pve_remote_get_id (draft)));
  g_clear_error (&error);

  g_assert_true (add (f, draft, PVE_SIM_TOKEN_SECRET, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pve_remote_get_state (draft), ==, PVE_REMOTE_STATE_CONNECTED);
  assert_file_lacks (f, PVE_SIM_TOKEN_SECRET);
  node = request (f, draft, "/cluster/resources", &error);
  g_assert_no_error (error);
  g_clear_pointer (&node, json_node_unref);

  restart (f);
  remote = reloaded (f, draft);
  g_assert_cmpint (pve_remote_get_auth_kind (remote), ==, PVE_AUTH_KIND_TOKEN);
  g_assert_true (connect_remote (f, remote, NULL, FALSE, &error));
  g_assert_no_error (error);
  pve_sim_clear_requests (f->sim);
  node = request (f, remote, "/version", &error);
  g_assert_no_error (error);
  g_assert_true (((PveSimRequest *)g_ptr_array_index (pve_sim_get_requests (f->sim), 0))->has_token);
}

static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  struct {
    const char *name;
    const char *host;
    guint       port;
    const char *user;
    const char *realm;
    gboolean    token;
    const char *token_id;
    const char *secret;
    int         code;
  } cases[] = {
    { "", "127.0.0.1", 8006, "root", "pam", FALSE, NULL, "x", PVE_MANAGER_ERROR_INVALID },
    { "   ", "127.0.0.1", 8006, "root", "pam", FALSE, NULL, "x", PVE_MANAGER_ERROR_INVALID },
    { "a", "https://pve1:8006/", 8006, "root", "pam", FALSE, NULL, "x", PVE_MANAGER_ERROR_INVALID },
    { "a", "", 8006, "root", "pam", FALSE, NULL, "x", PVE_MANAGER_ERROR_INVALID },
    { "a", "pve 1", 8006, "root", "pam", FALSE, NULL, "x", PVE_MANAGER_ERROR_INVALID },
    { "a", "127.0.0.1", 0, "root", "pam", FALSE, NULL, "x", PVE_MANAGER_ERROR_INVALID },
    { "a", "127.0.0.1", 70000, "root", "pam", FALSE, NULL, "x", PVE_MANAGER_ERROR_INVALID },
    { "a", "127.0.0.1", 8006, "", "pam", FALSE, NULL, "x", PVE_MANAGER_ERROR_INVALID },
    { "a", "127.0.0.1", 8006, "root@pam", "pam", FALSE, NULL, "x", PVE_MANAGER_ERROR_INVALID },
    { "a", "127.0.0.1", 8006, "root", "", FALSE, NULL, "x", PVE_MANAGER_ERROR_INVALID },
    { "a", "127.0.0.1", 8006, "root", "pam", TRUE, NULL, "x", PVE_MANAGER_ERROR_INVALID },
    { "a", "127.0.0.1", 8006, "root", "pam", TRUE, "root@pam!ci", "x", PVE_MANAGER_ERROR_INVALID },
    { "a", "127.0.0.1", 8006, "root", "pam", FALSE, NULL, "", PVE_MANAGER_ERROR_INVALID },
    { "a", "127.0.0.1", 8006, "root", "pam", FALSE, NULL, NULL, PVE_MANAGER_ERROR_INVALID },
    { "Taken", "127.0.0.1", 8006, "root", "pam", FALSE, NULL, "x", PVE_MANAGER_ERROR_DUPLICATE_NAME },
  };
  g_autoptr(PveRemote) taken = add_root (f, "taken");

  pve_sim_clear_requests (f->sim);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PveRemote) draft = pve_remote_new ();
      g_autoptr(GError) error = NULL;

      pve_remote_set_name (draft, cases[i].name);
      pve_remote_set_host (draft, cases[i].host);
      pve_remote_set_port (draft, cases[i].port);
      pve_remote_set_user (draft, cases[i].user);
      pve_remote_set_realm (draft, cases[i].realm);
      if (cases[i].token)
        pve_remote_set_auth_kind (draft, PVE_AUTH_KIND_TOKEN);
      pve_remote_set_token_id (draft, cases[i].token_id);

      g_test_message ("case %u", i);
      g_assert_false (add (f, draft, cases[i].secret, &error));
      g_assert_error (error, PVE_MANAGER_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, !=, "");
      g_assert_cmpint (pve_remote_get_state (draft), ==, PVE_REMOTE_STATE_DISCONNECTED);
    }

  g_assert_cmpuint (pve_sim_get_request_count (f->sim), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (pve_remote_manager_get_remotes (f->manager)), ==, 1);
}

static void
test_update (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(PveRemote) remote = add_root (f, "pve1");
  g_autoptr(PveRemote) config = pve_remote_dup_config (remote);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *name = NULL;

  /* A new name only: still connected. */
  pve_remote_set_name (config, "renamed");
  pve_remote_manager_update_async (f->manager, remote, config, NULL, NULL,
                                   pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  g_assert_true (pve_remote_manager_update_finish (f->manager, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpstr (pve_remote_get_name (remote), ==, "renamed");
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_CONNECTED);
  g_assert_true (g_key_file_load_from_file (key_file, f->path, G_KEY_FILE_NONE, NULL));
  name = g_key_file_get_string (key_file, pve_remote_get_id (remote), "name", NULL);
  g_assert_cmpstr (name, ==, "renamed");

  /* Another user: disconnected, and the new password replaces the old one. */
  pve_remote_set_user (config, "audit");
  pve_remote_set_realm (config, "pve");
  pve_remote_manager_update_async (f->manager, remote, config, PVE_SIM_AUDIT_PASSWORD, NULL,
                                   pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  g_assert_true (pve_remote_manager_update_finish (f->manager, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_DISCONNECTED);
  g_assert_cmpuint (pve_remote_manager_get_pool_size (f->manager), ==, 0);

  g_assert_true (connect_remote (f, remote, NULL, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pve_client_get_username (pve_remote_manager_get_client (f->manager, remote)),
                   ==, "audit@pve");

  /* An invalid edit changes nothing. */
  pve_remote_set_port (config, 0);
  pve_remote_manager_update_async (f->manager, remote, config, NULL, NULL,
                                   pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  g_assert_false (pve_remote_manager_update_finish (f->manager, result, &error));
  g_assert_error (error, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_INVALID);
  g_assert_cmpuint (pve_remote_get_port (remote), ==, f->port);
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_CONNECTED);
}

/* One request; TRUE once the client renewed its ticket at least once. */
static gboolean
request_and_check_renewed (Fixture   *f,
                           PveRemote *remote)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = request (f, remote, "/version", &error);

  g_assert_no_error (error);
  return pve_client_get_renew_count (pve_remote_manager_get_client (f->manager, remote)) > 0;
}

static void
test_client_settings (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(PveRemote) remote = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 started;

  /* Settings reach every new client: a 1 s request timeout and renewal after 1 s. */
  pve_remote_manager_set_timeouts (f->manager, 3, 1);
  pve_remote_manager_set_renew_after (f->manager, 1);
  remote = add_root (f, "pve1");

  pve_sim_set_fault (f->sim, "/cluster/resources", PVE_SIM_FAULT_HANG, 1);
  started = g_get_monotonic_time ();
  node = request (f, remote, "/cluster/resources", &error);
  g_assert_null (node);
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 4 * G_USEC_PER_SEC);
  g_clear_error (&error);

  /* A slow answer is not a lost connection. */
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_CONNECTED);
  g_assert_cmpuint (pve_remote_manager_get_pool_size (f->manager), ==, 1);

  pve_test_wait_until (request_and_check_renewed (f, remote), WAIT_MS);
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_CONNECTED);

  /* Tickets refused (server restart): the client logs in again with the stored password;
   * the remote stays connected, nothing is reported as lost. */
  pve_sim_invalidate_tickets (f->sim);
  node = request (f, remote, "/cluster/resources", &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_CONNECTED);
}

static void
test_corrupt_store (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PveRemote) remote = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (f->path, "[broken\nhost=1\n", -1, NULL));
  drop_manager (f);
  f->manager = new_manager (f);
  pve_remote_manager_load_async (f->manager, NULL, pve_test_store_result, &result);
  pve_test_await (&result, WAIT_MS);
  g_assert_false (pve_remote_manager_load_finish (f->manager, result, &error));
  g_assert_error (error, PVE_STORE_ERROR, PVE_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "remotes.ini.bak-"));
  g_assert_cmpuint (g_list_model_get_n_items (pve_remote_manager_get_remotes (f->manager)), ==, 0);

  /* Still usable: a new remote can be added, and the backup stays beside it. */
  remote = add_root (f, "pve1");
  g_assert_true (file_has_group (f, pve_remote_get_id (remote)));
  {
    g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
    const char *name;
    guint backups = 0;

    while ((name = g_dir_read_name (listing)) != NULL)
      if (g_str_has_prefix (name, "remotes.ini.bak-"))
        backups++;
    g_assert_cmpuint (backups, ==, 1);
  }
}

/* Run in a child whose session bus does not exist: no keyring at all. */
static void
test_keyring_unavailable (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(PveRemote) draft = NULL;
  g_autoptr(GError) error = NULL;
  PveRemote *remote;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  /* Nothing in this child has touched D-Bus yet (the fixture's load only reads a file). */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus", TRUE);

  /* Add still works: the remote is saved, the password kept for this run only. */
  draft = make_draft (f, "pve1", "root", "pam", TRUE);
  g_assert_true (add (f, draft, PVE_SIM_ROOT_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pve_remote_get_state (draft), ==, PVE_REMOTE_STATE_CONNECTED);
  g_assert_false (pve_remote_manager_get_keyring_available (f->manager));
  g_assert_true (file_has_group (f, pve_remote_get_id (draft)));
  assert_file_lacks (f, PVE_SIM_ROOT_PASSWORD);

  /* Reconnecting in the same run uses the password kept in memory. */
  pve_remote_manager_disconnect (f->manager, draft);
  g_assert_true (connect_remote (f, draft, NULL, FALSE, &error));
  g_assert_no_error (error);

  /* The next run asks, saying why. */
  restart (f);
  remote = reloaded (f, draft);
  g_assert_false (connect_remote (f, remote, NULL, FALSE, &error));
  g_assert_error (error, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_NEEDS_CREDENTIALS);
  g_assert_nonnull (strstr (error->message, "keyring cannot be reached"));
  g_assert_nonnull (strstr (error->message, "pve1"));
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_NEEDS_CREDENTIALS);
  g_assert_false (pve_remote_manager_get_keyring_available (f->manager));
  g_clear_error (&error);

  /* Typed in with "remember": connected, kept for the run, never written anywhere. */
  g_assert_true (connect_remote (f, remote, PVE_SIM_ROOT_PASSWORD, TRUE, &error));
  g_assert_no_error (error);
  assert_file_lacks (f, PVE_SIM_ROOT_PASSWORD);
  pve_remote_manager_disconnect (f->manager, remote);
  g_assert_true (connect_remote (f, remote, NULL, FALSE, &error));
  g_assert_no_error (error);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/pve/manager/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("add/wrong-then-right", test_add_wrong_then_right);
  ADD ("restart-and-reconnect", test_restart_and_reconnect);
  ADD ("needs-credentials", test_needs_credentials);
  ADD ("tfa", test_tfa);
  ADD ("certificate", test_certificate);
  ADD ("connection-lost", test_connection_lost);
  ADD ("heartbeat", test_heartbeat);
  ADD ("disconnect-while-connecting", test_disconnect_while_connecting);
  ADD ("remove", test_remove);
  ADD ("autoconnect", test_autoconnect);
  ADD ("token", test_token);
  ADD ("validation", test_validation);
  ADD ("update", test_update);
  ADD ("corrupt-store", test_corrupt_store);
  ADD ("client-settings", test_client_settings);
  ADD ("keyring-unavailable", test_keyring_unavailable);

#undef ADD

  return g_test_run ();
}

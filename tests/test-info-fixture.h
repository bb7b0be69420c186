/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Shared by test-node-info.c and test-cluster-info.c: recorded fixtures, and a fixture with an
 * in-process simulator and a PveRemoteManager whose remote is connected over real TLS.
 * Include after the headers of the unit under test.
 */
#pragma once

#include <string.h>

#include <glib/gstdio.h>

#include "pve-api.h"
#include "pve-client.h"
#include "pve-remote-manager.h"
#include "pve-sim.h"

/* ---- fixtures -------------------------------------------------------------------------- */

static JsonNode *
load_fixture_data (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "fixtures", name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *data;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  data = pve_api_unwrap_envelope (contents, length, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (data);
  return data;
}

static JsonNode *
json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

/* ---- the simulator and a connected remote ------------------------------------------------ */

typedef struct
{
  PveSim           *sim;
  PveRemoteManager *manager;
  PveRemote        *remote;
  char             *tmpdir;
} SimFixture;

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until *result is set, failing after 20 s. */
static void
wait_for_result (GAsyncResult **result)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (20, timeout_cb, &timed_out);

  while (*result == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

static void
store_result (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
sim_fixture_setup (SimFixture    *fx,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PveRemoteStore) store = NULL;
  g_autoptr(PveSecrets) secrets = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *path = NULL;
  guint port;

  fx->sim = pve_sim_new (3, 12, 7);
  pve_sim_set_task_duration_ms (fx->sim, 200);
  port = pve_sim_listen (fx->sim, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (port, >, 0);

  fx->tmpdir = g_dir_make_tmp ("pve-info-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fx->tmpdir, "remotes.ini", NULL);
  store = pve_remote_store_new (path);
  secrets = pve_secrets_new ();
  fx->manager = pve_remote_manager_new (store, secrets);
  pve_remote_manager_set_heartbeat_interval (fx->manager, 0);

  fx->remote = pve_remote_new ();
  pve_remote_set_name (fx->remote, "sim");
  pve_remote_set_host (fx->remote, "127.0.0.1");
  pve_remote_set_port (fx->remote, port);
  pve_remote_set_user (fx->remote, "root");
  pve_remote_set_realm (fx->remote, "pam");
  pve_remote_set_fingerprint (fx->remote, pve_sim_get_fingerprint (fx->sim));
  pve_remote_store_add (store, fx->remote);

  pve_remote_manager_connect_async (fx->manager, fx->remote, PVE_SIM_ROOT_PASSWORD, FALSE, NULL,
                                    store_result, &result);
  wait_for_result (&result);
  pve_remote_manager_connect_finish (fx->manager, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pve_remote_get_state (fx->remote), ==, PVE_REMOTE_STATE_CONNECTED);
  pve_sim_clear_requests (fx->sim);
}

static void
sim_fixture_teardown (SimFixture    *fx,
                      gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fx->tmpdir, "remotes.ini", NULL);

  pve_remote_manager_disconnect_all (fx->manager);
  g_clear_object (&fx->remote);
  g_clear_object (&fx->manager);
  pve_sim_stop (fx->sim);
  g_clear_object (&fx->sim);
  g_unlink (path);
  g_rmdir (fx->tmpdir);
  g_clear_pointer (&fx->tmpdir, g_free);
}

/* The requests the simulator saw whose path starts with prefix. */
static guint
count_requests (PveSim     *sim,
                const char *prefix)
{
  GPtrArray *requests = pve_sim_get_requests (sim);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      PveSimRequest *req = g_ptr_array_index (requests, i);

      if (g_str_has_prefix (req->path, prefix))
        n++;
    }
  return n;
}

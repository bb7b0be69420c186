/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveGuest and PveGuestList against the real simulator over real TLS, with a real
 * PveRemoteManager (temporary store, the test session's throw-away keyring).
 */
#include <glib/gstdio.h>
#include <string.h>
#include <time.h>

#include "pve-api.h"
#include "pve-guest.h"
#include "pve-guest-list.h"
#include "pve-remote-manager.h"
#include "pve-sim.h"

/* ---- Helpers --------------------------------------------------------------------------------- */

static gboolean
tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main context until expr holds or ms have passed, then asserts expr. */
#define WAIT_UNTIL(expr, ms)                                                  \
  G_STMT_START {                                                              \
    gint64 end_ = g_get_monotonic_time () + (gint64)(ms) * 1000;              \
    guint tick_ = g_timeout_add (10, tick, NULL);                             \
    while (!(expr) && g_get_monotonic_time () < end_)                         \
      g_main_context_iteration (NULL, TRUE);                                  \
    g_source_remove (tick_);                                                  \
    g_assert_true (expr);                                                     \
  } G_STMT_END

/* Runs the main context for ms (only to check that something does NOT happen). */
static void
run_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64)ms * 1000;
  guint id = g_timeout_add (10, tick, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

typedef struct
{
  char             *dir;
  PveRemoteStore   *store;
  PveSecrets       *secrets;
  PveRemoteManager *manager;
} Env;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

static void
env_init (Env *env)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *path = NULL;

  env->dir = g_dir_make_tmp ("pve-guest-list-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (env->dir, "remotes.ini", NULL);
  env->store = pve_remote_store_new (path);
  env->secrets = pve_secrets_new ();
  env->manager = pve_remote_manager_new (env->store, env->secrets);
  pve_remote_manager_set_timeouts (env->manager, 5, 20);
  pve_remote_manager_set_heartbeat_interval (env->manager, 0);

  pve_remote_manager_load_async (env->manager, NULL, on_done, &result);
  WAIT_UNTIL (result != NULL, 10000);
  g_assert_true (pve_remote_manager_load_finish (env->manager, result, &error));
  g_assert_no_error (error);
}

static void
env_clear (Env *env)
{
  g_autofree char *path = g_build_filename (env->dir, "remotes.ini", NULL);

  pve_remote_manager_disconnect_all (env->manager);
  g_clear_object (&env->manager);
  g_clear_object (&env->secrets);
  g_clear_object (&env->store);
  g_unlink (path);
  g_rmdir (env->dir);
  g_clear_pointer (&env->dir, g_free);
}

static PveSim *
start_sim (guint n_nodes,
           guint n_guests,
           guint32 seed)
{
  g_autoptr(GError) error = NULL;
  PveSim *sim = pve_sim_new (n_nodes, n_guests, seed);

  g_assert_cmpuint (pve_sim_listen (sim, 0, &error), >, 0);
  g_assert_no_error (error);
  return sim;
}

static PveRemote *
add_remote (Env        *env,
            PveSim     *sim,
            const char *name,
            const char *user,
            const char *realm,
            const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  PveRemote *remote = pve_remote_new ();

  pve_remote_set_name (remote, name);
  pve_remote_set_host (remote, "127.0.0.1");
  pve_remote_set_port (remote, pve_sim_get_port (sim));
  pve_remote_set_user (remote, user);
  pve_remote_set_realm (remote, realm);
  pve_remote_set_auth_kind (remote, PVE_AUTH_KIND_PASSWORD);
  pve_remote_set_fingerprint (remote, pve_sim_get_fingerprint (sim));

  pve_remote_manager_add_async (env->manager, remote, password, NULL, on_done, &result);
  WAIT_UNTIL (result != NULL, 20000);
  g_assert_true (pve_remote_manager_add_finish (env->manager, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pve_remote_get_state (remote), ==, PVE_REMOTE_STATE_CONNECTED);

  return remote;
}

static guint
count_requests (PveSim     *sim,
                const char *method,
                const char *prefix)
{
  GPtrArray *requests = pve_sim_get_requests (sim);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      PveSimRequest *request = g_ptr_array_index (requests, i);

      if (g_str_equal (request->method, method) && g_str_has_prefix (request->path, prefix))
        n++;
    }
  return n;
}

/* Exactly this many GET /cluster/resources?type=vm, and no per-node guest listing. */
static void
assert_resource_requests (PveSim *sim,
                          guint   expected)
{
  GPtrArray *requests = pve_sim_get_requests (sim);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      PveSimRequest *request = g_ptr_array_index (requests, i);

      if (g_str_equal (request->path, "/cluster/resources"))
        {
          g_assert_cmpstr (request->method, ==, "GET");
          g_assert_cmpstr (request->query, ==, "type=vm");
          n++;
        }
      /* Never one request per node. */
      if (g_str_has_prefix (request->path, "/nodes/"))
        {
          g_assert_false (g_str_has_suffix (request->path, "/qemu"));
          g_assert_false (g_str_has_suffix (request->path, "/lxc"));
        }
    }
  g_assert_cmpuint (n, ==, expected);
}

typedef struct
{
  guint n_refreshed;
  guint n_errors;
  guint n_items_changed;
  guint added;
  guint removed;
  GError *last_error;
} Counters;

static void
on_refreshed (PveGuestList *list,
              PveRemote    *remote,
              Counters     *counters)
{
  counters->n_refreshed++;
}

static void
on_remote_error (PveGuestList *list,
                 PveRemote    *remote,
                 GError       *error,
                 Counters     *counters)
{
  counters->n_errors++;
  g_clear_error (&counters->last_error);
  counters->last_error = g_error_copy (error);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Counters   *counters)
{
  /* Every signal describes the model as it is now. */
  g_assert_cmpuint (position + added, <=, g_list_model_get_n_items (model));
  counters->n_items_changed++;
  counters->added += added;
  counters->removed += removed;
}

static void
watch (PveGuestList *list,
       Counters     *counters)
{
  g_signal_connect (list, "refreshed", G_CALLBACK (on_refreshed), counters);
  g_signal_connect (list, "remote-error", G_CALLBACK (on_remote_error), counters);
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), counters);
}

static PveGuest *
find_guest (GListModel *model,
            gboolean  (*match) (PveGuest *guest))
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PveGuest) guest = g_list_model_get_item (model, i);

      if (match (guest))
        return guest;  /* the list keeps it alive */
    }
  return NULL;
}

static gboolean
is_offline (PveGuest *guest)
{
  return g_strcmp0 (pve_guest_get_status (guest), "unknown") == 0;
}

static gboolean
is_template (PveGuest *guest)
{
  return pve_guest_get_template (guest);
}

/* ---- PveGuest from recorded answers --------------------------------------------------------- */

static GPtrArray *
parse_resources (const char *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  GPtrArray *resources;

  data = pve_api_unwrap_envelope (body, strlen (body), NULL, &error);
  g_assert_no_error (error);
  resources = pve_api_parse_resources (data, &error);
  g_assert_no_error (error);
  return resources;
}

static const PveResource *
resource_by_id (GPtrArray  *resources,
                const char *id)
{
  for (guint i = 0; i < resources->len; i++)
    {
      const PveResource *resource = g_ptr_array_index (resources, i);

      if (g_strcmp0 (resource->id, id) == 0)
        return resource;
    }
  g_assert_not_reached ();
}

static void
test_guest_fixture (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GPtrArray) resources = NULL;
  g_autoptr(PveRemote) remote = pve_remote_new_with_id ("r1");
  g_autoptr(PveGuest) vm = NULL;
  g_autoptr(PveGuest) ct = NULL;
  g_autoptr(PveGuest) tmpl = NULL;

  pve_remote_set_name (remote, "lab");

  path = g_test_build_filename (G_TEST_DIST, "data", "fixtures",
                                "cluster-resources-type-vm.community-proxmox.json", NULL);
  g_file_get_contents (path, &body, NULL, &error);
  g_assert_no_error (error);
  resources = parse_resources (body);

  vm = pve_guest_new_from_resource (remote, resource_by_id (resources, "qemu/100"));
  g_assert_cmpstr (pve_guest_get_key (vm), ==, "r1/qemu/100");
  g_assert_cmpstr (pve_guest_get_id (vm), ==, "qemu/100");
  g_assert_cmpint (pve_guest_get_vmid (vm), ==, 100);
  g_assert_cmpstr (pve_guest_get_guest_type (vm), ==, "qemu");
  g_assert_cmpstr (pve_guest_get_node (vm), ==, "pve");
  g_assert_cmpstr (pve_guest_get_status (vm), ==, "running");
  g_assert_cmpstr (pve_guest_get_display_name (vm), ==, "pxe.home.arpa");
  g_assert_cmpstr (pve_guest_get_remote_name (vm), ==, "lab");
  g_assert_true (pve_guest_get_remote (vm) == remote);
  g_assert_true (pve_guest_get_has_stats (vm));
  g_assert_false (pve_guest_get_template (vm));
  g_assert_cmpint (pve_guest_get_maxmem (vm), ==, 4294967296);
  g_assert_cmpint (pve_guest_get_uptime (vm), ==, 669);
  g_assert_cmpfloat_with_epsilon (pve_guest_get_cpu (vm), 0.174069059487628, 1e-9);

  /* A container the server sent without a name. */
  ct = pve_guest_new_from_resource (remote, resource_by_id (resources, "lxc/105"));
  g_assert_cmpstr (pve_guest_get_guest_type (ct), ==, "lxc");
  g_assert_null (pve_guest_get_name (ct));
  g_assert_cmpstr (pve_guest_get_display_name (ct), ==, "CT 105");
  g_assert_cmpstr (pve_guest_get_pool (ct), ==, "pool1");

  g_clear_pointer (&resources, g_ptr_array_unref);
  g_clear_pointer (&body, g_free);
  g_clear_pointer (&path, g_free);
  path = g_test_build_filename (G_TEST_DIST, "data", "fixtures",
                                "cluster-resources.go-proxmox-pve9x.json", NULL);
  g_file_get_contents (path, &body, NULL, &error);
  g_assert_no_error (error);
  resources = parse_resources (body);
  tmpl = pve_guest_new_from_resource (remote, resource_by_id (resources, "qemu/101"));
  g_assert_true (pve_guest_get_template (tmpl));
  g_assert_cmpstr (pve_guest_get_display_name (tmpl), ==, "leap154");
}

static guint n_notifies;

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           GPtrArray  *names)
{
  n_notifies++;
  g_ptr_array_add (names, g_strdup (pspec->name));
}

static gboolean
names_contain (GPtrArray  *names,
               const char *name)
{
  return g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL);
}

static void
test_guest_quirks (void)
{
  /* String vmid, numbers as strings, 0/1 and "1" booleans, a guest of an offline node. */
  static const char body[] =
    "{\"data\":["
    "{\"id\":\"lxc/201\",\"type\":\"lxc\",\"vmid\":\"201\",\"node\":\"pve1\",\"status\":\"running\","
    " \"name\":\"ct201\",\"template\":\"0\",\"maxcpu\":\"2\",\"cpu\":\"0.5\",\"mem\":\"1024\","
    " \"maxmem\":2048,\"uptime\":\"60\",\"tags\":\"web;prod\"},"
    "{\"id\":\"qemu/9000\",\"type\":\"qemu\",\"vmid\":9000,\"node\":\"pve1\",\"status\":\"stopped\","
    " \"name\":\"tmpl\",\"template\":\"1\",\"maxcpu\":1,\"cpu\":0,\"mem\":0,\"maxmem\":1,\"uptime\":0},"
    "{\"id\":\"qemu/300\",\"type\":\"qemu\",\"vmid\":300,\"node\":\"pve3\",\"status\":\"unknown\"}"
    "]}";
  static const char update[] =
    "{\"data\":["
    "{\"id\":\"lxc/201\",\"type\":\"lxc\",\"vmid\":201,\"node\":\"pve1\",\"status\":\"running\","
    " \"name\":\"ct201\",\"template\":0,\"maxcpu\":2,\"cpu\":0.25,\"mem\":1024,"
    " \"maxmem\":2048,\"uptime\":65,\"tags\":\"web;prod\"}"
    "]}";
  g_autoptr(GPtrArray) resources = parse_resources (body);
  g_autoptr(GPtrArray) updates = parse_resources (update);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PveRemote) remote = pve_remote_new_with_id ("r2");
  g_autoptr(PveGuest) ct = NULL;
  g_autoptr(PveGuest) tmpl = NULL;
  g_autoptr(PveGuest) offline = NULL;
  g_auto(GStrv) tags = NULL;

  ct = pve_guest_new_from_resource (remote, resource_by_id (resources, "lxc/201"));
  g_assert_cmpint (pve_guest_get_vmid (ct), ==, 201);
  g_assert_false (pve_guest_get_template (ct));
  g_assert_cmpint (pve_guest_get_maxcpu (ct), ==, 2);
  g_assert_cmpint (pve_guest_get_mem (ct), ==, 1024);
  g_assert_cmpint (pve_guest_get_uptime (ct), ==, 60);
  g_assert_cmpfloat_with_epsilon (pve_guest_get_cpu (ct), 0.5, 1e-9);
  tags = pve_guest_dup_tag_list (ct);
  g_assert_cmpuint (g_strv_length (tags), ==, 2);
  g_assert_cmpstr (tags[0], ==, "web");
  g_assert_cmpstr (tags[1], ==, "prod");

  tmpl = pve_guest_new_from_resource (remote, resource_by_id (resources, "qemu/9000"));
  g_assert_true (pve_guest_get_template (tmpl));

  offline = pve_guest_new_from_resource (remote, resource_by_id (resources, "qemu/300"));
  g_assert_false (pve_guest_get_has_stats (offline));
  g_assert_cmpstr (pve_guest_get_status (offline), ==, "unknown");
  g_assert_cmpstr (pve_guest_get_node (offline), ==, "pve3");
  g_assert_cmpstr (pve_guest_get_display_name (offline), ==, "VM 300");

  /* An update notifies exactly what changed, once each. */
  g_signal_connect (ct, "notify", G_CALLBACK (on_notify), names);
  n_notifies = 0;
  g_assert_true (pve_guest_update_from_resource (ct, resource_by_id (updates, "lxc/201")));
  g_assert_cmpuint (n_notifies, ==, 2);
  g_assert_true (names_contain (names, "cpu"));
  g_assert_true (names_contain (names, "uptime"));

  /* The same again changes nothing and notifies nothing. */
  n_notifies = 0;
  g_assert_false (pve_guest_update_from_resource (ct, resource_by_id (updates, "lxc/201")));
  g_assert_cmpuint (n_notifies, ==, 0);

  /* Busy state for actions. */
  n_notifies = 0;
  g_ptr_array_set_size (names, 0);
  pve_guest_set_busy (ct, TRUE, "Starting…");
  g_assert_true (pve_guest_get_busy (ct));
  g_assert_cmpstr (pve_guest_get_busy_label (ct), ==, "Starting…");
  g_assert_cmpuint (n_notifies, ==, 2);
  pve_guest_set_busy (ct, FALSE, NULL);
  g_assert_false (pve_guest_get_busy (ct));
  g_assert_null (pve_guest_get_busy_label (ct));

  g_signal_handlers_disconnect_by_func (ct, on_notify, names);
  g_assert_finalize_object (g_steal_pointer (&ct));
}

/* ---- PveGuestList ---------------------------------------------------------------------------- */

static void
test_list_populate (void)
{
  Env env = { 0 };
  g_autoptr(PveSim) sim = start_sim (3, 12, 7);
  g_autoptr(PveRemote) remote = NULL;
  g_autoptr(PveGuestList) list = NULL;
  Counters counters = { 0 };
  PveGuest *offline;
  PveGuest *tmpl;
  PveGuestListStats stats;

  env_init (&env);
  remote = add_remote (&env, sim, "lab", "root", "pam", PVE_SIM_ROOT_PASSWORD);
  pve_sim_clear_requests (sim);

  list = pve_guest_list_new (env.manager);
  watch (list, &counters);
  g_assert_cmpuint (pve_guest_list_get_refresh_interval (list), ==, 5);
  /* A connected remote is refreshed at once. */
  g_assert_true (pve_guest_list_get_loading (list));
  WAIT_UNTIL (counters.n_refreshed == 1, 20000);
  g_assert_false (pve_guest_list_get_loading (list));
  g_assert_cmpuint (counters.n_errors, ==, 0);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, pve_sim_get_n_guests (sim));
  /* All guests arrived in one items-changed. */
  g_assert_cmpuint (counters.n_items_changed, ==, 1);
  g_assert_cmpuint (counters.added, ==, pve_sim_get_n_guests (sim));
  assert_resource_requests (sim, 1);
  g_assert_cmpuint (pve_guest_list_get_request_count (list), ==, 1);

  /* The guest of the offline node is shown, without stats. */
  offline = find_guest (G_LIST_MODEL (list), is_offline);
  g_assert_nonnull (offline);
  g_assert_false (pve_guest_get_has_stats (offline));
  g_assert_nonnull (pve_guest_get_display_name (offline));
  g_assert_cmpfloat (pve_guest_get_cpu (offline), ==, 0.0);

  tmpl = find_guest (G_LIST_MODEL (list), is_template);
  g_assert_nonnull (tmpl);

  g_assert_true (pve_guest_list_lookup (list, pve_guest_get_key (tmpl)) == tmpl);
  g_assert_true (pve_guest_list_lookup_vmid (list, remote, pve_guest_get_vmid (tmpl)) == tmpl);
  g_assert_true (pve_guest_get_remote (tmpl) == remote);
  g_assert_cmpstr (pve_guest_get_remote_name (tmpl), ==, "lab");

  g_assert_true (pve_guest_list_get_stats (list, remote, &stats));
  g_assert_cmpuint (stats.n_resources, ==, pve_sim_get_n_guests (sim));
  g_assert_cmpuint (stats.n_added, ==, pve_sim_get_n_guests (sim));
  g_assert_cmpint (stats.started, <=, stats.answered);
  g_assert_cmpint (stats.answered, <=, stats.parsed);
  g_assert_cmpint (stats.parsed, <=, stats.merged);

  g_assert_finalize_object (g_steal_pointer (&list));
  env_clear (&env);
}

static void
test_list_in_place (void)
{
  Env env = { 0 };
  g_autoptr(PveSim) sim = start_sim (3, 12, 11);
  g_autoptr(PveRemote) remote = NULL;
  g_autoptr(PveGuestList) list = NULL;
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) upid = NULL;
  g_autofree char *path = NULL;
  g_autofree char *vmid_str = NULL;
  Counters counters = { 0 };
  PveGuest *guest;
  guint n;
  gint64 vmid;

  env_init (&env);
  remote = add_remote (&env, sim, "lab", "root", "pam", PVE_SIM_ROOT_PASSWORD);
  pve_sim_set_task_duration_ms (sim, 50);

  list = pve_guest_list_new (env.manager);
  watch (list, &counters);
  WAIT_UNTIL (counters.n_refreshed == 1, 20000);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (before, g_list_model_get_item (G_LIST_MODEL (list), i));

  /* Two refreshes asked for at once never overlap: the second runs after the first. */
  pve_sim_clear_requests (sim);
  counters.n_items_changed = 0;
  pve_guest_list_refresh_now (list);
  pve_guest_list_refresh_now (list);
  pve_guest_list_refresh_now (list);
  WAIT_UNTIL (counters.n_refreshed == 3, 20000);
  run_for (100);
  g_assert_cmpuint (counters.n_refreshed, ==, 3);
  assert_resource_requests (sim, 2);

  /* Nothing added or removed: no items-changed, the very same objects at the same places. */
  g_assert_cmpuint (counters.n_items_changed, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PveGuest) now = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_assert_true (now == g_ptr_array_index (before, i));
    }

  /* A guest started behind the list's back changes status in place. */
  vmid = pve_sim_find_guest (sim, "qemu", "stopped");
  g_assert_cmpint (vmid, >, 0);
  guest = pve_guest_list_lookup_vmid (list, remote, vmid);
  g_assert_nonnull (guest);
  g_assert_cmpstr (pve_guest_get_status (guest), ==, "stopped");
  vmid_str = g_strdup_printf ("%" G_GINT64_FORMAT, vmid);
  path = pve_client_build_path ("nodes", pve_guest_get_node (guest), "qemu", vmid_str,
                                "status", "start", NULL);
  pve_remote_manager_request_async (env.manager, remote, "POST", path, NULL, NULL,
                                    on_done, &result);
  WAIT_UNTIL (result != NULL, 10000);
  upid = pve_remote_manager_request_finish (env.manager, result, NULL, &error);
  g_assert_no_error (error);
  WAIT_UNTIL (g_strcmp0 (pve_sim_get_guest_status (sim, vmid), "running") == 0, 10000);

  pve_guest_list_refresh_remote (list, remote);
  WAIT_UNTIL (counters.n_refreshed == 4, 20000);
  g_assert_cmpstr (pve_guest_get_status (guest), ==, "running");
  g_assert_true (pve_guest_list_lookup_vmid (list, remote, vmid) == guest);
  g_assert_cmpuint (counters.n_items_changed, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);

  g_assert_finalize_object (g_steal_pointer (&list));
  env_clear (&env);
}

static void
test_list_disconnect (void)
{
  Env env = { 0 };
  g_autoptr(PveSim) sim = start_sim (3, 12, 3);
  g_autoptr(PveRemote) remote = NULL;
  g_autoptr(PveGuestList) list = NULL;
  Counters counters = { 0 };

  env_init (&env);
  remote = add_remote (&env, sim, "lab", "root", "pam", PVE_SIM_ROOT_PASSWORD);

  list = pve_guest_list_new (env.manager);
  watch (list, &counters);
  WAIT_UNTIL (counters.n_refreshed == 1, 20000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, pve_sim_get_n_guests (sim));

  /* Disconnecting removes the remote's guests at once. */
  counters.n_items_changed = 0;
  pve_remote_manager_disconnect (env.manager, remote);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_cmpuint (counters.removed, ==, pve_sim_get_n_guests (sim));
  g_assert_cmpuint (counters.n_items_changed, ==, 1);

  /* A refresh of a disconnected remote sends nothing. */
  pve_sim_clear_requests (sim);
  pve_guest_list_refresh_now (list);
  g_assert_false (pve_guest_list_get_loading (list));
  run_for (200);
  assert_resource_requests (sim, 0);
  g_assert_cmpuint (counters.n_errors, ==, 0);

  /* Disconnect in the middle of a refresh: the late answer is dropped. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    pve_remote_manager_connect_async (env.manager, remote, PVE_SIM_ROOT_PASSWORD, FALSE, NULL,
                                      on_done, &result);
    WAIT_UNTIL (result != NULL, 20000);
    g_assert_true (pve_remote_manager_connect_finish (env.manager, result, &error));
    g_assert_no_error (error);
  }
  /* Connecting refreshes at once. */
  WAIT_UNTIL (counters.n_refreshed == 2, 20000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, pve_sim_get_n_guests (sim));

  pve_sim_set_latency_ms (sim, 300);
  pve_guest_list_refresh_now (list);
  g_assert_true (pve_guest_list_get_loading (list));
  pve_remote_manager_disconnect (env.manager, remote);
  g_assert_false (pve_guest_list_get_loading (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  run_for (600);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_cmpuint (counters.n_refreshed, ==, 2);

  g_assert_finalize_object (g_steal_pointer (&list));
  env_clear (&env);
}

static void
test_list_paused (void)
{
  Env env = { 0 };
  g_autoptr(PveSim) sim = start_sim (3, 12, 5);
  g_autoptr(PveRemote) remote = NULL;
  g_autoptr(PveGuestList) list = NULL;
  Counters counters = { 0 };

  env_init (&env);
  remote = add_remote (&env, sim, "lab", "root", "pam", PVE_SIM_ROOT_PASSWORD);

  list = pve_guest_list_new (env.manager);
  watch (list, &counters);
  WAIT_UNTIL (counters.n_refreshed == 1, 20000);

  /* The interval drives refreshes on its own. */
  pve_guest_list_set_refresh_interval (list, 1);
  WAIT_UNTIL (counters.n_refreshed >= 2, 5000);

  /* Paused: nothing at all is sent, not even on demand. */
  pve_guest_list_set_paused (list, TRUE);
  WAIT_UNTIL (!pve_guest_list_get_loading (list), 5000);
  pve_sim_clear_requests (sim);
  pve_guest_list_refresh_now (list);
  run_for (2500);
  assert_resource_requests (sim, 0);

  /* Unpausing refreshes at once. */
  counters.n_refreshed = 0;
  pve_guest_list_set_paused (list, FALSE);
  g_assert_true (pve_guest_list_get_loading (list));
  WAIT_UNTIL (counters.n_refreshed >= 1, 5000);
  g_assert_cmpuint (count_requests (sim, "GET", "/cluster/resources"), >=, 1);

  g_assert_finalize_object (g_steal_pointer (&list));
  env_clear (&env);
}

static void
test_list_error_keeps_guests (void)
{
  Env env = { 0 };
  g_autoptr(PveSim) sim = start_sim (3, 12, 9);
  g_autoptr(PveRemote) remote = NULL;
  g_autoptr(PveGuestList) list = NULL;
  Counters counters = { 0 };
  guint n;

  env_init (&env);
  remote = add_remote (&env, sim, "lab", "root", "pam", PVE_SIM_ROOT_PASSWORD);

  list = pve_guest_list_new (env.manager);
  watch (list, &counters);
  WAIT_UNTIL (counters.n_refreshed == 1, 20000);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));

  pve_sim_set_fault (sim, "/cluster/resources", PVE_SIM_FAULT_SERVER_ERROR, 1);
  pve_guest_list_refresh_now (list);
  WAIT_UNTIL (counters.n_errors == 1, 20000);
  g_assert_nonnull (counters.last_error);
  g_assert_true (counters.last_error->message[0] != '\0');
  g_assert_nonnull (pve_guest_list_get_remote_error (list, remote));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);
  g_assert_false (pve_guest_list_get_loading (list));

  /* Wrong JSON shape: also an error, guests kept. */
  pve_sim_set_fault (sim, "/cluster/resources", PVE_SIM_FAULT_WRONG_TYPES, 1);
  pve_guest_list_refresh_now (list);
  WAIT_UNTIL (counters.n_errors == 2, 20000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);

  /* The next good refresh clears the error. */
  pve_guest_list_refresh_now (list);
  WAIT_UNTIL (counters.n_refreshed == 2, 20000);
  g_assert_null (pve_guest_list_get_remote_error (list, remote));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);

  g_clear_error (&counters.last_error);
  g_assert_finalize_object (g_steal_pointer (&list));
  env_clear (&env);
}

static void
test_list_two_remotes (void)
{
  Env env = { 0 };
  g_autoptr(PveSim) sim1 = start_sim (3, 12, 21);
  g_autoptr(PveSim) sim2 = start_sim (2, 20, 22);
  g_autoptr(PveRemote) remote1 = NULL;
  g_autoptr(PveRemote) remote2 = NULL;
  g_autoptr(PveGuestList) list = NULL;
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  Counters counters = { 0 };
  guint n1 = 0, n2 = 0, total;

  env_init (&env);
  remote1 = add_remote (&env, sim1, "one", "root", "pam", PVE_SIM_ROOT_PASSWORD);
  remote2 = add_remote (&env, sim2, "two", "root", "pam", PVE_SIM_ROOT_PASSWORD);
  pve_sim_clear_requests (sim1);
  pve_sim_clear_requests (sim2);

  list = pve_guest_list_new (env.manager);
  watch (list, &counters);
  WAIT_UNTIL (counters.n_refreshed == 2, 20000);

  total = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (total, ==, pve_sim_get_n_guests (sim1) + pve_sim_get_n_guests (sim2));
  for (guint i = 0; i < total; i++)
    {
      g_autoptr(PveGuest) guest = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_assert_true (g_hash_table_add (keys, (gpointer)pve_guest_get_key (guest)));
      if (pve_guest_get_remote (guest) == remote1)
        n1++;
      else if (pve_guest_get_remote (guest) == remote2)
        n2++;
    }
  g_assert_cmpuint (n1, ==, pve_sim_get_n_guests (sim1));
  g_assert_cmpuint (n2, ==, pve_sim_get_n_guests (sim2));
  assert_resource_requests (sim1, 1);
  assert_resource_requests (sim2, 1);

  /* One refresh: one request to each remote. */
  pve_guest_list_refresh_now (list);
  WAIT_UNTIL (counters.n_refreshed == 4, 20000);
  assert_resource_requests (sim1, 2);
  assert_resource_requests (sim2, 2);

  /* Disconnecting one keeps the other's guests. */
  pve_remote_manager_disconnect (env.manager, remote1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n2);
  for (guint i = 0; i < n2; i++)
    {
      g_autoptr(PveGuest) guest = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_assert_true (pve_guest_get_remote (guest) == remote2);
    }

  /* Renaming a remote renames it on its guests' rows. */
  {
    g_autoptr(PveGuest) guest = g_list_model_get_item (G_LIST_MODEL (list), 0);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

    g_signal_connect (guest, "notify", G_CALLBACK (on_notify), names);
    pve_remote_set_name (remote2, "second");
    g_assert_true (names_contain (names, "remote-name"));
    g_assert_cmpstr (pve_guest_get_remote_name (guest), ==, "second");
    g_signal_handlers_disconnect_by_func (guest, on_notify, names);
  }

  /* Removing a remote from the manager takes its guests away. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    pve_remote_manager_remove_async (env.manager, remote2, NULL, on_done, &result);
    WAIT_UNTIL (result != NULL, 20000);
    g_assert_true (pve_remote_manager_remove_finish (env.manager, result, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
    g_assert_false (pve_guest_list_get_loading (list));
  }

  g_assert_finalize_object (g_steal_pointer (&list));
  env_clear (&env);
}

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

static void
on_change_record (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

static GHashTable *
fetch_guest_ids (Env       *env,
                 PveRemote *remote)
{
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GPtrArray) resources = NULL;
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_hash_table_insert (params, (gpointer)"type", (gpointer)"vm");
  pve_remote_manager_request_async (env->manager, remote, "GET", "/cluster/resources", params,
                                    NULL, on_done, &result);
  WAIT_UNTIL (result != NULL, 20000);
  data = pve_remote_manager_request_finish (env->manager, result, NULL, &error);
  g_assert_no_error (error);
  resources = pve_api_parse_resources (data, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < resources->len; i++)
    {
      PveResource *resource = g_ptr_array_index (resources, i);

      if (resource->type == PVE_RESOURCE_QEMU || resource->type == PVE_RESOURCE_LXC)
        g_hash_table_add (ids, g_strdup (resource->id));
    }
  return ids;
}

/* Replaces the server behind remote by one with n_guests other guests (same certificate, same
 * port: the client logs in again by itself), refreshes, and checks the merge: kept guests are
 * the same objects at the front, new ones come in one items-changed at the end, vanished ones
 * are removed. Returns the new simulator. */
static PveSim *
replace_server (Env          *env,
                PveGuestList *list,
                PveRemote    *remote,
                PveSim       *old_sim,
                Counters     *counters,
                guint         n_guests,
                guint32       seed,
                guint        *out_new,
                guint        *out_gone)
{
  g_autoptr(GHashTable) before = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        g_object_unref);
  g_autoptr(GHashTable) expected = NULL;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GError) error = NULL;
  guint n_kept = 0, n_new = 0, n_gone = 0, n_add_signals = 0, n_added = 0, n_removed = 0;
  guint port = pve_sim_get_port (old_sim);
  guint n_refreshed = counters->n_refreshed;
  guint n_errors = counters->n_errors;
  GHashTableIter iter;
  const char *id;
  PveSim *sim;
  guint n;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      PveGuest *guest = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_hash_table_insert (before, g_strdup (pve_guest_get_id (guest)), guest);
    }

  pve_sim_stop (old_sim);
  sim = pve_sim_new (3, n_guests, seed);
  g_assert_cmpuint (pve_sim_listen (sim, port, &error), ==, port);
  g_assert_no_error (error);

  g_signal_connect (list, "items-changed", G_CALLBACK (on_change_record), changes);
  pve_guest_list_refresh_now (list);
  WAIT_UNTIL (counters->n_refreshed > n_refreshed || counters->n_errors > n_errors, 20000);
  g_assert_cmpuint (counters->n_errors, ==, n_errors);
  g_signal_handlers_disconnect_by_func (list, on_change_record, changes);

  expected = fetch_guest_ids (env, remote);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (n, ==, g_hash_table_size (expected));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PveGuest) guest = g_list_model_get_item (G_LIST_MODEL (list), i);
      PveGuest *old = g_hash_table_lookup (before, pve_guest_get_id (guest));

      g_assert_true (g_hash_table_contains (expected, pve_guest_get_id (guest)));
      if (old != NULL)
        {
          g_assert_true (old == guest);
          g_assert_cmpuint (n_new, ==, 0);
          n_kept++;
        }
      else
        n_new++;
    }
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, (gpointer *)&id, NULL))
    if (!g_hash_table_contains (expected, id))
      n_gone++;
  g_test_message ("replaced server: %u kept, %u new, %u gone", n_kept, n_new, n_gone);
  g_assert_cmpuint (n_kept + n_gone, ==, g_hash_table_size (before));

  for (guint i = 0; i < changes->len; i++)
    {
      Change *change = &g_array_index (changes, Change, i);

      if (change->added > 0)
        {
          g_assert_cmpuint (change->removed, ==, 0);
          g_assert_cmpuint (change->position + change->added, ==, n);
          n_add_signals++;
        }
      n_added += change->added;
      n_removed += change->removed;
    }
  g_assert_cmpuint (n_add_signals, ==, n_new > 0 ? 1 : 0);
  g_assert_cmpuint (n_added, ==, n_new);
  g_assert_cmpuint (n_removed, ==, n_gone);

  *out_new = n_new;
  *out_gone = n_gone;
  return sim;
}

static void
test_list_come_and_go (void)
{
  Env env = { 0 };
  g_autoptr(PveSim) sim_a = start_sim (3, 12, 31);
  g_autoptr(PveSim) sim_b = NULL;
  g_autoptr(PveSim) sim_c = NULL;
  g_autoptr(PveRemote) remote = NULL;
  g_autoptr(PveGuestList) list = NULL;
  Counters counters = { 0 };
  guint n_new, n_gone;

  env_init (&env);
  remote = add_remote (&env, sim_a, "lab", "root", "pam", PVE_SIM_ROOT_PASSWORD);
  list = pve_guest_list_new (env.manager);
  watch (list, &counters);
  WAIT_UNTIL (counters.n_refreshed == 1, 20000);

  /* More guests: the new ones are appended. */
  sim_b = replace_server (&env, list, remote, sim_a, &counters, 16, 32, &n_new, &n_gone);
  g_assert_cmpuint (n_new, >, 0);

  /* Fewer guests: the vanished ones are removed, the others stay where they are. */
  sim_c = replace_server (&env, list, remote, sim_b, &counters, 6, 33, &n_new, &n_gone);
  g_assert_cmpuint (n_gone, >, 0);

  g_assert_finalize_object (g_steal_pointer (&list));
  env_clear (&env);
}

/* ---- 10,000 guests --------------------------------------------------------------------------- */

/* The stall probe: a high-priority 1 ms timeout on the main loop. Each tick records how long
 * it has been since the previous one, in wall-clock time and in CPU time of the main thread.
 * The CPU time is the stall the main loop's own work caused; the wall-clock gap adds whatever
 * time the OS gave to other processes (a loaded 2-core CI machine). */
typedef struct
{
  gint64  end;
  gint64  wall;
  gint64  cpu;
} Gap;

typedef struct
{
  gint64  last_wall;
  gint64  last_cpu;
  GArray *gaps;
} Probe;

static gint64
thread_cpu_usec (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64)ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
probe_reset (Probe *probe)
{
  g_array_set_size (probe->gaps, 0);
  probe->last_wall = g_get_monotonic_time ();
  probe->last_cpu = thread_cpu_usec ();
}

static gboolean
probe_tick (gpointer user_data)
{
  Probe *probe = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_usec ();
  Gap gap = { now, now - probe->last_wall, cpu - probe->last_cpu };

  g_array_append_val (probe->gaps, gap);
  probe->last_wall = now;
  probe->last_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

/* The longest gap overlapping [from, to]: wall-clock, and the longest in CPU time. */
static void
longest_gap (Probe  *probe,
             gint64  from,
             gint64  to,
             gint64 *wall,
             gint64 *cpu)
{
  *wall = 0;
  *cpu = 0;
  for (guint i = 0; i < probe->gaps->len; i++)
    {
      Gap *gap = &g_array_index (probe->gaps, Gap, i);

      if (gap->end >= from && gap->end - gap->wall <= to)
        {
          *wall = MAX (*wall, gap->wall);
          *cpu = MAX (*cpu, gap->cpu);
        }
    }
}

/* A simulator served from its own thread and main context, as a real server would be: the
 * main loop then carries only what the app does (client and guest list), which is what the
 * stall probe is meant to measure. Its timers (latency, tasks) would run on the global
 * default context, so this is only for a simulator that uses neither. */
typedef struct
{
  GMutex        lock;
  GCond         cond;
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  PveSim       *sim;
  guint         n_nodes;
  guint         n_guests;
  guint32       seed;
  gboolean      ready;
} SimThread;

static gpointer
sim_thread_main (gpointer data)
{
  SimThread *st = data;
  g_autoptr(GError) error = NULL;
  PveSim *sim;

  g_main_context_push_thread_default (st->context);
  sim = pve_sim_new (st->n_nodes, st->n_guests, st->seed);
  g_assert_cmpuint (pve_sim_listen (sim, 0, &error), >, 0);
  g_assert_no_error (error);

  g_mutex_lock (&st->lock);
  st->sim = sim;
  st->ready = TRUE;
  g_cond_signal (&st->cond);
  g_mutex_unlock (&st->lock);

  g_main_loop_run (st->loop);

  pve_sim_stop (sim);
  g_object_unref (sim);
  g_main_context_pop_thread_default (st->context);
  return NULL;
}

static void
sim_thread_start (SimThread *st,
                  guint      n_nodes,
                  guint      n_guests,
                  guint32    seed)
{
  g_mutex_init (&st->lock);
  g_cond_init (&st->cond);
  st->n_nodes = n_nodes;
  st->n_guests = n_guests;
  st->seed = seed;
  st->context = g_main_context_new ();
  st->loop = g_main_loop_new (st->context, FALSE);
  st->thread = g_thread_new ("pve-sim", sim_thread_main, st);

  g_mutex_lock (&st->lock);
  while (!st->ready)
    g_cond_wait (&st->cond, &st->lock);
  g_mutex_unlock (&st->lock);
}

static void
sim_thread_stop (SimThread *st)
{
  g_main_loop_quit (st->loop);
  g_thread_join (st->thread);
  g_main_loop_unref (st->loop);
  g_main_context_unref (st->context);
  g_mutex_clear (&st->lock);
  g_cond_clear (&st->cond);
}

/* Some guest the list knows (the simulator numbers them from 100), or NULL. */
static PveGuest *
any_guest_known (PveGuestList *list,
                 PveRemote    *remote,
                 guint         n_guests)
{
  for (guint i = 0; i < n_guests; i++)
    {
      PveGuest *guest = pve_guest_list_lookup_vmid (list, remote, 100 + i);

      if (guest != NULL)
        return guest;
    }
  return NULL;
}

static void
test_list_big (void)
{
  Env env = { 0 };
  SimThread st = { 0 };
  PveSim *sim;
  g_autoptr(PveRemote) remote = NULL;
  g_autoptr(PveGuestList) list = NULL;
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func (g_object_unref);
  Counters counters = { 0 };
  Probe probe = { 0 };
  PveGuestListStats stats;
  gint64 stall_wall, stall_cpu, overall_wall, overall_cpu;
  guint probe_id;
  guint n;

  /* Port, fingerprint and guest count do not change once the simulator listens. */
  sim_thread_start (&st, 5, 10000, 42);
  sim = st.sim;
  g_assert_cmpuint (pve_sim_get_n_guests (sim), ==, 10000);

  env_init (&env);
  remote = add_remote (&env, sim, "big", "root", "pam", PVE_SIM_ROOT_PASSWORD);

  probe.gaps = g_array_new (FALSE, FALSE, sizeof (Gap));
  probe_reset (&probe);
  probe_id = g_timeout_add_full (G_PRIORITY_HIGH, 1, probe_tick, &probe, NULL);

  list = pve_guest_list_new (env.manager);
  watch (list, &counters);
  WAIT_UNTIL (counters.n_refreshed == 1, 60000);

  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (n, ==, 10000);
  g_assert_cmpuint (counters.n_items_changed, ==, 1);
  g_assert_true (pve_guest_list_get_stats (list, remote, &stats));
  longest_gap (&probe, stats.answered, stats.merged, &stall_wall, &stall_cpu);
  longest_gap (&probe, stats.started, stats.merged, &overall_wall, &overall_cpu);
  g_test_message ("10,000 guests, first load: answer -> model %.1f ms (parse %.1f ms, merge "
                  "%.1f ms in %u steps, longest step %.1f ms); longest main-loop stall during "
                  "the merge %.1f ms (main-thread CPU %.1f ms); whole refresh incl. request "
                  "%.1f ms (CPU %.1f ms)",
                  (stats.merged - stats.answered) / 1000.0,
                  (stats.parsed - stats.answered) / 1000.0,
                  (stats.merged - stats.parsed) / 1000.0, stats.n_chunks,
                  stats.longest_chunk / 1000.0, stall_wall / 1000.0, stall_cpu / 1000.0,
                  overall_wall / 1000.0, overall_cpu / 1000.0);
  g_assert_cmpint (stall_cpu, <, 50000);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (first, g_list_model_get_item (G_LIST_MODEL (list), i));

  /* A refresh of 10,000 guests updates them in place, without stalling either. */
  probe_reset (&probe);
  pve_guest_list_refresh_now (list);
  WAIT_UNTIL (counters.n_refreshed == 2, 60000);
  g_assert_cmpuint (counters.n_items_changed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);
  for (guint i = 0; i < n; i += 97)
    {
      g_autoptr(PveGuest) guest = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_assert_true (guest == g_ptr_array_index (first, i));
    }
  g_assert_true (pve_guest_list_get_stats (list, remote, &stats));
  longest_gap (&probe, stats.answered, stats.merged, &stall_wall, &stall_cpu);
  g_test_message ("10,000 guests, refresh: answer -> merged %.1f ms (%u updated, %u steps, "
                  "longest step %.1f ms); longest stall during the merge %.1f ms "
                  "(main-thread CPU %.1f ms)",
                  (stats.merged - stats.answered) / 1000.0, stats.n_updated, stats.n_chunks,
                  stats.longest_chunk / 1000.0, stall_wall / 1000.0, stall_cpu / 1000.0);
  g_assert_cmpint (stall_cpu, <, 50000);

  /* Removing 10,000 guests at once (disconnect). */
  pve_remote_manager_disconnect (env.manager, remote);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_clear_pointer (&first, g_ptr_array_unref);
  /* The probe, always due, would starve the main loop's lower priorities from here on. */
  g_clear_handle_id (&probe_id, g_source_remove);

  /* Disconnecting in the middle of a merge: the guests made so far (known to lookups, not
   * yet in the model) are dropped and freed, nothing more is merged. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    PveGuest *half;

    /* Not waiting for the connect's own result: the list starts its refresh as soon as the
     * remote is CONNECTED, and the merge must be caught after its first step. One merge step
     * runs per main-loop iteration. */
    /* Short steps, so that even a fast machine needs several for 10,000 guests. */
    pve_guest_list_set_merge_budget (list, 200);
    pve_remote_manager_connect_async (env.manager, remote, PVE_SIM_ROOT_PASSWORD, FALSE, NULL,
                                      on_done, &result);
    WAIT_UNTIL (any_guest_known (list, remote, 10000) != NULL || counters.n_refreshed > 2,
                60000);
    g_assert_cmpuint (counters.n_refreshed, ==, 2);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
    half = g_object_ref (any_guest_known (list, remote, 10000));

    pve_remote_manager_disconnect (env.manager, remote);
    g_assert_null (any_guest_known (list, remote, 10000));
    g_assert_false (pve_guest_list_get_loading (list));
    g_assert_finalize_object (half);
    WAIT_UNTIL (result != NULL, 20000);
    /* It connected (that is how the refresh started); the disconnect came after. */
    g_assert_true (pve_remote_manager_connect_finish (env.manager, result, &error));
    g_assert_no_error (error);
    run_for (200);
    g_assert_cmpuint (counters.n_refreshed, ==, 2);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  }

  g_array_unref (probe.gaps);
  g_clear_pointer (&first, g_ptr_array_unref);
  g_assert_finalize_object (g_steal_pointer (&list));
  env_clear (&env);
  sim_thread_stop (&st);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pve/guest/fixture", test_guest_fixture);
  g_test_add_func ("/pve/guest/quirks", test_guest_quirks);
  g_test_add_func ("/pve/guest-list/populate", test_list_populate);
  g_test_add_func ("/pve/guest-list/in-place", test_list_in_place);
  g_test_add_func ("/pve/guest-list/disconnect", test_list_disconnect);
  g_test_add_func ("/pve/guest-list/paused", test_list_paused);
  g_test_add_func ("/pve/guest-list/error-keeps-guests", test_list_error_keeps_guests);
  g_test_add_func ("/pve/guest-list/two-remotes", test_list_two_remotes);
  g_test_add_func ("/pve/guest-list/come-and-go", test_list_come_and_go);
  g_test_add_func ("/pve/guest-list/10000-guests", test_list_big);

  return g_test_run ();
}

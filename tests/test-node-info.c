/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Node info parsers against recorded fixtures and hostile input, and the loaders against the
 * in-process simulator through a real PveRemoteManager over real TLS.
 */
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "pve-api.h"
#include "pve-client.h"
#include "pve-node-info.h"
#include "pve-remote-manager.h"
#include "pve-sim.h"

#include "test-info-fixture.h"

/* ---- parser tests ---------------------------------------------------------------------- */

static void
test_status_fixture (void)
{
  g_autoptr(JsonNode) data = load_fixture_data ("nodes-NODE-status.pve-9.1.2.pvexport.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(PveNodeStatus) status = pve_node_status_parse (data, &error);

  g_assert_no_error (error);
  g_assert_nonnull (status);
  g_assert_cmpstr (status->pve_version, ==, "9.1.2");
  g_assert_cmpstr (status->pveversion, ==, "pve-manager/9.1.2/9d436f37a0ac4172");
  g_assert_true (g_str_has_prefix (status->kversion, "Linux 6.17.4-1-pve"));
  g_assert_cmpstr (status->cpu_model, ==, "Intel(R) N100");
  g_assert_cmpint (status->cpus, ==, 4);
  g_assert_cmpfloat_with_epsilon (status->mhz, 2895.985, 1e-9);
  g_assert_true (status->has_loadavg);
  g_assert_cmpfloat_with_epsilon (status->loadavg[0], 1.74, 1e-9);
  g_assert_cmpfloat_with_epsilon (status->loadavg[1], 1.86, 1e-9);
  g_assert_cmpfloat_with_epsilon (status->loadavg[2], 1.50, 1e-9);
  g_assert_cmpint (status->memory_total, ==, G_GINT64_CONSTANT (16540520448));
  g_assert_cmpint (status->memory_used, ==, G_GINT64_CONSTANT (12671574016));
  g_assert_cmpint (status->memory_available, ==, G_GINT64_CONSTANT (3868946432));
  g_assert_cmpint (status->swap_total, ==, G_GINT64_CONSTANT (8589930496));
  g_assert_cmpint (status->rootfs_total, ==, G_GINT64_CONSTANT (100861726720));
  g_assert_cmpint (status->uptime, ==, 1480737);
  g_assert_cmpfloat_with_epsilon (status->cpu, 0.404739747502543, 1e-12);
  g_assert_cmpstr (status->boot_mode, ==, "efi");
  g_assert_false (status->secureboot);
}

static void
test_status_hostile (void)
{
  const char *bad_shapes[] = { "[]", "\"x\"", "42", "null" };
  g_autoptr(JsonNode) odd = NULL;
  g_autoptr(PveNodeStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad_shapes); i++)
    {
      g_autoptr(JsonNode) data = json (bad_shapes[i]);
      g_autoptr(GError) local_error = NULL;

      g_assert_null (pve_node_status_parse (data, &local_error));
      g_assert_error (local_error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
      g_assert_nonnull (strstr (local_error->message, "node status"));
    }

  /* Wrong types everywhere: no crash, zeros and NULLs. */
  odd = json ("{\"cpu\":\"x\",\"cpuinfo\":[1],\"memory\":\"lots\",\"loadavg\":[\"a\",1,{}],"
              "\"pveversion\":7,\"kversion\":[],\"uptime\":\"12\",\"boot-info\":{\"mode\":3},"
              "\"swap\":{\"total\":\"1024\",\"used\":-5}}");
  status = pve_node_status_parse (odd, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (status->cpu, ==, 0.0);
  g_assert_cmpint (status->cpus, ==, 0);
  g_assert_null (status->cpu_model);
  g_assert_false (status->has_loadavg);
  g_assert_null (status->pveversion);
  g_assert_null (status->pve_version);
  g_assert_null (status->kversion);
  g_assert_null (status->boot_mode);
  g_assert_cmpint (status->uptime, ==, 12);
  g_assert_cmpint (status->swap_total, ==, 1024);
  g_assert_cmpint (status->swap_used, ==, 0);

  g_assert_null (pve_node_parse_pve_version ("pve-manager/"));
  g_assert_null (pve_node_parse_pve_version ("other/9.1/x"));
  g_assert_null (pve_node_parse_pve_version ("pve-manager/9.1 ;rm/x"));
  {
    g_autofree char *version = pve_node_parse_pve_version ("pve-manager/8.4.1/abc");

    g_assert_cmpstr (version, ==, "8.4.1");
  }
}

static void
test_nodes_fixture (void)
{
  g_autoptr(JsonNode) data = load_fixture_data ("nodes.go-proxmox-pve9x.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) nodes = pve_node_list_parse (data, &error);
  PveNodeEntry *first;

  g_assert_no_error (error);
  g_assert_cmpuint (nodes->len, ==, 4);
  first = g_ptr_array_index (nodes, 0);
  g_assert_cmpstr (first->node, ==, "node1");
  g_assert_true (first->online);
  g_assert_true (first->has_stats);
  g_assert_cmpint (first->maxcpu, ==, 12);
  g_assert_cmpint (first->maxmem, ==, G_GINT64_CONSTANT (33568288768));
  g_assert_cmpstr (first->ssl_fingerprint, ==,
                   "80:D4:F2:DF:64:95:CD:8D:A0:82:82:AC:48:BA:C0:7A:1B:6B:87:8B:FE:B9:83:1C:95:4E:79:58:77:99:69:F5");
}

static void
test_nodes_hostile (void)
{
  g_autoptr(JsonNode) obj = json ("{\"node\":\"x\"}");
  g_autoptr(JsonNode) mixed = json ("[1,\"x\",null,{\"status\":\"online\"},{\"node\":\"b\"},"
                                    "{\"node\":\"a\",\"status\":\"offline\",\"cpu\":\"0.5\"}]");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) nodes = NULL;
  PveNodeEntry *a, *b;

  g_assert_null (pve_node_list_parse (obj, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
  g_clear_error (&error);

  nodes = pve_node_list_parse (mixed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nodes->len, ==, 2);
  a = g_ptr_array_index (nodes, 0);
  b = g_ptr_array_index (nodes, 1);
  g_assert_cmpstr (a->node, ==, "a");
  g_assert_false (a->online);
  g_assert_false (a->has_stats);
  g_assert_cmpstr (b->status, ==, "unknown");
}

static void
test_storage_network_parse (void)
{
  g_autoptr(JsonNode) storage = json ("[{\"storage\":\"local\",\"type\":\"dir\",\"active\":1,"
                                      "\"enabled\":\"1\",\"shared\":0,\"total\":\"1000\","
                                      "\"used\":250,\"avail\":750,\"content\":\"iso,backup\"},"
                                      "{\"storage\":\"cephfs\",\"active\":0},{\"type\":\"x\"}]");
  g_autoptr(JsonNode) network = json ("[{\"iface\":\"vmbr0\",\"type\":\"bridge\",\"active\":1,"
                                      "\"cidr\":\"192.168.1.2/24\",\"gateway\":\"192.168.1.1\","
                                      "\"bridge_ports\":\"eno1\",\"autostart\":1},"
                                      "{\"iface\":\"eno1\",\"type\":\"eth\",\"active\":\"0\"},"
                                      "{\"iface\":[]}]");
  g_autoptr(JsonNode) wrong = json ("{}");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stores = pve_storage_list_parse (storage, &error);
  g_autoptr(GPtrArray) ifaces = NULL;
  PveStorageInfo *local;
  PveNetworkInterface *vmbr0;

  g_assert_no_error (error);
  g_assert_cmpuint (stores->len, ==, 2);
  local = g_ptr_array_index (stores, 1);
  g_assert_cmpstr (local->storage, ==, "local");
  g_assert_true (local->active);
  g_assert_true (local->enabled);
  g_assert_cmpint (local->total, ==, 1000);
  g_assert_cmpfloat_with_epsilon (local->used_fraction, 0.25, 1e-9);

  ifaces = pve_network_list_parse (network, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ifaces->len, ==, 2);
  vmbr0 = g_ptr_array_index (ifaces, 1);
  g_assert_cmpstr (vmbr0->iface, ==, "vmbr0");
  g_assert_cmpstr (vmbr0->cidr, ==, "192.168.1.2/24");
  g_assert_cmpstr (vmbr0->bridge_ports, ==, "eno1");
  g_assert_true (vmbr0->active);
  g_assert_false (((PveNetworkInterface *) g_ptr_array_index (ifaces, 0))->active);

  g_assert_null (pve_storage_list_parse (wrong, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_null (pve_network_list_parse (wrong, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
}

static void
test_subscription_parse (void)
{
  g_autoptr(JsonNode) none = json ("{\"status\":\"notfound\",\"message\":\"There is no "
                                   "subscription key\",\"serverid\":\"ABC\"}");
  g_autoptr(JsonNode) active = json ("{\"status\":\"Active\",\"productname\":\"Proxmox VE "
                                     "Basic\",\"level\":\"b\"}");
  g_autoptr(JsonNode) wrong = json ("[]");
  g_autoptr(GError) error = NULL;
  g_autoptr(PveSubscription) sub = pve_subscription_parse (none, &error);
  g_autoptr(PveSubscription) sub2 = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (sub->status, ==, "notfound");
  g_assert_cmpstr (sub->summary, ==, "No subscription");
  g_assert_false (sub->active);

  sub2 = pve_subscription_parse (active, &error);
  g_assert_no_error (error);
  g_assert_true (sub2->active);
  g_assert_cmpstr (sub2->summary, ==, "Active: Proxmox VE Basic");

  g_assert_null (pve_subscription_parse (wrong, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
}

static void
test_rrd_parse (void)
{
  g_autoptr(JsonNode) data = json ("[{\"time\":200,\"cpu\":0.5,\"memused\":\"100\"},"
                                   "{\"time\":100,\"cpu\":0.25},"
                                   "{\"cpu\":1},"
                                   "{\"time\":\"300\",\"memused\":300,\"name\":\"x\"}]");
  g_autoptr(JsonNode) wrong = json ("{\"time\":1}");
  g_autoptr(GError) error = NULL;
  g_autoptr(PveRrdSeries) series = pve_rrd_series_parse (data, &error);
  g_auto(GStrv) names = NULL;
  const gint64 *times;
  const double *cpu;
  const double *mem;

  g_assert_no_error (error);
  g_assert_cmpuint (pve_rrd_series_get_n_points (series), ==, 3);
  times = pve_rrd_series_get_times (series);
  g_assert_cmpint (times[0], ==, 100);
  g_assert_cmpint (times[1], ==, 200);
  g_assert_cmpint (times[2], ==, 300);
  cpu = pve_rrd_series_get_values (series, "cpu");
  mem = pve_rrd_series_get_values (series, "memused");
  g_assert_cmpfloat (cpu[0], ==, 0.25);
  g_assert_cmpfloat (cpu[1], ==, 0.5);
  g_assert_true (isnan (cpu[2]));
  g_assert_true (isnan (mem[0]));
  g_assert_cmpfloat (mem[1], ==, 100.0);
  g_assert_cmpfloat (mem[2], ==, 300.0);
  g_assert_null (pve_rrd_series_get_values (series, "name"));
  g_assert_null (pve_rrd_series_get_values (series, "time"));
  names = pve_rrd_series_dup_names (series);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpstr (names[0], ==, "cpu");

  g_assert_null (pve_rrd_series_parse (wrong, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
}

static void
test_snapshots_parse (void)
{
  g_autoptr(JsonNode) data = json ("[{\"name\":\"current\",\"description\":\"You are here!\","
                                   "\"parent\":\"before-upgrade\",\"running\":1},"
                                   "{\"name\":\"before-upgrade\",\"snaptime\":200,"
                                   "\"parent\":\"base\",\"vmstate\":1,\"description\":\"x\\n\"},"
                                   "{\"name\":\"base\",\"snaptime\":\"100\"},7]");
  g_autoptr(JsonNode) wrong = json ("\"current\"");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) snaps = pve_snapshot_list_parse (data, &error);
  PveSnapshot *base, *upgrade;

  g_assert_no_error (error);
  g_assert_cmpuint (snaps->len, ==, 2);
  base = g_ptr_array_index (snaps, 0);
  upgrade = g_ptr_array_index (snaps, 1);
  g_assert_cmpstr (base->name, ==, "base");
  g_assert_cmpint (base->snaptime, ==, 100);
  g_assert_false (base->is_current);
  g_assert_cmpstr (upgrade->name, ==, "before-upgrade");
  g_assert_true (upgrade->is_current);
  g_assert_true (upgrade->vmstate);
  g_assert_cmpstr (upgrade->description, ==, "x");

  g_assert_null (pve_snapshot_list_parse (wrong, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
}

static void
test_log_page_parse (void)
{
  g_autoptr(JsonNode) data = json ("[{\"n\":12,\"t\":\"b\"},{\"n\":11,\"t\":\"a\"}]");
  g_autoptr(JsonNode) wrong = json ("{\"n\":1}");
  g_autoptr(GError) error = NULL;
  g_autoptr(PveLogPage) page = pve_log_page_parse (data, 40, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (page->lines->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (page->lines, 0), ==, "a");
  g_assert_cmpint (page->start, ==, 11);
  g_assert_cmpint (page->total, ==, 40);

  g_assert_null (pve_log_page_parse (wrong, -1, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
}

/* ---- loaders against the simulator -------------------------------------------------------- */

static void
test_load_status (SimFixture    *fx,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PveNodeStatus) status = NULL;

  pve_node_status_load_async (fx->manager, fx->remote, "pve1", NULL, store_result, &result);
  wait_for_result (&result);
  status = pve_node_status_load_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (status);
  g_assert_nonnull (status->pve_version);
  g_assert_true (g_ascii_isdigit (status->pve_version[0]));
  g_assert_nonnull (status->kversion);
  g_assert_true (status->has_loadavg);
  g_assert_cmpfloat (status->loadavg[0], >=, 0.0);
  g_assert_cmpfloat (status->mhz, >, 0.0);
  g_assert_cmpint (status->cpus, >, 0);
  g_assert_cmpint (status->memory_total, >, 0);
  g_assert_cmpint (status->memory_used, <=, status->memory_total);
  g_assert_cmpint (status->uptime, >, 0);
  g_assert_cmpuint (count_requests (fx->sim, "/nodes/pve1/status"), ==, 1);
}

static void
test_load_lists (SimFixture    *fx,
                 gconstpointer  data)
{
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) nodes = NULL, storage = NULL, network = NULL;
  g_autoptr(PveSubscription) sub = NULL;
  gboolean saw_offline = FALSE;

  pve_node_list_load_async (fx->manager, fx->remote, NULL, store_result, &r1);
  pve_storage_list_load_async (fx->manager, fx->remote, "pve1", NULL, store_result, &r2);
  pve_network_list_load_async (fx->manager, fx->remote, "pve1", NULL, store_result, &r3);
  pve_subscription_load_async (fx->manager, fx->remote, "pve1", NULL, store_result, &r4);
  wait_for_result (&r1);
  wait_for_result (&r2);
  wait_for_result (&r3);
  wait_for_result (&r4);

  nodes = pve_node_list_load_finish (r1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nodes->len, ==, 3);
  for (guint i = 0; i < nodes->len; i++)
    {
      PveNodeEntry *entry = g_ptr_array_index (nodes, i);

      g_assert_nonnull (entry->node);
      if (!entry->online)
        saw_offline = TRUE;
      else
        g_assert_true (entry->has_stats);
    }
  g_assert_true (saw_offline);

  storage = pve_storage_list_load_finish (r2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (storage->len, >, 0);
  for (guint i = 0; i < storage->len; i++)
    {
      PveStorageInfo *info = g_ptr_array_index (storage, i);

      g_assert_nonnull (info->storage);
      g_assert_cmpfloat (info->used_fraction, >=, 0.0);
      g_assert_cmpfloat (info->used_fraction, <=, 1.0);
    }

  network = pve_network_list_load_finish (r3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (network->len, >, 0);

  sub = pve_subscription_load_finish (r4, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sub->status);
  g_assert_nonnull (sub->summary);
}

static void
test_load_syslog (SimFixture    *fx,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PveLogPage) first = NULL, second = NULL;

  pve_syslog_load_async (fx->manager, fx->remote, "pve1", 0, 10, NULL, store_result, &r1);
  wait_for_result (&r1);
  first = pve_syslog_load_finish (r1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->lines->len, ==, 10);
  g_assert_cmpint (first->total, >, 10);

  pve_syslog_load_async (fx->manager, fx->remote, "pve1", 10, 10, NULL, store_result, &r2);
  wait_for_result (&r2);
  second = pve_syslog_load_finish (r2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->lines->len, >, 0);
  g_assert_cmpint (second->start, >, first->start);
  g_assert_cmpstr (g_ptr_array_index (first->lines, 0), !=, g_ptr_array_index (second->lines, 0));
  g_assert_cmpint (second->total, ==, first->total);
}

static gboolean
has_nan (const double *values,
         guint         n)
{
  for (guint i = 0; i < n; i++)
    if (isnan (values[i]))
      return TRUE;
  return FALSE;
}

static void
test_load_rrd (SimFixture    *fx,
               gconstpointer  data)
{
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PveRrdSeries) node_rrd = NULL, guest_rrd = NULL;
  const double *cpu;
  const gint64 *times;
  gint64 vmid = pve_sim_find_guest (fx->sim, "qemu", "running");
  guint n;

  g_assert_cmpint (vmid, >, 0);

  pve_node_rrd_load_async (fx->manager, fx->remote, "pve1", PVE_RRD_TIMEFRAME_HOUR, NULL,
                           store_result, &r1);
  wait_for_result (&r1);
  node_rrd = pve_rrd_load_finish (r1, &error);
  g_assert_no_error (error);
  n = pve_rrd_series_get_n_points (node_rrd);
  g_assert_cmpuint (n, >, 2);
  times = pve_rrd_series_get_times (node_rrd);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (times[i], >=, times[i - 1]);
  cpu = pve_rrd_series_get_values (node_rrd, "cpu");
  g_assert_nonnull (cpu);
  /* The simulator sends every value: none may turn into a gap (gaps themselves, members
   * missing from a point, are covered by /pve/node-info/rrd/parse). */
  g_assert_false (has_nan (cpu, n));
  g_assert_nonnull (pve_rrd_series_get_values (node_rrd, "memused"));
  g_assert_nonnull (pve_rrd_series_get_values (node_rrd, "netin"));

  /* The guest's node, from /cluster/resources. */
  {
    g_autoptr(GAsyncResult) rr = NULL;
    g_autoptr(JsonNode) res = NULL;
    g_autoptr(GPtrArray) resources = NULL;
    const char *node = NULL;

    pve_remote_manager_request_async (fx->manager, fx->remote, "GET", "/cluster/resources",
                                      NULL, NULL, store_result, &rr);
    wait_for_result (&rr);
    res = pve_remote_manager_request_finish (fx->manager, rr, NULL, &error);
    g_assert_no_error (error);
    resources = pve_api_parse_resources (res, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < resources->len; i++)
      {
        PveResource *r = g_ptr_array_index (resources, i);

        if (r->vmid == vmid)
          node = r->node;
      }
    g_assert_nonnull (node);

    pve_guest_rrd_load_async (fx->manager, fx->remote, node, "qemu", vmid,
                              PVE_RRD_TIMEFRAME_DAY, NULL, store_result, &r2);
    wait_for_result (&r2);
  }
  guest_rrd = pve_rrd_load_finish (r2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pve_rrd_series_get_n_points (guest_rrd), >, 2);
  g_assert_nonnull (pve_rrd_series_get_values (guest_rrd, "cpu"));
}

static void
test_load_snapshots (SimFixture    *fx,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) rr = NULL;
  g_autoptr(JsonNode) res = NULL;
  g_autoptr(GPtrArray) resources = NULL;
  gboolean checked = FALSE;

  pve_remote_manager_request_async (fx->manager, fx->remote, "GET", "/cluster/resources",
                                    NULL, NULL, store_result, &rr);
  wait_for_result (&rr);
  res = pve_remote_manager_request_finish (fx->manager, rr, NULL, &error);
  g_assert_no_error (error);
  resources = pve_api_parse_resources (res, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < resources->len && !checked; i++)
    {
      PveResource *r = g_ptr_array_index (resources, i);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) snaps = NULL;

      if (r->type != PVE_RESOURCE_QEMU || g_strcmp0 (r->status, "unknown") == 0)
        continue;

      pve_snapshot_list_load_async (fx->manager, fx->remote, r->node, "qemu", r->vmid, NULL,
                                    store_result, &result);
      wait_for_result (&result);
      snaps = pve_snapshot_list_load_finish (result, &error);
      g_assert_no_error (error);
      for (guint j = 0; j < snaps->len; j++)
        {
          PveSnapshot *snap = g_ptr_array_index (snaps, j);

          g_assert_cmpstr (snap->name, !=, "current");
          checked = TRUE;
        }
    }
  /* At least one VM of the simulated cluster has snapshots. */
  g_assert_true (checked);
}

static void
test_load_wrong_types (SimFixture    *fx,
                       gconstpointer  data)
{
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL;
  g_autoptr(GError) error = NULL;

  pve_sim_set_fault (fx->sim, "/nodes/pve1/status", PVE_SIM_FAULT_WRONG_TYPES, 1);
  pve_node_status_load_async (fx->manager, fx->remote, "pve1", NULL, store_result, &r1);
  wait_for_result (&r1);
  g_assert_null (pve_node_status_load_finish (r1, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
  g_assert_nonnull (error->message);
  g_clear_error (&error);

  pve_sim_set_fault (fx->sim, "/nodes", PVE_SIM_FAULT_WRONG_TYPES, 1);
  pve_node_list_load_async (fx->manager, fx->remote, NULL, store_result, &r2);
  wait_for_result (&r2);
  g_assert_null (pve_node_list_load_finish (r2, &error));
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

  pve_node_status_load_async (fx->manager, fx->remote, "pve1", NULL, store_result, &r1);
  pve_syslog_load_async (fx->manager, fx->remote, "pve1", 0, 50, NULL, store_result, &r2);
  pve_node_rrd_load_async (fx->manager, fx->remote, "pve1", PVE_RRD_TIMEFRAME_DAY, NULL,
                           store_result, &r3);
  wait_for_result (&r1);
  wait_for_result (&r2);
  wait_for_result (&r3);

  g_assert_null (pve_node_status_load_finish (r1, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED);
  g_clear_error (&error);
  g_assert_null (pve_syslog_load_finish (r2, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED);
  g_clear_error (&error);
  g_assert_null (pve_rrd_load_finish (r3, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED);

  g_assert_cmpuint (pve_sim_get_request_count (fx->sim), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pve/node-info/status/fixture", test_status_fixture);
  g_test_add_func ("/pve/node-info/status/hostile", test_status_hostile);
  g_test_add_func ("/pve/node-info/nodes/fixture", test_nodes_fixture);
  g_test_add_func ("/pve/node-info/nodes/hostile", test_nodes_hostile);
  g_test_add_func ("/pve/node-info/storage-network/parse", test_storage_network_parse);
  g_test_add_func ("/pve/node-info/subscription/parse", test_subscription_parse);
  g_test_add_func ("/pve/node-info/rrd/parse", test_rrd_parse);
  g_test_add_func ("/pve/node-info/snapshots/parse", test_snapshots_parse);
  g_test_add_func ("/pve/node-info/log/parse", test_log_page_parse);

#define ADD_SIM(path, func) \
  g_test_add (path, SimFixture, NULL, sim_fixture_setup, func, sim_fixture_teardown)
  ADD_SIM ("/pve/node-info/load/status", test_load_status);
  ADD_SIM ("/pve/node-info/load/lists", test_load_lists);
  ADD_SIM ("/pve/node-info/load/syslog", test_load_syslog);
  ADD_SIM ("/pve/node-info/load/rrd", test_load_rrd);
  ADD_SIM ("/pve/node-info/load/snapshots", test_load_snapshots);
  ADD_SIM ("/pve/node-info/load/wrong-types", test_load_wrong_types);
  ADD_SIM ("/pve/node-info/load/not-connected", test_load_not_connected);
#undef ADD_SIM

  return g_test_run ();
}

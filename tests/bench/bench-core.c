/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-core: the core alone (no GTK), one measurement per process so every run starts cold
 * (no TLS session, no warm caches). Prints "RESULT key value" lines; see tests/bench/run.sh.
 *
 *   bench-core connect-all          100 remotes on one simulator process (100 ports, 50 ms
 *                                   latency): PveRemoteManager connects all (keyring lookup +
 *                                   TLS with a pinned certificate + login); wall time and the
 *                                   requests each remote cost, counted at the simulator.
 *   bench-core big-cluster          a remote with 10,000 guests: from the answer written by the
 *                                   simulator to the PveGuestList fully populated; refreshes
 *                                   update the same objects in place.
 *   bench-core fetch                PveClient: login + GET /cluster/resources?type=vm of
 *                                   10,000 guests (the counterpart of bench-proxmoxer.py).
 *   bench-core prepare-startup N    saves N remotes (for the startup measurement).
 *   bench-core prepare PATH|- PORTS FINGERPRINT mixed|password
 *                                   saves remotes and their secrets (the other modes run it
 *                                   as a child, so their own process starts cold).
 *   bench-core first-frame CMD...   runs CMD with PVE_BENCH_FIRST_FRAME=1: from exec to the
 *                                   FIRST_FRAME=<monotonic µs> line it prints.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-common.h"
#include "pve-guest-list.h"

#define N_REMOTES 100

/* --- connect-all ---------------------------------------------------------------------------- */

typedef struct
{
  guint   n_connected;
  guint   n_failed;
  gint64  last_connected;
  gboolean done;
} ConnectAll;

static void
state_changed_cb (PveRemote  *remote,
                  GParamSpec *pspec,
                  ConnectAll *ca)
{
  if (pve_remote_get_state (remote) == PVE_REMOTE_STATE_CONNECTED)
    {
      ca->n_connected++;
      ca->last_connected = g_get_monotonic_time ();
    }
  ca->done = ca->n_connected + ca->n_failed == N_REMOTES;
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ConnectAll *ca = user_data;
  g_autoptr(GError) error = NULL;

  if (!pve_remote_manager_connect_finish (PVE_REMOTE_MANAGER (object), result, &error))
    {
      g_printerr ("bench: connect failed: %s\n", error->message);
      ca->n_failed++;
      ca->done = ca->n_connected + ca->n_failed == N_REMOTES;
    }
}

static int
run_connect_all (void)
{
  static const char *const args[] = { "--ports", "100", "--latency-ms", "50", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(BenchSim) sim = bench_sim_start (args, &error);
  g_autoptr(PveRemoteManager) manager = NULL;
  GListModel *remotes;
  ConnectAll ca = { 0 };
  BenchProbe probe;
  gint64 t0, stall;
  guint max_password = 0, max_token = 0, min_requests = G_MAXUINT, client_max = 0;
  gboolean enough = FALSE;

  bench_check (sim != NULL, "%s", error ? error->message : "");
  bench_check (sim->ports->len == N_REMOTES, "%u ports", sim->ports->len);
  bench_check (bench_prepare_store_in_child (NULL, (guint *) (gpointer) sim->ports->data,
                                             N_REMOTES, sim->fingerprint, TRUE, &error),
               "%s", error->message);
  manager = bench_manager_new (NULL, &error);
  bench_check (manager != NULL, "%s", error->message);
  remotes = pve_remote_manager_get_remotes (manager);
  bench_check (g_list_model_get_n_items (remotes) == N_REMOTES, "%u remotes loaded",
               g_list_model_get_n_items (remotes));

  for (guint i = 0; i < N_REMOTES; i++)
    {
      g_autoptr(PveRemote) remote = g_list_model_get_item (remotes, i);

      g_signal_connect (remote, "notify::state", G_CALLBACK (state_changed_cb), &ca);
    }

  bench_probe_start (&probe);
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < N_REMOTES; i++)
    {
      g_autoptr(PveRemote) remote = g_list_model_get_item (remotes, i);

      pve_remote_manager_connect_async (manager, remote, NULL, FALSE, NULL, connected_cb, &ca);
    }
  bench_result ("core_connect_calls_ms", (g_get_monotonic_time () - t0) / 1000.0);
  bench_wait_for (&ca.done, 30000);
  stall = bench_probe_reset (&probe);
  bench_probe_stop (&probe);
  bench_check (ca.n_connected == N_REMOTES, "%u of %u connected", ca.n_connected, N_REMOTES);

  /* Whatever a connect sends, it has sent it well within this. */
  bench_spin (500);
  for (gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
       !enough && g_get_monotonic_time () < end;)
    {
      enough = bench_sim_count (sim, 0, NULL, t0) >= N_REMOTES;
      if (!enough)
        g_main_context_iteration (NULL, TRUE);
    }

  for (guint i = 0; i < N_REMOTES; i++)
    {
      g_autoptr(PveRemote) remote = g_list_model_get_item (remotes, i);
      guint port = pve_remote_get_port (remote);
      guint n = bench_sim_count (sim, port, NULL, t0);
      PveClient *client = pve_remote_manager_get_client (manager, remote);

      if (pve_remote_get_auth_kind (remote) == PVE_AUTH_KIND_TOKEN)
        {
          bench_check (bench_sim_count (sim, port, "/version", t0) >= 1, "token: no GET /version");
          max_token = MAX (max_token, n);
        }
      else
        {
          bench_check (bench_sim_count (sim, port, "/access/ticket", t0) >= 1, "no login");
          max_password = MAX (max_password, n);
        }
      min_requests = MIN (min_requests, n);
      if (client != NULL)
        client_max = MAX (client_max, pve_client_get_request_count (client));
    }

  bench_result ("connect_all_ms", (ca.last_connected - t0) / 1000.0);
  bench_result ("connect_requests_password", max_password);
  bench_result ("connect_requests_token", max_token);
  bench_result ("connect_requests_min", min_requests);
  bench_result ("connect_client_requests_max", client_max);
  bench_result ("core_connect_stall_ms", stall / 1000.0);
  bench_result ("core_connect_busy_ms", probe.reported_busy / 1000.0);
  return 0;
}

/* --- big-cluster ---------------------------------------------------------------------------- */

typedef struct
{
  guint n_refreshed;
} Refreshes;

static void
refreshed_cb (PveGuestList *list,
              PveRemote    *remote,
              Refreshes    *refreshes)
{
  refreshes->n_refreshed++;
}

static gboolean
wait_refreshes (Refreshes *refreshes,
                guint      n,
                guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (refreshes->n_refreshed < n && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  return refreshes->n_refreshed >= n;
}

/* The answer's arrival for the refresh that stats describe: the simulator's trace line. */
static BenchTrace *
wait_arrival (BenchSim                *sim,
              const PveGuestListStats *stats)
{
  for (gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC; g_get_monotonic_time () < end;)
    {
      BenchTrace *trace = bench_sim_find_last (sim, "/cluster/resources", stats->merged);

      if (trace != NULL && trace->finished_us >= stats->started)
        return trace;
      g_main_context_iteration (NULL, TRUE);
    }
  return NULL;
}

static void
connect_one_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!pve_remote_manager_connect_finish (PVE_REMOTE_MANAGER (object), result, &error))
    g_printerr ("bench: connect failed: %s\n", error->message);
  *(gboolean *) user_data = TRUE;
}

static char *
make_temp_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pve-bench-XXXXXX", &error);

  bench_check (dir != NULL, "%s", error->message);
  return g_build_filename (dir, "remotes.ini", NULL);
}

static int
run_big_cluster (void)
{
  static const char *const args[] = { "--guests", "10000", "--nodes", "8", "--tick-ms", "1000",
                                      NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(BenchSim) sim = bench_sim_start (args, &error);
  g_autofree char *path = make_temp_store ();
  g_autoptr(PveRemoteManager) manager = NULL;
  g_autoptr(PveGuestList) list = NULL;
  g_autoptr(PveRemote) remote = NULL;
  g_autoptr(GPtrArray) snapshot = NULL;
  PveGuestListStats stats;
  Refreshes refreshes = { 0 };
  BenchTrace *arrival;
  BenchProbe probe;
  gboolean connected = FALSE;
  guint port;
  gint64 stall, cpu0;
  double refresh_ms_max = 0, refresh_cpu_ms = 0;
  guint n_updated_min = G_MAXUINT;

  bench_check (sim != NULL, "%s", error ? error->message : "");
  port = bench_sim_get_port (sim, 0);
  bench_check (bench_prepare_store_in_child (path, &port, 1, sim->fingerprint, FALSE, &error),
               "%s", error->message);
  manager = bench_manager_new (path, &error);
  bench_check (manager != NULL, "%s", error->message);
  remote = g_list_model_get_item (pve_remote_manager_get_remotes (manager), 0);

  list = pve_guest_list_new (manager);
  pve_guest_list_set_refresh_interval (list, 0);
  g_signal_connect (list, "refreshed", G_CALLBACK (refreshed_cb), &refreshes);

  bench_probe_start (&probe);
  pve_remote_manager_connect_async (manager, remote, NULL, FALSE, NULL, connect_one_cb, &connected);
  bench_check (wait_refreshes (&refreshes, 1, 60000), "no refresh");
  stall = bench_probe_reset (&probe);
  bench_probe_stop (&probe);
  bench_check (pve_guest_list_get_stats (list, remote, &stats), "no stats");
  bench_check (g_list_model_get_n_items (G_LIST_MODEL (list)) == 10000, "%u guests",
               g_list_model_get_n_items (G_LIST_MODEL (list)));
  arrival = wait_arrival (sim, &stats);
  bench_check (arrival != NULL, "no trace of the answer");

  bench_result ("load_ms", (stats.merged - arrival->finished_us) / 1000.0);
  bench_result ("load_receive_parse_ms", (stats.answered - arrival->finished_us) / 1000.0);
  bench_result ("load_resources_ms", (stats.parsed - stats.answered) / 1000.0);
  bench_result ("load_merge_ms", (stats.merged - stats.parsed) / 1000.0);
  bench_result ("load_longest_chunk_ms", stats.longest_chunk / 1000.0);
  bench_result ("load_chunks", stats.n_chunks);
  bench_result ("core_load_stall_ms", stall / 1000.0);
  bench_result ("core_load_busy_ms", probe.reported_busy / 1000.0);

  /* Refreshes: the same objects, updated in place. */
  snapshot = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < 10000; i++)
    g_ptr_array_add (snapshot, g_list_model_get_item (G_LIST_MODEL (list), i));
  for (guint r = 0; r < 3; r++)
    {
      guint before = refreshes.n_refreshed;

      bench_spin (1100);   /* the simulator moves its statistics on every second */
      cpu0 = bench_cpu_time ();
      pve_guest_list_refresh_now (list);
      bench_check (wait_refreshes (&refreshes, before + 1, 30000), "no refresh");
      refresh_cpu_ms += (bench_cpu_time () - cpu0) / 1000.0;
      bench_check (pve_guest_list_get_stats (list, remote, &stats), "no stats");
      bench_check (stats.n_added == 0 && stats.n_removed == 0, "refresh added %u removed %u",
                   stats.n_added, stats.n_removed);
      arrival = wait_arrival (sim, &stats);
      bench_check (arrival != NULL, "no trace of the answer");
      refresh_ms_max = MAX (refresh_ms_max, (stats.merged - arrival->finished_us) / 1000.0);
      n_updated_min = MIN (n_updated_min, stats.n_updated);
    }
  for (guint i = 0; i < 10000; i++)
    {
      g_autoptr(PveGuest) guest = g_list_model_get_item (G_LIST_MODEL (list), i);

      bench_check (guest == g_ptr_array_index (snapshot, i), "row %u is a new object", i);
    }
  bench_check (n_updated_min > 0, "refreshes changed nothing: the simulator did not tick");

  bench_result ("refresh_ms", refresh_ms_max);
  bench_result ("refresh_updated", n_updated_min);
  bench_result ("core_refresh_cpu_ms", refresh_cpu_ms / 3);
  g_ptr_array_unref (g_steal_pointer (&snapshot));
  return 0;
}

/* --- fetch (the counterpart of bench-proxmoxer.py) ---------------------------------------- */

typedef struct
{
  gboolean   done;
  GError    *error;
  GPtrArray *resources;
} Fetch;

static void
fetch_resources_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Fetch *fetch = user_data;

  fetch->resources = pve_client_request_parsed_finish (PVE_CLIENT (object), result,
                                                       &fetch->error);
  fetch->done = TRUE;
}

/* As the guest list reads the answer: straight into typed resources (all of the fields a guest
 * row shows), which is what proxmoxer's list of dicts is to a script. */
static gpointer
fetch_parse (const char  *body,
             gsize        length,
             GError     **error)
{
  return pve_api_parse_resources_body (body, length, error);
}

static void
fetch_login_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);

  if (!pve_client_login_finish (PVE_CLIENT (object), result, &fetch->error))
    {
      fetch->done = TRUE;
      return;
    }
  g_hash_table_insert (params, (gpointer) "type", (gpointer) "vm");
  pve_client_request_parsed_async (PVE_CLIENT (object), "GET", "/cluster/resources", params,
                                   fetch_parse, (GDestroyNotify) g_ptr_array_unref, NULL,
                                   fetch_resources_cb, fetch);
}

static int
run_fetch (void)
{
  static const char *const args[] = { "--guests", "10000", "--nodes", "8", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(BenchSim) sim = bench_sim_start (args, &error);
  g_autoptr(PveClient) client = NULL;
  Fetch fetch = { 0 };
  gint64 t0, t1;

  bench_check (sim != NULL, "%s", error ? error->message : "");
  t0 = g_get_monotonic_time ();
  client = pve_client_new ("127.0.0.1", bench_sim_get_port (sim, 0), &error);
  bench_check (client != NULL, "%s", error->message);
  pve_client_set_pinned_fingerprint (client, sim->fingerprint);
  pve_client_login_async (client, "root@pam", BENCH_PASSWORD, NULL, fetch_login_cb, &fetch);
  bench_wait_for (&fetch.done, 60000);
  t1 = g_get_monotonic_time ();
  bench_check (fetch.resources != NULL, "%s", fetch.error ? fetch.error->message : "timed out");
  bench_check (fetch.resources->len == 10000, "not 10,000 guests");
  g_ptr_array_unref (fetch.resources);
  bench_result ("fetch_ms", (t1 - t0) / 1000.0);
  return 0;
}

/* --- startup helpers ------------------------------------------------------------------------ */

static int
run_prepare_startup (guint n)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint *ports = g_new (guint, n);

  for (guint i = 0; i < n; i++)
    ports[i] = 20000 + i;
  /* Never connected (autoconnect is off): the startup pays for loading and showing them. */
  bench_check (bench_prepare_store (NULL, ports, n,
                                    "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:"
                                    "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99",
                                    TRUE, FALSE, &error),
               "%s", error->message);
  return 0;
}

static int
run_prepare (const char *path,
             const char *ports_csv,
             const char *fingerprint,
             const char *mode)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) list = g_strsplit (ports_csv, ",", -1);
  guint n = g_strv_length (list);
  g_autofree guint *ports = g_new (guint, n);

  for (guint i = 0; i < n; i++)
    ports[i] = (guint) g_ascii_strtoull (list[i], NULL, 10);
  bench_check (bench_prepare_store (g_str_equal (path, "-") ? NULL : path, ports, n, fingerprint,
                                    g_str_equal (mode, "mixed"), TRUE, &error),
               "%s", error->message);
  return 0;
}

static int
run_first_frame (const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gint64 t0, frame = 0;

  g_subprocess_launcher_setenv (launcher, "PVE_BENCH_FIRST_FRAME", "1", TRUE);
  t0 = g_get_monotonic_time ();
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  bench_check (process != NULL, "%s", error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  /* Reading the child's pipe blocks this launcher only: it has no main loop to keep. */
  while ((line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error)) != NULL)
    {
      if (g_str_has_prefix (line, "FIRST_FRAME="))
        {
          frame = g_ascii_strtoll (line + strlen ("FIRST_FRAME="), NULL, 10);
          break;
        }
      g_clear_pointer (&line, g_free);
    }
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);
  bench_check (frame > 0, "%s printed no FIRST_FRAME line", argv[0]);
  bench_result ("first_frame_ms", (frame - t0) / 1000.0);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  const char *mode = argc > 1 ? argv[1] : "";

  if (g_str_equal (mode, "connect-all"))
    return run_connect_all ();
  if (g_str_equal (mode, "big-cluster"))
    return run_big_cluster ();
  if (g_str_equal (mode, "fetch"))
    return run_fetch ();
  if (g_str_equal (mode, "prepare-startup") && argc == 3)
    return run_prepare_startup ((guint) g_ascii_strtoull (argv[2], NULL, 10));
  if (g_str_equal (mode, "prepare") && argc == 6)
    return run_prepare (argv[2], argv[3], argv[4], argv[5]);
  if (g_str_equal (mode, "first-frame") && argc > 2)
    return run_first_frame ((const char * const *) argv + 2);

  g_printerr ("usage: bench-core connect-all | big-cluster | fetch | prepare-startup N "
              "| first-frame COMMAND...\n");
  return 1;
}

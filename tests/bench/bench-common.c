/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench-common.h"

/* --- The simulator process ----------------------------------------------------------------- */

static void
bench_trace_free (BenchTrace *trace)
{
  g_free (trace->method);
  g_free (trace->path);
  g_free (trace);
}

static void read_next_line (BenchSim *sim);

static void
handle_line (BenchSim   *sim,
             const char *line)
{
  if (g_str_has_prefix (line, "REQUEST "))
    {
      g_auto(GStrv) parts = g_strsplit (line + strlen ("REQUEST "), " ", 5);
      BenchTrace *trace;

      if (g_strv_length (parts) != 5)
        return;
      trace = g_new0 (BenchTrace, 1);
      trace->port = (guint) g_ascii_strtoull (parts[0], NULL, 10);
      trace->status = (guint) g_ascii_strtoull (parts[1], NULL, 10);
      trace->method = g_strdup (parts[2]);
      trace->path = g_strdup (parts[3]);
      trace->finished_us = g_ascii_strtoll (parts[4], NULL, 10);
      g_ptr_array_add (sim->trace, trace);
    }
  else if (g_str_has_prefix (line, "PORT="))
    {
      if (sim->ports->len == 0)
        {
          guint port = (guint) g_ascii_strtoull (line + 5, NULL, 10);
          g_array_append_val (sim->ports, port);
        }
    }
  else if (g_str_has_prefix (line, "PORTS="))
    {
      g_auto(GStrv) list = g_strsplit (line + 6, ",", -1);

      g_array_set_size (sim->ports, 0);
      for (guint i = 0; list[i]; i++)
        {
          guint port = (guint) g_ascii_strtoull (list[i], NULL, 10);
          g_array_append_val (sim->ports, port);
        }
    }
  else if (g_str_has_prefix (line, "FINGERPRINT="))
    {
      g_free (sim->fingerprint);
      sim->fingerprint = g_strdup (line + strlen ("FINGERPRINT="));
    }
  else if (g_str_equal (line, "READY"))
    sim->ready = TRUE;
}

static void
line_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  BenchSim *sim = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result,
                                                   NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (line == NULL)
    {
      sim->ended = TRUE;
      return;
    }
  handle_line (sim, line);
  read_next_line (sim);
}

static void
read_next_line (BenchSim *sim)
{
  g_data_input_stream_read_line_async (sim->out, G_PRIORITY_DEFAULT, sim->cancellable,
                                       line_cb, sim);
}

/* The simulator stands in for remote hosts, whose TLS handshakes and answers cost their own
 * CPUs, not the client's. PVE_BENCH_SIM_NICE (0 to 19) lowers its CPU priority so that, on a
 * machine it shares with the app, its work waits for the app's instead of pre-empting it. */
static void
sim_child_setup (gpointer user_data)
{
  if (setpriority (PRIO_PROCESS, 0, GPOINTER_TO_INT (user_data)) != 0)
    _exit (126);
}

BenchSim *
bench_sim_start (const char * const *args,
                 GError            **error)
{
  g_autoptr(BenchSim) sim = g_new0 (BenchSim, 1);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  const char *exe = g_getenv ("PVE_BENCH_SIMULATOR");
  const char *nice = g_getenv ("PVE_BENCH_SIM_NICE");
  gint64 nice_value = nice != NULL ? g_ascii_strtoll (nice, NULL, 10) : 0;

  g_ptr_array_add (argv, (gpointer) (exe ? exe : PVE_SIMULATOR_PATH));
  g_ptr_array_add (argv, (gpointer) "--trace");
  for (guint i = 0; args && args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  sim->ports = g_array_new (FALSE, FALSE, sizeof (guint));
  sim->trace = g_ptr_array_new_with_free_func ((GDestroyNotify) bench_trace_free);
  sim->cancellable = g_cancellable_new ();
  if (nice_value > 0)
    g_subprocess_launcher_set_child_setup (launcher, sim_child_setup,
                                           GINT_TO_POINTER ((int) MIN (nice_value, 19)), NULL);
  sim->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (sim->process == NULL)
    return NULL;
  sim->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->process));
  read_next_line (sim);

  for (gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
       !sim->ready && !sim->ended && g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, TRUE);
  if (!sim->ready)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the simulator did not get ready");
      return NULL;
    }
  return g_steal_pointer (&sim);
}

void
bench_sim_free (BenchSim *sim)
{
  if (sim == NULL)
    return;
  if (sim->cancellable)
    g_cancellable_cancel (sim->cancellable);
  if (sim->process)
    {
      g_subprocess_send_signal (sim->process, SIGTERM);
      g_subprocess_wait (sim->process, NULL, NULL);
    }
  g_clear_object (&sim->out);
  g_clear_object (&sim->process);
  g_clear_object (&sim->cancellable);
  g_clear_pointer (&sim->ports, g_array_unref);
  g_clear_pointer (&sim->trace, g_ptr_array_unref);
  g_free (sim->fingerprint);
  g_free (sim);
}

guint
bench_sim_get_port (BenchSim *sim,
                    guint     index)
{
  g_assert (index < sim->ports->len);
  return g_array_index (sim->ports, guint, index);
}

guint
bench_sim_count (BenchSim   *sim,
                 guint       port,
                 const char *path,
                 gint64      since)
{
  guint n = 0;

  for (guint i = 0; i < sim->trace->len; i++)
    {
      BenchTrace *trace = g_ptr_array_index (sim->trace, i);

      if ((port == 0 || trace->port == port) && (path == NULL || g_str_equal (trace->path, path))
          && trace->finished_us >= since)
        n++;
    }
  return n;
}

BenchTrace *
bench_sim_find_last (BenchSim   *sim,
                     const char *path,
                     gint64      before)
{
  BenchTrace *found = NULL;

  for (guint i = 0; i < sim->trace->len; i++)
    {
      BenchTrace *trace = g_ptr_array_index (sim->trace, i);

      if (g_str_equal (trace->path, path) && trace->finished_us <= before)
        found = trace;
    }
  return found;
}

/* --- Main loop helpers --------------------------------------------------------------------- */

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
bench_wait_for (const gboolean *flag,
                guint           timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, set_flag_cb, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return *flag;
}

void
bench_spin (guint ms)
{
  gboolean never = FALSE;

  bench_wait_for (&never, ms);
}

/* --- The store and the keyring ------------------------------------------------------------- */

typedef struct
{
  guint    pending;
  GError  *error;
} Waiter;

static void
secret_stored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Waiter *waiter = user_data;
  g_autoptr(GError) error = NULL;

  if (!pve_secrets_store_finish (PVE_SECRETS (object), result, &error) && waiter->error == NULL)
    waiter->error = g_steal_pointer (&error);
  waiter->pending--;
}

static void
store_saved_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Waiter *waiter = user_data;
  g_autoptr(GError) error = NULL;

  if (!pve_remote_store_save_finish (PVE_REMOTE_STORE (object), result, &error)
      && waiter->error == NULL)
    waiter->error = g_steal_pointer (&error);
  waiter->pending--;
}

static gboolean
wait_waiter (Waiter  *waiter,
             GError **error)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (waiter->pending > 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  if (waiter->error != NULL)
    {
      g_propagate_error (error, waiter->error);
      return FALSE;
    }
  if (waiter->pending > 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "the keyring or the disk timed out");
      return FALSE;
    }
  return TRUE;
}

gboolean
bench_prepare_store (const char  *path,
                     const guint *ports,
                     guint        n_ports,
                     const char  *fingerprint,
                     gboolean     mix_tokens,
                     gboolean     with_secrets,
                     GError     **error)
{
  g_autoptr(PveRemoteStore) store = pve_remote_store_new (path);
  g_autoptr(PveSecrets) secrets = pve_secrets_new ();
  Waiter waiter = { 0 };

  for (guint i = 0; i < n_ports; i++)
    {
      g_autofree char *id = g_strdup_printf ("00000000-0000-4000-8000-%012u", i);
      g_autofree char *name = g_strdup_printf ("bench-%03u", i);
      g_autoptr(PveRemote) remote = pve_remote_new_with_id (id);
      gboolean token = mix_tokens && i % 2 == 1;

      pve_remote_set_name (remote, name);
      pve_remote_set_host (remote, "127.0.0.1");
      pve_remote_set_port (remote, ports[i]);
      pve_remote_set_user (remote, "root");
      pve_remote_set_realm (remote, "pam");
      pve_remote_set_auth_kind (remote, token ? PVE_AUTH_KIND_TOKEN : PVE_AUTH_KIND_PASSWORD);
      if (token)
        pve_remote_set_token_id (remote, BENCH_TOKEN_NAME);
      pve_remote_set_fingerprint (remote, fingerprint);
      pve_remote_store_add (store, remote);
      if (with_secrets)
        {
          waiter.pending++;
          pve_secrets_store_async (secrets, remote, token ? BENCH_TOKEN_SECRET : BENCH_PASSWORD,
                                   NULL, secret_stored_cb, &waiter);
        }
    }
  waiter.pending++;
  pve_remote_store_save_async (store, NULL, store_saved_cb, &waiter);
  return wait_waiter (&waiter, error);
}

static void
manager_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Waiter *waiter = user_data;
  g_autoptr(GError) error = NULL;

  if (!pve_remote_manager_load_finish (PVE_REMOTE_MANAGER (object), result, &error))
    waiter->error = g_steal_pointer (&error);
  waiter->pending--;
}

gboolean
bench_prepare_store_in_child (const char  *path,
                              const guint *ports,
                              guint        n_ports,
                              const char  *fingerprint,
                              gboolean     mix_tokens,
                              GError     **error)
{
  g_autoptr(GString) list = g_string_new (NULL);
  int status = 0;

  for (guint i = 0; i < n_ports; i++)
    g_string_append_printf (list, "%s%u", i ? "," : "", ports[i]);
  {
    const char *argv[] = { PVE_BENCH_CORE_PATH, "prepare", path ? path : "-", list->str,
                           fingerprint, mix_tokens ? "mixed" : "password", NULL };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                       &status, error))
      return FALSE;
  }
  return g_spawn_check_wait_status (status, error);
}

PveRemoteManager *
bench_manager_new (const char  *path,
                   GError     **error)
{
  g_autoptr(PveRemoteStore) store = pve_remote_store_new (path);
  g_autoptr(PveSecrets) secrets = pve_secrets_new ();
  g_autoptr(PveRemoteManager) manager = pve_remote_manager_new (store, secrets);
  Waiter waiter = { 1, NULL };

  /* Nothing but the benchmark's own requests. */
  pve_remote_manager_set_heartbeat_interval (manager, 0);
  pve_remote_manager_load_async (manager, NULL, manager_loaded_cb, &waiter);
  if (!wait_waiter (&waiter, error))
    return NULL;
  return g_steal_pointer (&manager);
}

/* --- Probe, CPU, RSS ----------------------------------------------------------------------- */

static gint64
thread_cpu_time (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
probe_tick (gpointer user_data)
{
  BenchProbe *probe = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_time ();

  /* PVE_BENCH_GAPS=1: every gap over 8 ms, to see which frames are long. */
  if (probe->last != 0 && now - probe->last > 8000 && g_getenv ("PVE_BENCH_GAPS"))
    g_printerr ("GAP %.1f ms (cpu %.1f) at %.1f\n", (now - probe->last) / 1000.0,
                (cpu - probe->last_cpu) / 1000.0, now / 1000.0);
  if (probe->last != 0 && now - probe->last > 16000)
    probe->n_over++;
  if (probe->last != 0 && now - probe->last > probe->longest)
    {
      probe->longest = now - probe->last;
      probe->longest_at = now;
    }
  /* The main thread's own CPU time between two ticks: the part of a gap our code spent,
   * whatever the scheduler did with the rest. */
  if (probe->last_cpu != 0 && cpu - probe->last_cpu > probe->longest_busy)
    probe->longest_busy = cpu - probe->last_cpu;
  probe->last = now;
  probe->last_cpu = cpu;
  probe->n_ticks++;
  return G_SOURCE_CONTINUE;
}

void
bench_probe_start (BenchProbe *probe)
{
  memset (probe, 0, sizeof *probe);
  probe->last = g_get_monotonic_time ();
  probe->last_cpu = thread_cpu_time ();
  probe->cpu_start = probe->last_cpu;
  probe->source = g_timeout_add_full (G_PRIORITY_HIGH, 1, probe_tick, probe, NULL);
}

gint64
bench_probe_reset (BenchProbe *probe)
{
  gint64 longest = probe->longest;

  probe->reported_at = probe->longest_at;
  /* The gap running up to now counts too (a stall that has not ended yet). */
  if (g_get_monotonic_time () - probe->last > longest)
    {
      longest = g_get_monotonic_time () - probe->last;
      probe->reported_at = g_get_monotonic_time ();
    }
  probe->longest = 0;
  probe->reported_busy = probe->longest_busy;
  probe->longest_busy = 0;
  probe->reported_over = probe->n_over;
  probe->n_over = 0;
  probe->reported_cpu = thread_cpu_time () - probe->cpu_start;
  probe->cpu_start += probe->reported_cpu;
  return longest;
}

void
bench_probe_stop (BenchProbe *probe)
{
  g_clear_handle_id (&probe->source, g_source_remove);
}

gint64
bench_cpu_time (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (gint64) usage.ru_utime.tv_sec * G_USEC_PER_SEC + usage.ru_utime.tv_usec
         + (gint64) usage.ru_stime.tv_sec * G_USEC_PER_SEC + usage.ru_stime.tv_usec;
}

gint64
bench_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "\nVmRSS:");
  return line ? g_ascii_strtoll (line + strlen ("\nVmRSS:"), NULL, 10) : -1;
}

void
bench_result (const char *key,
              double      value)
{
  printf ("RESULT %s %.3f\n", key, value);
  fflush (stdout);
}

void
bench_result_str (const char *key,
                  const char *value)
{
  printf ("RESULT %s %s\n", key, value);
  fflush (stdout);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pve-soak: many remotes connected for a long time, every guest refreshing, through many
 * ticket renewals, against one pve-simulator process listening on one port per remote.
 *
 * Checks, and prints as TAP:
 *   - no failed request: no "remote-error" from the guest list, no remote ever leaves
 *     CONNECTED, every remote renewed its ticket at least twice (so renewal really happened);
 *   - resident memory flat: after the warm-up, the floor of the last quarter (its smallest
 *     sample) is not above the floor of the first quarter by more than --rss-tolerance
 *     percent (default 5). A leak raises the floor; a refresh that happens to be in flight
 *     when a sample is taken only makes a peak (the largest sample is printed too);
 *   - no growth in open file descriptors (/proc/self/fd): the last sample is not above the
 *     largest one of the first quarter of the post-warm-up time (connections come and go
 *     with keep-alive; a leak grows without bound);
 *   - every guest of every remote is in the list (remotes x guests-per-remote).
 *
 * Under AddressSanitizer the RSS figure is printed but not judged: ASan's quarantine keeps
 * freed memory resident by design (up to 256 MB), so RSS grows without a leak. The other
 * checks still apply, and LeakSanitizer judges leaks at exit.
 *
 * Usage: pve-soak --simulator PATH [--duration S] [--remotes N] [--guests N]
 *        [--ticket-lifetime S] [--renew-after S] [--interval S] [--warmup S]
 * PVE_SIMULATOR in the environment stands in for --simulator.
 */
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pve-guest-list.h"
#include "pve-remote-manager.h"

#if defined(__SANITIZE_ADDRESS__)
# define UNDER_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define UNDER_ASAN 1
# endif
#endif
#ifndef UNDER_ASAN
# define UNDER_ASAN 0
#endif

typedef struct
{
  gint64 t;          /* seconds since start */
  gsize  rss_kb;
  guint  n_fds;
  guint  n_guests;
  guint  requests;
  guint  renewals;
} Sample;

typedef struct
{
  PveRemoteManager *manager;
  PveGuestList     *guests;
  GArray           *samples;
  GMainLoop        *loop;
  GPtrArray        *remotes;
  gint64            start;
  guint             failed_requests;
  guint             lost_connections;
  GString          *first_errors;
  gboolean          running;
} Soak;

static gsize
rss_kb (void)
{
  g_autofree char *statm = NULL;
  unsigned long size = 0, resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL)
      || sscanf (statm, "%lu %lu", &size, &resident) != 2)
    return 0;
  return (gsize)resident * (gsize)(sysconf (_SC_PAGESIZE) / 1024);
}

static guint
count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n > 0 ? n - 1 : 0;  /* the directory's own fd */
}

static void
note_error (Soak       *soak,
            const char *what,
            PveRemote  *remote,
            const char *message)
{
  if (soak->first_errors->len < 4000)
    g_string_append_printf (soak->first_errors, "# %6.1f s %s %s: %s\n",
                            (g_get_monotonic_time () - soak->start) / 1e6, what,
                            pve_remote_get_name (remote), message ? message : "");
}

static void
remote_error_cb (PveGuestList *list,
                 PveRemote    *remote,
                 GError       *error,
                 Soak         *soak)
{
  if (!soak->running)
    return;
  soak->failed_requests++;
  note_error (soak, "refresh failed on", remote, error->message);
}

static void
state_cb (PveRemote  *remote,
          GParamSpec *pspec,
          Soak       *soak)
{
  if (!soak->running || pve_remote_get_state (remote) == PVE_REMOTE_STATE_CONNECTED)
    return;
  soak->lost_connections++;
  note_error (soak, "left CONNECTED:", remote, pve_remote_get_last_error (remote));
}

static guint
total_renewals (Soak  *soak,
                guint *min_per_remote)
{
  guint total = 0;
  guint least = G_MAXUINT;

  for (guint i = 0; i < soak->remotes->len; i++)
    {
      PveClient *client = pve_remote_manager_get_client (soak->manager,
                                                         g_ptr_array_index (soak->remotes, i));
      guint n = client ? pve_client_get_renew_count (client) : 0;

      total += n;
      least = MIN (least, n);
    }
  if (min_per_remote != NULL)
    *min_per_remote = soak->remotes->len ? least : 0;
  return total;
}

static gboolean
sample_cb (gpointer user_data)
{
  Soak *soak = user_data;
  Sample s = {
    .t = (g_get_monotonic_time () - soak->start) / G_USEC_PER_SEC,
    .rss_kb = rss_kb (),
    .n_fds = count_fds (),
    .n_guests = g_list_model_get_n_items (G_LIST_MODEL (soak->guests)),
    .requests = pve_guest_list_get_request_count (soak->guests),
    .renewals = total_renewals (soak, NULL),
  };

  g_array_append_val (soak->samples, s);
  printf ("# t=%4" G_GINT64_FORMAT " s  rss=%6zu KiB  fds=%4u  guests=%5u  refreshes=%6u  "
          "renewals=%5u  failed=%u\n", s.t, s.rss_kb, s.n_fds, s.n_guests, s.requests,
          s.renewals, soak->failed_requests);
  fflush (stdout);
  return G_SOURCE_CONTINUE;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  guint  pending;
  guint  failed;
  GString *errors;
} Adding;

static void
add_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Adding *adding = user_data;
  g_autoptr(GError) error = NULL;

  if (!pve_remote_manager_add_finish (PVE_REMOTE_MANAGER (object), result, &error))
    {
      adding->failed++;
      g_string_append_printf (adding->errors, "# add failed: %s\n", error->message);
    }
  adding->pending--;
}

static void
remove_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Adding *adding = user_data;

  pve_remote_manager_remove_finish (PVE_REMOTE_MANAGER (object), result, NULL);
  adding->pending--;
}

/* Starts the simulator and reads its PORTS= and FINGERPRINT= lines. */
static GSubprocess *
start_simulator (const char *path,
                 guint       n_ports,
                 guint       n_guests,
                 guint       ticket_lifetime,
                 GStrv      *ports,
                 char      **fingerprint,
                 GError    **error)
{
  g_autofree char *ports_arg = g_strdup_printf ("--ports=%u", n_ports);
  g_autofree char *guests_arg = g_strdup_printf ("--guests=%u", n_guests);
  g_autofree char *lifetime_arg = g_strdup_printf ("--ticket-lifetime=%u", ticket_lifetime);
  g_autoptr(GSubprocess) sim = NULL;
  g_autoptr(GDataInputStream) out = NULL;

  sim = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, error, path, ports_arg, guests_arg,
                          "--nodes=3", lifetime_arg, NULL);
  if (sim == NULL)
    return NULL;
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim));

  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (out, NULL, NULL, error);

      if (line == NULL)
        {
          if (error != NULL && *error == NULL)
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                                 "the simulator ended before it was ready");
          g_subprocess_force_exit (sim);
          return NULL;
        }
      if (g_str_has_prefix (line, "PORT=") && *ports == NULL)
        *ports = g_strsplit (line + 5, ",", -1);
      else if (g_str_has_prefix (line, "PORTS="))
        {
          g_strfreev (*ports);
          *ports = g_strsplit (line + 6, ",", -1);
        }
      else if (g_str_has_prefix (line, "FINGERPRINT="))
        *fingerprint = g_strdup (line + 12);
      else if (g_str_equal (line, "READY"))
        break;
    }
  return g_steal_pointer (&sim);
}

int
main (int   argc,
      char *argv[])
{
  int duration = 600, n_remotes = 100, n_guests = 100, ticket_lifetime = 60, renew_after = 30;
  int interval = 5, warmup = -1, rss_tolerance = 5;
  g_autofree char *simulator = NULL;
  GOptionEntry entries[] = {
    { "simulator", 0, 0, G_OPTION_ARG_FILENAME, &simulator, "The pve-simulator executable", "PATH" },
    { "duration", 0, 0, G_OPTION_ARG_INT, &duration, "Seconds to run (default 600)", "S" },
    { "remotes", 0, 0, G_OPTION_ARG_INT, &n_remotes, "Remotes (default 100)", "N" },
    { "guests", 0, 0, G_OPTION_ARG_INT, &n_guests, "Guests per remote (default 100)", "N" },
    { "ticket-lifetime", 0, 0, G_OPTION_ARG_INT, &ticket_lifetime, "Simulated ticket lifetime (default 60)", "S" },
    { "renew-after", 0, 0, G_OPTION_ARG_INT, &renew_after, "Client renews after (default 30)", "S" },
    { "interval", 0, 0, G_OPTION_ARG_INT, &interval, "Guest refresh interval (default 5)", "S" },
    { "warmup", 0, 0, G_OPTION_ARG_INT, &warmup, "Warm-up before RSS/fd baselines (default duration/5)", "S" },
    { "rss-tolerance", 0, 0, G_OPTION_ARG_INT, &rss_tolerance, "Allowed RSS growth in percent (default 5)", "P" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- soak test of the core");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) sim = NULL;
  g_auto(GStrv) ports = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(PveRemoteStore) store = NULL;
  g_autoptr(PveSecrets) secrets = NULL;
  Soak soak = { 0 };
  Adding adding = { 0 };
  const Sample *base = NULL, *last = NULL;
  gsize rss_max = 0, floor_first = G_MAXSIZE, floor_last = G_MAXSIZE;
  gint64 quarter;
  guint fds_first_quarter = 0, min_renewals = 0, test_no = 0;
  gboolean ok = TRUE;
  gint64 setup_started;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("pve-soak: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (simulator == NULL)
    simulator = g_strdup (g_getenv ("PVE_SIMULATOR"));
  if (simulator == NULL || duration < 10 || n_remotes < 1 || n_guests < 1 || interval < 1
      || renew_after < 1 || ticket_lifetime <= renew_after)
    {
      g_printerr ("pve-soak: needs --simulator (or PVE_SIMULATOR) and sane durations\n");
      return EXIT_FAILURE;
    }
  if (warmup < 0)
    warmup = duration / 5;

  /* Sockets: 100 remotes keep a few connections each; the default soft limit is 1024. */
  signal (SIGPIPE, SIG_IGN);

  printf ("TAP version 13\n1..6\n");
  printf ("# %d remotes x %d guests, ticket lifetime %d s, renew after %d s, refresh every %d s, "
          "%d s (warm-up %d s)%s\n", n_remotes, n_guests, ticket_lifetime, renew_after, interval,
          duration, warmup, UNDER_ASAN ? ", under AddressSanitizer" : "");
  fflush (stdout);

  sim = start_simulator (simulator, n_remotes, n_guests, ticket_lifetime, &ports, &fingerprint,
                         &error);
  if (sim == NULL || g_strv_length (ports) != (guint)n_remotes || fingerprint == NULL)
    {
      printf ("Bail out! simulator: %s\n", error ? error->message : "wrong PORTS line");
      return EXIT_FAILURE;
    }

  dir = g_dir_make_tmp ("pve-soak-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "remotes.ini", NULL);
  store = pve_remote_store_new (path);
  secrets = pve_secrets_new ();
  soak.manager = pve_remote_manager_new (store, secrets);
  pve_remote_manager_set_renew_after (soak.manager, renew_after);
  pve_remote_manager_set_timeouts (soak.manager, 10, 30);
  soak.remotes = g_ptr_array_new_with_free_func (g_object_unref);
  soak.samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  soak.first_errors = g_string_new (NULL);
  soak.loop = g_main_loop_new (NULL, FALSE);
  adding.errors = g_string_new (NULL);

  /* Add every remote the way the app does (probe, login, save the file and the keyring),
   * a few at a time. */
  setup_started = g_get_monotonic_time ();
  for (int i = 0; i < n_remotes; i++)
    {
      PveRemote *draft = pve_remote_new ();
      g_autofree char *name = g_strdup_printf ("soak%03d", i);

      pve_remote_set_name (draft, name);
      pve_remote_set_host (draft, "127.0.0.1");
      pve_remote_set_port (draft, (guint)g_ascii_strtoull (ports[i], NULL, 10));
      pve_remote_set_user (draft, "root");
      pve_remote_set_realm (draft, "pam");
      pve_remote_set_fingerprint (draft, fingerprint);
      g_ptr_array_add (soak.remotes, draft);
      adding.pending++;
      pve_remote_manager_add_async (soak.manager, draft, "pve-demo", NULL, add_cb, &adding);
      while (adding.pending >= 8)
        g_main_context_iteration (NULL, TRUE);
    }
  while (adding.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  printf ("%s %u - all %d remotes added and connected (%.1f s)\n",
          adding.failed == 0 ? "ok" : "not ok", ++test_no, n_remotes,
          (g_get_monotonic_time () - setup_started) / 1e6);
  printf ("%s", adding.errors->str);
  if (adding.failed > 0)
    {
      printf ("Bail out! cannot soak without remotes\n");
      g_subprocess_force_exit (sim);
      return EXIT_FAILURE;
    }

  for (guint i = 0; i < soak.remotes->len; i++)
    g_signal_connect (g_ptr_array_index (soak.remotes, i), "notify::state",
                      G_CALLBACK (state_cb), &soak);

  soak.guests = pve_guest_list_new (soak.manager);
  pve_guest_list_set_refresh_interval (soak.guests, interval);
  g_signal_connect (soak.guests, "remote-error", G_CALLBACK (remote_error_cb), &soak);
  pve_guest_list_refresh_now (soak.guests);

  soak.start = g_get_monotonic_time ();
  soak.running = TRUE;
  sample_cb (&soak);
  g_timeout_add_seconds (MAX (1, MIN (10, duration / 30)), sample_cb, &soak);
  g_timeout_add_seconds (duration, quit_cb, soak.loop);
  g_main_loop_run (soak.loop);
  soak.running = FALSE;
  sample_cb (&soak);

  /* ---- judge ---- */
  printf ("%s %u - no failed request (%u failed refreshes, %u remotes left CONNECTED)\n",
          soak.failed_requests == 0 && soak.lost_connections == 0 ? "ok" : "not ok", ++test_no,
          soak.failed_requests, soak.lost_connections);
  ok &= soak.failed_requests == 0 && soak.lost_connections == 0;
  printf ("%s", soak.first_errors->str);

  total_renewals (&soak, &min_renewals);
  printf ("%s %u - every remote renewed its ticket at least twice (fewest: %u)\n",
          min_renewals >= 2 ? "ok" : "not ok", ++test_no, min_renewals);
  ok &= min_renewals >= 2;

  for (guint i = 0; i < soak.samples->len; i++)
    {
      const Sample *s = &g_array_index (soak.samples, Sample, i);

      if (s->t < warmup)
        continue;
      if (base == NULL)
        base = s;
      rss_max = MAX (rss_max, s->rss_kb);
      if (s->t <= base->t + MAX (1, (duration - warmup) / 4))
        fds_first_quarter = MAX (fds_first_quarter, s->n_fds);
      last = s;
    }
  if (base == NULL || last == base)
    {
      printf ("Bail out! no samples after the warm-up\n");
      return EXIT_FAILURE;
    }

  quarter = MAX (1, (last->t - base->t) / 4);
  for (guint i = 0; i < soak.samples->len; i++)
    {
      const Sample *s = &g_array_index (soak.samples, Sample, i);

      if (s->t < base->t)
        continue;
      if (s->t <= base->t + quarter)
        floor_first = MIN (floor_first, s->rss_kb);
      if (s->t >= last->t - quarter)
        floor_last = MIN (floor_last, s->rss_kb);
    }

  {
    double growth = 100.0 * ((double)floor_last - (double)floor_first) / (double)floor_first;
    double peak = 100.0 * ((double)rss_max - (double)base->rss_kb) / (double)base->rss_kb;
    double end_growth = 100.0 * ((double)last->rss_kb - (double)base->rss_kb) / (double)base->rss_kb;
    gboolean flat = growth <= rss_tolerance;

    printf ("%s %u - RSS flat after warm-up: floor %zu KiB in the first quarter, %zu KiB in the "
            "last (%+.1f%%, tolerance %d%%); %zu KiB at %" G_GINT64_FORMAT " s, peak %zu KiB "
            "(%+.1f%%), end %zu KiB (%+.1f%%)%s\n",
            flat || UNDER_ASAN ? "ok" : "not ok", ++test_no, floor_first, floor_last, growth,
            rss_tolerance, base->rss_kb, base->t, rss_max, peak, last->rss_kb, end_growth,
            UNDER_ASAN ? " # ASan quarantine: figure not judged" : "");
    ok &= flat || UNDER_ASAN;
  }

  printf ("%s %u - no growth in open file descriptors: %u at %" G_GINT64_FORMAT " s, at most "
          "%u in the first quarter after warm-up, %u at the end\n",
          last->n_fds <= fds_first_quarter ? "ok" : "not ok", ++test_no, base->n_fds, base->t,
          fds_first_quarter, last->n_fds);
  ok &= last->n_fds <= fds_first_quarter;

  printf ("%s %u - every guest listed: %u of %d\n",
          last->n_guests == (guint)(n_remotes * n_guests) ? "ok" : "not ok", ++test_no,
          last->n_guests, n_remotes * n_guests);
  ok &= last->n_guests == (guint)(n_remotes * n_guests);
  printf ("# %u refreshes, %u ticket renewals in %" G_GINT64_FORMAT " s\n", last->requests,
          last->renewals, last->t);
  fflush (stdout);

  /* Tear down in order: the list, the sessions, the keyring items, the files. */
  g_clear_object (&soak.guests);
  for (guint i = 0; i < soak.remotes->len; i++)
    {
      PveRemote *remote = g_ptr_array_index (soak.remotes, i);

      g_signal_handlers_disconnect_by_data (remote, &soak);
      adding.pending++;
      pve_remote_manager_remove_async (soak.manager, remote, NULL, remove_cb, &adding);
    }
  while (adding.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  pve_remote_manager_disconnect_all (soak.manager);
  g_clear_object (&soak.manager);
  g_subprocess_send_signal (sim, SIGTERM);
  g_subprocess_wait (sim, NULL, NULL);
  g_remove (path);
  g_rmdir (dir);
  g_ptr_array_unref (soak.remotes);
  g_array_unref (soak.samples);
  g_string_free (soak.first_errors, TRUE);
  g_string_free (adding.errors, TRUE);
  g_main_loop_unref (soak.loop);

  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}

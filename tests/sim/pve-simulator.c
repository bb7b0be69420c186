/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pve-simulator: runs PveSim as a process, for the demo mode and the benchmarks.
 *
 * After listening it prints, one per line, then flushes:
 *   PORT=<first port>
 *   PORTS=<comma separated ports>      (only with --ports > 1)
 *   FINGERPRINT=<AA:BB:...>
 *   READY
 * and runs until SIGTERM or SIGINT.
 *
 * With --trace, one line per answer written completely (for the benchmarks: the monotonic
 * clock is the same for every process on the machine):
 *   REQUEST <port> <status> <method> <path> <monotonic µs>
 */
#include <stdio.h>
#include <stdlib.h>

#include <glib-unix.h>

#include "pve-sim.h"

static void
request_finished_cb (PveSim        *sim,
                     PveSimRequest *request,
                     gint64         monotonic_us)
{
  printf ("REQUEST %u %u %s %s %" G_GINT64_FORMAT "\n", request->port, request->status,
          request->method, request->path, monotonic_us);
  fflush (stdout);
}

static gboolean
tick_cb (gpointer user_data)
{
  static gint64 last;
  gint64 now = g_get_monotonic_time ();

  pve_sim_tick_stats (user_data, last ? (guint) ((now - last + G_USEC_PER_SEC / 2) / G_USEC_PER_SEC) : 1);
  last = now;
  return G_SOURCE_CONTINUE;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  int port = 0;
  int n_ports = 1;
  int n_nodes = 3;
  int n_guests = 12;
  int seed = 1;
  int latency_ms = 0;
  int ticket_lifetime = 7200;
  int task_ms = 1000;
  int auth_delay_ms = 1000;
  gboolean no_gzip = FALSE;
  gboolean trace = FALSE;
  int tick_ms = 0;
  gboolean log_requests = FALSE;
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "First port to listen on (0: any free one)", "N" },
    { "ports", 0, 0, G_OPTION_ARG_INT, &n_ports, "Number of ports to listen on", "COUNT" },
    { "nodes", 0, 0, G_OPTION_ARG_INT, &n_nodes, "Cluster nodes (default 3)", "N" },
    { "guests", 0, 0, G_OPTION_ARG_INT, &n_guests, "Guests (default 12)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Seed of the generated cluster", "N" },
    { "latency-ms", 0, 0, G_OPTION_ARG_INT, &latency_ms, "Delay added to every answer", "MS" },
    { "ticket-lifetime", 0, 0, G_OPTION_ARG_INT, &ticket_lifetime, "Ticket lifetime (default 7200)", "S" },
    { "task-ms", 0, 0, G_OPTION_ARG_INT, &task_ms, "Duration of power-action tasks", "MS" },
    { "auth-delay-ms", 0, 0, G_OPTION_ARG_INT, &auth_delay_ms, "Delay of failed logins (default 1000)", "MS" },
    { "no-gzip", 0, 0, G_OPTION_ARG_NONE, &no_gzip, "Never compress answers", NULL },
    { "trace", 0, 0, G_OPTION_ARG_NONE, &trace, "Print a line per answer written", NULL },
    { "tick-ms", 0, 0, G_OPTION_ARG_INT, &tick_ms, "Move guest statistics on this often (0: never)", "MS" },
    { "log-requests", 0, 0, G_OPTION_ARG_NONE, &log_requests,
      "Print a REQUEST line (method and path) on stdout for every request", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- a Proxmox VE API simulator");
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(PveSim) sim = NULL;
  g_autoptr(GString) ports = g_string_new (NULL);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("pve-simulator: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (port < 0 || port > 65535 || n_ports < 1 || n_ports > 1000 || n_nodes < 1 || n_guests < 0
      || latency_ms < 0 || tick_ms < 0 || ticket_lifetime < 1 || task_ms < 0 || auth_delay_ms < 0)
    {
      g_printerr ("pve-simulator: an option is out of range\n");
      return EXIT_FAILURE;
    }

  sim = pve_sim_new (n_nodes, n_guests, seed);
  pve_sim_set_latency_ms (sim, latency_ms);
  pve_sim_set_ticket_lifetime (sim, ticket_lifetime);
  pve_sim_set_task_duration_ms (sim, task_ms);
  pve_sim_set_auth_failure_delay_ms (sim, auth_delay_ms);
  pve_sim_set_gzip (sim, !no_gzip);
  if (trace)
    g_signal_connect (sim, "request-finished", G_CALLBACK (request_finished_cb), NULL);
  pve_sim_set_log_requests (sim, log_requests);

  for (int i = 0; i < n_ports; i++)
    {
      guint want = port ? (guint) port + i : 0;
      guint bound = pve_sim_listen (sim, want, &error);

      if (bound == 0)
        {
          g_printerr ("pve-simulator: cannot listen on port %u: %s\n", want, error->message);
          return EXIT_FAILURE;
        }
      g_string_append_printf (ports, "%s%u", i ? "," : "", bound);
    }

  printf ("PORT=%u\n", pve_sim_get_port (sim));
  if (n_ports > 1)
    printf ("PORTS=%s\n", ports->str);
  printf ("FINGERPRINT=%s\n", pve_sim_get_fingerprint (sim));
  printf ("READY\n");
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  if (tick_ms > 0)
    g_timeout_add (tick_ms, tick_cb, sim);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);

  pve_sim_stop (sim);
  return EXIT_SUCCESS;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-window: the real PveWindow under Xvfb (GDK_BACKEND=x11, GSK_RENDERER=cairo), with a
 * G_PRIORITY_HIGH 1 ms timeout probe recording the longest main-loop stall.
 *
 *   bench-window connect-all        the window showing 100 saved remotes; all connected
 *                                   (simulator: 100 ports, 50 ms latency).
 *   bench-window guests N SECONDS   one remote with N guests, listed in a GtkColumnView of a
 *                                   PveGuestList (PveWindow has no guests page yet: the view
 *                                   is a second window built here). Load time and stall,
 *                                   stall over two 5-second refreshes, then the CPU of
 *                                   SECONDS of 5-second refreshes (probe off), and RSS.
 */
#include <stdio.h>
#include <stdlib.h>

#include <adwaita.h>

#include "bench-common.h"
#include "pve-guest-list.h"
#include "pve-guests-view.h"
#include "pve-window.h"

#define N_REMOTES 100

static gboolean first_frame_done;

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  first_frame_done = TRUE;
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, user_data);
}

/* PVE_BENCH_FRAMES=1: a line for each frame of the window, when each phase of its frame clock
 * ended (monotonic ms; GTK's own handlers of a phase run before ours):
 *   PHASES <before-paint started> <before-paint> <update> <layout> <paint> <after-paint>
 * and CONNECT_T0/T1/T2 for Connect All's start, last connect and end: with perf samples or the
 * GAP lines of PVE_BENCH_GAPS, to see which phase of which frame a long stall was. */
static gint64 frame_marks[6];

static void
frame_begin_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  frame_marks[0] = g_get_monotonic_time ();
}

static void
frame_phase_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  guint phase = GPOINTER_TO_UINT (user_data);

  frame_marks[phase] = g_get_monotonic_time ();
  if (phase == G_N_ELEMENTS (frame_marks) - 1 && frame_marks[0] != 0)
    g_printerr ("PHASES %.3f %.3f %.3f %.3f %.3f %.3f\n", frame_marks[0] / 1000.0,
                frame_marks[1] / 1000.0, frame_marks[2] / 1000.0, frame_marks[3] / 1000.0,
                frame_marks[4] / 1000.0, frame_marks[5] / 1000.0);
}

static void
watch_frames (GtkWidget *widget)
{
  static const char *const phases[] = { "before-paint", "update", "layout", "paint", "after-paint" };
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  if (g_getenv ("PVE_BENCH_FRAMES") == NULL)
    return;
  g_signal_connect (clock, "before-paint", G_CALLBACK (frame_begin_cb), NULL);
  for (guint i = 0; i < G_N_ELEMENTS (phases); i++)
    g_signal_connect_after (clock, phases[i], G_CALLBACK (frame_phase_cb), GUINT_TO_POINTER (i + 1));
}

static void
frames_mark (const char *name,
             gint64      when)
{
  if (g_getenv ("PVE_BENCH_FRAMES") != NULL)
    g_printerr ("%s %.3f\n", name, when / 1000.0);
}

static void
present_and_wait (GtkWindow *window)
{
  gtk_window_present (window);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (after_paint_cb), NULL);
  bench_check (bench_wait_for (&first_frame_done, 20000), "the window was never painted");
  first_frame_done = FALSE;
  watch_frames (GTK_WIDGET (window));
}

/* --- connect-all ---------------------------------------------------------------------------- */

typedef struct
{
  guint    n_connected;
  guint    n_failed;
  gint64   last_connected;
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
  PveWindow *window;
  GListModel *remotes;
  ConnectAll ca = { 0 };
  BenchProbe probe;
  gint64 t0, stall;

  bench_check (sim != NULL, "%s", error ? error->message : "");
  bench_check (bench_prepare_store_in_child (NULL, (guint *) (gpointer) sim->ports->data,
                                             N_REMOTES, sim->fingerprint, TRUE, &error),
               "%s", error->message);
  manager = bench_manager_new (NULL, &error);
  bench_check (manager != NULL, "%s", error->message);
  remotes = pve_remote_manager_get_remotes (manager);

  window = pve_window_new (NULL, manager);
  present_and_wait (GTK_WINDOW (window));
  bench_spin (1000);

  for (guint i = 0; i < N_REMOTES; i++)
    {
      g_autoptr(PveRemote) remote = g_list_model_get_item (remotes, i);

      g_signal_connect (remote, "notify::state", G_CALLBACK (state_changed_cb), &ca);
    }

  bench_probe_start (&probe);
  t0 = g_get_monotonic_time ();
  frames_mark ("CONNECT_T0", t0);
  for (guint i = 0; i < N_REMOTES; i++)
    {
      g_autoptr(PveRemote) remote = g_list_model_get_item (remotes, i);

      pve_remote_manager_connect_async (manager, remote, NULL, FALSE, NULL, connected_cb, &ca);
    }
  bench_wait_for (&ca.done, 30000);
  bench_check (ca.n_connected == N_REMOTES, "%u of %u connected", ca.n_connected, N_REMOTES);
  /* The rows redraw after the last state change: that belongs to the connect too. */
  frames_mark ("CONNECT_T1", ca.last_connected);
  bench_spin (500);
  frames_mark ("CONNECT_T2", g_get_monotonic_time ());
  stall = bench_probe_reset (&probe);
  bench_probe_stop (&probe);

  if (g_getenv ("PVE_BENCH_DEBUG") != NULL)
    g_printerr ("connect-all: last connected at %.1f ms; longest stall %.1f ms ending at %.1f ms\n",
                (ca.last_connected - t0) / 1000.0, stall / 1000.0,
                (probe.reported_at - t0) / 1000.0);
  bench_result ("window_connect_all_ms", (ca.last_connected - t0) / 1000.0);
  bench_result ("window_connect_stall_ms", stall / 1000.0);
  bench_result ("window_connect_busy_ms", probe.reported_busy / 1000.0);
  bench_result ("window_connect_main_cpu_ms", probe.reported_cpu / 1000.0);
  bench_result ("window_connect_stalls_over_16ms", probe.reported_over);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

/* --- guests --------------------------------------------------------------------------------- */

/* The cells: a GtkInscription each (GTK 4.8's label for list cells), set from the guest and
 * updated from its notify signal, so refreshed rows change in place. */
typedef enum
{
  COLUMN_NAME,
  COLUMN_ID,
  COLUMN_NODE,
  COLUMN_STATUS,
  COLUMN_CPU,
  COLUMN_MEMORY,
  COLUMN_UPTIME,
  N_COLUMNS
} Column;

static const struct
{
  const char *title;
  const char *notify;   /* the signal that changes the cell */
} columns[N_COLUMNS] = {
  { "Name", "notify::display-name" },
  { "ID", "notify::id" },
  { "Node", "notify::node" },
  { "Status", "notify::status" },
  { "CPU", "notify::cpu" },
  { "Memory", "notify::mem" },
  { "Uptime", "notify::uptime" },
};

static void
update_cell (GtkInscription *cell,
             PveGuest       *guest,
             Column          column)
{
  g_autofree char *text = NULL;

  switch (column)
    {
    case COLUMN_NAME:
      gtk_inscription_set_text (cell, pve_guest_get_display_name (guest));
      return;
    case COLUMN_ID:
      gtk_inscription_set_text (cell, pve_guest_get_id (guest));
      return;
    case COLUMN_NODE:
      gtk_inscription_set_text (cell, pve_guest_get_node (guest));
      return;
    case COLUMN_STATUS:
      gtk_inscription_set_text (cell, pve_guest_get_status (guest));
      return;
    case COLUMN_CPU:
      if (pve_guest_get_has_stats (guest))
        text = g_strdup_printf ("%.1f %%", pve_guest_get_cpu (guest) * 100);
      break;
    case COLUMN_MEMORY:
      {
        g_autofree char *used = g_format_size ((guint64) pve_guest_get_mem (guest));
        g_autofree char *total = g_format_size ((guint64) pve_guest_get_maxmem (guest));

        text = g_strdup_printf ("%s / %s", used, total);
      }
      break;
    case COLUMN_UPTIME:
      {
        gint64 uptime = pve_guest_get_uptime (guest);

        if (uptime > 0)
          text = g_strdup_printf ("%" G_GINT64_FORMAT " d %02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT,
                                  uptime / 86400, uptime / 3600 % 24, uptime / 60 % 60);
      }
      break;
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
  gtk_inscription_set_text (cell, text);
}

static void
guest_notify_cb (PveGuest    *guest,
                 GParamSpec  *pspec,
                 GtkListItem *item)
{
  update_cell (GTK_INSCRIPTION (gtk_list_item_get_child (item)), guest,
               GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (item), "bench-column")));
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *cell = gtk_inscription_new (NULL);

  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (cell), 12);
  gtk_list_item_set_child (item, cell);
  g_object_set_data (G_OBJECT (item), "bench-column", user_data);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  PveGuest *guest = gtk_list_item_get_item (item);
  Column column = GPOINTER_TO_UINT (user_data);
  gulong id;

  update_cell (GTK_INSCRIPTION (gtk_list_item_get_child (item)), guest, column);
  id = g_signal_connect (guest, columns[column].notify, G_CALLBACK (guest_notify_cb), item);
  g_object_set_data (G_OBJECT (item), "bench-handler", GSIZE_TO_POINTER ((gsize) id));
}

static void
unbind_cell_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  gulong id = (gulong) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (item), "bench-handler"));

  g_signal_handler_disconnect (gtk_list_item_get_item (item), id);
}

/* Progressive first screen: GTK 4.8 builds every visible row of a list view in the frame after
 * the model goes from empty to full (~30 rows x 7 cells here, 60-200 ms on this machine). The
 * slice in front of the model lets at most ROWS_PER_FRAME new rows in per frame until the
 * first screen is built, then everything: the list is complete in the model at once, the
 * screen fills over a few frames, and no frame takes long. Guests views should do the same. */
#define ROWS_PER_FRAME 6
#define FIRST_SCREEN   60

typedef struct
{
  GtkWidget         *view;
  GtkSliceListModel *slice;
  guint              tick;
} Progressive;

static gboolean
grow_slice_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  Progressive *progressive = user_data;
  GListModel *model = gtk_slice_list_model_get_model (progressive->slice);
  guint size = gtk_slice_list_model_get_size (progressive->slice) + ROWS_PER_FRAME;

  if (size >= FIRST_SCREEN || size >= g_list_model_get_n_items (model))
    {
      /* The first screen is built: from now on, everything, as it comes. */
      gtk_slice_list_model_set_size (progressive->slice, G_MAXUINT);
      progressive->tick = 0;
      return G_SOURCE_REMOVE;
    }
  gtk_slice_list_model_set_size (progressive->slice, size);
  return G_SOURCE_CONTINUE;
}

static void
guests_changed_cb (GListModel  *model,
                   guint        position,
                   guint        removed,
                   guint        added,
                   Progressive *progressive)
{
  if (progressive->tick == 0
      && gtk_slice_list_model_get_size (progressive->slice) < FIRST_SCREEN
      && g_list_model_get_n_items (model) > gtk_slice_list_model_get_size (progressive->slice))
    progressive->tick = gtk_widget_add_tick_callback (progressive->view, grow_slice_cb,
                                                      progressive, NULL);
}

static GtkWidget *
guest_view_new (GListModel         *guests,
                GtkSingleSelection **selection_out)
{
  gboolean progressive_on = g_getenv ("PVE_BENCH_NO_PROGRESSIVE") == NULL;
  GtkSliceListModel *slice = gtk_slice_list_model_new (g_object_ref (guests), 0,
                                                       progressive_on ? 0 : G_MAXUINT);
  GtkSingleSelection *selection = gtk_single_selection_new (G_LIST_MODEL (slice));
  GtkWidget *view = gtk_column_view_new (GTK_SELECTION_MODEL (selection));

  for (Column c = 0; c < N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GUINT_TO_POINTER (c));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GUINT_TO_POINTER (c));
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell_cb), GUINT_TO_POINTER (c));
      column = gtk_column_view_column_new (columns[c].title, factory);
      gtk_column_view_column_set_expand (column, TRUE);
      gtk_column_view_append_column (GTK_COLUMN_VIEW (view), column);
    }
  if (progressive_on)
  {
    Progressive *progressive = g_new0 (Progressive, 1);

    progressive->view = view;
    progressive->slice = slice;
    g_signal_connect_data (guests, "items-changed", G_CALLBACK (guests_changed_cb), progressive,
                           (GClosureNotify) (void (*) (void)) g_free, 0);
  }
  *selection_out = selection;
  return view;
}

typedef struct
{
  PveGuestList *list;
  PveRemote    *remote;
  guint         n_refreshed;
  guint         n_bad;          /* refreshes that added or removed rows */
  guint         n_updated_min;
} Refreshes;

static void
refreshed_cb (PveGuestList *list,
              PveRemote    *remote,
              Refreshes    *refreshes)
{
  PveGuestListStats stats;

  refreshes->n_refreshed++;
  if (refreshes->n_refreshed == 1 || !pve_guest_list_get_stats (list, remote, &stats))
    return;
  if (stats.n_added != 0 || stats.n_removed != 0)
    refreshes->n_bad++;
  refreshes->n_updated_min = MIN (refreshes->n_updated_min, stats.n_updated);
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

static void
connect_one_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!pve_remote_manager_connect_finish (PVE_REMOTE_MANAGER (object), result, &error))
    g_printerr ("bench: connect failed: %s\n", error->message);
}

static void
remote_state_cb (PveRemote  *remote,
                 GParamSpec *pspec,
                 PveWindow  *window)
{
  if (pve_remote_get_state (remote) == PVE_REMOTE_STATE_CONNECTED)
    pve_window_show_view (window, "guests");
}

static int
run_guests (guint n_guests,
            guint cpu_seconds)
{
  g_autofree char *guests_arg = g_strdup_printf ("%u", n_guests);
  const char *const args[] = { "--guests", guests_arg, "--nodes", "8", "--tick-ms", "1000", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(BenchSim) sim = bench_sim_start (args, &error);
  g_autoptr(GPtrArray) snapshot = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *dir = g_dir_make_tmp ("pve-bench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "remotes.ini", NULL);
  g_autoptr(PveRemoteManager) manager = NULL;
  g_autoptr(PveGuestList) list = NULL;
  g_autoptr(PveRemote) remote = NULL;
  GtkSingleSelection *selection;
  GtkWidget *guest_window, *scrolled, *view;
  gboolean standin;
  GtkAdjustment *vadjustment;
  PveWindow *window;
  PveGuestListStats stats;
  Refreshes refreshes = { 0 };
  BenchTrace *arrival = NULL;
  BenchProbe probe;
  guint port;
  gint64 stall, t0, cpu0, load_busy;
  double scroll_value;
  gpointer selected_item = NULL;

  bench_check (sim != NULL, "%s", error ? error->message : "");
  port = bench_sim_get_port (sim, 0);
  bench_check (bench_prepare_store_in_child (path, &port, 1, sim->fingerprint, FALSE, &error),
               "%s", error->message);
  manager = bench_manager_new (path, &error);
  bench_check (manager != NULL, "%s", error->message);
  remote = g_list_model_get_item (pve_remote_manager_get_remotes (manager), 0);

  window = pve_window_new (NULL, manager);
  standin = g_getenv ("PVE_BENCH_STANDIN_VIEW") != NULL;
  if (standin)
    list = pve_guest_list_new (manager);
  else
    list = g_object_ref (pve_window_get_guest_list (window));
  pve_guest_list_set_refresh_interval (list, 0);
  refreshes.list = list;
  refreshes.remote = remote;
  refreshes.n_updated_min = G_MAXUINT;
  g_signal_connect (list, "refreshed", G_CALLBACK (refreshed_cb), &refreshes);
  present_and_wait (GTK_WINDOW (window));

  if (standin)
    {
      /* The stand-in of the time before PveWindow had a guests view. */
      guest_window = gtk_window_new ();
      gtk_window_set_title (GTK_WINDOW (guest_window), "Guests");
      gtk_window_set_default_size (GTK_WINDOW (guest_window), 1100, 720);
      view = guest_view_new (G_LIST_MODEL (list), &selection);
      scrolled = gtk_scrolled_window_new ();
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
      gtk_window_set_child (GTK_WINDOW (guest_window), scrolled);
      present_and_wait (GTK_WINDOW (guest_window));
    }
  else
    {
      /* The window's own guests view, shown for the remote. */
      GtkWidget *guests_view = pve_window_get_view (window, "guests");

      bench_check (guests_view != NULL, "the window has no guests view");
      pve_window_select_remote (window, remote);
      view = GTK_WIDGET (pve_guests_view_get_column_view (PVE_GUESTS_VIEW (guests_view)));
      selection = GTK_IS_SINGLE_SELECTION (gtk_column_view_get_model (GTK_COLUMN_VIEW (view)))
                  ? GTK_SINGLE_SELECTION (gtk_column_view_get_model (GTK_COLUMN_VIEW (view)))
                  : NULL;
      guest_window = NULL;
      g_signal_connect (remote, "notify::state", G_CALLBACK (remote_state_cb), window);
    }
  bench_spin (1000);

  /* Load */
  bench_probe_start (&probe);
  pve_remote_manager_connect_async (manager, remote, NULL, FALSE, NULL, connect_one_cb, NULL);
  bench_check (wait_refreshes (&refreshes, 1, 60000), "no refresh");
  bench_spin (500);   /* the rows are drawn */
  stall = bench_probe_reset (&probe);
  load_busy = probe.reported_busy;
  bench_check (pve_guest_list_get_stats (list, remote, &stats), "no stats");
  bench_check (g_list_model_get_n_items (G_LIST_MODEL (list)) == n_guests, "%u guests",
               g_list_model_get_n_items (G_LIST_MODEL (list)));
  for (gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
       arrival == NULL && g_get_monotonic_time () < end;)
    {
      arrival = bench_sim_find_last (sim, "/cluster/resources", stats.merged);
      if (arrival != NULL && arrival->finished_us < stats.started)
        arrival = NULL;
      if (arrival == NULL)
        g_main_context_iteration (NULL, TRUE);
    }
  bench_check (arrival != NULL, "no trace of the answer");
  bench_spin (1000);

  if (g_getenv ("PVE_BENCH_DEBUG") != NULL)
    g_printerr ("load: started 0 answered %.1f parsed %.1f merged %.1f; arrival %.1f; "
                "longest stall %.1f ms ending at %.1f; chunks %u longest chunk %.1f\n",
                (stats.answered - stats.started) / 1000.0, (stats.parsed - stats.started) / 1000.0,
                (stats.merged - stats.started) / 1000.0,
                (arrival->finished_us - stats.started) / 1000.0, stall / 1000.0,
                (probe.reported_at - stats.started) / 1000.0, stats.n_chunks,
                stats.longest_chunk / 1000.0);
  if (n_guests > 0)
    {
      bench_result ("window_load_ms", (stats.merged - arrival->finished_us) / 1000.0);
      bench_result ("window_load_stall_ms", stall / 1000.0);
      bench_result ("window_load_busy_ms", load_busy / 1000.0);
      bench_result ("window_rss_guests_kib", bench_rss_kib ());
    }
  else
    {
      bench_result ("window_rss_empty_kib", bench_rss_kib ());
      bench_probe_stop (&probe);
      if (guest_window != NULL)
        gtk_window_destroy (GTK_WINDOW (guest_window));
      gtk_window_destroy (GTK_WINDOW (window));
      return 0;
    }

  /* Selection and scroll position in the middle of the list: refreshes must keep both. */
  for (guint i = 0; i < n_guests; i++)
    g_ptr_array_add (snapshot, g_list_model_get_item (G_LIST_MODEL (list), i));
  if (selection != NULL)
    {
      gtk_single_selection_set_selected (selection, n_guests / 2);
      selected_item = gtk_single_selection_get_selected_item (selection);
    }
  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_upper (vadjustment) / 2);
  bench_spin (300);
  scroll_value = gtk_adjustment_get_value (vadjustment);

  /* Refreshes every 5 s, with the probe: two of them. */
  pve_guest_list_set_refresh_interval (list, 5);
  bench_probe_reset (&probe);
  bench_check (wait_refreshes (&refreshes, 3, 20000), "no periodic refresh");
  bench_spin (500);
  stall = bench_probe_reset (&probe);
  bench_probe_stop (&probe);
  bench_result ("window_refresh_stall_ms", stall / 1000.0);
  bench_result ("window_refresh_busy_ms", probe.reported_busy / 1000.0);

  /* CPU of the refreshes alone: the probe would cost more than what it watches. */
  if (cpu_seconds > 0)
    {
      guint before = refreshes.n_refreshed;

      t0 = g_get_monotonic_time ();
      cpu0 = bench_cpu_time ();
      bench_spin (cpu_seconds * 1000);
      bench_result ("refresh_cpu_percent",
                    100.0 * (bench_cpu_time () - cpu0) / (double) (g_get_monotonic_time () - t0));
      bench_result ("refresh_cpu_refreshes", refreshes.n_refreshed - before);
    }
  bench_result ("window_rss_guests_end_kib", bench_rss_kib ());

  bench_check (refreshes.n_bad == 0, "%u refreshes added or removed rows", refreshes.n_bad);
  bench_check (refreshes.n_updated_min > 0 && refreshes.n_updated_min != G_MAXUINT,
               "refreshes changed nothing: the simulator did not tick");
  bench_result ("refresh_updated_rows", refreshes.n_updated_min);
  for (guint i = 0; i < n_guests; i++)
    {
      g_autoptr(PveGuest) guest = g_list_model_get_item (G_LIST_MODEL (list), i);

      bench_check (guest == g_ptr_array_index (snapshot, i), "row %u is a new object", i);
    }
  /* The view may re-sort on refreshes (by CPU, say): the selected guest must stay selected. */
  bench_check (selection == NULL
               || gtk_single_selection_get_selected_item (selection) == selected_item,
               "the selection moved to another guest");
  bench_check (gtk_adjustment_get_value (vadjustment) == scroll_value,
               "the scroll position moved from %.0f to %.0f", scroll_value,
               gtk_adjustment_get_value (vadjustment));
  bench_result_str ("refresh_in_place", "yes");

  if (guest_window != NULL)
    gtk_window_destroy (GTK_WINDOW (guest_window));
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  const char *mode = argc > 1 ? argv[1] : "";

  gtk_init ();
  adw_init ();
  if (g_str_equal (mode, "connect-all"))
    return run_connect_all ();
  if (g_str_equal (mode, "guests") && argc == 4)
    return run_guests ((guint) g_ascii_strtoull (argv[2], NULL, 10),
                       (guint) g_ascii_strtoull (argv[3], NULL, 10));

  g_printerr ("usage: bench-window connect-all | guests N CPU-SECONDS\n");
  return 1;
}

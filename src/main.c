/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>

#include <glib/gi18n.h>

#include "pve-application.h"

/* PVE_BENCH_FIRST_FRAME=1: print FIRST_FRAME=<monotonic µs> once the first frame of the first
 * window has been painted (tests/bench: startup to first frame). */
static void
bench_after_paint_cb (GdkFrameClock *clock,
                      gpointer       user_data)
{
  printf ("FIRST_FRAME=%" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);
  g_signal_handlers_disconnect_by_func (clock, bench_after_paint_cb, user_data);
}

static void
bench_window_realize_cb (GtkWidget *window,
                         gpointer   user_data)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (bench_after_paint_cb), NULL);
}

static void
bench_window_added_cb (GtkApplication *app,
                       GtkWindow      *window,
                       gpointer        user_data)
{
  g_signal_handlers_disconnect_by_func (app, bench_window_added_cb, user_data);
  g_signal_connect (window, "realize", G_CALLBACK (bench_window_realize_cb), NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PveApplication) app = NULL;

  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = pve_application_new ();
  if (g_getenv ("PVE_BENCH_FIRST_FRAME") != NULL)
    g_signal_connect (app, "window-added", G_CALLBACK (bench_window_added_cb), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-hello: the startup baseline, a bare AdwApplicationWindow saying hello, the same size
 * as the app's window. With PVE_BENCH_FIRST_FRAME=1 it prints FIRST_FRAME=<monotonic µs>
 * after its first frame has been painted, exactly as src/main.c does for the app.
 */
#include <stdio.h>

#include <adwaita.h>

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  printf ("FIRST_FRAME=%" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, user_data);
}

static void
realize_cb (GtkWidget *window,
            gpointer   user_data)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (after_paint_cb), NULL);
}

static void
activate_cb (GtkApplication *app,
             gpointer        user_data)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new ("Hello");

  gtk_widget_set_vexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), label);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), "Hello");
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  if (g_getenv ("PVE_BENCH_FIRST_FRAME") != NULL)
    g_signal_connect (window, "realize", G_CALLBACK (realize_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = adw_application_new ("com.example.PveRemotes.BenchHello",
                                                       G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}

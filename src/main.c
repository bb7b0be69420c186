/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>

#include <glib/gi18n.h>
#include <locale.h>

#include "pve-application.h"

/* The locale asked for (say LANG=de_DE.UTF-8) may not be generated on this system, as in
 * containers and minimal installs. setlocale() then leaves "C", where glibc ignores LANGUAGE
 * and the app would be English. Use C.UTF-8 instead, and keep the language asked for as
 * LANGUAGE: glibc honours LANGUAGE with any locale but "C". */
static void
setup_locale (void)
{
  const char *wanted = NULL;
  const char *language = g_getenv ("LANGUAGE");
  const char *vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };

  if (setlocale (LC_ALL, "") != NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (vars) && wanted == NULL; i++)
    {
      const char *value = g_getenv (vars[i]);

      if (value != NULL && value[0] != '\0')
        wanted = value;
    }

  if ((language == NULL || language[0] == '\0') && wanted != NULL &&
      !g_str_equal (wanted, "C") && !g_str_equal (wanted, "POSIX"))
    {
      g_autofree char *lang = g_strndup (wanted, strcspn (wanted, ".@"));

      g_setenv ("LANGUAGE", lang, TRUE);
    }

  setlocale (LC_ALL, "C.UTF-8");
}

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
  const char *localedir = g_getenv ("PVE_LOCALEDIR");

  /* PVE_LOCALEDIR: the translations of an uninstalled build (the tests, the screenshots). */
  if (localedir == NULL || localedir[0] == '\0')
    localedir = LOCALEDIR;

  /* GTK would call setlocale() again and warn about the missing locale. */
  setup_locale ();
  gtk_disable_setlocale ();
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = pve_application_new ();
  if (g_getenv ("PVE_BENCH_FIRST_FRAME") != NULL)
    g_signal_connect (app, "window-added", G_CALLBACK (bench_window_added_cb), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}

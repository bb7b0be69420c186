/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <locale.h>

#include "pve-application.h"
#include "pve-backend.h"
#include "pve-client.h"

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

/* A frame clock signal of the first window, for the hooks of the benchmarks and tests. */
typedef struct
{
  const char *signal;
  GCallback   callback;
} ClockHook;

static void
hook_window_realize_cb (GtkWidget *window,
                        gpointer   user_data)
{
  const ClockHook *hook = user_data;

  g_signal_connect (gtk_widget_get_frame_clock (window), hook->signal, hook->callback, NULL);
}

static void
hook_window_added_cb (GtkApplication *app,
                      GtkWindow      *window,
                      gpointer        user_data)
{
  g_signal_handlers_disconnect_by_func (app, hook_window_added_cb, user_data);
  g_signal_connect (window, "realize", G_CALLBACK (hook_window_realize_cb), user_data);
}

static void
hook_first_window_clock (PveApplication  *app,
                         const ClockHook *hook)
{
  g_signal_connect (app, "window-added", G_CALLBACK (hook_window_added_cb), (gpointer) hook);
}

/* PVE_TEST_BACKEND_PROBE=SECONDS (tests/test-backend-startup.sh): print which of libsoup,
 * libsecret and the backend module are mapped when the first frame of the first window has
 * been painted, then again once the backend has loaded by itself (or why it has not, after
 * SECONDS), and quit. */
static void
probe_print (const char *when)
{
  g_autofree char *maps = NULL;

  g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL);
  printf ("%s libsoup=%d keyring-library=%d backend=%d\n", when,
          maps && strstr (maps, "/libsoup-3.0.so") != NULL,
          maps && strstr (maps, "/libsecret-1.so") != NULL,
          maps && strstr (maps, "/pve-remotes-backend") != NULL);
  fflush (stdout);
}

static gboolean
probe_poll_cb (gpointer user_data)
{
  gint64 *first_frame = user_data;
  gint64 waited = g_get_monotonic_time () - *first_frame;
  guint64 max_wait = g_ascii_strtoull (g_getenv ("PVE_TEST_BACKEND_PROBE"), NULL, 10);
  g_autoptr(PveClient) client = NULL;
  g_autoptr(GError) error = NULL;

  if (!pve_backend_is_loaded () && waited < (gint64) MAX (max_wait, 1) * G_USEC_PER_SEC)
    return G_SOURCE_CONTINUE;

  if (pve_backend_is_loaded ())
    {
      g_autofree char *when = g_strdup_printf ("LOADED ms=%" G_GINT64_FORMAT, waited / 1000);

      probe_print (when);
    }
  else
    {
      /* Says why (and loads it now, if nothing did). */
      client = pve_client_new ("localhost", 0, &error);
      printf ("NOT_LOADED %s\n", error ? error->message : "(it loads when asked)");
      fflush (stdout);
    }
  g_application_quit (g_application_get_default ());
  return G_SOURCE_REMOVE;
}

static void
probe_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  gint64 *first_frame = g_new (gint64, 1);

  g_signal_handlers_disconnect_by_func (clock, probe_paint_cb, user_data);
  probe_print ("FIRST_FRAME");
  *first_frame = g_get_monotonic_time ();
  g_timeout_add_full (G_PRIORITY_DEFAULT, 2, probe_poll_cb, first_frame, g_free);
}

static const ClockHook bench_hook = { "after-paint", G_CALLBACK (bench_after_paint_cb) };
/* "paint", not "after-paint": the window starts the preload at its first after-paint. */
static const ClockHook probe_hook = { "paint", G_CALLBACK (probe_paint_cb) };

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
    hook_first_window_clock (app, &bench_hook);
  if (g_getenv ("PVE_TEST_BACKEND_PROBE") != NULL)
    hook_first_window_clock (app, &probe_hook);

  return g_application_run (G_APPLICATION (app), argc, argv);
}

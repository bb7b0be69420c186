/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#ifdef __linux__
# include <sys/prctl.h>
#endif

#include "pve-application.h"
#include "pve-backend.h"
#include "pve-build-tree.h"
#include "pve-preferences-window.h"
#include "pve-window.h"
#include "pve-window-private.h"

#define DEMO_REMOTE_NAME "Demo cluster"
#define DEMO_PASSWORD    "pve-demo"

#define PVE_WEBSITE      "https://example.com/pve-remotes"
#define PVE_ISSUE_URL    "https://example.com/pve-remotes/issues"

struct _PveApplication
{
  AdwApplication    parent_instance;

  PveRemoteManager *manager;
  GCancellable     *cancellable;
  GError           *load_error;
  gboolean          loaded;

  /* Command line */
  gboolean          demo;
  char             *store_path;

  /* --demo: the simulator subprocess and what it told us */
  GSubprocess      *simulator;
  GDataInputStream *simulator_out;
  guint             demo_port;
  char             *demo_fingerprint;
  gboolean          demo_ready;

  guint             sigterm_id;
  guint             sigint_id;
};

G_DEFINE_FINAL_TYPE (PveApplication, pve_application, ADW_TYPE_APPLICATION)

static void demo_setup_remote (PveApplication *self);

static PveWindow *
get_window (PveApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (PVE_IS_WINDOW (window))
    return PVE_WINDOW (window);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (PVE_IS_WINDOW (l->data))
      return PVE_WINDOW (l->data);

  return NULL;
}

static void
report (PveApplication *self,
        const char     *message)
{
  PveWindow *window = get_window (self);

  if (window != NULL)
    pve_window_add_toast (window, message);
  else
    g_message ("%s", message);
}

/* --- Demo mode --------------------------------------------------------------------------- */

static char *
find_simulator (void)
{
  const char *env = g_getenv ("PVE_SIMULATOR");

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  if (pve_running_from_build_tree ())
    return g_build_filename (PVE_BUILD_ROOT, "tests", "sim", "pve-simulator", NULL);
  return g_build_filename (LIBEXECDIR, "pve-simulator", NULL);
}

static void
on_demo_connected (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PveApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pve_remote_manager_connect_finish (PVE_REMOTE_MANAGER (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = g_strdup_printf (_("Demo cluster: %s"), error->message);
      report (self, message);
    }
}

static void
on_demo_updated (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PveApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  PveRemote *remote;

  if (!pve_remote_manager_update_finish (PVE_REMOTE_MANAGER (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("Demo cluster: %s"), error->message);
          report (self, message);
        }
      return;
    }

  remote = pve_remote_store_lookup_by_name (pve_remote_manager_get_store (self->manager),
                                            DEMO_REMOTE_NAME);
  if (remote != NULL)
    pve_remote_manager_connect_async (self->manager, remote, DEMO_PASSWORD, TRUE,
                                      self->cancellable, on_demo_connected,
                                      g_object_ref (self));
}

static void
on_demo_added (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PveApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pve_remote_manager_add_finish (PVE_REMOTE_MANAGER (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = g_strdup_printf (_("Demo cluster: %s"), error->message);
      report (self, message);
    }
}

static void
demo_setup_remote (PveApplication *self)
{
  PveRemote *existing;
  g_autoptr(PveRemote) config = NULL;

  /* Both the store and the simulator must be ready. */
  if (!self->loaded || !self->demo_ready)
    return;

  existing = pve_remote_store_lookup_by_name (pve_remote_manager_get_store (self->manager),
                                              DEMO_REMOTE_NAME);
  config = existing ? pve_remote_dup_config (existing) : pve_remote_new ();
  pve_remote_set_name (config, DEMO_REMOTE_NAME);
  pve_remote_set_host (config, "127.0.0.1");
  pve_remote_set_port (config, self->demo_port);
  pve_remote_set_user (config, "root");
  pve_remote_set_realm (config, "pam");
  pve_remote_set_auth_kind (config, PVE_AUTH_KIND_PASSWORD);
  /* The simulator makes its certificate at start: pin what it told us on its stdout, which
   * is the one channel nobody else can answer on. */
  pve_remote_set_fingerprint (config, self->demo_fingerprint);

  if (existing != NULL)
    pve_remote_manager_update_async (self->manager, existing, config, DEMO_PASSWORD,
                                     self->cancellable, on_demo_updated, g_object_ref (self));
  else
    pve_remote_manager_add_async (self->manager, config, DEMO_PASSWORD,
                                  self->cancellable, on_demo_added, g_object_ref (self));
}

static void
on_simulator_line (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PveApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result,
                                                   NULL, &error);
  if (line == NULL)
    {
      if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (!self->demo_ready)
        report (self, _("The demo simulator stopped before it was ready."));
      return;
    }

  if (g_str_has_prefix (line, "PORT="))
    self->demo_port = (guint) g_ascii_strtoull (line + 5, NULL, 10);
  else if (g_str_has_prefix (line, "FINGERPRINT="))
    {
      g_free (self->demo_fingerprint);
      self->demo_fingerprint = g_strdup (g_strstrip (line + 12));
    }
  else if (g_str_equal (g_strstrip (line), "READY"))
    {
      if (self->demo_port == 0 || self->demo_fingerprint == NULL)
        {
          report (self, _("The demo simulator did not report its port and certificate."));
          return;
        }
      self->demo_ready = TRUE;
      demo_setup_remote (self);
    }

  /* Keep draining its output so it never blocks on a full pipe. */
  g_data_input_stream_read_line_async (G_DATA_INPUT_STREAM (object), G_PRIORITY_DEFAULT,
                                       self->cancellable, on_simulator_line,
                                       g_object_ref (self));
}

static void
simulator_child_setup (gpointer data)
{
#ifdef __linux__
  /* The simulator must not outlive the app, even when the app is killed. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
}

static void
start_simulator (PveApplication *self)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = find_simulator ();

  /* The demo connects as soon as the simulator is up, often before the first frame: load
   * libsoup and libsecret meanwhile in a thread, not then on the main thread. */
  pve_backend_preload ();

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, simulator_child_setup, NULL, NULL);
  self->simulator = g_subprocess_launcher_spawn (launcher, &error, path, NULL);
  if (self->simulator == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not start the demo simulator %s: %s"),
                                                  path, error->message);
      report (self, message);
      return;
    }

  self->simulator_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->simulator));
  g_data_input_stream_read_line_async (self->simulator_out, G_PRIORITY_DEFAULT,
                                       self->cancellable, on_simulator_line,
                                       g_object_ref (self));
}

/* --- Startup ----------------------------------------------------------------------------- */

static void
on_loaded (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PveApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  PveWindow *window;

  if (!pve_remote_manager_load_finish (PVE_REMOTE_MANAGER (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      window = get_window (self);
      if (window != NULL)
        pve_window_show_store_error (window, error);
      else
        g_propagate_error (&self->load_error, g_steal_pointer (&error));
    }

  window = get_window (self);
  if (window != NULL)
    pve_window_show_skipped_remotes (
        window, pve_remote_store_get_skipped (pve_remote_manager_get_store (self->manager)));

  self->loaded = TRUE;
  demo_setup_remote (self);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  PveApplication *self = user_data;
  static const char *developers[] = { "PVE Remotes developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "modal", TRUE,
                        "application-name", _("PVE Remotes"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", "PVE Remotes developers",
                        "developers", developers,
                        "copyright", "© 2026 PVE Remotes developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "website", PVE_WEBSITE,
                        "issue-url", PVE_ISSUE_URL,
                        "comments", _("Keep your Proxmox VE hosts and clusters at hand"),
                        /* Translators: your names and e-mail addresses, one per line, e.g.
                         * "Jane Doe <jane@example.com>" */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  PveApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  PvePreferencesWindow *preferences;

  /* One preferences window at a time: bring the open one to the front. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (PVE_IS_PREFERENCES_WINDOW (l->data))
      {
        gtk_window_present (GTK_WINDOW (l->data));
        return;
      }

  preferences = pve_preferences_window_new (parent, NULL);
  gtk_window_set_application (GTK_WINDOW (preferences), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  PveApplication *self = user_data;
  PveWindow *window = get_window (self);

  /* PveWindow has win.show-help-overlay; this is the same for places that only see app
   * actions. */
  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static gboolean
on_quit_signal (gpointer user_data)
{
  /* SIGTERM/SIGINT: shut down properly (disconnect, stop the demo simulator). */
  g_application_quit (G_APPLICATION (user_data));

  return G_SOURCE_CONTINUE;
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "preferences", preferences_action },
  { "shortcuts", shortcuts_action },
};

/* GTK asks the session bus where the accessibility bus is, synchronously, when the first
 * widget's accessible is made: in the window's construction, while the icon thread and the
 * store's read had both cores. The bus daemons' answers then queued behind those threads on
 * the busy core while the other one idled, and the main thread waited 4 ms (median of 15
 * starts, up to 12 ms; the bare hello window 0.6 ms: tests/bench, startup, timing
 * g_dbus_connection_call_sync). One accessible made here, before the threads start, asks
 * while the cores are free; the window's accessibles then find the address known. */
static void
ask_accessibility_bus (void)
{
  GtkWidget *label = g_object_ref_sink (gtk_label_new (NULL));

  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  g_object_unref (label);
}

static void
pve_application_startup (GApplication *app)
{
  PveApplication *self = PVE_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *add_accels[] = { "<Control>n", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };
  g_autoptr(PveRemoteStore) store = NULL;
  g_autoptr(PveSecrets) secrets = NULL;
  g_autofree char *demo_path = NULL;
  const char *path = self->store_path;

  G_APPLICATION_CLASS (pve_application_parent_class)->startup (app);

  /* The icon theme reads its index files and renders the first frame's icons on a worker
   * thread while the window is made; the accessibility bus is asked for before that starts. */
  if (gdk_display_get_default () != NULL)
    {
      ask_accessibility_bus ();
      _pve_window_preload_first_icons (gdk_display_get_default (), NULL, NULL);
    }

  self->sigterm_id = g_unix_signal_add (SIGTERM, on_quit_signal, self);
  self->sigint_id = g_unix_signal_add (SIGINT, on_quit_signal, self);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.add-remote", add_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         shortcuts_accels);
  /* Ctrl+? is win.show-help-overlay, PveWindow's (the shortcuts window is built when first
   * shown). The style is left to AdwStyleManager's default, which follows the system's dark preference. */

  /* The demo keeps its own list so it never mixes with the user's remotes. */
  if (path == NULL && self->demo)
    path = demo_path = g_build_filename (g_get_user_config_dir (), APP_ID, "demo-remotes.ini",
                                         NULL);

  store = pve_remote_store_new (path);
  secrets = pve_secrets_new ();
  self->manager = pve_remote_manager_new (store, secrets);

  pve_remote_manager_load_async (self->manager, self->cancellable, on_loaded,
                                 g_object_ref (self));

  if (self->demo)
    start_simulator (self);
}

static void
pve_application_activate (GApplication *app)
{
  PveApplication *self = PVE_APPLICATION (app);
  PveWindow *window = get_window (self);

  if (window == NULL)
    {
      window = pve_window_new (GTK_APPLICATION (self), self->manager);
      if (self->load_error != NULL)
        {
          pve_window_show_store_error (window, self->load_error);
          g_clear_error (&self->load_error);
        }
      if (self->loaded)
        pve_window_show_skipped_remotes (
            window, pve_remote_store_get_skipped (pve_remote_manager_get_store (self->manager)));
    }

  gtk_window_present (GTK_WINDOW (window));
}

static void
pve_application_shutdown (GApplication *app)
{
  PveApplication *self = PVE_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  g_clear_handle_id (&self->sigint_id, g_source_remove);
  if (self->manager != NULL)
    pve_remote_manager_disconnect_all (self->manager);
  if (self->simulator != NULL)
    {
      g_subprocess_force_exit (self->simulator);
      g_clear_object (&self->simulator_out);
      g_clear_object (&self->simulator);
    }

  G_APPLICATION_CLASS (pve_application_parent_class)->shutdown (app);
}

static int
pve_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  PveApplication *self = PVE_APPLICATION (app);
  const char *store = NULL;

  if (g_variant_dict_contains (options, "demo"))
    self->demo = TRUE;
  if (g_variant_dict_lookup (options, "store", "^&ay", &store))
    self->store_path = g_strdup (store);

  /* The demo and a private store are separate instances: they must not hand over to (or
   * become) the instance the user runs normally. */
  if (self->demo || self->store_path != NULL)
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);

  return -1;
}

static void
pve_application_dispose (GObject *object)
{
  PveApplication *self = PVE_APPLICATION (object);

  g_clear_object (&self->manager);
  g_clear_object (&self->simulator_out);
  g_clear_object (&self->simulator);

  G_OBJECT_CLASS (pve_application_parent_class)->dispose (object);
}

static void
pve_application_finalize (GObject *object)
{
  PveApplication *self = PVE_APPLICATION (object);

  g_clear_object (&self->cancellable);
  g_clear_error (&self->load_error);
  g_clear_pointer (&self->store_path, g_free);
  g_clear_pointer (&self->demo_fingerprint, g_free);

  G_OBJECT_CLASS (pve_application_parent_class)->finalize (object);
}

static void
pve_application_class_init (PveApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = pve_application_dispose;
  object_class->finalize = pve_application_finalize;
  app_class->startup = pve_application_startup;
  app_class->activate = pve_application_activate;
  app_class->shutdown = pve_application_shutdown;
  app_class->handle_local_options = pve_application_handle_local_options;
}

static const GOptionEntry option_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Start a simulated Proxmox VE cluster and show it as “Demo cluster”"), NULL },
  { "store", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Read and save the remotes in FILE instead of the default place"), N_("FILE") },
  { NULL }
};

static void
pve_application_init (PveApplication *self)
{
  self->cancellable = g_cancellable_new ();
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
}

PveApplication *
pve_application_new (void)
{
  return g_object_new (PVE_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/com/example/PveRemotes",
                       NULL);
}

PveRemoteManager *
pve_application_get_manager (PveApplication *self)
{
  g_return_val_if_fail (PVE_IS_APPLICATION (self), NULL);

  return self->manager;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The GNOME integration of the app, in-process under Xvfb: the preferences window edits the
 * GSettings keys live (both ways), and the real PveApplication provides the keyboard shortcuts
 * window, the About window (version, licence, links), the primary menu model and the accels.
 * GSETTINGS_BACKEND=memory (tests/meson.build) keeps every write inside this process.
 */
#define G_SETTINGS_ENABLE_BACKEND
#include <adwaita.h>
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>

#include "pve-application.h"
#include "pve-preferences-window.h"
#include "pve-window.h"
#include "test-util.h"

#define TIMEOUT_MS 20000

/* --- Finding widgets -------------------------------------------------------------------- */

/* The suffix widget of type @type in the AdwActionRow titled @title. */
static GtkWidget *
find_in_row (GtkWidget  *widget,
             const char *title,
             GType       type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    {
      GtkWidget *row = gtk_widget_get_ancestor (widget, ADW_TYPE_ACTION_ROW);

      if (row != NULL &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
        return widget;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_in_row (child, title, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static guint
count_toplevels (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);
  guint count = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        count++;
    }

  return count;
}

/* --- Preferences window ----------------------------------------------------------------- */

static void
test_preferences_binds_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GSettings) other = g_settings_new (APP_ID);
  PvePreferencesWindow *window;
  GtkSwitch *notifications;
  GtkSwitch *confirm_stop;
  GtkSpinButton *refresh;

  g_settings_reset (settings, "refresh-interval");
  g_settings_reset (settings, "notifications");
  g_settings_reset (settings, "confirm-stop");

  window = g_object_ref (pve_preferences_window_new (NULL, NULL));
  g_assert_nonnull (pve_preferences_window_get_settings (window));
  gtk_window_present (GTK_WINDOW (window));
  pve_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (window)), TIMEOUT_MS);

  notifications = GTK_SWITCH (find_in_row (GTK_WIDGET (window), "Notifications", GTK_TYPE_SWITCH));
  confirm_stop = GTK_SWITCH (find_in_row (GTK_WIDGET (window), "Confirm Before Stopping",
                                          GTK_TYPE_SWITCH));
  refresh = GTK_SPIN_BUTTON (find_in_row (GTK_WIDGET (window), "Refresh Interval",
                                          GTK_TYPE_SPIN_BUTTON));
  g_assert_nonnull (notifications);
  g_assert_nonnull (confirm_stop);
  g_assert_nonnull (refresh);

  /* The widgets start from the keys' values. */
  g_assert_true (gtk_switch_get_active (notifications));
  g_assert_true (gtk_switch_get_active (confirm_stop));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (refresh), ==, 5);

  /* Widget -> key, seen through another GSettings object as the rest of the app would. */
  gtk_switch_set_active (notifications, FALSE);
  pve_test_wait_until (!g_settings_get_boolean (other, "notifications"), TIMEOUT_MS);
  gtk_switch_set_active (confirm_stop, FALSE);
  pve_test_wait_until (!g_settings_get_boolean (other, "confirm-stop"), TIMEOUT_MS);
  gtk_spin_button_set_value (refresh, 42);
  pve_test_wait_until (g_settings_get_uint (other, "refresh-interval") == 42, TIMEOUT_MS);
  /* Only the key that was changed changed. */
  g_assert_true (g_settings_get_boolean (other, "notifications") == FALSE);

  /* Key -> widget: a change made elsewhere shows up at once. */
  g_settings_set_boolean (other, "notifications", TRUE);
  pve_test_wait_until (gtk_switch_get_active (notifications), TIMEOUT_MS);
  g_settings_set_boolean (other, "confirm-stop", TRUE);
  pve_test_wait_until (gtk_switch_get_active (confirm_stop), TIMEOUT_MS);
  g_settings_set_uint (other, "refresh-interval", 600);
  pve_test_wait_until (gtk_spin_button_get_value_as_int (refresh) == 600, TIMEOUT_MS);

  /* The spin button keeps to the schema's range (1 to 3600 seconds). */
  gtk_spin_button_set_value (refresh, 0);
  pve_test_wait_until (g_settings_get_uint (other, "refresh-interval") == 1, TIMEOUT_MS);
  gtk_spin_button_set_value (refresh, 100000);
  pve_test_wait_until (g_settings_get_uint (other, "refresh-interval") == 3600, TIMEOUT_MS);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);

  /* Closed, it no longer writes anything. */
  g_settings_set_uint (other, "refresh-interval", 7);
  g_assert_cmpuint (g_settings_get_uint (settings, "refresh-interval"), ==, 7);
  g_settings_reset (settings, "refresh-interval");
  g_settings_reset (settings, "notifications");
  g_settings_reset (settings, "confirm-stop");
}

static void
test_preferences_own_settings (void)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) settings = g_settings_new_with_backend (APP_ID, backend);
  g_autoptr(GSettings) app_settings = g_settings_new (APP_ID);
  PvePreferencesWindow *window;
  GtkSwitch *confirm_stop;

  /* Given settings are the ones edited, not the app's defaults. */
  g_settings_set_boolean (settings, "confirm-stop", FALSE);
  window = g_object_ref (pve_preferences_window_new (NULL, settings));
  g_assert_true (pve_preferences_window_get_settings (window) == settings);
  confirm_stop = GTK_SWITCH (find_in_row (GTK_WIDGET (window), "Confirm Before Stopping",
                                          GTK_TYPE_SWITCH));
  g_assert_true (g_settings_get_boolean (app_settings, "confirm-stop"));
  g_assert_false (gtk_switch_get_active (confirm_stop));
  gtk_switch_set_active (confirm_stop, TRUE);
  pve_test_wait_until (g_settings_get_boolean (settings, "confirm-stop"), TIMEOUT_MS);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

/* --- The application: actions, shortcuts window, About, menu ----------------------------- */

typedef struct
{
  PveApplication *app;
  gboolean        checked;
} AppTest;

static gboolean
strv_contains_accel (char **accels,
                     const char *accel)
{
  return accels != NULL && g_strv_contains ((const char * const *) accels, accel);
}

static gboolean
run_app_checks (gpointer user_data)
{
  AppTest *t = user_data;
  GtkApplication *app = GTK_APPLICATION (t->app);
  PveWindow *window = NULL;
  GtkShortcutsWindow *overlay;
  AdwAboutWindow *about;
  GMenu *menu;
  g_auto(GStrv) accels = NULL;

  pve_test_wait_until ((window = find_toplevel (PVE_TYPE_WINDOW)) != NULL, TIMEOUT_MS);

  /* The system decides light or dark: nothing forces a scheme. */
  g_assert_cmpint (adw_style_manager_get_color_scheme (adw_style_manager_get_default ()), ==,
                   ADW_COLOR_SCHEME_DEFAULT);

  /* Accelerators. */
  accels = gtk_application_get_accels_for_action (app, "app.preferences");
  g_assert_true (strv_contains_accel (accels, "<Control>comma"));
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (app, "win.show-help-overlay");
  g_assert_true (strv_contains_accel (accels, "<Control>question"));
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (app, "app.quit");
  g_assert_true (strv_contains_accel (accels, "<Control>q"));
  g_clear_pointer (&accels, g_strfreev);

  for (guint i = 0; i < 4; i++)
    {
      const char *names[] = { "about", "preferences", "shortcuts", "quit" };

      g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), names[i]));
    }

  /* The shortcuts window (gtk/help-overlay.ui) is built when first asked for, then kept. */
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_action_group_activate_action (G_ACTION_GROUP (app), "shortcuts", NULL);
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  pve_test_wait_until (gtk_widget_get_visible (GTK_WIDGET (overlay)), TIMEOUT_MS);
  gtk_window_close (GTK_WINDOW (overlay));
  pve_test_wait_until (!gtk_widget_get_visible (GTK_WIDGET (overlay)), TIMEOUT_MS);
  /* Ctrl+? on the window: the same window again. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
  g_assert_true (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)) ==
                 overlay);
  pve_test_wait_until (gtk_widget_get_visible (GTK_WIDGET (overlay)), TIMEOUT_MS);
  gtk_window_close (GTK_WINDOW (overlay));
  pve_test_wait_until (!gtk_widget_get_visible (GTK_WIDGET (overlay)), TIMEOUT_MS);

  /* Preferences: one window, presented again rather than opened twice. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  pve_test_wait_until (find_toplevel (PVE_TYPE_PREFERENCES_WINDOW) != NULL, TIMEOUT_MS);
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  g_assert_cmpuint (count_toplevels (PVE_TYPE_PREFERENCES_WINDOW), ==, 1);
  g_assert_true (gtk_window_get_transient_for (find_toplevel (PVE_TYPE_PREFERENCES_WINDOW)) ==
                 GTK_WINDOW (window));
  gtk_window_destroy (find_toplevel (PVE_TYPE_PREFERENCES_WINDOW));

  /* About: version, licence, links, credits. */
  gtk_window_present (GTK_WINDOW (window));
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  pve_test_wait_until ((about = find_toplevel (ADW_TYPE_ABOUT_WINDOW)) != NULL, TIMEOUT_MS);
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "PVE Remotes");
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APP_ID);
  /* The icon is found, installed or not (it is in the resources too). */
  g_assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (
                                            gtk_widget_get_display (GTK_WIDGET (about))), APP_ID));
  g_assert_true (g_str_has_prefix (adw_about_window_get_website (about), "https://"));
  g_assert_true (g_str_has_prefix (adw_about_window_get_issue_url (about), "https://"));
  g_assert_nonnull (adw_about_window_get_developers (about));
  g_assert_nonnull (adw_about_window_get_developers (about)[0]);
  g_assert_nonnull (adw_about_window_get_translator_credits (about));
  gtk_window_destroy (GTK_WINDOW (about));

  /* The primary menu model (gtk/menus.ui) for the window's menu button. */
  menu = gtk_application_get_menu_by_id (app, "primary_menu");
  g_assert_nonnull (menu);
  {
    g_autoptr(GMenuModel) section = g_menu_model_get_item_link (G_MENU_MODEL (menu), 0,
                                                                G_MENU_LINK_SECTION);
    const char *wanted[] = { "app.preferences", "win.show-help-overlay", "app.about" };

    g_assert_nonnull (section);
    g_assert_cmpint (g_menu_model_get_n_items (section), ==, G_N_ELEMENTS (wanted));
    for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
      {
        g_autofree char *action = NULL;

        g_assert_true (g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION,
                                                        "s", &action));
        g_assert_cmpstr (action, ==, wanted[i]);
      }
  }

  t->checked = TRUE;
  g_application_quit (G_APPLICATION (app));

  return G_SOURCE_REMOVE;
}

static void
on_activate (GApplication *app,
             AppTest      *t)
{
  if (!t->checked)
    g_idle_add_once ((GSourceOnceFunc) run_app_checks, t);
}

static void
test_application (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("pve-test-preferences-XXXXXX", &error);
  g_autofree char *store = NULL;
  AppTest t = { 0 };
  char *argv[4];
  int status;

  g_assert_no_error (error);
  store = g_build_filename (tmpdir, "remotes.ini", NULL);
  argv[0] = (char *) "test-preferences";
  argv[1] = (char *) "--store";
  argv[2] = store;
  argv[3] = NULL;

  t.app = pve_application_new ();
  g_signal_connect_after (t.app, "activate", G_CALLBACK (on_activate), &t);
  status = g_application_run (G_APPLICATION (t.app), 3, argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (t.checked);
  g_clear_object (&t.app);

  g_unlink (store);
  g_rmdir (tmpdir);
}

/* The shortcuts window's file: it parses and holds a shortcuts window that lists the
 * shortcuts the app sets. */
static void
test_help_overlay_resource (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GObject *overlay;
  const char *text;

  gtk_builder_add_from_resource (builder, "/com/example/PveRemotes/pve-help-overlay.ui", &error);
  g_assert_no_error (error);
  overlay = gtk_builder_get_object (builder, "help_overlay");
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));

  bytes = g_resources_lookup_data ("/com/example/PveRemotes/pve-help-overlay.ui",
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  text = g_bytes_get_data (bytes, NULL);
  for (guint i = 0; i < 5; i++)
    {
      const char *accels[] = { "&lt;Control&gt;comma", "&lt;Control&gt;question",
                               "&lt;Control&gt;w", "&lt;Control&gt;q", "&lt;Control&gt;n" };

      g_assert_nonnull (strstr (text, accels[i]));
    }

  gtk_window_destroy (GTK_WINDOW (overlay));
}

int
main (int   argc,
      char *argv[])
{
  /* No accessibility bus: its activation would print on the TAP stream. */
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/pve/preferences/binds-settings", test_preferences_binds_settings);
  g_test_add_func ("/pve/preferences/given-settings", test_preferences_own_settings);
  g_test_add_func ("/pve/gnome/help-overlay-resource", test_help_overlay_resource);
  g_test_add_func ("/pve/gnome/application", test_application);

  return g_test_run ();
}

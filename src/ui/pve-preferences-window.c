/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "pve-preferences-window.h"

/* The app's settings, edited live: every control is bound to its key with g_settings_bind,
 * so a change is saved at once and a change made elsewhere (gsettings, another window) shows
 * up here too. There is no Apply button, as the GNOME HIG asks. */
struct _PvePreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GSettings           *settings;

  GtkAdjustment       *refresh_adjustment;
  GtkSwitch           *notifications_switch;
  GtkSwitch           *confirm_stop_switch;
};

G_DEFINE_FINAL_TYPE (PvePreferencesWindow, pve_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pve_preferences_window_constructed (GObject *object)
{
  PvePreferencesWindow *self = PVE_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (pve_preferences_window_parent_class)->constructed (object);

  if (self->settings == NULL)
    self->settings = g_settings_new (APP_ID);

  g_settings_bind (self->settings, "refresh-interval",
                   self->refresh_adjustment, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notifications",
                   self->notifications_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "confirm-stop",
                   self->confirm_stop_switch, "active", G_SETTINGS_BIND_DEFAULT);
}

static void
pve_preferences_window_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  PvePreferencesWindow *self = PVE_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_preferences_window_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  PvePreferencesWindow *self = PVE_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_preferences_window_dispose (GObject *object)
{
  PvePreferencesWindow *self = PVE_PREFERENCES_WINDOW (object);

  if (self->settings != NULL)
    {
      g_settings_unbind (self->refresh_adjustment, "value");
      g_settings_unbind (self->notifications_switch, "active");
      g_settings_unbind (self->confirm_stop_switch, "active");
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), PVE_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pve_preferences_window_parent_class)->dispose (object);
}

static void
pve_preferences_window_class_init (PvePreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pve_preferences_window_constructed;
  object_class->get_property = pve_preferences_window_get_property;
  object_class->set_property = pve_preferences_window_set_property;
  object_class->dispose = pve_preferences_window_dispose;

  /**
   * PvePreferencesWindow:settings:
   *
   * The settings the controls edit; the app's schema (com.example.PveRemotes) when not given.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/PveRemotes/pve-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PvePreferencesWindow, refresh_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PvePreferencesWindow, notifications_switch);
  gtk_widget_class_bind_template_child (widget_class, PvePreferencesWindow, confirm_stop_switch);
}

static void
pve_preferences_window_init (PvePreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * pve_preferences_window_new:
 * @transient_for: (nullable): the window it belongs to
 * @settings: (nullable): the settings to edit, or %NULL for the app's own
 *
 * Returns: (transfer none): a new preferences window, not yet shown; GTK owns it until it
 *   is closed
 */
PvePreferencesWindow *
pve_preferences_window_new (GtkWindow *transient_for,
                            GSettings *settings)
{
  g_return_val_if_fail (!transient_for || GTK_IS_WINDOW (transient_for), NULL);
  g_return_val_if_fail (!settings || G_IS_SETTINGS (settings), NULL);

  return g_object_new (PVE_TYPE_PREFERENCES_WINDOW,
                       "transient-for", transient_for,
                       "settings", settings,
                       NULL);
}

GSettings *
pve_preferences_window_get_settings (PvePreferencesWindow *self)
{
  g_return_val_if_fail (PVE_IS_PREFERENCES_WINDOW (self), NULL);

  return self->settings;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "pve-remote-row.h"
#include "pve-window-private.h"

G_DEFINE_FINAL_TYPE (PveWindow, pve_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_MANAGER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GSettings *
create_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* Running uninstalled without GSETTINGS_SCHEMA_DIR must not abort: window state is then not
   * remembered. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_debug ("Schema %s not found: window state is not remembered", APP_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

PveRemote *
_pve_window_lookup_remote (PveWindow  *self,
                           const char *id)
{
  if (id == NULL)
    return NULL;

  return pve_remote_store_lookup (pve_remote_manager_get_store (self->manager), id);
}

static void
update_content (PveWindow *self)
{
  GListModel *remotes = pve_remote_manager_get_remotes (self->manager);
  PveRemoteState state;
  g_autofree char *host = NULL;
  g_autofree char *description = NULL;
  g_autofree char *problem = NULL;
  GVariant *target;
  const char *name;

  if (g_list_model_get_n_items (remotes) == 0)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "empty");
      gtk_stack_set_visible_child_name (self->sidebar_stack, "empty");
      /* In a narrow window, show the page with the big "Add Remote" button. */
      adw_leaflet_set_visible_child (self->leaflet, self->content);
      adw_window_title_set_title (self->content_title, "");
      adw_window_title_set_subtitle (self->content_title, "");
      return;
    }

  gtk_stack_set_visible_child_name (self->sidebar_stack, "list");

  if (self->selected == NULL)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "none");
      adw_window_title_set_title (self->content_title, "");
      adw_window_title_set_subtitle (self->content_title, "");
      return;
    }

  state = pve_remote_get_state (self->selected);
  name = pve_remote_get_name (self->selected);
  host = g_strdup_printf ("%s:%u", pve_remote_get_host (self->selected),
                          pve_remote_get_port (self->selected));
  {
    g_autofree char *userid = pve_remote_dup_userid (self->selected);
    /* Translators: "root@pam on pve1.example.com:8006 — Connected" */
    description = g_strdup_printf (_("%s on %s — %s"), userid, host,
                                   pve_remote_state_to_label (state));
  }
  problem = pve_remote_describe_problem (self->manager, self->selected);

  adw_window_title_set_title (self->content_title, name);
  adw_window_title_set_subtitle (self->content_title, pve_remote_state_to_label (state));
  adw_status_page_set_title (self->remote_page, name);
  adw_status_page_set_description (self->remote_page, description);
  adw_status_page_set_icon_name (self->remote_page,
                                 state == PVE_REMOTE_STATE_CONNECTED
                                   ? "network-server-symbolic"
                                   : pve_remote_state_to_icon_name (state));
  gtk_label_set_label (self->remote_problem, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->remote_problem), problem != NULL);

  target = g_variant_ref_sink (g_variant_new_string (pve_remote_get_id (self->selected)));
  /* The target first: an "s" action without one is refused with a warning. */
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->connect_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->disconnect_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->retrust_button), target);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->connect_button), "remote.connect");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->disconnect_button), "remote.disconnect");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->retrust_button), "remote.retrust");
  g_variant_unref (target);

  gtk_button_set_label (self->connect_button,
                        state == PVE_REMOTE_STATE_FAILED ? _("Reconnect") : _("Connect"));
  gtk_widget_set_visible (GTK_WIDGET (self->connect_button),
                          state != PVE_REMOTE_STATE_CONNECTED &&
                          state != PVE_REMOTE_STATE_CONNECTING);
  gtk_button_set_label (self->disconnect_button,
                        state == PVE_REMOTE_STATE_CONNECTING ? _("Cancel") : _("Disconnect"));
  gtk_widget_set_visible (GTK_WIDGET (self->disconnect_button),
                          state == PVE_REMOTE_STATE_CONNECTED ||
                          state == PVE_REMOTE_STATE_CONNECTING);
  gtk_widget_set_visible (GTK_WIDGET (self->retrust_button),
                          state == PVE_REMOTE_STATE_NEEDS_TRUST);

  gtk_stack_set_visible_child_name (self->content_stack, "remote");
}

static void
set_selected (PveWindow *self,
              PveRemote *remote)
{
  if (self->selected == remote)
    return;

  g_set_object (&self->selected, remote);
  g_signal_group_set_target (self->selected_signals, remote);

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "selected-remote",
                           remote ? pve_remote_get_id (remote) : "");

  update_content (self);
}

static void
on_row_selected (PveWindow     *self,
                 GtkListBoxRow *row)
{
  /* Rows of a model that is being emptied are unselected too: keep the setting then. */
  if (row == NULL)
    {
      g_clear_object (&self->selected);
      g_signal_group_set_target (self->selected_signals, NULL);
      update_content (self);
      return;
    }

  set_selected (self, pve_remote_row_get_remote (PVE_REMOTE_ROW (row)));
}

static void
on_row_activated (PveWindow     *self,
                  GtkListBoxRow *row)
{
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
on_back_clicked (PveWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

#define LAST_STATE_KEY "pve-window-last-state"

static void
on_remote_state (PveWindow  *self,
                 GParamSpec *pspec,
                 PveRemote  *remote)
{
  PveRemoteState last = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (remote), LAST_STATE_KEY));
  PveRemoteState state = pve_remote_get_state (remote);

  g_object_set_data (G_OBJECT (remote), LAST_STATE_KEY, GINT_TO_POINTER (state));

  /* Losing a live session is news even when that remote's row is out of sight. */
  if (last == PVE_REMOTE_STATE_CONNECTED && state == PVE_REMOTE_STATE_FAILED)
    {
      /* Translators: a notification, %s is the remote's name */
      g_autofree char *title = g_strdup_printf (_("Connection to %s lost"),
                                                pve_remote_get_name (remote));
      pve_window_add_toast (self, title);
    }
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  PveWindow *self = user_data;
  PveRemote *remote = PVE_REMOTE (item);

  g_object_set_data (G_OBJECT (remote), LAST_STATE_KEY,
                     GINT_TO_POINTER (pve_remote_get_state (remote)));
  g_signal_handlers_disconnect_by_func (remote, on_remote_state, self);
  g_signal_connect_object (remote, "notify::state", G_CALLBACK (on_remote_state), self,
                           G_CONNECT_SWAPPED);

  return pve_remote_row_new (self->manager, remote);
}

static GtkListBoxRow *
find_row (PveWindow *self,
          PveRemote *remote)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->remotes_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (PVE_IS_REMOTE_ROW (child) &&
          pve_remote_row_get_remote (PVE_REMOTE_ROW (child)) == remote)
        return GTK_LIST_BOX_ROW (child);
    }

  return NULL;
}

static void
on_remotes_changed (PveWindow  *self,
                    guint       position,
                    guint       removed,
                    guint       added,
                    GListModel *model)
{
  GtkListBoxRow *row = NULL;

  if (self->selected != NULL)
    row = find_row (self, self->selected);

  if (row == NULL)
    {
      g_autofree char *wanted = NULL;
      PveRemote *remote = NULL;

      if (self->settings != NULL)
        wanted = g_settings_get_string (self->settings, "selected-remote");
      if (wanted != NULL && wanted[0] != '\0')
        remote = _pve_window_lookup_remote (self, wanted);
      if (remote != NULL)
        row = find_row (self, remote);
      if (row == NULL)
        row = gtk_list_box_get_row_at_index (self->remotes_list, 0);
    }

  if (row != NULL && gtk_list_box_get_selected_row (self->remotes_list) != row)
    gtk_list_box_select_row (self->remotes_list, row);
  else if (row == NULL)
    {
      g_clear_object (&self->selected);
      g_signal_group_set_target (self->selected_signals, NULL);
    }

  update_content (self);
}

static void
update_keyring (PveWindow *self)
{
  gtk_revealer_set_reveal_child (self->keyring_revealer,
                                 !pve_remote_manager_get_keyring_available (self->manager));
}

void
pve_window_add_toast (PveWindow  *self,
                      const char *title)
{
  AdwToast *toast;

  g_return_if_fail (PVE_IS_WINDOW (self));
  g_return_if_fail (title != NULL);

  /* Work that ends after the window closed has nobody to tell. */
  if (self->toast_overlay == NULL)
    return;

  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
pve_window_show_store_error (PveWindow    *self,
                             const GError *error)
{
  GtkWidget *dialog;

  g_return_if_fail (PVE_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  if (gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Saved Remotes Could Not Be Read"),
                                   error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

void
pve_window_show_skipped_remotes (PveWindow          *self,
                                 const char * const *skipped)
{
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  g_return_if_fail (PVE_IS_WINDOW (self));

  if (skipped == NULL || skipped[0] == NULL || gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;

  body = g_strjoinv ("\n", (char **) skipped);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Some Saved Remotes Were Skipped"), body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

PveRemote *
pve_window_get_selected_remote (PveWindow *self)
{
  g_return_val_if_fail (PVE_IS_WINDOW (self), NULL);

  return self->selected;
}

void
pve_window_select_remote (PveWindow *self,
                          PveRemote *remote)
{
  GtkListBoxRow *row;

  g_return_if_fail (PVE_IS_WINDOW (self));
  g_return_if_fail (!remote || PVE_IS_REMOTE (remote));

  if (remote == NULL)
    {
      gtk_list_box_unselect_all (self->remotes_list);
      return;
    }

  row = find_row (self, remote);
  if (row != NULL)
    gtk_list_box_select_row (self->remotes_list, row);
}

PveRemoteManager *
pve_window_get_manager (PveWindow *self)
{
  g_return_val_if_fail (PVE_IS_WINDOW (self), NULL);

  return self->manager;
}

static void
pve_window_constructed (GObject *object)
{
  PveWindow *self = PVE_WINDOW (object);
  GListModel *remotes;

  G_OBJECT_CLASS (pve_window_parent_class)->constructed (object);

  g_assert (PVE_IS_REMOTE_MANAGER (self->manager));

  remotes = pve_remote_manager_get_remotes (self->manager);
  gtk_list_box_bind_model (self->remotes_list, remotes, create_row, self, NULL);
  g_signal_connect_object (remotes, "items-changed",
                           G_CALLBACK (on_remotes_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "notify::keyring-available",
                           G_CALLBACK (update_keyring), self, G_CONNECT_SWAPPED);

  update_keyring (self);
  on_remotes_changed (self, 0, 0, 0, remotes);
}

static gboolean
pve_window_close_request (GtkWindow *window)
{
  PveWindow *self = PVE_WINDOW (window);

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (self->settings);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (window));
      g_settings_apply (self->settings);
    }

  return GTK_WINDOW_CLASS (pve_window_parent_class)->close_request (window);
}

static void
pve_window_dispose (GObject *object)
{
  PveWindow *self = PVE_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->manager != NULL)
    {
      g_signal_handlers_disconnect_by_data (pve_remote_manager_get_remotes (self->manager), self);
      g_signal_handlers_disconnect_by_data (self->manager, self);
    }
  if (self->remotes_list != NULL)
    gtk_list_box_bind_model (self->remotes_list, NULL, NULL, NULL, NULL);
  if (self->selected_signals != NULL)
    g_signal_group_set_target (self->selected_signals, NULL);
  g_clear_object (&self->selected);

  gtk_widget_dispose_template (GTK_WIDGET (self), PVE_TYPE_WINDOW);

  G_OBJECT_CLASS (pve_window_parent_class)->dispose (object);
}

static void
pve_window_finalize (GObject *object)
{
  PveWindow *self = PVE_WINDOW (object);

  g_clear_object (&self->selected_signals);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->manager);

  G_OBJECT_CLASS (pve_window_parent_class)->finalize (object);
}

static void
pve_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PveWindow *self = PVE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      g_value_set_object (value, self->manager);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  PveWindow *self = PVE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      self->manager = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_window_class_init (PveWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = pve_window_constructed;
  object_class->dispose = pve_window_dispose;
  object_class->finalize = pve_window_finalize;
  object_class->get_property = pve_window_get_property;
  object_class->set_property = pve_window_set_property;
  window_class->close_request = pve_window_close_request;

  properties[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL,
                         PVE_TYPE_REMOTE_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PVE_TYPE_REMOTE_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/PveRemotes/pve-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PveWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PveWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, PveWindow, keyring_revealer);
  gtk_widget_class_bind_template_child (widget_class, PveWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, PveWindow, remotes_list);
  gtk_widget_class_bind_template_child (widget_class, PveWindow, content);
  gtk_widget_class_bind_template_child (widget_class, PveWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, PveWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, PveWindow, remote_page);
  gtk_widget_class_bind_template_child (widget_class, PveWindow, remote_problem);
  gtk_widget_class_bind_template_child (widget_class, PveWindow, connect_button);
  gtk_widget_class_bind_template_child (widget_class, PveWindow, disconnect_button);
  gtk_widget_class_bind_template_child (widget_class, PveWindow, retrust_button);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);

  _pve_window_class_actions_init (widget_class);
}

static void
pve_window_init (PveWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = create_settings ();

  self->selected_signals = g_signal_group_new (PVE_TYPE_REMOTE);
  g_signal_group_connect_swapped (self->selected_signals, "notify::state",
                                  G_CALLBACK (update_content), self);
  g_signal_group_connect_swapped (self->selected_signals, "notify::last-error",
                                  G_CALLBACK (update_content), self);
  g_signal_group_connect_swapped (self->selected_signals, "notify::name",
                                  G_CALLBACK (update_content), self);
  g_signal_group_connect_swapped (self->selected_signals, "notify::host",
                                  G_CALLBACK (update_content), self);
  g_signal_group_connect_swapped (self->selected_signals, "notify::port",
                                  G_CALLBACK (update_content), self);
  g_signal_group_connect_swapped (self->selected_signals, "notify::fingerprint",
                                  G_CALLBACK (update_content), self);

  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
  else
    gtk_window_set_default_size (GTK_WINDOW (self), 1000, 680);
}

PveWindow *
pve_window_new (GtkApplication   *app,
                PveRemoteManager *manager)
{
  g_return_val_if_fail (!app || GTK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (manager), NULL);

  return g_object_new (PVE_TYPE_WINDOW,
                       "application", app,
                       "manager", manager,
                       NULL);
}

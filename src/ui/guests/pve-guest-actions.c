/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "pve-client.h"
#include "pve-guest-actions.h"

#define APP_SCHEMA_ID "com.example.PveRemotes"
#define CANCELLABLE_KEY "pve-guest-actions-cancellable"

static guint poll_interval = 500;

static const PveGuestActionInfo actions[] = {
  { "start", "guest.start", N_("Start"), "media-playback-start-symbolic", GDK_KEY_s,
    N_("Ctrl+Shift+S") },
  { "shutdown", "guest.shutdown", N_("Shut Down"), "system-shutdown-symbolic", GDK_KEY_d,
    N_("Ctrl+Shift+D") },
  { "stop", "guest.stop", N_("Stop"), "media-playback-stop-symbolic", GDK_KEY_x,
    N_("Ctrl+Shift+X") },
  { "reboot", "guest.reboot", N_("Reboot"), "system-reboot-symbolic", GDK_KEY_r,
    N_("Ctrl+Shift+R") },
  { "suspend", "guest.suspend", N_("Suspend"), "media-playback-pause-symbolic", GDK_KEY_p,
    N_("Ctrl+Shift+P") },
  { "resume", "guest.resume", N_("Resume"), "media-seek-forward-symbolic", GDK_KEY_u,
    N_("Ctrl+Shift+U") },
};

const PveGuestActionInfo *
pve_guest_actions_get (guint *n_actions)
{
  if (n_actions != NULL)
    *n_actions = G_N_ELEMENTS (actions);
  return actions;
}

void
pve_guest_actions_set_poll_interval (guint milliseconds)
{
  poll_interval = MAX (milliseconds, 10);
}

GSettings *
pve_guests_get_settings (void)
{
  static GSettings *settings;
  static gboolean looked_up;

  if (!looked_up)
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr(GSettingsSchema) schema = NULL;

      looked_up = TRUE;
      if (source != NULL)
        schema = g_settings_schema_source_lookup (source, APP_SCHEMA_ID, TRUE);
      if (schema != NULL)
        settings = g_settings_new_full (schema, NULL, NULL);
    }

  return settings;
}

void
pve_guest_actions_install (GtkWidgetClass *widget_class,
                           void (*activate) (GtkWidget  *widget,
                                             const char *action))
{
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      gtk_widget_class_install_action (widget_class, actions[i].action_name, NULL,
                                       (GtkWidgetActionActivateFunc) activate);
      gtk_widget_class_add_binding_action (widget_class, actions[i].keyval,
                                           GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                           actions[i].action_name, NULL);
    }
}

void
pve_guest_actions_update (GtkWidget        *widget,
                          PveRemoteManager *manager,
                          PveGuest         *guest,
                          GtkWidget       **buttons)
{
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_autofree char *why = NULL;
      g_autofree char *tooltip = NULL;
      gboolean allowed = FALSE;

      if (guest != NULL)
        allowed = pve_guest_action_allowed (manager, guest, actions[i].action, &why);

      gtk_widget_action_set_enabled (widget, actions[i].action_name, allowed);
      if (buttons == NULL || buttons[i] == NULL)
        continue;

      if (allowed || why == NULL)
        /* Translators: a tooltip, "Start (Ctrl+Shift+S)" */
        tooltip = g_strdup_printf (_("%s (%s)"), _(actions[i].label), _(actions[i].accel_label));
      else
        tooltip = g_steal_pointer (&why);
      /* Setting a tooltip asks the X server where the pointer is: only when it changes (this
       * runs after every refresh). */
      if (g_strcmp0 (gtk_widget_get_tooltip_text (buttons[i]), tooltip) != 0)
        gtk_widget_set_tooltip_text (buttons[i], tooltip);
    }
}

GtkWidget *
pve_guest_actions_create_button (const PveGuestActionInfo *info)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *content = adw_button_content_new ();

  adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), info->icon_name);
  adw_button_content_set_label (ADW_BUTTON_CONTENT (content), _(info->label));
  adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (content), FALSE);
  gtk_button_set_child (GTK_BUTTON (button), content);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), info->action_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _(info->label),
                                  GTK_ACCESSIBLE_PROPERTY_KEY_SHORTCUTS, info->accel_label,
                                  -1);
  return button;
}

/* --- Feedback ---------------------------------------------------------------------------- */

static AdwToastOverlay *
find_toast_overlay (GtkWidget *widget)
{
  if (ADW_IS_TOAST_OVERLAY (widget))
    return ADW_TOAST_OVERLAY (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwToastOverlay *overlay = find_toast_overlay (child);

      if (overlay != NULL)
        return overlay;
    }

  return NULL;
}

void
pve_guests_add_toast (GtkWidget  *widget,
                      const char *title)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  AdwToastOverlay *overlay = NULL;
  AdwToast *toast;

  /* The ancestor when there is one (the window's own), else the window's first. */
  overlay = (AdwToastOverlay *) gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL && root != NULL)
    overlay = find_toast_overlay (GTK_WIDGET (root));
  if (overlay == NULL)
    return;

  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (overlay, toast);
}

static char *
describe_success (const char *action,
                  const char *name)
{
  /* Translators: notifications, %s is the guest's name */
  if (g_str_equal (action, "start"))
    return g_strdup_printf (_("%s started"), name);
  if (g_str_equal (action, "shutdown"))
    return g_strdup_printf (_("%s shut down"), name);
  if (g_str_equal (action, "stop"))
    return g_strdup_printf (_("%s stopped"), name);
  if (g_str_equal (action, "reboot"))
    return g_strdup_printf (_("%s rebooted"), name);
  if (g_str_equal (action, "suspend"))
    return g_strdup_printf (_("%s suspended"), name);
  return g_strdup_printf (_("%s resumed"), name);
}

static char *
describe_failure_heading (const char *action,
                          const char *name)
{
  /* Translators: dialog headings, %s is the guest's name */
  if (g_str_equal (action, "start"))
    return g_strdup_printf (_("Could Not Start %s"), name);
  if (g_str_equal (action, "shutdown"))
    return g_strdup_printf (_("Could Not Shut Down %s"), name);
  if (g_str_equal (action, "stop"))
    return g_strdup_printf (_("Could Not Stop %s"), name);
  if (g_str_equal (action, "reboot"))
    return g_strdup_printf (_("Could Not Reboot %s"), name);
  if (g_str_equal (action, "suspend"))
    return g_strdup_printf (_("Could Not Suspend %s"), name);
  return g_strdup_printf (_("Could Not Resume %s"), name);
}

static void
show_failure (GtkWindow  *parent,
              PveTask    *task,
              const char *heading,
              const char *body)
{
  GPtrArray *log = pve_task_get_log (task);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (parent, heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");

  if (log != NULL && log->len > 0)
    {
      GtkWidget *scrolled = gtk_scrolled_window_new ();
      GtkWidget *view = gtk_text_view_new ();
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < log->len; i++)
        {
          if (i > 0)
            g_string_append_c (text, '\n');
          g_string_append (text, g_ptr_array_index (log, i));
        }
      gtk_text_buffer_set_text (buffer, text->str, -1);
      gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
      gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (view), FALSE);
      gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
      gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
      gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
      gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
      gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
      gtk_accessible_update_property (GTK_ACCESSIBLE (view),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Task log"), -1);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
      gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 160);
      gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
      gtk_widget_add_css_class (scrolled, "card");
      gtk_widget_set_overflow (scrolled, GTK_OVERFLOW_HIDDEN);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scrolled);
      gtk_widget_set_size_request (dialog, 520, -1);
    }

  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  GWeakRef      widget;
  PveGuestList *list;
  PveRemote    *remote;
  char         *action;
  char         *name;
} RunOp;

static void
run_op_free (RunOp *op)
{
  g_weak_ref_clear (&op->widget);
  g_clear_object (&op->list);
  g_clear_object (&op->remote);
  g_free (op->action);
  g_free (op->name);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RunOp, run_op_free)

static void
notify_desktop (GtkWindow  *window,
                const char *title,
                const char *body,
                gboolean    failed)
{
  GSettings *settings = pve_guests_get_settings ();
  GApplication *app;
  g_autoptr(GNotification) notification = NULL;

  if (window == NULL || gtk_window_is_active (window))
    return;
  if (settings != NULL && !g_settings_get_boolean (settings, "notifications"))
    return;

  app = G_APPLICATION (gtk_window_get_application (window));
  if (app == NULL)
    return;

  notification = g_notification_new (title);
  if (body != NULL)
    g_notification_set_body (notification, body);
  if (failed)
    g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_application_send_notification (app, NULL, notification);
}

static void
on_task_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(RunOp) op = user_data;
  PveTask *task = PVE_TASK (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkWidget) widget = g_weak_ref_get (&op->widget);
  GtkWindow *window = NULL;
  gboolean ok;

  ok = pve_task_run_finish (task, result, &error);

  /* The new status shows with the next refresh of that remote, right away. */
  if (op->list != NULL)
    pve_guest_list_refresh_remote (op->list, op->remote);

  if (widget != NULL && !gtk_widget_in_destruction (widget))
    window = GTK_WINDOW (gtk_widget_get_root (widget));
  if (window == NULL || gtk_widget_in_destruction (GTK_WIDGET (window)))
    return;

  if (ok)
    {
      g_autofree char *title = describe_success (op->action, op->name);
      g_autofree char *note = NULL;

      pve_guests_add_toast (widget, title);
      /* Translators: a desktop notification, "Task finished: web1 started" */
      note = g_strdup_printf (_("Task finished: %s"), title);
      notify_desktop (window, note, NULL, FALSE);
      return;
    }

  /* Nothing to tell: the user closed the window, or the remote went away (the window says
   * so already). */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED))
    return;

  {
    g_autofree char *heading = describe_failure_heading (op->action, op->name);
    g_autofree char *note = NULL;

    show_failure (window, task, heading, error->message);
    /* Translators: a desktop notification, "Task failed: Could Not Start web1" */
    note = g_strdup_printf (_("Task failed: %s"), heading);
    notify_desktop (window, note, error->message, TRUE);
  }
}

static GCancellable *
get_window_cancellable (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GCancellable *cancellable;

  if (root == NULL)
    return NULL;

  cancellable = g_object_get_data (G_OBJECT (root), CANCELLABLE_KEY);
  if (cancellable == NULL)
    {
      cancellable = g_cancellable_new ();
      g_object_set_data_full (G_OBJECT (root), CANCELLABLE_KEY, cancellable, g_object_unref);
      /* Closing the window stops following its tasks (they keep running on the server). */
      g_signal_connect_object (root, "destroy", G_CALLBACK (g_cancellable_cancel), cancellable,
                               G_CONNECT_SWAPPED);
    }

  return cancellable;
}

static void
start_task (GtkWidget        *widget,
            PveRemoteManager *manager,
            PveGuestList     *list,
            PveGuest         *guest,
            const char       *action)
{
  g_autoptr(PveTask) task = pve_task_new (manager, guest, action);
  RunOp *op = g_new0 (RunOp, 1);

  g_weak_ref_init (&op->widget, widget);
  op->list = list ? g_object_ref (list) : NULL;
  op->remote = pve_guest_get_remote (guest) ? g_object_ref (pve_guest_get_remote (guest)) : NULL;
  op->action = g_strdup (action);
  op->name = g_strdup (pve_guest_get_display_name (guest));

  pve_task_set_poll_interval (task, poll_interval);
  pve_task_run_async (task, get_window_cancellable (widget), on_task_done, op);
}

typedef struct
{
  GWeakRef          widget;
  PveRemoteManager *manager;
  PveGuestList     *list;
  PveGuest         *guest;
} ConfirmOp;

static void
confirm_op_free (gpointer data)
{
  ConfirmOp *op = data;

  g_weak_ref_clear (&op->widget);
  g_clear_object (&op->manager);
  g_clear_object (&op->list);
  g_clear_object (&op->guest);
  g_free (op);
}

static void
on_stop_confirmed (AdwMessageDialog *dialog,
                   const char       *response,
                   ConfirmOp        *op)
{
  g_autoptr(GtkWidget) widget = NULL;

  if (g_strcmp0 (response, "stop") != 0)
    return;

  widget = g_weak_ref_get (&op->widget);
  if (widget == NULL)
    return;

  /* The state may have changed while the dialog was up. */
  if (!pve_guest_action_allowed (op->manager, op->guest, "stop", NULL))
    return;

  start_task (widget, op->manager, op->list, op->guest, "stop");
}

void
pve_guest_actions_run (GtkWidget        *widget,
                       PveRemoteManager *manager,
                       PveGuestList     *list,
                       PveGuest         *guest,
                       const char       *action)
{
  GSettings *settings = pve_guests_get_settings ();
  g_autofree char *why = NULL;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (PVE_IS_REMOTE_MANAGER (manager));
  g_return_if_fail (PVE_IS_GUEST (guest));

  if (!pve_guest_action_allowed (manager, guest, action, &why))
    {
      if (why != NULL)
        pve_guests_add_toast (widget, why);
      return;
    }

  if (g_str_equal (action, "stop") &&
      (settings == NULL || g_settings_get_boolean (settings, "confirm-stop")))
    {
      GtkWidget *dialog;
      ConfirmOp *op;

      dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), NULL, NULL);
      /* Translators: %s is the guest's name */
      adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Stop %s?"),
                                         pve_guest_get_display_name (guest));
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                                   _("Stopping is like pulling the power cord: what the guest "
                                     "has not saved is lost. Shut it down to let it stop "
                                     "cleanly."));
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("Cancel"),
                                        "stop", _("Stop"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "stop",
                                                  ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

      op = g_new0 (ConfirmOp, 1);
      g_weak_ref_init (&op->widget, widget);
      op->manager = g_object_ref (manager);
      op->list = list ? g_object_ref (list) : NULL;
      op->guest = g_object_ref (guest);
      g_signal_connect_data (dialog, "response", G_CALLBACK (on_stop_confirmed), op,
                             (GClosureNotify) confirm_op_free, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  start_task (widget, manager, list, guest, action);
}

void
pve_guests_load_css (void)
{
  static gboolean loaded;
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GtkCssProvider) provider = NULL;

  if (loaded || display == NULL)
    return;

  loaded = TRUE;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/com/example/PveRemotes/guests/guests.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

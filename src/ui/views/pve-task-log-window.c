/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "pve-api.h"
#include "pve-cluster-info.h"
#include "pve-task-log-window.h"
#include "pve-views-util.h"

/* Enough for any real task log; the server caps pages anyway. */
#define LOG_LIMIT 50000

struct _PveTaskLogWindow
{
  AdwWindow         parent_instance;

  PveRemoteManager *manager;
  PveRemote        *remote;
  char             *node;
  char             *upid;
  gboolean          running;
  gboolean          ended;
  guint             poll_id;
  guint             n_lines;
  GCancellable     *cancellable;

  AdwWindowTitle   *window_title;
  GtkSpinner       *spinner;
  GtkImage         *status_icon;
  GtkLabel         *status_label;
  GtkScrolledWindow *scroller;
  GtkTextView      *text_view;
};

G_DEFINE_FINAL_TYPE (PveTaskLogWindow, pve_task_log_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_MANAGER,
  PROP_REMOTE,
  PROP_NODE,
  PROP_UPID,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void poll_once (PveTaskLogWindow *self);

static void
set_running (PveTaskLogWindow *self,
             gboolean          running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
show_message (PveTaskLogWindow *self,
              const char       *icon_name,
              const char       *text)
{
  gtk_spinner_stop (self->spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  gtk_image_set_from_icon_name (self->status_icon, icon_name);
  gtk_widget_set_visible (GTK_WIDGET (self->status_icon), icon_name != NULL);
  gtk_label_set_text (self->status_label, text);
}

static void
log_loaded_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PveTaskLogWindow) self = user_data;
  g_autoptr(PveLogPage) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = NULL;
  GtkTextBuffer *buffer;
  GtkAdjustment *adj;
  gboolean at_end;

  page = pve_task_log_load_finish (result, &error);
  if (page == NULL)
    {
      g_autofree char *message = NULL;

      if (pve_views_error_is_cancelled (error))
        return;
      message = pve_views_describe_error (error);
      show_message (self, "dialog-error-symbolic", message);
      return;
    }

  if (page->lines->len == self->n_lines)
    return;

  adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  at_end = gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj)
           >= gtk_adjustment_get_upper (adj) - 2.0;

  text = g_string_new (NULL);
  for (guint i = 0; i < page->lines->len; i++)
    {
      g_string_append (text, g_ptr_array_index (page->lines, i));
      if (i + 1 < page->lines->len)
        g_string_append_c (text, '\n');
    }
  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_set_text (buffer, text->str, (int) text->len);
  self->n_lines = page->lines->len;

  if (at_end)
    {
      GtkTextIter end;

      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_place_cursor (buffer, &end);
      gtk_text_view_scroll_to_mark (self->text_view, gtk_text_buffer_get_insert (buffer),
                                    0.0, FALSE, 0.0, 1.0);
    }
}

static gboolean
poll_timeout_cb (gpointer user_data)
{
  PveTaskLogWindow *self = user_data;

  self->poll_id = 0;
  poll_once (self);
  return G_SOURCE_REMOVE;
}

static void
status_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PveTaskLogWindow) self = user_data;
  g_autoptr(PveClusterTask) task = NULL;
  g_autoptr(GError) error = NULL;

  task = pve_task_status_load_finish (result, &error);
  if (task == NULL)
    {
      g_autofree char *message = NULL;

      if (pve_views_error_is_cancelled (error))
        return;
      message = pve_views_describe_error (error);
      show_message (self, pve_views_error_is_disconnected (error) ? "network-offline-symbolic"
                                                                  : "dialog-error-symbolic",
                    message);
      set_running (self, FALSE);
      return;
    }

  /* One more log fetch after the end, so the last lines ("TASK OK") show. */
  pve_task_log_load_async (self->manager, self->remote, self->node, self->upid, 0, LOG_LIMIT,
                           self->cancellable, log_loaded_cb, g_object_ref (self));

  if (task->running)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
      gtk_spinner_start (self->spinner);
      gtk_widget_set_visible (GTK_WIDGET (self->status_icon), FALSE);
      gtk_label_set_text (self->status_label, _("Running…"));
      set_running (self, TRUE);
      g_clear_handle_id (&self->poll_id, g_source_remove);
      self->poll_id = g_timeout_add_seconds (1, poll_timeout_cb, self);
      return;
    }

  self->ended = TRUE;
  set_running (self, FALSE);
  if (task->failed)
    {
      /* Translators: %s is the task's exit status, e.g. "command 'qm start 100' failed" */
      g_autofree char *text = g_strdup_printf (_("Failed: %s"), task->status);

      show_message (self, "dialog-error-symbolic", text);
    }
  else
    {
      /* Translators: %s is the task's exit status, "OK" or "WARNINGS: 2" */
      g_autofree char *text = g_strdup_printf (_("Finished: %s"), task->status);

      show_message (self, "emblem-ok-symbolic", text);
    }
}

static void
poll_once (PveTaskLogWindow *self)
{
  if (self->manager == NULL || self->remote == NULL || self->upid == NULL)
    return;
  pve_task_status_load_async (self->manager, self->remote, self->node, self->upid,
                              self->cancellable, status_loaded_cb, g_object_ref (self));
}

static void
pve_task_log_window_constructed (GObject *object)
{
  PveTaskLogWindow *self = PVE_TASK_LOG_WINDOW (object);
  PveUpid upid = { 0 };

  G_OBJECT_CLASS (pve_task_log_window_parent_class)->constructed (object);

  if (self->upid != NULL && pve_upid_parse (self->upid, &upid, NULL))
    {
      /* Translators: "qmstart 100 on pve1" */
      g_autofree char *subtitle = g_strdup_printf (_("%s %s on %s"), upid.type, upid.id,
                                                   upid.node);

      adw_window_title_set_subtitle (self->window_title, subtitle);
      if (self->node == NULL)
        self->node = g_strdup (upid.node);
      pve_upid_clear (&upid);
    }

  gtk_label_set_text (self->status_label, _("Loading…"));
  gtk_spinner_start (self->spinner);
  poll_once (self);
}

static void
pve_task_log_window_dispose (GObject *object)
{
  PveTaskLogWindow *self = PVE_TASK_LOG_WINDOW (object);

  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), PVE_TYPE_TASK_LOG_WINDOW);
  g_clear_object (&self->manager);
  g_clear_object (&self->remote);

  G_OBJECT_CLASS (pve_task_log_window_parent_class)->dispose (object);
}

static void
pve_task_log_window_finalize (GObject *object)
{
  PveTaskLogWindow *self = PVE_TASK_LOG_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->node, g_free);
  g_clear_pointer (&self->upid, g_free);

  G_OBJECT_CLASS (pve_task_log_window_parent_class)->finalize (object);
}

static void
pve_task_log_window_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PveTaskLogWindow *self = PVE_TASK_LOG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      g_value_set_object (value, self->manager);
      break;
    case PROP_REMOTE:
      g_value_set_object (value, self->remote);
      break;
    case PROP_NODE:
      g_value_set_string (value, self->node);
      break;
    case PROP_UPID:
      g_value_set_string (value, self->upid);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_task_log_window_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  PveTaskLogWindow *self = PVE_TASK_LOG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      self->manager = g_value_dup_object (value);
      break;
    case PROP_REMOTE:
      self->remote = g_value_dup_object (value);
      break;
    case PROP_NODE:
      self->node = g_value_dup_string (value);
      break;
    case PROP_UPID:
      self->upid = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_task_log_window_class_init (PveTaskLogWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pve_task_log_window_constructed;
  object_class->dispose = pve_task_log_window_dispose;
  object_class->finalize = pve_task_log_window_finalize;
  object_class->get_property = pve_task_log_window_get_property;
  object_class->set_property = pve_task_log_window_set_property;

  properties[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL, PVE_TYPE_REMOTE_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REMOTE] =
    g_param_spec_object ("remote", NULL, NULL, PVE_TYPE_REMOTE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NODE] =
    g_param_spec_string ("node", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPID] =
    g_param_spec_string ("upid", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/PveRemotes/views/pve-task-log-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PveTaskLogWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, PveTaskLogWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, PveTaskLogWindow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, PveTaskLogWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, PveTaskLogWindow, scroller);
  gtk_widget_class_bind_template_child (widget_class, PveTaskLogWindow, text_view);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
pve_task_log_window_init (PveTaskLogWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
pve_task_log_window_new (PveRemoteManager *manager,
                         PveRemote        *remote,
                         const char       *node,
                         const char       *upid)
{
  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (manager), NULL);
  g_return_val_if_fail (PVE_IS_REMOTE (remote), NULL);
  g_return_val_if_fail (upid != NULL, NULL);

  return g_object_new (PVE_TYPE_TASK_LOG_WINDOW,
                       "manager", manager,
                       "remote", remote,
                       "node", node,
                       "upid", upid,
                       NULL);
}

const char *
pve_task_log_window_get_upid (PveTaskLogWindow *self)
{
  g_return_val_if_fail (PVE_IS_TASK_LOG_WINDOW (self), NULL);
  return self->upid;
}

gboolean
pve_task_log_window_get_running (PveTaskLogWindow *self)
{
  g_return_val_if_fail (PVE_IS_TASK_LOG_WINDOW (self), FALSE);
  return self->running;
}

char *
pve_task_log_window_dup_text (PveTaskLogWindow *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (PVE_IS_TASK_LOG_WINDOW (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

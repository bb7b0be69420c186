/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "pve-cluster-info.h"
#include "pve-task-log-window.h"
#include "pve-tasks-view.h"
#include "pve-views-util.h"

/* ---- PveTaskObject --------------------------------------------------------------------- */

struct _PveTaskObject
{
  GObject         parent_instance;
  PveRemote      *remote;
  PveClusterTask *task;
};

G_DEFINE_FINAL_TYPE (PveTaskObject, pve_task_object, G_TYPE_OBJECT)

static void
pve_task_object_finalize (GObject *object)
{
  PveTaskObject *self = PVE_TASK_OBJECT (object);

  g_clear_object (&self->remote);
  g_clear_pointer (&self->task, pve_cluster_task_free);

  G_OBJECT_CLASS (pve_task_object_parent_class)->finalize (object);
}

static void
pve_task_object_class_init (PveTaskObjectClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pve_task_object_finalize;
}

static void
pve_task_object_init (PveTaskObject *self)
{
}

static PveTaskObject *
pve_task_object_new (PveRemote            *remote,
                     const PveClusterTask *task)
{
  PveTaskObject *self = g_object_new (PVE_TYPE_TASK_OBJECT, NULL);

  self->remote = g_object_ref (remote);
  self->task = pve_cluster_task_copy (task);
  return self;
}

PveRemote *
pve_task_object_get_remote (PveTaskObject *self)
{
  g_return_val_if_fail (PVE_IS_TASK_OBJECT (self), NULL);
  return self->remote;
}

const char *
pve_task_object_get_upid (PveTaskObject *self)
{
  g_return_val_if_fail (PVE_IS_TASK_OBJECT (self), NULL);
  return self->task->upid;
}

const char *
pve_task_object_get_node (PveTaskObject *self)
{
  g_return_val_if_fail (PVE_IS_TASK_OBJECT (self), NULL);
  return self->task->node;
}

const char *
pve_task_object_get_type_name (PveTaskObject *self)
{
  g_return_val_if_fail (PVE_IS_TASK_OBJECT (self), NULL);
  return self->task->type;
}

const char *
pve_task_object_get_id (PveTaskObject *self)
{
  g_return_val_if_fail (PVE_IS_TASK_OBJECT (self), NULL);
  return self->task->id;
}

const char *
pve_task_object_get_user (PveTaskObject *self)
{
  g_return_val_if_fail (PVE_IS_TASK_OBJECT (self), NULL);
  return self->task->user;
}

gint64
pve_task_object_get_starttime (PveTaskObject *self)
{
  g_return_val_if_fail (PVE_IS_TASK_OBJECT (self), -1);
  return self->task->starttime;
}

gboolean
pve_task_object_get_running (PveTaskObject *self)
{
  g_return_val_if_fail (PVE_IS_TASK_OBJECT (self), FALSE);
  return self->task->running;
}

gboolean
pve_task_object_get_failed (PveTaskObject *self)
{
  g_return_val_if_fail (PVE_IS_TASK_OBJECT (self), FALSE);
  return self->task->failed;
}

const char *
pve_task_object_get_status_text (PveTaskObject *self)
{
  g_return_val_if_fail (PVE_IS_TASK_OBJECT (self), NULL);
  if (self->task->running)
    return _("Running");
  return self->task->status;
}

/* ---- PveTasksView ---------------------------------------------------------------------- */

struct _PveTasksView
{
  AdwBin            parent_instance;

  PveRemoteManager *manager;
  guint             refresh_interval;
  guint             refresh_id;
  GCancellable     *cancellable;
  GHashTable       *results;   /* remote id -> GPtrArray of PveTaskObject */
  GHashTable       *errors;    /* remote id -> char* message */
  GHashTable       *watched;   /* PveRemote* (ref) set */
  GListStore       *store;

  GtkStack         *stack;
  GtkLabel         *error_label;
  GtkColumnView    *column_view;
};

G_DEFINE_FINAL_TYPE (PveTasksView, pve_tasks_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MANAGER,
  PROP_REFRESH_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct
{
  const char *type;
  const char *label;
} task_type_labels[] = {
  { "qmstart", N_("VM start") },
  { "qmstop", N_("VM stop") },
  { "qmshutdown", N_("VM shutdown") },
  { "qmreboot", N_("VM reboot") },
  { "qmpause", N_("VM pause") },
  { "qmsuspend", N_("VM hibernate") },
  { "qmresume", N_("VM resume") },
  { "qmclone", N_("VM clone") },
  { "qmcreate", N_("VM create") },
  { "qmdestroy", N_("VM destroy") },
  { "qmigrate", N_("VM migrate") },
  { "qmsnapshot", N_("VM snapshot") },
  { "vzstart", N_("CT start") },
  { "vzstop", N_("CT stop") },
  { "vzshutdown", N_("CT shutdown") },
  { "vzreboot", N_("CT reboot") },
  { "vzsuspend", N_("CT suspend") },
  { "vzresume", N_("CT resume") },
  { "vzcreate", N_("CT create") },
  { "vzdestroy", N_("CT destroy") },
  { "vzmigrate", N_("CT migrate") },
  { "vzdump", N_("Backup") },
  { "aptupdate", N_("Update package database") },
  { "srvreload", N_("Service reload") },
  { "srvrestart", N_("Service restart") },
  { "startall", N_("Start all guests") },
  { "stopall", N_("Stop all guests") },
};

static const char *
describe_type (const char *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (task_type_labels); i++)
    if (g_strcmp0 (type, task_type_labels[i].type) == 0)
      return _(task_type_labels[i].label);
  return type;
}

static int
compare_objects (gconstpointer a,
                 gconstpointer b)
{
  PveTaskObject *oa = *(PveTaskObject **) a;
  PveTaskObject *ob = *(PveTaskObject **) b;

  if (oa->task->starttime != ob->task->starttime)
    return (oa->task->starttime < ob->task->starttime) - (oa->task->starttime > ob->task->starttime);
  return g_strcmp0 (oa->task->upid, ob->task->upid);
}

static gboolean
same_task (PveTaskObject *a,
           PveTaskObject *b)
{
  return a->remote == b->remote
         && g_strcmp0 (a->task->upid, b->task->upid) == 0
         && a->task->running == b->task->running
         && g_strcmp0 (a->task->status, b->task->status) == 0;
}

static gboolean
remote_is_connected (PveTasksView *self,
                     const char   *remote_id)
{
  PveRemote *remote = pve_remote_store_lookup (pve_remote_manager_get_store (self->manager),
                                               remote_id);

  return remote != NULL && pve_remote_get_connected (remote);
}

/* Merges every remote's tasks, newest first; touches the store only when something changed. */
static void
rebuild (PveTasksView *self)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GString) errors = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;
  gboolean changed;
  guint n_items;
  gboolean any_connected = FALSE;
  GListModel *remotes = pve_remote_manager_get_remotes (self->manager);

  for (guint i = 0; i < g_list_model_get_n_items (remotes); i++)
    {
      g_autoptr(PveRemote) remote = g_list_model_get_item (remotes, i);

      any_connected |= pve_remote_get_connected (remote);
    }

  g_hash_table_iter_init (&iter, self->results);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *objects = value;

      if (!remote_is_connected (self, key))
        {
          g_hash_table_iter_remove (&iter);
          continue;
        }
      for (guint i = 0; i < objects->len; i++)
        g_ptr_array_add (all, g_ptr_array_index (objects, i));
    }
  g_ptr_array_sort (all, compare_objects);

  /* The same tasks in the same order (the usual case while tasks run): replace only the rows
   * whose status changed, so the selection and keyboard focus elsewhere stay put. */
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  changed = n_items != all->len;
  for (guint i = 0; i < n_items && !changed; i++)
    {
      g_autoptr(PveTaskObject) old = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      PveTaskObject *new = g_ptr_array_index (all, i);

      changed = old->remote != new->remote || g_strcmp0 (old->task->upid, new->task->upid) != 0;
    }
  if (changed)
    g_list_store_splice (self->store, 0, n_items, all->pdata, all->len);
  else
    for (guint i = 0; i < n_items; i++)
      {
        g_autoptr(PveTaskObject) old = g_list_model_get_item (G_LIST_MODEL (self->store), i);
        gpointer new = g_ptr_array_index (all, i);

        if (!same_task (old, new))
          g_list_store_splice (self->store, i, 1, &new, 1);
      }

  g_hash_table_iter_init (&iter, self->errors);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      PveRemote *remote = pve_remote_store_lookup (pve_remote_manager_get_store (self->manager),
                                                   key);

      if (remote == NULL || !pve_remote_get_connected (remote))
        continue;
      if (errors->len > 0)
        g_string_append_c (errors, '\n');
      /* Translators: "pve1: Could not load the tasks: <reason>" */
      g_string_append_printf (errors, _("%s: Could not load the tasks: %s"),
                              pve_remote_get_name (remote), (const char *) value);
    }
  gtk_label_set_text (self->error_label, errors->str);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), errors->len > 0);

  gtk_stack_set_visible_child_name (self->stack, any_connected ? "content" : "empty");
}

typedef struct
{
  PveTasksView *self;
  PveRemote    *remote;
} LoadData;

static void
tasks_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  LoadData *ld = user_data;
  g_autoptr(PveTasksView) self = ld->self;
  g_autoptr(PveRemote) remote = ld->remote;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *objects;
  const char *id = pve_remote_get_id (remote);

  g_free (ld);
  tasks = pve_cluster_tasks_load_finish (result, &error);
  if (tasks == NULL)
    {
      if (pve_views_error_is_cancelled (error))
        return;
      if (pve_views_error_is_disconnected (error))
        g_hash_table_remove (self->errors, id);
      else
        g_hash_table_insert (self->errors, g_strdup (id), pve_views_describe_error (error));
      g_hash_table_remove (self->results, id);
      rebuild (self);
      return;
    }

  g_hash_table_remove (self->errors, id);
  objects = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < tasks->len; i++)
    g_ptr_array_add (objects, pve_task_object_new (remote, g_ptr_array_index (tasks, i)));
  g_hash_table_insert (self->results, g_strdup (id), objects);
  rebuild (self);
}

static void remote_state_changed_cb (PveRemote    *remote,
                                     GParamSpec   *pspec,
                                     PveTasksView *self);

static void
load_remote (PveTasksView *self,
             PveRemote    *remote)
{
  LoadData *ld;

  if (!pve_remote_get_connected (remote))
    return;

  ld = g_new0 (LoadData, 1);
  ld->self = g_object_ref (self);
  ld->remote = g_object_ref (remote);
  pve_cluster_tasks_load_async (self->manager, remote, self->cancellable, tasks_loaded_cb, ld);
}

void
pve_tasks_view_reload (PveTasksView *self)
{
  GListModel *remotes;

  g_return_if_fail (PVE_IS_TASKS_VIEW (self));

  if (self->manager == NULL)
    return;
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();

  remotes = pve_remote_manager_get_remotes (self->manager);
  for (guint i = 0; i < g_list_model_get_n_items (remotes); i++)
    {
      g_autoptr(PveRemote) remote = g_list_model_get_item (remotes, i);

      if (!g_hash_table_contains (self->watched, remote))
        {
          g_hash_table_add (self->watched, g_object_ref (remote));
          g_signal_connect_object (remote, "notify::state", G_CALLBACK (remote_state_changed_cb),
                                   self, 0);
        }
      load_remote (self, remote);
    }
  rebuild (self);
}

/* One remote connected or went away: only its tasks are (re)loaded. Hidden, the view does
 * nothing: it reloads everything when shown. (Connecting 100 remotes with the view open used
 * to reload all of them on each connect.) */
static void
remote_state_changed_cb (PveRemote    *remote,
                         GParamSpec   *pspec,
                         PveTasksView *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  load_remote (self, remote);
  rebuild (self);
}

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  pve_tasks_view_reload (PVE_TASKS_VIEW (user_data));
  return G_SOURCE_CONTINUE;
}

static void
restart_timer (PveTasksView *self)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && self->refresh_interval > 0)
    self->refresh_id = g_timeout_add_seconds (self->refresh_interval, refresh_timeout_cb, self);
}

GtkWidget *
pve_tasks_view_open_log (PveTasksView *self,
                         guint         position)
{
  g_autoptr(PveTaskObject) object = NULL;
  GtkWidget *window;
  GtkRoot *root;

  g_return_val_if_fail (PVE_IS_TASKS_VIEW (self), NULL);

  object = g_list_model_get_item (G_LIST_MODEL (self->store), position);
  if (object == NULL)
    return NULL;

  window = pve_task_log_window_new (self->manager, object->remote,
                                    *object->task->node ? object->task->node : NULL,
                                    object->task->upid);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
column_view_activate_cb (PveTasksView *self,
                         guint         position)
{
  pve_tasks_view_open_log (self, position);
}

/* ---- columns --------------------------------------------------------------------------- */

typedef enum
{
  COLUMN_START,
  COLUMN_REMOTE,
  COLUMN_NODE,
  COLUMN_TYPE,
  COLUMN_ID,
  COLUMN_USER,
  COLUMN_STATUS,
} Column;

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_label_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  PveTaskObject *object = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *text = NULL;

  switch (GPOINTER_TO_INT (user_data))
    {
    case COLUMN_START:
      text = pve_views_format_time (object->task->starttime);
      break;
    case COLUMN_REMOTE:
      text = g_strdup (pve_remote_get_name (object->remote));
      break;
    case COLUMN_NODE:
      text = g_strdup (object->task->node);
      break;
    case COLUMN_TYPE:
      text = g_strdup (describe_type (object->task->type));
      break;
    case COLUMN_ID:
      text = g_strdup (object->task->id);
      break;
    case COLUMN_USER:
      text = g_strdup (object->task->user);
      break;
    default:
      g_assert_not_reached ();
    }
  gtk_label_set_text (label, text);
  pve_views_set_tooltip (GTK_WIDGET (label), text);
}

static void
setup_status_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_box_append (GTK_BOX (box), spinner);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (item, box);
}

static void
bind_status_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  PveTaskObject *object = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *spinner = gtk_widget_get_first_child (box);
  GtkWidget *icon = gtk_widget_get_next_sibling (spinner);
  GtkWidget *label = gtk_widget_get_next_sibling (icon);
  const char *text = pve_task_object_get_status_text (object);

  gtk_widget_set_visible (spinner, object->task->running);
  gtk_spinner_set_spinning (GTK_SPINNER (spinner), object->task->running);
  gtk_widget_set_visible (icon, !object->task->running);
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), object->task->failed ? "dialog-error-symbolic"
                                                                       : "emblem-ok-symbolic");
  if (object->task->failed)
    gtk_widget_add_css_class (label, "error");
  else
    gtk_widget_remove_css_class (label, "error");
  gtk_label_set_text (GTK_LABEL (label), text);
  pve_views_set_tooltip (label, text);
}

static void
unbind_status_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  GtkWidget *spinner = gtk_widget_get_first_child (gtk_list_item_get_child (item));

  gtk_spinner_set_spinning (GTK_SPINNER (spinner), FALSE);
}

static void
add_column (PveTasksView *self,
            const char   *title,
            Column        column,
            gboolean      expand)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) col = NULL;

  if (column == COLUMN_STATUS)
    {
      g_signal_connect (factory, "setup", G_CALLBACK (setup_status_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_status_cb), NULL);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_status_cb), NULL);
    }
  else
    {
      g_signal_connect (factory, "setup", G_CALLBACK (setup_label_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_label_cb), GINT_TO_POINTER (column));
    }

  col = gtk_column_view_column_new (title, g_object_ref (factory));
  gtk_column_view_column_set_resizable (col, TRUE);
  gtk_column_view_column_set_expand (col, expand);
  gtk_column_view_append_column (self->column_view, col);
}

/* ---- GObject --------------------------------------------------------------------------- */

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  pve_tasks_view_reload (PVE_TASKS_VIEW (widget));
}

static void
pve_tasks_view_map (GtkWidget *widget)
{
  PveTasksView *self = PVE_TASKS_VIEW (widget);

  GTK_WIDGET_CLASS (pve_tasks_view_parent_class)->map (widget);
  pve_tasks_view_reload (self);
  restart_timer (self);
}

static void
pve_tasks_view_unmap (GtkWidget *widget)
{
  PveTasksView *self = PVE_TASKS_VIEW (widget);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  GTK_WIDGET_CLASS (pve_tasks_view_parent_class)->unmap (widget);
}

static void
remotes_changed_cb (PveTasksView *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    pve_tasks_view_reload (self);
  else
    rebuild (self);
}

static void
pve_tasks_view_constructed (GObject *object)
{
  PveTasksView *self = PVE_TASKS_VIEW (object);

  G_OBJECT_CLASS (pve_tasks_view_parent_class)->constructed (object);

  if (self->manager != NULL)
    {
      g_signal_connect_object (pve_remote_manager_get_remotes (self->manager), "items-changed",
                               G_CALLBACK (remotes_changed_cb), self, G_CONNECT_SWAPPED);
      rebuild (self);
    }
}

static void
pve_tasks_view_dispose (GObject *object)
{
  PveTasksView *self = PVE_TASKS_VIEW (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_hash_table_remove_all (self->watched);

  /* AdwBin unparents its child itself: let it, before the template is torn down. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PVE_TYPE_TASKS_VIEW);
  g_clear_object (&self->manager);

  G_OBJECT_CLASS (pve_tasks_view_parent_class)->dispose (object);
}

static void
pve_tasks_view_finalize (GObject *object)
{
  PveTasksView *self = PVE_TASKS_VIEW (object);

  g_clear_pointer (&self->results, g_hash_table_unref);
  g_clear_pointer (&self->errors, g_hash_table_unref);
  g_clear_pointer (&self->watched, g_hash_table_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pve_tasks_view_parent_class)->finalize (object);
}

static void
pve_tasks_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PveTasksView *self = PVE_TASKS_VIEW (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      g_value_set_object (value, self->manager);
      break;
    case PROP_REFRESH_INTERVAL:
      g_value_set_uint (value, self->refresh_interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_tasks_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PveTasksView *self = PVE_TASKS_VIEW (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      self->manager = g_value_dup_object (value);
      break;
    case PROP_REFRESH_INTERVAL:
      pve_tasks_view_set_refresh_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_tasks_view_class_init (PveTasksViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pve_tasks_view_constructed;
  object_class->dispose = pve_tasks_view_dispose;
  object_class->finalize = pve_tasks_view_finalize;
  object_class->get_property = pve_tasks_view_get_property;
  object_class->set_property = pve_tasks_view_set_property;

  widget_class->map = pve_tasks_view_map;
  widget_class->unmap = pve_tasks_view_unmap;

  properties[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL, PVE_TYPE_REMOTE_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REFRESH_INTERVAL] =
    g_param_spec_uint ("refresh-interval", NULL, NULL, 0, 3600, 3,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* See pve_window_class_init(): the template's GTK types not registered before it. */
  g_type_ensure (GTK_TYPE_COLUMN_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/PveRemotes/views/pve-tasks-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PveTasksView, stack);
  gtk_widget_class_bind_template_child (widget_class, PveTasksView, error_label);
  gtk_widget_class_bind_template_child (widget_class, PveTasksView, column_view);
  gtk_widget_class_bind_template_callback (widget_class, column_view_activate_cb);

  gtk_widget_class_install_action (widget_class, "tasks.reload", NULL, reload_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "tasks.reload",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "tasks.reload", NULL);
}

static void
pve_tasks_view_init (PveTasksView *self)
{
  GtkSingleSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->refresh_interval = 3;
  self->results = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  self->errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->watched = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->store = g_list_store_new (PVE_TYPE_TASK_OBJECT);

  selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->store)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  add_column (self, _("Start Time"), COLUMN_START, FALSE);
  add_column (self, _("Remote"), COLUMN_REMOTE, FALSE);
  add_column (self, _("Node"), COLUMN_NODE, FALSE);
  add_column (self, _("Type"), COLUMN_TYPE, FALSE);
  add_column (self, _("Guest or Object"), COLUMN_ID, FALSE);
  add_column (self, _("User"), COLUMN_USER, FALSE);
  add_column (self, _("Status"), COLUMN_STATUS, TRUE);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Tasks"), -1);
}

GtkWidget *
pve_tasks_view_new (PveRemoteManager *manager)
{
  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (manager), NULL);

  return g_object_new (PVE_TYPE_TASKS_VIEW, "manager", manager, NULL);
}

guint
pve_tasks_view_get_refresh_interval (PveTasksView *self)
{
  g_return_val_if_fail (PVE_IS_TASKS_VIEW (self), 0);
  return self->refresh_interval;
}

void
pve_tasks_view_set_refresh_interval (PveTasksView *self,
                                     guint         seconds)
{
  g_return_if_fail (PVE_IS_TASKS_VIEW (self));

  if (self->refresh_interval == seconds)
    return;
  self->refresh_interval = seconds;
  restart_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESH_INTERVAL]);
}

GListModel *
pve_tasks_view_get_model (PveTasksView *self)
{
  g_return_val_if_fail (PVE_IS_TASKS_VIEW (self), NULL);
  return G_LIST_MODEL (self->store);
}

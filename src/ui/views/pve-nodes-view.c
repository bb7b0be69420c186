/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "pve-node-info.h"
#include "pve-nodes-view.h"
#include "pve-views-util.h"

typedef struct
{
  PveRemote *remote;
  GtkWidget *group;   /* AdwPreferencesGroup, owned by groups_box */
  GPtrArray *rows;
} RemoteGroup;

struct _PveNodesView
{
  AdwBin            parent_instance;

  PveRemoteManager *manager;
  guint             refresh_interval;
  guint             refresh_id;
  GCancellable     *cancellable;
  GHashTable       *groups;    /* remote id -> RemoteGroup */
  GHashTable       *watched;   /* PveRemote* set */

  GtkStack         *stack;
  GtkBox           *groups_box;
};

G_DEFINE_FINAL_TYPE (PveNodesView, pve_nodes_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MANAGER,
  PROP_REFRESH_INTERVAL,
  N_PROPS
};

enum {
  NODE_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void sync_groups (PveNodesView *self);

static void
remote_group_free (gpointer data)
{
  RemoteGroup *rg = data;

  g_clear_object (&rg->remote);
  g_clear_pointer (&rg->rows, g_ptr_array_unref);
  g_free (rg);
}

static void
row_activated_cb (AdwActionRow *row,
                  PveNodesView *self)
{
  PveRemote *remote = g_object_get_data (G_OBJECT (row), "pve-remote");
  const char *node = g_object_get_data (G_OBJECT (row), "pve-node");

  if (remote != NULL && node != NULL)
    g_signal_emit (self, signals[NODE_ACTIVATED], 0, remote, node);
}

static void
clear_group_rows (RemoteGroup *rg)
{
  for (guint i = 0; i < rg->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (rg->group),
                                  g_ptr_array_index (rg->rows, i));
  g_ptr_array_set_size (rg->rows, 0);
}

static char *
describe_node (PveNodeEntry *entry)
{
  if (entry->online && entry->has_stats)
    {
      g_autofree char *mem = pve_views_format_usage (entry->mem, entry->maxmem);
      g_autofree char *up = pve_views_format_duration (entry->uptime);

      /* Translators: "Online · CPU 12 % of 8 · Memory 1 GiB of 16 GiB (6 %) · Up 3 days 2 hours" */
      return g_strdup_printf (_("Online · CPU %.0f %% of %d · Memory %s · Up %s"),
                              entry->cpu * 100.0, (int) entry->maxcpu, mem, up);
    }
  if (entry->online)
    return g_strdup (_("Online"));
  if (g_str_equal (entry->status, "offline"))
    return g_strdup (_("Offline"));
  return g_strdup (_("Status unknown"));
}

static void
update_row (GtkWidget    *row,
            PveNodeEntry *entry)
{
  g_autofree char *subtitle = describe_node (entry);
  GtkWidget *icon = g_object_get_data (G_OBJECT (row), "pve-icon");

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), entry->online ? "emblem-ok-symbolic"
                                                                : "network-offline-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  entry->online ? _("Online") : _("Offline"), -1);
}

static gboolean
same_nodes (RemoteGroup *rg,
            GPtrArray   *nodes)
{
  if (rg->rows->len != nodes->len)
    return FALSE;
  for (guint i = 0; i < nodes->len; i++)
    {
      PveNodeEntry *entry = g_ptr_array_index (nodes, i);
      const char *node = g_object_get_data (G_OBJECT (g_ptr_array_index (rg->rows, i)),
                                            "pve-node");

      if (g_strcmp0 (node, entry->node) != 0)
        return FALSE;
    }
  return TRUE;
}

static void
fill_group (PveNodesView *self,
            RemoteGroup  *rg,
            GPtrArray    *nodes)
{
  /* The same nodes as before: update the rows in place so focus and scrolling stay. */
  if (same_nodes (rg, nodes))
    {
      for (guint i = 0; i < nodes->len; i++)
        update_row (g_ptr_array_index (rg->rows, i), g_ptr_array_index (nodes, i));
      return;
    }

  clear_group_rows (rg);

  for (guint i = 0; i < nodes->len; i++)
    {
      PveNodeEntry *entry = g_ptr_array_index (nodes, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon;
      GtkWidget *arrow;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), entry->node);

      icon = gtk_image_new ();
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      g_object_set_data (G_OBJECT (row), "pve-icon", icon);
      arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
      gtk_accessible_update_state (GTK_ACCESSIBLE (arrow), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
      update_row (row, entry);

      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "pve-remote", g_object_ref (rg->remote),
                              g_object_unref);
      g_object_set_data_full (G_OBJECT (row), "pve-node", g_strdup (entry->node), g_free);
      g_signal_connect_object (row, "activated", G_CALLBACK (row_activated_cb), self, 0);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (rg->group), row);
      g_ptr_array_add (rg->rows, row);
    }
}

typedef struct
{
  PveNodesView *self;
  char         *remote_id;
} LoadData;

static void
nodes_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  LoadData *ld = user_data;
  g_autoptr(PveNodesView) self = ld->self;
  g_autofree char *remote_id = ld->remote_id;
  g_autoptr(GPtrArray) nodes = NULL;
  g_autoptr(GError) error = NULL;
  RemoteGroup *rg;

  g_free (ld);
  nodes = pve_node_list_load_finish (result, &error);
  if (nodes == NULL && pve_views_error_is_cancelled (error))
    return;

  rg = g_hash_table_lookup (self->groups, remote_id);
  if (rg == NULL)
    return;

  if (nodes == NULL)
    {
      g_autofree char *text = pve_views_describe_error (error);
      g_autofree char *desc = g_strdup_printf (_("Could not load the nodes: %s"), text);

      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (rg->group), desc);
      return;
    }

  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (rg->group), NULL);
  fill_group (self, rg, nodes);
}

static void
load_group (PveNodesView *self,
            RemoteGroup  *rg)
{
  LoadData *ld = g_new0 (LoadData, 1);

  ld->self = g_object_ref (self);
  ld->remote_id = g_strdup (pve_remote_get_id (rg->remote));
  pve_node_list_load_async (self->manager, rg->remote, self->cancellable, nodes_loaded_cb, ld);
}

void
pve_nodes_view_reload (PveNodesView *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (PVE_IS_NODES_VIEW (self));

  sync_groups (self);
  g_hash_table_iter_init (&iter, self->groups);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    load_group (self, value);
}

/* Hidden, the view does nothing: it syncs and reloads when shown. */
static void
remote_state_changed_cb (PveNodesView *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    sync_groups (self);
}

/* One group per connected remote, in the manager's order. */
static void
sync_groups (PveNodesView *self)
{
  GListModel *remotes;
  GHashTableIter iter;
  gpointer key, value;
  g_autoptr(GHashTable) connected = g_hash_table_new (NULL, NULL);
  guint n;

  if (self->manager == NULL)
    return;
  remotes = pve_remote_manager_get_remotes (self->manager);
  n = g_list_model_get_n_items (remotes);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PveRemote) remote = g_list_model_get_item (remotes, i);

      if (pve_remote_get_connected (remote))
        g_hash_table_add (connected, remote);
    }

  /* Drop groups of remotes that are gone or no longer connected. */
  g_hash_table_iter_init (&iter, self->groups);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      RemoteGroup *rg = value;
      gboolean keep = g_hash_table_contains (connected, rg->remote);

      if (!keep)
        {
          gtk_box_remove (self->groups_box, rg->group);
          g_hash_table_iter_remove (&iter);
        }
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PveRemote) remote = g_list_model_get_item (remotes, i);
      RemoteGroup *rg;

      if (!g_hash_table_contains (self->watched, remote))
        {
          g_hash_table_add (self->watched, g_object_ref (remote));
          g_signal_connect_object (remote, "notify::state", G_CALLBACK (remote_state_changed_cb),
                                   self, G_CONNECT_SWAPPED);
        }

      if (!pve_remote_get_connected (remote)
          || g_hash_table_contains (self->groups, pve_remote_get_id (remote)))
        continue;

      rg = g_new0 (RemoteGroup, 1);
      rg->remote = g_object_ref (remote);
      rg->rows = g_ptr_array_new ();
      rg->group = adw_preferences_group_new ();
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (rg->group),
                                       pve_remote_get_name (remote));
      gtk_box_append (self->groups_box, rg->group);
      g_hash_table_insert (self->groups, g_strdup (pve_remote_get_id (remote)), rg);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        load_group (self, rg);
    }

  gtk_stack_set_visible_child_name (self->stack,
                                    g_hash_table_size (self->groups) > 0 ? "content" : "empty");
}

static void
remotes_changed_cb (PveNodesView *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    sync_groups (self);
}

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  pve_nodes_view_reload (PVE_NODES_VIEW (user_data));
  return G_SOURCE_CONTINUE;
}

static void
restart_timer (PveNodesView *self)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && self->refresh_interval > 0)
    self->refresh_id = g_timeout_add_seconds (self->refresh_interval, refresh_timeout_cb, self);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  pve_nodes_view_reload (PVE_NODES_VIEW (widget));
}

static void
pve_nodes_view_map (GtkWidget *widget)
{
  PveNodesView *self = PVE_NODES_VIEW (widget);

  GTK_WIDGET_CLASS (pve_nodes_view_parent_class)->map (widget);
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  pve_nodes_view_reload (self);
  restart_timer (self);
}

static void
pve_nodes_view_unmap (GtkWidget *widget)
{
  PveNodesView *self = PVE_NODES_VIEW (widget);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  GTK_WIDGET_CLASS (pve_nodes_view_parent_class)->unmap (widget);
}

static void
pve_nodes_view_constructed (GObject *object)
{
  PveNodesView *self = PVE_NODES_VIEW (object);

  G_OBJECT_CLASS (pve_nodes_view_parent_class)->constructed (object);

  if (self->manager != NULL)
    {
      g_signal_connect_object (pve_remote_manager_get_remotes (self->manager), "items-changed",
                               G_CALLBACK (remotes_changed_cb), self, G_CONNECT_SWAPPED);
      sync_groups (self);
    }
}

static void
pve_nodes_view_dispose (GObject *object)
{
  PveNodesView *self = PVE_NODES_VIEW (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_hash_table_remove_all (self->groups);
  g_hash_table_remove_all (self->watched);

  /* AdwBin unparents its child itself: let it, before the template is torn down. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PVE_TYPE_NODES_VIEW);
  g_clear_object (&self->manager);

  G_OBJECT_CLASS (pve_nodes_view_parent_class)->dispose (object);
}

static void
pve_nodes_view_finalize (GObject *object)
{
  PveNodesView *self = PVE_NODES_VIEW (object);

  g_clear_pointer (&self->groups, g_hash_table_unref);
  g_clear_pointer (&self->watched, g_hash_table_unref);

  G_OBJECT_CLASS (pve_nodes_view_parent_class)->finalize (object);
}

static void
pve_nodes_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PveNodesView *self = PVE_NODES_VIEW (object);

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
pve_nodes_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PveNodesView *self = PVE_NODES_VIEW (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      self->manager = g_value_dup_object (value);
      break;
    case PROP_REFRESH_INTERVAL:
      pve_nodes_view_set_refresh_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_nodes_view_class_init (PveNodesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pve_nodes_view_constructed;
  object_class->dispose = pve_nodes_view_dispose;
  object_class->finalize = pve_nodes_view_finalize;
  object_class->get_property = pve_nodes_view_get_property;
  object_class->set_property = pve_nodes_view_set_property;

  widget_class->map = pve_nodes_view_map;
  widget_class->unmap = pve_nodes_view_unmap;

  properties[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL, PVE_TYPE_REMOTE_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REFRESH_INTERVAL] =
    g_param_spec_uint ("refresh-interval", NULL, NULL, 0, 3600, 5,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PveNodesView::node-activated:
   * @remote: the PveRemote
   * @node: the node's name
   */
  signals[NODE_ACTIVATED] =
    g_signal_new ("node-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, PVE_TYPE_REMOTE, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/PveRemotes/views/pve-nodes-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PveNodesView, stack);
  gtk_widget_class_bind_template_child (widget_class, PveNodesView, groups_box);

  gtk_widget_class_install_action (widget_class, "nodes.reload", NULL, reload_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "nodes.reload",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "nodes.reload", NULL);
}

static void
pve_nodes_view_init (PveNodesView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->refresh_interval = 5;
  self->groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, remote_group_free);
  self->watched = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Nodes"), -1);
}

GtkWidget *
pve_nodes_view_new (PveRemoteManager *manager)
{
  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (manager), NULL);

  return g_object_new (PVE_TYPE_NODES_VIEW, "manager", manager, NULL);
}

guint
pve_nodes_view_get_refresh_interval (PveNodesView *self)
{
  g_return_val_if_fail (PVE_IS_NODES_VIEW (self), 0);
  return self->refresh_interval;
}

void
pve_nodes_view_set_refresh_interval (PveNodesView *self,
                                     guint         seconds)
{
  g_return_if_fail (PVE_IS_NODES_VIEW (self));

  if (self->refresh_interval == seconds)
    return;
  self->refresh_interval = seconds;
  restart_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESH_INTERVAL]);
}

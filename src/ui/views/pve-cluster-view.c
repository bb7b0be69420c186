/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "pve-cluster-info.h"
#include "pve-cluster-view.h"
#include "pve-views-util.h"

struct _PveClusterView
{
  AdwBin               parent_instance;

  PveRemoteManager    *manager;
  PveRemote           *remote;      /* the selected one, watched */
  gulong               state_id;
  GCancellable        *cancellable;
  GPtrArray           *node_rows;
  GPtrArray           *user_rows;
  GPtrArray           *acl_rows;

  AdwComboRow         *remote_row;
  GtkStack            *stack;
  AdwStatusPage       *disconnected_page;
  AdwPreferencesGroup *cluster_group;
  AdwActionRow        *name_row;
  AdwActionRow        *quorum_row;
  AdwActionRow        *nodes_row;
  AdwPreferencesGroup *notes_group;
  GtkLabel            *notes_label;
  AdwPreferencesGroup *users_group;
  AdwPreferencesGroup *acl_group;
};

G_DEFINE_FINAL_TYPE (PveClusterView, pve_cluster_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MANAGER,
  PROP_REMOTE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static GtkWidget *
add_row (AdwPreferencesGroup *group,
         GPtrArray           *rows,
         const char          *title,
         const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL && *subtitle != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (rows, row);
  return row;
}

static void
show_group_error (AdwPreferencesGroup *group,
                  const GError        *error)
{
  g_autofree char *text = pve_views_describe_error (error);
  g_autofree char *desc = g_strdup_printf (_("Could not load: %s"), text);

  adw_preferences_group_set_description (group, desc);
}

static void
show_disconnected (PveClusterView *self)
{
  g_autofree char *text = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->remote != NULL)
    /* Translators: %s is the name of a remote */
    text = g_strdup_printf (_("Connect “%s” to see its cluster, users and permissions."),
                            pve_remote_get_name (self->remote));
  else
    text = g_strdup (_("Add and connect a remote to see its cluster."));
  adw_status_page_set_description (self->disconnected_page, text);
  gtk_stack_set_visible_child_name (self->stack, "disconnected");
}

static gboolean
handle_error (PveClusterView      *self,
              AdwPreferencesGroup *group,
              const GError        *error)
{
  if (pve_views_error_is_cancelled (error))
    return TRUE;
  if (pve_views_error_is_disconnected (error))
    {
      show_disconnected (self);
      return TRUE;
    }
  show_group_error (group, error);
  return FALSE;
}

static void
status_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PveClusterView) self = user_data;
  g_autoptr(PveClusterStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *nodes = NULL;

  status = pve_cluster_status_load_finish (result, &error);
  if (status == NULL)
    {
      handle_error (self, self->cluster_group, error);
      return;
    }

  adw_preferences_group_set_description (self->cluster_group, NULL);
  adw_action_row_set_subtitle (self->name_row, status->is_cluster && status->name
                                                 ? status->name : _("Standalone node"));
  adw_action_row_set_subtitle (self->quorum_row, status->quorate ? _("Quorate")
                                                                 : _("Not quorate"));
  /* Translators: "2 of 3" nodes online */
  nodes = g_strdup_printf (_("%u of %u"), status->n_online, status->n_nodes);
  adw_action_row_set_subtitle (self->nodes_row, nodes);

  clear_rows (self->cluster_group, self->node_rows);
  for (guint i = 0; i < status->nodes->len; i++)
    {
      PveClusterNode *node = g_ptr_array_index (status->nodes, i);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;
      GtkWidget *icon;

      subtitle = g_strdup_printf ("%s%s%s", node->online ? _("Online") : _("Offline"),
                                  node->ip ? " · " : "", node->ip ? node->ip : "");
      row = add_row (self->cluster_group, self->node_rows, node->name, subtitle);
      icon = gtk_image_new_from_icon_name (node->online ? "emblem-ok-symbolic"
                                                        : "network-offline-symbolic");
      gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }
  gtk_stack_set_visible_child_name (self->stack, "content");
}

static void
notes_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PveClusterView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *notes = NULL;

  notes = pve_cluster_notes_load_finish (result, &error);
  if (notes == NULL)
    {
      handle_error (self, self->notes_group, error);
      return;
    }
  adw_preferences_group_set_description (self->notes_group, NULL);
  g_strstrip (notes);
  gtk_label_set_text (self->notes_label, *notes != '\0' ? notes : _("No notes"));
}

static void
users_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PveClusterView) self = user_data;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;

  users = pve_user_list_load_finish (result, &error);
  if (users == NULL)
    {
      if (!handle_error (self, self->users_group, error))
        clear_rows (self->users_group, self->user_rows);
      return;
    }
  adw_preferences_group_set_description (self->users_group, NULL);
  clear_rows (self->users_group, self->user_rows);
  for (guint i = 0; i < users->len; i++)
    {
      PveUser *user = g_ptr_array_index (users, i);
      g_autoptr(GString) subtitle = g_string_new (NULL);
      g_autofree char *name = g_strjoin (" ", user->firstname ? user->firstname : "",
                                         user->lastname ? user->lastname : "", NULL);

      g_strstrip (name);
      if (*name != '\0')
        g_string_append (subtitle, name);
      if (user->email != NULL)
        g_string_append_printf (subtitle, "%s%s", subtitle->len ? " · " : "", user->email);
      if (user->groups != NULL)
        g_string_append_printf (subtitle, "%s%s %s", subtitle->len ? " · " : "", _("groups"),
                                user->groups);
      if (!user->enabled)
        g_string_append_printf (subtitle, "%s%s", subtitle->len ? " · " : "", _("disabled"));
      if (user->expire > 0)
        {
          g_autofree char *when = pve_views_format_time (user->expire);

          g_string_append_printf (subtitle, "%s%s %s", subtitle->len ? " · " : "",
                                  _("expires"), when);
        }
      add_row (self->users_group, self->user_rows, user->userid, subtitle->str);
    }
  if (users->len == 0)
    add_row (self->users_group, self->user_rows, _("No users"), NULL);
}

static void
acl_loaded_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PveClusterView) self = user_data;
  g_autoptr(GPtrArray) acl = NULL;
  g_autoptr(GError) error = NULL;

  acl = pve_acl_load_finish (result, &error);
  if (acl == NULL)
    {
      if (!handle_error (self, self->acl_group, error))
        clear_rows (self->acl_group, self->acl_rows);
      return;
    }
  adw_preferences_group_set_description (self->acl_group, NULL);
  clear_rows (self->acl_group, self->acl_rows);
  for (guint i = 0; i < acl->len; i++)
    {
      PveAclEntry *entry = g_ptr_array_index (acl, i);
      g_autofree char *subtitle = NULL;
      const char *kind = g_str_equal (entry->type, "group") ? _("group")
                         : g_str_equal (entry->type, "token") ? _("token") : _("user");

      /* Translators: "PVEAdmin for user alice@pve, inherited below" */
      subtitle = g_strdup_printf (_("%s for %s %s%s"), entry->roleid, kind, entry->ugid,
                                  entry->propagate ? _(", inherited below") : "");
      add_row (self->acl_group, self->acl_rows, entry->path, subtitle);
    }
  if (acl->len == 0)
    add_row (self->acl_group, self->acl_rows, _("No permissions set"), NULL);
}

void
pve_cluster_view_reload (PveClusterView *self)
{
  g_return_if_fail (PVE_IS_CLUSTER_VIEW (self));

  if (self->manager == NULL)
    return;
  if (self->remote == NULL || !pve_remote_get_connected (self->remote))
    {
      show_disconnected (self);
      return;
    }

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  pve_cluster_status_load_async (self->manager, self->remote, self->cancellable,
                                 status_loaded_cb, g_object_ref (self));
  pve_cluster_notes_load_async (self->manager, self->remote, self->cancellable,
                                notes_loaded_cb, g_object_ref (self));
  pve_user_list_load_async (self->manager, self->remote, self->cancellable,
                            users_loaded_cb, g_object_ref (self));
  pve_acl_load_async (self->manager, self->remote, self->cancellable,
                      acl_loaded_cb, g_object_ref (self));
}

static void
remote_state_changed_cb (PveClusterView *self)
{
  if (!pve_remote_get_connected (self->remote))
    show_disconnected (self);
  else if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    pve_cluster_view_reload (self);
}

static void
watch_remote (PveClusterView *self,
              PveRemote      *remote)
{
  if (self->remote == remote)
    return;
  if (self->remote != NULL)
    g_clear_signal_handler (&self->state_id, self->remote);
  g_set_object (&self->remote, remote);
  if (remote != NULL)
    self->state_id = g_signal_connect_object (remote, "notify::state",
                                              G_CALLBACK (remote_state_changed_cb), self,
                                              G_CONNECT_SWAPPED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMOTE]);

  clear_rows (self->cluster_group, self->node_rows);
  clear_rows (self->users_group, self->user_rows);
  clear_rows (self->acl_group, self->acl_rows);
  gtk_label_set_text (self->notes_label, "");
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) || remote == NULL
      || !pve_remote_get_connected (remote))
    pve_cluster_view_reload (self);
}

static void
remote_selected_cb (PveClusterView *self)
{
  watch_remote (self, adw_combo_row_get_selected_item (self->remote_row));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  pve_cluster_view_reload (PVE_CLUSTER_VIEW (widget));
}

static void
pve_cluster_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (pve_cluster_view_parent_class)->map (widget);
  pve_cluster_view_reload (PVE_CLUSTER_VIEW (widget));
}

static void
pve_cluster_view_constructed (GObject *object)
{
  PveClusterView *self = PVE_CLUSTER_VIEW (object);

  G_OBJECT_CLASS (pve_cluster_view_parent_class)->constructed (object);

  if (self->manager != NULL)
    {
      g_autoptr(GtkExpression) expression =
        gtk_property_expression_new (PVE_TYPE_REMOTE, NULL, "name");

      adw_combo_row_set_expression (self->remote_row, expression);
      adw_combo_row_set_model (self->remote_row, pve_remote_manager_get_remotes (self->manager));
      remote_selected_cb (self);
    }
}

static void
pve_cluster_view_dispose (GObject *object)
{
  PveClusterView *self = PVE_CLUSTER_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->remote != NULL)
    g_clear_signal_handler (&self->state_id, self->remote);
  g_clear_object (&self->remote);

  /* AdwBin unparents its child itself: let it, before the template is torn down. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PVE_TYPE_CLUSTER_VIEW);
  g_clear_object (&self->manager);

  G_OBJECT_CLASS (pve_cluster_view_parent_class)->dispose (object);
}

static void
pve_cluster_view_finalize (GObject *object)
{
  PveClusterView *self = PVE_CLUSTER_VIEW (object);

  g_clear_pointer (&self->node_rows, g_ptr_array_unref);
  g_clear_pointer (&self->user_rows, g_ptr_array_unref);
  g_clear_pointer (&self->acl_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (pve_cluster_view_parent_class)->finalize (object);
}

static void
pve_cluster_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PveClusterView *self = PVE_CLUSTER_VIEW (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      g_value_set_object (value, self->manager);
      break;
    case PROP_REMOTE:
      g_value_set_object (value, self->remote);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_cluster_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PveClusterView *self = PVE_CLUSTER_VIEW (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      self->manager = g_value_dup_object (value);
      break;
    case PROP_REMOTE:
      pve_cluster_view_set_remote (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_cluster_view_class_init (PveClusterViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pve_cluster_view_constructed;
  object_class->dispose = pve_cluster_view_dispose;
  object_class->finalize = pve_cluster_view_finalize;
  object_class->get_property = pve_cluster_view_get_property;
  object_class->set_property = pve_cluster_view_set_property;

  widget_class->map = pve_cluster_view_map;

  properties[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL, PVE_TYPE_REMOTE_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REMOTE] =
    g_param_spec_object ("remote", NULL, NULL, PVE_TYPE_REMOTE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/PveRemotes/views/pve-cluster-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PveClusterView, remote_row);
  gtk_widget_class_bind_template_child (widget_class, PveClusterView, stack);
  gtk_widget_class_bind_template_child (widget_class, PveClusterView, disconnected_page);
  gtk_widget_class_bind_template_child (widget_class, PveClusterView, cluster_group);
  gtk_widget_class_bind_template_child (widget_class, PveClusterView, name_row);
  gtk_widget_class_bind_template_child (widget_class, PveClusterView, quorum_row);
  gtk_widget_class_bind_template_child (widget_class, PveClusterView, nodes_row);
  gtk_widget_class_bind_template_child (widget_class, PveClusterView, notes_group);
  gtk_widget_class_bind_template_child (widget_class, PveClusterView, notes_label);
  gtk_widget_class_bind_template_child (widget_class, PveClusterView, users_group);
  gtk_widget_class_bind_template_child (widget_class, PveClusterView, acl_group);
  gtk_widget_class_bind_template_callback (widget_class, remote_selected_cb);

  gtk_widget_class_install_action (widget_class, "cluster.reload", NULL, reload_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "cluster.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "cluster.reload", NULL);
}

static void
pve_cluster_view_init (PveClusterView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->node_rows = g_ptr_array_new ();
  self->user_rows = g_ptr_array_new ();
  self->acl_rows = g_ptr_array_new ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Cluster"), -1);
}

GtkWidget *
pve_cluster_view_new (PveRemoteManager *manager)
{
  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (manager), NULL);

  return g_object_new (PVE_TYPE_CLUSTER_VIEW, "manager", manager, NULL);
}

PveRemote *
pve_cluster_view_get_remote (PveClusterView *self)
{
  g_return_val_if_fail (PVE_IS_CLUSTER_VIEW (self), NULL);
  return self->remote;
}

void
pve_cluster_view_set_remote (PveClusterView *self,
                             PveRemote      *remote)
{
  GListModel *remotes;

  g_return_if_fail (PVE_IS_CLUSTER_VIEW (self));
  g_return_if_fail (remote == NULL || PVE_IS_REMOTE (remote));

  if (self->manager == NULL || remote == NULL)
    return;
  remotes = pve_remote_manager_get_remotes (self->manager);
  for (guint i = 0; i < g_list_model_get_n_items (remotes); i++)
    {
      g_autoptr(PveRemote) item = g_list_model_get_item (remotes, i);

      if (item == remote)
        {
          adw_combo_row_set_selected (self->remote_row, i);
          watch_remote (self, remote);
          return;
        }
    }
}

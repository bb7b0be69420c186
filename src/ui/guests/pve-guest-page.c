/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "pve-console.h"
#include "pve-graph.h"
#include "pve-guest-actions.h"
#include "pve-guest-info.h"
#include "pve-guest-page.h"
#include "pve-guests-util.h"
#include "pve-node-info.h"
#include "pve-views-util.h"

#define NO_VALUE "—"

enum {
  LOADED_STATUS = 1 << 0,
  LOADED_RRD = 1 << 1,
  LOADED_SNAPSHOTS = 1 << 2,
  LOADED_ALL = LOADED_STATUS | LOADED_RRD | LOADED_SNAPSHOTS,
};

struct _PveGuestPage
{
  AdwBin            parent_instance;

  PveGuestList     *list;
  PveGuest         *guest;
  GCancellable     *cancellable;       /* the loads; replaced by each reload */
  GCancellable     *console_cancellable;
  guint             refresh_interval;
  guint             refresh_id;
  guint             loaded;
  PveGuestStatus   *status;
  GHashTable       *values;          /* untranslated title -> GtkLabel */
  GHashTable       *rows;            /* untranslated title -> AdwActionRow */
  GPtrArray        *snapshot_rows;
  GtkWidget        *buttons[6];
  GtkWidget        *console_button;

  GtkImage         *type_icon;
  GtkLabel         *title_label;
  GtkLabel         *status_label;
  GtkLabel         *subtitle_label;
  GtkWidget        *busy_box;
  GtkSpinner       *busy_spinner;
  GtkLabel         *busy_label;
  GtkFlowBox       *actions_box;
  GtkLabel         *error_label;
  AdwPreferencesGroup *status_group;
  AdwPreferencesGroup *config_group;
  AdwPreferencesGroup *snapshots_group;
  GtkToggleButton  *hour_button;
  PveGraph         *cpu_graph;
  PveGraph         *memory_graph;
  PveGraph         *network_graph;
};

G_DEFINE_FINAL_TYPE (PveGuestPage, pve_guest_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_GUEST_LIST,
  PROP_GUEST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static PveRemoteManager *
get_manager (PveGuestPage *self)
{
  return pve_guest_list_get_manager (self->list);
}

static void
add_value_row (PveGuestPage        *self,
               AdwPreferencesGroup *group,
               const char          *key,
               const char          *title)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (NO_VALUE);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (label), 8);
  gtk_widget_add_css_class (label, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_preferences_group_add (group, row);

  g_hash_table_insert (self->values, (gpointer) key, label);
  g_hash_table_insert (self->rows, (gpointer) key, row);
}

static void
set_value (PveGuestPage *self,
           const char   *key,
           const char   *value)
{
  GtkLabel *label = g_hash_table_lookup (self->values, key);

  g_assert (label != NULL);
  gtk_label_set_label (label, value && value[0] ? value : NO_VALUE);
}

static void
set_row_visible (PveGuestPage *self,
                 const char   *key,
                 gboolean      visible)
{
  gtk_widget_set_visible (g_hash_table_lookup (self->rows, key), visible);
}

/* --- Live values from the PveGuest ------------------------------------------------------- */

static void
update_actions (PveGuestPage *self)
{
  gboolean running = g_strcmp0 (pve_guest_get_status (self->guest), "running") == 0;
  PveRemote *remote = pve_guest_get_remote (self->guest);
  gboolean connected = remote && pve_remote_get_state (remote) == PVE_REMOTE_STATE_CONNECTED;

  pve_guest_actions_update (GTK_WIDGET (self), get_manager (self), self->guest, self->buttons);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "guest.console", running && connected);
  gtk_widget_set_tooltip_text (self->console_button,
                               !connected ? _("The remote is not connected")
                               : running ? _("Open the display of the virtual machine in Remote Viewer")
                               : _("The virtual machine is not running"));
}

static void
update_from_guest (PveGuestPage *self)
{
  PveGuest *guest = self->guest;
  const char *status = pve_guest_get_status (guest);
  g_autofree char *subtitle = NULL;
  g_autofree char *cpu = NULL;
  g_autofree char *memory = NULL;
  g_autofree char *uptime = NULL;
  g_autofree char *disk = NULL;
  gboolean busy = pve_guest_get_busy (guest);

  gtk_label_set_label (self->title_label, pve_guest_get_display_name (guest));
  gtk_image_set_from_icon_name (self->type_icon, pve_guest_is_qemu (guest)
                                                   ? "computer-symbolic"
                                                   : "package-x-generic-symbolic");
  /* Translators: "VM 100 on node pve1 of remote lab" */
  subtitle = g_strdup_printf (pve_guest_is_qemu (guest)
                                ? _("VM %d on node %s of remote %s")
                                : _("CT %d on node %s of remote %s"),
                              (int) pve_guest_get_vmid (guest), pve_guest_get_node (guest),
                              pve_guest_get_remote_name (guest));
  if (pve_guest_get_template (guest))
    {
      char *with = g_strdup_printf ("%s · %s", subtitle, _("Template"));
      g_free (subtitle);
      subtitle = with;
    }
  gtk_label_set_label (self->subtitle_label, subtitle);
  gtk_label_set_label (self->status_label, pve_guests_status_label (status));
  pve_guests_set_status_class (GTK_WIDGET (self->status_label), status);

  gtk_widget_set_visible (self->busy_box, busy);
  gtk_spinner_set_spinning (self->busy_spinner, busy);
  gtk_label_set_label (self->busy_label, busy && pve_guest_get_busy_label (guest)
                                           ? pve_guest_get_busy_label (guest) : "");

  cpu = pve_guests_format_cpu (guest);
  if (pve_guest_get_has_stats (guest) && pve_guest_get_maxcpu (guest) > 0 &&
      g_strcmp0 (status, "stopped") != 0)
    {
      /* Translators: "12 % of 4 CPUs" */
      char *of = g_strdup_printf (g_dngettext (NULL, "%s of %d CPU", "%s of %d CPUs",
                                               pve_guest_get_maxcpu (guest)),
                                  cpu, (int) pve_guest_get_maxcpu (guest));
      g_free (cpu);
      cpu = of;
    }
  memory = pve_guests_format_memory (guest);
  uptime = pve_guests_format_uptime (guest);
  if (!pve_guest_get_has_stats (guest))
    disk = g_strdup (NO_VALUE);
  else if (pve_guest_get_disk (guest) > 0 && pve_guest_get_maxdisk (guest) > 0)
    disk = pve_views_format_usage (pve_guest_get_disk (guest), pve_guest_get_maxdisk (guest));
  else if (pve_guest_get_maxdisk (guest) > 0)
    disk = g_format_size (pve_guest_get_maxdisk (guest));

  set_value (self, "State", pve_guests_status_label (status));
  set_value (self, "CPU", cpu);
  set_value (self, "Memory", memory);
  set_value (self, "Disk", disk);
  set_value (self, "Uptime", uptime);
  set_value (self, "Lock", pve_guest_get_lock (guest) ? pve_guest_get_lock (guest) : _("None"));
  {
    g_auto(GStrv) tags = pve_guest_dup_tag_list (guest);
    g_autofree char *joined = g_strjoinv (", ", tags);

    set_value (self, "Tags", joined);
  }
  set_value (self, "Pool", pve_guest_get_pool (guest));

  update_actions (self);
}

/* --- Loaded values ----------------------------------------------------------------------- */

static void
show_error (PveGuestPage *self,
            const GError *error)
{
  g_autofree char *text = NULL;

  if (error == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
      return;
    }

  if (pve_views_error_is_disconnected (error))
    text = g_strdup_printf (_("%s is not connected."), pve_guest_get_remote_name (self->guest));
  else
    text = pve_views_describe_error (error);
  gtk_label_set_label (self->error_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static void
update_config (PveGuestPage *self)
{
  PveGuestStatus *st = self->status;
  gboolean qemu = pve_guest_is_qemu (self->guest);
  g_autofree char *cpus = NULL;
  g_autofree char *maxmem = NULL;
  g_autofree char *maxdisk = NULL;
  const char *ha;

  set_row_visible (self, "QEMU Status", qemu);
  set_row_visible (self, "Guest Agent", qemu);
  set_row_visible (self, "QEMU Version", qemu);
  set_row_visible (self, "Machine Type", qemu);

  if (st == NULL)
    return;

  if (st->cpus > 0)
    cpus = g_strdup_printf ("%d", (int) st->cpus);
  if (st->maxmem > 0)
    maxmem = g_format_size (st->maxmem);
  if (st->maxdisk > 0)
    maxdisk = g_format_size (st->maxdisk);

  set_value (self, "CPUs", cpus);
  set_value (self, "Maximum Memory", maxmem);
  set_value (self, "Maximum Disk", maxdisk);
  set_value (self, "QEMU Status", st->qmpstatus);
  set_value (self, "Guest Agent", !st->has_agent ? NULL : st->agent ? _("Enabled") : _("Disabled"));
  set_value (self, "QEMU Version", st->running_qemu);
  set_value (self, "Machine Type", st->running_machine);

  if (!st->ha_managed)
    ha = _("Not managed");
  else
    ha = st->ha_state ? st->ha_state : _("Managed");
  set_value (self, "HA State", ha);
}

static void
on_status_loaded (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  PveGuestPage *self = user_data;
  g_autoptr(GError) error = NULL;
  PveGuestStatus *status;

  status = pve_guest_status_load_finish (result, &error);
  if (pve_views_error_is_cancelled (error))
    {
      g_object_unref (self);
      return;
    }

  show_error (self, error);
  if (status != NULL)
    {
      g_clear_pointer (&self->status, pve_guest_status_unref);
      self->status = status;
      update_config (self);
    }
  self->loaded |= LOADED_STATUS;
  g_object_unref (self);
}

static PveRrdTimeframe
get_timeframe (PveGuestPage *self)
{
  return gtk_toggle_button_get_active (self->hour_button) ? PVE_RRD_TIMEFRAME_HOUR
                                                          : PVE_RRD_TIMEFRAME_DAY;
}

static void
on_rrd_loaded (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  PveGuestPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PveRrdSeries) series = NULL;

  series = pve_rrd_load_finish (result, &error);
  if (pve_views_error_is_cancelled (error))
    {
      g_object_unref (self);
      return;
    }

  if (series != NULL)
    {
      pve_graph_set_max (self->cpu_graph, 0.0);
      pve_graph_set_series (self->cpu_graph, series, "cpu", _("CPU"), NULL, NULL);
      pve_graph_set_max (self->memory_graph, pve_guest_get_maxmem (self->guest));
      pve_graph_set_series (self->memory_graph, series, "mem", _("Used"), NULL, NULL);
      pve_graph_set_series (self->network_graph, series, "netin", _("In"), "netout", _("Out"));
    }
  self->loaded |= LOADED_RRD;
  g_object_unref (self);
}

static void
clear_snapshots (PveGuestPage *self)
{
  for (guint i = 0; i < self->snapshot_rows->len; i++)
    adw_preferences_group_remove (self->snapshots_group,
                                  g_ptr_array_index (self->snapshot_rows, i));
  g_ptr_array_set_size (self->snapshot_rows, 0);
}

static void
on_snapshots_loaded (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  PveGuestPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) snapshots = NULL;

  snapshots = pve_snapshot_list_load_finish (result, &error);
  if (pve_views_error_is_cancelled (error))
    {
      g_object_unref (self);
      return;
    }

  if (snapshots != NULL)
    {
      clear_snapshots (self);
      for (guint i = 0; i < snapshots->len; i++)
        {
          PveSnapshot *snapshot = g_ptr_array_index (snapshots, i);
          GtkWidget *row = adw_action_row_new ();
          g_autofree char *when = pve_views_format_time (snapshot->snaptime);
          g_autoptr(GString) subtitle = g_string_new (when);

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), snapshot->name);
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          if (snapshot->description != NULL && snapshot->description[0] != '\0')
            {
              if (subtitle->len > 0)
                g_string_append (subtitle, " · ");
              g_string_append (subtitle, g_strstrip (snapshot->description));
            }
          if (snapshot->vmstate)
            {
              if (subtitle->len > 0)
                g_string_append (subtitle, " · ");
              g_string_append (subtitle, _("with RAM"));
            }
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                     gtk_image_new_from_icon_name ("camera-photo-symbolic"));
          if (snapshot->is_current)
            {
              GtkWidget *current = gtk_label_new (_("Current"));

              gtk_widget_add_css_class (current, "pve-tag");
              gtk_widget_add_css_class (current, "caption");
              gtk_widget_set_valign (current, GTK_ALIGN_CENTER);
              adw_action_row_add_suffix (ADW_ACTION_ROW (row), current);
            }
          adw_preferences_group_add (self->snapshots_group, row);
          g_ptr_array_add (self->snapshot_rows, row);
        }

      if (snapshots->len == 0)
        {
          GtkWidget *row = adw_action_row_new ();

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No snapshots"));
          gtk_widget_add_css_class (row, "dim-label");
          adw_preferences_group_add (self->snapshots_group, row);
          g_ptr_array_add (self->snapshot_rows, row);
        }
    }
  self->loaded |= LOADED_SNAPSHOTS;
  g_object_unref (self);
}

static void
load_rrd (PveGuestPage *self)
{
  PveRemote *remote = pve_guest_get_remote (self->guest);

  pve_guest_rrd_load_async (get_manager (self), remote, pve_guest_get_node (self->guest),
                            pve_guest_get_guest_type (self->guest),
                            pve_guest_get_vmid (self->guest), get_timeframe (self),
                            self->cancellable, on_rrd_loaded, g_object_ref (self));
}

void
pve_guest_page_reload (PveGuestPage *self)
{
  PveRemote *remote;
  PveRemoteManager *manager;
  const char *node;
  const char *type;
  gint64 vmid;

  g_return_if_fail (PVE_IS_GUEST_PAGE (self));

  remote = pve_guest_get_remote (self->guest);
  if (remote == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  manager = get_manager (self);
  node = pve_guest_get_node (self->guest);
  type = pve_guest_get_guest_type (self->guest);
  vmid = pve_guest_get_vmid (self->guest);

  pve_guest_status_load_async (manager, remote, node, type, vmid, self->cancellable,
                               on_status_loaded, g_object_ref (self));
  pve_snapshot_list_load_async (manager, remote, node, type, vmid, self->cancellable,
                                on_snapshots_loaded, g_object_ref (self));
  load_rrd (self);
}

static void
on_timeframe_toggled (PveGuestPage    *self,
                      GtkToggleButton *button)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  load_rrd (self);
}

static gboolean
refresh_cb (gpointer user_data)
{
  pve_guest_page_reload (user_data);
  return G_SOURCE_CONTINUE;
}

static void
restart_timer (PveGuestPage *self)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && self->refresh_interval > 0)
    self->refresh_id = g_timeout_add_seconds (self->refresh_interval, refresh_cb, self);
}

static void
pve_guest_page_map (GtkWidget *widget)
{
  PveGuestPage *self = PVE_GUEST_PAGE (widget);

  GTK_WIDGET_CLASS (pve_guest_page_parent_class)->map (widget);

  pve_guest_page_reload (self);
  restart_timer (self);
}

static void
pve_guest_page_unmap (GtkWidget *widget)
{
  PveGuestPage *self = PVE_GUEST_PAGE (widget);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  GTK_WIDGET_CLASS (pve_guest_page_parent_class)->unmap (widget);
}

/* --- Actions ------------------------------------------------------------------------------ */

static void
activate_action (GtkWidget  *widget,
                 const char *action_name)
{
  PveGuestPage *self = PVE_GUEST_PAGE (widget);

  pve_guest_actions_run (widget, get_manager (self), self->list, self->guest,
                         strchr (action_name, '.') + 1);
}

static void
on_console_opened (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PveGuestPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GtkRoot *root;
  GtkWidget *dialog;

  if (pve_console_open_finish (result, &error))
    {
      /* Translators: a notification, %s is the guest's name */
      g_autofree char *title = g_strdup_printf (_("Console of %s opened"),
                                                pve_guest_get_display_name (self->guest));
      pve_guests_add_toast (GTK_WIDGET (self), title);
      return;
    }

  if (pve_views_error_is_cancelled (error))
    return;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (root == NULL || gtk_widget_in_destruction (GTK_WIDGET (root)))
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (root), _("Could Not Open the Console"),
                                   error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

void
pve_guest_page_open_console (PveGuestPage *self)
{
  PveRemote *remote;

  g_return_if_fail (PVE_IS_GUEST_PAGE (self));

  remote = pve_guest_get_remote (self->guest);
  if (remote == NULL || !pve_guest_is_qemu (self->guest))
    return;

  pve_console_open_async (get_manager (self), remote, pve_guest_get_node (self->guest),
                          pve_guest_get_vmid (self->guest), self->console_cancellable,
                          on_console_opened, g_object_ref (self));
}

static void
console_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  pve_guest_page_open_console (PVE_GUEST_PAGE (widget));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  pve_guest_page_reload (PVE_GUEST_PAGE (widget));
}

/* --- Construction ------------------------------------------------------------------------- */

static void
pve_guest_page_constructed (GObject *object)
{
  PveGuestPage *self = PVE_GUEST_PAGE (object);
  PveRemote *remote;
  GSettings *settings = pve_guests_get_settings ();

  G_OBJECT_CLASS (pve_guest_page_parent_class)->constructed (object);

  g_assert (PVE_IS_GUEST_LIST (self->list));
  g_assert (PVE_IS_GUEST (self->guest));

  gtk_widget_set_visible (self->console_button, pve_guest_is_qemu (self->guest));

  g_signal_connect_object (self->guest, "notify", G_CALLBACK (update_from_guest), self,
                           G_CONNECT_SWAPPED);
  remote = pve_guest_get_remote (self->guest);
  if (remote != NULL)
    g_signal_connect_object (remote, "notify::state", G_CALLBACK (update_actions), self,
                             G_CONNECT_SWAPPED);
  if (settings != NULL)
    self->refresh_interval = g_settings_get_uint (settings, "refresh-interval");

  update_from_guest (self);
  update_config (self);
}

static void
pve_guest_page_dispose (GObject *object)
{
  PveGuestPage *self = PVE_GUEST_PAGE (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->console_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), PVE_TYPE_GUEST_PAGE);

  G_OBJECT_CLASS (pve_guest_page_parent_class)->dispose (object);
}

static void
pve_guest_page_finalize (GObject *object)
{
  PveGuestPage *self = PVE_GUEST_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->console_cancellable);
  g_clear_pointer (&self->status, pve_guest_status_unref);
  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->snapshot_rows, g_ptr_array_unref);
  g_clear_object (&self->guest);
  g_clear_object (&self->list);

  G_OBJECT_CLASS (pve_guest_page_parent_class)->finalize (object);
}

static void
pve_guest_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PveGuestPage *self = PVE_GUEST_PAGE (object);

  switch (prop_id)
    {
    case PROP_GUEST_LIST:
      g_value_set_object (value, self->list);
      break;

    case PROP_GUEST:
      g_value_set_object (value, self->guest);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_guest_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PveGuestPage *self = PVE_GUEST_PAGE (object);

  switch (prop_id)
    {
    case PROP_GUEST_LIST:
      self->list = g_value_dup_object (value);
      break;

    case PROP_GUEST:
      self->guest = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_guest_page_class_init (PveGuestPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pve_guest_page_constructed;
  object_class->dispose = pve_guest_page_dispose;
  object_class->finalize = pve_guest_page_finalize;
  object_class->get_property = pve_guest_page_get_property;
  object_class->set_property = pve_guest_page_set_property;
  widget_class->map = pve_guest_page_map;
  widget_class->unmap = pve_guest_page_unmap;

  properties[PROP_GUEST_LIST] =
    g_param_spec_object ("guest-list", NULL, NULL,
                         PVE_TYPE_GUEST_LIST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GUEST] =
    g_param_spec_object ("guest", NULL, NULL,
                         PVE_TYPE_GUEST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PVE_TYPE_GRAPH);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/PveRemotes/guests/pve-guest-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PveGuestPage, type_icon);
  gtk_widget_class_bind_template_child (widget_class, PveGuestPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, PveGuestPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, PveGuestPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, PveGuestPage, busy_box);
  gtk_widget_class_bind_template_child (widget_class, PveGuestPage, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, PveGuestPage, busy_label);
  gtk_widget_class_bind_template_child (widget_class, PveGuestPage, actions_box);
  gtk_widget_class_bind_template_child (widget_class, PveGuestPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, PveGuestPage, status_group);
  gtk_widget_class_bind_template_child (widget_class, PveGuestPage, config_group);
  gtk_widget_class_bind_template_child (widget_class, PveGuestPage, snapshots_group);
  gtk_widget_class_bind_template_child (widget_class, PveGuestPage, hour_button);
  gtk_widget_class_bind_template_child (widget_class, PveGuestPage, cpu_graph);
  gtk_widget_class_bind_template_child (widget_class, PveGuestPage, memory_graph);
  gtk_widget_class_bind_template_child (widget_class, PveGuestPage, network_graph);
  gtk_widget_class_bind_template_callback (widget_class, on_timeframe_toggled);

  pve_guest_actions_install (widget_class, activate_action);
  gtk_widget_class_install_action (widget_class, "guest.console", NULL, console_action);
  gtk_widget_class_install_action (widget_class, "guest.reload", NULL, reload_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "guest.reload", NULL);
}

static void
pve_guest_page_init (PveGuestPage *self)
{
  const PveGuestActionInfo *infos;
  GtkWidget *content;
  guint n;

  self->refresh_interval = 5;
  self->console_cancellable = g_cancellable_new ();
  self->cancellable = g_cancellable_new ();
  self->values = g_hash_table_new (g_str_hash, g_str_equal);
  self->rows = g_hash_table_new (g_str_hash, g_str_equal);
  self->snapshot_rows = g_ptr_array_new ();

  pve_guests_load_css ();
  gtk_widget_init_template (GTK_WIDGET (self));

  infos = pve_guest_actions_get (&n);
  g_assert (n == G_N_ELEMENTS (self->buttons));
  for (guint i = 0; i < n; i++)
    {
      self->buttons[i] = pve_guest_actions_create_button (&infos[i]);
      gtk_flow_box_append (self->actions_box, self->buttons[i]);
    }

  self->console_button = gtk_button_new ();
  content = adw_button_content_new ();
  adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), "utilities-terminal-symbolic");
  adw_button_content_set_label (ADW_BUTTON_CONTENT (content), _("Open Console"));
  gtk_button_set_child (GTK_BUTTON (self->console_button), content);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->console_button), "guest.console");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->console_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Open Console"), -1);
  gtk_widget_add_css_class (self->console_button, "suggested-action");
  gtk_flow_box_append (self->actions_box, self->console_button);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->actions_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);

  add_value_row (self, self->status_group, "State", _("State"));
  add_value_row (self, self->status_group, "CPU", _("CPU"));
  add_value_row (self, self->status_group, "Memory", _("Memory"));
  add_value_row (self, self->status_group, "Disk", _("Disk"));
  add_value_row (self, self->status_group, "Uptime", _("Uptime"));
  add_value_row (self, self->status_group, "HA State", _("HA State"));
  add_value_row (self, self->status_group, "Lock", _("Lock"));

  add_value_row (self, self->config_group, "CPUs", _("CPUs"));
  add_value_row (self, self->config_group, "Maximum Memory", _("Maximum Memory"));
  add_value_row (self, self->config_group, "Maximum Disk", _("Maximum Disk"));
  add_value_row (self, self->config_group, "QEMU Status", _("QEMU Status"));
  add_value_row (self, self->config_group, "Guest Agent", _("Guest Agent"));
  add_value_row (self, self->config_group, "QEMU Version", _("QEMU Version"));
  add_value_row (self, self->config_group, "Machine Type", _("Machine Type"));
  add_value_row (self, self->config_group, "Tags", _("Tags"));
  add_value_row (self, self->config_group, "Pool", _("Pool"));

  pve_graph_set_unit (self->cpu_graph, PVE_GRAPH_UNIT_PERCENT);
  pve_graph_set_unit (self->memory_graph, PVE_GRAPH_UNIT_BYTES);
  pve_graph_set_unit (self->network_graph, PVE_GRAPH_UNIT_BYTES_PER_SECOND);
}

GtkWidget *
pve_guest_page_new (PveGuestList *list,
                    PveGuest     *guest)
{
  g_return_val_if_fail (PVE_IS_GUEST_LIST (list), NULL);
  g_return_val_if_fail (PVE_IS_GUEST (guest), NULL);

  return g_object_new (PVE_TYPE_GUEST_PAGE, "guest-list", list, "guest", guest, NULL);
}

PveGuest *
pve_guest_page_get_guest (PveGuestPage *self)
{
  g_return_val_if_fail (PVE_IS_GUEST_PAGE (self), NULL);
  return self->guest;
}

void
pve_guest_page_set_refresh_interval (PveGuestPage *self,
                                     guint         seconds)
{
  g_return_if_fail (PVE_IS_GUEST_PAGE (self));

  self->refresh_interval = seconds;
  restart_timer (self);
}

gboolean
pve_guest_page_get_loaded (PveGuestPage *self)
{
  g_return_val_if_fail (PVE_IS_GUEST_PAGE (self), FALSE);
  return (self->loaded & LOADED_ALL) == LOADED_ALL;
}

const char *
pve_guest_page_get_value (PveGuestPage *self,
                          const char   *title)
{
  GtkLabel *label;

  g_return_val_if_fail (PVE_IS_GUEST_PAGE (self), NULL);

  label = g_hash_table_lookup (self->values, title);
  return label ? gtk_label_get_label (label) : NULL;
}

GStrv
pve_guest_page_dup_snapshot_names (PveGuestPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (PVE_IS_GUEST_PAGE (self), NULL);

  for (guint i = 0; i < self->snapshot_rows->len; i++)
    g_strv_builder_add (builder,
                        adw_preferences_row_get_title (g_ptr_array_index (self->snapshot_rows, i)));
  return g_strv_builder_end (builder);
}

GtkWidget *
pve_guest_page_get_cpu_graph (PveGuestPage *self)
{
  g_return_val_if_fail (PVE_IS_GUEST_PAGE (self), NULL);
  return GTK_WIDGET (self->cpu_graph);
}

GtkWidget *
pve_guest_page_get_action_button (PveGuestPage *self,
                                  const char   *action)
{
  const PveGuestActionInfo *infos;
  guint n;

  g_return_val_if_fail (PVE_IS_GUEST_PAGE (self), NULL);

  if (g_strcmp0 (action, "console") == 0)
    return self->console_button;
  infos = pve_guest_actions_get (&n);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (infos[i].action, action) == 0)
      return self->buttons[i];
  g_return_val_if_reached (NULL);
}

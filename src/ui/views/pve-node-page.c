/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <inttypes.h>
#include <math.h>

#include <glib/gi18n.h>

#include "pve-graph.h"
#include "pve-node-info.h"
#include "pve-node-page.h"
#include "pve-views-util.h"

#define SYSLOG_PAGE 100
/* Storage, network, subscription and graphs: every this many status refreshes. */
#define SLOW_REFRESH_TICKS 6

struct _PveNodePage
{
  AdwBin              parent_instance;

  PveRemoteManager   *manager;
  PveRemote          *remote;
  char               *node;
  guint               refresh_interval;

  GCancellable       *cancellable;        /* lives as long as the page */
  GCancellable       *refresh_cancellable; /* one refresh cycle */
  GCancellable       *syslog_cancellable;
  guint               refresh_id;
  guint               tick;
  gboolean            have_status;
  PveRrdTimeframe     timeframe;

  GtkStringList      *syslog_lines;
  gint64              syslog_start;   /* offset of the first line shown, -1 = none */
  gint64              syslog_total;
  gboolean            syslog_loaded;
  gboolean            syslog_follow;  /* keep the newest line in view */
  guint               syslog_scroll_id;

  GPtrArray          *storage_rows;
  GPtrArray          *network_rows;

  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *error_page;
  AdwStatusPage       *disconnected_page;
  AdwPreferencesGroup *status_group;
  AdwActionRow        *cpu_row;
  AdwActionRow        *load_row;
  AdwActionRow        *memory_row;
  AdwActionRow        *swap_row;
  AdwActionRow        *rootfs_row;
  AdwActionRow        *uptime_row;
  AdwActionRow        *kernel_row;
  AdwActionRow        *version_row;
  AdwActionRow        *boot_row;
  AdwActionRow        *subscription_row;
  GtkToggleButton     *hour_button;
  GtkToggleButton     *day_button;
  PveGraph            *cpu_graph;
  PveGraph            *memory_graph;
  PveGraph            *network_graph;
  AdwPreferencesGroup *storage_group;
  AdwPreferencesGroup *network_group;
  GtkListView         *syslog_view;
  GtkScrolledWindow   *syslog_scroller;
  GtkLabel            *syslog_status;
};

G_DEFINE_FINAL_TYPE (PveNodePage, pve_node_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MANAGER,
  PROP_REMOTE,
  PROP_NODE,
  PROP_REFRESH_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void refresh (PveNodePage *self, gboolean full);
static void syslog_load_newest (PveNodePage *self);

static gboolean
remote_connected (PveNodePage *self)
{
  return self->remote != NULL && pve_remote_get_connected (self->remote);
}

static void
show_disconnected (PveNodePage *self)
{
  g_autofree char *text = NULL;

  g_cancellable_cancel (self->refresh_cancellable);
  g_clear_object (&self->refresh_cancellable);
  g_cancellable_cancel (self->syslog_cancellable);
  g_clear_object (&self->syslog_cancellable);
  self->have_status = FALSE;
  self->syslog_loaded = FALSE;

  /* Translators: %s is the name of a remote */
  text = g_strdup_printf (_("Connect “%s” to see this node."),
                          self->remote ? pve_remote_get_name (self->remote) : "");
  adw_status_page_set_description (self->disconnected_page, text);
  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "disconnected");
}

static void
show_error (PveNodePage  *self,
            const GError *error)
{
  g_autofree char *text = pve_views_describe_error (error);

  if (pve_views_error_is_disconnected (error))
    {
      show_disconnected (self);
      return;
    }

  if (self->have_status)
    {
      /* Keep what we have; say the last update failed. */
      g_autofree char *desc = g_strdup_printf (_("Could not update: %s"), text);

      adw_preferences_group_set_description (self->status_group, desc);
      return;
    }

  adw_status_page_set_description (self->error_page, text);
  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
set_row (AdwActionRow *row,
         const char   *text)
{
  adw_action_row_set_subtitle (row, text != NULL && *text != '\0' ? text : _("Unknown"));
}

/* ---- status ---------------------------------------------------------------------------- */

static void
status_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PveNodePage) self = user_data;
  g_autoptr(PveNodeStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cpu = NULL;
  g_autofree char *load = NULL;
  g_autofree char *mem = NULL;
  g_autofree char *swap = NULL;
  g_autofree char *rootfs = NULL;
  g_autofree char *uptime = NULL;
  g_autofree char *boot = NULL;

  status = pve_node_status_load_finish (result, &error);
  if (status == NULL)
    {
      if (!pve_views_error_is_cancelled (error))
        show_error (self, error);
      return;
    }

  if (status->cpu_model != NULL && status->mhz > 0)
    /* Translators: "12 % of 4 CPUs (Intel(R) N100, 2896 MHz)" */
    cpu = g_strdup_printf (_("%.0f %% of %d CPUs (%s, %.0f MHz)"), status->cpu * 100.0,
                           (int) status->cpus, status->cpu_model, status->mhz);
  else
    cpu = g_strdup_printf (_("%.0f %% of %d CPUs"), status->cpu * 100.0, (int) status->cpus);
  set_row (self->cpu_row, cpu);

  if (status->has_loadavg)
    load = g_strdup_printf ("%.2f, %.2f, %.2f", status->loadavg[0], status->loadavg[1],
                            status->loadavg[2]);
  set_row (self->load_row, load);

  mem = pve_views_format_usage (status->memory_used, status->memory_total);
  set_row (self->memory_row, mem);
  swap = status->swap_total > 0 ? pve_views_format_usage (status->swap_used, status->swap_total)
                                : g_strdup (_("None"));
  set_row (self->swap_row, swap);
  rootfs = pve_views_format_usage (status->rootfs_used, status->rootfs_total);
  set_row (self->rootfs_row, rootfs);
  uptime = pve_views_format_duration (status->uptime);
  set_row (self->uptime_row, uptime);
  set_row (self->kernel_row, status->kversion);
  set_row (self->version_row, status->pve_version ? status->pve_version : status->pveversion);

  if (status->boot_mode != NULL)
    boot = g_strdup_printf ("%s%s", g_str_equal (status->boot_mode, "efi") ? "EFI"
                                    : g_str_equal (status->boot_mode, "legacy-bios")
                                      ? _("Legacy BIOS") : status->boot_mode,
                            status->secureboot ? _(" (Secure Boot)") : "");
  set_row (self->boot_row, boot);

  adw_preferences_group_set_description (self->status_group, NULL);
  self->have_status = TRUE;
  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "content");

  if (!self->syslog_loaded)
    syslog_load_newest (self);
}

static void
subscription_loaded_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(PveNodePage) self = user_data;
  g_autoptr(PveSubscription) sub = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  sub = pve_subscription_load_finish (result, &error);
  if (sub == NULL)
    {
      if (!pve_views_error_is_cancelled (error))
        {
          text = pve_views_describe_error (error);
          set_row (self->subscription_row, text);
        }
      return;
    }
  set_row (self->subscription_row, sub->summary);
}

/* ---- storage and network ----------------------------------------------------------------- */

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
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (rows, row);
  return row;
}

static void
add_error_row (AdwPreferencesGroup *group,
               GPtrArray           *rows,
               const GError        *error)
{
  g_autofree char *text = pve_views_describe_error (error);

  add_row (group, rows, _("Could not load"), text);
}

static void
storage_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PveNodePage) self = user_data;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  list = pve_storage_list_load_finish (result, &error);
  if (list == NULL && pve_views_error_is_cancelled (error))
    return;

  clear_rows (self->storage_group, self->storage_rows);
  if (list == NULL)
    {
      add_error_row (self->storage_group, self->storage_rows, error);
      return;
    }
  if (list->len == 0)
    add_row (self->storage_group, self->storage_rows, _("No storage"), NULL);

  for (guint i = 0; i < list->len; i++)
    {
      PveStorageInfo *info = g_ptr_array_index (list, i);
      g_autofree char *usage = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row;
      GtkWidget *bar;

      if (!info->active)
        usage = g_strdup (_("Not active"));
      else
        usage = pve_views_format_usage (info->used, info->total);
      subtitle = g_strdup_printf ("%s%s%s · %s", info->type ? info->type : "",
                                  info->shared ? " · " : "", info->shared ? _("shared") : "",
                                  usage);
      row = add_row (self->storage_group, self->storage_rows, info->storage, subtitle);

      bar = gtk_level_bar_new_for_interval (0.0, 1.0);
      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), info->used_fraction);
      gtk_widget_set_size_request (bar, 120, -1);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (bar),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, info->storage, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), bar);
    }
}

static void
network_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PveNodePage) self = user_data;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  list = pve_network_list_load_finish (result, &error);
  if (list == NULL && pve_views_error_is_cancelled (error))
    return;

  clear_rows (self->network_group, self->network_rows);
  if (list == NULL)
    {
      add_error_row (self->network_group, self->network_rows, error);
      return;
    }
  if (list->len == 0)
    add_row (self->network_group, self->network_rows, _("No interfaces"), NULL);

  for (guint i = 0; i < list->len; i++)
    {
      PveNetworkInterface *iface = g_ptr_array_index (list, i);
      g_autoptr(GString) subtitle = g_string_new (iface->type ? iface->type : "");

      g_string_append_printf (subtitle, " · %s", iface->active ? _("active") : _("inactive"));
      if (iface->cidr != NULL)
        g_string_append_printf (subtitle, " · %s", iface->cidr);
      else if (iface->address != NULL)
        g_string_append_printf (subtitle, " · %s", iface->address);
      if (iface->cidr6 != NULL)
        g_string_append_printf (subtitle, " · %s", iface->cidr6);
      if (iface->gateway != NULL)
        g_string_append_printf (subtitle, " · %s %s", _("gateway"), iface->gateway);
      if (iface->bridge_ports != NULL && *iface->bridge_ports != '\0')
        g_string_append_printf (subtitle, " · %s %s", _("ports"), iface->bridge_ports);
      if (iface->slaves != NULL && *iface->slaves != '\0')
        g_string_append_printf (subtitle, " · %s %s", _("slaves"), iface->slaves);
      if (iface->comments != NULL && *iface->comments != '\0')
        g_string_append_printf (subtitle, " · %s", iface->comments);

      add_row (self->network_group, self->network_rows, iface->iface, subtitle->str);
    }
}

/* ---- graphs ---------------------------------------------------------------------------- */

static void
rrd_loaded_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PveNodePage) self = user_data;
  g_autoptr(PveRrdSeries) series = NULL;
  g_autoptr(GError) error = NULL;
  const double *total;
  double max_mem = 0.0;

  series = pve_rrd_load_finish (result, &error);
  if (series == NULL)
    {
      if (!pve_views_error_is_cancelled (error))
        {
          pve_graph_set_series (self->cpu_graph, NULL, NULL, NULL, NULL, NULL);
          pve_graph_set_series (self->memory_graph, NULL, NULL, NULL, NULL, NULL);
          pve_graph_set_series (self->network_graph, NULL, NULL, NULL, NULL, NULL);
        }
      return;
    }

  total = pve_rrd_series_get_values (series, "memtotal");
  for (guint i = 0; total != NULL && i < pve_rrd_series_get_n_points (series); i++)
    if (!isnan (total[i]))
      max_mem = MAX (max_mem, total[i]);

  /* Scaled to the data, as Proxmox's own graphs are: a few percent would be a flat line. */
  pve_graph_set_max (self->cpu_graph, 0.0);
  pve_graph_set_series (self->cpu_graph, series, "cpu", _("CPU"), "iowait", _("IO delay"));
  pve_graph_set_max (self->memory_graph, max_mem);
  pve_graph_set_series (self->memory_graph, series, "memused", _("Used"), NULL, NULL);
  pve_graph_set_series (self->network_graph, series, "netin", _("In"), "netout", _("Out"));
}

static void
load_rrd (PveNodePage *self)
{
  if (self->refresh_cancellable == NULL)
    return;
  pve_node_rrd_load_async (self->manager, self->remote, self->node, self->timeframe,
                           self->refresh_cancellable, rrd_loaded_cb, g_object_ref (self));
}

static void
timeframe_toggled_cb (PveNodePage     *self,
                      GtkToggleButton *button)
{
  PveRrdTimeframe timeframe;

  if (!gtk_toggle_button_get_active (button))
    return;
  timeframe = button == self->day_button ? PVE_RRD_TIMEFRAME_DAY : PVE_RRD_TIMEFRAME_HOUR;
  if (timeframe == self->timeframe)
    return;
  self->timeframe = timeframe;
  load_rrd (self);
}

/* ---- syslog ---------------------------------------------------------------------------- */

static void
update_syslog_status (PveNodePage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->syslog_lines));
  g_autofree char *text = NULL;

  if (n == 0 || self->syslog_start < 0)
    text = g_strdup (_("No log lines"));
  else if (self->syslog_total >= 0)
    /* Translators: "Lines 101–200 of 5400" */
    text = g_strdup_printf (_("Lines %" PRId64 "–%" PRId64 " of %" PRId64),
                            self->syslog_start + 1, self->syslog_start + n, self->syslog_total);
  else
    text = g_strdup_printf (_("Lines %" PRId64 "–%" PRId64),
                            self->syslog_start + 1, self->syslog_start + n);
  gtk_label_set_text (self->syslog_status, text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "node.syslog-older",
                                 self->syslog_start > 0 && remote_connected (self));
}

static gboolean
syslog_scroll_idle_cb (gpointer user_data)
{
  PveNodePage *self = user_data;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->syslog_lines));

  self->syslog_scroll_id = 0;
  if (self->syslog_follow && n > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->syslog_view), "list.scroll-to-item", "u",
                                n - 1);
  return G_SOURCE_REMOVE;
}

/* The list view learns its height only as rows are measured (during allocation, when it
 * cannot scroll yet): follow it to the end once it is done. */
static void
syslog_adjustment_changed_cb (PveNodePage   *self,
                              GtkAdjustment *adj)
{
  if (self->syslog_follow && self->syslog_scroll_id == 0)
    self->syslog_scroll_id = g_idle_add (syslog_scroll_idle_cb, self);
}

static void
splice_lines (PveNodePage *self,
              guint        position,
              guint        n_removals,
              GPtrArray   *lines)
{
  g_autofree const char **strv = g_new0 (const char *, lines->len + 1);

  for (guint i = 0; i < lines->len; i++)
    strv[i] = g_ptr_array_index (lines, i);
  gtk_string_list_splice (self->syslog_lines, position, n_removals, strv);
}

typedef struct
{
  PveNodePage *self;
  gint64       start;
  gboolean     prepend;
  gboolean     probe;   /* first request: learn the total, then fetch the last page */
} SyslogRequest;

static void syslog_request (PveNodePage *self, gint64 start, gint64 limit, gboolean prepend,
                            gboolean probe);

static void
syslog_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SyslogRequest *req = user_data;
  g_autoptr(PveNodePage) self = req->self;
  g_autoptr(PveLogPage) page = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = req->start;
  gboolean prepend = req->prepend;
  gboolean probe = req->probe;

  g_free (req);

  page = pve_syslog_load_finish (result, &error);
  if (page == NULL)
    {
      g_autofree char *text = NULL;

      if (pve_views_error_is_cancelled (error))
        return;
      text = pve_views_describe_error (error);
      gtk_label_set_text (self->syslog_status, text);
      return;
    }

  self->syslog_total = page->total;
  self->syslog_loaded = TRUE;

  if (probe && page->total > SYSLOG_PAGE)
    {
      syslog_request (self, page->total - SYSLOG_PAGE, SYSLOG_PAGE, FALSE, FALSE);
      return;
    }

  if (prepend)
    splice_lines (self, 0, 0, page->lines);
  else
    splice_lines (self, 0, g_list_model_get_n_items (G_LIST_MODEL (self->syslog_lines)),
                  page->lines);
  self->syslog_start = start;
  update_syslog_status (self);

  /* Newest at the bottom, in view; older pages keep the reader where they were. */
  self->syslog_follow = !prepend;
  syslog_adjustment_changed_cb (self, gtk_scrolled_window_get_vadjustment (self->syslog_scroller));
}

static void
syslog_request (PveNodePage *self,
                gint64       start,
                gint64       limit,
                gboolean     prepend,
                gboolean     probe)
{
  SyslogRequest *req;

  if (!remote_connected (self))
    return;

  g_cancellable_cancel (self->syslog_cancellable);
  g_clear_object (&self->syslog_cancellable);
  self->syslog_cancellable = g_cancellable_new ();

  req = g_new0 (SyslogRequest, 1);
  req->self = g_object_ref (self);
  req->start = start;
  req->prepend = prepend;
  req->probe = probe;
  gtk_label_set_text (self->syslog_status, _("Loading…"));
  pve_syslog_load_async (self->manager, self->remote, self->node, start, limit,
                         self->syslog_cancellable, syslog_loaded_cb, req);
}

static void
syslog_load_newest (PveNodePage *self)
{
  syslog_request (self, 0, SYSLOG_PAGE, FALSE, TRUE);
}

static void
syslog_newest_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  syslog_load_newest (PVE_NODE_PAGE (widget));
}

static void
syslog_older_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PveNodePage *self = PVE_NODE_PAGE (widget);
  gint64 start;

  if (self->syslog_start <= 0)
    return;
  start = MAX (self->syslog_start - SYSLOG_PAGE, 0);
  syslog_request (self, start, self->syslog_start - start, TRUE, FALSE);
}

static void
setup_line_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_end (label, 6);
  gtk_list_item_set_child (item, label);
}

static void
bind_line_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkStringObject *line = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      gtk_string_object_get_string (line));
}

/* ---- refresh --------------------------------------------------------------------------- */

static void
refresh (PveNodePage *self,
         gboolean     full)
{
  if (self->manager == NULL || self->remote == NULL || self->node == NULL)
    return;

  if (!remote_connected (self))
    {
      show_disconnected (self);
      return;
    }

  g_cancellable_cancel (self->refresh_cancellable);
  g_clear_object (&self->refresh_cancellable);
  self->refresh_cancellable = g_cancellable_new ();

  /* A failed page stays up while it retries, instead of flickering to the spinner. */
  if (!self->have_status
      && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "error") != 0)
    {
      gtk_spinner_start (self->spinner);
      gtk_stack_set_visible_child_name (self->stack, "loading");
    }

  pve_node_status_load_async (self->manager, self->remote, self->node, self->refresh_cancellable,
                              status_loaded_cb, g_object_ref (self));

  /* Status every tick; what changes slowly (and rows the keyboard may be on) less often. */
  if (full)
    self->tick = 1;
  else if (self->tick++ % SLOW_REFRESH_TICKS != 0)
    return;

  pve_subscription_load_async (self->manager, self->remote, self->node,
                               self->refresh_cancellable, subscription_loaded_cb,
                               g_object_ref (self));
  pve_storage_list_load_async (self->manager, self->remote, self->node,
                               self->refresh_cancellable, storage_loaded_cb, g_object_ref (self));
  pve_network_list_load_async (self->manager, self->remote, self->node,
                               self->refresh_cancellable, network_loaded_cb, g_object_ref (self));
  load_rrd (self);
}

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  refresh (PVE_NODE_PAGE (user_data), FALSE);
  return G_SOURCE_CONTINUE;
}

static void
restart_timer (PveNodePage *self)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && self->refresh_interval > 0)
    self->refresh_id = g_timeout_add_seconds (self->refresh_interval, refresh_timeout_cb, self);
}

void
pve_node_page_reload (PveNodePage *self)
{
  g_return_if_fail (PVE_IS_NODE_PAGE (self));

  refresh (self, TRUE);
  if (self->have_status || remote_connected (self))
    syslog_load_newest (self);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  pve_node_page_reload (PVE_NODE_PAGE (widget));
}

static void
remote_state_changed_cb (PveNodePage *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      if (!remote_connected (self))
        show_disconnected (self);
      return;
    }
  if (remote_connected (self))
    {
      if (!self->have_status)
        refresh (self, TRUE);
    }
  else
    show_disconnected (self);
}

static void
pve_node_page_map (GtkWidget *widget)
{
  PveNodePage *self = PVE_NODE_PAGE (widget);

  GTK_WIDGET_CLASS (pve_node_page_parent_class)->map (widget);
  refresh (self, TRUE);
  restart_timer (self);
}

static void
pve_node_page_unmap (GtkWidget *widget)
{
  PveNodePage *self = PVE_NODE_PAGE (widget);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_cancellable_cancel (self->refresh_cancellable);
  g_clear_object (&self->refresh_cancellable);

  GTK_WIDGET_CLASS (pve_node_page_parent_class)->unmap (widget);
}

static void
pve_node_page_constructed (GObject *object)
{
  PveNodePage *self = PVE_NODE_PAGE (object);
  g_autofree char *label = NULL;

  G_OBJECT_CLASS (pve_node_page_parent_class)->constructed (object);

  if (self->remote != NULL)
    g_signal_connect_object (self->remote, "notify::state",
                             G_CALLBACK (remote_state_changed_cb), self, G_CONNECT_SWAPPED);

  /* Translators: accessible name of the page, "Node pve1" */
  label = g_strdup_printf (_("Node %s"), self->node ? self->node : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);

  if (!remote_connected (self))
    show_disconnected (self);
}

static void
pve_node_page_dispose (GObject *object)
{
  PveNodePage *self = PVE_NODE_PAGE (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->syslog_scroll_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->refresh_cancellable);
  g_cancellable_cancel (self->syslog_cancellable);
  g_clear_object (&self->refresh_cancellable);
  g_clear_object (&self->syslog_cancellable);

  /* AdwBin unparents its child itself: let it, before the template is torn down. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PVE_TYPE_NODE_PAGE);

  g_clear_object (&self->manager);
  g_clear_object (&self->remote);

  G_OBJECT_CLASS (pve_node_page_parent_class)->dispose (object);
}

static void
pve_node_page_finalize (GObject *object)
{
  PveNodePage *self = PVE_NODE_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->syslog_lines);
  g_clear_pointer (&self->storage_rows, g_ptr_array_unref);
  g_clear_pointer (&self->network_rows, g_ptr_array_unref);
  g_clear_pointer (&self->node, g_free);

  G_OBJECT_CLASS (pve_node_page_parent_class)->finalize (object);
}

static void
pve_node_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PveNodePage *self = PVE_NODE_PAGE (object);

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
    case PROP_REFRESH_INTERVAL:
      g_value_set_uint (value, self->refresh_interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_node_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  PveNodePage *self = PVE_NODE_PAGE (object);

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
    case PROP_REFRESH_INTERVAL:
      pve_node_page_set_refresh_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_node_page_class_init (PveNodePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pve_node_page_constructed;
  object_class->dispose = pve_node_page_dispose;
  object_class->finalize = pve_node_page_finalize;
  object_class->get_property = pve_node_page_get_property;
  object_class->set_property = pve_node_page_set_property;

  widget_class->map = pve_node_page_map;
  widget_class->unmap = pve_node_page_unmap;

  properties[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL, PVE_TYPE_REMOTE_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REMOTE] =
    g_param_spec_object ("remote", NULL, NULL, PVE_TYPE_REMOTE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NODE] =
    g_param_spec_string ("node", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REFRESH_INTERVAL] =
    g_param_spec_uint ("refresh-interval", NULL, NULL, 0, 3600, 5,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PVE_TYPE_GRAPH);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/PveRemotes/views/pve-node-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PveNodePage, stack);
  gtk_widget_class_bind_template_child (widget_class, PveNodePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, PveNodePage, error_page);
  gtk_widget_class_bind_template_child (widget_class, PveNodePage, disconnected_page);
  gtk_widget_class_bind_template_child (widget_class, PveNodePage, status_group);
  gtk_widget_class_bind_template_child (widget_class, PveNodePage, cpu_row);
  gtk_widget_class_bind_template_child (widget_class, PveNodePage, load_row);
  gtk_widget_class_bind_template_child (widget_class, PveNodePage, memory_row);
  gtk_widget_class_bind_template_child (widget_class, PveNodePage, swap_row);
  gtk_widget_class_bind_template_child (widget_class, PveNodePage, rootfs_row);
  gtk_widget_class_bind_template_child (widget_class, PveNodePage, uptime_row);
  gtk_widget_class_bind_template_child (widget_class, PveNodePage, kernel_row);
  gtk_widget_class_bind_template_child (widget_class, PveNodePage, version_row);
  gtk_widget_class_bind_template_child (widget_class, PveNodePage, boot_row);
  gtk_widget_class_bind_template_child (widget_class, PveNodePage, subscription_row);
  gtk_widget_class_bind_template_child (widget_class, PveNodePage, hour_button);
  gtk_widget_class_bind_template_child (widget_class, PveNodePage, day_button);
  gtk_widget_class_bind_template_child (widget_class, PveNodePage, cpu_graph);
  gtk_widget_class_bind_template_child (widget_class, PveNodePage, memory_graph);
  gtk_widget_class_bind_template_child (widget_class, PveNodePage, network_graph);
  gtk_widget_class_bind_template_child (widget_class, PveNodePage, storage_group);
  gtk_widget_class_bind_template_child (widget_class, PveNodePage, network_group);
  gtk_widget_class_bind_template_child (widget_class, PveNodePage, syslog_view);
  gtk_widget_class_bind_template_child (widget_class, PveNodePage, syslog_scroller);
  gtk_widget_class_bind_template_child (widget_class, PveNodePage, syslog_status);
  gtk_widget_class_bind_template_callback (widget_class, timeframe_toggled_cb);

  gtk_widget_class_install_action (widget_class, "node.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "node.syslog-older", NULL, syslog_older_action);
  gtk_widget_class_install_action (widget_class, "node.syslog-newest", NULL,
                                   syslog_newest_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "node.reload",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "node.reload", NULL);
}

static void
pve_node_page_init (PveNodePage *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  GtkNoSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->refresh_interval = 5;
  self->timeframe = PVE_RRD_TIMEFRAME_HOUR;
  self->syslog_lines = gtk_string_list_new (NULL);
  self->syslog_start = -1;
  self->syslog_total = -1;
  self->storage_rows = g_ptr_array_new ();
  self->network_rows = g_ptr_array_new ();

  pve_graph_set_unit (self->cpu_graph, PVE_GRAPH_UNIT_PERCENT);
  pve_graph_set_unit (self->memory_graph, PVE_GRAPH_UNIT_BYTES);
  pve_graph_set_unit (self->network_graph, PVE_GRAPH_UNIT_BYTES_PER_SECOND);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_line_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_line_cb), NULL);
  gtk_list_view_set_factory (self->syslog_view, factory);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->syslog_lines)));
  gtk_list_view_set_model (self->syslog_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "node.syslog-older", FALSE);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->syslog_scroller), "changed",
                           G_CALLBACK (syslog_adjustment_changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
pve_node_page_new (PveRemoteManager *manager,
                   PveRemote        *remote,
                   const char       *node)
{
  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (manager), NULL);
  g_return_val_if_fail (PVE_IS_REMOTE (remote), NULL);
  g_return_val_if_fail (node != NULL, NULL);

  return g_object_new (PVE_TYPE_NODE_PAGE,
                       "manager", manager,
                       "remote", remote,
                       "node", node,
                       NULL);
}

PveRemoteManager *
pve_node_page_get_manager (PveNodePage *self)
{
  g_return_val_if_fail (PVE_IS_NODE_PAGE (self), NULL);
  return self->manager;
}

PveRemote *
pve_node_page_get_remote (PveNodePage *self)
{
  g_return_val_if_fail (PVE_IS_NODE_PAGE (self), NULL);
  return self->remote;
}

const char *
pve_node_page_get_node (PveNodePage *self)
{
  g_return_val_if_fail (PVE_IS_NODE_PAGE (self), NULL);
  return self->node;
}

guint
pve_node_page_get_refresh_interval (PveNodePage *self)
{
  g_return_val_if_fail (PVE_IS_NODE_PAGE (self), 0);
  return self->refresh_interval;
}

void
pve_node_page_set_refresh_interval (PveNodePage *self,
                                    guint        seconds)
{
  g_return_if_fail (PVE_IS_NODE_PAGE (self));

  if (self->refresh_interval == seconds)
    return;
  self->refresh_interval = seconds;
  restart_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESH_INTERVAL]);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "pve-backend.h"
#include "pve-cluster-view.h"
#include "pve-guest-page.h"
#include "pve-guests-view.h"
#include "pve-node-page.h"
#include "pve-nodes-view.h"
#include "pve-remote-row.h"
#include "pve-tasks-view.h"
#include "pve-tls-database.h"
#include "pve-views-util.h"
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
set_title_widget (PveWindow *self,
                  GtkWidget *widget)
{
  if (adw_header_bar_get_title_widget (self->content_header) != widget)
    adw_header_bar_set_title_widget (self->content_header, widget);
}

static gboolean
showing_detail (PveWindow *self)
{
  return adw_bin_get_child (self->detail_bin) != NULL;
}

static void
drop_detail (PveWindow *self)
{
  gtk_widget_set_visible (self->detail_back_button, FALSE);
  if (showing_detail (self))
    adw_bin_set_child (self->detail_bin, NULL);
}

static void update_paused (PveWindow *self);
static void ensure_views  (PveWindow *self);
static void after_first_frame (GdkFrameClock *clock,
                               PveWindow     *self);

/* The pages that say there is nothing to show are built when first shown: most starts never
 * show them (tests/bench, startup). */
#define REMOTE_PAGE_ICON_SIZE 128
#define ROW_ICON_SIZE         12

static void
show_page (PveWindow  *self,
           const char *name)
{
  if (gtk_stack_get_child_by_name (self->content_stack, name) == NULL)
    {
      GtkWidget *page = adw_status_page_new ();

      adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), "network-server-symbolic");
      if (g_str_equal (name, "empty"))
        {
          GtkWidget *add = gtk_button_new_with_label (_("Add Remote"));

          adw_status_page_set_title (ADW_STATUS_PAGE (page), _("No Remotes"));
          adw_status_page_set_description (ADW_STATUS_PAGE (page),
                                           _("Add a Proxmox VE host or cluster to manage it "
                                             "from here."));
          gtk_widget_set_halign (add, GTK_ALIGN_CENTER);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (add), "win.add-remote");
          gtk_widget_add_css_class (add, "pill");
          gtk_widget_add_css_class (add, "suggested-action");
          adw_status_page_set_child (ADW_STATUS_PAGE (page), add);
        }
      else
        {
          g_assert (g_str_equal (name, "none"));
          adw_status_page_set_title (ADW_STATUS_PAGE (page), _("No Remote Selected"));
          adw_status_page_set_description (ADW_STATUS_PAGE (page),
                                           _("Select a remote in the list."));
        }
      gtk_stack_add_named (self->content_stack, page, name);
    }
  gtk_stack_set_visible_child_name (self->content_stack, name);
}

/* The remote page's icon, rendered on a worker thread (pve_views_lookup_icon()). */
static void
show_page_icon (PveWindow  *self,
                const char *name)
{
  g_autoptr(GtkIconPaintable) icon = pve_views_lookup_icon (GTK_WIDGET (self), name,
                                                            REMOTE_PAGE_ICON_SIZE);

  if (gtk_image_get_paintable (self->remote_icon) != GDK_PAINTABLE (icon))
    gtk_image_set_from_paintable (self->remote_icon, GDK_PAINTABLE (icon));
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
      drop_detail (self);
      set_title_widget (self, GTK_WIDGET (self->content_title));
      if (pve_remote_manager_get_loading (self->manager))
        {
          /* Not read yet: neither "No Remotes" (which may be wrong a moment later) nor
           * anything that the first frame would build for nothing. */
          gtk_stack_set_visible_child_name (self->content_stack, "loading");
          gtk_stack_set_visible_child_name (self->sidebar_stack, "list");
        }
      else
        {
          show_page (self, "empty");
          gtk_stack_set_visible_child_name (self->sidebar_stack, "empty");
          /* In a narrow window, show the page with the big "Add Remote" button. */
          adw_leaflet_set_visible_child (self->leaflet, self->content);
        }
      adw_window_title_set_title (self->content_title, "");
      adw_window_title_set_subtitle (self->content_title, "");
      return;
    }

  gtk_stack_set_visible_child_name (self->sidebar_stack, "list");

  if (self->selected == NULL)
    {
      drop_detail (self);
      set_title_widget (self, GTK_WIDGET (self->content_title));
      show_page (self, "none");
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

  if (state == PVE_REMOTE_STATE_CONNECTED)
    {
      /* Connected: the views, or the guest or node shown from them. */
      ensure_views (self);
      pve_cluster_view_set_remote (PVE_CLUSTER_VIEW (self->cluster_view), self->selected);
      adw_view_switcher_title_set_title (self->switcher_title, name);
      adw_view_switcher_title_set_subtitle (self->switcher_title, host);
      if (showing_detail (self))
        {
          set_title_widget (self, GTK_WIDGET (self->content_title));
          gtk_stack_set_visible_child_name (self->content_stack, "detail");
        }
      else
        {
          set_title_widget (self, GTK_WIDGET (self->switcher_title));
          gtk_stack_set_visible_child_name (self->content_stack, "connected");
        }
    }
  else
    {
      drop_detail (self);
      set_title_widget (self, GTK_WIDGET (self->content_title));
    }

  if (state != PVE_REMOTE_STATE_CONNECTED || !showing_detail (self))
    {
      adw_window_title_set_title (self->content_title, name);
      adw_window_title_set_subtitle (self->content_title, pve_remote_state_to_label (state));
    }
  gtk_label_set_label (self->remote_title, name);
  gtk_label_set_label (self->remote_description, description);
  show_page_icon (self, state == PVE_REMOTE_STATE_CONNECTED
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

  if (state != PVE_REMOTE_STATE_CONNECTED)
    gtk_stack_set_visible_child_name (self->content_stack, "remote");
}

void
_pve_window_push_detail (PveWindow  *self,
                         GtkWidget  *widget,
                         const char *title,
                         const char *subtitle)
{
  adw_bin_set_child (self->detail_bin, widget);
  adw_window_title_set_title (self->content_title, title);
  adw_window_title_set_subtitle (self->content_title, subtitle ? subtitle : "");
  set_title_widget (self, GTK_WIDGET (self->content_title));
  gtk_widget_set_visible (self->detail_back_button, TRUE);
  gtk_stack_set_visible_child_name (self->content_stack, "detail");
  gtk_widget_grab_focus (widget);
}

void
_pve_window_pop_detail (PveWindow *self)
{
  GtkWidget *child = adw_bin_get_child (self->detail_bin);
  PveGuest *guest = NULL;

  if (child == NULL)
    return;

  if (PVE_IS_GUEST_PAGE (child))
    guest = g_object_ref (pve_guest_page_get_guest (PVE_GUEST_PAGE (child)));

  drop_detail (self);
  update_content (self);

  /* Back where the user came from: the guest's row. */
  if (guest != NULL)
    {
      pve_guests_view_select (PVE_GUESTS_VIEW (self->guests_view), guest);
      gtk_widget_grab_focus (GTK_WIDGET (pve_guests_view_get_column_view (PVE_GUESTS_VIEW (self->guests_view))));
      g_object_unref (guest);
    }
}

static void
on_guest_activated (PveWindow *self,
                    PveGuest  *guest)
{
  GtkWidget *page = pve_guest_page_new (self->guest_list, guest);
  g_autofree char *subtitle = NULL;

  /* Translators: the guest page's subtitle, "VM 100 on lab" */
  subtitle = g_strdup_printf (pve_guest_is_qemu (guest) ? _("VM %d on %s") : _("CT %d on %s"),
                              (int) pve_guest_get_vmid (guest), pve_guest_get_remote_name (guest));
  _pve_window_push_detail (self, page, pve_guest_get_display_name (guest), subtitle);
}

static void
on_node_activated (PveWindow  *self,
                   PveRemote  *remote,
                   const char *node)
{
  GtkWidget *page = pve_node_page_new (self->manager, remote, node);

  if (self->settings != NULL)
    g_settings_bind (self->settings, "refresh-interval", page, "refresh-interval",
                     G_SETTINGS_BIND_GET);
  _pve_window_push_detail (self, page, node, pve_remote_get_name (remote));
}

static void
on_guests_changed (PveWindow *self,
                   guint      position,
                   guint      removed,
                   guint      added)
{
  GtkWidget *child = adw_bin_get_child (self->detail_bin);
  PveGuest *guest;

  if (removed == 0 || child == NULL || !PVE_IS_GUEST_PAGE (child))
    return;

  /* The guest is gone (deleted, or its remote disconnected): back to the list. */
  guest = pve_guest_page_get_guest (PVE_GUEST_PAGE (child));
  if (pve_guest_list_lookup (self->guest_list, pve_guest_get_key (guest)) != guest)
    {
      drop_detail (self);
      update_content (self);
    }
}

static void
update_paused (PveWindow *self)
{
  gboolean minimized = FALSE;

  if (self->guest_list == NULL)
    return;

  if (self->surface != NULL && GDK_IS_TOPLEVEL (self->surface))
    minimized = (gdk_toplevel_get_state (GDK_TOPLEVEL (self->surface)) &
                 GDK_TOPLEVEL_STATE_MINIMIZED) != 0;

  /* Nobody looks, or nothing to look at: no timer (the list refreshes at once when it is
   * unpaused). */
  pve_guest_list_set_paused (self->guest_list,
                             !gtk_widget_get_mapped (GTK_WIDGET (self)) || minimized ||
                             !pve_remote_manager_any_connected (self->manager));
}

static void
on_realize (PveWindow *self)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (self));

  if (self->cluster_view == NULL)
    g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                             G_CALLBACK (after_first_frame), self, 0);

  if (surface == self->surface)
    return;
  if (self->surface != NULL)
    g_signal_handlers_disconnect_by_func (self->surface, update_paused, self);
  g_set_object (&self->surface, surface);
  if (surface != NULL)
    g_signal_connect_object (surface, "notify::state", G_CALLBACK (update_paused), self,
                             G_CONNECT_SWAPPED);
  update_paused (self);
}

static void
on_unrealize (PveWindow *self)
{
  if (self->surface != NULL)
    g_signal_handlers_disconnect_by_func (self->surface, update_paused, self);
  g_clear_object (&self->surface);
}

static void
add_view (PveWindow  *self,
          GtkWidget  *view,
          const char *name,
          const char *title,
          const char *icon_name)
{
  AdwViewStackPage *page = adw_view_stack_add_titled (self->view_stack, view, name, title);

  adw_view_stack_page_set_icon_name (page, icon_name);
}

/* The views of a connected remote are not built with the window: they are half of its widgets,
 * and the first frame must come as fast as a bare window's (tests/bench, startup). They are
 * built one per idle after that frame, before anyone can connect (a view each, so no frame
 * waits long), or at once when one is needed earlier. */
static gboolean
build_next_view (PveWindow *self)
{
  if (self->guests_view == NULL)
    {
      self->guests_view = pve_guests_view_new (self->guest_list);
      g_signal_connect_object (self->guests_view, "guest-activated",
                               G_CALLBACK (on_guest_activated), self, G_CONNECT_SWAPPED);
      add_view (self, self->guests_view, "guests", _("Guests"), "computer-symbolic");
      adw_view_stack_set_visible_child_name (self->view_stack, "guests");
    }
  else if (self->nodes_view == NULL)
    {
      self->nodes_view = pve_nodes_view_new (self->manager);
      if (self->settings != NULL)
        g_settings_bind (self->settings, "refresh-interval", self->nodes_view,
                         "refresh-interval", G_SETTINGS_BIND_GET);
      g_signal_connect_object (self->nodes_view, "node-activated",
                               G_CALLBACK (on_node_activated), self, G_CONNECT_SWAPPED);
      add_view (self, self->nodes_view, "nodes", _("Nodes"), "network-server-symbolic");
    }
  else if (self->tasks_view == NULL)
    {
      self->tasks_view = pve_tasks_view_new (self->manager);
      if (self->settings != NULL)
        g_settings_bind (self->settings, "refresh-interval", self->tasks_view,
                         "refresh-interval", G_SETTINGS_BIND_GET);
      add_view (self, self->tasks_view, "tasks", _("Tasks"), "view-list-symbolic");
    }
  else if (self->cluster_view == NULL)
    {
      self->cluster_view = pve_cluster_view_new (self->manager);
      add_view (self, self->cluster_view, "cluster", _("Cluster"), "network-workgroup-symbolic");
    }

  return self->cluster_view == NULL;
}

static void preload_icons (PveWindow *self);

static void
ensure_views (PveWindow *self)
{
  while (build_next_view (self))
    ;
  g_clear_handle_id (&self->views_idle, g_source_remove);
  preload_icons (self);
}

/* Icons the first frame does not show but a Connect soon does: the states of a remote in its
 * row (12 px) and on its page (128 px), the views' switcher and the guests' states (16 px),
 * and the spinners and arrows that CSS draws. GTK renders an icon's SVG in the frame that
 * first draws it, 1-4 ms each on the main thread, and a Connect All shows a dozen of them in
 * its first frames (tests/bench, connect-all stall). They are rendered here once instead, one
 * per idle after the views are built, and kept: the theme caches an icon while it is held.
 * Looked up as what draws them does, since the flags are part of the cache's key: a GtkImage's
 * icon as a GThemedIcon in the widget's direction, a CSS one by name, without
 * GTK_ICON_LOOKUP_PRELOAD (drawn here), and the rows' and the remote page's as they do
 * (pve_views_lookup_icon(), rendered on a worker thread). */
typedef enum
{
  ICON_IMAGE,
  ICON_CSS,
  ICON_PRELOADED,
} IconUse;

static const struct
{
  const char *name;
  int         size;
  IconUse     use;
} later_icons[] = {
  { "content-loading-symbolic", REMOTE_PAGE_ICON_SIZE, ICON_PRELOADED },
  { "process-working-symbolic", 16, ICON_CSS },
  { "network-transmit-receive-symbolic", ROW_ICON_SIZE, ICON_PRELOADED },
  { "network-server-symbolic", REMOTE_PAGE_ICON_SIZE, ICON_PRELOADED },
  { "process-working-symbolic", 32, ICON_CSS },
  { "computer-symbolic", 16, ICON_IMAGE },
  { "network-server-symbolic", 16, ICON_IMAGE },
  { "view-list-symbolic", 16, ICON_IMAGE },
  { "network-workgroup-symbolic", 16, ICON_IMAGE },
  { "media-playback-start-symbolic", 16, ICON_IMAGE },
  { "media-playback-stop-symbolic", 16, ICON_IMAGE },
  { "pan-down-symbolic", 16, ICON_CSS },
  { "pan-up-symbolic", 16, ICON_CSS },
  { "dialog-error-symbolic", ROW_ICON_SIZE, ICON_PRELOADED },
  { "dialog-error-symbolic", REMOTE_PAGE_ICON_SIZE, ICON_PRELOADED },
  { "security-low-symbolic", ROW_ICON_SIZE, ICON_PRELOADED },
  { "security-low-symbolic", REMOTE_PAGE_ICON_SIZE, ICON_PRELOADED },
  { "dialog-password-symbolic", ROW_ICON_SIZE, ICON_PRELOADED },
  { "dialog-password-symbolic", REMOTE_PAGE_ICON_SIZE, ICON_PRELOADED },
};

static gboolean
preload_icon_idle (gpointer user_data)
{
  PveWindow *self = user_data;
  GtkWidget *widget = GTK_WIDGET (self);
  guint i = self->preloaded_icons->len;
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));
  GtkIconPaintable *icon = NULL;

  switch (later_icons[i].use)
    {
    case ICON_PRELOADED:
      icon = pve_views_lookup_icon (widget, later_icons[i].name, later_icons[i].size);
      break;

    case ICON_CSS:
      icon = gtk_icon_theme_lookup_icon (theme, later_icons[i].name, NULL, later_icons[i].size,
                                         gtk_widget_get_scale_factor (widget), GTK_TEXT_DIR_NONE,
                                         0);
      break;

    case ICON_IMAGE:
    default:
      {
        /* A GThemedIcon, as GtkImage's: it adds the name without "-symbolic" as a fallback,
         * and the fallbacks are part of the cache's key. */
        g_autoptr(GIcon) gicon = g_themed_icon_new (later_icons[i].name);

        icon = gtk_icon_theme_lookup_by_gicon (theme, gicon, later_icons[i].size,
                                               gtk_widget_get_scale_factor (widget),
                                               gtk_widget_get_direction (widget), 0);
      }
      break;
    }

  if (later_icons[i].use != ICON_PRELOADED)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;

      gdk_paintable_snapshot (GDK_PAINTABLE (icon), snapshot,
                              later_icons[i].size, later_icons[i].size);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_ptr_array_add (self->preloaded_icons, icon);

  if (self->preloaded_icons->len < G_N_ELEMENTS (later_icons))
    return G_SOURCE_CONTINUE;
  self->icons_idle = 0;
  return G_SOURCE_REMOVE;
}

/* The icons of the first frame: a disconnected remote's (every remote is, when the app
 * starts), in its row and on its page. */
typedef struct
{
  GtkIconTheme     *theme;
  int               scale;
  GtkTextDirection  direction;
} FirstIcons;

static void
first_icons_free (FirstIcons *first)
{
  g_object_unref (first->theme);
  g_free (first);
}

static void
look_up_first_icons (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  FirstIcons *first = task_data;
  const char *name = pve_remote_state_to_icon_name (PVE_REMOTE_STATE_DISCONNECTED);
  GPtrArray *icons = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (icons, pve_views_lookup_theme_icon (first->theme, name, REMOTE_PAGE_ICON_SIZE,
                                                       first->scale, first->direction));
  g_ptr_array_add (icons, pve_views_lookup_theme_icon (first->theme, name, ROW_ICON_SIZE,
                                                       first->scale, first->direction));
  g_task_return_pointer (task, icons, (GDestroyNotify) g_ptr_array_unref);
}

void
_pve_window_preload_first_icons (GdkDisplay          *display,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, callback, user_data);
  g_autoptr(GdkMonitor) monitor = g_list_model_get_item (gdk_display_get_monitors (display), 0);
  FirstIcons *first = g_new0 (FirstIcons, 1);

  /* As the window will look them up: the theme's cache keys them by size, scale and
   * direction. */
  first->theme = g_object_ref (gtk_icon_theme_get_for_display (display));
  first->scale = monitor != NULL ? gdk_monitor_get_scale_factor (monitor) : 1;
  first->direction = gtk_widget_get_default_direction ();
  g_task_set_source_tag (task, _pve_window_preload_first_icons);
  g_task_set_task_data (task, first, (GDestroyNotify) first_icons_free);
  g_task_run_in_thread (task, look_up_first_icons);
}

GPtrArray *
_pve_window_preload_first_icons_finish (GAsyncResult *result)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), NULL);
}

static void
preload_icons (PveWindow *self)
{
  if (self->preloaded_icons != NULL)
    return;

  self->preloaded_icons = g_ptr_array_new_with_free_func (g_object_unref);
  self->icons_idle = g_idle_add_full (G_PRIORITY_LOW, preload_icon_idle, self, NULL);
}

/* The page of a connected remote is first shown in a frame that is busy already (during a
 * Connect All, the answers of other remotes come in with it). Measured once while idle, at the
 * size it will have, its widgets get their styles and lay out their texts here, and that frame
 * finds the sizes cached (tests/bench, connect-all stall: the longest main-thread tick went
 * from 15 to 11.5 ms). */
static void
measure_connected_page (PveWindow *self)
{
  GtkWidget *page = gtk_stack_get_child_by_name (self->content_stack, "connected");
  int width = gtk_widget_get_width (GTK_WIDGET (self->content_stack));
  int height = gtk_widget_get_height (GTK_WIDGET (self->content_stack));
  int min, nat;

  gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  gtk_widget_measure (page, GTK_ORIENTATION_VERTICAL, -1, &min, &nat, NULL, NULL);
  if (width > 0 && height > 0)
    {
      gtk_widget_measure (page, GTK_ORIENTATION_VERTICAL, width, &min, &nat, NULL, NULL);
      gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, height, &min, &nat, NULL, NULL);
    }
  gtk_widget_measure (GTK_WIDGET (self->switcher_title), GTK_ORIENTATION_HORIZONTAL, -1,
                      &min, &nat, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (self->switcher_title), GTK_ORIENTATION_VERTICAL, -1,
                      &min, &nat, NULL, NULL);
}

static gboolean
build_views_idle (gpointer user_data)
{
  PveWindow *self = user_data;

  if (build_next_view (self))
    return G_SOURCE_CONTINUE;

  self->views_idle = 0;
  measure_connected_page (self);
  preload_icons (self);
  return G_SOURCE_REMOVE;
}

static void
after_first_frame (GdkFrameClock *clock,
                   PveWindow     *self)
{
  g_signal_handlers_disconnect_by_func (clock, after_first_frame, self);
  /* Loads the TLS module and the system CAs in a thread: ready before the first Connect
   * click, and not competing with the first frame for the CPU. */
  pve_tls_database_preload ();
  /* libsoup and libsecret, loaded in a thread too: before the first Connect or password. */
  pve_backend_preload ();
  if (self->cluster_view == NULL && self->views_idle == 0)
    self->views_idle = g_idle_add_full (G_PRIORITY_LOW, build_views_idle, self, NULL);
}

static void
create_guest_list (PveWindow *self)
{
  self->guest_list = pve_guest_list_new (self->manager);
  if (self->settings != NULL)
    g_settings_bind (self->settings, "refresh-interval", self->guest_list, "refresh-interval",
                     G_SETTINGS_BIND_GET);
  pve_guest_list_set_paused (self->guest_list, TRUE);
  g_signal_connect_object (self->guest_list, "items-changed",
                           G_CALLBACK (on_guests_changed), self, G_CONNECT_SWAPPED);

  g_signal_connect_swapped (self, "map", G_CALLBACK (update_paused), self);
  g_signal_connect_swapped (self, "unmap", G_CALLBACK (update_paused), self);
  g_signal_connect_swapped (self, "realize", G_CALLBACK (on_realize), self);
  g_signal_connect_swapped (self, "unrealize", G_CALLBACK (on_unrealize), self);
  if (gtk_widget_get_realized (GTK_WIDGET (self)))
    on_realize (self);
}

static void
set_selected (PveWindow *self,
              PveRemote *remote)
{
  if (self->selected == remote)
    return;

  g_set_object (&self->selected, remote);
  g_signal_group_set_target (self->selected_signals, remote);
  drop_detail (self);

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "selected-remote",
                           remote ? pve_remote_get_id (remote) : "");

  update_content (self);
}

static void
on_selection_changed (PveWindow *self)
{
  PveRemote *remote = gtk_single_selection_get_selected_item (self->remotes_selection);

  /* Rows of a model that is being emptied are unselected too: keep the setting then. */
  if (remote == NULL)
    {
      g_clear_object (&self->selected);
      g_signal_group_set_target (self->selected_signals, NULL);
      update_content (self);
      return;
    }

  set_selected (self, remote);
}

static void
on_row_activated (PveWindow *self,
                  guint      position)
{
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* A click on a row (not on its buttons, which take the click for themselves) shows the
 * remote, as Enter does: in a narrow window that means going to the content page. */
static void
on_row_clicked (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                PveWindow       *self)
{
  if (n_press == 1)
    on_row_activated (self, GTK_INVALID_LIST_POSITION);
}

static void
on_back_clicked (PveWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

#define LAST_STATE_KEY "pve-window-last-state"
/* A sidebar row is three lines of text and its padding: about 60 pixels. */
#define SIDEBAR_ROW_HEIGHT 60

static void
on_remote_state (PveWindow  *self,
                 GParamSpec *pspec,
                 PveRemote  *remote)
{
  PveRemoteState last = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (remote), LAST_STATE_KEY));
  PveRemoteState state = pve_remote_get_state (remote);

  g_object_set_data (G_OBJECT (remote), LAST_STATE_KEY, GINT_TO_POINTER (state));
  update_paused (self);

  /* Losing a live session is news even when that remote's row is out of sight. */
  if (last == PVE_REMOTE_STATE_CONNECTED && state == PVE_REMOTE_STATE_FAILED)
    {
      /* Translators: a notification, %s is the remote's name */
      g_autofree char *title = g_strdup_printf (_("Connection to %s lost"),
                                                pve_remote_get_name (remote));
      pve_window_add_toast (self, title);
    }
}

/* The sidebar builds rows only for the remotes in sight (a list view): one row widget is
 * bound to one remote after another as the list scrolls. */
static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           PveWindow                *self)
{
  GtkWidget *row = pve_remote_row_new (self->manager, NULL);
  GtkGesture *click = gtk_gesture_click_new ();

  g_signal_connect_object (click, "released", G_CALLBACK (on_row_clicked), self, 0);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (click));
  gtk_list_item_set_child (item, row);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          PveWindow                *self)
{
  pve_remote_row_set_remote (PVE_REMOTE_ROW (gtk_list_item_get_child (item)),
                             gtk_list_item_get_item (item));
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            PveWindow                *self)
{
  pve_remote_row_set_remote (PVE_REMOTE_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
watch_remote (PveWindow *self,
              PveRemote *remote)
{
  g_object_set_data (G_OBJECT (remote), LAST_STATE_KEY,
                     GINT_TO_POINTER (pve_remote_get_state (remote)));
  g_signal_handlers_disconnect_by_func (remote, on_remote_state, self);
  g_signal_connect_object (remote, "notify::state", G_CALLBACK (on_remote_state), self,
                           G_CONNECT_SWAPPED);
}

static guint
find_position (PveWindow *self,
               PveRemote *remote)
{
  GListModel *remotes = pve_remote_manager_get_remotes (self->manager);
  guint n = g_list_model_get_n_items (remotes);

  for (guint i = 0; remote != NULL && i < n; i++)
    {
      g_autoptr(PveRemote) item = g_list_model_get_item (remotes, i);

      if (item == remote)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static void
select_position (PveWindow *self,
                 guint      position)
{
  if (position != GTK_INVALID_LIST_POSITION &&
      position >= g_list_model_get_n_items (G_LIST_MODEL (self->remotes_shown)))
    pve_views_progressive_model_complete (self->remotes_shown);
  gtk_single_selection_set_selected (self->remotes_selection, position);
  if (position != GTK_INVALID_LIST_POSITION)
    gtk_widget_activate_action (GTK_WIDGET (self->remotes_list), "list.scroll-to-item", "u",
                                position);
}

static void
on_remotes_changed (PveWindow  *self,
                    guint       position,
                    guint       removed,
                    guint       added,
                    GListModel *model)
{
  guint selected = GTK_INVALID_LIST_POSITION;

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(PveRemote) remote = g_list_model_get_item (model, i);

      watch_remote (self, remote);
    }

  if (self->selected != NULL)
    selected = find_position (self, self->selected);

  if (selected == GTK_INVALID_LIST_POSITION)
    {
      g_autofree char *wanted = NULL;

      if (self->settings != NULL)
        wanted = g_settings_get_string (self->settings, "selected-remote");
      if (wanted != NULL && wanted[0] != '\0')
        selected = find_position (self, _pve_window_lookup_remote (self, wanted));
      if (selected == GTK_INVALID_LIST_POSITION && g_list_model_get_n_items (model) > 0)
        selected = 0;
    }

  if (selected != GTK_INVALID_LIST_POSITION &&
      gtk_single_selection_get_selected (self->remotes_selection) != selected)
    select_position (self, selected);
  else if (selected != GTK_INVALID_LIST_POSITION)
    on_selection_changed (self);
  else if (selected == GTK_INVALID_LIST_POSITION)
    {
      g_clear_object (&self->selected);
      g_signal_group_set_target (self->selected_signals, NULL);
    }

  update_content (self);
  update_paused (self);
}

/* The banner saying that no keyring can be reached is built the first time it has something
 * to say: a GtkInfoBar made with the window cost 4 ms of its first frame (tests/bench,
 * startup). Hidden while there is nothing to say, so that layouts never measure it. */
void
_pve_window_set_keyring_missing (PveWindow *self,
                                 gboolean   missing)
{
  if (missing && gtk_revealer_get_child (self->keyring_revealer) == NULL)
    {
      GtkWidget *bar = gtk_info_bar_new ();
      GtkWidget *label = gtk_label_new (_("No keyring can be reached. Passwords are asked for "
                                          "each session and are not saved."));

      gtk_info_bar_set_message_type (GTK_INFO_BAR (bar), GTK_MESSAGE_WARNING);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_info_bar_add_child (GTK_INFO_BAR (bar), label);
      gtk_revealer_set_child (self->keyring_revealer, bar);
    }
  if (missing)
    gtk_widget_set_visible (GTK_WIDGET (self->keyring_revealer), TRUE);
  gtk_revealer_set_reveal_child (self->keyring_revealer, missing);
}

static void
update_keyring (PveWindow *self)
{
  _pve_window_set_keyring_missing (self,
                                   !pve_remote_manager_get_keyring_available (self->manager));
}

static void
on_keyring_revealed (PveWindow *self)
{
  if (!gtk_revealer_get_child_revealed (self->keyring_revealer) &&
      !gtk_revealer_get_reveal_child (self->keyring_revealer))
    gtk_widget_set_visible (GTK_WIDGET (self->keyring_revealer), FALSE);
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
  guint position;

  g_return_if_fail (PVE_IS_WINDOW (self));
  g_return_if_fail (!remote || PVE_IS_REMOTE (remote));

  if (remote == NULL)
    {
      gtk_single_selection_set_selected (self->remotes_selection, GTK_INVALID_LIST_POSITION);
      return;
    }

  position = find_position (self, remote);
  if (position != GTK_INVALID_LIST_POSITION)
    select_position (self, position);
}

PveGuestList *
pve_window_get_guest_list (PveWindow *self)
{
  g_return_val_if_fail (PVE_IS_WINDOW (self), NULL);
  return self->guest_list;
}

GtkWidget *
pve_window_get_view (PveWindow  *self,
                     const char *name)
{
  g_return_val_if_fail (PVE_IS_WINDOW (self), NULL);

  ensure_views (self);
  if (g_strcmp0 (name, "guests") == 0)
    return self->guests_view;
  if (g_strcmp0 (name, "nodes") == 0)
    return self->nodes_view;
  if (g_strcmp0 (name, "tasks") == 0)
    return self->tasks_view;
  if (g_strcmp0 (name, "cluster") == 0)
    return self->cluster_view;
  return NULL;
}

void
pve_window_show_view (PveWindow  *self,
                      const char *name)
{
  g_return_if_fail (PVE_IS_WINDOW (self));
  g_return_if_fail (pve_window_get_view (self, name) != NULL);

  _pve_window_pop_detail (self);
  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

GtkWidget *
pve_window_get_detail (PveWindow *self)
{
  g_return_val_if_fail (PVE_IS_WINDOW (self), NULL);
  return adw_bin_get_child (self->detail_bin);
}

const char *
pve_window_get_content_page (PveWindow *self)
{
  g_return_val_if_fail (PVE_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->content_stack);
}

PveRemoteManager *
pve_window_get_manager (PveWindow *self)
{
  g_return_val_if_fail (PVE_IS_WINDOW (self), NULL);

  return self->manager;
}

static GMenuModel *
get_primary_menu (PveWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return app ? G_MENU_MODEL (gtk_application_get_menu_by_id (app, "primary_menu")) : NULL;
}

/* The main menu's popover is built when first opened, not with the window (tests/bench,
 * startup). */
static void
create_primary_menu (GtkMenuButton *button,
                     gpointer       user_data)
{
  PveWindow *self = PVE_WINDOW (user_data);

  if (gtk_menu_button_get_menu_model (button) == NULL)
    gtk_menu_button_set_menu_model (button, get_primary_menu (self));
}

static void
update_primary_menu (PveWindow *self)
{
  gtk_menu_button_set_menu_model (self->primary_menu_button, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->primary_menu_button),
                          get_primary_menu (self) != NULL);
}

void
_pve_window_refresh (PveWindow *self)
{
  GtkWidget *detail = adw_bin_get_child (self->detail_bin);
  const char *view;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "detail") == 0 &&
      detail != NULL)
    {
      if (PVE_IS_GUEST_PAGE (detail))
        pve_guest_page_reload (PVE_GUEST_PAGE (detail));
      else if (PVE_IS_NODE_PAGE (detail))
        pve_node_page_reload (PVE_NODE_PAGE (detail));
      return;
    }

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "connected") != 0)
    return;

  view = adw_view_stack_get_visible_child_name (self->view_stack);
  if (g_strcmp0 (view, "guests") == 0)
    pve_guest_list_refresh_now (self->guest_list);
  else if (g_strcmp0 (view, "nodes") == 0)
    pve_nodes_view_reload (PVE_NODES_VIEW (self->nodes_view));
  else if (g_strcmp0 (view, "tasks") == 0)
    pve_tasks_view_reload (PVE_TASKS_VIEW (self->tasks_view));
  else if (g_strcmp0 (view, "cluster") == 0)
    pve_cluster_view_reload (PVE_CLUSTER_VIEW (self->cluster_view));
}

static void
pve_window_constructed (GObject *object)
{
  PveWindow *self = PVE_WINDOW (object);
  GtkListItemFactory *factory;
  GListModel *remotes;

  G_OBJECT_CLASS (pve_window_parent_class)->constructed (object);

  g_assert (PVE_IS_REMOTE_MANAGER (self->manager));

  create_guest_list (self);
  gtk_menu_button_set_create_popup_func (self->primary_menu_button, create_primary_menu, self,
                                         NULL);
  g_signal_connect (self, "notify::application", G_CALLBACK (update_primary_menu), NULL);
  update_primary_menu (self);

  remotes = pve_remote_manager_get_remotes (self->manager);
  /* No autoselect: the window picks the remote shown last (on_remotes_changed). */
  self->remotes_selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->remotes_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->remotes_selection, TRUE);
  /* Rows come in a few per frame (the list view would build 100 at once). */
  self->remotes_shown = pve_views_progressive_model_new (remotes, GTK_WIDGET (self->remotes_list),
                                                         SIDEBAR_ROW_HEIGHT);
  gtk_single_selection_set_model (self->remotes_selection, G_LIST_MODEL (self->remotes_shown));
  g_signal_connect_object (self->remotes_selection, "notify::selected-item",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_row), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_row), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_row), self, 0);
  gtk_list_view_set_factory (self->remotes_list, factory);
  gtk_list_view_set_model (self->remotes_list, GTK_SELECTION_MODEL (self->remotes_selection));
  g_object_unref (factory);
  g_signal_connect_object (remotes, "items-changed",
                           G_CALLBACK (on_remotes_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "notify::keyring-available",
                           G_CALLBACK (update_keyring), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "notify::loading",
                           G_CALLBACK (update_content), self, G_CONNECT_SWAPPED);
  /* The remote page's icon is a paintable from the theme, for the window's scale. */
  g_signal_connect_object (gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self))),
                           "changed", G_CALLBACK (update_content), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (update_content), NULL);
  g_signal_connect_object (self->keyring_revealer, "notify::child-revealed",
                           G_CALLBACK (on_keyring_revealed), self, G_CONNECT_SWAPPED);

  update_keyring (self);
  on_remotes_changed (self, 0, 0, g_list_model_get_n_items (remotes), remotes);
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
  g_clear_handle_id (&self->views_idle, g_source_remove);
  g_clear_handle_id (&self->icons_idle, g_source_remove);
  if (self->manager != NULL)
    {
      g_signal_handlers_disconnect_by_data (pve_remote_manager_get_remotes (self->manager), self);
      g_signal_handlers_disconnect_by_data (self->manager, self);
    }
  if (self->remotes_list != NULL)
    gtk_list_view_set_model (self->remotes_list, NULL);
  if (self->remotes_selection != NULL)
    g_signal_handlers_disconnect_by_data (self->remotes_selection, self);
  g_clear_object (&self->remotes_selection);
  g_clear_object (&self->remotes_shown);
  if (self->guest_list != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->guest_list, self);
      pve_guest_list_set_paused (self->guest_list, TRUE);
    }
  on_unrealize (self);
  if (self->selected_signals != NULL)
    g_signal_group_set_target (self->selected_signals, NULL);
  g_clear_object (&self->selected);

  gtk_widget_dispose_template (GTK_WIDGET (self), PVE_TYPE_WINDOW);
  g_clear_object (&self->switcher_title);
  g_clear_object (&self->content_title);

  G_OBJECT_CLASS (pve_window_parent_class)->dispose (object);
}

static void
pve_window_finalize (GObject *object)
{
  PveWindow *self = PVE_WINDOW (object);

  g_clear_object (&self->selected_signals);
  g_clear_object (&self->guest_list);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->manager);
  g_clear_pointer (&self->preloaded_icons, g_ptr_array_unref);

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
  /* GtkBuilder finds a type that is not registered yet by looking its get_type() up in the
   * whole process (g_module_symbol()), under GModule's lock, which the icon thread started
   * at startup holds while it loads the SVG loader: the template waited up to 2 ms for it
   * (tests/bench, startup). Every GTK type the template names, and AdwViewSwitcherBar's. */
  g_type_ensure (GTK_TYPE_ACTION_BAR);
  g_type_ensure (GTK_TYPE_BOX);
  g_type_ensure (GTK_TYPE_BUTTON);
  g_type_ensure (GTK_TYPE_IMAGE);
  g_type_ensure (GTK_TYPE_LABEL);
  g_type_ensure (GTK_TYPE_LIST_VIEW);
  g_type_ensure (GTK_TYPE_MENU_BUTTON);
  g_type_ensure (GTK_TYPE_REVEALER);
  g_type_ensure (GTK_TYPE_SCROLLED_WINDOW);
  g_type_ensure (GTK_TYPE_SEPARATOR);
  g_type_ensure (GTK_TYPE_STACK);
  g_type_ensure (GTK_TYPE_STACK_PAGE);
  g_type_ensure (GTK_TYPE_VIEWPORT);

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
  gtk_widget_class_bind_template_child (widget_class, PveWindow, remote_icon);
  gtk_widget_class_bind_template_child (widget_class, PveWindow, remote_title);
  gtk_widget_class_bind_template_child (widget_class, PveWindow, remote_description);
  gtk_widget_class_bind_template_child (widget_class, PveWindow, remote_problem);
  gtk_widget_class_bind_template_child (widget_class, PveWindow, connect_button);
  gtk_widget_class_bind_template_child (widget_class, PveWindow, disconnect_button);
  gtk_widget_class_bind_template_child (widget_class, PveWindow, retrust_button);
  gtk_widget_class_bind_template_child (widget_class, PveWindow, content_header);
  gtk_widget_class_bind_template_child (widget_class, PveWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, PveWindow, add_button);
  gtk_widget_class_bind_template_child (widget_class, PveWindow, detail_back_button);
  gtk_widget_class_bind_template_child (widget_class, PveWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, PveWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, PveWindow, detail_bin);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);

  _pve_window_class_actions_init (widget_class);
}

static void
pve_window_init (PveWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Set in the template, a tooltip is an X round trip (GTK asks where the pointer is) in the
   * window's construction: ~0.5 ms each for these two (tests/bench, startup). Their
   * accessible labels say the same. */
  pve_views_set_tooltip (GTK_WIDGET (self->primary_menu_button), _("Main Menu"));
  pve_views_set_tooltip (GTK_WIDGET (self->add_button), _("Add Remote"));

  /* Both title widgets take turns in the content header: keep each alive while out. */
  g_object_ref (self->content_title);
  self->switcher_title = g_object_ref_sink (ADW_VIEW_SWITCHER_TITLE (adw_view_switcher_title_new ()));
  adw_view_switcher_title_set_stack (self->switcher_title, self->view_stack);
  g_object_bind_property (self->switcher_title, "title-visible",
                          self->switcher_bar, "reveal", G_BINDING_SYNC_CREATE);

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

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pve-guest-list.h"
#include "pve-views-util.h"
#include "pve-window.h"

G_BEGIN_DECLS

struct _PveWindow
{
  AdwApplicationWindow  parent_instance;

  PveRemoteManager     *manager;
  GSettings            *settings;
  GCancellable         *cancellable;
  PveRemote            *selected;
  GSignalGroup         *selected_signals;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkRevealer          *keyring_revealer;
  GtkStack             *sidebar_stack;
  GtkListView          *remotes_list;
  GtkSingleSelection   *remotes_selection;
  PveProgressiveModel  *remotes_shown;
  GtkWidget            *content;
  AdwWindowTitle       *content_title;
  GtkStack             *content_stack;
  GtkImage             *remote_icon;
  GtkLabel             *remote_title;
  GtkLabel             *remote_description;
  GtkLabel             *remote_problem;
  GtkButton            *connect_button;
  GtkButton            *disconnect_button;
  GtkButton            *retrust_button;

  /* The views of connected remotes. */
  PveGuestList         *guest_list;
  AdwHeaderBar         *content_header;
  GtkMenuButton        *primary_menu_button;
  GtkWidget            *add_button;
  GtkWidget            *detail_back_button;
  AdwViewStack         *view_stack;
  AdwViewSwitcherBar   *switcher_bar;
  AdwViewSwitcherTitle *switcher_title;   /* owned: swapped in and out of the header */
  AdwBin               *detail_bin;
  GtkWidget            *guests_view;
  GtkWidget            *nodes_view;
  GtkWidget            *tasks_view;
  GtkWidget            *cluster_view;
  guint                 views_idle;       /* builds the views after the first frame */
  GPtrArray            *preloaded_icons;  /* GtkIconPaintables kept in the theme's cache */
  guint                 icons_idle;       /* draws them, one per idle */
  GdkSurface           *surface;          /* watched for the minimized state */
};

void       _pve_window_class_actions_init (GtkWidgetClass *widget_class);
/* Shows widget as the detail page (a guest or a node) with a back button. */
void       _pve_window_push_detail        (PveWindow      *self,
                                           GtkWidget      *widget,
                                           const char     *title,
                                           const char     *subtitle);
void       _pve_window_pop_detail         (PveWindow      *self);
/* Reloads what is shown now (F5). */
void       _pve_window_refresh            (PveWindow      *self);
PveRemote *_pve_window_lookup_remote      (PveWindow      *self,
                                           const char     *id);
/* Shows or hides the banner saying that no keyring can be reached (built when first shown). */
/* Looks up the icons of the window's first frame on a worker thread, where GTK's icon theme
 * reads its index files the first time (called after GtkApplication's startup, which changes
 * the theme's search path) and then renders the icons (GTK_ICON_LOOKUP_PRELOAD). Done by the
 * window's first lookups, reading the index files took 5-6 ms of the main thread before the
 * first frame (tests/bench, startup). The window's own lookups then find the icons in the
 * theme's cache. The result is the icons, for the tests. */
void       _pve_window_preload_first_icons        (GdkDisplay          *display,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray *_pve_window_preload_first_icons_finish (GAsyncResult        *result);
void       _pve_window_set_keyring_missing (PveWindow     *self,
                                            gboolean       missing);

G_END_DECLS

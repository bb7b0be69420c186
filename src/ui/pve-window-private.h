/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pve-guest-list.h"
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
  GtkSliceListModel    *remotes_shown;
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
  GPtrArray            *startup_icons;    /* those of the first frame, rendering meanwhile */
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
void       _pve_window_set_keyring_missing (PveWindow     *self,
                                            gboolean       missing);

G_END_DECLS

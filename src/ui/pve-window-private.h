/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

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
  GtkListBox           *remotes_list;
  GtkWidget            *content;
  AdwWindowTitle       *content_title;
  GtkStack             *content_stack;
  AdwStatusPage        *remote_page;
  GtkLabel             *remote_problem;
  GtkButton            *connect_button;
  GtkButton            *disconnect_button;
  GtkButton            *retrust_button;
};

void       _pve_window_class_actions_init (GtkWidgetClass *widget_class);
PveRemote *_pve_window_lookup_remote      (PveWindow      *self,
                                           const char     *id);

G_END_DECLS

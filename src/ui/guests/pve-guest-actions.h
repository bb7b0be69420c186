/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The power actions on a guest, shared by the guests view and the guest page: their labels,
 * icons and shortcuts, whether they are allowed (with the reason as a tooltip), and running
 * one for the user: the confirmation of Stop (GSettings confirm-stop), the PveTask (the row
 * shows the guest busy meanwhile), a toast on success, a dialog with the exit status and the
 * task log on failure, a desktop notification when the window is not focused (GSettings
 * notifications), and a refresh of the guest's remote afterwards.
 */
#pragma once

#include <adwaita.h>

#include "pve-guest-list.h"
#include "pve-task.h"

G_BEGIN_DECLS

typedef struct
{
  const char *action;      /* "start" */
  const char *action_name; /* "guest.start" */
  const char *label;       /* untranslated, "Start" */
  const char *icon_name;
  guint       keyval;      /* with Control+Shift */
  const char *accel_label; /* untranslated, "Ctrl+Shift+S" */
} PveGuestActionInfo;

/* The six actions, in the order they are shown. */
const PveGuestActionInfo *pve_guest_actions_get (guint *n_actions);

/* The shared settings (schema com.example.PveRemotes), or NULL when the schema is not
 * installed (running uninstalled). Not a new reference. */
GSettings  *pve_guests_get_settings            (void);

/* Installs guest.start ... guest.resume on widget_class, each with its Control+Shift
 * shortcut; activate is called with the action ("start"). */
void        pve_guest_actions_install          (GtkWidgetClass *widget_class,
                                                void (*activate) (GtkWidget  *widget,
                                                                  const char *action));

/* Enables widget's guest.* actions for guest (NULL: all disabled) and sets the tooltip of
 * each button (buttons[i] belongs to action i of pve_guest_actions_get(); entries may be
 * NULL) to "Start (Ctrl+Shift+S)", or to the reason it is disabled. */
void        pve_guest_actions_update           (GtkWidget        *widget,
                                                PveRemoteManager *manager,
                                                PveGuest         *guest,
                                                GtkWidget       **buttons);

/* Creates the buttons for the actions (flat, icon and label, accessible names). */
GtkWidget  *pve_guest_actions_create_button    (const PveGuestActionInfo *info);

/* Runs action on guest for the user (see above). widget: any widget of the window. */
void        pve_guest_actions_run              (GtkWidget        *widget,
                                                PveRemoteManager *manager,
                                                PveGuestList     *list,
                                                PveGuest         *guest,
                                                const char       *action);

/* Shows a toast in widget's window (its first AdwToastOverlay). */
void        pve_guests_add_toast               (GtkWidget        *widget,
                                                const char       *title);

/* Loads the guests' style sheet once (tags, status pills). */
void        pve_guests_load_css                (void);

/* How often a running task is polled (ms, default 500; tests use less). */
void        pve_guest_actions_set_poll_interval (guint milliseconds);

G_END_DECLS

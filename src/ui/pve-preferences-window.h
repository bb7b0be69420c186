/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PVE_TYPE_PREFERENCES_WINDOW (pve_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (PvePreferencesWindow, pve_preferences_window, PVE, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

PvePreferencesWindow *pve_preferences_window_new          (GtkWindow *transient_for,
                                                           GSettings *settings);
GSettings            *pve_preferences_window_get_settings (PvePreferencesWindow *self);

G_END_DECLS

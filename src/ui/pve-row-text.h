/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PVE_TYPE_ROW_TEXT (pve_row_text_get_type ())
G_DECLARE_FINAL_TYPE (PveRowText, pve_row_text, PVE, ROW_TEXT, GtkWidget)

GtkWidget  *pve_row_text_new             (void);
void        pve_row_text_set_title       (PveRowText *self,
                                          const char *title);
const char *pve_row_text_get_title       (PveRowText *self);
void        pve_row_text_set_subtitle    (PveRowText *self,
                                          const char *subtitle);
const char *pve_row_text_get_subtitle    (PveRowText *self);
/* The status line: a 12 px icon, or a spinner when icon_name is NULL, and a text. */
void        pve_row_text_set_status      (PveRowText *self,
                                          const char *icon_name,
                                          const char *text);
const char *pve_row_text_get_status      (PveRowText *self);
const char *pve_row_text_get_status_icon (PveRowText *self);
gboolean    pve_row_text_get_busy        (PveRowText *self);

G_END_DECLS

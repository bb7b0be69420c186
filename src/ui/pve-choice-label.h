/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PVE_TYPE_CHOICE_LABEL (pve_choice_label_get_type ())
G_DECLARE_FINAL_TYPE (PveChoiceLabel, pve_choice_label, PVE, CHOICE_LABEL, GtkWidget)

/* choices: NULL-terminated, the texts it may show (copied). */
GtkWidget  *pve_choice_label_new      (const char * const *choices);
/* text: one of the choices (another one is shown too, clipped to the widest choice). */
void        pve_choice_label_set_text (PveChoiceLabel *self,
                                       const char     *text);
const char *pve_choice_label_get_text (PveChoiceLabel *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Wording shared by the guests view and the guest page. */
#pragma once

#include <gtk/gtk.h>

#include "pve-guest.h"

G_BEGIN_DECLS

/* "Running", "Stopped", ... (translated) */
const char *pve_guests_status_label     (const char *status);
const char *pve_guests_status_icon      (const char *status);
/* Sets the "success"/"warning"/"dim-label" style class of widget for status. */
void        pve_guests_set_status_class (GtkWidget  *widget,
                                         const char *status);
/* "12 %", or "—" without stats. */
char       *pve_guests_format_cpu       (PveGuest   *guest);
/* "1.2 GB / 4.0 GB", or "—". */
char       *pve_guests_format_memory    (PveGuest   *guest);
/* "3 d 4 h", "5 h 2 min", "12 min", or "—". */
char       *pve_guests_format_uptime    (PveGuest   *guest);
char       *pve_guests_format_seconds   (gint64      seconds);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "pve-guests-util.h"

#define NO_VALUE "—"

const char *
pve_guests_status_label (const char *status)
{
  if (g_strcmp0 (status, "running") == 0)
    return _("Running");
  if (g_strcmp0 (status, "stopped") == 0)
    return _("Stopped");
  if (g_strcmp0 (status, "paused") == 0)
    return _("Paused");
  if (g_strcmp0 (status, "suspended") == 0)
    return _("Suspended");
  if (g_strcmp0 (status, "prelaunch") == 0)
    return _("Starting");
  return _("Unknown");
}

const char *
pve_guests_status_icon (const char *status)
{
  if (g_strcmp0 (status, "running") == 0)
    return "media-playback-start-symbolic";
  if (g_strcmp0 (status, "stopped") == 0)
    return "media-playback-stop-symbolic";
  if (g_strcmp0 (status, "paused") == 0 || g_strcmp0 (status, "suspended") == 0)
    return "media-playback-pause-symbolic";
  if (g_strcmp0 (status, "prelaunch") == 0)
    return "content-loading-symbolic";
  return "dialog-question-symbolic";
}

void
pve_guests_set_status_class (GtkWidget  *widget,
                             const char *status)
{
  gtk_widget_remove_css_class (widget, "success");
  gtk_widget_remove_css_class (widget, "warning");
  gtk_widget_remove_css_class (widget, "dim-label");

  if (g_strcmp0 (status, "running") == 0)
    gtk_widget_add_css_class (widget, "success");
  else if (g_strcmp0 (status, "stopped") == 0)
    gtk_widget_add_css_class (widget, "dim-label");
  else
    gtk_widget_add_css_class (widget, "warning");
}

static gboolean
is_running (PveGuest *guest)
{
  return pve_guest_get_has_stats (guest) &&
         g_strcmp0 (pve_guest_get_status (guest), "stopped") != 0;
}

char *
pve_guests_format_cpu (PveGuest *guest)
{
  if (!is_running (guest))
    return g_strdup (NO_VALUE);
  /* Translators: CPU usage in percent */
  return g_strdup_printf (_("%.0f %%"), pve_guest_get_cpu (guest) * 100.0);
}

char *
pve_guests_format_memory (PveGuest *guest)
{
  g_autofree char *used = NULL;
  g_autofree char *max = NULL;

  if (!is_running (guest))
    return g_strdup (NO_VALUE);

  used = g_format_size (pve_guest_get_mem (guest));
  max = g_format_size (pve_guest_get_maxmem (guest));
  /* Translators: memory in use of the maximum, "1.2 GB / 4.0 GB" */
  return g_strdup_printf (_("%s / %s"), used, max);
}

char *
pve_guests_format_seconds (gint64 seconds)
{
  gint64 days = seconds / 86400;
  gint64 hours = (seconds % 86400) / 3600;
  gint64 minutes = (seconds % 3600) / 60;

  if (seconds <= 0)
    return g_strdup (NO_VALUE);
  if (days > 0)
    /* Translators: an uptime, days and hours */
    return g_strdup_printf (_("%d d %d h"), (int) days, (int) hours);
  if (hours > 0)
    /* Translators: an uptime, hours and minutes */
    return g_strdup_printf (_("%d h %d min"), (int) hours, (int) minutes);
  if (minutes > 0)
    /* Translators: an uptime in minutes */
    return g_strdup_printf (_("%d min"), (int) minutes);
  /* Translators: an uptime in seconds */
  return g_strdup_printf (_("%d s"), (int) seconds);
}

char *
pve_guests_format_uptime (PveGuest *guest)
{
  if (!is_running (guest))
    return g_strdup (NO_VALUE);
  return pve_guests_format_seconds (pve_guest_get_uptime (guest));
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "pve-client.h"
#include "pve-console.h"
#include "pve-views-util.h"

gboolean
pve_views_error_is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

gboolean
pve_views_error_is_disconnected (const GError *error)
{
  return g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED);
}

char *
pve_views_describe_error (const GError *error)
{
  if (error == NULL)
    return g_strdup (_("Something went wrong."));

  if (error->domain == PVE_CLIENT_ERROR)
    {
      switch ((PveClientError) error->code)
        {
        case PVE_CLIENT_ERROR_NOT_CONNECTED:
          return g_strdup (_("The remote is not connected."));
        case PVE_CLIENT_ERROR_PERMISSION_DENIED:
          /* Translators: %s is the server's message */
          return g_strdup_printf (_("You are not allowed to see this (%s)."), error->message);
        case PVE_CLIENT_ERROR_TIMEOUT:
          return g_strdup_printf (_("The server did not answer in time (%s)."), error->message);
        case PVE_CLIENT_ERROR_NETWORK:
          return g_strdup_printf (_("The server could not be reached (%s)."), error->message);
        default:
          break;
        }
    }

  return g_strdup (error->message);
}

char *
pve_views_format_duration (gint64 seconds)
{
  gint64 days, hours, minutes;

  if (seconds < 0)
    seconds = 0;
  days = seconds / 86400;
  hours = (seconds % 86400) / 3600;
  minutes = (seconds % 3600) / 60;

  if (days > 0)
    {
      g_autofree char *d = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days",
                                                         (gulong) days), (int) days);
      g_autofree char *h = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour", "%d hours",
                                                         (gulong) hours), (int) hours);
      return g_strdup_printf ("%s %s", d, h);
    }
  if (hours > 0)
    {
      g_autofree char *h = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour", "%d hours",
                                                         (gulong) hours), (int) hours);
      g_autofree char *m = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute",
                                                         "%d minutes", (gulong) minutes),
                                            (int) minutes);
      return g_strdup_printf ("%s %s", h, m);
    }
  if (minutes > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes",
                                         (gulong) minutes), (int) minutes);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d second", "%d seconds",
                                       (gulong) seconds), (int) seconds);
}

char *
pve_views_format_usage (gint64 used,
                        gint64 total)
{
  g_autofree char *u = g_format_size_full ((guint64) MAX (used, 0), G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *t = g_format_size_full ((guint64) MAX (total, 0), G_FORMAT_SIZE_IEC_UNITS);

  if (total <= 0)
    return g_steal_pointer (&u);
  /* Translators: "1.2 GiB of 15.4 GiB (8 %)" */
  return g_strdup_printf (_("%s of %s (%.0f %%)"), u, t, 100.0 * (double) used / (double) total);
}

char *
pve_views_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = NULL;

  if (unix_time < 0)
    return g_strdup ("");
  dt = g_date_time_new_from_unix_local (unix_time);
  if (dt == NULL)
    return g_strdup ("");
  return g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");
}

#define TOOLTIP_KEY "pve-views-tooltip"

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  const char *text = g_object_get_data (G_OBJECT (widget), TOOLTIP_KEY);

  if (text == NULL || text[0] == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

gboolean
pve_views_set_tooltip (GtkWidget  *widget,
                       const char *text)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);

  if (text != NULL && text[0] == '\0')
    text = NULL;
  if (g_strcmp0 (pve_views_get_tooltip (widget), text) == 0)
    return FALSE;

  if (g_object_get_data (G_OBJECT (widget), TOOLTIP_KEY "-connected") == NULL)
    {
      g_signal_connect (widget, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
      g_object_set_data (G_OBJECT (widget), TOOLTIP_KEY "-connected", GINT_TO_POINTER (1));
    }
  g_object_set_data_full (G_OBJECT (widget), TOOLTIP_KEY, g_strdup (text), g_free);
  gtk_widget_set_has_tooltip (widget, text != NULL);
  return TRUE;
}

const char *
pve_views_get_tooltip (GtkWidget *widget)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  return g_object_get_data (G_OBJECT (widget), TOOLTIP_KEY);
}

/* --- Icons ----------------------------------------------------------------------------- */

GtkIconPaintable *
pve_views_lookup_icon (GtkWidget  *widget,
                       const char *name,
                       int         size)
{
  GdkDisplay *display;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  display = gtk_widget_get_display (widget);
  return pve_views_lookup_theme_icon (gtk_icon_theme_get_for_display (display), name, size,
                                      gtk_widget_get_scale_factor (widget),
                                      gtk_widget_get_direction (widget));
}

GtkIconPaintable *
pve_views_lookup_theme_icon (GtkIconTheme     *theme,
                             const char       *name,
                             int               size,
                             int               scale,
                             GtkTextDirection  direction)
{
  g_return_val_if_fail (GTK_IS_ICON_THEME (theme), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return gtk_icon_theme_lookup_icon (theme, name, NULL, size, scale, direction,
                                     GTK_ICON_LOOKUP_PRELOAD);
}

/* --- Progressive list models ------------------------------------------------------------ */

/* GTK_LIST_VIEW_MAX_LIST_ITEMS is 200 in GTK 4.8, plus two around each tracker. */
#define PROGRESSIVE_ROWS_KEPT 210
#define PROGRESSIVE_ROWS_PER_FRAME 4
/* The first step fills the view's height (or the window's, before the first layout), at most
 * this many rows. */
#define PROGRESSIVE_FIRST_ROWS 12
#define PROGRESSIVE_KEY "pve-views-progressive"

typedef struct
{
  GWeakRef    slice;
  GWeakRef    widget;
  int         row_height;
  guint       tick_id;
  gboolean    skip_tick;
  gboolean    changed;
  guint       n_skipped;
} Progressive;

static void
progressive_stop (Progressive *progressive)
{
  g_autoptr(GtkWidget) widget = g_weak_ref_get (&progressive->widget);

  if (progressive->tick_id != 0 && widget != NULL)
    gtk_widget_remove_tick_callback (widget, progressive->tick_id);
  progressive->tick_id = 0;
}

static void
progressive_free (gpointer data)
{
  Progressive *progressive = data;

  progressive_stop (progressive);
  g_weak_ref_clear (&progressive->slice);
  g_weak_ref_clear (&progressive->widget);
  g_free (progressive);
}

/* How many rows fill the view: its height, or before its first layout the window's. */
static guint
progressive_first_rows (Progressive *progressive)
{
  g_autoptr(GtkWidget) widget = g_weak_ref_get (&progressive->widget);
  int width, height = 0;

  if (widget == NULL || progressive->row_height <= 0)
    return PROGRESSIVE_FIRST_ROWS;

  height = gtk_widget_get_height (widget);
  if (height <= 0 && GTK_IS_WINDOW (gtk_widget_get_root (widget)))
    gtk_window_get_default_size (GTK_WINDOW (gtk_widget_get_root (widget)), &width, &height);
  if (height <= 0)
    return PROGRESSIVE_FIRST_ROWS;

  return CLAMP ((guint) (height + progressive->row_height - 1) / (guint) progressive->row_height,
                1, PROGRESSIVE_FIRST_ROWS);
}

/* One step: PROGRESSIVE_ROWS_PER_FRAME more items (the first: a screenful), or all of them once
 * the rows the view keeps are built. Returns TRUE when there is more to show. */
static gboolean
progressive_grow (GtkSliceListModel *slice)
{
  Progressive *progressive = g_object_get_data (G_OBJECT (slice), PROGRESSIVE_KEY);
  GListModel *model = gtk_slice_list_model_get_model (slice);
  guint n_items = model ? g_list_model_get_n_items (model) : 0;
  guint size = gtk_slice_list_model_get_size (slice);

  if (size >= n_items)
    return FALSE;
  size = MAX (size > 0 ? size + PROGRESSIVE_ROWS_PER_FRAME : 0,
              progressive_first_rows (progressive));
  if (size >= PROGRESSIVE_ROWS_KEPT)
    {
      gtk_slice_list_model_set_size (slice, G_MAXUINT);
      return FALSE;
    }
  /* Short lists stay exactly as long as their model: what comes next is paced too. */
  gtk_slice_list_model_set_size (slice, MIN (size, n_items));
  return size < n_items;
}

static gboolean
progressive_tick (GtkWidget     *widget,
                  GdkFrameClock *clock,
                  gpointer       user_data)
{
  Progressive *progressive = user_data;
  g_autoptr(GtkSliceListModel) slice = g_weak_ref_get (&progressive->slice);

  /* The first tick comes in the frame that builds the first step's rows, and a frame after a
   * change of the model (a merge that brings rows into view) has its own rows to build:
   * nothing more in either (but a model that changes in every frame does not stop it). */
  if (slice != NULL && (progressive->skip_tick ||
                        (progressive->changed && progressive->n_skipped < 2)))
    {
      progressive->skip_tick = FALSE;
      progressive->changed = FALSE;
      progressive->n_skipped++;
      return G_SOURCE_CONTINUE;
    }
  progressive->changed = FALSE;
  progressive->n_skipped = 0;
  if (slice != NULL && progressive_grow (slice))
    return G_SOURCE_CONTINUE;
  progressive->tick_id = 0;
  return G_SOURCE_REMOVE;
}

static void
progressive_model_changed (GListModel        *model,
                           guint              position,
                           guint              removed,
                           guint              added,
                           GtkSliceListModel *slice)
{
  Progressive *progressive = g_object_get_data (G_OBJECT (slice), PROGRESSIVE_KEY);
  guint n_items = g_list_model_get_n_items (model);
  guint size = gtk_slice_list_model_get_size (slice);
  g_autoptr(GtkWidget) widget = NULL;

  progressive->changed = TRUE;
  /* Short: the view keeps a row for each item, so the next growth must be paced again. The
   * slice shows the same items either way, so this changes nothing on screen. */
  if (n_items < PROGRESSIVE_ROWS_KEPT && size > n_items)
    {
      gtk_slice_list_model_set_size (slice, n_items);
      return;
    }
  if (size >= n_items || progressive->tick_id != 0)
    return;

  /* The first rows at once, the rest from the frame clock. */
  widget = g_weak_ref_get (&progressive->widget);
  if (progressive_grow (slice) && widget != NULL)
    {
      progressive->skip_tick = TRUE;
      progressive->tick_id = gtk_widget_add_tick_callback (widget, progressive_tick, progressive,
                                                           NULL);
    }
  else if (widget == NULL)
    gtk_slice_list_model_set_size (slice, G_MAXUINT);
}

GtkSliceListModel *
pve_views_progressive_model_new (GListModel *model,
                                 GtkWidget  *widget,
                                 int         row_height)
{
  GtkSliceListModel *slice;
  Progressive *progressive;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  slice = gtk_slice_list_model_new (g_object_ref (model), 0, 0);
  progressive = g_new0 (Progressive, 1);
  g_weak_ref_init (&progressive->slice, slice);
  g_weak_ref_init (&progressive->widget, widget);
  progressive->row_height = row_height;
  g_object_set_data_full (G_OBJECT (slice), PROGRESSIVE_KEY, progressive, progressive_free);
  /* After the slice's own handler, which connected first. */
  g_signal_connect_object (model, "items-changed", G_CALLBACK (progressive_model_changed), slice,
                           0);
  progressive_model_changed (model, 0, 0, g_list_model_get_n_items (model), slice);
  return slice;
}

void
pve_views_progressive_model_complete (GtkSliceListModel *slice)
{
  Progressive *progressive;

  g_return_if_fail (GTK_IS_SLICE_LIST_MODEL (slice));

  progressive = g_object_get_data (G_OBJECT (slice), PROGRESSIVE_KEY);
  if (progressive != NULL)
    progressive_stop (progressive);
  gtk_slice_list_model_set_size (slice, G_MAXUINT);
}

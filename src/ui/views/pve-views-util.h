/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small helpers shared by the views: wording of errors, durations, sizes. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* TRUE for G_IO_ERROR_CANCELLED: nothing to show. */
gboolean  pve_views_error_is_cancelled   (const GError *error);
/* TRUE for PVE_CLIENT_ERROR_NOT_CONNECTED. */
gboolean  pve_views_error_is_disconnected (const GError *error);
/* A sentence a person understands, with the server's own words when there are some. */
char     *pve_views_describe_error       (const GError *error);
/* "3 days 4 hours", "5 hours 2 minutes", "12 minutes", "40 seconds" */
char     *pve_views_format_duration      (gint64        seconds);
/* "1.2 GiB of 15.4 GiB (8 %)" */
char     *pve_views_format_usage         (gint64        used,
                                          gint64        total);
/* Local date and time, "2026-11-29 14:03:12"; "" for -1. */
char     *pve_views_format_time          (gint64        unix_time);

/* Sets a plain-text tooltip that is only looked at when the pointer rests on the widget.
 * gtk_widget_set_tooltip_text() asks the X server where the pointer is, a round trip each
 * time: for list cells and rows, built by the dozen in one frame, that was a third of the
 * frame. Returns FALSE when the text was already that. */
gboolean  pve_views_set_tooltip          (GtkWidget    *widget,
                                          const char   *text);
/* The text set by pve_views_set_tooltip(), or NULL. */
const char *pve_views_get_tooltip        (GtkWidget    *widget);

/* The theme's icon name at size pixels for widget (its display, scale and direction), looked
 * up with GTK_ICON_LOOKUP_PRELOAD: the theme renders it on a worker thread, and what draws it
 * first waits only for what is left. A symbolic SVG icon costs GTK 4.8 four renderings with
 * librsvg (and the first one loads librsvg and the MIME database): done on the main thread,
 * that was 4 ms of the app's first frame (tests/bench, startup). Draw the paintable returned
 * (the flags are part of the theme's cache key: a GtkImage given the icon's name would look it
 * up and render it again). */
GtkIconPaintable  *pve_views_lookup_icon                (GtkWidget         *widget,
                                                          const char        *name,
                                                          int                size);
/* The same for a theme, scale and direction: callable from any thread (GtkIconTheme's
 * lookups are, once the theme is made on the main thread). */
GtkIconPaintable  *pve_views_lookup_theme_icon          (GtkIconTheme      *theme,
                                                          const char        *name,
                                                          int                size,
                                                          int                scale,
                                                          GtkTextDirection   direction);

/* The widget's CSS colour (gtk_widget_get_color() from GTK 4.10 on). */
void               pve_views_get_color                  (GtkWidget         *widget,
                                                          GdkRGBA           *color);

/* A GtkListView (and so a GtkColumnView) of GTK 4.8 keeps rows for 200 items alive whatever its
 * height, and builds all of them in one frame when its model goes from empty to long: with a
 * dozen cells per row that frame took a few hundred milliseconds. The model returned here
 * stands in front of model and lets the view's rows in a few per frame until the rows it keeps
 * are built, then shows everything; it does so again whenever the model has been short. Rows
 * of the first screen come in the frame after the change, the rest follow a few per frame
 * (none in a frame that already has rows to build: the first step's, or a change's). Changes
 * among the items already shown are passed on as they are (a new item there is one more row).
 * widget is the view whose frame clock paces it; row_height (pixels, 0 if unknown) is the
 * smallest height its rows have, to size the first step to the view's height. */
#define PVE_TYPE_PROGRESSIVE_MODEL (pve_progressive_model_get_type ())
G_DECLARE_FINAL_TYPE (PveProgressiveModel, pve_progressive_model, PVE, PROGRESSIVE_MODEL, GObject)

PveProgressiveModel *pve_views_progressive_model_new         (GListModel          *model,
                                                              GtkWidget           *widget,
                                                              int                  row_height);
/* Batched: while the model keeps changing, changes among the items shown are shown together, at
 * most every quarter of a second (what is shown is then not always the model's beginning: see
 * _update()). For a sorted list that many sources fill at once (Connect All). */
void                 pve_views_progressive_model_set_batched (PveProgressiveModel *self,
                                                              gboolean             batched);
/* Shows what changed at once: positions in the model are positions in this one again. */
void                 pve_views_progressive_model_update      (PveProgressiveModel *self);
/* Shows every item at once (before selecting or scrolling to an item further down). */
void                 pve_views_progressive_model_complete    (PveProgressiveModel *self);
/* Whether every item is shown (and new ones are shown as they come). */
gboolean             pve_views_progressive_model_is_complete (PveProgressiveModel *self);

G_END_DECLS

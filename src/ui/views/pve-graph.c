/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "pve-graph.h"

struct _PveGraph
{
  GtkWidget     parent_instance;

  char         *title;
  PveGraphUnit  unit;
  double        max;
  PveRrdSeries *series;
  char         *name_a;
  char         *label_a;
  char         *name_b;
  char         *label_b;
};

G_DEFINE_FINAL_TYPE (PveGraph, pve_graph, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Colours that read well on light and dark backgrounds (GNOME palette blue 3, orange 3). */
static const GdkRGBA color_a = { 0.208, 0.518, 0.894, 1.0 };
static const GdkRGBA color_b = { 0.902, 0.380, 0.0, 1.0 };

#define MARGIN_LEFT   64.0
#define MARGIN_RIGHT  8.0
#define MARGIN_TOP    22.0
#define MARGIN_BOTTOM 20.0

char *
pve_graph_format_value (PveGraphUnit unit,
                        double       value)
{
  g_autofree char *size = NULL;

  if (isnan (value))
    return g_strdup (C_("graph value", "no data"));

  switch (unit)
    {
    case PVE_GRAPH_UNIT_PERCENT:
      if (value * 100.0 < 10.0)
        return g_strdup_printf (C_("graph value", "%.1f %%"), value * 100.0);
      return g_strdup_printf (C_("graph value", "%.0f %%"), value * 100.0);

    case PVE_GRAPH_UNIT_BYTES:
      return g_format_size_full ((guint64) MAX (value, 0.0), G_FORMAT_SIZE_IEC_UNITS);

    case PVE_GRAPH_UNIT_BYTES_PER_SECOND:
      size = g_format_size ((guint64) MAX (value, 0.0));
      /* Translators: a rate, %s is a size like "1.2 MB" */
      return g_strdup_printf (C_("graph value", "%s/s"), size);

    case PVE_GRAPH_UNIT_NUMBER:
    default:
      return g_strdup_printf ("%.2f", value);
    }
}

static const double *
get_values (PveGraph   *self,
            const char *name)
{
  if (self->series == NULL || name == NULL)
    return NULL;
  return pve_rrd_series_get_values (self->series, name);
}

/* The last value that is not NAN. */
static double
latest_value (PveGraph     *self,
              const double *values)
{
  guint n;

  if (values == NULL)
    return NAN;
  n = pve_rrd_series_get_n_points (self->series);
  for (guint i = n; i > 0; i--)
    if (!isnan (values[i - 1]))
      return values[i - 1];
  return NAN;
}

char *
pve_graph_dup_summary (PveGraph *self)
{
  const double *a;
  const double *b;
  g_autofree char *va = NULL;
  g_autofree char *vb = NULL;

  g_return_val_if_fail (PVE_IS_GRAPH (self), NULL);

  a = get_values (self, self->name_a);
  b = get_values (self, self->name_b);
  if (a == NULL && b == NULL)
    /* Translators: %s is the graph's title, e.g. "CPU" */
    return g_strdup_printf (_("%s: no data"), self->title ? self->title : "");

  va = pve_graph_format_value (self->unit, latest_value (self, a));
  if (b == NULL)
    /* Translators: graph title and its latest value, e.g. "CPU: 12 % (latest)" */
    return g_strdup_printf (_("%s: %s (latest)"), self->title ? self->title : "", va);

  vb = pve_graph_format_value (self->unit, latest_value (self, b));
  /* Translators: e.g. "Network: in 1 MB/s, out 2 MB/s (latest)" */
  return g_strdup_printf (_("%s: %s %s, %s %s (latest)"), self->title ? self->title : "",
                          self->label_a ? self->label_a : "", va,
                          self->label_b ? self->label_b : "", vb);
}

static void
update_accessible (PveGraph *self)
{
  g_autofree char *summary = pve_graph_dup_summary (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->title ? self->title : "",
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary,
                                  -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), summary);
}

static void
draw_text (cairo_t     *cr,
           PangoLayout *layout,
           const char  *text,
           double       x,
           double       y,
           double       align)   /* 0 left, 0.5 centre, 1 right of x */
{
  int width, height;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, x - align * width, y - height / 2.0);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_series (cairo_t      *cr,
             const gint64 *times,
             const double *values,
             guint         n,
             gint64        t0,
             gint64        t1,
             double        vmax,
             double        x,
             double        y,
             double        w,
             double        h,
             const GdkRGBA *color)
{
  gboolean in_line = FALSE;
  double span = t1 > t0 ? (double) (t1 - t0) : 1.0;

  cairo_new_path (cr);
  for (guint i = 0; i < n; i++)
    {
      double px, py;

      if (isnan (values[i]))
        {
          in_line = FALSE;
          continue;
        }
      px = x + w * (double) (times[i] - t0) / span;
      py = y + h - h * CLAMP (values[i] / vmax, 0.0, 1.0);
      if (!in_line)
        cairo_move_to (cr, px, py);
      else
        cairo_line_to (cr, px, py);
      in_line = TRUE;
    }
  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, 1.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (cr);
}

static void
pve_graph_snapshot (GtkWidget   *widget,
                    GtkSnapshot *snapshot)
{
  PveGraph *self = PVE_GRAPH (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  g_autoptr(PangoLayout) layout = NULL;
  const double *a, *b;
  const gint64 *times = NULL;
  GdkRGBA fg;
  cairo_t *cr;
  double x, y, w, h, vmax = 0.0;
  guint n = 0;

  if (width < MARGIN_LEFT + MARGIN_RIGHT + 10 || height < MARGIN_TOP + MARGIN_BOTTOM + 10)
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  layout = gtk_widget_create_pango_layout (widget, NULL);
  {
    PangoAttrList *attrs = pango_attr_list_new ();

    pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
    pango_layout_set_attributes (layout, attrs);
    pango_attr_list_unref (attrs);
  }

  x = MARGIN_LEFT;
  y = MARGIN_TOP;
  w = width - MARGIN_LEFT - MARGIN_RIGHT;
  h = height - MARGIN_TOP - MARGIN_BOTTOM;

  a = get_values (self, self->name_a);
  b = get_values (self, self->name_b);
  if (self->series != NULL)
    {
      n = pve_rrd_series_get_n_points (self->series);
      times = pve_rrd_series_get_times (self->series);
    }

  for (guint i = 0; i < n; i++)
    {
      if (a != NULL && !isnan (a[i]))
        vmax = MAX (vmax, a[i]);
      if (b != NULL && !isnan (b[i]))
        vmax = MAX (vmax, b[i]);
    }
  if (self->max > 0.0)
    vmax = self->max;
  else
    vmax *= 1.1;
  if (vmax <= 0.0)
    vmax = 1.0;

  /* Title and legend. */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha);
  if (self->title != NULL)
    draw_text (cr, layout, self->title, 0, MARGIN_TOP / 2.0, 0.0);
  if (b != NULL && self->label_a != NULL && self->label_b != NULL)
    {
      int lw, lh;

      gdk_cairo_set_source_rgba (cr, &color_b);
      draw_text (cr, layout, self->label_b, width - MARGIN_RIGHT, MARGIN_TOP / 2.0, 1.0);
      pango_layout_get_pixel_size (layout, &lw, &lh);
      gdk_cairo_set_source_rgba (cr, &color_a);
      draw_text (cr, layout, self->label_a, width - MARGIN_RIGHT - lw - 12, MARGIN_TOP / 2.0, 1.0);
    }

  /* Frame and grid. */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.15);
  cairo_set_line_width (cr, 1.0);
  for (guint i = 0; i <= 2; i++)
    {
      double gy = floor (y + h * i / 2.0) + 0.5;

      cairo_move_to (cr, x, gy);
      cairo_line_to (cr, x + w, gy);
    }
  cairo_stroke (cr);

  /* Value axis labels: max, half, 0. */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.7);
  for (guint i = 0; i <= 2; i++)
    {
      g_autofree char *label = pve_graph_format_value (self->unit, vmax * (2 - i) / 2.0);

      draw_text (cr, layout, label, x - 6, y + h * i / 2.0, 1.0);
    }

  if (n >= 1 && times != NULL)
    {
      g_autoptr(GDateTime) start = g_date_time_new_from_unix_local (times[0]);
      g_autoptr(GDateTime) end = g_date_time_new_from_unix_local (times[n - 1]);
      gboolean long_span = times[n - 1] - times[0] > 24 * 3600;
      const char *format = long_span ? "%d %b %H:%M" : "%H:%M";
      g_autofree char *ls = start ? g_date_time_format (start, format) : NULL;
      g_autofree char *le = end ? g_date_time_format (end, format) : NULL;

      if (ls != NULL)
        draw_text (cr, layout, ls, x, height - MARGIN_BOTTOM / 2.0, 0.0);
      if (le != NULL)
        draw_text (cr, layout, le, x + w, height - MARGIN_BOTTOM / 2.0, 1.0);

      if (b != NULL)
        draw_series (cr, times, b, n, times[0], times[n - 1], vmax, x, y, w, h, &color_b);
      if (a != NULL)
        draw_series (cr, times, a, n, times[0], times[n - 1], vmax, x, y, w, h, &color_a);
    }
  else
    {
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.55);
      draw_text (cr, layout, _("No data"), x + w / 2.0, y + h / 2.0, 0.5);
    }

  cairo_destroy (cr);
}

static void
pve_graph_measure (GtkWidget      *widget,
                   GtkOrientation  orientation,
                   int             for_size,
                   int            *minimum,
                   int            *natural,
                   int            *minimum_baseline,
                   int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 480;
    }
  else
    {
      *minimum = 120;
      *natural = 160;
    }
}

static void
pve_graph_finalize (GObject *object)
{
  PveGraph *self = PVE_GRAPH (object);

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->series, pve_rrd_series_unref);
  g_clear_pointer (&self->name_a, g_free);
  g_clear_pointer (&self->label_a, g_free);
  g_clear_pointer (&self->name_b, g_free);
  g_clear_pointer (&self->label_b, g_free);

  G_OBJECT_CLASS (pve_graph_parent_class)->finalize (object);
}

static void
pve_graph_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PveGraph *self = PVE_GRAPH (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_graph_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  PveGraph *self = PVE_GRAPH (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      pve_graph_set_title (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_graph_class_init (PveGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = pve_graph_finalize;
  object_class->get_property = pve_graph_get_property;
  object_class->set_property = pve_graph_set_property;

  widget_class->snapshot = pve_graph_snapshot;
  widget_class->measure = pve_graph_measure;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "pvegraph");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
pve_graph_init (PveGraph *self)
{
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);
  update_accessible (self);
}

GtkWidget *
pve_graph_new (const char   *title,
               PveGraphUnit  unit)
{
  PveGraph *self = g_object_new (PVE_TYPE_GRAPH, "title", title, NULL);

  pve_graph_set_unit (self, unit);
  return GTK_WIDGET (self);
}

const char *
pve_graph_get_title (PveGraph *self)
{
  g_return_val_if_fail (PVE_IS_GRAPH (self), NULL);
  return self->title;
}

void
pve_graph_set_title (PveGraph   *self,
                     const char *title)
{
  g_return_if_fail (PVE_IS_GRAPH (self));

  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

void
pve_graph_set_unit (PveGraph     *self,
                    PveGraphUnit  unit)
{
  g_return_if_fail (PVE_IS_GRAPH (self));

  self->unit = unit;
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
pve_graph_set_max (PveGraph *self,
                   double    max)
{
  g_return_if_fail (PVE_IS_GRAPH (self));

  self->max = isfinite (max) && max > 0.0 ? max : 0.0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
pve_graph_set_series (PveGraph     *self,
                      PveRrdSeries *series,
                      const char   *name_a,
                      const char   *label_a,
                      const char   *name_b,
                      const char   *label_b)
{
  g_return_if_fail (PVE_IS_GRAPH (self));

  if (series != NULL)
    pve_rrd_series_ref (series);
  g_clear_pointer (&self->series, pve_rrd_series_unref);
  self->series = series;

  g_free (self->name_a);
  self->name_a = g_strdup (name_a);
  g_free (self->label_a);
  self->label_a = g_strdup (label_a);
  g_free (self->name_b);
  self->name_b = g_strdup (name_b);
  g_free (self->label_b);
  self->label_b = g_strdup (label_b);

  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

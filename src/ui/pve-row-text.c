/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveRowText: the three lines of a sidebar row, drawn by one widget: the remote's name in
 * bold, its address smaller and dimmed, and its state, smaller, after a 12 px icon or a
 * spinner (drawn here too: a GtkSpinner's animation has GTK 4.8 lay the whole window out again
 * in every frame, and on X11 that asks the X server for the window's geometry and work area,
 * five round trips a frame; Connect All spins one in every row).
 *
 * Why not three GtkInscriptions and a GtkImage: the sidebar shows a screenful of rows in the
 * app's first frame, and every widget costs its style, its size, its accessible object and its
 * drawing. With one widget for the texts instead of four, the first frame with 100 saved
 * remotes took 4 ms less (tests/bench, startup). Sizes come from the fonts' metrics, like an
 * inscription's, so a row's height never depends on its texts, and the metrics are asked for
 * once for all rows.
 *
 * Colours follow the theme through CSS: the name and address take the row's colour (the
 * address with the opacity of libadwaita's .dim-label), the state and its icon this widget's
 * own, which the row's state classes set (style.css).
 */
#include <adwaita.h>

#include "pve-row-text.h"
#include "pve-views-util.h"

#define LINE_SPACING   2
#define ICON_SIZE      12
/* A spinner's size: the state's text does not move when a spinner replaces the icon. */
#define ICON_SLOT      16
#define ICON_SPACING   6
/* libadwaita's .caption. */
#define CAPTION_POINTS 9
#define MIN_CHARS      6

typedef enum
{
  LINE_TITLE,
  LINE_SUBTITLE,
  LINE_STATUS,
  N_LINES
} Line;

struct _PveRowText
{
  GtkWidget         parent_instance;

  char             *text[N_LINES];
  /* Made when first drawn; told when the widget's Pango context changes. */
  PangoLayout      *layout[N_LINES];
  guint             context_serial;
  char             *icon_name;
  /* Looked up as soon as it is known, so that the theme renders it on a worker thread while
   * the row is laid out (pve_views_lookup_icon()). */
  GtkIconPaintable *icon;
  int               icon_scale;
  gboolean          busy;
  GtkIconPaintable *spinner;      /* process-working-symbolic, while busy */
  guint             spinner_tick;
  gint64            spinner_start;
  double            spinner_angle;
};

G_DEFINE_FINAL_TYPE (PveRowText, pve_row_text, GTK_TYPE_WIDGET)

/* The sizes of the two fonts, for every row: asking Pango for a font's metrics lays out a
 * sample text. Asked again when the fonts or their rendering change. Main thread only. */
typedef struct
{
  PangoFontMap  *font_map;
  guint          font_map_serial;
  char          *font;
  double         resolution;
  gulong         options_hash;
  PangoLanguage *language;

  int            title_height;
  int            caption_height;
  int            title_char_width;
  int            caption_char_width;
} FontSizes;

static FontSizes font_sizes;

static void
measure_font (PangoContext               *context,
              const PangoFontDescription *description,
              PangoLanguage              *language,
              int                        *height,
              int                        *char_width)
{
  PangoFontMetrics *metrics = pango_context_get_metrics (context, description, language);
  int line = pango_font_metrics_get_height (metrics);

  /* As GtkInscription: some fonts have no line height. */
  if (line <= 0)
    line = pango_font_metrics_get_ascent (metrics) + pango_font_metrics_get_descent (metrics);
  *height = PANGO_PIXELS_CEIL (line);
  *char_width = PANGO_PIXELS_CEIL (pango_font_metrics_get_approximate_char_width (metrics));
  pango_font_metrics_unref (metrics);
}

static const FontSizes *
get_font_sizes (PveRowText *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  PangoFontMap *font_map = pango_context_get_font_map (context);
  const PangoFontDescription *base = pango_context_get_font_description (context);
  const cairo_font_options_t *options = pango_cairo_context_get_font_options (context);
  gulong options_hash = options ? cairo_font_options_hash (options) : 0;
  double resolution = pango_cairo_context_get_resolution (context);
  PangoLanguage *language = pango_context_get_language (context);
  g_autofree char *font = pango_font_description_to_string (base);
  g_autoptr(PangoFontDescription) description = NULL;

  if (font_sizes.font_map == font_map &&
      font_sizes.font_map_serial == pango_font_map_get_serial (font_map) &&
      font_sizes.resolution == resolution &&
      font_sizes.options_hash == options_hash &&
      font_sizes.language == language &&
      g_strcmp0 (font_sizes.font, font) == 0)
    return &font_sizes;

  g_set_object (&font_sizes.font_map, font_map);
  font_sizes.font_map_serial = pango_font_map_get_serial (font_map);
  g_free (font_sizes.font);
  font_sizes.font = g_steal_pointer (&font);
  font_sizes.resolution = resolution;
  font_sizes.options_hash = options_hash;
  font_sizes.language = language;

  description = pango_font_description_copy (base);
  pango_font_description_set_weight (description, PANGO_WEIGHT_BOLD);
  measure_font (context, description, language,
                &font_sizes.title_height, &font_sizes.title_char_width);
  pango_font_description_set_weight (description, PANGO_WEIGHT_NORMAL);
  pango_font_description_set_size (description, CAPTION_POINTS * PANGO_SCALE);
  measure_font (context, description, language,
                &font_sizes.caption_height, &font_sizes.caption_char_width);

  return &font_sizes;
}

static PangoLayout *
ensure_layout (PveRowText *self,
               Line        line)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  guint serial = pango_context_get_serial (context);

  if (serial != self->context_serial)
    {
      /* Another font, resolution or direction. */
      for (guint i = 0; i < N_LINES; i++)
        if (self->layout[i] != NULL)
          pango_layout_context_changed (self->layout[i]);
      self->context_serial = serial;
    }

  if (self->layout[line] == NULL)
    {
      PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->text[line]);
      PangoAttrList *attributes = pango_attr_list_new ();

      if (line == LINE_TITLE)
        pango_attr_list_insert (attributes, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      else
        pango_attr_list_insert (attributes, pango_attr_size_new (CAPTION_POINTS * PANGO_SCALE));
      pango_layout_set_attributes (layout, attributes);
      pango_attr_list_unref (attributes);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_single_paragraph_mode (layout, TRUE);
      self->layout[line] = layout;
    }

  return self->layout[line];
}

/* One line of text, at the start of its box (the right in a right-to-left locale), centred
 * in its height, ellipsized at its width. */
static void
draw_line (PveRowText    *self,
           GtkSnapshot   *snapshot,
           Line           line,
           int            x,
           int            y,
           int            width,
           int            height,
           const GdkRGBA *color)
{
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;
  PangoRectangle logical;
  PangoLayout *layout;
  int start;

  if (self->text[line] == NULL || self->text[line][0] == '\0' || width <= 0)
    return;

  layout = ensure_layout (self, line);
  pango_layout_set_width (layout, width * PANGO_SCALE);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  start = rtl ? x + width - logical.width : x;

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (start - logical.x,
                                                y + (height - logical.height) / 2 - logical.y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
look_up_icon (PveRowText *self)
{
  g_clear_object (&self->icon);
  if (self->icon_name == NULL)
    return;
  self->icon = pve_views_lookup_icon (GTK_WIDGET (self), self->icon_name, ICON_SIZE);
  self->icon_scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
}

static void
look_up_spinner (PveRowText *self)
{
  g_clear_object (&self->spinner);
  self->spinner = pve_views_lookup_icon (GTK_WIDGET (self), "process-working-symbolic", ICON_SLOT);
  self->icon_scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
}

static int
get_status_height (const FontSizes *sizes)
{
  return MAX (sizes->caption_height, ICON_SLOT);
}

/* Where the state's icon or spinner goes. */
static void
get_icon_slot (PveRowText   *self,
               GdkRectangle *slot)
{
  const FontSizes *sizes = get_font_sizes (self);
  int status_height = get_status_height (sizes);

  slot->width = ICON_SLOT;
  slot->height = ICON_SLOT;
  slot->x = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL
              ? gtk_widget_get_width (GTK_WIDGET (self)) - ICON_SLOT
              : 0;
  slot->y = sizes->title_height + LINE_SPACING + sizes->caption_height + LINE_SPACING +
            (status_height - ICON_SLOT) / 2;
}

static void
pve_row_text_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  const FontSizes *sizes = get_font_sizes (PVE_ROW_TEXT (widget));

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    /* Room for a few characters: the sidebar's width decides, the texts are ellipsized. */
    *minimum = *natural = MAX (MIN_CHARS * sizes->title_char_width,
                               ICON_SLOT + ICON_SPACING + MIN_CHARS * sizes->caption_char_width);
  else
    *minimum = *natural = sizes->title_height + LINE_SPACING + sizes->caption_height +
                          LINE_SPACING + get_status_height (sizes);
}

/* A turn a second, like GtkSpinner; drawn again when the angle moved (not more often than the
 * frames come). */
static gboolean
spinner_tick_cb (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  PveRowText *self = PVE_ROW_TEXT (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  if (self->spinner_start == 0)
    self->spinner_start = now;
  self->spinner_angle = ((now - self->spinner_start) % G_USEC_PER_SEC) * 360.0 / G_USEC_PER_SEC;
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

static gboolean
animations_enabled (GtkWidget *widget)
{
  gboolean enabled = TRUE;

  g_object_get (gtk_widget_get_settings (widget), "gtk-enable-animations", &enabled, NULL);
  return enabled;
}

/* Spins while busy and on screen. */
static void
update_spinner (PveRowText *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean spin = self->busy && gtk_widget_get_mapped (widget) && animations_enabled (widget);

  if (spin && self->spinner_tick == 0)
    {
      self->spinner_start = 0;
      self->spinner_tick = gtk_widget_add_tick_callback (widget, spinner_tick_cb, NULL, NULL);
    }
  else if (!spin && self->spinner_tick != 0)
    {
      gtk_widget_remove_tick_callback (widget, self->spinner_tick);
      self->spinner_tick = 0;
    }
}

static void
pve_row_text_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (pve_row_text_parent_class)->map (widget);
  update_spinner (PVE_ROW_TEXT (widget));
}

static void
pve_row_text_unmap (GtkWidget *widget)
{
  PveRowText *self = PVE_ROW_TEXT (widget);

  if (self->spinner_tick != 0)
    {
      gtk_widget_remove_tick_callback (widget, self->spinner_tick);
      self->spinner_tick = 0;
    }
  GTK_WIDGET_CLASS (pve_row_text_parent_class)->unmap (widget);
}

static void
pve_row_text_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  PveRowText *self = PVE_ROW_TEXT (widget);
  GtkWidget *row = gtk_widget_get_parent (widget);
  const FontSizes *sizes = get_font_sizes (self);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int width = gtk_widget_get_width (widget);
  int text_start = rtl ? 0 : ICON_SLOT + ICON_SPACING;
  int status_height = get_status_height (sizes);
  GdkRGBA color, dim_color, status_color;
  GdkRectangle slot;
  int y = 0;

  pve_views_get_color (row != NULL ? row : widget, &color);
  pve_views_get_color (widget, &status_color);
  dim_color = color;
  dim_color.alpha *= adw_style_manager_get_high_contrast (adw_style_manager_get_default ())
                       ? 0.9f : 0.55f;

  draw_line (self, snapshot, LINE_TITLE, 0, y, width, sizes->title_height, &color);
  y += sizes->title_height + LINE_SPACING;
  draw_line (self, snapshot, LINE_SUBTITLE, 0, y, width, sizes->caption_height, &dim_color);
  y += sizes->caption_height + LINE_SPACING;
  draw_line (self, snapshot, LINE_STATUS, text_start, y,
             width - ICON_SLOT - ICON_SPACING, status_height, &status_color);

  if (self->icon_scale != gtk_widget_get_scale_factor (widget))
    {
      g_clear_object (&self->icon);
      g_clear_object (&self->spinner);
    }
  if (self->icon == NULL && self->icon_name != NULL && !self->busy)
    look_up_icon (self);
  if (self->spinner == NULL && self->busy)
    look_up_spinner (self);

  get_icon_slot (self, &slot);
  gtk_snapshot_save (snapshot);
  if (self->busy && self->spinner != NULL)
    {
      /* Turning about its centre. */
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (slot.x + ICON_SLOT / 2.f,
                                                               slot.y + ICON_SLOT / 2.f));
      gtk_snapshot_rotate (snapshot, (float) self->spinner_angle);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-ICON_SLOT / 2.f, -ICON_SLOT / 2.f));
      gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (self->spinner), snapshot,
                                                ICON_SLOT, ICON_SLOT,
                                                (GdkRGBA[]) { status_color, status_color,
                                                              status_color, status_color },
                                                4);
    }
  else if (!self->busy && self->icon != NULL)
    {
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (slot.x + (ICON_SLOT - ICON_SIZE) / 2,
                                                    slot.y + (ICON_SLOT - ICON_SIZE) / 2));
      gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (self->icon), snapshot,
                                                ICON_SIZE, ICON_SIZE,
                                                (GdkRGBA[]) { status_color, status_color,
                                                              status_color, status_color },
                                                4);
    }
  gtk_snapshot_restore (snapshot);
}

static void
pve_row_text_css_changed (GtkWidget         *widget,
                          GtkCssStyleChange *change)
{
  PveRowText *self = PVE_ROW_TEXT (widget);

  GTK_WIDGET_CLASS (pve_row_text_parent_class)->css_changed (widget, change);

  /* Maybe another icon theme. */
  g_clear_object (&self->icon);
  g_clear_object (&self->spinner);
}

static void
pve_row_text_direction_changed (GtkWidget        *widget,
                                GtkTextDirection  previous)
{
  PveRowText *self = PVE_ROW_TEXT (widget);

  GTK_WIDGET_CLASS (pve_row_text_parent_class)->direction_changed (widget, previous);

  g_clear_object (&self->icon);
  gtk_widget_queue_draw (widget);
}

static void
update_accessible (PveRowText *self)
{
  g_autofree char *description = NULL;

  if (self->text[LINE_SUBTITLE] != NULL && self->text[LINE_STATUS] != NULL)
    description = g_strdup_printf ("%s, %s", self->text[LINE_SUBTITLE], self->text[LINE_STATUS]);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->text[LINE_TITLE] ? self->text[LINE_TITLE] : "",
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description ? description
                                              : self->text[LINE_SUBTITLE] ? self->text[LINE_SUBTITLE]
                                                                          : "",
                                  -1);
}

static void
set_line (PveRowText *self,
          Line        line,
          const char *text)
{
  if (g_strcmp0 (self->text[line], text) == 0)
    return;

  g_free (self->text[line]);
  self->text[line] = g_strdup (text);
  if (self->layout[line] != NULL)
    pango_layout_set_text (self->layout[line], text ? text : "", -1);
  update_accessible (self);
  /* The size comes from the fonts, not the texts. */
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
pve_row_text_dispose (GObject *object)
{
  PveRowText *self = PVE_ROW_TEXT (object);

  g_clear_object (&self->spinner);
  for (guint i = 0; i < N_LINES; i++)
    g_clear_object (&self->layout[i]);
  g_clear_object (&self->icon);

  G_OBJECT_CLASS (pve_row_text_parent_class)->dispose (object);
}

static void
pve_row_text_finalize (GObject *object)
{
  PveRowText *self = PVE_ROW_TEXT (object);

  for (guint i = 0; i < N_LINES; i++)
    g_free (self->text[i]);
  g_free (self->icon_name);

  G_OBJECT_CLASS (pve_row_text_parent_class)->finalize (object);
}

static void
pve_row_text_class_init (PveRowTextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pve_row_text_dispose;
  object_class->finalize = pve_row_text_finalize;
  widget_class->measure = pve_row_text_measure;
  widget_class->map = pve_row_text_map;
  widget_class->unmap = pve_row_text_unmap;
  widget_class->snapshot = pve_row_text_snapshot;
  widget_class->css_changed = pve_row_text_css_changed;
  widget_class->direction_changed = pve_row_text_direction_changed;

  gtk_widget_class_set_css_name (widget_class, "rowtext");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
pve_row_text_init (PveRowText *self)
{
}

GtkWidget *
pve_row_text_new (void)
{
  return g_object_new (PVE_TYPE_ROW_TEXT, NULL);
}

void
pve_row_text_set_title (PveRowText *self,
                        const char *title)
{
  g_return_if_fail (PVE_IS_ROW_TEXT (self));

  set_line (self, LINE_TITLE, title);
}

const char *
pve_row_text_get_title (PveRowText *self)
{
  g_return_val_if_fail (PVE_IS_ROW_TEXT (self), NULL);

  return self->text[LINE_TITLE];
}

void
pve_row_text_set_subtitle (PveRowText *self,
                           const char *subtitle)
{
  g_return_if_fail (PVE_IS_ROW_TEXT (self));

  set_line (self, LINE_SUBTITLE, subtitle);
}

const char *
pve_row_text_get_subtitle (PveRowText *self)
{
  g_return_val_if_fail (PVE_IS_ROW_TEXT (self), NULL);

  return self->text[LINE_SUBTITLE];
}

void
pve_row_text_set_status (PveRowText *self,
                         const char *icon_name,
                         const char *text)
{
  g_return_if_fail (PVE_IS_ROW_TEXT (self));

  if (g_strcmp0 (self->icon_name, icon_name) != 0 || self->busy != (icon_name == NULL))
    {
      g_free (self->icon_name);
      self->icon_name = g_strdup (icon_name);
      self->busy = icon_name == NULL;
      look_up_icon (self);
      if (self->busy && self->spinner == NULL)
        look_up_spinner (self);
      update_spinner (self);
      /* Only drawn again: the slot has the same size either way. */
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  set_line (self, LINE_STATUS, text);
}

const char *
pve_row_text_get_status (PveRowText *self)
{
  g_return_val_if_fail (PVE_IS_ROW_TEXT (self), NULL);

  return self->text[LINE_STATUS];
}

const char *
pve_row_text_get_status_icon (PveRowText *self)
{
  g_return_val_if_fail (PVE_IS_ROW_TEXT (self), NULL);

  return self->icon_name;
}

gboolean
pve_row_text_get_busy (PveRowText *self)
{
  g_return_val_if_fail (PVE_IS_ROW_TEXT (self), FALSE);

  return self->busy;
}

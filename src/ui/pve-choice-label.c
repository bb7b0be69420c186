/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveChoiceLabel: one of a few texts, as wide as the widest of them, styled as a label.
 *
 * Why not a GtkLabel: a label that changes its text asks for a new layout, and GTK 4.8 then
 * lays the whole window out again; on X11 that asks the X server for the window's geometry and
 * work area, five round trips. A sidebar row's button says Connect, Cancel, Disconnect or
 * Reconnect: Connect All changed it twice in each of 100 rows. This one is only drawn again.
 */
#include "pve-choice-label.h"
#include "pve-views-util.h"

struct _PveChoiceLabel
{
  GtkWidget    parent_instance;

  GStrv        choices;
  char        *text;
  PangoLayout *layout;        /* of text; made when first drawn */
  guint        context_serial;
  int          width;         /* of the widest choice; -1 until measured */
  int          height;
};

G_DEFINE_FINAL_TYPE (PveChoiceLabel, pve_choice_label, GTK_TYPE_WIDGET)

static void
invalidate (PveChoiceLabel *self)
{
  g_clear_object (&self->layout);
  self->width = self->height = -1;
}

/* Forgets the sizes and the layout when the widget's font or its rendering changed. */
static void
check_context (PveChoiceLabel *self)
{
  guint serial = pango_context_get_serial (gtk_widget_get_pango_context (GTK_WIDGET (self)));

  if (serial != self->context_serial)
    {
      invalidate (self);
      self->context_serial = serial;
    }
}

/* The widest choice's size for a font: every row's button has the same choices and font, so it
 * is laid out once for all of them (as a label would, once for each). Main thread only. */
typedef struct
{
  char *key;
  int   width;
  int   height;
} SizeCache;

static SizeCache size_cache;

static char *
size_key (PveChoiceLabel *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  PangoFontMap *font_map = pango_context_get_font_map (context);
  const cairo_font_options_t *options = pango_cairo_context_get_font_options (context);
  const PangoFontDescription *description = pango_context_get_font_description (context);
  g_autofree char *font = pango_font_description_to_string (description);
  g_autofree char *choices = g_strjoinv ("\n", self->choices);

  return g_strdup_printf ("%p/%u/%g/%lu/%s/%s/%s", (gpointer) font_map,
                          pango_font_map_get_serial (font_map),
                          pango_cairo_context_get_resolution (context),
                          options ? cairo_font_options_hash (options) : 0UL,
                          pango_language_to_string (pango_context_get_language (context)),
                          font, choices);
}

static void
ensure_sizes (PveChoiceLabel *self)
{
  g_autofree char *key = NULL;

  check_context (self);
  if (self->width >= 0)
    return;

  key = size_key (self);
  if (g_strcmp0 (key, size_cache.key) != 0)
    {
      size_cache.width = size_cache.height = 0;
      for (guint i = 0; self->choices[i] != NULL; i++)
        {
          g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                                                          self->choices[i]);
          PangoRectangle logical;

          pango_layout_get_pixel_extents (layout, NULL, &logical);
          size_cache.width = MAX (size_cache.width, logical.width);
          size_cache.height = MAX (size_cache.height, logical.height);
        }
      g_free (size_cache.key);
      size_cache.key = g_steal_pointer (&key);
    }
  self->width = size_cache.width;
  self->height = size_cache.height;
}

static void
pve_choice_label_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  PveChoiceLabel *self = PVE_CHOICE_LABEL (widget);

  ensure_sizes (self);
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? self->width : self->height;
}

static void
pve_choice_label_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  PveChoiceLabel *self = PVE_CHOICE_LABEL (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  PangoRectangle logical;
  GdkRGBA color;

  if (self->text == NULL || self->text[0] == '\0')
    return;

  check_context (self);
  if (self->layout == NULL)
    {
      self->layout = gtk_widget_create_pango_layout (widget, self->text);
      pango_layout_set_ellipsize (self->layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_set_width (self->layout, width * PANGO_SCALE);
  pango_layout_get_pixel_extents (self->layout, NULL, &logical);
  pve_views_get_color (widget, &color);

  /* Centred, as a button's label. */
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT ((width - logical.width) / 2 - logical.x,
                                                (height - logical.height) / 2 - logical.y));
  gtk_snapshot_append_layout (snapshot, self->layout, &color);
  gtk_snapshot_restore (snapshot);
}

static void
pve_choice_label_css_changed (GtkWidget         *widget,
                              GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (pve_choice_label_parent_class)->css_changed (widget, change);
  /* Maybe another font: GTK asks for the size again if it can change. */
  invalidate (PVE_CHOICE_LABEL (widget));
}

static void
pve_choice_label_finalize (GObject *object)
{
  PveChoiceLabel *self = PVE_CHOICE_LABEL (object);

  g_strfreev (self->choices);
  g_free (self->text);
  g_clear_object (&self->layout);

  G_OBJECT_CLASS (pve_choice_label_parent_class)->finalize (object);
}

static void
pve_choice_label_class_init (PveChoiceLabelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = pve_choice_label_finalize;
  widget_class->measure = pve_choice_label_measure;
  widget_class->snapshot = pve_choice_label_snapshot;
  widget_class->css_changed = pve_choice_label_css_changed;

  /* Styled as a button's label. */
  gtk_widget_class_set_css_name (widget_class, "label");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
pve_choice_label_init (PveChoiceLabel *self)
{
  self->width = self->height = -1;
}

GtkWidget *
pve_choice_label_new (const char * const *choices)
{
  PveChoiceLabel *self = g_object_new (PVE_TYPE_CHOICE_LABEL, NULL);

  g_return_val_if_fail (choices != NULL, NULL);

  self->choices = g_strdupv ((char **) choices);
  return GTK_WIDGET (self);
}

void
pve_choice_label_set_text (PveChoiceLabel *self,
                           const char     *text)
{
  g_return_if_fail (PVE_IS_CHOICE_LABEL (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;

  g_free (self->text);
  self->text = g_strdup (text);
  if (self->layout != NULL)
    pango_layout_set_text (self->layout, text ? text : "", -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  text ? text : "", -1);
  /* The size is the widest choice's, whatever the text. */
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
pve_choice_label_get_text (PveChoiceLabel *self)
{
  g_return_val_if_fail (PVE_IS_CHOICE_LABEL (self), NULL);

  return self->text;
}

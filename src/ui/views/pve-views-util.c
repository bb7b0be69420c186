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

/* --- Colours --------------------------------------------------------------------------- */

void
pve_views_get_color (GtkWidget *widget,
                     GdkRGBA   *color)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (color != NULL);

#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (widget, color);
#else
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
#endif
}

/* --- Progressive list models ------------------------------------------------------------ */

/* GTK_LIST_VIEW_MAX_LIST_ITEMS is 200 in GTK 4.8, plus two around each tracker. */
#define PROGRESSIVE_ROWS_KEPT 210
#define PROGRESSIVE_ROWS_PER_FRAME 2
/* The first step fills the view's height (or the window's, before the first layout), at most
 * this many rows. */
#define PROGRESSIVE_FIRST_ROWS 12
/* The model is "settling" while one change follows another within this. */
#define PROGRESSIVE_SETTLE_USEC (150 * G_TIME_SPAN_MILLISECOND)
/* While it settles, what is shown is brought up to date at most this often. */
#define PROGRESSIVE_REFRESH_USEC (250 * G_TIME_SPAN_MILLISECOND)
/* The smallest row height assumed when the view does not say, to count the rows that fill it. */
#define PROGRESSIVE_MIN_ROW_HEIGHT 24

/* Shows the first items of its model (a copy of them: what is shown changes only when this
 * model says so), or all of them once complete.
 *
 * GTK 4.8's list view binds every row it keeps after a changed position again: a new item near
 * the top of a sorted list of a few hundred binds up to 200 rows (10 cells each), 8-12 ms. Connect
 * All brings 100 such changes in a second, one for each remote's guests. While changes keep
 * coming, this model therefore keeps no more rows than fill the view and brings them up to date
 * at most every PROGRESSIVE_REFRESH_USEC, in one change; once the model has settled the rest
 * follow, a few per frame. */
struct _PveProgressiveModel
{
  GObject     parent_instance;

  GListModel *model;
  GWeakRef    widget;
  int         row_height;
  GPtrArray  *shown;        /* the items shown, when not complete; a beginning of model's */
  gboolean    complete;
  gboolean    batch;        /* changes among the shown items wait while the model settles */
  gboolean    stale;        /* model changed among the shown items; not shown yet */
  gint64      stale_since;
  gint64      last_change;  /* monotonic µs */
  GSource    *refresh_source;
  guint       tick_id;
  gboolean    skip_tick;
  gboolean    changed;
  guint       n_skipped;
};

static void pve_progressive_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PveProgressiveModel, pve_progressive_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      pve_progressive_model_list_model_init))

static guint
progressive_n_items (PveProgressiveModel *self)
{
  if (self->complete)
    return self->model != NULL ? g_list_model_get_n_items (self->model) : 0;
  return self->shown->len;
}

static GType
progressive_get_item_type (GListModel *list)
{
  PveProgressiveModel *self = PVE_PROGRESSIVE_MODEL (list);

  return self->model != NULL ? g_list_model_get_item_type (self->model) : G_TYPE_OBJECT;
}

static guint
progressive_get_n_items (GListModel *list)
{
  return progressive_n_items (PVE_PROGRESSIVE_MODEL (list));
}

static gpointer
progressive_get_item (GListModel *list,
                      guint       position)
{
  PveProgressiveModel *self = PVE_PROGRESSIVE_MODEL (list);

  if (position >= progressive_n_items (self))
    return NULL;
  if (!self->complete)
    return g_object_ref (g_ptr_array_index (self->shown, position));
  return g_list_model_get_item (self->model, position);
}

static void
pve_progressive_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = progressive_get_item_type;
  iface->get_n_items = progressive_get_n_items;
  iface->get_item = progressive_get_item;
}

static void
progressive_stop (PveProgressiveModel *self)
{
  g_autoptr(GtkWidget) widget = g_weak_ref_get (&self->widget);

  if (self->tick_id != 0 && widget != NULL)
    gtk_widget_remove_tick_callback (widget, self->tick_id);
  self->tick_id = 0;
}

static gboolean
progressive_settling (PveProgressiveModel *self)
{
  return g_get_monotonic_time () - self->last_change < PROGRESSIVE_SETTLE_USEC;
}

/* How many rows fill the view: its height, or before its first layout the window's. */
static guint
progressive_first_rows (PveProgressiveModel *self)
{
  g_autoptr(GtkWidget) widget = g_weak_ref_get (&self->widget);
  int width, height = 0;

  if (widget == NULL || self->row_height <= 0)
    return PROGRESSIVE_FIRST_ROWS;

  height = gtk_widget_get_height (widget);
  if (height <= 0 && GTK_IS_WINDOW (gtk_widget_get_root (widget)))
    gtk_window_get_default_size (GTK_WINDOW (gtk_widget_get_root (widget)), &width, &height);
  if (height <= 0)
    return PROGRESSIVE_FIRST_ROWS;

  return CLAMP ((guint) (height + self->row_height - 1) / (guint) self->row_height,
                1, PROGRESSIVE_FIRST_ROWS);
}

/* How many rows are kept while the model settles: those that fill the view. */
static guint
progressive_settling_rows (PveProgressiveModel *self)
{
  g_autoptr(GtkWidget) widget = g_weak_ref_get (&self->widget);
  int height = widget != NULL ? gtk_widget_get_height (widget) : 0;
  int row_height = self->row_height > 0 ? self->row_height : PROGRESSIVE_MIN_ROW_HEIGHT;

  return MAX (2 * PROGRESSIVE_FIRST_ROWS, (guint) MAX (height, 0) / (guint) row_height + 2);
}

static void progressive_ensure_tick (PveProgressiveModel *self);

/* Shows the first n items of the model (fewer if it has fewer), reporting only what differs
 * from what was shown. */
static void
progressive_show (PveProgressiveModel *self,
                  guint                n)
{
  guint n_old = self->shown->len;
  guint prefix = 0, suffix = 0;
  g_autoptr(GPtrArray) items = NULL;

  n = MIN (n, g_list_model_get_n_items (self->model));
  items = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (self->model, i));

  while (prefix < n && prefix < n_old &&
         g_ptr_array_index (items, prefix) == g_ptr_array_index (self->shown, prefix))
    prefix++;
  while (suffix < n - prefix && suffix < n_old - prefix &&
         g_ptr_array_index (items, n - 1 - suffix) ==
         g_ptr_array_index (self->shown, n_old - 1 - suffix))
    suffix++;

  /* Rows for items that were not shown (not only more at the end) cost about a millisecond
   * each: more than a frame's worth, and the rows from the first changed one on go, to come
   * back a few per frame (with what settled in the meantime). */
  if (prefix < n_old && n - prefix - suffix > PROGRESSIVE_ROWS_PER_FRAME)
    {
      g_autoptr(GHashTable) old = g_hash_table_new (NULL, NULL);
      guint n_new = 0;

      for (guint i = prefix; i < n_old - suffix; i++)
        g_hash_table_add (old, g_ptr_array_index (self->shown, i));
      for (guint i = prefix; i < n - suffix; i++)
        if (!g_hash_table_contains (old, g_ptr_array_index (items, i)))
          n_new++;
      if (n_new <= PROGRESSIVE_ROWS_PER_FRAME)
        goto show;

      g_ptr_array_set_size (items, prefix);
      n = prefix;
      suffix = 0;
      progressive_ensure_tick (self);
    }

show:
  g_ptr_array_unref (self->shown);
  self->shown = g_steal_pointer (&items);
  self->stale = FALSE;
  if (prefix + suffix < MAX (n, n_old))
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, n_old - prefix - suffix,
                                n - prefix - suffix);
}

/* Shows what changed while it waited: as many rows as before, and those of new items that
 * came in among them (the last row shown stays the last one if it is still near). */
static void
progressive_catch_up (PveProgressiveModel *self)
{
  guint n_old = self->shown->len;
  guint n = n_old;

  if (n_old > 0)
    {
      gpointer last = g_ptr_array_index (self->shown, n_old - 1);
      guint limit = MIN (g_list_model_get_n_items (self->model), n_old + PROGRESSIVE_ROWS_KEPT);

      for (guint i = n_old - 1; i < limit; i++)
        {
          g_autoptr(GObject) item = g_list_model_get_item (self->model, i);

          if ((gpointer) item == last)
            {
              n = i + 1;
              break;
            }
        }
    }
  progressive_show (self, n);
}

static void
progressive_clear_refresh (PveProgressiveModel *self)
{
  if (self->refresh_source != NULL)
    {
      g_source_destroy (self->refresh_source);
      g_clear_pointer (&self->refresh_source, g_source_unref);
    }
}

static void
progressive_set_complete (PveProgressiveModel *self)
{
  guint n_old, n;

  progressive_stop (self);
  progressive_clear_refresh (self);
  if (self->stale)
    progressive_catch_up (self);
  n_old = self->shown->len;
  n = g_list_model_get_n_items (self->model);
  self->complete = TRUE;
  g_ptr_array_set_size (self->shown, 0);
  if (n > n_old)
    g_list_model_items_changed (G_LIST_MODEL (self), n_old, 0, n - n_old);
}

/* One step: PROGRESSIVE_ROWS_PER_FRAME more items (the first: a screenful), or all of them once
 * the rows the view keeps are built. Returns TRUE when there is more to show. */
static gboolean
progressive_grow (PveProgressiveModel *self)
{
  guint n_items = g_list_model_get_n_items (self->model);
  guint before = self->shown->len;
  guint size;

  if (self->complete)
    return FALSE;
  /* Brought up to date, and more rows, once the model has settled. */
  if (progressive_settling (self) && before >= progressive_settling_rows (self))
    return TRUE;
  if (self->stale)
    {
      /* Up to date first; more rows in the next frame. */
      progressive_catch_up (self);
      return self->shown->len < n_items;
    }
  if (before >= n_items)
    return FALSE;
  size = before > 0 ? before + PROGRESSIVE_ROWS_PER_FRAME : progressive_first_rows (self);
  if (size >= PROGRESSIVE_ROWS_KEPT)
    {
      progressive_set_complete (self);
      return FALSE;
    }
  progressive_show (self, size);
  return self->shown->len < n_items;
}

static gboolean
progressive_tick (GtkWidget     *widget,
                  GdkFrameClock *clock,
                  gpointer       user_data)
{
  PveProgressiveModel *self = user_data;

  /* The first tick comes in the frame that builds the first step's rows, and a frame after a
   * change of the model (a merge that brings rows into view) has its own rows to build:
   * nothing more in either (but a model that changes in every frame does not stop it). */
  if (self->skip_tick || (self->changed && self->n_skipped < 2))
    {
      self->skip_tick = FALSE;
      self->changed = FALSE;
      self->n_skipped++;
      return G_SOURCE_CONTINUE;
    }
  self->changed = FALSE;
  self->n_skipped = 0;
  if (progressive_grow (self))
    return G_SOURCE_CONTINUE;
  self->tick_id = 0;
  return G_SOURCE_REMOVE;
}

/* The first rows at once, the rest from the frame clock. */
static void
progressive_start (PveProgressiveModel *self)
{
  g_autoptr(GtkWidget) widget = NULL;

  if (self->complete || self->tick_id != 0)
    return;
  widget = g_weak_ref_get (&self->widget);
  if (widget == NULL)
    {
      progressive_set_complete (self);
      return;
    }
  if (progressive_grow (self))
    {
      self->skip_tick = TRUE;
      self->tick_id = gtk_widget_add_tick_callback (widget, progressive_tick, self, NULL);
    }
}

/* Growth goes on from the frame clock (after a change took rows away). */
static void
progressive_ensure_tick (PveProgressiveModel *self)
{
  g_autoptr(GtkWidget) widget = NULL;

  if (self->complete || self->tick_id != 0)
    return;
  widget = g_weak_ref_get (&self->widget);
  if (widget != NULL)
    self->tick_id = gtk_widget_add_tick_callback (widget, progressive_tick, self, NULL);
}

static gboolean
progressive_refresh_cb (gpointer user_data)
{
  PveProgressiveModel *self = user_data;

  g_clear_pointer (&self->refresh_source, g_source_unref);
  if (self->stale)
    progressive_catch_up (self);
  progressive_start (self);
  return G_SOURCE_REMOVE;
}

static void
progressive_model_changed (GListModel          *model,
                           guint                position,
                           guint                removed,
                           guint                added,
                           PveProgressiveModel *self)
{
  guint n_items = g_list_model_get_n_items (model);
  guint n_shown;
  gboolean settling = progressive_settling (self);
  gint64 now = g_get_monotonic_time ();

  self->changed = TRUE;
  self->last_change = now;

  if (self->complete)
    {
      /* Short again: the view keeps a row for each item, so the next growth must be paced. */
      if (n_items < PROGRESSIVE_ROWS_KEPT)
        {
          self->complete = FALSE;
          for (guint i = 0; i < n_items; i++)
            g_ptr_array_add (self->shown, g_list_model_get_item (model, i));
        }
      g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
      return;
    }

  /* What is shown is a beginning of the model: below it, a change shows nothing yet. */
  n_shown = self->shown->len;
  if (position >= n_shown && !self->stale)
    {
      progressive_start (self);
      return;
    }

  /* Among the items shown, while changes keep coming (but never an item that is gone): up to
   * date at the next refresh. */
  if (self->batch && settling && added >= removed && n_shown >= PROGRESSIVE_FIRST_ROWS &&
      now - (self->stale ? self->stale_since : now) < PROGRESSIVE_REFRESH_USEC)
    {
      if (!self->stale)
        {
          self->stale = TRUE;
          self->stale_since = now;
        }
      if (self->refresh_source == NULL)
        {
          self->refresh_source = g_timeout_source_new (PROGRESSIVE_REFRESH_USEC / 1000);
          g_source_set_callback (self->refresh_source, progressive_refresh_cb, self, NULL);
          g_source_set_static_name (self->refresh_source, "[pve] progressive refresh");
          g_source_attach (self->refresh_source, NULL);
        }
      return;
    }

  /* A few new items among those shown are shown too; many leave as many items shown as
   * before, the rest paced. */
  if (!self->stale && position < n_shown)
    {
      guint removed_shown = MIN (removed, n_shown - position);
      guint grown = n_shown - removed_shown + added;

      if (added <= removed_shown + PROGRESSIVE_FIRST_ROWS &&
          (!settling || grown <= progressive_settling_rows (self)))
        n_shown = grown;
    }
  progressive_clear_refresh (self);
  progressive_show (self, n_shown);
  progressive_start (self);
}

static void
pve_progressive_model_dispose (GObject *object)
{
  PveProgressiveModel *self = PVE_PROGRESSIVE_MODEL (object);

  progressive_stop (self);
  progressive_clear_refresh (self);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, progressive_model_changed, self);
  g_clear_object (&self->model);
  g_ptr_array_set_size (self->shown, 0);

  G_OBJECT_CLASS (pve_progressive_model_parent_class)->dispose (object);
}

static void
pve_progressive_model_finalize (GObject *object)
{
  PveProgressiveModel *self = PVE_PROGRESSIVE_MODEL (object);

  g_weak_ref_clear (&self->widget);
  g_ptr_array_unref (self->shown);

  G_OBJECT_CLASS (pve_progressive_model_parent_class)->finalize (object);
}

static void
pve_progressive_model_class_init (PveProgressiveModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pve_progressive_model_dispose;
  object_class->finalize = pve_progressive_model_finalize;
}

static void
pve_progressive_model_init (PveProgressiveModel *self)
{
  g_weak_ref_init (&self->widget, NULL);
  self->shown = g_ptr_array_new_with_free_func (g_object_unref);
}

PveProgressiveModel *
pve_views_progressive_model_new (GListModel *model,
                                 GtkWidget  *widget,
                                 int         row_height)
{
  PveProgressiveModel *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  self = g_object_new (PVE_TYPE_PROGRESSIVE_MODEL, NULL);
  self->model = g_object_ref (model);
  g_weak_ref_set (&self->widget, widget);
  self->row_height = row_height;
  g_signal_connect (model, "items-changed", G_CALLBACK (progressive_model_changed), self);
  progressive_start (self);
  return self;
}

void
pve_views_progressive_model_complete (PveProgressiveModel *self)
{
  g_return_if_fail (PVE_IS_PROGRESSIVE_MODEL (self));

  if (!self->complete)
    progressive_set_complete (self);
}

void
pve_views_progressive_model_set_batched (PveProgressiveModel *self,
                                         gboolean             batched)
{
  g_return_if_fail (PVE_IS_PROGRESSIVE_MODEL (self));

  self->batch = batched;
  if (!batched)
    pve_views_progressive_model_update (self);
}

void
pve_views_progressive_model_update (PveProgressiveModel *self)
{
  g_return_if_fail (PVE_IS_PROGRESSIVE_MODEL (self));

  if (!self->complete && self->stale)
    {
      progressive_clear_refresh (self);
      progressive_catch_up (self);
    }
}

gboolean
pve_views_progressive_model_is_complete (PveProgressiveModel *self)
{
  g_return_val_if_fail (PVE_IS_PROGRESSIVE_MODEL (self), FALSE);

  return self->complete;
}

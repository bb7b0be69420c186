/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "pve-guest-actions.h"
#include "pve-guests-view.h"
#include "pve-guests-util.h"
#include "pve-views-util.h"

struct _PveGuestsView
{
  AdwBin              parent_instance;

  PveGuestList       *list;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  GtkSortListModel   *sorted;
  PveProgressiveModel *shown;     /* sorted, let in a few rows per frame */
  GtkSingleSelection *selection;
  GtkStringList      *remote_names;
  GtkStringList      *node_names;
  PveGuest           *selected;
  GSignalGroup       *selected_signals;
  char               *search;     /* casefolded, or NULL */
  guint               choices_idle;
  GtkWidget          *buttons[6];
  GtkWidget          *compact_buttons[6];
  GtkWidget          *menu;

  GtkSearchEntry     *search_entry;
  GtkSearchEntry     *compact_search_entry;
  AdwSqueezer        *toolbar_squeezer;
  GtkWidget          *toolbar;
  GtkDropDown        *remote_filter;
  GtkDropDown        *node_filter;
  GtkDropDown        *state_filter;
  GtkDropDown        *type_filter;
  GtkStack           *stack;
  GtkSpinner         *loading_spinner;
  GtkColumnView      *column_view;
  GtkActionBar       *action_bar;
  GtkBox             *compact_filters_box;
  GMenuModel         *context_menu;
};

G_DEFINE_FINAL_TYPE (PveGuestsView, pve_guests_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_GUEST_LIST,
  N_PROPS
};

enum {
  GUEST_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef enum
{
  COL_STATE,
  COL_NAME,
  COL_VMID,
  COL_NODE,
  COL_REMOTE,
  COL_TYPE,
  COL_CPU,
  COL_MEMORY,
  COL_UPTIME,
  COL_TAGS,
  N_COLUMNS
} Column;

typedef struct
{
  const char *id;
  const char *title;
  const char *property;   /* sorted by */
  gboolean    numeric;
  gboolean    expand;
  int         fixed_width;
  gboolean    mutable;    /* the value can change on a refresh */
} ColumnInfo;

/* Every column has a fixed width (the user can resize it): a GtkColumnView of GTK 4.8 measures
 * every cell of its ~200 rows for the width of a column that has none, on every change, and a
 * big cluster changes many rows at each refresh. Values longer than their column are
 * ellipsized (the guest page shows them whole). */
static const ColumnInfo columns[N_COLUMNS] = {
  [COL_STATE]  = { "state", N_("State"), "status", FALSE, FALSE, 64, TRUE },
  [COL_NAME]   = { "name", N_("Name"), "display-name", FALSE, TRUE, 200, TRUE },
  [COL_VMID]   = { "vmid", N_("VMID"), "vmid", TRUE, FALSE, 72, FALSE },
  [COL_NODE]   = { "node", N_("Node"), "node", FALSE, FALSE, 100, TRUE },
  [COL_REMOTE] = { "remote", N_("Remote"), "remote-name", FALSE, FALSE, 110, TRUE },
  [COL_TYPE]   = { "type", N_("Type"), "guest-type", FALSE, FALSE, 60, FALSE },
  [COL_CPU]    = { "cpu", N_("CPU"), "cpu", TRUE, FALSE, 72, TRUE },
  [COL_MEMORY] = { "memory", N_("Memory"), "mem", TRUE, FALSE, 160, TRUE },
  [COL_UPTIME] = { "uptime", N_("Uptime"), "uptime", TRUE, FALSE, 96, TRUE },
  [COL_TAGS]   = { "tags", N_("Tags"), "tags", FALSE, FALSE, 140, TRUE },
};

static GtkColumnViewColumn *find_column (PveGuestsView *self,
                                         const char    *id);

/* --- Cells --------------------------------------------------------------------------------- */

#define COLUMN_KEY "pve-column"
#define GUEST_KEY "pve-guest"
#define TEMPLATE_KEY "pve-template-label"
#define BUSY_KEY "pve-busy-label"

static void
update_tags (GtkWidget *box,
             PveGuest  *guest)
{
  g_auto(GStrv) tags = pve_guest_dup_tag_list (guest);
  GtkWidget *child;
  guint i = 0;

  /* Reuse the labels there are; tags rarely change. */
  child = gtk_widget_get_first_child (box);
  for (; tags[i] != NULL; i++)
    {
      if (child == NULL)
        {
          child = gtk_label_new (NULL);
          gtk_widget_add_css_class (child, "pve-tag");
          gtk_widget_add_css_class (child, "caption");
          gtk_box_append (GTK_BOX (box), child);
        }
      gtk_label_set_label (GTK_LABEL (child), tags[i]);
      gtk_widget_set_visible (child, TRUE);
      child = gtk_widget_get_next_sibling (child);
    }
  for (; child != NULL; child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_visible (child, FALSE);
}

/* Cells are updated on every notification of their guest (a 5-second refresh of a big cluster
 * notifies thousands): an accessible label costs an accessibility update even when nothing
 * changed, so it is only set when the tooltip (the same words) changed. */
static void
update_cell (GtkListItem *item,
             PveGuest    *guest)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (item), COLUMN_KEY));
  GtkWidget *child = gtk_list_item_get_child (item);
  g_autofree char *text = NULL;

  switch (column)
    {
    case COL_STATE:
      {
        GtkWidget *image = gtk_widget_get_first_child (child);
        GtkWidget *spinner = gtk_widget_get_next_sibling (image);
        gboolean busy = pve_guest_get_busy (guest);
        const char *label = pve_guests_status_label (pve_guest_get_status (guest));

        const char *icon = pve_guests_status_icon (pve_guest_get_status (guest));

        if (g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (image)), icon) != 0)
          gtk_image_set_from_icon_name (GTK_IMAGE (image), icon);
        if (pve_views_set_tooltip (image, label))
          gtk_accessible_update_property (GTK_ACCESSIBLE (image),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
        /* Made when first needed: most guests are never busy while shown. */
        if (spinner == NULL && busy)
          {
            spinner = gtk_spinner_new ();
            gtk_box_append (GTK_BOX (child), spinner);
          }
        if (spinner != NULL)
          {
            gtk_widget_set_visible (spinner, busy);
            gtk_spinner_set_spinning (GTK_SPINNER (spinner), busy);
          }
        if (busy)
          gtk_accessible_update_property (GTK_ACCESSIBLE (spinner),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          pve_guest_get_busy_label (guest), -1);
        pve_guests_set_status_class (image, pve_guest_get_status (guest));
        return;
      }

    case COL_NAME:
      {
        GtkWidget *name = gtk_widget_get_first_child (child);
        GtkWidget *template = g_object_get_data (G_OBJECT (child), TEMPLATE_KEY);
        GtkWidget *busy = g_object_get_data (G_OBJECT (child), BUSY_KEY);

        gtk_inscription_set_text (GTK_INSCRIPTION (name), pve_guest_get_display_name (guest));
        /* The tags are made when first needed: ~200 rows are built, few show them. */
        if (template == NULL && pve_guest_get_template (guest))
          {
            template = gtk_label_new (_("Template"));
            gtk_widget_add_css_class (template, "pve-tag");
            gtk_widget_add_css_class (template, "pve-template");
            gtk_widget_add_css_class (template, "caption");
            gtk_box_insert_child_after (GTK_BOX (child), template, name);
            g_object_set_data (G_OBJECT (child), TEMPLATE_KEY, template);
          }
        if (busy == NULL && pve_guest_get_busy (guest))
          {
            busy = gtk_label_new (NULL);
            gtk_widget_add_css_class (busy, "dim-label");
            gtk_widget_add_css_class (busy, "caption");
            gtk_box_append (GTK_BOX (child), busy);
            g_object_set_data (G_OBJECT (child), BUSY_KEY, busy);
          }
        if (template != NULL)
          gtk_widget_set_visible (template, pve_guest_get_template (guest));
        if (busy != NULL)
          {
            gtk_widget_set_visible (busy, pve_guest_get_busy (guest));
            gtk_label_set_label (GTK_LABEL (busy), pve_guest_get_busy_label (guest)
                                                     ? pve_guest_get_busy_label (guest) : "");
          }
        return;
      }

    case COL_VMID:
      text = g_strdup_printf ("%" G_GINT64_FORMAT, pve_guest_get_vmid (guest));
      break;

    case COL_NODE:
      gtk_inscription_set_text (GTK_INSCRIPTION (child), pve_guest_get_node (guest));
      return;

    case COL_REMOTE:
      gtk_inscription_set_text (GTK_INSCRIPTION (child), pve_guest_get_remote_name (guest));
      return;

    case COL_TYPE:
      gtk_inscription_set_text (GTK_INSCRIPTION (child),
                                pve_guest_is_qemu (guest) ? C_("guest type", "VM")
                                                          : C_("guest type", "CT"));
      pve_views_set_tooltip (child, pve_guest_is_qemu (guest) ? _("Virtual machine")
                                                               : _("Container"));
      return;

    case COL_CPU:
      text = pve_guests_format_cpu (guest);
      break;

    case COL_MEMORY:
      text = pve_guests_format_memory (guest);
      break;

    case COL_UPTIME:
      text = pve_guests_format_uptime (guest);
      break;

    case COL_TAGS:
      update_tags (child, guest);
      return;

    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }

  gtk_inscription_set_text (GTK_INSCRIPTION (child), text);
}

static void
on_guest_notify (PveGuest    *guest,
                 GParamSpec  *pspec,
                 GtkListItem *item)
{
  update_cell (item, guest);
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *child;

  g_object_set_data (G_OBJECT (item), COLUMN_KEY, user_data);

  switch (column)
    {
    case COL_STATE:
      /* The status icon; a spinner joins it when the guest is first busy. */
      child = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_box_append (GTK_BOX (child), gtk_image_new ());
      break;

    case COL_NAME:
      {
        GtkWidget *name = gtk_inscription_new (NULL);

        child = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
        gtk_inscription_set_xalign (GTK_INSCRIPTION (name), 0);
        gtk_inscription_set_text_overflow (GTK_INSCRIPTION (name),
                                           GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
        gtk_inscription_set_min_chars (GTK_INSCRIPTION (name), 10);
        gtk_inscription_set_nat_chars (GTK_INSCRIPTION (name), 32);
        gtk_widget_set_hexpand (name, TRUE);
        gtk_box_append (GTK_BOX (child), name);
        break;
      }

    case COL_TAGS:
      child = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      break;

    case COL_VMID:
    case COL_NODE:
    case COL_REMOTE:
    case COL_TYPE:
    case COL_CPU:
    case COL_MEMORY:
    case COL_UPTIME:
      /* A GtkInscription, GTK 4.8's text for list cells: its size does not depend on its text,
       * so rows that change or move are not measured again (a label would be, for each of the
       * ~200 rows a list view keeps). The column's width decides; longer text is ellipsized
       * (the list scrolls sideways in a narrow window). */
      child = gtk_inscription_new (NULL);
      gtk_inscription_set_text_overflow (GTK_INSCRIPTION (child),
                                         GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
      gtk_inscription_set_min_chars (GTK_INSCRIPTION (child), 2);
      if (columns[column].numeric)
        {
          gtk_inscription_set_xalign (GTK_INSCRIPTION (child), 1);
          gtk_widget_add_css_class (child, "numeric");
        }
      else
        gtk_inscription_set_xalign (GTK_INSCRIPTION (child), 0);
      break;

    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }

  gtk_list_item_set_child (item, child);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  PveGuest *guest = gtk_list_item_get_item (item);

  g_object_set_data (G_OBJECT (gtk_list_item_get_child (item)), GUEST_KEY, guest);
  g_signal_connect (guest, "notify", G_CALLBACK (on_guest_notify), item);
  update_cell (item, guest);
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  PveGuest *guest = gtk_list_item_get_item (item);

  g_object_set_data (G_OBJECT (gtk_list_item_get_child (item)), GUEST_KEY, NULL);
  if (guest != NULL)
    g_signal_handlers_disconnect_by_func (guest, on_guest_notify, item);
}

/* --- Filtering ------------------------------------------------------------------------------ */

static const char *
selected_choice (GtkDropDown *dropdown)
{
  GtkStringList *model = GTK_STRING_LIST (gtk_drop_down_get_model (dropdown));
  guint selected = gtk_drop_down_get_selected (dropdown);

  /* The first entry is "All …". */
  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return NULL;
  return gtk_string_list_get_string (model, selected);
}

static gboolean
contains_casefold (const char *haystack,
                   const char *needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle) != NULL;
}

static gboolean
filter_guest (gpointer item,
              gpointer user_data)
{
  PveGuestsView *self = user_data;
  PveGuest *guest = item;
  const char *remote = selected_choice (self->remote_filter);
  const char *node = selected_choice (self->node_filter);
  const char *status = pve_guest_get_status (guest);
  guint state = gtk_drop_down_get_selected (self->state_filter);
  guint type = gtk_drop_down_get_selected (self->type_filter);

  if (remote != NULL && g_strcmp0 (remote, pve_guest_get_remote_name (guest)) != 0)
    return FALSE;
  if (node != NULL && g_strcmp0 (node, pve_guest_get_node (guest)) != 0)
    return FALSE;

  switch (state)
    {
    case 1: if (!g_str_equal (status, "running")) return FALSE; break;
    case 2: if (!g_str_equal (status, "stopped")) return FALSE; break;
    case 3:
      if (!g_str_equal (status, "paused") && !g_str_equal (status, "suspended") &&
          !g_str_equal (status, "prelaunch"))
        return FALSE;
      break;
    case 4: if (!g_str_equal (status, "unknown")) return FALSE; break;
    default: break;
    }

  switch (type)
    {
    case 1: if (!pve_guest_is_qemu (guest)) return FALSE; break;
    case 2: if (pve_guest_is_qemu (guest)) return FALSE; break;
    case 3: if (!pve_guest_get_template (guest)) return FALSE; break;
    default: break;
    }

  if (self->search != NULL)
    {
      char vmid[32];

      g_snprintf (vmid, sizeof vmid, "%" G_GINT64_FORMAT, pve_guest_get_vmid (guest));
      if (!contains_casefold (pve_guest_get_display_name (guest), self->search) &&
          !contains_casefold (vmid, self->search) &&
          !contains_casefold (pve_guest_get_tags (guest), self->search) &&
          !contains_casefold (pve_guest_get_node (guest), self->search))
        return FALSE;
    }

  return TRUE;
}

static gboolean
filters_active (PveGuestsView *self)
{
  return selected_choice (self->remote_filter) != NULL ||
         selected_choice (self->node_filter) != NULL ||
         gtk_drop_down_get_selected (self->state_filter) != 0 ||
         gtk_drop_down_get_selected (self->type_filter) != 0 ||
         (self->search != NULL && self->search[0] != '\0');
}

static void
refilter (PveGuestsView *self)
{
  /* Nothing chosen: no filter at all, so 10,000 new guests are not each asked. */
  if (!filters_active (self))
    {
      gtk_filter_list_model_set_filter (self->filtered, NULL);
      return;
    }
  if (gtk_filter_list_model_get_filter (self->filtered) == NULL)
    gtk_filter_list_model_set_filter (self->filtered, GTK_FILTER (self->filter));
  else
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_search_changed (PveGuestsView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->search, g_free);
  if (stripped[0] != '\0')
    self->search = g_utf8_casefold (stripped, -1);
  refilter (self);
}

static void
on_stop_search (PveGuestsView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

/* The order of the choices: the locale's, then byte order between names it finds equal. */
static int
compare_names (const char *a,
               const char *b)
{
  int order = g_utf8_collate (a, b);

  return order != 0 ? order : strcmp (a, b);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return compare_names (*(const char **) a, *(const char **) b);
}

/* Makes the choices after "All …" the names (sorted as compare_strings() does), inserting and
 * removing only what changed, and keeps the chosen one while it is there. Replacing them all
 * made the dropdown's list remake a row for every name each time, and a Connect All of 100
 * remotes changes the remotes' names with each remote that comes in: main-loop stalls of up
 * to 78 ms (tests/bench, connect-all). */
static void
set_choices (PveGuestsView *self,
             GtkDropDown   *dropdown,
             GtkStringList *model,
             GPtrArray     *names)
{
  g_autofree char *chosen = g_strdup (selected_choice (dropdown));
  guint select = 0;
  guint i = 1;
  guint j = 0;

  g_signal_handlers_block_by_func (dropdown, refilter, self);
  /* "All" while the list changes: GTK 4.8's GtkSingleSelection reports a wrong range when its
   * selected item is removed. */
  if (chosen != NULL)
    gtk_drop_down_set_selected (dropdown, 0);
  while (j < names->len || i < g_list_model_get_n_items (G_LIST_MODEL (model)))
    {
      const char *name = j < names->len ? g_ptr_array_index (names, j) : NULL;
      const char *item = i < g_list_model_get_n_items (G_LIST_MODEL (model))
                           ? gtk_string_list_get_string (model, i)
                           : NULL;
      int order = item == NULL ? 1 : name == NULL ? -1 : compare_names (item, name);

      if (order < 0)
        {
          gtk_string_list_remove (model, i);
          continue;
        }
      if (order > 0)
        gtk_string_list_splice (model, i, 0, (const char * const[]) { name, NULL });
      if (chosen != NULL && g_str_equal (chosen, name))
        select = i;
      i++;
      j++;
    }
  if (gtk_drop_down_get_selected (dropdown) != select)
    gtk_drop_down_set_selected (dropdown, select);
  g_signal_handlers_unblock_by_func (dropdown, refilter, self);

  /* A chosen remote or node that is gone shows everything again. */
  if (chosen != NULL && select == 0)
    refilter (self);
}

static GPtrArray *
keys_as_array (GHashTable *table)
{
  GPtrArray *array = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (array, key);
  return array;
}

static gboolean
sync_choices (gpointer user_data)
{
  PveGuestsView *self = user_data;
  g_autoptr(GHashTable) remotes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) nodes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) remote_names = NULL;
  g_autoptr(GPtrArray) node_names = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->list));

  self->choices_idle = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PveGuest) guest = g_list_model_get_item (G_LIST_MODEL (self->list), i);

      g_hash_table_add (remotes, (gpointer) pve_guest_get_remote_name (guest));
      g_hash_table_add (nodes, (gpointer) pve_guest_get_node (guest));
    }

  remote_names = keys_as_array (remotes);
  node_names = keys_as_array (nodes);
  g_ptr_array_sort (remote_names, compare_strings);
  g_ptr_array_sort (node_names, compare_strings);

  /* The remote column says something only when there are several. */
  gtk_column_view_column_set_visible (find_column (self, "remote"), remote_names->len > 1);
  set_choices (self, self->remote_filter, self->remote_names, remote_names);
  set_choices (self, self->node_filter, self->node_names, node_names);

  return G_SOURCE_REMOVE;
}

static void
queue_sync_choices (PveGuestsView *self)
{
  if (self->choices_idle == 0)
    self->choices_idle = g_idle_add (sync_choices, self);
}

/* --- Pages ---------------------------------------------------------------------------------- */

static void
update_page (PveGuestsView *self)
{
  const char *page;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0)
    page = "list";
  else if (!pve_remote_manager_any_connected (pve_guest_list_get_manager (self->list)))
    page = "no-remotes";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->list)) > 0)
    page = "no-results";
  else if (pve_guest_list_get_loading (self->list))
    page = "loading";
  else
    page = "no-guests";

  gtk_spinner_set_spinning (self->loading_spinner, g_str_equal (page, "loading"));
  gtk_stack_set_visible_child_name (self->stack, page);
}

static void
on_remote_state (PveGuestsView *self)
{
  update_page (self);
}

static void
watch_remotes (PveGuestsView *self)
{
  GListModel *remotes = pve_remote_manager_get_remotes (pve_guest_list_get_manager (self->list));
  guint n = g_list_model_get_n_items (remotes);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PveRemote) remote = g_list_model_get_item (remotes, i);

      g_signal_handlers_disconnect_by_func (remote, on_remote_state, self);
      g_signal_connect_object (remote, "notify::state", G_CALLBACK (on_remote_state), self,
                               G_CONNECT_SWAPPED);
    }

  update_page (self);
}

/* --- Selection and actions ------------------------------------------------------------------ */

static void
update_actions (PveGuestsView *self)
{
  PveRemoteManager *manager = pve_guest_list_get_manager (self->list);

  pve_guest_actions_update (GTK_WIDGET (self), manager, self->selected, self->buttons);
  pve_guest_actions_update (GTK_WIDGET (self), manager, self->selected, self->compact_buttons);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "guest.open", self->selected != NULL);
}

static void
on_selection_changed (PveGuestsView *self)
{
  PveGuest *guest = gtk_single_selection_get_selected_item (self->selection);

  if (guest != self->selected)
    {
      g_set_object (&self->selected, guest);
      g_signal_group_set_target (self->selected_signals, guest);
    }
  update_actions (self);
}

static void
activate_action (GtkWidget  *widget,
                 const char *action_name)
{
  PveGuestsView *self = PVE_GUESTS_VIEW (widget);
  const char *action = strchr (action_name, '.') + 1;

  pve_guests_view_run_action (self, action);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  PveGuestsView *self = PVE_GUESTS_VIEW (widget);

  if (self->selected != NULL)
    g_signal_emit (self, signals[GUEST_ACTIVATED], 0, self->selected);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  pve_guests_view_focus_search (PVE_GUESTS_VIEW (widget));
}

static void
on_activate (PveGuestsView *self,
             guint          position)
{
  g_autoptr(PveGuest) guest = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (guest != NULL)
    g_signal_emit (self, signals[GUEST_ACTIVATED], 0, guest);
}

static guint
find_position (PveGuestsView *self,
               PveGuest      *guest)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sorted));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PveGuest) item = g_list_model_get_item (G_LIST_MODEL (self->sorted), i);

      if (item == guest)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static void
popup_menu (PveGuestsView *self,
            double         x,
            double         y)
{
  GdkRectangle rect = { (int) x, (int) y, 1, 1 };

  if (self->selected == NULL)
    return;

  if (x < 0)
    {
      rect.x = gtk_widget_get_width (GTK_WIDGET (self->column_view)) / 2;
      rect.y = gtk_widget_get_height (GTK_WIDGET (self->column_view)) / 3;
    }

  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &rect);
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

static void
on_right_click (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                PveGuestsView   *self)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->column_view), x, y, GTK_PICK_DEFAULT);

  for (; picked != NULL && picked != GTK_WIDGET (self->column_view);
       picked = gtk_widget_get_parent (picked))
    {
      PveGuest *guest = g_object_get_data (G_OBJECT (picked), GUEST_KEY);

      if (guest != NULL)
        {
          pve_guests_view_select (self, guest);
          gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
          popup_menu (self, x, y);
          return;
        }
    }
}

static void
menu_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  popup_menu (PVE_GUESTS_VIEW (widget), -1, -1);
}

/* --- Refreshes ------------------------------------------------------------------------------ */


static void
on_refreshed (PveGuestsView *self,
              PveRemote     *remote)
{
  PveGuestListStats stats;

  /* Values changed in place: sort and filter again (the selection follows its item). New
   * guests were sorted and filtered as they came in; a first load changes nothing in place. */
  if (!pve_guest_list_get_stats (self->list, remote, &stats) || stats.n_updated > 0)
    {
      /* Only the sorters of values that can change: the column view's sorter re-sorts when
       * one of those it sorts by says so (sorting 10,000 guests by VMID again is 10 ms of
       * nothing). */
      for (guint i = 0; i < N_COLUMNS; i++)
        if (columns[i].mutable)
          {
            GtkColumnViewColumn *column = find_column (self, columns[i].id);
            GtkSorter *sorter = column ? gtk_column_view_column_get_sorter (column) : NULL;

            if (sorter != NULL)
              gtk_sorter_changed (sorter, GTK_SORTER_CHANGE_DIFFERENT);
          }
      if (filters_active (self))
        refilter (self);
    }
  update_actions (self);
  queue_sync_choices (self);
}

/* Sorting thousands of new guests at once (a big cluster connecting) keeps the main loop busy
 * for a few hundred milliseconds: such a batch is sorted incrementally, between frames, and the
 * model goes back to sorting at once when it is done (refreshes re-sort in place quickly). */
#define INCREMENTAL_SORT_THRESHOLD 1000

static void
before_list_changed (PveGuestsView *self,
                     guint          position,
                     guint          removed,
                     guint          added)
{
  if (added >= INCREMENTAL_SORT_THRESHOLD && self->sorted != NULL)
    gtk_sort_list_model_set_incremental (self->sorted, TRUE);
}

static void
on_sort_pending (PveGuestsView *self)
{
  if (gtk_sort_list_model_get_pending (self->sorted) == 0 &&
      gtk_sort_list_model_get_incremental (self->sorted))
    gtk_sort_list_model_set_incremental (self->sorted, FALSE);
}

static void
on_list_changed (PveGuestsView *self)
{
  queue_sync_choices (self);
  update_page (self);
}

/* --- Construction --------------------------------------------------------------------------- */

static void
add_columns (PveGuestsView *self)
{
  for (guint i = 0; i < N_COLUMNS; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkExpression *expression;
      GtkSorter *sorter;
      GtkColumnViewColumn *column;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (i));
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), GINT_TO_POINTER (i));

      expression = gtk_property_expression_new (PVE_TYPE_GUEST, NULL, columns[i].property);
      if (columns[i].numeric)
        sorter = GTK_SORTER (gtk_numeric_sorter_new (expression));
      else
        sorter = GTK_SORTER (gtk_string_sorter_new (expression));

      column = gtk_column_view_column_new (_(columns[i].title), factory);
      g_object_set_data (G_OBJECT (column), "pve-column-id", (gpointer) columns[i].id);
      gtk_column_view_column_set_sorter (column, sorter);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      if (columns[i].fixed_width > 0)
        gtk_column_view_column_set_fixed_width (column, columns[i].fixed_width);
      gtk_column_view_append_column (self->column_view, column);

      g_object_unref (sorter);
      g_object_unref (column);
    }
}

static GtkColumnViewColumn *
find_column (PveGuestsView *self,
             const char    *id)
{
  GListModel *cols = gtk_column_view_get_columns (self->column_view);
  guint n = g_list_model_get_n_items (cols);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (cols, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (column), "pve-column-id"), id) == 0)
        return column;
    }

  return NULL;
}

static void
pve_guests_view_constructed (GObject *object)
{
  PveGuestsView *self = PVE_GUESTS_VIEW (object);
  GListModel *remotes;

  G_OBJECT_CLASS (pve_guests_view_parent_class)->constructed (object);

  g_assert (PVE_IS_GUEST_LIST (self->list));

  add_columns (self);

  /* Connected before the models below, so it runs before they take the new items in. */
  g_signal_connect_object (self->list, "items-changed",
                           G_CALLBACK (before_list_changed), self, G_CONNECT_SWAPPED);

  self->filter = gtk_custom_filter_new (filter_guest, self, NULL);
  /* The filter is set when one is chosen (refilter). */
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->list)), NULL);
  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filtered)),
                                          g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->shown = pve_views_progressive_model_new (G_LIST_MODEL (self->sorted),
                                                 GTK_WIDGET (self->column_view), 0);
  /* Connect All merges a remote's guests after another into the sorted list. */
  pve_views_progressive_model_set_batched (self->shown, TRUE);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->shown)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  gtk_column_view_sort_by_column (self->column_view, find_column (self, "vmid"),
                                  GTK_SORT_ASCENDING);
  g_signal_connect_object (self->sorted, "notify::pending",
                           G_CALLBACK (on_sort_pending), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filtered, "items-changed",
                           G_CALLBACK (update_page), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list, "items-changed",
                           G_CALLBACK (on_list_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list, "notify::loading",
                           G_CALLBACK (update_page), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list, "refreshed",
                           G_CALLBACK (on_refreshed), self, G_CONNECT_SWAPPED);

  remotes = pve_remote_manager_get_remotes (pve_guest_list_get_manager (self->list));
  g_signal_connect_object (remotes, "items-changed",
                           G_CALLBACK (watch_remotes), self, G_CONNECT_SWAPPED);

  watch_remotes (self);
  sync_choices (self);
  update_actions (self);
}

static void
pve_guests_view_dispose (GObject *object)
{
  PveGuestsView *self = PVE_GUESTS_VIEW (object);

  g_clear_handle_id (&self->choices_idle, g_source_remove);
  if (self->selected_signals != NULL)
    g_signal_group_set_target (self->selected_signals, NULL);
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  if (self->list != NULL)
    {
      GListModel *remotes = pve_remote_manager_get_remotes (pve_guest_list_get_manager (self->list));
      guint n = g_list_model_get_n_items (remotes);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(PveRemote) remote = g_list_model_get_item (remotes, i);

          g_signal_handlers_disconnect_by_func (remote, on_remote_state, self);
        }
    }
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  g_clear_object (&self->selected);
  g_clear_object (&self->selection);
  g_clear_object (&self->shown);
  g_clear_object (&self->sorted);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);

  gtk_widget_dispose_template (GTK_WIDGET (self), PVE_TYPE_GUESTS_VIEW);

  G_OBJECT_CLASS (pve_guests_view_parent_class)->dispose (object);
}

static void
pve_guests_view_finalize (GObject *object)
{
  PveGuestsView *self = PVE_GUESTS_VIEW (object);

  g_clear_object (&self->selected_signals);
  g_clear_object (&self->remote_names);
  g_clear_object (&self->node_names);
  g_clear_object (&self->list);
  g_free (self->search);

  G_OBJECT_CLASS (pve_guests_view_parent_class)->finalize (object);
}

static void
pve_guests_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PveGuestsView *self = PVE_GUESTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_GUEST_LIST:
      g_value_set_object (value, self->list);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_guests_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PveGuestsView *self = PVE_GUESTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_GUEST_LIST:
      self->list = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_guests_view_class_init (PveGuestsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pve_guests_view_constructed;
  object_class->dispose = pve_guests_view_dispose;
  object_class->finalize = pve_guests_view_finalize;
  object_class->get_property = pve_guests_view_get_property;
  object_class->set_property = pve_guests_view_set_property;

  properties[PROP_GUEST_LIST] =
    g_param_spec_object ("guest-list", NULL, NULL,
                         PVE_TYPE_GUEST_LIST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[GUEST_ACTIVATED] =
    g_signal_new ("guest-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PVE_TYPE_GUEST);

  /* The GTK types of the template not registered yet when it is built (after the first frame,
   * while the backend module loads under GModule's lock): see pve_window_class_init(). */
  g_type_ensure (GTK_TYPE_COLUMN_VIEW);
  g_type_ensure (GTK_TYPE_DROP_DOWN);
  g_type_ensure (GTK_TYPE_POPOVER);
  g_type_ensure (GTK_TYPE_SEARCH_ENTRY);
  g_type_ensure (GTK_TYPE_SPINNER);
  g_type_ensure (GTK_TYPE_STRING_LIST);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/PveRemotes/guests/pve-guests-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PveGuestsView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PveGuestsView, compact_search_entry);
  gtk_widget_class_bind_template_child (widget_class, PveGuestsView, toolbar_squeezer);
  gtk_widget_class_bind_template_child (widget_class, PveGuestsView, toolbar);
  gtk_widget_class_bind_template_child (widget_class, PveGuestsView, remote_filter);
  gtk_widget_class_bind_template_child (widget_class, PveGuestsView, node_filter);
  gtk_widget_class_bind_template_child (widget_class, PveGuestsView, state_filter);
  gtk_widget_class_bind_template_child (widget_class, PveGuestsView, type_filter);
  gtk_widget_class_bind_template_child (widget_class, PveGuestsView, stack);
  gtk_widget_class_bind_template_child (widget_class, PveGuestsView, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, PveGuestsView, column_view);
  gtk_widget_class_bind_template_child (widget_class, PveGuestsView, action_bar);
  gtk_widget_class_bind_template_child (widget_class, PveGuestsView, compact_filters_box);
  gtk_widget_class_bind_template_child (widget_class, PveGuestsView, context_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_activate);

  pve_guest_actions_install (widget_class, activate_action);
  gtk_widget_class_install_action (widget_class, "guest.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "guests.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "guests.menu", NULL, menu_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "guests.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                       "guests.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "guests.menu", NULL);

  gtk_widget_class_set_css_name (widget_class, "pveguestsview");
}


static void
add_compact_filter (PveGuestsView *self,
                    GtkDropDown   *primary,
                    const char    *label)
{
  GtkWidget *dropdown = gtk_drop_down_new (NULL, NULL);

  gtk_drop_down_set_model (GTK_DROP_DOWN (dropdown), gtk_drop_down_get_model (primary));
  g_object_bind_property (primary, "selected", dropdown, "selected",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_widget_set_tooltip_text (dropdown, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_box_append (self->compact_filters_box, dropdown);
}

static void
pve_guests_view_init (PveGuestsView *self)
{
  const PveGuestActionInfo *infos;
  GtkGesture *gesture;
  GtkWidget *wide, *compact, *squeezer;
  guint n;

  pve_guests_load_css ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->remote_names = gtk_string_list_new ((const char *[]) { _("All Remotes"), NULL });
  self->node_names = gtk_string_list_new ((const char *[]) { _("All Nodes"), NULL });
  gtk_drop_down_set_model (self->remote_filter, G_LIST_MODEL (self->remote_names));
  gtk_drop_down_set_model (self->node_filter, G_LIST_MODEL (self->node_names));
  g_signal_connect_swapped (self->remote_filter, "notify::selected", G_CALLBACK (refilter), self);
  g_signal_connect_swapped (self->node_filter, "notify::selected", G_CALLBACK (refilter), self);
  g_signal_connect_swapped (self->state_filter, "notify::selected", G_CALLBACK (refilter), self);
  g_signal_connect_swapped (self->type_filter, "notify::selected", G_CALLBACK (refilter), self);

  /* In a narrow window the filters move into a popover: the same text and choices, kept in
   * step. */
  g_object_bind_property (self->search_entry, "text", self->compact_search_entry, "text",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (self->compact_search_entry, "stop-search",
                            G_CALLBACK (on_stop_search), self);
  add_compact_filter (self, self->remote_filter, _("Filter by remote"));
  add_compact_filter (self, self->node_filter, _("Filter by node"));
  add_compact_filter (self, self->state_filter, _("Filter by state"));
  add_compact_filter (self, self->type_filter, _("Filter by type"));

  /* The actions with their labels, or only their icons when the window is narrow. */
  wide = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  compact = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  infos = pve_guest_actions_get (&n);
  g_assert (n == G_N_ELEMENTS (self->buttons));
  for (guint i = 0; i < n; i++)
    {
      self->buttons[i] = pve_guest_actions_create_button (&infos[i]);
      gtk_box_append (GTK_BOX (wide), self->buttons[i]);

      self->compact_buttons[i] = gtk_button_new_from_icon_name (infos[i].icon_name);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->compact_buttons[i]),
                                      infos[i].action_name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->compact_buttons[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(infos[i].label),
                                      GTK_ACCESSIBLE_PROPERTY_KEY_SHORTCUTS, infos[i].accel_label,
                                      -1);
      gtk_box_append (GTK_BOX (compact), self->compact_buttons[i]);
    }
  squeezer = adw_squeezer_new ();
  adw_squeezer_set_homogeneous (ADW_SQUEEZER (squeezer), FALSE);
  adw_squeezer_add (ADW_SQUEEZER (squeezer), wide);
  adw_squeezer_add (ADW_SQUEEZER (squeezer), compact);
  gtk_action_bar_pack_start (self->action_bar, squeezer);

  self->selected_signals = g_signal_group_new (PVE_TYPE_GUEST);
  g_signal_group_connect_swapped (self->selected_signals, "notify::status",
                                  G_CALLBACK (update_actions), self);
  g_signal_group_connect_swapped (self->selected_signals, "notify::busy",
                                  G_CALLBACK (update_actions), self);
  g_signal_group_connect_swapped (self->selected_signals, "notify::template",
                                  G_CALLBACK (update_actions), self);
  g_signal_group_connect_swapped (self->selected_signals, "notify::has-stats",
                                  G_CALLBACK (update_actions), self);

  self->menu = gtk_popover_menu_new_from_model (self->context_menu);
  gtk_widget_set_parent (self->menu, GTK_WIDGET (self->column_view));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
  gtk_widget_set_halign (self->menu, GTK_ALIGN_START);

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect (gesture, "pressed", G_CALLBACK (on_right_click), self);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), GTK_EVENT_CONTROLLER (gesture));
}

GtkWidget *
pve_guests_view_new (PveGuestList *list)
{
  g_return_val_if_fail (PVE_IS_GUEST_LIST (list), NULL);

  return g_object_new (PVE_TYPE_GUESTS_VIEW, "guest-list", list, NULL);
}

PveGuestList *
pve_guests_view_get_guest_list (PveGuestsView *self)
{
  g_return_val_if_fail (PVE_IS_GUESTS_VIEW (self), NULL);
  return self->list;
}

GListModel *
pve_guests_view_get_model (PveGuestsView *self)
{
  g_return_val_if_fail (PVE_IS_GUESTS_VIEW (self), NULL);
  return G_LIST_MODEL (self->sorted);
}

GtkColumnView *
pve_guests_view_get_column_view (PveGuestsView *self)
{
  g_return_val_if_fail (PVE_IS_GUESTS_VIEW (self), NULL);
  return self->column_view;
}

PveGuest *
pve_guests_view_get_selected (PveGuestsView *self)
{
  g_return_val_if_fail (PVE_IS_GUESTS_VIEW (self), NULL);
  return self->selected;
}

void
pve_guests_view_select (PveGuestsView *self,
                        PveGuest      *guest)
{
  guint position;

  g_return_if_fail (PVE_IS_GUESTS_VIEW (self));

  pve_views_progressive_model_update (self->shown);
  position = guest ? find_position (self, guest) : GTK_INVALID_LIST_POSITION;
  if (position != GTK_INVALID_LIST_POSITION &&
      position >= g_list_model_get_n_items (G_LIST_MODEL (self->shown)))
    pve_views_progressive_model_complete (self->shown);
  gtk_single_selection_set_selected (self->selection, position);
  if (position == GTK_INVALID_LIST_POSITION)
    return;

  /* GTK 4.8 has no gtk_column_view_scroll_to(): ask its list view. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
}

void
pve_guests_view_focus_search (PveGuestsView *self)
{
  g_return_if_fail (PVE_IS_GUESTS_VIEW (self));

  if (adw_squeezer_get_visible_child (self->toolbar_squeezer) == self->toolbar)
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->compact_search_entry));
}

GtkEditable *
pve_guests_view_get_search_entry (PveGuestsView *self)
{
  g_return_val_if_fail (PVE_IS_GUESTS_VIEW (self), NULL);
  return GTK_EDITABLE (self->search_entry);
}

GtkDropDown *
pve_guests_view_get_filter (PveGuestsView *self,
                            const char    *which)
{
  g_return_val_if_fail (PVE_IS_GUESTS_VIEW (self), NULL);

  if (g_strcmp0 (which, "remote") == 0)
    return self->remote_filter;
  if (g_strcmp0 (which, "node") == 0)
    return self->node_filter;
  if (g_strcmp0 (which, "state") == 0)
    return self->state_filter;
  if (g_strcmp0 (which, "type") == 0)
    return self->type_filter;
  g_return_val_if_reached (NULL);
}

void
pve_guests_view_sort_by (PveGuestsView *self,
                         const char    *column,
                         GtkSortType    order)
{
  GtkColumnViewColumn *col;

  g_return_if_fail (PVE_IS_GUESTS_VIEW (self));

  col = find_column (self, column);
  g_return_if_fail (col != NULL);
  gtk_column_view_sort_by_column (self->column_view, col, order);
}

const char *
pve_guests_view_get_page (PveGuestsView *self)
{
  g_return_val_if_fail (PVE_IS_GUESTS_VIEW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

GtkWidget *
pve_guests_view_get_action_button (PveGuestsView *self,
                                   const char    *action)
{
  const PveGuestActionInfo *infos;
  guint n;

  g_return_val_if_fail (PVE_IS_GUESTS_VIEW (self), NULL);

  infos = pve_guest_actions_get (&n);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (infos[i].action, action) == 0)
      return self->buttons[i];
  g_return_val_if_reached (NULL);
}

void
pve_guests_view_run_action (PveGuestsView *self,
                            const char    *action)
{
  g_return_if_fail (PVE_IS_GUESTS_VIEW (self));

  if (self->selected == NULL)
    return;

  pve_guest_actions_run (GTK_WIDGET (self), pve_guest_list_get_manager (self->list), self->list,
                         self->selected, action);
}

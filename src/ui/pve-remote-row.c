/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "pve-choice-label.h"
#include "pve-remote-row.h"
#include "pve-views-util.h"

/* A sidebar row. The sidebar shows a screenful of these in the app's first frame, so the row
 * is kept light (tests/bench, startup): built here rather than from a template (the first
 * screen's rows then took a third less time to make), one grid (the row's own layout manager, no boxes), one
 * widget that draws the three lines of text (PveRowText), a plain menu button whose menu is
 * built when first opened, and the error's text made when there is one.
 *
 *   name                 [action] [menu]
 *   host
 *   (icon) state
 *   error (when there is one)
 */
struct _PveRemoteRow
{
  GtkWidget         parent_instance;

  PveRemoteManager *manager;
  PveRemote        *remote;
  char             *accessible_label;
  char             *detail_text;

  PveRowText       *text;
  GtkButton        *action_button;
  PveChoiceLabel   *action_label;
  GtkButton        *menu_button;
  /* Made when first needed: a problem to tell, the menu opened. */
  GtkWidget        *detail_label;
  GtkWidget        *menu;
  /* Its remote changed while it was not on screen. */
  gboolean          stale;
};

G_DEFINE_FINAL_TYPE (PveRemoteRow, pve_remote_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MANAGER,
  PROP_REMOTE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *state_classes[] = {
  "state-connected", "state-failed", "state-trust", NULL
};

char *
pve_remote_describe_problem (PveRemoteManager *manager,
                             PveRemote        *remote)
{
  PveRemoteState state;
  const char *last_error;

  g_return_val_if_fail (PVE_IS_REMOTE (remote), NULL);

  state = pve_remote_get_state (remote);
  last_error = pve_remote_get_last_error (remote);

  if (state == PVE_REMOTE_STATE_NEEDS_TRUST && manager != NULL)
    {
      PveCertificateInfo *info = pve_remote_manager_get_peer_certificate (manager, remote);
      const char *pinned = pve_remote_get_fingerprint (remote);

      if (info != NULL && info->fingerprint != NULL && pinned != NULL && pinned[0] != '\0' &&
          g_ascii_strcasecmp (info->fingerprint, pinned) != 0)
        return g_strdup_printf (_("The certificate has changed. Trusted: %s. The server now "
                                  "presents: %s. Use “Re-trust Certificate” only if you know "
                                  "why it changed."),
                                pinned, info->fingerprint);
      if (info != NULL && info->fingerprint != NULL)
        return g_strdup_printf (_("Unknown certificate: %s"), info->fingerprint);
    }

  if (state == PVE_REMOTE_STATE_CONNECTED ||
      state == PVE_REMOTE_STATE_CONNECTING ||
      state == PVE_REMOTE_STATE_DISCONNECTED)
    return NULL;

  if (last_error != NULL && last_error[0] != '\0')
    return g_strdup (last_error);

  return NULL;
}

static void
update_host (PveRemoteRow *self)
{
  g_autofree char *text = NULL;
  const char *host = pve_remote_get_host (self->remote);

  /* IPv6 literals need brackets before the port. */
  if (host != NULL && strchr (host, ':') != NULL && host[0] != '[')
    text = g_strdup_printf ("[%s]:%u", host, pve_remote_get_port (self->remote));
  else
    text = g_strdup_printf ("%s:%u", host ? host : "", pve_remote_get_port (self->remote));
  pve_row_text_set_subtitle (self->text, text);
}

/* In the sidebar's list view the row sits in a list item, which is what takes the focus and
 * what a screen reader announces: it gets the same name (GTK 4.8 has no API of its own for
 * that). */
static void
update_item_label (PveRemoteRow *self)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));

  if (parent != NULL && self->accessible_label != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (parent),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, self->accessible_label,
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    self->detail_text ? self->detail_text : "",
                                    -1);
}

/* Puts a child made after the template in the row's grid. */
static void
place (PveRemoteRow *self,
       GtkWidget    *child,
       int           column,
       int           row,
       int           column_span)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkGridLayoutChild *cell = GTK_GRID_LAYOUT_CHILD (gtk_layout_manager_get_layout_child (layout,
                                                                                          child));

  gtk_grid_layout_child_set_column (cell, column);
  gtk_grid_layout_child_set_row (cell, row);
  gtk_grid_layout_child_set_column_span (cell, column_span);
}

/* Shows the remote's state; a row that is not on screen (unless now) only updates what
 * accessibility says, and the rest when it is mapped again. */
static void
refresh_state (PveRemoteRow *self,
               gboolean      now)
{
  PveRemoteState state = pve_remote_get_state (self->remote);
  const char *name = pve_remote_get_name (self->remote);
  const char *state_text = pve_remote_state_to_label (state);
  const char *action = "remote.connect";
  const char *state_class = NULL;
  g_autofree char *button_name = NULL;
  const char *button_label;

  /* What accessibility says, for every row. */
  g_clear_pointer (&self->detail_text, g_free);
  self->detail_text = pve_remote_describe_problem (self->manager, self->remote);
  g_clear_pointer (&self->accessible_label, g_free);
  /* Translators: what a screen reader says for a remote: "pve1, Connected" */
  self->accessible_label = g_strdup_printf (_("%s, %s"), name, state_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->accessible_label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  self->detail_text ? self->detail_text : "",
                                  -1);
  update_item_label (self);

  /* What it shows, for the rows on screen only: GTK 4.8's list view keeps a row for each of
   * up to 200 remotes but maps only those in view, and a Connect All changes every remote's
   * state three times (tests/bench, connect-all stall). A row is brought up to date when it
   * is mapped again. */
  self->stale = !now && !gtk_widget_get_mapped (GTK_WIDGET (self));
  if (self->stale)
    return;

  pve_row_text_set_title (self->text, name);
  /* A spinner instead of the icon while connecting. */
  pve_row_text_set_status (self->text,
                           state == PVE_REMOTE_STATE_CONNECTING
                             ? NULL : pve_remote_state_to_icon_name (state),
                           state_text);

  switch (state)
    {
    case PVE_REMOTE_STATE_CONNECTED:
      button_label = _("Disconnect");
      /* Translators: accessible name of a button, %s is the remote's name */
      button_name = g_strdup_printf (_("Disconnect %s"), name);
      action = "remote.disconnect";
      state_class = "state-connected";
      break;

    case PVE_REMOTE_STATE_CONNECTING:
      button_label = _("Cancel");
      /* Translators: accessible name of a button, %s is the remote's name */
      button_name = g_strdup_printf (_("Cancel connecting to %s"), name);
      action = "remote.disconnect";
      break;

    case PVE_REMOTE_STATE_FAILED:
      button_label = _("Reconnect");
      /* Translators: accessible name of a button, %s is the remote's name */
      button_name = g_strdup_printf (_("Reconnect %s"), name);
      state_class = "state-failed";
      break;

    case PVE_REMOTE_STATE_NEEDS_TRUST:
      state_class = "state-trust";
      G_GNUC_FALLTHROUGH;
    case PVE_REMOTE_STATE_DISCONNECTED:
    case PVE_REMOTE_STATE_NEEDS_CREDENTIALS:
    default:
      button_label = _("Connect");
      /* Translators: accessible name of a button, %s is the remote's name */
      button_name = g_strdup_printf (_("Connect %s"), name);
      break;
    }

  /* The state's colour, for its text and icon (style.css). */
  for (guint i = 0; state_classes[i]; i++)
    if (g_strcmp0 (state_classes[i], state_class) != 0)
      gtk_widget_remove_css_class (GTK_WIDGET (self->text), state_classes[i]);
  if (state_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->text), state_class);

  pve_choice_label_set_text (self->action_label, button_label);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->action_button), action);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->action_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, button_name,
                                  -1);

  if (self->detail_text != NULL && self->detail_label == NULL)
    {
      /* Under everything else, across the row. */
      self->detail_label = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (self->detail_label), 0);
      gtk_label_set_wrap (GTK_LABEL (self->detail_label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (self->detail_label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_max_width_chars (GTK_LABEL (self->detail_label), 36);
      gtk_label_set_width_chars (GTK_LABEL (self->detail_label), 20);
      gtk_widget_set_margin_top (self->detail_label, 2);
      gtk_widget_add_css_class (self->detail_label, "remote-error");
      gtk_widget_add_css_class (self->detail_label, "dim-label");
      gtk_widget_set_parent (self->detail_label, GTK_WIDGET (self));
      place (self, self->detail_label, 0, 1, 3);
    }
  if (self->detail_label != NULL)
    {
      gtk_label_set_label (GTK_LABEL (self->detail_label), self->detail_text ? self->detail_text : "");
      gtk_widget_set_visible (self->detail_label, self->detail_text != NULL);
    }

}

static void
update_state (PveRemoteRow *self)
{
  refresh_state (self, FALSE);
}

/* The menu is built when it is opened, not with the row: a GtkPopoverMenu per row made the
 * first frame with 100 saved remotes twice as slow as a bare window (tests/bench). Its items
 * name the remote shown when it opens. */
static GMenuModel *
create_menu_model (PveRemoteRow *self)
{
  const char *id = pve_remote_get_id (self->remote);
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();
  g_autoptr(GMenuItem) edit = NULL;
  g_autoptr(GMenuItem) retrust = NULL;
  g_autoptr(GMenuItem) remove = NULL;

  edit = g_menu_item_new (_("_Edit…"), NULL);
  g_menu_item_set_action_and_target_value (edit, "remote.edit", g_variant_new_string (id));
  retrust = g_menu_item_new (_("Re-trust _Certificate…"), NULL);
  g_menu_item_set_action_and_target_value (retrust, "remote.retrust", g_variant_new_string (id));
  remove = g_menu_item_new (_("_Remove…"), NULL);
  g_menu_item_set_action_and_target_value (remove, "remote.remove", g_variant_new_string (id));

  g_menu_append_item (menu, edit);
  g_menu_append_item (menu, retrust);
  g_menu_append_item (section, remove);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  return G_MENU_MODEL (menu);
}

static void
on_menu_closed (PveRemoteRow *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  /* Back to the button, as a GtkMenuButton does, unless an item moved the focus elsewhere
   * (a dialog it opened). */
  if (focus == NULL || gtk_widget_is_ancestor (focus, self->menu))
    gtk_widget_grab_focus (GTK_WIDGET (self->menu_button));
}

static void
on_menu_clicked (PveRemoteRow *self)
{
  g_autoptr(GMenuModel) model = NULL;

  if (self->remote == NULL)
    return;

  model = create_menu_model (self);
  if (self->menu == NULL)
    {
      self->menu = gtk_popover_menu_new_from_model (model);
      gtk_widget_set_parent (self->menu, GTK_WIDGET (self->menu_button));
      g_signal_connect_object (self->menu, "closed", G_CALLBACK (on_menu_closed), self,
                               G_CONNECT_SWAPPED);
    }
  else
    gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->menu), model);
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

static void
update_menu (PveRemoteRow *self)
{
  const char *name = pve_remote_get_name (self->remote);
  g_autofree char *menu_name = NULL;

  /* Translators: accessible name of a menu button, %s is the remote's name */
  menu_name = g_strdup_printf (_("Menu for %s"), name);
  pve_views_set_tooltip (GTK_WIDGET (self->menu_button), menu_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, menu_name,
                                  -1);
}

static void
on_name_changed (PveRemoteRow *self)
{
  update_state (self);
  update_menu (self);
}

void
pve_remote_row_set_remote (PveRemoteRow *self,
                           PveRemote    *remote)
{
  g_return_if_fail (PVE_IS_REMOTE_ROW (self));
  g_return_if_fail (!remote || PVE_IS_REMOTE (remote));

  if (self->remote == remote)
    return;

  if (self->remote != NULL)
    g_signal_handlers_disconnect_by_data (self->remote, self);
  g_set_object (&self->remote, remote);
  /* The menu names the remote in its actions: built again when next opened. */
  if (self->menu != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->menu));

  if (remote != NULL)
    {
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->action_button),
                                              g_variant_new_string (pve_remote_get_id (remote)));
      g_signal_connect_object (remote, "notify::name",
                               G_CALLBACK (on_name_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (remote, "notify::host",
                               G_CALLBACK (update_host), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (remote, "notify::port",
                               G_CALLBACK (update_host), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (remote, "notify::state",
                               G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (remote, "notify::last-error",
                               G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (remote, "notify::fingerprint",
                               G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);

      update_host (self);
      refresh_state (self, TRUE);
      update_menu (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMOTE]);
}

static void
pve_remote_row_constructed (GObject *object)
{
  PveRemoteRow *self = PVE_REMOTE_ROW (object);

  G_OBJECT_CLASS (pve_remote_row_parent_class)->constructed (object);

  /* The list item around the row is there from the start in a list view. */
  g_signal_connect (self, "notify::parent", G_CALLBACK (update_item_label), NULL);
}

static void
pve_remote_row_map (GtkWidget *widget)
{
  PveRemoteRow *self = PVE_REMOTE_ROW (widget);

  GTK_WIDGET_CLASS (pve_remote_row_parent_class)->map (widget);
  if (self->stale && self->remote != NULL)
    refresh_state (self, TRUE);
}

static void
pve_remote_row_dispose (GObject *object)
{
  PveRemoteRow *self = PVE_REMOTE_ROW (object);

  if (self->remote != NULL)
    g_signal_handlers_disconnect_by_data (self->remote, self);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  g_clear_pointer (&self->detail_label, gtk_widget_unparent);
  g_clear_pointer ((GtkWidget **) &self->text, gtk_widget_unparent);
  g_clear_pointer ((GtkWidget **) &self->action_button, gtk_widget_unparent);
  g_clear_pointer ((GtkWidget **) &self->menu_button, gtk_widget_unparent);
  g_clear_object (&self->remote);
  g_clear_object (&self->manager);

  G_OBJECT_CLASS (pve_remote_row_parent_class)->dispose (object);
}

static void
pve_remote_row_finalize (GObject *object)
{
  PveRemoteRow *self = PVE_REMOTE_ROW (object);

  g_clear_pointer (&self->accessible_label, g_free);
  g_clear_pointer (&self->detail_text, g_free);

  G_OBJECT_CLASS (pve_remote_row_parent_class)->finalize (object);
}

static void
pve_remote_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PveRemoteRow *self = PVE_REMOTE_ROW (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      g_value_set_object (value, self->manager);
      break;

    case PROP_REMOTE:
      g_value_set_object (value, self->remote);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_remote_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PveRemoteRow *self = PVE_REMOTE_ROW (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      self->manager = g_value_dup_object (value);
      break;

    case PROP_REMOTE:
      pve_remote_row_set_remote (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_remote_row_class_init (PveRemoteRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pve_remote_row_constructed;
  object_class->dispose = pve_remote_row_dispose;
  object_class->finalize = pve_remote_row_finalize;
  object_class->get_property = pve_remote_row_get_property;
  object_class->set_property = pve_remote_row_set_property;

  properties[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL,
                         PVE_TYPE_REMOTE_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REMOTE] =
    g_param_spec_object ("remote", NULL, NULL,
                         PVE_TYPE_REMOTE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  widget_class->map = pve_remote_row_map;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_GRID_LAYOUT);
}

static void
pve_remote_row_init (PveRemoteRow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkGridLayout *layout = GTK_GRID_LAYOUT (gtk_widget_get_layout_manager (widget));

  gtk_widget_add_css_class (widget, "remote-row");

  self->text = PVE_ROW_TEXT (pve_row_text_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->text), TRUE);
  gtk_widget_set_parent (GTK_WIDGET (self->text), widget);
  place (self, GTK_WIDGET (self->text), 0, 0, 1);

  /* Not a GtkLabel: changing a label's text lays the window out again (PveChoiceLabel); not
   * an inscription: GtkInscription asks Pango for the font's metrics twice in every measure,
   * which lays out a sample sentence each time. Rows out of view do not change it
   * (refresh_state()), so a Connect All changes only those on screen. */
  self->action_label = PVE_CHOICE_LABEL (pve_choice_label_new ((const char *[]) {
    _("Connect"), _("Cancel"), _("Disconnect"), _("Reconnect"), NULL }));
  self->action_button = GTK_BUTTON (gtk_button_new ());
  gtk_button_set_child (self->action_button, GTK_WIDGET (self->action_label));
  gtk_widget_set_valign (GTK_WIDGET (self->action_button), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->action_button), "flat");
  gtk_widget_add_css_class (GTK_WIDGET (self->action_button), "text-button");
  gtk_widget_set_parent (GTK_WIDGET (self->action_button), widget);
  place (self, GTK_WIDGET (self->action_button), 1, 0, 1);

  /* A plain button: the menu is built when first opened (on_menu_clicked). */
  self->menu_button = GTK_BUTTON (gtk_button_new_from_icon_name ("view-more-symbolic"));
  gtk_widget_set_valign (GTK_WIDGET (self->menu_button), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->menu_button), "flat");
  g_signal_connect_swapped (self->menu_button, "clicked", G_CALLBACK (on_menu_clicked), self);
  gtk_widget_set_parent (GTK_WIDGET (self->menu_button), widget);
  place (self, GTK_WIDGET (self->menu_button), 2, 0, 1);

  gtk_grid_layout_set_column_spacing (layout, 6);
  gtk_grid_layout_set_row_spacing (layout, 2);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_HAS_POPUP, TRUE,
                                  -1);
}

GtkWidget *
pve_remote_row_new (PveRemoteManager *manager,
                    PveRemote        *remote)
{
  g_return_val_if_fail (!manager || PVE_IS_REMOTE_MANAGER (manager), NULL);
  g_return_val_if_fail (!remote || PVE_IS_REMOTE (remote), NULL);

  return g_object_new (PVE_TYPE_REMOTE_ROW,
                       "manager", manager,
                       "remote", remote,
                       NULL);
}

PveRemote *
pve_remote_row_get_remote (PveRemoteRow *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE_ROW (self), NULL);

  return self->remote;
}

PveRowText *
pve_remote_row_get_text (PveRemoteRow *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE_ROW (self), NULL);

  return self->text;
}

const char *
pve_remote_row_get_state_text (PveRemoteRow *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE_ROW (self), NULL);

  return pve_row_text_get_status (self->text);
}

const char *
pve_remote_row_get_detail_text (PveRemoteRow *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE_ROW (self), NULL);

  return self->detail_text;
}

const char *
pve_remote_row_get_accessible_label (PveRemoteRow *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE_ROW (self), NULL);

  return self->accessible_label;
}

const char *
pve_remote_row_get_action_label (PveRemoteRow *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE_ROW (self), NULL);

  return pve_choice_label_get_text (self->action_label);
}

GtkButton *
pve_remote_row_get_action_button (PveRemoteRow *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE_ROW (self), NULL);

  return self->action_button;
}

GtkWidget *
pve_remote_row_get_menu_button (PveRemoteRow *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE_ROW (self), NULL);

  return GTK_WIDGET (self->menu_button);
}

GtkWidget *
pve_remote_row_get_menu (PveRemoteRow *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE_ROW (self), NULL);

  return self->menu;
}

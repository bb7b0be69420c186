/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "pve-remote-dialog.h"
#include "pve-tfa-dialog.h"
#include "pve-trust-dialog.h"

struct _PveRemoteDialog
{
  AdwWindow            parent_instance;

  PveRemoteManager    *manager;
  PveRemote           *remote;        /* edit: the remote being edited */
  PveRemote           *draft;         /* add: what add_async gets; in the store on success */
  GCancellable        *cancellable;
  char                *error;
  gboolean             busy;

  GtkButton           *save_button;
  GtkSpinner          *spinner;
  AdwPreferencesPage  *page;
  AdwPreferencesGroup *error_group;
  GtkRevealer         *error_revealer;
  GtkLabel            *error_label;
  AdwPreferencesGroup *account_group;
  AdwEntryRow         *name_row;
  AdwEntryRow         *host_row;
  GtkSpinButton       *port_spin;
  AdwEntryRow         *user_row;
  AdwEntryRow         *realm_row;
  AdwComboRow         *auth_row;
  AdwEntryRow         *password_row;
  AdwEntryRow         *token_id_row;
  AdwEntryRow         *token_secret_row;
  GtkSwitch           *autoconnect_switch;
};

G_DEFINE_FINAL_TYPE (PveRemoteDialog, pve_remote_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void submit_add (PveRemoteDialog *self);

static void
set_error (PveRemoteDialog *self,
           const char      *message)
{
  g_free (self->error);
  self->error = g_strdup (message);

  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_group), message != NULL);
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

static void
set_busy (PveRemoteDialog *self,
          gboolean         busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->page), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

static PveAuthKind
get_auth_kind (PveRemoteDialog *self)
{
  return adw_combo_row_get_selected (self->auth_row) == 1 ? PVE_AUTH_KIND_TOKEN
                                                          : PVE_AUTH_KIND_PASSWORD;
}

static void
on_auth_changed (PveRemoteDialog *self)
{
  gboolean token = get_auth_kind (self) == PVE_AUTH_KIND_TOKEN;

  gtk_widget_set_visible (GTK_WIDGET (self->password_row), !token);
  gtk_widget_set_visible (GTK_WIDGET (self->token_id_row), token);
  gtk_widget_set_visible (GTK_WIDGET (self->token_secret_row), token);
}

static char *
field_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* Copies the fields onto remote. Returns the secret typed (may be ""), or NULL with the
 * message for the user in error_message. */
static char *
apply_fields (PveRemoteDialog  *self,
              PveRemote        *remote,
              gboolean          secret_required,
              char            **error_message)
{
  g_autofree char *name = field_text (self->name_row);
  g_autofree char *host = field_text (self->host_row);
  g_autofree char *user = field_text (self->user_row);
  g_autofree char *realm = field_text (self->realm_row);
  g_autofree char *token_id = field_text (self->token_id_row);
  PveAuthKind kind = get_auth_kind (self);
  const char *secret;
  guint port = (guint) gtk_spin_button_get_value_as_int (self->port_spin);
  char *bang;
  char *at;

  /* Accept a token pasted in full ("user@realm!name"): split it into its fields. */
  if (kind == PVE_AUTH_KIND_TOKEN && (bang = strchr (token_id, '!')) != NULL)
    {
      *bang = '\0';
      if ((at = strrchr (token_id, '@')) != NULL)
        {
          *at = '\0';
          g_free (realm);
          realm = g_strdup (at + 1);
        }
      g_free (user);
      user = g_strdup (token_id);
      memmove (token_id, bang + 1, strlen (bang + 1) + 1);
    }
  /* Likewise "root@pam" typed as the user. */
  if ((at = strrchr (user, '@')) != NULL && at[1] != '\0')
    {
      *at = '\0';
      g_free (realm);
      realm = g_strdup (at + 1);
    }

  if (name[0] == '\0')
    {
      *error_message = g_strdup (_("Enter a name for the remote."));
      return NULL;
    }
  if (host[0] == '\0')
    {
      *error_message = g_strdup (_("Enter the host name or address of the server."));
      return NULL;
    }
  if (user[0] == '\0')
    {
      *error_message = g_strdup (_("Enter the user name."));
      return NULL;
    }
  if (realm[0] == '\0')
    {
      g_free (realm);
      realm = g_strdup ("pam");
    }

  if (kind == PVE_AUTH_KIND_TOKEN)
    {
      if (token_id[0] == '\0')
        {
          *error_message = g_strdup (_("Enter the token ID."));
          return NULL;
        }
      secret = gtk_editable_get_text (GTK_EDITABLE (self->token_secret_row));
    }
  else
    secret = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  if (secret_required && (secret == NULL || secret[0] == '\0'))
    {
      *error_message = g_strdup (kind == PVE_AUTH_KIND_TOKEN ? _("Enter the token secret.")
                                                             : _("Enter the password."));
      return NULL;
    }

  /* A pin belongs to a server: trusting one host's certificate must not carry over to
   * another host. */
  if (g_strcmp0 (pve_remote_get_host (remote), host) != 0)
    pve_remote_set_fingerprint (remote, NULL);

  pve_remote_set_name (remote, name);
  pve_remote_set_host (remote, host);
  pve_remote_set_port (remote, port);
  pve_remote_set_user (remote, user);
  pve_remote_set_realm (remote, realm);
  pve_remote_set_auth_kind (remote, kind);
  pve_remote_set_token_id (remote, kind == PVE_AUTH_KIND_TOKEN ? token_id : NULL);
  pve_remote_set_autoconnect (remote, gtk_switch_get_active (self->autoconnect_switch));

  return g_strdup (secret ? secret : "");
}

static void
finish_success (PveRemoteDialog *self,
                PveRemote       *remote)
{
  set_busy (self, FALSE);
  g_signal_emit (self, signals[SAVED], 0, remote);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
fail (PveRemoteDialog *self,
      const char      *message)
{
  set_busy (self, FALSE);
  set_error (self, message);
}

static void handle_add_result (PveRemoteDialog *self,
                               GError          *error);

static void
on_tfa_submitted (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PveRemoteDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  pve_remote_manager_submit_tfa_finish (PVE_REMOTE_MANAGER (object), result, &error);
  handle_add_result (self, error);
}

static void
on_tfa_answered (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PveRemoteDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  char *response;

  response = pve_tfa_dialog_run_finish (result, &error);
  if (response == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (self, _("Two-factor authentication was cancelled. Nothing was saved."));
      return;
    }

  pve_remote_manager_submit_tfa_async (self->manager, self->draft, response, self->cancellable,
                                       on_tfa_submitted, g_object_ref (self));
  pve_secrets_free_secret (response);
}

static void
on_trust_answered (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PveRemoteDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  PveCertificateInfo *info;

  if (!pve_trust_dialog_run_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (self, _("The server’s certificate was not trusted. Nothing was saved."));
      return;
    }

  info = pve_remote_manager_get_peer_certificate (self->manager, self->draft);
  if (info == NULL || info->fingerprint == NULL)
    {
      fail (self, _("The server’s certificate is no longer known. Try again."));
      return;
    }

  pve_remote_set_fingerprint (self->draft, info->fingerprint);
  submit_add (self);
}

static void
handle_add_result (PveRemoteDialog *self,
                   GError          *error)
{
  if (error == NULL)
    {
      finish_success (self, self->draft);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TLS_UNTRUSTED) ||
      g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TLS_CHANGED))
    {
      PveCertificateInfo *info = pve_remote_manager_get_peer_certificate (self->manager,
                                                                          self->draft);

      if (info == NULL)
        {
          fail (self, error->message);
          return;
        }

      pve_trust_dialog_run_async (GTK_WINDOW (self),
                                  pve_remote_get_host (self->draft),
                                  info,
                                  pve_remote_get_fingerprint (self->draft),
                                  self->cancellable,
                                  on_trust_answered,
                                  g_object_ref (self));
      return;
    }

  if (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NEED_TFA))
    {
      pve_tfa_dialog_run_async (GTK_WINDOW (self),
                                self->draft,
                                pve_remote_manager_get_tfa_methods (self->manager, self->draft),
                                NULL,
                                self->cancellable,
                                on_tfa_answered,
                                g_object_ref (self));
      return;
    }

  fail (self, error->message);
}

static void
on_add_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PveRemoteDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  pve_remote_manager_add_finish (PVE_REMOTE_MANAGER (object), result, &error);
  handle_add_result (self, error);
}

static void
submit_add (PveRemoteDialog *self)
{
  g_autofree char *message = NULL;
  char *secret;

  secret = apply_fields (self, self->draft, TRUE, &message);
  if (secret == NULL)
    {
      fail (self, message);
      return;
    }

  set_busy (self, TRUE);
  pve_remote_manager_add_async (self->manager, self->draft, secret, self->cancellable,
                                on_add_done, g_object_ref (self));
  pve_secrets_free_secret (secret);
}

static void
on_update_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PveRemoteDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pve_remote_manager_update_finish (PVE_REMOTE_MANAGER (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (self, error->message);
      return;
    }

  finish_success (self, self->remote);
}

static void
submit_edit (PveRemoteDialog *self)
{
  g_autoptr(PveRemote) config = pve_remote_dup_config (self->remote);
  g_autofree char *message = NULL;
  char *secret;

  secret = apply_fields (self, config, FALSE, &message);
  if (secret == NULL)
    {
      fail (self, message);
      return;
    }

  set_busy (self, TRUE);
  /* An empty password field keeps the stored secret. */
  pve_remote_manager_update_async (self->manager, self->remote, config,
                                   secret[0] != '\0' ? secret : NULL,
                                   self->cancellable, on_update_done, g_object_ref (self));
  pve_secrets_free_secret (secret);
}

void
pve_remote_dialog_submit (PveRemoteDialog *self)
{
  g_return_if_fail (PVE_IS_REMOTE_DIALOG (self));

  if (self->busy)
    return;

  set_error (self, NULL);
  if (self->remote != NULL)
    submit_edit (self);
  else
    submit_add (self);
}

static void
on_save_clicked (PveRemoteDialog *self)
{
  pve_remote_dialog_submit (self);
}

static gboolean
pve_remote_dialog_close_request (GtkWindow *window)
{
  PveRemoteDialog *self = PVE_REMOTE_DIALOG (window);

  /* Cancel an add in flight: nothing is saved when it does not complete. */
  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (pve_remote_dialog_parent_class)->close_request (window);
}

static void
pve_remote_dialog_dispose (GObject *object)
{
  PveRemoteDialog *self = PVE_REMOTE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PVE_TYPE_REMOTE_DIALOG);

  G_OBJECT_CLASS (pve_remote_dialog_parent_class)->dispose (object);
}

static void
pve_remote_dialog_finalize (GObject *object)
{
  PveRemoteDialog *self = PVE_REMOTE_DIALOG (object);

  g_clear_object (&self->manager);
  g_clear_object (&self->remote);
  g_clear_object (&self->draft);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (pve_remote_dialog_parent_class)->finalize (object);
}

static void
pve_remote_dialog_class_init (PveRemoteDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = pve_remote_dialog_dispose;
  object_class->finalize = pve_remote_dialog_finalize;
  window_class->close_request = pve_remote_dialog_close_request;

  /**
   * PveRemoteDialog::saved:
   * @remote: the remote added (now in the store, connected) or edited
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PVE_TYPE_REMOTE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/PveRemotes/pve-remote-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PveRemoteDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, PveRemoteDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, PveRemoteDialog, page);
  gtk_widget_class_bind_template_child (widget_class, PveRemoteDialog, error_group);
  gtk_widget_class_bind_template_child (widget_class, PveRemoteDialog, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, PveRemoteDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, PveRemoteDialog, account_group);
  gtk_widget_class_bind_template_child (widget_class, PveRemoteDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, PveRemoteDialog, host_row);
  gtk_widget_class_bind_template_child (widget_class, PveRemoteDialog, port_spin);
  gtk_widget_class_bind_template_child (widget_class, PveRemoteDialog, user_row);
  gtk_widget_class_bind_template_child (widget_class, PveRemoteDialog, realm_row);
  gtk_widget_class_bind_template_child (widget_class, PveRemoteDialog, auth_row);
  gtk_widget_class_bind_template_child (widget_class, PveRemoteDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, PveRemoteDialog, token_id_row);
  gtk_widget_class_bind_template_child (widget_class, PveRemoteDialog, token_secret_row);
  gtk_widget_class_bind_template_child (widget_class, PveRemoteDialog, autoconnect_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
label_delegate (AdwEntryRow *row)
{
  /* The text inside the row is what assistive technologies focus and type into: give it the
   * row's title as its name. */
  GtkEditable *delegate = gtk_editable_get_delegate (GTK_EDITABLE (row));

  if (delegate != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (delegate),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                    -1);
}

static void
pve_remote_dialog_init (PveRemoteDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  label_delegate (self->name_row);
  label_delegate (self->host_row);
  label_delegate (self->user_row);
  label_delegate (self->realm_row);
  label_delegate (self->password_row);
  label_delegate (self->token_id_row);
  label_delegate (self->token_secret_row);

  /* GtkSpinButton has no activates-default before GTK 4.14: its text has. */
  {
    GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (self->port_spin));

    if (GTK_IS_TEXT (text))
      gtk_text_set_activates_default (GTK_TEXT (text), TRUE);
  }

  g_signal_connect_swapped (self->auth_row, "notify::selected",
                            G_CALLBACK (on_auth_changed), self);
  on_auth_changed (self);
}

PveRemoteDialog *
pve_remote_dialog_new (GtkWindow        *parent,
                       PveRemoteManager *manager,
                       PveRemote        *remote)
{
  PveRemoteDialog *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (manager), NULL);
  g_return_val_if_fail (!remote || PVE_IS_REMOTE (remote), NULL);

  self = g_object_new (PVE_TYPE_REMOTE_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->manager = g_object_ref (manager);

  if (remote != NULL)
    {
      self->remote = g_object_ref (remote);
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Remote"));
      gtk_button_set_label (self->save_button, _("Save"));
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), pve_remote_get_name (remote));
      gtk_editable_set_text (GTK_EDITABLE (self->host_row), pve_remote_get_host (remote));
      gtk_spin_button_set_value (self->port_spin, pve_remote_get_port (remote));
      gtk_editable_set_text (GTK_EDITABLE (self->user_row), pve_remote_get_user (remote));
      gtk_editable_set_text (GTK_EDITABLE (self->realm_row), pve_remote_get_realm (remote));
      adw_combo_row_set_selected (self->auth_row,
                                  pve_remote_get_auth_kind (remote) == PVE_AUTH_KIND_TOKEN ? 1 : 0);
      if (pve_remote_get_token_id (remote) != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->token_id_row), pve_remote_get_token_id (remote));
      gtk_switch_set_active (self->autoconnect_switch, pve_remote_get_autoconnect (remote));
      adw_preferences_group_set_description (self->account_group,
                                             _("Leave the password empty to keep the stored one."));
    }
  else
    {
      self->draft = pve_remote_new ();
      pve_remote_set_port (self->draft, PVE_DEFAULT_PORT);
    }

  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));

  return self;
}

PveRemote *
pve_remote_dialog_get_remote (PveRemoteDialog *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE_DIALOG (self), NULL);

  return self->remote ? self->remote : self->draft;
}

const char *
pve_remote_dialog_get_error (PveRemoteDialog *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE_DIALOG (self), NULL);

  return self->error;
}

gboolean
pve_remote_dialog_get_busy (PveRemoteDialog *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE_DIALOG (self), FALSE);

  return self->busy;
}

GtkEditable *
pve_remote_dialog_get_field (PveRemoteDialog *self,
                             const char      *title)
{
  g_return_val_if_fail (PVE_IS_REMOTE_DIALOG (self), NULL);
  g_return_val_if_fail (title != NULL, NULL);

  if (g_str_equal (title, "Port"))
    return GTK_EDITABLE (self->port_spin);

  {
    AdwEntryRow *rows[] = {
      self->name_row, self->host_row, self->user_row, self->realm_row, self->password_row,
      self->token_id_row, self->token_secret_row,
    };
    static const char *titles[] = {
      "Name", "Host", "User", "Realm", "Password", "Token ID", "Token Secret",
    };

    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      if (g_str_equal (title, titles[i]))
        return GTK_EDITABLE (rows[i]);
  }

  return NULL;
}

void
pve_remote_dialog_set_auth_kind (PveRemoteDialog *self,
                                 PveAuthKind      kind)
{
  g_return_if_fail (PVE_IS_REMOTE_DIALOG (self));

  adw_combo_row_set_selected (self->auth_row, kind == PVE_AUTH_KIND_TOKEN ? 1 : 0);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "pve-password-dialog.h"
#include "pve-secrets.h"

struct _PvePasswordDialog
{
  AdwMessageDialog  parent_instance;

  GtkWidget        *entry;
  GtkWidget        *remember;
  GtkWidget        *keyring_note;
  GTask            *task;
};

G_DEFINE_FINAL_TYPE (PvePasswordDialog, pve_password_dialog, ADW_TYPE_MESSAGE_DIALOG)

typedef struct
{
  char     *password;
  gboolean  remember;
} PasswordResult;

static void
password_result_free (PasswordResult *result)
{
  pve_secrets_free_secret (result->password);
  g_free (result);
}

static void
complete (PvePasswordDialog *self,
          gboolean           accepted)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  PasswordResult *result;

  if (task == NULL)
    return;

  result = g_new0 (PasswordResult, 1);
  if (accepted)
    {
      result->password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
      result->remember = gtk_widget_get_sensitive (self->remember) &&
                         gtk_check_button_get_active (GTK_CHECK_BUTTON (self->remember));
    }
  /* The entry keeps its text until the dialog is destroyed: clear it now. */
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  g_task_return_pointer (task, result, (GDestroyNotify) password_result_free);
}

static void
pve_password_dialog_response (AdwMessageDialog *dialog,
                              const char       *response)
{
  complete (PVE_PASSWORD_DIALOG (dialog), g_strcmp0 (response, "connect") == 0);

  if (ADW_MESSAGE_DIALOG_CLASS (pve_password_dialog_parent_class)->response)
    ADW_MESSAGE_DIALOG_CLASS (pve_password_dialog_parent_class)->response (dialog, response);
}

static void
pve_password_dialog_dispose (GObject *object)
{
  PvePasswordDialog *self = PVE_PASSWORD_DIALOG (object);

  if (self->task != NULL)
    complete (self, FALSE);

  /* GtkPasswordEntry (4.8) reacts to its text losing focus; when that happens while the
   * window tears down, the entry is already gone. Let the focus go while it still exists. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);

  G_OBJECT_CLASS (pve_password_dialog_parent_class)->dispose (object);
}

static void
pve_password_dialog_class_init (PvePasswordDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->dispose = pve_password_dialog_dispose;
  dialog_class->response = pve_password_dialog_response;
}

static void
on_entry_changed (PvePasswordDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "connect",
                                           text != NULL && text[0] != '\0');
}

static void
on_entry_activate (PvePasswordDialog *self)
{
  if (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (self), "connect"))
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (self), "connect");
}

static void
pve_password_dialog_init (PvePasswordDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  self->entry = gtk_password_entry_new ();
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (self->entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Password"),
                                  -1);
  g_signal_connect_swapped (self->entry, "changed", G_CALLBACK (on_entry_changed), self);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (on_entry_activate), self);
  gtk_box_append (GTK_BOX (box), self->entry);

  /* A plain label: with a mnemonic, GTK 4.8 reads the name twice. */
  self->remember = gtk_check_button_new_with_label (_("Remember password"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->remember), TRUE);
  gtk_box_append (GTK_BOX (box), self->remember);

  self->keyring_note = gtk_label_new (_("No keyring can be reached: the password is kept for "
                                        "this session only."));
  gtk_label_set_wrap (GTK_LABEL (self->keyring_note), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->keyring_note), 0.0f);
  gtk_widget_add_css_class (self->keyring_note, "dim-label");
  gtk_widget_add_css_class (self->keyring_note, "caption");
  gtk_widget_set_visible (self->keyring_note, FALSE);
  gtk_box_append (GTK_BOX (box), self->keyring_note);

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), box);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self),
                                    "cancel", _("Cancel"),
                                    "connect", _("Connect"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "connect",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), "connect");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "cancel");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "connect", FALSE);
}

static void
on_cancelled (GCancellable *cancellable,
              GtkWindow    *dialog)
{
  gtk_window_destroy (dialog);
}

void
pve_password_dialog_run_async (GtkWindow           *parent,
                               PveRemote           *remote,
                               gboolean             keyring_available,
                               const char          *message,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  PvePasswordDialog *self;
  g_autoptr(GTask) task = NULL;
  g_autofree char *userid = NULL;
  g_autofree char *body = NULL;
  gboolean token;

  g_return_if_fail (!parent || GTK_IS_WINDOW (parent));
  g_return_if_fail (PVE_IS_REMOTE (remote));

  token = pve_remote_get_auth_kind (remote) == PVE_AUTH_KIND_TOKEN;
  userid = token ? pve_remote_dup_full_token_id (remote) : pve_remote_dup_userid (remote);

  self = g_object_new (PVE_TYPE_PASSWORD_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "destroy-with-parent", TRUE,
                       NULL);

  if (token)
    {
      adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (self), _("Token Secret for %s"),
                                         pve_remote_get_name (remote));
      body = g_strdup_printf (_("Enter the secret of the API token %s on %s."),
                              userid, pve_remote_get_host (remote));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Token Secret"),
                                      -1);
      gtk_check_button_set_label (GTK_CHECK_BUTTON (self->remember), _("Remember secret"));
    }
  else
    {
      adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (self), _("Password for %s"),
                                         pve_remote_get_name (remote));
      body = g_strdup_printf (_("Enter the password of %s on %s."),
                              userid, pve_remote_get_host (remote));
    }

  if (message != NULL && message[0] != '\0')
    {
      g_autofree char *with_message = g_strdup_printf ("%s\n\n%s", message, body);
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), with_message);
    }
  else
    adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);

  if (!keyring_available)
    {
      gtk_check_button_set_active (GTK_CHECK_BUTTON (self->remember), FALSE);
      gtk_widget_set_sensitive (self->remember, FALSE);
      gtk_widget_set_visible (self->keyring_note, TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->remember),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      gtk_label_get_text (GTK_LABEL (self->keyring_note)),
                                      -1);
    }

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pve_password_dialog_run_async);
  self->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (on_cancelled), self, 0);

  gtk_window_present (GTK_WINDOW (self));
  gtk_widget_grab_focus (self->entry);
}

char *
pve_password_dialog_run_finish (GAsyncResult  *result,
                                gboolean      *remember,
                                GError       **error)
{
  PasswordResult *res;
  char *password;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pve_password_dialog_run_async, NULL);

  res = g_task_propagate_pointer (G_TASK (result), error);
  if (res == NULL)
    return NULL;

  password = g_steal_pointer (&res->password);
  if (remember != NULL)
    *remember = res->remember;
  password_result_free (res);

  return password;
}

GtkEditable *
pve_password_dialog_get_entry (PvePasswordDialog *self)
{
  g_return_val_if_fail (PVE_IS_PASSWORD_DIALOG (self), NULL);

  return GTK_EDITABLE (self->entry);
}

GtkCheckButton *
pve_password_dialog_get_remember_button (PvePasswordDialog *self)
{
  g_return_val_if_fail (PVE_IS_PASSWORD_DIALOG (self), NULL);

  return GTK_CHECK_BUTTON (self->remember);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "pve-secrets.h"
#include "pve-tfa-dialog.h"

struct _PveTfaDialog
{
  AdwMessageDialog  parent_instance;

  GtkWidget        *method;
  GtkWidget        *entry;
  GPtrArray        *method_ids;
  GTask            *task;
};

G_DEFINE_FINAL_TYPE (PveTfaDialog, pve_tfa_dialog, ADW_TYPE_MESSAGE_DIALOG)

static const char *
current_method (PveTfaDialog *self)
{
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->method));

  if (selected == GTK_INVALID_LIST_POSITION || selected >= self->method_ids->len)
    return "totp";

  return g_ptr_array_index (self->method_ids, selected);
}

static void
complete (PveTfaDialog *self,
          gboolean      accepted)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  char *response = NULL;

  if (task == NULL)
    return;

  if (accepted)
    {
      g_autofree char *code = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry))));
      response = g_strdup_printf ("%s:%s", current_method (self), code);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  g_task_return_pointer (task, response, (GDestroyNotify) pve_secrets_free_secret);
}

static void
pve_tfa_dialog_response (AdwMessageDialog *dialog,
                         const char       *response)
{
  complete (PVE_TFA_DIALOG (dialog), g_strcmp0 (response, "verify") == 0);

  if (ADW_MESSAGE_DIALOG_CLASS (pve_tfa_dialog_parent_class)->response)
    ADW_MESSAGE_DIALOG_CLASS (pve_tfa_dialog_parent_class)->response (dialog, response);
}

static void
pve_tfa_dialog_dispose (GObject *object)
{
  PveTfaDialog *self = PVE_TFA_DIALOG (object);

  if (self->task != NULL)
    complete (self, FALSE);

  G_OBJECT_CLASS (pve_tfa_dialog_parent_class)->dispose (object);
}

static void
pve_tfa_dialog_finalize (GObject *object)
{
  PveTfaDialog *self = PVE_TFA_DIALOG (object);

  g_clear_pointer (&self->method_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (pve_tfa_dialog_parent_class)->finalize (object);
}

static void
pve_tfa_dialog_class_init (PveTfaDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->dispose = pve_tfa_dialog_dispose;
  object_class->finalize = pve_tfa_dialog_finalize;
  dialog_class->response = pve_tfa_dialog_response;
}

static void
on_entry_changed (PveTfaDialog *self)
{
  g_autofree char *code = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry))));

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "verify", code[0] != '\0');
}

static void
on_entry_activate (PveTfaDialog *self)
{
  if (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (self), "verify"))
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (self), "verify");
}

static void
on_method_changed (PveTfaDialog *self)
{
  gboolean totp = g_str_equal (current_method (self), "totp");

  gtk_entry_set_input_purpose (GTK_ENTRY (self->entry),
                               totp ? GTK_INPUT_PURPOSE_PIN : GTK_INPUT_PURPOSE_FREE_FORM);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->entry), totp ? "123456" : NULL);
}

static void
pve_tfa_dialog_init (PveTfaDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  self->method_ids = g_ptr_array_new_with_free_func (g_free);

  self->method = gtk_drop_down_new (NULL, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->method),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Two-factor method"),
                                  -1);
  g_signal_connect_swapped (self->method, "notify::selected", G_CALLBACK (on_method_changed), self);
  gtk_box_append (GTK_BOX (box), self->method);

  self->entry = gtk_entry_new ();
  gtk_entry_set_activates_default (GTK_ENTRY (self->entry), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Two-factor code"),
                                  -1);
  g_signal_connect_swapped (self->entry, "changed", G_CALLBACK (on_entry_changed), self);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (on_entry_activate), self);
  gtk_box_append (GTK_BOX (box), self->entry);

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), box);
  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), _("Two-Factor Authentication"));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self),
                                    "cancel", _("Cancel"),
                                    "verify", _("Verify"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "verify",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), "verify");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "cancel");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "verify", FALSE);
}

static const char *
method_label (const char *method)
{
  if (g_str_equal (method, "totp"))
    return _("Authenticator app (TOTP)");
  if (g_str_equal (method, "recovery"))
    return _("Recovery key");
  return NULL;
}

static void
on_cancelled (GCancellable *cancellable,
              GtkWindow    *dialog)
{
  gtk_window_destroy (dialog);
}

void
pve_tfa_dialog_run_async (GtkWindow           *parent,
                          PveRemote           *remote,
                          const char * const  *methods,
                          const char          *message,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  static const char * const default_methods[] = { "totp", NULL };
  PveTfaDialog *self;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GtkStringList) labels = NULL;
  g_autofree char *userid = NULL;
  g_autofree char *body = NULL;

  g_return_if_fail (!parent || GTK_IS_WINDOW (parent));
  g_return_if_fail (PVE_IS_REMOTE (remote));

  self = g_object_new (PVE_TYPE_TFA_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "destroy-with-parent", TRUE,
                       NULL);

  if (methods == NULL || methods[0] == NULL)
    methods = default_methods;

  /* Only the methods this app can answer: WebAuthn and YubiKey OTP need hardware support. */
  labels = gtk_string_list_new (NULL);
  for (guint i = 0; methods[i] != NULL; i++)
    {
      const char *label = method_label (methods[i]);

      if (label == NULL)
        continue;
      gtk_string_list_append (labels, label);
      g_ptr_array_add (self->method_ids, g_strdup (methods[i]));
    }
  if (self->method_ids->len == 0)
    {
      gtk_string_list_append (labels, method_label ("totp"));
      g_ptr_array_add (self->method_ids, g_strdup ("totp"));
    }
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->method), G_LIST_MODEL (labels));
  gtk_widget_set_visible (self->method, self->method_ids->len > 1);
  on_method_changed (self);

  userid = pve_remote_dup_userid (remote);
  body = g_strdup_printf (_("%s on %s requires a second factor. Enter the code from your "
                            "authenticator app, or one of your recovery keys."),
                          userid, pve_remote_get_name (remote));
  if (message != NULL && message[0] != '\0')
    {
      g_autofree char *with_message = g_strdup_printf ("%s\n\n%s", message, body);
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), with_message);
    }
  else
    adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pve_tfa_dialog_run_async);
  self->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (on_cancelled), self, 0);

  gtk_window_present (GTK_WINDOW (self));
  gtk_widget_grab_focus (self->entry);
}

char *
pve_tfa_dialog_run_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pve_tfa_dialog_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GtkEditable *
pve_tfa_dialog_get_entry (PveTfaDialog *self)
{
  g_return_val_if_fail (PVE_IS_TFA_DIALOG (self), NULL);

  return GTK_EDITABLE (self->entry);
}

void
pve_tfa_dialog_set_method (PveTfaDialog *self,
                           const char   *method)
{
  g_return_if_fail (PVE_IS_TFA_DIALOG (self));

  for (guint i = 0; i < self->method_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->method_ids, i), method) == 0)
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->method), i);
}

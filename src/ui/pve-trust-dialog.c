/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <glib/gi18n.h>

#include "pve-trust-dialog.h"

struct _PveTrustDialog
{
  AdwMessageDialog  parent_instance;

  char             *fingerprint;
  char             *pinned_fingerprint;
  GtkWidget        *grid;
  int               n_rows;
  GTask            *task;
};

G_DEFINE_FINAL_TYPE (PveTrustDialog, pve_trust_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
complete (PveTrustDialog *self,
          gboolean        trusted)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (task != NULL)
    g_task_return_boolean (task, trusted);
}

static void
pve_trust_dialog_dispose (GObject *object)
{
  /* Closed without a response (parent destroyed, cancelled): the same as "cancel". */
  complete (PVE_TRUST_DIALOG (object), FALSE);

  G_OBJECT_CLASS (pve_trust_dialog_parent_class)->dispose (object);
}

static void
pve_trust_dialog_response (AdwMessageDialog *dialog,
                           const char       *response)
{
  complete (PVE_TRUST_DIALOG (dialog), g_strcmp0 (response, "trust") == 0);

  if (ADW_MESSAGE_DIALOG_CLASS (pve_trust_dialog_parent_class)->response)
    ADW_MESSAGE_DIALOG_CLASS (pve_trust_dialog_parent_class)->response (dialog, response);
}

static void
pve_trust_dialog_finalize (GObject *object)
{
  PveTrustDialog *self = PVE_TRUST_DIALOG (object);

  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_pointer (&self->pinned_fingerprint, g_free);

  G_OBJECT_CLASS (pve_trust_dialog_parent_class)->finalize (object);
}

static void
pve_trust_dialog_class_init (PveTrustDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->dispose = pve_trust_dialog_dispose;
  object_class->finalize = pve_trust_dialog_finalize;
  dialog_class->response = pve_trust_dialog_response;
}

static void
pve_trust_dialog_init (PveTrustDialog *self)
{
  self->grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 12);
  gtk_widget_set_margin_top (self->grid, 12);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), self->grid);
}

static void
add_row (PveTrustDialog *self,
         const char     *title,
         const char     *value,
         gboolean        monospace)
{
  GtkWidget *name;
  GtkWidget *label;

  if (value == NULL || value[0] == '\0')
    return;

  name = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (name), 1.0f);
  gtk_label_set_yalign (GTK_LABEL (name), 0.0f);
  gtk_widget_add_css_class (name, "dim-label");

  if (monospace)
    {
      /* 32 bytes as two lines of 16: easy to compare with what the server shows. */
      g_autofree char *split = g_strdup (value);

      if (strlen (split) == 95 && split[47] == ':')
        split[47] = '\n';
      label = gtk_label_new (split);
      gtk_widget_add_css_class (label, "fingerprint");
    }
  else
    {
      label = gtk_label_new (value);
      /* A minimum width keeps the wrapped height sane in the dialog's layout. */
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_width_chars (GTK_LABEL (label), 30);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 47);
    }
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, name, NULL,
                                  -1);

  gtk_grid_attach (GTK_GRID (self->grid), name, 0, self->n_rows, 1, 1);
  gtk_grid_attach (GTK_GRID (self->grid), label, 1, self->n_rows, 1, 1);
  self->n_rows++;
}

static char *
format_date (GDateTime *date)
{
  g_autoptr(GDateTime) local = NULL;

  if (date == NULL)
    return NULL;

  local = g_date_time_to_local (date);
  /* Translators: a certificate validity date, strftime format */
  return g_date_time_format (local, _("%Y-%m-%d %H:%M"));
}

static void
on_cancelled (GCancellable *cancellable,
              GtkWindow    *dialog)
{
  gtk_window_destroy (dialog);
}

void
pve_trust_dialog_run_async (GtkWindow                *parent,
                            const char               *host,
                            const PveCertificateInfo *info,
                            const char               *pinned_fingerprint,
                            GCancellable             *cancellable,
                            GAsyncReadyCallback       callback,
                            gpointer                  user_data)
{
  PveTrustDialog *self;
  g_autoptr(GTask) task = NULL;
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;
  gboolean changed;

  g_return_if_fail (!parent || GTK_IS_WINDOW (parent));
  g_return_if_fail (host != NULL);
  g_return_if_fail (info != NULL);

  changed = pinned_fingerprint != NULL && pinned_fingerprint[0] != '\0';

  self = g_object_new (PVE_TYPE_TRUST_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->fingerprint = g_strdup (info->fingerprint);
  self->pinned_fingerprint = changed ? g_strdup (pinned_fingerprint) : NULL;

  if (changed)
    {
      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), _("Certificate Changed"));
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                      _("The certificate of %s has changed since you trusted it. "
                                        "This happens when the certificate was renewed, but it can "
                                        "also mean that someone is intercepting the connection. "
                                        "Only trust it if you know why it changed."),
                                      host);
    }
  else
    {
      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), _("Unknown Certificate"));
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                      _("The certificate of %s is not signed by an authority this "
                                        "computer trusts. Compare its fingerprint with the one shown "
                                        "on the server (Datacenter → Node → System → Certificates) "
                                        "before you trust it."),
                                      host);
    }

  add_row (self, _("SHA-256 fingerprint"), info->fingerprint, TRUE);
  if (changed)
    add_row (self, _("Previously trusted"), pinned_fingerprint, TRUE);
  add_row (self, _("Subject"), info->subject, FALSE);
  add_row (self, _("Issuer"), info->issuer, FALSE);
  from = format_date (info->not_before);
  until = format_date (info->not_after);
  add_row (self, _("Valid from"), from, FALSE);
  add_row (self, _("Valid until"), until, FALSE);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self),
                                    "cancel", _("Cancel"),
                                    "trust", _("Trust"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "trust",
                                              changed ? ADW_RESPONSE_DESTRUCTIVE
                                                      : ADW_RESPONSE_SUGGESTED);
  /* Trusting must be a deliberate choice: Enter and Escape both cancel. */
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "cancel");

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pve_trust_dialog_run_async);
  self->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (on_cancelled), self, 0);

  gtk_window_present (GTK_WINDOW (self));
}

gboolean
pve_trust_dialog_run_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pve_trust_dialog_run_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
pve_trust_dialog_get_fingerprint (PveTrustDialog *self)
{
  g_return_val_if_fail (PVE_IS_TRUST_DIALOG (self), NULL);

  return self->fingerprint;
}

const char *
pve_trust_dialog_get_pinned_fingerprint (PveTrustDialog *self)
{
  g_return_val_if_fail (PVE_IS_TRUST_DIALOG (self), NULL);

  return self->pinned_fingerprint;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window's actions: add-remote and the per-remote actions (remote.connect, .disconnect,
 * .edit, .retrust, .remove, each with the remote's id as parameter). The flows that need the
 * user (password, second factor, certificate) run here; the work is the manager's.
 */
#include <glib/gi18n.h>

#include "pve-guests-view.h"
#include "pve-password-dialog.h"
#include "pve-remote-dialog.h"
#include "pve-tfa-dialog.h"
#include "pve-trust-dialog.h"
#include "pve-window-private.h"

typedef struct
{
  PveWindow *self;
  PveRemote *remote;
  gboolean   typed_secret;  /* the secret came from the password dialog, not the keyring */
} RemoteOp;

static RemoteOp *
remote_op_new (PveWindow *self,
               PveRemote *remote)
{
  RemoteOp *op = g_new0 (RemoteOp, 1);

  op->self = g_object_ref (self);
  op->remote = g_object_ref (remote);

  return op;
}

static void
remote_op_free (RemoteOp *op)
{
  g_clear_object (&op->self);
  g_clear_object (&op->remote);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RemoteOp, remote_op_free)

static void connect_remote (PveWindow  *self,
                            PveRemote  *remote,
                            const char *password,
                            gboolean    remember);

static void
toastf (PveWindow  *self,
        const char *format,
        ...) G_GNUC_PRINTF (2, 3);

static void
toastf (PveWindow  *self,
        const char *format,
        ...)
{
  g_autofree char *title = NULL;
  va_list args;

  va_start (args, format);
  title = g_strdup_vprintf (format, args);
  va_end (args);

  pve_window_add_toast (self, title);
}

/* --- Connect ------------------------------------------------------------------------- */

static void handle_connect_result (RemoteOp *op,
                                   GError   *error);

static void
on_password_answered (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(RemoteOp) op = user_data;
  gboolean remember = FALSE;
  char *password;

  password = pve_password_dialog_run_finish (result, &remember, NULL);
  if (password == NULL)
    return;

  connect_remote (op->self, op->remote, password, remember);
  pve_secrets_free_secret (password);
}

static void
ask_password (RemoteOp   *op,
              const char *message)
{
  pve_password_dialog_run_async (GTK_WINDOW (op->self),
                                 op->remote,
                                 pve_remote_manager_get_keyring_available (op->self->manager),
                                 message,
                                 op->self->cancellable,
                                 on_password_answered,
                                 remote_op_new (op->self, op->remote));
}

static void
on_tfa_submitted (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(RemoteOp) op = user_data;
  g_autoptr(GError) error = NULL;

  pve_remote_manager_submit_tfa_finish (PVE_REMOTE_MANAGER (object), result, &error);
  handle_connect_result (op, error);
}

static void
on_tfa_answered (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(RemoteOp) op = user_data;
  char *response;

  response = pve_tfa_dialog_run_finish (result, NULL);
  if (response == NULL)
    {
      /* Leave no half-finished login behind. */
      pve_remote_manager_disconnect (op->self->manager, op->remote);
      return;
    }

  pve_remote_manager_submit_tfa_async (op->self->manager, op->remote, response,
                                       op->self->cancellable, on_tfa_submitted,
                                       remote_op_new (op->self, op->remote));
  pve_secrets_free_secret (response);
}

static void
on_pinned (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(RemoteOp) op = user_data;
  g_autoptr(GError) error = NULL;

  if (!pve_remote_manager_pin_certificate_finish (PVE_REMOTE_MANAGER (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toastf (op->self, "%s: %s", pve_remote_get_name (op->remote), error->message);
      return;
    }

  connect_remote (op->self, op->remote, NULL, FALSE);
}

typedef struct
{
  RemoteOp *op;
  char     *fingerprint;
} TrustOp;

static void
on_trust_answered (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  TrustOp *trust = user_data;
  g_autoptr(RemoteOp) op = trust->op;
  g_autofree char *fingerprint = trust->fingerprint;

  g_free (trust);

  if (!pve_trust_dialog_run_finish (result, NULL))
    return;

  pve_remote_manager_pin_certificate_async (op->self->manager, op->remote, fingerprint,
                                            op->self->cancellable, on_pinned,
                                            remote_op_new (op->self, op->remote));
}

static void
ask_trust (PveWindow                *self,
           PveRemote                *remote,
           const PveCertificateInfo *info)
{
  const char *pinned = pve_remote_get_fingerprint (remote);
  TrustOp *trust;

  /* The same fingerprint as pinned is no change: show it as a certificate to confirm. */
  if (pinned != NULL && info->fingerprint != NULL &&
      g_ascii_strcasecmp (pinned, info->fingerprint) == 0)
    pinned = NULL;

  trust = g_new0 (TrustOp, 1);
  trust->op = remote_op_new (self, remote);
  trust->fingerprint = g_strdup (info->fingerprint);

  pve_trust_dialog_run_async (GTK_WINDOW (self),
                              pve_remote_get_host (remote),
                              info,
                              pinned,
                              self->cancellable,
                              on_trust_answered,
                              trust);
}

static void
handle_connect_result (RemoteOp *op,
                       GError   *error)
{
  PveWindow *self = op->self;
  const char *name = pve_remote_get_name (op->remote);

  /* The window is closing: ask nothing more. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  if (error == NULL)
    {
      /* Translators: a notification, %s is the remote's name */
      toastf (self, _("%s connected"), name);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (g_error_matches (error, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_NEEDS_CREDENTIALS))
    {
      ask_password (op, NULL);
      return;
    }

  if (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_AUTH_FAILED))
    {
      /* A wrong typed password, or a stored one that is no longer valid: ask again, with
       * the server's reason. */
      ask_password (op, error->message);
      return;
    }

  if (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NEED_TFA))
    {
      pve_tfa_dialog_run_async (GTK_WINDOW (self),
                                op->remote,
                                pve_remote_manager_get_tfa_methods (self->manager, op->remote),
                                NULL,
                                self->cancellable,
                                on_tfa_answered,
                                remote_op_new (self, op->remote));
      return;
    }

  if (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TLS_UNTRUSTED))
    {
      PveCertificateInfo *info = pve_remote_manager_get_peer_certificate (self->manager,
                                                                          op->remote);

      if (info != NULL)
        {
          ask_trust (self, op->remote, info);
          return;
        }
    }

  if (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TLS_CHANGED))
    {
      /* Never offered in passing: re-trusting is an explicit choice from the menu. */
      /* Translators: a notification, %s is the remote's name */
      toastf (self, _("The certificate of %s has changed"), name);
      return;
    }

  /* Translators: a notification: "pve1: Connection refused" */
  toastf (self, _("%s: %s"), name, error->message);
}

static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(RemoteOp) op = user_data;
  g_autoptr(GError) error = NULL;

  pve_remote_manager_connect_finish (PVE_REMOTE_MANAGER (object), result, &error);
  handle_connect_result (op, error);
}

static void
connect_remote (PveWindow  *self,
                PveRemote  *remote,
                const char *password,
                gboolean    remember)
{
  RemoteOp *op;

  if (pve_remote_get_state (remote) == PVE_REMOTE_STATE_CONNECTING ||
      pve_remote_get_state (remote) == PVE_REMOTE_STATE_CONNECTED)
    return;

  op = remote_op_new (self, remote);
  op->typed_secret = password != NULL;
  pve_remote_manager_connect_async (self->manager, remote, password, remember,
                                    self->cancellable, on_connected, op);
}

static void
remote_connect_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  PveWindow *self = PVE_WINDOW (widget);
  PveRemote *remote = _pve_window_lookup_remote (self, g_variant_get_string (param, NULL));

  if (remote != NULL)
    connect_remote (self, remote, NULL, FALSE);
}

/* --- Disconnect ---------------------------------------------------------------------- */

static void
remote_disconnect_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  PveWindow *self = PVE_WINDOW (widget);
  PveRemote *remote = _pve_window_lookup_remote (self, g_variant_get_string (param, NULL));
  gboolean was_connected;

  if (remote == NULL)
    return;

  was_connected = pve_remote_get_state (remote) == PVE_REMOTE_STATE_CONNECTED;
  pve_remote_manager_disconnect (self->manager, remote);
  if (was_connected)
    /* Translators: a notification, %s is the remote's name */
    toastf (self, _("Disconnected from %s"), pve_remote_get_name (remote));
}

/* --- Re-trust ------------------------------------------------------------------------ */

static void
on_certificate_fetched (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(RemoteOp) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PveCertificateInfo) info = NULL;

  info = pve_remote_manager_fetch_certificate_finish (PVE_REMOTE_MANAGER (object), result, &error);
  if (g_cancellable_is_cancelled (op->self->cancellable))
    return;
  if (info == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toastf (op->self, _("%s: %s"), pve_remote_get_name (op->remote), error->message);
      return;
    }

  ask_trust (op->self, op->remote, info);
}

static void
remote_retrust_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  PveWindow *self = PVE_WINDOW (widget);
  PveRemote *remote = _pve_window_lookup_remote (self, g_variant_get_string (param, NULL));

  if (remote == NULL)
    return;

  pve_remote_manager_fetch_certificate_async (self->manager, remote, self->cancellable,
                                              on_certificate_fetched,
                                              remote_op_new (self, remote));
}

/* --- Add and edit -------------------------------------------------------------------- */

static void
on_remote_added (PveWindow *self,
                 PveRemote *remote)
{
  /* Translators: a notification, %s is the remote's name */
  toastf (self, _("%s added and connected"), pve_remote_get_name (remote));
  pve_window_select_remote (self, remote);
}

static void
on_remote_edited (PveWindow *self,
                  PveRemote *remote)
{
  /* Translators: a notification, %s is the remote's name */
  toastf (self, _("%s saved"), pve_remote_get_name (remote));
}

static void
add_remote_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  PveWindow *self = PVE_WINDOW (widget);
  PveRemoteDialog *dialog = pve_remote_dialog_new (GTK_WINDOW (self), self->manager, NULL);

  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_remote_added), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
remote_edit_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  PveWindow *self = PVE_WINDOW (widget);
  PveRemote *remote = _pve_window_lookup_remote (self, g_variant_get_string (param, NULL));
  PveRemoteDialog *dialog;

  if (remote == NULL)
    return;

  dialog = pve_remote_dialog_new (GTK_WINDOW (self), self->manager, remote);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_remote_edited), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- Remove -------------------------------------------------------------------------- */

static void
on_removed (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(RemoteOp) op = user_data;
  g_autoptr(GError) error = NULL;

  if (!pve_remote_manager_remove_finish (PVE_REMOTE_MANAGER (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toastf (op->self, _("%s: %s"), pve_remote_get_name (op->remote), error->message);
      return;
    }

  /* Translators: a notification, %s is the remote's name */
  toastf (op->self, _("%s removed"), pve_remote_get_name (op->remote));
}

static void
on_remove_response (AdwMessageDialog *dialog,
                    const char       *response,
                    RemoteOp         *op)
{
  if (g_strcmp0 (response, "remove") != 0)
    return;

  pve_remote_manager_remove_async (op->self->manager, op->remote, op->self->cancellable,
                                   on_removed, remote_op_new (op->self, op->remote));
}

static void
remote_remove_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  PveWindow *self = PVE_WINDOW (widget);
  PveRemote *remote = _pve_window_lookup_remote (self, g_variant_get_string (param, NULL));
  GtkWidget *dialog;

  if (remote == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL);
  /* Translators: %s is the remote's name */
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Remove %s?"),
                                     pve_remote_get_name (remote));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _("The remote is disconnected and its settings and stored "
                                 "password are deleted from this computer. Nothing changes on "
                                 "the server."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("Cancel"),
                                    "remove", _("Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_remove_response),
                         remote_op_new (self, remote), (GClosureNotify) remote_op_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- Views -------------------------------------------------------------------------- */

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  _pve_window_pop_detail (PVE_WINDOW (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  PveWindow *self = PVE_WINDOW (widget);

  if (g_strcmp0 (pve_window_get_content_page (self), "connected") != 0 &&
      g_strcmp0 (pve_window_get_content_page (self), "detail") != 0)
    return;

  pve_window_show_view (self, "guests");
  pve_guests_view_focus_search (PVE_GUESTS_VIEW (pve_window_get_view (self, "guests")));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  _pve_window_refresh (PVE_WINDOW (widget));
}

static void
view_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  PveWindow *self = PVE_WINDOW (widget);
  const char *name = g_variant_get_string (param, NULL);

  if (pve_window_get_view (self, name) != NULL)
    pve_window_show_view (self, name);
}

/* The shortcuts window is built when first asked for. GtkApplication would build it for every
 * window as it is added (from gtk/help-overlay.ui), before the window's first frame. */
static void
show_help_overlay_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (widget);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource ("/com/example/PveRemotes/pve-help-overlay.ui");

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (window, overlay);
    }
  gtk_window_present (GTK_WINDOW (overlay));
}

void
_pve_window_class_actions_init (GtkWidgetClass *widget_class)
{
  static const char *views[] = { "guests", "nodes", "tasks", "cluster" };

  gtk_widget_class_install_action (widget_class, "win.add-remote", NULL, add_remote_action);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL,
                                   show_help_overlay_action);
  gtk_widget_class_install_action (widget_class, "remote.connect", "s", remote_connect_action);
  gtk_widget_class_install_action (widget_class, "remote.disconnect", "s",
                                   remote_disconnect_action);
  gtk_widget_class_install_action (widget_class, "remote.edit", "s", remote_edit_action);
  gtk_widget_class_install_action (widget_class, "remote.retrust", "s", remote_retrust_action);
  gtk_widget_class_install_action (widget_class, "remote.remove", "s", remote_remove_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.add-remote", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);

  gtk_widget_class_install_action (widget_class, "content.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.search-guests", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.show-view", "s", view_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "content.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search-guests", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.show-view", "s", views[i]);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The Remotes window, driven in-process under Xvfb against the real simulator over real TLS
 * and the real (throw-away) gnome-keyring: flows 1 to 7 of the Remotes issue. The widgets are
 * the app's own (the pve-ui library); dialogs are found among the toplevels and answered by
 * their responses, entries are filled like a user would.
 */
#include <adwaita.h>
#include <glib/gstdio.h>

#include "pve-choice-label.h"
#include "pve-cluster-view.h"
#include "pve-guests-view.h"
#include "pve-nodes-view.h"
#include "pve-password-dialog.h"
#include "pve-remote-dialog.h"
#include "pve-remote-manager.h"
#include "pve-remote-row.h"
#include "pve-tasks-view.h"
#include "pve-sim.h"
#include "pve-tfa-dialog.h"
#include "pve-trust-dialog.h"
#include "pve-window.h"
#include "pve-window-private.h"

#define TIMEOUT_SECONDS 20

typedef struct
{
  PveSim           *sim;
  guint             port;
  char             *tmpdir;
  char             *store_path;
  PveRemoteManager *manager;
  PveWindow        *window;
} Fixture;

/* --- Main loop helpers ------------------------------------------------------------------ */

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main context until the condition holds; fails the test after a timeout. */
#define WAIT_FOR(cond) \
  G_STMT_START { \
    gint64 _deadline = g_get_monotonic_time () + TIMEOUT_SECONDS * G_USEC_PER_SEC; \
    guint _wake = g_timeout_add (20, wake_up, NULL); \
    while (!(cond)) \
      { \
        if (g_get_monotonic_time () > _deadline) \
          g_error ("%s:%d: timed out waiting for %s", __FILE__, __LINE__, #cond); \
        g_main_context_iteration (NULL, TRUE); \
      } \
    g_source_remove (_wake); \
  } G_STMT_END

/* Lets pending work run for a while (used only to show that nothing happens). */
static void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;
  guint wake = g_timeout_add (10, wake_up, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
}

static gboolean
result_ready (GAsyncResult **result)
{
  return *result != NULL;
}

static void
store_result (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* --- Finding widgets -------------------------------------------------------------------- */

static gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) &&
          G_OBJECT_TYPE (window) == type &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static PveRemoteRow *
find_row_in (GtkWidget *widget,
             PveRemote *remote)
{
  if (PVE_IS_REMOTE_ROW (widget) &&
      pve_remote_row_get_remote (PVE_REMOTE_ROW (widget)) == remote)
    return PVE_REMOTE_ROW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      PveRemoteRow *row = find_row_in (child, remote);

      if (row != NULL)
        return row;
    }

  return NULL;
}

/* The widget whose string property (a popover menu item's "text", a button's "label") starts
 * with prefix. */
static GtkWidget *
find_with_text (GtkWidget  *widget,
                const char *property,
                const char *prefix)
{
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (widget), property) != NULL)
    {
      g_autofree char *text = NULL;

      g_object_get (widget, property, &text, NULL);
      if (text != NULL && g_str_has_prefix (text, prefix))
        return widget;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_with_text (child, property, prefix);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_menu_item (GtkWidget  *widget,
                const char *prefix)
{
  return find_with_text (widget, "text", prefix);
}

static PveRemoteRow *
find_row (Fixture   *f,
          PveRemote *remote)
{
  return find_row_in (GTK_WIDGET (f->window), remote);
}

static gboolean
row_says (Fixture    *f,
          PveRemote  *remote,
          const char *state)
{
  PveRemoteRow *row = find_row (f, remote);
  g_autofree char *expected = NULL;

  if (row == NULL)
    return FALSE;

  expected = g_strdup_printf ("%s, %s", pve_remote_get_name (remote), state);
  return g_strcmp0 (pve_remote_row_get_accessible_label (row), expected) == 0;
}

/* --- Store and keyring checks ----------------------------------------------------------- */

static gboolean
key_file_has_group (Fixture    *f,
                    const char *id)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();

  if (!g_key_file_load_from_file (key_file, f->store_path, G_KEY_FILE_NONE, NULL))
    return FALSE;

  return g_key_file_has_group (key_file, id);
}

static char *
key_file_get (Fixture    *f,
              const char *id,
              const char *key)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();

  if (!g_key_file_load_from_file (key_file, f->store_path, G_KEY_FILE_NONE, NULL))
    return NULL;

  return g_key_file_get_value (key_file, id, key, NULL);
}

static gboolean
key_file_value_is (Fixture    *f,
                   const char *id,
                   const char *key,
                   const char *value)
{
  g_autofree char *saved = key_file_get (f, id, key);

  return g_strcmp0 (saved, value) == 0;
}

/* The secret stored for remote, or NULL. */
static char *
keyring_lookup (Fixture   *f,
                PveRemote *remote)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  pve_secrets_lookup_async (pve_remote_manager_get_secrets (f->manager), remote, NULL,
                            store_result, &result);
  WAIT_FOR (result_ready (&result));
  secret = pve_secrets_lookup_finish (pve_remote_manager_get_secrets (f->manager), result, &error);
  g_assert_no_error (error);

  return secret;
}

static gboolean
keyring_holds (Fixture    *f,
               PveRemote  *remote,
               const char *expected)
{
  char *secret = keyring_lookup (f, remote);
  gboolean equal = g_strcmp0 (secret, expected) == 0;

  pve_secrets_free_secret (secret);
  return equal;
}

static gboolean
keyring_is_empty (Fixture   *f,
                  PveRemote *remote)
{
  char *secret = keyring_lookup (f, remote);

  pve_secrets_free_secret (secret);
  return secret == NULL;
}

static void
keyring_clear (Fixture   *f,
               PveRemote *remote)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pve_secrets_clear_async (pve_remote_manager_get_secrets (f->manager),
                           pve_remote_get_id (remote), NULL, store_result, &result);
  WAIT_FOR (result_ready (&result));
  pve_secrets_clear_finish (pve_remote_manager_get_secrets (f->manager), result, &error);
  g_assert_no_error (error);
}

/* --- Fixture ---------------------------------------------------------------------------- */

static void
open_window (Fixture *f)
{
  g_autoptr(PveRemoteStore) store = pve_remote_store_new (f->store_path);
  g_autoptr(PveSecrets) secrets = pve_secrets_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  f->manager = pve_remote_manager_new (store, secrets);
  pve_remote_manager_set_timeouts (f->manager, 5, 5);
  pve_remote_manager_set_heartbeat_interval (f->manager, 0);

  pve_remote_manager_load_async (f->manager, NULL, store_result, &result);
  WAIT_FOR (result_ready (&result));
  pve_remote_manager_load_finish (f->manager, result, &error);
  g_assert_no_error (error);

  f->window = pve_window_new (NULL, f->manager);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
close_window (Fixture *f)
{
  GtkWidget *dialog;

  /* Dialogs are destroyed with the window, but a failed test may leave one behind. */
  while ((dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));

  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  pve_remote_manager_disconnect_all (f->manager);
  iterate_for (50);
  g_clear_object (&f->manager);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sim = pve_sim_new (1, 4, 1);
  pve_sim_set_auth_failure_delay_ms (f->sim, 0);
  f->port = pve_sim_listen (f->sim, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->port, >, 0);

  f->tmpdir = g_dir_make_tmp ("pve-test-window-XXXXXX", &error);
  g_assert_no_error (error);
  f->store_path = g_build_filename (f->tmpdir, "remotes.ini", NULL);

  open_window (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    close_window (f);

  pve_sim_stop (f->sim);
  g_clear_object (&f->sim);

  g_unlink (f->store_path);
  g_rmdir (f->tmpdir);
  g_clear_pointer (&f->store_path, g_free);
  g_clear_pointer (&f->tmpdir, g_free);
}

/* --- Driving the dialogs ---------------------------------------------------------------- */

static void
set_field (PveRemoteDialog *dialog,
           const char      *title,
           const char      *text)
{
  GtkEditable *field = pve_remote_dialog_get_field (dialog, title);

  g_assert_nonnull (field);
  gtk_editable_set_text (field, text);
  if (GTK_IS_SPIN_BUTTON (field))
    gtk_spin_button_update (GTK_SPIN_BUTTON (field));
}

/* Presses Enter in the dialog: the default widget is the Add/Save button. */
static void
press_enter (GtkWindow *window)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "default.activate", NULL));
}

/* What clicking a response button does: the response, then the dialog closes. */
static void
respond (gpointer    dialog,
         const char *response)
{
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), response));
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), response));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static PveRemoteDialog *
open_add_dialog (Fixture    *f,
                 const char *name,
                 const char *user,
                 const char *realm,
                 const char *password)
{
  PveRemoteDialog *dialog;
  g_autofree char *port = g_strdup_printf ("%u", f->port);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.add-remote", NULL));
  WAIT_FOR ((dialog = find_toplevel (PVE_TYPE_REMOTE_DIALOG)) != NULL);

  /* The defaults a user sees. */
  g_assert_cmpstr (gtk_editable_get_text (pve_remote_dialog_get_field (dialog, "Port")), ==, "8006");
  g_assert_cmpstr (gtk_editable_get_text (pve_remote_dialog_get_field (dialog, "Realm")), ==, "pam");

  set_field (dialog, "Name", name);
  set_field (dialog, "Host", "127.0.0.1");
  set_field (dialog, "Port", port);
  set_field (dialog, "User", user);
  set_field (dialog, "Realm", realm);
  set_field (dialog, "Password", password);

  return dialog;
}

static PveTrustDialog *
wait_trust_dialog (void)
{
  PveTrustDialog *trust;

  WAIT_FOR ((trust = find_toplevel (PVE_TYPE_TRUST_DIALOG)) != NULL);
  return trust;
}

/* Adds a remote through the dialog with the right password, trusting the certificate. */
static PveRemote *
add_remote (Fixture    *f,
            const char *name)
{
  PveRemoteDialog *dialog = open_add_dialog (f, name, "root", "pam", PVE_SIM_ROOT_PASSWORD);
  PveTrustDialog *trust;
  PveRemote *remote;

  press_enter (GTK_WINDOW (dialog));
  trust = wait_trust_dialog ();
  g_assert_cmpstr (pve_trust_dialog_get_fingerprint (trust), ==, pve_sim_get_fingerprint (f->sim));
  respond (trust, "trust");

  WAIT_FOR (find_toplevel (PVE_TYPE_REMOTE_DIALOG) == NULL);
  remote = pve_remote_store_lookup_by_name (pve_remote_manager_get_store (f->manager), name);
  g_assert_nonnull (remote);
  WAIT_FOR (row_says (f, remote, "Connected"));

  return remote;
}

/* --- Flow 1: add ------------------------------------------------------------------------ */

static void
test_add_wrong_then_right_password (Fixture       *f,
                                    gconstpointer  data)
{
  PveRemoteDialog *dialog = open_add_dialog (f, "pve1", "root", "pam", "wrong-password");
  PveTrustDialog *trust;
  PveRemote *draft = g_object_ref (pve_remote_dialog_get_remote (dialog));
  PveRemote *remote;
  g_autofree char *secret = NULL;
  g_autofree char *lowered = NULL;

  press_enter (GTK_WINDOW (dialog));

  /* Unknown certificate: the trust dialog shows the simulator's fingerprint. */
  trust = wait_trust_dialog ();
  g_assert_cmpstr (pve_trust_dialog_get_fingerprint (trust), ==, pve_sim_get_fingerprint (f->sim));
  g_assert_null (pve_trust_dialog_get_pinned_fingerprint (trust));
  respond (trust, "trust");

  /* The wrong password: the dialog stays open with the server's message; nothing saved. */
  WAIT_FOR (pve_remote_dialog_get_error (dialog) != NULL && !pve_remote_dialog_get_busy (dialog));
  g_assert_true (find_toplevel (PVE_TYPE_REMOTE_DIALOG) == dialog);
  lowered = g_ascii_strdown (pve_remote_dialog_get_error (dialog), -1);
  g_assert_nonnull (strstr (lowered, "authentication"));
  g_assert_cmpuint (g_list_model_get_n_items (pve_remote_manager_get_remotes (f->manager)), ==, 0);
  g_assert_false (key_file_has_group (f, pve_remote_get_id (draft)));
  secret = keyring_lookup (f, draft);
  g_assert_null (secret);
  g_assert_cmpuint (pve_remote_manager_get_pool_size (f->manager), ==, 0);

  /* The right password: saved, and Connected. */
  set_field (dialog, "Password", PVE_SIM_ROOT_PASSWORD);
  press_enter (GTK_WINDOW (dialog));
  WAIT_FOR (find_toplevel (PVE_TYPE_REMOTE_DIALOG) == NULL);

  remote = pve_remote_store_lookup_by_name (pve_remote_manager_get_store (f->manager), "pve1");
  g_assert_nonnull (remote);
  g_assert_true (remote == draft);
  WAIT_FOR (row_says (f, remote, "Connected"));
  g_assert_true (pve_remote_get_connected (remote));
  g_assert_cmpstr (pve_remote_get_fingerprint (remote), ==, pve_sim_get_fingerprint (f->sim));
  WAIT_FOR (key_file_has_group (f, pve_remote_get_id (remote)));
  g_clear_pointer (&secret, pve_secrets_free_secret);
  secret = keyring_lookup (f, remote);
  g_assert_cmpstr (secret, ==, PVE_SIM_ROOT_PASSWORD);
  g_assert_true (pve_window_get_selected_remote (f->window) == remote);

  g_object_unref (draft);
}

static void
test_add_api_token (Fixture       *f,
                    gconstpointer  data)
{
  PveRemoteDialog *dialog = open_add_dialog (f, "ci", "root", "pam", "");
  PveRemote *remote;

  /* The full token id as Proxmox shows it; the dialog splits it into user, realm and name. */
  pve_remote_dialog_set_auth_kind (dialog, PVE_AUTH_KIND_TOKEN);
  set_field (dialog, "User", "");
  set_field (dialog, "Token ID", PVE_SIM_TOKEN_ID);
  set_field (dialog, "Token Secret", PVE_SIM_TOKEN_SECRET);
  press_enter (GTK_WINDOW (dialog));
  respond (wait_trust_dialog (), "trust");

  WAIT_FOR (find_toplevel (PVE_TYPE_REMOTE_DIALOG) == NULL);
  remote = pve_remote_store_lookup_by_name (pve_remote_manager_get_store (f->manager), "ci");
  g_assert_nonnull (remote);
  WAIT_FOR (row_says (f, remote, "Connected"));
  g_assert_cmpint (pve_remote_get_auth_kind (remote), ==, PVE_AUTH_KIND_TOKEN);
  g_assert_cmpstr (pve_remote_get_user (remote), ==, "root");
  g_assert_cmpstr (pve_remote_get_realm (remote), ==, "pam");
  g_assert_cmpstr (pve_remote_get_token_id (remote), ==, "ci");
  WAIT_FOR (keyring_holds (f, remote, PVE_SIM_TOKEN_SECRET));
}

/* --- Flow 2 and 3: restart, connect ----------------------------------------------------- */

static void
test_restart_then_connect (Fixture       *f,
                           gconstpointer  data)
{
  PveRemote *remote = add_remote (f, "pve1");
  g_autofree char *id = g_strdup (pve_remote_get_id (remote));
  PveRemoteRow *row;

  WAIT_FOR (key_file_has_group (f, id));
  close_window (f);
  pve_sim_clear_requests (f->sim);

  open_window (f);
  remote = pve_remote_store_lookup (pve_remote_manager_get_store (f->manager), id);
  g_assert_nonnull (remote);
  WAIT_FOR (find_row (f, remote) != NULL);
  g_assert_true (row_says (f, remote, "Disconnected"));
  /* The window remembers which remote was shown. */
  g_assert_true (pve_window_get_selected_remote (f->window) == remote);
  g_assert_cmpstr (pve_remote_get_host (remote), ==, "127.0.0.1");

  /* Nothing goes to the server until the user acts. */
  iterate_for (300);
  g_assert_cmpuint (pve_sim_get_request_count (f->sim), ==, 0);
  g_assert_cmpuint (pve_remote_manager_get_pool_size (f->manager), ==, 0);

  /* Connect with the row's button: the secret comes from the keyring. A slow server shows
   * Connecting… (with a spinner and a Cancel button) first. */
  row = find_row (f, remote);
  g_assert_cmpstr (pve_remote_row_get_action_label (row), ==, "Connect");
  pve_sim_set_latency_ms (f->sim, 300);
  gtk_widget_activate (GTK_WIDGET (pve_remote_row_get_action_button (row)));
  WAIT_FOR (row_says (f, remote, "Connecting…"));
  g_assert_cmpstr (pve_remote_row_get_action_label (row), ==, "Cancel");
  g_assert_false (pve_remote_get_connected (remote));
  WAIT_FOR (row_says (f, remote, "Connected"));
  pve_sim_set_latency_ms (f->sim, 0);
  g_assert_null (find_toplevel (PVE_TYPE_PASSWORD_DIALOG));
  g_assert_cmpuint (pve_remote_manager_get_pool_size (f->manager), ==, 1);
  g_assert_cmpstr (pve_remote_row_get_action_label (row), ==, "Disconnect");
}

static void
test_connect_asks_password (Fixture       *f,
                            gconstpointer  data)
{
  PveRemote *remote = add_remote (f, "pve1");
  PvePasswordDialog *dialog;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "remote.disconnect", "s",
                              pve_remote_get_id (remote));
  WAIT_FOR (row_says (f, remote, "Disconnected"));
  keyring_clear (f, remote);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "remote.connect", "s",
                              pve_remote_get_id (remote));
  WAIT_FOR ((dialog = find_toplevel (PVE_TYPE_PASSWORD_DIALOG)) != NULL);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (pve_password_dialog_get_remember_button (dialog))));
  g_assert_true (gtk_check_button_get_active (pve_password_dialog_get_remember_button (dialog)));

  /* A wrong password asks again, with the server's message. */
  gtk_editable_set_text (pve_password_dialog_get_entry (dialog), "wrong-password");
  respond (dialog, "connect");
  /* A response closes the dialog at once. */
  g_assert_null (find_toplevel (PVE_TYPE_PASSWORD_DIALOG));
  WAIT_FOR ((dialog = find_toplevel (PVE_TYPE_PASSWORD_DIALOG)) != NULL);
  g_assert_false (pve_remote_get_connected (remote));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "Enter the password"));

  gtk_editable_set_text (pve_password_dialog_get_entry (dialog), PVE_SIM_ROOT_PASSWORD);
  respond (dialog, "connect");
  WAIT_FOR (row_says (f, remote, "Connected"));

  /* Remembered (stored once the login succeeded). */
  WAIT_FOR (keyring_holds (f, remote, PVE_SIM_ROOT_PASSWORD));
}

static void
test_tfa (Fixture       *f,
          gconstpointer  data)
{
  PveRemoteDialog *dialog = open_add_dialog (f, "alice", "alice", "pve", PVE_SIM_ALICE_PASSWORD);
  PveTfaDialog *tfa;
  PveRemote *remote;

  press_enter (GTK_WINDOW (dialog));
  respond (wait_trust_dialog (), "trust");

  /* Adding asks for the code. */
  WAIT_FOR ((tfa = find_toplevel (PVE_TYPE_TFA_DIALOG)) != NULL);
  pve_tfa_dialog_set_method (tfa, "totp");
  gtk_editable_set_text (pve_tfa_dialog_get_entry (tfa), PVE_SIM_ALICE_TOTP);
  respond (tfa, "verify");
  WAIT_FOR (find_toplevel (PVE_TYPE_REMOTE_DIALOG) == NULL);
  remote = pve_remote_store_lookup_by_name (pve_remote_manager_get_store (f->manager), "alice");
  g_assert_nonnull (remote);
  WAIT_FOR (row_says (f, remote, "Connected"));

  /* So does connecting again. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "remote.disconnect", "s",
                              pve_remote_get_id (remote));
  WAIT_FOR (row_says (f, remote, "Disconnected"));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "remote.connect", "s",
                              pve_remote_get_id (remote));
  WAIT_FOR ((tfa = find_toplevel (PVE_TYPE_TFA_DIALOG)) != NULL);
  gtk_editable_set_text (pve_tfa_dialog_get_entry (tfa), PVE_SIM_ALICE_TOTP);
  respond (tfa, "verify");
  WAIT_FOR (row_says (f, remote, "Connected"));
}

/* --- Flow 4: disconnect ----------------------------------------------------------------- */

static void
test_disconnect (Fixture       *f,
                 gconstpointer  data)
{
  PveRemote *remote = add_remote (f, "pve1");
  PveRemoteRow *row = find_row (f, remote);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint requests;

  g_assert_cmpuint (pve_remote_manager_get_pool_size (f->manager), ==, 1);
  gtk_widget_activate (GTK_WIDGET (pve_remote_row_get_action_button (row)));
  WAIT_FOR (row_says (f, remote, "Disconnected"));
  g_assert_cmpuint (pve_remote_manager_get_pool_size (f->manager), ==, 0);
  g_assert_cmpstr (pve_remote_row_get_action_label (row), ==, "Connect");

  /* Any call now fails at once, with nothing sent. */
  requests = pve_sim_get_request_count (f->sim);
  pve_remote_manager_request_async (f->manager, remote, "GET", "/version", NULL, NULL,
                                    store_result, &result);
  WAIT_FOR (result_ready (&result));
  node = pve_remote_manager_request_finish (f->manager, result, NULL, &error);
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED);
  g_assert_null (node);
  g_assert_cmpuint (pve_sim_get_request_count (f->sim), ==, requests);

  /* Connect works again. */
  gtk_widget_activate (GTK_WIDGET (pve_remote_row_get_action_button (row)));
  WAIT_FOR (row_says (f, remote, "Connected"));
}

/* --- Flow 5: changed certificate -------------------------------------------------------- */

static void
test_certificate_changed (Fixture       *f,
                          gconstpointer  data)
{
  PveRemote *remote = add_remote (f, "pve1");
  g_autofree char *old_fingerprint = g_strdup (pve_sim_get_fingerprint (f->sim));
  PveRemoteRow *row = find_row (f, remote);
  PveTrustDialog *trust;
  const char *detail;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "remote.disconnect", "s",
                              pve_remote_get_id (remote));
  WAIT_FOR (row_says (f, remote, "Disconnected"));

  pve_sim_swap_certificate (f->sim);
  g_assert_cmpstr (pve_sim_get_fingerprint (f->sim), !=, old_fingerprint);

  gtk_widget_activate (GTK_WIDGET (pve_remote_row_get_action_button (row)));
  WAIT_FOR (pve_remote_get_state (remote) == PVE_REMOTE_STATE_NEEDS_TRUST);
  g_assert_null (find_toplevel (PVE_TYPE_TRUST_DIALOG));
  g_assert_false (pve_remote_get_connected (remote));

  /* The warning names both fingerprints. */
  detail = pve_remote_row_get_detail_text (row);
  g_assert_nonnull (detail);
  g_assert_nonnull (strstr (detail, old_fingerprint));
  g_assert_nonnull (strstr (detail, pve_sim_get_fingerprint (f->sim)));

  /* Re-trust from the row's menu, built when first opened (its actions resolve through the
   * row). */
  g_assert_null (pve_remote_row_get_menu (row));
  gtk_widget_activate (pve_remote_row_get_menu_button (row));
  WAIT_FOR (pve_remote_row_get_menu (row) != NULL &&
            gtk_widget_get_mapped (pve_remote_row_get_menu (row)));
  {
    GtkWidget *item = find_menu_item (pve_remote_row_get_menu (row), "Re-trust");

    g_assert_nonnull (item);
    gtk_widget_activate (item);
  }
  trust = wait_trust_dialog ();
  g_assert_cmpstr (pve_trust_dialog_get_fingerprint (trust), ==, pve_sim_get_fingerprint (f->sim));
  g_assert_cmpstr (pve_trust_dialog_get_pinned_fingerprint (trust), ==, old_fingerprint);
  respond (trust, "trust");

  WAIT_FOR (row_says (f, remote, "Connected"));
  g_assert_cmpstr (pve_remote_get_fingerprint (remote), ==, pve_sim_get_fingerprint (f->sim));
  g_assert_null (pve_remote_row_get_detail_text (row));
}

/* --- Flow 6: edit and remove ------------------------------------------------------------ */

static void
test_edit_and_remove (Fixture       *f,
                      gconstpointer  data)
{
  PveRemote *remote = add_remote (f, "pve1");
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup (pve_remote_get_id (remote));
  g_autofree char *port_text = NULL;
  g_autofree char *secret = NULL;
  PveRemoteDialog *dialog;
  GtkWidget *confirm;
  guint second_port;

  second_port = pve_sim_listen (f->sim, 0, &error);
  g_assert_no_error (error);
  port_text = g_strdup_printf ("%u", second_port);

  /* Edit: rename and move to the second port. An empty password keeps the stored one. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (find_row (f, remote)), "remote.edit", "s", id));
  WAIT_FOR ((dialog = find_toplevel (PVE_TYPE_REMOTE_DIALOG)) != NULL);
  g_assert_cmpstr (gtk_editable_get_text (pve_remote_dialog_get_field (dialog, "Name")), ==, "pve1");
  g_assert_cmpstr (gtk_editable_get_text (pve_remote_dialog_get_field (dialog, "Password")), ==, "");
  set_field (dialog, "Name", "pve-renamed");
  set_field (dialog, "Port", port_text);
  press_enter (GTK_WINDOW (dialog));
  WAIT_FOR (find_toplevel (PVE_TYPE_REMOTE_DIALOG) == NULL);

  g_assert_cmpstr (pve_remote_get_name (remote), ==, "pve-renamed");
  g_assert_cmpuint (pve_remote_get_port (remote), ==, second_port);
  WAIT_FOR (key_file_value_is (f, id, "name", "pve-renamed"));
  g_assert_true (key_file_value_is (f, id, "port", port_text));
  secret = keyring_lookup (f, remote);
  g_assert_cmpstr (secret, ==, PVE_SIM_ROOT_PASSWORD);

  /* The port changed, so it was disconnected; it connects on the new port. */
  if (!pve_remote_get_connected (remote))
    gtk_widget_activate_action (GTK_WIDGET (f->window), "remote.connect", "s", id);
  WAIT_FOR (row_says (f, remote, "Connected"));

  /* Remove, after confirming. */
  g_object_ref (remote);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (find_row (f, remote)), "remote.remove", "s", id));
  WAIT_FOR ((confirm = find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  respond (confirm, "remove");
  WAIT_FOR (g_list_model_get_n_items (pve_remote_manager_get_remotes (f->manager)) == 0);
  WAIT_FOR (!key_file_has_group (f, id));
  /* The keyring item goes last (after the key file is saved). */
  WAIT_FOR (keyring_is_empty (f, remote));
  g_assert_null (find_row (f, remote));
  g_assert_cmpuint (pve_remote_manager_get_pool_size (f->manager), ==, 0);
  g_assert_null (pve_window_get_selected_remote (f->window));
  g_object_unref (remote);
}

/* --- Flow 7: connection lost ------------------------------------------------------------ */

static void
test_connection_lost (Fixture       *f,
                      gconstpointer  data)
{
  PveRemote *remote;
  PveRemoteRow *row;
  g_autoptr(GError) error = NULL;

  pve_remote_manager_set_heartbeat_interval (f->manager, 1);
  remote = add_remote (f, "pve1");
  row = find_row (f, remote);

  pve_sim_stop (f->sim);
  WAIT_FOR (pve_remote_get_state (remote) == PVE_REMOTE_STATE_FAILED);
  g_assert_false (pve_remote_get_connected (remote));
  g_assert_nonnull (pve_remote_row_get_detail_text (row));
  g_assert_cmpstr (pve_remote_row_get_action_label (row), ==, "Reconnect");
  g_assert_cmpuint (pve_remote_manager_get_pool_size (f->manager), ==, 0);

  /* The server is back (same port, same certificate): Reconnect recovers. */
  g_clear_object (&f->sim);
  f->sim = pve_sim_new (1, 4, 1);
  g_assert_cmpuint (pve_sim_listen (f->sim, f->port, &error), ==, f->port);
  g_assert_no_error (error);

  gtk_widget_activate (GTK_WIDGET (pve_remote_row_get_action_button (row)));
  WAIT_FOR (row_says (f, remote, "Connected"));
  g_assert_null (pve_remote_row_get_detail_text (row));
}

/* --- The empty window ------------------------------------------------------------------- */

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_assert_cmpuint (g_list_model_get_n_items (pve_remote_manager_get_remotes (f->manager)), ==, 0);
  g_assert_null (pve_window_get_selected_remote (f->window));

  /* The page that says so (built when first shown) offers to add one. */
  g_assert_cmpstr (pve_window_get_content_page (f->window), ==, "empty");
  g_assert_nonnull (find_with_text (GTK_WIDGET (f->window), "title", "No Remotes"));
  g_assert_nonnull (find_with_text (GTK_WIDGET (f->window), "label", "Add Remote"));
  gtk_widget_activate (find_with_text (GTK_WIDGET (f->window), "label", "Add Remote"));

  /* Escape closes the add dialog without saving anything. */
  WAIT_FOR (find_toplevel (PVE_TYPE_REMOTE_DIALOG) != NULL);
  gtk_widget_activate_action (GTK_WIDGET (find_toplevel (PVE_TYPE_REMOTE_DIALOG)), "window.close", NULL);
  WAIT_FOR (find_toplevel (PVE_TYPE_REMOTE_DIALOG) == NULL);
  g_assert_false (g_file_test (f->store_path, G_FILE_TEST_EXISTS));
}

/* --- A corrupt remotes.ini ------------------------------------------------------------- */

static void
test_corrupt_store (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PveRemoteStore) store = NULL;
  g_autoptr(PveSecrets) secrets = NULL;
  GtkWidget *dialog;
  const char *body;

  close_window (f);
  g_assert_true (g_file_set_contents (f->store_path, "[broken\nthis is not a key file\n", -1, NULL));

  store = pve_remote_store_new (f->store_path);
  secrets = pve_secrets_new ();
  f->manager = pve_remote_manager_new (store, secrets);
  pve_remote_manager_load_async (f->manager, NULL, store_result, &result);
  WAIT_FOR (result_ready (&result));
  g_assert_false (pve_remote_manager_load_finish (f->manager, result, &error));
  g_assert_error (error, PVE_STORE_ERROR, PVE_STORE_ERROR_CORRUPT);

  /* What the app does with that error: tell the user where the file went. */
  f->window = pve_window_new (NULL, f->manager);
  gtk_window_present (GTK_WINDOW (f->window));
  pve_window_show_store_error (f->window, error);
  WAIT_FOR ((dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog));
  g_assert_nonnull (strstr (body, "remotes.ini.bak-"));
  respond (dialog, "close");

  /* The window is usable, with no remotes. */
  g_assert_cmpuint (g_list_model_get_n_items (pve_remote_manager_get_remotes (f->manager)), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.add-remote", NULL));
  WAIT_FOR (find_toplevel (PVE_TYPE_REMOTE_DIALOG) != NULL);

  /* The backup is next to the store; remove it so the fixture can clean up. */
  {
    g_autoptr(GDir) dir = g_dir_open (f->tmpdir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (f->tmpdir, name, NULL);
        g_unlink (path);
      }
  }
}

static void
test_skipped_remotes (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PveRemoteStore) store = NULL;
  g_autoptr(PveSecrets) secrets = NULL;
  const char * const *skipped;
  GtkWidget *dialog;

  close_window (f);
  g_assert_true (g_file_set_contents (f->store_path,
                                      "[0c7a3f0e-6a57-4b8e-9a55-2f2d7f1c0b11]\n"
                                      "name=good\nhost=127.0.0.1\nport=8006\nuser=root\nrealm=pam\n"
                                      "auth=password\nautoconnect=false\n\n"
                                      "[5d6c2b9e-1f0a-4c3d-8e7f-9a0b1c2d3e4f]\n"
                                      "name=bad\nhost=https://bad host/\nport=8006\nuser=root\n"
                                      "realm=pam\nauth=password\nautoconnect=false\n",
                                      -1, NULL));

  store = pve_remote_store_new (f->store_path);
  secrets = pve_secrets_new ();
  f->manager = pve_remote_manager_new (store, secrets);
  pve_remote_manager_load_async (f->manager, NULL, store_result, &result);
  WAIT_FOR (result_ready (&result));
  g_assert_true (pve_remote_manager_load_finish (f->manager, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (pve_remote_manager_get_remotes (f->manager)), ==, 1);

  f->window = pve_window_new (NULL, f->manager);
  gtk_window_present (GTK_WINDOW (f->window));
  skipped = pve_remote_store_get_skipped (store);
  g_assert_cmpuint (g_strv_length ((char **) skipped), ==, 1);
  pve_window_show_skipped_remotes (f->window, skipped);
  WAIT_FOR ((dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), ==, skipped[0]);
  respond (dialog, "close");
}

static void
test_window_size_remembered (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("com.example.PveRemotes");
  int width, height;

  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 600);
  /* Ctrl+W: what closing the window by hand does. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "window.close", NULL));
  f->window = NULL;
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 600);

  f->window = pve_window_new (NULL, f->manager);
  gtk_window_get_default_size (GTK_WINDOW (f->window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 600);
  gtk_window_present (GTK_WINDOW (f->window));
}

/* --- Many remotes: a first frame as light as it can be ---------------------------------- */

static guint
count_widgets (GtkWidget *widget,
               GType      type)
{
  guint n = G_TYPE_CHECK_INSTANCE_TYPE (widget, type) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_widgets (child, type);
  return n;
}

/* The banner about a missing keyring is not built with the window (it cost 4 ms of the first
 * frame), only when there is something to say, and it says it. */
static void
test_keyring_banner (Fixture       *f,
                     gconstpointer  data)
{
  GtkWidget *banner;

  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->window->keyring_revealer)));
  g_assert_null (gtk_revealer_get_child (f->window->keyring_revealer));

  _pve_window_set_keyring_missing (f->window, TRUE);
  banner = gtk_revealer_get_child (f->window->keyring_revealer);
  g_assert_true (GTK_IS_INFO_BAR (banner));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window->keyring_revealer)));
  g_assert_nonnull (find_with_text (banner, "label", "No keyring can be reached."));
  WAIT_FOR (gtk_revealer_get_child_revealed (f->window->keyring_revealer));

  /* Gone again when a keyring is back: hidden once the revealer has closed. */
  _pve_window_set_keyring_missing (f->window, FALSE);
  WAIT_FOR (!gtk_widget_get_visible (GTK_WIDGET (f->window->keyring_revealer)));
}

static void
test_many_remotes (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(PveRemoteStore) store = pve_remote_store_new (f->store_path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PveRemote) last = NULL;
  GListModel *remotes;
  g_autoptr(GPtrArray) first_icons = NULL;
  guint n_rows;

  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(PveRemote) remote = pve_remote_new ();
      g_autofree char *name = g_strdup_printf ("pve%03u", i);

      pve_remote_set_name (remote, name);
      pve_remote_set_host (remote, "127.0.0.1");
      pve_remote_set_port (remote, f->port);
      pve_remote_set_user (remote, "root");
      pve_remote_set_realm (remote, "pam");
      pve_remote_store_add (store, remote);
    }
  pve_remote_store_save_async (store, NULL, store_result, &result);
  WAIT_FOR (result_ready (&result));
  g_assert_true (pve_remote_store_save_finish (store, result, &error));
  g_assert_no_error (error);

  /* As the app does when it starts. */
  g_clear_object (&result);
  _pve_window_preload_first_icons (gdk_display_get_default (), store_result, &result);
  WAIT_FOR (result_ready (&result));
  first_icons = _pve_window_preload_first_icons_finish (result);
  g_assert_cmpuint (first_icons->len, ==, 2);
  g_clear_object (&result);

  /* The window comes up while the store is being read: no "No Remotes" page then, which
   * would be wrong a moment later. */
  {
    g_autoptr(PveRemoteStore) reading = pve_remote_store_new (f->store_path);
    g_autoptr(PveSecrets) secrets = pve_secrets_new ();

    f->manager = pve_remote_manager_new (reading, secrets);
    pve_remote_manager_set_heartbeat_interval (f->manager, 0);
    g_clear_object (&result);
    pve_remote_manager_load_async (f->manager, NULL, store_result, &result);
    f->window = pve_window_new (NULL, f->manager);
    gtk_window_present (GTK_WINDOW (f->window));
    g_assert_cmpstr (pve_window_get_content_page (f->window), ==, "loading");
    WAIT_FOR (result_ready (&result));
    g_assert_true (pve_remote_manager_load_finish (f->manager, result, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (pve_window_get_content_page (f->window), !=, "loading");
    g_assert_cmpstr (pve_window_get_content_page (f->window), !=, "empty");
  }
  remotes = pve_remote_manager_get_remotes (f->manager);
  g_assert_cmpuint (g_list_model_get_n_items (remotes), ==, 100);

  /* Before the first frame: rows for a screenful, no views of a connected remote. */
  n_rows = count_widgets (GTK_WIDGET (f->window), PVE_TYPE_REMOTE_ROW);
  g_assert_cmpuint (n_rows, >, 0);
  g_assert_cmpuint (n_rows, <=, 20);
  g_assert_cmpuint (count_widgets (GTK_WIDGET (f->window), PVE_TYPE_GUESTS_VIEW), ==, 0);
  /* The first frame's icons, looked up on a worker thread when the app starts, are those the
   * window shows: the very paintables (a lookup that differs in flags, size, scale or
   * direction would get others, and render them again). */
  {
    g_autoptr(PveRemote) first = g_list_model_get_item (remotes, 0);

    g_assert_true (gtk_image_get_paintable (f->window->remote_icon) ==
                   g_ptr_array_index (first_icons, 0));
    g_assert_cmpstr (pve_row_text_get_status_icon (pve_remote_row_get_text (find_row (f, first))),
                     ==, gtk_icon_paintable_get_icon_name (g_ptr_array_index (first_icons, 1)));
  }

  /* Then the rest of the rows, a few per frame, and the views, one per idle. */
  WAIT_FOR (count_widgets (GTK_WIDGET (f->window), PVE_TYPE_REMOTE_ROW) == 100);
  WAIT_FOR (count_widgets (GTK_WIDGET (f->window), PVE_TYPE_CLUSTER_VIEW) == 1);
  g_assert_cmpuint (count_widgets (GTK_WIDGET (f->window), PVE_TYPE_GUESTS_VIEW), ==, 1);

  /* Then the icons a Connect soon shows, drawn once each, one per idle, and kept. A name the
   * theme lacks would keep its "missing" icon instead. */
  WAIT_FOR (f->window->preloaded_icons != NULL && f->window->icons_idle == 0);
  g_assert_cmpuint (f->window->preloaded_icons->len, >=, 10);
  for (guint i = 0; i < f->window->preloaded_icons->len; i++)
    g_assert_cmpstr (gtk_icon_paintable_get_icon_name (g_ptr_array_index (f->window->preloaded_icons, i)),
                     !=, "image-missing");

  /* A row out of view (the list keeps all 100, but maps only those in view) says at once
   * what changed to accessibility, and shows it when it is scrolled to. */
  last = g_list_model_get_item (remotes, 99);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (find_row (f, last))));
  pve_remote_set_name (last, "pve099-renamed");
  _pve_remote_set_state (last, PVE_REMOTE_STATE_CONNECTING, NULL);
  _pve_remote_set_state (last, PVE_REMOTE_STATE_FAILED, "Connection refused");
  g_assert_true (row_says (f, last, "Failed"));
  g_assert_cmpstr (pve_row_text_get_title (pve_remote_row_get_text (find_row (f, last))), !=,
                   "pve099-renamed");
  g_assert_cmpstr (pve_remote_row_get_action_label (find_row (f, last)), ==, "Connect");

  /* The last one can be selected (and scrolled to), by keyboard or from elsewhere. */
  pve_window_select_remote (f->window, last);
  g_assert_true (pve_window_get_selected_remote (f->window) == last);
  WAIT_FOR (find_row (f, last) != NULL && gtk_widget_get_mapped (GTK_WIDGET (find_row (f, last))));
  g_assert_true (row_says (f, last, "Failed"));
  g_assert_cmpstr (pve_row_text_get_title (pve_remote_row_get_text (find_row (f, last))), ==,
                   "pve099-renamed");
  g_assert_cmpstr (pve_row_text_get_status (pve_remote_row_get_text (find_row (f, last))), ==,
                   "Failed");
  g_assert_cmpstr (pve_remote_row_get_action_label (find_row (f, last)), ==, "Reconnect");
  g_assert_nonnull (find_with_text (GTK_WIDGET (find_row (f, last)), "label", "Connection refused"));

  /* Its page: the name, the account and address with the state, and what went wrong. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->window->content_stack), ==, "remote");
  g_assert_cmpstr (gtk_label_get_label (f->window->remote_title), ==, "pve099-renamed");
  g_assert_nonnull (strstr (gtk_label_get_label (f->window->remote_description), "Failed"));
  g_assert_cmpstr (gtk_icon_paintable_get_icon_name (
                     GTK_ICON_PAINTABLE (gtk_image_get_paintable (f->window->remote_icon))),
                   ==, "dialog-error-symbolic");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window->remote_problem)));
  g_assert_cmpstr (gtk_label_get_label (f->window->remote_problem), ==, "Connection refused");
  /* A name with no space in it wraps: the page never needs more than a narrow window. */
  {
    g_autofree char *long_name = g_strnfill (150, 'W');
    int min_width;

    pve_remote_set_name (last, long_name);
    gtk_widget_measure (GTK_WIDGET (f->window->content_stack), GTK_ORIENTATION_HORIZONTAL, -1,
                        &min_width, NULL, NULL, NULL);
    g_assert_cmpint (min_width, <=, 360);
  }
  /* Drawn as it is now, with no warning from a layout changed while the list was placing it. */
  WAIT_FOR (gtk_widget_get_width (GTK_WIDGET (find_row (f, last))) > 0);
  iterate_for (200);
}

/* The bounds of the texts a widget draws, in its coordinates. */
static void
collect_text_bounds (GskRenderNode   *node,
                     GskTransform    *transform,
                     GPtrArray       *bounds)
{
  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_TEXT_NODE:
      {
        graphene_rect_t *rect = g_new (graphene_rect_t, 1);

        gsk_render_node_get_bounds (node, rect);
        gsk_transform_transform_bounds (transform, rect, rect);
        g_ptr_array_add (bounds, rect);
      }
      break;

    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        collect_text_bounds (gsk_container_node_get_child (node, i), transform, bounds);
      break;

    case GSK_TRANSFORM_NODE:
      {
        g_autoptr(GskTransform) inner =
          gsk_transform_transform (gsk_transform_ref (transform),
                                   gsk_transform_node_get_transform (node));

        collect_text_bounds (gsk_transform_node_get_child (node), inner, bounds);
      }
      break;

    case GSK_DEBUG_NODE:
      collect_text_bounds (gsk_debug_node_get_child (node), transform, bounds);
      break;

    case GSK_CLIP_NODE:
      collect_text_bounds (gsk_clip_node_get_child (node), transform, bounds);
      break;

    case GSK_OPACITY_NODE:
      collect_text_bounds (gsk_opacity_node_get_child (node), transform, bounds);
      break;

    default:
      break;
    }
}

static GPtrArray *
get_text_bounds (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GPtrArray *bounds = g_ptr_array_new_with_free_func (g_free);

  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget),
                          gtk_widget_get_height (widget));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node != NULL)
    collect_text_bounds (node, NULL, bounds);
  return bounds;
}

/* How many lines the texts make: texts whose middles are less than 6 px apart are on one. */
static int
compare_middles (gconstpointer a,
                 gconstpointer b)
{
  const graphene_rect_t *ra = *(graphene_rect_t **) a;
  const graphene_rect_t *rb = *(graphene_rect_t **) b;
  float ma = ra->origin.y + ra->size.height / 2, mb = rb->origin.y + rb->size.height / 2;

  return (ma > mb) - (ma < mb);
}

static guint
count_lines (GPtrArray *bounds)
{
  guint lines = 0;
  float line_middle = -100;

  g_ptr_array_sort (bounds, compare_middles);
  for (guint i = 0; i < bounds->len; i++)
    {
      graphene_rect_t *rect = g_ptr_array_index (bounds, i);
      float middle = rect->origin.y + rect->size.height / 2;

      if (middle - line_middle >= 6)
        {
          lines++;
          line_middle = middle;
        }
    }
  return lines;
}

/* The sidebar row's texts, drawn by one widget: sized from the fonts, not the texts, each
 * line ellipsized in the width, at the start of the line in either direction, a spinner in
 * place of the icon while busy. */
static void
test_row_text (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *widget = pve_row_text_new ();
  PveRowText *text = PVE_ROW_TEXT (widget);
  g_autofree char *long_name = g_strnfill (200, 'W');
  g_autoptr(GPtrArray) bounds = NULL;
  int min_width, height, long_min_width, long_height;

  pve_row_text_set_title (text, "pve1");
  pve_row_text_set_subtitle (text, "pve1.example.com:8006");
  pve_row_text_set_status (text, "network-offline-symbolic", "Disconnected");
  g_assert_cmpstr (pve_row_text_get_title (text), ==, "pve1");
  g_assert_cmpstr (pve_row_text_get_subtitle (text), ==, "pve1.example.com:8006");
  g_assert_cmpstr (pve_row_text_get_status (text), ==, "Disconnected");
  g_assert_cmpstr (pve_row_text_get_status_icon (text), ==, "network-offline-symbolic");
  g_assert_false (pve_row_text_get_busy (text));

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, -1, &height, NULL, NULL, NULL);
  /* Three lines of text, or two and a 16 px spinner. */
  g_assert_cmpint (height, >=, 3 * 8 + 16);
  pve_row_text_set_title (text, long_name);
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &long_min_width, NULL, NULL, NULL);
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, -1, &long_height, NULL, NULL, NULL);
  g_assert_cmpint (long_min_width, ==, min_width);
  g_assert_cmpint (long_height, ==, height);

  gtk_window_set_default_size (GTK_WINDOW (window), 240, -1);
  gtk_window_set_child (GTK_WINDOW (window), widget);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_FOR (gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0);

  /* The long name is cut to the width (its ellipsis may be a text of its own); three lines
   * drawn. */
  bounds = get_text_bounds (widget);
  g_assert_cmpuint (count_lines (bounds), ==, 3);
  for (guint i = 0; i < bounds->len; i++)
    {
      graphene_rect_t *rect = g_ptr_array_index (bounds, i);

      g_assert_cmpfloat (rect->origin.x, >=, -2);
      g_assert_cmpfloat (rect->origin.x + rect->size.width, <=,
                         gtk_widget_get_width (widget) + 2);
    }
  g_clear_pointer (&bounds, g_ptr_array_unref);

  /* Right to left: the short texts end at the right edge, the state's before the icon. */
  pve_row_text_set_title (text, "pve1");
  gtk_widget_set_direction (widget, GTK_TEXT_DIR_RTL);
  iterate_for (50);
  bounds = get_text_bounds (widget);
  g_assert_cmpuint (count_lines (bounds), ==, 3);
  g_assert_cmpuint (bounds->len, ==, 3);
  for (guint i = 0; i < bounds->len; i++)
    {
      graphene_rect_t *rect = g_ptr_array_index (bounds, i);
      float end = rect->origin.x + rect->size.width;

      g_assert_cmpfloat (rect->origin.x, >, gtk_widget_get_width (widget) / 3.0);
      if (i < 2)
        g_assert_cmpfloat (end, >=, gtk_widget_get_width (widget) - 4);
      else
        g_assert_cmpfloat (end, <=, gtk_widget_get_width (widget) - 16);
    }
  g_clear_pointer (&bounds, g_ptr_array_unref);

  /* Busy: a spinner where the icon was; the text stays where it was. */
  pve_row_text_set_status (text, NULL, "Connecting…");
  g_assert_true (pve_row_text_get_busy (text));
  g_assert_null (pve_row_text_get_status_icon (text));
  pve_row_text_set_status (text, "network-transmit-receive-symbolic", "Connected");
  g_assert_false (pve_row_text_get_busy (text));
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, -1, &long_height, NULL, NULL, NULL);
  g_assert_cmpint (long_height, ==, height);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
count_compute_size (GdkToplevel     *toplevel,
                    GdkToplevelSize *size,
                    guint           *count)
{
  (*count)++;
}

/* Frames drawn in ms milliseconds, and how many of them laid the window out again (each asks
 * the X server for the window's geometry and work area, and measures the whole window). */
static guint
count_relayouts (GtkWidget *window,
                 guint      ms,
                 guint     *n_frames)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  GdkFrameClock *clock = gdk_surface_get_frame_clock (surface);
  gint64 first = gdk_frame_clock_get_frame_counter (clock);
  guint count = 0;
  gulong id = g_signal_connect (surface, "compute-size", G_CALLBACK (count_compute_size), &count);

  iterate_for (ms);
  g_signal_handler_disconnect (surface, id);
  if (n_frames != NULL)
    *n_frames = (guint) (gdk_frame_clock_get_frame_counter (clock) - first);
  return count;
}

/* A sidebar row's spinner and its button's text change what is drawn, never the window's
 * layout: with a GtkSpinner and a GtkLabel (the control, in the same window) GTK 4.8 laid the
 * window out again in every frame a spinner turned and for every change of the text. */
static void
test_row_no_relayout (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *widget = pve_row_text_new ();
  GtkWidget *choice = pve_choice_label_new ((const char *[]) { "Connect", "Disconnect", NULL });
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *label = gtk_label_new ("Connect");
  PveRowText *text = PVE_ROW_TEXT (widget);
  guint frames, relayouts;
  int width_connect, width_disconnect;
  gboolean animations;

  /* Spinners turn only with animations on (gtk_test_init() turns them off). */
  g_object_get (gtk_settings_get_default (), "gtk-enable-animations", &animations, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
  pve_row_text_set_title (text, "pve1");
  pve_row_text_set_subtitle (text, "pve1.example.com:8006");
  pve_row_text_set_status (text, "network-offline-symbolic", "Disconnected");
  pve_choice_label_set_text (PVE_CHOICE_LABEL (choice), "Connect");
  gtk_box_append (GTK_BOX (box), widget);
  gtk_box_append (GTK_BOX (box), choice);
  gtk_box_append (GTK_BOX (box), spinner);
  gtk_box_append (GTK_BOX (box), label);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_FOR (gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0);
  iterate_for (100);

  /* As wide as its widest choice, whatever it shows. */
  gtk_widget_measure (choice, GTK_ORIENTATION_HORIZONTAL, -1, &width_connect, NULL, NULL, NULL);
  pve_choice_label_set_text (PVE_CHOICE_LABEL (choice), "Disconnect");
  g_assert_cmpstr (pve_choice_label_get_text (PVE_CHOICE_LABEL (choice)), ==, "Disconnect");
  gtk_widget_measure (choice, GTK_ORIENTATION_HORIZONTAL, -1, &width_disconnect, NULL, NULL, NULL);
  g_assert_cmpint (width_connect, ==, width_disconnect);
  g_assert_cmpint (width_connect, >, 0);
  iterate_for (100);

  /* Busy, changing texts: frames are drawn, the window is not laid out again. */
  pve_row_text_set_status (text, NULL, "Connecting…");
  relayouts = count_relayouts (window, 300, &frames);
  g_assert_cmpuint (frames, >=, 5);
  g_assert_cmpuint (relayouts, ==, 0);
  for (guint i = 0; i < 6; i++)
    {
      pve_choice_label_set_text (PVE_CHOICE_LABEL (choice), i % 2 ? "Connect" : "Disconnect");
      pve_row_text_set_status (text, i % 2 ? NULL : "network-transmit-receive-symbolic",
                               i % 2 ? "Connecting…" : "Connected");
      relayouts += count_relayouts (window, 40, NULL);
    }
  g_assert_cmpuint (relayouts, ==, 0);

  /* The control: a GtkSpinner turning, a GtkLabel changing. */
  gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
  g_assert_cmpuint (count_relayouts (window, 300, NULL), >, 0);
  gtk_spinner_set_spinning (GTK_SPINNER (spinner), FALSE);
  iterate_for (100);
  gtk_label_set_label (GTK_LABEL (label), "Disconnect");
  g_assert_cmpuint (count_relayouts (window, 100, NULL), >, 0);

  /* Animations off: the spinner stands still (and nothing is drawn for it). */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  pve_row_text_set_status (text, "network-offline-symbolic", "Disconnected");
  iterate_for (50);
  pve_row_text_set_status (text, NULL, "Connecting…");
  count_relayouts (window, 200, &frames);
  g_assert_cmpuint (frames, <=, 2);
  g_assert_true (pve_row_text_get_busy (text));

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", animations, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Every type the templates of the window and its views name is registered by their classes
 * before a template is built: GtkBuilder would look the others up with g_module_symbol(),
 * under GModule's lock, which the icon and backend threads hold while they load libraries
 * (pve_window_class_init()). In a process of its own: no template built before. */
static void
test_template_types (void)
{
  static const struct {
    GType     (*get_type) (void);
    const char *resource;
  } templates[] = {
    { pve_window_get_type, "/com/example/PveRemotes/pve-window.ui" },
    { pve_cluster_view_get_type, "/com/example/PveRemotes/views/pve-cluster-view.ui" },
    { pve_nodes_view_get_type, "/com/example/PveRemotes/views/pve-nodes-view.ui" },
    { pve_tasks_view_get_type, "/com/example/PveRemotes/views/pve-tasks-view.ui" },
    { pve_guests_view_get_type, "/com/example/PveRemotes/guests/pve-guests-view.ui" },
  };
  g_autoptr(GRegex) object = g_regex_new ("<object class=\"([A-Za-z0-9_]+)\"", 0, 0, NULL);
  g_autoptr(GString) missing = g_string_new (NULL);
  guint checked = 0;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    g_type_class_unref (g_type_class_ref (templates[i].get_type ()));

  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    {
      g_autoptr(GBytes) bytes = g_resources_lookup_data (templates[i].resource, 0, NULL);
      g_autofree char *xml = NULL;
      g_autoptr(GMatchInfo) match = NULL;

      g_assert_nonnull (bytes);
      xml = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_regex_match (object, xml, 0, &match);
      for (; g_match_info_matches (match); g_match_info_next (match, NULL))
        {
          g_autofree char *name = g_match_info_fetch (match, 1);

          if (g_type_from_name (name) == G_TYPE_INVALID)
            g_string_append_printf (missing, "%s: %s\n", templates[i].resource, name);
          checked++;
        }
    }
  g_assert_cmpstr (missing->str, ==, "");
  g_assert_cmpuint (checked, >, 50);
}

int
main (int   argc,
      char *argv[])
{
  /* No accessibility bus in the in-process tests (its daemon would write to our TAP stdout). */
  g_setenv ("GTK_A11Y", "none", TRUE);

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();
  /* A blinking cursor in a window without X focus (a bare Xvfb has no window manager) makes
   * GTK warn that a text "did not receive a focus-out event"; animations only slow us down. */
  g_object_set (gtk_settings_get_default (),
                "gtk-cursor-blink", FALSE,
                "gtk-enable-animations", FALSE,
                NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/pve/window/template-types", test_template_types);
  g_test_add_func ("/pve/window/row-text", test_row_text);
  g_test_add_func ("/pve/window/row-no-relayout", test_row_no_relayout);
  ADD ("/pve/window/empty", test_empty);
  ADD ("/pve/window/many-remotes", test_many_remotes);
  ADD ("/pve/window/keyring-banner", test_keyring_banner);
  ADD ("/pve/window/corrupt-store", test_corrupt_store);
  ADD ("/pve/window/skipped-remotes", test_skipped_remotes);
  ADD ("/pve/window/size-remembered", test_window_size_remembered);
  ADD ("/pve/window/add/wrong-then-right-password", test_add_wrong_then_right_password);
  ADD ("/pve/window/add/api-token", test_add_api_token);
  ADD ("/pve/window/restart/all-disconnected-then-connect", test_restart_then_connect);
  ADD ("/pve/window/connect/asks-password", test_connect_asks_password);
  ADD ("/pve/window/connect/tfa", test_tfa);
  ADD ("/pve/window/disconnect", test_disconnect);
  ADD ("/pve/window/certificate-changed/retrust", test_certificate_changed);
  ADD ("/pve/window/edit-and-remove", test_edit_and_remove);
  ADD ("/pve/window/connection-lost/reconnect", test_connection_lost);

  return g_test_run ();
}

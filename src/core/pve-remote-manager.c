/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "pve-remote-manager.h"
#include "pve-tls-database.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define DEFAULT_HEARTBEAT_INTERVAL 30

/* What the manager knows about one remote (or add-dialog draft) beyond its configuration. */
typedef struct
{
  PveRemote          *remote;
  /* The operation in flight (connect, add, TFA); cancelled and cleared by disconnect.
   * A callback whose cancellable is no longer this one is stale and changes nothing. */
  GCancellable       *cancellable;
  /* A login waiting for a second factor. */
  PveClient          *tfa_client;
  char               *tfa_secret;
  gboolean            tfa_remember;
  gboolean            tfa_adding;
  /* The secret for this run only, when the keyring could not keep it. Wiped. */
  char               *session_secret;
  PveCertificateInfo *peer_cert;
  gint64              last_activity;
  gboolean            heartbeat_busy;
} Entry;

struct _PveRemoteManager
{
  GObject         parent_instance;

  PveRemoteStore *store;
  PveSecrets     *secrets;
  GCancellable   *cancellable;

  /* remote id -> PveClient holding a ticket or verified token. Only connected clients. */
  GHashTable     *pool;
  /* remote id -> Entry */
  GHashTable     *entries;

  guint           connect_timeout;
  guint           request_timeout;
  gboolean        timeouts_set;
  guint           renew_after;

  guint           heartbeat_interval;
  guint           heartbeat_source;

  gboolean        keyring_available;
  /* Loads in flight. */
  guint           loading;
};

G_DEFINE_FINAL_TYPE (PveRemoteManager, pve_remote_manager, G_TYPE_OBJECT)

G_DEFINE_QUARK (pve-manager-error-quark, pve_manager_error)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SECRETS,
  PROP_KEYRING_AVAILABLE,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- Entries ------------------------------------------------------------------------------- */

static void
wipe_secret (char **secret)
{
  g_clear_pointer (secret, pve_secrets_free_secret);
}

static void
entry_clear_tfa (Entry *entry)
{
  if (entry->tfa_client != NULL)
    pve_client_disconnect (entry->tfa_client);
  g_clear_object (&entry->tfa_client);
  wipe_secret (&entry->tfa_secret);
  entry->tfa_remember = FALSE;
  entry->tfa_adding = FALSE;
}

static void
entry_free (Entry *entry)
{
  if (entry->cancellable != NULL)
    g_cancellable_cancel (entry->cancellable);
  g_clear_object (&entry->cancellable);
  entry_clear_tfa (entry);
  wipe_secret (&entry->session_secret);
  g_clear_pointer (&entry->peer_cert, pve_certificate_info_free);
  g_clear_object (&entry->remote);
  g_free (entry);
}

static Entry *
get_entry (PveRemoteManager *self,
           PveRemote        *remote)
{
  const char *id = pve_remote_get_id (remote);
  Entry *entry = g_hash_table_lookup (self->entries, id);

  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      entry->remote = g_object_ref (remote);
      g_hash_table_insert (self->entries, g_strdup (id), entry);
    }
  else if (entry->remote != remote)
    {
      /* A reload made new objects for the same ids. */
      g_set_object (&entry->remote, remote);
    }

  return entry;
}

static void
set_keyring_available (PveRemoteManager *self,
                       gboolean          available)
{
  if (self->keyring_available != available)
    {
      self->keyring_available = available;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEYRING_AVAILABLE]);
    }
}

static const char *
display_name (PveRemote *remote)
{
  const char *name = pve_remote_get_name (remote);

  if (name == NULL || name[0] == '\0')
    name = pve_remote_get_host (remote);
  return name ? name : "";
}

static gboolean
is_token (PveRemote *remote)
{
  return pve_remote_get_auth_kind (remote) == PVE_AUTH_KIND_TOKEN;
}

/* ---- The pool and the one place that says CONNECTED ---------------------------------------- */

static void on_session_lost (PveClient        *client,
                             const GError     *error,
                             PveRemoteManager *self);

static PveClient *
pool_steal (PveRemoteManager *self,
            const char       *id)
{
  gpointer key = NULL;
  gpointer value = NULL;

  if (!g_hash_table_steal_extended (self->pool, id, &key, &value))
    return NULL;

  g_free (key);
  g_signal_handlers_disconnect_by_data (value, self);
  return value;
}

static void
become_connected (PveRemoteManager *self,
                  PveRemote        *remote,
                  PveClient        *client)
{
  Entry *entry = get_entry (self, remote);

  /* Only a client that holds a ticket (or a verified token) gets here. */
  g_assert (pve_client_is_connected (client));
  g_assert (!g_hash_table_contains (self->pool, pve_remote_get_id (remote)));

  g_signal_connect_object (client, "session-lost", G_CALLBACK (on_session_lost), self, 0);
  g_hash_table_insert (self->pool, g_strdup (pve_remote_get_id (remote)), g_object_ref (client));
  entry->last_activity = g_get_monotonic_time ();
  g_clear_pointer (&entry->peer_cert, pve_certificate_info_free);

  g_debug ("Connected to %s", display_name (remote));
  _pve_remote_set_state (remote, PVE_REMOTE_STATE_CONNECTED, NULL);
}

/* The session died under a connected remote: out of the pool, FAILED with the reason. */
static void
connection_failed (PveRemoteManager *self,
                   PveRemote        *remote,
                   PveClient        *client,
                   const char       *message)
{
  const char *id = pve_remote_get_id (remote);
  g_autoptr(PveClient) pooled = NULL;

  if (g_hash_table_lookup (self->pool, id) != client)
    return;

  pooled = pool_steal (self, id);
  pve_client_disconnect (pooled);
  g_debug ("Lost the connection to %s", display_name (remote));
  _pve_remote_set_state (remote, PVE_REMOTE_STATE_FAILED, message);
}

static void
connection_lost (PveRemoteManager *self,
                 PveRemote        *remote,
                 PveClient        *client,
                 const GError     *error)
{
  g_autofree char *message = NULL;

  /* TRANSLATORS: %s is why, e.g. "Could not connect to pve1:8006: Connection refused" */
  message = g_strdup_printf (_("Connection lost: %s"), error->message);
  connection_failed (self, remote, client, message);
}

/* The server now presents another certificate than the pinned one: the session cannot go
 * on (nothing more is sent with its ticket). Out of the pool, NEEDS_TRUST with the message
 * that names both fingerprints, and the certificate kept for the trust dialog. */
static void
certificate_changed (PveRemoteManager *self,
                     PveRemote        *remote,
                     PveClient        *client,
                     const GError     *error)
{
  const char *id = pve_remote_get_id (remote);
  g_autoptr(PveClient) pooled = NULL;
  PveCertificateInfo *seen;
  Entry *entry;

  if (g_hash_table_lookup (self->pool, id) != client)
    return;

  entry = get_entry (self, remote);
  seen = pve_client_get_peer_certificate (client);
  g_clear_pointer (&entry->peer_cert, pve_certificate_info_free);
  if (seen != NULL)
    entry->peer_cert = pve_certificate_info_copy (seen);

  pooled = pool_steal (self, id);
  pve_client_disconnect (pooled);
  g_debug ("The certificate of %s changed", display_name (remote));
  _pve_remote_set_state (remote, PVE_REMOTE_STATE_NEEDS_TRUST, error->message);
}

static PveRemote *
remote_for_client (PveRemoteManager *self,
                   PveClient        *client)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->pool);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (value == client)
        {
          Entry *entry = g_hash_table_lookup (self->entries, key);
          return entry ? entry->remote : NULL;
        }
    }

  return NULL;
}

static void
on_session_lost (PveClient        *client,
                 const GError     *error,
                 PveRemoteManager *self)
{
  PveRemote *remote = remote_for_client (self, client);

  if (remote != NULL)
    connection_failed (self, remote, client, error->message);
}

static PveClient *
new_client (PveRemoteManager  *self,
            PveRemote         *remote,
            gboolean           use_pin,
            GError           **error)
{
  PveClient *client;

  client = pve_client_new (pve_remote_get_host (remote), pve_remote_get_port (remote), error);
  if (client == NULL)
    return NULL;

  if (use_pin)
    pve_client_set_pinned_fingerprint (client, pve_remote_get_fingerprint (remote));
  if (self->timeouts_set)
    pve_client_set_timeouts (client, self->connect_timeout, self->request_timeout);
  if (self->renew_after > 0)
    pve_client_set_renew_after (client, self->renew_after);

  return client;
}

/* ---- Operations (connect, add, TFA) --------------------------------------------------------- */

typedef struct
{
  PveRemoteManager *self;
  PveRemote        *remote;
  PveClient        *client;
  char             *secret;
  gboolean          secret_from_user;
  gboolean          remember;
  gboolean          adding;
  gboolean          tfa;
  GCancellable     *cancellable;
  GCancellable     *caller;
  gulong            caller_handler;
} Op;

static void
op_free (Op *op)
{
  if (op->caller_handler != 0)
    g_cancellable_disconnect (op->caller, op->caller_handler);
  g_clear_object (&op->caller);
  g_clear_object (&op->cancellable);
  wipe_secret (&op->secret);
  g_clear_object (&op->client);
  g_clear_object (&op->remote);
  g_clear_object (&op->self);
  g_free (op);
}

static void
cancel_op_cb (GCancellable *caller,
              GCancellable *op_cancellable)
{
  g_cancellable_cancel (op_cancellable);
}

static Op *
op_begin (PveRemoteManager *self,
          PveRemote        *remote,
          GCancellable     *caller)
{
  Entry *entry = get_entry (self, remote);
  Op *op = g_new0 (Op, 1);

  op->self = g_object_ref (self);
  op->remote = g_object_ref (remote);
  op->cancellable = g_cancellable_new ();
  g_set_object (&entry->cancellable, op->cancellable);

  if (caller != NULL)
    {
      op->caller = g_object_ref (caller);
      op->caller_handler = g_cancellable_connect (caller, G_CALLBACK (cancel_op_cb),
                                                  g_object_ref (op->cancellable),
                                                  g_object_unref);
    }

  return op;
}

/* FALSE once disconnect/remove/dispose took the remote away from this operation. */
static gboolean
op_is_current (Op *op)
{
  Entry *entry = g_hash_table_lookup (op->self->entries, pve_remote_get_id (op->remote));

  return entry != NULL && entry->cancellable == op->cancellable;
}

static void
op_end (Op *op)
{
  Entry *entry = g_hash_table_lookup (op->self->entries, pve_remote_get_id (op->remote));

  if (entry != NULL && entry->cancellable == op->cancellable)
    g_clear_object (&entry->cancellable);
}

/* Every failure of connect/add/TFA ends here: the state says why, the client is dropped
 * (or kept for the second factor), nothing is in the pool. */
static void
op_fail (GTask  *task,
         GError *error)
{
  Op *op = g_task_get_task_data (task);
  PveRemoteManager *self = op->self;
  PveRemote *remote = op->remote;
  Entry *entry;
  g_autofree char *message = NULL;

  if (!op_is_current (op))
    {
      /* Disconnected or removed meanwhile: that already set the state. */
      if (op->client != NULL)
        pve_client_disconnect (op->client);
      g_clear_error (&error);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The operation was cancelled"));
      return;
    }

  op_end (op);
  entry = get_entry (self, remote);

  if (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NEED_TFA)
      || (op->tfa && g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_AUTH_FAILED)))
    {
      /* Keep the half-logged-in client for submit_tfa (again, after a wrong code). */
      entry_clear_tfa (entry);
      entry->tfa_client = g_steal_pointer (&op->client);
      entry->tfa_secret = g_steal_pointer (&op->secret);
      entry->tfa_remember = op->remember;
      entry->tfa_adding = op->adding;
      _pve_remote_set_state (remote, PVE_REMOTE_STATE_NEEDS_CREDENTIALS, error->message);
      g_task_return_error (task, error);
      return;
    }

  if (op->client != NULL)
    pve_client_disconnect (op->client);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _pve_remote_set_state (remote, PVE_REMOTE_STATE_DISCONNECTED, NULL);
  else if (g_error_matches (error, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_NEEDS_CREDENTIALS))
    _pve_remote_set_state (remote, PVE_REMOTE_STATE_NEEDS_CREDENTIALS, error->message);
  else if (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TLS_UNTRUSTED)
           || g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TLS_CHANGED))
    {
      PveCertificateInfo *seen = op->client ? pve_client_get_peer_certificate (op->client) : NULL;

      g_clear_pointer (&entry->peer_cert, pve_certificate_info_free);
      if (seen != NULL)
        entry->peer_cert = pve_certificate_info_copy (seen);
      /* The client's message names the pinned and the presented fingerprint. */
      _pve_remote_set_state (remote, PVE_REMOTE_STATE_NEEDS_TRUST, error->message);
    }
  else if (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NETWORK)
           || g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TIMEOUT))
    {
      /* The client says "Could not connect to …: reason" already; make sure of it. */
      if (g_str_has_prefix (error->message, _("Could not connect")))
        message = g_strdup (error->message);
      else
        message = g_strdup_printf (_("Could not connect to %s: %s"), display_name (remote),
                                   error->message);
      _pve_remote_set_state (remote, PVE_REMOTE_STATE_FAILED, message);
    }
  else
    _pve_remote_set_state (remote, PVE_REMOTE_STATE_FAILED, error->message);

  /* A draft that failed for good needs nothing kept: forget it (its entry holds a ref). */
  if (op->adding
      && pve_remote_get_state (remote) != PVE_REMOTE_STATE_NEEDS_TRUST
      && pve_remote_store_lookup (self->store, pve_remote_get_id (remote)) == NULL)
    g_hash_table_remove (self->entries, pve_remote_get_id (remote));

  g_task_return_error (task, error);
}

static void
op_fail_literal (GTask      *task,
                 GQuark      domain,
                 int         code,
                 const char *message)
{
  op_fail (task, g_error_new_literal (domain, code, message));
}

/* Keeps the secret for this run only (keyring unusable). */
static void
keep_for_session (PveRemoteManager *self,
                  PveRemote        *remote,
                  const char       *secret)
{
  Entry *entry = get_entry (self, remote);

  wipe_secret (&entry->session_secret);
  entry->session_secret = g_strdup (secret);
}

/* ---- connect --------------------------------------------------------------------------- */

static void
connect_store_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (pve_secrets_store_finish (PVE_SECRETS (object), result, &error))
    {
      set_keyring_available (op->self, TRUE);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("Keyring unusable for %s, credentials kept in memory for this run: %s",
               display_name (op->remote), error->message);
      if (g_error_matches (error, PVE_SECRETS_ERROR, PVE_SECRETS_ERROR_UNAVAILABLE))
        set_keyring_available (op->self, FALSE);
      keep_for_session (op->self, op->remote, op->secret);
    }

  op_end (op);
  g_task_return_boolean (task, TRUE);
}

static void
connect_succeeded (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  PveRemoteManager *self = op->self;

  if (!op_is_current (op))
    {
      pve_client_disconnect (op->client);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The operation was cancelled"));
      return;
    }

  become_connected (self, op->remote, op->client);

  if (op->secret_from_user && op->remember && self->keyring_available)
    {
      pve_secrets_store_async (self->secrets, op->remote, op->secret, self->cancellable,
                               connect_store_cb, g_object_ref (task));
      return;
    }

  /* Typed while the keyring is unreachable: asked once per run, not once per connect. */
  if (op->secret_from_user && !self->keyring_available)
    keep_for_session (self, op->remote, op->secret);

  op_end (op);
  g_task_return_boolean (task, TRUE);
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean ok;

  if (is_token (op->remote))
    ok = pve_client_login_token_finish (PVE_CLIENT (object), result, &error);
  else
    ok = pve_client_login_finish (PVE_CLIENT (object), result, &error);

  if (!ok)
    {
      op_fail (task, error);
      return;
    }

  connect_succeeded (task);
}

static void add_commit (GTask *task);

static void
add_login_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean ok;

  if (is_token (op->remote))
    ok = pve_client_login_token_finish (PVE_CLIENT (object), result, &error);
  else
    ok = pve_client_login_finish (PVE_CLIENT (object), result, &error);

  if (!ok)
    {
      op_fail (task, error);
      return;
    }

  add_commit (task);
}

static void
start_login (GTask               *task,
             GAsyncReadyCallback  callback)
{
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (op->client == NULL)
    {
      op->client = new_client (op->self, op->remote, TRUE, &error);
      if (op->client == NULL)
        {
          op_fail (task, error);
          return;
        }
    }

  if (is_token (op->remote))
    {
      g_autofree char *token_id = pve_remote_dup_full_token_id (op->remote);

      pve_client_login_token_async (op->client, token_id, op->secret, op->cancellable,
                                    callback, g_object_ref (task));
    }
  else
    {
      g_autofree char *userid = pve_remote_dup_userid (op->remote);

      pve_client_login_async (op->client, userid, op->secret, op->cancellable,
                              callback, g_object_ref (task));
    }
}

static void
connect_lookup_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  char *secret;

  secret = pve_secrets_lookup_finish (PVE_SECRETS (object), result, &error);

  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      op_fail (task, g_steal_pointer (&error));
      return;
    }

  if (g_error_matches (error, PVE_SECRETS_ERROR, PVE_SECRETS_ERROR_UNAVAILABLE))
    {
      set_keyring_available (op->self, FALSE);
      message = g_strdup_printf (is_token (op->remote)
                                 ? _("The keyring cannot be reached, so the API token secret "
                                     "for %s is needed for this session.")
                                 : _("The keyring cannot be reached, so the password for %s "
                                     "is needed for this session."),
                                 display_name (op->remote));
      op_fail_literal (task, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_NEEDS_CREDENTIALS, message);
      return;
    }

  if (error != NULL)
    {
      message = g_strdup_printf (_("%s Enter the password for %s to connect."),
                                 error->message, display_name (op->remote));
      op_fail_literal (task, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_NEEDS_CREDENTIALS, message);
      return;
    }

  set_keyring_available (op->self, TRUE);

  if (secret == NULL)
    {
      message = g_strdup_printf (is_token (op->remote)
                                 ? _("No API token secret is saved for %s")
                                 : _("No password is saved for %s"),
                                 display_name (op->remote));
      op_fail_literal (task, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_NEEDS_CREDENTIALS, message);
      return;
    }

  op->secret = secret;
  start_login (task, login_cb);
}

void
pve_remote_manager_connect_async (PveRemoteManager    *self,
                                  PveRemote           *remote,
                                  const char          *password,
                                  gboolean             remember,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Entry *entry;
  Op *op;

  g_return_if_fail (PVE_IS_REMOTE_MANAGER (self));
  g_return_if_fail (PVE_IS_REMOTE (remote));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pve_remote_manager_connect_async);

  if (pve_remote_store_lookup (self->store, pve_remote_get_id (remote)) != remote)
    {
      g_task_return_new_error (task, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_INVALID,
                               _("%s is not one of the saved remotes"), display_name (remote));
      return;
    }

  if (g_hash_table_contains (self->pool, pve_remote_get_id (remote)))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  entry = get_entry (self, remote);
  if (entry->cancellable != NULL)
    {
      g_task_return_new_error (task, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_BUSY,
                               _("%s is already connecting"), display_name (remote));
      return;
    }

  /* The system CA store, loaded once off the main thread while the secret is looked up:
   * 100 connections would otherwise parse it 100 times on the main loop. */
  pve_tls_database_preload ();

  entry_clear_tfa (entry);
  op = op_begin (self, remote, cancellable);
  g_task_set_task_data (task, op, (GDestroyNotify)op_free);
  _pve_remote_set_state (remote, PVE_REMOTE_STATE_CONNECTING, NULL);

  if (password != NULL && password[0] != '\0')
    {
      op->secret = g_strdup (password);
      op->secret_from_user = TRUE;
      op->remember = remember;
      start_login (task, login_cb);
      return;
    }

  if (entry->session_secret != NULL)
    {
      op->secret = g_strdup (entry->session_secret);
      start_login (task, login_cb);
      return;
    }

  pve_secrets_lookup_async (self->secrets, remote, op->cancellable, connect_lookup_cb,
                            g_steal_pointer (&task));
}

gboolean
pve_remote_manager_connect_finish (PveRemoteManager  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pve_remote_manager_connect_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- add ------------------------------------------------------------------------------- */

static gboolean
validate_config (PveRemoteManager  *self,
                 PveRemote         *config,
                 PveRemote         *existing,
                 gboolean           check_secret,
                 const char        *secret,
                 GError           **error)
{
  g_autofree char *name = g_strstrip (g_strdup (pve_remote_get_name (config) ?: ""));
  const char *user = pve_remote_get_user (config);
  const char *realm = pve_remote_get_realm (config);
  const char *token_id = pve_remote_get_token_id (config);
  guint port = pve_remote_get_port (config);
  PveRemote *other;
  g_autoptr(GError) host_error = NULL;

  if (name[0] == '\0')
    {
      g_set_error_literal (error, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_INVALID,
                           _("Enter a name for the remote."));
      return FALSE;
    }

  other = pve_remote_store_lookup_by_name (self->store, name);
  if (other != NULL && other != existing)
    {
      g_set_error (error, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_DUPLICATE_NAME,
                   _("A remote called “%s” exists already. Choose another name."), name);
      return FALSE;
    }

  if (pve_remote_get_host (config) == NULL || pve_remote_get_host (config)[0] == '\0')
    {
      g_set_error_literal (error, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_INVALID,
                           _("Enter the host name or address of the server."));
      return FALSE;
    }

  if (!pve_client_validate_host (pve_remote_get_host (config), &host_error))
    {
      g_set_error_literal (error, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_INVALID,
                           host_error->message);
      return FALSE;
    }

  if (port < 1 || port > 65535)
    {
      g_set_error_literal (error, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_INVALID,
                           _("The port must be a number between 1 and 65535."));
      return FALSE;
    }

  if (user == NULL || user[0] == '\0')
    {
      g_set_error_literal (error, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_INVALID,
                           _("Enter the user name."));
      return FALSE;
    }

  if (strpbrk (user, "@! \t\r\n") != NULL)
    {
      g_set_error_literal (error, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_INVALID,
                           _("Enter the user without the realm (“root”, not “root@pam”)."));
      return FALSE;
    }

  if (realm == NULL || realm[0] == '\0' || strpbrk (realm, "@! \t\r\n") != NULL)
    {
      g_set_error_literal (error, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_INVALID,
                           _("Enter the realm (for example “pam” or “pve”)."));
      return FALSE;
    }

  if (is_token (config))
    {
      if (token_id == NULL || token_id[0] == '\0')
        {
          g_set_error_literal (error, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_INVALID,
                               _("Enter the name of the API token."));
          return FALSE;
        }
      if (strpbrk (token_id, "@! \t\r\n") != NULL)
        {
          g_set_error_literal (error, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_INVALID,
                               _("Enter only the token name, the part after “!”."));
          return FALSE;
        }
    }

  if (check_secret && (secret == NULL || secret[0] == '\0'))
    {
      g_set_error_literal (error, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_INVALID,
                           is_token (config) ? _("Enter the API token secret.")
                                             : _("Enter the password."));
      return FALSE;
    }

  return TRUE;
}

/* Saved (and the secret stored or kept for this run): the draft is a remote now. */
static void
add_done (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  if (!op_is_current (op))
    {
      pve_client_disconnect (op->client);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The operation was cancelled"));
      return;
    }

  op_end (op);
  become_connected (op->self, op->remote, op->client);
  g_task_return_boolean (task, TRUE);
}

static void
add_store_secret_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (pve_secrets_store_finish (PVE_SECRETS (object), result, &error))
    set_keyring_available (op->self, TRUE);
  else
    {
      /* The remote is saved and the login worked: keep the secret for this run, and the
       * keyring-available property tells the UI why it will be asked for next time. */
      g_debug ("Could not store the secret of %s: %s", display_name (op->remote),
               error->message);
      if (!g_error_matches (error, PVE_SECRETS_ERROR, PVE_SECRETS_ERROR_LOCKED))
        set_keyring_available (op->self, FALSE);
      keep_for_session (op->self, op->remote, op->secret);
    }

  add_done (task);
}

static void
add_save_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  PveRemoteManager *self = op->self;
  GError *error = NULL;

  if (!pve_remote_store_save_finish (PVE_REMOTE_STORE (object), result, &error))
    {
      /* Saving failed: the remote does not stay either. */
      pve_remote_store_remove (self->store, op->remote);
      g_prefix_error (&error, _("Could not save %s: "), display_name (op->remote));
      op_fail (task, error);
      return;
    }

  if (!self->keyring_available)
    {
      keep_for_session (self, op->remote, op->secret);
      add_done (task);
      return;
    }

  pve_secrets_store_async (self->secrets, op->remote, op->secret, self->cancellable,
                           add_store_secret_cb, g_steal_pointer (&task));
}

/* The login worked: now, and only now, the remote and its secret are saved. */
static void
add_commit (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  PveRemoteManager *self = op->self;
  GError *error = NULL;

  if (!op_is_current (op))
    {
      op_fail (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled"));
      return;
    }

  /* Another remote may have taken the name while we were logging in. */
  if (!validate_config (self, op->remote, NULL, FALSE, NULL, &error)
      || pve_remote_store_lookup (self->store, pve_remote_get_id (op->remote)) != NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_INVALID,
                                     _("This remote has been added already."));
      op_fail (task, error);
      return;
    }

  pve_remote_store_add (self->store, op->remote);
  pve_remote_store_save_async (self->store, NULL, add_save_cb, g_object_ref (task));
}

static void
add_probe_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!pve_client_probe_finish (PVE_CLIENT (object), result, &error))
    {
      op_fail (task, error);
      return;
    }

  start_login (task, add_login_cb);
}

void
pve_remote_manager_add_async (PveRemoteManager    *self,
                              PveRemote           *draft,
                              const char          *secret,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Entry *entry;
  Op *op;

  g_return_if_fail (PVE_IS_REMOTE_MANAGER (self));
  g_return_if_fail (PVE_IS_REMOTE (draft));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pve_remote_manager_add_async);

  if (pve_remote_store_lookup (self->store, pve_remote_get_id (draft)) != NULL)
    {
      g_task_return_new_error (task, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_INVALID,
                               _("This remote has been added already."));
      return;
    }

  if (!validate_config (self, draft, NULL, TRUE, secret, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  entry = get_entry (self, draft);
  if (entry->cancellable != NULL)
    {
      g_task_return_new_error (task, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_BUSY,
                               _("%s is already connecting"), display_name (draft));
      return;
    }

  entry_clear_tfa (entry);
  op = op_begin (self, draft, cancellable);
  op->secret = g_strdup (secret);
  op->secret_from_user = TRUE;
  op->adding = TRUE;
  g_task_set_task_data (task, op, (GDestroyNotify)op_free);
  _pve_remote_set_state (draft, PVE_REMOTE_STATE_CONNECTING, NULL);

  op->client = new_client (self, draft, TRUE, &error);
  if (op->client == NULL)
    {
      op_fail (task, error);
      return;
    }

  /* TLS first: an unknown certificate is asked about before any password is sent. */
  pve_client_probe_async (op->client, op->cancellable, add_probe_cb, g_steal_pointer (&task));
}

gboolean
pve_remote_manager_add_finish (PveRemoteManager  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pve_remote_manager_add_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- TFA ------------------------------------------------------------------------------- */

static void
tfa_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!pve_client_login_tfa_finish (PVE_CLIENT (object), result, &error))
    {
      op_fail (task, error);
      return;
    }

  if (op->adding)
    add_commit (task);
  else
    connect_succeeded (task);
}

void
pve_remote_manager_submit_tfa_async (PveRemoteManager    *self,
                                     PveRemote           *remote,
                                     const char          *response,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Entry *entry;
  Op *op;

  g_return_if_fail (PVE_IS_REMOTE_MANAGER (self));
  g_return_if_fail (PVE_IS_REMOTE (remote));
  g_return_if_fail (response != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pve_remote_manager_submit_tfa_async);

  entry = g_hash_table_lookup (self->entries, pve_remote_get_id (remote));
  if (entry == NULL || entry->tfa_client == NULL)
    {
      g_task_return_new_error (task, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_INVALID,
                               _("No login to %s is waiting for a code. Connect again."),
                               display_name (remote));
      return;
    }
  if (entry->cancellable != NULL)
    {
      g_task_return_new_error (task, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_BUSY,
                               _("%s is already connecting"), display_name (remote));
      return;
    }

  op = op_begin (self, remote, cancellable);
  op->client = g_steal_pointer (&entry->tfa_client);
  op->secret = g_steal_pointer (&entry->tfa_secret);
  op->secret_from_user = op->secret != NULL;
  op->remember = entry->tfa_remember;
  op->adding = entry->tfa_adding;
  op->tfa = TRUE;
  entry_clear_tfa (entry);
  g_task_set_task_data (task, op, (GDestroyNotify)op_free);
  _pve_remote_set_state (remote, PVE_REMOTE_STATE_CONNECTING, NULL);

  pve_client_login_tfa_async (op->client, response, op->cancellable, tfa_cb,
                              g_steal_pointer (&task));
}

gboolean
pve_remote_manager_submit_tfa_finish (PveRemoteManager  *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        pve_remote_manager_submit_tfa_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

const char * const *
pve_remote_manager_get_tfa_methods (PveRemoteManager *self,
                                    PveRemote        *remote)
{
  Entry *entry;

  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (self), NULL);
  g_return_val_if_fail (PVE_IS_REMOTE (remote), NULL);

  entry = g_hash_table_lookup (self->entries, pve_remote_get_id (remote));
  if (entry == NULL || entry->tfa_client == NULL)
    return NULL;

  return pve_client_get_tfa_methods (entry->tfa_client);
}

/* ---- Certificates ------------------------------------------------------------------------ */

PveCertificateInfo *
pve_remote_manager_get_peer_certificate (PveRemoteManager *self,
                                         PveRemote        *remote)
{
  Entry *entry;

  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (self), NULL);
  g_return_val_if_fail (PVE_IS_REMOTE (remote), NULL);

  entry = g_hash_table_lookup (self->entries, pve_remote_get_id (remote));
  return entry ? entry->peer_cert : NULL;
}

typedef struct
{
  PveRemote *remote;
  PveClient *client;
} FetchData;

static void
fetch_data_free (FetchData *data)
{
  if (data->client != NULL)
    pve_client_disconnect (data->client);
  g_clear_object (&data->client);
  g_clear_object (&data->remote);
  g_free (data);
}

static void
fetch_probe_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PveRemoteManager *self = g_task_get_source_object (task);
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  PveCertificateInfo *seen;
  Entry *entry;

  /* Without a pin an untrusted certificate is the expected answer: it is what we want. */
  if (!pve_client_probe_finish (data->client, result, &error)
      && !g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TLS_UNTRUSTED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  seen = pve_client_get_peer_certificate (data->client);
  if (seen == NULL)
    {
      g_task_return_new_error (task, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_FAILED,
                               _("%s did not present a certificate"),
                               display_name (data->remote));
      return;
    }

  entry = get_entry (self, data->remote);
  g_clear_pointer (&entry->peer_cert, pve_certificate_info_free);
  entry->peer_cert = pve_certificate_info_copy (seen);
  g_task_return_pointer (task, pve_certificate_info_copy (seen),
                         (GDestroyNotify)pve_certificate_info_free);
}

void
pve_remote_manager_fetch_certificate_async (PveRemoteManager    *self,
                                            PveRemote           *remote,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FetchData *data;
  GError *error = NULL;

  g_return_if_fail (PVE_IS_REMOTE_MANAGER (self));
  g_return_if_fail (PVE_IS_REMOTE (remote));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pve_remote_manager_fetch_certificate_async);

  data = g_new0 (FetchData, 1);
  data->remote = g_object_ref (remote);
  g_task_set_task_data (task, data, (GDestroyNotify)fetch_data_free);

  /* No pin: only to read the certificate. This client never logs in. */
  data->client = new_client (self, remote, FALSE, &error);
  if (data->client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  pve_client_probe_async (data->client, cancellable, fetch_probe_cb, g_steal_pointer (&task));
}

PveCertificateInfo *
pve_remote_manager_fetch_certificate_finish (PveRemoteManager  *self,
                                             GAsyncResult      *result,
                                             GError           **error)
{
  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        pve_remote_manager_fetch_certificate_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
pin_save_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!pve_remote_store_save_finish (PVE_REMOTE_STORE (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
pve_remote_manager_pin_certificate_async (PveRemoteManager    *self,
                                          PveRemote           *remote,
                                          const char          *fingerprint,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *normalized = NULL;

  g_return_if_fail (PVE_IS_REMOTE_MANAGER (self));
  g_return_if_fail (PVE_IS_REMOTE (remote));
  g_return_if_fail (fingerprint != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pve_remote_manager_pin_certificate_async);

  normalized = pve_fingerprint_normalize (fingerprint);
  if (normalized == NULL)
    {
      g_task_return_new_error (task, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_INVALID,
                               _("“%s” is not a SHA-256 fingerprint"), fingerprint);
      return;
    }

  pve_remote_set_fingerprint (remote, normalized);

  /* Trusted now: the question is answered; connecting is the next step. */
  if (pve_remote_get_state (remote) == PVE_REMOTE_STATE_NEEDS_TRUST)
    _pve_remote_set_state (remote, PVE_REMOTE_STATE_DISCONNECTED, NULL);

  if (pve_remote_store_lookup (self->store, pve_remote_get_id (remote)) != remote)
    {
      /* A draft: saved with the rest when the add succeeds. */
      g_task_return_boolean (task, TRUE);
      return;
    }

  pve_remote_store_save_async (self->store, cancellable, pin_save_cb, g_steal_pointer (&task));
}

gboolean
pve_remote_manager_pin_certificate_finish (PveRemoteManager  *self,
                                           GAsyncResult      *result,
                                           GError           **error)
{
  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        pve_remote_manager_pin_certificate_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- disconnect -------------------------------------------------------------------------- */

void
pve_remote_manager_disconnect (PveRemoteManager *self,
                               PveRemote        *remote)
{
  g_autoptr(PveClient) client = NULL;
  Entry *entry;

  g_return_if_fail (PVE_IS_REMOTE_MANAGER (self));
  g_return_if_fail (PVE_IS_REMOTE (remote));

  entry = g_hash_table_lookup (self->entries, pve_remote_get_id (remote));
  if (entry != NULL)
    {
      /* Clear first, then cancel: the callbacks see they are stale and change nothing. */
      g_autoptr(GCancellable) cancellable = g_steal_pointer (&entry->cancellable);

      if (cancellable != NULL)
        g_cancellable_cancel (cancellable);
      entry_clear_tfa (entry);
      entry->heartbeat_busy = FALSE;
    }

  client = pool_steal (self, pve_remote_get_id (remote));
  if (client != NULL)
    {
      pve_client_disconnect (client);
      g_debug ("Disconnected from %s", display_name (remote));
    }

  _pve_remote_set_state (remote, PVE_REMOTE_STATE_DISCONNECTED, NULL);
}

void
pve_remote_manager_disconnect_all (PveRemoteManager *self)
{
  g_autoptr(GPtrArray) remotes = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (PVE_IS_REMOTE_MANAGER (self));

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (remotes, g_object_ref (((Entry *)value)->remote));

  for (guint i = 0; i < remotes->len; i++)
    pve_remote_manager_disconnect (self, g_ptr_array_index (remotes, i));

  g_assert (g_hash_table_size (self->pool) == 0);
}

/* ---- update ------------------------------------------------------------------------------- */

typedef struct
{
  PveRemote *remote;
  char      *secret;
  gboolean   clear_first;
} UpdateData;

static void
update_data_free (UpdateData *data)
{
  wipe_secret (&data->secret);
  g_clear_object (&data->remote);
  g_free (data);
}

static void
update_store_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PveRemoteManager *self = g_task_get_source_object (task);
  UpdateData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!pve_secrets_store_finish (PVE_SECRETS (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (g_error_matches (error, PVE_SECRETS_ERROR, PVE_SECRETS_ERROR_UNAVAILABLE))
        set_keyring_available (self, FALSE);
      keep_for_session (self, data->remote, data->secret);
    }
  else
    set_keyring_available (self, TRUE);

  g_task_return_boolean (task, TRUE);
}

static void
update_clear_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  PveRemoteManager *self = g_task_get_source_object (task);
  UpdateData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* An old item of another kind that stays behind is harmless: lookups ask for the kind. */
  if (!pve_secrets_clear_finish (PVE_SECRETS (object), result, &error))
    g_debug ("Could not clear the old secret of %s: %s", display_name (data->remote),
             error->message);

  pve_secrets_store_async (self->secrets, data->remote, data->secret,
                           cancellable, update_store_cb,
                           g_steal_pointer (&task));
}

static void
update_save_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  PveRemoteManager *self = g_task_get_source_object (task);
  UpdateData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!pve_remote_store_save_finish (PVE_REMOTE_STORE (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (data->secret == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (!self->keyring_available)
    {
      keep_for_session (self, data->remote, data->secret);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (data->clear_first)
    pve_secrets_clear_async (self->secrets, pve_remote_get_id (data->remote),
                             cancellable, update_clear_cb,
                             g_steal_pointer (&task));
  else
    pve_secrets_store_async (self->secrets, data->remote, data->secret,
                             cancellable, update_store_cb,
                             g_steal_pointer (&task));
}

void
pve_remote_manager_update_async (PveRemoteManager    *self,
                                 PveRemote           *remote,
                                 PveRemote           *new_config,
                                 const char          *new_secret,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  UpdateData *data;
  GError *error = NULL;
  gboolean session_changed;
  gboolean auth_changed;

  g_return_if_fail (PVE_IS_REMOTE_MANAGER (self));
  g_return_if_fail (PVE_IS_REMOTE (remote));
  g_return_if_fail (PVE_IS_REMOTE (new_config));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pve_remote_manager_update_async);

  if (pve_remote_store_lookup (self->store, pve_remote_get_id (remote)) != remote)
    {
      g_task_return_new_error (task, PVE_MANAGER_ERROR, PVE_MANAGER_ERROR_INVALID,
                               _("%s is not one of the saved remotes"), display_name (remote));
      return;
    }

  if (new_secret != NULL && new_secret[0] == '\0')
    new_secret = NULL;

  if (!validate_config (self, new_config, remote, FALSE, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  auth_changed = pve_remote_get_auth_kind (remote) != pve_remote_get_auth_kind (new_config)
                 || g_strcmp0 (pve_remote_get_token_id (remote),
                               pve_remote_get_token_id (new_config)) != 0
                 || g_strcmp0 (pve_remote_get_user (remote), pve_remote_get_user (new_config)) != 0
                 || g_strcmp0 (pve_remote_get_realm (remote),
                               pve_remote_get_realm (new_config)) != 0;
  session_changed = auth_changed
                    || g_strcmp0 (pve_remote_get_host (remote), pve_remote_get_host (new_config)) != 0
                    || pve_remote_get_port (remote) != pve_remote_get_port (new_config);

  if (session_changed)
    pve_remote_manager_disconnect (self, remote);

  if (auth_changed || new_secret != NULL)
    {
      Entry *entry = g_hash_table_lookup (self->entries, pve_remote_get_id (remote));

      if (entry != NULL)
        wipe_secret (&entry->session_secret);
    }

  pve_remote_apply_config (remote, new_config);

  data = g_new0 (UpdateData, 1);
  data->remote = g_object_ref (remote);
  data->secret = g_strdup (new_secret);
  data->clear_first = auth_changed;
  g_task_set_task_data (task, data, (GDestroyNotify)update_data_free);

  pve_remote_store_save_async (self->store, cancellable, update_save_cb, g_steal_pointer (&task));
}

gboolean
pve_remote_manager_update_finish (PveRemoteManager  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pve_remote_manager_update_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- remove -------------------------------------------------------------------------------- */

static void
remove_clear_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PveRemote *remote = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!pve_secrets_clear_finish (PVE_SECRETS (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, error->domain, error->code,
                                 _("%s was removed, but its saved password could not be "
                                   "deleted from the keyring: %s"),
                                 display_name (remote), error->message);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
remove_save_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  PveRemoteManager *self = g_task_get_source_object (task);
  PveRemote *remote = g_task_get_task_data (task);
  GError *error = NULL;

  if (!pve_remote_store_save_finish (PVE_REMOTE_STORE (object), result, &error))
    {
      /* Still in the file: keep it in the list too, with its secret. */
      if (pve_remote_store_lookup (self->store, pve_remote_get_id (remote)) == NULL)
        pve_remote_store_add (self->store, remote);
      g_prefix_error (&error, _("Could not remove %s: "), display_name (remote));
      g_task_return_error (task, error);
      return;
    }

  g_hash_table_remove (self->entries, pve_remote_get_id (remote));
  pve_secrets_clear_async (self->secrets, pve_remote_get_id (remote),
                           cancellable, remove_clear_cb,
                           g_steal_pointer (&task));
}

void
pve_remote_manager_remove_async (PveRemoteManager    *self,
                                 PveRemote           *remote,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PVE_IS_REMOTE_MANAGER (self));
  g_return_if_fail (PVE_IS_REMOTE (remote));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pve_remote_manager_remove_async);
  g_task_set_task_data (task, g_object_ref (remote), g_object_unref);

  pve_remote_manager_disconnect (self, remote);
  pve_remote_store_remove (self->store, remote);
  pve_remote_store_save_async (self->store, NULL, remove_save_cb, g_steal_pointer (&task));
}

gboolean
pve_remote_manager_remove_finish (PveRemoteManager  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pve_remote_manager_remove_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- load --------------------------------------------------------------------------------- */

static void
autoconnect_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The outcome shows in the remote's state. */
  if (!pve_remote_manager_connect_finish (PVE_REMOTE_MANAGER (object), result, &error))
    g_debug ("Autoconnect failed: %s", error->message);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PveRemoteManager *self = g_task_get_source_object (task);
  GError *error = NULL;
  guint n;

  pve_remote_store_load_finish (PVE_REMOTE_STORE (object), result, &error);
  if (--self->loading == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PveRemote) remote = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      g_assert (pve_remote_get_state (remote) == PVE_REMOTE_STATE_DISCONNECTED);
      if (pve_remote_get_autoconnect (remote))
        pve_remote_manager_connect_async (self, remote, NULL, FALSE, self->cancellable,
                                          autoconnect_cb, NULL);
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
pve_remote_manager_load_async (PveRemoteManager    *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PVE_IS_REMOTE_MANAGER (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pve_remote_manager_load_async);

  /* A reload starts from nothing: no session survives it. */
  pve_remote_manager_disconnect_all (self);
  g_hash_table_remove_all (self->entries);

  if (self->loading++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  pve_remote_store_load_async (self->store, cancellable, load_cb, g_steal_pointer (&task));
}

gboolean
pve_remote_manager_load_finish (PveRemoteManager  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pve_remote_manager_load_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- requests ---------------------------------------------------------------------------- */

typedef struct
{
  PveRemote     *remote;
  PveClient     *client;
  GDestroyNotify parsed_free;   /* set: the body is read by a PveBodyParser */
  gboolean       parsed;
} RequestData;

typedef struct
{
  JsonNode      *node;
  gint64         total;
  gpointer       parsed;
  GDestroyNotify parsed_free;
} RequestResult;

static void
request_data_free (RequestData *data)
{
  g_clear_object (&data->remote);
  g_clear_object (&data->client);
  g_free (data);
}

static void
request_result_free (RequestResult *result)
{
  g_clear_pointer (&result->node, json_node_unref);
  if (result->parsed != NULL && result->parsed_free != NULL)
    result->parsed_free (result->parsed);
  g_free (result);
}

static void
touch (PveRemoteManager *self,
       PveRemote        *remote)
{
  Entry *entry = g_hash_table_lookup (self->entries, pve_remote_get_id (remote));

  if (entry != NULL)
    entry->last_activity = g_get_monotonic_time ();
}

static void
request_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PveRemoteManager *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  RequestResult *out;
  JsonNode *node = NULL;
  gpointer parsed = NULL;
  gint64 total = -1;

  if (data->parsed)
    parsed = pve_client_request_parsed_finish (data->client, result, &error);
  else
    node = pve_client_request_finish (data->client, result, &total, &error);
  touch (self, data->remote);

  if (node == NULL && parsed == NULL)
    {
      /* The server went away under a connected remote: say so, offer Reconnect. */
      if (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NETWORK))
        connection_lost (self, data->remote, data->client, error);
      else if (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TLS_CHANGED)
               || g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TLS_UNTRUSTED))
        certificate_changed (self, data->remote, data->client, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  out = g_new0 (RequestResult, 1);
  out->node = node;
  out->total = total;
  out->parsed = parsed;
  out->parsed_free = data->parsed_free;
  g_task_return_pointer (task, out, (GDestroyNotify)request_result_free);
}

static void
request_full_async (PveRemoteManager    *self,
                    PveRemote           *remote,
                    const char          *method,
                    const char          *path,
                    GHashTable          *params,
                    PveBodyParser        parser,
                    GDestroyNotify       parsed_free,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RequestData *data;
  PveClient *client;

  g_return_if_fail (PVE_IS_REMOTE_MANAGER (self));
  g_return_if_fail (PVE_IS_REMOTE (remote));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pve_remote_manager_request_async);

  /* Not in the pool: fail at once, send nothing. */
  client = g_hash_table_lookup (self->pool, pve_remote_get_id (remote));
  if (client == NULL)
    {
      g_task_return_new_error (task, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED,
                               _("Remote is not connected"));
      return;
    }

  data = g_new0 (RequestData, 1);
  data->remote = g_object_ref (remote);
  data->client = g_object_ref (client);
  data->parsed = parser != NULL;
  data->parsed_free = parsed_free;
  g_task_set_task_data (task, data, (GDestroyNotify)request_data_free);
  touch (self, remote);

  if (parser != NULL)
    pve_client_request_parsed_async (client, method, path, params, parser, parsed_free,
                                     cancellable, request_cb, g_steal_pointer (&task));
  else
    pve_client_request_async (client, method, path, params, cancellable, request_cb,
                              g_steal_pointer (&task));
}

void
pve_remote_manager_request_async (PveRemoteManager    *self,
                                  PveRemote           *remote,
                                  const char          *method,
                                  const char          *path,
                                  GHashTable          *params,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  request_full_async (self, remote, method, path, params, NULL, NULL, cancellable, callback,
                      user_data);
}

void
pve_remote_manager_request_parsed_async (PveRemoteManager    *self,
                                         PveRemote           *remote,
                                         const char          *method,
                                         const char          *path,
                                         GHashTable          *params,
                                         PveBodyParser        parser,
                                         GDestroyNotify       parsed_free,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (parser != NULL);

  request_full_async (self, remote, method, path, params, parser, parsed_free, cancellable,
                      callback, user_data);
}

gpointer
pve_remote_manager_request_parsed_finish (PveRemoteManager  *self,
                                          GAsyncResult      *result,
                                          GError           **error)
{
  RequestResult *out;
  gpointer parsed;

  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        pve_remote_manager_request_async, NULL);

  out = g_task_propagate_pointer (G_TASK (result), error);
  if (out == NULL)
    return NULL;
  parsed = g_steal_pointer (&out->parsed);
  request_result_free (out);
  return parsed;
}

JsonNode *
pve_remote_manager_request_finish (PveRemoteManager  *self,
                                   GAsyncResult      *result,
                                   gint64            *total,
                                   GError           **error)
{
  RequestResult *out;
  JsonNode *node;

  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        pve_remote_manager_request_async, NULL);

  if (total != NULL)
    *total = -1;

  out = g_task_propagate_pointer (G_TASK (result), error);
  if (out == NULL)
    return NULL;

  if (total != NULL)
    *total = out->total;
  node = g_steal_pointer (&out->node);
  request_result_free (out);
  return node;
}

PveClient *
pve_remote_manager_get_client (PveRemoteManager *self,
                               PveRemote        *remote)
{
  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (self), NULL);
  g_return_val_if_fail (PVE_IS_REMOTE (remote), NULL);

  return g_hash_table_lookup (self->pool, pve_remote_get_id (remote));
}

gboolean
pve_remote_manager_any_connected (PveRemoteManager *self)
{
  GListModel *remotes;
  guint n;

  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (self), FALSE);

  remotes = pve_remote_manager_get_remotes (self);
  n = g_list_model_get_n_items (remotes);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PveRemote) remote = g_list_model_get_item (remotes, i);

      if (pve_remote_get_state (remote) == PVE_REMOTE_STATE_CONNECTED)
        return TRUE;
    }

  return FALSE;
}

guint
pve_remote_manager_get_pool_size (PveRemoteManager *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (self), 0);

  return g_hash_table_size (self->pool);
}

/* ---- heartbeat --------------------------------------------------------------------------- */

typedef struct
{
  PveRemoteManager *self;
  PveRemote        *remote;
  PveClient        *client;
} Heartbeat;

static void
heartbeat_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Heartbeat *beat = user_data;
  PveRemoteManager *self = beat->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  Entry *entry;

  node = pve_client_request_finish (beat->client, result, NULL, &error);

  entry = g_hash_table_lookup (self->entries, pve_remote_get_id (beat->remote));
  if (entry != NULL && g_hash_table_lookup (self->pool, pve_remote_get_id (beat->remote))
                       == beat->client)
    {
      entry->heartbeat_busy = FALSE;
      entry->last_activity = g_get_monotonic_time ();

      /* A server that vanished (no answer at all) or no longer takes our credentials. */
      if (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NETWORK)
          || g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TIMEOUT))
        connection_lost (self, beat->remote, beat->client, error);
      else if (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_AUTH_FAILED))
        connection_failed (self, beat->remote, beat->client, error->message);
      else if (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TLS_CHANGED)
               || g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TLS_UNTRUSTED))
        certificate_changed (self, beat->remote, beat->client, error);
    }

  g_object_unref (beat->client);
  g_object_unref (beat->remote);
  g_object_unref (beat->self);
  g_free (beat);
}

static gboolean
heartbeat_tick (gpointer user_data)
{
  PveRemoteManager *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 idle = (gint64)self->heartbeat_interval * G_USEC_PER_SEC;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->pool);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Entry *entry = g_hash_table_lookup (self->entries, key);
      Heartbeat *beat;

      if (entry == NULL || entry->heartbeat_busy || now - entry->last_activity < idle)
        continue;

      entry->heartbeat_busy = TRUE;
      beat = g_new0 (Heartbeat, 1);
      beat->self = g_object_ref (self);
      beat->remote = g_object_ref (entry->remote);
      beat->client = g_object_ref (value);
      pve_client_request_async (beat->client, "GET", "/version", NULL, self->cancellable,
                                heartbeat_cb, beat);
    }

  return G_SOURCE_CONTINUE;
}

static void
restart_heartbeat (PveRemoteManager *self)
{
  g_clear_handle_id (&self->heartbeat_source, g_source_remove);

  if (self->heartbeat_interval == 0)
    return;

  /* Ticking at half the interval finds an idle remote within 1.5 intervals. */
  self->heartbeat_source = g_timeout_add (MAX (self->heartbeat_interval * 1000 / 2, 250),
                                          heartbeat_tick, self);
  g_source_set_name_by_id (self->heartbeat_source, "[pve] remote heartbeat");
}

/* ---- Settings ----------------------------------------------------------------------------- */

void
pve_remote_manager_set_timeouts (PveRemoteManager *self,
                                 guint             connect_timeout,
                                 guint             request_timeout)
{
  g_return_if_fail (PVE_IS_REMOTE_MANAGER (self));

  self->connect_timeout = connect_timeout;
  self->request_timeout = request_timeout;
  self->timeouts_set = TRUE;
}

void
pve_remote_manager_set_renew_after (PveRemoteManager *self,
                                    guint             seconds)
{
  g_return_if_fail (PVE_IS_REMOTE_MANAGER (self));

  self->renew_after = seconds;
}

void
pve_remote_manager_set_heartbeat_interval (PveRemoteManager *self,
                                           guint             seconds)
{
  g_return_if_fail (PVE_IS_REMOTE_MANAGER (self));

  if (self->heartbeat_interval == seconds)
    return;

  self->heartbeat_interval = seconds;
  restart_heartbeat (self);
}

gboolean
pve_remote_manager_get_loading (PveRemoteManager *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (self), FALSE);

  return self->loading > 0;
}

gboolean
pve_remote_manager_get_keyring_available (PveRemoteManager *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (self), FALSE);

  return self->keyring_available;
}

PveRemoteStore *
pve_remote_manager_get_store (PveRemoteManager *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (self), NULL);
  return self->store;
}

PveSecrets *
pve_remote_manager_get_secrets (PveRemoteManager *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (self), NULL);
  return self->secrets;
}

GListModel *
pve_remote_manager_get_remotes (PveRemoteManager *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (self), NULL);
  return G_LIST_MODEL (self->store);
}

/* ---- GObject ------------------------------------------------------------------------------ */

static void
pve_remote_manager_dispose (GObject *object)
{
  PveRemoteManager *self = (PveRemoteManager *)object;

  g_clear_handle_id (&self->heartbeat_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);

  if (self->entries != NULL)
    pve_remote_manager_disconnect_all (self);

  G_OBJECT_CLASS (pve_remote_manager_parent_class)->dispose (object);
}

static void
pve_remote_manager_finalize (GObject *object)
{
  PveRemoteManager *self = (PveRemoteManager *)object;

  /* Entries wipe the secrets kept for this run. */
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->pool, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);

  G_OBJECT_CLASS (pve_remote_manager_parent_class)->finalize (object);
}

static void
pve_remote_manager_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PveRemoteManager *self = PVE_REMOTE_MANAGER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SECRETS:
      g_value_set_object (value, self->secrets);
      break;
    case PROP_KEYRING_AVAILABLE:
      g_value_set_boolean (value, self->keyring_available);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_remote_manager_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PveRemoteManager *self = PVE_REMOTE_MANAGER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SECRETS:
      self->secrets = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_remote_manager_constructed (GObject *object)
{
  PveRemoteManager *self = PVE_REMOTE_MANAGER (object);

  G_OBJECT_CLASS (pve_remote_manager_parent_class)->constructed (object);

  if (self->store == NULL)
    self->store = pve_remote_store_new (NULL);
  if (self->secrets == NULL)
    self->secrets = pve_secrets_new ();

  restart_heartbeat (self);
}

static void
pve_remote_manager_class_init (PveRemoteManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pve_remote_manager_dispose;
  object_class->finalize = pve_remote_manager_finalize;
  object_class->constructed = pve_remote_manager_constructed;
  object_class->get_property = pve_remote_manager_get_property;
  object_class->set_property = pve_remote_manager_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PVE_TYPE_REMOTE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECRETS] =
    g_param_spec_object ("secrets", NULL, NULL, PVE_TYPE_SECRETS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEYRING_AVAILABLE] =
    g_param_spec_boolean ("keyring-available", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pve_remote_manager_init (PveRemoteManager *self)
{
  self->cancellable = g_cancellable_new ();
  self->pool = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify)entry_free);
  self->heartbeat_interval = DEFAULT_HEARTBEAT_INTERVAL;
  self->keyring_available = TRUE;
  /* The TLS setup (pve-tls-database.h) starts with the first connection, not here: its thread
   * would compete with the app's first frame for the CPU. A window starts it after its first
   * frame, so that it is ready when the user clicks Connect. */
}

PveRemoteManager *
pve_remote_manager_new (PveRemoteStore *store,
                        PveSecrets     *secrets)
{
  g_return_val_if_fail (!store || PVE_IS_REMOTE_STORE (store), NULL);
  g_return_val_if_fail (!secrets || PVE_IS_SECRETS (secrets), NULL);

  return g_object_new (PVE_TYPE_REMOTE_MANAGER, "store", store, "secrets", secrets, NULL);
}

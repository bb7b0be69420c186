/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "pve-secrets.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

struct _PveSecrets
{
  GObject  parent_instance;

  /* Lookups wait for one encrypted session with the Secret Service: libsecret opens one per
   * call while none exists, so 100 concurrent lookups (connect all) did 100 Diffie-Hellman
   * exchanges on the main thread (tests/bench). */
  gboolean session_ready;
  gboolean session_opening;
  GQueue   waiting;        /* GTask* of lookups */
  guint    flush_id;       /* idle that starts the waiting lookups */
};

G_DEFINE_FINAL_TYPE (PveSecrets, pve_secrets, G_TYPE_OBJECT)

G_DEFINE_QUARK (pve-secrets-error-quark, pve_secrets_error)

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "com.example.PveRemotes.Credential", SECRET_SCHEMA_NONE,
    {
      { "remote-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static const char *
kind_for (PveRemote *remote)
{
  return pve_remote_get_auth_kind (remote) == PVE_AUTH_KIND_TOKEN ? "token" : "password";
}

/* libsecret and D-Bus speak in their own terms; say what it means for the person. */
static GError *
translate_error (GError       *error,
                 GCancellable *cancellable)
{
  GError *translated;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && g_cancellable_is_cancelled (cancellable))
    return error;

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    translated = g_error_new (PVE_SECRETS_ERROR, PVE_SECRETS_ERROR_LOCKED,
                              _("The keyring is locked. Unlock it to use saved passwords."));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    /* Nobody cancelled us: the unlock prompt was dismissed. */
    translated = g_error_new (PVE_SECRETS_ERROR, PVE_SECRETS_ERROR_LOCKED,
                              _("The keyring was not unlocked."));
  else if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN)
           || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER)
           || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND)
           || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_EXEC_FAILED))
    translated = g_error_new (PVE_SECRETS_ERROR, PVE_SECRETS_ERROR_UNAVAILABLE,
                              _("No keyring service is running, so passwords cannot be saved."));
  else if (error->domain == G_IO_ERROR || error->domain == G_DBUS_ERROR)
    translated = g_error_new (PVE_SECRETS_ERROR, PVE_SECRETS_ERROR_UNAVAILABLE,
                              _("The keyring cannot be reached (%s)."), error->message);
  else
    translated = g_error_new (PVE_SECRETS_ERROR, PVE_SECRETS_ERROR_UNAVAILABLE,
                              _("The keyring failed: %s"), error->message);

  g_error_free (error);
  return translated;
}

static void start_lookup (GTask *task);

static void
pve_secrets_finalize (GObject *object)
{
  PveSecrets *self = PVE_SECRETS (object);

  /* The session callback holds a reference while lookups wait: none are left here. */
  g_assert (g_queue_is_empty (&self->waiting));
  G_OBJECT_CLASS (pve_secrets_parent_class)->finalize (object);
}

static void
pve_secrets_class_init (PveSecretsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pve_secrets_finalize;
}

static void
pve_secrets_init (PveSecrets *self)
{
  g_queue_init (&self->waiting);
}

static void schedule_flush (PveSecrets *self);

static void
session_opened_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PveSecrets) self = user_data;
  g_autoptr(SecretService) service = NULL;

  /* On failure the lookups fail by themselves, with their own (more precise) errors. */
  service = secret_service_get_finish (result, NULL);
  self->session_opening = FALSE;
  self->session_ready = TRUE;
  schedule_flush (self);
}

PveSecrets *
pve_secrets_new (void)
{
  return g_object_new (PVE_TYPE_SECRETS, NULL);
}

void
pve_secrets_free_secret (char *secret)
{
  /* Overwrites the bytes before freeing them (and handles libsecret's secure memory). */
  secret_password_free (secret);
}

/* ---- store ---------------------------------------------------------------------------- */

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, translate_error (error, g_task_get_cancellable (task)));
  else
    g_task_return_boolean (task, TRUE);
}

void
pve_secrets_store_async (PveSecrets          *self,
                         PveRemote           *remote,
                         const char          *secret,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *userid = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (PVE_IS_SECRETS (self));
  g_return_if_fail (PVE_IS_REMOTE (remote));
  g_return_if_fail (secret != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pve_secrets_store_async);

  userid = pve_remote_dup_userid (remote);
  /* TRANSLATORS: keyring item label: "PVE Remotes: <remote name> (<user>@<realm>)" */
  label = g_strdup_printf (_("PVE Remotes: %s (%s)"), pve_remote_get_name (remote), userid);

  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, label, secret, cancellable,
                         store_cb, g_steal_pointer (&task),
                         "remote-id", pve_remote_get_id (remote),
                         "kind", kind_for (remote),
                         NULL);
}

gboolean
pve_secrets_store_finish (PveSecrets    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (PVE_IS_SECRETS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pve_secrets_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- lookup --------------------------------------------------------------------------- */

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, translate_error (error, g_task_get_cancellable (task)));
  else
    g_task_return_pointer (task, secret, (GDestroyNotify)pve_secrets_free_secret);
}

/* Takes the task. */
static void
start_lookup (GTask *task)
{
  char **attributes = g_task_get_task_data (task);

  secret_password_lookup (get_schema (), g_task_get_cancellable (task), lookup_cb, task,
                          "remote-id", attributes[0],
                          "kind", attributes[1],
                          NULL);
}

static char *
item_key (const char *remote_id,
          const char *kind)
{
  return g_strconcat (remote_id, "\n", kind, NULL);
}

/* Many lookups at once (connect all): one search of the keyring for every item of the schema,
 * secrets included, instead of a search and a GetSecret round trip per remote (100 of each
 * kept gnome-keyring-daemon busy for half a second). */
static void
batch_searched_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GPtrArray) tasks = user_data;
  g_autoptr(GHashTable) items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  GList *found;

  found = secret_service_search_finish (NULL, result, &error);
  if (error != NULL)
    {
      /* Each lookup on its own, so each reports its own error. */
      for (guint i = 0; i < tasks->len; i++)
        start_lookup (g_object_ref (g_ptr_array_index (tasks, i)));
      return;
    }

  for (GList *l = found; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_item_get_attributes (l->data);
      const char *id = g_hash_table_lookup (attributes, "remote-id");
      const char *kind = g_hash_table_lookup (attributes, "kind");

      if (id != NULL && kind != NULL)
        g_hash_table_replace (items, item_key (id, kind), l->data);
    }

  for (guint i = 0; i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);
      char **wanted = g_task_get_task_data (task);
      g_autofree char *key = item_key (wanted[0], wanted[1]);
      SecretItem *item = g_hash_table_lookup (items, key);
      g_autoptr(SecretValue) value = item ? secret_item_get_secret (item) : NULL;
      const char *text = value ? secret_value_get_text (value) : NULL;

      if (item != NULL && (value == NULL || text == NULL))
        {
          /* Locked or not text: let the single lookup say what is wrong. */
          start_lookup (g_object_ref (task));
          continue;
        }
      /* pve_secrets_free_secret() wipes it. */
      g_task_return_pointer (task, g_strdup (text), (GDestroyNotify) pve_secrets_free_secret);
    }
  g_list_free_full (found, g_object_unref);
}

static gboolean
flush_cb (gpointer user_data)
{
  PveSecrets *self = user_data;
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) any = NULL;
  GTask *task;

  self->flush_id = 0;
  while ((task = g_queue_pop_head (&self->waiting)) != NULL)
    g_ptr_array_add (tasks, task);

  if (tasks->len == 1)
    {
      start_lookup (g_ptr_array_steal_index (tasks, 0));
      return G_SOURCE_REMOVE;
    }

  any = g_hash_table_new (g_str_hash, g_str_equal);
  secret_service_search (NULL, get_schema (), any,
                         SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                         NULL, batch_searched_cb, g_steal_pointer (&tasks));
  return G_SOURCE_REMOVE;
}

/* Lookups asked for in the same main-loop iteration are started together. */
static void
schedule_flush (PveSecrets *self)
{
  if (self->flush_id == 0 && !g_queue_is_empty (&self->waiting))
    self->flush_id = g_idle_add_full (G_PRIORITY_DEFAULT, flush_cb, g_object_ref (self),
                                      g_object_unref);
}

void
pve_secrets_lookup_async (PveSecrets          *self,
                          PveRemote           *remote,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PVE_IS_SECRETS (self));
  g_return_if_fail (PVE_IS_REMOTE (remote));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pve_secrets_lookup_async);
  g_task_set_task_data (task, g_strdupv ((char *[]) { (char *) pve_remote_get_id (remote),
                                                      (char *) kind_for (remote), NULL }),
                        (GDestroyNotify) g_strfreev);

  g_queue_push_tail (&self->waiting, g_steal_pointer (&task));
  if (self->session_ready)
    schedule_flush (self);
  else if (!self->session_opening)
    {
      self->session_opening = TRUE;
      secret_service_get (SECRET_SERVICE_OPEN_SESSION, NULL, session_opened_cb,
                          g_object_ref (self));
    }
}

char *
pve_secrets_lookup_finish (PveSecrets    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (PVE_IS_SECRETS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pve_secrets_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- clear ---------------------------------------------------------------------------- */

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error means there was nothing to remove: that is success. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, translate_error (error, g_task_get_cancellable (task)));
  else
    g_task_return_boolean (task, TRUE);
}

void
pve_secrets_clear_async (PveSecrets          *self,
                         const char          *remote_id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PVE_IS_SECRETS (self));
  g_return_if_fail (remote_id != NULL && remote_id[0] != '\0');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pve_secrets_clear_async);

  /* Only remote-id: every kind of item this remote ever had goes. */
  secret_password_clear (get_schema (), cancellable, clear_cb, g_steal_pointer (&task),
                         "remote-id", remote_id,
                         NULL);
}

gboolean
pve_secrets_clear_finish (PveSecrets    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (PVE_IS_SECRETS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pve_secrets_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

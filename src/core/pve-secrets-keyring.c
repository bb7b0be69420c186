/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "pve-secrets.h"
#include "pve-secrets-keyring.h"

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

static void
return_result (GTask  *task,
               GError *error)
{
  if (error != NULL)
    g_task_return_error (task, translate_error (error, g_task_get_cancellable (task)));
  else
    g_task_return_boolean (task, TRUE);
}

void
pve_secrets_keyring_free_secret (char *secret)
{
  /* Overwrites the bytes before freeing them (and handles libsecret's secure memory). */
  secret_password_free (secret);
}

/* ---- session -------------------------------------------------------------------------- */

static void
session_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(SecretService) service = NULL;
  GError *error = NULL;

  service = secret_service_get_finish (result, &error);
  return_result (task, error);
}

void
pve_secrets_keyring_open_session (GTask *task)
{
  secret_service_get (SECRET_SERVICE_OPEN_SESSION, g_task_get_cancellable (task), session_cb,
                      task);
}

/* ---- store ---------------------------------------------------------------------------- */

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  secret_password_store_finish (result, &error);
  return_result (task, error);
}

void
pve_secrets_keyring_store (GTask *task)
{
  PveSecretsRequest *request = g_task_get_task_data (task);

  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, request->label,
                         request->secret, g_task_get_cancellable (task), store_cb, task,
                         "remote-id", request->remote_id,
                         "kind", request->kind,
                         NULL);
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
    g_task_return_pointer (task, secret, (GDestroyNotify) pve_secrets_keyring_free_secret);
}

void
pve_secrets_keyring_lookup (GTask *task)
{
  PveSecretsRequest *request = g_task_get_task_data (task);

  secret_password_lookup (get_schema (), g_task_get_cancellable (task), lookup_cb, task,
                          "remote-id", request->remote_id,
                          "kind", request->kind,
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
        pve_secrets_keyring_lookup (g_object_ref (g_ptr_array_index (tasks, i)));
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
      PveSecretsRequest *wanted = g_task_get_task_data (task);
      g_autofree char *key = item_key (wanted->remote_id, wanted->kind);
      SecretItem *item = g_hash_table_lookup (items, key);
      g_autoptr(SecretValue) value = item ? secret_item_get_secret (item) : NULL;
      const char *text = value ? secret_value_get_text (value) : NULL;

      if (item != NULL && (value == NULL || text == NULL))
        {
          /* Locked or not text: let the single lookup say what is wrong. */
          pve_secrets_keyring_lookup (g_object_ref (task));
          continue;
        }
      /* pve_secrets_keyring_free_secret() wipes it. */
      g_task_return_pointer (task, g_strdup (text),
                             (GDestroyNotify) pve_secrets_keyring_free_secret);
    }
  g_list_free_full (found, g_object_unref);
}

void
pve_secrets_keyring_lookup_many (GPtrArray *tasks)
{
  g_autoptr(GHashTable) any = g_hash_table_new (g_str_hash, g_str_equal);

  secret_service_search (NULL, get_schema (), any,
                         SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                         NULL, batch_searched_cb, tasks);
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
  return_result (task, error);
}

void
pve_secrets_keyring_clear (GTask *task)
{
  PveSecretsRequest *request = g_task_get_task_data (task);

  /* Only remote-id: every kind of item this remote ever had goes. */
  secret_password_clear (get_schema (), g_task_get_cancellable (task), clear_cb, task,
                         "remote-id", request->remote_id,
                         NULL);
}

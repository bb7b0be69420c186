/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "pve-secrets.h"

#include <glib/gi18n-lib.h>

#include "pve-secrets-keyring.h"

/* The object and its queue: libsecret itself is only used by pve-secrets-keyring.c, so that
 * creating a PveSecrets at startup loads nothing (the app loads the keyring part after its
 * first frame, see pve-backend.h). */
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

static void
request_free (PveSecretsRequest *request)
{
  g_free (request->remote_id);
  g_free (request->label);
  pve_secrets_free_secret (request->secret);
  g_free (request);
}

/* A task of self whose data is a request for remote_id. */
static GTask *
request_task_new (PveSecrets          *self,
                  gpointer             source_tag,
                  const char          *remote_id,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  PveSecretsRequest *request = g_new0 (PveSecretsRequest, 1);

  g_task_set_source_tag (task, source_tag);
  request->remote_id = g_strdup (remote_id);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  return task;
}

static const char *
kind_for (PveRemote *remote)
{
  return pve_remote_get_auth_kind (remote) == PVE_AUTH_KIND_TOKEN ? "token" : "password";
}

static void
pve_secrets_finalize (GObject *object)
{
  PveSecrets *self = PVE_SECRETS (object);

  /* The session task holds a reference while lookups wait: none are left here. */
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
  PveSecrets *self = PVE_SECRETS (object);

  /* On failure the lookups fail by themselves, with their own (more precise) errors. */
  g_task_propagate_boolean (G_TASK (result), NULL);
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
  pve_secrets_keyring_free_secret (secret);
}

/* ---- store ---------------------------------------------------------------------------- */

void
pve_secrets_store_async (PveSecrets          *self,
                         PveRemote           *remote,
                         const char          *secret,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PveSecretsRequest *request;
  g_autofree char *userid = NULL;

  g_return_if_fail (PVE_IS_SECRETS (self));
  g_return_if_fail (PVE_IS_REMOTE (remote));
  g_return_if_fail (secret != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = request_task_new (self, pve_secrets_store_async, pve_remote_get_id (remote),
                           cancellable, callback, user_data);
  request = g_task_get_task_data (task);
  request->kind = kind_for (remote);
  userid = pve_remote_dup_userid (remote);
  /* TRANSLATORS: keyring item label: "PVE Remotes: <remote name> (<user>@<realm>)" */
  request->label = g_strdup_printf (_("PVE Remotes: %s (%s)"), pve_remote_get_name (remote),
                                    userid);
  request->secret = g_strdup (secret);

  pve_secrets_keyring_store (g_steal_pointer (&task));
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

static gboolean
flush_cb (gpointer user_data)
{
  PveSecrets *self = user_data;
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  GTask *task;

  self->flush_id = 0;
  while ((task = g_queue_pop_head (&self->waiting)) != NULL)
    g_ptr_array_add (tasks, task);

  if (tasks->len == 1)
    pve_secrets_keyring_lookup (g_ptr_array_steal_index (tasks, 0));
  else
    pve_secrets_keyring_lookup_many (g_steal_pointer (&tasks));
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
  PveSecretsRequest *request;

  g_return_if_fail (PVE_IS_SECRETS (self));
  g_return_if_fail (PVE_IS_REMOTE (remote));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = request_task_new (self, pve_secrets_lookup_async, pve_remote_get_id (remote),
                           cancellable, callback, user_data);
  request = g_task_get_task_data (task);
  request->kind = kind_for (remote);

  g_queue_push_tail (&self->waiting, g_steal_pointer (&task));
  if (self->session_ready)
    schedule_flush (self);
  else if (!self->session_opening)
    {
      self->session_opening = TRUE;
      pve_secrets_keyring_open_session (g_task_new (self, NULL, session_opened_cb, NULL));
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

void
pve_secrets_clear_async (PveSecrets          *self,
                         const char          *remote_id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (PVE_IS_SECRETS (self));
  g_return_if_fail (remote_id != NULL && remote_id[0] != '\0');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  pve_secrets_keyring_clear (request_task_new (self, pve_secrets_clear_async, remote_id,
                                               cancellable, callback, user_data));
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

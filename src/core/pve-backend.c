/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The app's side of the backend: loads the module and forwards to it (see pve-backend.h). */
#include <glib/gi18n-lib.h>
#include <gmodule.h>
#include <stdlib.h>
#include <string.h>

#include "pve-backend.h"
#include "pve-build-tree.h"
#include "pve-client.h"
#include "pve-secrets.h"
#include "pve-secrets-keyring.h"

/* Every function the module gives the app. pve_client_error_quark(),
 * pve_client_validate_host() and pve_client_build_path() need no libsoup: the app has them
 * itself (pve-client-util.c). */
#define BACKEND_FUNCTIONS(F) \
  F (pve_client_get_type) \
  F (pve_client_new) \
  F (pve_client_get_host) \
  F (pve_client_get_port) \
  F (pve_client_get_base_url) \
  F (pve_client_set_pinned_fingerprint) \
  F (pve_client_get_pinned_fingerprint) \
  F (pve_client_get_peer_certificate) \
  F (pve_client_set_timeouts) \
  F (pve_client_set_renew_after) \
  F (pve_client_set_max_response_size) \
  F (pve_client_probe_async) \
  F (pve_client_probe_finish) \
  F (pve_client_login_async) \
  F (pve_client_login_finish) \
  F (pve_client_get_tfa_methods) \
  F (pve_client_login_tfa_async) \
  F (pve_client_login_tfa_finish) \
  F (pve_client_login_token_async) \
  F (pve_client_login_token_finish) \
  F (pve_client_is_connected) \
  F (pve_client_get_username) \
  F (pve_client_get_clustername) \
  F (pve_client_get_server_version) \
  F (pve_client_get_cap) \
  F (pve_client_has_cap) \
  F (pve_client_disconnect) \
  F (pve_client_request_async) \
  F (pve_client_request_finish) \
  F (pve_client_request_parsed_async) \
  F (pve_client_request_parsed_finish) \
  F (pve_client_get_request_count) \
  F (pve_client_get_renew_count) \
  F (pve_secrets_keyring_open_session) \
  F (pve_secrets_keyring_store) \
  F (pve_secrets_keyring_lookup) \
  F (pve_secrets_keyring_lookup_many) \
  F (pve_secrets_keyring_clear) \
  F (pve_secrets_keyring_free_secret)

/* The module's functions, typed by the real headers' prototypes. */
typedef struct
{
#define DECLARE_SLOT(name) __typeof__ (name) *name;
  BACKEND_FUNCTIONS (DECLARE_SLOT)
#undef DECLARE_SLOT
} Backend;

static const struct
{
  const char *name;
  glong       offset;
} backend_symbols[] = {
#define SYMBOL(name) { #name, G_STRUCT_OFFSET (Backend, name) },
  BACKEND_FUNCTIONS (SYMBOL)
#undef SYMBOL
};

/* Written once by load_backend(); read after `loaded` is seen set, or after g_once(). */
static Backend backend;
static gint loaded;
static char *module_path;
static char *load_error;

static char *
find_module (void)
{
  const char *env = g_getenv ("PVE_BACKEND_MODULE");

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  if (pve_running_from_build_tree ())
    return g_strdup (PVE_BACKEND_BUILD_PATH);
  return g_strdup (PVE_BACKEND_INSTALLED_PATH);
}

/* Why the module cannot be loaded, without the path the messages already name. */
static char *
module_error (void)
{
  const char *error = g_module_error ();
  gsize length = strlen (module_path);

  if (strncmp (error, module_path, length) == 0 && g_str_has_prefix (error + length, ": "))
    error += length + 2;
  return g_strdup (error);
}

static gpointer
load_backend (gpointer data)
{
  gint64 start = g_get_monotonic_time ();
  GModule *module;
  gboolean found;

  module_path = find_module ();
  /* Not lazy: a function the module needs and the app lacks fails the load, here, instead of
   * aborting at some later call. Local: the module's symbols must not replace the app's. */
  module = g_module_open (module_path, G_MODULE_BIND_LOCAL);
  found = module != NULL;
  for (gsize i = 0; found && i < G_N_ELEMENTS (backend_symbols); i++)
    found = g_module_symbol (module, backend_symbols[i].name,
                             G_STRUCT_MEMBER_P (&backend, backend_symbols[i].offset));
  if (!found)
    {
      load_error = module_error ();
      g_debug ("Cannot load the backend %s: %s", module_path, load_error);
      if (module != NULL)
        g_module_close (module);
      return NULL;
    }

  /* It registers PveClient's type: it must never be unloaded. */
  g_module_make_resident (module);
  g_atomic_int_set (&loaded, TRUE);
  g_debug ("Loaded the backend %s in %.1f ms", module_path,
           (g_get_monotonic_time () - start) / 1000.0);
  return module;
}

/* Loads the backend unless done; waits while another thread loads it. */
static gboolean
ensure_loaded (void)
{
  static GOnce once = G_ONCE_INIT;

  if (g_atomic_int_get (&loaded))
    return TRUE;
  g_once (&once, load_backend, NULL);
  return g_atomic_int_get (&loaded);
}

static gpointer
load_thread (gpointer data)
{
  ensure_loaded ();
  return NULL;
}

void
pve_backend_preload (void)
{
  static gsize started;

  if (g_once_init_enter (&started))
    {
      g_thread_unref (g_thread_new ("pve-backend", load_thread, NULL));
      g_once_init_leave (&started, 1);
    }
}

gboolean
pve_backend_is_loaded (void)
{
  return g_atomic_int_get (&loaded);
}

/* ---- PveClient -------------------------------------------------------------------------- */

/* A PveClient exists only once the backend is loaded, so these find it loaded. Without one
 * (a wrong argument) they load it, so that its checks complain as in the full core. */
static gboolean
require_backend (const char *function)
{
  if (ensure_loaded ())
    return TRUE;
  g_critical ("%s: no backend: %s", function, load_error);
  return FALSE;
}

#define CALL(name, ...)      (require_backend (#name) ? backend.name (__VA_ARGS__) : 0)
#define CALL_VOID(name, ...) (require_backend (#name) ? backend.name (__VA_ARGS__) : (void) 0)

GType
pve_client_get_type (void)
{
  return require_backend (G_STRFUNC) ? backend.pve_client_get_type () : G_TYPE_INVALID;
}

PveClient *
pve_client_new (const char  *host,
                guint        port,
                GError     **error)
{
  if (!ensure_loaded ())
    {
      g_set_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_FAILED,
                   /* TRANSLATORS: %s are a file name, then why it cannot be loaded */
                   _("PVE Remotes is not installed correctly: its network part (%s) cannot be "
                     "loaded: %s"), module_path, load_error);
      return NULL;
    }
  return backend.pve_client_new (host, port, error);
}

const char *
pve_client_get_host (PveClient *self)
{
  return CALL (pve_client_get_host, self);
}

guint
pve_client_get_port (PveClient *self)
{
  return CALL (pve_client_get_port, self);
}

const char *
pve_client_get_base_url (PveClient *self)
{
  return CALL (pve_client_get_base_url, self);
}

void
pve_client_set_pinned_fingerprint (PveClient  *self,
                                   const char *fingerprint)
{
  CALL_VOID (pve_client_set_pinned_fingerprint, self, fingerprint);
}

const char *
pve_client_get_pinned_fingerprint (PveClient *self)
{
  return CALL (pve_client_get_pinned_fingerprint, self);
}

PveCertificateInfo *
pve_client_get_peer_certificate (PveClient *self)
{
  return CALL (pve_client_get_peer_certificate, self);
}

void
pve_client_set_timeouts (PveClient *self,
                         guint      connect_timeout,
                         guint      request_timeout)
{
  CALL_VOID (pve_client_set_timeouts, self, connect_timeout, request_timeout);
}

void
pve_client_set_renew_after (PveClient *self,
                            guint      seconds)
{
  CALL_VOID (pve_client_set_renew_after, self, seconds);
}

void
pve_client_set_max_response_size (PveClient *self,
                                  gsize      bytes)
{
  CALL_VOID (pve_client_set_max_response_size, self, bytes);
}

void
pve_client_probe_async (PveClient           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  CALL_VOID (pve_client_probe_async, self, cancellable, callback, user_data);
}

gboolean
pve_client_probe_finish (PveClient     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return CALL (pve_client_probe_finish, self, result, error);
}

void
pve_client_login_async (PveClient           *self,
                        const char          *username,
                        const char          *password,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  CALL_VOID (pve_client_login_async, self, username, password, cancellable, callback,
             user_data);
}

gboolean
pve_client_login_finish (PveClient     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return CALL (pve_client_login_finish, self, result, error);
}

const char * const *
pve_client_get_tfa_methods (PveClient *self)
{
  return CALL (pve_client_get_tfa_methods, self);
}

void
pve_client_login_tfa_async (PveClient           *self,
                            const char          *response,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  CALL_VOID (pve_client_login_tfa_async, self, response, cancellable, callback, user_data);
}

gboolean
pve_client_login_tfa_finish (PveClient     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return CALL (pve_client_login_tfa_finish, self, result, error);
}

void
pve_client_login_token_async (PveClient           *self,
                              const char          *token_id,
                              const char          *secret,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  CALL_VOID (pve_client_login_token_async, self, token_id, secret, cancellable, callback,
             user_data);
}

gboolean
pve_client_login_token_finish (PveClient     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return CALL (pve_client_login_token_finish, self, result, error);
}

gboolean
pve_client_is_connected (PveClient *self)
{
  return CALL (pve_client_is_connected, self);
}

const char *
pve_client_get_username (PveClient *self)
{
  return CALL (pve_client_get_username, self);
}

const char *
pve_client_get_clustername (PveClient *self)
{
  return CALL (pve_client_get_clustername, self);
}

const char *
pve_client_get_server_version (PveClient *self)
{
  return CALL (pve_client_get_server_version, self);
}

JsonObject *
pve_client_get_cap (PveClient *self)
{
  return CALL (pve_client_get_cap, self);
}

gboolean
pve_client_has_cap (PveClient  *self,
                    const char *section,
                    const char *privilege)
{
  return CALL (pve_client_has_cap, self, section, privilege);
}

void
pve_client_disconnect (PveClient *self)
{
  CALL_VOID (pve_client_disconnect, self);
}

void
pve_client_request_async (PveClient           *self,
                          const char          *method,
                          const char          *path,
                          GHashTable          *params,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  CALL_VOID (pve_client_request_async, self, method, path, params, cancellable, callback,
             user_data);
}

JsonNode *
pve_client_request_finish (PveClient     *self,
                           GAsyncResult  *result,
                           gint64        *total,
                           GError       **error)
{
  return CALL (pve_client_request_finish, self, result, total, error);
}

void
pve_client_request_parsed_async (PveClient           *self,
                                 const char          *method,
                                 const char          *path,
                                 GHashTable          *params,
                                 PveBodyParser        parser,
                                 GDestroyNotify       parsed_free,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  CALL_VOID (pve_client_request_parsed_async, self, method, path, params, parser, parsed_free,
             cancellable, callback, user_data);
}

gpointer
pve_client_request_parsed_finish (PveClient     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return CALL (pve_client_request_parsed_finish, self, result, error);
}

guint
pve_client_get_request_count (PveClient *self)
{
  return CALL (pve_client_get_request_count, self);
}

guint
pve_client_get_renew_count (PveClient *self)
{
  return CALL (pve_client_get_renew_count, self);
}

/* ---- Keyring ------------------------------------------------------------------------------ */

typedef void (*KeyringCall) (GTask *task);

static void
load_in_thread (GTask        *loader,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  g_task_return_boolean (loader, ensure_loaded ());
}

static void
keyring_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  KeyringCall *call = user_data;
  g_autoptr(GTask) task = g_object_ref (g_task_get_task_data (G_TASK (result)));

  if (g_task_propagate_boolean (G_TASK (result), NULL))
    {
      (*call) (g_steal_pointer (&task));
      return;
    }
  g_task_return_new_error (task, PVE_SECRETS_ERROR, PVE_SECRETS_ERROR_UNAVAILABLE,
                           /* TRANSLATORS: %s are a file name, then why it cannot be loaded */
                           _("PVE Remotes is not installed correctly: its keyring part (%s) "
                             "cannot be loaded: %s"), module_path, load_error);
}

/* Calls *call (a slot of backend) with task once the backend is loaded. The keyring calls are
 * async, so the main thread never waits for the load: it is done in a thread (the preload's,
 * when that runs), then the call is made in the task's context. */
static void
call_keyring (KeyringCall *call,
              GTask       *task)
{
  g_autoptr(GTask) loader = NULL;

  if (g_atomic_int_get (&loaded))
    {
      (*call) (task);
      return;
    }

  loader = g_task_new (NULL, NULL, keyring_loaded_cb, call);
  g_task_set_source_tag (loader, call_keyring);
  g_task_set_task_data (loader, task, g_object_unref);
  g_task_run_in_thread (loader, load_in_thread);
}

void
pve_secrets_keyring_open_session (GTask *task)
{
  call_keyring (&backend.pve_secrets_keyring_open_session, task);
}

void
pve_secrets_keyring_store (GTask *task)
{
  call_keyring (&backend.pve_secrets_keyring_store, task);
}

void
pve_secrets_keyring_lookup (GTask *task)
{
  call_keyring (&backend.pve_secrets_keyring_lookup, task);
}

void
pve_secrets_keyring_lookup_many (GPtrArray *tasks)
{
  g_autoptr(GPtrArray) owned = tasks;

  if (g_atomic_int_get (&loaded))
    {
      backend.pve_secrets_keyring_lookup_many (g_steal_pointer (&owned));
      return;
    }
  for (guint i = 0; i < tasks->len; i++)
    pve_secrets_keyring_lookup (g_object_ref (g_ptr_array_index (tasks, i)));
}

void
pve_secrets_keyring_clear (GTask *task)
{
  call_keyring (&backend.pve_secrets_keyring_clear, task);
}

void
pve_secrets_keyring_free_secret (char *secret)
{
  if (g_atomic_int_get (&loaded))
    backend.pve_secrets_keyring_free_secret (secret);
  else if (secret != NULL)
    {
      /* Not libsecret's (nothing has loaded it): wiped and freed here, without loading it. */
      explicit_bzero (secret, strlen (secret));
      g_free (secret);
    }
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "pve-certificate-info.h"
#include "pve-tls-database.h"

struct _PveTlsDatabase
{
  GTlsDatabase  parent_instance;

  GTlsBackend  *backend;
  /* The backend's own system database, loaded once by system_database(). */
  GTlsDatabase *system;
  gsize         system_loaded;
};

G_DEFINE_FINAL_TYPE (PveTlsDatabase, pve_tls_database, G_TYPE_TLS_DATABASE)

/* Loads the backend's system database on first use (the preload thread, or a handshake
 * thread that got here first: others wait here, never the main thread). Asked from the
 * backend itself, as g_tls_backend_get_default_database() now answers with us. */
static GTlsDatabase *
system_database (PveTlsDatabase *self)
{
  if (g_once_init_enter (&self->system_loaded))
    {
      self->system = G_TLS_BACKEND_GET_INTERFACE (self->backend)->get_default_database (self->backend);
      g_once_init_leave (&self->system_loaded, 1);
    }
  return self->system;
}

static GTlsCertificateFlags
pve_tls_database_verify_chain (GTlsDatabase             *database,
                               GTlsCertificate          *chain,
                               const char               *purpose,
                               GSocketConnectable       *identity,
                               GTlsInteraction          *interaction,
                               GTlsDatabaseVerifyFlags   flags,
                               GCancellable             *cancellable,
                               GError                  **error)
{
  PveTlsDatabase *self = PVE_TLS_DATABASE (database);

  GTlsDatabase *system = system_database (self);

  /* No system store at all: nothing is trusted by it; the pin still is. */
  if (system == NULL)
    return G_TLS_CERTIFICATE_UNKNOWN_CA;
  return g_tls_database_verify_chain (system, chain, purpose, identity, interaction, flags,
                                      cancellable, error);
}

/* Both databases here forward what is not a chain's verification: PveTlsDatabase to the
 * backend's system database, a client's PvePinnedTlsDatabase to the process's default one. */
static GTlsDatabase *fallback_database (PvePinnedTlsDatabase *self);

static GTlsDatabase *
forward_to (GTlsDatabase *database)
{
  if (PVE_IS_PINNED_TLS_DATABASE (database))
    return fallback_database (PVE_PINNED_TLS_DATABASE (database));
  return system_database (PVE_TLS_DATABASE (database));
}

static char *
forward_create_certificate_handle (GTlsDatabase    *database,
                                   GTlsCertificate *certificate)
{
  GTlsDatabase *target = forward_to (database);

  return target ? g_tls_database_create_certificate_handle (target, certificate) : NULL;
}

static GTlsCertificate *
forward_lookup_certificate_for_handle (GTlsDatabase             *database,
                                       const char               *handle,
                                       GTlsInteraction          *interaction,
                                       GTlsDatabaseLookupFlags   flags,
                                       GCancellable             *cancellable,
                                       GError                  **error)
{
  GTlsDatabase *target = forward_to (database);

  return target ? g_tls_database_lookup_certificate_for_handle (target, handle, interaction, flags,
                                                                cancellable, error)
                : NULL;
}

static GTlsCertificate *
forward_lookup_certificate_issuer (GTlsDatabase             *database,
                                   GTlsCertificate          *certificate,
                                   GTlsInteraction          *interaction,
                                   GTlsDatabaseLookupFlags   flags,
                                   GCancellable             *cancellable,
                                   GError                  **error)
{
  GTlsDatabase *target = forward_to (database);

  return target ? g_tls_database_lookup_certificate_issuer (target, certificate, interaction,
                                                            flags, cancellable, error)
                : NULL;
}

static GList *
forward_lookup_certificates_issued_by (GTlsDatabase             *database,
                                       GByteArray               *issuer_raw_dn,
                                       GTlsInteraction          *interaction,
                                       GTlsDatabaseLookupFlags   flags,
                                       GCancellable             *cancellable,
                                       GError                  **error)
{
  GTlsDatabase *target = forward_to (database);

  return target ? g_tls_database_lookup_certificates_issued_by (target, issuer_raw_dn,
                                                                interaction, flags, cancellable,
                                                                error)
                : NULL;
}

/* The class's forwarders (verify_chain is each class's own). */
static void
set_forwarders (GTlsDatabaseClass *database_class)
{
  /* GTlsDatabase's _async variants run these in a thread. */
  database_class->create_certificate_handle = forward_create_certificate_handle;
  database_class->lookup_certificate_for_handle = forward_lookup_certificate_for_handle;
  database_class->lookup_certificate_issuer = forward_lookup_certificate_issuer;
  database_class->lookup_certificates_issued_by = forward_lookup_certificates_issued_by;
}

static void
pve_tls_database_finalize (GObject *object)
{
  PveTlsDatabase *self = PVE_TLS_DATABASE (object);

  g_clear_object (&self->system);
  g_clear_object (&self->backend);
  G_OBJECT_CLASS (pve_tls_database_parent_class)->finalize (object);
}

static void
pve_tls_database_class_init (PveTlsDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GTlsDatabaseClass *database_class = G_TLS_DATABASE_CLASS (klass);

  object_class->finalize = pve_tls_database_finalize;
  database_class->verify_chain = pve_tls_database_verify_chain;
  set_forwarders (database_class);
}

static void
pve_tls_database_init (PveTlsDatabase *self)
{
}

static GMutex install_lock;
static GCond install_cond;
static gboolean install_done;

static gpointer
install_thread (gpointer user_data)
{
  /* Loading the TLS module and initialising GnuTLS takes ~10 ms: not on the main thread. */
  GTlsBackend *backend = g_tls_backend_get_default ();
  g_autoptr(PveTlsDatabase) self = NULL;

  /* libsoup's first connection also asks for the proxy resolver, which loads more GIO
   * modules (and reads the proxy settings): here too, not on the main thread. */
  g_proxy_resolver_get_default ();

  /* Only GnuTLS's database rebuilds its trust list per connection; any other backend keeps
   * its own behaviour. */
  if (g_str_equal (G_OBJECT_TYPE_NAME (backend), "GTlsBackendGnutls")
      && G_TLS_BACKEND_GET_INTERFACE (backend)->get_default_database != NULL)
    {
      self = g_object_new (PVE_TYPE_TLS_DATABASE, NULL);
      self->backend = g_object_ref (backend);
      g_tls_backend_set_default_database (backend, G_TLS_DATABASE (self));
    }

  g_mutex_lock (&install_lock);
  install_done = TRUE;
  g_cond_broadcast (&install_cond);
  g_mutex_unlock (&install_lock);

  /* Then the store itself, before the first handshake needs it. */
  if (self != NULL)
    system_database (self);
  return NULL;
}

void
pve_tls_database_preload (void)
{
  static gsize started;

  if (g_once_init_enter (&started))
    {
      g_thread_unref (g_thread_new ("pve-tls-database", install_thread, NULL));
      g_once_init_leave (&started, 1);
    }
}

void
pve_tls_database_ensure (void)
{
  pve_tls_database_preload ();
  g_mutex_lock (&install_lock);
  while (!install_done)
    g_cond_wait (&install_cond, &install_lock);
  g_mutex_unlock (&install_lock);
}

/* ---- A client's database: its pin first ------------------------------------------------------ */

struct _PvePinnedTlsDatabase
{
  GTlsDatabase  parent_instance;

  GMutex        lock;
  char         *pin;
  /* The process's default database, asked on first use (after pve_tls_database_ensure()). */
  GTlsDatabase *fallback;
  gsize         fallback_set;
};

G_DEFINE_FINAL_TYPE (PvePinnedTlsDatabase, pve_pinned_tls_database, G_TYPE_TLS_DATABASE)

static GTlsDatabase *
fallback_database (PvePinnedTlsDatabase *self)
{
  if (g_once_init_enter (&self->fallback_set))
    {
      GTlsBackend *backend = g_tls_backend_get_default ();

      self->fallback = backend ? g_tls_backend_get_default_database (backend) : NULL;
      g_once_init_leave (&self->fallback_set, 1);
    }
  return self->fallback;
}

static gboolean
matches_pin (PvePinnedTlsDatabase *self,
             GTlsCertificate      *certificate)
{
  g_autofree char *fingerprint = NULL;
  gboolean match;

  g_mutex_lock (&self->lock);
  if (self->pin == NULL)
    {
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  g_mutex_unlock (&self->lock);

  fingerprint = pve_certificate_fingerprint (certificate);
  g_mutex_lock (&self->lock);
  match = fingerprint != NULL && self->pin != NULL && g_str_equal (fingerprint, self->pin);
  g_mutex_unlock (&self->lock);
  return match;
}

static GTlsCertificateFlags
pve_pinned_tls_database_verify_chain (GTlsDatabase             *database,
                                      GTlsCertificate          *chain,
                                      const char               *purpose,
                                      GSocketConnectable       *identity,
                                      GTlsInteraction          *interaction,
                                      GTlsDatabaseVerifyFlags   flags,
                                      GCancellable             *cancellable,
                                      GError                  **error)
{
  PvePinnedTlsDatabase *self = PVE_PINNED_TLS_DATABASE (database);
  GTlsDatabase *fallback;

  /* The certificate the user trusted for this remote, whatever its name or issuer: what the
   * client's accept-certificate handler accepts as well. */
  if (g_strcmp0 (purpose, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER) == 0 &&
      matches_pin (self, chain))
    return 0;

  fallback = fallback_database (self);
  if (fallback == NULL)
    return G_TLS_CERTIFICATE_UNKNOWN_CA;
  return g_tls_database_verify_chain (fallback, chain, purpose, identity, interaction, flags,
                                      cancellable, error);
}

static void
pve_pinned_tls_database_finalize (GObject *object)
{
  PvePinnedTlsDatabase *self = PVE_PINNED_TLS_DATABASE (object);

  g_clear_object (&self->fallback);
  g_free (self->pin);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (pve_pinned_tls_database_parent_class)->finalize (object);
}

static void
pve_pinned_tls_database_class_init (PvePinnedTlsDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GTlsDatabaseClass *database_class = G_TLS_DATABASE_CLASS (klass);

  object_class->finalize = pve_pinned_tls_database_finalize;
  database_class->verify_chain = pve_pinned_tls_database_verify_chain;
  set_forwarders (database_class);
}

static void
pve_pinned_tls_database_init (PvePinnedTlsDatabase *self)
{
  g_mutex_init (&self->lock);
}

GTlsDatabase *
pve_pinned_tls_database_new (void)
{
  return g_object_new (PVE_TYPE_PINNED_TLS_DATABASE, NULL);
}

void
pve_pinned_tls_database_set_pin (PvePinnedTlsDatabase *self,
                                 const char           *fingerprint)
{
  g_return_if_fail (PVE_IS_PINNED_TLS_DATABASE (self));

  g_mutex_lock (&self->lock);
  g_free (self->pin);
  self->pin = g_strdup (fingerprint);
  g_mutex_unlock (&self->lock);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "pve-tls-database.h"

struct _PveTlsDatabase
{
  GTlsDatabase  parent_instance;

  /* The backend's own system database. Set before this database is installed as the
   * default (under GLib's default-database lock), never changed after. */
  GTlsDatabase *system;
};

G_DEFINE_FINAL_TYPE (PveTlsDatabase, pve_tls_database, G_TYPE_TLS_DATABASE)

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

  return g_tls_database_verify_chain (self->system, chain, purpose, identity, interaction, flags,
                                      cancellable, error);
}

static char *
pve_tls_database_create_certificate_handle (GTlsDatabase    *database,
                                            GTlsCertificate *certificate)
{
  PveTlsDatabase *self = PVE_TLS_DATABASE (database);

  return g_tls_database_create_certificate_handle (self->system, certificate);
}

static GTlsCertificate *
pve_tls_database_lookup_certificate_for_handle (GTlsDatabase             *database,
                                                const char               *handle,
                                                GTlsInteraction          *interaction,
                                                GTlsDatabaseLookupFlags   flags,
                                                GCancellable             *cancellable,
                                                GError                  **error)
{
  PveTlsDatabase *self = PVE_TLS_DATABASE (database);

  return g_tls_database_lookup_certificate_for_handle (self->system, handle, interaction, flags,
                                                      cancellable, error);
}

static GTlsCertificate *
pve_tls_database_lookup_certificate_issuer (GTlsDatabase             *database,
                                            GTlsCertificate          *certificate,
                                            GTlsInteraction          *interaction,
                                            GTlsDatabaseLookupFlags   flags,
                                            GCancellable             *cancellable,
                                            GError                  **error)
{
  PveTlsDatabase *self = PVE_TLS_DATABASE (database);

  return g_tls_database_lookup_certificate_issuer (self->system, certificate, interaction, flags,
                                                  cancellable, error);
}

static GList *
pve_tls_database_lookup_certificates_issued_by (GTlsDatabase             *database,
                                                GByteArray               *issuer_raw_dn,
                                                GTlsInteraction          *interaction,
                                                GTlsDatabaseLookupFlags   flags,
                                                GCancellable             *cancellable,
                                                GError                  **error)
{
  PveTlsDatabase *self = PVE_TLS_DATABASE (database);

  return g_tls_database_lookup_certificates_issued_by (self->system, issuer_raw_dn, interaction,
                                                      flags, cancellable, error);
}

static void
pve_tls_database_finalize (GObject *object)
{
  PveTlsDatabase *self = PVE_TLS_DATABASE (object);

  g_clear_object (&self->system);
  G_OBJECT_CLASS (pve_tls_database_parent_class)->finalize (object);
}

static void
pve_tls_database_class_init (PveTlsDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GTlsDatabaseClass *database_class = G_TLS_DATABASE_CLASS (klass);

  object_class->finalize = pve_tls_database_finalize;
  /* GTlsDatabase's _async variants run these in a thread. */
  database_class->verify_chain = pve_tls_database_verify_chain;
  database_class->create_certificate_handle = pve_tls_database_create_certificate_handle;
  database_class->lookup_certificate_for_handle = pve_tls_database_lookup_certificate_for_handle;
  database_class->lookup_certificate_issuer = pve_tls_database_lookup_certificate_issuer;
  database_class->lookup_certificates_issued_by = pve_tls_database_lookup_certificates_issued_by;
}

static void
pve_tls_database_init (PveTlsDatabase *self)
{
}

static gpointer
install_thread (gpointer user_data)
{
  GTlsBackend *backend = g_tls_backend_get_default ();
  g_autoptr(GTlsDatabase) system = g_tls_backend_get_default_database (backend);
  PveTlsDatabase *self;

  /* Only GnuTLS's database rebuilds its trust list per connection; any other backend (or no
   * system database at all) keeps its own behaviour. */
  if (system == NULL || !g_str_equal (G_OBJECT_TYPE_NAME (system), "GTlsDatabaseGnutls"))
    return NULL;

  self = g_object_new (PVE_TYPE_TLS_DATABASE, NULL);
  self->system = g_steal_pointer (&system);
  g_tls_backend_set_default_database (backend, G_TLS_DATABASE (self));
  g_object_unref (self);
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveTlsDatabase: the system trust store, made cheap per connection.
 *
 * Why it exists: with GnuTLS, glib-networking 2.74 builds a fresh trust list from the whole
 * system CA bundle (~140 certificates parsed, 5-10 ms of CPU) for every new TLS connection
 * whose database is its own, in the thread that creates the connection. libsoup creates
 * connections on the main thread, so connecting 100 remotes stalled the main loop for most of
 * a second. For any other GTlsDatabase, glib-networking gives the connection empty credentials
 * and verifies the peer's chain with g_tls_database_verify_chain() in its handshake thread.
 *
 * pve_tls_database_preload() starts a thread that loads the TLS backend, installs (GnuTLS
 * backend only) a PveTlsDatabase as the process's default TLS database, then loads the system
 * database once; PveTlsDatabase
 * forwards every call to it (a handshake thread that needs it first waits for the load, the
 * main thread never does). The trust decision stays the same: system trust first, then the
 * client's pin (its accept-certificate handler). What glib-networking's in-session
 * verification adds on top of verify_chain (stapled OCSP answers) is not consulted.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PVE_TYPE_TLS_DATABASE (pve_tls_database_get_type ())
G_DECLARE_FINAL_TYPE (PveTlsDatabase, pve_tls_database, PVE, TLS_DATABASE, GTlsDatabase)

/* A client's database: a certificate whose SHA-256 fingerprint is the client's pin is trusted
 * here at once; anything else is for the process's default database to decide (the system
 * store), and then for the client's accept-certificate handler. GLib's TLS backend calls
 * verify_chain() on the context that started the handshake (the main thread, for libsoup):
 * asking the system store there for each pinned remote's self-signed certificate (and failing)
 * was ~0.3 ms of the main thread per connection, 30 ms of a Connect All of 100 remotes. */
#define PVE_TYPE_PINNED_TLS_DATABASE (pve_pinned_tls_database_get_type ())
G_DECLARE_FINAL_TYPE (PvePinnedTlsDatabase, pve_pinned_tls_database, PVE, PINNED_TLS_DATABASE,
                      GTlsDatabase)

GTlsDatabase *pve_pinned_tls_database_new     (void);
/* fingerprint: normalized (pve_fingerprint_normalize()), or NULL for none. Any thread. */
void          pve_pinned_tls_database_set_pin (PvePinnedTlsDatabase *self,
                                               const char           *fingerprint);

/* Starts the one-time setup in a thread; returns at once. Safe to call often, from any thread. */
void pve_tls_database_preload (void);
/* Waits until the database is installed (not loaded), so that the next TLS connection uses
 * it: at most the ~10 ms the TLS module takes to load, once, when called right after
 * preload. For the first connection of the process. */
void pve_tls_database_ensure  (void);

G_END_DECLS

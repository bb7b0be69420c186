/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveClient: one remote's HTTPS session with a Proxmox VE API (api2/json).
 *
 * One SoupSession per client. Every call is async and cancellable. The {"data": ...}
 * envelope is unwrapped exactly once (pve_api_unwrap_envelope(), called only from here);
 * callers of pve_client_request_finish() get the inner JSON. Every failure is a GError in
 * PVE_CLIENT_ERROR (or G_IO_ERROR_CANCELLED) whose message is written for a person.
 *
 * Signals:
 *   "session-lost" (PveClient *, const GError *error): the ticket was refused and the one
 *   re-login failed (or a TFA session, which cannot log in again by itself, lost its ticket).
 *   The client is disconnected when this is emitted. Network failures are only returned to
 *   the caller: the remote manager decides what they mean for the remote.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pve-certificate-info.h"

G_BEGIN_DECLS

#define PVE_CLIENT_ERROR (pve_client_error_quark ())

typedef enum
{
  PVE_CLIENT_ERROR_FAILED,
  PVE_CLIENT_ERROR_INVALID_HOST,      /* host field is not a DNS name / IPv4 / IPv6 literal */
  PVE_CLIENT_ERROR_AUTH_FAILED,       /* 401: bad credentials, or re-login failed */
  PVE_CLIENT_ERROR_NEED_TFA,          /* login needs a second factor: call login_tfa */
  PVE_CLIENT_ERROR_PERMISSION_DENIED, /* 403 */
  PVE_CLIENT_ERROR_NOT_CONNECTED,     /* no session: nothing was sent */
  PVE_CLIENT_ERROR_TLS_UNTRUSTED,     /* unpinned and not trusted: see get_peer_certificate */
  PVE_CLIENT_ERROR_TLS_CHANGED,       /* pinned fingerprint differs from the server's */
  PVE_CLIENT_ERROR_TIMEOUT,
  PVE_CLIENT_ERROR_NETWORK,           /* DNS, refused, reset, dropped mid-body */
  PVE_CLIENT_ERROR_HTTP,              /* any other HTTP status >= 400 */
  PVE_CLIENT_ERROR_INVALID_PARAMS,    /* 400 Parameter verification failed */
  PVE_CLIENT_ERROR_NOT_IMPLEMENTED,   /* 501 */
  PVE_CLIENT_ERROR_SERVER,            /* 500, 595, 596 ... */
  PVE_CLIENT_ERROR_PARSE,             /* body is not the JSON the API promises */
  PVE_CLIENT_ERROR_TOO_LARGE,         /* body over max-response-size */
} PveClientError;

GQuark pve_client_error_quark (void);

#define PVE_DEFAULT_PORT 8006

#define PVE_TYPE_CLIENT (pve_client_get_type ())
G_DECLARE_FINAL_TYPE (PveClient, pve_client, PVE, CLIENT, GObject)

/* Validates the host field: a DNS name, an IPv4 literal or an IPv6 literal (with or without
 * brackets). A scheme, path, port, spaces or user@ are refused with INVALID_HOST. */
gboolean            pve_client_validate_host            (const char          *host,
                                                         GError             **error);

/* Returns NULL and INVALID_HOST when the host is not valid. port 0 means 8006. */
PveClient          *pve_client_new                      (const char          *host,
                                                         guint                port,
                                                         GError             **error);

const char         *pve_client_get_host                 (PveClient           *self);
guint               pve_client_get_port                 (PveClient           *self);
/* "https://HOST:PORT/api2/json" (IPv6 in brackets) */
const char         *pve_client_get_base_url             (PveClient           *self);

/* Uppercase colon-separated SHA-256 ("AA:BB:..."); NULL for none. Case and separators of the
 * argument are normalised. */
void                pve_client_set_pinned_fingerprint   (PveClient           *self,
                                                         const char          *fingerprint);
const char         *pve_client_get_pinned_fingerprint   (PveClient           *self);

/* The certificate the server presented on the last handshake that was checked against the
 * pin (set when a TLS_UNTRUSTED / TLS_CHANGED error is returned, and after a successful
 * probe). NULL if none was seen. */
PveCertificateInfo *pve_client_get_peer_certificate     (PveClient           *self);

/* Timeouts in seconds (0 = none). Defaults: connect 10 s, request 30 s. */
void                pve_client_set_timeouts             (PveClient           *self,
                                                         guint                connect_timeout,
                                                         guint                request_timeout);
/* Renew the ticket once it is this old (default 3600 s). Tests use small values. */
void                pve_client_set_renew_after          (PveClient           *self,
                                                         guint                seconds);
/* Bodies larger than this (after decompression) fail with TOO_LARGE. Default 32 MiB. */
void                pve_client_set_max_response_size    (PveClient           *self,
                                                         gsize                bytes);

/* TLS only: checks that the server is reachable and its certificate is trusted or pinned.
 * Sends one unauthenticated GET /version (a 401 answer is success). */
void                pve_client_probe_async              (PveClient           *self,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean            pve_client_probe_finish             (PveClient           *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

/* Password login: POST /access/ticket. username is "user@realm". On NEED_TFA the half ticket
 * is kept; answer with pve_client_login_tfa_async(). The password is kept in memory only
 * while the session lives (for the one re-login after an unexpected 401) and wiped on
 * disconnect. */
void                pve_client_login_async              (PveClient           *self,
                                                         const char          *username,
                                                         const char          *password,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean            pve_client_login_finish             (PveClient           *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

/* After NEED_TFA: methods the server offered ("totp", "recovery", "webauthn", "yubico"). */
const char * const *pve_client_get_tfa_methods          (PveClient           *self);

/* response is "totp:123456" or "recovery:CODE". */
void                pve_client_login_tfa_async          (PveClient           *self,
                                                         const char          *response,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean            pve_client_login_tfa_finish         (PveClient           *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

/* API token: token_id is "user@realm!name". Verified with GET /version. */
void                pve_client_login_token_async        (PveClient           *self,
                                                         const char          *token_id,
                                                         const char          *secret,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean            pve_client_login_token_finish       (PveClient           *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

/* TRUE once a ticket (or a verified token) is held; FALSE after disconnect. */
gboolean            pve_client_is_connected             (PveClient           *self);
const char         *pve_client_get_username             (PveClient           *self);
const char         *pve_client_get_clustername          (PveClient           *self);
/* The server's version string from /version (token login) or NULL. */
const char         *pve_client_get_server_version       (PveClient           *self);
/* The login answer's `cap` (privileges). Tokens: NULL (unknown: assume allowed). */
JsonObject         *pve_client_get_cap                  (PveClient           *self);
/* TRUE when cap[section][privilege] is 1, or when the cap is unknown (tokens). */
gboolean            pve_client_has_cap                  (PveClient           *self,
                                                         const char          *section,
                                                         const char          *privilege);

/* Drops ticket, CSRF token and secrets from memory and cancels what is in flight. From then on
 * every call fails at once with NOT_CONNECTED and sends nothing. */
void                pve_client_disconnect               (PveClient           *self);

/* An API call. method "GET", "POST", "PUT" or "DELETE"; path below /api2/json, e.g.
 * "/cluster/resources" (already escaped; use pve_client_build_path()). params: string ->
 * string, sent as the query for GET/DELETE and form-urlencoded for POST/PUT; may be NULL.
 * Waits for a renewal in progress; renews first when the ticket is old; on 401 logs in once
 * again with the stored secret, then fails with AUTH_FAILED. */
void                pve_client_request_async            (PveClient           *self,
                                                         const char          *method,
                                                         const char          *path,
                                                         GHashTable          *params,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
/* Returns the unwrapped `data` (may be a JSON null node, never NULL on success). total is the
 * envelope's `total` or -1. */
JsonNode           *pve_client_request_finish           (PveClient           *self,
                                                         GAsyncResult        *result,
                                                         gint64              *total,
                                                         GError             **error);

/* Reads an answer's whole body into what the caller needs, instead of a JsonNode (in a worker
 * thread for big bodies). Returns NULL with an error when the body is not what was expected. */
typedef gpointer (*PveBodyParser) (const char  *body,
                                   gsize        length,
                                   GError     **error);

/* pve_client_request_async(), the body read by parser. The result of finish is owned by the
 * caller (freed with parsed_free). */
void                pve_client_request_parsed_async     (PveClient           *self,
                                                         const char          *method,
                                                         const char          *path,
                                                         GHashTable          *params,
                                                         PveBodyParser        parser,
                                                         GDestroyNotify       parsed_free,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gpointer            pve_client_request_parsed_finish    (PveClient           *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

/* Builds "/a/b/c" from segments, percent-encoding each one (UPIDs contain ':'). NULL-terminated. */
char               *pve_client_build_path               (const char          *first_segment,
                                                         ...) G_GNUC_NULL_TERMINATED;

/* Statistics for benchmarks and tests. */
guint               pve_client_get_request_count        (PveClient           *self);
guint               pve_client_get_renew_count          (PveClient           *self);

G_END_DECLS

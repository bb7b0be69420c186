/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "pve-api.h"
#include "pve-client.h"
#include "pve-tls-database.h"

/* Bodies above this are parsed in a worker thread so the main loop stays responsive. */
#define PARSE_IN_THREAD_THRESHOLD (256 * 1024)
#define READ_CHUNK_SIZE           (64 * 1024)

typedef enum
{
  AUTH_NONE,
  AUTH_TICKET,
  AUTH_TOKEN,
} AuthMode;

struct _PveClient
{
  GObject             parent_instance;

  char               *host;     /* without brackets */
  guint               port;
  char               *base_url;
  char               *display;  /* "host:port" for messages */

  SoupSession        *session;
  GTlsDatabase       *tls_database;        /* a PvePinnedTlsDatabase: the pin, then the system */
  GCancellable       *session_cancellable; /* cancelled (and replaced) by disconnect */
  guint               epoch;               /* bumped by disconnect */

  char               *pinned;
  PveCertificateInfo *peer_cert;

  guint               connect_timeout;
  guint               request_timeout;
  guint               renew_after;
  gsize               max_response_size;

  AuthMode            auth;
  gboolean            connected;
  char               *username;
  char               *ticket;
  char               *csrf;
  char               *password;
  char               *token_id;
  char               *token_secret;
  gint64              ticket_obtained;     /* monotonic µs */
  guint               generation;          /* bumped whenever the ticket changes */

  char               *tfa_username;
  char               *tfa_ticket;
  char              **tfa_methods;

  char               *clustername;
  char               *server_version;
  JsonObject         *cap;

  gboolean            auth_busy;           /* a renewal or re-login is in flight */
  GQueue              waiting;             /* GTask* of requests waiting for it */

  guint               request_count;
  guint               renew_count;
};

G_DEFINE_FINAL_TYPE (PveClient, pve_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTED,
  N_PROPS
};

enum {
  SESSION_LOST,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
wipe_free (char *s)
{
  if (s == NULL)
    return;
  explicit_bzero (s, strlen (s));
  g_free (s);
}

/* ---- Object ------------------------------------------------------------------------------------ */

static void fail_waiting (PveClient    *self,
                          const GError *error);

static void
clear_session_state (PveClient *self)
{
  self->auth = AUTH_NONE;
  g_clear_pointer (&self->ticket, wipe_free);
  g_clear_pointer (&self->csrf, wipe_free);
  g_clear_pointer (&self->password, wipe_free);
  g_clear_pointer (&self->token_id, g_free);
  g_clear_pointer (&self->token_secret, wipe_free);
  g_clear_pointer (&self->tfa_ticket, wipe_free);
  g_clear_pointer (&self->tfa_username, g_free);
  g_clear_pointer (&self->tfa_methods, g_strfreev);
  g_clear_pointer (&self->clustername, g_free);
  g_clear_pointer (&self->server_version, g_free);
  g_clear_pointer (&self->cap, json_object_unref);
  self->ticket_obtained = 0;
}

static void
set_connected (PveClient *self,
               gboolean   connected)
{
  if (self->connected == connected)
    return;
  self->connected = connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

static void
pve_client_dispose (GObject *object)
{
  PveClient *self = PVE_CLIENT (object);

  if (self->session_cancellable != NULL)
    g_cancellable_cancel (self->session_cancellable);
  if (!g_queue_is_empty (&self->waiting))
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                     _("The operation was cancelled"));
      fail_waiting (self, error);
    }
  g_clear_object (&self->session);

  G_OBJECT_CLASS (pve_client_parent_class)->dispose (object);
}

static void
pve_client_finalize (GObject *object)
{
  PveClient *self = PVE_CLIENT (object);

  clear_session_state (self);
  g_clear_pointer (&self->username, g_free);
  g_clear_object (&self->session_cancellable);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->display, g_free);
  g_clear_pointer (&self->pinned, g_free);
  g_clear_pointer (&self->peer_cert, pve_certificate_info_free);
  g_clear_object (&self->tls_database);

  G_OBJECT_CLASS (pve_client_parent_class)->finalize (object);
}

static void
pve_client_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PveClient *self = PVE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_client_class_init (PveClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pve_client_dispose;
  object_class->finalize = pve_client_finalize;
  object_class->get_property = pve_client_get_property;

  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SESSION_LOST] =
    g_signal_new ("session-lost",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
pve_client_init (PveClient *self)
{
  self->connect_timeout = 10;
  self->request_timeout = 30;
  self->renew_after = 3600;
  /* /cluster/resources of 10,000 guests is ~4 MiB: 32 MiB leaves room for eight times that,
   * and refuses a runaway answer (50 MB) before it is parsed into many times its size. */
  self->max_response_size = 32 * 1024 * 1024;
  self->session_cancellable = g_cancellable_new ();
  g_queue_init (&self->waiting);

  /* SoupContentDecoder is part of a new session: gzip bodies are accepted and decoded. No
   * cookie jar: the ticket cookie is set by hand on each request. */
  self->tls_database = pve_pinned_tls_database_new ();
  self->session = soup_session_new_with_options ("user-agent", "pve-remotes/" PACKAGE_VERSION,
                                                 "max-conns-per-host", 6,
                                                 "timeout", 0,
                                                 "tls-database", self->tls_database,
                                                 NULL);
}

PveClient *
pve_client_new (const char  *host,
                guint        port,
                GError     **error)
{
  PveClient *self;
  g_autofree char *bare = NULL;
  g_autofree char *url_host = NULL;

  if (!pve_client_validate_host (host, error))
    return NULL;

  /* Normally done with the remote manager, long before the first connection. */
  pve_tls_database_ensure ();

  if (port > 65535)
    {
      g_set_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_INVALID_HOST,
                   _("%u is not a valid port number"), port);
      return NULL;
    }

  if (host[0] == '[')
    bare = g_strndup (host + 1, strlen (host) - 2);
  else
    bare = g_strdup (host);

  if (strchr (bare, ':') != NULL)
    {
      /* A zone ("fe80::1%eth0") must be escaped inside a URI. */
      g_auto(GStrv) parts = g_strsplit (bare, "%", 2);
      url_host = parts[1] ? g_strdup_printf ("[%s%%25%s]", parts[0], parts[1])
                          : g_strdup_printf ("[%s]", bare);
    }
  else
    url_host = g_strdup (bare);

  self = g_object_new (PVE_TYPE_CLIENT, NULL);
  self->host = g_steal_pointer (&bare);
  self->port = port ? port : PVE_DEFAULT_PORT;
  self->base_url = g_strdup_printf ("https://%s:%u/api2/json", url_host, self->port);
  if (strchr (self->host, ':') != NULL)
    self->display = g_strdup_printf ("[%s]:%u", self->host, self->port);
  else
    self->display = g_strdup_printf ("%s:%u", self->host, self->port);

  return self;
}

const char *
pve_client_get_host (PveClient *self)
{
  g_return_val_if_fail (PVE_IS_CLIENT (self), NULL);
  return self->host;
}

guint
pve_client_get_port (PveClient *self)
{
  g_return_val_if_fail (PVE_IS_CLIENT (self), 0);
  return self->port;
}

const char *
pve_client_get_base_url (PveClient *self)
{
  g_return_val_if_fail (PVE_IS_CLIENT (self), NULL);
  return self->base_url;
}

void
pve_client_set_pinned_fingerprint (PveClient  *self,
                                   const char *fingerprint)
{
  g_autofree char *normalized = NULL;

  g_return_if_fail (PVE_IS_CLIENT (self));

  if (fingerprint != NULL && fingerprint[0] != '\0')
    {
      normalized = pve_fingerprint_normalize (fingerprint);
      if (normalized == NULL)
        g_warning ("Ignoring a pinned fingerprint that is not a SHA-256 fingerprint");
    }

  if (g_strcmp0 (normalized, self->pinned) == 0)
    return;

  g_free (self->pinned);
  self->pinned = g_steal_pointer (&normalized);
  pve_pinned_tls_database_set_pin (PVE_PINNED_TLS_DATABASE (self->tls_database), self->pinned);

  /* Connections checked against the old pin must not be reused under the new one. */
  soup_session_abort (self->session);
}

const char *
pve_client_get_pinned_fingerprint (PveClient *self)
{
  g_return_val_if_fail (PVE_IS_CLIENT (self), NULL);
  return self->pinned;
}

PveCertificateInfo *
pve_client_get_peer_certificate (PveClient *self)
{
  g_return_val_if_fail (PVE_IS_CLIENT (self), NULL);
  return self->peer_cert;
}

void
pve_client_set_timeouts (PveClient *self,
                         guint      connect_timeout,
                         guint      request_timeout)
{
  g_return_if_fail (PVE_IS_CLIENT (self));
  self->connect_timeout = connect_timeout;
  self->request_timeout = request_timeout;
}

void
pve_client_set_renew_after (PveClient *self,
                            guint      seconds)
{
  g_return_if_fail (PVE_IS_CLIENT (self));
  self->renew_after = seconds;
}

void
pve_client_set_max_response_size (PveClient *self,
                                  gsize      bytes)
{
  g_return_if_fail (PVE_IS_CLIENT (self));
  self->max_response_size = bytes;
}

gboolean
pve_client_is_connected (PveClient *self)
{
  g_return_val_if_fail (PVE_IS_CLIENT (self), FALSE);
  return self->connected;
}

const char *
pve_client_get_username (PveClient *self)
{
  g_return_val_if_fail (PVE_IS_CLIENT (self), NULL);
  return self->username;
}

const char *
pve_client_get_clustername (PveClient *self)
{
  g_return_val_if_fail (PVE_IS_CLIENT (self), NULL);
  return self->clustername;
}

const char *
pve_client_get_server_version (PveClient *self)
{
  g_return_val_if_fail (PVE_IS_CLIENT (self), NULL);
  return self->server_version;
}

JsonObject *
pve_client_get_cap (PveClient *self)
{
  g_return_val_if_fail (PVE_IS_CLIENT (self), NULL);
  return self->cap;
}

gboolean
pve_client_has_cap (PveClient  *self,
                    const char *section,
                    const char *privilege)
{
  JsonNode *node;
  gboolean value = FALSE;

  g_return_val_if_fail (PVE_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (section != NULL && privilege != NULL, FALSE);

  if (self->cap == NULL)
    return TRUE;

  node = json_object_get_member (self->cap, section);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;

  return pve_json_get_bool (json_node_get_object (node), privilege, &value) && value;
}

const char * const *
pve_client_get_tfa_methods (PveClient *self)
{
  g_return_val_if_fail (PVE_IS_CLIENT (self), NULL);
  return (const char * const *) self->tfa_methods;
}

guint
pve_client_get_request_count (PveClient *self)
{
  g_return_val_if_fail (PVE_IS_CLIENT (self), 0);
  return self->request_count;
}

guint
pve_client_get_renew_count (PveClient *self)
{
  g_return_val_if_fail (PVE_IS_CLIENT (self), 0);
  return self->renew_count;
}

/* ---- HTTP layer: one request, TLS policy, timeouts, bounded body --------------------------- */

typedef struct
{
  PveClient          *self;
  SoupMessage        *msg;
  char               *method;
  char               *path;
  GCancellable       *internal;
  GCancellable       *user;
  gulong              user_handler;
  GCancellable       *session_c;
  gulong              session_handler;
  GSource            *request_timer;
  GSource            *connect_timer;
  gboolean            timed_out;
  gboolean            connect_timed_out;
  gboolean            headers_written;
  gboolean            cert_refused;
  gboolean            cert_changed;
  char               *refused_fingerprint;
  gboolean            want_peer_cert;
  GInputStream       *stream;
  GByteArray         *buffer;
} HttpData;

typedef struct
{
  guint               status;
  char               *reason;
  GBytes             *body;
} HttpResponse;

static void
http_response_free (HttpResponse *response)
{
  g_free (response->reason);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HttpResponse, http_response_free)

static void
http_data_stop_timers (HttpData *data)
{
  if (data->request_timer != NULL)
    {
      g_source_destroy (data->request_timer);
      g_clear_pointer (&data->request_timer, g_source_unref);
    }
  if (data->connect_timer != NULL)
    {
      g_source_destroy (data->connect_timer);
      g_clear_pointer (&data->connect_timer, g_source_unref);
    }
}

static void
http_data_free (HttpData *data)
{
  http_data_stop_timers (data);
  if (data->user != NULL)
    {
      g_cancellable_disconnect (data->user, data->user_handler);
      g_object_unref (data->user);
    }
  if (data->session_c != NULL)
    {
      g_cancellable_disconnect (data->session_c, data->session_handler);
      g_object_unref (data->session_c);
    }
  if (data->msg != NULL)
    g_signal_handlers_disconnect_by_data (data->msg, data);
  g_clear_object (&data->msg);
  g_clear_object (&data->stream);
  g_clear_object (&data->internal);
  g_clear_pointer (&data->buffer, g_byte_array_unref);
  g_free (data->refused_fingerprint);
  g_free (data->method);
  g_free (data->path);
  g_clear_object (&data->self);
  g_free (data);
}

typedef struct
{
  GCancellable *internal;
  GMainContext *context;
} CancelLink;

static CancelLink *
cancel_link_new (GCancellable *internal)
{
  CancelLink *link = g_new0 (CancelLink, 1);

  link->internal = g_object_ref (internal);
  link->context = g_main_context_ref_thread_default ();
  return link;
}

static void
cancel_link_free (gpointer user_data)
{
  CancelLink *link = user_data;

  g_object_unref (link->internal);
  g_main_context_unref (link->context);
  g_free (link);
}

static gboolean
cancel_internal_idle (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_REMOVE;
}

static void
cancel_internal_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  CancelLink *link = user_data;
  GSource *source;

  /* Deferred: cancelling here could complete the request inside this signal emission, whose
   * cleanup would then disconnect from the cancellable that is still emitting. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, cancel_internal_idle, g_object_ref (link->internal), g_object_unref);
  g_source_set_name (source, "[pve-client] cancel");
  g_source_attach (source, link->context);
  g_source_unref (source);
}

static gboolean
request_timeout_cb (gpointer user_data)
{
  HttpData *data = user_data;

  data->timed_out = TRUE;
  g_cancellable_cancel (data->internal);
  return G_SOURCE_REMOVE;
}

static gboolean
connect_timeout_cb (gpointer user_data)
{
  HttpData *data = user_data;

  data->timed_out = TRUE;
  data->connect_timed_out = TRUE;
  g_cancellable_cancel (data->internal);
  return G_SOURCE_REMOVE;
}

static GSource *
add_timer (guint        seconds,
           GSourceFunc  func,
           HttpData    *data)
{
  GSource *source = g_timeout_source_new_seconds (seconds);

  g_source_set_callback (source, func, data, NULL);
  g_source_set_name (source, "[pve-client] timeout");
  g_source_attach (source, g_main_context_get_thread_default ());
  return source;
}

static void
wrote_headers_cb (SoupMessage *msg,
                  gpointer     user_data)
{
  HttpData *data = user_data;

  /* Connected (and TLS done): from now on only the request timeout applies. */
  data->headers_written = TRUE;
  if (data->connect_timer != NULL)
    {
      g_source_destroy (data->connect_timer);
      g_clear_pointer (&data->connect_timer, g_source_unref);
    }
}

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  HttpData *data = user_data;
  PveClient *self = data->self;
  g_autofree char *fingerprint = pve_certificate_fingerprint (certificate);

  /* Reached only when neither the pin (the session's PvePinnedTlsDatabase) nor the system
   * trust store validated the chain: the pin's check again, for a pin set in between. */
  if (fingerprint != NULL && self->pinned != NULL && g_str_equal (fingerprint, self->pinned))
    return TRUE;

  g_clear_pointer (&self->peer_cert, pve_certificate_info_free);
  self->peer_cert = pve_certificate_info_new_from_certificate (certificate);

  data->cert_refused = TRUE;
  data->cert_changed = self->pinned != NULL;
  g_free (data->refused_fingerprint);
  data->refused_fingerprint = g_steal_pointer (&fingerprint);

  return FALSE;
}

static GError *
http_map_transport_error (HttpData *data,
                          GError   *error,
                          gboolean  in_body)
{
  PveClient *self = data->self;

  if (data->cert_refused)
    {
      if (data->cert_changed)
        return g_error_new (PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TLS_CHANGED,
                            _("The certificate of %s has changed. Trusted fingerprint: %s. "
                              "Fingerprint presented now: %s. Someone may be intercepting the "
                              "connection; only trust the new certificate if you know why it "
                              "changed."),
                            self->display, self->pinned,
                            data->refused_fingerprint ? data->refused_fingerprint : "?");
      return g_error_new (PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TLS_UNTRUSTED,
                          _("The certificate of %s is not trusted. Its SHA-256 fingerprint is %s."),
                          self->display,
                          data->refused_fingerprint ? data->refused_fingerprint : "?");
    }

  if (data->timed_out)
    {
      if (data->connect_timed_out)
        return g_error_new (PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TIMEOUT,
                            _("Could not connect to %s within %u seconds"),
                            self->display, self->connect_timeout);
      return g_error_new (PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TIMEOUT,
                          _("%s did not answer within %u seconds"),
                          self->display, self->request_timeout);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_cancellable_is_cancelled (data->internal))
    {
      /* Cut off by pve_client_disconnect() rather than by the caller. */
      if ((data->user == NULL || !g_cancellable_is_cancelled (data->user))
          && g_cancellable_is_cancelled (data->session_c))
        return g_error_new_literal (PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED,
                                    _("Remote is not connected"));
      return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                  _("The operation was cancelled"));
    }

  if (error->domain == G_TLS_ERROR)
    return g_error_new (PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NETWORK,
                        _("Could not set up a secure connection to %s: %s"),
                        self->display, error->message);

  if (error->domain == G_RESOLVER_ERROR)
    return g_error_new (PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NETWORK,
                        _("Could not find %s: %s"), self->host, error->message);

  if (in_body || data->headers_written)
    return g_error_new (PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NETWORK,
                        _("The connection to %s was lost: %s"), self->display, error->message);

  return g_error_new (PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NETWORK,
                      _("Could not connect to %s: %s"), self->display, error->message);
}

static void
http_fail (GTask  *task,
           GError *error)
{
  HttpData *data = g_task_get_task_data (task);

  http_data_stop_timers (data);
  g_task_return_error (task, error);
}

static void
http_complete (GTask *task)
{
  HttpData *data = g_task_get_task_data (task);
  HttpResponse *response = g_new0 (HttpResponse, 1);
  GByteArray *buffer = g_steal_pointer (&data->buffer);

  http_data_stop_timers (data);

  if (data->want_peer_cert)
    {
      GTlsCertificate *cert = soup_message_get_tls_peer_certificate (data->msg);

      if (cert != NULL)
        {
          g_clear_pointer (&data->self->peer_cert, pve_certificate_info_free);
          data->self->peer_cert = pve_certificate_info_new_from_certificate (cert);
        }
    }

  response->status = soup_message_get_status (data->msg);
  response->reason = g_strdup (soup_message_get_reason_phrase (data->msg));
  response->body = g_byte_array_free_to_bytes (buffer);
  g_task_return_pointer (task, response, (GDestroyNotify) http_response_free);
}

static GError *
too_large_error (HttpData *data)
{
  g_autofree char *limit = g_format_size (data->self->max_response_size);

  return g_error_new (PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TOO_LARGE,
                      _("The answer of %s is larger than the limit of %s; it was not read"),
                      data->self->display, limit);
}

static void
abandon_stream (HttpData *data)
{
  /* Closing with a cancelled cancellable makes libsoup drop the connection instead of
   * reading (and discarding) the rest of the body. */
  g_cancellable_cancel (data->internal);
  if (data->stream != NULL && !g_input_stream_is_closed (data->stream))
    g_input_stream_close_async (data->stream, G_PRIORITY_DEFAULT, data->internal, NULL, NULL);
}

static void http_read_next (GTask *task);

static void
http_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HttpData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (bytes == NULL)
    {
      http_fail (task, http_map_transport_error (data, error, TRUE));
      return;
    }

  if (g_bytes_get_size (bytes) == 0)
    {
      g_input_stream_close_async (data->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      http_complete (task);
      return;
    }

  if (g_bytes_get_size (bytes) > data->self->max_response_size - MIN (data->buffer->len, data->self->max_response_size))
    {
      g_clear_pointer (&bytes, g_bytes_unref);
      g_clear_pointer (&data->buffer, g_byte_array_unref);
      abandon_stream (data);
      http_fail (task, too_large_error (data));
      return;
    }

  g_byte_array_append (data->buffer, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  http_read_next (g_steal_pointer (&task));
}

static void
http_read_next (GTask *task)
{
  HttpData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   data->internal, http_read_cb, task);
}

static void
http_send_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HttpData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  goffset length = -1;

  data->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (data->stream == NULL)
    {
      http_fail (task, http_map_transport_error (data, error, FALSE));
      return;
    }

  headers = soup_message_get_response_headers (data->msg);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    length = soup_message_headers_get_content_length (headers);

  /* Even compressed, a body announced larger than the limit can only grow when decoded. */
  if (length > 0 && (guint64) length > data->self->max_response_size)
    {
      abandon_stream (data);
      http_fail (task, too_large_error (data));
      return;
    }

  data->buffer = g_byte_array_sized_new (length > 0 ? (guint) MIN (length, 4 * 1024 * 1024) : 4096);
  http_read_next (g_steal_pointer (&task));
}

static GBytes *
secret_bytes_take (char *text)
{
  /* Form bodies may carry a password or ticket: wipe them when libsoup lets go. */
  return g_bytes_new_with_free_func (text, strlen (text), (GDestroyNotify) wipe_free, text);
}

/* Sends one request. `form` (owned, may be NULL) is the encoded parameters. With
 * use_auth the current ticket (and CSRF token on writes) or API token is attached. */
static void
http_send_async (PveClient           *self,
                 const char          *method,
                 const char          *path,
                 char                *form,
                 gboolean             use_auth,
                 gboolean             want_peer_cert,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;
  gboolean has_body = g_str_equal (method, "POST") || g_str_equal (method, "PUT");
  SoupMessageHeaders *headers;
  HttpData *data;

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, http_send_async);

  data = g_new0 (HttpData, 1);
  data->self = g_object_ref (self);
  data->method = g_strdup (method);
  data->path = g_strdup (path);
  data->want_peer_cert = want_peer_cert;
  data->internal = g_cancellable_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) http_data_free);

  if (!has_body && form != NULL && form[0] != '\0')
    url = g_strdup_printf ("%s%s?%s", self->base_url, path, form);
  else
    url = g_strdup_printf ("%s%s", self->base_url, path);

  data->msg = soup_message_new (method, url);
  if (data->msg == NULL)
    {
      if (form != NULL)
        wipe_free (form);
      g_task_return_new_error (task, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_FAILED,
                               _("“%s” is not a valid API path"), path);
      return;
    }

  headers = soup_message_get_request_headers (data->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");

  /* libsoup never reuses a kept-alive connection for a non-idempotent method, so without
   * this every ticket renewal opened one more TLS connection (a new handshake, ~3 MB and an
   * fd held until the idle timeout). Asking for a ticket changes nothing on the server and
   * may safely be sent again if a reused connection turns out to be closed. */
  if (g_str_equal (path, "/access/ticket"))
    soup_message_add_flags (data->msg, SOUP_MESSAGE_IDEMPOTENT);

  if (has_body)
    {
      g_autoptr(GBytes) body = secret_bytes_take (form ? form : g_strdup (""));
      form = NULL;
      soup_message_set_request_body_from_bytes (data->msg, "application/x-www-form-urlencoded", body);
    }
  else if (form != NULL)
    wipe_free (form);

  if (use_auth && self->auth == AUTH_TICKET && self->ticket != NULL)
    {
      g_autofree char *cookie = g_strconcat ("PVEAuthCookie=", self->ticket, NULL);

      soup_message_headers_replace (headers, "Cookie", cookie);
      explicit_bzero (cookie, strlen (cookie));
      if (!g_str_equal (method, "GET") && self->csrf != NULL)
        soup_message_headers_replace (headers, "CSRFPreventionToken", self->csrf);
    }
  else if (use_auth && self->auth == AUTH_TOKEN && self->token_id != NULL)
    {
      g_autofree char *value = g_strdup_printf ("PVEAPIToken=%s=%s", self->token_id, self->token_secret);

      soup_message_headers_replace (headers, "Authorization", value);
      explicit_bzero (value, strlen (value));
    }

  g_signal_connect (data->msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), data);
  g_signal_connect (data->msg, "wrote-headers", G_CALLBACK (wrote_headers_cb), data);

  if (cancellable != NULL)
    {
      data->user = g_object_ref (cancellable);
      data->user_handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_internal_cb),
                                                  cancel_link_new (data->internal), cancel_link_free);
    }
  data->session_c = g_object_ref (self->session_cancellable);
  data->session_handler = g_cancellable_connect (data->session_c, G_CALLBACK (cancel_internal_cb),
                                                 cancel_link_new (data->internal), cancel_link_free);

  if (self->request_timeout > 0)
    data->request_timer = add_timer (self->request_timeout, request_timeout_cb, data);
  if (self->connect_timeout > 0)
    data->connect_timer = add_timer (self->connect_timeout, connect_timeout_cb, data);

  self->request_count++;
  g_debug ("%s %s", method, path);

  soup_session_send_async (self->session, data->msg, G_PRIORITY_DEFAULT, data->internal,
                           http_send_cb, g_steal_pointer (&task));
}

static HttpResponse *
http_send_finish (PveClient     *self,
                  GAsyncResult  *result,
                  GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- API layer: status codes and the envelope ------------------------------------------------- */

typedef enum
{
  API_CONTEXT_REQUEST,
  API_CONTEXT_LOGIN,
  API_CONTEXT_TOKEN,
} ApiContext;

typedef struct
{
  JsonNode      *data;
  gint64         total;
  gpointer       parsed;        /* from a PveBodyParser instead of data */
  GDestroyNotify parsed_free;
} ApiResult;

static void
api_result_free (ApiResult *result)
{
  g_clear_pointer (&result->data, json_node_unref);
  if (result->parsed != NULL && result->parsed_free != NULL)
    result->parsed_free (result->parsed);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ApiResult, api_result_free)

/* Reads a body: the caller's parser when there is one, else the envelope. */
static ApiResult *
api_parse_body (const char     *body,
                gsize           len,
                PveBodyParser   parser,
                GDestroyNotify  parsed_free,
                GError        **error)
{
  g_autoptr(ApiResult) result = g_new0 (ApiResult, 1);

  if (parser != NULL)
    {
      result->parsed = parser (body, len, error);
      result->parsed_free = parsed_free;
      if (result->parsed == NULL)
        return NULL;
    }
  else
    {
      result->data = pve_api_unwrap_envelope (body, len, &result->total, error);
      if (result->data == NULL)
        return NULL;
    }
  return g_steal_pointer (&result);
}

static GError *
status_error (PveClient    *self,
              HttpResponse *response,
              ApiContext    context)
{
  g_autofree char *text = NULL;
  guint status = response->status;
  gsize len = 0;
  const char *body = response->body ? g_bytes_get_data (response->body, &len) : NULL;

  text = pve_api_error_message (body, len);
  if (text == NULL && response->reason != NULL && response->reason[0] != '\0')
    text = g_strstrip (g_strdup (response->reason));
  if (text == NULL || text[0] == '\0')
    {
      g_free (text);
      text = g_strdup_printf ("HTTP %u", status);
    }

  switch (status)
    {
    case 401:
      if (context == API_CONTEXT_LOGIN)
        return g_error_new (PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_AUTH_FAILED,
                            _("Login failed: %s"), text);
      if (context == API_CONTEXT_TOKEN)
        return g_error_new (PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_AUTH_FAILED,
                            _("The API token was refused: %s"), text);
      return g_error_new (PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_AUTH_FAILED,
                          _("Authentication failed: %s"), text);
    case 403:
      return g_error_new (PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PERMISSION_DENIED,
                          _("Not allowed: %s"), text);
    case 400:
      return g_error_new (PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_INVALID_PARAMS,
                          _("The server refused the request: %s"), text);
    case 501:
      return g_error_new (PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_IMPLEMENTED,
                          _("The server does not support this request: %s"), text);
    default:
      if (status >= 500)
        return g_error_new (PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_SERVER,
                            _("The server reported an error: %s"), text);
      return g_error_new (PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_HTTP,
                          _("The server answered %u: %s"), status, text);
    }
}

typedef struct
{
  GBytes        *body;
  PveBodyParser  parser;
  GDestroyNotify parsed_free;
} ParseData;

static void
parse_data_free (ParseData *data)
{
  g_bytes_unref (data->body);
  g_free (data);
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ParseData *data = task_data;
  GError *error = NULL;
  gsize len = 0;
  const char *text = g_bytes_get_data (data->body, &len);
  ApiResult *result = api_parse_body (text, len, data->parser, data->parsed_free, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) api_result_free);
}

typedef struct
{
  ApiContext     context;
  PveBodyParser  parser;
  GDestroyNotify parsed_free;
} ApiData;

static void
api_parse_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  ApiResult *api_result = g_task_propagate_pointer (G_TASK (result), &error);

  if (api_result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, api_result, (GDestroyNotify) api_result_free);
}

static void
api_http_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PveClient *self = PVE_CLIENT (source);
  ApiData *data = g_task_get_task_data (task);
  g_autoptr(HttpResponse) response = NULL;
  GError *error = NULL;
  gsize len;

  response = http_send_finish (self, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (response->status < 200 || response->status >= 300)
    {
      g_task_return_error (task, status_error (self, response, data->context));
      return;
    }

  len = g_bytes_get_size (response->body);
  if (len > PARSE_IN_THREAD_THRESHOLD)
    {
      /* No source object: the worker must never hold the last reference to the client. */
      g_autoptr(GTask) parse = g_task_new (NULL, NULL, api_parse_done_cb, g_steal_pointer (&task));

      ParseData *parse_data = g_new0 (ParseData, 1);

      parse_data->body = g_bytes_ref (response->body);
      parse_data->parser = data->parser;
      parse_data->parsed_free = data->parsed_free;
      g_task_set_source_tag (parse, parse_thread);
      g_task_set_task_data (parse, parse_data, (GDestroyNotify) parse_data_free);
      g_task_run_in_thread (parse, parse_thread);
    }
  else
    {
      const char *body = g_bytes_get_data (response->body, NULL);
      ApiResult *api_result = api_parse_body (body, len, data->parser, data->parsed_free, &error);

      if (api_result == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, api_result, (GDestroyNotify) api_result_free);
    }
}

static void
api_call_parsed_async (PveClient           *self,
                       const char          *method,
                       const char          *path,
                       char                *form,
                       gboolean             use_auth,
                       ApiContext           context,
                       PveBodyParser        parser,
                       GDestroyNotify       parsed_free,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);
  ApiData *data = g_new0 (ApiData, 1);

  g_task_set_source_tag (task, api_call_parsed_async);
  data->context = context;
  data->parser = parser;
  data->parsed_free = parsed_free;
  g_task_set_task_data (task, data, g_free);

  http_send_async (self, method, path, form, use_auth, FALSE, cancellable, api_http_cb, task);
}

static void
api_call_async (PveClient           *self,
                const char          *method,
                const char          *path,
                char                *form,
                gboolean             use_auth,
                ApiContext           context,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  api_call_parsed_async (self, method, path, form, use_auth, context, NULL, NULL, cancellable,
                         callback, user_data);
}

static ApiResult *
api_call_finish (PveClient     *self,
                 GAsyncResult  *result,
                 GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static char *
encode_form (const char *first_field,
             ...)
{
  g_autoptr(GHashTable) table = g_hash_table_new (g_str_hash, g_str_equal);
  const char *field;
  va_list args;
  char *encoded;

  va_start (args, first_field);
  for (field = first_field; field != NULL; field = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);
      g_hash_table_insert (table, (gpointer) field, (gpointer) (value ? value : ""));
    }
  va_end (args);

  encoded = soup_form_encode_hash (table);
  return encoded;
}

/* ---- Session state --------------------------------------------------------------------------- */

static void
store_login (PveClient    *self,
             PveLoginInfo *info,
             const char   *fallback_username)
{
  g_clear_pointer (&self->ticket, wipe_free);
  g_clear_pointer (&self->csrf, wipe_free);
  self->ticket = g_steal_pointer (&info->ticket);
  self->csrf = g_steal_pointer (&info->csrf_token);

  if (info->username != NULL || fallback_username != NULL)
    {
      g_free (self->username);
      self->username = g_strdup (info->username ? info->username : fallback_username);
    }
  if (info->clustername != NULL)
    {
      g_free (self->clustername);
      self->clustername = g_steal_pointer (&info->clustername);
    }
  if (info->cap != NULL)
    {
      g_clear_pointer (&self->cap, json_object_unref);
      self->cap = g_steal_pointer (&info->cap);
    }

  self->auth = AUTH_TICKET;
  self->ticket_obtained = g_get_monotonic_time ();
  self->generation++;
}

static void
fail_waiting (PveClient    *self,
              const GError *error)
{
  GTask *task;

  while ((task = g_queue_pop_head (&self->waiting)) != NULL)
    {
      g_task_return_error (task, g_error_copy (error));
      g_object_unref (task);
    }
}

void
pve_client_disconnect (PveClient *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PVE_IS_CLIENT (self));

  g_debug ("Disconnecting from %s", self->display);

  clear_session_state (self);
  self->auth_busy = FALSE;
  self->epoch++;

  g_cancellable_cancel (self->session_cancellable);
  g_clear_object (&self->session_cancellable);
  self->session_cancellable = g_cancellable_new ();

  error = g_error_new_literal (PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED,
                               _("Remote is not connected"));
  fail_waiting (self, error);

  /* Idle connections go too: the next session starts from a fresh handshake. */
  soup_session_abort (self->session);

  set_connected (self, FALSE);
}

static void
session_lost (PveClient    *self,
              const GError *cause)
{
  g_autoptr(GError) error = NULL;

  error = g_error_new (PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_AUTH_FAILED,
                       _("The session with %s has ended and logging in again failed: %s"),
                       self->display, cause->message);
  fail_waiting (self, error);

  g_object_ref (self);
  pve_client_disconnect (self);
  g_signal_emit (self, signals[SESSION_LOST], 0, error);
  g_object_unref (self);
}

/* ---- Requests with renewal and one re-login ------------------------------------------------- */

typedef struct
{
  char          *method;
  char          *path;
  char          *form;
  gboolean       skip_renew;
  gboolean       retried;
  guint          generation;
  PveBodyParser  parser;
  GDestroyNotify parsed_free;
} RequestData;

static void
request_data_free (RequestData *data)
{
  g_free (data->method);
  g_free (data->path);
  g_clear_pointer (&data->form, wipe_free);
  g_free (data);
}

static void request_dispatch (GTask *task);
static void start_relogin (PveClient    *self,
                           const GError *cause);

static void
finish_auth (PveClient *self)
{
  GQueue queue = G_QUEUE_INIT;
  GTask *task;

  self->auth_busy = FALSE;

  /* Move the queue first: a dispatched request may queue itself again. */
  queue = self->waiting;
  g_queue_init (&self->waiting);

  while ((task = g_queue_pop_head (&queue)) != NULL)
    {
      RequestData *data = g_task_get_task_data (task);

      data->skip_renew = TRUE;
      request_dispatch (task);
    }
}

typedef struct
{
  PveClient *self;
  guint      epoch;
} AuthOp;

static AuthOp *
auth_op_new (PveClient *self)
{
  AuthOp *op = g_new0 (AuthOp, 1);

  op->self = g_object_ref (self);
  op->epoch = self->epoch;
  return op;
}

static void
auth_op_free (AuthOp *op)
{
  g_object_unref (op->self);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuthOp, auth_op_free)

static void
relogin_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(AuthOp) op = user_data;
  PveClient *self = op->self;
  g_autoptr(ApiResult) api_result = NULL;
  g_autoptr(GError) error = NULL;
  PveLoginInfo info = { 0 };

  api_result = api_call_finish (self, result, &error);
  if (op->epoch != self->epoch)
    return;

  if (api_result != NULL && pve_api_parse_login (api_result->data, &info, &error))
    {
      if (info.need_tfa)
        {
          pve_login_info_clear (&info);
          g_set_error_literal (&error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NEED_TFA,
                               _("The server asks for a second factor"));
          session_lost (self, error);
          return;
        }

      g_debug ("Logged in again to %s", self->display);
      store_login (self, &info, NULL);
      pve_login_info_clear (&info);
      finish_auth (self);
      return;
    }

  if (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_AUTH_FAILED))
    {
      session_lost (self, error);
      return;
    }

  /* The server could not be asked (network, timeout): the waiting requests fail with that,
   * the session stays and the next request tries again. */
  self->auth_busy = FALSE;
  fail_waiting (self, error);
}

static void
start_relogin (PveClient    *self,
               const GError *cause)
{
  if (self->password == NULL || self->username == NULL)
    {
      session_lost (self, cause);
      return;
    }

  g_debug ("Ticket refused by %s, logging in again", self->display);
  self->auth_busy = TRUE;
  api_call_async (self, "POST", "/access/ticket",
                  encode_form ("username", self->username, "password", self->password, NULL),
                  FALSE, API_CONTEXT_LOGIN, self->session_cancellable,
                  relogin_cb, auth_op_new (self));
}

static void
renew_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(AuthOp) op = user_data;
  PveClient *self = op->self;
  g_autoptr(ApiResult) api_result = NULL;
  g_autoptr(GError) error = NULL;
  PveLoginInfo info = { 0 };

  api_result = api_call_finish (self, result, &error);
  if (op->epoch != self->epoch)
    return;

  if (api_result != NULL && pve_api_parse_login (api_result->data, &info, &error)
      && !info.need_tfa)
    {
      store_login (self, &info, NULL);
      pve_login_info_clear (&info);
      self->renew_count++;
      g_debug ("Renewed the session of %s", self->display);
      finish_auth (self);
      return;
    }
  pve_login_info_clear (&info);

  if (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_AUTH_FAILED))
    {
      start_relogin (self, error);
      return;
    }

  /* Not renewed this time (network, timeout): the ticket may still be valid. */
  g_debug ("Could not renew the session of %s: %s", self->display,
           error ? error->message : "no ticket");
  finish_auth (self);
}

static void
start_renew (PveClient *self)
{
  self->auth_busy = TRUE;
  api_call_async (self, "POST", "/access/ticket",
                  encode_form ("username", self->username, "password", self->ticket, NULL),
                  FALSE, API_CONTEXT_LOGIN, self->session_cancellable,
                  renew_cb, auth_op_new (self));
}

static gboolean
ticket_needs_renewal (PveClient *self)
{
  if (self->auth != AUTH_TICKET || self->renew_after == 0 || self->ticket_obtained == 0)
    return FALSE;
  return g_get_monotonic_time () - self->ticket_obtained >= (gint64) self->renew_after * G_USEC_PER_SEC;
}

static void
request_api_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PveClient *self = PVE_CLIENT (source);
  RequestData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  ApiResult *api_result;

  api_result = api_call_finish (self, result, &error);
  if (api_result != NULL)
    {
      g_task_return_pointer (task, api_result, (GDestroyNotify) api_result_free);
      return;
    }

  if (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_AUTH_FAILED)
      && self->connected && self->auth == AUTH_TICKET && !data->retried)
    {
      data->retried = TRUE;
      data->skip_renew = TRUE;

      /* Sent with a ticket that has been replaced since: just send it again. */
      if (data->generation != self->generation)
        {
          request_dispatch (g_steal_pointer (&task));
          return;
        }

      g_queue_push_tail (&self->waiting, g_steal_pointer (&task));
      if (!self->auth_busy)
        start_relogin (self, error);
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

static void
request_dispatch (GTask *task)
{
  PveClient *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);

  if (!self->connected)
    {
      g_task_return_new_error (task, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED,
                               _("Remote is not connected"));
      g_object_unref (task);
      return;
    }

  if (self->auth == AUTH_TICKET)
    {
      if (self->auth_busy)
        {
          g_queue_push_tail (&self->waiting, task);
          return;
        }
      if (!data->skip_renew && ticket_needs_renewal (self))
        {
          g_queue_push_tail (&self->waiting, task);
          start_renew (self);
          return;
        }
    }

  data->generation = self->generation;
  api_call_parsed_async (self, data->method, data->path,
                         data->form ? g_strdup (data->form) : NULL,
                         TRUE, API_CONTEXT_REQUEST, data->parser, data->parsed_free,
                         g_task_get_cancellable (task), request_api_cb, task);
}

static void
request_async (PveClient           *self,
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

  g_return_if_fail (PVE_IS_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pve_client_request_async);

  if (!self->connected)
    {
      g_task_return_new_error (task, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED,
                               _("Remote is not connected"));
      return;
    }

  if (path[0] != '/')
    {
      g_task_return_new_error (task, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_FAILED,
                               _("“%s” is not a valid API path"), path);
      return;
    }

  data = g_new0 (RequestData, 1);
  data->method = g_ascii_strup (method, -1);
  data->path = g_strdup (path);
  if (params != NULL && g_hash_table_size (params) > 0)
    data->form = soup_form_encode_hash (params);
  data->parser = parser;
  data->parsed_free = parsed_free;
  g_task_set_task_data (task, data, (GDestroyNotify) request_data_free);

  request_dispatch (g_steal_pointer (&task));
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
  request_async (self, method, path, params, NULL, NULL, cancellable, callback, user_data);
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
  g_return_if_fail (parser != NULL);

  request_async (self, method, path, params, parser, parsed_free, cancellable, callback,
                 user_data);
}

gpointer
pve_client_request_parsed_finish (PveClient     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_autoptr(ApiResult) api_result = NULL;

  g_return_val_if_fail (PVE_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pve_client_request_async, NULL);

  api_result = g_task_propagate_pointer (G_TASK (result), error);
  if (api_result == NULL)
    return NULL;
  return g_steal_pointer (&api_result->parsed);
}

JsonNode *
pve_client_request_finish (PveClient     *self,
                           GAsyncResult  *result,
                           gint64        *total,
                           GError       **error)
{
  g_autoptr(ApiResult) api_result = NULL;

  g_return_val_if_fail (PVE_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pve_client_request_async, NULL);

  if (total != NULL)
    *total = -1;

  api_result = g_task_propagate_pointer (G_TASK (result), error);
  if (api_result == NULL)
    return NULL;

  if (total != NULL)
    *total = api_result->total;
  return g_steal_pointer (&api_result->data);
}

/* ---- Probe ------------------------------------------------------------------------------------ */

static void
probe_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(HttpResponse) response = NULL;
  GError *error = NULL;

  response = http_send_finish (PVE_CLIENT (source), result, &error);
  if (response == NULL)
    g_task_return_error (task, error);
  else
    /* Any HTTP answer (usually 401 "No ticket") proves the TLS connection is sound. */
    g_task_return_boolean (task, TRUE);
}

void
pve_client_probe_async (PveClient           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PVE_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pve_client_probe_async);
  http_send_async (self, "GET", "/version", NULL, FALSE, TRUE, cancellable, probe_cb, task);
}

gboolean
pve_client_probe_finish (PveClient     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (PVE_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pve_client_probe_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Login ------------------------------------------------------------------------------------ */

typedef struct
{
  char *username;
  char *password;  /* wiped */
  guint epoch;
} LoginData;

static void
login_data_free (LoginData *data)
{
  g_free (data->username);
  wipe_free (data->password);
  g_free (data);
}

static void
login_done (PveClient    *self,
            GTask        *task,
            ApiResult    *api_result,
            GError       *error,
            gboolean      keep_password)
{
  LoginData *data = g_task_get_task_data (task);
  PveLoginInfo info = { 0 };

  if (data->epoch != self->epoch)
    {
      g_clear_error (&error);
      g_task_return_new_error (task, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED,
                               _("Remote is not connected"));
      return;
    }

  if (api_result == NULL || !pve_api_parse_login (api_result->data, &info, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (info.need_tfa)
    {
      g_autofree char *methods = NULL;

      g_clear_pointer (&self->tfa_ticket, wipe_free);
      g_clear_pointer (&self->tfa_methods, g_strfreev);
      g_free (self->tfa_username);
      self->tfa_username = g_strdup (info.username ? info.username : data->username);
      self->tfa_ticket = g_steal_pointer (&info.ticket);
      self->tfa_methods = g_steal_pointer (&info.tfa_methods);
      pve_login_info_clear (&info);

      methods = g_strjoinv (", ", self->tfa_methods);
      g_task_return_new_error (task, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NEED_TFA,
                               _("This account needs a second factor to log in (%s)"),
                               methods[0] ? methods : _("none offered"));
      return;
    }

  store_login (self, &info, data->username);
  pve_login_info_clear (&info);
  g_clear_pointer (&self->tfa_ticket, wipe_free);
  g_clear_pointer (&self->tfa_username, g_free);
  g_clear_pointer (&self->password, wipe_free);
  if (keep_password)
    self->password = g_steal_pointer (&data->password);

  g_debug ("Logged in to %s", self->display);
  set_connected (self, TRUE);
  g_task_return_boolean (task, TRUE);
}

static void
login_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PveClient *self = PVE_CLIENT (source);
  g_autoptr(ApiResult) api_result = NULL;
  GError *error = NULL;

  api_result = api_call_finish (self, result, &error);
  login_done (self, task, api_result, error, TRUE);
}

static void
prepare_new_session (PveClient *self)
{
  if (self->connected || self->auth != AUTH_NONE || self->auth_busy
      || !g_queue_is_empty (&self->waiting))
    pve_client_disconnect (self);
}

void
pve_client_login_async (PveClient           *self,
                        const char          *username,
                        const char          *password,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  LoginData *data;

  g_return_if_fail (PVE_IS_CLIENT (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);

  prepare_new_session (self);
  g_clear_pointer (&self->tfa_ticket, wipe_free);
  g_clear_pointer (&self->tfa_methods, g_strfreev);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pve_client_login_async);
  /* The result must say what happened to the session, even if cancelled late. */
  g_task_set_check_cancellable (task, FALSE);
  data = g_new0 (LoginData, 1);
  data->username = g_strdup (username);
  data->password = g_strdup (password);
  data->epoch = self->epoch;
  g_task_set_task_data (task, data, (GDestroyNotify) login_data_free);

  api_call_async (self, "POST", "/access/ticket",
                  encode_form ("username", username, "password", password, NULL),
                  FALSE, API_CONTEXT_LOGIN, cancellable, login_cb, task);
}

gboolean
pve_client_login_finish (PveClient     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (PVE_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pve_client_login_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
login_tfa_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PveClient *self = PVE_CLIENT (source);
  g_autoptr(ApiResult) api_result = NULL;
  GError *error = NULL;

  api_result = api_call_finish (self, result, &error);
  if (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_AUTH_FAILED))
    {
      GError *wrapped = g_error_new (PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_AUTH_FAILED,
                                     _("The second factor was not accepted: %s"),
                                     error->message);
      g_error_free (error);
      error = wrapped;
    }
  /* A TFA account cannot log in again unattended: no password is kept. */
  login_done (self, task, api_result, error, FALSE);
}

void
pve_client_login_tfa_async (PveClient           *self,
                            const char          *response,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  LoginData *data;

  g_return_if_fail (PVE_IS_CLIENT (self));
  g_return_if_fail (response != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pve_client_login_tfa_async);
  g_task_set_check_cancellable (task, FALSE);

  if (self->tfa_ticket == NULL || self->tfa_username == NULL)
    {
      g_task_return_new_error (task, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED,
                               _("There is no login waiting for a second factor"));
      g_object_unref (task);
      return;
    }

  data = g_new0 (LoginData, 1);
  data->username = g_strdup (self->tfa_username);
  data->epoch = self->epoch;
  g_task_set_task_data (task, data, (GDestroyNotify) login_data_free);

  api_call_async (self, "POST", "/access/ticket",
                  encode_form ("username", self->tfa_username,
                               "tfa-challenge", self->tfa_ticket,
                               "password", response, NULL),
                  FALSE, API_CONTEXT_LOGIN, cancellable, login_tfa_cb, task);
}

gboolean
pve_client_login_tfa_finish (PveClient     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (PVE_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pve_client_login_tfa_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
login_token_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PveClient *self = PVE_CLIENT (source);
  LoginData *data = g_task_get_task_data (task);
  g_autoptr(ApiResult) api_result = NULL;
  GError *error = NULL;

  api_result = api_call_finish (self, result, &error);

  if (data->epoch != self->epoch)
    {
      g_clear_error (&error);
      g_task_return_new_error (task, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED,
                               _("Remote is not connected"));
      return;
    }

  if (api_result == NULL)
    {
      self->auth = AUTH_NONE;
      g_clear_pointer (&self->token_id, g_free);
      g_clear_pointer (&self->token_secret, wipe_free);
      g_task_return_error (task, error);
      return;
    }

  g_clear_pointer (&self->server_version, g_free);
  if (JSON_NODE_HOLDS_OBJECT (api_result->data))
    self->server_version = g_strdup (pve_json_get_string (json_node_get_object (api_result->data),
                                                          "version"));

  g_debug ("Logged in to %s with an API token", self->display);
  set_connected (self, TRUE);
  g_task_return_boolean (task, TRUE);
}

void
pve_client_login_token_async (PveClient           *self,
                              const char          *token_id,
                              const char          *secret,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  LoginData *data;
  const char *bang;

  g_return_if_fail (PVE_IS_CLIENT (self));
  g_return_if_fail (token_id != NULL);
  g_return_if_fail (secret != NULL);

  prepare_new_session (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pve_client_login_token_async);
  g_task_set_check_cancellable (task, FALSE);

  bang = strchr (token_id, '!');
  if (bang == NULL || bang == token_id || bang[1] == '\0' || strchr (token_id, '@') == NULL
      || strchr (token_id, '=') != NULL || strpbrk (secret, "\r\n") != NULL || secret[0] == '\0')
    {
      g_task_return_new_error (task, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_AUTH_FAILED,
                               _("“%s” is not an API token ID of the form user@realm!name"),
                               token_id);
      g_object_unref (task);
      return;
    }

  data = g_new0 (LoginData, 1);
  data->epoch = self->epoch;
  g_task_set_task_data (task, data, (GDestroyNotify) login_data_free);

  self->auth = AUTH_TOKEN;
  self->token_id = g_strdup (token_id);
  self->token_secret = g_strdup (secret);
  g_free (self->username);
  self->username = g_strndup (token_id, bang - token_id);

  api_call_async (self, "GET", "/version", NULL, TRUE, API_CONTEXT_TOKEN, cancellable,
                  login_token_cb, task);
}

gboolean
pve_client_login_token_finish (PveClient     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (PVE_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pve_client_login_token_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

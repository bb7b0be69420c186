/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PveClient against the in-process simulator, over real TLS. */
#include <string.h>

#include "pve-api.h"
#include "pve-certificate-info.h"
#include "pve-client.h"
#include "pve-sim.h"
#include "pve-tls-database.h"

#define WAIT_LIMIT_SECONDS 60

typedef struct
{
  PveSim    *sim;
  PveClient *client;
  guint      port;
} Fixture;

/* ---- Helpers ---------------------------------------------------------------------------------- */

static gboolean
deadline_cb (gpointer user_data)
{
  gboolean *expired = user_data;
  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until *result is set (no sleeps). */
static void
wait_for_result (GAsyncResult **result)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (WAIT_LIMIT_SECONDS, deadline_cb, &expired);

  while (*result == NULL && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (id);
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

static gboolean
do_login (PveClient   *client,
          const char  *username,
          const char  *password,
          GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pve_client_login_async (client, username, password, NULL, store_result_cb, &result);
  wait_for_result (&result);
  return pve_client_login_finish (client, result, error);
}

static gboolean
do_login_tfa (PveClient   *client,
              const char  *response,
              GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pve_client_login_tfa_async (client, response, NULL, store_result_cb, &result);
  wait_for_result (&result);
  return pve_client_login_tfa_finish (client, result, error);
}

static gboolean
do_login_token (PveClient   *client,
                const char  *token_id,
                const char  *secret,
                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pve_client_login_token_async (client, token_id, secret, NULL, store_result_cb, &result);
  wait_for_result (&result);
  return pve_client_login_token_finish (client, result, error);
}

static JsonNode *
do_request_full (PveClient    *client,
                 const char   *method,
                 const char   *path,
                 GHashTable   *params,
                 GCancellable *cancellable,
                 gint64       *total,
                 GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pve_client_request_async (client, method, path, params, cancellable, store_result_cb, &result);
  wait_for_result (&result);
  return pve_client_request_finish (client, result, total, error);
}

static JsonNode *
do_request (PveClient   *client,
            const char  *method,
            const char  *path,
            GError     **error)
{
  return do_request_full (client, method, path, NULL, NULL, NULL, error);
}

static PveClient *
new_client (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  PveClient *client = pve_client_new ("127.0.0.1", fixture->port, &error);

  g_assert_no_error (error);
  g_assert_nonnull (client);
  pve_client_set_pinned_fingerprint (client, pve_sim_get_fingerprint (fixture->sim));
  pve_client_set_timeouts (client, 10, 20);
  return client;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->sim = pve_sim_new (3, 12, 7);
  fixture->port = pve_sim_listen (fixture->sim, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->port, >, 0);
  fixture->client = new_client (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  pve_client_disconnect (fixture->client);
  g_assert_finalize_object (fixture->client);
  pve_sim_stop (fixture->sim);
  g_clear_object (&fixture->sim);
}

static void
login_root (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (do_login (fixture->client, "root@pam", PVE_SIM_ROOT_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_true (pve_client_is_connected (fixture->client));
}

/* The first guest of this type on an online node: fills node and vmid. */
static void
find_guest (Fixture    *fixture,
            const char *type,
            const char *status,
            char      **node,
            gint64     *vmid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GPtrArray) resources = NULL;
  gint64 wanted = pve_sim_find_guest (fixture->sim, type, status);

  g_assert_cmpint (wanted, >=, 0);
  data = do_request (fixture->client, "GET", "/cluster/resources", &error);
  g_assert_no_error (error);
  resources = pve_api_parse_resources (data, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < resources->len; i++)
    {
      PveResource *r = g_ptr_array_index (resources, i);
      if (r->vmid == wanted)
        {
          *node = g_strdup (r->node);
          *vmid = wanted;
          return;
        }
    }
  g_assert_not_reached ();
}

static char *
power_path (const char *node,
            const char *type,
            gint64      vmid,
            const char *action)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, vmid);
  return pve_client_build_path ("nodes", node, type, id, "status", action, NULL);
}

/* ---- Login ------------------------------------------------------------------------------------ */

static void
test_login_ok (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) version = NULL;

  g_assert_false (pve_client_is_connected (fixture->client));
  login_root (fixture);
  g_assert_cmpstr (pve_client_get_username (fixture->client), ==, "root@pam");
  g_assert_nonnull (pve_client_get_cap (fixture->client));
  g_assert_true (pve_client_has_cap (fixture->client, "vms", "VM.PowerMgmt"));
  g_assert_false (pve_client_has_cap (fixture->client, "vms", "No.Such.Privilege"));

  version = do_request (fixture->client, "GET", "/version", &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (version));
  g_assert_nonnull (pve_json_get_string (json_node_get_object (version), "version"));
  g_assert_cmpuint (pve_client_get_request_count (fixture->client), ==, 2);
}

static void
test_login_bad_password (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (do_login (fixture->client, "root@pam", "wrong", &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (error->message, "authentication failure"));
  g_assert_false (pve_client_is_connected (fixture->client));
}

static void
test_login_tfa (Fixture       *fixture,
                gconstpointer  user_data)
{
  const char *response = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) no_login = NULL;
  g_autoptr(JsonNode) data = NULL;
  const char * const *methods;

  g_assert_false (do_login (fixture->client, "alice@pve", PVE_SIM_ALICE_PASSWORD, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NEED_TFA);
  g_assert_false (pve_client_is_connected (fixture->client));

  methods = pve_client_get_tfa_methods (fixture->client);
  g_assert_nonnull (methods);
  g_assert_true (g_strv_contains (methods, "totp"));
  g_assert_true (g_strv_contains (methods, "recovery"));

  /* The half ticket is good for nothing else. */
  data = do_request (fixture->client, "GET", "/version", &no_login);
  g_assert_null (data);
  g_assert_error (no_login, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED);

  g_clear_error (&error);
  g_assert_true (do_login_tfa (fixture->client, response, &error));
  g_assert_no_error (error);
  g_assert_true (pve_client_is_connected (fixture->client));
  g_assert_cmpstr (pve_client_get_username (fixture->client), ==, "alice@pve");

  data = do_request (fixture->client, "GET", "/version", &error);
  g_assert_no_error (error);
  g_assert_nonnull (data);
}

static void
test_login_tfa_wrong (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (do_login (fixture->client, "alice@pve", PVE_SIM_ALICE_PASSWORD, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NEED_TFA);
  g_clear_error (&error);
  g_assert_false (do_login_tfa (fixture->client, "totp:000000", &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_AUTH_FAILED);
  g_assert_false (pve_client_is_connected (fixture->client));
}

static void
test_login_token (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(PveClient) other = NULL;

  g_assert_true (do_login_token (fixture->client, PVE_SIM_TOKEN_ID, PVE_SIM_TOKEN_SECRET, &error));
  g_assert_no_error (error);
  g_assert_true (pve_client_is_connected (fixture->client));
  g_assert_nonnull (pve_client_get_server_version (fixture->client));
  g_assert_null (pve_client_get_cap (fixture->client));
  g_assert_true (pve_client_has_cap (fixture->client, "vms", "VM.PowerMgmt"));

  data = do_request (fixture->client, "GET", "/cluster/resources", &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (data));

  other = new_client (fixture);
  g_assert_false (do_login_token (other, PVE_SIM_TOKEN_ID, "00000000-0000-0000-0000-000000000000", &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_AUTH_FAILED);
  g_assert_false (pve_client_is_connected (other));
  g_clear_error (&error);

  g_assert_false (do_login_token (other, "not-a-token", PVE_SIM_TOKEN_SECRET, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_AUTH_FAILED);
  pve_client_disconnect (other);
}

/* ---- Envelope, CSRF, errors ----------------------------------------------------------------- */

static void
test_envelope_once (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) resources = NULL;
  g_autoptr(JsonNode) version = NULL;
  g_autoptr(GPtrArray) parsed = NULL;
  gint64 total = 0;

  login_root (fixture);

  resources = do_request_full (fixture->client, "GET", "/cluster/resources", NULL, NULL, &total, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (resources));
  parsed = pve_api_parse_resources (resources, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parsed->len, >=, pve_sim_get_n_guests (fixture->sim));

  version = do_request (fixture->client, "GET", "/version", &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (version));
  g_assert_false (json_object_has_member (json_node_get_object (version), "data"));
  g_assert_true (json_object_has_member (json_node_get_object (version), "version"));
}

static void
test_csrf (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) upid = NULL;
  g_autoptr(JsonNode) token_upid = NULL;
  g_autoptr(PveClient) token_client = NULL;
  g_autofree char *node = NULL;
  g_autofree char *path = NULL;
  gint64 vmid = -1;
  GPtrArray *requests;
  gboolean saw_get = FALSE, saw_post = FALSE;

  login_root (fixture);
  find_guest (fixture, "qemu", "stopped", &node, &vmid);
  path = power_path (node, "qemu", vmid, "start");

  pve_sim_clear_requests (fixture->sim);
  g_clear_pointer (&upid, json_node_unref);
  upid = do_request (fixture->client, "GET", "/version", &error);
  g_assert_no_error (error);
  g_clear_pointer (&upid, json_node_unref);
  upid = do_request (fixture->client, "POST", path, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (json_node_get_string (upid), "UPID:"));

  requests = pve_sim_get_requests (fixture->sim);
  for (guint i = 0; i < requests->len; i++)
    {
      PveSimRequest *r = g_ptr_array_index (requests, i);

      g_assert_true (r->has_cookie);
      g_assert_false (r->has_token);
      if (g_str_equal (r->method, "GET"))
        {
          g_assert_false (r->has_csrf);
          saw_get = TRUE;
        }
      else
        {
          g_assert_cmpstr (r->method, ==, "POST");
          g_assert_true (r->has_csrf);
          saw_post = TRUE;
        }
    }
  g_assert_true (saw_get);
  g_assert_true (saw_post);

  /* Tokens: no cookie, no CSRF token, ever. */
  token_client = new_client (fixture);
  g_assert_true (do_login_token (token_client, PVE_SIM_TOKEN_ID, PVE_SIM_TOKEN_SECRET, &error));
  pve_sim_clear_requests (fixture->sim);
  g_clear_pointer (&path, g_free);
  path = power_path (node, "qemu", vmid, "stop");
  token_upid = do_request (token_client, "POST", path, &error);
  g_assert_no_error (error);
  requests = pve_sim_get_requests (fixture->sim);
  g_assert_cmpuint (requests->len, ==, 1);
  {
    PveSimRequest *r = g_ptr_array_index (requests, 0);
    g_assert_cmpstr (r->method, ==, "POST");
    g_assert_true (r->has_token);
    g_assert_false (r->has_csrf);
    g_assert_false (r->has_cookie);
  }
  pve_client_disconnect (token_client);
}

static void
test_http_errors (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(PveClient) audit = NULL;
  g_autofree char *node = NULL;
  g_autofree char *path = NULL;
  gint64 vmid = -1;

  login_root (fixture);
  find_guest (fixture, "qemu", "stopped", &node, &vmid);
  path = power_path (node, "qemu", vmid, "start");

  data = do_request (fixture->client, "GET", "/no/such/path", &error);
  g_assert_null (data);
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_IMPLEMENTED);
  g_assert_nonnull (strstr (error->message, "not implemented"));
  g_clear_error (&error);

  pve_sim_set_fault (fixture->sim, "/version", PVE_SIM_FAULT_SERVER_ERROR, 1);
  data = do_request (fixture->client, "GET", "/version", &error);
  g_assert_null (data);
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_SERVER);
  g_clear_error (&error);

  /* 403 is "not allowed", with the server's words; the session stays. */
  audit = new_client (fixture);
  g_assert_true (do_login (audit, "audit@pve", PVE_SIM_AUDIT_PASSWORD, &error));
  g_assert_false (pve_client_has_cap (audit, "vms", "VM.PowerMgmt"));
  data = do_request (audit, "POST", path, &error);
  g_assert_null (data);
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "Permission check failed"));
  g_assert_nonnull (strstr (error->message, "VM.PowerMgmt"));
  g_assert_true (pve_client_is_connected (audit));
  pve_client_disconnect (audit);
}

/* ---- Renewal and re-login --------------------------------------------------------------------- */

typedef struct
{
  PveClient *client;
  guint      in_flight;
  guint      done;
  guint      failures;
  gboolean   stop;
} Stream;

static void stream_issue (Stream *stream);

static void
stream_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Stream *stream = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;

  data = pve_client_request_finish (PVE_CLIENT (source), result, NULL, &error);
  stream->in_flight--;
  stream->done++;
  if (data == NULL)
    {
      g_test_message ("request failed: %s", error->message);
      stream->failures++;
    }
  if (!stream->stop)
    stream_issue (stream);
}

static void
stream_issue (Stream *stream)
{
  stream->in_flight++;
  pve_client_request_async (stream->client, "GET", "/cluster/resources", NULL, NULL,
                            stream_cb, stream);
}

static void
test_renewal (Fixture       *fixture,
              gconstpointer  user_data)
{
  Stream stream = { fixture->client, 0, 0, 0, FALSE };

  pve_sim_set_ticket_lifetime (fixture->sim, 2);
  pve_client_set_renew_after (fixture->client, 1);
  login_root (fixture);

  for (guint i = 0; i < 4; i++)
    stream_issue (&stream);

  /* Longer than two ticket lifetimes: without renewal requests would be refused. */
  {
    gboolean elapsed = FALSE;
    guint id = g_timeout_add_seconds (5, deadline_cb, &elapsed);

    while (!elapsed)
      g_main_context_iteration (NULL, TRUE);
    (void) id;
  }

  stream.stop = TRUE;
  {
    gboolean expired = FALSE;
    guint id = g_timeout_add_seconds (WAIT_LIMIT_SECONDS, deadline_cb, &expired);
    while (stream.in_flight > 0 && !expired)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (expired);
    g_source_remove (id);
  }

  g_test_message ("%u requests, %u renewals", stream.done, pve_client_get_renew_count (fixture->client));
  g_assert_cmpuint (stream.failures, ==, 0);
  g_assert_cmpuint (stream.done, >, 20);
  g_assert_cmpuint (pve_client_get_renew_count (fixture->client), >, 0);
  g_assert_true (pve_client_is_connected (fixture->client));
}

static void
session_lost_cb (PveClient    *client,
                 const GError *error,
                 gpointer      user_data)
{
  guint *count = user_data;

  g_assert_false (pve_client_is_connected (client));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_AUTH_FAILED);
  (*count)++;
}

static void
test_relogin (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  guint lost = 0;
  GPtrArray *requests;
  gboolean relogged = FALSE;

  login_root (fixture);
  g_signal_connect (fixture->client, "session-lost", G_CALLBACK (session_lost_cb), &lost);

  pve_sim_invalidate_tickets (fixture->sim);
  pve_sim_clear_requests (fixture->sim);

  data = do_request (fixture->client, "GET", "/cluster/resources", &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (data));
  g_assert_cmpuint (lost, ==, 0);
  g_assert_true (pve_client_is_connected (fixture->client));

  requests = pve_sim_get_requests (fixture->sim);
  for (guint i = 0; i < requests->len; i++)
    {
      PveSimRequest *r = g_ptr_array_index (requests, i);
      if (g_str_equal (r->path, "/access/ticket"))
        relogged = TRUE;
    }
  g_assert_true (relogged);
  g_assert_cmpuint (requests->len, ==, 3); /* 401, login, retry */
}

static void
test_session_lost (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  guint lost = 0;

  /* A TFA login keeps no password: a refused ticket cannot be replaced unattended. */
  g_assert_false (do_login (fixture->client, "alice@pve", PVE_SIM_ALICE_PASSWORD, &error));
  g_clear_error (&error);
  g_assert_true (do_login_tfa (fixture->client, "totp:" PVE_SIM_ALICE_TOTP, &error));
  g_signal_connect (fixture->client, "session-lost", G_CALLBACK (session_lost_cb), &lost);

  pve_sim_invalidate_tickets (fixture->sim);
  data = do_request (fixture->client, "GET", "/version", &error);
  g_assert_null (data);
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_AUTH_FAILED);
  g_assert_cmpuint (lost, ==, 1);
  g_assert_false (pve_client_is_connected (fixture->client));
}

/* ---- TLS --------------------------------------------------------------------------------------- */

static void
test_tls_untrusted (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  PveCertificateInfo *info;

  pve_client_set_pinned_fingerprint (fixture->client, NULL);
  g_assert_false (do_login (fixture->client, "root@pam", PVE_SIM_ROOT_PASSWORD, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TLS_UNTRUSTED);
  g_assert_nonnull (strstr (error->message, pve_sim_get_fingerprint (fixture->sim)));
  g_assert_false (pve_client_is_connected (fixture->client));

  info = pve_client_get_peer_certificate (fixture->client);
  g_assert_nonnull (info);
  g_assert_cmpstr (info->fingerprint, ==, pve_sim_get_fingerprint (fixture->sim));
  g_assert_nonnull (info->subject);
  g_assert_nonnull (info->issuer);
  g_assert_cmpuint (pve_sim_get_request_count (fixture->sim), ==, 0);
}

static void
test_tls_pinned_probe (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *lower = g_ascii_strdown (pve_sim_get_fingerprint (fixture->sim), -1);
  PveCertificateInfo *info;

  /* Any spelling of the fingerprint pins the same certificate. */
  pve_client_set_pinned_fingerprint (fixture->client, lower);
  g_assert_cmpstr (pve_client_get_pinned_fingerprint (fixture->client), ==,
                   pve_sim_get_fingerprint (fixture->sim));

  pve_client_probe_async (fixture->client, NULL, store_result_cb, &result);
  wait_for_result (&result);
  g_assert_true (pve_client_probe_finish (fixture->client, result, &error));
  g_assert_no_error (error);
  info = pve_client_get_peer_certificate (fixture->client);
  g_assert_nonnull (info);
  g_assert_cmpstr (info->fingerprint, ==, pve_sim_get_fingerprint (fixture->sim));

  login_root (fixture);
}

static void
test_tls_changed (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autofree char *old_fp = g_strdup (pve_sim_get_fingerprint (fixture->sim));
  const char *new_fp;

  login_root (fixture);
  pve_sim_swap_certificate (fixture->sim);
  new_fp = pve_sim_get_fingerprint (fixture->sim);
  g_assert_cmpstr (old_fp, !=, new_fp);
  pve_sim_clear_requests (fixture->sim);

  data = do_request (fixture->client, "GET", "/cluster/resources", &error);
  g_assert_null (data);
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TLS_CHANGED);
  g_assert_nonnull (strstr (error->message, old_fp));
  g_assert_nonnull (strstr (error->message, new_fp));
  g_assert_cmpstr (pve_client_get_peer_certificate (fixture->client)->fingerprint, ==, new_fp);

  /* Nothing, least of all the ticket, went to the server with the new certificate. */
  g_assert_cmpuint (pve_sim_get_request_count (fixture->sim), ==, 0);
}

/* ---- Faults ------------------------------------------------------------------------------------ */

static void
test_timeout (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  gint64 start;

  login_root (fixture);
  pve_client_set_timeouts (fixture->client, 5, 1);
  pve_sim_set_fault (fixture->sim, "/cluster/resources", PVE_SIM_FAULT_HANG, 1);

  start = g_get_monotonic_time ();
  data = do_request (fixture->client, "GET", "/cluster/resources", &error);
  g_assert_null (data);
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "1 second"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

  /* The session survives a timeout. */
  g_clear_pointer (&data, json_node_unref);
  g_clear_error (&error);
  data = do_request (fixture->client, "GET", "/version", &error);
  g_assert_no_error (error);
}

static void
test_malformed (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;

  login_root (fixture);

  pve_sim_set_fault (fixture->sim, "/cluster/resources", PVE_SIM_FAULT_MALFORMED_JSON, 1);
  data = do_request (fixture->client, "GET", "/cluster/resources", &error);
  g_assert_null (data);
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "JSON"));
  g_clear_error (&error);

  pve_sim_set_fault (fixture->sim, "/cluster/resources", PVE_SIM_FAULT_TRUNCATED, 1);
  data = do_request (fixture->client, "GET", "/cluster/resources", &error);
  g_assert_null (data);
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_clear_error (&error);

  pve_sim_set_fault (fixture->sim, "/cluster/resources", PVE_SIM_FAULT_RESET, 1);
  data = do_request (fixture->client, "GET", "/cluster/resources", &error);
  if (data == NULL)
    g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NETWORK);
  g_clear_pointer (&data, json_node_unref);
  g_clear_error (&error);

  /* Still connected: network trouble is reported, the manager decides what to do. */
  g_assert_true (pve_client_is_connected (fixture->client));
  data = do_request (fixture->client, "GET", "/cluster/resources", &error);
  g_assert_no_error (error);
}

static gsize
current_rss (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmRSS:");
  if (line == NULL)
    return 0;
  return (gsize) g_ascii_strtoull (line + 6, NULL, 10) * 1024;
}

static void
test_too_large (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  gsize before, after;

  login_root (fixture);
  pve_sim_set_gzip (fixture->sim, FALSE);
  pve_sim_set_fault_size (fixture->sim, 50 * 1000 * 1000);
  pve_sim_set_fault (fixture->sim, "/cluster/resources", PVE_SIM_FAULT_HUGE, 1);
  pve_client_set_max_response_size (fixture->client, 4 * 1024 * 1024);

  before = current_rss ();
  data = do_request (fixture->client, "GET", "/cluster/resources", &error);
  after = current_rss ();
  g_assert_null (data);
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TOO_LARGE);
  g_test_message ("RSS before %zu, after %zu", before, after);
  g_assert_cmpuint (after, <, before + 48 * 1024 * 1024);
  g_clear_error (&error);

  data = do_request (fixture->client, "GET", "/version", &error);
  g_assert_no_error (error);
}

/* A gzip body that is small on the wire but large once decoded: the limit applies to what is
 * decoded, found while streaming. Big answers under the limit are parsed off the main thread. */
static void
test_large_decoded (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PveSim) sim = pve_sim_new (3, 3000, 11);
  g_autoptr(PveClient) client = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GPtrArray) resources = NULL;
  g_autofree char *decoded = NULL;
  guint port;

  port = pve_sim_listen (sim, 0, &error);
  g_assert_no_error (error);
  client = pve_client_new ("127.0.0.1", port, &error);
  g_assert_no_error (error);
  pve_client_set_pinned_fingerprint (client, pve_sim_get_fingerprint (sim));
  g_assert_true (do_login (client, "root@pam", PVE_SIM_ROOT_PASSWORD, &error));

  /* Far over the 256 KiB threshold: parsed in a worker thread. */
  data = do_request (client, "GET", "/cluster/resources", &error);
  g_assert_no_error (error);
  resources = pve_api_parse_resources (data, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (resources->len, >=, 3000);
  decoded = json_to_string (data, FALSE);
  g_assert_cmpuint (strlen (decoded), >, 256 * 1024);
  g_clear_pointer (&data, json_node_unref);

  /* JSON like this compresses far better than 3:1: the limit is over the size on the wire
   * and under the decoded size, so only the streaming check can catch it. */
  pve_client_set_max_response_size (client, strlen (decoded) / 3);
  data = do_request (client, "GET", "/cluster/resources", &error);
  g_assert_null (data);
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TOO_LARGE);
  g_clear_error (&error);

  data = do_request (client, "GET", "/version", &error);
  g_assert_no_error (error);

  pve_client_disconnect (client);
  pve_sim_stop (sim);
}

/* ---- Disconnect and cancellation --------------------------------------------------------------- */

static void
test_not_connected (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;

  data = do_request (fixture->client, "GET", "/version", &error);
  g_assert_null (data);
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED);
  g_clear_error (&error);

  login_root (fixture);
  pve_client_disconnect (fixture->client);
  g_assert_false (pve_client_is_connected (fixture->client));
  pve_sim_clear_requests (fixture->sim);

  for (guint i = 0; i < 3; i++)
    {
      data = do_request (fixture->client, i == 1 ? "POST" : "GET", "/cluster/resources", &error);
      g_assert_null (data);
      g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED);
      g_assert_cmpstr (error->message, ==, "Remote is not connected");
      g_clear_error (&error);
    }
  g_assert_cmpuint (pve_sim_get_request_count (fixture->sim), ==, 0);

  /* And it can connect again. */
  login_root (fixture);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) data = NULL;
  gboolean expired = FALSE;
  guint seen, id;

  login_root (fixture);
  pve_client_set_timeouts (fixture->client, 10, 30);
  pve_sim_set_fault (fixture->sim, "/cluster/resources", PVE_SIM_FAULT_HANG, 1);
  seen = pve_sim_get_request_count (fixture->sim);

  pve_client_request_async (fixture->client, "GET", "/cluster/resources", NULL, cancellable,
                            store_result_cb, &result);

  /* Cancel once the server has the request. */
  id = g_timeout_add_seconds (WAIT_LIMIT_SECONDS, deadline_cb, &expired);
  while (pve_sim_get_request_count (fixture->sim) == seen && result == NULL && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (id);
  g_cancellable_cancel (cancellable);

  wait_for_result (&result);
  data = pve_client_request_finish (fixture->client, result, NULL, &error);
  g_assert_null (data);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* Cancelling one request does not hurt the session. */
  data = do_request (fixture->client, "GET", "/version", &error);
  g_assert_no_error (error);
}

static void
test_disconnect_in_flight (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) data = NULL;

  login_root (fixture);
  pve_sim_set_fault (fixture->sim, "/cluster/resources", PVE_SIM_FAULT_HANG, 1);
  pve_client_request_async (fixture->client, "GET", "/cluster/resources", NULL, NULL,
                            store_result_cb, &result);
  pve_client_disconnect (fixture->client);
  wait_for_result (&result);
  data = pve_client_request_finish (fixture->client, result, NULL, &error);
  g_assert_null (data);
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED);
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_strdup_printf ("127.0.0.1:%u", fixture->port);

  pve_sim_stop (fixture->sim);
  g_assert_false (do_login (fixture->client, "root@pam", PVE_SIM_ROOT_PASSWORD, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, expected));
  g_test_message ("%s", error->message);
}

/* ---- No secret in the logs ---------------------------------------------------------------- */

static GPtrArray *captured_logs;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  if (captured_logs != NULL)
    {
      g_autofree char *line = g_log_writer_format_fields (log_level, fields, n_fields, FALSE);
      g_ptr_array_add (captured_logs, g_steal_pointer (&line));
    }
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
test_no_secrets_logged (Fixture       *fixture,
                        gconstpointer  user_data)
{
  static const char * const secrets[] = {
    PVE_SIM_ROOT_PASSWORD, PVE_SIM_TOKEN_SECRET, PVE_SIM_ALICE_TOTP, "PVE:", "PVEAuthCookie",
    "CSRFPreventionToken", "PVEAPIToken",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(PveClient) token_client = NULL;
  g_autoptr(PveClient) tfa_client = NULL;
  g_autofree char *node = NULL;
  g_autofree char *path = NULL;
  gint64 vmid;

  captured_logs = g_ptr_array_new_with_free_func (g_free);

  pve_sim_set_ticket_lifetime (fixture->sim, 2);
  pve_client_set_renew_after (fixture->client, 1);
  login_root (fixture);
  find_guest (fixture, "qemu", "stopped", &node, &vmid);
  path = power_path (node, "qemu", vmid, "start");
  data = do_request (fixture->client, "POST", path, &error);
  g_assert_no_error (error);

  /* A renewal and a re-login happen too. */
  {
    gint64 renewals = pve_client_get_renew_count (fixture->client);
    gboolean expired = FALSE;
    guint id = g_timeout_add_seconds (WAIT_LIMIT_SECONDS, deadline_cb, &expired);

    while (pve_client_get_renew_count (fixture->client) == renewals && !expired)
      {
        g_autoptr(JsonNode) v = do_request (fixture->client, "GET", "/version", &error);
        g_assert_no_error (error);
      }
    g_assert_false (expired);
    g_source_remove (id);
  }
  pve_sim_invalidate_tickets (fixture->sim);
  g_clear_pointer (&data, json_node_unref);
  data = do_request (fixture->client, "GET", "/version", &error);
  g_assert_no_error (error);

  token_client = new_client (fixture);
  g_assert_true (do_login_token (token_client, PVE_SIM_TOKEN_ID, PVE_SIM_TOKEN_SECRET, &error));
  tfa_client = new_client (fixture);
  g_assert_false (do_login (tfa_client, "alice@pve", PVE_SIM_ALICE_PASSWORD, &error));
  g_clear_error (&error);
  g_assert_true (do_login_tfa (tfa_client, "totp:" PVE_SIM_ALICE_TOTP, &error));

  g_assert_cmpuint (captured_logs->len, >, 0);
  for (guint i = 0; i < captured_logs->len; i++)
    for (guint j = 0; j < G_N_ELEMENTS (secrets); j++)
      if (strstr (g_ptr_array_index (captured_logs, i), secrets[j]) != NULL)
        g_error ("A log line reveals a secret (%u): %s", j, (char *) g_ptr_array_index (captured_logs, i));

  pve_client_disconnect (token_client);
  pve_client_disconnect (tfa_client);
  g_clear_pointer (&captured_logs, g_ptr_array_unref);
}

/* ---- Without a server -------------------------------------------------------------------------- */

static void
test_validate_host (void)
{
  static const char * const good[] = {
    "pve1", "pve1.example.com", "10.0.0.1", "::1", "[fe80::1]", "PVE-1.Example.COM", "pve1.example.com.",
  };
  static const char * const bad[] = {
    "https://x", "x/y", "x:8006", "a b", "root@x", "", "-x", "x..y", "x-", ".x", "[x]", "[::1",
    "300.1.2.3", "x_y", "1.2.3.4:8006", "[::1]:8006", "\tx",
  };
  g_autofree char *too_long = g_strnfill (300, 'a');
  g_autofree char *long_label = g_strnfill (64, 'a');

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      if (!pve_client_validate_host (good[i], &error))
        g_error ("“%s” was refused: %s", good[i], error->message);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PveClient) client = NULL;

      if (pve_client_validate_host (bad[i], &error))
        g_error ("“%s” was accepted", bad[i]);
      g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_INVALID_HOST);
      g_assert_cmpstr (error->message, !=, "");
      g_clear_error (&error);
      client = pve_client_new (bad[i], 0, &error);
      g_assert_null (client);
      g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_INVALID_HOST);
    }

  /* The message says what to change. */
  {
    struct { const char *host; const char *hint; } hints[] = {
      { "https://pve1", "https://" }, { "pve1:8006", "port" }, { "[::1]:8006", "port" },
      { "pve1/x", "path" }, { "root@pve1", "user name" }, { "pve 1", "spaces" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (hints); i++)
      {
        g_autoptr(GError) error = NULL;

        g_assert_false (pve_client_validate_host (hints[i].host, &error));
        if (strstr (error->message, hints[i].hint) == NULL)
          g_error ("“%s”: “%s” does not mention %s", hints[i].host, error->message, hints[i].hint);
      }
  }

  g_assert_false (pve_client_validate_host (NULL, NULL));
  g_assert_false (pve_client_validate_host (too_long, NULL));
  g_assert_false (pve_client_validate_host (long_label, NULL));
}

static void
test_base_url (void)
{
  struct {
    const char *host;
    guint port;
    const char *url;
  } cases[] = {
    { "pve1", 0, "https://pve1:8006/api2/json" },
    { "pve1.example.com", 443, "https://pve1.example.com:443/api2/json" },
    { "10.0.0.1", 8006, "https://10.0.0.1:8006/api2/json" },
    { "::1", 0, "https://[::1]:8006/api2/json" },
    { "[fe80::1]", 0, "https://[fe80::1]:8006/api2/json" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PveClient) client = pve_client_new (cases[i].host, cases[i].port, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (pve_client_get_base_url (client), ==, cases[i].url);
      g_assert_cmpuint (pve_client_get_port (client), ==, cases[i].port ? cases[i].port : 8006);
    }
}

static void
test_build_path (void)
{
  g_autofree char *a = pve_client_build_path ("nodes", "pve1", "tasks",
                                              "UPID:pve1:00001234:00ABCDEF:65000000:qmstart:100:root@pam:",
                                              "status", NULL);
  g_autofree char *b = pve_client_build_path ("cluster", "resources", NULL);
  g_autofree char *c = pve_client_build_path ("a b", "x/y", "ü?#&=", NULL);

  g_assert_cmpstr (a, ==, "/nodes/pve1/tasks/UPID%3Apve1%3A00001234%3A00ABCDEF%3A65000000%3Aqmstart%3A100%3Aroot%40pam%3A/status");
  g_assert_cmpstr (b, ==, "/cluster/resources");
  g_assert_cmpstr (c, ==, "/a%20b/x%2Fy/%C3%BC%3F%23%26%3D");
}

static void
test_fingerprint_normalize (void)
{
  const char *canonical = "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:"
                          "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99";
  g_autofree char *a = pve_fingerprint_normalize ("aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899");
  g_autofree char *b = pve_fingerprint_normalize ("aa bb cc dd ee ff 00 11 22 33 44 55 66 77 88 99 "
                                                  "aa bb cc dd ee ff 00 11 22 33 44 55 66 77 88 99");
  g_autofree char *c = pve_fingerprint_normalize (canonical);
  g_autofree char *d = pve_fingerprint_normalize ("AA:BB");
  g_autofree char *e = pve_fingerprint_normalize ("zz");
  g_autofree char *f = pve_fingerprint_normalize ("A:AB:BC:CD:DE:EF:F0:01:12:23:34:45:56:67:78:89:9"
                                                  "A:AB:BC:CD:DE:EF:F0:01:12:23:34:45:56:67:78:89:9");

  g_assert_cmpstr (a, ==, canonical);
  g_assert_cmpstr (b, ==, canonical);
  g_assert_cmpstr (c, ==, canonical);
  g_assert_null (d);
  g_assert_null (e);
  g_assert_null (f);
  g_assert_null (pve_fingerprint_normalize (NULL));
}

static void
add_sim_test (const char             *path,
              gconstpointer           data,
              void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down);
}

/* A request whose body is read by the caller's parser: big answers in a worker thread, small
 * ones at once; the parser's error and the server's errors both reach the caller. */
static GThread *parser_thread;

static gpointer
count_guests_parser (const char  *body,
                     gsize        length,
                     GError     **error)
{
  GPtrArray *resources = pve_api_parse_resources_body (body, length, error);

  parser_thread = g_thread_self ();
  return resources;
}

static gpointer
refusing_parser (const char  *body,
                 gsize        length,
                 GError     **error)
{
  g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE, "not what was wanted");
  return NULL;
}

static gpointer
do_parsed_request (PveClient     *client,
                   const char    *path,
                   PveBodyParser  parser,
                   GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pve_client_request_parsed_async (client, "GET", path, NULL, parser,
                                   (GDestroyNotify) g_ptr_array_unref, NULL, store_result_cb,
                                   &result);
  wait_for_result (&result);
  return pve_client_request_parsed_finish (client, result, error);
}

static void
test_parsed_request (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PveSim) sim = pve_sim_new (3, 3000, 11);
  g_autoptr(PveClient) client = NULL;
  g_autoptr(GPtrArray) big = NULL;
  g_autoptr(GPtrArray) small = NULL;
  guint port;

  port = pve_sim_listen (sim, 0, &error);
  g_assert_no_error (error);
  client = pve_client_new ("127.0.0.1", port, &error);
  g_assert_no_error (error);
  pve_client_set_pinned_fingerprint (client, pve_sim_get_fingerprint (sim));
  g_assert_true (do_login (client, "root@pam", PVE_SIM_ROOT_PASSWORD, &error));

  /* 3,000 guests: read off the main thread. */
  parser_thread = NULL;
  big = do_parsed_request (client, "/cluster/resources", count_guests_parser, &error);
  g_assert_no_error (error);
  g_assert_nonnull (big);
  g_assert_cmpuint (big->len, >=, 3000);
  g_assert_nonnull (parser_thread);
  g_assert_true (parser_thread != g_thread_self ());

  /* A small answer: read at once, here. */
  parser_thread = NULL;
  small = do_parsed_request (client, "/cluster/resources?type=node", count_guests_parser, &error);
  g_assert_no_error (error);
  g_assert_nonnull (small);
  g_assert_true (parser_thread == g_thread_self ());

  /* The parser says no. */
  g_assert_null (do_parsed_request (client, "/version", refusing_parser, &error));
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
  g_clear_error (&error);

  /* The server says no before any parsing. */
  g_assert_null (do_parsed_request (client, "/nodes/no-such-node/qemu", count_guests_parser, &error));
  g_assert_nonnull (error);
  g_assert_false (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE));
}

static GTlsCertificate *
load_sim_certificate (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "sim", name, NULL);
  g_autofree char *pem = NULL;
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate;

  g_assert_true (g_file_get_contents (path, &pem, NULL, &error));
  certificate = g_tls_certificate_new_from_pem (pem, -1, &error);
  g_assert_no_error (error);
  return certificate;
}

static GTlsCertificateFlags
verify_server (GTlsDatabase    *database,
               GTlsCertificate *certificate,
               const char      *purpose)
{
  g_autoptr(GSocketConnectable) identity = g_network_address_new ("pve1.sim.example", 8006);

  return g_tls_database_verify_chain (database, certificate, purpose, identity, NULL,
                                      G_TLS_DATABASE_VERIFY_NONE, NULL, NULL);
}

/* A client's database trusts the certificate whose fingerprint is its pin, for a server only,
 * and leaves anything else to the system store (which knows neither of the simulator's). */
static void
test_pinned_database (void)
{
  g_autoptr(GTlsCertificate) a = load_sim_certificate ("cert-a.pem");
  g_autoptr(GTlsCertificate) b = load_sim_certificate ("cert-b.pem");
  g_autoptr(GTlsDatabase) database = pve_pinned_tls_database_new ();
  g_autofree char *pin_a = pve_certificate_fingerprint (a);
  const char *server = G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER;

  pve_tls_database_ensure ();
  g_assert_cmpint (verify_server (database, a, server), !=, 0);
  g_assert_cmpint (verify_server (database, b, server), !=, 0);

  pve_pinned_tls_database_set_pin (PVE_PINNED_TLS_DATABASE (database), pin_a);
  g_assert_cmpint (verify_server (database, a, server), ==, 0);
  g_assert_cmpint (verify_server (database, b, server), !=, 0);
  g_assert_cmpint (verify_server (database, a, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_CLIENT), !=, 0);

  pve_pinned_tls_database_set_pin (PVE_PINNED_TLS_DATABASE (database), NULL);
  g_assert_cmpint (verify_server (database, a, server), !=, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_add_func ("/pve/client/validate-host", test_validate_host);
  g_test_add_func ("/pve/client/base-url", test_base_url);
  g_test_add_func ("/pve/client/build-path", test_build_path);
  g_test_add_func ("/pve/client/fingerprint-normalize", test_fingerprint_normalize);
  g_test_add_func ("/pve/client/pinned-database", test_pinned_database);

  add_sim_test ("/pve/client/login/ok", NULL, test_login_ok);
  add_sim_test ("/pve/client/login/bad-password", NULL, test_login_bad_password);
  add_sim_test ("/pve/client/login/tfa-totp", "totp:" PVE_SIM_ALICE_TOTP, test_login_tfa);
  add_sim_test ("/pve/client/login/tfa-recovery", "recovery:" PVE_SIM_ALICE_RECOVERY, test_login_tfa);
  add_sim_test ("/pve/client/login/tfa-wrong", NULL, test_login_tfa_wrong);
  add_sim_test ("/pve/client/login/token", NULL, test_login_token);
  add_sim_test ("/pve/client/envelope-once", NULL, test_envelope_once);
  add_sim_test ("/pve/client/csrf", NULL, test_csrf);
  add_sim_test ("/pve/client/http-errors", NULL, test_http_errors);
  add_sim_test ("/pve/client/renewal", NULL, test_renewal);
  add_sim_test ("/pve/client/relogin", NULL, test_relogin);
  add_sim_test ("/pve/client/session-lost", NULL, test_session_lost);
  add_sim_test ("/pve/client/tls/untrusted", NULL, test_tls_untrusted);
  add_sim_test ("/pve/client/tls/pinned", NULL, test_tls_pinned_probe);
  add_sim_test ("/pve/client/tls/changed", NULL, test_tls_changed);
  add_sim_test ("/pve/client/fault/timeout", NULL, test_timeout);
  add_sim_test ("/pve/client/fault/malformed", NULL, test_malformed);
  add_sim_test ("/pve/client/fault/too-large", NULL, test_too_large);
  add_sim_test ("/pve/client/fault/refused", NULL, test_refused);
  g_test_add_func ("/pve/client/fault/too-large-decoded", test_large_decoded);
  g_test_add_func ("/pve/client/parsed-request", test_parsed_request);
  add_sim_test ("/pve/client/not-connected", NULL, test_not_connected);
  add_sim_test ("/pve/client/cancel", NULL, test_cancel);
  add_sim_test ("/pve/client/disconnect-in-flight", NULL, test_disconnect_in_flight);
  add_sim_test ("/pve/client/no-secrets-logged", NULL, test_no_secrets_logged);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The simulator itself, over real HTTPS with a plain SoupSession: it must behave the way
 * reference/pve-api-notes.md says, or every other test proves nothing.
 */
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pve-sim.h"

#define REQUEST_TIMEOUT_S 30

typedef struct
{
  PveSim      *sim;
  SoupSession *session;
  guint        port;
  guint        n_handshakes;   /* certificate checks: one per new TLS connection */
} Fixture;

typedef struct
{
  guint               status;
  char               *reason;
  GBytes             *body;
  GError             *error;
  SoupMessageHeaders *headers;
  JsonNode           *root;
  gint64              elapsed_ms;
} Reply;

static void
reply_free (Reply *reply)
{
  g_free (reply->reason);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_error (&reply->error);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_pointer (&reply->root, json_node_unref);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

/* Pins the simulator's current certificate by its SHA-256 fingerprint: never accept blindly. */
static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  Fixture *f = user_data;
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *hex = NULL;
  g_autoptr(GString) fingerprint = g_string_new (NULL);

  f->n_handshakes++;
  g_object_get (certificate, "certificate", &der, NULL);
  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  for (guint i = 0; hex[i]; i += 2)
    g_string_append_printf (fingerprint, "%s%c%c", i ? ":" : "",
                            g_ascii_toupper (hex[i]), g_ascii_toupper (hex[i + 1]));
  return g_str_equal (fingerprint->str, pve_sim_get_fingerprint (f->sim));
}

static void
fixture_setup_full (Fixture *f,
                    guint    n_nodes,
                    guint    n_guests)
{
  g_autoptr(GError) error = NULL;

  f->sim = pve_sim_new (n_nodes, n_guests, 42);
  pve_sim_set_task_duration_ms (f->sim, 100);
  f->port = pve_sim_listen (f->sim, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->port, >, 0);
  f->session = soup_session_new_with_options ("timeout", REQUEST_TIMEOUT_S, NULL);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  fixture_setup_full (f, 0, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  soup_session_abort (f->session);
  g_clear_object (&f->session);
  pve_sim_stop (f->sim);
  g_assert_finalize_object (f->sim);
}

static void
send_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Reply *reply = user_data;

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &reply->error);
  if (reply->body == NULL && reply->error == NULL)
    reply->body = g_bytes_new (NULL, 0);
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main context until the condition holds or timeout_ms passes. A ticker wakes
 * the loop every 50 ms for conditions that poll the server rather than wait for an event. */
static gboolean
wait_until (gboolean (*condition) (gpointer),
            gpointer   data,
            guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);
  guint tick = g_timeout_add (50, tick_cb, NULL);
  gboolean done;

  while (!(done = condition (data)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_source_remove (tick);
  return done;
}

static gboolean
reply_done (gpointer data)
{
  Reply *reply = data;

  return reply->body != NULL || reply->error != NULL;
}

static Reply *
send_message (Fixture     *f,
              SoupMessage *msg)
{
  Reply *reply = g_new0 (Reply, 1);
  gint64 start = g_get_monotonic_time ();
  gsize len;
  const char *data;

  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), f);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, send_done_cb, reply);
  g_assert_true (wait_until (reply_done, reply, (REQUEST_TIMEOUT_S + 5) * 1000));
  reply->elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  reply->status = soup_message_get_status (msg);
  reply->reason = g_strdup (soup_message_get_reason_phrase (msg));
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (reply->body)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      data = g_bytes_get_data (reply->body, &len);
      if (len > 0 && json_parser_load_from_data (parser, data, len, NULL))
        reply->root = json_node_ref (json_parser_get_root (parser));
    }
  return reply;
}

typedef struct
{
  const char *ticket;
  const char *csrf;
  const char *token;    /* full header value after "PVEAPIToken=" */
} Auth;

static Reply *
request (Fixture    *f,
         const char *method,
         const char *path,
         const Auth *auth,
         const char *form)
{
  g_autofree char *uri = g_strdup_printf ("https://127.0.0.1:%u/api2/json%s", f->port, path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  SoupMessageHeaders *headers;

  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  if (auth && auth->ticket)
    {
      g_autofree char *cookie = g_strdup_printf ("PVEAuthCookie=%s", auth->ticket);

      soup_message_headers_append (headers, "Cookie", cookie);
    }
  if (auth && auth->csrf)
    soup_message_headers_append (headers, "CSRFPreventionToken", auth->csrf);
  if (auth && auth->token)
    {
      g_autofree char *value = g_strdup_printf ("PVEAPIToken=%s", auth->token);

      soup_message_headers_append (headers, "Authorization", value);
    }
  if (form)
    {
      g_autoptr(GBytes) body = g_bytes_new (form, strlen (form));

      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
    }
  return send_message (f, msg);
}

static JsonObject *
data_object (Reply *reply)
{
  g_assert_nonnull (reply->root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->root));
  g_assert_true (json_object_has_member (json_node_get_object (reply->root), "data"));
  return json_object_get_object_member (json_node_get_object (reply->root), "data");
}

static JsonArray *
data_array (Reply *reply)
{
  g_assert_nonnull (reply->root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->root));
  return json_object_get_array_member (json_node_get_object (reply->root), "data");
}

static const char *
data_string (Reply *reply)
{
  g_assert_nonnull (reply->root);
  return json_object_get_string_member (json_node_get_object (reply->root), "data");
}

typedef struct
{
  char *ticket;
  char *csrf;
} Login;

static void
login_clear (Login *login)
{
  g_clear_pointer (&login->ticket, g_free);
  g_clear_pointer (&login->csrf, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Login, login_clear)

static void
login_root (Fixture *f,
            Login   *login)
{
  g_autoptr(Reply) reply = request (f, "POST", "/access/ticket", NULL,
                                    "username=root%40pam&password=" PVE_SIM_ROOT_PASSWORD);
  JsonObject *data;

  g_assert_cmpuint (reply->status, ==, 200);
  data = data_object (reply);
  login->ticket = g_strdup (json_object_get_string_member (data, "ticket"));
  login->csrf = g_strdup (json_object_get_string_member (data, "CSRFPreventionToken"));
}

static void
assert_empty_401 (Reply      *reply,
                  const char *reason)
{
  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, 401);
  g_assert_cmpstr (reply->reason, ==, reason);
  g_assert_cmpuint (g_bytes_get_size (reply->body), ==, 0);
  g_assert_true (soup_message_headers_header_contains (reply->headers, "Connection", "close"));
}

/* ---------------------------------------------------------------------------------------- */

static void
test_login_ok (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(Reply) reply = request (f, "POST", "/access/ticket", NULL,
                                    "username=root%40pam&password=" PVE_SIM_ROOT_PASSWORD "&new-format=1");
  g_autoptr(Reply) realm = NULL;
  g_autoptr(Reply) json = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *uri = NULL;
  JsonObject *obj, *cap;
  const char *ticket, *csrf;

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Server"), ==, "pve-api-daemon/3.0");
  g_assert_cmpstr (soup_message_headers_get_content_type (reply->headers, NULL), ==, "application/json");
  obj = data_object (reply);
  g_assert_cmpstr (json_object_get_string_member (obj, "username"), ==, "root@pam");
  ticket = json_object_get_string_member (obj, "ticket");
  csrf = json_object_get_string_member (obj, "CSRFPreventionToken");
  g_assert_true (g_str_has_prefix (ticket, "PVE:root@pam:"));
  g_assert_true (g_regex_match_simple ("^PVE:root@pam:[0-9A-F]{8}::[A-Za-z0-9+/=]+$", ticket, 0, 0));
  g_assert_true (g_regex_match_simple ("^[0-9A-F]{8}:[A-Za-z0-9+/]{43}$", csrf, 0, 0));
  g_assert_cmpstr (json_object_get_string_member (obj, "clustername"), ==, "sim-cluster");
  cap = json_object_get_object_member (obj, "cap");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (cap, "vms"), "VM.PowerMgmt"), ==, 1);
  g_assert_cmpuint (pve_sim_get_login_count (f->sim), ==, 1);

  realm = request (f, "POST", "/access/ticket", NULL,
                   "username=audit&realm=pve&password=" PVE_SIM_AUDIT_PASSWORD);
  g_assert_cmpuint (realm->status, ==, 200);
  obj = data_object (realm);
  g_assert_cmpstr (json_object_get_string_member (obj, "username"), ==, "audit@pve");
  cap = json_object_get_object_member (obj, "cap");
  g_assert_false (json_object_has_member (json_object_get_object_member (cap, "vms"), "VM.PowerMgmt"));

  uri = g_strdup_printf ("https://127.0.0.1:%u/api2/json/access/ticket", f->port);
  msg = soup_message_new ("POST", uri);
  body = g_bytes_new_static ("{\"username\":\"root@pam\",\"password\":\"" PVE_SIM_ROOT_PASSWORD "\"}",
                             strlen ("{\"username\":\"root@pam\",\"password\":\"" PVE_SIM_ROOT_PASSWORD "\"}"));
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  json = send_message (f, msg);
  g_assert_cmpuint (json->status, ==, 200);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (data_object (json), "ticket"), "PVE:root@pam:"));
  g_assert_cmpuint (pve_sim_get_login_count (f->sim), ==, 3);
}

static void
test_login_bad (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Reply) unknown = NULL;
  JsonObject *root;

  pve_sim_set_auth_failure_delay_ms (f->sim, 300);
  reply = request (f, "POST", "/access/ticket", NULL, "username=root%40pam&password=wrong");
  g_assert_cmpuint (reply->status, ==, 401);
  g_assert_cmpstr (reply->reason, ==, "authentication failure");
  g_assert_cmpint (reply->elapsed_ms, >=, 300);
  g_assert_true (soup_message_headers_header_contains (reply->headers, "Connection", "close"));
  root = json_node_get_object (reply->root);
  g_assert_true (json_object_get_null_member (root, "data"));
  g_assert_cmpstr (json_object_get_string_member (root, "message"), ==, "authentication failure\n");

  unknown = request (f, "POST", "/access/ticket", NULL, "username=nobody%40pve&password=x");
  g_assert_cmpuint (unknown->status, ==, 401);
  g_assert_cmpuint (pve_sim_get_login_count (f->sim), ==, 0);
}

static void
test_no_ticket (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Reply) version = request (f, "GET", "/version", NULL, NULL);
  g_autoptr(Reply) unknown = request (f, "GET", "/foo", NULL, NULL);
  Auth bogus = { .ticket = "PVE:root@pam:6B0C3291::Zm9v" };
  g_autoptr(Reply) forged = request (f, "GET", "/version", &bogus, NULL);

  assert_empty_401 (version, "No ticket");
  assert_empty_401 (unknown, "No ticket");
  assert_empty_401 (forged, "Authentication failed!");
}

static void
test_not_implemented (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(Login) login = { 0 };
  Auth auth;
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Reply) method = NULL;

  login_root (f, &login);
  auth = (Auth) { .ticket = login.ticket, .csrf = login.csrf };
  reply = request (f, "GET", "/foo", &auth, NULL);
  g_assert_cmpuint (reply->status, ==, 501);
  g_assert_cmpstr (reply->reason, ==, "Method 'GET /foo' not implemented");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (reply->root), "message"), ==,
                   "Method 'GET /foo' not implemented\n");
  g_assert_true (soup_message_headers_header_contains (reply->headers, "Connection", "close"));

  method = request (f, "DELETE", "/version", &auth, NULL);
  g_assert_cmpuint (method->status, ==, 501);
}

static void
test_csrf (Fixture       *f,
           gconstpointer  data)
{
  g_auto(Login) login = { 0 };
  gint64 vmid = pve_sim_find_guest (f->sim, "qemu", "stopped");
  g_autofree char *path = NULL;
  g_autoptr(Reply) without = NULL;
  g_autoptr(Reply) wrong = NULL;
  g_autoptr(Reply) with = NULL;
  Auth no_csrf, bad_csrf, good;
  PveSimRequest *last;
  GPtrArray *requests;

  g_assert_cmpint (vmid, >, 0);
  login_root (f, &login);
  path = g_strdup_printf ("/nodes/pve%d/qemu/%" G_GINT64_FORMAT "/status/start", (int) ((vmid - 100) % 2) + 1, vmid);

  no_csrf = (Auth) { .ticket = login.ticket };
  without = request (f, "POST", path, &no_csrf, NULL);
  assert_empty_401 (without, "Permission denied - invalid csrf token");

  bad_csrf = (Auth) { .ticket = login.ticket, .csrf = "6B0C3291:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" };
  wrong = request (f, "POST", path, &bad_csrf, NULL);
  assert_empty_401 (wrong, "Permission denied - invalid csrf token");

  good = (Auth) { .ticket = login.ticket, .csrf = login.csrf };
  with = request (f, "POST", path, &good, NULL);
  g_assert_cmpuint (with->status, ==, 200);
  g_assert_true (g_str_has_prefix (data_string (with), "UPID:"));

  requests = pve_sim_get_requests (f->sim);
  last = g_ptr_array_index (requests, requests->len - 1);
  g_assert_cmpstr (last->method, ==, "POST");
  g_assert_cmpstr (last->path, ==, path);
  g_assert_true (last->has_cookie);
  g_assert_true (last->has_csrf);
  g_assert_false (last->has_token);
  g_assert_cmpuint (last->status, ==, 200);
  g_assert_cmpuint (last->port, ==, f->port);
  last = g_ptr_array_index (requests, requests->len - 3);
  g_assert_false (last->has_csrf);
  g_assert_cmpuint (last->status, ==, 401);
  g_assert_cmpuint (pve_sim_get_request_count (f->sim), ==, requests->len);
}

static void
test_token (Fixture       *f,
            gconstpointer  data)
{
  Auth token = { .token = PVE_SIM_TOKEN_ID "=" PVE_SIM_TOKEN_SECRET };
  Auth colon = { .token = PVE_SIM_TOKEN_ID ":" PVE_SIM_TOKEN_SECRET };
  Auth bad = { .token = PVE_SIM_TOKEN_ID "=00000000-2222-3333-4444-555555555555" };
  Auth ro = { .token = PVE_SIM_RO_TOKEN_ID "=" PVE_SIM_RO_TOKEN_SECRET };
  gint64 vmid = pve_sim_find_guest (f->sim, "qemu", "stopped");
  g_autofree char *path = g_strdup_printf ("/nodes/pve%d/qemu/%" G_GINT64_FORMAT "/status/start",
                                           (int) ((vmid - 100) % 2) + 1, vmid);
  g_autofree char *denied = g_strdup_printf ("Permission check failed (/vms/%" G_GINT64_FORMAT ", VM.PowerMgmt)", vmid);
  g_autoptr(Reply) ok = request (f, "GET", "/version", &token, NULL);
  g_autoptr(Reply) ok_colon = request (f, "GET", "/version", &colon, NULL);
  g_autoptr(Reply) refused = request (f, "GET", "/version", &bad, NULL);
  g_autoptr(Reply) ticket = request (f, "POST", "/access/ticket", &token,
                                     "username=root%40pam&password=" PVE_SIM_ROOT_PASSWORD);
  g_autoptr(Reply) ro_read = request (f, "GET", "/cluster/resources", &ro, NULL);
  g_autoptr(Reply) ro_power = request (f, "POST", path, &ro, NULL);
  g_autoptr(Reply) power = request (f, "POST", path, &token, NULL);
  g_autoptr(Reply) task = NULL;
  g_autofree char *task_path = NULL;
  g_autofree char *escaped = NULL;
  PveSimRequest *last;
  GPtrArray *requests;

  g_assert_cmpuint (ok->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (data_object (ok), "version"), ==, "9.1.2");
  g_assert_cmpuint (ok_colon->status, ==, 200);
  assert_empty_401 (refused, "Authentication failed!");
  g_assert_cmpuint (ticket->status, ==, 403);
  g_assert_cmpuint (ro_read->status, ==, 200);
  g_assert_cmpuint (ro_power->status, ==, 403);
  g_assert_cmpstr (ro_power->reason, ==, denied);
  /* API tokens need no CSRF token */
  g_assert_cmpuint (power->status, ==, 200);
  g_assert_true (g_str_has_suffix (data_string (power), ":root@pam!ci:"));

  escaped = g_uri_escape_string (data_string (power), NULL, FALSE);
  task_path = g_strdup_printf ("/nodes/pve%d/tasks/%s/status", (int) ((vmid - 100) % 2) + 1, escaped);
  task = request (f, "GET", task_path, &token, NULL);
  g_assert_cmpuint (task->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (data_object (task), "tokenid"), ==, "ci");
  g_assert_cmpstr (json_object_get_string_member (data_object (task), "user"), ==, "root@pam");

  requests = pve_sim_get_requests (f->sim);
  last = g_ptr_array_index (requests, requests->len - 1);
  g_assert_true (last->has_token);
  g_assert_false (last->has_cookie);
}

static void
test_tfa (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(Reply) first = request (f, "POST", "/access/ticket", NULL,
                                    "username=alice%40pve&password=" PVE_SIM_ALICE_PASSWORD);
  g_autofree char *half = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *form = NULL;
  g_autofree char *wrong_form = NULL;
  g_autofree char *recovery_form = NULL;
  g_autoptr(Reply) use_half = NULL;
  g_autoptr(Reply) wrong = NULL;
  g_autoptr(Reply) second = NULL;
  g_autoptr(Reply) again = NULL;
  g_autoptr(Reply) recovery = NULL;
  g_autoptr(Reply) recovery_again = NULL;
  Auth half_auth;
  JsonObject *obj;

  g_assert_cmpuint (first->status, ==, 200);
  obj = data_object (first);
  g_assert_cmpint (json_object_get_int_member (obj, "NeedTFA"), ==, 1);
  half = g_strdup (json_object_get_string_member (obj, "ticket"));
  g_assert_true (g_str_has_prefix (half, "PVE:!tfa!{\"totp\"%3Atrue,\"recovery\"%3A["));
  g_assert_false (json_object_has_member (obj, "cap"));
  g_assert_cmpuint (pve_sim_get_login_count (f->sim), ==, 0);

  half_auth = (Auth) { .ticket = half };
  use_half = request (f, "GET", "/version", &half_auth, NULL);
  assert_empty_401 (use_half, "Authentication failed!");

  escaped = g_uri_escape_string (half, NULL, FALSE);
  wrong_form = g_strdup_printf ("username=alice%%40pve&tfa-challenge=%s&password=totp%%3A000000", escaped);
  wrong = request (f, "POST", "/access/ticket", NULL, wrong_form);
  g_assert_cmpuint (wrong->status, ==, 401);

  form = g_strdup_printf ("username=alice%%40pve&tfa-challenge=%s&password=totp%%3A" PVE_SIM_ALICE_TOTP, escaped);
  second = request (f, "POST", "/access/ticket", NULL, form);
  g_assert_cmpuint (second->status, ==, 200);
  obj = data_object (second);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (obj, "ticket"), "PVE:alice@pve:"));
  g_assert_false (json_object_has_member (obj, "NeedTFA"));
  g_assert_cmpuint (pve_sim_get_login_count (f->sim), ==, 1);

  /* the recovery code works once */
  again = request (f, "POST", "/access/ticket", NULL,
                   "username=alice%40pve&password=" PVE_SIM_ALICE_PASSWORD);
  g_clear_pointer (&escaped, g_free);
  escaped = g_uri_escape_string (json_object_get_string_member (data_object (again), "ticket"), NULL, FALSE);
  recovery_form = g_strdup_printf ("username=alice%%40pve&tfa-challenge=%s&password=recovery%%3A"
                                   PVE_SIM_ALICE_RECOVERY, escaped);
  recovery = request (f, "POST", "/access/ticket", NULL, recovery_form);
  g_assert_cmpuint (recovery->status, ==, 200);
  g_clear_pointer (&again, reply_free);
  again = request (f, "POST", "/access/ticket", NULL,
                   "username=alice%40pve&password=" PVE_SIM_ALICE_PASSWORD);
  g_clear_pointer (&escaped, g_free);
  g_clear_pointer (&recovery_form, g_free);
  escaped = g_uri_escape_string (json_object_get_string_member (data_object (again), "ticket"), NULL, FALSE);
  recovery_form = g_strdup_printf ("username=alice%%40pve&tfa-challenge=%s&password=recovery%%3A"
                                   PVE_SIM_ALICE_RECOVERY, escaped);
  recovery_again = request (f, "POST", "/access/ticket", NULL, recovery_form);
  g_assert_cmpuint (recovery_again->status, ==, 401);
}

typedef struct
{
  Fixture *f;
  Auth    *auth;
  guint    last_status;
} Poll;

static gboolean
version_refused (gpointer data)
{
  Poll *poll = data;
  g_autoptr(Reply) reply = request (poll->f, "GET", "/version", poll->auth, NULL);

  poll->last_status = reply->status;
  return reply->status == 401;
}

static void
test_ticket_expiry (Fixture       *f,
                    gconstpointer  data)
{
  g_auto(Login) login = { 0 };
  g_autoptr(Reply) first = NULL;
  g_autoptr(Reply) renew = NULL;
  g_autoptr(Reply) late_renew = NULL;
  g_autofree char *form = NULL;
  g_autofree char *escaped = NULL;
  Auth auth;
  Poll poll;
  gint64 start;

  pve_sim_set_ticket_lifetime (f->sim, 2);
  start = g_get_monotonic_time ();
  login_root (f, &login);
  auth = (Auth) { .ticket = login.ticket };
  first = request (f, "GET", "/version", &auth, NULL);
  g_assert_cmpuint (first->status, ==, 200);

  /* renewal: password = the current ticket */
  escaped = g_uri_escape_string (login.ticket, NULL, FALSE);
  form = g_strdup_printf ("username=root%%40pam&password=%s", escaped);
  renew = request (f, "POST", "/access/ticket", NULL, form);
  g_assert_cmpuint (renew->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (data_object (renew), "ticket"), !=, login.ticket);

  poll = (Poll) { f, &auth, 0 };
  g_assert_true (wait_until (version_refused, &poll, 5000));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 2 * G_USEC_PER_SEC);

  late_renew = request (f, "POST", "/access/ticket", NULL, form);
  g_assert_cmpuint (late_renew->status, ==, 401);
}

static void
test_invalidate (Fixture       *f,
                 gconstpointer  data)
{
  g_auto(Login) login = { 0 };
  g_autoptr(Reply) before = NULL;
  g_autoptr(Reply) after = NULL;
  Auth auth;

  login_root (f, &login);
  auth = (Auth) { .ticket = login.ticket };
  before = request (f, "GET", "/cluster/status", &auth, NULL);
  g_assert_cmpuint (before->status, ==, 200);
  g_assert_cmpuint (pve_sim_get_login_count (f->sim), ==, 1);

  pve_sim_invalidate_tickets (f->sim);
  g_assert_cmpuint (pve_sim_get_login_count (f->sim), ==, 0);
  after = request (f, "GET", "/cluster/status", &auth, NULL);
  assert_empty_401 (after, "Authentication failed!");
}

static void
test_gzip (Fixture       *f,
           gconstpointer  data)
{
  Auth auth = { .token = PVE_SIM_TOKEN_ID "=" PVE_SIM_TOKEN_SECRET };
  g_autoptr(Reply) decoded = request (f, "GET", "/cluster/resources", &auth, NULL);
  g_autofree char *uri = g_strdup_printf ("https://127.0.0.1:%u/api2/json/cluster/resources", f->port);
  g_autoptr(SoupMessage) raw_msg = NULL;
  g_autoptr(SoupMessage) plain_msg = NULL;
  g_autoptr(Reply) raw = NULL;
  g_autoptr(Reply) plain = NULL;
  const guint8 *bytes;
  gsize len;

  /* the session's content decoder undoes the compression */
  g_assert_cmpuint (decoded->status, ==, 200);
  g_assert_nonnull (decoded->root);
  g_assert_cmpuint (json_array_get_length (data_array (decoded)), >, 12);

  soup_session_remove_feature_by_type (f->session, SOUP_TYPE_CONTENT_DECODER);
  raw_msg = soup_message_new ("GET", uri);
  soup_message_headers_append (soup_message_get_request_headers (raw_msg), "Accept-Encoding", "gzip, deflate");
  soup_message_headers_append (soup_message_get_request_headers (raw_msg), "Authorization",
                               "PVEAPIToken=" PVE_SIM_TOKEN_ID "=" PVE_SIM_TOKEN_SECRET);
  raw = send_message (f, raw_msg);
  g_assert_cmpuint (raw->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (raw->headers, "Content-Encoding"), ==, "gzip");
  bytes = g_bytes_get_data (raw->body, &len);
  g_assert_cmpuint (len, >, 2);
  g_assert_cmpuint (bytes[0], ==, 0x1f);
  g_assert_cmpuint (bytes[1], ==, 0x8b);
  g_assert_cmpuint (len, <, g_bytes_get_size (decoded->body));

  pve_sim_set_gzip (f->sim, FALSE);
  plain_msg = soup_message_new ("GET", uri);
  soup_message_headers_append (soup_message_get_request_headers (plain_msg), "Accept-Encoding", "gzip");
  soup_message_headers_append (soup_message_get_request_headers (plain_msg), "Authorization",
                               "PVEAPIToken=" PVE_SIM_TOKEN_ID "=" PVE_SIM_TOKEN_SECRET);
  plain = send_message (f, plain_msg);
  g_assert_null (soup_message_headers_get_one (plain->headers, "Content-Encoding"));
  g_assert_nonnull (plain->root);
}

static void
test_resources (Fixture       *f,
                gconstpointer  data)
{
  Auth auth = { .token = PVE_SIM_TOKEN_ID "=" PVE_SIM_TOKEN_SECRET };
  g_autoptr(Reply) all = request (f, "GET", "/cluster/resources", &auth, NULL);
  g_autoptr(Reply) vms = request (f, "GET", "/cluster/resources?type=vm", &auth, NULL);
  g_autoptr(Reply) bad = request (f, "GET", "/cluster/resources?type=bogus", &auth, NULL);
  g_autoptr(Reply) offline = request (f, "GET", "/nodes/pve3/status", &auth, NULL);
  JsonArray *array = data_array (vms);
  gboolean saw_unknown = FALSE, saw_paused = FALSE, saw_template = FALSE, saw_lxc = FALSE;
  gboolean saw_offline_node = FALSE;

  g_assert_cmpuint (json_array_get_length (array), ==, 12);
  g_assert_cmpuint (pve_sim_get_n_guests (f->sim), ==, 12);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *guest = json_array_get_object_element (array, i);
      const char *status = json_object_get_string_member (guest, "status");

      g_assert_true (json_object_has_member (guest, "id"));
      g_assert_true (json_object_has_member (guest, "vmid"));
      g_assert_true (json_object_has_member (guest, "node"));
      g_assert_cmpstr (status, ==, pve_sim_get_guest_status (f->sim, json_object_get_int_member (guest, "vmid")));
      if (g_str_equal (status, "unknown"))
        {
          saw_unknown = TRUE;
          g_assert_false (json_object_has_member (guest, "name"));
          g_assert_false (json_object_has_member (guest, "cpu"));
          g_assert_cmpstr (json_object_get_string_member (guest, "node"), ==, "pve3");
        }
      else
        g_assert_true (json_object_has_member (guest, "name"));
      saw_paused |= g_str_equal (status, "paused");
      saw_template |= json_object_get_int_member_with_default (guest, "template", 0) == 1;
      saw_lxc |= g_str_equal (json_object_get_string_member (guest, "type"), "lxc");
    }
  g_assert_true (saw_unknown && saw_paused && saw_template && saw_lxc);

  array = data_array (all);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);

      if (g_str_equal (json_object_get_string_member (entry, "type"), "node")
          && g_str_equal (json_object_get_string_member (entry, "status"), "offline"))
        {
          saw_offline_node = TRUE;
          g_assert_false (json_object_has_member (entry, "cpu"));
        }
    }
  g_assert_true (saw_offline_node);
  g_assert_cmpuint (bad->status, ==, 400);
  g_assert_true (json_object_has_member (json_node_get_object (bad->root), "errors"));
  g_assert_cmpuint (offline->status, ==, 595);
  g_assert_true (soup_message_headers_header_contains (offline->headers, "Connection", "close"));
}

/* Quirks a client must survive: numbers as strings, 400s with per-parameter errors. */
static void
test_quirks (Fixture       *f,
             gconstpointer  data)
{
  Auth auth = { .token = PVE_SIM_TOKEN_ID "=" PVE_SIM_TOKEN_SECRET };
  g_autoptr(Reply) lxc = request (f, "GET", "/nodes/pve2/lxc", &auth, NULL);
  g_autoptr(Reply) status = request (f, "GET", "/nodes/pve1/status", &auth, NULL);
  g_autoptr(Reply) bad_vmid = request (f, "GET", "/nodes/pve1/qemu/abc/status/current", &auth, NULL);
  g_autoptr(Reply) missing = request (f, "GET", "/nodes/pve1/qemu/99999/status/current", &auth, NULL);
  g_autoptr(Reply) bad_frame = request (f, "GET", "/nodes/pve1/rrddata?timeframe=decade&cf=AVERAGE", &auth, NULL);
  g_autoptr(Reply) subscription = request (f, "GET", "/nodes/pve1/subscription", &auth, NULL);
  g_autoptr(Reply) audit_syslog = NULL;
  Auth ro = { .token = PVE_SIM_RO_TOKEN_ID "=" PVE_SIM_RO_TOKEN_SECRET };
  JsonArray *array = data_array (lxc);
  JsonObject *obj;
  gboolean saw_string = FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *vmid = json_object_get_member (json_array_get_object_element (array, i), "vmid");

      saw_string |= json_node_get_value_type (vmid) == G_TYPE_STRING;
    }
  g_assert_true (saw_string);

  obj = data_object (status);
  g_assert_cmpuint (json_node_get_value_type (json_array_get_element (json_object_get_array_member (obj, "loadavg"), 0)),
                    ==, G_TYPE_STRING);
  g_assert_cmpuint (json_node_get_value_type (json_object_get_member (json_object_get_object_member (obj, "cpuinfo"), "mhz")),
                    ==, G_TYPE_STRING);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (obj, "pveversion"), "pve-manager/9.1.2/"));

  g_assert_cmpuint (bad_vmid->status, ==, 400);
  g_assert_true (json_object_has_member (json_object_get_object_member (json_node_get_object (bad_vmid->root), "errors"),
                                         "vmid"));
  g_assert_cmpuint (missing->status, ==, 500);
  g_assert_cmpuint (bad_frame->status, ==, 400);
  g_assert_true (json_object_has_member (json_object_get_object_member (json_node_get_object (bad_frame->root), "errors"),
                                         "timeframe"));
  g_assert_cmpstr (json_object_get_string_member (data_object (subscription), "status"), ==, "notfound");

  audit_syslog = request (f, "GET", "/nodes/pve1/syslog", &ro, NULL);
  g_assert_cmpuint (audit_syslog->status, ==, 403);
  g_assert_cmpstr (audit_syslog->reason, ==, "Permission check failed (/nodes/pve1, Sys.Syslog)");
}

static void
test_large_cluster (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  Auth auth = { .token = PVE_SIM_TOKEN_ID "=" PVE_SIM_TOKEN_SECRET };
  g_autoptr(Reply) first = NULL;
  g_autoptr(Reply) second = NULL;

  fixture_setup_full (f, 10, 10000);
  first = request (f, "GET", "/cluster/resources?type=vm", &auth, NULL);
  g_assert_cmpuint (first->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (data_array (first)), ==, 10000);
  second = request (f, "GET", "/cluster/resources?type=vm", &auth, NULL);
  g_assert_cmpuint (json_array_get_length (data_array (second)), ==, 10000);
  g_test_message ("10,000 guests: first answer %" G_GINT64_FORMAT " ms, cached %" G_GINT64_FORMAT " ms",
                  first->elapsed_ms, second->elapsed_ms);
  fixture_teardown (f, NULL);
}

typedef struct
{
  PveSim     *sim;
  gint64      vmid;
  const char *status;
} GuestWait;

static gboolean
guest_in_status (gpointer data)
{
  GuestWait *wait = data;

  return g_strcmp0 (pve_sim_get_guest_status (wait->sim, wait->vmid), wait->status) == 0;
}

typedef struct
{
  Fixture    *f;
  const char *path;
} TaskWait;

static gboolean
task_stopped (gpointer data)
{
  TaskWait *wait = data;
  Auth auth = { .token = PVE_SIM_TOKEN_ID "=" PVE_SIM_TOKEN_SECRET };
  g_autoptr(Reply) reply = request (wait->f, "GET", wait->path, &auth, NULL);

  return reply->status == 200
         && g_str_equal (json_object_get_string_member (data_object (reply), "status"), "stopped");
}

static char *
guest_path (PveSim     *sim,
            const char *type,
            gint64      vmid,
            const char *suffix)
{
  /* the generator puts guest i on node (i % online nodes) + 1; 2 online nodes by default */
  return g_strdup_printf ("/nodes/pve%d/%s/%" G_GINT64_FORMAT "%s", (int) ((vmid - 100) % 2) + 1,
                          type, vmid, suffix);
}

/* Runs a power action and waits for its task; returns the task's exit status. */
static char *
run_action (Fixture    *f,
            const char *type,
            gint64      vmid,
            const char *action,
            char      **task_type)
{
  Auth auth = { .token = PVE_SIM_TOKEN_ID "=" PVE_SIM_TOKEN_SECRET };
  g_autofree char *suffix = g_strdup_printf ("/status/%s", action);
  g_autofree char *path = guest_path (f->sim, type, vmid, suffix);
  g_autoptr(Reply) reply = request (f, "POST", path, &auth, NULL);
  g_autofree char *escaped = NULL;
  g_autofree char *status_path = NULL;
  g_autofree char *log_path = NULL;
  g_autoptr(Reply) status = NULL;
  g_autoptr(Reply) log = NULL;
  g_auto(GStrv) upid_parts = NULL;
  TaskWait wait;
  JsonArray *lines;
  const char *exitstatus;
  const char *last_line;

  g_assert_cmpuint (reply->status, ==, 200);
  upid_parts = g_strsplit (data_string (reply), ":", -1);
  escaped = g_uri_escape_string (data_string (reply), NULL, FALSE);
  status_path = g_strdup_printf ("/nodes/%s/tasks/%s/status", upid_parts[1], escaped);
  log_path = g_strdup_printf ("/nodes/%s/tasks/%s/log?start=0&limit=50", upid_parts[1], escaped);
  wait = (TaskWait) { f, status_path };
  g_assert_true (wait_until (task_stopped, &wait, 10000));

  status = request (f, "GET", status_path, &auth, NULL);
  exitstatus = json_object_get_string_member (data_object (status), "exitstatus");
  if (task_type)
    *task_type = g_strdup (json_object_get_string_member (data_object (status), "type"));
  log = request (f, "GET", log_path, &auth, NULL);
  lines = data_array (log);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (log->root), "total"), ==,
                   json_array_get_length (lines));
  last_line = json_object_get_string_member (json_array_get_object_element (lines, json_array_get_length (lines) - 1), "t");
  if (g_str_equal (exitstatus, "OK"))
    g_assert_cmpstr (last_line, ==, "TASK OK");
  else
    g_assert_true (g_str_has_prefix (last_line, "TASK ERROR: "));
  return g_strdup (exitstatus);
}

static void
test_power_actions (Fixture       *f,
                    gconstpointer  data)
{
  Auth auth = { .token = PVE_SIM_TOKEN_ID "=" PVE_SIM_TOKEN_SECRET };
  gint64 vm = pve_sim_find_guest (f->sim, "qemu", "stopped");
  gint64 ct = pve_sim_find_guest (f->sim, "lxc", "running");
  gint64 stopped_ct = pve_sim_find_guest (f->sim, "lxc", "stopped");
  g_autofree char *exit = NULL;
  g_autofree char *type = NULL;
  g_autofree char *ct_start = guest_path (f->sim, "lxc", ct, "/status/start");
  g_autofree char *reboot_path = guest_path (f->sim, "lxc", stopped_ct, "/status/reboot");
  g_autofree char *expected = g_strdup_printf ("CT %" G_GINT64_FORMAT " already running", ct);
  g_autoptr(Reply) ct_running = NULL;
  g_autoptr(Reply) reboot = NULL;
  GuestWait wait = { f->sim, vm, "running" };

  g_assert_cmpint (vm, >, 0);
  g_assert_cmpint (ct, >, 0);
  g_assert_cmpint (stopped_ct, >, 0);

  exit = run_action (f, "qemu", vm, "start", &type);
  g_assert_cmpstr (exit, ==, "OK");
  g_assert_cmpstr (type, ==, "qmstart");
  g_assert_true (guest_in_status (&wait));
  g_clear_pointer (&exit, g_free);

  /* starting a running VM: a task that fails, state unchanged */
  exit = run_action (f, "qemu", vm, "start", NULL);
  g_assert_cmpstr (exit, !=, "OK");
  g_assert_true (guest_in_status (&wait));
  g_clear_pointer (&exit, g_free);
  g_clear_pointer (&type, g_free);

  exit = run_action (f, "qemu", vm, "suspend", &type);
  g_assert_cmpstr (type, ==, "qmpause");
  wait.status = "paused";
  g_assert_true (guest_in_status (&wait));
  g_clear_pointer (&exit, g_free);
  exit = run_action (f, "qemu", vm, "resume", NULL);
  wait.status = "running";
  g_assert_true (guest_in_status (&wait));
  g_clear_pointer (&exit, g_free);

  /* an injected failure: the exit status given, the state left alone */
  pve_sim_set_task_failure (f->sim, vm, "command 'qm stop 100' failed: exit code 1");
  exit = run_action (f, "qemu", vm, "stop", NULL);
  g_assert_cmpstr (exit, ==, "command 'qm stop 100' failed: exit code 1");
  g_assert_true (guest_in_status (&wait));
  g_clear_pointer (&exit, g_free);

  exit = run_action (f, "qemu", vm, "shutdown", NULL);
  g_assert_cmpstr (exit, ==, "OK");
  wait.status = "stopped";
  g_assert_true (guest_in_status (&wait));
  g_clear_pointer (&exit, g_free);
  /* stopping a stopped VM is a successful no-op */
  exit = run_action (f, "qemu", vm, "stop", NULL);
  g_assert_cmpstr (exit, ==, "OK");

  ct_running = request (f, "POST", ct_start, &auth, NULL);
  g_assert_cmpuint (ct_running->status, ==, 500);
  g_assert_cmpstr (ct_running->reason, ==, expected);
  reboot = request (f, "POST", reboot_path, &auth, NULL);
  g_assert_cmpuint (reboot->status, ==, 500);
}

static void
test_every_route (Fixture       *f,
                  gconstpointer  data)
{
  Auth auth = { .token = PVE_SIM_TOKEN_ID "=" PVE_SIM_TOKEN_SECRET };
  g_auto(GStrv) routes = pve_sim_dup_routes ();
  g_autoptr(Reply) tasks = request (f, "GET", "/nodes/pve1/tasks", &auth, NULL);
  g_autofree char *upid = g_uri_escape_string (json_object_get_string_member (
                            json_array_get_object_element (data_array (tasks), 0), "upid"), NULL, FALSE);
  gint64 qemu = pve_sim_find_guest (f->sim, "qemu", "running");
  gint64 lxc = pve_sim_find_guest (f->sim, "lxc", "running");

  g_assert_cmpuint (g_strv_length (routes), >=, 30);
  for (guint i = 0; routes[i]; i++)
    {
      g_auto(GStrv) parts = g_strsplit (routes[i], " ", 2);
      g_autoptr(GString) path = g_string_new (parts[1]);
      gboolean is_lxc = strstr (parts[1], "/lxc/") != NULL;
      gint64 vmid = is_lxc ? lxc : qemu;
      g_autofree char *vmid_str = g_strdup_printf ("%" G_GINT64_FORMAT, vmid);
      g_autofree char *node = g_strdup_printf ("pve%d", (int) ((vmid - 100) % 2) + 1);
      g_autoptr(Reply) reply = NULL;

      if (g_str_equal (parts[0], "POST") && !strstr (parts[1], "spiceproxy"))
        continue;   /* login and power actions have their own tests */
      g_string_replace (path, "{node}", strstr (parts[1], "{vmid}") ? node : "pve1", 0);
      g_string_replace (path, "{vmid}", vmid_str, 0);
      g_string_replace (path, "{upid}", upid, 0);
      if (strstr (parts[1], "rrddata"))
        g_string_append (path, "?timeframe=hour&cf=AVERAGE");
      reply = request (f, parts[0], path->str, &auth, NULL);
      g_test_message ("%s %s -> %u", parts[0], path->str, reply->status);
      g_assert_cmpuint (reply->status, ==, 200);
      g_assert_nonnull (reply->root);
      g_assert_true (json_object_has_member (json_node_get_object (reply->root), "data"));
      if (strstr (parts[1], "rrddata"))
        g_assert_cmpuint (json_array_get_length (data_array (reply)), ==, 70);
    }
}

static void
test_fault_kinds (Fixture       *f,
                  gconstpointer  data)
{
  Auth auth = { .token = PVE_SIM_TOKEN_ID "=" PVE_SIM_TOKEN_SECRET };
  g_autoptr(Reply) malformed = NULL;
  g_autoptr(Reply) after_count = NULL;
  g_autoptr(Reply) truncated = NULL;
  g_autoptr(Reply) reset = NULL;
  g_autoptr(Reply) wrong = NULL;
  g_autoptr(Reply) server_error = NULL;
  g_autoptr(Reply) huge = NULL;
  g_autoptr(Reply) slow = NULL;
  g_autoptr(Reply) other_path = NULL;

  pve_sim_set_fault (f->sim, "/cluster/resources", PVE_SIM_FAULT_MALFORMED_JSON, 1);
  malformed = request (f, "GET", "/cluster/resources", &auth, NULL);
  g_assert_cmpuint (malformed->status, ==, 200);
  g_assert_null (malformed->root);
  g_assert_cmpuint (g_bytes_get_size (malformed->body), >, 0);
  after_count = request (f, "GET", "/cluster/resources", &auth, NULL);
  g_assert_nonnull (after_count->root);

  pve_sim_set_fault (f->sim, "/version", PVE_SIM_FAULT_TRUNCATED, 1);
  truncated = request (f, "GET", "/version", &auth, NULL);
  g_assert_nonnull (truncated->error);

  pve_sim_set_fault (f->sim, "/version", PVE_SIM_FAULT_RESET, 1);
  reset = request (f, "GET", "/version", &auth, NULL);
  g_assert_nonnull (reset->error);

  pve_sim_set_fault (f->sim, NULL, PVE_SIM_FAULT_WRONG_TYPES, 0);
  wrong = request (f, "GET", "/nodes", &auth, NULL);
  g_assert_cmpuint (wrong->status, ==, 200);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_node_get_object (wrong->root), "data")));
  pve_sim_clear_faults (f->sim);

  pve_sim_set_fault (f->sim, "/cluster", PVE_SIM_FAULT_SERVER_ERROR, 0);
  server_error = request (f, "GET", "/cluster/status", &auth, NULL);
  g_assert_cmpuint (server_error->status, ==, 500);
  other_path = request (f, "GET", "/version", &auth, NULL);
  g_assert_cmpuint (other_path->status, ==, 200);
  pve_sim_clear_faults (f->sim);

  pve_sim_set_fault_size (f->sim, 3 * 1024 * 1024 + 7);
  pve_sim_set_fault (f->sim, "/cluster/resources", PVE_SIM_FAULT_HUGE, 1);
  huge = request (f, "GET", "/cluster/resources", &auth, NULL);
  g_assert_no_error (huge->error);
  g_assert_cmpuint (huge->status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (huge->body), ==, 3 * 1024 * 1024 + 7);
  g_assert_nonnull (huge->root);

  pve_sim_set_latency_ms (f->sim, 250);
  slow = request (f, "GET", "/version", &auth, NULL);
  g_assert_cmpuint (slow->status, ==, 200);
  g_assert_cmpint (slow->elapsed_ms, >=, 250);
}

static void
test_fault_hang (Fixture       *f,
                 gconstpointer  data)
{
  Auth auth = { .token = PVE_SIM_TOKEN_ID "=" PVE_SIM_TOKEN_SECRET };
  g_autoptr(Reply) hung = NULL;
  g_autoptr(Reply) after = NULL;

  g_object_set (f->session, "timeout", 1, NULL);
  pve_sim_set_fault (f->sim, "/version", PVE_SIM_FAULT_HANG, 1);
  hung = request (f, "GET", "/version", &auth, NULL);
  g_assert_error (hung->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (hung->elapsed_ms, >=, 900);
  after = request (f, "GET", "/version", &auth, NULL);
  g_assert_cmpuint (after->status, ==, 200);
}

static gboolean
last_request_seen (gpointer data)
{
  return pve_sim_get_request_count (data) > 0;
}

static gboolean
last_request_answered (gpointer data)
{
  GPtrArray *requests = pve_sim_get_requests (data);

  return requests->len > 0 && ((PveSimRequest *) g_ptr_array_index (requests, requests->len - 1))->status != 0;
}

/* The client gives up during the injected latency; the late answer must go nowhere, quietly. */
static void
test_client_gives_up (Fixture       *f,
                      gconstpointer  data)
{
  Auth auth = { .token = PVE_SIM_TOKEN_ID "=" PVE_SIM_TOKEN_SECRET };
  g_autoptr(Reply) gave_up = NULL;
  g_autoptr(Reply) after = NULL;
  g_autofree char *uri = g_strdup_printf ("https://127.0.0.1:%u/api2/json/version", f->port);
  g_autoptr(SoupMessage) abandoned = soup_message_new ("GET", uri);

  g_object_set (f->session, "timeout", 1, NULL);
  pve_sim_set_latency_ms (f->sim, 1500);
  gave_up = request (f, "GET", "/version", &auth, NULL);
  g_assert_error (gave_up->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_true (wait_until (last_request_answered, f->sim, 5000));

  pve_sim_set_latency_ms (f->sim, 0);
  after = request (f, "GET", "/version", &auth, NULL);
  g_assert_cmpuint (after->status, ==, 200);

  /* a request still waiting when the simulator stops (teardown) */
  pve_sim_set_latency_ms (f->sim, 10000);
  g_signal_connect (abandoned, "accept-certificate", G_CALLBACK (accept_certificate_cb), f);
  soup_session_send_async (f->session, abandoned, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  pve_sim_clear_requests (f->sim);
  g_assert_true (wait_until (last_request_seen, f->sim, 5000));
}

static void
test_swap_certificate (Fixture       *f,
                       gconstpointer  data)
{
  Auth auth = { .token = PVE_SIM_TOKEN_ID "=" PVE_SIM_TOKEN_SECRET };
  g_autofree char *first = g_strdup (pve_sim_get_fingerprint (f->sim));
  g_autoptr(Reply) before = request (f, "GET", "/version", &auth, NULL);
  g_autoptr(Reply) after = NULL;
  g_autoptr(Reply) back = NULL;
  g_autoptr(Reply) nodes = NULL;

  g_assert_cmpuint (before->status, ==, 200);
  g_assert_cmpuint (f->n_handshakes, ==, 1);
  g_assert_true (g_regex_match_simple ("^([0-9A-F]{2}:){31}[0-9A-F]{2}$", first, 0, 0));
  pve_sim_swap_certificate (f->sim);
  g_assert_cmpstr (pve_sim_get_fingerprint (f->sim), !=, first);
  g_assert_cmpuint (pve_sim_get_port (f->sim), ==, f->port);
  /* the kept-alive connection is gone: the new request sees the new certificate */
  after = request (f, "GET", "/version", &auth, NULL);
  g_assert_no_error (after->error);
  g_assert_cmpuint (after->status, ==, 200);
  g_assert_cmpuint (f->n_handshakes, ==, 2);
  nodes = request (f, "GET", "/nodes", &auth, NULL);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (data_array (nodes), 0),
                                                  "ssl_fingerprint"), ==, pve_sim_get_fingerprint (f->sim));
  pve_sim_swap_certificate (f->sim);
  g_assert_cmpstr (pve_sim_get_fingerprint (f->sim), ==, first);
  back = request (f, "GET", "/version", &auth, NULL);
  g_assert_cmpuint (back->status, ==, 200);
}

static void
test_multiple_ports (Fixture       *f,
                     gconstpointer  data)
{
  Auth auth = { .token = PVE_SIM_TOKEN_ID "=" PVE_SIM_TOKEN_SECRET };
  g_autoptr(GError) error = NULL;
  guint second = pve_sim_listen (f->sim, 0, &error);
  guint first_port = f->port;
  g_autoptr(Reply) a = NULL;
  g_autoptr(Reply) b = NULL;
  GPtrArray *requests;

  g_assert_no_error (error);
  g_assert_cmpuint (second, >, 0);
  g_assert_cmpuint (second, !=, f->port);
  g_assert_cmpuint (pve_sim_get_port (f->sim), ==, f->port);
  pve_sim_clear_requests (f->sim);
  a = request (f, "GET", "/version", &auth, NULL);
  f->port = second;
  b = request (f, "GET", "/version", &auth, NULL);
  f->port = first_port;
  g_assert_cmpuint (a->status, ==, 200);
  g_assert_cmpuint (b->status, ==, 200);
  requests = pve_sim_get_requests (f->sim);
  g_assert_cmpuint (requests->len, ==, 2);
  g_assert_cmpuint (((PveSimRequest *) g_ptr_array_index (requests, 0))->port, ==, first_port);
  g_assert_cmpuint (((PveSimRequest *) g_ptr_array_index (requests, 1))->port, ==, second);
}

/* A server restart: the same port again, the same data, tickets still good (PVE keeps its key). */
static void
test_restart (Fixture       *f,
              gconstpointer  data)
{
  g_auto(Login) login = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(Reply) down = NULL;
  g_autoptr(Reply) again = NULL;
  Auth auth;

  login_root (f, &login);
  auth = (Auth) { .ticket = login.ticket };
  pve_sim_stop (f->sim);
  g_assert_cmpuint (pve_sim_get_port (f->sim), ==, 0);
  down = request (f, "GET", "/version", &auth, NULL);
  g_assert_error (down->error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);

  g_assert_cmpuint (pve_sim_listen (f->sim, f->port, &error), ==, f->port);
  g_assert_no_error (error);
  again = request (f, "GET", "/version", &auth, NULL);
  g_assert_cmpuint (again->status, ==, 200);
}

static void
test_deterministic (void)
{
  g_autoptr(PveSim) a = pve_sim_new (4, 200, 7);
  g_autoptr(PveSim) b = pve_sim_new (4, 200, 7);

  g_assert_cmpuint (pve_sim_get_n_guests (a), ==, 200);
  for (gint64 vmid = 100; vmid < 300; vmid++)
    g_assert_cmpstr (pve_sim_get_guest_status (a, vmid), ==, pve_sim_get_guest_status (b, vmid));
  g_assert_null (pve_sim_get_guest_status (a, 99));
  g_assert_cmpint (pve_sim_find_guest (a, "qemu", "paused"), >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/pve/sim/login/ok", test_login_ok);
  ADD ("/pve/sim/login/bad-password", test_login_bad);
  ADD ("/pve/sim/login/tfa", test_tfa);
  ADD ("/pve/sim/auth/no-ticket", test_no_ticket);
  ADD ("/pve/sim/auth/csrf", test_csrf);
  ADD ("/pve/sim/auth/token", test_token);
  ADD ("/pve/sim/auth/ticket-expiry", test_ticket_expiry);
  ADD ("/pve/sim/auth/invalidate", test_invalidate);
  ADD ("/pve/sim/api/not-implemented", test_not_implemented);
  ADD ("/pve/sim/api/gzip", test_gzip);
  ADD ("/pve/sim/api/resources", test_resources);
  ADD ("/pve/sim/api/every-route", test_every_route);
  ADD ("/pve/sim/api/quirks", test_quirks);
  ADD ("/pve/sim/tasks/power-actions", test_power_actions);
  ADD ("/pve/sim/faults/kinds", test_fault_kinds);
  ADD ("/pve/sim/faults/hang", test_fault_hang);
  ADD ("/pve/sim/faults/client-gives-up", test_client_gives_up);
  ADD ("/pve/sim/tls/swap-certificate", test_swap_certificate);
  ADD ("/pve/sim/server/multiple-ports", test_multiple_ports);
  ADD ("/pve/sim/server/restart", test_restart);
#undef ADD
  g_test_add_func ("/pve/sim/data/deterministic", test_deterministic);
  g_test_add_func ("/pve/sim/data/10000-guests", test_large_cluster);

  return g_test_run ();
}

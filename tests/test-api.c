/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pure parsers of pve-api.c against recorded Proxmox answers and hostile input. */
#include <string.h>

#include "pve-api-private.h"
#include "pve-client.h"

static char *
load_fixture (const char *name,
              gsize      *length)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "fixtures", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

static JsonNode *
unwrap_fixture (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  gsize length;
  JsonNode *data;

  body = load_fixture (name, &length);
  data = pve_api_unwrap_envelope (body, length, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (data);
  return data;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

/* ---- Envelope ---------------------------------------------------------------------------- */

static void
test_envelope_once (void)
{
  const char *body = "{\"data\":{\"data\":{\"x\":1},\"y\":2},\"total\":3}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  JsonObject *object;
  JsonNode *inner;
  gint64 total = 0;

  data = pve_api_unwrap_envelope (body, strlen (body), &total, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (data));
  object = json_node_get_object (data);
  /* The payload's own "data" member survives: unwrapped exactly once. */
  inner = json_object_get_member (object, "data");
  g_assert_nonnull (inner);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (inner));
  g_assert_true (json_object_has_member (json_node_get_object (inner), "x"));
  g_assert_true (json_object_has_member (object, "y"));
  g_assert_cmpint (total, ==, 3);
}

static void
test_envelope_null_and_scalars (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(JsonNode) upid = NULL;
  gint64 total = 42;

  data = pve_api_unwrap_envelope ("{\"data\":null}", 13, &total, &error);
  g_assert_no_error (error);
  g_assert_nonnull (data);
  g_assert_true (JSON_NODE_HOLDS_NULL (data));
  g_assert_cmpint (total, ==, -1);

  {
    const char *body = "{\"data\":\"UPID:pve1:1:2:3:qmstart:100:root@pam:\"}";
    upid = pve_api_unwrap_envelope (body, strlen (body), NULL, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpstr (json_node_get_string (upid), ==, "UPID:pve1:1:2:3:qmstart:100:root@pam:");
}

static void
test_envelope_bad (void)
{
  static const char * const bodies[] = {
    "", "not json", "[1,2,3]", "{\"message\":\"x\"}", "\"data\"", "{\"data\":", "{\"data\":1}}",
    "null", "{\"total\":1}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) data = NULL;
      gint64 total = 7;

      data = pve_api_unwrap_envelope (bodies[i], strlen (bodies[i]), &total, &error);
      g_assert_null (data);
      g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
      g_assert_cmpstr (error->message, !=, "");
      g_assert_cmpint (total, ==, -1);
    }

  /* A NULL body with zero length is an error, not a crash. */
  {
    g_autoptr(GError) error = NULL;
    g_assert_null (pve_api_unwrap_envelope (NULL, 0, NULL, &error));
    g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
  }
}

static void
test_envelope_deep_nesting (void)
{
  g_autoptr(GString) body = g_string_new ("{\"data\":");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (body, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (body, ']');
  g_string_append_c (body, '}');

  data = pve_api_unwrap_envelope (body->str, body->len, NULL, &error);
  g_assert_null (data);
  g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
}

static void
test_envelope_fixtures (void)
{
  static const char * const names[] = {
    "access-ticket.POST.go-proxmox-pve9x.json",
    "access-ticket.POST.needtfa.proxmox-login-test.json",
    "access-ticket.POST.ok.proxmox-login-test.json",
    "cluster-resources-type-vm.community-proxmox.json",
    "cluster-resources.go-proxmox-pve9x.json",
    "cluster-status.go-proxmox-pve9x.json",
    "nodes-NODE-lxc.community-proxmox.json",
    "nodes-NODE-qemu.community-proxmox.json",
    "nodes-NODE-status.pve-9.1.2.pvexport.json",
    "nodes-NODE-tasks.pve-6.4-8.community-proxmox.json",
    "nodes.go-proxmox-pve9x.json",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(JsonNode) data = unwrap_fixture (names[i]);
      g_assert_false (JSON_NODE_HOLDS_NULL (data));
    }
}

static void
test_error_message (void)
{
  struct {
    const char *body;
    const char *expected;
  } cases[] = {
    { "{\"data\":null,\"message\":\"authentication failure\\n\"}", "authentication failure" },
    { "{\"data\":null,\"message\":\"Parameter verification failed.\\n\",\"errors\":{\"vmid\":\"invalid format\\n\"}}",
      "Parameter verification failed. vmid: invalid format" },
    { "{\"data\":null,\"errors\":{\"b\":\"two\",\"a\":\"one\"}}", "a: one; b: two" },
    { "{\"data\":null,\"message\":\"Permission check failed (/vms/100, VM.PowerMgmt)\\n\"}",
      "Permission check failed (/vms/100, VM.PowerMgmt)" },
    { "{\"data\":null}", NULL },
    { "", NULL },
    { "garbage", NULL },
    { "[\"message\"]", NULL },
    { "{\"message\":42}", NULL },
    { "{\"message\":\"   \"}", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = pve_api_error_message (cases[i].body, strlen (cases[i].body));
      g_assert_cmpstr (message, ==, cases[i].expected);
    }
}

/* ---- Tolerant getters ---------------------------------------------------------------------- */

static void
test_getters (void)
{
  g_autoptr(JsonNode) node = parse_json (
    "{\"i\":42,\"d\":1.9,\"s\":\"17\",\"sd\":\" 1.5\",\"t\":true,\"f\":false,\"one\":1,\"zero\":0,"
    "\"s1\":\"1\",\"s0\":\"0\",\"junk\":\"12abc\",\"null\":null,\"obj\":{},\"arr\":[],"
    "\"huge\":1e300,\"neg\":-1e300,\"nan\":\"nan\",\"inf\":\"inf\",\"hex\":\"0x10\",\"str\":\"text\"}");
  JsonObject *o = json_node_get_object (node);
  gint64 i = -99;
  double d = -99;
  gboolean b = 7;

  g_assert_true (pve_json_get_int (o, "i", &i));
  g_assert_cmpint (i, ==, 42);
  g_assert_true (pve_json_get_int (o, "d", &i));
  g_assert_cmpint (i, ==, 1);
  g_assert_true (pve_json_get_int (o, "s", &i));
  g_assert_cmpint (i, ==, 17);
  g_assert_true (pve_json_get_int (o, "sd", &i));
  g_assert_cmpint (i, ==, 1);
  g_assert_true (pve_json_get_int (o, "t", &i));
  g_assert_cmpint (i, ==, 1);
  g_assert_true (pve_json_get_int (o, "huge", &i));
  g_assert_cmpint (i, ==, G_MAXINT64);
  g_assert_true (pve_json_get_int (o, "neg", &i));
  g_assert_cmpint (i, ==, G_MININT64);
  i = -99;
  g_assert_false (pve_json_get_int (o, "junk", &i));
  g_assert_false (pve_json_get_int (o, "null", &i));
  g_assert_false (pve_json_get_int (o, "obj", &i));
  g_assert_false (pve_json_get_int (o, "arr", &i));
  g_assert_false (pve_json_get_int (o, "missing", &i));
  g_assert_false (pve_json_get_int (o, "nan", &i));
  g_assert_false (pve_json_get_int (o, "hex", &i));
  g_assert_cmpint (i, ==, -99);
  g_assert_false (pve_json_get_int (NULL, "i", &i));

  g_assert_true (pve_json_get_double (o, "d", &d));
  g_assert_cmpfloat_with_epsilon (d, 1.9, 1e-9);
  g_assert_true (pve_json_get_double (o, "sd", &d));
  g_assert_cmpfloat_with_epsilon (d, 1.5, 1e-9);
  g_assert_true (pve_json_get_double (o, "i", &d));
  g_assert_cmpfloat_with_epsilon (d, 42.0, 1e-9);
  g_assert_false (pve_json_get_double (o, "nan", &d));
  g_assert_false (pve_json_get_double (o, "inf", &d));
  g_assert_false (pve_json_get_double (o, "str", &d));

  g_assert_true (pve_json_get_bool (o, "one", &b));
  g_assert_true (b);
  g_assert_true (pve_json_get_bool (o, "zero", &b));
  g_assert_false (b);
  g_assert_true (pve_json_get_bool (o, "t", &b));
  g_assert_true (b);
  g_assert_true (pve_json_get_bool (o, "f", &b));
  g_assert_false (b);
  g_assert_true (pve_json_get_bool (o, "s1", &b));
  g_assert_true (b);
  g_assert_true (pve_json_get_bool (o, "s0", &b));
  g_assert_false (b);
  b = 7;
  g_assert_false (pve_json_get_bool (o, "missing", &b));
  g_assert_cmpint (b, ==, 7);
  g_assert_false (pve_json_get_bool (o, "str", &b));

  g_assert_cmpstr (pve_json_get_string (o, "str"), ==, "text");
  g_assert_cmpstr (pve_json_get_string (o, "s"), ==, "17");
  g_assert_null (pve_json_get_string (o, "i"));
  g_assert_null (pve_json_get_string (o, "null"));
  g_assert_null (pve_json_get_string (o, "obj"));
  g_assert_null (pve_json_get_string (o, "missing"));
}

/* ---- Login ---------------------------------------------------------------------------------- */

static void
test_login_ok (void)
{
  g_autoptr(JsonNode) data = unwrap_fixture ("access-ticket.POST.go-proxmox-pve9x.json");
  g_autoptr(GError) error = NULL;
  PveLoginInfo info;

  g_assert_true (pve_api_parse_login (data, &info, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (info.username, ==, "root@pam");
  g_assert_true (g_str_has_prefix (info.ticket, "PVE:root@pam:64E10CBA::"));
  g_assert_cmpstr (info.csrf_token, ==, "64E10CBA:YDNz71IKnE0sWsm1SbV1PGwz3hAyprvygQ7SBkxHVtE");
  g_assert_false (info.need_tfa);
  g_assert_null (info.tfa_methods);
  g_assert_nonnull (info.cap);
  g_assert_true (json_object_has_member (info.cap, "vms"));
  g_assert_cmpint (pve_api_ticket_timestamp (info.ticket), ==, 0x64E10CBA);

  pve_login_info_clear (&info);
  g_assert_null (info.ticket);
  g_assert_null (info.csrf_token);
  g_assert_null (info.cap);
  pve_login_info_clear (&info);
}

static void
test_login_short (void)
{
  g_autoptr(JsonNode) data = unwrap_fixture ("access-ticket.POST.ok.proxmox-login-test.json");
  g_autoptr(GError) error = NULL;
  PveLoginInfo info;

  g_assert_true (pve_api_parse_login (data, &info, &error));
  g_assert_cmpstr (info.username, ==, "user@foo");
  g_assert_null (info.clustername);
  g_assert_false (info.need_tfa);
  g_assert_cmpint (pve_api_ticket_timestamp (info.ticket), ==, 0x68F7BB38);
  pve_login_info_clear (&info);
}

static void
test_login_need_tfa (void)
{
  g_autoptr(JsonNode) data = unwrap_fixture ("access-ticket.POST.needtfa.proxmox-login-test.json");
  g_autoptr(GError) error = NULL;
  PveLoginInfo info;

  g_assert_true (pve_api_parse_login (data, &info, &error));
  g_assert_no_error (error);
  g_assert_true (info.need_tfa);
  g_assert_nonnull (info.tfa_methods);
  g_assert_true (g_strv_contains ((const char * const *) info.tfa_methods, "totp"));
  g_assert_true (g_strv_contains ((const char * const *) info.tfa_methods, "webauthn"));
  g_assert_false (g_strv_contains ((const char * const *) info.tfa_methods, "recovery"));
  g_assert_cmpstr (info.tfa_methods[0], ==, "totp");
  g_assert_cmpint (pve_api_ticket_timestamp (info.ticket), ==, 0x68F7BB2C);
  pve_login_info_clear (&info);
}

static void
test_login_tfa_recovery (void)
{
  g_autoptr(JsonNode) data = parse_json (
    "{\"username\":\"alice@pve\",\"NeedTFA\":\"1\",\"ticket\":"
    "\"PVE:!tfa!{\\\"totp\\\"%3Atrue,\\\"recovery\\\"%3A[0,2],\\\"yubico\\\"%3Afalse}:6500AAAA::c2ln\"}");
  g_autoptr(GError) error = NULL;
  PveLoginInfo info;

  g_assert_true (pve_api_parse_login (data, &info, &error));
  g_assert_true (info.need_tfa);
  g_assert_cmpuint (g_strv_length (info.tfa_methods), ==, 2);
  g_assert_cmpstr (info.tfa_methods[0], ==, "totp");
  g_assert_cmpstr (info.tfa_methods[1], ==, "recovery");
  pve_login_info_clear (&info);
}

static void
test_login_bad (void)
{
  static const char * const bodies[] = {
    "null", "[]", "\"ticket\"", "{}", "{\"ticket\":42}", "{\"ticket\":\"\"}",
    "{\"ticket\":\"PVE:a@b:1::x\"}",  /* no CSRF token on a full login */
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(JsonNode) data = parse_json (bodies[i]);
      g_autoptr(GError) error = NULL;
      PveLoginInfo info;

      g_assert_false (pve_api_parse_login (data, &info, &error));
      g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
      g_assert_null (info.ticket);
      pve_login_info_clear (&info);
    }

  {
    g_autoptr(GError) error = NULL;
    PveLoginInfo info;
    g_assert_false (pve_api_parse_login (NULL, &info, &error));
    g_assert_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
  }

  /* A half ticket whose challenge is garbage still asks for TFA, with no methods. */
  {
    g_autoptr(JsonNode) data = parse_json ("{\"NeedTFA\":1,\"ticket\":\"PVE:!tfa!{broken:1::x\"}");
    g_autoptr(GError) error = NULL;
    PveLoginInfo info;

    g_assert_true (pve_api_parse_login (data, &info, &error));
    g_assert_true (info.need_tfa);
    g_assert_nonnull (info.tfa_methods);
    g_assert_cmpuint (g_strv_length (info.tfa_methods), ==, 0);
    pve_login_info_clear (&info);
  }
}

static void
test_ticket_timestamp (void)
{
  g_assert_cmpint (pve_api_ticket_timestamp ("PVE:root@pam:64E10CBA::c2ln"), ==, 0x64E10CBA);
  g_assert_cmpint (pve_api_ticket_timestamp ("PVE:root@pam:64e10cba::c2ln+/="), ==, 0x64E10CBA);
  g_assert_cmpint (pve_api_ticket_timestamp (NULL), ==, -1);
  g_assert_cmpint (pve_api_ticket_timestamp (""), ==, -1);
  g_assert_cmpint (pve_api_ticket_timestamp ("PVE:"), ==, -1);
  g_assert_cmpint (pve_api_ticket_timestamp ("PVE:::"), ==, -1);
  g_assert_cmpint (pve_api_ticket_timestamp ("PVE:root@pam:XYZ::sig"), ==, -1);
  g_assert_cmpint (pve_api_ticket_timestamp ("PMG:root@pam:64E10CBA::sig"), ==, -1);
  g_assert_cmpint (pve_api_ticket_timestamp ("PVE:root@pam:FFFFFFFFFFFFFFFFFFFF::sig"), ==, -1);
  g_assert_cmpint (pve_api_ticket_timestamp ("PVE:root@pam:64E10CBA"), ==, -1);
}

/* ---- UPID and tasks ------------------------------------------------------------------------- */

static void
test_upid (void)
{
  g_autoptr(GError) error = NULL;
  PveUpid upid;

  g_assert_true (pve_upid_parse ("UPID:iaclab-01-01:00000DD3:1C419D88:6119FB65:srvreload:networking:root@pam:",
                                 &upid, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (upid.node, ==, "iaclab-01-01");
  g_assert_cmpuint (upid.pid, ==, 3539);
  g_assert_cmpuint (upid.pstart, ==, 474062216);
  g_assert_cmpint (upid.starttime, ==, 1629092709);
  g_assert_cmpstr (upid.type, ==, "srvreload");
  g_assert_cmpstr (upid.id, ==, "networking");
  g_assert_cmpstr (upid.user, ==, "root@pam");
  pve_upid_clear (&upid);

  /* Without the trailing colon, an empty id, a token user. */
  g_assert_true (pve_upid_parse ("UPID:pve1:0000ABCD:00000001:65000000:vzdump::root@pam!ci", &upid, &error));
  g_assert_cmpstr (upid.id, ==, "");
  g_assert_cmpstr (upid.user, ==, "root@pam!ci");
  pve_upid_clear (&upid);

  {
    static const char * const bad[] = {
      "", "UPID", "UPID:", "UPID:pve1:1:2:3:type:id:", "UPID::1:2:3:t:i:u:",
      "UPID:pve1:XYZ:2:3:t:i:u:", "UPID:pve1:1:2:3:t:i:u:extra:", "upid:pve1:1:2:3:t:i:u:",
      "UPID:pve1:123456789:2:3:t:i:u:", "UPID:pve1:1:2:3::i:u:", "UPID:pve1:1:2:3:t:i:u::",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) local_error = NULL;

        g_assert_false (pve_upid_parse (bad[i], &upid, &local_error));
        g_assert_error (local_error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
        g_assert_null (upid.node);
      }
    g_assert_false (pve_upid_parse (NULL, &upid, NULL));
  }
}

static void
test_task_status (void)
{
  g_autoptr(JsonNode) running = parse_json (
    "{\"upid\":\"UPID:pve1:00001234:00ABCDEF:65000000:qmstart:100:root@pam:\",\"status\":\"running\","
    "\"pid\":4660,\"starttime\":1694498816}");
  g_autoptr(JsonNode) stopped = parse_json (
    "{\"upid\":\"UPID:pve1:00001234:00ABCDEF:65000000:qmstart:100:root@pam:\",\"status\":\"stopped\","
    "\"exitstatus\":\"command 'qm start 100' failed: exit code 1\",\"node\":\"pve1\",\"type\":\"qmstart\","
    "\"id\":\"100\",\"user\":\"root@pam\",\"starttime\":\"1694498816\",\"endtime\":1694498820}");
  g_autoptr(JsonNode) listed = unwrap_fixture ("nodes-NODE-tasks.pve-6.4-8.community-proxmox.json");
  g_autoptr(GError) error = NULL;
  PveTaskStatus status;

  g_assert_true (pve_api_parse_task_status (running, &status, &error));
  g_assert_no_error (error);
  g_assert_true (status.running);
  g_assert_null (status.exitstatus);
  g_assert_cmpstr (status.node, ==, "pve1");
  g_assert_cmpstr (status.type, ==, "qmstart");
  g_assert_cmpstr (status.id, ==, "100");
  g_assert_cmpstr (status.user, ==, "root@pam");
  g_assert_cmpint (status.starttime, ==, 1694498816);
  g_assert_cmpint (status.endtime, ==, -1);
  pve_task_status_clear (&status);

  g_assert_true (pve_api_parse_task_status (stopped, &status, &error));
  g_assert_false (status.running);
  g_assert_cmpstr (status.exitstatus, ==, "command 'qm start 100' failed: exit code 1");
  g_assert_false (pve_task_exitstatus_is_ok (status.exitstatus));
  g_assert_cmpint (status.starttime, ==, 1694498816);
  g_assert_cmpint (status.endtime, ==, 1694498820);
  pve_task_status_clear (&status);

  /* Task lists carry the exit status in `status`. */
  {
    JsonArray *array = json_node_get_array (listed);

    g_assert_true (pve_api_parse_task_status (json_array_get_element (array, 0), &status, &error));
    g_assert_false (status.running);
    g_assert_cmpstr (status.exitstatus, ==, "OK");
    g_assert_cmpstr (status.node, ==, "iaclab-01-01");
    pve_task_status_clear (&status);

    g_assert_true (pve_api_parse_task_status (json_array_get_element (array, 1), &status, &error));
    g_assert_cmpstr (status.exitstatus, ==, "command 'ifreload -a' failed: exit code 1");
    pve_task_status_clear (&status);
  }

  g_assert_true (pve_task_exitstatus_is_ok ("OK"));
  g_assert_true (pve_task_exitstatus_is_ok ("WARNINGS: 2"));
  g_assert_false (pve_task_exitstatus_is_ok ("unexpected status"));
  g_assert_false (pve_task_exitstatus_is_ok (NULL));
  g_assert_false (pve_task_exitstatus_is_ok (""));

  {
    g_autoptr(JsonNode) bad = parse_json ("{\"upid\":\"x\"}");
    g_autoptr(JsonNode) array = parse_json ("[]");
    g_autoptr(GError) e1 = NULL;
    g_autoptr(GError) e2 = NULL;

    g_assert_false (pve_api_parse_task_status (bad, &status, &e1));
    g_assert_error (e1, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
    pve_task_status_clear (&status);
    g_assert_false (pve_api_parse_task_status (array, &status, &e2));
    g_assert_error (e2, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
    pve_task_status_clear (&status);
  }
}

static void
test_log_lines (void)
{
  g_autoptr(JsonNode) data = parse_json (
    "[{\"n\":3,\"t\":\"TASK OK\"},{\"t\":\"first\",\"n\":1},{\"n\":\"2\",\"t\":\"second\"},42,"
    "{\"n\":4},{\"x\":1},null]");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  gint64 first = 0;

  lines = pve_api_parse_log_lines (data, &first, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "first");
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "second");
  g_assert_cmpstr (g_ptr_array_index (lines, 2), ==, "TASK OK");
  g_assert_cmpstr (g_ptr_array_index (lines, 3), ==, "");
  g_assert_cmpint (first, ==, 1);

  {
    g_autoptr(JsonNode) empty = parse_json ("[]");
    g_autoptr(JsonNode) object = parse_json ("{}");
    g_autoptr(GPtrArray) none = pve_api_parse_log_lines (empty, &first, &error);
    g_autoptr(GError) local_error = NULL;

    g_assert_nonnull (none);
    g_assert_cmpuint (none->len, ==, 0);
    g_assert_cmpint (first, ==, -1);
    g_assert_null (pve_api_parse_log_lines (object, &first, &local_error));
    g_assert_error (local_error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
  }
}

/* ---- /cluster/resources --------------------------------------------------------------------- */

static PveResource *
find_resource (GPtrArray  *resources,
               const char *id)
{
  for (guint i = 0; i < resources->len; i++)
    {
      PveResource *r = g_ptr_array_index (resources, i);
      if (g_str_equal (r->id, id))
        return r;
    }
  return NULL;
}

static void
test_resources_fixture (void)
{
  g_autoptr(JsonNode) data = unwrap_fixture ("cluster-resources.go-proxmox-pve9x.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) resources = NULL;
  PveResource *vm;
  PveResource *tmpl;
  guint n_nodes = 0, n_storage = 0, n_guests = 0;

  resources = pve_api_parse_resources (data, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (resources->len, ==, json_array_get_length (json_node_get_array (data)));

  for (guint i = 0; i < resources->len; i++)
    {
      PveResource *r = g_ptr_array_index (resources, i);

      g_assert_nonnull (r->status);
      g_assert_nonnull (r->id);
      switch (r->type)
        {
        case PVE_RESOURCE_NODE:
          n_nodes++;
          g_assert_cmpint (r->vmid, ==, -1);
          g_assert_nonnull (r->node);
          break;
        case PVE_RESOURCE_STORAGE:
          n_storage++;
          g_assert_nonnull (r->storage);
          break;
        case PVE_RESOURCE_QEMU:
        case PVE_RESOURCE_LXC:
          n_guests++;
          g_assert_cmpint (r->vmid, >=, 100);
          break;
        default:
          break;
        }
    }
  g_assert_cmpuint (n_nodes, >, 0);
  g_assert_cmpuint (n_storage, >, 0);
  g_assert_cmpuint (n_guests, >, 0);

  vm = find_resource (resources, "qemu/100");
  g_assert_nonnull (vm);
  g_assert_cmpint (vm->type, ==, PVE_RESOURCE_QEMU);
  g_assert_cmpint (vm->vmid, ==, 100);
  g_assert_cmpstr (vm->name, ==, "server1");
  g_assert_cmpstr (vm->node, ==, "node2");
  g_assert_cmpstr (vm->status, ==, "running");
  g_assert_true (vm->has_stats);
  g_assert_false (vm->template);
  g_assert_cmpfloat_with_epsilon (vm->cpu, 0.0249060195469461, 1e-12);
  g_assert_cmpint (vm->maxmem, ==, 1073741824);
  g_assert_cmpint (vm->uptime, ==, 874350);

  tmpl = find_resource (resources, "qemu/101");
  g_assert_nonnull (tmpl);
  g_assert_true (tmpl->template);
}

static void
test_resources_vm_fixture (void)
{
  g_autoptr(JsonNode) data = unwrap_fixture ("cluster-resources-type-vm.community-proxmox.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) resources = pve_api_parse_resources (data, &error);
  PveResource *ct;
  PveResource *pooled;

  g_assert_no_error (error);
  g_assert_cmpuint (resources->len, ==, json_array_get_length (json_node_get_array (data)));
  ct = find_resource (resources, "lxc/102");
  g_assert_nonnull (ct);
  g_assert_cmpint (ct->type, ==, PVE_RESOURCE_LXC);
  g_assert_cmpint (ct->vmid, ==, 102);
  pooled = find_resource (resources, "qemu/101");
  g_assert_nonnull (pooled);
  g_assert_cmpstr (pooled->pool, ==, "pool1");
  g_assert_cmpstr (pooled->status, ==, "stopped");
  g_assert_true (pooled->has_stats);
}

static void
test_resources_hostile (void)
{
  g_autoptr(JsonNode) data = parse_json (
    "["
    /* a guest on an offline node: no name, no stats, never dropped */
    "{\"id\":\"qemu/105\",\"type\":\"qemu\",\"vmid\":105,\"node\":\"pve3\",\"status\":\"unknown\"},"
    /* vmid as a string, template as a string, cpu over 1 */
    "{\"id\":\"lxc/200\",\"type\":\"lxc\",\"vmid\":\"200\",\"node\":\"pve1\",\"status\":\"running\","
    " \"template\":\"1\",\"cpu\":3.5,\"maxcpu\":\"4\",\"tags\":\"a;b\"},"
    /* vmid only in the id */
    "{\"id\":\"qemu/300\",\"type\":\"qemu\",\"node\":\"pve1\"},"
    /* no id at all: built from type and vmid */
    "{\"type\":\"lxc\",\"vmid\":301,\"node\":\"pve2\",\"status\":\"stopped\"},"
    /* unknown types */
    "{\"id\":\"sdn/pve1/localnetwork\",\"type\":\"sdn\",\"sdn\":\"localnetwork\",\"node\":\"pve1\",\"status\":\"ok\"},"
    "{\"id\":\"network/pve1/vmbr0\",\"type\":\"network\"},"
    "{\"id\":\"/pool/prod\",\"type\":\"pool\"},"
    "{\"id\":\"node/pve3\",\"type\":\"node\",\"status\":\"offline\"},"
    /* not identifiable or not objects: skipped */
    "{\"type\":\"qemu\",\"node\":\"pve1\"},{\"type\":\"qemu\",\"vmid\":-5},{\"type\":\"node\"},{},"
    "{\"type\":\"storage\"},42,\"x\",null,[],"
    "{\"id\":\"qemu/abc\",\"type\":\"qemu\"},{\"id\":17,\"type\":\"pool\"}"
    "]");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) resources = pve_api_parse_resources (data, &error);
  PveResource *r;

  g_assert_no_error (error);
  g_assert_cmpuint (resources->len, ==, 8);

  r = find_resource (resources, "qemu/105");
  g_assert_nonnull (r);
  g_assert_cmpstr (r->status, ==, "unknown");
  g_assert_null (r->name);
  g_assert_false (r->has_stats);
  g_assert_cmpstr (r->node, ==, "pve3");

  r = find_resource (resources, "lxc/200");
  g_assert_nonnull (r);
  g_assert_cmpint (r->vmid, ==, 200);
  g_assert_true (r->template);
  g_assert_true (r->has_stats);
  g_assert_cmpfloat (r->cpu, <=, 1.0);
  g_assert_cmpint (r->maxcpu, ==, 4);
  g_assert_cmpstr (r->tags, ==, "a;b");

  r = find_resource (resources, "qemu/300");
  g_assert_nonnull (r);
  g_assert_cmpint (r->vmid, ==, 300);
  g_assert_cmpstr (r->status, ==, "unknown");

  r = find_resource (resources, "lxc/301");
  g_assert_nonnull (r);
  g_assert_cmpint (r->type, ==, PVE_RESOURCE_LXC);

  r = find_resource (resources, "sdn/pve1/localnetwork");
  g_assert_nonnull (r);
  g_assert_cmpint (r->type, ==, PVE_RESOURCE_OTHER);
  r = find_resource (resources, "network/pve1/vmbr0");
  g_assert_nonnull (r);
  g_assert_cmpint (r->type, ==, PVE_RESOURCE_OTHER);

  r = find_resource (resources, "/pool/prod");
  g_assert_nonnull (r);
  g_assert_cmpint (r->type, ==, PVE_RESOURCE_POOL);
  g_assert_cmpstr (r->pool, ==, "prod");

  r = find_resource (resources, "node/pve3");
  g_assert_nonnull (r);
  g_assert_cmpstr (r->node, ==, "pve3");
  g_assert_cmpstr (r->status, ==, "offline");
  g_assert_false (r->has_stats);

  {
    g_autoptr(JsonNode) object = parse_json ("{\"data\":[]}");
    g_autoptr(GError) local_error = NULL;

    g_assert_null (pve_api_parse_resources (object, &local_error));
    g_assert_error (local_error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE);
    g_assert_null (pve_api_parse_resources (NULL, NULL));
  }
}

/* Throw byte-level garbage derived from the fixtures at every parser: none may crash. */
static void
test_mutations (void)
{
  static const char * const names[] = {
    "cluster-resources.go-proxmox-pve9x.json",
    "access-ticket.POST.needtfa.proxmox-login-test.json",
    "nodes-NODE-tasks.pve-6.4-8.community-proxmox.json",
  };
  GRand *rand = g_rand_new_with_seed (4242);

  for (guint f = 0; f < G_N_ELEMENTS (names); f++)
    {
      gsize length;
      g_autofree char *original = load_fixture (names[f], &length);

      for (guint round = 0; round < 300; round++)
        {
          g_autofree char *body = g_memdup2 (original, length);
          gsize len = length;
          g_autoptr(JsonNode) data = NULL;
          guint flips = g_rand_int_range (rand, 1, 8);

          for (guint k = 0; k < flips; k++)
            body[g_rand_int_range (rand, 0, (gint32) len)] = "{}[]\":,0a-\\ \x01\xff"[g_rand_int_range (rand, 0, 15)];
          if (g_rand_boolean (rand))
            len = g_rand_int_range (rand, 0, (gint32) len);

          g_free (pve_api_error_message (body, len));
          data = pve_api_unwrap_envelope (body, len, NULL, NULL);
          if (data != NULL)
            {
              PveLoginInfo info;
              PveTaskStatus status;
              GPtrArray *array;

              if (pve_api_parse_login (data, &info, NULL))
                pve_login_info_clear (&info);
              if (pve_api_parse_task_status (data, &status, NULL))
                pve_task_status_clear (&status);
              array = pve_api_parse_resources (data, NULL);
              g_clear_pointer (&array, g_ptr_array_unref);
              array = pve_api_parse_log_lines (data, NULL, NULL);
              g_clear_pointer (&array, g_ptr_array_unref);
            }
        }
    }

  g_rand_free (rand);
}

/* The resource list read straight from the body must be exactly what the JsonNode way gives:
 * for the fixtures, for every input in the fuzzer's corpus, and for hostile bodies. */
static void assert_resources_equal (GPtrArray *tree,
                                    GPtrArray *direct);

static void
assert_same_resources (const char *body,
                       gsize       length,
                       const char *what)
{
  g_autoptr(GError) tree_error = NULL;
  g_autoptr(GError) body_error = NULL;
  g_autoptr(GError) scan_error = NULL;
  g_autoptr(JsonNode) data = pve_api_unwrap_envelope (body, length, NULL, &tree_error);
  g_autoptr(GPtrArray) tree = data ? pve_api_parse_resources (data, &tree_error) : NULL;
  g_autoptr(GPtrArray) direct = pve_api_parse_resources_body (body, length, &body_error);
  g_autoptr(GPtrArray) scanned = _pve_api_scan_resources (body, length, &scan_error);

  /* The strict scanner never takes what json-glib refuses, and says no with the same words. */
  if (scanned != NULL && tree == NULL)
    g_error ("%s: scanned, but not read as a tree (%s)", what, tree_error->message);
  if (scan_error != NULL)
    {
      g_assert_null (tree);
      g_assert_cmpstr (scan_error->message, ==, tree_error->message);
    }
  if (scanned != NULL)
    assert_resources_equal (tree, scanned);

  /* The public function: always what the JsonNode way gives. */
  if (tree == NULL)
    {
      if (direct != NULL)
        g_error ("%s: read from the body, but not as a tree (%s)", what, tree_error->message);
      g_assert_nonnull (body_error);
      g_assert_cmpstr (body_error->message, ==, tree_error->message);
      return;
    }
  if (direct == NULL)
    g_error ("%s: read as a tree, but not from the body (%s)", what, body_error->message);
  assert_resources_equal (tree, direct);
}

static void
assert_resources_equal (GPtrArray *tree,
                        GPtrArray *direct)
{
  g_assert_cmpuint (tree->len, ==, direct->len);
  for (guint i = 0; i < tree->len; i++)
    {
      PveResource *a = g_ptr_array_index (tree, i);
      PveResource *b = g_ptr_array_index (direct, i);

      g_assert_cmpint (a->type, ==, b->type);
      g_assert_cmpstr (a->id, ==, b->id);
      g_assert_cmpint (a->vmid, ==, b->vmid);
      g_assert_cmpstr (a->node, ==, b->node);
      g_assert_cmpstr (a->status, ==, b->status);
      g_assert_cmpstr (a->name, ==, b->name);
      g_assert_cmpstr (a->tags, ==, b->tags);
      g_assert_cmpstr (a->pool, ==, b->pool);
      g_assert_cmpstr (a->lock, ==, b->lock);
      g_assert_cmpstr (a->hastate, ==, b->hastate);
      g_assert_cmpstr (a->storage, ==, b->storage);
      g_assert_cmpint (a->template, ==, b->template);
      g_assert_cmpint (a->has_stats, ==, b->has_stats);
      g_assert_cmpfloat (a->cpu, ==, b->cpu);
      g_assert_cmpint (a->maxcpu, ==, b->maxcpu);
      g_assert_cmpint (a->mem, ==, b->mem);
      g_assert_cmpint (a->maxmem, ==, b->maxmem);
      g_assert_cmpint (a->disk, ==, b->disk);
      g_assert_cmpint (a->maxdisk, ==, b->maxdisk);
      g_assert_cmpint (a->uptime, ==, b->uptime);
      g_assert_cmpint (a->netin, ==, b->netin);
      g_assert_cmpint (a->netout, ==, b->netout);
    }
}

static void
test_resources_body (void)
{
  const char *fixtures[] = {
    "cluster-resources.go-proxmox-pve9x.json",
    "cluster-resources-type-vm.community-proxmox.json",
  };
  const char *hostile[] = {
    "", " ", "null", "[]", "{}", "{\"data\":null}", "{\"data\":{}}", "{\"data\":[]}",
    "{\"data\":[1,\"x\",null,[],{}]}",
    "{\"data\":[{\"type\":\"qemu\",\"vmid\":100}]}",
    "{\"data\":[{\"type\":\"qemu\",\"id\":\"qemu/101\"}]}",
    "{\"data\":[{\"type\":\"qemu\",\"vmid\":\"102\",\"cpu\":\"0.5\",\"mem\":1.5e3,\"template\":\"yes\"}]}",
    "{\"data\":[{\"type\":\"lxc\",\"vmid\":-1}]}",
    "{\"data\":[{\"type\":\"qemu\",\"vmid\":103,\"cpu\":null,\"name\":{\"a\":[1,{\"b\":2}]}}]}",
    "{\"data\":[{\"type\":\"qemu\",\"vmid\":104,\"vmid\":105,\"name\":\"a\\u00e9\\ud83d\\ude00\\n\\\"\"}]}",
    "{\"data\":[{\"type\":\"node\",\"id\":\"node/pve1\",\"uptime\":99999999999999999999}]}",
    "{\"data\":[{\"type\":\"storage\",\"id\":\"storage/pve1/local\",\"disk\":1}],\"total\":1}",
    "{\"data\":[], \"data\":[{\"type\":\"pool\",\"id\":\"/pool/p\"}]}",
    "{\"data\":[{\"type\":\"qemu\",\"vmid\":106}]",
    "{\"data\":[{\"type\":\"qemu\",\"vmid\":106}]}x",
    "{\"data\":[{\"type\":\"qemu\",\"vmid\":1e}]}",
    "{\"data\":[{\"type\":\"qemu\",\"vmid\":01}]}",
    "{\"data\":[{\"type\":\"qemu\" \"vmid\":1}]}",
    "{\"data\":[{\"type\":\"qemu\",\"vmid\":1,}]}",
    "{\"data\":[{\"type\":\"qemu\",\"name\":\"\\x\"}]}",
    "{\"data\":[{\"type\":\"qemu\",\"vmid\":107,\"cpu\":1e400}]}",
    "{\"data\":[{\"type\":tru}]}",
    "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],\"data\":[]}",
  };
  g_autofree char *corpus = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "fuzz-resources", NULL);
  g_autoptr(GDir) dir = g_dir_open (corpus, 0, NULL);
  const char *name;
  guint n_corpus = 0;

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      gsize length;
      g_autofree char *body = load_fixture (fixtures[i], &length);
      g_autoptr(GPtrArray) scanned = _pve_api_scan_resources (body, length, NULL);

      /* Real answers take the fast way. */
      g_assert_nonnull (scanned);
      g_assert_cmpuint (scanned->len, >, 0);
      assert_same_resources (body, length, fixtures[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    assert_same_resources (hostile[i], strlen (hostile[i]), hostile[i]);

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (corpus, name, NULL);
      g_autofree char *body = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (path, &body, &length, NULL));
      assert_same_resources (body, length, path);
      n_corpus++;
    }
  g_assert_cmpuint (n_corpus, >, 100);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pve/api/envelope/once", test_envelope_once);
  g_test_add_func ("/pve/api/envelope/null-and-scalars", test_envelope_null_and_scalars);
  g_test_add_func ("/pve/api/envelope/bad", test_envelope_bad);
  g_test_add_func ("/pve/api/envelope/deep-nesting", test_envelope_deep_nesting);
  g_test_add_func ("/pve/api/envelope/fixtures", test_envelope_fixtures);
  g_test_add_func ("/pve/api/error-message", test_error_message);
  g_test_add_func ("/pve/api/getters", test_getters);
  g_test_add_func ("/pve/api/login/ok", test_login_ok);
  g_test_add_func ("/pve/api/login/short", test_login_short);
  g_test_add_func ("/pve/api/login/need-tfa", test_login_need_tfa);
  g_test_add_func ("/pve/api/login/tfa-recovery", test_login_tfa_recovery);
  g_test_add_func ("/pve/api/login/bad", test_login_bad);
  g_test_add_func ("/pve/api/ticket-timestamp", test_ticket_timestamp);
  g_test_add_func ("/pve/api/upid", test_upid);
  g_test_add_func ("/pve/api/task-status", test_task_status);
  g_test_add_func ("/pve/api/log-lines", test_log_lines);
  g_test_add_func ("/pve/api/resources/fixture", test_resources_fixture);
  g_test_add_func ("/pve/api/resources/type-vm", test_resources_vm_fixture);
  g_test_add_func ("/pve/api/resources/hostile", test_resources_hostile);
  g_test_add_func ("/pve/api/resources/from-body", test_resources_body);
  g_test_add_func ("/pve/api/mutations", test_mutations);

  return g_test_run ();
}

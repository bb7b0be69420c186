/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pve-remotes-cli against the real simulator executable (over real TLS) and the real keyring
 * of the isolated test session (tests/run-isolated.sh). The tests run in order and build on
 * each other: remotes added early are used by the later ones.
 *
 * Environment: PVE_CLI (the pve-remotes-cli executable), PVE_SIMULATOR (pve-simulator).
 */

#define _GNU_SOURCE

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#define ROOT_PASSWORD   "pve-demo"
#define AUDIT_PASSWORD  "audit-pass"
#define ALICE_PASSWORD  "alice-pass"
#define ALICE_TOTP      "123456"
#define TOKEN_SECRET    "11111111-2222-3333-4444-555555555555"
#define SCHEMA_NAME     "com.example.PveRemotes.Credential"

#define EXIT_OK          0
#define EXIT_USAGE       1
#define EXIT_NOT_FOUND   2
#define EXIT_AUTH        3
#define EXIT_CONNECTION  4
#define EXIT_TASK_FAILED 5
#define EXIT_CREDENTIALS 6

#define CLI_TIMEOUT_SECONDS 60

typedef struct
{
  GSubprocess *process;
  guint        port;
  char        *port_text;
  char        *fingerprint;
} Simulator;

static Simulator main_sim;
/* When set, run_cli() starts the CLI without a session bus: no keyring can be reached. */
static gboolean without_keyring;
/* Everything any CLI run printed, to check that no secret ever shows. */
static GString *all_output;

/* ---- Helpers --------------------------------------------------------------------------------- */

static const char *
require_env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || *value == '\0')
    g_error ("%s is not set: run this test through meson test", name);
  return value;
}

/* A failed assertion aborts the test: the simulator must not outlive it (the isolated session
 * would wait for it). */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
simulator_start (Simulator *sim)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  /* Short tasks and no delay on failed logins keep the suite fast. */
  const char *argv[] = { require_env ("PVE_SIMULATOR"), "--task-ms", "300", "--auth-delay-ms", "0",
                         NULL };
  gboolean ready = FALSE;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  sim->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->process));
  while (!ready)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);  /* the simulator ended before READY */

      if (g_str_has_prefix (line, "PORT="))
        {
          sim->port_text = g_strdup (line + strlen ("PORT="));
          sim->port = (guint) g_ascii_strtoull (sim->port_text, NULL, 10);
        }
      else if (g_str_has_prefix (line, "FINGERPRINT="))
        sim->fingerprint = g_strdup (line + strlen ("FINGERPRINT="));
      else if (g_str_equal (line, "READY"))
        ready = TRUE;
    }

  g_assert_cmpuint (sim->port, >, 0);
  g_assert_nonnull (sim->fingerprint);
}

static void
simulator_stop (Simulator *sim)
{
  if (sim->process == NULL)
    return;

  g_subprocess_send_signal (sim->process, SIGTERM);
  g_subprocess_wait (sim->process, NULL, NULL);
  g_clear_object (&sim->process);
  g_clear_pointer (&sim->port_text, g_free);
  g_clear_pointer (&sim->fingerprint, g_free);
}

typedef struct
{
  int   status;
  char *out;
  char *err;
} CliResult;

static void
cli_result_free (CliResult *result)
{
  g_free (result->out);
  g_free (result->err);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliResult, cli_result_free)

typedef struct
{
  gboolean      done;
  char         *out;
  char         *err;
  GError       *error;
} Communicate;

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Communicate *c = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &c->out, &c->err,
                                        &c->error);
  c->done = TRUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;
  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs pve-remotes-cli with the arguments (NULL-terminated) and stdin_text on its standard
 * input (a file, so not a TTY; not a pipe: a command that fails before reading it, a usage
 * error, would break the pipe and the write would fail the test). */
static CliResult *
run_cli (const char *stdin_text,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Communicate c = { 0 };
  gboolean timed_out = FALSE;
  guint timeout_id;
  CliResult *result;
  va_list args;
  g_autofree char *stdin_path = NULL;
  int stdin_fd;

  g_ptr_array_add (argv, (char *) require_env ("PVE_CLI"));
  va_start (args, stdin_text);
  for (const char *arg = va_arg (args, const char *); arg != NULL;
       arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  stdin_fd = g_file_open_tmp ("pve-test-stdin-XXXXXX", &stdin_path, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (stdin_path, stdin_text != NULL ? stdin_text : "", -1,
                                      &error));
  g_assert_no_error (error);
  close (stdin_fd);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_stdin_file_path (launcher, stdin_path);
  if (without_keyring)
    g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                  "unix:path=/nonexistent/pve-test-no-bus", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_unlink (stdin_path);

  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, &c);
  timeout_id = g_timeout_add_seconds (CLI_TIMEOUT_SECONDS, timeout_cb, &timed_out);
  while (!c.done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    {
      g_subprocess_force_exit (process);
      while (!c.done)
        g_main_context_iteration (NULL, TRUE);
      g_error ("pve-remotes-cli %s did not end within %d s",
               (const char *) g_ptr_array_index (argv, 1), CLI_TIMEOUT_SECONDS);
    }
  g_source_remove (timeout_id);
  g_assert_no_error (c.error);

  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);

  result = g_new0 (CliResult, 1);
  result->out = c.out != NULL ? c.out : g_strdup ("");
  result->err = c.err != NULL ? c.err : g_strdup ("");
  g_assert_true (g_subprocess_get_if_exited (process));
  result->status = g_subprocess_get_exit_status (process);

  g_test_message ("pve-remotes-cli %s -> %d\nstdout:\n%s\nstderr:\n%s",
                  (const char *) g_ptr_array_index (argv, 1), result->status, result->out,
                  result->err);
  g_string_append (all_output, result->out);
  g_string_append (all_output, result->err);

  return result;
}

static char *
remotes_ini_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "com.example.PveRemotes", "remotes.ini",
                           NULL);
}

static char *
read_remotes_ini (void)
{
  g_autofree char *path = remotes_ini_path ();
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

/* The group (remote id) of the remote called name in remotes.ini, or NULL. */
static char *
remote_id_for_name (const char *name)
{
  g_autofree char *contents = read_remotes_ini ();
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_auto(GStrv) groups = NULL;

  if (*contents == '\0')
    return NULL;
  g_assert_true (g_key_file_load_from_data (key_file, contents, -1, G_KEY_FILE_NONE, NULL));

  groups = g_key_file_get_groups (key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *value = g_key_file_get_string (key_file, groups[i], "name", NULL);
      if (g_strcmp0 (value, name) == 0)
        return g_strdup (groups[i]);
    }

  return NULL;
}

static gboolean
has_remote (const char *name)
{
  g_autofree char *id = remote_id_for_name (name);
  return id != NULL;
}

static guint
count_groups (void)
{
  g_autofree char *contents = read_remotes_ini ();
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  gsize n = 0;

  if (*contents == '\0')
    return 0;
  g_assert_true (g_key_file_load_from_data (key_file, contents, -1, G_KEY_FILE_NONE, NULL));
  g_strfreev (g_key_file_get_groups (key_file, &n));
  return (guint) n;
}

/* Items in the keyring with attribute = value (any schema), via secret-tool. */
static guint
count_keyring_items (const char *attribute,
                     const char *value)
{
  const char *argv[] = { "secret-tool", "search", "--all", attribute, value, NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                     | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);

  lines = g_strsplit (out != NULL ? out : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "[/"))
      n++;
  return n;
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

static CliResult *
add_remote (const char *name,
            const char *user,
            const char *token_id,
            const char *fingerprint,
            const char *stdin_text)
{
  if (token_id != NULL)
    return run_cli (stdin_text, "add", name, "--host", "127.0.0.1", "--port", main_sim.port_text,
                    "--user", user, "--token-id", token_id, "--fingerprint", fingerprint, NULL);
  if (fingerprint != NULL)
    return run_cli (stdin_text, "add", name, "--host", "127.0.0.1", "--port", main_sim.port_text,
                    "--user", user, "--fingerprint", fingerprint, NULL);
  return run_cli (stdin_text, "add", name, "--host", "127.0.0.1", "--port", main_sim.port_text,
                  "--user", user, NULL);
}

static JsonArray *
get_array (JsonNode *node)
{
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_node_get_array (node);
}

/* The first guest of the JSON list matching type/status that is no template, or NULL. */
static JsonObject *
find_guest (JsonArray  *guests,
            const char *type,
            const char *status)
{
  for (guint i = 0; i < json_array_get_length (guests); i++)
    {
      JsonObject *guest = json_array_get_object_element (guests, i);

      if (g_str_equal (json_object_get_string_member (guest, "type"), type)
          && g_str_equal (json_object_get_string_member (guest, "status"), status)
          && !json_object_get_boolean_member (guest, "template"))
        return guest;
    }
  return NULL;
}

static JsonNode *
guests_json (const char *remote)
{
  g_autoptr(CliResult) result = run_cli (NULL, "guests", "--remote", remote, "--json", NULL);

  g_assert_cmpint (result->status, ==, EXIT_OK);
  return parse_json (result->out);
}

/* ---- Tests ------------------------------------------------------------------------------------ */

static void
test_usage (void)
{
  g_autoptr(CliResult) version = run_cli (NULL, "--version", NULL);
  g_autoptr(CliResult) nothing = run_cli (NULL, NULL);
  g_autoptr(CliResult) unknown = run_cli (NULL, "frobnicate", NULL);
  g_autoptr(CliResult) no_host = run_cli ("x\n", "add", "lab", "--user", "root@pam", NULL);
  g_autoptr(CliResult) bad_user = run_cli ("x\n", "add", "lab", "--host", "127.0.0.1",
                                           "--user", "root", NULL);
  g_autoptr(CliResult) bad_fp = run_cli ("x\n", "add", "lab", "--host", "127.0.0.1",
                                         "--user", "root@pam", "--fingerprint", "12:34", NULL);
  g_autoptr(CliResult) bad_vmid = run_cli (NULL, "start", "lab", "abc", NULL);
  g_autoptr(CliResult) help = run_cli (NULL, "--help", NULL);
  g_autoptr(CliResult) guests_help = run_cli (NULL, "guests", "--help", NULL);
  g_autoptr(CliResult) list_empty = run_cli (NULL, "list", "--json", NULL);

  g_assert_cmpint (version->status, ==, EXIT_OK);
  g_assert_true (g_str_has_prefix (version->out, "pve-remotes-cli "));
  g_assert_cmpint (nothing->status, ==, EXIT_USAGE);
  g_assert_cmpint (unknown->status, ==, EXIT_USAGE);
  g_assert_nonnull (strstr (unknown->err, "frobnicate"));
  g_assert_cmpint (no_host->status, ==, EXIT_USAGE);
  g_assert_nonnull (strstr (no_host->err, "--host"));
  g_assert_cmpint (bad_user->status, ==, EXIT_USAGE);
  g_assert_cmpint (bad_fp->status, ==, EXIT_USAGE);
  g_assert_cmpint (bad_vmid->status, ==, EXIT_USAGE);
  g_assert_cmpint (help->status, ==, EXIT_OK);
  for (const char *c = "add remove list check guests nodes status start stop shutdown reboot "
                       "tasks"; *c != '\0';)
    {
      const char *end = strchr (c, ' ');
      g_autofree char *name = end ? g_strndup (c, (gsize) (end - c)) : g_strdup (c);

      g_assert_nonnull (strstr (help->out, name));
      c = end ? end + 1 : c + strlen (c);
    }
  g_assert_cmpint (guests_help->status, ==, EXIT_OK);
  g_assert_nonnull (strstr (guests_help->out, "--json"));
  g_assert_nonnull (strstr (guests_help->out, "--remote"));
  g_assert_cmpint (list_empty->status, ==, EXIT_OK);
  g_assert_cmpstr (list_empty->out, ==, "[]\n");
  g_assert_cmpuint (count_groups (), ==, 0);
}

static void
test_add_wrong_password (void)
{
  g_autoptr(CliResult) result = add_remote ("lab", "root@pam", NULL, main_sim.fingerprint,
                                            "not-the-password\n");

  g_assert_cmpint (result->status, ==, EXIT_AUTH);
  g_assert_nonnull (strstr (result->err, "lab"));
  g_assert_cmpuint (count_groups (), ==, 0);
  g_assert_false (has_remote ("lab"));
  g_assert_cmpuint (count_keyring_items ("xdg:schema", SCHEMA_NAME), ==, 0);
}

static void
test_add_untrusted (void)
{
  g_autoptr(CliResult) result = add_remote ("lab", "root@pam", NULL, NULL, ROOT_PASSWORD "\n");

  g_assert_cmpint (result->status, ==, EXIT_CONNECTION);
  g_assert_nonnull (strstr (result->err, main_sim.fingerprint));
  g_assert_nonnull (strstr (result->err, "--fingerprint"));
  g_assert_nonnull (strstr (result->err, "Subject"));
  g_assert_nonnull (strstr (result->err, "Issuer"));
  g_assert_cmpstr (result->out, ==, "");
  g_assert_cmpuint (count_groups (), ==, 0);
  g_assert_cmpuint (count_keyring_items ("xdg:schema", SCHEMA_NAME), ==, 0);
}

static void
test_add_wrong_fingerprint (void)
{
  const char *other = "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
                      "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";
  g_autoptr(CliResult) result = add_remote ("lab", "root@pam", NULL, other, ROOT_PASSWORD "\n");

  g_assert_cmpint (result->status, ==, EXIT_CONNECTION);
  g_assert_nonnull (strstr (result->err, main_sim.fingerprint));
  g_assert_cmpuint (count_groups (), ==, 0);
  g_assert_cmpuint (count_keyring_items ("xdg:schema", SCHEMA_NAME), ==, 0);
}

static void
test_add_ok (void)
{
  /* Lowercase and without colons: normalised and pinned. */
  g_autofree char *fingerprint = g_ascii_strdown (main_sim.fingerprint, -1);
  g_autoptr(CliResult) result = NULL;
  g_autoptr(CliResult) duplicate = NULL;
  g_autofree char *id = NULL;
  g_autofree char *ini = NULL;

  g_strdelimit (fingerprint, ":", ' ');
  result = add_remote ("lab", "root@pam", NULL, fingerprint, ROOT_PASSWORD "\n");
  g_assert_cmpint (result->status, ==, EXIT_OK);

  id = remote_id_for_name ("lab");
  g_assert_nonnull (id);
  g_assert_cmpuint (count_keyring_items ("remote-id", id), ==, 1);
  /* The same search the failed adds used finds it: their "nothing stored" checks can fail. */
  g_assert_cmpuint (count_keyring_items ("xdg:schema", SCHEMA_NAME), ==, 1);

  ini = read_remotes_ini ();
  g_assert_nonnull (strstr (ini, main_sim.fingerprint));
  g_assert_null (strstr (ini, ROOT_PASSWORD));

  duplicate = add_remote ("lab", "root@pam", NULL, main_sim.fingerprint, ROOT_PASSWORD "\n");
  g_assert_cmpint (duplicate->status, ==, EXIT_USAGE);
  g_assert_cmpuint (count_groups (), ==, 1);
}

static void
test_add_token_and_tfa (void)
{
  g_autoptr(CliResult) token = add_remote ("ci", "root@pam", "root@pam!ci",
                                           main_sim.fingerprint, TOKEN_SECRET "\n");
  g_autoptr(CliResult) audit = add_remote ("ro", "audit@pve", NULL, main_sim.fingerprint,
                                           AUDIT_PASSWORD "\n");
  g_autoptr(CliResult) tfa_missing = add_remote ("alice", "alice@pve", NULL,
                                                 main_sim.fingerprint, ALICE_PASSWORD "\n");
  g_autoptr(CliResult) tfa_wrong = add_remote ("alice", "alice@pve", NULL, main_sim.fingerprint,
                                               ALICE_PASSWORD "\n000000\n");
  g_autoptr(CliResult) tfa = NULL;
  g_autofree char *ini = NULL;

  g_assert_cmpint (token->status, ==, EXIT_OK);
  g_assert_cmpint (audit->status, ==, EXIT_OK);
  g_assert_cmpint (tfa_missing->status, ==, EXIT_CREDENTIALS);
  g_assert_cmpint (tfa_wrong->status, ==, EXIT_AUTH);
  g_assert_false (has_remote ("alice"));

  tfa = add_remote ("alice", "alice@pve", NULL, main_sim.fingerprint,
                    ALICE_PASSWORD "\n" ALICE_TOTP "\n");
  g_assert_cmpint (tfa->status, ==, EXIT_OK);
  g_assert_true (has_remote ("alice"));

  ini = read_remotes_ini ();
  g_assert_null (strstr (ini, TOKEN_SECRET));
  g_assert_null (strstr (ini, AUDIT_PASSWORD));
  g_assert_null (strstr (ini, ALICE_PASSWORD));
  g_assert_cmpuint (count_groups (), ==, 4);
}

static void
test_list (void)
{
  g_autoptr(CliResult) text = run_cli (NULL, "list", NULL);
  g_autoptr(CliResult) json = run_cli (NULL, "list", "--json", NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *remotes;
  JsonObject *ci, *lab;
  const char *expected_order[] = { "alice", "ci", "lab", "ro" };

  g_assert_cmpint (text->status, ==, EXIT_OK);
  g_assert_true (g_str_has_prefix (text->out, "NAME "));
  g_assert_nonnull (strstr (text->out, "lab "));
  g_assert_nonnull (strstr (text->out, "127.0.0.1"));

  g_assert_cmpint (json->status, ==, EXIT_OK);
  root = parse_json (json->out);
  remotes = get_array (root);
  g_assert_cmpuint (json_array_get_length (remotes), ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (expected_order); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (remotes, i),
                                                    "name"), ==, expected_order[i]);

  ci = json_array_get_object_element (remotes, 1);
  g_assert_cmpstr (json_object_get_string_member (ci, "auth"), ==, "token");
  g_assert_cmpstr (json_object_get_string_member (ci, "token_id"), ==, "root@pam!ci");
  g_assert_cmpstr (json_object_get_string_member (ci, "user"), ==, "root@pam");

  lab = json_array_get_object_element (remotes, 2);
  g_assert_cmpstr (json_object_get_string_member (lab, "host"), ==, "127.0.0.1");
  g_assert_cmpint (json_object_get_int_member (lab, "port"), ==, main_sim.port);
  g_assert_cmpstr (json_object_get_string_member (lab, "auth"), ==, "password");
  g_assert_true (json_object_get_null_member (lab, "token_id"));
  g_assert_cmpstr (json_object_get_string_member (lab, "fingerprint"), ==, main_sim.fingerprint);
  g_assert_false (json_object_get_boolean_member (lab, "autoconnect"));
  g_assert_nonnull (strstr (json->out, "\"name\": \"lab\""));
}

static void
test_check (void)
{
  g_autoptr(CliResult) lab = run_cli (NULL, "check", "lab", NULL);
  g_autoptr(CliResult) ci = run_cli (NULL, "check", "ci", NULL);
  g_autoptr(CliResult) missing = run_cli (NULL, "check", "nope", NULL);

  g_assert_cmpint (lab->status, ==, EXIT_OK);
  g_assert_true (g_str_has_prefix (lab->out, "lab: OK (PVE "));
  g_assert_cmpint (ci->status, ==, EXIT_OK);
  g_assert_true (g_str_has_prefix (ci->out, "ci: OK (PVE "));
  g_assert_cmpint (missing->status, ==, EXIT_NOT_FOUND);
  g_assert_nonnull (strstr (missing->err, "nope"));
}

static void
test_check_no_secret (void)
{
  g_autofree char *id = remote_id_for_name ("ro");
  const char *argv[] = { "secret-tool", "clear", "remote-id", id, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CliResult) result = NULL;
  g_autoptr(CliResult) readd = NULL;
  g_autoptr(CliResult) remove = NULL;
  g_autoptr(GSubprocess) clear = NULL;

  g_assert_nonnull (id);
  clear = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (clear, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_keyring_items ("remote-id", id), ==, 0);

  result = run_cli (NULL, "check", "ro", NULL);
  g_assert_cmpint (result->status, ==, EXIT_CREDENTIALS);

  /* Put it back the way scripts do: remove and add again. */
  remove = run_cli (NULL, "remove", "ro", NULL);
  g_assert_cmpint (remove->status, ==, EXIT_OK);
  readd = add_remote ("ro", "audit@pve", NULL, main_sim.fingerprint, AUDIT_PASSWORD "\n");
  g_assert_cmpint (readd->status, ==, EXIT_OK);
}

/* Without a reachable keyring: connecting needs credentials (6); add saves the remote for the
 * app but says that its secret is lost (6); remove cannot clear the keyring (6). */
static void
test_keyring_unavailable (void)
{
  g_autoptr(CliResult) check = NULL;
  g_autoptr(CliResult) add = NULL;
  g_autoptr(CliResult) list = NULL;
  g_autoptr(CliResult) remove = NULL;

  without_keyring = TRUE;
  check = run_cli (NULL, "check", "ci", NULL);
  add = add_remote ("nokeyring", "root@pam", NULL, main_sim.fingerprint, ROOT_PASSWORD "\n");
  without_keyring = FALSE;

  g_assert_cmpint (check->status, ==, EXIT_CREDENTIALS);
  g_assert_nonnull (strstr (check->err, "keyring"));
  g_assert_cmpint (add->status, ==, EXIT_CREDENTIALS);
  g_assert_nonnull (strstr (add->err, "keyring"));
  g_assert_true (has_remote ("nokeyring"));

  /* Nothing was stored for it, so connecting it needs credentials even with the keyring. */
  {
    g_autoptr(CliResult) again = run_cli (NULL, "check", "nokeyring", NULL);
    g_assert_cmpint (again->status, ==, EXIT_CREDENTIALS);
  }

  remove = run_cli (NULL, "remove", "nokeyring", NULL);
  g_assert_cmpint (remove->status, ==, EXIT_OK);
  g_assert_false (has_remote ("nokeyring"));
}

static void
test_guests (void)
{
  g_autoptr(CliResult) text = run_cli (NULL, "guests", NULL);
  g_autoptr(CliResult) json = run_cli (NULL, "guests", "--json", "--remote", "lab", NULL);
  g_autoptr(CliResult) missing = run_cli (NULL, "guests", "--remote", "nope", NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *guests;
  gboolean seen_unknown = FALSE, seen_template = FALSE, seen_lxc = FALSE, seen_tags = FALSE;
  gint64 last_vmid = -1;

  /* alice has TFA and stdin is no terminal: she cannot be connected, the rest is listed. */
  g_assert_cmpint (text->status, ==, EXIT_CONNECTION);
  g_assert_nonnull (strstr (text->err, "alice"));
  g_assert_true (g_str_has_prefix (text->out, "REMOTE "));
  g_assert_nonnull (strstr (text->out, "\nlab "));
  g_assert_nonnull (strstr (text->out, "\nci "));

  g_assert_cmpint (missing->status, ==, EXIT_NOT_FOUND);

  g_assert_cmpint (json->status, ==, EXIT_OK);
  g_assert_cmpstr (json->err, ==, "");
  root = parse_json (json->out);
  guests = get_array (root);
  g_assert_cmpuint (json_array_get_length (guests), >=, 12);

  for (guint i = 0; i < json_array_get_length (guests); i++)
    {
      JsonObject *guest = json_array_get_object_element (guests, i);
      const char *members[] = { "remote", "id", "vmid", "type", "node", "name", "status",
                                "template", "cpu", "maxcpu", "mem", "maxmem", "uptime",
                                "tags" };
      JsonNode *vmid = json_object_get_member (guest, "vmid");

      g_assert_cmpuint (json_object_get_size (guest), ==, G_N_ELEMENTS (members));
      for (guint m = 0; m < G_N_ELEMENTS (members); m++)
        g_assert_true (json_object_has_member (guest, members[m]));

      g_assert_cmpstr (json_object_get_string_member (guest, "remote"), ==, "lab");
      g_assert_cmpint (json_node_get_value_type (vmid), ==, G_TYPE_INT64);
      g_assert_cmpint (json_node_get_int (vmid), >, last_vmid);
      last_vmid = json_node_get_int (vmid);
      g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (guest, "tags")));
      g_assert_cmpint (json_node_get_value_type (json_object_get_member (guest, "template")),
                       ==, G_TYPE_BOOLEAN);

      if (g_str_equal (json_object_get_string_member (guest, "status"), "unknown"))
        {
          seen_unknown = TRUE;
          g_assert_true (json_object_get_null_member (guest, "cpu"));
          g_assert_true (json_object_get_null_member (guest, "mem"));
          g_assert_true (json_object_get_null_member (guest, "maxmem"));
          g_assert_true (json_object_get_null_member (guest, "uptime"));
        }
      else
        {
          g_assert_false (json_object_get_null_member (guest, "maxmem"));
          g_assert_cmpint (json_object_get_int_member (guest, "maxmem"), >, 0);
        }

      if (json_object_get_boolean_member (guest, "template"))
        seen_template = TRUE;
      if (g_str_equal (json_object_get_string_member (guest, "type"), "lxc"))
        seen_lxc = TRUE;
      if (json_array_get_length (json_object_get_array_member (guest, "tags")) > 0)
        seen_tags = TRUE;
    }

  g_assert_true (seen_unknown);
  g_assert_true (seen_template);
  g_assert_true (seen_lxc);
  g_assert_true (seen_tags);
}

static void
test_nodes (void)
{
  g_autoptr(CliResult) text = run_cli (NULL, "nodes", "--remote", "lab", NULL);
  g_autoptr(CliResult) json = run_cli (NULL, "nodes", "--json", "--remote", "lab", NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *nodes;
  gboolean seen_offline = FALSE;

  g_assert_cmpint (text->status, ==, EXIT_OK);
  g_assert_true (g_str_has_prefix (text->out, "REMOTE "));
  g_assert_nonnull (strstr (text->out, "pve1"));

  g_assert_cmpint (json->status, ==, EXIT_OK);
  root = parse_json (json->out);
  nodes = get_array (root);
  g_assert_cmpuint (json_array_get_length (nodes), ==, 3);
  for (guint i = 0; i < json_array_get_length (nodes); i++)
    {
      JsonObject *node = json_array_get_object_element (nodes, i);
      g_autofree char *expected = g_strdup_printf ("pve%u", i + 1);

      g_assert_cmpstr (json_object_get_string_member (node, "node"), ==, expected);
      if (!g_str_equal (json_object_get_string_member (node, "status"), "online"))
        {
          seen_offline = TRUE;
          g_assert_true (json_object_get_null_member (node, "cpu"));
          g_assert_true (json_object_get_null_member (node, "uptime"));
        }
      else
        g_assert_cmpint (json_object_get_int_member (node, "maxmem"), >, 0);
    }
  g_assert_true (seen_offline);
}

static void
test_status (void)
{
  g_autoptr(JsonNode) root = guests_json ("lab");
  JsonObject *running = find_guest (get_array (root), "qemu", "running");
  g_autofree char *vmid = NULL;
  g_autoptr(CliResult) text = NULL;
  g_autoptr(CliResult) json = NULL;
  g_autoptr(CliResult) missing = NULL;
  g_autoptr(JsonNode) status = NULL;

  g_assert_nonnull (running);
  vmid = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (running, "vmid"));

  text = run_cli (NULL, "status", "lab", vmid, NULL);
  g_assert_cmpint (text->status, ==, EXIT_OK);
  g_assert_nonnull (strstr (text->out, "running"));
  g_assert_nonnull (strstr (text->out, json_object_get_string_member (running, "node")));

  json = run_cli (NULL, "status", "lab", vmid, "--json", NULL);
  g_assert_cmpint (json->status, ==, EXIT_OK);
  status = parse_json (json->out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (status), "status"), ==,
                   "running");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (status), "vmid"), ==,
                   json_object_get_int_member (running, "vmid"));

  missing = run_cli (NULL, "status", "lab", "999999", NULL);
  g_assert_cmpint (missing->status, ==, EXIT_NOT_FOUND);
  g_assert_nonnull (strstr (missing->err, "999999"));
}

static void
test_start_wait (void)
{
  g_autoptr(JsonNode) before = guests_json ("lab");
  g_autoptr(JsonNode) after = NULL;
  JsonObject *stopped = find_guest (get_array (before), "qemu", "stopped");
  gint64 vmid;
  g_autofree char *vmid_text = NULL;
  g_autoptr(CliResult) result = NULL;
  gboolean running = FALSE;

  g_assert_nonnull (stopped);
  vmid = json_object_get_int_member (stopped, "vmid");
  vmid_text = g_strdup_printf ("%" G_GINT64_FORMAT, vmid);

  result = run_cli (NULL, "start", "lab", vmid_text, "--wait", NULL);
  g_assert_cmpint (result->status, ==, EXIT_OK);
  g_assert_true (g_str_has_prefix (result->out, "UPID:"));
  g_assert_nonnull (strstr (result->out, ":qmstart:"));

  after = guests_json ("lab");
  for (guint i = 0; i < json_array_get_length (get_array (after)); i++)
    {
      JsonObject *guest = json_array_get_object_element (get_array (after), i);
      if (json_object_get_int_member (guest, "vmid") == vmid)
        running = g_str_equal (json_object_get_string_member (guest, "status"), "running");
    }
  g_assert_true (running);
}

static void
test_start_no_wait (void)
{
  g_autoptr(JsonNode) before = guests_json ("ci");
  JsonObject *running = find_guest (get_array (before), "qemu", "running");
  g_autofree char *vmid = NULL;
  g_autoptr(CliResult) result = NULL;

  g_assert_nonnull (running);
  vmid = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (running, "vmid"));

  /* Without --wait only the UPID is printed, whatever the task will do. */
  result = run_cli (NULL, "reboot", "ci", vmid, NULL);
  g_assert_cmpint (result->status, ==, EXIT_OK);
  g_assert_true (g_str_has_prefix (result->out, "UPID:"));
  g_assert_cmpuint (strlen (result->out), ==, strcspn (result->out, "\n") + 1);
}

static void
test_task_fails (void)
{
  g_autoptr(JsonNode) guests = guests_json ("lab");
  JsonObject *running = find_guest (get_array (guests), "qemu", "running");
  g_autofree char *vmid = NULL;
  g_autoptr(CliResult) result = NULL;

  g_assert_nonnull (running);
  vmid = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (running, "vmid"));

  /* Starting a running VM gives a task that fails (as on a real PVE). */
  result = run_cli (NULL, "start", "lab", vmid, "--wait", NULL);
  g_assert_cmpint (result->status, ==, EXIT_TASK_FAILED);
  g_assert_true (g_str_has_prefix (result->out, "UPID:"));
  g_assert_nonnull (strstr (result->err, "failed"));
  g_assert_nonnull (strstr (result->err, "Task log"));
}

/* Actions the server refuses at once: a running container cannot be started (500, exit 5);
 * a guest on an offline node cannot be reached (exit 4). */
static void
test_action_refused (void)
{
  g_autoptr(JsonNode) root = guests_json ("lab");
  JsonArray *guests = get_array (root);
  JsonObject *container = find_guest (guests, "lxc", "running");
  JsonObject *offline = find_guest (guests, "qemu", "unknown");
  g_autofree char *container_vmid = NULL;
  g_autofree char *offline_vmid = NULL;
  g_autoptr(CliResult) start = NULL;
  g_autoptr(CliResult) unreachable = NULL;

  g_assert_nonnull (container);
  g_assert_nonnull (offline);
  container_vmid = g_strdup_printf ("%" G_GINT64_FORMAT,
                                    json_object_get_int_member (container, "vmid"));
  offline_vmid = g_strdup_printf ("%" G_GINT64_FORMAT,
                                  json_object_get_int_member (offline, "vmid"));

  start = run_cli (NULL, "start", "lab", container_vmid, "--wait", NULL);
  g_assert_cmpint (start->status, ==, EXIT_TASK_FAILED);
  g_assert_cmpstr (start->out, ==, "");
  g_assert_nonnull (strstr (start->err, "already running"));

  unreachable = run_cli (NULL, "start", "lab", offline_vmid, NULL);
  g_assert_cmpint (unreachable->status, ==, EXIT_CONNECTION);
  g_assert_cmpstr (unreachable->out, ==, "");
}

static void
test_permission_denied (void)
{
  g_autoptr(JsonNode) guests = guests_json ("ro");
  JsonObject *running = find_guest (get_array (guests), "qemu", "running");
  g_autofree char *vmid = NULL;
  g_autoptr(CliResult) result = NULL;

  g_assert_nonnull (running);
  vmid = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (running, "vmid"));

  /* audit@pve may look (VM.Audit) but not act (no VM.PowerMgmt). */
  result = run_cli (NULL, "shutdown", "ro", vmid, "--wait", NULL);
  g_assert_cmpint (result->status, ==, EXIT_AUTH);
  g_assert_cmpstr (result->out, ==, "");
  g_assert_nonnull (strstr (result->err, "VM.PowerMgmt"));
}

static void
test_tasks (void)
{
  g_autoptr(CliResult) text = run_cli (NULL, "tasks", "--remote", "lab", NULL);
  g_autoptr(CliResult) json = run_cli (NULL, "tasks", "--json", "--remote", "lab", NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *tasks;
  gboolean seen_ok = FALSE, seen_failed = FALSE;
  gint64 last_start = G_MAXINT64;

  g_assert_cmpint (text->status, ==, EXIT_OK);
  g_assert_true (g_str_has_prefix (text->out, "REMOTE "));
  g_assert_nonnull (strstr (text->out, "qmstart"));

  g_assert_cmpint (json->status, ==, EXIT_OK);
  root = parse_json (json->out);
  tasks = get_array (root);
  g_assert_cmpuint (json_array_get_length (tasks), >=, 2);
  for (guint i = 0; i < json_array_get_length (tasks); i++)
    {
      JsonObject *task = json_array_get_object_element (tasks, i);
      gint64 start = json_object_get_int_member (task, "starttime");

      g_assert_true (g_str_has_prefix (json_object_get_string_member (task, "upid"), "UPID:"));
      g_assert_cmpint (start, <=, last_start);
      last_start = start;

      if (g_strcmp0 (json_object_get_string_member (task, "type"), "qmstart") != 0
          || json_object_get_boolean_member (task, "running"))
        continue;
      if (g_str_equal (json_object_get_string_member (task, "exitstatus"), "OK"))
        seen_ok = TRUE;
      else
        seen_failed = TRUE;
    }
  g_assert_true (seen_ok);
  g_assert_true (seen_failed);
}

static void
test_partial (void)
{
  Simulator second = { 0 };
  g_autoptr(CliResult) add = NULL;
  g_autoptr(CliResult) guests = NULL;
  g_autoptr(CliResult) one = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  simulator_start (&second);
  add = run_cli (ROOT_PASSWORD "\n", "add", "second", "--host", "127.0.0.1",
                 "--port", second.port_text, "--user", "root@pam",
                 "--fingerprint", second.fingerprint, NULL);
  g_assert_cmpint (add->status, ==, EXIT_OK);
  simulator_stop (&second);

  /* alice (TFA, no terminal) and second (gone) fail; lab, ci and ro are still listed. */
  guests = run_cli (NULL, "guests", "--json", NULL);
  g_assert_cmpint (guests->status, ==, EXIT_CONNECTION);
  g_assert_nonnull (strstr (guests->err, "second"));
  g_assert_nonnull (strstr (guests->err, "alice"));
  root = parse_json (guests->out);
  array = get_array (root);
  g_assert_cmpuint (json_array_get_length (array), >=, 36);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                  "remote"), ==, "ci");

  one = run_cli (NULL, "check", "second", NULL);
  g_assert_cmpint (one->status, ==, EXIT_CONNECTION);

  {
    g_autoptr(CliResult) remove = run_cli (NULL, "remove", "second", NULL);
    g_assert_cmpint (remove->status, ==, EXIT_OK);
  }
}

static void
test_remove (void)
{
  g_autofree char *id = remote_id_for_name ("lab");
  g_autoptr(CliResult) result = NULL;
  g_autoptr(CliResult) again = NULL;
  guint groups = count_groups ();

  g_assert_nonnull (id);
  g_assert_cmpuint (count_keyring_items ("remote-id", id), ==, 1);

  result = run_cli (NULL, "remove", "lab", NULL);
  g_assert_cmpint (result->status, ==, EXIT_OK);
  g_assert_false (has_remote ("lab"));
  g_assert_cmpuint (count_groups (), ==, groups - 1);
  g_assert_cmpuint (count_keyring_items ("remote-id", id), ==, 0);

  again = run_cli (NULL, "remove", "lab", NULL);
  g_assert_cmpint (again->status, ==, EXIT_NOT_FOUND);
}

/* Runs the CLI with a pseudo-terminal as standard input: waits (10 s at most) for prompt on
 * stderr, types answer, and returns the result; *shown gets what the terminal displayed after
 * the prompt (the echo, if any). */
static CliResult *
run_cli_on_terminal (const char  *prompt,
                     const char  *answer,
                     char       **shown,
                     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) err_start = g_string_new (NULL);
  g_autoptr(GString) echoed = g_string_new (NULL);
  g_autofree char *typed = g_strconcat (answer, "\n", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  CliResult *result;
  int master, slave, err_fd;
  char buffer[256];
  gint64 deadline;
  va_list args;

  g_ptr_array_add (argv, (char *) require_env ("PVE_CLI"));
  va_start (args, shown);
  for (const char *arg = va_arg (args, const char *); arg != NULL;
       arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  master = posix_openpt (O_RDWR | O_NOCTTY);
  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);
  slave = open (ptsname (master), O_RDWR | O_NOCTTY);
  g_assert_cmpint (slave, >=, 0);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_take_stdin_fd (launcher, slave);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  /* Wait for the prompt: only then is echo off (input typed earlier would be flushed). */
  err_fd = g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (g_subprocess_get_stderr_pipe (process)));
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (strstr (err_start->str, prompt) == NULL || !g_str_has_suffix (err_start->str, ": "))
    {
      struct pollfd fd = { err_fd, POLLIN, 0 };
      ssize_t n;

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (poll (&fd, 1, 100) <= 0)
        continue;
      n = read (err_fd, buffer, sizeof buffer);
      if (n <= 0)
        g_error ("no prompt “%s” on stderr, got: %s", prompt, err_start->str);
      g_string_append_len (err_start, buffer, n);
    }

  /* What the terminal shows from now on: the echo, if any. */
  fcntl (master, F_SETFL, O_NONBLOCK);
  while (read (master, buffer, sizeof buffer) > 0)
    ;
  g_assert_cmpint (write (master, typed, strlen (typed)), ==, (gssize) strlen (typed));

  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));

  deadline = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  while (g_get_monotonic_time () < deadline)
    {
      struct pollfd fd = { master, POLLIN, 0 };
      ssize_t n;

      if (poll (&fd, 1, 100) <= 0)
        break;
      n = read (master, buffer, sizeof buffer);
      if (n <= 0)
        break;
      g_string_append_len (echoed, buffer, n);
    }
  close (master);

  result = g_new0 (CliResult, 1);
  result->status = g_subprocess_get_exit_status (process);
  result->out = g_steal_pointer (&out);
  result->err = g_strconcat (err_start->str, err, NULL);
  *shown = g_string_free (g_steal_pointer (&echoed), FALSE);

  g_test_message ("pve-remotes-cli %s (on a terminal) -> %d\nstdout:\n%s\nstderr:\n%s",
                  (const char *) g_ptr_array_index (argv, 1), result->status, result->out,
                  result->err);
  g_string_append (all_output, result->out);
  g_string_append (all_output, result->err);
  g_string_append (all_output, *shown);

  return result;
}

/* On a terminal the password is asked for with echo off. */
static void
test_add_prompt_on_terminal (void)
{
  g_autofree char *shown = NULL;
  g_autoptr(CliResult) result = NULL;
  g_autoptr(CliResult) remove = NULL;

  result = run_cli_on_terminal ("Password of root@pam", ROOT_PASSWORD, &shown,
                                "add", "tty", "--host", "127.0.0.1", "--port",
                                main_sim.port_text, "--user", "root@pam", "--fingerprint",
                                main_sim.fingerprint, NULL);
  g_assert_cmpint (result->status, ==, EXIT_OK);
  g_assert_null (strstr (shown, ROOT_PASSWORD));
  g_assert_true (has_remote ("tty"));

  remove = run_cli (NULL, "remove", "tty", NULL);
  g_assert_cmpint (remove->status, ==, EXIT_OK);
}

/* A TFA account: on a terminal the code is asked for; without one the command says how to
 * get in, with exit code 6. */
static void
test_tfa_on_terminal (void)
{
  g_autofree char *shown = NULL;
  g_autoptr(CliResult) script = run_cli (NULL, "check", "alice", NULL);
  g_autoptr(CliResult) terminal = NULL;

  g_assert_cmpint (script->status, ==, EXIT_CREDENTIALS);
  g_assert_nonnull (strstr (script->err, "second factor"));

  terminal = run_cli_on_terminal ("Second factor for alice", ALICE_TOTP, &shown,
                                  "check", "alice", NULL);
  g_assert_cmpint (terminal->status, ==, EXIT_OK);
  g_assert_true (g_str_has_prefix (terminal->out, "alice: OK (PVE "));
}

static void
test_no_secret_leaked (void)
{
  g_autofree char *ini = read_remotes_ini ();
  const char *secrets[] = { ROOT_PASSWORD, AUDIT_PASSWORD, ALICE_PASSWORD, TOKEN_SECRET };

  g_assert_cmpuint (all_output->len, >, 0);
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      g_assert_null (strstr (all_output->str, secrets[i]));
      g_assert_null (strstr (ini, secrets[i]));
    }
}

/* A remotes.ini that cannot be read: exit code 1 with the reason; the file is kept aside. */
static void
test_corrupt_config (void)
{
  g_autofree char *path = remotes_ini_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CliResult) status = NULL;
  g_autoptr(CliResult) list = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *entry;
  gboolean backup = FALSE;

  g_file_set_contents (path, "[broken\nname=\xff", -1, &error);
  g_assert_no_error (error);

  status = run_cli (NULL, "status", "lab", "100", NULL);
  g_assert_cmpint (status->status, ==, EXIT_USAGE);
  g_assert_nonnull (strstr (status->err, "remotes.ini.bak"));

  list = run_cli (NULL, "list", "--json", NULL);
  g_assert_cmpint (list->status, ==, EXIT_OK);
  g_assert_cmpstr (list->out, ==, "[]\n");

  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((entry = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (entry, "remotes.ini.bak"))
      backup = TRUE;
  g_assert_true (backup);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  /* The tests build on each other: they are all in one suite (/pve/cli/NAME, no deeper
   * paths), so GLib runs them in the order they are added. */

  /* Never the user's own configuration or keyring. */
  if (g_getenv ("PVE_TEST_ISOLATED") == NULL)
    g_error ("run this test through meson test (tests/run-isolated.sh)");

  all_output = g_string_new (NULL);
  simulator_start (&main_sim);

  g_test_add_func ("/pve/cli/usage", test_usage);
  g_test_add_func ("/pve/cli/add-wrong-password", test_add_wrong_password);
  g_test_add_func ("/pve/cli/add-untrusted-certificate", test_add_untrusted);
  g_test_add_func ("/pve/cli/add-wrong-fingerprint", test_add_wrong_fingerprint);
  g_test_add_func ("/pve/cli/add-ok", test_add_ok);
  g_test_add_func ("/pve/cli/add-token-and-tfa", test_add_token_and_tfa);
  g_test_add_func ("/pve/cli/list", test_list);
  g_test_add_func ("/pve/cli/check", test_check);
  g_test_add_func ("/pve/cli/check-no-secret", test_check_no_secret);
  g_test_add_func ("/pve/cli/keyring-unavailable", test_keyring_unavailable);
  g_test_add_func ("/pve/cli/guests", test_guests);
  g_test_add_func ("/pve/cli/nodes", test_nodes);
  g_test_add_func ("/pve/cli/status", test_status);
  g_test_add_func ("/pve/cli/start-wait", test_start_wait);
  g_test_add_func ("/pve/cli/reboot-no-wait", test_start_no_wait);
  g_test_add_func ("/pve/cli/start-task-fails", test_task_fails);
  g_test_add_func ("/pve/cli/start-refused", test_action_refused);
  g_test_add_func ("/pve/cli/start-permission-denied", test_permission_denied);
  g_test_add_func ("/pve/cli/tasks", test_tasks);
  g_test_add_func ("/pve/cli/partial-result", test_partial);
  g_test_add_func ("/pve/cli/remove", test_remove);
  g_test_add_func ("/pve/cli/add-prompt-on-terminal", test_add_prompt_on_terminal);
  g_test_add_func ("/pve/cli/tfa-on-terminal", test_tfa_on_terminal);
  g_test_add_func ("/pve/cli/no-secret-leaked", test_no_secret_leaked);
  g_test_add_func ("/pve/cli/corrupt-config", test_corrupt_config);

  status = g_test_run ();

  simulator_stop (&main_sim);
  g_string_free (all_output, TRUE);
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * No secret leaks anywhere: add, connect, use (reads, a power action with the CSRF token,
 * ticket renewals, a re-login after a server restart), disconnect, reconnect from the keyring
 * and remove, once through the core (PveRemoteManager, PveGuestList, PveTask) with every log
 * message captured (G_MESSAGES_DEBUG=all, our own log writer), once through the real
 * pve-remotes-cli and pve-remotes binaries with their stdout and stderr captured. Then the
 * password, the API token secret, every ticket and every CSRF token the simulator issued are
 * searched for in:
 *   - every log line and everything the binaries printed;
 *   - every file under the isolated session's temporary root (HOME, XDG config/data/cache/
 *     state/runtime: remotes.ini, the keyring files, anything else written);
 *   - every regular file this process has open (/proc/self/fd);
 *   - every file created in /tmp during the test, and core dumps, if any.
 * None may appear. Removing a remote must remove its keyring items, checked with secret-tool.
 */
#define _GNU_SOURCE  /* memmem */
#include <glib/gstdio.h>
#include <string.h>

#include "pve-guest-list.h"
#include "pve-remote-manager.h"
#include "pve-sim.h"
#include "pve-task.h"
#include "test-util.h"

#define WAIT_MS 20000

static GString *captured_log;
static guint n_log_lines;
static GPtrArray *tmp_before;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  /* Every field of every message, whatever its level: what any writer could print. */
  for (gsize i = 0; i < n_fields; i++)
    {
      g_string_append (captured_log, fields[i].key);
      g_string_append_c (captured_log, '=');
      if (fields[i].length < 0)
        g_string_append (captured_log, fields[i].value);
      else
        g_string_append_len (captured_log, fields[i].value, fields[i].length);
      g_string_append_c (captured_log, ' ');
    }
  g_string_append_c (captured_log, '\n');
  n_log_lines++;

  /* Failures still reach the test output. */
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_standard_streams (level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

/* ---- the secrets and where to look for them ------------------------------------------- */

static void
add_needle (GPtrArray  *needles,
            const char *secret)
{
  const char *sig;
  g_autofree char *escaped = NULL;

  if (secret == NULL || strlen (secret) < 8)
    return;
  g_ptr_array_add (needles, g_strdup (secret));
  escaped = g_uri_escape_string (secret, NULL, FALSE);
  if (!g_str_equal (escaped, secret))
    g_ptr_array_add (needles, g_steal_pointer (&escaped));
  /* The signature part alone: "PVE:root@pam:HEX::SIG", "HEX:SIG". */
  sig = strrchr (secret, ':');
  if (sig != NULL && strlen (sig + 1) >= 16)
    g_ptr_array_add (needles, g_strdup (sig + 1));
}

static GPtrArray *
collect_needles (PveSim     *sim,
                 const char *password,
                 const char *token_secret)
{
  GPtrArray *needles = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) issued = pve_sim_dup_issued_tickets (sim);

  add_needle (needles, password);
  add_needle (needles, token_secret);
  for (guint i = 0; issued[i] != NULL; i++)
    add_needle (needles, issued[i]);
  return needles;
}

static void
assert_clean (const char *what,
              const char *haystack,
              gsize       length,
              GPtrArray  *needles)
{
  for (guint i = 0; i < needles->len; i++)
    {
      const char *needle = g_ptr_array_index (needles, i);

      if (memmem (haystack, length, needle, strlen (needle)) != NULL)
        g_error ("a secret (%zu characters, starting “%.4s…”) is in %s", strlen (needle),
                 needle, what);
    }
}

static guint
search_tree (const char *path,
             GPtrArray  *needles)
{
  guint n = 0;

  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    return 0;
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          n += search_tree (child, needles);
        }
      return n;
    }
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_get_contents (path, &contents, &length, NULL))
        {
          assert_clean (path, contents, length, needles);
          return 1;
        }
    }
  return 0;
}

static GPtrArray *
list_tmp (void)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open (g_get_tmp_dir (), 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  return names;
}

static gboolean
str_in_array (GPtrArray  *array,
              const char *s)
{
  for (guint i = 0; i < array->len; i++)
    if (g_str_equal (g_ptr_array_index (array, i), s))
      return TRUE;
  return FALSE;
}

/* Everything but the binaries' own output, which the caller checks. */
static void
search_everywhere (GPtrArray *needles)
{
  g_autofree char *root = g_path_get_dirname (g_get_home_dir ());
  g_autoptr(GPtrArray) tmp_after = list_tmp ();
  g_autoptr(GDir) fds = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *name;
  guint n_files;

  assert_clean ("the log", captured_log->str, captured_log->len, needles);
  g_test_message ("%u log messages searched (%zu bytes)", n_log_lines, captured_log->len);

  /* The isolated session's root: HOME and every XDG dir live below it. Outside the wrapper
   * (no PVE_TEST_ISOLATED) only HOME's config and data dirs are searched. */
  if (g_getenv ("PVE_TEST_ISOLATED") != NULL)
    n_files = search_tree (root, needles);
  else
    n_files = search_tree (g_get_user_config_dir (), needles)
              + search_tree (g_get_user_data_dir (), needles);
  g_test_message ("%u files under %s searched", n_files, root);
  g_assert_cmpuint (n_files, >=, 1);

  n_files = 0;
  while ((name = g_dir_read_name (fds)) != NULL)
    {
      g_autofree char *link = g_build_filename ("/proc/self/fd", name, NULL);
      g_autofree char *target = g_file_read_link (link, NULL);

      if (target != NULL && target[0] == '/' && g_file_test (target, G_FILE_TEST_IS_REGULAR))
        n_files += search_tree (target, needles);
    }
  g_test_message ("%u open files searched", n_files);

  n_files = 0;
  for (guint i = 0; i < tmp_after->len; i++)
    {
      const char *entry = g_ptr_array_index (tmp_after, i);
      g_autofree char *path = g_build_filename (g_get_tmp_dir (), entry, NULL);

      if (!str_in_array (tmp_before, entry))
        n_files += search_tree (path, needles);
    }
  g_test_message ("%u new files in %s searched", n_files, g_get_tmp_dir ());

  /* Core dumps (none expected; if the kernel wrote one here, it must not hold a secret). */
  {
    const char *places[] = { ".", g_get_tmp_dir (), g_get_home_dir () };

    for (guint p = 0; p < G_N_ELEMENTS (places); p++)
      {
        g_autoptr(GDir) dir = g_dir_open (places[p], 0, NULL);

        while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
          if (g_str_has_prefix (name, "core"))
            {
              g_autofree char *path = g_build_filename (places[p], name, NULL);
              g_test_message ("searching core dump %s", path);
              search_tree (path, needles);
            }
      }
  }
}

/* The keyring as another program sees it. */
static gboolean
keyring_has_item (const char *id)
{
  const char *argv[] = { "secret-tool", "search", "--all", "remote-id", id, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *needle = g_strdup_printf ("attribute.remote-id = %s", id);
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  return strstr (out, needle) != NULL || strstr (err, needle) != NULL;
}

/* ---- the core ------------------------------------------------------------------------- */

typedef struct
{
  PveSim           *sim;
  PveRemoteManager *manager;
  char             *dir;
} Core;

static gboolean
await_bool (GAsyncResult **result)
{
  pve_test_await (result, WAIT_MS);
  return TRUE;
}

static PveRemote *
add_remote (Core        *c,
            const char  *name,
            const char  *user,
            const char  *realm,
            const char  *token,
            const char  *secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PveRemote *draft = pve_remote_new ();

  pve_remote_set_name (draft, name);
  pve_remote_set_host (draft, "127.0.0.1");
  pve_remote_set_port (draft, pve_sim_get_port (c->sim));
  pve_remote_set_user (draft, user);
  pve_remote_set_realm (draft, realm);
  if (token != NULL)
    {
      pve_remote_set_auth_kind (draft, PVE_AUTH_KIND_TOKEN);
      pve_remote_set_token_id (draft, token);
    }
  pve_remote_set_fingerprint (draft, pve_sim_get_fingerprint (c->sim));
  pve_remote_manager_add_async (c->manager, draft, secret, NULL, pve_test_store_result, &result);
  await_bool (&result);
  g_assert_true (pve_remote_manager_add_finish (c->manager, result, &error));
  g_assert_no_error (error);
  return draft;
}

static void
use_remote (Core      *c,
            PveRemote *remote)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  pve_remote_manager_request_async (c->manager, remote, "GET", "/cluster/status", NULL, NULL,
                                    pve_test_store_result, &result);
  await_bool (&result);
  node = pve_remote_manager_request_finish (c->manager, result, NULL, &error);
  g_assert_no_error (error);
}

static void
test_core (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PveRemote) remote = NULL;
  g_autoptr(PveRemote) token_remote = NULL;
  g_autoptr(PveGuestList) list = NULL;
  g_autoptr(PveTask) task = NULL;
  g_autoptr(GPtrArray) needles = NULL;
  g_autofree char *id = NULL;
  g_autofree char *token_remote_id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  Core core = { 0 }, *c = &core;
  PveClient *client;
  PveGuest *guest;
  gint64 vmid;

  c->sim = pve_sim_new (3, 12, 5);
  g_assert_cmpuint (pve_sim_listen (c->sim, 0, &error), >, 0);
  pve_sim_set_task_duration_ms (c->sim, 100);
  {
    /* The default place, as the app uses it: $XDG_CONFIG_HOME/com.example.PveRemotes/. */
    g_autoptr(PveRemoteStore) store = pve_remote_store_new (NULL);
    g_autoptr(PveSecrets) secrets = pve_secrets_new ();

    c->manager = pve_remote_manager_new (store, secrets);
    path = g_strdup (pve_remote_store_get_path (store));
  }
  pve_remote_manager_set_heartbeat_interval (c->manager, 1);
  pve_remote_manager_set_renew_after (c->manager, 1);
  pve_remote_manager_load_async (c->manager, NULL, pve_test_store_result, &result);
  await_bool (&result);
  g_assert_true (pve_remote_manager_load_finish (c->manager, result, &error));
  g_clear_object (&result);

  /* add (password and token), the guest list, a power action with the CSRF token */
  remote = add_remote (c, "lab", "root", "pam", NULL, PVE_SIM_ROOT_PASSWORD);
  token_remote = add_remote (c, "ci", "root", "pam", "ci", PVE_SIM_TOKEN_SECRET);
  id = g_strdup (pve_remote_get_id (remote));
  token_remote_id = g_strdup (pve_remote_get_id (token_remote));
  g_assert_true (keyring_has_item (id));
  g_assert_true (keyring_has_item (token_remote_id));

  list = pve_guest_list_new (c->manager);
  pve_guest_list_set_refresh_interval (list, 1);
  pve_test_wait_until (g_list_model_get_n_items (G_LIST_MODEL (list)) == 24, WAIT_MS);
  vmid = pve_sim_find_guest (c->sim, "qemu", "stopped");
  guest = pve_guest_list_lookup_vmid (list, remote, vmid);
  g_assert_nonnull (guest);
  task = pve_task_new (c->manager, guest, "start");
  pve_task_set_poll_interval (task, 50);
  pve_task_run_async (task, NULL, pve_test_store_result, &result);
  await_bool (&result);
  g_assert_true (pve_task_run_finish (task, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  /* renewals (the ticket is sent as the password), then a server restart (re-login) */
  client = pve_remote_manager_get_client (c->manager, remote);
  pve_test_wait_until (pve_client_get_renew_count (client) >= 2, WAIT_MS);
  pve_sim_invalidate_tickets (c->sim);
  use_remote (c, remote);
  use_remote (c, token_remote);

  /* disconnect, reconnect from the keyring, disconnect */
  pve_remote_manager_disconnect (c->manager, remote);
  pve_remote_manager_connect_async (c->manager, remote, NULL, FALSE, NULL,
                                    pve_test_store_result, &result);
  await_bool (&result);
  g_assert_true (pve_remote_manager_connect_finish (c->manager, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  use_remote (c, remote);
  pve_remote_manager_disconnect_all (c->manager);

  /* remove: the key-file group and the keyring items go */
  pve_remote_manager_remove_async (c->manager, remote, NULL, pve_test_store_result, &result);
  await_bool (&result);
  g_assert_true (pve_remote_manager_remove_finish (c->manager, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_false (keyring_has_item (id));
  g_assert_true (keyring_has_item (token_remote_id));
  pve_remote_manager_remove_async (c->manager, token_remote, NULL, pve_test_store_result, &result);
  await_bool (&result);
  g_assert_true (pve_remote_manager_remove_finish (c->manager, result, &error));
  g_assert_false (keyring_has_item (token_remote_id));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, id));

  needles = collect_needles (c->sim, PVE_SIM_ROOT_PASSWORD, PVE_SIM_TOKEN_SECRET);
  {
    g_auto(GStrv) issued = pve_sim_dup_issued_tickets (c->sim);

    g_test_message ("%u strings to search for (%u tickets and CSRF tokens were issued)",
                    needles->len, g_strv_length (issued));
  }
  g_assert_cmpuint (needles->len, >=, 10);

  g_clear_object (&task);
  g_assert_finalize_object (g_steal_pointer (&list));
  g_clear_object (&c->manager);
  search_everywhere (needles);

  pve_sim_stop (c->sim);
  g_clear_object (&c->sim);
}

/* ---- the binaries ------------------------------------------------------------------------ */

typedef struct
{
  int   status;
  char *out;
  char *err;
  gboolean done;
} Run;

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result,
                                                       &run->out, &run->err, &error));
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (G_SUBPROCESS (object));
  run->done = TRUE;
}

/* Runs a binary with G_MESSAGES_DEBUG=all while the in-process simulator keeps answering. */
static void
run_binary (GString            *output,
            const char         *input,
            int                 expected_status,
            const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, input, NULL, communicate_cb, &run);
  pve_test_wait_until (run.done, 60000);
  g_string_append_printf (output, "$ %s %s\n%s\n%s\n", argv[0], argv[1], run.out, run.err);
  if (run.status != expected_status)
    g_error ("%s %s exited with %d:\n%s\n%s", argv[0], argv[1], run.status, run.out, run.err);
  g_free (run.out);
  g_free (run.err);
}

/* The id the CLI gave a remote, from the shared key file. */
static char *
find_remote_id (const char *name)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "com.example.PveRemotes",
                                            "remotes.ini", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) remotes = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  remotes = pve_remote_store_parse (contents, length, NULL);
  g_assert_nonnull (remotes);
  for (guint i = 0; i < remotes->len; i++)
    if (g_str_equal (pve_remote_get_name (g_ptr_array_index (remotes, i)), name))
      return g_strdup (pve_remote_get_id (g_ptr_array_index (remotes, i)));
  g_error ("%s is not in %s", name, path);
}

static void
test_cli (void)
{
  const char *cli = g_getenv ("PVE_CLI");
  g_autoptr(GError) error = NULL;
  g_autoptr(PveSim) sim = pve_sim_new (3, 12, 9);
  g_autoptr(GString) output = g_string_new (NULL);
  g_autoptr(GPtrArray) needles = NULL;
  g_autofree char *port = NULL;
  g_autofree char *vmid = NULL;
  g_autofree char *input = g_strdup_printf ("%s\n", PVE_SIM_ROOT_PASSWORD);
  g_autofree char *cli_id = NULL;

  if (cli == NULL)
    {
      g_test_skip ("PVE_CLI is not set (run through meson test)");
      return;
    }
  g_assert_cmpuint (pve_sim_listen (sim, 0, &error), >, 0);
  g_assert_no_error (error);
  pve_sim_set_task_duration_ms (sim, 100);
  port = g_strdup_printf ("%u", pve_sim_get_port (sim));
  vmid = g_strdup_printf ("%" G_GINT64_FORMAT, pve_sim_find_guest (sim, "qemu", "stopped"));

  {
    const char *add[] = { cli, "add", "cli-lab", "--host", "127.0.0.1", "--port", port,
                          "--user", "root@pam", "--fingerprint", pve_sim_get_fingerprint (sim),
                          NULL };
    const char *check[] = { cli, "check", "cli-lab", NULL };
    const char *guests[] = { cli, "guests", "--json", NULL };
    const char *start[] = { cli, "start", "cli-lab", vmid, "--wait", NULL };
    const char *status[] = { cli, "status", "cli-lab", vmid, NULL };
    const char *list[] = { cli, "list", NULL };
    const char *remove[] = { cli, "remove", "cli-lab", NULL };

    run_binary (output, input, 0, add);
    cli_id = find_remote_id ("cli-lab");
    g_assert_true (keyring_has_item (cli_id));
    run_binary (output, NULL, 0, check);
    pve_sim_invalidate_tickets (sim);
    run_binary (output, NULL, 0, guests);
    run_binary (output, NULL, 0, start);
    run_binary (output, NULL, 0, status);
    run_binary (output, NULL, 0, list);
    run_binary (output, NULL, 0, remove);
    g_assert_false (keyring_has_item (cli_id));
  }
  g_assert_cmpstr (pve_sim_get_guest_status (sim, g_ascii_strtoll (vmid, NULL, 10)), ==,
                   "running");

  needles = collect_needles (sim, PVE_SIM_ROOT_PASSWORD, NULL);
  g_test_message ("%zu bytes of CLI output searched for %u secrets", output->len, needles->len);
  /* Debug output really was on (the core logs its requests with g_debug). */
  g_assert_nonnull (strstr (output->str, "/access/ticket"));
  assert_clean ("the CLI's output", output->str, output->len, needles);
  g_assert_null (strstr (output->str, "PVEAuthCookie"));
  g_assert_null (strstr (output->str, "CSRFPreventionToken:"));
  search_everywhere (needles);
  pve_sim_stop (sim);
}

/* The app in demo mode (its own simulator process: we do not know the tickets it issues, so
 * the check is for the password and for anything shaped like a ticket or its header). The
 * output is read asynchronously so that the main loop (and a deadline) keep running. */
typedef struct
{
  GInputStream *stream;
  GString      *output;
  char          buffer[4096];
  gboolean      eof;
} Reader;

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Reader *reader = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);

  if (n <= 0)
    {
      reader->eof = TRUE;
      return;
    }
  g_string_append_len (reader->output, reader->buffer, n);
  g_input_stream_read_async (reader->stream, reader->buffer, sizeof reader->buffer,
                             G_PRIORITY_DEFAULT, NULL, read_cb, reader);
}

static void
test_app_demo (void)
{
  const char *app = g_getenv ("PVE_APP");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) needles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) output = g_string_new (NULL);
  g_autofree char *store = NULL;
  Reader reader = { 0 };

  if (app == NULL || g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("PVE_APP or DISPLAY is not set (run through meson test)");
      return;
    }
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, app, "--demo", NULL);
  g_assert_no_error (error);
  reader.stream = g_subprocess_get_stdout_pipe (process);
  reader.output = output;
  g_input_stream_read_async (reader.stream, reader.buffer, sizeof reader.buffer,
                             G_PRIORITY_DEFAULT, NULL, read_cb, &reader);

  /* Until the demo cluster is connected (the core logs "Connected to …"). */
  pve_test_wait_until (reader.eof || strstr (output->str, "Connected to") != NULL, 30000);
  g_assert_false (reader.eof);
  /* Let it work a little (the guest list refreshes), then quit it as a session would. */
  {
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC;
    pve_test_wait_until (g_get_monotonic_time () > until, 5000);
  }
  g_subprocess_send_signal (process, SIGTERM);
  /* The app quits on SIGTERM and stops its simulator: the pipe closes. */
  pve_test_wait_until (reader.eof, 15000);
  {
    g_autoptr(GAsyncResult) result = NULL;

    g_subprocess_wait_async (process, NULL, pve_test_store_result, &result);
    pve_test_await (&result, 15000);
    g_assert_true (g_subprocess_wait_finish (process, result, NULL));
  }
  g_assert_true (g_subprocess_get_if_exited (process));
  g_test_message ("%zu bytes of app output searched", output->len);
  g_ptr_array_add (needles, g_strdup ("pve-demo"));
  assert_clean ("the app's output", output->str, output->len, needles);
  g_assert_null (strstr (output->str, "PVE:root@pam:"));
  g_assert_null (strstr (output->str, "PVEAuthCookie"));
  g_assert_null (strstr (output->str, "CSRFPreventionToken:"));

  store = g_build_filename (g_get_user_config_dir (), "com.example.PveRemotes", NULL);
  search_tree (store, needles);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  captured_log = g_string_new (NULL);
  tmp_before = list_tmp ();
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pve/secrets-leak/core", test_core);
  g_test_add_func ("/pve/secrets-leak/cli", test_cli);
  g_test_add_func ("/pve/secrets-leak/app-demo", test_app_demo);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared pieces of pve-remotes-cli: loop, errors, prompts, connecting, output. */

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib-unix.h>

#include "pve-cli.h"

/* ---- Running --------------------------------------------------------------------------------- */

typedef struct
{
  PveCli         *cli;
  GFunc           ready;
  gpointer        user_data;
  GDestroyNotify  destroy;
} LoadData;

static void
store_load_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  LoadData *data = user_data;
  PveCli *cli = data->cli;
  g_autoptr(GError) error = NULL;

  if (!pve_remote_store_load_finish (PVE_REMOTE_STORE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        pve_cli_finish (cli, PVE_CLI_EXIT_INTERRUPTED);
      else
        pve_cli_finish (cli, pve_cli_report_error (_("Cannot read the list of remotes"), error));
      if (data->destroy != NULL)
        data->destroy (data->user_data);
      g_free (data);
      return;
    }

  /* The store is loaded here rather than with pve_remote_manager_load_async(): that one also
   * connects the remotes marked "autoconnect", which a command-line call must not do. */
  cli->secrets = pve_secrets_new ();
  cli->manager = pve_remote_manager_new (cli->store, cli->secrets);
  pve_remote_manager_set_heartbeat_interval (cli->manager, 0);

  data->ready (cli, data->user_data);
  g_free (data);
}

void
pve_cli_load (PveCli         *cli,
              GFunc           ready,
              gpointer        user_data,
              GDestroyNotify  destroy)
{
  LoadData *data;

  g_return_if_fail (cli->store == NULL);

  data = g_new0 (LoadData, 1);
  data->cli = cli;
  data->ready = ready;
  data->user_data = user_data;
  data->destroy = destroy;

  cli->store = pve_remote_store_new (NULL);
  pve_remote_store_load_async (cli->store, cli->cancellable, store_load_cb, data);
}

static gboolean
on_signal (gpointer user_data)
{
  PveCli *cli = user_data;

  pve_cli_message (_("Interrupted"));
  g_cancellable_cancel (cli->cancellable);
  pve_cli_finish (cli, PVE_CLI_EXIT_INTERRUPTED);
  return G_SOURCE_CONTINUE;
}

int
pve_cli_run (PveCli *cli)
{
  guint sigint_id, sigterm_id;

  sigint_id = g_unix_signal_add (SIGINT, on_signal, cli);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, cli);

  if (!cli->finished)
    g_main_loop_run (cli->loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  /* Tear down: drop every session, then let the cancelled operations report back before
   * the objects go away. */
  if (cli->manager != NULL)
    pve_remote_manager_disconnect_all (cli->manager);
  g_cancellable_cancel (cli->cancellable);
  for (guint i = 0; i < 100 && g_main_context_iteration (NULL, FALSE); i++)
    ;

  return cli->exit_code;
}

void
pve_cli_finish (PveCli *cli,
                int     exit_code)
{
  if (cli->finished)
    return;

  cli->finished = TRUE;
  cli->exit_code = exit_code;
  g_main_loop_quit (cli->loop);
}

/* ---- Errors and messages --------------------------------------------------------------------- */

int
pve_cli_exit_code_for_error (const GError *error)
{
  if (error == NULL)
    return PVE_CLI_EXIT_OK;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return PVE_CLI_EXIT_INTERRUPTED;

  if (error->domain == PVE_CLIENT_ERROR)
    {
      switch ((PveClientError) error->code)
        {
        case PVE_CLIENT_ERROR_AUTH_FAILED:
        case PVE_CLIENT_ERROR_PERMISSION_DENIED:
          return PVE_CLI_EXIT_AUTH;
        case PVE_CLIENT_ERROR_NEED_TFA:
          return PVE_CLI_EXIT_CREDENTIALS;
        case PVE_CLIENT_ERROR_INVALID_HOST:
        case PVE_CLIENT_ERROR_INVALID_PARAMS:
          return PVE_CLI_EXIT_USAGE;
        case PVE_CLIENT_ERROR_FAILED:
        case PVE_CLIENT_ERROR_NOT_CONNECTED:
        case PVE_CLIENT_ERROR_TLS_UNTRUSTED:
        case PVE_CLIENT_ERROR_TLS_CHANGED:
        case PVE_CLIENT_ERROR_TIMEOUT:
        case PVE_CLIENT_ERROR_NETWORK:
        case PVE_CLIENT_ERROR_HTTP:
        case PVE_CLIENT_ERROR_NOT_IMPLEMENTED:
        case PVE_CLIENT_ERROR_SERVER:
        case PVE_CLIENT_ERROR_PARSE:
        case PVE_CLIENT_ERROR_TOO_LARGE:
        default:
          return PVE_CLI_EXIT_CONNECTION;
        }
    }

  if (error->domain == PVE_MANAGER_ERROR)
    {
      switch ((PveManagerError) error->code)
        {
        case PVE_MANAGER_ERROR_INVALID:
        case PVE_MANAGER_ERROR_DUPLICATE_NAME:
          return PVE_CLI_EXIT_USAGE;
        case PVE_MANAGER_ERROR_NEEDS_CREDENTIALS:
          return PVE_CLI_EXIT_CREDENTIALS;
        case PVE_MANAGER_ERROR_BUSY:
        default:
          return PVE_CLI_EXIT_CONNECTION;
        }
    }

  if (error->domain == PVE_SECRETS_ERROR)
    return PVE_CLI_EXIT_CREDENTIALS;

  if (error->domain == PVE_STORE_ERROR)
    return PVE_CLI_EXIT_USAGE;

  return PVE_CLI_EXIT_CONNECTION;
}

void
pve_cli_message (const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fflush (stdout);
  fprintf (stderr, "pve-remotes-cli: %s\n", message);
  fflush (stderr);
}

int
pve_cli_report_error (const char   *prefix,
                      const GError *error)
{
  g_autofree char *message = g_strstrip (g_strdup (error->message));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return PVE_CLI_EXIT_INTERRUPTED;

  if (prefix != NULL)
    pve_cli_message ("%s: %s", prefix, message);
  else
    pve_cli_message ("%s", message);

  return pve_cli_exit_code_for_error (error);
}

gboolean
pve_cli_parse_options (GOptionContext   *context,
                       int              *argc,
                       char           ***argv)
{
  g_autoptr(GError) error = NULL;

  g_option_context_set_help_enabled (context, TRUE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      pve_cli_message ("%s", error->message);
      fprintf (stderr, _("Run “%s --help” for usage.\n"), g_get_prgname ());
      return FALSE;
    }

  return TRUE;
}

int
pve_cli_usage_error (const char *command,
                     const char *format,
                     ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  pve_cli_message ("%s", message);
  if (command != NULL)
    fprintf (stderr, _("Run “pve-remotes-cli %s --help” for usage.\n"), command);
  else
    fputs (_("Run “pve-remotes-cli --help” for usage.\n"), stderr);

  return PVE_CLI_EXIT_USAGE;
}

/* ---- Secrets and prompts --------------------------------------------------------------------- */

#define MAX_SECRET_LENGTH 4096

static struct termios saved_termios;
static volatile sig_atomic_t termios_saved;

static void
restore_terminal_and_exit (int signum)
{
  if (termios_saved)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
      (void) !write (STDERR_FILENO, "\n", 1);
    }
  _exit (PVE_CLI_EXIT_INTERRUPTED);
}

gboolean
pve_cli_stdin_is_tty (void)
{
  return isatty (STDIN_FILENO);
}

/* Reads up to a newline, one byte at a time and unbuffered: no copy of the secret stays in a
 * stdio buffer, and a second line (a TFA code) is left for the next call. */
static char *
read_line_unbuffered (GError **error)
{
  char *buffer = g_malloc0 (MAX_SECRET_LENGTH + 1);
  gsize length = 0;
  gboolean got_any = FALSE;

  for (;;)
    {
      char c;
      ssize_t n = read (STDIN_FILENO, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          pve_secrets_free_secret (buffer);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Cannot read standard input: %s"), g_strerror (saved_errno));
          return NULL;
        }
      if (n == 0)
        break;

      got_any = TRUE;
      if (c == '\n')
        break;
      if (length == MAX_SECRET_LENGTH)
        {
          pve_secrets_free_secret (buffer);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The line on standard input is too long"));
          return NULL;
        }
      buffer[length++] = c;
    }

  if (!got_any)
    {
      pve_secrets_free_secret (buffer);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Nothing to read on standard input"));
      return NULL;
    }

  if (length > 0 && buffer[length - 1] == '\r')
    buffer[--length] = '\0';

  return buffer;
}

char *
pve_cli_read_secret (const char  *prompt,
                     GError     **error)
{
  struct termios quiet;
  struct sigaction action = { 0 }, old_int, old_term;
  gboolean tty = pve_cli_stdin_is_tty ();
  char *line;
  GError *local_error = NULL;

  if (tty && tcgetattr (STDIN_FILENO, &saved_termios) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot prepare the terminal: %s"), g_strerror (saved_errno));
      return NULL;
    }

  /* The main loop is blocked in read() meanwhile, and GLib's own handlers restart it: Ctrl+C
   * must end the program at once, and give the terminal back as it was when echo is off. */
  action.sa_handler = restore_terminal_and_exit;
  sigemptyset (&action.sa_mask);
  sigaction (SIGINT, &action, &old_int);
  sigaction (SIGTERM, &action, &old_term);

  if (tty)
    {
      termios_saved = TRUE;
      quiet = saved_termios;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      quiet.c_lflag |= ECHONL;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);

      fflush (stdout);
      fputs (prompt, stderr);
      fflush (stderr);
    }

  line = read_line_unbuffered (&local_error);

  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
      termios_saved = FALSE;
    }
  sigaction (SIGINT, &old_int, NULL);
  sigaction (SIGTERM, &old_term, NULL);

  if (line == NULL)
    {
      if (tty)
        fputc ('\n', stderr);
      g_propagate_error (error, local_error);
    }

  return line;
}

/* ---- Remotes ------------------------------------------------------------------------------- */

static int
compare_remotes_by_name (gconstpointer a,
                         gconstpointer b)
{
  PveRemote *ra = *(PveRemote **) a;
  PveRemote *rb = *(PveRemote **) b;
  int cmp = g_strcmp0 (pve_remote_get_name (ra), pve_remote_get_name (rb));

  return cmp != 0 ? cmp : g_strcmp0 (pve_remote_get_id (ra), pve_remote_get_id (rb));
}

GPtrArray *
pve_cli_sorted_remotes (PveCli *cli)
{
  GListModel *model = G_LIST_MODEL (cli->store);
  guint n = g_list_model_get_n_items (model);
  GPtrArray *remotes = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (remotes, g_list_model_get_item (model, i));

  g_ptr_array_sort (remotes, compare_remotes_by_name);
  return remotes;
}

PveRemote *
pve_cli_lookup_remote (PveCli     *cli,
                       const char *name)
{
  PveRemote *remote = pve_remote_store_lookup_by_name (cli->store, name);

  if (remote == NULL)
    pve_cli_message (_("No remote named “%s”. “pve-remotes-cli list” shows the remotes."), name);

  return remote;
}

/* -- Connecting several remotes -- */

typedef struct
{
  GHashTable *failures;  /* PveRemote* (ref) -> GError* */
  guint       pending;
} ConnectData;

static void
connect_data_free (ConnectData *data)
{
  g_clear_pointer (&data->failures, g_hash_table_unref);
  g_free (data);
}

typedef struct
{
  PveCli    *cli;
  GTask     *task;
  PveRemote *remote;
} ConnectOne;

static void connect_one_tfa_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data);

static void
connect_one_done (ConnectOne *one,
                  GError     *error)
{
  g_autoptr(GTask) task = one->task;
  ConnectData *data = g_task_get_task_data (task);

  if (error != NULL)
    g_hash_table_insert (data->failures, g_object_ref (one->remote), error);

  g_object_unref (one->remote);
  g_free (one);

  g_assert (data->pending > 0);
  if (--data->pending == 0)
    g_task_return_pointer (task, g_hash_table_ref (data->failures),
                           (GDestroyNotify) g_hash_table_unref);
}

/* "123456" -> "totp:123456" (or "recovery:..." when that is all the server offers);
 * "recovery:CODE" and other "method:value" answers are passed on as given. */
static char *
make_tfa_response (const char * const *methods,
                   const char         *code)
{
  const char *colon = strchr (code, ':');
  gboolean has_totp = methods == NULL || g_strv_contains (methods, "totp");

  if (colon != NULL && colon > code)
    {
      gboolean is_method = TRUE;

      for (const char *p = code; p < colon; p++)
        if (!g_ascii_isalpha (*p))
          is_method = FALSE;

      if (is_method)
        return g_strdup (code);
    }

  if (!has_totp && g_strv_contains (methods, "recovery"))
    return g_strconcat ("recovery:", code, NULL);

  return g_strconcat ("totp:", code, NULL);
}

/* Asks for the second factor of remote's pending login (prompt or next line of stdin). */
char *
pve_cli_read_tfa_response (PveCli     *cli,
                           PveRemote  *remote,
                           GError    **error)
{
  const char * const *methods = pve_remote_manager_get_tfa_methods (cli->manager, remote);
  g_autofree char *methods_text = methods != NULL ? g_strjoinv (", ", (char **) methods) : NULL;
  g_autofree char *prompt = NULL;
  char *code;
  char *response;

  if (methods_text != NULL && *methods_text != '\0')
    prompt = g_strdup_printf (_("Second factor for %s (%s): "),
                              pve_remote_get_name (remote), methods_text);
  else
    prompt = g_strdup_printf (_("Second factor for %s: "), pve_remote_get_name (remote));

  code = pve_cli_read_secret (prompt, error);
  if (code == NULL)
    return NULL;

  g_strstrip (code);
  response = make_tfa_response (methods, code);
  pve_secrets_free_secret (code);
  return response;
}

static void
connect_one_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ConnectOne *one = user_data;
  PveCli *cli = one->cli;
  GError *error = NULL;

  if (pve_remote_manager_connect_finish (PVE_REMOTE_MANAGER (object), result, &error))
    {
      connect_one_done (one, NULL);
      return;
    }

  /* A TFA code can only be asked for on a terminal here: for scripts, standard input is not
   * shared out among several remotes. Use an API token for unattended access. */
  if (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NEED_TFA)
      && pve_cli_stdin_is_tty ())
    {
      GError *read_error = NULL;
      char *response = pve_cli_read_tfa_response (cli, one->remote, &read_error);

      if (response == NULL)
        {
          g_error_free (error);
          connect_one_done (one, read_error);
          return;
        }

      g_error_free (error);
      pve_remote_manager_submit_tfa_async (cli->manager, one->remote, response,
                                           g_task_get_cancellable (one->task),
                                           connect_one_tfa_cb, one);
      pve_secrets_free_secret (response);
      return;
    }

  if (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NEED_TFA))
    {
      g_clear_error (&error);
      g_set_error (&error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NEED_TFA,
                   _("The account needs a second factor (TFA code); run the command on a "
                     "terminal to enter it, or use an API token for scripts"));
    }

  connect_one_done (one, error);
}

static void
connect_one_tfa_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ConnectOne *one = user_data;
  GError *error = NULL;

  pve_remote_manager_submit_tfa_finish (PVE_REMOTE_MANAGER (object), result, &error);
  connect_one_done (one, error);
}

void
pve_cli_connect_remotes_async (PveCli              *cli,
                               GPtrArray           *remotes,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ConnectData *data;

  /* PveCli is no GObject: the task has no source object; the callbacks carry the CLI. */
  task = g_task_new (NULL, cli->cancellable, callback, user_data);
  g_task_set_source_tag (task, pve_cli_connect_remotes_async);

  data = g_new0 (ConnectData, 1);
  data->failures = g_hash_table_new_full (NULL, NULL, g_object_unref,
                                          (GDestroyNotify) g_error_free);
  data->pending = remotes->len;
  g_task_set_task_data (task, data, (GDestroyNotify) connect_data_free);

  if (remotes->len == 0)
    {
      g_task_return_pointer (task, g_hash_table_ref (data->failures),
                             (GDestroyNotify) g_hash_table_unref);
      return;
    }

  for (guint i = 0; i < remotes->len; i++)
    {
      ConnectOne *one = g_new0 (ConnectOne, 1);

      one->cli = cli;
      one->task = g_object_ref (task);
      one->remote = g_object_ref (g_ptr_array_index (remotes, i));
      pve_remote_manager_connect_async (cli->manager, one->remote, NULL, FALSE,
                                        cli->cancellable, connect_one_cb, one);
    }
}

GHashTable *
pve_cli_connect_remotes_finish (PveCli        *cli,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pve_cli_connect_remotes_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Output ---------------------------------------------------------------------------------- */

static void
append_indent (GString *out,
               guint    level)
{
  for (guint i = 0; i < level; i++)
    g_string_append (out, "  ");
}

static void
append_json_string (GString    *out,
                    const char *str)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) str; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        default:
          if (*p < 0x20 || *p == 0x7f)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_json_double (GString *out,
                    double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }

  /* The shortest form that reads back as the same double: 0.1 rather than
   * 0.10000000000000001. */
  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }

  g_string_append (out, buffer);
}

static void
append_json_node (GString  *out,
                  JsonNode *node,
                  guint     level)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          append_json_double (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          append_json_string (out, json_node_get_string (node));
          break;
        default:
          g_string_append (out, "null");
        }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        if (n == 0)
          {
            g_string_append (out, "[]");
            break;
          }

        g_string_append (out, "[\n");
        for (guint i = 0; i < n; i++)
          {
            append_indent (out, level + 1);
            append_json_node (out, json_array_get_element (array, i), level + 1);
            g_string_append (out, i + 1 < n ? ",\n" : "\n");
          }
        append_indent (out, level);
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        JsonObjectIter iter;
        const char *member;
        JsonNode *value;
        guint n = json_object_get_size (object), i = 0;

        if (n == 0)
          {
            g_string_append (out, "{}");
            break;
          }

        /* json-glib keeps the members in the order they were added: that order is the
         * documented one. */
        g_string_append (out, "{\n");
        json_object_iter_init_ordered (&iter, object);
        while (json_object_iter_next_ordered (&iter, &member, &value))
          {
            append_indent (out, level + 1);
            append_json_string (out, member);
            g_string_append (out, ": ");
            append_json_node (out, value, level + 1);
            g_string_append (out, ++i < n ? ",\n" : "\n");
          }
        append_indent (out, level);
        g_string_append_c (out, '}');
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

void
pve_cli_print_json (JsonNode *node)
{
  g_autoptr(GString) out = g_string_new (NULL);

  append_json_node (out, node, 0);
  g_string_append_c (out, '\n');
  fwrite (out->str, 1, out->len, stdout);
  fflush (stdout);
}

/* -- Tables -- */

struct _PveCliTable
{
  GPtrArray *headers;   /* char* */
  GPtrArray *rows;      /* GPtrArray of char* */
  gboolean  *right_aligned;
};

PveCliTable *
pve_cli_table_new (const char *first_header,
                   ...)
{
  PveCliTable *table = g_new0 (PveCliTable, 1);
  va_list args;

  table->headers = g_ptr_array_new_with_free_func (g_free);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  va_start (args, first_header);
  for (const char *header = first_header; header != NULL; header = va_arg (args, const char *))
    g_ptr_array_add (table->headers, g_strdup (header));
  va_end (args);

  table->right_aligned = g_new0 (gboolean, table->headers->len);
  return table;
}

void
pve_cli_table_add_row (PveCliTable *table,
                       ...)
{
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);
  va_list args;

  va_start (args, table);
  for (guint i = 0; i < table->headers->len; i++)
    {
      const char *cell = va_arg (args, const char *);
      g_ptr_array_add (row, g_strdup (cell != NULL && *cell != '\0' ? cell : "-"));
    }
  va_end (args);

  g_ptr_array_add (table->rows, row);
}

void
pve_cli_table_set_right_aligned (PveCliTable *table,
                                 guint        column)
{
  g_return_if_fail (column < table->headers->len);
  table->right_aligned[column] = TRUE;
}

static gsize
display_width (const char *str)
{
  return g_utf8_validate (str, -1, NULL) ? (gsize) g_utf8_strlen (str, -1) : strlen (str);
}

static void
print_row (PveCliTable *table,
           GPtrArray   *cells,
           const gsize *widths)
{
  g_autoptr(GString) line = g_string_new (NULL);
  guint n = cells->len;

  for (guint i = 0; i < n; i++)
    {
      const char *cell = g_ptr_array_index (cells, i);
      gsize pad = widths[i] - display_width (cell);

      if (i > 0)
        g_string_append (line, "  ");
      if (table->right_aligned[i])
        {
          for (gsize k = 0; k < pad; k++)
            g_string_append_c (line, ' ');
          g_string_append (line, cell);
        }
      else
        {
          g_string_append (line, cell);
          if (i + 1 < n)
            for (gsize k = 0; k < pad; k++)
              g_string_append_c (line, ' ');
        }
    }

  g_string_append_c (line, '\n');
  fwrite (line->str, 1, line->len, stdout);
}

void
pve_cli_table_print (PveCliTable *table)
{
  guint n = table->headers->len;
  g_autofree gsize *widths = g_new0 (gsize, n);

  for (guint i = 0; i < n; i++)
    widths[i] = display_width (g_ptr_array_index (table->headers, i));
  for (guint r = 0; r < table->rows->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (table->rows, r);
      for (guint i = 0; i < n; i++)
        widths[i] = MAX (widths[i], display_width (g_ptr_array_index (row, i)));
    }

  print_row (table, table->headers, widths);
  for (guint r = 0; r < table->rows->len; r++)
    print_row (table, g_ptr_array_index (table->rows, r), widths);
  fflush (stdout);
}

void
pve_cli_table_free (PveCliTable *table)
{
  g_ptr_array_unref (table->headers);
  g_ptr_array_unref (table->rows);
  g_free (table->right_aligned);
  g_free (table);
}

/* -- Formatting -- */

char *
pve_cli_format_bytes (gint64 bytes)
{
  if (bytes < 0)
    return NULL;
  return g_format_size_full ((guint64) bytes, G_FORMAT_SIZE_IEC_UNITS);
}

char *
pve_cli_format_duration (gint64 seconds)
{
  gint64 days, hours, minutes;

  if (seconds < 0)
    return NULL;

  days = seconds / 86400;
  hours = (seconds % 86400) / 3600;
  minutes = (seconds % 3600) / 60;

  if (days > 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "d %02" G_GINT64_FORMAT "h", days, hours);
  if (hours > 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h %02" G_GINT64_FORMAT "m", hours, minutes);
  if (minutes > 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "m %02" G_GINT64_FORMAT "s", minutes,
                            seconds % 60);
  return g_strdup_printf ("%" G_GINT64_FORMAT "s", seconds);
}

char *
pve_cli_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = NULL;

  if (unix_time <= 0)
    return NULL;

  time = g_date_time_new_from_unix_local (unix_time);
  if (time == NULL)
    return NULL;

  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
}

GStrv
pve_cli_split_tags (const char *tags)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;

  if (tags != NULL)
    {
      parts = g_strsplit_set (tags, ";, ", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        if (*parts[i] != '\0')
          g_strv_builder_add (builder, parts[i]);
    }

  return g_strv_builder_end (builder);
}

const char *
pve_cli_resource_type_name (int type)
{
  switch ((PveResourceType) type)
    {
    case PVE_RESOURCE_QEMU:
      return "qemu";
    case PVE_RESOURCE_LXC:
      return "lxc";
    case PVE_RESOURCE_NODE:
      return "node";
    case PVE_RESOURCE_STORAGE:
      return "storage";
    case PVE_RESOURCE_POOL:
      return "pool";
    case PVE_RESOURCE_OTHER:
    default:
      return "other";
    }
}

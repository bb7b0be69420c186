/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pve-remotes-cli add, remove, list, check. */

#include <stdio.h>
#include <string.h>

#include "pve-cli.h"

/* ---- add ------------------------------------------------------------------------------------- */

typedef struct
{
  PveCli    *cli;
  char      *name;
  char      *host;
  int        port;
  char      *user;       /* "root" */
  char      *realm;      /* "pam" */
  char      *token_name; /* "ci", or NULL for a password */
  char      *fingerprint;
  gboolean   autoconnect;
  PveRemote *draft;
  gboolean   tfa_asked;
} AddData;

static void
add_data_free (AddData *data)
{
  g_free (data->name);
  g_free (data->host);
  g_free (data->user);
  g_free (data->realm);
  g_free (data->token_name);
  g_free (data->fingerprint);
  g_clear_object (&data->draft);
  g_free (data);
}

static char *
format_date (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;

  if (time == NULL)
    return g_strdup (_("unknown"));

  utc = g_date_time_to_utc (time);
  return g_date_time_format (utc, "%Y-%m-%d %H:%M:%S UTC");
}

static void
print_certificate (const PveCertificateInfo *info)
{
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;

  if (info == NULL)
    return;

  from = format_date (info->not_before);
  until = format_date (info->not_after);

  fprintf (stderr, _("  Fingerprint (SHA-256): %s\n"), info->fingerprint);
  fprintf (stderr, _("  Subject:               %s\n"), info->subject ? info->subject : "-");
  fprintf (stderr, _("  Issuer:                %s\n"), info->issuer ? info->issuer : "-");
  fprintf (stderr, _("  Valid:                 from %s until %s\n"), from, until);
}

/* Finishes the command with exit code 4 after explaining the refused certificate. */
static void
add_report_certificate (AddData                  *data,
                        const GError             *error,
                        const PveCertificateInfo *info)
{
  if (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TLS_CHANGED))
    {
      pve_cli_message (_("The certificate of %s:%u does not match the fingerprint given with "
                         "--fingerprint (%s). Nothing was saved."),
                       data->host, (guint) data->port, data->fingerprint);
      print_certificate (info);
    }
  else
    {
      pve_cli_message (_("The certificate of %s:%u is not trusted by the system and no "
                         "fingerprint is pinned for it. Nothing was saved."),
                       data->host, (guint) data->port);
      print_certificate (info);
      fprintf (stderr, _("Compare the fingerprint with the one the node shows (web interface:\n"
                         "Node > System > Certificates), then run the command again with\n"
                         "  --fingerprint %s\n"),
               info != NULL && info->fingerprint != NULL ? info->fingerprint : "AA:BB:…");
    }

  if (info == NULL)
    pve_cli_message ("%s", error->message);

  pve_cli_finish (data->cli, PVE_CLI_EXIT_CONNECTION);
}

static void add_done_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data);

static void
add_handle_result (AddData *data,
                   GError  *error)
{
  PveCli *cli = data->cli;
  PveRemote *draft = data->draft;

  if (error == NULL)
    {
      PveClient *client = pve_remote_manager_get_client (cli->manager, draft);
      const char *cluster = client != NULL ? pve_client_get_clustername (client) : NULL;
      g_autofree char *userid = pve_remote_dup_userid (draft);

      if (cluster != NULL)
        pve_cli_message (_("Added remote “%s” (%s on %s:%u, cluster %s)"),
                         pve_remote_get_name (draft), userid, pve_remote_get_host (draft),
                         pve_remote_get_port (draft), cluster);
      else
        pve_cli_message (_("Added remote “%s” (%s on %s:%u)"),
                         pve_remote_get_name (draft), userid, pve_remote_get_host (draft),
                         pve_remote_get_port (draft));

      if (pve_remote_manager_get_keyring_available (cli->manager))
        {
          pve_cli_finish (cli, PVE_CLI_EXIT_OK);
        }
      else
        {
          /* The manager keeps the remote and the app asks for the password per session; a
           * script needs to know that later commands will fail. */
          pve_cli_message (_("The keyring cannot be reached: the secret of “%s” was not saved, "
                             "so commands that connect it will fail (exit code 6) until it is "
                             "removed and added again with the keyring available."),
                           pve_remote_get_name (draft));
          pve_cli_finish (cli, PVE_CLI_EXIT_CREDENTIALS);
        }
      add_data_free (data);
      return;
    }

  if (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TLS_UNTRUSTED)
      || g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TLS_CHANGED))
    {
      add_report_certificate (data, error,
                              pve_remote_manager_get_peer_certificate (cli->manager, draft));
    }
  else if (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NEED_TFA)
           && !data->tfa_asked)
    {
      g_autoptr(GError) read_error = NULL;
      char *response;

      data->tfa_asked = TRUE;
      response = pve_cli_read_tfa_response (cli, draft, &read_error);
      if (response == NULL)
        {
          pve_cli_message (_("The account needs a second factor (TFA code): %s. "
                             "Nothing was saved."), read_error->message);
          pve_cli_finish (cli, PVE_CLI_EXIT_CREDENTIALS);
        }
      else
        {
          pve_remote_manager_submit_tfa_async (cli->manager, draft, response, cli->cancellable,
                                               add_done_cb, data);
          pve_secrets_free_secret (response);
          g_error_free (error);
          return;
        }
    }
  else
    {
      g_autofree char *prefix = g_strdup_printf (_("Cannot add “%s” (nothing was saved)"),
                                                 data->name);
      pve_cli_finish (cli, pve_cli_report_error (prefix, error));
    }

  g_error_free (error);
  add_data_free (data);
}

static void
add_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  AddData *data = user_data;
  GError *error = NULL;

  if (data->tfa_asked)
    pve_remote_manager_submit_tfa_finish (PVE_REMOTE_MANAGER (object), result, &error);
  else
    pve_remote_manager_add_finish (PVE_REMOTE_MANAGER (object), result, &error);

  add_handle_result (data, error);
}

static void
add_with_secret (AddData *data)
{
  PveCli *cli = data->cli;
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = NULL;
  char *secret;

  if (data->token_name != NULL)
    prompt = g_strdup_printf (_("Secret of API token %s@%s!%s: "), data->user, data->realm,
                              data->token_name);
  else
    prompt = g_strdup_printf (_("Password of %s@%s on %s: "), data->user, data->realm,
                              data->host);

  secret = pve_cli_read_secret (prompt, &error);
  if (secret == NULL)
    {
      pve_cli_message (_("No password or token secret: %s"), error->message);
      pve_cli_finish (cli, PVE_CLI_EXIT_CREDENTIALS);
      add_data_free (data);
      return;
    }
  if (*secret == '\0')
    {
      pve_secrets_free_secret (secret);
      pve_cli_message (_("The password or token secret is empty"));
      pve_cli_finish (cli, PVE_CLI_EXIT_CREDENTIALS);
      add_data_free (data);
      return;
    }

  pve_remote_manager_add_async (cli->manager, data->draft, secret, cli->cancellable,
                                add_done_cb, data);
  pve_secrets_free_secret (secret);
}

static void
add_probe_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PveClient) client = PVE_CLIENT (object);
  AddData *data = user_data;
  g_autoptr(GError) error = NULL;

  if (pve_client_probe_finish (client, result, &error))
    {
      add_with_secret (data);
      return;
    }

  if (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TLS_UNTRUSTED)
      || g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TLS_CHANGED))
    {
      /* Reported like the manager's own refusal, with this client's view of the server. */
      add_report_certificate (data, error, pve_client_get_peer_certificate (client));
    }
  else
    {
      g_autofree char *prefix = g_strdup_printf (_("Cannot add “%s” (nothing was saved)"),
                                                 data->name);
      pve_cli_finish (data->cli, pve_cli_report_error (prefix, error));
    }

  add_data_free (data);
}

static void
add_ready (gpointer cli_pointer,
           gpointer user_data)
{
  PveCli *cli = cli_pointer;
  AddData *data = user_data;
  g_autoptr(GError) error = NULL;
  PveClient *client;

  if (pve_remote_store_lookup_by_name (cli->store, data->name) != NULL)
    {
      pve_cli_message (_("A remote named “%s” exists already"), data->name);
      pve_cli_finish (cli, PVE_CLI_EXIT_USAGE);
      add_data_free (data);
      return;
    }

  data->draft = pve_remote_new ();
  pve_remote_set_name (data->draft, data->name);
  pve_remote_set_host (data->draft, data->host);
  pve_remote_set_port (data->draft, (guint) data->port);
  pve_remote_set_user (data->draft, data->user);
  pve_remote_set_realm (data->draft, data->realm);
  pve_remote_set_auth_kind (data->draft, data->token_name != NULL ? PVE_AUTH_KIND_TOKEN
                                                                  : PVE_AUTH_KIND_PASSWORD);
  pve_remote_set_token_id (data->draft, data->token_name);
  pve_remote_set_fingerprint (data->draft, data->fingerprint);
  pve_remote_set_autoconnect (data->draft, data->autoconnect);

  if (!pve_cli_stdin_is_tty ())
    {
      add_with_secret (data);
      return;
    }

  /* A person at a terminal learns about an untrusted certificate before typing a password
   * (the manager checks the certificate again when adding). */
  client = pve_client_new (data->host, (guint) data->port, &error);
  if (client == NULL)
    {
      pve_cli_finish (cli, pve_cli_report_error (data->name, error));
      add_data_free (data);
      return;
    }
  pve_client_set_pinned_fingerprint (client, data->fingerprint);
  pve_client_probe_async (client, cli->cancellable, add_probe_cb, data);
}

int
pve_cli_cmd_add (PveCli  *cli,
                 int      argc,
                 char   **argv)
{
  g_autoptr(GOptionContext) context = pve_cli_option_context_new ("add");
  g_autofree char *host = NULL;
  g_autofree char *user = NULL;
  g_autofree char *token_id = NULL;
  g_autofree char *fingerprint = NULL;
  g_autoptr(GError) error = NULL;
  int port = PVE_DEFAULT_PORT;
  gboolean autoconnect = FALSE;
  const char *at;
  AddData *data;
  GOptionEntry entries[] = {
    { "host", 0, 0, G_OPTION_ARG_STRING, &host,
      N_("Host name or IP address of the node (required)"), N_("HOST") },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("API port (default 8006)"), N_("PORT") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user,
      N_("User with realm, e.g. root@pam (required)"), N_("USER@REALM") },
    { "token-id", 0, 0, G_OPTION_ARG_STRING, &token_id,
      N_("Log in with this API token of the user instead of a password "
         "(the secret is read like a password)"), N_("ID") },
    { "fingerprint", 0, 0, G_OPTION_ARG_STRING, &fingerprint,
      N_("Pin this SHA-256 certificate fingerprint (for a certificate the system does not "
         "trust)"), N_("AA:BB:…") },
    { "autoconnect", 0, 0, G_OPTION_ARG_NONE, &autoconnect,
      N_("Let the app connect this remote when it starts"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("The password (or the token secret with --token-id) is read from the first line of "
      "standard input\nwhen that is not a terminal, else asked for without echo. It is never "
      "taken as an argument.\nAn account with two-factor authentication asks for the code on "
      "a terminal, else reads it\nfrom the second line of standard input.\n\n"
      "Nothing is saved unless the login succeeds. A certificate the system does not trust is "
      "refused,\nwith its fingerprint, unless --fingerprint matches it; it is then pinned."));

  if (!pve_cli_parse_options (context, &argc, &argv))
    return PVE_CLI_EXIT_USAGE;

  if (argc != 2)
    return pve_cli_usage_error ("add", argc < 2 ? _("Missing the name of the remote")
                                                : _("Too many arguments"));
  if (*g_strstrip (argv[1]) == '\0')
    return pve_cli_usage_error ("add", _("The name of the remote is empty"));
  if (host == NULL || *host == '\0')
    return pve_cli_usage_error ("add", _("Missing --host"));
  if (!pve_client_validate_host (host, &error))
    return pve_cli_usage_error ("add", "%s", error->message);
  if (port < 1 || port > 65535)
    return pve_cli_usage_error ("add", _("The port must be between 1 and 65535"));
  if (user == NULL || (at = strrchr (user, '@')) == NULL || at == user || at[1] == '\0')
    return pve_cli_usage_error ("add", _("--user must be USER@REALM, e.g. root@pam"));

  data = g_new0 (AddData, 1);
  data->cli = cli;
  data->name = g_strdup (argv[1]);
  data->host = g_strdup (host);
  data->port = port;
  data->user = g_strndup (user, (gsize) (at - user));
  data->realm = g_strdup (at + 1);
  data->autoconnect = autoconnect;

  if (token_id != NULL)
    {
      /* Either the token's name ("ci") or its full id ("root@pam!ci"). */
      const char *bang = strchr (token_id, '!');

      if (bang != NULL)
        {
          if (strncmp (token_id, user, (gsize) (bang - token_id)) != 0
              || strlen (user) != (gsize) (bang - token_id))
            {
              add_data_free (data);
              return pve_cli_usage_error ("add", _("The token id “%s” belongs to another user "
                                                   "than --user %s"), token_id, user);
            }
          data->token_name = g_strdup (bang + 1);
        }
      else
        data->token_name = g_strdup (token_id);

      if (*data->token_name == '\0')
        {
          add_data_free (data);
          return pve_cli_usage_error ("add", _("The token id is empty"));
        }
    }

  if (fingerprint != NULL)
    {
      data->fingerprint = pve_fingerprint_normalize (fingerprint);
      if (data->fingerprint == NULL)
        {
          add_data_free (data);
          return pve_cli_usage_error ("add", _("“%s” is not a SHA-256 fingerprint "
                                               "(32 bytes in hex, like AA:BB:…)"), fingerprint);
        }
    }

  pve_cli_load (cli, add_ready, data, (GDestroyNotify) add_data_free);
  return pve_cli_run (cli);
}

/* ---- remove ---------------------------------------------------------------------------------- */

typedef struct
{
  PveCli     *cli;
  const char *name;
} RemoveData;

static void
remove_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autofree RemoveData *data = user_data;
  g_autoptr(GError) error = NULL;

  if (!pve_remote_manager_remove_finish (PVE_REMOTE_MANAGER (object), result, &error))
    {
      pve_cli_finish (data->cli, pve_cli_report_error (_("Cannot remove the remote"), error));
      return;
    }

  pve_cli_message (_("Removed remote “%s”"), data->name);
  pve_cli_finish (data->cli, PVE_CLI_EXIT_OK);
}

static void
remove_ready (gpointer cli_pointer,
              gpointer user_data)
{
  PveCli *cli = cli_pointer;
  const char *name = user_data;
  PveRemote *remote = pve_cli_lookup_remote (cli, name);
  RemoveData *data;

  if (remote == NULL)
    {
      pve_cli_finish (cli, PVE_CLI_EXIT_NOT_FOUND);
      return;
    }

  data = g_new0 (RemoveData, 1);
  data->cli = cli;
  data->name = name;
  pve_remote_manager_remove_async (cli->manager, remote, cli->cancellable, remove_done_cb, data);
}

int
pve_cli_cmd_remove (PveCli  *cli,
                    int      argc,
                    char   **argv)
{
  g_autoptr(GOptionContext) context = pve_cli_option_context_new ("remove");

  g_option_context_set_description (context,
    _("Removes the remote from remotes.ini and its password or token secret from the keyring."));

  if (!pve_cli_parse_options (context, &argc, &argv))
    return PVE_CLI_EXIT_USAGE;
  if (argc != 2)
    return pve_cli_usage_error ("remove", argc < 2 ? _("Missing the name of the remote")
                                                   : _("Too many arguments"));

  pve_cli_load (cli, remove_ready, argv[1], NULL);
  return pve_cli_run (cli);
}

/* ---- list ------------------------------------------------------------------------------------ */

static void
list_ready (gpointer cli_pointer,
            gpointer user_data)
{
  PveCli *cli = cli_pointer;
  gboolean json = GPOINTER_TO_INT (user_data);
  g_autoptr(GPtrArray) remotes = pve_cli_sorted_remotes (cli);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < remotes->len; i++)
        {
          PveRemote *remote = g_ptr_array_index (remotes, i);
          g_autofree char *userid = pve_remote_dup_userid (remote);
          gboolean token = pve_remote_get_auth_kind (remote) == PVE_AUTH_KIND_TOKEN;
          const char *fingerprint = pve_remote_get_fingerprint (remote);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, pve_remote_get_name (remote));
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, pve_remote_get_id (remote));
          json_builder_set_member_name (builder, "host");
          json_builder_add_string_value (builder, pve_remote_get_host (remote));
          json_builder_set_member_name (builder, "port");
          json_builder_add_int_value (builder, pve_remote_get_port (remote));
          json_builder_set_member_name (builder, "user");
          json_builder_add_string_value (builder, userid);
          json_builder_set_member_name (builder, "auth");
          json_builder_add_string_value (builder, token ? "token" : "password");
          json_builder_set_member_name (builder, "token_id");
          if (token)
            {
              g_autofree char *full = pve_remote_dup_full_token_id (remote);
              json_builder_add_string_value (builder, full);
            }
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "fingerprint");
          if (fingerprint != NULL && *fingerprint != '\0')
            json_builder_add_string_value (builder, fingerprint);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "autoconnect");
          json_builder_add_boolean_value (builder, pve_remote_get_autoconnect (remote));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);

      root = json_builder_get_root (builder);
      pve_cli_print_json (root);
    }
  else
    {
      g_autoptr(PveCliTable) table = pve_cli_table_new (_("NAME"), _("HOST"), _("PORT"),
                                                        _("USER"), _("AUTH"), _("TLS"),
                                                        _("AUTOCONNECT"), NULL);

      pve_cli_table_set_right_aligned (table, 2);
      for (guint i = 0; i < remotes->len; i++)
        {
          PveRemote *remote = g_ptr_array_index (remotes, i);
          g_autofree char *userid = pve_remote_dup_userid (remote);
          g_autofree char *port = g_strdup_printf ("%u", pve_remote_get_port (remote));
          g_autofree char *auth = NULL;
          const char *fingerprint = pve_remote_get_fingerprint (remote);

          if (pve_remote_get_auth_kind (remote) == PVE_AUTH_KIND_TOKEN)
            auth = g_strdup_printf ("token %s", pve_remote_get_token_id (remote));
          else
            auth = g_strdup ("password");

          pve_cli_table_add_row (table, pve_remote_get_name (remote),
                                 pve_remote_get_host (remote), port, userid, auth,
                                 fingerprint != NULL && *fingerprint != '\0' ? "pinned"
                                                                             : "system",
                                 pve_remote_get_autoconnect (remote) ? _("yes") : _("no"));
        }

      pve_cli_table_print (table);
      if (remotes->len == 0)
        pve_cli_message (_("No remotes. Add one with “pve-remotes-cli add”."));
    }

  pve_cli_finish (cli, PVE_CLI_EXIT_OK);
}

int
pve_cli_cmd_list (PveCli  *cli,
                  int      argc,
                  char   **argv)
{
  g_autoptr(GOptionContext) context = pve_cli_option_context_new ("list");
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON (see the README)"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Lists the saved remotes without connecting to them."));

  if (!pve_cli_parse_options (context, &argc, &argv))
    return PVE_CLI_EXIT_USAGE;
  if (argc != 1)
    return pve_cli_usage_error ("list", _("Too many arguments"));

  pve_cli_load (cli, list_ready, GINT_TO_POINTER (json), NULL);
  return pve_cli_run (cli);
}

/* ---- check ----------------------------------------------------------------------------------- */

typedef struct
{
  PveCli    *cli;
  PveRemote *remote;
  char      *version;
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_clear_object (&data->remote);
  g_free (data->version);
  g_free (data);
}

static void
check_print_ok (CheckData  *data,
                const char *cluster)
{
  const char *name = pve_remote_get_name (data->remote);
  const char *version = data->version != NULL ? data->version : _("unknown version");

  if (cluster != NULL)
    printf (_("%s: OK (PVE %s, cluster %s)\n"), name, version, cluster);
  else
    printf (_("%s: OK (PVE %s, standalone node)\n"), name, version);
  fflush (stdout);

  pve_cli_finish (data->cli, PVE_CLI_EXIT_OK);
  check_data_free (data);
}

static void
check_cluster_status_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  CheckData *data = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  const char *cluster = NULL;

  node = pve_remote_manager_request_finish (PVE_REMOTE_MANAGER (object), result, NULL, &error);
  if (node == NULL)
    {
      /* An API token without Sys.Audit cannot read the cluster status: the check itself has
       * succeeded all the same. */
      g_debug ("cluster/status: %s", error->message);
      check_print_ok (data, NULL);
      return;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          JsonObject *object_entry;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          object_entry = json_node_get_object (element);
          if (g_strcmp0 (pve_json_get_string (object_entry, "type"), "cluster") == 0)
            cluster = pve_json_get_string (object_entry, "name");
        }
    }

  check_print_ok (data, cluster);
}

static void
check_version_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CheckData *data = user_data;
  PveCli *cli = data->cli;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  PveClient *client;
  const char *cluster;

  node = pve_remote_manager_request_finish (PVE_REMOTE_MANAGER (object), result, NULL, &error);
  if (node == NULL)
    {
      pve_cli_finish (cli, pve_cli_report_error (pve_remote_get_name (data->remote), error));
      check_data_free (data);
      return;
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    data->version = g_strdup (pve_json_get_string (json_node_get_object (node), "version"));

  client = pve_remote_manager_get_client (cli->manager, data->remote);
  cluster = client != NULL ? pve_client_get_clustername (client) : NULL;

  /* A password login names the cluster; an API token login does not, so ask. */
  if (cluster == NULL && pve_remote_get_auth_kind (data->remote) == PVE_AUTH_KIND_TOKEN)
    {
      pve_remote_manager_request_async (cli->manager, data->remote, "GET", "/cluster/status",
                                        NULL, cli->cancellable, check_cluster_status_cb, data);
      return;
    }

  check_print_ok (data, cluster);
}

static void
check_connected_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CheckData *data = user_data;
  PveCli *cli = data->cli;
  g_autoptr(GHashTable) failures = NULL;
  g_autoptr(GError) error = NULL;
  GError *failure;

  failures = pve_cli_connect_remotes_finish (cli, result, &error);
  if (failures == NULL)
    {
      pve_cli_finish (cli, pve_cli_report_error (NULL, error));
      check_data_free (data);
      return;
    }

  failure = g_hash_table_lookup (failures, data->remote);
  if (failure != NULL)
    {
      pve_cli_finish (cli, pve_cli_report_error (pve_remote_get_name (data->remote), failure));
      check_data_free (data);
      return;
    }

  pve_remote_manager_request_async (cli->manager, data->remote, "GET", "/version", NULL,
                                    cli->cancellable, check_version_cb, data);
}

static void
check_ready (gpointer cli_pointer,
             gpointer user_data)
{
  PveCli *cli = cli_pointer;
  const char *name = user_data;
  PveRemote *remote = pve_cli_lookup_remote (cli, name);
  g_autoptr(GPtrArray) remotes = NULL;
  CheckData *data;

  if (remote == NULL)
    {
      pve_cli_finish (cli, PVE_CLI_EXIT_NOT_FOUND);
      return;
    }

  data = g_new0 (CheckData, 1);
  data->cli = cli;
  data->remote = g_object_ref (remote);

  remotes = g_ptr_array_new ();
  g_ptr_array_add (remotes, remote);
  pve_cli_connect_remotes_async (cli, remotes, check_connected_cb, data);
}

int
pve_cli_cmd_check (PveCli  *cli,
                   int      argc,
                   char   **argv)
{
  g_autoptr(GOptionContext) context = pve_cli_option_context_new ("check");

  g_option_context_set_description (context,
    _("Connects with the secret stored in the keyring and prints\n"
      "  NAME: OK (PVE VERSION, cluster CLUSTER)\n"
      "or the reason of the failure on standard error; the exit code tells which."));

  if (!pve_cli_parse_options (context, &argc, &argv))
    return PVE_CLI_EXIT_USAGE;
  if (argc != 2)
    return pve_cli_usage_error ("check", argc < 2 ? _("Missing the name of the remote")
                                                  : _("Too many arguments"));

  pve_cli_load (cli, check_ready, argv[1], NULL);
  return pve_cli_run (cli);
}

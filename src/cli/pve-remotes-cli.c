/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pve-remotes-cli: the scripting client of PVE Remotes. Same remotes.ini and keyring as the
 * app, same core. Data on stdout, messages on stderr, documented exit codes and JSON.
 */

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "pve-cli.h"

static const PveCliCommand commands[] = {
  { "add", N_("NAME --host HOST --user USER@REALM"),
    N_("Add a remote (the password or token secret is read from standard input)"),
    pve_cli_cmd_add },
  { "remove", N_("NAME"), N_("Remove a remote and its keyring secret"), pve_cli_cmd_remove },
  { "list", "", N_("List the remotes"), pve_cli_cmd_list },
  { "check", N_("NAME"), N_("Connect to a remote and report the server version"),
    pve_cli_cmd_check },
  { "guests", "", N_("List the VMs and containers of every remote"), pve_cli_cmd_guests },
  { "nodes", "", N_("List the nodes of every remote"), pve_cli_cmd_nodes },
  { "status", N_("REMOTE VMID"), N_("Show the current status of a guest"), pve_cli_cmd_status },
  { "start", N_("REMOTE VMID"), N_("Start a guest"), pve_cli_cmd_power },
  { "stop", N_("REMOTE VMID"), N_("Stop a guest at once (like pulling the plug)"),
    pve_cli_cmd_power },
  { "shutdown", N_("REMOTE VMID"), N_("Shut a guest down cleanly"), pve_cli_cmd_power },
  { "reboot", N_("REMOTE VMID"), N_("Reboot a guest"), pve_cli_cmd_power },
  { "tasks", "", N_("List the recent tasks of every remote"), pve_cli_cmd_tasks },
};

static void
print_usage (FILE *out)
{
  fputs (_("Usage:\n  pve-remotes-cli COMMAND [OPTION…]\n\n"), out);
  fputs (_("Manage the Proxmox VE remotes of PVE Remotes from scripts.\n\n"), out);
  fputs (_("Commands:\n"), out);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fputs (_("\nOptions:\n"
           "  -h, --help     Show this help (“COMMAND --help” for a command)\n"
           "  --version      Show the version\n"), out);
  fputs (_("\nExit codes: 0 ok, 1 usage error, 2 remote or guest not found, 3 authentication or\n"
           "permission failure, 4 connection/TLS/network failure or partial result, 5 task\n"
           "failed, 6 keyring unavailable or credentials needed, 130 interrupted.\n"), out);
}

int
main (int    argc,
      char **argv)
{
  const PveCliCommand *command = NULL;
  g_autofree char *prgname = NULL;
  PveCli cli = { 0 };
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_usage (stderr);
      return PVE_CLI_EXIT_USAGE;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")
      || g_str_equal (argv[1], "help"))
    {
      /* "help COMMAND" is "COMMAND --help". */
      if (argc >= 3 && g_str_equal (argv[1], "help"))
        {
          argv[1] = argv[2];
          argv[2] = (char *) "--help";
          argc = 3;
        }
      else
        {
          print_usage (stdout);
          return PVE_CLI_EXIT_OK;
        }
    }

  if (g_str_equal (argv[1], "--version"))
    {
      printf ("pve-remotes-cli %s\n", PACKAGE_VERSION);
      return PVE_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      command = &commands[i];

  if (command == NULL)
    {
      if (argv[1][0] == '-')
        return pve_cli_usage_error (NULL, _("Unknown option “%s”"), argv[1]);
      return pve_cli_usage_error (NULL, _("Unknown command “%s”"), argv[1]);
    }

  /* Usage lines then read "pve-remotes-cli add [OPTION…] NAME …". */
  prgname = g_strdup_printf ("pve-remotes-cli %s", command->name);
  g_set_prgname (prgname);

  cli.loop = g_main_loop_new (NULL, FALSE);
  cli.cancellable = g_cancellable_new ();

  /* The command sees its own name as argv[0]. */
  status = command->func (&cli, argc - 1, argv + 1);

  g_clear_object (&cli.manager);
  g_clear_object (&cli.secrets);
  g_clear_object (&cli.store);
  g_clear_object (&cli.cancellable);
  g_clear_pointer (&cli.loop, g_main_loop_unref);

  return status;
}

GOptionContext *
pve_cli_option_context_new (const char *command_name)
{
  GOptionContext *context = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (!g_str_equal (commands[i].name, command_name))
        continue;

      context = g_option_context_new (*commands[i].parameters != '\0'
                                      ? _(commands[i].parameters) : NULL);
      g_option_context_set_summary (context, _(commands[i].summary));
      g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
      break;
    }

  g_assert (context != NULL);
  return context;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pve-remotes-cli: shared pieces of the command-line client. The commands run on the same core
 * as the app (PveRemoteManager and friends) inside one GMainLoop; each command is a chain of
 * the core's async calls that ends in pve_cli_finish().
 */
#pragma once

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "pve-api.h"
#include "pve-remote-manager.h"

G_BEGIN_DECLS

/* The documented exit codes (README: "Exit codes"). */
typedef enum
{
  PVE_CLI_EXIT_OK          = 0,
  PVE_CLI_EXIT_USAGE       = 1,  /* bad arguments, invalid input, unusable remotes.ini */
  PVE_CLI_EXIT_NOT_FOUND   = 2,  /* no such remote or guest */
  PVE_CLI_EXIT_AUTH        = 3,  /* authentication failed or permission denied */
  PVE_CLI_EXIT_CONNECTION  = 4,  /* connection/TLS/network failure, server error, partial result */
  PVE_CLI_EXIT_TASK_FAILED = 5,  /* the action or its task failed */
  PVE_CLI_EXIT_CREDENTIALS = 6,  /* keyring unavailable/locked, no stored secret, TFA needed */
  PVE_CLI_EXIT_INTERRUPTED = 130,
} PveCliExit;

typedef struct _PveCli PveCli;

struct _PveCli
{
  GMainLoop        *loop;
  GCancellable     *cancellable;
  PveRemoteStore   *store;
  PveSecrets       *secrets;
  PveRemoteManager *manager;
  int               exit_code;
  gboolean          finished;
};

typedef int (*PveCliCommandFunc) (PveCli *cli,
                                  int     argc,
                                  char  **argv);

typedef struct
{
  const char        *name;
  const char        *parameters;   /* "NAME --host HOST ..." */
  const char        *summary;      /* one line, translatable */
  PveCliCommandFunc  func;
} PveCliCommand;

/* A GOptionContext for the command: its parameters and summary in the usage line of --help. */
GOptionContext *pve_cli_option_context_new (const char *command_name);

/* ---- Running ------------------------------------------------------------------------------- */

/* Loads remotes.ini and creates the manager (no remote is connected), then calls
 * ready (cli, user_data), which takes over user_data. When the file cannot be read, the command
 * is finished and user_data is destroyed (destroy may be NULL). */
void        pve_cli_load              (PveCli              *cli,
                                       GFunc                ready,
                                       gpointer             user_data,
                                       GDestroyNotify       destroy);
/* Runs the main loop until pve_cli_finish() and returns the exit code. */
int         pve_cli_run               (PveCli              *cli);
/* Ends the command with exit_code (the first call wins). */
void        pve_cli_finish            (PveCli              *cli,
                                       int                  exit_code);

/* ---- Errors and messages ------------------------------------------------------------------ */

int         pve_cli_exit_code_for_error (const GError      *error);
/* "pve-remotes-cli: <message>" on stderr. */
void        pve_cli_message           (const char          *format,
                                       ...) G_GNUC_PRINTF (1, 2);
/* Prints the error (prefixed with prefix when not NULL) and returns its exit code. */
int         pve_cli_report_error      (const char          *prefix,
                                       const GError        *error);
/* Parses options of a command; prints the usage error and returns FALSE on failure. */
gboolean    pve_cli_parse_options     (GOptionContext      *context,
                                       int                 *argc,
                                       char              ***argv);
int         pve_cli_usage_error       (const char          *command,
                                       const char          *format,
                                       ...) G_GNUC_PRINTF (2, 3);

/* ---- Secrets and prompts ------------------------------------------------------------------ */

/* Reads one line: from standard input when it is not a TTY, else prompted on the terminal
 * with echo off. Returns NULL at end of input. Free with pve_secrets_free_secret(). */
char       *pve_cli_read_secret       (const char          *prompt,
                                       GError             **error);
gboolean    pve_cli_stdin_is_tty      (void);
/* Asks for the second factor of remote's pending login (prompt, or the next line of a
 * non-TTY standard input) and returns the response for submit_tfa ("totp:123456"). */
char       *pve_cli_read_tfa_response (PveCli              *cli,
                                       PveRemote           *remote,
                                       GError             **error);

/* ---- Remotes ---------------------------------------------------------------------------- */

/* The remotes of the store sorted by name (a new array of borrowed references). */
GPtrArray  *pve_cli_sorted_remotes    (PveCli              *cli);
/* The remote called name; NULL (after printing a message: exit code 2) when there is none. */
PveRemote  *pve_cli_lookup_remote     (PveCli              *cli,
                                       const char          *name);

/* Connects the remotes in parallel with their stored secrets (prompting for a TFA code when
 * stdin is a TTY). Completes when every one has succeeded or failed; the failures are in the
 * returned table (PveRemote* -> GError*). Never fails as a whole, except on cancellation. */
void        pve_cli_connect_remotes_async  (PveCli              *cli,
                                            GPtrArray           *remotes,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GHashTable *pve_cli_connect_remotes_finish (PveCli              *cli,
                                            GAsyncResult        *result,
                                            GError             **error);

/* ---- Output -------------------------------------------------------------------------------- */

/* Pretty JSON (two spaces, "key": value, member order as built, numbers in their shortest
 * exact form) followed by a newline, on stdout. */
void        pve_cli_print_json        (JsonNode            *node);

typedef struct _PveCliTable PveCliTable;
PveCliTable *pve_cli_table_new        (const char          *first_header,
                                       ...) G_GNUC_NULL_TERMINATED;
/* Adds a row of n_columns strings (NULL prints as "-"). */
void        pve_cli_table_add_row     (PveCliTable         *table,
                                       ...);
/* Marks the columns that are right-aligned (numbers), by index. */
void        pve_cli_table_set_right_aligned (PveCliTable   *table,
                                       guint                column);
void        pve_cli_table_print       (PveCliTable         *table);
void        pve_cli_table_free        (PveCliTable         *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PveCliTable, pve_cli_table_free)

char       *pve_cli_format_bytes      (gint64               bytes);
char       *pve_cli_format_duration   (gint64               seconds);
char       *pve_cli_format_time       (gint64               unix_time);
/* Splits PVE tags ("a;b", "a,b", "a b") into a NULL-terminated array. */
GStrv       pve_cli_split_tags        (const char          *tags);
const char *pve_cli_resource_type_name (int                 type);

/* ---- Commands ------------------------------------------------------------------------------ */

int pve_cli_cmd_add      (PveCli *cli, int argc, char **argv);
int pve_cli_cmd_remove   (PveCli *cli, int argc, char **argv);
int pve_cli_cmd_list     (PveCli *cli, int argc, char **argv);
int pve_cli_cmd_check    (PveCli *cli, int argc, char **argv);
int pve_cli_cmd_guests   (PveCli *cli, int argc, char **argv);
int pve_cli_cmd_nodes    (PveCli *cli, int argc, char **argv);
int pve_cli_cmd_status   (PveCli *cli, int argc, char **argv);
int pve_cli_cmd_power    (PveCli *cli, int argc, char **argv);
int pve_cli_cmd_tasks    (PveCli *cli, int argc, char **argv);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pve-remotes-cli guests, nodes, tasks, status, start/stop/shutdown/reboot. */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "pve-cli.h"

#define TASK_POLL_INTERVAL_MS 500
#define TASK_LOG_TAIL_LINES 20
#define TASK_LOG_PAGE 50

/* ---- Fetching one path from several remotes --------------------------------------------- */

typedef struct
{
  PveRemote *remote;
  JsonNode  *data;    /* on success */
  GError    *error;   /* on failure */
} FetchResult;

static void
fetch_result_free (FetchResult *result)
{
  g_clear_object (&result->remote);
  g_clear_pointer (&result->data, json_node_unref);
  g_clear_error (&result->error);
  g_free (result);
}

/* results: FetchResult*, in the order of the remotes (sorted by name). */
typedef void (*FetchDoneFunc) (PveCli    *cli,
                               GPtrArray *results,
                               gpointer   user_data);

typedef struct
{
  PveCli        *cli;
  GPtrArray     *results;
  char          *path;
  GHashTable    *params;
  guint          pending;
  FetchDoneFunc  done;
  gpointer       user_data;
} FetchAll;

static void
fetch_all_free (FetchAll *fetch)
{
  g_clear_pointer (&fetch->results, g_ptr_array_unref);
  g_clear_pointer (&fetch->params, g_hash_table_unref);
  g_free (fetch->path);
  g_free (fetch);
}

static void
fetch_all_complete (FetchAll *fetch)
{
  /* Interrupted: the loop has ended, nothing is to be printed any more. */
  if (!fetch->cli->finished)
    fetch->done (fetch->cli, fetch->results, fetch->user_data);
  fetch_all_free (fetch);
}

typedef struct
{
  FetchAll    *fetch;
  FetchResult *result;
} FetchOne;

static void
fetch_one_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autofree FetchOne *one = user_data;
  FetchAll *fetch = one->fetch;

  one->result->data = pve_remote_manager_request_finish (PVE_REMOTE_MANAGER (object), result,
                                                         NULL, &one->result->error);
  if (--fetch->pending == 0)
    fetch_all_complete (fetch);
}

static void
fetch_all_connected_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  FetchAll *fetch = user_data;
  PveCli *cli = fetch->cli;
  g_autoptr(GHashTable) failures = NULL;
  g_autoptr(GError) error = NULL;

  failures = pve_cli_connect_remotes_finish (cli, result, &error);
  if (failures == NULL)
    {
      if (!cli->finished)
        pve_cli_finish (cli, pve_cli_report_error (NULL, error));
      fetch_all_free (fetch);
      return;
    }

  /* One count for this function, so that requests failing at once cannot complete early. */
  fetch->pending = 1;
  for (guint i = 0; i < fetch->results->len; i++)
    {
      FetchResult *fetch_result = g_ptr_array_index (fetch->results, i);
      gpointer key = NULL;
      gpointer failure = NULL;
      FetchOne *one;

      if (g_hash_table_steal_extended (failures, fetch_result->remote, &key, &failure))
        {
          fetch_result->error = failure;
          g_object_unref (key);
          continue;
        }

      one = g_new0 (FetchOne, 1);
      one->fetch = fetch;
      one->result = fetch_result;
      fetch->pending++;
      pve_remote_manager_request_async (cli->manager, fetch_result->remote, "GET", fetch->path,
                                        fetch->params, cli->cancellable, fetch_one_cb, one);
    }

  if (--fetch->pending == 0)
    fetch_all_complete (fetch);
}

/* Connects every remote (in parallel) and GETs path from each that connected. */
static void
fetch_all (PveCli        *cli,
           GPtrArray     *remotes,
           const char    *path,
           GHashTable    *params,
           FetchDoneFunc  done,
           gpointer       user_data)
{
  FetchAll *fetch = g_new0 (FetchAll, 1);

  fetch->cli = cli;
  fetch->path = g_strdup (path);
  fetch->params = params != NULL ? g_hash_table_ref (params) : NULL;
  fetch->done = done;
  fetch->user_data = user_data;
  fetch->results = g_ptr_array_new_with_free_func ((GDestroyNotify) fetch_result_free);

  for (guint i = 0; i < remotes->len; i++)
    {
      FetchResult *result = g_new0 (FetchResult, 1);
      result->remote = g_object_ref (g_ptr_array_index (remotes, i));
      g_ptr_array_add (fetch->results, result);
    }

  pve_cli_connect_remotes_async (cli, remotes, fetch_all_connected_cb, fetch);
}

/* Prints every failure as "NAME: reason" and returns the exit code: 0 without failures; with
 * one remote, or when every remote failed for the same reason, that reason's code; else 4
 * (a partial result). */
static int
report_failures (GPtrArray *results)
{
  int code = PVE_CLI_EXIT_OK;
  guint n_failed = 0;
  gboolean same = TRUE;

  for (guint i = 0; i < results->len; i++)
    {
      FetchResult *result = g_ptr_array_index (results, i);
      int this_code;

      if (result->error == NULL)
        continue;

      this_code = pve_cli_report_error (pve_remote_get_name (result->remote), result->error);
      if (n_failed > 0 && this_code != code)
        same = FALSE;
      code = this_code;
      n_failed++;
    }

  if (n_failed == 0)
    return PVE_CLI_EXIT_OK;
  if (n_failed == results->len && same)
    return code;
  return PVE_CLI_EXIT_CONNECTION;
}

/* The remotes a command runs on: the one named, or all. NULL (finished with 2) when the name
 * is unknown. */
static GPtrArray *
select_remotes (PveCli     *cli,
                const char *name)
{
  GPtrArray *remotes;
  PveRemote *remote;

  if (name == NULL)
    return pve_cli_sorted_remotes (cli);

  remote = pve_cli_lookup_remote (cli, name);
  if (remote == NULL)
    {
      pve_cli_finish (cli, PVE_CLI_EXIT_NOT_FOUND);
      return NULL;
    }

  remotes = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (remotes, g_object_ref (remote));
  return remotes;
}

static GHashTable *
params_new (const char *first_key,
            ...)
{
  GHashTable *params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  va_list args;

  va_start (args, first_key);
  for (const char *key = first_key; key != NULL; key = va_arg (args, const char *))
    g_hash_table_insert (params, g_strdup (key), g_strdup (va_arg (args, const char *)));
  va_end (args);

  return params;
}

/* ---- Shared JSON and text helpers ------------------------------------------------------------ */

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *member,
                    const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_int_or_null (JsonBuilder *builder,
                 const char  *member,
                 gboolean     known,
                 gint64       value)
{
  json_builder_set_member_name (builder, member);
  if (known)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_double_or_null (JsonBuilder *builder,
                    const char  *member,
                    gboolean     known,
                    double       value)
{
  json_builder_set_member_name (builder, member);
  if (known)
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_tags (JsonBuilder *builder,
          const char  *tags)
{
  g_auto(GStrv) parts = pve_cli_split_tags (tags);

  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  for (guint i = 0; parts[i] != NULL; i++)
    json_builder_add_string_value (builder, parts[i]);
  json_builder_end_array (builder);
}

static char *
format_cpu (gboolean known,
            double   cpu)
{
  if (!known)
    return NULL;
  return g_strdup_printf ("%.1f%%", cpu * 100.0);
}

static char *
format_usage (gboolean known,
              gint64   used,
              gint64   max)
{
  g_autofree char *used_text = NULL;
  g_autofree char *max_text = NULL;

  if (!known || max <= 0)
    return NULL;

  used_text = pve_cli_format_bytes (used);
  max_text = pve_cli_format_bytes (max);
  return g_strdup_printf ("%s / %s", used_text, max_text);
}

static char *
format_uptime (gboolean known,
               gint64   uptime)
{
  if (!known || uptime <= 0)
    return NULL;
  return pve_cli_format_duration (uptime);
}

static gboolean
is_guest (PveResource *resource)
{
  return resource->type == PVE_RESOURCE_QEMU || resource->type == PVE_RESOURCE_LXC;
}

/* ---- guests ---------------------------------------------------------------------------------- */

typedef struct
{
  const char  *remote;    /* name, owned by the remote */
  PveResource *resource;  /* owned by its parsed array */
} ResourceRow;

static int
compare_resource_rows (gconstpointer a,
                       gconstpointer b)
{
  const ResourceRow *ra = a;
  const ResourceRow *rb = b;
  int cmp = g_strcmp0 (ra->remote, rb->remote);

  if (cmp != 0)
    return cmp;
  if (ra->resource->vmid != rb->resource->vmid)
    return ra->resource->vmid < rb->resource->vmid ? -1 : 1;
  cmp = g_strcmp0 (ra->resource->node, rb->resource->node);
  if (cmp != 0)
    return cmp;
  return g_strcmp0 (ra->resource->id, rb->resource->id);
}

/* Parses every successful answer as /cluster/resources; keeps the entries that want() accepts
 * in rows (sorted) and the parsed arrays in keep. An answer that cannot be parsed becomes the
 * remote's failure. */
static void
collect_resources (GPtrArray  *results,
                   gboolean  (*want) (PveResource *resource),
                   GArray     *rows,
                   GPtrArray  *keep)
{
  for (guint i = 0; i < results->len; i++)
    {
      FetchResult *result = g_ptr_array_index (results, i);
      g_autoptr(GPtrArray) resources = NULL;

      if (result->error != NULL)
        continue;

      resources = pve_api_parse_resources (result->data, &result->error);
      if (resources == NULL)
        continue;

      for (guint k = 0; k < resources->len; k++)
        {
          PveResource *resource = g_ptr_array_index (resources, k);
          ResourceRow row = { pve_remote_get_name (result->remote), resource };

          if (want (resource))
            g_array_append_val (rows, row);
        }

      g_ptr_array_add (keep, g_steal_pointer (&resources));
    }

  g_array_sort (rows, compare_resource_rows);
}

static void
guests_done (PveCli    *cli,
             GPtrArray *results,
             gpointer   user_data)
{
  gboolean json = GPOINTER_TO_INT (user_data);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (ResourceRow));
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  collect_resources (results, is_guest, rows, keep);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < rows->len; i++)
        {
          ResourceRow *row = &g_array_index (rows, ResourceRow, i);
          PveResource *r = row->resource;

          json_builder_begin_object (builder);
          add_string_or_null (builder, "remote", row->remote);
          add_string_or_null (builder, "id", r->id);
          json_builder_set_member_name (builder, "vmid");
          json_builder_add_int_value (builder, r->vmid);
          add_string_or_null (builder, "type", pve_cli_resource_type_name (r->type));
          add_string_or_null (builder, "node", r->node);
          add_string_or_null (builder, "name", r->name);
          add_string_or_null (builder, "status", r->status);
          json_builder_set_member_name (builder, "template");
          json_builder_add_boolean_value (builder, r->template);
          add_double_or_null (builder, "cpu", r->has_stats, r->cpu);
          add_int_or_null (builder, "maxcpu", r->has_stats, r->maxcpu);
          add_int_or_null (builder, "mem", r->has_stats, r->mem);
          add_int_or_null (builder, "maxmem", r->has_stats, r->maxmem);
          add_int_or_null (builder, "uptime", r->has_stats, r->uptime);
          add_tags (builder, r->tags);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);

      root = json_builder_get_root (builder);
      pve_cli_print_json (root);
    }
  else
    {
      g_autoptr(PveCliTable) table = pve_cli_table_new (_("REMOTE"), _("VMID"), _("NAME"),
                                                        _("TYPE"), _("NODE"), _("STATUS"),
                                                        _("CPU"), _("MEMORY"), _("UPTIME"),
                                                        _("TAGS"), NULL);

      pve_cli_table_set_right_aligned (table, 1);
      pve_cli_table_set_right_aligned (table, 6);
      for (guint i = 0; i < rows->len; i++)
        {
          ResourceRow *row = &g_array_index (rows, ResourceRow, i);
          PveResource *r = row->resource;
          g_autofree char *vmid = g_strdup_printf ("%" G_GINT64_FORMAT, r->vmid);
          g_autofree char *type = NULL;
          g_autofree char *cpu = format_cpu (r->has_stats, r->cpu);
          g_autofree char *mem = format_usage (r->has_stats, r->mem, r->maxmem);
          g_autofree char *uptime = format_uptime (r->has_stats, r->uptime);
          g_auto(GStrv) tag_list = pve_cli_split_tags (r->tags);
          g_autofree char *tags = g_strjoinv (",", tag_list);

          if (r->template)
            type = g_strdup_printf (_("%s template"), pve_cli_resource_type_name (r->type));
          else
            type = g_strdup (pve_cli_resource_type_name (r->type));

          pve_cli_table_add_row (table, row->remote, vmid, r->name, type, r->node, r->status,
                                 cpu, mem, uptime, tags);
        }
      pve_cli_table_print (table);
    }

  pve_cli_finish (cli, report_failures (results));
}

typedef struct
{
  gboolean json;
  char    *remote;
} ListOptions;

static void
guests_ready (gpointer cli_pointer,
              gpointer user_data)
{
  PveCli *cli = cli_pointer;
  ListOptions *options = user_data;
  g_autoptr(GPtrArray) remotes = select_remotes (cli, options->remote);
  g_autoptr(GHashTable) params = NULL;

  if (remotes == NULL)
    return;

  params = params_new ("type", "vm", NULL);
  fetch_all (cli, remotes, "/cluster/resources", params, guests_done,
             GINT_TO_POINTER (options->json));
}

int
pve_cli_cmd_guests (PveCli  *cli,
                    int      argc,
                    char   **argv)
{
  g_autoptr(GOptionContext) context = pve_cli_option_context_new ("guests");
  g_autofree char *remote = NULL;
  ListOptions options = { 0 };
  GOptionEntry entries[] = {
    { "remote", 0, 0, G_OPTION_ARG_STRING, &remote, N_("Only this remote"), N_("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options.json, N_("Print JSON (see the README)"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Connects every remote (or the one given) and lists its VMs and containers from\n"
      "GET /cluster/resources?type=vm. Remotes that fail are reported on standard error;\n"
      "the others are still listed, with exit code 4 (partial result)."));

  if (!pve_cli_parse_options (context, &argc, &argv))
    return PVE_CLI_EXIT_USAGE;
  if (argc != 1)
    return pve_cli_usage_error ("guests", _("Too many arguments"));

  options.remote = remote;
  pve_cli_load (cli, guests_ready, &options, NULL);
  return pve_cli_run (cli);
}

/* ---- nodes ----------------------------------------------------------------------------------- */

static gboolean
is_node (PveResource *resource)
{
  return resource->type == PVE_RESOURCE_NODE;
}

static int
compare_node_rows (gconstpointer a,
                   gconstpointer b)
{
  const ResourceRow *ra = a;
  const ResourceRow *rb = b;
  int cmp = g_strcmp0 (ra->remote, rb->remote);

  return cmp != 0 ? cmp : g_strcmp0 (ra->resource->node, rb->resource->node);
}

static void
nodes_done (PveCli    *cli,
            GPtrArray *results,
            gpointer   user_data)
{
  gboolean json = GPOINTER_TO_INT (user_data);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (ResourceRow));
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  collect_resources (results, is_node, rows, keep);
  g_array_sort (rows, compare_node_rows);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < rows->len; i++)
        {
          ResourceRow *row = &g_array_index (rows, ResourceRow, i);
          PveResource *r = row->resource;

          json_builder_begin_object (builder);
          add_string_or_null (builder, "remote", row->remote);
          add_string_or_null (builder, "node", r->node);
          add_string_or_null (builder, "status", r->status);
          add_double_or_null (builder, "cpu", r->has_stats, r->cpu);
          add_int_or_null (builder, "maxcpu", r->has_stats, r->maxcpu);
          add_int_or_null (builder, "mem", r->has_stats, r->mem);
          add_int_or_null (builder, "maxmem", r->has_stats, r->maxmem);
          add_int_or_null (builder, "disk", r->has_stats, r->disk);
          add_int_or_null (builder, "maxdisk", r->has_stats, r->maxdisk);
          add_int_or_null (builder, "uptime", r->has_stats, r->uptime);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);

      root = json_builder_get_root (builder);
      pve_cli_print_json (root);
    }
  else
    {
      g_autoptr(PveCliTable) table = pve_cli_table_new (_("REMOTE"), _("NODE"), _("STATUS"),
                                                        _("CPU"), _("MEMORY"), _("DISK"),
                                                        _("UPTIME"), NULL);

      pve_cli_table_set_right_aligned (table, 3);
      for (guint i = 0; i < rows->len; i++)
        {
          ResourceRow *row = &g_array_index (rows, ResourceRow, i);
          PveResource *r = row->resource;
          g_autofree char *cpu = NULL;
          g_autofree char *mem = format_usage (r->has_stats, r->mem, r->maxmem);
          g_autofree char *disk = format_usage (r->has_stats, r->disk, r->maxdisk);
          g_autofree char *uptime = format_uptime (r->has_stats, r->uptime);

          if (r->has_stats)
            cpu = g_strdup_printf (_("%.1f%% of %" PRId64), r->cpu * 100.0, r->maxcpu);

          pve_cli_table_add_row (table, row->remote, r->node, r->status, cpu, mem, disk,
                                 uptime);
        }
      pve_cli_table_print (table);
    }

  pve_cli_finish (cli, report_failures (results));
}

static void
nodes_ready (gpointer cli_pointer,
             gpointer user_data)
{
  PveCli *cli = cli_pointer;
  ListOptions *options = user_data;
  g_autoptr(GPtrArray) remotes = select_remotes (cli, options->remote);
  g_autoptr(GHashTable) params = NULL;

  if (remotes == NULL)
    return;

  params = params_new ("type", "node", NULL);
  fetch_all (cli, remotes, "/cluster/resources", params, nodes_done,
             GINT_TO_POINTER (options->json));
}

int
pve_cli_cmd_nodes (PveCli  *cli,
                   int      argc,
                   char   **argv)
{
  g_autoptr(GOptionContext) context = pve_cli_option_context_new ("nodes");
  g_autofree char *remote = NULL;
  ListOptions options = { 0 };
  GOptionEntry entries[] = {
    { "remote", 0, 0, G_OPTION_ARG_STRING, &remote, N_("Only this remote"), N_("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options.json, N_("Print JSON (see the README)"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Connects every remote (or the one given) and lists its nodes from\n"
      "GET /cluster/resources?type=node. Offline nodes are listed without statistics."));

  if (!pve_cli_parse_options (context, &argc, &argv))
    return PVE_CLI_EXIT_USAGE;
  if (argc != 1)
    return pve_cli_usage_error ("nodes", _("Too many arguments"));

  options.remote = remote;
  pve_cli_load (cli, nodes_ready, &options, NULL);
  return pve_cli_run (cli);
}

/* ---- tasks ----------------------------------------------------------------------------------- */

typedef struct
{
  const char *remote;
  const char *upid;
  const char *node;
  const char *type;
  const char *id;
  const char *user;
  gint64      starttime;
  gint64      endtime;     /* -1 while running */
  gboolean    running;
  const char *exitstatus;  /* NULL while running */
} TaskRow;

static int
compare_task_rows (gconstpointer a,
                   gconstpointer b)
{
  const TaskRow *ta = a;
  const TaskRow *tb = b;
  int cmp;

  /* Newest first, like the web interface. */
  if (ta->starttime != tb->starttime)
    return ta->starttime > tb->starttime ? -1 : 1;
  cmp = g_strcmp0 (ta->remote, tb->remote);
  if (cmp != 0)
    return cmp;
  return g_strcmp0 (ta->upid, tb->upid);
}

static void
collect_tasks (GPtrArray *results,
               GArray    *rows)
{
  for (guint i = 0; i < results->len; i++)
    {
      FetchResult *result = g_ptr_array_index (results, i);
      JsonArray *array;

      if (result->error != NULL)
        continue;

      if (!JSON_NODE_HOLDS_ARRAY (result->data))
        {
          g_set_error (&result->error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE,
                       _("The server sent something else than a list of tasks"));
          continue;
        }

      array = json_node_get_array (result->data);
      for (guint k = 0; k < json_array_get_length (array); k++)
        {
          JsonNode *element = json_array_get_element (array, k);
          JsonObject *object;
          TaskRow row = { 0 };
          const char *status;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          object = json_node_get_object (element);

          row.remote = pve_remote_get_name (result->remote);
          row.upid = pve_json_get_string (object, "upid");
          if (row.upid == NULL)
            continue;
          row.node = pve_json_get_string (object, "node");
          row.type = pve_json_get_string (object, "type");
          row.id = pve_json_get_string (object, "id");
          row.user = pve_json_get_string (object, "user");
          if (!pve_json_get_int (object, "starttime", &row.starttime))
            row.starttime = -1;
          if (!pve_json_get_int (object, "endtime", &row.endtime))
            row.endtime = -1;

          /* A running task has neither an end time nor a status. */
          status = pve_json_get_string (object, "status");
          row.running = (status == NULL && row.endtime < 0) || g_strcmp0 (status, "running") == 0;
          row.exitstatus = row.running ? NULL : status;
          if (row.running)
            row.endtime = -1;

          g_array_append_val (rows, row);
        }
    }

  g_array_sort (rows, compare_task_rows);
}

static void
tasks_done (PveCli    *cli,
            GPtrArray *results,
            gpointer   user_data)
{
  gboolean json = GPOINTER_TO_INT (user_data);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (TaskRow));

  collect_tasks (results, rows);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < rows->len; i++)
        {
          TaskRow *row = &g_array_index (rows, TaskRow, i);

          json_builder_begin_object (builder);
          add_string_or_null (builder, "remote", row->remote);
          add_string_or_null (builder, "upid", row->upid);
          add_string_or_null (builder, "node", row->node);
          add_string_or_null (builder, "type", row->type);
          add_string_or_null (builder, "id", row->id);
          add_string_or_null (builder, "user", row->user);
          add_int_or_null (builder, "starttime", row->starttime >= 0, row->starttime);
          add_int_or_null (builder, "endtime", row->endtime >= 0, row->endtime);
          json_builder_set_member_name (builder, "running");
          json_builder_add_boolean_value (builder, row->running);
          add_string_or_null (builder, "exitstatus", row->exitstatus);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);

      root = json_builder_get_root (builder);
      pve_cli_print_json (root);
    }
  else
    {
      g_autoptr(PveCliTable) table = pve_cli_table_new (_("REMOTE"), _("NODE"), _("STARTED"),
                                                        _("DURATION"), _("TYPE"), _("ID"),
                                                        _("USER"), _("STATUS"), NULL);

      pve_cli_table_set_right_aligned (table, 3);
      for (guint i = 0; i < rows->len; i++)
        {
          TaskRow *row = &g_array_index (rows, TaskRow, i);
          g_autofree char *started = pve_cli_format_time (row->starttime);
          g_autofree char *duration = NULL;
          g_autofree char *status = NULL;

          if (!row->running && row->endtime >= 0 && row->starttime >= 0
              && row->endtime >= row->starttime)
            duration = pve_cli_format_duration (row->endtime - row->starttime);

          if (row->running)
            status = g_strdup (_("running"));
          else
            status = g_strdup (row->exitstatus);
          /* One line per task: an error text may span several. */
          if (status != NULL)
            g_strdelimit (status, "\r\n\t", ' ');

          pve_cli_table_add_row (table, row->remote, row->node, started, duration, row->type,
                                 row->id, row->user, status);
        }
      pve_cli_table_print (table);
    }

  pve_cli_finish (cli, report_failures (results));
}

static void
tasks_ready (gpointer cli_pointer,
             gpointer user_data)
{
  PveCli *cli = cli_pointer;
  ListOptions *options = user_data;
  g_autoptr(GPtrArray) remotes = select_remotes (cli, options->remote);

  if (remotes == NULL)
    return;

  fetch_all (cli, remotes, "/cluster/tasks", NULL, tasks_done, GINT_TO_POINTER (options->json));
}

int
pve_cli_cmd_tasks (PveCli  *cli,
                   int      argc,
                   char   **argv)
{
  g_autoptr(GOptionContext) context = pve_cli_option_context_new ("tasks");
  g_autofree char *remote = NULL;
  ListOptions options = { 0 };
  GOptionEntry entries[] = {
    { "remote", 0, 0, G_OPTION_ARG_STRING, &remote, N_("Only this remote"), N_("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options.json, N_("Print JSON (see the README)"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Connects every remote (or the one given) and lists its recent tasks from\n"
      "GET /cluster/tasks, newest first."));

  if (!pve_cli_parse_options (context, &argc, &argv))
    return PVE_CLI_EXIT_USAGE;
  if (argc != 1)
    return pve_cli_usage_error ("tasks", _("Too many arguments"));

  options.remote = remote;
  pve_cli_load (cli, tasks_ready, &options, NULL);
  return pve_cli_run (cli);
}

/* ---- Finding one guest ----------------------------------------------------------------------- */

typedef void (*GuestFoundFunc) (PveCli      *cli,
                                PveRemote   *remote,
                                PveResource *guest,
                                gpointer     user_data);

typedef struct
{
  PveCli         *cli;
  char           *remote_name;
  gint64          vmid;
  GuestFoundFunc  found;
  gpointer        user_data;
  GDestroyNotify  destroy;
} FindGuest;

/* Frees the caller's data too unless found() took it over. */
static void
find_guest_free (FindGuest *find)
{
  if (find->destroy != NULL && find->user_data != NULL)
    find->destroy (find->user_data);
  g_free (find->remote_name);
  g_free (find);
}

static void
find_guest_done (PveCli    *cli,
                 GPtrArray *results,
                 gpointer   user_data)
{
  FindGuest *find = user_data;
  FetchResult *result = g_ptr_array_index (results, 0);
  g_autoptr(GPtrArray) resources = NULL;
  g_autoptr(GError) error = NULL;

  if (result->error != NULL)
    {
      pve_cli_finish (cli, report_failures (results));
      find_guest_free (find);
      return;
    }

  resources = pve_api_parse_resources (result->data, &error);
  if (resources == NULL)
    {
      pve_cli_finish (cli, pve_cli_report_error (find->remote_name, error));
      find_guest_free (find);
      return;
    }

  for (guint i = 0; i < resources->len; i++)
    {
      PveResource *resource = g_ptr_array_index (resources, i);

      if (is_guest (resource) && resource->vmid == find->vmid)
        {
          find->found (cli, result->remote, resource, g_steal_pointer (&find->user_data));
          find_guest_free (find);
          return;
        }
    }

  pve_cli_message (_("%s: no guest with VMID %" PRId64), find->remote_name, find->vmid);
  pve_cli_finish (cli, PVE_CLI_EXIT_NOT_FOUND);
  find_guest_free (find);
}

/* Connects the remote, then finds the guest (and so its node) in /cluster/resources and
 * passes it to found(), which takes over user_data. When the remote or the guest cannot be
 * found, the command is finished and user_data is destroyed. */
static void
find_guest (PveCli         *cli,
            const char     *remote_name,
            gint64          vmid,
            GuestFoundFunc  found,
            gpointer        user_data,
            GDestroyNotify  destroy)
{
  g_autoptr(GPtrArray) remotes = select_remotes (cli, remote_name);
  g_autoptr(GHashTable) params = NULL;
  FindGuest *find;

  if (remotes == NULL)
    {
      destroy (user_data);
      return;
    }

  find = g_new0 (FindGuest, 1);
  find->cli = cli;
  find->remote_name = g_strdup (remote_name);
  find->vmid = vmid;
  find->found = found;
  find->user_data = user_data;
  find->destroy = destroy;

  params = params_new ("type", "vm", NULL);
  fetch_all (cli, remotes, "/cluster/resources", params, find_guest_done, find);
}

static gboolean
parse_vmid (const char *text,
            gint64     *vmid)
{
  return g_ascii_string_to_signed (text, 10, 1, 999999999, vmid, NULL);
}

static char *
guest_path (PveResource *guest,
            const char  *first_tail,
            ...)
{
  g_autofree char *vmid = g_strdup_printf ("%" G_GINT64_FORMAT, guest->vmid);
  g_autofree char *base = pve_client_build_path ("nodes", guest->node,
                                                 pve_cli_resource_type_name (guest->type),
                                                 vmid, NULL);
  g_autoptr(GString) path = g_string_new (base);
  va_list args;

  va_start (args, first_tail);
  for (const char *tail = first_tail; tail != NULL; tail = va_arg (args, const char *))
    {
      g_autofree char *segment = pve_client_build_path (tail, NULL);
      g_string_append (path, segment);
    }
  va_end (args);

  return g_string_free (g_steal_pointer (&path), FALSE);
}

/* ---- status ---------------------------------------------------------------------------------- */

typedef struct
{
  PveCli      *cli;
  gboolean     json;
  char        *remote_name;
  gint64       vmid;
  PveResource *guest;   /* a copy of the parts used */
} StatusData;

static void
status_data_free (StatusData *data)
{
  g_free (data->remote_name);
  g_clear_pointer (&data->guest, pve_resource_free);
  g_free (data);
}

static PveResource *
resource_copy (const PveResource *r)
{
  PveResource *copy = g_new0 (PveResource, 1);

  *copy = *r;
  copy->id = g_strdup (r->id);
  copy->node = g_strdup (r->node);
  copy->status = g_strdup (r->status);
  copy->name = g_strdup (r->name);
  copy->tags = g_strdup (r->tags);
  copy->pool = g_strdup (r->pool);
  copy->lock = g_strdup (r->lock);
  copy->hastate = g_strdup (r->hastate);
  copy->storage = g_strdup (r->storage);
  return copy;
}

typedef struct
{
  const char *label;
  char       *value;
} Field;

static void
print_fields (Field *fields,
              guint  n_fields)
{
  gsize width = 0;

  for (guint i = 0; i < n_fields; i++)
    width = MAX (width, (gsize) g_utf8_strlen (fields[i].label, -1));

  for (guint i = 0; i < n_fields; i++)
    {
      gsize pad = width - (gsize) g_utf8_strlen (fields[i].label, -1);

      printf ("%s:%*s %s\n", fields[i].label, (int) pad, "",
              fields[i].value != NULL && *fields[i].value != '\0' ? fields[i].value : "-");
      g_free (fields[i].value);
    }
  fflush (stdout);
}

static void
status_current_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  StatusData *data = user_data;
  PveCli *cli = data->cli;
  PveResource *guest = data->guest;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *current;
  const char *status, *qmpstatus, *name, *lock, *tags, *ha_state = NULL;
  gboolean has_cpu, has_maxcpu, has_mem, has_maxmem, has_disk, has_maxdisk, has_uptime, has_pid;
  gboolean template = guest->template;
  double cpu = 0;
  gint64 maxcpu = 0, mem = 0, maxmem = 0, disk = 0, maxdisk = 0, uptime = 0, pid = 0;

  node = pve_remote_manager_request_finish (PVE_REMOTE_MANAGER (object), result, NULL, &error);
  if (node == NULL)
    {
      pve_cli_finish (cli, pve_cli_report_error (data->remote_name, error));
      status_data_free (data);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      pve_cli_message (_("%s: the server sent no status for VMID %" PRId64),
                       data->remote_name, data->vmid);
      pve_cli_finish (cli, PVE_CLI_EXIT_CONNECTION);
      status_data_free (data);
      return;
    }

  current = json_node_get_object (node);
  status = pve_json_get_string (current, "status");
  if (status == NULL)
    status = guest->status;
  qmpstatus = pve_json_get_string (current, "qmpstatus");
  name = pve_json_get_string (current, "name");
  if (name == NULL)
    name = guest->name;
  lock = pve_json_get_string (current, "lock");
  tags = pve_json_get_string (current, "tags");
  if (tags == NULL)
    tags = guest->tags;
  pve_json_get_bool (current, "template", &template);
  if (json_object_has_member (current, "ha")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (current, "ha")))
    {
      JsonObject *ha = json_object_get_object_member (current, "ha");
      gint64 managed = 0;

      if (pve_json_get_int (ha, "managed", &managed) && managed)
        ha_state = pve_json_get_string (ha, "state");
    }

  has_cpu = pve_json_get_double (current, "cpu", &cpu);
  has_maxcpu = pve_json_get_int (current, "cpus", &maxcpu);
  has_mem = pve_json_get_int (current, "mem", &mem);
  has_maxmem = pve_json_get_int (current, "maxmem", &maxmem);
  has_disk = pve_json_get_int (current, "disk", &disk);
  has_maxdisk = pve_json_get_int (current, "maxdisk", &maxdisk);
  has_uptime = pve_json_get_int (current, "uptime", &uptime);
  has_pid = pve_json_get_int (current, "pid", &pid);

  if (data->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      add_string_or_null (builder, "remote", data->remote_name);
      add_string_or_null (builder, "id", guest->id);
      json_builder_set_member_name (builder, "vmid");
      json_builder_add_int_value (builder, guest->vmid);
      add_string_or_null (builder, "type", pve_cli_resource_type_name (guest->type));
      add_string_or_null (builder, "node", guest->node);
      add_string_or_null (builder, "name", name);
      add_string_or_null (builder, "status", status);
      add_string_or_null (builder, "qmpstatus", qmpstatus);
      json_builder_set_member_name (builder, "template");
      json_builder_add_boolean_value (builder, template);
      add_double_or_null (builder, "cpu", has_cpu, cpu);
      add_int_or_null (builder, "maxcpu", has_maxcpu, maxcpu);
      add_int_or_null (builder, "mem", has_mem, mem);
      add_int_or_null (builder, "maxmem", has_maxmem, maxmem);
      add_int_or_null (builder, "disk", has_disk, disk);
      add_int_or_null (builder, "maxdisk", has_maxdisk, maxdisk);
      add_int_or_null (builder, "uptime", has_uptime, uptime);
      add_int_or_null (builder, "pid", has_pid, pid);
      add_string_or_null (builder, "lock", lock);
      add_string_or_null (builder, "ha_state", ha_state);
      add_tags (builder, tags);
      json_builder_end_object (builder);

      root = json_builder_get_root (builder);
      pve_cli_print_json (root);
    }
  else
    {
      g_auto(GStrv) tag_list = pve_cli_split_tags (tags);
      Field fields[] = {
        { _("Remote"), g_strdup (data->remote_name) },
        { _("VMID"), g_strdup_printf ("%" PRId64, guest->vmid) },
        { _("Name"), g_strdup (name) },
        { _("Type"), g_strdup (pve_cli_resource_type_name (guest->type)) },
        { _("Node"), g_strdup (guest->node) },
        { _("Status"), qmpstatus != NULL && g_strcmp0 (qmpstatus, status) != 0
                       ? g_strdup_printf ("%s (%s)", status, qmpstatus) : g_strdup (status) },
        { _("Template"), g_strdup (template ? _("yes") : _("no")) },
        { _("CPU"), has_cpu && has_maxcpu
                    ? g_strdup_printf (_("%.1f%% of %" PRId64), cpu * 100.0, maxcpu)
                    : format_cpu (has_cpu, cpu) },
        { _("Memory"), format_usage (has_mem && has_maxmem, mem, maxmem) },
        { _("Disk"), format_usage (has_disk && has_maxdisk, disk, maxdisk) },
        { _("Uptime"), format_uptime (has_uptime, uptime) },
        { _("PID"), has_pid ? g_strdup_printf ("%" PRId64, pid) : NULL },
        { _("Lock"), g_strdup (lock) },
        { _("HA"), g_strdup (ha_state) },
        { _("Tags"), g_strjoinv (", ", tag_list) },
      };

      print_fields (fields, G_N_ELEMENTS (fields));
    }

  pve_cli_finish (cli, PVE_CLI_EXIT_OK);
  status_data_free (data);
}

static void
status_found (PveCli      *cli,
              PveRemote   *remote,
              PveResource *guest,
              gpointer     user_data)
{
  StatusData *data = user_data;
  g_autofree char *path = guest_path (guest, "status", "current", NULL);

  data->guest = resource_copy (guest);
  pve_remote_manager_request_async (cli->manager, remote, "GET", path, NULL, cli->cancellable,
                                    status_current_cb, data);
}

static void
status_ready (gpointer cli_pointer,
              gpointer user_data)
{
  StatusData *data = user_data;

  find_guest (data->cli, data->remote_name, data->vmid, status_found, data,
              (GDestroyNotify) status_data_free);
}

int
pve_cli_cmd_status (PveCli  *cli,
                    int      argc,
                    char   **argv)
{
  g_autoptr(GOptionContext) context = pve_cli_option_context_new ("status");
  gboolean json = FALSE;
  StatusData *data;
  gint64 vmid;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON (see the README)"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Finds the guest's node in /cluster/resources and shows\n"
      "GET /nodes/NODE/TYPE/VMID/status/current."));

  if (!pve_cli_parse_options (context, &argc, &argv))
    return PVE_CLI_EXIT_USAGE;
  if (argc != 3)
    return pve_cli_usage_error ("status", argc < 3 ? _("Expected REMOTE and VMID")
                                                   : _("Too many arguments"));
  if (!parse_vmid (argv[2], &vmid))
    return pve_cli_usage_error ("status", _("“%s” is not a VMID"), argv[2]);

  data = g_new0 (StatusData, 1);
  data->cli = cli;
  data->json = json;
  data->remote_name = g_strdup (argv[1]);
  data->vmid = vmid;

  pve_cli_load (cli, status_ready, data,
                (GDestroyNotify) status_data_free);
  return pve_cli_run (cli);
}

/* ---- start, stop, shutdown, reboot ----------------------------------------------------------- */

typedef struct
{
  PveCli    *cli;
  char      *action;
  char      *remote_name;
  gint64     vmid;
  gboolean   wait;
  gboolean   node_offline;  /* the guest's node did not report: status "unknown" */
  PveRemote *remote;
  char      *upid;
  char      *task_node;
  char      *exitstatus;
  guint      poll_id;
} PowerData;

static void
power_data_free (PowerData *data)
{
  g_clear_handle_id (&data->poll_id, g_source_remove);
  g_free (data->action);
  g_free (data->remote_name);
  g_clear_object (&data->remote);
  g_free (data->upid);
  g_free (data->task_node);
  g_free (data->exitstatus);
  g_free (data);
}

static void power_poll_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data);

static char *
task_path (PowerData  *data,
           const char *leaf)
{
  return pve_client_build_path ("nodes", data->task_node, "tasks", data->upid, leaf, NULL);
}

static void
power_print_failure (PowerData *data,
                     GPtrArray *lines)
{
  pve_cli_message (_("%s: task %s failed: %s"), data->remote_name, data->upid, data->exitstatus);

  if (lines != NULL && lines->len > 0)
    {
      guint first = lines->len > TASK_LOG_TAIL_LINES ? lines->len - TASK_LOG_TAIL_LINES : 0;

      fputs (_("Task log (last lines):\n"), stderr);
      for (guint i = first; i < lines->len; i++)
        fprintf (stderr, "  %s\n", (const char *) g_ptr_array_index (lines, i));
      fflush (stderr);
    }

  pve_cli_finish (data->cli, PVE_CLI_EXIT_TASK_FAILED);
  power_data_free (data);
}

static void
power_log_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  PowerData *data = user_data;
  PveCli *cli = data->cli;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  gint64 total = -1;
  gint64 first_n = -1;

  node = pve_remote_manager_request_finish (PVE_REMOTE_MANAGER (object), result, &total, &error);
  if (node != NULL)
    lines = pve_api_parse_log_lines (node, &first_n, &error);

  if (lines == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          power_data_free (data);
          return;
        }
      /* The failure is what matters; a log that cannot be read does not hide it. */
      g_debug ("task log: %s", error->message);
    }
  else if (total > TASK_LOG_PAGE && first_n <= 0)
    {
      /* That was the first page of a long log: fetch its end. */
      g_autofree char *path = task_path (data, "log");
      g_autofree char *start = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                total - TASK_LOG_TAIL_LINES);
      g_autofree char *limit = g_strdup_printf ("%d", TASK_LOG_TAIL_LINES);
      g_autoptr(GHashTable) params = params_new ("start", start, "limit", limit, NULL);

      pve_remote_manager_request_async (cli->manager, data->remote, "GET", path, params,
                                        cli->cancellable, power_log_cb, data);
      return;
    }

  power_print_failure (data, lines);
}

static void
power_task_ended (PowerData *data)
{
  PveCli *cli = data->cli;
  g_autofree char *path = NULL;
  g_autofree char *limit = NULL;
  g_autoptr(GHashTable) params = NULL;

  if (pve_task_exitstatus_is_ok (data->exitstatus))
    {
      pve_cli_message (_("%s: task %s finished: %s"), data->remote_name, data->upid,
                       data->exitstatus);
      pve_cli_finish (cli, PVE_CLI_EXIT_OK);
      power_data_free (data);
      return;
    }

  path = task_path (data, "log");
  limit = g_strdup_printf ("%d", TASK_LOG_PAGE);
  params = params_new ("start", "0", "limit", limit, NULL);
  pve_remote_manager_request_async (cli->manager, data->remote, "GET", path, params,
                                    cli->cancellable, power_log_cb, data);
}

static gboolean
power_poll_timeout (gpointer user_data)
{
  PowerData *data = user_data;
  PveCli *cli = data->cli;
  g_autofree char *path = task_path (data, "status");

  data->poll_id = 0;
  pve_remote_manager_request_async (cli->manager, data->remote, "GET", path, NULL,
                                    cli->cancellable, power_poll_cb, data);
  return G_SOURCE_REMOVE;
}

static void
power_poll_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  PowerData *data = user_data;
  PveCli *cli = data->cli;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  PveTaskStatus status = { 0 };

  node = pve_remote_manager_request_finish (PVE_REMOTE_MANAGER (object), result, NULL, &error);
  if (node == NULL || !pve_api_parse_task_status (node, &status, &error))
    {
      g_autofree char *prefix = g_strdup_printf (_("%s: cannot follow task %s"),
                                                 data->remote_name, data->upid);
      pve_cli_finish (cli, pve_cli_report_error (prefix, error));
      power_data_free (data);
      return;
    }

  if (status.running)
    {
      data->poll_id = g_timeout_add (TASK_POLL_INTERVAL_MS, power_poll_timeout, data);
      pve_task_status_clear (&status);
      return;
    }

  data->exitstatus = g_strdup (status.exitstatus != NULL ? status.exitstatus : _("unknown"));
  pve_task_status_clear (&status);
  power_task_ended (data);
}

static void
power_action_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PowerData *data = user_data;
  PveCli *cli = data->cli;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  PveUpid upid = { 0 };

  node = pve_remote_manager_request_finish (PVE_REMOTE_MANAGER (object), result, NULL, &error);
  if (node == NULL)
    {
      g_autofree char *prefix = g_strdup_printf (_("%s: cannot %s VMID %" PRId64),
                                                 data->remote_name, data->action, data->vmid);
      int code = pve_cli_report_error (prefix, error);

      /* The server refused the action itself ("CT 100 already running"): the action failed,
       * the connection did not. Unless the guest's node is offline: then the error is the
       * cluster failing to reach it (595), a connection failure. */
      if ((g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_SERVER)
           || g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_HTTP))
          && !data->node_offline)
        code = PVE_CLI_EXIT_TASK_FAILED;

      pve_cli_finish (cli, code);
      power_data_free (data);
      return;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING
      || !pve_upid_parse (json_node_get_string (node), &upid, NULL))
    {
      pve_cli_message (_("%s: the server did not answer with a task id"), data->remote_name);
      pve_cli_finish (cli, PVE_CLI_EXIT_CONNECTION);
      power_data_free (data);
      return;
    }

  data->upid = g_strdup (json_node_get_string (node));
  g_free (data->task_node);
  data->task_node = g_strdup (upid.node);
  pve_upid_clear (&upid);

  printf ("%s\n", data->upid);
  fflush (stdout);

  if (!data->wait)
    {
      pve_cli_finish (cli, PVE_CLI_EXIT_OK);
      power_data_free (data);
      return;
    }

  power_poll_timeout (data);
}

static void
power_found (PveCli      *cli,
             PveRemote   *remote,
             PveResource *guest,
             gpointer     user_data)
{
  PowerData *data = user_data;
  g_autofree char *path = guest_path (guest, "status", data->action, NULL);

  data->remote = g_object_ref (remote);
  data->task_node = g_strdup (guest->node);
  data->node_offline = !guest->has_stats && g_strcmp0 (guest->status, "unknown") == 0;
  pve_remote_manager_request_async (cli->manager, remote, "POST", path, NULL, cli->cancellable,
                                    power_action_cb, data);
}

static void
power_ready (gpointer cli_pointer,
             gpointer user_data)
{
  PowerData *data = user_data;

  find_guest (data->cli, data->remote_name, data->vmid, power_found, data,
              (GDestroyNotify) power_data_free);
}

int
pve_cli_cmd_power (PveCli  *cli,
                   int      argc,
                   char   **argv)
{
  g_autoptr(GOptionContext) context = pve_cli_option_context_new (argv[0]);
  gboolean wait = FALSE;
  PowerData *data;
  gint64 vmid;
  GOptionEntry entries[] = {
    { "wait", 0, 0, G_OPTION_ARG_NONE, &wait,
      N_("Wait until the task has ended; exit with 5 when it failed"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Finds the guest's node in /cluster/resources, POSTs the action and prints the task's\n"
      "UPID on standard output. With --wait, follows the task until it has ended; when it\n"
      "failed, prints its exit status and the end of its log on standard error, exit code 5."));

  if (!pve_cli_parse_options (context, &argc, &argv))
    return PVE_CLI_EXIT_USAGE;
  if (argc != 3)
    return pve_cli_usage_error (argv[0], argc < 3 ? _("Expected REMOTE and VMID")
                                                  : _("Too many arguments"));
  if (!parse_vmid (argv[2], &vmid))
    return pve_cli_usage_error (argv[0], _("“%s” is not a VMID"), argv[2]);

  data = g_new0 (PowerData, 1);
  data->cli = cli;
  data->action = g_strdup (argv[0]);
  data->remote_name = g_strdup (argv[1]);
  data->vmid = vmid;
  data->wait = wait;

  pve_cli_load (cli, power_ready, data,
                (GDestroyNotify) power_data_free);
  return pve_cli_run (cli);
}

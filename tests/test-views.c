/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The node, nodes, tasks and cluster views, real GTK under Xvfb, fed by the in-process
 * simulator through a real PveRemoteManager.
 */
#include <math.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "pve-views-util.h"
#include "pve-api.h"
#include "pve-client.h"
#include "pve-cluster-info.h"
#include "pve-cluster-view.h"
#include "pve-graph.h"
#include "pve-node-info.h"
#include "pve-node-page.h"
#include "pve-nodes-view.h"
#include "pve-remote-manager.h"
#include "pve-sim.h"
#include "pve-task-log-window.h"
#include "pve-tasks-view.h"

typedef struct
{
  PveSim           *sim;
  PveRemoteManager *manager;
  PveRemote        *remote;
  char             *tmpdir;
  GtkWidget        *window;
} Fixture;

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
poll_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main context until check(data) holds; fails after 20 s. */
static void
wait_until (gboolean (*check) (gpointer),
            gpointer   data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (20, timeout_cb, &timed_out);
  guint poll = g_timeout_add (25, poll_cb, NULL);

  while (!check (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
  g_source_remove (poll);
}

static void
store_result (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
have_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PveRemoteStore) store = NULL;
  g_autoptr(PveSecrets) secrets = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *path = NULL;
  guint port;

  fx->sim = pve_sim_new (3, 12, 11);
  pve_sim_set_task_duration_ms (fx->sim, 1500);
  port = pve_sim_listen (fx->sim, 0, &error);
  g_assert_no_error (error);

  fx->tmpdir = g_dir_make_tmp ("pve-views-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fx->tmpdir, "remotes.ini", NULL);
  store = pve_remote_store_new (path);
  secrets = pve_secrets_new ();
  fx->manager = pve_remote_manager_new (store, secrets);
  pve_remote_manager_set_heartbeat_interval (fx->manager, 0);

  fx->remote = pve_remote_new ();
  pve_remote_set_name (fx->remote, "lab");
  pve_remote_set_host (fx->remote, "127.0.0.1");
  pve_remote_set_port (fx->remote, port);
  pve_remote_set_user (fx->remote, "root");
  pve_remote_set_realm (fx->remote, "pam");
  pve_remote_set_fingerprint (fx->remote, pve_sim_get_fingerprint (fx->sim));
  pve_remote_store_add (store, fx->remote);

  pve_remote_manager_connect_async (fx->manager, fx->remote, PVE_SIM_ROOT_PASSWORD, FALSE, NULL,
                                    store_result, &result);
  wait_until (have_result, &result);
  pve_remote_manager_connect_finish (fx->manager, result, &error);
  g_assert_no_error (error);
  g_assert_true (pve_remote_get_connected (fx->remote));

  fx->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 1100, 900);
}

static gboolean
view_gone (gpointer data)
{
  return *(GtkWidget **) data == NULL;
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fx->tmpdir, "remotes.ini", NULL);
  GtkWidget *view = gtk_window_get_child (GTK_WINDOW (fx->window));

  /* The view must go away with its window once its cancelled requests have completed: no
   * reference cycles, no callback keeping it alive. */
  if (view != NULL)
    g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &view);
  gtk_window_destroy (GTK_WINDOW (fx->window));
  if (view != NULL)
    wait_until (view_gone, &view);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  pve_remote_manager_disconnect_all (fx->manager);
  g_clear_object (&fx->remote);
  g_clear_object (&fx->manager);
  pve_sim_stop (fx->sim);
  g_clear_object (&fx->sim);
  g_unlink (path);
  g_rmdir (fx->tmpdir);
  g_clear_pointer (&fx->tmpdir, g_free);
}

/* ---- finding what is on screen ------------------------------------------------------------ */

typedef struct
{
  GtkWidget  *root;
  const char *text;
  gboolean    exact;
} LabelQuery;

/* A mapped GtkLabel under widget whose text is (or contains) text. */
static GtkLabel *
find_label (GtkWidget  *widget,
            const char *text,
            gboolean    exact)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget))
    {
      const char *label = gtk_label_get_text (GTK_LABEL (widget));

      if (exact ? g_strcmp0 (label, text) == 0 : (label != NULL && strstr (label, text) != NULL))
        return GTK_LABEL (widget);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label (child, text, exact);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
label_shown (gpointer data)
{
  LabelQuery *query = data;

  return find_label (query->root, query->text, query->exact) != NULL;
}

static void
wait_for_label (GtkWidget  *root,
                const char *text,
                gboolean    exact)
{
  LabelQuery query = { root, text, exact };

  wait_until (label_shown, &query);
}

static gboolean
label_gone (gpointer data)
{
  return !label_shown (data);
}

/* Waits until no mapped label says text (transitions keep the old page mapped briefly). */
static void
wait_for_no_label (GtkWidget  *root,
                   const char *text,
                   gboolean    exact)
{
  LabelQuery query = { root, text, exact };

  wait_until (label_gone, &query);
}

static void
collect_type (GtkWidget *widget,
              GType      type,
              GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_type (child, type, out);
}

static PveNodeStatus *
load_status (Fixture *fx)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PveNodeStatus *status;

  pve_node_status_load_async (fx->manager, fx->remote, "pve1", NULL, store_result, &result);
  wait_until (have_result, &result);
  status = pve_node_status_load_finish (result, &error);
  g_assert_no_error (error);
  return status;
}

/* ---- graph ----------------------------------------------------------------------------- */

static void
test_graph_summary (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = json_from_string ("[{\"time\":60,\"cpu\":0.25,\"netin\":100},"
                                               "{\"time\":120,\"cpu\":0.5},{\"time\":180}]",
                                               &error);
  g_autoptr(PveRrdSeries) series = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;
  GtkWidget *graph = g_object_ref_sink (pve_graph_new ("CPU", PVE_GRAPH_UNIT_PERCENT));

  g_assert_no_error (error);
  series = pve_rrd_series_parse (data, &error);
  g_assert_no_error (error);

  empty = pve_graph_dup_summary (PVE_GRAPH (graph));
  g_assert_cmpstr (empty, ==, "CPU: no data");

  /* The latest value that is not a gap. */
  pve_graph_set_series (PVE_GRAPH (graph), series, "cpu", "CPU", NULL, NULL);
  one = pve_graph_dup_summary (PVE_GRAPH (graph));
  g_assert_cmpstr (one, ==, "CPU: 50 % (latest)");

  pve_graph_set_series (PVE_GRAPH (graph), series, "cpu", "a", "netin", "b");
  pve_graph_set_unit (PVE_GRAPH (graph), PVE_GRAPH_UNIT_NUMBER);
  two = pve_graph_dup_summary (PVE_GRAPH (graph));
  g_assert_cmpstr (two, ==, "CPU: a 0.50, b 100.00 (latest)");

  g_assert_finalize_object (graph);
}

/* ---- node page ------------------------------------------------------------------------- */

static gboolean
graph_has_data (gpointer data)
{
  GtkWidget *root = data;
  g_autoptr(GPtrArray) graphs = g_ptr_array_new ();
  gboolean all = TRUE;

  collect_type (root, PVE_TYPE_GRAPH, graphs);
  if (graphs->len == 0)
    return FALSE;
  for (guint i = 0; i < graphs->len; i++)
    {
      g_autofree char *summary = pve_graph_dup_summary (g_ptr_array_index (graphs, i));

      all &= strstr (summary, "no data") == NULL;
    }
  return all;
}

static void
test_node_page (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(PveNodeStatus) status = load_status (fx);
  GtkWidget *page = pve_node_page_new (fx->manager, fx->remote, "pve1");

  g_assert_nonnull (status->pve_version);
  g_assert_nonnull (status->kversion);

  gtk_window_set_child (GTK_WINDOW (fx->window), page);
  gtk_window_present (GTK_WINDOW (fx->window));

  wait_for_label (page, status->pve_version, TRUE);
  wait_for_label (page, status->kversion, TRUE);
  wait_for_label (page, "PVE Version", TRUE);
  /* Memory as "X of Y (Z %)", load average as three numbers, the subscription in words. */
  wait_for_label (page, " of ", FALSE);
  wait_until (graph_has_data, page);
  /* The newest syslog page, with its position in the whole log; then one page older. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(PveLogPage) probe = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *newest = NULL;
    g_autofree char *older = NULL;
    gint64 total;

    pve_syslog_load_async (fx->manager, fx->remote, "pve1", 0, 1, NULL, store_result, &result);
    wait_until (have_result, &result);
    probe = pve_syslog_load_finish (result, &error);
    g_assert_no_error (error);
    total = probe->total;
    g_assert_cmpint (total, >, 200);

    newest = g_strdup_printf ("Lines %" G_GINT64_FORMAT "–%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT,
                              total - 99, total, total);
    wait_for_label (page, newest, TRUE);
    g_assert_true (gtk_widget_activate_action (page, "node.syslog-older", NULL));
    older = g_strdup_printf ("Lines %" G_GINT64_FORMAT "–%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT,
                             total - 199, total, total);
    wait_for_label (page, older, TRUE);
  }
}

static void
test_node_page_disconnected (Fixture       *fx,
                             gconstpointer  data)
{
  GtkWidget *page;

  pve_remote_manager_disconnect (fx->manager, fx->remote);
  pve_sim_clear_requests (fx->sim);

  page = pve_node_page_new (fx->manager, fx->remote, "pve1");
  gtk_window_set_child (GTK_WINDOW (fx->window), page);
  gtk_window_present (GTK_WINDOW (fx->window));

  wait_for_label (page, "Not Connected", TRUE);
  wait_for_label (page, "Connect “lab” to see this node.", TRUE);
  /* Give a refresh a chance to (wrongly) go out. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (pve_sim_get_request_count (fx->sim), ==, 0);
}

static void
test_node_page_disconnect_while_open (Fixture       *fx,
                                      gconstpointer  data)
{
  g_autoptr(PveNodeStatus) status = load_status (fx);
  GtkWidget *page = pve_node_page_new (fx->manager, fx->remote, "pve1");

  gtk_window_set_child (GTK_WINDOW (fx->window), page);
  gtk_window_present (GTK_WINDOW (fx->window));
  wait_for_label (page, status->pve_version, TRUE);

  pve_remote_manager_disconnect (fx->manager, fx->remote);
  wait_for_label (page, "Not Connected", TRUE);
  wait_for_no_label (page, status->kversion, TRUE);
}

static void
test_node_page_offline_node (Fixture       *fx,
                             gconstpointer  data)
{
  GtkWidget *page = pve_node_page_new (fx->manager, fx->remote, "pve3");

  gtk_window_set_child (GTK_WINDOW (fx->window), page);
  gtk_window_present (GTK_WINDOW (fx->window));

  /* The third node of the simulated cluster is offline: the page says so in words. */
  wait_for_label (page, "Could Not Load the Node", TRUE);
  g_assert_true (pve_remote_get_connected (fx->remote));
}

/* A second remote on the same simulator, logged in as the read-only auditor. */
static PveRemote *
connect_auditor (Fixture *fx)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PveRemote *remote = pve_remote_new ();

  pve_remote_set_name (remote, "audit");
  pve_remote_set_host (remote, "127.0.0.1");
  pve_remote_set_port (remote, pve_sim_get_port (fx->sim));
  pve_remote_set_user (remote, "audit");
  pve_remote_set_realm (remote, "pve");
  pve_remote_set_fingerprint (remote, pve_sim_get_fingerprint (fx->sim));
  pve_remote_store_add (pve_remote_manager_get_store (fx->manager), remote);

  pve_remote_manager_connect_async (fx->manager, remote, PVE_SIM_AUDIT_PASSWORD, FALSE, NULL,
                                    store_result, &result);
  wait_until (have_result, &result);
  pve_remote_manager_connect_finish (fx->manager, result, &error);
  g_assert_no_error (error);
  return remote;
}

static void
test_node_page_no_syslog_permission (Fixture       *fx,
                                     gconstpointer  data)
{
  g_autoptr(PveNodeStatus) status = load_status (fx);
  g_autoptr(PveRemote) auditor = connect_auditor (fx);
  GtkWidget *page = pve_node_page_new (fx->manager, auditor, "pve1");

  gtk_window_set_child (GTK_WINDOW (fx->window), page);
  gtk_window_present (GTK_WINDOW (fx->window));

  /* The page works; the log says in words why it is not shown. */
  wait_for_label (page, status->pve_version, TRUE);
  wait_for_label (page, "You are not allowed to see this", FALSE);
  wait_for_label (page, "Sys.Syslog", FALSE);
}

/* ---- nodes view ------------------------------------------------------------------------ */

typedef struct
{
  PveRemote *remote;
  char      *node;
} Activation;

static void
node_activated_cb (PveNodesView *view,
                   PveRemote    *remote,
                   const char   *node,
                   Activation   *activation)
{
  activation->remote = remote;
  g_free (activation->node);
  activation->node = g_strdup (node);
}

static GtkWidget *
find_row (GtkWidget  *widget,
          const char *title)
{
  if (ADW_IS_ACTION_ROW (widget) && gtk_widget_get_mapped (widget)
      && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_nodes_view (Fixture       *fx,
                 gconstpointer  data)
{
  GtkWidget *view = pve_nodes_view_new (fx->manager);
  Activation activation = { NULL, NULL };
  GtkWidget *row;

  g_signal_connect (view, "node-activated", G_CALLBACK (node_activated_cb), &activation);
  gtk_window_set_child (GTK_WINDOW (fx->window), view);
  gtk_window_present (GTK_WINDOW (fx->window));

  wait_for_label (view, "lab", TRUE);
  wait_for_label (view, "pve1", TRUE);
  wait_for_label (view, "pve3", TRUE);
  wait_for_label (view, "Offline", TRUE);
  wait_for_label (view, "Online · CPU", FALSE);

  row = find_row (view, "pve2");
  g_assert_nonnull (row);
  g_signal_emit_by_name (row, "activated");
  g_assert_true (activation.remote == fx->remote);
  g_assert_cmpstr (activation.node, ==, "pve2");
  g_free (activation.node);

  /* Disconnected: the remote's nodes go away and the view says why it is empty. */
  pve_remote_manager_disconnect (fx->manager, fx->remote);
  wait_for_label (view, "No Connected Remotes", TRUE);
  wait_for_no_label (view, "pve1", TRUE);
}

/* ---- tasks view ------------------------------------------------------------------------ */

typedef struct
{
  GListModel *model;
  const char *upid;
  gboolean    want_running;
} TaskQuery;

static PveTaskObject *
find_task_object (GListModel *model,
                  const char *upid)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PveTaskObject) object = g_list_model_get_item (model, i);

      if (g_strcmp0 (pve_task_object_get_upid (object), upid) == 0)
        return object;
    }
  return NULL;
}

static gboolean
task_in_state (gpointer data)
{
  TaskQuery *query = data;
  PveTaskObject *object = find_task_object (query->model, query->upid);

  return object != NULL && pve_task_object_get_running (object) == query->want_running;
}

static guint
task_position (GListModel *model,
               const char *upid)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PveTaskObject) object = g_list_model_get_item (model, i);

      if (g_strcmp0 (pve_task_object_get_upid (object), upid) == 0)
        return i;
    }
  g_assert_not_reached ();
  return 0;
}

static char *
start_stopped_vm (Fixture    *fx,
                  const char *failure)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) resources_data = NULL;
  g_autoptr(GPtrArray) resources = NULL;
  g_autoptr(JsonNode) upid = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GAsyncResult) start_result = NULL;
  gint64 vmid = pve_sim_find_guest (fx->sim, "qemu", "stopped");
  const char *node = NULL;

  g_assert_cmpint (vmid, >, 0);
  pve_remote_manager_request_async (fx->manager, fx->remote, "GET", "/cluster/resources", NULL,
                                    NULL, store_result, &result);
  wait_until (have_result, &result);
  resources_data = pve_remote_manager_request_finish (fx->manager, result, NULL, &error);
  g_assert_no_error (error);
  resources = pve_api_parse_resources (resources_data, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < resources->len; i++)
    {
      PveResource *r = g_ptr_array_index (resources, i);

      if (r->vmid == vmid)
        node = r->node;
    }
  g_assert_nonnull (node);
  if (failure != NULL)
    pve_sim_set_task_failure (fx->sim, vmid, failure);

  id = g_strdup_printf ("%" G_GINT64_FORMAT, vmid);
  path = pve_client_build_path ("nodes", node, "qemu", id, "status", "start", NULL);
  pve_remote_manager_request_async (fx->manager, fx->remote, "POST", path, NULL, NULL,
                                    store_result, &start_result);
  wait_until (have_result, &start_result);
  upid = pve_remote_manager_request_finish (fx->manager, start_result, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (json_node_get_string (upid));
}

typedef struct
{
  PveTaskLogWindow *window;
} LogQuery;

static gboolean
log_finished (gpointer data)
{
  LogQuery *query = data;
  g_autofree char *text = pve_task_log_window_dup_text (query->window);

  return !pve_task_log_window_get_running (query->window) && text != NULL && *text != '\0'
         && find_label (GTK_WIDGET (query->window), "Finished: OK", TRUE) != NULL;
}

static void
test_tasks_view (Fixture       *fx,
                 gconstpointer  data)
{
  GtkWidget *view = pve_tasks_view_new (fx->manager);
  g_autofree char *upid = NULL;
  TaskQuery query;
  LogQuery log_query;
  GtkWidget *log_window;

  /* Long enough to be seen running even on a slow (sanitizer) build. */
  pve_sim_set_task_duration_ms (fx->sim, 3000);
  pve_tasks_view_set_refresh_interval (PVE_TASKS_VIEW (view), 1);
  upid = start_stopped_vm (fx, NULL);

  gtk_window_set_child (GTK_WINDOW (fx->window), view);
  gtk_window_present (GTK_WINDOW (fx->window));

  /* Listed while running, then updated live once it ended. */
  query.model = pve_tasks_view_get_model (PVE_TASKS_VIEW (view));
  query.upid = upid;
  query.want_running = TRUE;
  wait_until (task_in_state, &query);
  wait_for_label (view, "VM start", TRUE);
  wait_for_label (view, "root@pam", TRUE);
  wait_for_label (view, "Running", TRUE);
  /* A task of the simulator's history that failed shows its exit status. */
  wait_for_label (view, "failed: exit code", FALSE);
  query.want_running = FALSE;
  wait_until (task_in_state, &query);

  /* The log of the task. */
  log_window = pve_tasks_view_open_log (PVE_TASKS_VIEW (view), task_position (query.model, upid));
  g_assert_true (PVE_IS_TASK_LOG_WINDOW (log_window));
  g_assert_cmpstr (pve_task_log_window_get_upid (PVE_TASK_LOG_WINDOW (log_window)), ==, upid);
  log_query.window = PVE_TASK_LOG_WINDOW (log_window);
  wait_until (log_finished, &log_query);
  gtk_window_destroy (GTK_WINDOW (log_window));

  /* A remote disconnected while the view is open: its tasks go, the view says so. */
  pve_remote_manager_disconnect (fx->manager, fx->remote);
  wait_for_label (view, "No Connected Remotes", TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (query.model), ==, 0);
}

static void
test_task_log_running (Fixture       *fx,
                       gconstpointer  data)
{
  g_autofree char *upid = NULL;
  GtkWidget *window;
  LogQuery query;

  pve_sim_set_task_duration_ms (fx->sim, 2500);
  upid = start_stopped_vm (fx, NULL);
  window = pve_task_log_window_new (fx->manager, fx->remote, NULL, upid);
  gtk_window_present (GTK_WINDOW (window));

  wait_for_label (window, "Running…", TRUE);
  g_assert_true (pve_task_log_window_get_running (PVE_TASK_LOG_WINDOW (window)));
  query.window = PVE_TASK_LOG_WINDOW (window);
  wait_until (log_finished, &query);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_task_log_failed (Fixture       *fx,
                      gconstpointer  data)
{
  g_autofree char *upid = NULL;
  GtkWidget *window;

  pve_sim_set_task_duration_ms (fx->sim, 300);
  upid = start_stopped_vm (fx, "start failed: QEMU exited with code 1");
  window = pve_task_log_window_new (fx->manager, fx->remote, NULL, upid);
  gtk_window_present (GTK_WINDOW (window));

  wait_for_label (window, "Failed: start failed: QEMU exited with code 1", TRUE);
  g_assert_false (pve_task_log_window_get_running (PVE_TASK_LOG_WINDOW (window)));
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  wait_until (view_gone, &window);
}

/* ---- cluster view ---------------------------------------------------------------------- */

static void
test_cluster_view (Fixture       *fx,
                   gconstpointer  data)
{
  GtkWidget *view = pve_cluster_view_new (fx->manager);

  gtk_window_set_child (GTK_WINDOW (fx->window), view);
  gtk_window_present (GTK_WINDOW (fx->window));
  g_assert_true (pve_cluster_view_get_remote (PVE_CLUSTER_VIEW (view)) == fx->remote);

  wait_for_label (view, "Quorate", TRUE);
  wait_for_label (view, "2 of 3", TRUE);
  wait_for_label (view, "root@pam", TRUE);
  wait_for_label (view, "audit@pve", TRUE);
  wait_for_label (view, "Permissions", TRUE);

  pve_remote_manager_disconnect (fx->manager, fx->remote);
  wait_for_label (view, "Not Connected", TRUE);
}

/* --- Helpers: lazy tooltips, progressive list models ------------------------------------- */

static void
test_lazy_tooltip (void)
{
  GtkWidget *label = g_object_ref_sink (gtk_label_new ("x"));
  g_autoptr(GtkTooltip) tooltip = NULL;
  gboolean shown = FALSE;

  g_assert_true (pve_views_set_tooltip (label, "Running"));
  g_assert_false (pve_views_set_tooltip (label, "Running"));
  g_assert_cmpstr (pve_views_get_tooltip (label), ==, "Running");
  g_assert_true (gtk_widget_get_has_tooltip (label));
  /* Nothing is set on the widget itself until the pointer rests on it. */
  g_assert_null (gtk_widget_get_tooltip_text (label));

  tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
  g_signal_emit_by_name (label, "query-tooltip", 1, 1, FALSE, tooltip, &shown);
  g_assert_true (shown);

  g_assert_true (pve_views_set_tooltip (label, ""));
  g_assert_null (pve_views_get_tooltip (label));
  g_assert_false (gtk_widget_get_has_tooltip (label));
  shown = TRUE;
  g_signal_emit_by_name (label, "query-tooltip", 1, 1, FALSE, tooltip, &shown);
  g_assert_false (shown);
  g_object_unref (label);
}

static void
count_setup_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                guint                    *n_rows)
{
  gtk_list_item_set_child (item, gtk_label_new (NULL));
  (*n_rows)++;
}

static void
count_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)),
                       gtk_string_object_get_string (gtk_list_item_get_item (item)));
}

/* A 300x400 window (not shown yet) with a scrolled list view whose rows are labels, counting
 * in n_rows the rows it builds. */
static GtkWidget *
counting_list_view_new (guint      *n_rows,
                        GtkWidget **window)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view;

  g_signal_connect (factory, "setup", G_CALLBACK (count_setup_cb), n_rows);
  g_signal_connect (factory, "bind", G_CALLBACK (count_bind_cb), NULL);
  view = gtk_list_view_new (NULL, factory);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  *window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (*window), scrolled);
  gtk_window_set_default_size (GTK_WINDOW (*window), 300, 400);
  return view;
}

/* Lets the frame clock run until cond holds or 10 s pass; counts the frames. */
static guint
frames_until (GtkWidget *widget,
              gboolean (*cond) (gpointer),
              gpointer   data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gint64 frame = gdk_frame_clock_get_frame_counter (clock);
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!cond (data) && g_get_monotonic_time () < end)
    {
      gtk_widget_queue_draw (widget);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_true (cond (data));
  return (guint) (gdk_frame_clock_get_frame_counter (clock) - frame);
}

static gboolean
slice_complete (gpointer data)
{
  return pve_views_progressive_model_is_complete (data);
}

static void
test_progressive_model (void)
{
  g_autoptr(GtkStringList) strings = gtk_string_list_new (NULL);
  g_autoptr(PveProgressiveModel) slice = NULL;
  GtkWidget *window;
  GtkWidget *view;
  guint n_rows = 0, frames;

  view = counting_list_view_new (&n_rows, &window);
  slice = pve_views_progressive_model_new (G_LIST_MODEL (strings), view, 0);
  gtk_list_view_set_model (GTK_LIST_VIEW (view),
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (slice)))));
  gtk_window_present (GTK_WINDOW (window));
  frames_until (view, (gboolean (*) (gpointer)) gtk_widget_get_mapped, view);

  /* A few items: all of them at once. */
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *s = g_strdup_printf ("item %u", i);
      gtk_string_list_append (strings, s);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slice)), ==, 5);

  /* Thousands: the first rows at once, the rest a few per frame, then everything. */
  {
    g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func (g_free);

    for (guint i = 0; i < 5000; i++)
      g_ptr_array_add (many, g_strdup_printf ("guest %u", i));
    g_ptr_array_add (many, NULL);
    n_rows = 0;
    gtk_string_list_splice (strings, 5, 0, (const char * const *) many->pdata);
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slice)), <=, 20);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slice)), >, 5);
  frames = frames_until (view, slice_complete, slice);
  g_assert_cmpuint (frames, >=, 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slice)), ==, 5005);
  /* GTK 4.8 keeps ~200 rows: they were built over the frames, not in one. */
  g_assert_cmpuint (n_rows, >, 100);
  g_assert_cmpuint (n_rows, <=, 260);

  /* Short again, then long again: paced again. */
  gtk_string_list_splice (strings, 3, 5002, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slice)), ==, 3);
  {
    const char *more[] = { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
                           "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", NULL };

    for (guint i = 0; i < 20; i++)
      gtk_string_list_splice (strings, 0, 0, more);
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slice)), <, 503);
  frames_until (view, slice_complete, slice);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slice)), ==, 503);

  /* Asked for everything (to select an item further down): at once. */
  gtk_string_list_splice (strings, 0, 500, NULL);
  {
    g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func (g_free);

    for (guint i = 0; i < 1000; i++)
      g_ptr_array_add (many, g_strdup_printf ("again %u", i));
    g_ptr_array_add (many, NULL);
    gtk_string_list_splice (strings, 0, 0, (const char * const *) many->pdata);
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slice)), <, 1003);
  pve_views_progressive_model_complete (slice);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slice)), ==, 1003);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
set_true (gboolean *flag)
{
  *flag = TRUE;
}

/* Runs the main loop until the next frame is painted. */
static void
wait_frame (GtkWidget *widget)
{
  gboolean painted = FALSE;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gulong id = g_signal_connect_swapped (clock, "after-paint", G_CALLBACK (set_true), &painted);

  gtk_widget_queue_draw (widget);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, id);
}

static void
record_change (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               guint      *change)
{
  change[0] = position;
  change[1] = removed;
  change[2] = added;
}

static gboolean
slice_grew (gpointer slice)
{
  return g_list_model_get_n_items (slice) > 12;
}

static gboolean
has_height (gpointer widget)
{
  return gtk_widget_get_height (widget) > 0;
}

/* The first step is a screenful: the view's height (the window's before the first layout)
 * over the rows' height. */
static void
test_progressive_first_rows (void)
{
  g_autoptr(GtkStringList) strings = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) early = gtk_string_list_new (NULL);
  g_autoptr(PveProgressiveModel) slice = NULL;
  g_autoptr(PveProgressiveModel) early_slice = NULL;
  GtkWidget *window;
  GtkWidget *view;
  guint n_rows = 0, first;
  int height;
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < 1000; i++)
    g_ptr_array_add (many, g_strdup_printf ("remote %u", i));
  g_ptr_array_add (many, NULL);

  view = counting_list_view_new (&n_rows, &window);

  /* Before the first layout: from the window's default height, 400 / 100. */
  early_slice = pve_views_progressive_model_new (G_LIST_MODEL (early), view, 100);
  gtk_string_list_splice (early, 0, 0, (const char * const *) many->pdata);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (early_slice)), ==, 4);

  slice = pve_views_progressive_model_new (G_LIST_MODEL (strings), view, 30);
  gtk_list_view_set_model (GTK_LIST_VIEW (view),
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (slice)))));
  gtk_window_present (GTK_WINDOW (window));
  frames_until (view, has_height, view);

  /* Laid out: from the view's own height, rounded up (a partly visible row counts). */
  height = gtk_widget_get_height (view);
  g_assert_cmpint (height, >, 0);
  gtk_string_list_splice (strings, 0, 0, (const char * const *) many->pdata);
  first = g_list_model_get_n_items (G_LIST_MODEL (slice));
  g_assert_cmpuint (first, ==, MIN ((guint) (height + 29) / 30, 12));
  /* The frame that builds those rows builds no more. */
  wait_frame (view);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slice)), ==, first);

  /* A frame that follows a change of the model (a merge bringing rows into view) has its own
   * rows to build: no more come in with it. A new item among those shown is shown too, and
   * reported as exactly that: one item more at its place (a slice reports every item from it
   * to its end as changed, and the view takes all their rows off and puts them back). */
  frames_until (view, slice_grew, slice);
  {
    const char *one[] = { "inserted", NULL };
    guint before = g_list_model_get_n_items (G_LIST_MODEL (slice));
    guint change[3] = { G_MAXUINT, G_MAXUINT, G_MAXUINT };
    gulong id = g_signal_connect (slice, "items-changed", G_CALLBACK (record_change), change);

    gtk_string_list_splice (strings, 3, 0, one);
    g_signal_handler_disconnect (slice, id);
    g_assert_cmpuint (change[0], ==, 3);
    g_assert_cmpuint (change[1], ==, 0);
    g_assert_cmpuint (change[2], ==, 1);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slice)), ==, before + 1);
    wait_frame (view);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slice)), ==, before + 1);

    /* Below what is shown: nothing changes yet. */
    change[0] = G_MAXUINT;
    id = g_signal_connect (slice, "items-changed", G_CALLBACK (record_change), change);
    gtk_string_list_splice (strings, 900, 0, one);
    g_signal_handler_disconnect (slice, id);
    g_assert_cmpuint (change[0], ==, G_MAXUINT);
  }
  frames_until (view, slice_complete, slice);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slice)), ==, 1002);
  /* Complete: changes pass as they are. */
  {
    guint change[3] = { G_MAXUINT, G_MAXUINT, G_MAXUINT };
    gulong id = g_signal_connect (slice, "items-changed", G_CALLBACK (record_change), change);

    gtk_string_list_remove (strings, 500);
    g_signal_handler_disconnect (slice, id);
    g_assert_cmpuint (change[0], ==, 500);
    g_assert_cmpuint (change[1], ==, 1);
    g_assert_cmpuint (change[2], ==, 0);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static guint n_changes;

static void
count_change (GListModel *model,
              guint       position,
              guint       removed,
              guint       added,
              guint      *change)
{
  n_changes++;
  change[0] = position;
  change[1] = removed;
  change[2] = added;
}

/* Iterates the main context for ms milliseconds. */
static void
spin_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
shows_beginning_of (PveProgressiveModel *shown,
                    GListModel          *model)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (shown));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) a = g_list_model_get_item (G_LIST_MODEL (shown), i);
      g_autoptr(GObject) b = g_list_model_get_item (model, i);

      if (a != b)
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  PveProgressiveModel *shown;
  GListModel          *model;
} ShownModel;

static gboolean
shows_all (gpointer data)
{
  ShownModel *pair = data;

  return g_list_model_get_n_items (G_LIST_MODEL (pair->shown)) ==
         g_list_model_get_n_items (pair->model);
}

/* Batched: changes among the shown items wait while changes keep coming, then come as one
 * (Connect All merging one remote's guests after another into a sorted list). */
static void
test_progressive_batched (void)
{
  g_autoptr(GtkStringList) strings = gtk_string_list_new (NULL);
  g_autoptr(PveProgressiveModel) shown = NULL;
  GtkWidget *window;
  GtkWidget *view;
  guint n_rows = 0, n_before, change[3] = { 0, 0, 0 };
  gint64 start;
  g_autoptr(GObject) first = NULL;

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *s = g_strdup_printf ("guest %03u", i);
      gtk_string_list_append (strings, s);
    }
  view = counting_list_view_new (&n_rows, &window);
  shown = pve_views_progressive_model_new (G_LIST_MODEL (strings), view, 30);
  pve_views_progressive_model_set_batched (shown, TRUE);
  gtk_list_view_set_model (GTK_LIST_VIEW (view),
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (shown)))));
  gtk_window_present (GTK_WINDOW (window));

  /* Settled: every item shown (fewer than the rows a list view keeps). */
  start = g_get_monotonic_time ();
  while (g_list_model_get_n_items (G_LIST_MODEL (shown)) < 100 &&
         g_get_monotonic_time () - start < 10 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (shown)), ==, 100);
  spin_ms (300);

  g_signal_connect (shown, "items-changed", G_CALLBACK (count_change), change);
  first = g_list_model_get_item (G_LIST_MODEL (shown), 0);

  /* The first change after a quiet time is shown at once, exactly. */
  n_changes = 0;
  gtk_string_list_splice (strings, 10, 0, (const char *[]) { "new 1", NULL });
  g_assert_cmpuint (n_changes, ==, 1);
  g_assert_cmpuint (change[0], ==, 10);
  g_assert_cmpuint (change[1], ==, 0);
  g_assert_cmpuint (change[2], ==, 1);
  g_assert_true (shows_beginning_of (shown, G_LIST_MODEL (strings)));

  /* Those that follow it wait: what is shown does not change under the view. */
  n_before = g_list_model_get_n_items (G_LIST_MODEL (shown));
  gtk_string_list_splice (strings, 0, 0, (const char *[]) { "new 2", NULL });
  gtk_string_list_splice (strings, 50, 0, (const char *[]) { "new 3", NULL });
  g_assert_cmpuint (n_changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (shown)), ==, n_before);
  {
    g_autoptr(GObject) still = g_list_model_get_item (G_LIST_MODEL (shown), 0);

    g_assert_true (still == first);
  }
  g_assert_false (shows_beginning_of (shown, G_LIST_MODEL (strings)));

  /* Then come as one, within a quarter of a second (and then the rest, once settled). */
  start = g_get_monotonic_time ();
  while (n_changes == 1 && g_get_monotonic_time () - start < G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);
  /* (One change for the two; the growth that follows may add one.) */
  g_assert_cmpuint (n_changes, >=, 2);
  g_assert_cmpuint (n_changes, <=, 3);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 400 * G_TIME_SPAN_MILLISECOND);
  g_assert_true (shows_beginning_of (shown, G_LIST_MODEL (strings)));
  spin_ms (400);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (shown)), ==, 103);

  /* An item that goes is gone at once, with what waited. */
  gtk_string_list_splice (strings, 5, 0, (const char *[]) { "new 4", NULL });
  gtk_string_list_splice (strings, 7, 0, (const char *[]) { "new 5", NULL });
  g_assert_false (shows_beginning_of (shown, G_LIST_MODEL (strings)));
  gtk_string_list_remove (strings, 0);
  g_assert_true (shows_beginning_of (shown, G_LIST_MODEL (strings)));

  /* And _update() shows what waits at once (before positions of the model are used). */
  gtk_string_list_splice (strings, 3, 0, (const char *[]) { "new 6", NULL });
  gtk_string_list_splice (strings, 4, 0, (const char *[]) { "new 7", NULL });
  g_assert_false (shows_beginning_of (shown, G_LIST_MODEL (strings)));
  pve_views_progressive_model_update (shown);
  g_assert_true (shows_beginning_of (shown, G_LIST_MODEL (strings)));

  /* Many items that were not shown, among those shown (a search, a sort by another column):
   * their rows (about a millisecond each) are not made at once, the rows from the first change
   * on come back a few per frame. */
  spin_ms (400);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (shown)), >=, 100);
  {
    g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_free);
    guint n_items = g_list_model_get_n_items (G_LIST_MODEL (strings));
    guint frames;

    for (guint i = 0; i < 30; i++)
      g_ptr_array_add (others, g_strdup_printf ("other %u", i));
    g_ptr_array_add (others, NULL);
    n_rows = 0;
    gtk_string_list_splice (strings, 2, 30, (const char * const *) others->pdata);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (shown)), ==, 2);
    g_assert_true (shows_beginning_of (shown, G_LIST_MODEL (strings)));
    frames = frames_until (view, shows_all, &(ShownModel) { shown, G_LIST_MODEL (strings) });
    g_assert_cmpuint (frames, >=, 10);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (shown)), ==, n_items);
    g_assert_true (shows_beginning_of (shown, G_LIST_MODEL (strings)));
  }

  g_signal_handlers_disconnect_by_func (shown, count_change, change);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  /* Accessible names are set through the API either way; without a screen reader bus GTK
   * would start the AT-SPI registry, which writes to stdout and breaks the TAP stream. */
  g_setenv ("GTK_A11Y", "none", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/pve/views/graph/summary", test_graph_summary);
  g_test_add_func ("/pve/views/util/lazy-tooltip", test_lazy_tooltip);
  g_test_add_func ("/pve/views/util/progressive-model", test_progressive_model);
  g_test_add_func ("/pve/views/util/progressive-first-rows", test_progressive_first_rows);
  g_test_add_func ("/pve/views/util/progressive-batched", test_progressive_batched);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/pve/views/node-page/renders", test_node_page);
  ADD ("/pve/views/node-page/disconnected", test_node_page_disconnected);
  ADD ("/pve/views/node-page/disconnect-while-open", test_node_page_disconnect_while_open);
  ADD ("/pve/views/node-page/offline-node", test_node_page_offline_node);
  ADD ("/pve/views/node-page/no-syslog-permission", test_node_page_no_syslog_permission);
  ADD ("/pve/views/nodes/lists-and-activates", test_nodes_view);
  ADD ("/pve/views/tasks/lists-live", test_tasks_view);
  ADD ("/pve/views/tasks/log-follows-running-task", test_task_log_running);
  ADD ("/pve/views/tasks/log-of-failed-task", test_task_log_failed);
  ADD ("/pve/views/cluster/renders", test_cluster_view);
#undef ADD

  return g_test_run ();
}

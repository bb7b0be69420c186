/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The guests view and the guest page inside the real window, against two in-process
 * simulators over real TLS (pinned certificates) and the throw-away keyring, under Xvfb:
 * listing, search and filters, sorting, refreshes in place, power actions (success, failure,
 * confirmation, missing privilege), a remote disconnected while the view is open, the guest
 * page and the console without remote-viewer.
 */
#include <adwaita.h>
#include <glib/gstdio.h>

#include "pve-guest-actions.h"
#include "pve-guest-page.h"
#include "pve-guests-util.h"
#include "pve-guests-view.h"
#include "pve-graph.h"
#include "pve-node-page.h"
#include "pve-sim.h"
#include "pve-window.h"
#include "test-util.h"

#define TIMEOUT_MS 20000

typedef struct
{
  PveSim           *sims[2];
  char             *tmpdir;
  char             *store_path;
  PveRemoteManager *manager;
  PveWindow        *window;
  PveGuestsView    *view;
  PveGuestList     *list;
  PveRemote        *remotes[2];
  guint             refreshed;
} Fixture;

static void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;
  guint tick = g_timeout_add (10, pve_test_tick_, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

static gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
      g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return widget;
  /* List cells show their text with a GtkInscription. */
  if (GTK_IS_INSCRIPTION (widget) && gtk_widget_get_visible (widget) &&
      g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (widget)), text) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
window_shows (Fixture    *f,
              const char *text)
{
  return find_label (GTK_WIDGET (f->window), text) != NULL;
}

static void
on_refreshed (Fixture *f)
{
  f->refreshed++;
}

static PveRemote *
add_remote (Fixture    *f,
            PveSim     *sim,
            const char *name,
            const char *user,
            const char *realm,
            const char *password)
{
  g_autoptr(PveRemote) config = pve_remote_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PveRemote *remote;

  pve_remote_set_name (config, name);
  pve_remote_set_host (config, "127.0.0.1");
  pve_remote_set_port (config, pve_sim_get_port (sim));
  pve_remote_set_user (config, user);
  pve_remote_set_realm (config, realm);
  pve_remote_set_auth_kind (config, PVE_AUTH_KIND_PASSWORD);
  pve_remote_set_fingerprint (config, pve_sim_get_fingerprint (sim));

  pve_remote_manager_add_async (f->manager, config, password, NULL, pve_test_store_result,
                                &result);
  pve_test_await (&result, TIMEOUT_MS);
  pve_remote_manager_add_finish (f->manager, result, &error);
  g_assert_no_error (error);

  remote = pve_remote_store_lookup_by_name (pve_remote_manager_get_store (f->manager), name);
  g_assert_nonnull (remote);
  pve_test_wait_until (pve_remote_get_state (remote) == PVE_REMOTE_STATE_CONNECTED, TIMEOUT_MS);
  return remote;
}

static guint
count_guests_of (Fixture   *f,
                 PveRemote *remote)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (f->list));
  guint count = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PveGuest) guest = g_list_model_get_item (G_LIST_MODEL (f->list), i);

      count += pve_guest_get_remote (guest) == remote;
    }

  return count;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(PveRemoteStore) store = NULL;
  g_autoptr(PveSecrets) secrets = pve_secrets_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *user = data ? data : "root";

  for (guint i = 0; i < 2; i++)
    {
      f->sims[i] = pve_sim_new (3, 12, i + 1);
      pve_sim_set_auth_failure_delay_ms (f->sims[i], 0);
      pve_sim_set_task_duration_ms (f->sims[i], 200);
      pve_sim_listen (f->sims[i], 0, &error);
      g_assert_no_error (error);
    }

  f->tmpdir = g_dir_make_tmp ("pve-test-guests-XXXXXX", &error);
  g_assert_no_error (error);
  f->store_path = g_build_filename (f->tmpdir, "remotes.ini", NULL);
  store = pve_remote_store_new (f->store_path);

  f->manager = pve_remote_manager_new (store, secrets);
  pve_remote_manager_set_timeouts (f->manager, 5, 5);
  pve_remote_manager_set_heartbeat_interval (f->manager, 0);
  pve_remote_manager_load_async (f->manager, NULL, pve_test_store_result, &result);
  pve_test_await (&result, TIMEOUT_MS);
  pve_remote_manager_load_finish (f->manager, result, &error);
  g_assert_no_error (error);

  pve_guest_actions_set_poll_interval (50);

  f->window = pve_window_new (NULL, f->manager);
  gtk_window_present (GTK_WINDOW (f->window));
  f->view = PVE_GUESTS_VIEW (pve_window_get_view (f->window, "guests"));
  f->list = pve_window_get_guest_list (f->window);
  g_signal_connect_swapped (f->list, "refreshed", G_CALLBACK (on_refreshed), f);

  if (g_strcmp0 (user, "audit") == 0)
    {
      f->remotes[0] = add_remote (f, f->sims[0], "alpha", "audit", "pve", PVE_SIM_AUDIT_PASSWORD);
      f->remotes[1] = NULL;
    }
  else
    {
      f->remotes[0] = add_remote (f, f->sims[0], "alpha", "root", "pam", PVE_SIM_ROOT_PASSWORD);
      f->remotes[1] = add_remote (f, f->sims[1], "beta", "root", "pam", PVE_SIM_ROOT_PASSWORD);
    }

  for (guint i = 0; i < 2; i++)
    if (f->remotes[i] != NULL)
      pve_test_wait_until (count_guests_of (f, f->remotes[i]) ==
                           pve_sim_get_n_guests (f->sims[i]), TIMEOUT_MS);

  pve_window_select_remote (f->window, f->remotes[0]);
  pve_test_wait_until (g_strcmp0 (pve_window_get_content_page (f->window), "connected") == 0,
                       TIMEOUT_MS);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *dialog;

  while ((dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));

  g_signal_handlers_disconnect_by_data (f->list, f);
  gtk_window_destroy (GTK_WINDOW (f->window));
  pve_remote_manager_disconnect_all (f->manager);
  iterate_for (50);
  g_clear_object (&f->manager);

  for (guint i = 0; i < 2; i++)
    {
      pve_sim_stop (f->sims[i]);
      g_clear_object (&f->sims[i]);
    }

  g_unlink (f->store_path);
  g_rmdir (f->tmpdir);
  g_free (f->store_path);
  g_free (f->tmpdir);
}

static guint
n_shown (Fixture *f)
{
  return g_list_model_get_n_items (pve_guests_view_get_model (f->view));
}

static PveGuest *
shown (Fixture *f,
       guint    i)
{
  g_autoptr(PveGuest) guest = g_list_model_get_item (pve_guests_view_get_model (f->view), i);

  return guest;   /* the list holds it */
}

static PveGuest *
guest_for (Fixture    *f,
           guint       remote,
           const char *type,
           const char *status)
{
  gint64 vmid = pve_sim_find_guest (f->sims[remote], type, status);
  PveGuest *guest;

  g_assert_cmpint (vmid, >, 0);
  guest = pve_guest_list_lookup_vmid (f->list, f->remotes[remote], vmid);
  g_assert_nonnull (guest);
  return guest;
}

static void
select_guest (Fixture  *f,
              PveGuest *guest)
{
  pve_guests_view_select (f->view, guest);
  g_assert_true (pve_guests_view_get_selected (f->view) == guest);
}

/* --- Listing ----------------------------------------------------------------------------- */

static void
test_lists_all (Fixture       *f,
                gconstpointer  data)
{
  guint total = pve_sim_get_n_guests (f->sims[0]) + pve_sim_get_n_guests (f->sims[1]);
  gboolean saw_unknown = FALSE;
  gboolean saw_template = FALSE;

  pve_test_wait_until (n_shown (f) == total, TIMEOUT_MS);
  g_assert_cmpstr (pve_guests_view_get_page (f->view), ==, "list");

  for (guint i = 0; i < total; i++)
    {
      PveGuest *guest = shown (f, i);

      if (g_str_equal (pve_guest_get_status (guest), "unknown"))
        {
          g_autofree char *cpu = pve_guests_format_cpu (guest);
          g_autofree char *mem = pve_guests_format_memory (guest);
          g_autofree char *uptime = pve_guests_format_uptime (guest);

          saw_unknown = TRUE;
          g_assert_false (pve_guest_get_has_stats (guest));
          g_assert_cmpstr (cpu, ==, "—");
          g_assert_cmpstr (mem, ==, "—");
          g_assert_cmpstr (uptime, ==, "—");
        }
      if (pve_guest_get_template (guest))
        saw_template = TRUE;
    }
  g_assert_true (saw_unknown);
  g_assert_true (saw_template);

  /* What a user sees: the rows say so. */
  pve_test_wait_until (window_shows (f, "Template"), TIMEOUT_MS);
  pve_test_wait_until (find_label (GTK_WIDGET (f->view), "alpha") != NULL &&
                       find_label (GTK_WIDGET (f->view), "beta") != NULL, TIMEOUT_MS);
}

static void
test_search_and_filters (Fixture       *f,
                         gconstpointer  data)
{
  guint total = n_shown (f);
  GtkDropDown *remote = pve_guests_view_get_filter (f->view, "remote");
  GtkDropDown *node = pve_guests_view_get_filter (f->view, "node");
  GtkDropDown *state = pve_guests_view_get_filter (f->view, "state");
  GtkDropDown *type = pve_guests_view_get_filter (f->view, "type");
  GListModel *remotes = gtk_drop_down_get_model (remote);
  PveGuest *first = shown (f, 0);
  g_autofree char *name = g_strdup (pve_guest_get_display_name (first));
  g_autofree char *vmid = g_strdup_printf ("%" G_GINT64_FORMAT, pve_guest_get_vmid (first));

  /* Ctrl+F goes to the search entry. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.search-guests", NULL));
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));
    GtkWidget *entry = GTK_WIDGET (pve_guests_view_get_search_entry (f->view));

    g_assert_nonnull (focus);
    g_assert_true (focus == entry || gtk_widget_is_ancestor (focus, entry));
  }

  /* By name: each guest of that name (one per remote: the simulators share names). */
  gtk_editable_set_text (pve_guests_view_get_search_entry (f->view), name);
  pve_test_wait_until (n_shown (f) < total && n_shown (f) > 0, TIMEOUT_MS);
  for (guint i = 0; i < n_shown (f); i++)
    g_assert_nonnull (strstr (pve_guest_get_display_name (shown (f, i)), name));

  /* By VMID. */
  gtk_editable_set_text (pve_guests_view_get_search_entry (f->view), vmid);
  pve_test_wait_until (n_shown (f) < total && n_shown (f) > 0, TIMEOUT_MS);
  for (guint i = 0; i < n_shown (f); i++)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, pve_guest_get_vmid (shown (f, i)));
      PveGuest *guest = shown (f, i);

      g_assert_true (strstr (id, vmid) != NULL ||
                     strstr (pve_guest_get_display_name (guest), vmid) != NULL ||
                     (pve_guest_get_tags (guest) && strstr (pve_guest_get_tags (guest), vmid)));
    }

  /* By tag. */
  gtk_editable_set_text (pve_guests_view_get_search_entry (f->view), "PROD");
  pve_test_wait_until (n_shown (f) < total && n_shown (f) > 0, TIMEOUT_MS);
  for (guint i = 0; i < n_shown (f); i++)
    g_assert_nonnull (strstr (pve_guest_get_tags (shown (f, i)), "prod"));

  /* Nothing matches: the empty state says so. */
  gtk_editable_set_text (pve_guests_view_get_search_entry (f->view), "no-such-guest-anywhere");
  pve_test_wait_until (n_shown (f) == 0, TIMEOUT_MS);
  g_assert_cmpstr (pve_guests_view_get_page (f->view), ==, "no-results");
  gtk_editable_set_text (pve_guests_view_get_search_entry (f->view), "");
  pve_test_wait_until (n_shown (f) == total, TIMEOUT_MS);
  g_assert_cmpstr (pve_guests_view_get_page (f->view), ==, "list");

  /* By remote: "All Remotes", "alpha", "beta". */
  g_assert_cmpuint (g_list_model_get_n_items (remotes), ==, 3);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (remotes), 2), ==, "beta");
  gtk_drop_down_set_selected (remote, 2);
  g_assert_cmpuint (n_shown (f), ==, pve_sim_get_n_guests (f->sims[1]));
  for (guint i = 0; i < n_shown (f); i++)
    g_assert_true (pve_guest_get_remote (shown (f, i)) == f->remotes[1]);
  gtk_drop_down_set_selected (remote, 0);
  g_assert_cmpuint (n_shown (f), ==, total);

  /* By node. */
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (node)), 1),
                   ==, "pve1");
  gtk_drop_down_set_selected (node, 1);
  g_assert_cmpuint (n_shown (f), >, 0);
  g_assert_cmpuint (n_shown (f), <, total);
  for (guint i = 0; i < n_shown (f); i++)
    g_assert_cmpstr (pve_guest_get_node (shown (f, i)), ==, "pve1");
  gtk_drop_down_set_selected (node, 0);

  /* By state: Running, then Unknown. */
  gtk_drop_down_set_selected (state, 1);
  g_assert_cmpuint (n_shown (f), >, 0);
  g_assert_cmpuint (n_shown (f), <, total);
  for (guint i = 0; i < n_shown (f); i++)
    g_assert_cmpstr (pve_guest_get_status (shown (f, i)), ==, "running");
  gtk_drop_down_set_selected (state, 4);
  g_assert_cmpuint (n_shown (f), >, 0);
  for (guint i = 0; i < n_shown (f); i++)
    g_assert_cmpstr (pve_guest_get_status (shown (f, i)), ==, "unknown");
  gtk_drop_down_set_selected (state, 0);

  /* By type: containers, then templates. */
  gtk_drop_down_set_selected (type, 2);
  g_assert_cmpuint (n_shown (f), >, 0);
  g_assert_cmpuint (n_shown (f), <, total);
  for (guint i = 0; i < n_shown (f); i++)
    g_assert_cmpstr (pve_guest_get_guest_type (shown (f, i)), ==, "lxc");
  gtk_drop_down_set_selected (type, 3);
  g_assert_cmpuint (n_shown (f), >, 0);
  for (guint i = 0; i < n_shown (f); i++)
    g_assert_true (pve_guest_get_template (shown (f, i)));
  gtk_drop_down_set_selected (type, 0);
  g_assert_cmpuint (n_shown (f), ==, total);
}

static void
test_sorting (Fixture       *f,
              gconstpointer  data)
{
  guint n = n_shown (f);

  pve_guests_view_sort_by (f->view, "cpu", GTK_SORT_DESCENDING);
  for (guint i = 1; i < n; i++)
    g_assert_cmpfloat (pve_guest_get_cpu (shown (f, i - 1)), >=, pve_guest_get_cpu (shown (f, i)));
  g_assert_cmpfloat (pve_guest_get_cpu (shown (f, 0)), >, 0);

  pve_guests_view_sort_by (f->view, "vmid", GTK_SORT_ASCENDING);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (pve_guest_get_vmid (shown (f, i - 1)), <=, pve_guest_get_vmid (shown (f, i)));

  pve_guests_view_sort_by (f->view, "vmid", GTK_SORT_DESCENDING);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (pve_guest_get_vmid (shown (f, i - 1)), >=, pve_guest_get_vmid (shown (f, i)));

  pve_guests_view_sort_by (f->view, "name", GTK_SORT_ASCENDING);
  for (guint i = 1; i < n; i++)
    {
      g_autofree char *a = g_utf8_casefold (pve_guest_get_display_name (shown (f, i - 1)), -1);
      g_autofree char *b = g_utf8_casefold (pve_guest_get_display_name (shown (f, i)), -1);

      g_assert_cmpint (g_utf8_collate (a, b), <=, 0);
    }
}

static void
test_refresh_keeps_rows (Fixture       *f,
                         gconstpointer  data)
{
  guint n = n_shown (f);
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_object_unref);
  PveGuest *selected = shown (f, 3);
  guint refreshed = f->refreshed;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (before, g_object_ref (shown (f, i)));
  select_guest (f, selected);

  pve_guest_list_refresh_now (f->list);
  pve_test_wait_until (f->refreshed >= refreshed + 2, TIMEOUT_MS);

  g_assert_cmpuint (n_shown (f), ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_true (g_ptr_array_find (before, shown (f, i), NULL));
  g_assert_true (pve_guests_view_get_selected (f->view) == selected);
  g_assert_true (gtk_single_selection_get_selected_item (
                   GTK_SINGLE_SELECTION (gtk_column_view_get_model (
                     pve_guests_view_get_column_view (f->view)))) == (gpointer) selected);
}

/* Refreshes move values (CPU here): a view sorted by them is sorted again; one sorted by
 * what does not change (VMID) keeps its order. */
static void
test_refresh_resorts (Fixture       *f,
                      gconstpointer  data)
{
  guint n = n_shown (f);
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_object_unref);
  guint refreshed;
  gboolean moved = FALSE;

  pve_guests_view_sort_by (f->view, "cpu", GTK_SORT_DESCENDING);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (before, g_object_ref (shown (f, i)));

  for (guint i = 0; i < G_N_ELEMENTS (f->sims); i++)
    if (f->sims[i] != NULL)
      pve_sim_tick_stats (f->sims[i], 60);
  refreshed = f->refreshed;
  pve_guest_list_refresh_now (f->list);
  pve_test_wait_until (f->refreshed >= refreshed + 2, TIMEOUT_MS);

  g_assert_cmpuint (n_shown (f), ==, n);
  for (guint i = 1; i < n; i++)
    g_assert_cmpfloat (pve_guest_get_cpu (shown (f, i - 1)), >=, pve_guest_get_cpu (shown (f, i)));
  for (guint i = 0; i < n && !moved; i++)
    moved = shown (f, i) != g_ptr_array_index (before, i);
  g_assert_true (moved);

  /* By VMID: a refresh leaves the order alone. */
  pve_guests_view_sort_by (f->view, "vmid", GTK_SORT_ASCENDING);
  g_ptr_array_set_size (before, 0);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (before, g_object_ref (shown (f, i)));
  for (guint i = 0; i < G_N_ELEMENTS (f->sims); i++)
    if (f->sims[i] != NULL)
      pve_sim_tick_stats (f->sims[i], 60);
  refreshed = f->refreshed;
  pve_guest_list_refresh_now (f->list);
  pve_test_wait_until (f->refreshed >= refreshed + 2, TIMEOUT_MS);
  for (guint i = 0; i < n; i++)
    g_assert_true (shown (f, i) == g_ptr_array_index (before, i));
}

/* --- Actions ----------------------------------------------------------------------------- */

static void
test_start (Fixture       *f,
            gconstpointer  data)
{
  PveGuest *guest = guest_for (f, 1, "qemu", "stopped");
  g_autofree char *toast = g_strdup_printf ("%s started", pve_guest_get_display_name (guest));
  GtkWidget *start = pve_guests_view_get_action_button (f->view, "start");

  select_guest (f, guest);
  g_assert_true (gtk_widget_get_sensitive (start));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (start), ==, "Start (Ctrl+Shift+S)");
  g_assert_false (gtk_widget_get_sensitive (pve_guests_view_get_action_button (f->view, "shutdown")));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "guest.start", NULL));
  pve_test_wait_until (pve_guest_get_busy (guest), TIMEOUT_MS);
  g_assert_cmpstr (pve_guest_get_busy_label (guest), !=, NULL);
  g_assert_nonnull (find_label (GTK_WIDGET (f->view), pve_guest_get_busy_label (guest)));
  g_assert_false (gtk_widget_get_sensitive (start));

  pve_test_wait_until (!pve_guest_get_busy (guest) &&
                       g_strcmp0 (pve_guest_get_status (guest), "running") == 0, TIMEOUT_MS);
  pve_test_wait_until (window_shows (f, toast), TIMEOUT_MS);
  g_assert_cmpstr (pve_sim_get_guest_status (f->sims[1], pve_guest_get_vmid (guest)), ==, "running");
  /* The same row object, now running, still selected. */
  g_assert_true (pve_guests_view_get_selected (f->view) == guest);
  g_assert_true (gtk_widget_get_sensitive (pve_guests_view_get_action_button (f->view, "shutdown")));
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
}

static char *
dialog_log_text (AdwMessageDialog *dialog)
{
  GtkWidget *extra = adw_message_dialog_get_extra_child (dialog);
  GtkWidget *view;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_assert_nonnull (extra);
  view = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (extra));
  if (GTK_IS_VIEWPORT (view))
    view = gtk_viewport_get_child (GTK_VIEWPORT (view));
  g_assert_true (GTK_IS_TEXT_VIEW (view));
  g_assert_true (gtk_text_view_get_monospace (GTK_TEXT_VIEW (view)));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
test_failing_task (Fixture       *f,
                   gconstpointer  data)
{
  PveGuest *guest = guest_for (f, 0, "qemu", "stopped");
  g_autofree char *exitstatus = g_strdup_printf ("command 'qm start %d' failed: exit code 1",
                                                 (int) pve_guest_get_vmid (guest));
  g_autofree char *heading = g_strdup_printf ("Could Not Start %s",
                                              pve_guest_get_display_name (guest));
  g_autofree char *error_line = g_strdup_printf ("TASK ERROR: %s", exitstatus);
  g_autofree char *log = NULL;
  AdwMessageDialog *dialog;

  pve_sim_set_task_failure (f->sims[0], pve_guest_get_vmid (guest), exitstatus);
  select_guest (f, guest);
  pve_guests_view_run_action (f->view, "start");

  pve_test_wait_until ((dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL, TIMEOUT_MS);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, exitstatus);
  log = dialog_log_text (dialog);
  g_assert_nonnull (strstr (log, error_line));
  g_assert_cmpstr (pve_guest_get_status (guest), ==, "stopped");
  g_assert_false (pve_guest_get_busy (guest));

  adw_message_dialog_response (dialog, "close");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_stop_confirmed (Fixture       *f,
                     gconstpointer  data)
{
  PveGuest *guest = guest_for (f, 0, "lxc", "running");
  gint64 vmid = pve_guest_get_vmid (guest);
  g_autofree char *heading = g_strdup_printf ("Stop %s?", pve_guest_get_display_name (guest));
  AdwMessageDialog *dialog;

  select_guest (f, guest);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "guest.stop", NULL));
  pve_test_wait_until ((dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL, TIMEOUT_MS);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");

  /* Cancel: nothing is sent. */
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  iterate_for (400);
  g_assert_false (pve_guest_get_busy (guest));
  g_assert_cmpstr (pve_sim_get_guest_status (f->sims[0], vmid), ==, "running");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "guest.stop", NULL));
  pve_test_wait_until ((dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL, TIMEOUT_MS);
  adw_message_dialog_response (dialog, "stop");
  gtk_window_destroy (GTK_WINDOW (dialog));
  pve_test_wait_until (pve_guest_get_busy (guest), TIMEOUT_MS);
  pve_test_wait_until (g_strcmp0 (pve_guest_get_status (guest), "stopped") == 0 &&
                       !pve_guest_get_busy (guest), TIMEOUT_MS);
  g_assert_cmpstr (pve_sim_get_guest_status (f->sims[0], vmid), ==, "stopped");
}

/* With confirm-stop off in the preferences, Stop acts at once. */
static void
test_stop_unconfirmed (Fixture       *f,
                       gconstpointer  data)
{
  GSettings *settings = pve_guests_get_settings ();
  PveGuest *guest = guest_for (f, 1, "qemu", "running");

  g_assert_nonnull (settings);
  g_settings_set_boolean (settings, "confirm-stop", FALSE);

  select_guest (f, guest);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "guest.stop", NULL));
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  pve_test_wait_until (g_strcmp0 (pve_guest_get_status (guest), "stopped") == 0 &&
                       !pve_guest_get_busy (guest), TIMEOUT_MS);
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));

  g_settings_reset (settings, "confirm-stop");
}

static void
test_no_power_privilege (Fixture       *f,
                         gconstpointer  data)
{
  PveGuest *guest = guest_for (f, 0, "qemu", "stopped");
  GtkWidget *start = pve_guests_view_get_action_button (f->view, "start");
  const char *tooltip;

  select_guest (f, guest);
  g_assert_false (gtk_widget_get_sensitive (start));
  tooltip = gtk_widget_get_tooltip_text (start);
  g_assert_nonnull (tooltip);
  g_assert_nonnull (strstr (tooltip, "VM.PowerMgmt"));

  /* The shortcut does nothing either. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (f->view), "guest.start", NULL) &&
                  pve_guest_get_busy (guest));
  iterate_for (200);
  g_assert_false (pve_guest_get_busy (guest));
  g_assert_cmpstr (pve_sim_get_guest_status (f->sims[0], pve_guest_get_vmid (guest)), ==, "stopped");
}

/* --- Disconnect while shown --------------------------------------------------------------- */

static PveGuestPage *open_page (Fixture  *f,
                                PveGuest *guest);

static void
test_disconnect_while_open (Fixture       *f,
                            gconstpointer  data)
{
  guint alpha = pve_sim_get_n_guests (f->sims[0]);
  GtkDropDown *remote = pve_guests_view_get_filter (f->view, "remote");
  GListModel *choices = gtk_drop_down_get_model (remote);
  g_autoptr(GObject) all_choice = NULL;
  g_autoptr(GObject) alpha_choice = NULL;

  /* "All Remotes", "alpha", "beta". */
  pve_test_wait_until (g_list_model_get_n_items (choices) == 3, TIMEOUT_MS);
  all_choice = g_list_model_get_item (choices, 0);
  alpha_choice = g_list_model_get_item (choices, 1);
  g_assert_cmpstr (gtk_string_object_get_string (GTK_STRING_OBJECT (alpha_choice)), ==, "alpha");

  /* A page of one of beta's guests is open: it goes away with its remote. */
  open_page (f, pve_guest_list_lookup_vmid (f->list, f->remotes[1], 100));

  pve_remote_manager_disconnect (f->manager, f->remotes[1]);
  pve_test_wait_until (pve_window_get_detail (f->window) == NULL, TIMEOUT_MS);
  g_assert_cmpstr (pve_window_get_content_page (f->window), ==, "connected");
  pve_test_wait_until (n_shown (f) == alpha, TIMEOUT_MS);
  for (guint i = 0; i < n_shown (f); i++)
    g_assert_true (pve_guest_get_remote (shown (f, i)) == f->remotes[0]);
  g_assert_cmpstr (pve_guests_view_get_page (f->view), ==, "list");

  /* beta's choice goes; the others are the same objects (only what changed is changed: the
   * dropdown's list does not remake a row per remote). */
  pve_test_wait_until (g_list_model_get_n_items (choices) == 2, TIMEOUT_MS);
  g_assert_true (g_list_model_get_item (choices, 0) == all_choice);
  g_object_unref (all_choice);
  g_assert_true (g_list_model_get_item (choices, 1) == alpha_choice);
  g_object_unref (alpha_choice);

  /* Filtered by alpha, which goes too: everything (nothing) is shown again. */
  gtk_drop_down_set_selected (remote, 1);
  g_assert_cmpuint (n_shown (f), ==, alpha);
  pve_remote_manager_disconnect (f->manager, f->remotes[0]);
  pve_test_wait_until (n_shown (f) == 0, TIMEOUT_MS);
  pve_test_wait_until (g_list_model_get_n_items (choices) == 1, TIMEOUT_MS);
  g_assert_cmpuint (gtk_drop_down_get_selected (remote), ==, 0);
  iterate_for (300);
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (pve_guests_view_get_page (f->view), ==, "no-remotes");
  /* The selected remote is not connected: its status page with Connect. */
  g_assert_cmpstr (pve_window_get_content_page (f->window), ==, "remote");
}

/* --- Guest page ----------------------------------------------------------------------------- */

static PveGuestPage *
open_page (Fixture  *f,
           PveGuest *guest)
{
  GtkWidget *detail;

  select_guest (f, guest);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "guest.open", NULL));
  detail = pve_window_get_detail (f->window);
  g_assert_true (PVE_IS_GUEST_PAGE (detail));
  g_assert_cmpstr (pve_window_get_content_page (f->window), ==, "detail");
  g_assert_true (pve_guest_page_get_guest (PVE_GUEST_PAGE (detail)) == guest);
  return PVE_GUEST_PAGE (detail);
}

static void
test_guest_page (Fixture       *f,
                 gconstpointer  data)
{
  /* vmid 100: a running VM with two snapshots. */
  PveGuest *guest = pve_guest_list_lookup_vmid (f->list, f->remotes[0], 100);
  PveGuestPage *page;
  g_auto(GStrv) snapshots = NULL;
  g_autofree char *summary = NULL;

  g_assert_nonnull (guest);
  g_assert_cmpstr (pve_guest_get_status (guest), ==, "running");
  g_assert_true (pve_guest_is_qemu (guest));
  page = open_page (f, guest);

  pve_test_wait_until (pve_guest_page_get_loaded (page), TIMEOUT_MS);
  g_assert_cmpstr (pve_guest_page_get_value (page, "State"), ==, "Running");
  g_assert_cmpstr (pve_guest_page_get_value (page, "QEMU Status"), ==, "running");
  g_assert_cmpstr (pve_guest_page_get_value (page, "CPU"), !=, "—");
  g_assert_cmpstr (pve_guest_page_get_value (page, "Uptime"), !=, "—");
  g_assert_cmpstr (pve_guest_page_get_value (page, "CPUs"), !=, "—");
  g_assert_cmpstr (pve_guest_page_get_value (page, "HA State"), !=, "—");
  g_assert_true (window_shows (f, pve_guest_get_display_name (guest)));

  snapshots = pve_guest_page_dup_snapshot_names (page);
  g_assert_cmpuint (g_strv_length (snapshots), ==, 2);
  g_assert_cmpstr (snapshots[0], ==, "before-upgrade");
  g_assert_cmpstr (snapshots[1], ==, "pre-kernel-6-17");

  summary = pve_graph_dup_summary (PVE_GRAPH (pve_guest_page_get_cpu_graph (page)));
  g_assert_nonnull (strstr (summary, "%"));

  /* Back: the list, with the guest still selected. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "content.back", NULL));
  g_assert_null (pve_window_get_detail (f->window));
  g_assert_cmpstr (pve_window_get_content_page (f->window), ==, "connected");
  g_assert_true (pve_guests_view_get_selected (f->view) == guest);
}

/* --- Desktop notification -------------------------------------------------------------------- */

/* A notification server on the test's private session bus: it records what it is sent. */
static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    </method>"
  "    <signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  "    <signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "  </interface>"
  "</node>";

static void
on_notification_call (GDBusConnection       *connection,
                      const char            *sender,
                      const char            *object_path,
                      const char            *interface_name,
                      const char            *method_name,
                      GVariant              *parameters,
                      GDBusMethodInvocation *invocation,
                      gpointer               user_data)
{
  GPtrArray *summaries = user_data;

  if (g_str_equal (method_name, "Notify"))
    {
      const char *summary = NULL;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_ptr_array_add (summaries, g_strdup (summary));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", summaries->len));
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new_parsed ("(@as [ 'body' ],)"));
  else if (g_str_equal (method_name, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "test", "test", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean
has_string (GPtrArray  *strings,
            const char *wanted)
{
  for (guint i = 0; i < strings->len; i++)
    if (g_strcmp0 (g_ptr_array_index (strings, i), wanted) == 0)
      return TRUE;
  return FALSE;
}

static void
test_notification_when_unfocused (Fixture       *f,
                                  gconstpointer  data)
{
  static const GDBusInterfaceVTable vtable = { on_notification_call, NULL, NULL, { 0 } };
  g_autoptr(GPtrArray) summaries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GtkApplication) app = gtk_application_new ("com.example.PveRemotes",
                                                       G_APPLICATION_NON_UNIQUE);
  g_autoptr(GError) error = NULL;
  PveGuest *guest = guest_for (f, 0, "lxc", "stopped");
  g_autofree char *expected = g_strdup_printf ("Task finished: %s started",
                                               pve_guest_get_display_name (guest));
  guint registration, owner;
  gboolean owned = FALSE;
  GtkWidget *other;

  g_assert_nonnull (bus);
  registration = g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications",
                                                    info->interfaces[0], &vtable, summaries,
                                                    NULL, &error);
  g_assert_no_error (error);
  owner = g_bus_own_name_on_connection (bus, "org.freedesktop.Notifications",
                                        G_BUS_NAME_OWNER_FLAGS_NONE, NULL, NULL, NULL, NULL);
  {
    g_autoptr(GVariant) reply = NULL;

    /* Wait until the name is ours. */
    while (!owned)
      {
        g_clear_pointer (&reply, g_variant_unref);
        reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                             "org.freedesktop.DBus", "NameHasOwner",
                                             g_variant_new ("(s)", "org.freedesktop.Notifications"),
                                             G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                             NULL, &error);
        g_assert_no_error (error);
        g_variant_get (reply, "(b)", &owned);
        if (!owned)
          iterate_for (20);
      }
  }

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  gtk_window_set_application (GTK_WINDOW (f->window), app);

  /* Another window takes the focus, as when the user works elsewhere. */
  other = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (other), "Elsewhere");
  gtk_window_present (GTK_WINDOW (other));
  pve_test_wait_until (gtk_window_is_active (GTK_WINDOW (other)), TIMEOUT_MS);
  pve_test_wait_until (!gtk_window_is_active (GTK_WINDOW (f->window)), TIMEOUT_MS);

  select_guest (f, guest);
  pve_guests_view_run_action (f->view, "start");
  pve_test_wait_until (has_string (summaries, expected), TIMEOUT_MS);

  /* No toast is missed either. */
  pve_test_wait_until (window_shows (f, expected + strlen ("Task finished: ")), TIMEOUT_MS);

  gtk_window_destroy (GTK_WINDOW (other));
  gtk_window_set_application (GTK_WINDOW (f->window), NULL);
  g_bus_unown_name (owner);
  g_dbus_connection_unregister_object (bus, registration);
}

/* The other views: switching, and a node page with its way back. */
static void
test_views_and_node_page (Fixture       *f,
                          gconstpointer  data)
{
  GtkWidget *nodes = pve_window_get_view (f->window, "nodes");
  GtkWidget *detail;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-view", "s", "nodes"));
  pve_test_wait_until (gtk_widget_get_mapped (nodes), TIMEOUT_MS);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (f->view)));

  g_signal_emit_by_name (nodes, "node-activated", f->remotes[0], "pve1");
  detail = pve_window_get_detail (f->window);
  g_assert_true (PVE_IS_NODE_PAGE (detail));
  g_assert_cmpstr (pve_node_page_get_node (PVE_NODE_PAGE (detail)), ==, "pve1");
  g_assert_cmpstr (pve_window_get_content_page (f->window), ==, "detail");
  pve_test_wait_until (gtk_widget_get_mapped (detail), TIMEOUT_MS);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "content.back", NULL));
  g_assert_null (pve_window_get_detail (f->window));
  pve_test_wait_until (gtk_widget_get_mapped (nodes), TIMEOUT_MS);

  /* Ctrl+F from anywhere: back to the guests, in the search entry. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.search-guests", NULL));
  pve_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (f->view)), TIMEOUT_MS);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-view", "s", "cluster"));
  pve_test_wait_until (gtk_widget_get_mapped (pve_window_get_view (f->window, "cluster")), TIMEOUT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-view", "s", "tasks"));
  pve_test_wait_until (gtk_widget_get_mapped (pve_window_get_view (f->window, "tasks")), TIMEOUT_MS);
}

/* Nobody looks at a hidden window: the guest list stops asking. */
static void
test_paused_while_hidden (Fixture       *f,
                          gconstpointer  data)
{
  guint requests;

  g_assert_false (pve_guest_list_get_paused (f->list));
  gtk_widget_set_visible (GTK_WIDGET (f->window), FALSE);
  g_assert_true (pve_guest_list_get_paused (f->list));
  requests = pve_guest_list_get_request_count (f->list);
  pve_guest_list_refresh_now (f->list);
  iterate_for (300);
  g_assert_cmpuint (pve_guest_list_get_request_count (f->list), ==, requests);

  gtk_widget_set_visible (GTK_WIDGET (f->window), TRUE);
  g_assert_false (pve_guest_list_get_paused (f->list));
  pve_test_wait_until (pve_guest_list_get_request_count (f->list) > requests, TIMEOUT_MS);
}

static void
test_console_without_viewer (Fixture       *f,
                             gconstpointer  data)
{
  PveGuest *guest = pve_guest_list_lookup_vmid (f->list, f->remotes[0], 100);
  g_autofree char *path = g_strdup (g_getenv ("PATH"));
  PveGuestPage *page = open_page (f, guest);
  GtkWidget *button = pve_guest_page_get_action_button (page, "console");
  AdwMessageDialog *dialog;

  pve_test_wait_until (gtk_widget_get_sensitive (button), TIMEOUT_MS);

  /* A PATH without remote-viewer. */
  g_setenv ("PATH", f->tmpdir, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "guest.console", NULL));
  pve_test_wait_until ((dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL, TIMEOUT_MS);
  g_setenv ("PATH", path, TRUE);

  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could Not Open the Console");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "remote-viewer"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "virt-viewer"));
  adw_message_dialog_response (dialog, "close");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

int
main (int   argc,
      char *argv[])
{
  /* No accessibility bus in the in-process tests (its daemon would write to our TAP stdout). */
  g_setenv ("GTK_A11Y", "none", TRUE);

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();
  g_object_set (gtk_settings_get_default (),
                "gtk-cursor-blink", FALSE,
                "gtk-enable-animations", FALSE,
                NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("/pve/guests-view/lists-all", test_lists_all, NULL);
  ADD ("/pve/guests-view/search-and-filters", test_search_and_filters, NULL);
  ADD ("/pve/guests-view/sorting", test_sorting, NULL);
  ADD ("/pve/guests-view/refresh-keeps-rows", test_refresh_keeps_rows, NULL);
  ADD ("/pve/guests-view/refresh-resorts", test_refresh_resorts, NULL);
  ADD ("/pve/guests-view/start", test_start, NULL);
  ADD ("/pve/guests-view/failing-task", test_failing_task, NULL);
  ADD ("/pve/guests-view/stop-confirmed", test_stop_confirmed, NULL);
  ADD ("/pve/guests-view/stop-unconfirmed", test_stop_unconfirmed, NULL);
  ADD ("/pve/guests-view/no-power-privilege", test_no_power_privilege, "audit");
  ADD ("/pve/guests-view/disconnect-while-open", test_disconnect_while_open, NULL);
  ADD ("/pve/guests-view/guest-page", test_guest_page, NULL);
  ADD ("/pve/guests-view/console-without-viewer", test_console_without_viewer, NULL);
  ADD ("/pve/guests-view/views-and-node-page", test_views_and_node_page, NULL);
  ADD ("/pve/guests-view/paused-while-hidden", test_paused_while_hidden, NULL);
  ADD ("/pve/guests-view/notification-when-unfocused", test_notification_when_unfocused, NULL);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "pve-api.h"
#include "pve-task.h"

/* Polls that fail for a passing reason (timeout, network hiccup, 5xx of a proxied node) are
 * retried this many times in a row before the task is given up on. */
#define MAX_POLL_RETRIES 3
#define LOG_LIMIT        "500"

G_DEFINE_QUARK (pve-task-error-quark, pve_task_error)

G_DEFINE_ENUM_TYPE (PveTaskState, pve_task_state,
  G_DEFINE_ENUM_VALUE (PVE_TASK_STATE_QUEUED, "queued"),
  G_DEFINE_ENUM_VALUE (PVE_TASK_STATE_RUNNING, "running"),
  G_DEFINE_ENUM_VALUE (PVE_TASK_STATE_OK, "ok"),
  G_DEFINE_ENUM_VALUE (PVE_TASK_STATE_FAILED, "failed"))

struct _PveTask
{
  GObject           parent_instance;

  PveRemoteManager *manager;
  PveGuest         *guest;
  PveRemote        *remote;
  char             *action;
  char             *description;
  char             *upid;
  char             *upid_node;
  char             *exitstatus;
  GPtrArray        *log;
  PveTaskState      state;
  guint             poll_interval;
  guint             poll_failures;
  gboolean          started;
};

G_DEFINE_FINAL_TYPE (PveTask, pve_task, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MANAGER,
  PROP_GUEST,
  PROP_ACTION,
  PROP_DESCRIPTION,
  PROP_UPID,
  PROP_STATE,
  PROP_EXITSTATUS,
  PROP_POLL_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const actions[] = {
  "start", "shutdown", "stop", "reboot", "suspend", "resume", NULL
};

gboolean
pve_guest_action_is_valid (const char *action)
{
  return action != NULL && g_strv_contains (actions, action);
}

static char *
describe (const char *action,
          const char *name)
{
  if (g_str_equal (action, "start"))
    /* Translators: %s is a guest's name */
    return g_strdup_printf (_("Starting %s"), name);
  if (g_str_equal (action, "shutdown"))
    return g_strdup_printf (_("Shutting down %s"), name);
  if (g_str_equal (action, "stop"))
    return g_strdup_printf (_("Stopping %s"), name);
  if (g_str_equal (action, "reboot"))
    return g_strdup_printf (_("Rebooting %s"), name);
  if (g_str_equal (action, "suspend"))
    return g_strdup_printf (_("Suspending %s"), name);
  if (g_str_equal (action, "resume"))
    return g_strdup_printf (_("Resuming %s"), name);
  g_return_val_if_reached (NULL);
}

static const char *
busy_label (const char *action)
{
  if (g_str_equal (action, "start"))
    return _("Starting…");
  if (g_str_equal (action, "shutdown"))
    return _("Shutting down…");
  if (g_str_equal (action, "stop"))
    return _("Stopping…");
  if (g_str_equal (action, "reboot"))
    return _("Rebooting…");
  if (g_str_equal (action, "suspend"))
    return _("Suspending…");
  if (g_str_equal (action, "resume"))
    return _("Resuming…");
  g_return_val_if_reached (NULL);
}

static gboolean
status_is (PveGuest   *guest,
           const char *status)
{
  return g_strcmp0 (pve_guest_get_status (guest), status) == 0;
}

static gboolean
is_paused (PveGuest *guest)
{
  return status_is (guest, "paused") || status_is (guest, "suspended");
}

gboolean
pve_guest_action_allowed (PveRemoteManager  *manager,
                          PveGuest          *guest,
                          const char        *action,
                          char             **why)
{
  PveRemote *remote;
  PveClient *client;
  const char *name;
  const char *remote_name;

  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (manager), FALSE);
  g_return_val_if_fail (PVE_IS_GUEST (guest), FALSE);
  g_return_val_if_fail (why == NULL || *why == NULL, FALSE);

#define REFUSE(...) \
  G_STMT_START { if (why != NULL) *why = g_strdup_printf (__VA_ARGS__); return FALSE; } G_STMT_END

  name = pve_guest_get_display_name (guest);
  remote = pve_guest_get_remote (guest);
  remote_name = pve_guest_get_remote_name (guest);

  if (!pve_guest_action_is_valid (action))
    REFUSE (_("“%s” is not a power action"), action != NULL ? action : "");

  client = remote != NULL ? pve_remote_manager_get_client (manager, remote) : NULL;
  if (client == NULL || !pve_client_is_connected (client))
    REFUSE (_("%s is not connected"), remote_name);

  if (!pve_client_has_cap (client, "vms", "VM.PowerMgmt"))
    REFUSE (_("You do not have the VM.PowerMgmt privilege on %s"), remote_name);

  if (pve_guest_get_busy (guest))
    REFUSE (_("%s is busy: %s"), name, pve_guest_get_busy_label (guest));

  if (!pve_guest_get_has_stats (guest) || status_is (guest, "unknown"))
    REFUSE (_("The node %s of %s cannot be reached"), pve_guest_get_node (guest), name);

  if (g_str_equal (action, "start"))
    {
      if (pve_guest_get_template (guest))
        REFUSE (_("%s is a template: templates cannot be started"), name);
      if (!status_is (guest, "stopped"))
        REFUSE (_("%s is not stopped"), name);
    }
  else if (g_str_equal (action, "stop"))
    {
      if (!status_is (guest, "running") && !is_paused (guest) && !status_is (guest, "prelaunch"))
        REFUSE (_("%s is not running"), name);
    }
  else if (g_str_equal (action, "resume"))
    {
      if (!is_paused (guest))
        REFUSE (_("%s is not paused"), name);
    }
  else /* shutdown, reboot, suspend */
    {
      if (!status_is (guest, "running"))
        REFUSE (_("%s is not running"), name);
    }

#undef REFUSE

  return TRUE;
}

/* ---- GObject --------------------------------------------------------------------------------- */

static void
pve_task_finalize (GObject *object)
{
  PveTask *self = (PveTask *)object;

  g_clear_object (&self->manager);
  g_clear_object (&self->guest);
  g_clear_object (&self->remote);
  g_clear_pointer (&self->action, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->upid, g_free);
  g_clear_pointer (&self->upid_node, g_free);
  g_clear_pointer (&self->exitstatus, g_free);
  g_clear_pointer (&self->log, g_ptr_array_unref);

  G_OBJECT_CLASS (pve_task_parent_class)->finalize (object);
}

static void
pve_task_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  PveTask *self = PVE_TASK (object);

  switch (prop_id)
    {
    case PROP_MANAGER: g_value_set_object (value, self->manager); break;
    case PROP_GUEST: g_value_set_object (value, self->guest); break;
    case PROP_ACTION: g_value_set_string (value, self->action); break;
    case PROP_DESCRIPTION: g_value_set_string (value, self->description); break;
    case PROP_UPID: g_value_set_string (value, self->upid); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_EXITSTATUS: g_value_set_string (value, self->exitstatus); break;
    case PROP_POLL_INTERVAL: g_value_set_uint (value, self->poll_interval); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_task_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  PveTask *self = PVE_TASK (object);

  switch (prop_id)
    {
    case PROP_MANAGER: self->manager = g_value_dup_object (value); break;
    case PROP_GUEST: self->guest = g_value_dup_object (value); break;
    case PROP_ACTION: self->action = g_value_dup_string (value); break;
    case PROP_POLL_INTERVAL: pve_task_set_poll_interval (self, g_value_get_uint (value)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_task_constructed (GObject *object)
{
  PveTask *self = PVE_TASK (object);

  G_OBJECT_CLASS (pve_task_parent_class)->constructed (object);

  g_assert (self->manager != NULL && self->guest != NULL && self->action != NULL);
  self->description = describe (self->action, pve_guest_get_display_name (self->guest));
}

static void
pve_task_class_init (PveTaskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = pve_task_finalize;
  object_class->constructed = pve_task_constructed;
  object_class->get_property = pve_task_get_property;
  object_class->set_property = pve_task_set_property;

  properties[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL, PVE_TYPE_REMOTE_MANAGER, co);
  properties[PROP_GUEST] = g_param_spec_object ("guest", NULL, NULL, PVE_TYPE_GUEST, co);
  properties[PROP_ACTION] = g_param_spec_string ("action", NULL, NULL, NULL, co);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, ro);
  properties[PROP_UPID] = g_param_spec_string ("upid", NULL, NULL, NULL, ro);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, PVE_TYPE_TASK_STATE, PVE_TASK_STATE_QUEUED, ro);
  properties[PROP_EXITSTATUS] = g_param_spec_string ("exitstatus", NULL, NULL, NULL, ro);
  properties[PROP_POLL_INTERVAL] =
    g_param_spec_uint ("poll-interval", NULL, NULL, 10, 60000, 1000,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pve_task_init (PveTask *self)
{
  self->poll_interval = 1000;
  self->state = PVE_TASK_STATE_QUEUED;
}

/* ---- Public ---------------------------------------------------------------------------------- */

PveTask *
pve_task_new (PveRemoteManager *manager,
              PveGuest         *guest,
              const char       *action)
{
  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (manager), NULL);
  g_return_val_if_fail (PVE_IS_GUEST (guest), NULL);
  g_return_val_if_fail (pve_guest_action_is_valid (action), NULL);

  return g_object_new (PVE_TYPE_TASK,
                       "manager", manager,
                       "guest", guest,
                       "action", action,
                       NULL);
}

PveRemoteManager *
pve_task_get_manager (PveTask *self)
{
  g_return_val_if_fail (PVE_IS_TASK (self), NULL);
  return self->manager;
}

PveGuest *
pve_task_get_guest (PveTask *self)
{
  g_return_val_if_fail (PVE_IS_TASK (self), NULL);
  return self->guest;
}

const char *
pve_task_get_action (PveTask *self)
{
  g_return_val_if_fail (PVE_IS_TASK (self), NULL);
  return self->action;
}

const char *
pve_task_get_description (PveTask *self)
{
  g_return_val_if_fail (PVE_IS_TASK (self), NULL);
  return self->description;
}

const char *
pve_task_get_upid (PveTask *self)
{
  g_return_val_if_fail (PVE_IS_TASK (self), NULL);
  return self->upid;
}

PveTaskState
pve_task_get_state (PveTask *self)
{
  g_return_val_if_fail (PVE_IS_TASK (self), PVE_TASK_STATE_FAILED);
  return self->state;
}

const char *
pve_task_get_exitstatus (PveTask *self)
{
  g_return_val_if_fail (PVE_IS_TASK (self), NULL);
  return self->exitstatus;
}

GPtrArray *
pve_task_get_log (PveTask *self)
{
  g_return_val_if_fail (PVE_IS_TASK (self), NULL);
  return self->log;
}

guint
pve_task_get_poll_interval (PveTask *self)
{
  g_return_val_if_fail (PVE_IS_TASK (self), 0);
  return self->poll_interval;
}

void
pve_task_set_poll_interval (PveTask *self,
                            guint    milliseconds)
{
  g_return_if_fail (PVE_IS_TASK (self));

  milliseconds = CLAMP (milliseconds, 10, 60000);
  if (self->poll_interval == milliseconds)
    return;

  self->poll_interval = milliseconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLL_INTERVAL]);
}

/* ---- Running --------------------------------------------------------------------------------- */

static void
set_state (PveTask      *self,
           PveTaskState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* task_succeed and task_fail take over the reference they are given. */
static void
task_succeed (GTask *task_in)
{
  g_autoptr(GTask) task = task_in;
  PveTask *self = g_task_get_source_object (task);

  pve_guest_set_busy (self->guest, FALSE, NULL);
  set_state (self, PVE_TASK_STATE_OK);
  g_task_return_boolean (task, TRUE);
}

static void
task_fail (GTask  *task_in,
           GError *error)
{
  g_autoptr(GTask) task = task_in;
  PveTask *self = g_task_get_source_object (task);

  g_debug ("%s failed: %s", self->description, error->message);
  pve_guest_set_busy (self->guest, FALSE, NULL);
  set_state (self, PVE_TASK_STATE_FAILED);
  g_task_return_error (task, error);
}

static void poll_status (GTask *task);

/* The manager cancels what is in flight when the remote disconnects: unless the caller
 * cancelled, say that rather than "Operation was cancelled". */
static GError *
explain_error (GTask  *task,
               GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_error_free (error);
      return g_error_new_literal (PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED,
                                  _("Remote is not connected"));
    }
  return error;
}

static void
on_log (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PveTask *self = g_task_get_source_object (task);
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GError) error = NULL;

  data = pve_remote_manager_request_finish (PVE_REMOTE_MANAGER (source), result, NULL, &error);
  if (data != NULL)
    self->log = pve_api_parse_log_lines (data, NULL, &error);
  if (self->log == NULL)
    g_debug ("The log of %s could not be read: %s", self->upid, error->message);

  /* The log is a help, not the verdict: the task failed with its exitstatus either way. */
  task_fail (g_steal_pointer (&task),
             g_error_new_literal (PVE_TASK_ERROR, PVE_TASK_ERROR_FAILED, self->exitstatus));
}

static void
fetch_log (GTask *task)
{
  PveTask *self = g_task_get_source_object (task);
  g_autofree char *path = NULL;
  g_autoptr(GHashTable) params = NULL;

  path = pve_client_build_path ("nodes", self->upid_node, "tasks", self->upid, "log", NULL);
  params = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (params, (gpointer)"start", (gpointer)"0");
  g_hash_table_insert (params, (gpointer)"limit", (gpointer)LOG_LIMIT);

  pve_remote_manager_request_async (self->manager, self->remote, "GET", path, params,
                                    g_task_get_cancellable (task), on_log, task);
}

static gboolean
is_passing_error (const GError *error)
{
  return g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_TIMEOUT) ||
         g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NETWORK) ||
         g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_SERVER);
}

static gboolean
on_poll_timeout (gpointer user_data)
{
  GTask *task = user_data;   /* the source owns the reference */
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (g_cancellable_is_cancelled (cancellable))
    {
      GError *error = NULL;

      g_cancellable_set_error_if_cancelled (cancellable, &error);
      task_fail (g_object_ref (task), error);
      return G_SOURCE_REMOVE;
    }

  poll_status (g_object_ref (task));
  return G_SOURCE_REMOVE;
}

static void
schedule_poll (GTask *task)
{
  PveTask *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GSource) source = g_timeout_source_new (self->poll_interval);

  /* A cancel wakes the wait up at once instead of after the interval. */
  if (cancellable != NULL)
    {
      g_autoptr(GSource) cancel_source = g_cancellable_source_new (cancellable);

      g_source_set_dummy_callback (cancel_source);
      g_source_add_child_source (source, cancel_source);
    }

  g_source_set_static_name (source, "[pve] task poll");
  g_source_set_callback (source, on_poll_timeout, task, g_object_unref);
  g_source_attach (source, g_task_get_context (task));
}

static void
on_status (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PveTask *self = g_task_get_source_object (task);
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GError) error = NULL;
  PveTaskStatus status = { 0 };
  gboolean running;

  data = pve_remote_manager_request_finish (PVE_REMOTE_MANAGER (source), result, NULL, &error);
  if (data == NULL)
    {
      if (is_passing_error (error) && ++self->poll_failures <= MAX_POLL_RETRIES)
        {
          g_debug ("Polling %s failed (%s), trying again", self->upid, error->message);
          schedule_poll (g_steal_pointer (&task));
          return;
        }
      GError *reason = explain_error (task, g_steal_pointer (&error));

      task_fail (g_steal_pointer (&task), reason);
      return;
    }
  self->poll_failures = 0;

  if (!pve_api_parse_task_status (data, &status, &error))
    {
      pve_task_status_clear (&status);
      task_fail (g_steal_pointer (&task), g_steal_pointer (&error));
      return;
    }

  running = status.running;
  if (!running)
    {
      const char *exitstatus = status.exitstatus;

      if (exitstatus == NULL)
        exitstatus = _("The task ended without a status");
      g_free (self->exitstatus);
      self->exitstatus = g_strdup (exitstatus);
    }
  pve_task_status_clear (&status);

  if (running)
    {
      schedule_poll (g_steal_pointer (&task));
      return;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXITSTATUS]);

  if (pve_task_exitstatus_is_ok (self->exitstatus))
    task_succeed (g_steal_pointer (&task));
  else
    fetch_log (g_steal_pointer (&task));
}

static void
poll_status (GTask *task)
{
  PveTask *self = g_task_get_source_object (task);
  g_autofree char *path = NULL;

  path = pve_client_build_path ("nodes", self->upid_node, "tasks", self->upid, "status", NULL);
  pve_remote_manager_request_async (self->manager, self->remote, "GET", path, NULL,
                                    g_task_get_cancellable (task), on_status, task);
}

static void
on_posted (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PveTask *self = g_task_get_source_object (task);
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GError) error = NULL;
  PveUpid upid = { 0 };
  const char *text = NULL;

  data = pve_remote_manager_request_finish (PVE_REMOTE_MANAGER (source), result, NULL, &error);
  if (data == NULL)
    {
      GError *reason = explain_error (task, g_steal_pointer (&error));

      task_fail (g_steal_pointer (&task), reason);
      return;
    }

  if (JSON_NODE_HOLDS_VALUE (data) && json_node_get_value_type (data) == G_TYPE_STRING)
    text = json_node_get_string (data);

  if (text == NULL || !pve_upid_parse (text, &upid, NULL))
    {
      pve_upid_clear (&upid);
      task_fail (g_steal_pointer (&task),
                 g_error_new (PVE_TASK_ERROR, PVE_TASK_ERROR_INVALID,
                              _("The server accepted “%s” but did not say which task runs it"),
                              self->description));
      return;
    }

  self->upid = g_strdup (text);
  self->upid_node = g_strdup (upid.node != NULL && upid.node[0] != '\0'
                              ? upid.node : pve_guest_get_node (self->guest));
  pve_upid_clear (&upid);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPID]);
  set_state (self, PVE_TASK_STATE_RUNNING);

  poll_status (g_steal_pointer (&task));
}

void
pve_task_run_async (PveTask             *self,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;
  char vmid[32];
  PveRemote *remote;

  g_return_if_fail (PVE_IS_TASK (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pve_task_run_async);
  g_task_set_name (task, "[pve] guest power action");

  if (self->started)
    {
      g_task_return_new_error (task, PVE_TASK_ERROR, PVE_TASK_ERROR_INVALID,
                               _("“%s” has already been run"), self->description);
      return;
    }
  self->started = TRUE;

  remote = pve_guest_get_remote (self->guest);
  if (remote == NULL)
    {
      task_fail (g_steal_pointer (&task),
                 g_error_new_literal (PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED,
                                      _("Remote is not connected")));
      return;
    }
  self->remote = g_object_ref (remote);

  if (pve_guest_get_node (self->guest) == NULL)
    {
      task_fail (g_steal_pointer (&task),
                 g_error_new (PVE_TASK_ERROR, PVE_TASK_ERROR_INVALID,
                              _("The node of %s is not known"),
                              pve_guest_get_display_name (self->guest)));
      return;
    }

  pve_guest_set_busy (self->guest, TRUE, busy_label (self->action));

  g_snprintf (vmid, sizeof vmid, "%" G_GINT64_FORMAT, pve_guest_get_vmid (self->guest));
  path = pve_client_build_path ("nodes", pve_guest_get_node (self->guest),
                                pve_guest_get_guest_type (self->guest), vmid,
                                "status", self->action, NULL);

  pve_remote_manager_request_async (self->manager, self->remote, "POST", path, NULL,
                                    cancellable, on_posted, g_steal_pointer (&task));
}

gboolean
pve_task_run_finish (PveTask       *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (PVE_IS_TASK (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pve_task_run_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#ifdef __GLIBC__
# include <malloc.h>
#endif

#include "pve-api.h"
#include "pve-guest-list.h"

/* One merge step on the main thread works for at most this long (µs), so a 10,000-guest
 * refresh never holds the main loop for a frame. Measured: ~0.5 µs per guest unobserved. */
#define MERGE_BUDGET_USEC 5000
/* Below the redraw priority (G_PRIORITY_HIGH_IDLE + 20): frames are drawn between steps. */
#define MERGE_PRIORITY    (G_PRIORITY_DEFAULT_IDLE)
#define DEFAULT_INTERVAL  5
/* After merging an answer this big, give the freed memory back to the system. */
#define TRIM_THRESHOLD    1000

typedef enum
{
  PHASE_IDLE,
  PHASE_REQUEST,
  PHASE_MERGE,
} Phase;

typedef struct _MergeJob MergeJob;

typedef struct
{
  gatomicrefcount    ref_count;
  PveGuestList      *list;        /* not a reference; NULL once the entry is dropped */
  PveRemote         *remote;
  gulong             state_handler;
  gulong             name_handler;
  GHashTable        *guests;      /* guest id ("qemu/100", owned by the guest) -> PveGuest* */
  GCancellable      *cancellable; /* of the refresh in progress */
  Phase              phase;
  guint              serial;      /* bumped whenever a refresh is abandoned */
  guint              generation;  /* bumped by every refresh */
  gboolean           connected;
  gboolean           again;       /* refresh asked for while one was running */
  GError            *error;
  MergeJob          *job;
  PveGuestListStats  cur;
  PveGuestListStats  last;
  gboolean           has_last;
} RemoteEntry;

struct _MergeJob
{
  RemoteEntry *entry;             /* a reference */
  PveResource **resources;        /* owned, each freed once merged */
  guint        n_resources;
  guint        next;
  GPtrArray   *added;             /* new PveGuest* not yet in the model (owned) */
};

struct _PveGuestList
{
  GObject           parent_instance;

  PveRemoteManager *manager;
  GListModel       *remotes;
  gulong            remotes_handler;
  GPtrArray        *guests;       /* the model: PveGuest*, owned */
  GHashTable       *entries;      /* PveRemote* -> RemoteEntry* */
  GQueue            merge_queue;  /* MergeJob* */
  GMainContext     *context;      /* where the list was made: its sources run there */
  GSource          *merge_source;
  GSource          *timer_source;
  guint             refresh_interval;
  guint             merge_budget;   /* µs per merge step */
  guint             request_count;
  gboolean          paused;
  gboolean          loading;
};

static void pve_guest_list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PveGuestList, pve_guest_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      pve_guest_list_model_iface_init))

enum {
  PROP_0,
  PROP_MANAGER,
  PROP_REFRESH_INTERVAL,
  PROP_PAUSED,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

enum {
  REMOTE_ERROR,
  REFRESHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void start_refresh (RemoteEntry *entry);

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/* ---- Entries ------------------------------------------------------------------------------ */

static RemoteEntry *
entry_ref (RemoteEntry *entry)
{
  g_atomic_ref_count_inc (&entry->ref_count);
  return entry;
}

static void
entry_unref (RemoteEntry *entry)
{
  if (!g_atomic_ref_count_dec (&entry->ref_count))
    return;

  g_assert (entry->list == NULL);
  g_assert (entry->job == NULL);
  g_clear_object (&entry->remote);
  g_clear_pointer (&entry->guests, g_hash_table_unref);
  g_clear_object (&entry->cancellable);
  g_clear_error (&entry->error);
  g_free (entry);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RemoteEntry, entry_unref)

static void
merge_job_free (MergeJob *job)
{
  for (guint i = job->next; i < job->n_resources; i++)
    pve_resource_free (job->resources[i]);
  g_free (job->resources);
  g_clear_pointer (&job->added, g_ptr_array_unref);
  entry_unref (job->entry);
  g_free (job);
}

static void
update_loading (PveGuestList *self)
{
  GHashTableIter iter;
  RemoteEntry *entry;
  gboolean loading = FALSE;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&entry))
    if (entry->phase != PHASE_IDLE)
      {
        loading = TRUE;
        break;
      }

  if (loading != self->loading)
    {
      self->loading = loading;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
}

/* Removes every guest marked doomed from the model, one items-changed per contiguous run,
 * from the end so that each signal describes the model as it is at that moment. */
static guint
remove_doomed (PveGuestList *self)
{
  guint removed = 0;
  guint i = self->guests->len;

  while (i > 0)
    {
      guint end;

      if (!_pve_guest_get_doomed (g_ptr_array_index (self->guests, i - 1)))
        {
          i--;
          continue;
        }

      end = i;
      while (i > 0 && _pve_guest_get_doomed (g_ptr_array_index (self->guests, i - 1)))
        i--;

      g_ptr_array_remove_range (self->guests, i, end - i);
      g_list_model_items_changed (G_LIST_MODEL (self), i, end - i, 0);
      removed += end - i;
    }

  if (removed > 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  return removed;
}

/* Abandons the refresh in progress (its callbacks will find a stale serial). */
static void
abandon_refresh (RemoteEntry *entry)
{
  PveGuestList *self = entry->list;

  entry->serial++;
  entry->again = FALSE;
  if (entry->cancellable != NULL)
    g_cancellable_cancel (entry->cancellable);
  g_clear_object (&entry->cancellable);

  if (entry->job != NULL)
    {
      /* Guests made by this merge are in the table but owned by the job alone. */
      for (guint i = 0; entry->job->added != NULL && i < entry->job->added->len; i++)
        g_hash_table_remove (entry->guests,
                             pve_guest_get_id (g_ptr_array_index (entry->job->added, i)));
      g_queue_remove (&self->merge_queue, entry->job);
      g_clear_pointer (&entry->job, merge_job_free);
      if (self->merge_queue.length == 0)
        clear_source (&self->merge_source);
    }

  entry->phase = PHASE_IDLE;
}

static void
drop_guests (RemoteEntry *entry)
{
  PveGuestList *self = entry->list;
  GHashTableIter iter;
  PveGuest *guest;

  abandon_refresh (entry);
  g_clear_error (&entry->error);
  entry->has_last = FALSE;

  if (g_hash_table_size (entry->guests) == 0)
    return;

  g_hash_table_iter_init (&iter, entry->guests);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&guest))
    _pve_guest_set_doomed (guest, TRUE);
  g_hash_table_remove_all (entry->guests);

  remove_doomed (self);
}

static void
on_remote_state (PveRemote   *remote,
                 GParamSpec  *pspec,
                 RemoteEntry *entry)
{
  gboolean connected = pve_remote_get_connected (remote);

  if (connected == entry->connected)
    return;

  entry->connected = connected;
  if (connected)
    {
      start_refresh (entry);
    }
  else
    {
      drop_guests (entry);
      update_loading (entry->list);
    }
}

static void
on_remote_name (PveRemote   *remote,
                GParamSpec  *pspec,
                RemoteEntry *entry)
{
  GHashTableIter iter;
  PveGuest *guest;

  g_hash_table_iter_init (&iter, entry->guests);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&guest))
    _pve_guest_notify_remote_name (guest);
}

static RemoteEntry *
entry_new (PveGuestList *self,
           PveRemote    *remote)
{
  RemoteEntry *entry = g_new0 (RemoteEntry, 1);

  g_atomic_ref_count_init (&entry->ref_count);
  entry->list = self;
  entry->remote = g_object_ref (remote);
  entry->guests = g_hash_table_new (g_str_hash, g_str_equal);
  entry->state_handler = g_signal_connect (remote, "notify::state",
                                           G_CALLBACK (on_remote_state), entry);
  entry->name_handler = g_signal_connect (remote, "notify::name",
                                          G_CALLBACK (on_remote_name), entry);
  return entry;
}

/* The entry leaves the list: its guests go, its refresh is abandoned. */
static void
entry_drop (RemoteEntry *entry)
{
  drop_guests (entry);
  g_clear_signal_handler (&entry->state_handler, entry->remote);
  g_clear_signal_handler (&entry->name_handler, entry->remote);
  entry->list = NULL;
  entry_unref (entry);
}

static void
sync_remotes (PveGuestList *self)
{
  g_autoptr(GHashTable) present = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) gone = g_ptr_array_new ();
  g_autoptr(GPtrArray) fresh = g_ptr_array_new ();
  GHashTableIter iter;
  RemoteEntry *entry;
  guint n = g_list_model_get_n_items (self->remotes);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PveRemote) remote = g_list_model_get_item (self->remotes, i);

      g_hash_table_add (present, remote);
      if (!g_hash_table_contains (self->entries, remote))
        {
          entry = entry_new (self, remote);
          g_hash_table_insert (self->entries, remote, entry);
          g_ptr_array_add (fresh, entry);
        }
    }

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&entry))
    if (!g_hash_table_contains (present, entry->remote))
      {
        g_ptr_array_add (gone, entry);
        g_hash_table_iter_steal (&iter);
      }

  for (guint i = 0; i < gone->len; i++)
    entry_drop (g_ptr_array_index (gone, i));

  for (guint i = 0; i < fresh->len; i++)
    {
      entry = g_ptr_array_index (fresh, i);
      on_remote_state (entry->remote, NULL, entry);
    }

  update_loading (self);
}

static void
on_remotes_changed (GListModel   *model,
                    guint         position,
                    guint         removed,
                    guint         added,
                    PveGuestList *self)
{
  sync_remotes (self);
}

/* ---- Refresh: request, parse, merge ---------------------------------------------------------- */

typedef struct
{
  RemoteEntry *entry;
  guint        serial;
} Call;

static Call *
call_new (RemoteEntry *entry)
{
  Call *call = g_new0 (Call, 1);

  call->entry = entry_ref (entry);
  call->serial = entry->serial;
  return call;
}

static void
call_free (Call *call)
{
  entry_unref (call->entry);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

static gboolean
call_is_current (Call *call)
{
  return call->entry->list != NULL && call->entry->serial == call->serial;
}

static void
finish_refresh (RemoteEntry *entry)
{
  PveGuestList *self = entry->list;

  entry->phase = PHASE_IDLE;
  g_clear_object (&entry->cancellable);

  if (entry->again)
    {
      entry->again = FALSE;
      start_refresh (entry);
    }

  update_loading (self);
}

static void
fail_refresh (RemoteEntry  *entry,
              const GError *error)
{
  PveGuestList *self = entry->list;
  g_autoptr(PveRemote) remote = g_object_ref (entry->remote);
  g_autoptr(GError) copy = g_error_copy (error);

  g_debug ("Refreshing the guests of %s failed: %s",
           pve_remote_get_name (remote), error->message);

  /* Our own cancels are never reported here (they change the serial first): a cancelled
   * request of the current refresh means the session was torn down under it. */
  if (g_error_matches (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_NOT_CONNECTED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      drop_guests (entry);
      update_loading (self);
      return;
    }

  g_clear_error (&entry->error);
  entry->error = g_error_copy (error);
  finish_refresh (entry);

  g_signal_emit (self, signals[REMOTE_ERROR], 0, remote, copy);
}

static gboolean
merge_finish (MergeJob *job)
{
  RemoteEntry *entry = job->entry;
  PveGuestList *self = entry->list;
  GHashTableIter iter;
  PveGuest *guest;
  guint n_doomed = 0;

  g_hash_table_iter_init (&iter, entry->guests);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&guest))
    if (_pve_guest_get_generation (guest) != entry->generation)
      {
        _pve_guest_set_doomed (guest, TRUE);
        g_hash_table_iter_remove (&iter);
        n_doomed++;
      }
  if (n_doomed > 0)
    {
      entry->cur.n_removed = remove_doomed (self);
      /* A handler of items-changed disconnected the remote: the job is gone. */
      if (entry->job != job)
        return TRUE;
    }

  if (job->added != NULL && job->added->len > 0)
    {
      guint position = self->guests->len;
      guint n_added = job->added->len;

      g_ptr_array_extend_and_steal (self->guests, g_steal_pointer (&job->added));
      entry->cur.n_added = n_added;
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, n_added);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }

  return TRUE;
}

/* One step of a merge. Returns TRUE when the job is complete. */
static gboolean
merge_step (MergeJob *job,
            gint64    deadline)
{
  RemoteEntry *entry = job->entry;
  guint generation = entry->generation;

  if (job->next == job->n_resources)
    return merge_finish (job);

  while (job->next < job->n_resources)
    {
      PveResource *resource = job->resources[job->next];
      PveGuest *guest;

      job->resources[job->next++] = NULL;

      guest = g_hash_table_lookup (entry->guests, resource->id);
      if (guest != NULL)
        {
          if (pve_guest_update_from_resource (guest, resource))
            entry->cur.n_updated++;
        }
      else
        {
          guest = pve_guest_new_from_resource (entry->remote, resource);
          g_hash_table_insert (entry->guests, (gpointer)pve_guest_get_id (guest), guest);
          g_ptr_array_add (job->added, guest);
        }
      _pve_guest_set_generation (guest, generation);
      pve_resource_free (resource);

      if ((job->next & 31) == 0 && g_get_monotonic_time () >= deadline)
        break;
    }

  return FALSE;
}

#ifdef __GLIBC__
static void
trim_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  malloc_trim (0);
  g_task_return_boolean (task, TRUE);
}
#endif

/* A big answer leaves megabytes of freed JSON behind; glibc keeps them resident unless told
 * otherwise. Trimming walks every arena, so it runs in a worker thread. */
static void
trim_memory (void)
{
#ifdef __GLIBC__
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  g_task_set_source_tag (task, trim_memory);
  g_task_set_name (task, "[pve] trim memory");
  g_task_run_in_thread (task, trim_in_thread);
#endif
}

static gboolean
merge_dispatch (gpointer user_data)
{
  PveGuestList *self = user_data;
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + self->merge_budget;

  while (self->merge_queue.length > 0)
    {
      MergeJob *job = g_queue_peek_head (&self->merge_queue);
      g_autoptr(RemoteEntry) entry = entry_ref (job->entry);
      gint64 step_start = g_get_monotonic_time ();
      gboolean done = merge_step (job, deadline);
      gint64 step = g_get_monotonic_time () - step_start;

      /* A handler of items-changed disconnected the remote: the job is gone. */
      if (entry->job != job)
        {
          if (self->merge_queue.length == 0)
            return G_SOURCE_REMOVE;   /* abandon_refresh() has destroyed it */
          continue;
        }

      entry->cur.n_chunks++;
      entry->cur.longest_chunk = MAX (entry->cur.longest_chunk, step);

      if (done)
        {
          g_queue_pop_head (&self->merge_queue);
          entry->job = NULL;
          merge_job_free (job);

          if (entry->cur.n_resources >= TRIM_THRESHOLD)
            trim_memory ();

          g_clear_error (&entry->error);
          entry->cur.merged = g_get_monotonic_time ();
          entry->last = entry->cur;
          entry->has_last = TRUE;
          finish_refresh (entry);
          g_signal_emit (self, signals[REFRESHED], 0, entry->remote);
        }

      /* Handing the new guests to the views (merge_finish) is a step of its own: a view may
       * take a few milliseconds to show them, which must not add up with a full step. */
      if (g_get_monotonic_time () >= deadline ||
          (!done && job->next == job->n_resources && job->n_resources > 0))
        break;
    }

  if (self->merge_queue.length == 0)
    {
      clear_source (&self->merge_source);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

/* Runs in the client's worker thread for big answers: the body straight to the guests'
 * resources (no JsonNode tree, see pve_api_parse_resources_body()). */
static gpointer
parse_guests (const char  *body,
              gsize        length,
              GError     **error)
{
  g_autoptr(GPtrArray) all = pve_api_parse_resources_body (body, length, error);
  GPtrArray *guests;

  if (all == NULL)
    return NULL;

  guests = g_ptr_array_new_full (all->len, (GDestroyNotify) pve_resource_free);
  for (guint i = 0; i < all->len; i++)
    {
      PveResource *resource = g_ptr_array_index (all, i);

      if ((resource->type == PVE_RESOURCE_QEMU || resource->type == PVE_RESOURCE_LXC) &&
          resource->id != NULL && resource->id[0] != '\0')
        g_ptr_array_add (guests, g_steal_pointer (&all->pdata[i]));
    }
  return guests;
}

static void
on_resources (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  RemoteEntry *entry = call->entry;
  PveGuestList *self = entry->list;
  g_autoptr(GPtrArray) guests = NULL;
  g_autoptr(GError) error = NULL;
  MergeJob *job;
  gsize n = 0;

  guests = pve_remote_manager_request_parsed_finish (PVE_REMOTE_MANAGER (source), result, &error);
  if (!call_is_current (call))
    return;

  if (guests == NULL)
    {
      fail_refresh (entry, error);
      return;
    }

  entry->cur.answered = entry->cur.parsed = g_get_monotonic_time ();
  entry->cur.n_resources = guests->len;
  entry->phase = PHASE_MERGE;

  job = g_new0 (MergeJob, 1);
  job->entry = entry_ref (entry);
  /* The job frees each resource as it merges it. */
  g_ptr_array_set_free_func (guests, NULL);
  job->resources = (PveResource **)g_ptr_array_steal (guests, &n);
  job->n_resources = n;
  job->added = g_ptr_array_new_with_free_func (g_object_unref);
  entry->job = job;

  g_queue_push_tail (&self->merge_queue, job);
  if (self->merge_source == NULL)
    {
      self->merge_source = g_idle_source_new ();
      g_source_set_priority (self->merge_source, MERGE_PRIORITY);
      g_source_set_static_name (self->merge_source, "[pve] guest list merge");
      g_source_set_callback (self->merge_source, merge_dispatch, self, NULL);
      g_source_attach (self->merge_source, self->context);
    }
}

static void
start_refresh (RemoteEntry *entry)
{
  PveGuestList *self = entry->list;
  g_autoptr(GHashTable) params = NULL;

  if (self == NULL || self->paused || !entry->connected)
    return;

  if (entry->phase != PHASE_IDLE)
    {
      entry->again = TRUE;
      return;
    }

  entry->phase = PHASE_REQUEST;
  entry->generation++;
  memset (&entry->cur, 0, sizeof entry->cur);
  entry->cur.started = g_get_monotonic_time ();
  g_clear_object (&entry->cancellable);
  entry->cancellable = g_cancellable_new ();

  params = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (params, (gpointer)"type", (gpointer)"vm");

  self->request_count++;
  pve_remote_manager_request_parsed_async (self->manager, entry->remote,
                                           "GET", "/cluster/resources", params,
                                           parse_guests, (GDestroyNotify) g_ptr_array_unref,
                                           entry->cancellable, on_resources, call_new (entry));
  update_loading (self);
}

/* ---- Timer ----------------------------------------------------------------------------------- */

static gboolean
on_timer (gpointer user_data)
{
  PveGuestList *self = user_data;
  GHashTableIter iter;
  RemoteEntry *entry;

  /* A remote still busy with the previous refresh skips this tick: no overlap, no queue. */
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&entry))
    if (entry->phase == PHASE_IDLE)
      start_refresh (entry);

  return G_SOURCE_CONTINUE;
}

static void
restart_timer (PveGuestList *self)
{
  clear_source (&self->timer_source);
  if (self->paused || self->refresh_interval == 0 || self->manager == NULL)
    return;

  self->timer_source = g_timeout_source_new_seconds (self->refresh_interval);
  g_source_set_static_name (self->timer_source, "[pve] guest list refresh");
  g_source_set_callback (self->timer_source, on_timer, self, NULL);
  g_source_attach (self->timer_source, self->context);
}

/* ---- GListModel ------------------------------------------------------------------------------ */

static GType
pve_guest_list_get_item_type (GListModel *model)
{
  return PVE_TYPE_GUEST;
}

static guint
pve_guest_list_get_n_items (GListModel *model)
{
  return PVE_GUEST_LIST (model)->guests->len;
}

static gpointer
pve_guest_list_get_item (GListModel *model,
                         guint       position)
{
  PveGuestList *self = PVE_GUEST_LIST (model);

  if (position >= self->guests->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->guests, position));
}

static void
pve_guest_list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = pve_guest_list_get_item_type;
  iface->get_n_items = pve_guest_list_get_n_items;
  iface->get_item = pve_guest_list_get_item;
}

/* ---- GObject --------------------------------------------------------------------------------- */

static void
pve_guest_list_constructed (GObject *object)
{
  PveGuestList *self = PVE_GUEST_LIST (object);

  G_OBJECT_CLASS (pve_guest_list_parent_class)->constructed (object);

  g_assert (self->manager != NULL);
  self->remotes = g_object_ref (pve_remote_manager_get_remotes (self->manager));
  self->remotes_handler = g_signal_connect (self->remotes, "items-changed",
                                            G_CALLBACK (on_remotes_changed), self);
  sync_remotes (self);
  restart_timer (self);
}

static void
pve_guest_list_dispose (GObject *object)
{
  PveGuestList *self = PVE_GUEST_LIST (object);
  GHashTableIter iter;
  RemoteEntry *entry;

  clear_source (&self->timer_source);
  clear_source (&self->merge_source);

  if (self->remotes != NULL)
    g_clear_signal_handler (&self->remotes_handler, self->remotes);
  g_clear_object (&self->remotes);

  if (self->entries != NULL)
    {
      g_hash_table_iter_init (&iter, self->entries);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&entry))
        {
          g_hash_table_iter_steal (&iter);
          entry_drop (entry);
        }
    }
  g_assert (self->merge_queue.length == 0);

  g_clear_object (&self->manager);

  G_OBJECT_CLASS (pve_guest_list_parent_class)->dispose (object);
}

static void
pve_guest_list_finalize (GObject *object)
{
  PveGuestList *self = PVE_GUEST_LIST (object);

  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->guests, g_ptr_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (pve_guest_list_parent_class)->finalize (object);
}

static void
pve_guest_list_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PveGuestList *self = PVE_GUEST_LIST (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      g_value_set_object (value, self->manager);
      break;
    case PROP_REFRESH_INTERVAL:
      g_value_set_uint (value, self->refresh_interval);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->guests->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_guest_list_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PveGuestList *self = PVE_GUEST_LIST (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      self->manager = g_value_dup_object (value);
      break;
    case PROP_REFRESH_INTERVAL:
      pve_guest_list_set_refresh_interval (self, g_value_get_uint (value));
      break;
    case PROP_PAUSED:
      pve_guest_list_set_paused (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_guest_list_class_init (PveGuestListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pve_guest_list_constructed;
  object_class->dispose = pve_guest_list_dispose;
  object_class->finalize = pve_guest_list_finalize;
  object_class->get_property = pve_guest_list_get_property;
  object_class->set_property = pve_guest_list_set_property;

  properties[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL, PVE_TYPE_REMOTE_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REFRESH_INTERVAL] =
    g_param_spec_uint ("refresh-interval", NULL, NULL, 0, 24 * 3600, DEFAULT_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[REMOTE_ERROR] =
    g_signal_new ("remote-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, PVE_TYPE_REMOTE, G_TYPE_ERROR);
  signals[REFRESHED] =
    g_signal_new ("refreshed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, PVE_TYPE_REMOTE);
}

static void
pve_guest_list_init (PveGuestList *self)
{
  self->guests = g_ptr_array_new_with_free_func (g_object_unref);
  self->entries = g_hash_table_new (NULL, NULL);
  self->refresh_interval = DEFAULT_INTERVAL;
  self->merge_budget = MERGE_BUDGET_USEC;
  self->context = g_main_context_ref_thread_default ();
  g_queue_init (&self->merge_queue);
}

/* ---- Public API ------------------------------------------------------------------------------ */

PveGuestList *
pve_guest_list_new (PveRemoteManager *manager)
{
  g_return_val_if_fail (PVE_IS_REMOTE_MANAGER (manager), NULL);

  return g_object_new (PVE_TYPE_GUEST_LIST, "manager", manager, NULL);
}

PveRemoteManager *
pve_guest_list_get_manager (PveGuestList *self)
{
  g_return_val_if_fail (PVE_IS_GUEST_LIST (self), NULL);
  return self->manager;
}

guint
pve_guest_list_get_refresh_interval (PveGuestList *self)
{
  g_return_val_if_fail (PVE_IS_GUEST_LIST (self), 0);
  return self->refresh_interval;
}

void
pve_guest_list_set_refresh_interval (PveGuestList *self,
                                     guint         seconds)
{
  g_return_if_fail (PVE_IS_GUEST_LIST (self));

  if (self->refresh_interval == seconds)
    return;

  self->refresh_interval = seconds;
  restart_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESH_INTERVAL]);
}

gboolean
pve_guest_list_get_paused (PveGuestList *self)
{
  g_return_val_if_fail (PVE_IS_GUEST_LIST (self), FALSE);
  return self->paused;
}

void
pve_guest_list_set_paused (PveGuestList *self,
                           gboolean      paused)
{
  g_return_if_fail (PVE_IS_GUEST_LIST (self));

  paused = !!paused;
  if (self->paused == paused)
    return;

  self->paused = paused;
  restart_timer (self);
  if (!paused && self->manager != NULL)
    pve_guest_list_refresh_now (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

gboolean
pve_guest_list_get_loading (PveGuestList *self)
{
  g_return_val_if_fail (PVE_IS_GUEST_LIST (self), FALSE);
  return self->loading;
}

void
pve_guest_list_refresh_now (PveGuestList *self)
{
  GHashTableIter iter;
  RemoteEntry *entry;

  g_return_if_fail (PVE_IS_GUEST_LIST (self));

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&entry))
    start_refresh (entry);
}

void
pve_guest_list_refresh_remote (PveGuestList *self,
                               PveRemote    *remote)
{
  RemoteEntry *entry;

  g_return_if_fail (PVE_IS_GUEST_LIST (self));
  g_return_if_fail (PVE_IS_REMOTE (remote));

  entry = g_hash_table_lookup (self->entries, remote);
  if (entry != NULL)
    start_refresh (entry);
}

const GError *
pve_guest_list_get_remote_error (PveGuestList *self,
                                 PveRemote    *remote)
{
  RemoteEntry *entry;

  g_return_val_if_fail (PVE_IS_GUEST_LIST (self), NULL);
  g_return_val_if_fail (PVE_IS_REMOTE (remote), NULL);

  entry = g_hash_table_lookup (self->entries, remote);
  return entry != NULL ? entry->error : NULL;
}

PveGuest *
pve_guest_list_lookup (PveGuestList *self,
                       const char   *key)
{
  GHashTableIter iter;
  RemoteEntry *entry;

  g_return_val_if_fail (PVE_IS_GUEST_LIST (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&entry))
    {
      const char *id = pve_remote_get_id (entry->remote);
      gsize len = strlen (id);

      if (strncmp (key, id, len) == 0 && key[len] == '/')
        return g_hash_table_lookup (entry->guests, key + len + 1);
    }

  return NULL;
}

PveGuest *
pve_guest_list_lookup_vmid (PveGuestList *self,
                            PveRemote    *remote,
                            gint64        vmid)
{
  RemoteEntry *entry;
  PveGuest *guest;
  char id[48];

  g_return_val_if_fail (PVE_IS_GUEST_LIST (self), NULL);
  g_return_val_if_fail (PVE_IS_REMOTE (remote), NULL);

  entry = g_hash_table_lookup (self->entries, remote);
  if (entry == NULL)
    return NULL;

  g_snprintf (id, sizeof id, "qemu/%" G_GINT64_FORMAT, vmid);
  guest = g_hash_table_lookup (entry->guests, id);
  if (guest == NULL)
    {
      g_snprintf (id, sizeof id, "lxc/%" G_GINT64_FORMAT, vmid);
      guest = g_hash_table_lookup (entry->guests, id);
    }
  return guest;
}

gboolean
pve_guest_list_get_stats (PveGuestList      *self,
                          PveRemote         *remote,
                          PveGuestListStats *out)
{
  RemoteEntry *entry;

  g_return_val_if_fail (PVE_IS_GUEST_LIST (self), FALSE);
  g_return_val_if_fail (PVE_IS_REMOTE (remote), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  entry = g_hash_table_lookup (self->entries, remote);
  if (entry == NULL || !entry->has_last)
    return FALSE;

  *out = entry->last;
  return TRUE;
}

void
pve_guest_list_set_merge_budget (PveGuestList *self,
                                 guint         usec)
{
  g_return_if_fail (PVE_IS_GUEST_LIST (self));

  self->merge_budget = CLAMP (usec, 100, 100000);
}

guint
pve_guest_list_get_request_count (PveGuestList *self)
{
  g_return_val_if_fail (PVE_IS_GUEST_LIST (self), 0);
  return self->request_count;
}

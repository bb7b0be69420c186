/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "pve-guest.h"

struct _PveGuest
{
  GObject     parent_instance;

  PveRemote  *remote;        /* a reference: weak pointers cost O(n) each to drop, and a
                              * remote has thousands of guests */
  char       *key;
  const char *id;            /* points into key */
  gint64      vmid;
  const char *guest_type;    /* interned */
  const char *node;          /* interned: a cluster has few nodes */
  const char *status;        /* interned */
  char       *name;
  char       *display_name;
  char       *tags;
  const char *pool;          /* interned */
  const char *lock;          /* interned */
  char       *busy_label;
  double      cpu;
  gint64      maxcpu;
  gint64      mem;
  gint64      maxmem;
  gint64      disk;
  gint64      maxdisk;
  gint64      uptime;
  guint       generation;
  guint       template : 1;
  guint       has_stats : 1;
  guint       busy : 1;
  guint       doomed : 1;
};

G_DEFINE_FINAL_TYPE (PveGuest, pve_guest, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REMOTE,
  PROP_REMOTE_NAME,
  PROP_KEY,
  PROP_ID,
  PROP_VMID,
  PROP_NODE,
  PROP_GUEST_TYPE,
  PROP_STATUS,
  PROP_NAME,
  PROP_DISPLAY_NAME,
  PROP_TEMPLATE,
  PROP_TAGS,
  PROP_POOL,
  PROP_LOCK,
  PROP_HAS_STATS,
  PROP_CPU,
  PROP_MAXCPU,
  PROP_MEM,
  PROP_MAXMEM,
  PROP_DISK,
  PROP_MAXDISK,
  PROP_UPTIME,
  PROP_BUSY,
  PROP_BUSY_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
intern_or_null (const char *str)
{
  return str != NULL ? g_intern_string (str) : NULL;
}

static char *
make_display_name (const char *name,
                   const char *guest_type,
                   gint64      vmid)
{
  if (name != NULL && name[0] != '\0')
    return g_strdup (name);
  if (g_strcmp0 (guest_type, "lxc") == 0)
    /* Translators: the name shown for a container whose name is unknown */
    return g_strdup_printf (_("CT %" PRId64), vmid);
  /* Translators: the name shown for a virtual machine whose name is unknown */
  return g_strdup_printf (_("VM %" PRId64), vmid);
}

static void
pve_guest_finalize (GObject *object)
{
  PveGuest *self = (PveGuest *)object;

  g_clear_object (&self->remote);
  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->tags, g_free);
  g_clear_pointer (&self->busy_label, g_free);

  G_OBJECT_CLASS (pve_guest_parent_class)->finalize (object);
}

static void
pve_guest_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PveGuest *self = PVE_GUEST (object);

  switch (prop_id)
    {
    case PROP_REMOTE: g_value_set_object (value, self->remote); break;
    case PROP_REMOTE_NAME: g_value_set_string (value, pve_guest_get_remote_name (self)); break;
    case PROP_KEY: g_value_set_string (value, self->key); break;
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_VMID: g_value_set_int64 (value, self->vmid); break;
    case PROP_NODE: g_value_set_string (value, self->node); break;
    case PROP_GUEST_TYPE: g_value_set_string (value, self->guest_type); break;
    case PROP_STATUS: g_value_set_string (value, self->status); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_DISPLAY_NAME: g_value_set_string (value, self->display_name); break;
    case PROP_TEMPLATE: g_value_set_boolean (value, self->template); break;
    case PROP_TAGS: g_value_set_string (value, self->tags); break;
    case PROP_POOL: g_value_set_string (value, self->pool); break;
    case PROP_LOCK: g_value_set_string (value, self->lock); break;
    case PROP_HAS_STATS: g_value_set_boolean (value, self->has_stats); break;
    case PROP_CPU: g_value_set_double (value, self->cpu); break;
    case PROP_MAXCPU: g_value_set_int64 (value, self->maxcpu); break;
    case PROP_MEM: g_value_set_int64 (value, self->mem); break;
    case PROP_MAXMEM: g_value_set_int64 (value, self->maxmem); break;
    case PROP_DISK: g_value_set_int64 (value, self->disk); break;
    case PROP_MAXDISK: g_value_set_int64 (value, self->maxdisk); break;
    case PROP_UPTIME: g_value_set_int64 (value, self->uptime); break;
    case PROP_BUSY: g_value_set_boolean (value, self->busy); break;
    case PROP_BUSY_LABEL: g_value_set_string (value, self->busy_label); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_guest_class_init (PveGuestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = pve_guest_finalize;
  object_class->get_property = pve_guest_get_property;

  properties[PROP_REMOTE] = g_param_spec_object ("remote", NULL, NULL, PVE_TYPE_REMOTE, ro);
  properties[PROP_REMOTE_NAME] = g_param_spec_string ("remote-name", NULL, NULL, NULL, ro);
  properties[PROP_KEY] = g_param_spec_string ("key", NULL, NULL, NULL, ro);
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  properties[PROP_VMID] = g_param_spec_int64 ("vmid", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_NODE] = g_param_spec_string ("node", NULL, NULL, NULL, ro);
  properties[PROP_GUEST_TYPE] = g_param_spec_string ("guest-type", NULL, NULL, NULL, ro);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, ro);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, ro);
  properties[PROP_TEMPLATE] = g_param_spec_boolean ("template", NULL, NULL, FALSE, ro);
  properties[PROP_TAGS] = g_param_spec_string ("tags", NULL, NULL, NULL, ro);
  properties[PROP_POOL] = g_param_spec_string ("pool", NULL, NULL, NULL, ro);
  properties[PROP_LOCK] = g_param_spec_string ("lock", NULL, NULL, NULL, ro);
  properties[PROP_HAS_STATS] = g_param_spec_boolean ("has-stats", NULL, NULL, FALSE, ro);
  properties[PROP_CPU] = g_param_spec_double ("cpu", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0, ro);
  properties[PROP_MAXCPU] = g_param_spec_int64 ("maxcpu", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_MEM] = g_param_spec_int64 ("mem", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_MAXMEM] = g_param_spec_int64 ("maxmem", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_DISK] = g_param_spec_int64 ("disk", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_MAXDISK] = g_param_spec_int64 ("maxdisk", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_UPTIME] = g_param_spec_int64 ("uptime", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);
  properties[PROP_BUSY_LABEL] = g_param_spec_string ("busy-label", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pve_guest_init (PveGuest *self)
{
  self->vmid = -1;
}

/* Numbers from a hostile server are clamped into what the properties accept. */
static inline gint64
clamp_nonneg (gint64 value)
{
  return value < 0 ? 0 : value;
}

static inline double
clamp_cpu (double value)
{
  if (!(value >= 0.0) || value > G_MAXDOUBLE)   /* NaN, negative, inf */
    return 0.0;
  return value;
}

typedef struct
{
  GParamSpec *pspecs[N_PROPS];
  guint       n;
} Changes;

static inline void
changed (Changes *changes,
         guint    prop_id)
{
  changes->pspecs[changes->n++] = properties[prop_id];
}

static void
emit_changes (PveGuest *self,
              Changes  *changes)
{
  if (changes->n == 0)
    return;

  /* A lone change (cpu, the common case) needs no freeze queue. */
  if (changes->n == 1)
    {
      g_object_notify_by_pspec (G_OBJECT (self), changes->pspecs[0]);
      return;
    }

  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < changes->n; i++)
    g_object_notify_by_pspec (G_OBJECT (self), changes->pspecs[i]);
  g_object_thaw_notify (G_OBJECT (self));
}

#define UPDATE_INTERNED(field, value, prop)                  \
  G_STMT_START {                                             \
    const char *v_ = (value);                                \
    if (g_strcmp0 (self->field, v_) != 0)                    \
      {                                                      \
        self->field = intern_or_null (v_);                   \
        changed (&changes, prop);                            \
      }                                                      \
  } G_STMT_END

#define UPDATE_SCALAR(field, value, prop)                    \
  G_STMT_START {                                             \
    if (self->field != (value))                              \
      {                                                      \
        self->field = (value);                               \
        changed (&changes, prop);                            \
      }                                                      \
  } G_STMT_END

static gboolean
apply_resource (PveGuest          *self,
                const PveResource *resource,
                gboolean           notify)
{
  Changes changes = { .n = 0 };
  const char *name = resource->name;
  const char *tags = resource->tags;
  gboolean has_stats = resource->has_stats ? TRUE : FALSE;
  gboolean template = resource->template ? TRUE : FALSE;

  if (name != NULL && name[0] == '\0')
    name = NULL;
  if (tags != NULL && tags[0] == '\0')
    tags = NULL;

  UPDATE_INTERNED (node, resource->node, PROP_NODE);
  UPDATE_INTERNED (status, resource->status != NULL ? resource->status : "unknown", PROP_STATUS);
  UPDATE_INTERNED (pool, resource->pool, PROP_POOL);
  UPDATE_INTERNED (lock, resource->lock, PROP_LOCK);

  /* A guest on an offline node comes without its name: keep the one we knew rather than
   * flipping the row to "VM 100" and back. */
  if (name == NULL && !has_stats && self->name != NULL)
    name = self->name;

  if (g_strcmp0 (self->name, name) != 0)
    {
      g_autofree char *old = g_steal_pointer (&self->name);

      self->name = g_strdup (name);
      changed (&changes, PROP_NAME);
      g_free (self->display_name);
      self->display_name = make_display_name (self->name, self->guest_type, self->vmid);
      changed (&changes, PROP_DISPLAY_NAME);
    }

  if (g_strcmp0 (self->tags, tags) != 0)
    {
      g_free (self->tags);
      self->tags = g_strdup (tags);
      changed (&changes, PROP_TAGS);
    }

  /* The template flag is absent for guests of an offline node: keep what we knew. */
  if (has_stats || template)
    UPDATE_SCALAR (template, (guint) template, PROP_TEMPLATE);
  UPDATE_SCALAR (has_stats, (guint) has_stats, PROP_HAS_STATS);
  UPDATE_SCALAR (cpu, has_stats ? clamp_cpu (resource->cpu) : 0.0, PROP_CPU);
  UPDATE_SCALAR (maxcpu, has_stats ? clamp_nonneg (resource->maxcpu) : 0, PROP_MAXCPU);
  UPDATE_SCALAR (mem, has_stats ? clamp_nonneg (resource->mem) : 0, PROP_MEM);
  UPDATE_SCALAR (maxmem, has_stats ? clamp_nonneg (resource->maxmem) : 0, PROP_MAXMEM);
  UPDATE_SCALAR (disk, has_stats ? clamp_nonneg (resource->disk) : 0, PROP_DISK);
  UPDATE_SCALAR (maxdisk, has_stats ? clamp_nonneg (resource->maxdisk) : 0, PROP_MAXDISK);
  UPDATE_SCALAR (uptime, has_stats ? clamp_nonneg (resource->uptime) : 0, PROP_UPTIME);

  if (notify)
    emit_changes (self, &changes);

  return changes.n > 0;
}

PveGuest *
pve_guest_new_from_resource (PveRemote         *remote,
                             const PveResource *resource)
{
  PveGuest *self;
  const char *remote_id;

  g_return_val_if_fail (remote == NULL || PVE_IS_REMOTE (remote), NULL);
  g_return_val_if_fail (resource != NULL, NULL);
  g_return_val_if_fail (resource->type == PVE_RESOURCE_QEMU ||
                        resource->type == PVE_RESOURCE_LXC, NULL);
  g_return_val_if_fail (resource->id != NULL, NULL);

  /* Properties are filled in directly: the list creates thousands of these at once and
   * nobody can be listening yet. */
  self = g_object_new (PVE_TYPE_GUEST, NULL);

  self->remote = remote != NULL ? g_object_ref (remote) : NULL;
  remote_id = remote != NULL ? pve_remote_get_id (remote) : "-";
  self->key = g_strconcat (remote_id, "/", resource->id, NULL);
  self->id = self->key + strlen (remote_id) + 1;
  self->vmid = resource->vmid < 0 ? -1 : resource->vmid;
  self->guest_type = g_intern_static_string (resource->type == PVE_RESOURCE_LXC ? "lxc" : "qemu");
  apply_resource (self, resource, FALSE);
  if (self->display_name == NULL)
    self->display_name = make_display_name (self->name, self->guest_type, self->vmid);

  return self;
}

gboolean
pve_guest_update_from_resource (PveGuest          *self,
                                const PveResource *resource)
{
  g_return_val_if_fail (PVE_IS_GUEST (self), FALSE);
  g_return_val_if_fail (resource != NULL, FALSE);

  return apply_resource (self, resource, TRUE);
}

PveRemote *
pve_guest_get_remote (PveGuest *self)
{
  g_return_val_if_fail (PVE_IS_GUEST (self), NULL);
  return self->remote;
}

const char *
pve_guest_get_remote_name (PveGuest *self)
{
  const char *name = NULL;

  g_return_val_if_fail (PVE_IS_GUEST (self), NULL);

  if (self->remote != NULL)
    name = pve_remote_get_name (self->remote);
  return name != NULL ? name : "";
}

const char *
pve_guest_get_key (PveGuest *self)
{
  g_return_val_if_fail (PVE_IS_GUEST (self), NULL);
  return self->key;
}

const char *
pve_guest_get_id (PveGuest *self)
{
  g_return_val_if_fail (PVE_IS_GUEST (self), NULL);
  return self->id;
}

gint64
pve_guest_get_vmid (PveGuest *self)
{
  g_return_val_if_fail (PVE_IS_GUEST (self), -1);
  return self->vmid;
}

const char *
pve_guest_get_node (PveGuest *self)
{
  g_return_val_if_fail (PVE_IS_GUEST (self), NULL);
  return self->node;
}

const char *
pve_guest_get_guest_type (PveGuest *self)
{
  g_return_val_if_fail (PVE_IS_GUEST (self), NULL);
  return self->guest_type;
}

gboolean
pve_guest_is_qemu (PveGuest *self)
{
  g_return_val_if_fail (PVE_IS_GUEST (self), FALSE);
  return strcmp (self->guest_type, "qemu") == 0;
}

const char *
pve_guest_get_status (PveGuest *self)
{
  g_return_val_if_fail (PVE_IS_GUEST (self), NULL);
  return self->status;
}

const char *
pve_guest_get_name (PveGuest *self)
{
  g_return_val_if_fail (PVE_IS_GUEST (self), NULL);
  return self->name;
}

const char *
pve_guest_get_display_name (PveGuest *self)
{
  g_return_val_if_fail (PVE_IS_GUEST (self), NULL);
  return self->display_name;
}

gboolean
pve_guest_get_template (PveGuest *self)
{
  g_return_val_if_fail (PVE_IS_GUEST (self), FALSE);
  return self->template;
}

const char *
pve_guest_get_tags (PveGuest *self)
{
  g_return_val_if_fail (PVE_IS_GUEST (self), NULL);
  return self->tags;
}

GStrv
pve_guest_dup_tag_list (PveGuest *self)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (PVE_IS_GUEST (self), NULL);

  builder = g_strv_builder_new ();
  if (self->tags != NULL)
    {
      parts = g_strsplit_set (self->tags, ";, ", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        if (parts[i][0] != '\0')
          g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

const char *
pve_guest_get_pool (PveGuest *self)
{
  g_return_val_if_fail (PVE_IS_GUEST (self), NULL);
  return self->pool;
}

const char *
pve_guest_get_lock (PveGuest *self)
{
  g_return_val_if_fail (PVE_IS_GUEST (self), NULL);
  return self->lock;
}

gboolean
pve_guest_get_has_stats (PveGuest *self)
{
  g_return_val_if_fail (PVE_IS_GUEST (self), FALSE);
  return self->has_stats;
}

double
pve_guest_get_cpu (PveGuest *self)
{
  g_return_val_if_fail (PVE_IS_GUEST (self), 0.0);
  return self->cpu;
}

gint64
pve_guest_get_maxcpu (PveGuest *self)
{
  g_return_val_if_fail (PVE_IS_GUEST (self), 0);
  return self->maxcpu;
}

gint64
pve_guest_get_mem (PveGuest *self)
{
  g_return_val_if_fail (PVE_IS_GUEST (self), 0);
  return self->mem;
}

gint64
pve_guest_get_maxmem (PveGuest *self)
{
  g_return_val_if_fail (PVE_IS_GUEST (self), 0);
  return self->maxmem;
}

gint64
pve_guest_get_disk (PveGuest *self)
{
  g_return_val_if_fail (PVE_IS_GUEST (self), 0);
  return self->disk;
}

gint64
pve_guest_get_maxdisk (PveGuest *self)
{
  g_return_val_if_fail (PVE_IS_GUEST (self), 0);
  return self->maxdisk;
}

gint64
pve_guest_get_uptime (PveGuest *self)
{
  g_return_val_if_fail (PVE_IS_GUEST (self), 0);
  return self->uptime;
}

gboolean
pve_guest_get_busy (PveGuest *self)
{
  g_return_val_if_fail (PVE_IS_GUEST (self), FALSE);
  return self->busy;
}

const char *
pve_guest_get_busy_label (PveGuest *self)
{
  g_return_val_if_fail (PVE_IS_GUEST (self), NULL);
  return self->busy_label;
}

void
pve_guest_set_busy (PveGuest   *self,
                    gboolean    busy,
                    const char *label)
{
  Changes changes = { .n = 0 };

  g_return_if_fail (PVE_IS_GUEST (self));

  busy = !!busy;
  if (!busy)
    label = NULL;

  if (self->busy != (guint) busy)
    {
      self->busy = busy;
      changed (&changes, PROP_BUSY);
    }
  if (g_strcmp0 (self->busy_label, label) != 0)
    {
      g_free (self->busy_label);
      self->busy_label = g_strdup (label);
      changed (&changes, PROP_BUSY_LABEL);
    }
  emit_changes (self, &changes);
}

guint
_pve_guest_get_generation (PveGuest *self)
{
  return self->generation;
}

void
_pve_guest_set_generation (PveGuest *self,
                           guint     generation)
{
  self->generation = generation;
}

gboolean
_pve_guest_get_doomed (PveGuest *self)
{
  return self->doomed;
}

void
_pve_guest_set_doomed (PveGuest *self,
                       gboolean  doomed)
{
  self->doomed = !!doomed;
}

void
_pve_guest_notify_remote_name (PveGuest *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMOTE_NAME]);
}

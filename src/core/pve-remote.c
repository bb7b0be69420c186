/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "pve-remote.h"

#include <glib/gi18n-lib.h>

#define DEFAULT_PORT 8006

struct _PveRemote
{
  GObject         parent_instance;

  char           *id;
  char           *name;
  char           *host;
  guint           port;
  char           *user;
  char           *realm;
  PveAuthKind     auth_kind;
  char           *token_id;
  char           *fingerprint;
  gboolean        autoconnect;

  PveRemoteState  state;
  char           *last_error;
};

G_DEFINE_FINAL_TYPE (PveRemote, pve_remote, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_HOST,
  PROP_PORT,
  PROP_USER,
  PROP_REALM,
  PROP_AUTH_KIND,
  PROP_TOKEN_ID,
  PROP_FINGERPRINT,
  PROP_AUTOCONNECT,
  PROP_STATE,
  PROP_LAST_ERROR,
  PROP_CONNECTED,
  PROP_ACCESSIBLE_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GType
pve_remote_state_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { PVE_REMOTE_STATE_DISCONNECTED, "PVE_REMOTE_STATE_DISCONNECTED", "disconnected" },
        { PVE_REMOTE_STATE_CONNECTING, "PVE_REMOTE_STATE_CONNECTING", "connecting" },
        { PVE_REMOTE_STATE_CONNECTED, "PVE_REMOTE_STATE_CONNECTED", "connected" },
        { PVE_REMOTE_STATE_NEEDS_TRUST, "PVE_REMOTE_STATE_NEEDS_TRUST", "needs-trust" },
        { PVE_REMOTE_STATE_NEEDS_CREDENTIALS, "PVE_REMOTE_STATE_NEEDS_CREDENTIALS",
          "needs-credentials" },
        { PVE_REMOTE_STATE_FAILED, "PVE_REMOTE_STATE_FAILED", "failed" },
        { 0, NULL, NULL }
      };
      GType type = g_enum_register_static (g_intern_static_string ("PveRemoteState"), values);
      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

GType
pve_auth_kind_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { PVE_AUTH_KIND_PASSWORD, "PVE_AUTH_KIND_PASSWORD", "password" },
        { PVE_AUTH_KIND_TOKEN, "PVE_AUTH_KIND_TOKEN", "token" },
        { 0, NULL, NULL }
      };
      GType type = g_enum_register_static (g_intern_static_string ("PveAuthKind"), values);
      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

const char *
pve_remote_state_to_label (PveRemoteState state)
{
  switch (state)
    {
    case PVE_REMOTE_STATE_DISCONNECTED:
      return _("Disconnected");
    case PVE_REMOTE_STATE_CONNECTING:
      return _("Connecting…");
    case PVE_REMOTE_STATE_CONNECTED:
      return _("Connected");
    case PVE_REMOTE_STATE_NEEDS_TRUST:
      return _("Certificate not trusted");
    case PVE_REMOTE_STATE_NEEDS_CREDENTIALS:
      return _("Password needed");
    case PVE_REMOTE_STATE_FAILED:
      return _("Failed");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
pve_remote_state_to_icon_name (PveRemoteState state)
{
  switch (state)
    {
    case PVE_REMOTE_STATE_DISCONNECTED:
      return "network-offline-symbolic";
    case PVE_REMOTE_STATE_CONNECTING:
      return "content-loading-symbolic";
    case PVE_REMOTE_STATE_CONNECTED:
      return "network-transmit-receive-symbolic";
    case PVE_REMOTE_STATE_NEEDS_TRUST:
      return "security-low-symbolic";
    case PVE_REMOTE_STATE_NEEDS_CREDENTIALS:
      return "dialog-password-symbolic";
    case PVE_REMOTE_STATE_FAILED:
      return "dialog-error-symbolic";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Replaces *field with a copy of value; TRUE when it changed. */
static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
pve_remote_finalize (GObject *object)
{
  PveRemote *self = (PveRemote *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->realm, g_free);
  g_clear_pointer (&self->token_id, g_free);
  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_pointer (&self->last_error, g_free);

  G_OBJECT_CLASS (pve_remote_parent_class)->finalize (object);
}

static void
pve_remote_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PveRemote *self = PVE_REMOTE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_REALM:
      g_value_set_string (value, self->realm);
      break;
    case PROP_AUTH_KIND:
      g_value_set_enum (value, self->auth_kind);
      break;
    case PROP_TOKEN_ID:
      g_value_set_string (value, self->token_id);
      break;
    case PROP_FINGERPRINT:
      g_value_set_string (value, self->fingerprint);
      break;
    case PROP_AUTOCONNECT:
      g_value_set_boolean (value, self->autoconnect);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_CONNECTED:
      g_value_set_boolean (value, pve_remote_get_connected (self));
      break;
    case PROP_ACCESSIBLE_LABEL:
      g_value_take_string (value, pve_remote_dup_accessible_label (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_remote_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  PveRemote *self = PVE_REMOTE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_assert (self->id == NULL);
      self->id = g_value_dup_string (value);
      break;
    case PROP_NAME:
      pve_remote_set_name (self, g_value_get_string (value));
      break;
    case PROP_HOST:
      pve_remote_set_host (self, g_value_get_string (value));
      break;
    case PROP_PORT:
      pve_remote_set_port (self, g_value_get_uint (value));
      break;
    case PROP_USER:
      pve_remote_set_user (self, g_value_get_string (value));
      break;
    case PROP_REALM:
      pve_remote_set_realm (self, g_value_get_string (value));
      break;
    case PROP_AUTH_KIND:
      pve_remote_set_auth_kind (self, g_value_get_enum (value));
      break;
    case PROP_TOKEN_ID:
      pve_remote_set_token_id (self, g_value_get_string (value));
      break;
    case PROP_FINGERPRINT:
      pve_remote_set_fingerprint (self, g_value_get_string (value));
      break;
    case PROP_AUTOCONNECT:
      pve_remote_set_autoconnect (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_remote_constructed (GObject *object)
{
  PveRemote *self = PVE_REMOTE (object);

  G_OBJECT_CLASS (pve_remote_parent_class)->constructed (object);

  if (self->id == NULL || self->id[0] == '\0')
    {
      g_free (self->id);
      self->id = g_uuid_string_random ();
    }
}

static void
pve_remote_class_init (PveRemoteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pve_remote_finalize;
  object_class->constructed = pve_remote_constructed;
  object_class->get_property = pve_remote_get_property;
  object_class->set_property = pve_remote_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT, DEFAULT_PORT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REALM] =
    g_param_spec_string ("realm", NULL, NULL, "pam",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTH_KIND] =
    g_param_spec_enum ("auth-kind", NULL, NULL, PVE_TYPE_AUTH_KIND, PVE_AUTH_KIND_PASSWORD,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN_ID] =
    g_param_spec_string ("token-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FINGERPRINT] =
    g_param_spec_string ("fingerprint", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTOCONNECT] =
    g_param_spec_boolean ("autoconnect", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, PVE_TYPE_REMOTE_STATE,
                       PVE_REMOTE_STATE_DISCONNECTED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCESSIBLE_LABEL] =
    g_param_spec_string ("accessible-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pve_remote_init (PveRemote *self)
{
  self->port = DEFAULT_PORT;
  self->realm = g_strdup ("pam");
  self->auth_kind = PVE_AUTH_KIND_PASSWORD;
  self->state = PVE_REMOTE_STATE_DISCONNECTED;
}

PveRemote *
pve_remote_new (void)
{
  return g_object_new (PVE_TYPE_REMOTE, NULL);
}

PveRemote *
pve_remote_new_with_id (const char *id)
{
  g_return_val_if_fail (id != NULL && id[0] != '\0', NULL);

  return g_object_new (PVE_TYPE_REMOTE, "id", id, NULL);
}

PveRemote *
pve_remote_dup_config (PveRemote *self)
{
  PveRemote *copy;

  g_return_val_if_fail (PVE_IS_REMOTE (self), NULL);

  copy = pve_remote_new_with_id (self->id);
  pve_remote_apply_config (copy, self);
  return copy;
}

void
pve_remote_apply_config (PveRemote *self,
                         PveRemote *other)
{
  g_return_if_fail (PVE_IS_REMOTE (self));
  g_return_if_fail (PVE_IS_REMOTE (other));

  g_object_freeze_notify (G_OBJECT (self));
  pve_remote_set_name (self, other->name);
  pve_remote_set_host (self, other->host);
  pve_remote_set_port (self, other->port);
  pve_remote_set_user (self, other->user);
  pve_remote_set_realm (self, other->realm);
  pve_remote_set_auth_kind (self, other->auth_kind);
  pve_remote_set_token_id (self, other->token_id);
  pve_remote_set_fingerprint (self, other->fingerprint);
  pve_remote_set_autoconnect (self, other->autoconnect);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
pve_remote_get_id (PveRemote *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE (self), NULL);
  return self->id;
}

const char *
pve_remote_get_name (PveRemote *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE (self), NULL);
  return self->name;
}

void
pve_remote_set_name (PveRemote  *self,
                     const char *name)
{
  g_return_if_fail (PVE_IS_REMOTE (self));

  if (set_string (&self->name, name))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCESSIBLE_LABEL]);
    }
}

const char *
pve_remote_get_host (PveRemote *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE (self), NULL);
  return self->host;
}

void
pve_remote_set_host (PveRemote  *self,
                     const char *host)
{
  g_return_if_fail (PVE_IS_REMOTE (self));

  if (set_string (&self->host, host))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST]);
      if (self->name == NULL || self->name[0] == '\0')
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCESSIBLE_LABEL]);
    }
}

guint
pve_remote_get_port (PveRemote *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE (self), 0);
  return self->port;
}

void
pve_remote_set_port (PveRemote *self,
                     guint      port)
{
  g_return_if_fail (PVE_IS_REMOTE (self));

  if (self->port != port)
    {
      self->port = port;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
    }
}

const char *
pve_remote_get_user (PveRemote *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE (self), NULL);
  return self->user;
}

void
pve_remote_set_user (PveRemote  *self,
                     const char *user)
{
  g_return_if_fail (PVE_IS_REMOTE (self));

  if (set_string (&self->user, user))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}

const char *
pve_remote_get_realm (PveRemote *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE (self), NULL);
  return self->realm;
}

void
pve_remote_set_realm (PveRemote  *self,
                      const char *realm)
{
  g_return_if_fail (PVE_IS_REMOTE (self));

  if (set_string (&self->realm, realm))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REALM]);
}

char *
pve_remote_dup_userid (PveRemote *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE (self), NULL);

  return g_strdup_printf ("%s@%s", self->user ? self->user : "", self->realm ? self->realm : "");
}

PveAuthKind
pve_remote_get_auth_kind (PveRemote *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE (self), PVE_AUTH_KIND_PASSWORD);
  return self->auth_kind;
}

void
pve_remote_set_auth_kind (PveRemote   *self,
                          PveAuthKind  kind)
{
  g_return_if_fail (PVE_IS_REMOTE (self));
  g_return_if_fail (kind == PVE_AUTH_KIND_PASSWORD || kind == PVE_AUTH_KIND_TOKEN);

  if (self->auth_kind != kind)
    {
      self->auth_kind = kind;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH_KIND]);
    }
}

const char *
pve_remote_get_token_id (PveRemote *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE (self), NULL);
  return self->token_id;
}

void
pve_remote_set_token_id (PveRemote  *self,
                         const char *token_id)
{
  g_return_if_fail (PVE_IS_REMOTE (self));

  if (set_string (&self->token_id, token_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN_ID]);
}

char *
pve_remote_dup_full_token_id (PveRemote *self)
{
  g_autofree char *userid = NULL;

  g_return_val_if_fail (PVE_IS_REMOTE (self), NULL);

  userid = pve_remote_dup_userid (self);
  return g_strdup_printf ("%s!%s", userid, self->token_id ? self->token_id : "");
}

const char *
pve_remote_get_fingerprint (PveRemote *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE (self), NULL);
  return self->fingerprint;
}

void
pve_remote_set_fingerprint (PveRemote  *self,
                            const char *fingerprint)
{
  g_return_if_fail (PVE_IS_REMOTE (self));

  if (fingerprint != NULL && fingerprint[0] == '\0')
    fingerprint = NULL;

  if (set_string (&self->fingerprint, fingerprint))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINGERPRINT]);
}

gboolean
pve_remote_get_autoconnect (PveRemote *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE (self), FALSE);
  return self->autoconnect;
}

void
pve_remote_set_autoconnect (PveRemote *self,
                            gboolean   autoconnect)
{
  g_return_if_fail (PVE_IS_REMOTE (self));

  autoconnect = !!autoconnect;
  if (self->autoconnect != autoconnect)
    {
      self->autoconnect = autoconnect;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTOCONNECT]);
    }
}

PveRemoteState
pve_remote_get_state (PveRemote *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE (self), PVE_REMOTE_STATE_DISCONNECTED);
  return self->state;
}

gboolean
pve_remote_get_connected (PveRemote *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE (self), FALSE);
  return self->state == PVE_REMOTE_STATE_CONNECTED;
}

const char *
pve_remote_get_last_error (PveRemote *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE (self), NULL);
  return self->last_error;
}

char *
pve_remote_dup_accessible_label (PveRemote *self)
{
  const char *name;
  const char *status;

  g_return_val_if_fail (PVE_IS_REMOTE (self), NULL);

  name = self->name != NULL && self->name[0] != '\0' ? self->name : self->host;
  if (name == NULL)
    name = "";

  /* A failure reads best in its own words ("Connection lost: …"). */
  if (self->state == PVE_REMOTE_STATE_FAILED && self->last_error != NULL)
    status = self->last_error;
  else
    status = pve_remote_state_to_label (self->state);

  /* TRANSLATORS: accessible name of a remote row: "<remote name>, <status>" */
  return g_strdup_printf (_("%s, %s"), name, status);
}

void
_pve_remote_set_state (PveRemote      *self,
                       PveRemoteState  state,
                       const char     *last_error)
{
  gboolean was_connected;
  gboolean state_changed;
  gboolean error_changed;

  g_return_if_fail (PVE_IS_REMOTE (self));

  was_connected = pve_remote_get_connected (self);
  state_changed = self->state != state;
  self->state = state;
  error_changed = set_string (&self->last_error, last_error);

  if (!state_changed && !error_changed)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (error_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
  if (state_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (was_connected != pve_remote_get_connected (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCESSIBLE_LABEL]);
  g_object_thaw_notify (G_OBJECT (self));
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "pve-api-private.h"
#include "pve-client.h"

/* json-glib's parser recurses once per nesting level: refuse absurd nesting before it runs so
 * a hostile body cannot exhaust the stack. Real answers nest less than 10 levels. */
#define PVE_JSON_MAX_DEPTH 256

static void
wipe_free (char *s)
{
  if (s == NULL)
    return;
  explicit_bzero (s, strlen (s));
  g_free (s);
}

static gboolean
nesting_is_sane (const char *body,
                 gsize       length)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = body[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > PVE_JSON_MAX_DEPTH)
            return FALSE;
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }

  return TRUE;
}

static JsonNode *
parse_body (const char  *body,
            gsize        length,
            GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (body == NULL || length == 0)
    {
      g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE,
                           _("The server sent an empty answer"));
      return NULL;
    }

  if (length > G_MAXSSIZE)
    length = G_MAXSSIZE;

  if (!nesting_is_sane (body, length))
    {
      g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE,
                           _("The server’s answer is nested too deeply to be read"));
      return NULL;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, body, (gssize) length, &local_error))
    {
      g_set_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE,
                   _("The server’s answer is not valid JSON: %s"), local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE,
                           _("The server sent an empty answer"));
      return NULL;
    }

  return json_node_ref (root);
}

/* ---- Envelope ------------------------------------------------------------------------------ */

JsonNode *
pve_api_unwrap_envelope (const char  *body,
                         gsize        length,
                         gint64      *total,
                         GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *data;
  gint64 t = -1;

  if (total != NULL)
    *total = -1;

  root = parse_body (body, length, error);
  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE,
                           _("The server’s answer is not a Proxmox VE API response"));
      return NULL;
    }

  object = json_node_get_object (root);
  data = json_object_get_member (object, "data");
  if (data == NULL)
    {
      g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE,
                           _("The server’s answer has no data"));
      return NULL;
    }

  if (total != NULL && pve_json_get_int (object, "total", &t) && t >= 0)
    *total = t;

  /* The inner node is returned as is: a `data` member inside it is the payload's own. */
  return json_node_copy (data);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

char *
pve_api_error_message (const char *body,
                       gsize       length)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) str = NULL;
  JsonObject *object;
  JsonNode *errors;
  const char *message;

  if (body == NULL || length == 0)
    return NULL;

  root = parse_body (body, length, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  object = json_node_get_object (root);
  str = g_string_new (NULL);

  message = pve_json_get_string (object, "message");
  if (message != NULL)
    {
      g_autofree char *copy = g_strstrip (g_strdup (message));
      g_string_append (str, copy);
    }

  errors = json_object_get_member (object, "errors");
  if (errors != NULL && JSON_NODE_HOLDS_OBJECT (errors))
    {
      JsonObject *eobj = json_node_get_object (errors);
      g_autoptr(GList) members = json_object_get_members (eobj);
      g_autoptr(GPtrArray) names = g_ptr_array_new ();

      for (GList *l = members; l != NULL; l = l->next)
        g_ptr_array_add (names, l->data);
      g_ptr_array_sort (names, compare_strings);

      for (guint i = 0; i < names->len; i++)
        {
          const char *name = g_ptr_array_index (names, i);
          JsonNode *value = json_object_get_member (eobj, name);
          g_autofree char *text = NULL;

          if (value == NULL)
            continue;
          if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
            text = g_strdup (json_node_get_string (value));
          else
            text = json_to_string (value, FALSE);
          g_strstrip (text);

          if (str->len > 0)
            g_string_append (str, i == 0 ? " " : "; ");
          g_string_append_printf (str, "%s: %s", name, text);
        }
    }
  else if (errors != NULL && JSON_NODE_HOLDS_VALUE (errors)
           && json_node_get_value_type (errors) == G_TYPE_STRING)
    {
      g_autofree char *copy = g_strstrip (g_strdup (json_node_get_string (errors)));
      if (*copy != '\0')
        {
          if (str->len > 0)
            g_string_append_c (str, ' ');
          g_string_append (str, copy);
        }
    }

  g_strstrip (str->str);
  if (str->str[0] == '\0')
    return NULL;

  return g_strdup (str->str);
}

/* ---- Tolerant member access ------------------------------------------------------------------ */

/* A scalar member, from a JsonNode or from the resource scanner below: both go through the same
 * conversions. */
typedef enum
{
  VALUE_MISSING,
  VALUE_INT,
  VALUE_DOUBLE,
  VALUE_BOOL,
  VALUE_STRING,
  VALUE_OTHER,      /* null, an object or an array: present, but no value */
} ValueKind;

typedef struct
{
  ValueKind   kind;
  gint64      i;
  double      d;
  gboolean    b;
  const char *s;
} Value;

static Value
value_from_node (JsonNode *node)
{
  Value v = { VALUE_MISSING, 0, 0.0, FALSE, NULL };

  if (node == NULL)
    return v;
  v.kind = VALUE_OTHER;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return v;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      v.kind = VALUE_INT;
      v.i = json_node_get_int (node);
      break;
    case G_TYPE_DOUBLE:
      v.kind = VALUE_DOUBLE;
      v.d = json_node_get_double (node);
      break;
    case G_TYPE_BOOLEAN:
      v.kind = VALUE_BOOL;
      v.b = json_node_get_boolean (node);
      break;
    case G_TYPE_STRING:
      v.kind = VALUE_STRING;
      v.s = json_node_get_string (node);
      if (v.s == NULL)
        v.kind = VALUE_OTHER;
      break;
    default:
      break;
    }
  return v;
}

static Value
member_value (JsonObject *object,
              const char *member)
{
  if (object == NULL || member == NULL)
    return value_from_node (NULL);
  return value_from_node (json_object_get_member (object, member));
}

static gboolean
parse_number_string (const char *s,
                     double     *out)
{
  g_autofree char *copy = NULL;
  char *end = NULL;
  double v;

  if (s == NULL)
    return FALSE;
  copy = g_strstrip (g_strdup (s));
  if (*copy == '\0')
    return FALSE;
  /* Only plain decimal numbers: no hex, no inf/nan. */
  for (const char *p = copy; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && *p != '.' && *p != '-' && *p != '+' && *p != 'e' && *p != 'E')
      return FALSE;
  v = g_ascii_strtod (copy, &end);
  if (end == copy || *end != '\0' || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

static gint64
double_to_int64 (double v)
{
  if (isnan (v))
    return 0;
  if (v >= 9.2233720368547758e18)
    return G_MAXINT64;
  if (v <= -9.2233720368547758e18)
    return G_MININT64;
  return (gint64) v;
}

static gboolean
value_get_int (const Value *value,
               gint64      *out)
{
  gint64 v;

  switch (value->kind)
    {
    case VALUE_INT:
      v = value->i;
      break;
    case VALUE_DOUBLE:
      v = double_to_int64 (value->d);
      break;
    case VALUE_BOOL:
      v = value->b ? 1 : 0;
      break;
    case VALUE_STRING:
      {
        g_autofree char *copy = g_strstrip (g_strdup (value->s));
        char *end = NULL;
        double d;

        if (*copy == '\0')
          return FALSE;
        /* Integers exactly when they fit, else through double. */
        if (g_ascii_isdigit (copy[0]) || ((copy[0] == '-' || copy[0] == '+') && g_ascii_isdigit (copy[1])))
          {
            gint64 i;
            errno = 0;
            i = g_ascii_strtoll (copy, &end, 10);
            if (end != copy && *end == '\0' && errno == 0)
              {
                v = i;
                break;
              }
          }
        if (!parse_number_string (copy, &d))
          return FALSE;
        v = double_to_int64 (d);
      }
      break;
    case VALUE_MISSING:
    case VALUE_OTHER:
    default:
      return FALSE;
    }

  if (out != NULL)
    *out = v;
  return TRUE;
}

static gboolean
value_get_double (const Value *value,
                  double      *out)
{
  double v;

  switch (value->kind)
    {
    case VALUE_INT:
      v = (double) value->i;
      break;
    case VALUE_DOUBLE:
      v = value->d;
      if (!isfinite (v))
        return FALSE;
      break;
    case VALUE_BOOL:
      v = value->b ? 1.0 : 0.0;
      break;
    case VALUE_STRING:
      if (!parse_number_string (value->s, &v))
        return FALSE;
      break;
    case VALUE_MISSING:
    case VALUE_OTHER:
    default:
      return FALSE;
    }

  if (out != NULL)
    *out = v;
  return TRUE;
}

static gboolean
value_get_bool (const Value *value,
                gboolean    *out)
{
  gboolean v;

  switch (value->kind)
    {
    case VALUE_BOOL:
      v = value->b;
      break;
    case VALUE_INT:
      v = value->i != 0;
      break;
    case VALUE_DOUBLE:
      v = value->d != 0.0;
      break;
    case VALUE_STRING:
      {
        g_autofree char *copy = g_strstrip (g_strdup (value->s));

        if (g_str_equal (copy, "1") || g_ascii_strcasecmp (copy, "true") == 0
            || g_ascii_strcasecmp (copy, "yes") == 0 || g_ascii_strcasecmp (copy, "on") == 0)
          v = TRUE;
        else if (g_str_equal (copy, "0") || g_ascii_strcasecmp (copy, "false") == 0
                 || g_ascii_strcasecmp (copy, "no") == 0 || g_ascii_strcasecmp (copy, "off") == 0)
          v = FALSE;
        else
          return FALSE;
      }
      break;
    case VALUE_MISSING:
    case VALUE_OTHER:
    default:
      return FALSE;
    }

  if (out != NULL)
    *out = v;
  return TRUE;
}

static const char *
value_get_string (const Value *value)
{
  return value->kind == VALUE_STRING ? value->s : NULL;
}

gboolean
pve_json_get_int (JsonObject *object,
                  const char *member,
                  gint64     *out)
{
  Value value = member_value (object, member);

  return value_get_int (&value, out);
}

gboolean
pve_json_get_double (JsonObject *object,
                     const char *member,
                     double     *out)
{
  Value value = member_value (object, member);

  return value_get_double (&value, out);
}

gboolean
pve_json_get_bool (JsonObject *object,
                   const char *member,
                   gboolean   *out)
{
  Value value = member_value (object, member);

  return value_get_bool (&value, out);
}

const char *
pve_json_get_string (JsonObject *object,
                     const char *member)
{
  Value value = member_value (object, member);

  return value_get_string (&value);
}

static char *
dup_string (JsonObject *object,
            const char *member)
{
  return g_strdup (pve_json_get_string (object, member));
}

/* ---- Login ------------------------------------------------------------------------------------ */

static gboolean
tfa_value_offers_method (JsonNode *value)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return FALSE;
  if (JSON_NODE_HOLDS_ARRAY (value))
    return json_array_get_length (json_node_get_array (value)) > 0;
  if (JSON_NODE_HOLDS_OBJECT (value))
    return TRUE;
  switch (json_node_get_value_type (value))
    {
    case G_TYPE_BOOLEAN:
      return json_node_get_boolean (value);
    case G_TYPE_INT64:
      return json_node_get_int (value) != 0;
    case G_TYPE_DOUBLE:
      return json_node_get_double (value) != 0.0;
    case G_TYPE_STRING:
      return json_node_get_string (value)[0] != '\0';
    default:
      return FALSE;
    }
}

static char **
parse_tfa_methods (const char *ticket)
{
  static const char * const preferred[] = { "totp", "recovery", "webauthn", "yubico", "u2f" };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *escaped = NULL;
  g_autofree char *challenge = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) members = NULL;
  const char *start;
  const char *end;
  JsonObject *object;

  if (ticket == NULL || !g_str_has_prefix (ticket, "PVE:!tfa!"))
    return g_strv_builder_end (builder);

  start = ticket + strlen ("PVE:!tfa!");
  end = strchr (start, ':');
  if (end == NULL)
    return g_strv_builder_end (builder);

  escaped = g_strndup (start, end - start);
  challenge = g_uri_unescape_string (escaped, NULL);
  if (challenge == NULL)
    return g_strv_builder_end (builder);

  root = parse_body (challenge, strlen (challenge), NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return g_strv_builder_end (builder);

  object = json_node_get_object (root);
  for (guint i = 0; i < G_N_ELEMENTS (preferred); i++)
    if (tfa_value_offers_method (json_object_get_member (object, preferred[i])))
      g_strv_builder_add (builder, preferred[i]);

  members = json_object_get_members (object);
  members = g_list_sort (members, (GCompareFunc) g_strcmp0);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (preferred); i++)
        known |= g_str_equal (name, preferred[i]);
      if (!known && tfa_value_offers_method (json_object_get_member (object, name)))
        g_strv_builder_add (builder, name);
    }

  return g_strv_builder_end (builder);
}

gboolean
pve_api_parse_login (JsonNode      *data,
                     PveLoginInfo  *out,
                     GError       **error)
{
  JsonObject *object;
  JsonNode *cap;
  const char *ticket;
  gboolean need_tfa = FALSE;

  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);

  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    {
      g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE,
                           _("The server’s login answer is not an object"));
      return FALSE;
    }

  object = json_node_get_object (data);
  ticket = pve_json_get_string (object, "ticket");
  if (ticket == NULL || *ticket == '\0')
    {
      g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE,
                           _("The server’s login answer has no ticket"));
      return FALSE;
    }

  pve_json_get_bool (object, "NeedTFA", &need_tfa);
  if (!need_tfa && g_str_has_prefix (ticket, "PVE:!tfa!"))
    need_tfa = TRUE;

  if (!need_tfa && pve_json_get_string (object, "CSRFPreventionToken") == NULL)
    {
      g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE,
                           _("The server’s login answer has no CSRF prevention token"));
      return FALSE;
    }

  out->username = dup_string (object, "username");
  out->ticket = g_strdup (ticket);
  out->csrf_token = dup_string (object, "CSRFPreventionToken");
  out->clustername = dup_string (object, "clustername");
  out->need_tfa = need_tfa;

  cap = json_object_get_member (object, "cap");
  if (cap != NULL && JSON_NODE_HOLDS_OBJECT (cap))
    out->cap = json_object_ref (json_node_get_object (cap));

  if (need_tfa)
    out->tfa_methods = parse_tfa_methods (ticket);

  return TRUE;
}

void
pve_login_info_clear (PveLoginInfo *info)
{
  if (info == NULL)
    return;

  g_clear_pointer (&info->username, g_free);
  g_clear_pointer (&info->ticket, wipe_free);
  g_clear_pointer (&info->csrf_token, wipe_free);
  g_clear_pointer (&info->clustername, g_free);
  g_clear_pointer (&info->cap, json_object_unref);
  g_clear_pointer (&info->tfa_methods, g_strfreev);
  info->need_tfa = FALSE;
}

static gboolean
parse_hex (const char *s,
           gsize       len,
           guint       max_digits,
           guint64    *out)
{
  guint64 v = 0;

  if (len == 0 || len > max_digits)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      int d = g_ascii_xdigit_value (s[i]);
      if (d < 0)
        return FALSE;
      v = (v << 4) | (guint64) d;
    }
  *out = v;
  return TRUE;
}

gint64
pve_api_ticket_timestamp (const char *ticket)
{
  const char *sep;
  const char *start;
  guint64 v;

  if (ticket == NULL || !g_str_has_prefix (ticket, "PVE:"))
    return -1;

  /* "PVE:<user>:<HEX>::<signature>": the signature is base64 and has no ':'. */
  sep = g_strrstr (ticket, "::");
  if (sep == NULL || sep <= ticket + 4)
    return -1;

  start = sep;
  while (start > ticket && start[-1] != ':')
    start--;
  if (start <= ticket + 4)
    return -1;

  if (!parse_hex (start, sep - start, 15, &v))
    return -1;

  return (gint64) v;
}

/* ---- UPID and tasks ---------------------------------------------------------------------------- */

gboolean
pve_upid_parse (const char  *upid,
                PveUpid     *out,
                GError     **error)
{
  g_auto(GStrv) fields = NULL;
  guint n;
  guint64 pid, pstart, starttime;

  g_return_val_if_fail (out != NULL, FALSE);
  memset (out, 0, sizeof *out);

  if (upid == NULL || !g_str_has_prefix (upid, "UPID:"))
    goto invalid;

  fields = g_strsplit (upid, ":", -1);
  n = g_strv_length (fields);
  /* 8 fields, plus an empty one after the usual trailing colon. */
  if (n == 9 && fields[8][0] == '\0')
    n = 8;
  if (n != 8)
    goto invalid;

  if (fields[1][0] == '\0' || fields[5][0] == '\0' || fields[7][0] == '\0')
    goto invalid;
  if (!parse_hex (fields[2], strlen (fields[2]), 8, &pid)
      || !parse_hex (fields[3], strlen (fields[3]), 8, &pstart)
      || !parse_hex (fields[4], strlen (fields[4]), 15, &starttime))
    goto invalid;

  out->node = g_strdup (fields[1]);
  out->pid = (guint32) pid;
  out->pstart = (guint32) pstart;
  out->starttime = (gint64) starttime;
  out->type = g_strdup (fields[5]);
  out->id = g_strdup (fields[6]);
  out->user = g_strdup (fields[7]);
  return TRUE;

invalid:
  g_set_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE,
               _("“%s” is not a valid task identifier (UPID)"), upid ? upid : "");
  return FALSE;
}

void
pve_upid_clear (PveUpid *upid)
{
  if (upid == NULL)
    return;
  g_clear_pointer (&upid->node, g_free);
  g_clear_pointer (&upid->type, g_free);
  g_clear_pointer (&upid->id, g_free);
  g_clear_pointer (&upid->user, g_free);
  upid->pid = 0;
  upid->pstart = 0;
  upid->starttime = 0;
}

gboolean
pve_api_parse_task_status (JsonNode       *data,
                           PveTaskStatus  *out,
                           GError        **error)
{
  JsonObject *object;
  const char *status;
  const char *exitstatus;
  PveUpid upid = { 0 };
  gboolean have_upid = FALSE;
  gint64 v;

  g_return_val_if_fail (out != NULL, FALSE);
  memset (out, 0, sizeof *out);
  out->starttime = -1;
  out->endtime = -1;

  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    {
      g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE,
                           _("The server’s task status is not an object"));
      return FALSE;
    }

  object = json_node_get_object (data);
  status = pve_json_get_string (object, "status");
  exitstatus = pve_json_get_string (object, "exitstatus");

  if (status == NULL && exitstatus == NULL)
    {
      g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE,
                           _("The server’s task status does not say whether the task is running"));
      return FALSE;
    }

  out->upid = dup_string (object, "upid");
  if (out->upid != NULL)
    have_upid = pve_upid_parse (out->upid, &upid, NULL);

  out->node = dup_string (object, "node");
  out->type = dup_string (object, "type");
  out->id = dup_string (object, "id");
  out->user = dup_string (object, "user");
  if (have_upid)
    {
      if (out->node == NULL)
        out->node = g_strdup (upid.node);
      if (out->type == NULL)
        out->type = g_strdup (upid.type);
      if (out->id == NULL)
        out->id = g_strdup (upid.id);
      if (out->user == NULL)
        out->user = g_strdup (upid.user);
    }

  if (pve_json_get_int (object, "starttime", &v))
    out->starttime = v;
  else if (have_upid)
    out->starttime = upid.starttime;
  if (pve_json_get_int (object, "endtime", &v))
    out->endtime = v;

  if (g_strcmp0 (status, "running") == 0)
    {
      out->running = TRUE;
    }
  else
    {
      out->running = FALSE;
      if (exitstatus != NULL)
        out->exitstatus = g_strdup (exitstatus);
      else if (status != NULL && !g_str_equal (status, "stopped"))
        /* Task lists put the exit status in `status`. */
        out->exitstatus = g_strdup (status);
      else
        out->exitstatus = g_strdup (_("unknown"));
    }

  pve_upid_clear (&upid);
  return TRUE;
}

void
pve_task_status_clear (PveTaskStatus *status)
{
  if (status == NULL)
    return;
  g_clear_pointer (&status->upid, g_free);
  g_clear_pointer (&status->node, g_free);
  g_clear_pointer (&status->type, g_free);
  g_clear_pointer (&status->id, g_free);
  g_clear_pointer (&status->user, g_free);
  g_clear_pointer (&status->exitstatus, g_free);
  status->running = FALSE;
  status->starttime = -1;
  status->endtime = -1;
}

gboolean
pve_task_exitstatus_is_ok (const char *exitstatus)
{
  if (exitstatus == NULL)
    return FALSE;
  return g_str_equal (exitstatus, "OK") || g_str_has_prefix (exitstatus, "WARNINGS:");
}

typedef struct
{
  gint64 n;
  guint  index;
  char  *text;
} LogLine;

static int
compare_log_lines (gconstpointer a,
                   gconstpointer b)
{
  const LogLine *la = a;
  const LogLine *lb = b;

  if (la->n != lb->n)
    return la->n < lb->n ? -1 : 1;
  if (la->index != lb->index)
    return la->index < lb->index ? -1 : 1;
  return 0;
}

GPtrArray *
pve_api_parse_log_lines (JsonNode  *data,
                         gint64    *first_n,
                         GError   **error)
{
  g_autoptr(GArray) lines = NULL;
  GPtrArray *result;
  JsonArray *array;
  guint len;
  gint64 smallest = -1;
  gboolean have_smallest = FALSE;

  if (first_n != NULL)
    *first_n = -1;

  if (data == NULL || !JSON_NODE_HOLDS_ARRAY (data))
    {
      g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE,
                           _("The server’s log is not a list of lines"));
      return NULL;
    }

  array = json_node_get_array (data);
  len = json_array_get_length (array);
  lines = g_array_sized_new (FALSE, FALSE, sizeof (LogLine), len);

  for (guint i = 0; i < len; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;
      const char *text;
      LogLine line;
      gint64 n;

      if (element == NULL || !JSON_NODE_HOLDS_OBJECT (element))
        continue;
      object = json_node_get_object (element);
      text = pve_json_get_string (object, "t");
      if (!pve_json_get_int (object, "n", &n))
        {
          if (text == NULL)
            continue;
          n = G_MAXINT64;
        }
      else if (!have_smallest || n < smallest)
        {
          smallest = n;
          have_smallest = TRUE;
        }

      line.n = n;
      line.index = i;
      line.text = (char *) (text ? text : "");
      g_array_append_val (lines, line);
    }

  g_array_sort (lines, compare_log_lines);

  result = g_ptr_array_new_full (lines->len, g_free);
  for (guint i = 0; i < lines->len; i++)
    g_ptr_array_add (result, g_strdup (g_array_index (lines, LogLine, i).text));

  if (first_n != NULL)
    *first_n = have_smallest ? smallest : -1;

  return result;
}

/* ---- /cluster/resources ------------------------------------------------------------------------- */

void
pve_resource_free (PveResource *resource)
{
  if (resource == NULL)
    return;
  g_free (resource->id);
  g_free (resource->node);
  g_free (resource->status);
  g_free (resource->name);
  g_free (resource->tags);
  g_free (resource->pool);
  g_free (resource->lock);
  g_free (resource->hastate);
  g_free (resource->storage);
  g_free (resource);
}

static PveResourceType
resource_type_from_string (const char *type)
{
  if (type == NULL)
    return PVE_RESOURCE_OTHER;
  if (g_str_equal (type, "qemu"))
    return PVE_RESOURCE_QEMU;
  if (g_str_equal (type, "lxc"))
    return PVE_RESOURCE_LXC;
  if (g_str_equal (type, "node"))
    return PVE_RESOURCE_NODE;
  if (g_str_equal (type, "storage"))
    return PVE_RESOURCE_STORAGE;
  if (g_str_equal (type, "pool"))
    return PVE_RESOURCE_POOL;
  return PVE_RESOURCE_OTHER;
}

/* The members of a resource that are read, in the order of resource_members. */
typedef enum
{
  R_TYPE, R_ID, R_NODE, R_VMID, R_STATUS, R_NAME, R_TAGS, R_POOL, R_LOCK, R_HASTATE, R_STORAGE,
  R_TEMPLATE, R_CPU, R_MAXCPU, R_MEM, R_MAXMEM, R_DISK, R_MAXDISK, R_UPTIME, R_NETIN, R_NETOUT,
  N_RESOURCE_MEMBERS
} ResourceMember;

static const char * const resource_members[N_RESOURCE_MEMBERS] = {
  "type", "id", "node", "vmid", "status", "name", "tags", "pool", "lock", "hastate", "storage",
  "template", "cpu", "maxcpu", "mem", "maxmem", "disk", "maxdisk", "uptime", "netin", "netout",
};

static gint64
int_or (const Value *value,
        gint64       fallback)
{
  gint64 v;
  return value_get_int (value, &v) ? v : fallback;
}

static char *
dup_value_string (const Value *value)
{
  return g_strdup (value_get_string (value));
}

static PveResource *
parse_resource (const Value *m)
{
  g_autoptr(PveResource) r = g_new0 (PveResource, 1);
  const char *type_str = value_get_string (&m[R_TYPE]);
  const char *id = value_get_string (&m[R_ID]);
  const char *status;
  double cpu;

  r->type = resource_type_from_string (type_str);
  r->vmid = -1;
  r->node = dup_value_string (&m[R_NODE]);

  if (r->type == PVE_RESOURCE_QEMU || r->type == PVE_RESOURCE_LXC)
    {
      gint64 vmid;

      if (!value_get_int (&m[R_VMID], &vmid))
        {
          const char *slash = id ? strchr (id, '/') : NULL;
          char *end = NULL;

          if (slash == NULL || !g_ascii_isdigit (slash[1]))
            return NULL;
          vmid = g_ascii_strtoll (slash + 1, &end, 10);
          if (*end != '\0')
            return NULL;
        }
      if (vmid < 0)
        return NULL;
      r->vmid = vmid;
      r->id = id ? g_strdup (id) : g_strdup_printf ("%s/%" G_GINT64_FORMAT, type_str, vmid);
    }
  else if (r->type == PVE_RESOURCE_NODE)
    {
      if (r->node == NULL && id != NULL && g_str_has_prefix (id, "node/") && id[5] != '\0')
        r->node = g_strdup (id + 5);
      if (r->node == NULL)
        return NULL;
      r->id = id ? g_strdup (id) : g_strdup_printf ("node/%s", r->node);
    }
  else
    {
      if (id == NULL || *id == '\0')
        return NULL;
      r->id = g_strdup (id);
    }

  status = value_get_string (&m[R_STATUS]);
  r->status = g_strdup (status && *status ? status : "unknown");
  r->name = dup_value_string (&m[R_NAME]);
  r->tags = dup_value_string (&m[R_TAGS]);
  r->pool = dup_value_string (&m[R_POOL]);
  r->lock = dup_value_string (&m[R_LOCK]);
  r->hastate = dup_value_string (&m[R_HASTATE]);
  r->storage = dup_value_string (&m[R_STORAGE]);
  if (r->type == PVE_RESOURCE_POOL && r->pool == NULL && g_str_has_prefix (r->id, "/pool/"))
    r->pool = g_strdup (r->id + strlen ("/pool/"));
  value_get_bool (&m[R_TEMPLATE], &r->template);

  /* Present at all (even null) means the guest's node reports stats. */
  r->has_stats = FALSE;
  for (guint i = R_CPU; i <= R_NETOUT; i++)
    if (m[i].kind != VALUE_MISSING)
      r->has_stats = TRUE;

  if (value_get_double (&m[R_CPU], &cpu))
    r->cpu = CLAMP (cpu, 0.0, 1.0);
  r->maxcpu = int_or (&m[R_MAXCPU], 0);
  r->mem = int_or (&m[R_MEM], 0);
  r->maxmem = int_or (&m[R_MAXMEM], 0);
  r->disk = int_or (&m[R_DISK], 0);
  r->maxdisk = int_or (&m[R_MAXDISK], 0);
  r->uptime = int_or (&m[R_UPTIME], 0);
  r->netin = int_or (&m[R_NETIN], 0);
  r->netout = int_or (&m[R_NETOUT], 0);

  return g_steal_pointer (&r);
}

GPtrArray *
pve_api_parse_resources (JsonNode  *data,
                         GError   **error)
{
  GPtrArray *result;
  JsonArray *array;
  guint len;

  if (data == NULL || !JSON_NODE_HOLDS_ARRAY (data))
    {
      g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE,
                           _("The server’s resource list is not a list"));
      return NULL;
    }

  array = json_node_get_array (data);
  len = json_array_get_length (array);
  result = g_ptr_array_new_full (len, (GDestroyNotify) pve_resource_free);

  for (guint i = 0; i < len; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      Value members[N_RESOURCE_MEMBERS];
      PveResource *r;

      if (element == NULL || !JSON_NODE_HOLDS_OBJECT (element))
        continue;
      for (guint m = 0; m < N_RESOURCE_MEMBERS; m++)
        members[m] = member_value (json_node_get_object (element), resource_members[m]);
      r = parse_resource (members);
      if (r != NULL)
        g_ptr_array_add (result, r);
    }

  return result;
}

/* ---- /cluster/resources straight from the body ------------------------------------------------ */

/* A big cluster answers /cluster/resources with megabytes of JSON every few seconds. Building
 * a JsonNode tree of it (a hash table per resource, a node per member) took most of a refresh's
 * time and left tens of megabytes behind in GLib's slice allocator. The scanner below reads
 * strict JSON (RFC 8259) once and keeps only the members above; anything else is checked and
 * skipped. The values go through the same conversions as pve_json_get_*(). Whatever it does
 * not take (json-glib also takes single quotes, comments, hex numbers...) goes the JsonNode
 * way, so the result and the error are always those of that way; test-api and fuzz-resources
 * check that both ways agree. */

typedef struct
{
  const char *p;
  const char *end;
  GString    *buf;       /* unescaped strings */
  GStringChunk *strings; /* the strings of the resource being read */
  const char *problem;
} Scanner;

static void
scan_space (Scanner *sc)
{
  while (sc->p < sc->end && (*sc->p == ' ' || *sc->p == '\n' || *sc->p == '\r' || *sc->p == '\t'))
    sc->p++;
}

static gboolean
scan_fail (Scanner    *sc,
           const char *problem)
{
  if (sc->problem == NULL)
    sc->problem = problem;
  return FALSE;
}

static gboolean
scan_char (Scanner *sc,
           char     c)
{
  scan_space (sc);
  if (sc->p >= sc->end || *sc->p != c)
    return scan_fail (sc, "unexpected character");
  sc->p++;
  return TRUE;
}

static int
hex_digit (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
scan_hex4 (Scanner  *sc,
           gunichar *out)
{
  gunichar v = 0;

  if (sc->end - sc->p < 4)
    return scan_fail (sc, "truncated \\u escape");
  for (int i = 0; i < 4; i++)
    {
      int d = hex_digit (sc->p[i]);

      if (d < 0)
        return scan_fail (sc, "invalid \\u escape");
      v = (v << 4) | (gunichar) d;
    }
  sc->p += 4;
  *out = v;
  return TRUE;
}

/* Reads a string (at its opening quote) into sc->buf when keep, else only checks it. */
static gboolean
scan_string (Scanner  *sc,
             gboolean  keep)
{
  const char *start;

  scan_space (sc);
  if (sc->p >= sc->end || *sc->p != '"')
    return scan_fail (sc, "expected a string");
  sc->p++;
  if (keep)
    g_string_truncate (sc->buf, 0);

  for (;;)
    {
      start = sc->p;
      while (sc->p < sc->end && *sc->p != '"' && *sc->p != '\\' && (guchar) *sc->p >= 0x20)
        sc->p++;
      if (sc->p >= sc->end)
        return scan_fail (sc, "unterminated string");
      if (!g_utf8_validate (start, sc->p - start, NULL))
        return scan_fail (sc, "invalid UTF-8 in a string");
      if (keep)
        g_string_append_len (sc->buf, start, sc->p - start);
      if (*sc->p == '"')
        {
          sc->p++;
          return TRUE;
        }
      if ((guchar) *sc->p < 0x20)
        return scan_fail (sc, "control character in a string");

      /* An escape. */
      sc->p++;
      if (sc->p >= sc->end)
        return scan_fail (sc, "unterminated string");
      switch (*sc->p++)
        {
        case '"': if (keep) g_string_append_c (sc->buf, '"'); break;
        case '\\': if (keep) g_string_append_c (sc->buf, '\\'); break;
        case '/': if (keep) g_string_append_c (sc->buf, '/'); break;
        case 'b': if (keep) g_string_append_c (sc->buf, '\b'); break;
        case 'f': if (keep) g_string_append_c (sc->buf, '\f'); break;
        case 'n': if (keep) g_string_append_c (sc->buf, '\n'); break;
        case 'r': if (keep) g_string_append_c (sc->buf, '\r'); break;
        case 't': if (keep) g_string_append_c (sc->buf, '\t'); break;
        case 'u':
          {
            gunichar c, low;

            if (!scan_hex4 (sc, &c))
              return FALSE;
            if (c >= 0xD800 && c <= 0xDBFF)
              {
                /* Only a whole surrogate pair. */
                if (sc->end - sc->p < 6 || sc->p[0] != '\\' || sc->p[1] != 'u')
                  return scan_fail (sc, "unpaired surrogate");
                sc->p += 2;
                if (!scan_hex4 (sc, &low))
                  return FALSE;
                if (low < 0xDC00 || low > 0xDFFF)
                  return scan_fail (sc, "unpaired surrogate");
                c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
              }
            else if (c >= 0xDC00 && c <= 0xDFFF)
              return scan_fail (sc, "unpaired surrogate");
            if (c == 0)
              return scan_fail (sc, "NUL character in a string");
            if (keep)
              g_string_append_unichar (sc->buf, c);
          }
          break;
        default:
          return scan_fail (sc, "invalid escape in a string");
        }
    }
}

static gboolean
scan_literal (Scanner    *sc,
              const char *word)
{
  gsize len = strlen (word);

  if ((gsize) (sc->end - sc->p) < len || memcmp (sc->p, word, len) != 0)
    return scan_fail (sc, "invalid value");
  sc->p += len;
  return TRUE;
}

static gboolean
scan_number (Scanner *sc,
             Value   *value)
{
  const char *start = sc->p;
  gboolean integral = TRUE;
  char text[64];
  gsize len;

  if (sc->p < sc->end && *sc->p == '-')
    sc->p++;
  if (sc->p >= sc->end || !g_ascii_isdigit (*sc->p))
    return scan_fail (sc, "invalid number");
  /* No leading zeros (json-glib reads "052" as octal: that goes the JsonNode way). */
  if (*sc->p == '0' && sc->p + 1 < sc->end && g_ascii_isdigit (sc->p[1]))
    return scan_fail (sc, "leading zero");
  while (sc->p < sc->end && g_ascii_isdigit (*sc->p))
    sc->p++;
  if (sc->p < sc->end && *sc->p == '.')
    {
      integral = FALSE;
      sc->p++;
      if (sc->p >= sc->end || !g_ascii_isdigit (*sc->p))
        return scan_fail (sc, "invalid number");
      while (sc->p < sc->end && g_ascii_isdigit (*sc->p))
        sc->p++;
    }
  if (sc->p < sc->end && (*sc->p == 'e' || *sc->p == 'E'))
    {
      integral = FALSE;
      sc->p++;
      if (sc->p < sc->end && (*sc->p == '+' || *sc->p == '-'))
        sc->p++;
      if (sc->p >= sc->end || !g_ascii_isdigit (*sc->p))
        return scan_fail (sc, "invalid number");
      while (sc->p < sc->end && g_ascii_isdigit (*sc->p))
        sc->p++;
    }

  if (value == NULL)
    return TRUE;

  /* Long numbers are not worth being exact about: read as a double. */
  len = MIN ((gsize) (sc->p - start), sizeof text - 1);
  memcpy (text, start, len);
  text[len] = '\0';
  if (integral)
    {
      /* As json-glib reads them (GScanner): the digits as unsigned, saturated, then the
       * sign, wrapping around; only absurd values care. */
      gboolean negative = text[0] == '-';
      guint64 u = g_ascii_strtoull (text + (negative ? 1 : 0), NULL, 10);

      value->kind = VALUE_INT;
      value->i = (gint64) (negative ? 0 - u : u);
      return TRUE;
    }
  value->kind = VALUE_DOUBLE;
  value->d = g_ascii_strtod (text, NULL);
  return TRUE;
}

/* Checks and skips any value, nested ones included, without recursion. */
static gboolean
scan_skip_value (Scanner *sc)
{
  guint depth = 0;
  char closers[PVE_JSON_MAX_DEPTH + 1];
  gboolean expect_value = TRUE;

  for (;;)
    {
      scan_space (sc);
      if (sc->p >= sc->end)
        return scan_fail (sc, "unexpected end");

      if (expect_value)
        {
          switch (*sc->p)
            {
            case '{':
            case '[':
              if (depth >= PVE_JSON_MAX_DEPTH)
                return scan_fail (sc, "nested too deeply");
              closers[depth++] = *sc->p == '{' ? '}' : ']';
              sc->p++;
              scan_space (sc);
              if (sc->p < sc->end && *sc->p == closers[depth - 1])
                {
                  sc->p++;
                  depth--;
                  expect_value = FALSE;
                  break;
                }
              if (closers[depth - 1] == '}')
                {
                  if (!scan_string (sc, FALSE) || !scan_char (sc, ':'))
                    return FALSE;
                }
              continue;
            case '"':
              if (!scan_string (sc, FALSE))
                return FALSE;
              break;
            case 't':
              if (!scan_literal (sc, "true"))
                return FALSE;
              break;
            case 'f':
              if (!scan_literal (sc, "false"))
                return FALSE;
              break;
            case 'n':
              if (!scan_literal (sc, "null"))
                return FALSE;
              break;
            default:
              if (!scan_number (sc, NULL))
                return FALSE;
              break;
            }
          expect_value = FALSE;
          if (depth == 0)
            return TRUE;
          continue;
        }

      /* After a value inside a container: a comma or its closer. */
      if (*sc->p == ',')
        {
          sc->p++;
          if (closers[depth - 1] == '}')
            {
              if (!scan_string (sc, FALSE) || !scan_char (sc, ':'))
                return FALSE;
            }
          expect_value = TRUE;
          continue;
        }
      if (*sc->p != closers[depth - 1])
        return scan_fail (sc, "expected a comma or the end of a container");
      sc->p++;
      if (--depth == 0)
        return TRUE;
    }
}

static int
resource_member_index (const char *name)
{
  for (int i = 0; i < N_RESOURCE_MEMBERS; i++)
    if (name[0] == resource_members[i][0] && strcmp (name, resource_members[i]) == 0)
      return i;
  return -1;
}

/* One element of the data array. Adds a resource to result when the element is an object
 * that identifies one. */
static gboolean
scan_resource (Scanner   *sc,
               GPtrArray *result)
{
  Value members[N_RESOURCE_MEMBERS] = { { 0 } };
  PveResource *r;

  scan_space (sc);
  if (sc->p >= sc->end)
    return scan_fail (sc, "unexpected end");
  if (*sc->p != '{')
    return scan_skip_value (sc);   /* not an object: skipped, as pve_api_parse_resources does */

  sc->p++;
  g_string_chunk_clear (sc->strings);
  scan_space (sc);
  if (sc->p < sc->end && *sc->p == '}')
    sc->p++;
  else
    for (;;)
      {
        int index;

        if (!scan_string (sc, TRUE) || !scan_char (sc, ':'))
          return FALSE;
        index = strlen (sc->buf->str) == sc->buf->len ? resource_member_index (sc->buf->str) : -1;
        scan_space (sc);
        if (sc->p >= sc->end)
          return scan_fail (sc, "unexpected end");
        if (index < 0)
          {
            if (!scan_skip_value (sc))
              return FALSE;
          }
        else
          {
            Value *v = &members[index];

            /* A repeated member: the last one counts (as in json-glib). */
            memset (v, 0, sizeof *v);
            switch (*sc->p)
              {
              case '"':
                if (!scan_string (sc, TRUE))
                  return FALSE;
                v->kind = VALUE_STRING;
                v->s = g_string_chunk_insert_len (sc->strings, sc->buf->str, sc->buf->len);
                break;
              case 't':
              case 'f':
                v->kind = VALUE_BOOL;
                v->b = *sc->p == 't';
                if (!scan_literal (sc, v->b ? "true" : "false"))
                  return FALSE;
                break;
              case '{':
              case '[':
              case 'n':
                if (!scan_skip_value (sc))
                  return FALSE;
                v->kind = VALUE_OTHER;
                break;
              default:
                if (!scan_number (sc, v))
                  return FALSE;
                break;
              }
          }
        scan_space (sc);
        if (sc->p < sc->end && *sc->p == ',')
          {
            sc->p++;
            continue;
          }
        if (!scan_char (sc, '}'))
          return FALSE;
        break;
      }

  r = parse_resource (members);
  if (r != NULL)
    g_ptr_array_add (result, r);
  return TRUE;
}

GPtrArray *
_pve_api_scan_resources (const char  *body,
                         gsize        length,
                         GError     **error)
{
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GString) buf = NULL;
  Scanner sc = { body, body + length, NULL, NULL, NULL };
  gboolean have_data = FALSE;
  gboolean ok = TRUE;

  if (body == NULL || length == 0)
    {
      g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE,
                           _("The server sent an empty answer"));
      return NULL;
    }

  scan_space (&sc);
  if (sc.p >= sc.end)
    {
      g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE,
                           _("The server sent an empty answer"));
      return NULL;
    }
  if (!nesting_is_sane (body, length))
    {
      g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE,
                           _("The server’s answer is nested too deeply to be read"));
      return NULL;
    }
  if (*sc.p != '{')
    {
      /* Valid JSON of another shape, or no JSON at all. */
      if (!scan_skip_value (&sc) || (scan_space (&sc), sc.p != sc.end))
        return NULL;
      else
        g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE,
                             _("The server’s answer is not a Proxmox VE API response"));
      return NULL;
    }

  buf = g_string_sized_new (256);
  sc.buf = buf;
  sc.strings = g_string_chunk_new (1024);
  sc.p++;
  scan_space (&sc);
  if (sc.p < sc.end && *sc.p == '}')
    sc.p++;
  else
    while (ok)
      {
        gboolean is_data;

        ok = scan_string (&sc, TRUE) && scan_char (&sc, ':');
        if (!ok)
          break;
        is_data = g_str_equal (buf->str, "data") && strlen (buf->str) == buf->len;
        scan_space (&sc);
        if (is_data && sc.p < sc.end && *sc.p == '[')
          {
            /* A repeated "data": the last one counts. */
            g_clear_pointer (&result, g_ptr_array_unref);
            result = g_ptr_array_new_with_free_func ((GDestroyNotify) pve_resource_free);
            have_data = TRUE;
            sc.p++;
            scan_space (&sc);
            if (sc.p < sc.end && *sc.p == ']')
              sc.p++;
            else
              for (;;)
                {
                  if (!(ok = scan_resource (&sc, result)))
                    break;
                  scan_space (&sc);
                  if (sc.p < sc.end && *sc.p == ',')
                    {
                      sc.p++;
                      continue;
                    }
                  ok = scan_char (&sc, ']');
                  break;
                }
          }
        else
          {
            if (is_data)
              {
                /* data that is not a list */
                g_clear_pointer (&result, g_ptr_array_unref);
                have_data = TRUE;
              }
            ok = scan_skip_value (&sc);
          }
        if (!ok)
          break;
        scan_space (&sc);
        if (sc.p < sc.end && *sc.p == ',')
          {
            sc.p++;
            continue;
          }
        ok = scan_char (&sc, '}');
        break;
      }
  g_string_chunk_free (sc.strings);

  if (ok)
    {
      scan_space (&sc);
      if (sc.p != sc.end)
        ok = scan_fail (&sc, "trailing characters");
    }
  if (!ok)
    return NULL;
  if (!have_data)
    {
      g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE,
                           _("The server’s answer has no data"));
      return NULL;
    }
  if (result == NULL)
    {
      g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE,
                           _("The server’s resource list is not a list"));
      return NULL;
    }
  return g_steal_pointer (&result);
}

GPtrArray *
pve_api_parse_resources_body (const char  *body,
                              gsize        length,
                              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) data = NULL;
  GPtrArray *result;

  result = _pve_api_scan_resources (body, length, &local_error);
  if (result != NULL)
    return result;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  /* Not strict JSON: the JsonNode way decides. */
  data = pve_api_unwrap_envelope (body, length, NULL, error);
  if (data == NULL)
    return NULL;
  return pve_api_parse_resources (data, error);
}

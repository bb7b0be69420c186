/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include <glib/gi18n-lib.h>

#include "pve-api.h"
#include "pve-client.h"
#include "pve-info-private.h"

typedef struct
{
  PveInfoParseFunc parse;
  gpointer         parse_data;
  GDestroyNotify   parse_data_free;
  GDestroyNotify   result_free;
} InfoRequest;

static void
info_request_free (gpointer data)
{
  InfoRequest *req = data;

  if (req->parse_data_free != NULL)
    g_clear_pointer (&req->parse_data, req->parse_data_free);
  g_free (req);
}

static void
info_request_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  InfoRequest *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  gint64 total = -1;
  gpointer value;

  data = pve_remote_manager_request_finish (PVE_REMOTE_MANAGER (object), result, &total, &error);
  if (data == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  value = req->parse (data, total, req->parse_data, &error);
  if (value == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE,
                                     _("The server sent an answer that could not be understood"));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, value, req->result_free);
}

void
_pve_info_request_async (PveRemoteManager    *manager,
                         PveRemote           *remote,
                         const char          *method,
                         const char          *path,
                         GHashTable          *params,
                         PveInfoParseFunc     parse,
                         gpointer             parse_data,
                         GDestroyNotify       parse_data_free,
                         GDestroyNotify       result_free,
                         gpointer             source_tag,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  InfoRequest *req;

  g_assert (PVE_IS_REMOTE_MANAGER (manager));
  g_assert (PVE_IS_REMOTE (remote));
  g_assert (parse != NULL);

  req = g_new0 (InfoRequest, 1);
  req->parse = parse;
  req->parse_data = parse_data;
  req->parse_data_free = parse_data_free;
  req->result_free = result_free;

  task = g_task_new (manager, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, req, info_request_free);

  pve_remote_manager_request_async (manager, remote, method, path, params, cancellable,
                                    info_request_cb, g_steal_pointer (&task));
}

gpointer
_pve_info_request_finish (GAsyncResult  *result,
                          gpointer       source_tag,
                          GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
_pve_info_dup_string (JsonObject *object,
                      const char *member)
{
  const char *value = pve_json_get_string (object, member);

  /* Only strings: a number where a name was promised is not trusted as a name. */
  return value != NULL ? g_utf8_make_valid (value, -1) : NULL;
}

gint64
_pve_info_get_int (JsonObject *object,
                   const char *member,
                   gint64      fallback)
{
  gint64 value;

  if (pve_json_get_int (object, member, &value))
    return value;
  return fallback;
}

double
_pve_info_get_double (JsonObject *object,
                      const char *member,
                      double      fallback)
{
  double value;

  if (pve_json_get_double (object, member, &value) && isfinite (value))
    return value;
  return fallback;
}

gboolean
_pve_info_get_bool (JsonObject *object,
                    const char *member,
                    gboolean    fallback)
{
  gboolean value = fallback;

  if (pve_json_get_bool (object, member, &value))
    return value != FALSE;
  return fallback;
}

gboolean
_pve_info_check_array (JsonNode    *data,
                       const char  *what,
                       GError     **error)
{
  if (data != NULL && JSON_NODE_HOLDS_ARRAY (data))
    return TRUE;

  g_set_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE,
               /* Translators: %s is what was asked for, e.g. "the node list" */
               _("The server sent %s in an unexpected form (a list was expected)"), what);
  return FALSE;
}

gboolean
_pve_info_check_object (JsonNode    *data,
                        const char  *what,
                        GError     **error)
{
  if (data != NULL && JSON_NODE_HOLDS_OBJECT (data))
    return TRUE;

  g_set_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_PARSE,
               /* Translators: %s is what was asked for, e.g. "the node status" */
               _("The server sent %s in an unexpected form"), what);
  return FALSE;
}

JsonObject *
_pve_info_array_get_object (JsonArray *array,
                            guint      i)
{
  JsonNode *node = json_array_get_element (array, i);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

GPtrArray *
_pve_info_parse_list (JsonNode          *data,
                      const char        *what,
                      PveInfoEntryFunc   parse_entry,
                      GDestroyNotify     entry_free,
                      GCompareFunc       compare,
                      GError           **error)
{
  g_autoptr(GPtrArray) list = NULL;
  JsonArray *array;

  if (!_pve_info_check_array (data, what, error))
    return NULL;
  array = json_node_get_array (data);
  list = g_ptr_array_new_with_free_func (entry_free);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = _pve_info_array_get_object (array, i);
      gpointer entry;

      if (object != NULL && (entry = parse_entry (object)) != NULL)
        g_ptr_array_add (list, entry);
    }

  if (compare != NULL)
    g_ptr_array_sort (list, compare);
  return g_steal_pointer (&list);
}

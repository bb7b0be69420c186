/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <glib/gi18n-lib.h>

#include "pve-api.h"
#include "pve-client.h"
#include "pve-console.h"
#include "pve-info-private.h"

G_DEFINE_QUARK (pve-console-error-quark, pve_console_error)

typedef struct
{
  PveRemoteManager *manager;
  char             *viewer;
  GFile            *file;
} OpenData;

static void
open_data_free (gpointer data)
{
  OpenData *od = data;

  g_clear_object (&od->manager);
  g_clear_pointer (&od->viewer, g_free);
  g_clear_object (&od->file);
  g_free (od);
}

/* The connection file holds the SPICE password: wipe it from memory once written. */
static void
secure_free (gpointer data)
{
  if (data != NULL)
    {
      memset (data, 0, strlen (data));
      g_free (data);
    }
}

char *
pve_console_find_viewer (void)
{
  return g_find_program_in_path ("remote-viewer");
}

static gboolean
is_valid_key (const char *key)
{
  if (key == NULL || *key == '\0' || strlen (key) > 64)
    return FALSE;
  for (const char *p = key; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

static void
append_escaped (GString    *out,
                const char *value)
{
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\n')
        g_string_append (out, "\\n");
      else if (*p == '\r')
        continue;
      else
        g_string_append_c (out, *p);
    }
}

char *
pve_console_build_vv (JsonNode  *data,
                      GError   **error)
{
  g_autoptr(GString) out = NULL;
  JsonObjectIter iter;
  JsonObject *object;
  const char *member;
  JsonNode *node;

  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data)
      || pve_json_get_string (json_node_get_object (data), "host") == NULL)
    {
      g_set_error_literal (error, PVE_CONSOLE_ERROR, PVE_CONSOLE_ERROR_INVALID,
                           _("The server did not send the details needed to open a console"));
      return NULL;
    }
  object = json_node_get_object (data);

  out = g_string_new ("[virt-viewer]\n");
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &member, &node))
    {
      GType type;

      if (!is_valid_key (member) || g_str_equal (member, "delete-this-file")
          || !JSON_NODE_HOLDS_VALUE (node))
        continue;

      type = json_node_get_value_type (node);
      if (type == G_TYPE_STRING)
        {
          g_autofree char *valid = g_utf8_make_valid (json_node_get_string (node), -1);

          g_string_append_printf (out, "%s=", member);
          append_escaped (out, valid);
          g_string_append_c (out, '\n');
        }
      else if (type == G_TYPE_INT64)
        g_string_append_printf (out, "%s=%" G_GINT64_FORMAT "\n", member, json_node_get_int (node));
      else if (type == G_TYPE_BOOLEAN)
        g_string_append_printf (out, "%s=%d\n", member, json_node_get_boolean (node) ? 1 : 0);
      else if (type == G_TYPE_DOUBLE)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          g_string_append_printf (out, "%s=%s\n", member,
                                  g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
        }
    }
  g_string_append (out, "delete-this-file=1\n");

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
viewer_exited_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GFile) file = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  /* The viewer deletes the file once read (delete-this-file=1); make sure nothing with a
   * password stays behind if it did not get that far. */
  g_file_delete_async (file, G_PRIORITY_LOW, NULL, NULL, NULL);
}

static void
delete_then_fail_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = g_object_get_data (G_OBJECT (task), "pve-console-error");

  g_file_delete_finish (G_FILE (object), result, NULL);
  g_task_return_error (task, g_error_copy (error));
}

static void
fail_and_delete (GTask  *task,
                 GError *error)
{
  OpenData *od = g_task_get_task_data (task);

  g_object_set_data_full (G_OBJECT (task), "pve-console-error", error,
                          (GDestroyNotify) g_error_free);
  /* Not cancellable: the file must go even when the caller gave up. */
  g_file_delete_async (od->file, G_PRIORITY_DEFAULT, NULL, delete_then_fail_cb, task);
}

static void
file_written_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenData *od = g_task_get_task_data (task);
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *argv[3];

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      g_prefix_error (&error, "%s", _("Could not write the console connection file: "));
      fail_and_delete (g_steal_pointer (&task), g_steal_pointer (&error));
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    {
      g_file_delete_async (od->file, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      return;
    }

  path = g_file_get_path (od->file);
  argv[0] = od->viewer;
  argv[1] = path;
  argv[2] = NULL;

  subprocess = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
  if (subprocess == NULL)
    {
      GError *launch_error = g_error_new (PVE_CONSOLE_ERROR, PVE_CONSOLE_ERROR_LAUNCH,
                                          _("Could not start the console viewer: %s"),
                                          error->message);

      fail_and_delete (g_steal_pointer (&task), launch_error);
      return;
    }

  g_debug ("Started %s for a console", od->viewer);
  g_subprocess_wait_async (subprocess, NULL, viewer_exited_cb, g_object_ref (od->file));
  g_task_return_boolean (task, TRUE);
}

static void
spiceproxy_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenData *od = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL;
  g_autofree char *uuid = NULL;
  GCancellable *cancellable;
  char *contents;

  data = pve_remote_manager_request_finish (PVE_REMOTE_MANAGER (object), result, NULL, &error);
  if (data == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  contents = pve_console_build_vv (data, &error);
  if (contents == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  bytes = g_bytes_new_with_free_func (contents, strlen (contents), secure_free, contents);

  uuid = g_uuid_string_random ();
  name = g_strdup_printf ("pve-remotes-console-%s.vv", uuid);
  od->file = g_file_new_build_filename (g_get_user_runtime_dir (), name, NULL);

  /* PRIVATE: created 0600, readable only by the user. */
  cancellable = g_task_get_cancellable (task);
  g_file_replace_contents_bytes_async (od->file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, file_written_cb, g_steal_pointer (&task));
}

void
pve_console_open_async (PveRemoteManager    *manager,
                        PveRemote           *remote,
                        const char          *node,
                        gint64               vmid,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;
  OpenData *od;

  g_return_if_fail (PVE_IS_REMOTE_MANAGER (manager));
  g_return_if_fail (PVE_IS_REMOTE (remote));
  g_return_if_fail (node != NULL);

  task = g_task_new (manager, cancellable, callback, user_data);
  g_task_set_source_tag (task, pve_console_open_async);

  od = g_new0 (OpenData, 1);
  od->manager = g_object_ref (manager);
  od->viewer = pve_console_find_viewer ();
  g_task_set_task_data (task, od, open_data_free);

  /* Checked first: without a viewer there is no point asking the server for a ticket. */
  if (od->viewer == NULL)
    {
      g_task_return_new_error (task, PVE_CONSOLE_ERROR, PVE_CONSOLE_ERROR_NO_VIEWER,
                               _("The console needs Remote Viewer (remote-viewer), which is not "
                                 "installed. Install the virt-viewer package (Debian/Ubuntu: "
                                 "sudo apt install virt-viewer; Fedora: sudo dnf install "
                                 "virt-viewer; Arch: sudo pacman -S virt-viewer), then try "
                                 "again. In the Flatpak version, remote-viewer must be "
                                 "reachable from inside the sandbox."));
      return;
    }

  id = g_strdup_printf ("%" G_GINT64_FORMAT, vmid);
  path = pve_client_build_path ("nodes", node, "qemu", id, "spiceproxy", NULL);

  /* The viewer reaches the guest through the SPICE proxy of the host we talk to. */
  params = g_hash_table_new (g_str_hash, g_str_equal);
  if (pve_remote_get_host (remote) != NULL)
    g_hash_table_insert (params, (gpointer) "proxy", (gpointer) pve_remote_get_host (remote));

  pve_remote_manager_request_async (manager, remote, "POST", path, params, cancellable,
                                    spiceproxy_cb, g_steal_pointer (&task));
}

gboolean
pve_console_open_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pve_console_open_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n-lib.h>

#include "pve-client.h"
#include "pve-guest-info.h"
#include "pve-info-private.h"

static void
guest_status_clear (gpointer data)
{
  PveGuestStatus *status = data;

  g_clear_pointer (&status->status, g_free);
  g_clear_pointer (&status->qmpstatus, g_free);
  g_clear_pointer (&status->name, g_free);
  g_clear_pointer (&status->lock, g_free);
  g_clear_pointer (&status->tags, g_free);
  g_clear_pointer (&status->ha_state, g_free);
  g_clear_pointer (&status->running_qemu, g_free);
  g_clear_pointer (&status->running_machine, g_free);
}

PveGuestStatus *
pve_guest_status_ref (PveGuestStatus *status)
{
  return g_atomic_rc_box_acquire (status);
}

void
pve_guest_status_unref (PveGuestStatus *status)
{
  g_atomic_rc_box_release_full (status, guest_status_clear);
}

G_DEFINE_BOXED_TYPE (PveGuestStatus, pve_guest_status, pve_guest_status_ref,
                     pve_guest_status_unref)

PveGuestStatus *
pve_guest_status_parse (JsonNode  *data,
                        GError   **error)
{
  PveGuestStatus *status;
  JsonObject *object;
  JsonNode *ha;

  if (!_pve_info_check_object (data, _("the guest status"), error))
    return NULL;

  object = json_node_get_object (data);
  status = g_atomic_rc_box_new0 (PveGuestStatus);

  status->status = _pve_info_dup_string (object, "status");
  if (status->status == NULL)
    status->status = g_strdup ("unknown");
  status->qmpstatus = _pve_info_dup_string (object, "qmpstatus");
  status->name = _pve_info_dup_string (object, "name");
  status->lock = _pve_info_dup_string (object, "lock");
  status->tags = _pve_info_dup_string (object, "tags");
  status->template = _pve_info_get_bool (object, "template", FALSE);
  status->cpu = _pve_info_get_double (object, "cpu", 0);
  status->cpus = _pve_info_get_int (object, "cpus", 0);
  status->mem = _pve_info_get_int (object, "mem", 0);
  status->maxmem = _pve_info_get_int (object, "maxmem", 0);
  status->disk = _pve_info_get_int (object, "disk", 0);
  status->maxdisk = _pve_info_get_int (object, "maxdisk", 0);
  status->uptime = _pve_info_get_int (object, "uptime", 0);
  status->netin = _pve_info_get_int (object, "netin", 0);
  status->netout = _pve_info_get_int (object, "netout", 0);
  status->diskread = _pve_info_get_int (object, "diskread", 0);
  status->diskwrite = _pve_info_get_int (object, "diskwrite", 0);
  status->pid = _pve_info_get_int (object, "pid", -1);
  status->has_agent = json_object_has_member (object, "agent");
  status->agent = _pve_info_get_bool (object, "agent", FALSE);
  status->running_qemu = _pve_info_dup_string (object, "running-qemu");
  status->running_machine = _pve_info_dup_string (object, "running-machine");

  ha = json_object_get_member (object, "ha");
  if (ha != NULL && JSON_NODE_HOLDS_OBJECT (ha))
    {
      JsonObject *ha_object = json_node_get_object (ha);

      status->ha_managed = _pve_info_get_bool (ha_object, "managed", FALSE);
      status->ha_state = _pve_info_dup_string (ha_object, "state");
    }

  return status;
}

static gpointer
guest_status_parse_cb (JsonNode  *data,
                       gint64     total,
                       gpointer   parse_data,
                       GError   **error)
{
  return pve_guest_status_parse (data, error);
}

void
pve_guest_status_load_async (PveRemoteManager    *manager,
                             PveRemote           *remote,
                             const char          *node,
                             const char          *guest_type,
                             gint64               vmid,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;

  g_return_if_fail (PVE_IS_REMOTE_MANAGER (manager));
  g_return_if_fail (PVE_IS_REMOTE (remote));
  g_return_if_fail (node != NULL);
  g_return_if_fail (g_strcmp0 (guest_type, "qemu") == 0 || g_strcmp0 (guest_type, "lxc") == 0);

  id = g_strdup_printf ("%" G_GINT64_FORMAT, vmid);
  path = pve_client_build_path ("nodes", node, guest_type, id, "status", "current", NULL);
  _pve_info_request_async (manager, remote, "GET", path, NULL, guest_status_parse_cb, NULL,
                           NULL, (GDestroyNotify) pve_guest_status_unref,
                           pve_guest_status_load_async, cancellable, callback, user_data);
}

PveGuestStatus *
pve_guest_status_load_finish (GAsyncResult  *result,
                              GError       **error)
{
  return _pve_info_request_finish (result, pve_guest_status_load_async, error);
}

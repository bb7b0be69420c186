/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "pve-api.h"
#include "pve-client.h"
#include "pve-info-private.h"
#include "pve-node-info.h"

/* ---- helpers --------------------------------------------------------------------------- */

static gboolean
parse_number_string (const char *text,
                     double     *out)
{
  char *end = NULL;
  double value;

  if (text == NULL)
    return FALSE;
  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0')
    return FALSE;
  value = g_ascii_strtod (text, &end);
  if (end == text)
    return FALSE;
  while (g_ascii_isspace (*end))
    end++;
  if (*end != '\0' || !isfinite (value))
    return FALSE;
  *out = value;
  return TRUE;
}

/* A JSON value (number or numeric string) as a double. */
static gboolean
node_get_double (JsonNode *node,
                 double   *out)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else if (type == G_TYPE_BOOLEAN)
    *out = json_node_get_boolean (node) ? 1.0 : 0.0;
  else if (type == G_TYPE_STRING)
    return parse_number_string (json_node_get_string (node), out);
  else
    return FALSE;
  return isfinite (*out);
}

static JsonObject *
get_object_member (JsonObject *object,
                   const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

static GHashTable *
new_params (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
}

/* ---- node status ----------------------------------------------------------------------- */

static void
node_status_clear (gpointer data)
{
  PveNodeStatus *status = data;

  g_clear_pointer (&status->cpu_model, g_free);
  g_clear_pointer (&status->kversion, g_free);
  g_clear_pointer (&status->pveversion, g_free);
  g_clear_pointer (&status->pve_version, g_free);
  g_clear_pointer (&status->boot_mode, g_free);
}

PveNodeStatus *
pve_node_status_ref (PveNodeStatus *status)
{
  return g_atomic_rc_box_acquire (status);
}

void
pve_node_status_unref (PveNodeStatus *status)
{
  g_atomic_rc_box_release_full (status, node_status_clear);
}

G_DEFINE_BOXED_TYPE (PveNodeStatus, pve_node_status, pve_node_status_ref, pve_node_status_unref)

char *
pve_node_parse_pve_version (const char *pveversion)
{
  g_auto(GStrv) parts = NULL;
  const char *p;

  if (pveversion == NULL)
    return NULL;
  parts = g_strsplit (pveversion, "/", 3);
  if (parts[0] == NULL || parts[1] == NULL || !g_str_equal (parts[0], "pve-manager"))
    return NULL;
  if (!g_ascii_isdigit (parts[1][0]))
    return NULL;
  for (p = parts[1]; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '~' && *p != '+')
      return NULL;
  return g_strdup (parts[1]);
}

PveNodeStatus *
pve_node_status_parse (JsonNode  *data,
                       GError   **error)
{
  PveNodeStatus *status;
  JsonObject *object;
  JsonObject *sub;

  if (!_pve_info_check_object (data, _("the node status"), error))
    return NULL;
  object = json_node_get_object (data);

  status = g_atomic_rc_box_new0 (PveNodeStatus);
  status->cpu = CLAMP (_pve_info_get_double (object, "cpu", 0.0), 0.0, 1.0);
  status->uptime = MAX (_pve_info_get_int (object, "uptime", 0), 0);
  status->kversion = _pve_info_dup_string (object, "kversion");
  status->pveversion = _pve_info_dup_string (object, "pveversion");
  status->pve_version = pve_node_parse_pve_version (status->pveversion);
  status->memory_available = -1;

  if ((sub = get_object_member (object, "cpuinfo")) != NULL)
    {
      status->cpus = MAX (_pve_info_get_int (sub, "cpus", 0), 0);
      status->sockets = MAX (_pve_info_get_int (sub, "sockets", 0), 0);
      status->cpu_model = _pve_info_dup_string (sub, "model");
      status->mhz = MAX (_pve_info_get_double (sub, "mhz", 0.0), 0.0);
    }

  if ((sub = get_object_member (object, "memory")) != NULL)
    {
      status->memory_total = MAX (_pve_info_get_int (sub, "total", 0), 0);
      status->memory_used = MAX (_pve_info_get_int (sub, "used", 0), 0);
      status->memory_free = MAX (_pve_info_get_int (sub, "free", 0), 0);
      status->memory_available = _pve_info_get_int (sub, "available", -1);
    }

  if ((sub = get_object_member (object, "swap")) != NULL)
    {
      status->swap_total = MAX (_pve_info_get_int (sub, "total", 0), 0);
      status->swap_used = MAX (_pve_info_get_int (sub, "used", 0), 0);
      status->swap_free = MAX (_pve_info_get_int (sub, "free", 0), 0);
    }

  if ((sub = get_object_member (object, "rootfs")) != NULL)
    {
      status->rootfs_total = MAX (_pve_info_get_int (sub, "total", 0), 0);
      status->rootfs_used = MAX (_pve_info_get_int (sub, "used", 0), 0);
      status->rootfs_avail = MAX (_pve_info_get_int (sub, "avail", 0), 0);
    }

  if ((sub = get_object_member (object, "boot-info")) != NULL)
    {
      status->boot_mode = _pve_info_dup_string (sub, "mode");
      status->secureboot = _pve_info_get_bool (sub, "secureboot", FALSE);
    }

  if (json_object_has_member (object, "loadavg"))
    {
      JsonNode *node = json_object_get_member (object, "loadavg");

      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);

          if (json_array_get_length (array) >= 3)
            {
              status->has_loadavg = TRUE;
              for (guint i = 0; i < 3; i++)
                if (!node_get_double (json_array_get_element (array, i), &status->loadavg[i]))
                  status->has_loadavg = FALSE;
              if (!status->has_loadavg)
                memset (status->loadavg, 0, sizeof status->loadavg);
            }
        }
    }

  return status;
}

static gpointer
node_status_parse_cb (JsonNode *data, gint64 total, gpointer parse_data, GError **error)
{
  return pve_node_status_parse (data, error);
}

void
pve_node_status_load_async (PveRemoteManager    *manager,
                            PveRemote           *remote,
                            const char          *node,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (PVE_IS_REMOTE_MANAGER (manager));
  g_return_if_fail (PVE_IS_REMOTE (remote));
  g_return_if_fail (node != NULL);

  path = pve_client_build_path ("nodes", node, "status", NULL);
  _pve_info_request_async (manager, remote, "GET", path, NULL, node_status_parse_cb, NULL, NULL,
                           (GDestroyNotify) pve_node_status_unref, pve_node_status_load_async,
                           cancellable, callback, user_data);
}

PveNodeStatus *
pve_node_status_load_finish (GAsyncResult  *result,
                             GError       **error)
{
  return _pve_info_request_finish (result, pve_node_status_load_async, error);
}

/* ---- node list ------------------------------------------------------------------------- */

void
pve_node_entry_free (PveNodeEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->node);
  g_free (entry->status);
  g_free (entry->ssl_fingerprint);
  g_free (entry);
}

static int
compare_node_entries (gconstpointer a,
                      gconstpointer b)
{
  const PveNodeEntry *ea = *(PveNodeEntry * const *) a;
  const PveNodeEntry *eb = *(PveNodeEntry * const *) b;

  return g_utf8_collate (ea->node, eb->node);
}

static gpointer
pve_node_list_parse_entry (JsonObject *object)
{
  PveNodeEntry *entry;
  char *name;

  if ((name = _pve_info_dup_string (object, "node")) == NULL)
    return NULL;

  entry = g_new0 (PveNodeEntry, 1);
  entry->node = name;
  entry->status = _pve_info_dup_string (object, "status");
  if (entry->status == NULL)
    entry->status = g_strdup ("unknown");
  entry->online = g_str_equal (entry->status, "online");
  entry->ssl_fingerprint = _pve_info_dup_string (object, "ssl_fingerprint");
  entry->has_stats = entry->online && (json_object_has_member (object, "maxmem")
                                       || json_object_has_member (object, "cpu"));
  entry->cpu = CLAMP (_pve_info_get_double (object, "cpu", 0.0), 0.0, 1.0);
  entry->maxcpu = MAX (_pve_info_get_int (object, "maxcpu", 0), 0);
  entry->mem = MAX (_pve_info_get_int (object, "mem", 0), 0);
  entry->maxmem = MAX (_pve_info_get_int (object, "maxmem", 0), 0);
  entry->disk = MAX (_pve_info_get_int (object, "disk", 0), 0);
  entry->maxdisk = MAX (_pve_info_get_int (object, "maxdisk", 0), 0);
  entry->uptime = MAX (_pve_info_get_int (object, "uptime", 0), 0);
  return entry;
}

GPtrArray *
pve_node_list_parse (JsonNode  *data,
                     GError   **error)
{
  return _pve_info_parse_list (data, _("the node list"), pve_node_list_parse_entry,
                               (GDestroyNotify) pve_node_entry_free, compare_node_entries, error);
}

static gpointer
node_list_parse_cb (JsonNode *data, gint64 total, gpointer parse_data, GError **error)
{
  return pve_node_list_parse (data, error);
}

void
pve_node_list_load_async (PveRemoteManager    *manager,
                          PveRemote           *remote,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (PVE_IS_REMOTE_MANAGER (manager));
  g_return_if_fail (PVE_IS_REMOTE (remote));

  _pve_info_request_async (manager, remote, "GET", "/nodes", NULL, node_list_parse_cb, NULL, NULL,
                           (GDestroyNotify) g_ptr_array_unref, pve_node_list_load_async,
                           cancellable, callback, user_data);
}

GPtrArray *
pve_node_list_load_finish (GAsyncResult  *result,
                           GError       **error)
{
  return _pve_info_request_finish (result, pve_node_list_load_async, error);
}

/* ---- storage --------------------------------------------------------------------------- */

void
pve_storage_info_free (PveStorageInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->storage);
  g_free (info->type);
  g_free (info->content);
  g_free (info);
}

static int
compare_storage (gconstpointer a,
                 gconstpointer b)
{
  const PveStorageInfo *sa = *(PveStorageInfo * const *) a;
  const PveStorageInfo *sb = *(PveStorageInfo * const *) b;

  return g_utf8_collate (sa->storage, sb->storage);
}

static gpointer
pve_storage_list_parse_entry (JsonObject *object)
{
  PveStorageInfo *info;
  char *name;

  if ((name = _pve_info_dup_string (object, "storage")) == NULL)
    return NULL;

  info = g_new0 (PveStorageInfo, 1);
  info->storage = name;
  info->type = _pve_info_dup_string (object, "type");
  info->content = _pve_info_dup_string (object, "content");
  info->active = _pve_info_get_bool (object, "active", FALSE);
  info->enabled = _pve_info_get_bool (object, "enabled", TRUE);
  info->shared = _pve_info_get_bool (object, "shared", FALSE);
  info->total = MAX (_pve_info_get_int (object, "total", 0), 0);
  info->used = MAX (_pve_info_get_int (object, "used", 0), 0);
  info->avail = MAX (_pve_info_get_int (object, "avail", 0), 0);
  info->used_fraction = _pve_info_get_double (object, "used_fraction", -1.0);
  if (info->used_fraction < 0.0)
    info->used_fraction = info->total > 0 ? (double) info->used / (double) info->total : 0.0;
  info->used_fraction = CLAMP (info->used_fraction, 0.0, 1.0);
  return info;
}

GPtrArray *
pve_storage_list_parse (JsonNode  *data,
                        GError   **error)
{
  return _pve_info_parse_list (data, _("the storage list"), pve_storage_list_parse_entry,
                               (GDestroyNotify) pve_storage_info_free, compare_storage, error);
}

static gpointer
storage_list_parse_cb (JsonNode *data, gint64 total, gpointer parse_data, GError **error)
{
  return pve_storage_list_parse (data, error);
}

void
pve_storage_list_load_async (PveRemoteManager    *manager,
                             PveRemote           *remote,
                             const char          *node,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (PVE_IS_REMOTE_MANAGER (manager));
  g_return_if_fail (PVE_IS_REMOTE (remote));
  g_return_if_fail (node != NULL);

  path = pve_client_build_path ("nodes", node, "storage", NULL);
  _pve_info_request_async (manager, remote, "GET", path, NULL, storage_list_parse_cb, NULL, NULL,
                           (GDestroyNotify) g_ptr_array_unref, pve_storage_list_load_async,
                           cancellable, callback, user_data);
}

GPtrArray *
pve_storage_list_load_finish (GAsyncResult  *result,
                              GError       **error)
{
  return _pve_info_request_finish (result, pve_storage_list_load_async, error);
}

/* ---- network --------------------------------------------------------------------------- */

void
pve_network_interface_free (PveNetworkInterface *iface)
{
  if (iface == NULL)
    return;
  g_free (iface->iface);
  g_free (iface->type);
  g_free (iface->method);
  g_free (iface->address);
  g_free (iface->cidr);
  g_free (iface->gateway);
  g_free (iface->address6);
  g_free (iface->cidr6);
  g_free (iface->gateway6);
  g_free (iface->bridge_ports);
  g_free (iface->slaves);
  g_free (iface->comments);
  g_free (iface);
}

static int
compare_ifaces (gconstpointer a,
                gconstpointer b)
{
  const PveNetworkInterface *ia = *(PveNetworkInterface * const *) a;
  const PveNetworkInterface *ib = *(PveNetworkInterface * const *) b;

  return g_utf8_collate (ia->iface, ib->iface);
}

static gpointer
pve_network_list_parse_entry (JsonObject *object)
{
  PveNetworkInterface *iface;
  char *name;

  if ((name = _pve_info_dup_string (object, "iface")) == NULL)
    return NULL;

  iface = g_new0 (PveNetworkInterface, 1);
  iface->iface = name;
  iface->type = _pve_info_dup_string (object, "type");
  iface->active = _pve_info_get_bool (object, "active", FALSE);
  iface->autostart = _pve_info_get_bool (object, "autostart", FALSE);
  iface->method = _pve_info_dup_string (object, "method");
  iface->address = _pve_info_dup_string (object, "address");
  iface->cidr = _pve_info_dup_string (object, "cidr");
  iface->gateway = _pve_info_dup_string (object, "gateway");
  iface->address6 = _pve_info_dup_string (object, "address6");
  iface->cidr6 = _pve_info_dup_string (object, "cidr6");
  iface->gateway6 = _pve_info_dup_string (object, "gateway6");
  iface->bridge_ports = _pve_info_dup_string (object, "bridge_ports");
  iface->slaves = _pve_info_dup_string (object, "slaves");
  iface->comments = _pve_info_dup_string (object, "comments");
  if (iface->comments != NULL)
    g_strstrip (iface->comments);
  return iface;
}

GPtrArray *
pve_network_list_parse (JsonNode  *data,
                        GError   **error)
{
  return _pve_info_parse_list (data, _("the network interfaces"), pve_network_list_parse_entry,
                               (GDestroyNotify) pve_network_interface_free, compare_ifaces, error);
}

static gpointer
network_list_parse_cb (JsonNode *data, gint64 total, gpointer parse_data, GError **error)
{
  return pve_network_list_parse (data, error);
}

void
pve_network_list_load_async (PveRemoteManager    *manager,
                             PveRemote           *remote,
                             const char          *node,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (PVE_IS_REMOTE_MANAGER (manager));
  g_return_if_fail (PVE_IS_REMOTE (remote));
  g_return_if_fail (node != NULL);

  path = pve_client_build_path ("nodes", node, "network", NULL);
  _pve_info_request_async (manager, remote, "GET", path, NULL, network_list_parse_cb, NULL, NULL,
                           (GDestroyNotify) g_ptr_array_unref, pve_network_list_load_async,
                           cancellable, callback, user_data);
}

GPtrArray *
pve_network_list_load_finish (GAsyncResult  *result,
                              GError       **error)
{
  return _pve_info_request_finish (result, pve_network_list_load_async, error);
}

/* ---- subscription ---------------------------------------------------------------------- */

static void
subscription_clear (gpointer data)
{
  PveSubscription *sub = data;

  g_clear_pointer (&sub->status, g_free);
  g_clear_pointer (&sub->level, g_free);
  g_clear_pointer (&sub->productname, g_free);
  g_clear_pointer (&sub->message, g_free);
  g_clear_pointer (&sub->nextduedate, g_free);
  g_clear_pointer (&sub->serverid, g_free);
  g_clear_pointer (&sub->summary, g_free);
}

PveSubscription *
pve_subscription_ref (PveSubscription *sub)
{
  return g_atomic_rc_box_acquire (sub);
}

void
pve_subscription_unref (PveSubscription *sub)
{
  g_atomic_rc_box_release_full (sub, subscription_clear);
}

G_DEFINE_BOXED_TYPE (PveSubscription, pve_subscription, pve_subscription_ref,
                     pve_subscription_unref)

PveSubscription *
pve_subscription_parse (JsonNode  *data,
                        GError   **error)
{
  PveSubscription *sub;
  JsonObject *object;
  const char *status;

  if (!_pve_info_check_object (data, _("the subscription status"), error))
    return NULL;
  object = json_node_get_object (data);

  sub = g_atomic_rc_box_new0 (PveSubscription);
  status = pve_json_get_string (object, "status");
  /* Older servers capitalise it ("Active"). */
  sub->status = g_strstrip (g_ascii_strdown (status != NULL ? status : "unknown", -1));
  sub->level = _pve_info_dup_string (object, "level");
  sub->productname = _pve_info_dup_string (object, "productname");
  sub->message = _pve_info_dup_string (object, "message");
  if (sub->message != NULL)
    g_strstrip (sub->message);
  sub->nextduedate = _pve_info_dup_string (object, "nextduedate");
  sub->serverid = _pve_info_dup_string (object, "serverid");

  status = sub->status;
  sub->active = g_str_equal (status, "active");
  if (g_str_equal (status, "notfound"))
    sub->summary = g_strdup (_("No subscription"));
  else if (sub->active && sub->productname != NULL)
    /* Translators: %s is the product, e.g. "Proxmox VE Community Subscription 1 CPU/year" */
    sub->summary = g_strdup_printf (_("Active: %s"), sub->productname);
  else if (sub->active)
    sub->summary = g_strdup (_("Active"));
  else if (g_str_equal (status, "new"))
    sub->summary = g_strdup (_("Not yet checked"));
  else if (g_str_equal (status, "expired"))
    sub->summary = g_strdup (_("Expired"));
  else if (g_str_equal (status, "suspended"))
    sub->summary = g_strdup (_("Suspended"));
  else if (g_str_equal (status, "invalid") && sub->message != NULL && *sub->message != '\0')
    /* Translators: %s is the server's explanation */
    sub->summary = g_strdup_printf (_("Invalid: %s"), sub->message);
  else if (g_str_equal (status, "invalid"))
    sub->summary = g_strdup (_("Invalid"));
  else
    sub->summary = g_strdup (_("Unknown"));

  return sub;
}

static gpointer
subscription_parse_cb (JsonNode *data, gint64 total, gpointer parse_data, GError **error)
{
  return pve_subscription_parse (data, error);
}

void
pve_subscription_load_async (PveRemoteManager    *manager,
                             PveRemote           *remote,
                             const char          *node,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (PVE_IS_REMOTE_MANAGER (manager));
  g_return_if_fail (PVE_IS_REMOTE (remote));
  g_return_if_fail (node != NULL);

  path = pve_client_build_path ("nodes", node, "subscription", NULL);
  _pve_info_request_async (manager, remote, "GET", path, NULL, subscription_parse_cb, NULL, NULL,
                           (GDestroyNotify) pve_subscription_unref, pve_subscription_load_async,
                           cancellable, callback, user_data);
}

PveSubscription *
pve_subscription_load_finish (GAsyncResult  *result,
                              GError       **error)
{
  return _pve_info_request_finish (result, pve_subscription_load_async, error);
}

/* ---- log pages ------------------------------------------------------------------------- */

static void
log_page_clear (gpointer data)
{
  PveLogPage *page = data;

  g_clear_pointer (&page->lines, g_ptr_array_unref);
}

PveLogPage *
pve_log_page_ref (PveLogPage *page)
{
  return g_atomic_rc_box_acquire (page);
}

void
pve_log_page_unref (PveLogPage *page)
{
  g_atomic_rc_box_release_full (page, log_page_clear);
}

G_DEFINE_BOXED_TYPE (PveLogPage, pve_log_page, pve_log_page_ref, pve_log_page_unref)

PveLogPage *
pve_log_page_parse (JsonNode  *data,
                    gint64     total,
                    GError   **error)
{
  g_autoptr(GPtrArray) lines = NULL;
  PveLogPage *page;
  gint64 first_n = -1;

  if (!_pve_info_check_array (data, _("the log"), error))
    return NULL;
  lines = pve_api_parse_log_lines (data, &first_n, error);
  if (lines == NULL)
    return NULL;

  page = g_atomic_rc_box_new0 (PveLogPage);
  page->lines = g_steal_pointer (&lines);
  page->start = first_n;
  page->total = total >= 0 ? total : -1;
  return page;
}

static gpointer
log_page_parse_cb (JsonNode *data, gint64 total, gpointer parse_data, GError **error)
{
  return pve_log_page_parse (data, total, error);
}

void
pve_syslog_load_async (PveRemoteManager    *manager,
                       PveRemote           *remote,
                       const char          *node,
                       gint64               start,
                       gint64               limit,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autoptr(GHashTable) params = new_params ();

  g_return_if_fail (PVE_IS_REMOTE_MANAGER (manager));
  g_return_if_fail (PVE_IS_REMOTE (remote));
  g_return_if_fail (node != NULL);

  path = pve_client_build_path ("nodes", node, "syslog", NULL);
  g_hash_table_insert (params, "start", g_strdup_printf ("%" G_GINT64_FORMAT, MAX (start, 0)));
  if (limit > 0)
    g_hash_table_insert (params, "limit", g_strdup_printf ("%" G_GINT64_FORMAT, limit));
  _pve_info_request_async (manager, remote, "GET", path, params, log_page_parse_cb, NULL, NULL,
                           (GDestroyNotify) pve_log_page_unref, pve_syslog_load_async,
                           cancellable, callback, user_data);
}

PveLogPage *
pve_syslog_load_finish (GAsyncResult  *result,
                        GError       **error)
{
  return _pve_info_request_finish (result, pve_syslog_load_async, error);
}

/* ---- RRD ------------------------------------------------------------------------------- */

/* More named series than any PVE version sends; caps memory on hostile input. */
#define MAX_RRD_SERIES 64

struct _PveRrdSeries
{
  guint       n_points;
  gint64     *times;
  GHashTable *values;   /* name -> double[n_points] */
};

static void
rrd_series_clear (gpointer data)
{
  PveRrdSeries *series = data;

  g_clear_pointer (&series->times, g_free);
  g_clear_pointer (&series->values, g_hash_table_unref);
}

PveRrdSeries *
pve_rrd_series_ref (PveRrdSeries *series)
{
  return g_atomic_rc_box_acquire (series);
}

void
pve_rrd_series_unref (PveRrdSeries *series)
{
  g_atomic_rc_box_release_full (series, rrd_series_clear);
}

G_DEFINE_BOXED_TYPE (PveRrdSeries, pve_rrd_series, pve_rrd_series_ref, pve_rrd_series_unref)

typedef struct
{
  gint64      time;
  JsonObject *object;
} RrdPoint;

static int
compare_points (gconstpointer a,
                gconstpointer b)
{
  const RrdPoint *pa = a;
  const RrdPoint *pb = b;

  return (pa->time > pb->time) - (pa->time < pb->time);
}

PveRrdSeries *
pve_rrd_series_parse (JsonNode  *data,
                      GError   **error)
{
  g_autoptr(GArray) points = NULL;
  PveRrdSeries *series;
  JsonArray *array;

  if (!_pve_info_check_array (data, _("the statistics"), error))
    return NULL;
  array = json_node_get_array (data);
  points = g_array_new (FALSE, FALSE, sizeof (RrdPoint));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      RrdPoint point;

      point.object = _pve_info_array_get_object (array, i);
      if (point.object == NULL || !pve_json_get_int (point.object, "time", &point.time)
          || point.time < 0)
        continue;
      g_array_append_val (points, point);
    }
  g_array_sort (points, compare_points);

  series = g_atomic_rc_box_new0 (PveRrdSeries);
  series->n_points = points->len;
  series->times = g_new0 (gint64, MAX (points->len, 1));
  series->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < points->len; i++)
    {
      RrdPoint *point = &g_array_index (points, RrdPoint, i);
      JsonObjectIter iter;
      const char *member;
      JsonNode *node;

      series->times[i] = point->time;

      json_object_iter_init (&iter, point->object);
      while (json_object_iter_next (&iter, &member, &node))
        {
          double *values;
          double value;

          if (g_str_equal (member, "time") || !node_get_double (node, &value))
            continue;

          values = g_hash_table_lookup (series->values, member);
          if (values == NULL)
            {
              if (g_hash_table_size (series->values) >= MAX_RRD_SERIES)
                continue;
              values = g_new (double, points->len);
              for (guint j = 0; j < points->len; j++)
                values[j] = NAN;
              g_hash_table_insert (series->values, g_strdup (member), values);
            }
          values[i] = value;
        }
    }

  return series;
}

guint
pve_rrd_series_get_n_points (PveRrdSeries *series)
{
  g_return_val_if_fail (series != NULL, 0);
  return series->n_points;
}

const gint64 *
pve_rrd_series_get_times (PveRrdSeries *series)
{
  g_return_val_if_fail (series != NULL, NULL);
  return series->times;
}

const double *
pve_rrd_series_get_values (PveRrdSeries *series,
                           const char   *name)
{
  g_return_val_if_fail (series != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  return g_hash_table_lookup (series->values, name);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
pve_rrd_series_dup_names (PveRrdSeries *series)
{
  g_autofree gpointer *keys = NULL;
  guint n = 0;
  GStrv names;

  g_return_val_if_fail (series != NULL, NULL);

  keys = g_hash_table_get_keys_as_array (series->values, &n);
  qsort (keys, n, sizeof (gpointer), compare_strings);
  names = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    names[i] = g_strdup (keys[i]);
  return names;
}

const char *
pve_rrd_timeframe_to_string (PveRrdTimeframe timeframe)
{
  switch (timeframe)
    {
    case PVE_RRD_TIMEFRAME_DAY:
      return "day";
    case PVE_RRD_TIMEFRAME_WEEK:
      return "week";
    case PVE_RRD_TIMEFRAME_HOUR:
    default:
      return "hour";
    }
}

static gpointer
rrd_parse_cb (JsonNode *data, gint64 total, gpointer parse_data, GError **error)
{
  return pve_rrd_series_parse (data, error);
}

static void
rrd_load (PveRemoteManager    *manager,
          PveRemote           *remote,
          const char          *path,
          PveRrdTimeframe      timeframe,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  g_autoptr(GHashTable) params = new_params ();

  g_hash_table_insert (params, "timeframe", g_strdup (pve_rrd_timeframe_to_string (timeframe)));
  g_hash_table_insert (params, "cf", g_strdup ("AVERAGE"));
  _pve_info_request_async (manager, remote, "GET", path, params, rrd_parse_cb, NULL, NULL,
                           (GDestroyNotify) pve_rrd_series_unref, pve_node_rrd_load_async,
                           cancellable, callback, user_data);
}

void
pve_node_rrd_load_async (PveRemoteManager    *manager,
                         PveRemote           *remote,
                         const char          *node,
                         PveRrdTimeframe      timeframe,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (PVE_IS_REMOTE_MANAGER (manager));
  g_return_if_fail (PVE_IS_REMOTE (remote));
  g_return_if_fail (node != NULL);

  path = pve_client_build_path ("nodes", node, "rrddata", NULL);
  rrd_load (manager, remote, path, timeframe, cancellable, callback, user_data);
}

void
pve_guest_rrd_load_async (PveRemoteManager    *manager,
                          PveRemote           *remote,
                          const char          *node,
                          const char          *guest_type,
                          gint64               vmid,
                          PveRrdTimeframe      timeframe,
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
  path = pve_client_build_path ("nodes", node, guest_type, id, "rrddata", NULL);
  rrd_load (manager, remote, path, timeframe, cancellable, callback, user_data);
}

PveRrdSeries *
pve_rrd_load_finish (GAsyncResult  *result,
                     GError       **error)
{
  return _pve_info_request_finish (result, pve_node_rrd_load_async, error);
}

/* ---- snapshots ------------------------------------------------------------------------- */

void
pve_snapshot_free (PveSnapshot *snapshot)
{
  if (snapshot == NULL)
    return;
  g_free (snapshot->name);
  g_free (snapshot->description);
  g_free (snapshot->parent);
  g_free (snapshot);
}

static int
compare_snapshots (gconstpointer a,
                   gconstpointer b)
{
  const PveSnapshot *sa = *(PveSnapshot * const *) a;
  const PveSnapshot *sb = *(PveSnapshot * const *) b;

  if (sa->snaptime != sb->snaptime)
    return (sa->snaptime > sb->snaptime) - (sa->snaptime < sb->snaptime);
  return g_utf8_collate (sa->name, sb->name);
}

GPtrArray *
pve_snapshot_list_parse (JsonNode  *data,
                         GError   **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *current_parent = NULL;
  JsonArray *array;

  if (!_pve_info_check_array (data, _("the snapshot list"), error))
    return NULL;
  array = json_node_get_array (data);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) pve_snapshot_free);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = _pve_info_array_get_object (array, i);
      PveSnapshot *snapshot;
      char *name;

      if (object == NULL || (name = _pve_info_dup_string (object, "name")) == NULL)
        continue;

      /* "current" is reserved: it is the running state ("You are here!"), not a snapshot. */
      if (g_str_equal (name, "current"))
        {
          g_free (current_parent);
          current_parent = _pve_info_dup_string (object, "parent");
          g_free (name);
          continue;
        }

      snapshot = g_new0 (PveSnapshot, 1);
      snapshot->name = name;
      snapshot->description = _pve_info_dup_string (object, "description");
      if (snapshot->description != NULL)
        g_strchomp (snapshot->description);
      snapshot->parent = _pve_info_dup_string (object, "parent");
      snapshot->snaptime = _pve_info_get_int (object, "snaptime", -1);
      snapshot->vmstate = _pve_info_get_bool (object, "vmstate", FALSE);
      g_ptr_array_add (list, snapshot);
    }

  if (current_parent != NULL)
    for (guint i = 0; i < list->len; i++)
      {
        PveSnapshot *snapshot = g_ptr_array_index (list, i);

        snapshot->is_current = g_str_equal (snapshot->name, current_parent);
      }

  g_ptr_array_sort (list, compare_snapshots);
  return g_steal_pointer (&list);
}

static gpointer
snapshot_list_parse_cb (JsonNode *data, gint64 total, gpointer parse_data, GError **error)
{
  return pve_snapshot_list_parse (data, error);
}

void
pve_snapshot_list_load_async (PveRemoteManager    *manager,
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
  path = pve_client_build_path ("nodes", node, guest_type, id, "snapshot", NULL);
  _pve_info_request_async (manager, remote, "GET", path, NULL, snapshot_list_parse_cb, NULL,
                           NULL, (GDestroyNotify) g_ptr_array_unref,
                           pve_snapshot_list_load_async, cancellable, callback, user_data);
}

GPtrArray *
pve_snapshot_list_load_finish (GAsyncResult  *result,
                               GError       **error)
{
  return _pve_info_request_finish (result, pve_snapshot_list_load_async, error);
}

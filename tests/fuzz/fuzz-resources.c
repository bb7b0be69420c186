/* SPDX-License-Identifier: GPL-3.0-or-later */
/* /cluster/resources both ways: as a JsonNode tree (pve_api_parse_resources) and straight from
 * the body (the strict scanner behind pve_api_parse_resources_body). Whatever the scanner takes,
 * the tree way must take too, with the very same resources. */
#include "fuzz-common.h"
#include "pve-api-private.h"

static void
check_resources (GPtrArray *resources)
{
  for (guint i = 0; i < resources->len; i++)
    {
      PveResource *r = g_ptr_array_index (resources, i);
      g_assert (r->id != NULL);
      g_assert (r->status != NULL);
      if (r->type == PVE_RESOURCE_QEMU || r->type == PVE_RESOURCE_LXC)
        g_assert (r->vmid >= 0);
    }
}

static void
assert_same (GPtrArray *a,
             GPtrArray *b)
{
  g_assert (a->len == b->len);
  for (guint i = 0; i < a->len; i++)
    {
      PveResource *x = g_ptr_array_index (a, i);
      PveResource *y = g_ptr_array_index (b, i);

      g_assert (x->type == y->type && x->vmid == y->vmid && x->template == y->template);
      g_assert (x->has_stats == y->has_stats && x->cpu == y->cpu && x->maxcpu == y->maxcpu);
      g_assert (x->mem == y->mem && x->maxmem == y->maxmem && x->disk == y->disk);
      g_assert (x->maxdisk == y->maxdisk && x->uptime == y->uptime);
      g_assert (x->netin == y->netin && x->netout == y->netout);
      g_assert (g_strcmp0 (x->id, y->id) == 0 && g_strcmp0 (x->node, y->node) == 0);
      g_assert (g_strcmp0 (x->status, y->status) == 0 && g_strcmp0 (x->name, y->name) == 0);
      g_assert (g_strcmp0 (x->tags, y->tags) == 0 && g_strcmp0 (x->pool, y->pool) == 0);
      g_assert (g_strcmp0 (x->lock, y->lock) == 0 && g_strcmp0 (x->hastate, y->hastate) == 0);
      g_assert (g_strcmp0 (x->storage, y->storage) == 0);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) scan_error = NULL;
  g_autoptr(GPtrArray) resources = NULL;
  g_autoptr(GPtrArray) scanned = NULL;
  JsonNode *node;

  fuzz_quiet_logs ();
  scanned = _pve_api_scan_resources ((const char *) data, size, &scan_error);
  if (scanned != NULL)
    check_resources (scanned);

  node = fuzz_unwrap (data, size);
  if (node != NULL)
    resources = pve_api_parse_resources (node, &error);
  if (resources != NULL)
    check_resources (resources);
  else if (node != NULL)
    g_assert (error != NULL);

  /* What the scanner takes, the tree way takes, the same; what it refuses as a resource list,
   * the tree way refuses too. */
  if (scanned != NULL)
    {
      g_assert (resources != NULL);
      assert_same (resources, scanned);
    }
  if (scan_error != NULL)
    g_assert (resources == NULL);

  if (node != NULL)
    json_node_unref (node);
  return 0;
}

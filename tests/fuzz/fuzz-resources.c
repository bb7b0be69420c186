/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) resources = NULL;
  JsonNode *node;

  fuzz_quiet_logs ();
  node = fuzz_unwrap (data, size);
  if (node == NULL)
    return 0;
  resources = pve_api_parse_resources (node, &error);
  if (resources != NULL)
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
  else
    g_assert (error != NULL);
  json_node_unref (node);
  return 0;
}

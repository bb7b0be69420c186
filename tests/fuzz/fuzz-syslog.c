/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  gint64 first = -1;
  JsonNode *node;

  fuzz_quiet_logs ();
  node = fuzz_unwrap (data, size);
  if (node == NULL)
    return 0;
  lines = pve_api_parse_log_lines (node, &first, &error);
  if (lines == NULL)
    g_assert (error != NULL);
  else
    for (guint i = 0; i < lines->len; i++)
      g_assert (g_ptr_array_index (lines, i) != NULL);
  json_node_unref (node);
  return 0;
}

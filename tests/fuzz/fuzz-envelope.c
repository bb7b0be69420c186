/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  JsonNode *node;
  g_autofree char *message = NULL;

  fuzz_quiet_logs ();
  node = fuzz_unwrap (data, size);
  g_clear_pointer (&node, json_node_unref);
  message = pve_api_error_message ((const char *) data, size);
  if (message != NULL)
    g_assert (g_utf8_validate (message, -1, NULL));
  return 0;
}

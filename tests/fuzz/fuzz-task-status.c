/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  PveTaskStatus status = { 0 };
  JsonNode *node;

  fuzz_quiet_logs ();
  node = fuzz_unwrap (data, size);
  if (node == NULL)
    return 0;
  if (pve_api_parse_task_status (node, &status, &error))
    {
      g_assert (status.running || status.exitstatus != NULL);
      (void) pve_task_exitstatus_is_ok (status.exitstatus);
    }
  else
    g_assert (error != NULL);
  pve_task_status_clear (&status);
  json_node_unref (node);
  return 0;
}

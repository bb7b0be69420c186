/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  PveLoginInfo info = { 0 };
  JsonNode *node;

  fuzz_quiet_logs ();
  node = fuzz_unwrap (data, size);
  if (node == NULL)
    return 0;
  if (pve_api_parse_login (node, &info, &error))
    {
      g_assert (info.need_tfa || (info.ticket != NULL && info.csrf_token != NULL));
      if (info.ticket != NULL)
        (void) pve_api_ticket_timestamp (info.ticket);
    }
  else
    g_assert (error != NULL);
  pve_login_info_clear (&info);
  json_node_unref (node);
  return 0;
}

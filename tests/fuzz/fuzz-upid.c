/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *path = NULL;
  PveUpid upid = { 0 };

  fuzz_quiet_logs ();
  if (pve_upid_parse (text, &upid, &error))
    {
      g_assert (upid.node != NULL && upid.type != NULL && upid.user != NULL);
      /* The client puts UPIDs into URLs: the escaped segment must stay one segment. */
      path = pve_client_build_path ("nodes", upid.node, "tasks", text, "status", NULL);
      g_assert (path != NULL && g_str_has_prefix (path, "/nodes/"));
    }
  else
    g_assert (error != NULL);
  pve_upid_clear (&upid);
  return 0;
}

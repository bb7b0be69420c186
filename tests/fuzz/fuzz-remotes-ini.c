/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz-common.h"
#include "pve-remote-store.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) remotes = NULL;

  fuzz_quiet_logs ();
  remotes = pve_remote_store_parse ((const char *) data, size, &error);
  if (remotes == NULL)
    {
      g_assert (error != NULL);
      return 0;
    }
  /* Whatever was accepted must survive a save and a reload unchanged in number. */
  {
    g_autoptr(GListStore) store = g_list_store_new (PVE_TYPE_REMOTE);
    g_autofree char *text = NULL;
    g_autoptr(GPtrArray) again = NULL;
    gsize len = 0;

    for (guint i = 0; i < remotes->len; i++)
      g_list_store_append (store, g_ptr_array_index (remotes, i));
    text = pve_remote_store_serialize (G_LIST_MODEL (store), &len);
    again = pve_remote_store_parse (text, len, NULL);
    g_assert (again != NULL);
    g_assert_cmpuint (again->len, ==, remotes->len);
  }
  return 0;
}

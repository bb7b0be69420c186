/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "pve-build-tree.h"

gboolean
pve_running_from_build_tree (void)
{
  static gsize answer;

  if (g_once_init_enter (&answer))
    {
      g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
      char *build_root = realpath (PVE_BUILD_ROOT, NULL);
      gboolean inside = exe != NULL && build_root != NULL &&
                        g_str_has_prefix (exe, build_root) &&
                        exe[strlen (build_root)] == G_DIR_SEPARATOR;

      free (build_root);
      g_once_init_leave (&answer, inside ? 2 : 1);
    }
  return answer == 2;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether this program runs from the build tree it was built in (the README's commands, the
 * tests): then it uses what that tree built (the backend module, the demo's simulator), never
 * an installed copy of another version; an installed program never uses a build tree's. */
gboolean pve_running_from_build_tree (void);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Opens the SPICE console of a qemu guest in remote-viewer (virt-viewer).
 *
 * Flow: look for `remote-viewer` in PATH (none: PVE_CONSOLE_ERROR_NO_VIEWER, nothing sent) ->
 * POST /nodes/{node}/qemu/{vmid}/spiceproxy -> write the answer as a [virt-viewer] connection
 * file (mode 0600, in the user's runtime directory, delete-this-file=1 so the viewer removes
 * it once read) -> spawn `remote-viewer FILE`. If the spawn fails the file is removed. The
 * SPICE password is never logged.
 */
#pragma once

#include <gio/gio.h>

#include "pve-remote-manager.h"

G_BEGIN_DECLS

#define PVE_CONSOLE_ERROR (pve_console_error_quark ())

typedef enum
{
  PVE_CONSOLE_ERROR_NO_VIEWER,   /* remote-viewer is not installed: the message says how */
  PVE_CONSOLE_ERROR_LAUNCH,      /* it is installed but could not be started */
  PVE_CONSOLE_ERROR_INVALID,     /* the server's answer is not a SPICE connection */
} PveConsoleError;

GQuark   pve_console_error_quark        (void);

/* Full path of remote-viewer, or NULL. */
char    *pve_console_find_viewer        (void);

/* The [virt-viewer] file for a spiceproxy answer (an object of keys); NULL with
 * PVE_CONSOLE_ERROR_INVALID when it lacks what a viewer needs. Values with line breaks are
 * escaped so that no key can be injected; delete-this-file=1 is always set. */
char    *pve_console_build_vv           (JsonNode            *data,
                                         GError             **error);

void     pve_console_open_async         (PveRemoteManager    *manager,
                                         PveRemote           *remote,
                                         const char          *node,
                                         gint64               vmid,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* TRUE once remote-viewer was started. */
gboolean pve_console_open_finish        (GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS

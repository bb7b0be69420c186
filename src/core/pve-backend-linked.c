/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The full core links the backend (pve-client.c, pve-secrets-keyring.c): nothing to load. */
#include "pve-backend.h"

void
pve_backend_preload (void)
{
}

gboolean
pve_backend_is_loaded (void)
{
  return TRUE;
}

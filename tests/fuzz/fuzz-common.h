/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared bits of the libFuzzer targets: every target feeds hostile bytes to one parser of
 * server data (or of remotes.ini) and must neither crash, leak nor hang. */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#include "pve-api.h"
#include "pve-client.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static inline void
fuzz_quiet_logs (void)
{
  static gboolean done;

  if (!done)
    {
      /* Parsers may g_debug(); warnings would be bugs and must still abort. */
      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      done = TRUE;
    }
}

/* Unwraps the envelope like the client does; NULL when the body is refused. */
static inline JsonNode *
fuzz_unwrap (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;
  gint64 total = -1;

  node = pve_api_unwrap_envelope ((const char *) data, size, &total, &error);
  g_assert ((node == NULL) == (error != NULL));
  if (error != NULL)
    g_assert (error->message != NULL && error->message[0] != '\0');
  return node;
}

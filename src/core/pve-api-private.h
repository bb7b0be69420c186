/* SPDX-License-Identifier: GPL-3.0-or-later */
/* For tests and fuzzers only. */
#pragma once

#include "pve-api.h"

G_BEGIN_DECLS

/* The strict scanner behind pve_api_parse_resources_body(): NULL without an error when the
 * body is not strict JSON (the JsonNode way then decides), NULL with an error when it is but is
 * not a resource list. */
GPtrArray *_pve_api_scan_resources (const char  *body,
                                    gsize        length,
                                    GError     **error);

G_END_DECLS

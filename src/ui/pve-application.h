/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pve-remote-manager.h"

G_BEGIN_DECLS

#define PVE_TYPE_APPLICATION (pve_application_get_type ())
G_DECLARE_FINAL_TYPE (PveApplication, pve_application, PVE, APPLICATION, AdwApplication)

PveApplication   *pve_application_new         (void);
PveRemoteManager *pve_application_get_manager (PveApplication *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveTrustDialog: asks the user whether to trust a server certificate that the system does not
 * trust (unknown) or that differs from the pinned one (changed). Shows the SHA-256 fingerprint,
 * subject, issuer and validity. Responses "cancel" and "trust".
 */
#pragma once

#include <adwaita.h>

#include "pve-certificate-info.h"

G_BEGIN_DECLS

#define PVE_TYPE_TRUST_DIALOG (pve_trust_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PveTrustDialog, pve_trust_dialog, PVE, TRUST_DIALOG, AdwMessageDialog)

/* pinned_fingerprint: the fingerprint trusted so far (the certificate changed), or NULL for an
 * unknown certificate. Completes with TRUE for "trust"; FALSE (no error) for "cancel". */
void        pve_trust_dialog_run_async       (GtkWindow                *parent,
                                              const char               *host,
                                              const PveCertificateInfo *info,
                                              const char               *pinned_fingerprint,
                                              GCancellable             *cancellable,
                                              GAsyncReadyCallback       callback,
                                              gpointer                  user_data);
gboolean    pve_trust_dialog_run_finish      (GAsyncResult             *result,
                                              GError                  **error);

const char *pve_trust_dialog_get_fingerprint (PveTrustDialog           *self);
const char *pve_trust_dialog_get_pinned_fingerprint (PveTrustDialog    *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What a person needs to decide whether to trust a server certificate. */
typedef struct
{
  char      *fingerprint;  /* SHA-256 of the DER, uppercase "AA:BB:..." (95 chars) */
  char      *subject;      /* e.g. "CN=pve1.example.com,OU=PVE Cluster Node,O=..." */
  char      *issuer;
  GDateTime *not_before;   /* may be NULL */
  GDateTime *not_after;    /* may be NULL */
} PveCertificateInfo;

#define PVE_TYPE_CERTIFICATE_INFO (pve_certificate_info_get_type ())
GType               pve_certificate_info_get_type  (void) G_GNUC_CONST;

PveCertificateInfo *pve_certificate_info_new_from_certificate (GTlsCertificate          *certificate);
PveCertificateInfo *pve_certificate_info_copy      (const PveCertificateInfo *info);
void                pve_certificate_info_free      (PveCertificateInfo       *info);

/* SHA-256 of the certificate's DER as "AA:BB:...". */
char               *pve_certificate_fingerprint    (GTlsCertificate          *certificate);
/* Normalises "aa:bb", "AABB", "aa bb" to "AA:BB:..."; NULL if not 32 bytes of hex. */
char               *pve_fingerprint_normalize      (const char               *fingerprint);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PveCertificateInfo, pve_certificate_info_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "pve-certificate-info.h"

#include <string.h>

G_DEFINE_BOXED_TYPE (PveCertificateInfo, pve_certificate_info,
                     pve_certificate_info_copy, pve_certificate_info_free)

static char *
format_fingerprint (const guint8 *digest,
                    gsize         len)
{
  static const char hex[] = "0123456789ABCDEF";
  GString *str = g_string_sized_new (len * 3);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0)
        g_string_append_c (str, ':');
      g_string_append_c (str, hex[digest[i] >> 4]);
      g_string_append_c (str, hex[digest[i] & 0xf]);
    }

  return g_string_free (str, FALSE);
}

char *
pve_certificate_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GChecksum) checksum = NULL;
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, der->data, der->len);
  g_checksum_get_digest (checksum, digest, &digest_len);

  return format_fingerprint (digest, digest_len);
}

char *
pve_fingerprint_normalize (const char *fingerprint)
{
  guint8 bytes[32];
  gsize n = 0;
  int high = -1;

  if (fingerprint == NULL)
    return NULL;

  for (const char *p = fingerprint; *p != '\0'; p++)
    {
      int v = g_ascii_xdigit_value (*p);

      if (v < 0)
        {
          /* Separators are allowed only between whole bytes. */
          if ((*p == ':' || *p == ' ' || *p == '-') && high < 0)
            continue;
          return NULL;
        }

      if (high < 0)
        {
          high = v;
          continue;
        }

      if (n >= sizeof bytes)
        return NULL;
      bytes[n++] = (guint8) ((high << 4) | v);
      high = -1;
    }

  if (high >= 0 || n != sizeof bytes)
    return NULL;

  return format_fingerprint (bytes, n);
}

PveCertificateInfo *
pve_certificate_info_new_from_certificate (GTlsCertificate *certificate)
{
  PveCertificateInfo *info;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  info = g_new0 (PveCertificateInfo, 1);
  info->fingerprint = pve_certificate_fingerprint (certificate);
  g_object_get (certificate,
                "subject-name", &info->subject,
                "issuer-name", &info->issuer,
                "not-valid-before", &info->not_before,
                "not-valid-after", &info->not_after,
                NULL);

  return info;
}

PveCertificateInfo *
pve_certificate_info_copy (const PveCertificateInfo *info)
{
  PveCertificateInfo *copy;

  if (info == NULL)
    return NULL;

  copy = g_new0 (PveCertificateInfo, 1);
  copy->fingerprint = g_strdup (info->fingerprint);
  copy->subject = g_strdup (info->subject);
  copy->issuer = g_strdup (info->issuer);
  copy->not_before = info->not_before ? g_date_time_ref (info->not_before) : NULL;
  copy->not_after = info->not_after ? g_date_time_ref (info->not_after) : NULL;

  return copy;
}

void
pve_certificate_info_free (PveCertificateInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->fingerprint);
  g_free (info->subject);
  g_free (info->issuer);
  g_clear_pointer (&info->not_before, g_date_time_unref);
  g_clear_pointer (&info->not_after, g_date_time_unref);
  g_free (info);
}

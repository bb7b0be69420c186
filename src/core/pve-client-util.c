/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The part of pve-client.h that needs no libsoup: the error domain, host validation and
 * path building. The app links it itself (the remote dialog validates hosts, the views build
 * paths) while pve-client.c is in the backend module it loads after the first frame; see
 * pve-backend.h.
 */
#include <glib/gi18n-lib.h>
#include <string.h>

#include "pve-client.h"

#define MAX_HOST_LENGTH 253

G_DEFINE_QUARK (pve-client-error-quark, pve_client_error)

/* ---- Host validation ------------------------------------------------------------------------ */

static gboolean
is_ipv6_literal (const char *s)
{
  return strchr (s, ':') != NULL && g_hostname_is_ip_address (s);
}

static gboolean
validate_dns_name (const char  *host,
                   GError     **error)
{
  g_auto(GStrv) labels = NULL;
  g_autofree char *ascii = NULL;
  gsize len;
  guint n;
  gboolean all_numeric = TRUE;

  /* International names are checked in their ASCII (punycode) form. */
  ascii = g_hostname_to_ascii (host);
  if (ascii == NULL)
    goto bad;

  len = strlen (ascii);
  if (len > 0 && ascii[len - 1] == '.')
    ascii[len - 1] = '\0';
  if (ascii[0] == '\0' || strlen (ascii) > MAX_HOST_LENGTH)
    goto bad;

  labels = g_strsplit (ascii, ".", -1);
  n = g_strv_length (labels);
  for (guint i = 0; i < n; i++)
    {
      const char *label = labels[i];
      gsize llen = strlen (label);

      if (llen == 0 || llen > 63)
        goto bad;
      if (label[0] == '-' || label[llen - 1] == '-')
        goto bad;
      for (gsize j = 0; j < llen; j++)
        {
          if (!g_ascii_isalnum (label[j]) && label[j] != '-')
            goto bad;
          if (!g_ascii_isdigit (label[j]))
            all_numeric = FALSE;
        }
    }

  /* "300.1.2.3" is neither a valid IPv4 address nor a host name. */
  if (all_numeric && n > 1)
    goto bad;

  return TRUE;

bad:
  g_set_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_INVALID_HOST,
               _("“%s” is not a valid host name or IP address"), host);
  return FALSE;
}

gboolean
pve_client_validate_host (const char  *host,
                          GError     **error)
{
  gsize len;

  if (host == NULL || host[0] == '\0')
    {
      g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_INVALID_HOST,
                           _("Enter the host name or IP address of the server"));
      return FALSE;
    }

  len = strlen (host);
  if (len > MAX_HOST_LENGTH + 2)
    {
      g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_INVALID_HOST,
                           _("The host name is too long"));
      return FALSE;
    }

  if (strstr (host, "://") != NULL)
    {
      g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_INVALID_HOST,
                           _("Enter only the host name, without “https://”"));
      return FALSE;
    }

  for (const char *p = host; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
        {
          g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_INVALID_HOST,
                               _("The host name must not contain spaces"));
          return FALSE;
        }
    }

  if (strchr (host, '/') != NULL || strchr (host, '?') != NULL || strchr (host, '#') != NULL)
    {
      g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_INVALID_HOST,
                           _("Enter only the host name, without a path"));
      return FALSE;
    }

  if (strchr (host, '@') != NULL)
    {
      g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_INVALID_HOST,
                           _("Enter only the host name; the user name goes in its own field"));
      return FALSE;
    }

  if (host[0] == '[')
    {
      g_autofree char *inner = NULL;

      if (strstr (host, "]:") != NULL)
        goto port_in_host;
      if (len < 3 || host[len - 1] != ']')
        goto bad_ipv6;
      inner = g_strndup (host + 1, len - 2);
      if (!is_ipv6_literal (inner))
        goto bad_ipv6;
      return TRUE;
    }

  if (strchr (host, ':') != NULL)
    {
      if (is_ipv6_literal (host))
        return TRUE;
      goto port_in_host;
    }

  if (g_hostname_is_ip_address (host))
    return TRUE;

  return validate_dns_name (host, error);

bad_ipv6:
  g_set_error (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_INVALID_HOST,
               _("“%s” is not a valid IPv6 address"), host);
  return FALSE;

port_in_host:
  g_set_error_literal (error, PVE_CLIENT_ERROR, PVE_CLIENT_ERROR_INVALID_HOST,
                       _("Enter the port in the port field, not in the host name"));
  return FALSE;
}

char *
pve_client_build_path (const char *first_segment,
                       ...)
{
  GString *path = g_string_new (NULL);
  const char *segment;
  va_list args;

  va_start (args, first_segment);
  for (segment = first_segment; segment != NULL; segment = va_arg (args, const char *))
    {
      g_autofree char *escaped = g_uri_escape_string (segment, NULL, FALSE);
      g_string_append_c (path, '/');
      g_string_append (path, escaped);
    }
  va_end (args);

  if (path->len == 0)
    g_string_append_c (path, '/');

  return g_string_free (path, FALSE);
}

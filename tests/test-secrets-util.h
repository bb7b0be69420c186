/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveSecrets calls run to their end, and a remote to keep secrets for. Header-only, for the
 * tests of the keyring (test-secrets.c, test-backend.c).
 */
#pragma once

#include "pve-secrets.h"
#include "test-util.h"

static inline PveRemote *
make_remote (PveAuthKind kind)
{
  PveRemote *remote = pve_remote_new ();

  pve_remote_set_name (remote, "pve1");
  pve_remote_set_host (remote, "127.0.0.1");
  pve_remote_set_user (remote, "root");
  pve_remote_set_realm (remote, "pam");
  pve_remote_set_auth_kind (remote, kind);
  if (kind == PVE_AUTH_KIND_TOKEN)
    pve_remote_set_token_id (remote, "ci");
  return remote;
}

static inline gboolean
store_secret (PveSecrets *secrets,
              PveRemote  *remote,
              const char *secret,
              GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pve_secrets_store_async (secrets, remote, secret, NULL, pve_test_store_result, &result);
  pve_test_await (&result, 10000);
  return pve_secrets_store_finish (secrets, result, error);
}

static inline char *
lookup_secret (PveSecrets *secrets,
               PveRemote  *remote,
               GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pve_secrets_lookup_async (secrets, remote, NULL, pve_test_store_result, &result);
  pve_test_await (&result, 10000);
  return pve_secrets_lookup_finish (secrets, result, error);
}

static inline gboolean
clear_secret (PveSecrets *secrets,
              const char *id,
              GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pve_secrets_clear_async (secrets, id, NULL, pve_test_store_result, &result);
  pve_test_await (&result, 10000);
  return pve_secrets_clear_finish (secrets, result, error);
}

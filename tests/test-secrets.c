/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PveSecrets against the real gnome-keyring of the isolated test session (run-isolated.sh),
 * cross-checked with secret-tool; and against buses without any Secret Service. */
#include "pve-secrets.h"
#include "test-secrets-util.h"
#include "test-util.h"

/* What `secret-tool search --all remote-id ID` prints (attributes and labels, on stderr and
 * stdout; secrets on stdout). */
static char *
secret_tool_search (const char *id)
{
  const char *argv[] = { "secret-tool", "search", "--all", "remote-id", id, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  return g_strconcat (out, err, NULL);
}

static void
test_store_lookup_clear (void)
{
  g_autoptr(PveSecrets) secrets = pve_secrets_new ();
  g_autoptr(PveRemote) remote = make_remote (PVE_AUTH_KIND_PASSWORD);
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *attribute = NULL;
  char *secret;

  g_assert_true (store_secret (secrets, remote, "s3cret pässword", &error));
  g_assert_no_error (error);

  secret = lookup_secret (secrets, remote, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "s3cret pässword");
  pve_secrets_free_secret (secret);

  /* The item is in the real keyring, with our schema, attributes and label. */
  listing = secret_tool_search (pve_remote_get_id (remote));
  attribute = g_strdup_printf ("attribute.remote-id = %s", pve_remote_get_id (remote));
  g_assert_nonnull (strstr (listing, attribute));
  g_assert_nonnull (strstr (listing, "attribute.kind = password"));
  g_assert_nonnull (strstr (listing, "label = PVE Remotes: pve1 (root@pam)"));
  g_assert_nonnull (strstr (listing, "schema = com.example.PveRemotes.Credential"));

  /* Storing again replaces, it does not add a second item. */
  g_assert_true (store_secret (secrets, remote, "second", &error));
  secret = lookup_secret (secrets, remote, &error);
  g_assert_cmpstr (secret, ==, "second");
  pve_secrets_free_secret (secret);

  g_assert_true (clear_secret (secrets, pve_remote_get_id (remote), &error));
  g_assert_no_error (error);
  secret = lookup_secret (secrets, remote, &error);
  g_assert_no_error (error);
  g_assert_null (secret);

  g_clear_pointer (&listing, g_free);
  listing = secret_tool_search (pve_remote_get_id (remote));
  g_assert_null (strstr (listing, attribute));

  /* Clearing what is not there is success. */
  g_assert_true (clear_secret (secrets, pve_remote_get_id (remote), &error));
  g_assert_no_error (error);
}

static void
test_lookup_missing (void)
{
  g_autoptr(PveSecrets) secrets = pve_secrets_new ();
  g_autoptr(PveRemote) remote = make_remote (PVE_AUTH_KIND_PASSWORD);
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = lookup_secret (secrets, remote, &error);
  g_assert_no_error (error);
  g_assert_null (secret);
  pve_secrets_free_secret (NULL);
}

static void
test_kinds (void)
{
  g_autoptr(PveSecrets) secrets = pve_secrets_new ();
  g_autoptr(PveRemote) remote = make_remote (PVE_AUTH_KIND_TOKEN);
  g_autoptr(PveRemote) other = make_remote (PVE_AUTH_KIND_PASSWORD);
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;
  char *secret;

  g_assert_true (store_secret (secrets, remote, "token-secret", &error));
  g_assert_true (store_secret (secrets, other, "other-password", &error));
  g_assert_no_error (error);

  listing = secret_tool_search (pve_remote_get_id (remote));
  g_assert_nonnull (strstr (listing, "attribute.kind = token"));

  /* The same remote switched to a password has no password yet. */
  pve_remote_set_auth_kind (remote, PVE_AUTH_KIND_PASSWORD);
  secret = lookup_secret (secrets, remote, &error);
  g_assert_no_error (error);
  g_assert_null (secret);
  g_assert_true (store_secret (secrets, remote, "now-a-password", &error));

  /* Clear removes every kind of this remote, and nothing of another remote. */
  g_assert_true (clear_secret (secrets, pve_remote_get_id (remote), &error));
  g_assert_no_error (error);
  secret = lookup_secret (secrets, remote, &error);
  g_assert_null (secret);
  pve_remote_set_auth_kind (remote, PVE_AUTH_KIND_TOKEN);
  secret = lookup_secret (secrets, remote, &error);
  g_assert_no_error (error);
  g_assert_null (secret);

  secret = lookup_secret (secrets, other, &error);
  g_assert_cmpstr (secret, ==, "other-password");
  pve_secrets_free_secret (secret);
  g_assert_true (clear_secret (secrets, pve_remote_get_id (other), &error));
}

/* Every call fails with UNAVAILABLE and a sentence about the keyring. */
static void
assert_all_unavailable (void)
{
  g_autoptr(PveSecrets) secrets = pve_secrets_new ();
  g_autoptr(PveRemote) remote = make_remote (PVE_AUTH_KIND_PASSWORD);
  g_autoptr(GError) error = NULL;
  char *secret;

  g_assert_false (store_secret (secrets, remote, "x", &error));
  g_assert_error (error, PVE_SECRETS_ERROR, PVE_SECRETS_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "keyring"));
  g_clear_error (&error);

  secret = lookup_secret (secrets, remote, &error);
  g_assert_null (secret);
  g_assert_error (error, PVE_SECRETS_ERROR, PVE_SECRETS_ERROR_UNAVAILABLE);
  g_clear_error (&error);

  g_assert_false (clear_secret (secrets, pve_remote_get_id (remote), &error));
  g_assert_error (error, PVE_SECRETS_ERROR, PVE_SECRETS_ERROR_UNAVAILABLE);
}

static void
test_unavailable_no_bus (void)
{
  if (g_test_subprocess ())
    {
      /* libsecret connects lazily: this child has not touched the bus yet. */
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus", TRUE);
      assert_all_unavailable ();
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_unavailable_no_service (void)
{
  if (g_test_subprocess ())
    {
      /* A second, private session bus on which nothing provides org.freedesktop.secrets. */
      GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);

      g_test_dbus_up (bus);
      g_assert_cmpstr (g_getenv ("DBUS_SESSION_BUS_ADDRESS"), ==, g_test_dbus_get_bus_address (bus));
      assert_all_unavailable ();
      /* Stopped, not torn down: libsecret keeps its bus connection for the whole process,
       * which g_test_dbus_down() would wait for in vain. The child exits right after. */
      g_test_dbus_stop (bus);
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pve/secrets/store-lookup-clear", test_store_lookup_clear);
  g_test_add_func ("/pve/secrets/lookup-missing", test_lookup_missing);
  g_test_add_func ("/pve/secrets/kinds", test_kinds);
  g_test_add_func ("/pve/secrets/unavailable/no-bus", test_unavailable_no_bus);
  g_test_add_func ("/pve/secrets/unavailable/no-service", test_unavailable_no_service);

  return g_test_run ();
}

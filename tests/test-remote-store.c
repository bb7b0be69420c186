/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PveRemoteStore against the real file system: round trip, atomic writes, corrupt files,
 * invalid groups, permissions, and that no secret ever lands in the file. */
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "pve-remote-store.h"
#include "test-util.h"

#define FP_A "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"

static const char * const allowed_keys[] = {
  "name", "host", "port", "user", "realm", "auth", "token-id", "fingerprint", "autoconnect", NULL
};

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("pve-store-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_unlink (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      remove_tree (child);
    }
  g_rmdir (path);
}

static GStrv
list_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_strv_builder_add (builder, name);
  return g_strv_builder_end (builder);
}

static void
save_and_wait (PveRemoteStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pve_remote_store_save_async (store, NULL, pve_test_store_result, &result);
  pve_test_await (&result, 5000);
  g_assert_true (pve_remote_store_save_finish (store, result, &error));
  g_assert_no_error (error);
}

static gboolean
load_and_wait (PveRemoteStore *store,
               GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pve_remote_store_load_async (store, NULL, pve_test_store_result, &result);
  pve_test_await (&result, 5000);
  return pve_remote_store_load_finish (store, result, error);
}

static PveRemote *
make_password_remote (void)
{
  PveRemote *remote = pve_remote_new ();

  /* Characters a key file has to escape. */
  pve_remote_set_name (remote, "Lab [east] = ü; #1");
  pve_remote_set_host (remote, "pve1.example.com");
  pve_remote_set_port (remote, 8443);
  pve_remote_set_user (remote, "root");
  pve_remote_set_realm (remote, "pam");
  pve_remote_set_fingerprint (remote, FP_A);
  pve_remote_set_autoconnect (remote, TRUE);
  return remote;
}

static PveRemote *
make_token_remote (void)
{
  PveRemote *remote = pve_remote_new ();

  pve_remote_set_name (remote, "ci");
  pve_remote_set_host (remote, "2001:db8::1");
  pve_remote_set_user (remote, "automation");
  pve_remote_set_realm (remote, "pve");
  pve_remote_set_auth_kind (remote, PVE_AUTH_KIND_TOKEN);
  pve_remote_set_token_id (remote, "deploy");
  return remote;
}

static void
assert_same_config (PveRemote *a,
                    PveRemote *b)
{
  g_assert_cmpstr (pve_remote_get_id (a), ==, pve_remote_get_id (b));
  g_assert_cmpstr (pve_remote_get_name (a), ==, pve_remote_get_name (b));
  g_assert_cmpstr (pve_remote_get_host (a), ==, pve_remote_get_host (b));
  g_assert_cmpuint (pve_remote_get_port (a), ==, pve_remote_get_port (b));
  g_assert_cmpstr (pve_remote_get_user (a), ==, pve_remote_get_user (b));
  g_assert_cmpstr (pve_remote_get_realm (a), ==, pve_remote_get_realm (b));
  g_assert_cmpint (pve_remote_get_auth_kind (a), ==, pve_remote_get_auth_kind (b));
  g_assert_cmpstr (pve_remote_get_token_id (a), ==, pve_remote_get_token_id (b));
  g_assert_cmpstr (pve_remote_get_fingerprint (a), ==, pve_remote_get_fingerprint (b));
  g_assert_cmpint (pve_remote_get_autoconnect (a), ==, pve_remote_get_autoconnect (b));
}

static void
test_round_trip (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "remotes.ini", NULL);
  g_autoptr(PveRemoteStore) store = pve_remote_store_new (path);
  g_autoptr(PveRemoteStore) again = pve_remote_store_new (path);
  g_autoptr(PveRemote) a = make_password_remote ();
  g_autoptr(PveRemote) b = make_token_remote ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PveRemote) a2 = NULL;
  g_autoptr(PveRemote) b2 = NULL;

  g_assert_cmpstr (pve_remote_store_get_path (store), ==, path);
  pve_remote_store_add (store, a);
  pve_remote_store_add (store, b);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  save_and_wait (store);

  g_assert_true (load_and_wait (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
  g_assert_cmpstr (pve_remote_store_get_skipped (again)[0], ==, NULL);

  a2 = g_object_ref (pve_remote_store_lookup (again, pve_remote_get_id (a)));
  b2 = g_object_ref (pve_remote_store_lookup (again, pve_remote_get_id (b)));
  assert_same_config (a, a2);
  assert_same_config (b, b2);
  g_assert_true (pve_remote_store_lookup_by_name (again, "CI") == b2);
  g_assert_cmpint (pve_remote_get_state (a2), ==, PVE_REMOTE_STATE_DISCONNECTED);

  /* Loaded remotes are new objects, and the model order is the file order. */
  g_assert_true (a2 != a);
  {
    g_autoptr(PveRemote) first = g_list_model_get_item (G_LIST_MODEL (again), 0);
    g_assert_true (first == a2);
  }

  /* The fuzzer's entry points agree with the store. */
  {
    gsize length = 0;
    g_autofree char *data = pve_remote_store_serialize (G_LIST_MODEL (store), &length);
    g_autoptr(GPtrArray) parsed = pve_remote_store_parse (data, length, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (parsed->len, ==, 2);
    assert_same_config (a, g_ptr_array_index (parsed, 0));
    assert_same_config (b, g_ptr_array_index (parsed, 1));
  }

  /* The worker thread may drop its reference on the store (and so on the remotes) a moment
   * after the result arrived: wait for it, then nothing else may hold the remotes. */
  {
    PveRemoteStore *weak = again;

    g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *)&weak);
    g_clear_object (&again);
    pve_test_wait_until (weak == NULL, 5000);
  }
  g_clear_object (&store);
  g_assert_finalize_object (g_steal_pointer (&a2));
  g_assert_finalize_object (g_steal_pointer (&b2));
  remove_tree (dir);
}

static void
test_missing_file (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "nope", "remotes.ini", NULL);
  g_autoptr(PveRemoteStore) store = pve_remote_store_new (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (load_and_wait (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  remove_tree (dir);
}

static void
test_default_path (void)
{
  g_autoptr(PveRemoteStore) store = pve_remote_store_new (NULL);
  g_autofree char *expected = g_build_filename (g_get_user_config_dir (),
                                                "com.example.PveRemotes", "remotes.ini", NULL);

  g_assert_cmpstr (pve_remote_store_get_path (store), ==, expected);
}

static void
test_permissions (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *sub = g_build_filename (dir, "a", "b", NULL);
  g_autofree char *path = g_build_filename (sub, "remotes.ini", NULL);
  g_autoptr(PveRemoteStore) store = pve_remote_store_new (path);
  g_autoptr(PveRemote) remote = make_password_remote ();
  GStatBuf st;
  mode_t old_umask;

  /* Even with a permissive umask the file is private. */
  old_umask = umask (0);
  pve_remote_store_add (store, remote);
  save_and_wait (store);
  umask (old_umask);

  g_assert_cmpint (g_stat (sub, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  remove_tree (dir);
}

static void
test_atomic_write (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "remotes.ini", NULL);
  g_autoptr(PveRemoteStore) store = pve_remote_store_new (path);
  g_autoptr(PveRemote) remote = make_password_remote ();
  g_autoptr(GError) error = NULL;
  g_autofree char *old_contents = NULL;
  g_autofree char *new_contents = NULL;
  g_autoptr(GMappedFile) old_mapping = NULL;
  g_auto(GStrv) names = NULL;
  GStatBuf before, after;
  GAsyncResult *results[5] = { NULL, };

  pve_remote_store_add (store, remote);
  save_and_wait (store);
  g_assert_true (g_file_get_contents (path, &old_contents, NULL, NULL));
  g_assert_cmpint (g_stat (path, &before), ==, 0);

  /* Whoever had the old file open still sees the complete old file: the new one replaced it
   * by rename (a new inode), it was not rewritten in place. */
  old_mapping = g_mapped_file_new (path, FALSE, &error);
  g_assert_no_error (error);

  /* Five saves in a row, the state changing between them: they are serialised and the
   * last state wins. */
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autofree char *name = g_strdup_printf ("renamed %u", i);

      pve_remote_set_name (remote, name);
      pve_remote_store_save_async (store, NULL, pve_test_store_result, &results[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      pve_test_await (&results[i], 5000);
      g_assert_true (pve_remote_store_save_finish (store, results[i], &error));
      g_assert_no_error (error);
      g_clear_object (&results[i]);
    }

  g_assert_cmpint (g_stat (path, &after), ==, 0);
  g_assert_cmpuint (before.st_ino, !=, after.st_ino);
  g_assert_cmpmem (g_mapped_file_get_contents (old_mapping), g_mapped_file_get_length (old_mapping),
                   old_contents, strlen (old_contents));

  g_assert_true (g_file_get_contents (path, &new_contents, NULL, NULL));
  g_assert_nonnull (strstr (new_contents, "name=renamed 4\n"));
  g_assert_null (strstr (new_contents, "renamed 3"));

  /* No temporary file left behind. */
  names = list_dir (dir);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "remotes.ini");

  remove_tree (dir);
}

static void
test_corrupt_file (void)
{
  static const char garbage[] = "[3f1c\nhost=pve1\nthis line is not a key file line\n\xff\xfe";
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "remotes.ini", NULL);
  g_autoptr(PveRemoteStore) store = pve_remote_store_new (path);
  g_autoptr(PveRemote) remote = make_password_remote ();
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *backup_contents = NULL;
  g_auto(GStrv) names = NULL;
  gsize backup_length = 0;

  g_assert_true (g_file_set_contents (path, garbage, sizeof garbage - 1, NULL));

  g_assert_false (load_and_wait (store, &error));
  g_assert_error (error, PVE_STORE_ERROR, PVE_STORE_ERROR_CORRUPT);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);

  /* Moved aside, byte for byte, under a dated name the error mentions. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  names = list_dir (dir);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_true (g_str_has_prefix (names[0], "remotes.ini.bak-"));
  g_assert_cmpuint (strlen (names[0]), ==, strlen ("remotes.ini.bak-YYYYMMDD-HHMMSS"));
  g_assert_nonnull (strstr (error->message, names[0]));
  backup = g_build_filename (dir, names[0], NULL);
  g_assert_true (g_file_get_contents (backup, &backup_contents, &backup_length, NULL));
  g_assert_cmpmem (backup_contents, backup_length, garbage, sizeof garbage - 1);

  /* The store is usable; a save writes a new file and leaves the backup alone. */
  pve_remote_store_add (store, remote);
  save_and_wait (store);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_pointer (&backup_contents, g_free);
  g_assert_true (g_file_get_contents (backup, &backup_contents, &backup_length, NULL));
  g_assert_cmpmem (backup_contents, backup_length, garbage, sizeof garbage - 1);

  /* A second corrupt file gets its own backup; the first one is never overwritten. */
  g_assert_true (g_file_set_contents (path, "not [a] key file", -1, NULL));
  g_clear_error (&error);
  g_assert_false (load_and_wait (store, &error));
  g_assert_error (error, PVE_STORE_ERROR, PVE_STORE_ERROR_CORRUPT);
  g_strfreev (names);
  names = list_dir (dir);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_clear_pointer (&backup_contents, g_free);
  g_assert_true (g_file_get_contents (backup, &backup_contents, &backup_length, NULL));
  g_assert_cmpmem (backup_contents, backup_length, garbage, sizeof garbage - 1);

  remove_tree (dir);
}

static void
test_invalid_groups (void)
{
  static const char contents[] =
    "[good]\nname=good\nhost=10.0.0.1\nport=8006\nuser=root\nrealm=pam\nauth=password\n"
    "[no-host]\nname=nohost\nuser=root\n"
    "[bad-port]\nname=badport\nhost=pve2\nport=99999\nuser=root\n"
    "[word-port]\nname=wordport\nhost=pve3\nport=eighty\nuser=root\n"
    "[bad-auth]\nname=badauth\nhost=pve4\nuser=root\nauth=kerberos\n"
    "[token-no-id]\nname=tok\nhost=pve5\nuser=root\nauth=token\n"
    "[bad-fp]\nname=badfp\nhost=pve6\nuser=root\nfingerprint=12:34\n"
    "[dup]\nname=GOOD\nhost=pve7\nuser=root\n"
    "[defaults]\nhost=pve8\nuser=admin\n";
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "remotes.ini", NULL);
  g_autoptr(PveRemoteStore) store = pve_remote_store_new (path);
  g_autoptr(GKeyFile) saved = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  const char * const *skipped;
  PveRemote *remote;

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  g_assert_true (load_and_wait (store, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  g_assert_nonnull (pve_remote_store_lookup (store, "good"));
  remote = pve_remote_store_lookup (store, "defaults");
  g_assert_nonnull (remote);
  g_assert_cmpstr (pve_remote_get_name (remote), ==, "pve8");
  g_assert_cmpuint (pve_remote_get_port (remote), ==, 8006);
  g_assert_cmpstr (pve_remote_get_realm (remote), ==, "pam");
  g_assert_cmpint (pve_remote_get_auth_kind (remote), ==, PVE_AUTH_KIND_PASSWORD);

  /* Each skipped group is reported by id with its reason. */
  skipped = pve_remote_store_get_skipped (store);
  g_assert_cmpuint (g_strv_length ((GStrv)skipped), ==, 7);
  g_assert_nonnull (strstr (skipped[0], "no-host"));
  g_assert_nonnull (strstr (skipped[0], "host"));
  g_assert_nonnull (strstr (skipped[1], "bad-port"));
  g_assert_nonnull (strstr (skipped[1], "port"));

  /* The file is neither moved aside nor emptied... */
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  /* ...and a save keeps the skipped groups as they were. */
  save_and_wait (store);
  g_assert_true (g_key_file_load_from_file (saved, path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  g_assert_true (g_key_file_has_group (saved, "no-host"));
  g_assert_true (g_key_file_has_group (saved, "bad-port"));
  {
    g_autofree char *port = g_key_file_get_value (saved, "bad-port", "port", NULL);
    g_assert_cmpstr (port, ==, "99999");
  }
  g_assert_true (g_key_file_has_group (saved, "good"));

  /* Removing a skipped remote's id drops its group for good. */
  {
    g_autoptr(PveRemote) ghost = pve_remote_new_with_id ("bad-port");
    g_assert_false (pve_remote_store_remove (store, ghost));
  }
  save_and_wait (store);
  g_key_file_unref (saved);
  saved = g_key_file_new ();
  g_assert_true (g_key_file_load_from_file (saved, path, G_KEY_FILE_NONE, NULL));
  g_assert_false (g_key_file_has_group (saved, "bad-port"));

  remove_tree (dir);
}

static void
test_no_secret (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "remotes.ini", NULL);
  g_autoptr(PveRemoteStore) store = pve_remote_store_new (path);
  g_autoptr(PveRemote) a = make_password_remote ();
  g_autoptr(PveRemote) b = make_token_remote ();
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) groups = NULL;
  g_autofree char *contents = NULL;

  pve_remote_store_add (store, a);
  pve_remote_store_add (store, b);
  save_and_wait (store);

  /* Only configuration keys exist: there is no place a secret could go. */
  g_assert_true (g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  groups = g_key_file_get_groups (key_file, NULL);
  g_assert_cmpuint (g_strv_length (groups), ==, 2);
  for (guint i = 0; groups[i]; i++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (key_file, groups[i], NULL, NULL);

      for (guint k = 0; keys[k]; k++)
        g_assert_true (g_strv_contains (allowed_keys, keys[k]));
    }

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "password="));
  g_assert_null (strstr (contents, "secret"));
  remove_tree (dir);
}

static void
test_remove_and_items_changed (void)
{
  g_autoptr(PveRemoteStore) store = pve_remote_store_new ("/nonexistent/remotes.ini");
  g_autoptr(PveRemote) a = make_password_remote ();
  g_autoptr(PveRemote) b = make_token_remote ();

  pve_remote_store_add (store, a);
  pve_remote_store_add (store, b);
  g_assert_true (pve_remote_store_lookup_by_name (store, "lab [EAST] = Ü; #1") == a);
  g_assert_true (pve_remote_store_remove (store, a));
  g_assert_false (pve_remote_store_remove (store, a));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_null (pve_remote_store_lookup (store, pve_remote_get_id (a)));
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (store), 1));
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  guint *count = user_data;
  (*count)++;
}

static void
test_remote_labels (void)
{
  g_autoptr(PveRemote) remote = pve_remote_new ();
  g_autoptr(PveRemote) copy = NULL;
  g_autofree char *label = NULL;
  g_autofree char *userid = NULL;
  g_autofree char *token = NULL;
  guint notified = 0;

  g_assert_true (g_uuid_string_is_valid (pve_remote_get_id (remote)));
  g_assert_cmpuint (pve_remote_get_port (remote), ==, 8006);

  pve_remote_set_name (remote, "pve1");
  label = pve_remote_dup_accessible_label (remote);
  g_assert_cmpstr (label, ==, "pve1, Disconnected");

  g_signal_connect (remote, "notify::accessible-label", G_CALLBACK (count_notify), &notified);
  _pve_remote_set_state (remote, PVE_REMOTE_STATE_CONNECTED, NULL);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (pve_remote_get_connected (remote));
  g_clear_pointer (&label, g_free);
  label = pve_remote_dup_accessible_label (remote);
  g_assert_cmpstr (label, ==, "pve1, Connected");

  _pve_remote_set_state (remote, PVE_REMOTE_STATE_FAILED, "Connection lost: refused");
  g_assert_false (pve_remote_get_connected (remote));
  g_clear_pointer (&label, g_free);
  label = pve_remote_dup_accessible_label (remote);
  g_assert_cmpstr (label, ==, "pve1, Connection lost: refused");

  pve_remote_set_name (remote, "pve2");
  g_assert_cmpuint (notified, ==, 3);
  pve_remote_set_name (remote, "pve2");
  g_assert_cmpuint (notified, ==, 3);

  pve_remote_set_user (remote, "bot");
  pve_remote_set_realm (remote, "pve");
  pve_remote_set_token_id (remote, "ci");
  userid = pve_remote_dup_userid (remote);
  token = pve_remote_dup_full_token_id (remote);
  g_assert_cmpstr (userid, ==, "bot@pve");
  g_assert_cmpstr (token, ==, "bot@pve!ci");

  copy = pve_remote_dup_config (remote);
  assert_same_config (remote, copy);
  g_assert_cmpint (pve_remote_get_state (copy), ==, PVE_REMOTE_STATE_DISCONNECTED);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pve/remote/labels", test_remote_labels);
  g_test_add_func ("/pve/store/round-trip", test_round_trip);
  g_test_add_func ("/pve/store/missing-file", test_missing_file);
  g_test_add_func ("/pve/store/default-path", test_default_path);
  g_test_add_func ("/pve/store/permissions", test_permissions);
  g_test_add_func ("/pve/store/atomic-write", test_atomic_write);
  g_test_add_func ("/pve/store/corrupt-file", test_corrupt_file);
  g_test_add_func ("/pve/store/invalid-groups", test_invalid_groups);
  g_test_add_func ("/pve/store/no-secret", test_no_secret);
  g_test_add_func ("/pve/store/remove", test_remove_and_items_changed);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * remotes.ini is written atomically: a child process saves the store in a loop (each save a
 * new generation: one remote named after it, plus many fixed remotes so that a write takes a
 * while), and the parent SIGKILLs it at random moments, many times. After each kill the file
 * must parse and hold a complete generation (every fixed remote, exactly one generation
 * remote, no older than the last one the child reported saved), and temporary files left by
 * killed writers must not pile up: the next writer clears them.
 *
 * The child is this program run again with --saver PATH.
 */
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pve-remote-store.h"
#include "test-util.h"

#define N_FIXED 200
#define ITERATIONS 150

static void
fill_fixed (PveRemoteStore *store)
{
  for (guint i = 0; i < N_FIXED; i++)
    {
      g_autofree char *id = g_strdup_printf ("00000000-0000-4000-8000-%012u", i);
      g_autofree char *name = g_strdup_printf ("fixed-%03u", i);
      g_autoptr(PveRemote) remote = pve_remote_new_with_id (id);

      pve_remote_set_name (remote, name);
      pve_remote_set_host (remote, "pve.example.com");
      pve_remote_set_port (remote, 8006);
      pve_remote_set_user (remote, "root");
      pve_remote_set_realm (remote, "pam");
      pve_remote_set_fingerprint (remote, "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:"
                                          "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99");
      pve_remote_store_add (store, remote);
    }
}

/* The child: saves generation after generation until it is killed. */
static int
run_saver (const char *path,
           guint       first)
{
  g_autoptr(PveRemoteStore) store = pve_remote_store_new (path);
  g_autoptr(PveRemote) gen = pve_remote_new_with_id ("ffffffff-0000-4000-8000-000000000000");
  g_autoptr(GError) error = NULL;

  fill_fixed (store);
  pve_remote_set_host (gen, "gen.example.com");
  pve_remote_set_user (gen, "root");
  pve_remote_set_realm (gen, "pam");
  pve_remote_store_add (store, gen);

  for (guint generation = first;; generation++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autofree char *name = g_strdup_printf ("gen-%u", generation);

      pve_remote_set_name (gen, name);
      pve_remote_store_save_async (store, NULL, pve_test_store_result, &result);
      pve_test_await (&result, 10000);
      if (!pve_remote_store_save_finish (store, result, &error))
        {
          fprintf (stderr, "save failed: %s\n", error->message);
          return 1;
        }
      /* Tell the parent which generation is on disk now. */
      printf ("%u\n", generation);
      fflush (stdout);
    }
}

static guint
count_temp_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (d)) != NULL)
    if (!g_str_equal (name, "remotes.ini"))
      n++;
  return n;
}

/* Returns the generation in the file. */
static guint
check_file (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) remotes = NULL;
  gsize length;
  guint generation = 0, n_fixed = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  remotes = pve_remote_store_parse (contents, length, &error);
  g_assert_no_error (error);
  g_assert_nonnull (remotes);
  g_assert_cmpuint (remotes->len, ==, N_FIXED + 1);
  for (guint i = 0; i < remotes->len; i++)
    {
      PveRemote *remote = g_ptr_array_index (remotes, i);
      const char *name = pve_remote_get_name (remote);

      if (g_str_has_prefix (name, "gen-"))
        {
          g_assert_cmpuint (generation, ==, 0);
          generation = (guint)g_ascii_strtoull (name + 4, NULL, 10);
          g_assert_cmpstr (pve_remote_get_host (remote), ==, "gen.example.com");
        }
      else
        {
          g_assert_true (g_str_has_prefix (name, "fixed-"));
          g_assert_cmpstr (pve_remote_get_host (remote), ==, "pve.example.com");
          g_assert_cmpstr (pve_remote_get_realm (remote), ==, "pam");
          n_fixed++;
        }
    }
  g_assert_cmpuint (n_fixed, ==, N_FIXED);
  g_assert_cmpuint (generation, >, 0);
  return generation;
}

static void
test_kill_during_save (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = g_dir_make_tmp ("pve-atomic-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "remotes.ini", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  guint last_reported = 0, max_temp = 0, n_mid_save = 0;

  g_assert_no_error (error);

  for (guint iteration = 0; iteration < ITERATIONS; iteration++)
    {
      g_autofree char *first = g_strdup_printf ("%u", last_reported + 2);
      const char *argv[] = { self_exe, "--saver", path, first, NULL };
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GDataInputStream) out = NULL;
      g_autofree char *line = NULL;
      guint on_disk = 0, reported = 0;
      gulong delay_us;

      child = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
      g_assert_no_error (error);
      out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));

      /* Wait for its first save, then kill it somewhere in the following saves. */
      line = g_data_input_stream_read_line (out, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (line);
      delay_us = g_rand_int_range (rand, 0, 20000);
      if (delay_us > 0)
        g_usleep (delay_us);   /* the random moment of the kill, not a synchronisation */
      g_subprocess_send_signal (child, SIGKILL);
      g_subprocess_wait (child, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_signaled (child));

      /* The last generation it reported done is what it saved last, or one more. */
      do
        {
          reported = (guint)g_ascii_strtoull (line, NULL, 10);
          g_free (line);
          line = g_data_input_stream_read_line (out, NULL, NULL, NULL);
        }
      while (line != NULL);

      on_disk = check_file (path);
      /* Never older than what was last reported saved, never a generation not yet written. */
      g_assert_cmpuint (on_disk, >=, reported);
      g_assert_cmpuint (on_disk, <=, reported + 1);
      n_mid_save += on_disk != reported;
      last_reported = reported;
      max_temp = MAX (max_temp, count_temp_files (dir));
      /* Temporary files of killed writers do not pile up. */
      g_assert_cmpuint (count_temp_files (dir), <=, 1);
    }

  g_test_message ("%u kills; %u landed between a write and its report; the most temp files "
                  "seen at once: %u; last generation %u", ITERATIONS, n_mid_save, max_temp,
                  last_reported);

  /* The app starting after that finds the file whole, and its first save tidies up. */
  {
    g_autoptr(PveRemoteStore) store = pve_remote_store_new (path);
    g_autoptr(GAsyncResult) result = NULL;

    pve_remote_store_load_async (store, NULL, pve_test_store_result, &result);
    pve_test_await (&result, 10000);
    g_assert_true (pve_remote_store_load_finish (store, result, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, N_FIXED + 1);
    g_clear_object (&result);
    pve_remote_store_save_async (store, NULL, pve_test_store_result, &result);
    pve_test_await (&result, 10000);
    g_assert_true (pve_remote_store_save_finish (store, result, &error));
    g_assert_cmpuint (count_temp_files (dir), ==, 0);
  }

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--saver"))
    return run_saver (argv[2], (guint)g_ascii_strtoull (argv[3], NULL, 10));

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pve/atomic-save/kill-during-save", test_kill_during_save);
  return g_test_run ();
}

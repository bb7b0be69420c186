/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "pve-remote-store.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define CONFIG_DIR_NAME "com.example.PveRemotes"
#define CONFIG_FILE_NAME "remotes.ini"

/* The only keys ever written: a secret has no key, so it cannot end up in the file. */
static const char * const known_keys[] = {
  "name", "host", "port", "user", "realm", "auth", "token-id", "fingerprint", "autoconnect",
  NULL
};

struct _PveRemoteStore
{
  GObject    parent_instance;

  char      *path;
  GPtrArray *remotes;

  /* Groups skipped at load (invalid on their own): written back unchanged so that a save
   * never silently drops what the user had, and why they were skipped. */
  GKeyFile  *preserved;
  GStrv      skipped;

  /* The file exists but could not be read: never overwrite it. */
  gboolean   load_failed;

  /* Saves are serialised: one write at a time. Tasks that arrive meanwhile wait for the
   * next write, which serialises the state as it is when that write starts. */
  gboolean   writing;
  GPtrArray *writing_tasks;
  GPtrArray *waiting_tasks;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PveRemoteStore, pve_remote_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

G_DEFINE_QUARK (pve-store-error-quark, pve_store_error)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
pve_remote_store_get_item_type (GListModel *model)
{
  return PVE_TYPE_REMOTE;
}

static guint
pve_remote_store_get_n_items (GListModel *model)
{
  return PVE_REMOTE_STORE (model)->remotes->len;
}

static gpointer
pve_remote_store_get_item (GListModel *model,
                           guint       position)
{
  PveRemoteStore *self = PVE_REMOTE_STORE (model);

  if (position >= self->remotes->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->remotes, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = pve_remote_store_get_item_type;
  iface->get_n_items = pve_remote_store_get_n_items;
  iface->get_item = pve_remote_store_get_item;
}

/* ---- Parsing and serialising ------------------------------------------------------------ */

/* "aa:bb..", "AABB..", "aa bb" -> "AA:BB:..."; NULL unless exactly 32 bytes of hex. */
static char *
normalize_fingerprint (const char *fingerprint)
{
  g_autoptr(GString) hex = g_string_new (NULL);
  GString *out;

  for (const char *p = fingerprint; *p; p++)
    {
      if (*p == ':' || *p == ' ' || *p == '-')
        continue;
      if (!g_ascii_isxdigit (*p))
        return NULL;
      g_string_append_c (hex, g_ascii_toupper (*p));
    }

  if (hex->len != 64)
    return NULL;

  out = g_string_sized_new (95);
  for (gsize i = 0; i < hex->len; i += 2)
    {
      if (i > 0)
        g_string_append_c (out, ':');
      g_string_append_len (out, hex->str + i, 2);
    }

  return g_string_free (out, FALSE);
}

static gboolean
is_plain_word (const char *s)
{
  if (s == NULL || s[0] == '\0')
    return FALSE;

  for (const char *p = s; *p; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      return FALSE;

  return TRUE;
}

static PveRemote *
parse_group (GKeyFile    *key_file,
             const char  *group,
             GHashTable  *names,
             GError     **error)
{
  g_autoptr(PveRemote) remote = NULL;
  g_autofree char *name = NULL;
  g_autofree char *host = NULL;
  g_autofree char *user = NULL;
  g_autofree char *realm = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *token_id = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *folded = NULL;
  guint port = 8006;
  gboolean autoconnect = FALSE;

  if (!g_utf8_validate (group, -1, NULL) || !is_plain_word (group))
    {
      g_set_error (error, PVE_STORE_ERROR, PVE_STORE_ERROR_CORRUPT, _("the id is not valid"));
      return NULL;
    }

  host = g_key_file_get_string (key_file, group, "host", NULL);
  if (host != NULL)
    g_strstrip (host);
  if (!is_plain_word (host))
    {
      g_set_error (error, PVE_STORE_ERROR, PVE_STORE_ERROR_CORRUPT, _("the host is missing"));
      return NULL;
    }

  if (g_key_file_has_key (key_file, group, "port", NULL))
    {
      g_autofree char *port_str = g_key_file_get_string (key_file, group, "port", NULL);
      guint64 value = 0;

      if (port_str == NULL
          || !g_ascii_string_to_unsigned (g_strstrip (port_str), 10, 1, 65535, &value, NULL))
        {
          g_set_error (error, PVE_STORE_ERROR, PVE_STORE_ERROR_CORRUPT,
                       _("the port is not a number between 1 and 65535"));
          return NULL;
        }
      port = (guint)value;
    }

  user = g_key_file_get_string (key_file, group, "user", NULL);
  if (user != NULL)
    g_strstrip (user);
  if (!is_plain_word (user))
    {
      g_set_error (error, PVE_STORE_ERROR, PVE_STORE_ERROR_CORRUPT, _("the user is missing"));
      return NULL;
    }

  realm = g_key_file_get_string (key_file, group, "realm", NULL);
  if (realm != NULL)
    g_strstrip (realm);
  if (realm == NULL || realm[0] == '\0')
    {
      g_free (realm);
      realm = g_strdup ("pam");
    }
  if (!is_plain_word (realm))
    {
      g_set_error (error, PVE_STORE_ERROR, PVE_STORE_ERROR_CORRUPT, _("the realm is not valid"));
      return NULL;
    }

  remote = pve_remote_new_with_id (group);

  auth = g_key_file_get_string (key_file, group, "auth", NULL);
  if (auth == NULL || g_str_equal (g_strstrip (auth), "password"))
    pve_remote_set_auth_kind (remote, PVE_AUTH_KIND_PASSWORD);
  else if (g_str_equal (auth, "token"))
    pve_remote_set_auth_kind (remote, PVE_AUTH_KIND_TOKEN);
  else
    {
      g_set_error (error, PVE_STORE_ERROR, PVE_STORE_ERROR_CORRUPT,
                   _("the authentication kind “%s” is unknown"), auth);
      return NULL;
    }

  token_id = g_key_file_get_string (key_file, group, "token-id", NULL);
  if (token_id != NULL)
    g_strstrip (token_id);
  if (token_id != NULL && token_id[0] == '\0')
    g_clear_pointer (&token_id, g_free);
  if (pve_remote_get_auth_kind (remote) == PVE_AUTH_KIND_TOKEN && !is_plain_word (token_id))
    {
      g_set_error (error, PVE_STORE_ERROR, PVE_STORE_ERROR_CORRUPT,
                   _("the API token id is missing"));
      return NULL;
    }

  fingerprint = g_key_file_get_string (key_file, group, "fingerprint", NULL);
  if (fingerprint != NULL && g_strstrip (fingerprint)[0] != '\0')
    {
      char *normalized = normalize_fingerprint (fingerprint);

      if (normalized == NULL)
        {
          g_set_error (error, PVE_STORE_ERROR, PVE_STORE_ERROR_CORRUPT,
                       _("the pinned certificate fingerprint is not a SHA-256 fingerprint"));
          return NULL;
        }
      g_free (fingerprint);
      fingerprint = normalized;
    }
  else
    g_clear_pointer (&fingerprint, g_free);

  if (g_key_file_has_key (key_file, group, "autoconnect", NULL))
    {
      g_autoptr(GError) local_error = NULL;

      autoconnect = g_key_file_get_boolean (key_file, group, "autoconnect", &local_error);
      if (local_error != NULL)
        {
          g_set_error (error, PVE_STORE_ERROR, PVE_STORE_ERROR_CORRUPT,
                       _("autoconnect is neither true nor false"));
          return NULL;
        }
    }

  name = g_key_file_get_string (key_file, group, "name", NULL);
  if (name != NULL)
    g_strstrip (name);
  if (name == NULL || name[0] == '\0')
    {
      g_free (name);
      name = g_strdup (host);
    }

  folded = g_utf8_casefold (name, -1);
  if (g_hash_table_contains (names, folded))
    {
      g_set_error (error, PVE_STORE_ERROR, PVE_STORE_ERROR_DUPLICATE,
                   _("another remote is already called “%s”"), name);
      return NULL;
    }
  g_hash_table_add (names, g_steal_pointer (&folded));

  pve_remote_set_name (remote, name);
  pve_remote_set_host (remote, host);
  pve_remote_set_port (remote, port);
  pve_remote_set_user (remote, user);
  pve_remote_set_realm (remote, realm);
  pve_remote_set_token_id (remote, token_id);
  pve_remote_set_fingerprint (remote, fingerprint);
  pve_remote_set_autoconnect (remote, autoconnect);

  return g_steal_pointer (&remote);
}

/* The whole parse: the valid remotes, plus the skipped groups (kept verbatim in
 * *preserved, with a sentence each in *skipped). Fails only when the file as a whole
 * cannot be read as a key file. */
static GPtrArray *
parse_full (const char  *contents,
            gsize        length,
            GKeyFile   **preserved,
            GStrv       *skipped,
            GError     **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GKeyFile) kept = g_key_file_new ();
  g_autoptr(GPtrArray) remotes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GStrvBuilder) messages = g_strv_builder_new ();
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;

  if (length > 0 && !g_key_file_load_from_data (key_file, contents, length,
                                                G_KEY_FILE_KEEP_COMMENTS, &local_error))
    {
      g_set_error (error, PVE_STORE_ERROR, PVE_STORE_ERROR_CORRUPT, "%s", local_error->message);
      return NULL;
    }

  groups = g_key_file_get_groups (key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autoptr(GError) group_error = NULL;
      PveRemote *remote = parse_group (key_file, groups[i], names, &group_error);

      if (remote != NULL)
        {
          g_ptr_array_add (remotes, remote);
          continue;
        }

      g_autofree char *message = NULL;

      /* TRANSLATORS: "Skipped the saved remote “id”: the host is missing" */
      message = g_strdup_printf (_("Skipped the saved remote “%s”: %s"),
                                 groups[i], group_error->message);
      g_strv_builder_add (messages, message);
      for (guint k = 0; known_keys[k] != NULL; k++)
        {
          g_autofree char *value = g_key_file_get_value (key_file, groups[i], known_keys[k], NULL);

          if (value != NULL)
            g_key_file_set_value (kept, groups[i], known_keys[k], value);
        }
    }

  if (preserved != NULL)
    *preserved = g_steal_pointer (&kept);
  if (skipped != NULL)
    *skipped = g_strv_builder_end (messages);

  return g_steal_pointer (&remotes);
}

GPtrArray *
pve_remote_store_parse (const char  *contents,
                        gsize        length,
                        GError     **error)
{
  g_return_val_if_fail (contents != NULL || length == 0, NULL);

  return parse_full (contents ? contents : "", length, NULL, NULL, error);
}

static char *
serialize_full (GListModel *remotes,
                GKeyFile   *preserved,
                gsize      *length)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  guint n = g_list_model_get_n_items (remotes);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PveRemote) remote = g_list_model_get_item (remotes, i);
      const char *id = pve_remote_get_id (remote);
      const char *value;

      g_key_file_set_string (key_file, id, "name", pve_remote_get_name (remote) ?: "");
      g_key_file_set_string (key_file, id, "host", pve_remote_get_host (remote) ?: "");
      g_key_file_set_integer (key_file, id, "port", (int)pve_remote_get_port (remote));
      g_key_file_set_string (key_file, id, "user", pve_remote_get_user (remote) ?: "");
      g_key_file_set_string (key_file, id, "realm", pve_remote_get_realm (remote) ?: "");
      g_key_file_set_string (key_file, id, "auth",
                             pve_remote_get_auth_kind (remote) == PVE_AUTH_KIND_TOKEN
                             ? "token" : "password");
      if ((value = pve_remote_get_token_id (remote)) != NULL)
        g_key_file_set_string (key_file, id, "token-id", value);
      if ((value = pve_remote_get_fingerprint (remote)) != NULL)
        g_key_file_set_string (key_file, id, "fingerprint", value);
      g_key_file_set_boolean (key_file, id, "autoconnect", pve_remote_get_autoconnect (remote));
    }

  if (preserved != NULL)
    {
      g_auto(GStrv) groups = g_key_file_get_groups (preserved, NULL);

      for (guint i = 0; groups[i] != NULL; i++)
        {
          if (g_key_file_has_group (key_file, groups[i]))
            continue;

          for (guint k = 0; known_keys[k] != NULL; k++)
            {
              g_autofree char *value = g_key_file_get_value (preserved, groups[i], known_keys[k],
                                                             NULL);
              if (value != NULL)
                g_key_file_set_value (key_file, groups[i], known_keys[k], value);
            }
        }
    }

  return g_key_file_to_data (key_file, length, NULL);
}

char *
pve_remote_store_serialize (GListModel *remotes,
                            gsize      *length)
{
  g_return_val_if_fail (G_IS_LIST_MODEL (remotes), NULL);

  return serialize_full (remotes, NULL, length);
}

/* ---- Disk I/O (worker threads) ------------------------------------------------------------ */

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 gboolean     is_folder,
                 const char  *path)
{
  g_autofree char *display = g_filename_display_name (path);

  if (is_folder)
    g_set_error (error, PVE_STORE_ERROR, PVE_STORE_ERROR_IO,
                 _("Could not create the folder %s: %s"), display, g_strerror (saved_errno));
  else
    g_set_error (error, PVE_STORE_ERROR, PVE_STORE_ERROR_IO,
                 _("Could not write %s: %s"), display, g_strerror (saved_errno));
  return FALSE;
}

/* A writer killed between creating its temp file and the rename leaves the temp file behind.
 * Each writer holds an exclusive flock on its temp file until the rename (the kernel drops it
 * when the process dies, whatever PID namespace it ran in), so a temp file that can be locked
 * has no writer left and is removed. */
static void
remove_stale_temp_files (const char *dir,
                         const char *base)
{
  g_autofree char *prefix = g_strdup_printf (".%s.", base);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *stale = NULL;
      int fd;

      /* Exactly what g_mkstemp_full () makes of ".BASE.XXXXXX". */
      if (!g_str_has_prefix (name, prefix) || strlen (name) != strlen (prefix) + 6)
        continue;
      stale = g_build_filename (dir, name, NULL);
      fd = open (stale, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
      if (fd < 0)
        continue;
      if (flock (fd, LOCK_EX | LOCK_NB) == 0)
        {
          g_debug ("Removing %s, left by a writer that did not finish", stale);
          g_unlink (stale);
        }
      close (fd);
    }
}

/* Temp file in the same directory, fsync, rename over the target, fsync the directory:
 * after a crash the file is either the old or the new one, never a mix or empty. */
static gboolean
write_atomically (const char  *path,
                  const char  *data,
                  gsize        length,
                  GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmp_path = NULL;
  gsize written = 0;
  int fd;
  int dir_fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    return set_errno_error (error, errno, TRUE, dir);

  remove_stale_temp_files (dir, base);

  tmp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    return set_errno_error (error, errno, FALSE, path);
  /* Held until the rename (released on close or death): see remove_stale_temp_files (). */
  flock (fd, LOCK_EX | LOCK_NB);

  while (written < length)
    {
      gssize n = write (fd, data + written, length - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;
          close (fd);
          g_unlink (tmp_path);
          return set_errno_error (error, saved_errno, FALSE, path);
        }
      written += (gsize)n;
    }

  if (fsync (fd) != 0)
    {
      int saved_errno = errno;
      close (fd);
      g_unlink (tmp_path);
      return set_errno_error (error, saved_errno, FALSE, path);
    }

  if (close (fd) != 0)
    {
      int saved_errno = errno;
      g_unlink (tmp_path);
      return set_errno_error (error, saved_errno, FALSE, path);
    }

  if (g_rename (tmp_path, path) != 0)
    {
      int saved_errno = errno;
      g_unlink (tmp_path);
      return set_errno_error (error, saved_errno, FALSE, path);
    }

  /* Make the rename itself durable. */
  dir_fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0)
    {
      fsync (dir_fd);
      close (dir_fd);
    }

  return TRUE;
}

typedef struct
{
  GPtrArray *remotes;
  GKeyFile  *preserved;
  GStrv      skipped;
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->remotes, g_ptr_array_unref);
  g_clear_pointer (&result->preserved, g_key_file_unref);
  g_clear_pointer (&result->skipped, g_strfreev);
  g_free (result);
}

static char *
backup_path_for (const char *path)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  char *backup = g_strdup_printf ("%s.bak-%s", path, stamp);

  /* Never overwrite an earlier backup either. */
  for (guint i = 1; g_file_test (backup, G_FILE_TEST_EXISTS); i++)
    {
      g_free (backup);
      backup = g_strdup_printf ("%s.bak-%s-%u", path, stamp, i);
    }

  return backup;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) parse_error = NULL;
  LoadResult *result;
  gsize length = 0;

  result = g_new0 (LoadResult, 1);

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          result->remotes = g_ptr_array_new_with_free_func (g_object_unref);
          g_task_return_pointer (task, result, (GDestroyNotify)load_result_free);
          return;
        }

      load_result_free (result);
      g_task_return_new_error (task, PVE_STORE_ERROR, PVE_STORE_ERROR_IO,
                               _("Could not read the saved remotes: %s"), error->message);
      return;
    }

  result->remotes = parse_full (contents, length, &result->preserved, &result->skipped,
                                &parse_error);
  if (result->remotes == NULL)
    {
      g_autofree char *backup = backup_path_for (path);
      g_autofree char *display = g_filename_display_name (backup);

      load_result_free (result);

      if (g_rename (path, backup) != 0)
        {
          int saved_errno = errno;
          g_task_return_new_error (task, PVE_STORE_ERROR, PVE_STORE_ERROR_IO,
                                   _("The saved remotes could not be read (%s), and the file "
                                     "could not be moved aside: %s"),
                                   parse_error->message, g_strerror (saved_errno));
          return;
        }

      g_task_return_new_error (task, PVE_STORE_ERROR, PVE_STORE_ERROR_CORRUPT,
                               _("The saved remotes could not be read (%s). The file was kept "
                                 "as %s."),
                               parse_error->message, display);
      return;
    }

  g_task_return_pointer (task, result, (GDestroyNotify)load_result_free);
}

typedef struct
{
  char  *path;
  char  *data;
  gsize  length;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_free (data->path);
  g_free (data->data);
  g_free (data);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveData *data = task_data;
  GError *error = NULL;

  if (!write_atomically (data->path, data->data, data->length, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* ---- GObject ---------------------------------------------------------------------------- */

static void
pve_remote_store_finalize (GObject *object)
{
  PveRemoteStore *self = (PveRemoteStore *)object;

  /* Saves hold a reference on the store until they complete. */
  g_assert (!self->writing);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->remotes, g_ptr_array_unref);
  g_clear_pointer (&self->preserved, g_key_file_unref);
  g_clear_pointer (&self->skipped, g_strfreev);
  g_clear_pointer (&self->writing_tasks, g_ptr_array_unref);
  g_clear_pointer (&self->waiting_tasks, g_ptr_array_unref);

  G_OBJECT_CLASS (pve_remote_store_parent_class)->finalize (object);
}

static void
pve_remote_store_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PveRemoteStore *self = PVE_REMOTE_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_remote_store_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PveRemoteStore *self = PVE_REMOTE_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pve_remote_store_constructed (GObject *object)
{
  PveRemoteStore *self = PVE_REMOTE_STORE (object);

  G_OBJECT_CLASS (pve_remote_store_parent_class)->constructed (object);

  if (self->path == NULL)
    self->path = g_build_filename (g_get_user_config_dir (), CONFIG_DIR_NAME, CONFIG_FILE_NAME,
                                   NULL);
}

static void
pve_remote_store_class_init (PveRemoteStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pve_remote_store_finalize;
  object_class->constructed = pve_remote_store_constructed;
  object_class->get_property = pve_remote_store_get_property;
  object_class->set_property = pve_remote_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pve_remote_store_init (PveRemoteStore *self)
{
  self->remotes = g_ptr_array_new_with_free_func (g_object_unref);
  self->writing_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->waiting_tasks = g_ptr_array_new_with_free_func (g_object_unref);
}

PveRemoteStore *
pve_remote_store_new (const char *path)
{
  return g_object_new (PVE_TYPE_REMOTE_STORE, "path", path, NULL);
}

const char *
pve_remote_store_get_path (PveRemoteStore *self)
{
  g_return_val_if_fail (PVE_IS_REMOTE_STORE (self), NULL);
  return self->path;
}

const char * const *
pve_remote_store_get_skipped (PveRemoteStore *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (PVE_IS_REMOTE_STORE (self), NULL);

  return self->skipped ? (const char * const *)self->skipped : none;
}

static void
replace_all (PveRemoteStore *self,
             GPtrArray      *remotes)
{
  guint removed = self->remotes->len;

  g_ptr_array_set_size (self->remotes, 0);
  for (guint i = 0; remotes != NULL && i < remotes->len; i++)
    g_ptr_array_add (self->remotes, g_object_ref (g_ptr_array_index (remotes, i)));

  if (removed > 0 || self->remotes->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->remotes->len);
}

void
pve_remote_store_load_async (PveRemoteStore      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PVE_IS_REMOTE_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pve_remote_store_load_async);
  g_task_set_task_data (task, g_strdup (self->path), g_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
pve_remote_store_load_finish (PveRemoteStore  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  LoadResult *loaded;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (PVE_IS_REMOTE_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pve_remote_store_load_async,
                        FALSE);

  loaded = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (loaded == NULL)
    {
      /* Corrupt: the file is gone (moved aside), so saving starts afresh. Unreadable for
       * another reason: it is still there, and a save must not replace it. */
      self->load_failed = !g_error_matches (local_error, PVE_STORE_ERROR, PVE_STORE_ERROR_CORRUPT)
                          && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_pointer (&self->preserved, g_key_file_unref);
      g_clear_pointer (&self->skipped, g_strfreev);
      replace_all (self, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  self->load_failed = FALSE;
  g_clear_pointer (&self->preserved, g_key_file_unref);
  self->preserved = g_steal_pointer (&loaded->preserved);
  g_clear_pointer (&self->skipped, g_strfreev);
  self->skipped = g_steal_pointer (&loaded->skipped);
  for (guint i = 0; self->skipped != NULL && self->skipped[i] != NULL; i++)
    g_message ("%s", self->skipped[i]);
  replace_all (self, loaded->remotes);
  load_result_free (loaded);

  return TRUE;
}

static void start_write (PveRemoteStore *self);

static void
write_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  PveRemoteStore *self = PVE_REMOTE_STORE (object);
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);

  tasks = g_steal_pointer (&self->writing_tasks);
  self->writing_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->writing = FALSE;

  for (guint i = 0; i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }

  if (self->waiting_tasks->len > 0)
    start_write (self);
}

static void
start_write (PveRemoteStore *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) swap = NULL;
  SaveData *data;

  g_assert (!self->writing);
  g_assert (self->waiting_tasks->len > 0);

  swap = g_steal_pointer (&self->writing_tasks);
  self->writing_tasks = g_steal_pointer (&self->waiting_tasks);
  self->waiting_tasks = g_steal_pointer (&swap);
  self->writing = TRUE;

  data = g_new0 (SaveData, 1);
  data->path = g_strdup (self->path);
  data->data = serialize_full (G_LIST_MODEL (self), self->preserved, &data->length);

  /* Not cancellable once started: a write is either done entirely or not at all. */
  task = g_task_new (self, NULL, write_done, NULL);
  g_task_set_source_tag (task, start_write);
  g_task_set_task_data (task, data, (GDestroyNotify)save_data_free);
  g_task_run_in_thread (task, save_thread);
}

void
pve_remote_store_save_async (PveRemoteStore      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PVE_IS_REMOTE_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pve_remote_store_save_async);

  if (self->load_failed)
    {
      g_autofree char *display = g_filename_display_name (self->path);

      g_task_return_new_error (task, PVE_STORE_ERROR, PVE_STORE_ERROR_IO,
                               _("Not saving: %s could not be read, and saving would replace "
                                 "it."), display);
      return;
    }

  g_ptr_array_add (self->waiting_tasks, g_steal_pointer (&task));
  if (!self->writing)
    start_write (self);
}

gboolean
pve_remote_store_save_finish (PveRemoteStore  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (PVE_IS_REMOTE_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pve_remote_store_save_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
pve_remote_store_add (PveRemoteStore *self,
                      PveRemote      *remote)
{
  g_return_if_fail (PVE_IS_REMOTE_STORE (self));
  g_return_if_fail (PVE_IS_REMOTE (remote));
  g_return_if_fail (pve_remote_store_lookup (self, pve_remote_get_id (remote)) == NULL);

  g_ptr_array_add (self->remotes, g_object_ref (remote));
  g_list_model_items_changed (G_LIST_MODEL (self), self->remotes->len - 1, 0, 1);
}

gboolean
pve_remote_store_remove (PveRemoteStore *self,
                         PveRemote      *remote)
{
  guint position;

  g_return_val_if_fail (PVE_IS_REMOTE_STORE (self), FALSE);
  g_return_val_if_fail (PVE_IS_REMOTE (remote), FALSE);

  if (self->preserved != NULL)
    g_key_file_remove_group (self->preserved, pve_remote_get_id (remote), NULL);

  if (!g_ptr_array_find (self->remotes, remote, &position))
    return FALSE;

  g_ptr_array_remove_index (self->remotes, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  return TRUE;
}

PveRemote *
pve_remote_store_lookup (PveRemoteStore *self,
                         const char     *id)
{
  g_return_val_if_fail (PVE_IS_REMOTE_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < self->remotes->len; i++)
    {
      PveRemote *remote = g_ptr_array_index (self->remotes, i);

      if (g_str_equal (pve_remote_get_id (remote), id))
        return remote;
    }

  return NULL;
}

PveRemote *
pve_remote_store_lookup_by_name (PveRemoteStore *self,
                                 const char     *name)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (PVE_IS_REMOTE_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  /* Names differing only in case would be confusing in a list: treat them as the same. */
  folded = g_utf8_casefold (name, -1);
  for (guint i = 0; i < self->remotes->len; i++)
    {
      PveRemote *remote = g_ptr_array_index (self->remotes, i);
      g_autofree char *other = NULL;

      if (pve_remote_get_name (remote) == NULL)
        continue;

      other = g_utf8_casefold (pve_remote_get_name (remote), -1);
      if (g_str_equal (folded, other))
        return remote;
    }

  return NULL;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A Proxmox VE API server for the tests, the demo and the benchmarks.
 *
 * Layout of this file:
 *   1. data model and its deterministic generation
 *   2. a small JSON writer (GString based: /cluster/resources of 10,000 guests must be cheap)
 *   3. responses, delivery (latency, gzip, "Connection: close" on errors) and faults
 *   4. authentication: tickets, CSRF, TFA, API tokens
 *   5. the endpoints and the route table
 *   6. the public API
 *
 * Everything runs on the thread default main context of whoever calls pve_sim_listen ().
 */
#include "pve-sim.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pve-sim-resources.h"

#define RESOURCE_PATH     "/com/example/PveRemotes/sim/"
#define PVE_VERSION       "9.1.2"
#define PVE_RELEASE       "9.1"
#define PVE_REPOID        "9d436f37a0ac4172"
#define GZIP_MIN_SIZE     1024
#define HUGE_CHUNK_SIZE   (64 * 1024)
#define N_SYSLOG_LINES    300
#define N_RRD_POINTS      70
#define GIB               (G_GUINT64_CONSTANT (1) << 30)
/* Usage figures move every LIVE_PERIOD_S seconds (so a dashboard looks alive) and stay
 * constant in between, so big answers can be cached for that long. */
#define LIVE_PERIOD_S     10
/* Benchmarks send millions of requests and log in thousands of times: keep memory bounded. */
#define MAX_REQUEST_LOG   100000
#define PRUNE_TICKETS_AT  4096

/* ------------------------------------------------------------------------------------------ */
/* 1. Data model                                                                                */
/* ------------------------------------------------------------------------------------------ */

typedef enum
{
  PRIV_VM_AUDIT      = 1 << 0,
  PRIV_VM_POWERMGMT  = 1 << 1,
  PRIV_VM_CONSOLE    = 1 << 2,
  PRIV_VM_SNAPSHOT   = 1 << 3,
  PRIV_SYS_AUDIT     = 1 << 4,
  PRIV_SYS_SYSLOG    = 1 << 5,
  PRIV_SYS_MODIFY    = 1 << 6,
  PRIV_DATASTORE_AUD = 1 << 7,
  PRIV_USER_MODIFY   = 1 << 8,
  PRIV_ALL           = 0x1ff,
  PRIV_READ_ONLY     = PRIV_VM_AUDIT | PRIV_SYS_AUDIT | PRIV_DATASTORE_AUD,
} SimPriv;

typedef struct
{
  const char *userid;
  const char *password;
  gboolean    tfa;
  guint       privs;
  const char *firstname;
  const char *lastname;
  const char *email;
  const char *comment;
} SimUser;

static const SimUser sim_users[] = {
  { "root@pam", PVE_SIM_ROOT_PASSWORD, FALSE, PRIV_ALL, "", "", "root@sim.example",
    "Built-in superuser" },
  { "alice@pve", PVE_SIM_ALICE_PASSWORD, TRUE, PRIV_ALL, "Alice", "Admin",
    "alice@sim.example", "Administrator with TOTP" },
  { "audit@pve", PVE_SIM_AUDIT_PASSWORD, FALSE, PRIV_READ_ONLY, "Audrey", "Auditor",
    "audit@sim.example", "Read-only auditor" },
};

typedef struct
{
  const char *tokenid;
  const char *secret;
  guint       privs;
} SimToken;

static const SimToken sim_tokens[] = {
  { PVE_SIM_TOKEN_ID, PVE_SIM_TOKEN_SECRET, PRIV_ALL },
  { PVE_SIM_RO_TOKEN_ID, PVE_SIM_RO_TOKEN_SECRET, PRIV_READ_ONLY },
};

typedef struct
{
  char    *name;
  guint    nodeid;
  gboolean online;
  char    *ip;
  char    *fingerprint;   /* NULL: the one currently served */
  guint    maxcpu;
  double   cpu;
  guint64  maxmem;
  guint64  mem;
  guint64  maxdisk;
  guint64  disk;
  gint64   booted_at;       /* real time (s) */
} SimNode;

typedef struct
{
  gint64   vmid;
  gboolean is_lxc;
  guint    node;           /* index into nodes */
  char    *name;
  char    *status;         /* running, stopped, paused, unknown */
  gboolean template;
  gboolean vmid_as_string; /* pre-8.2 container in /nodes/N/lxc */
  char    *pool;
  char    *tags;
  guint    maxcpu;
  guint64  maxmem;
  guint64  maxdisk;
  double   cpu;
  guint64  mem;
  guint64  disk;
  guint64  netin;
  guint64  netout;
  guint64  diskread;
  guint64  diskwrite;
  gint64   started_at;      /* real time (s) the guest started; 0 when not running */
  guint    pid;
  guint    n_snapshots;
  char    *pending_failure; /* exit status of the next task on this guest */
} SimGuest;

typedef struct
{
  PveSim   *sim;           /* unowned */
  char     *upid;
  guint     node;
  guint     pid;
  guint     pstart;
  gint64    starttime;
  gint64    endtime;
  char     *type;
  char     *id;
  char     *user;
  char     *tokenid;
  gboolean  running;
  char     *exitstatus;
  GPtrArray *log;          /* char* lines */
  gint64    vmid;          /* 0 for a task not about a guest */
  char     *new_status;    /* guest status once the task succeeds, or NULL */
  guint     timeout_id;
} SimTask;

typedef struct
{
  char    *userid;
  char    *csrf;
  gint64   issued_us;     /* monotonic */
  guint    generation;
} SimTicket;

typedef struct
{
  char       *prefix;     /* NULL: every path */
  PveSimFault fault;
  guint       remaining;  /* 0: until cleared */
} SimFault;

typedef struct
{
  GBytes *plain;
  GBytes *gzip;
} SimCached;

struct _PveSim
{
  GObject          parent_instance;

  SoupServer      *server;
  GArray          *ports;          /* guint */
  gboolean         log_requests;   /* print "REQUEST METHOD PATH" lines on stdout */
  GTlsCertificate *certs[2];
  char            *fingerprints[2];
  char            *ca_pem;
  guint            cert_index;

  /* behaviour */
  guint            ticket_lifetime;
  guint            latency_ms;
  guint            auth_failure_delay_ms;
  guint            task_duration_ms;
  gboolean         gzip;
  gsize            fault_size;

  /* data */
  guint32          seed;
  char            *clustername;
  GPtrArray       *nodes;          /* SimNode* */
  GPtrArray       *guests;         /* SimGuest*, by vmid */
  GHashTable      *guests_by_vmid; /* gint64* -> SimGuest* */
  GPtrArray       *tasks;          /* SimTask*, oldest first */
  GHashTable      *tasks_by_upid;
  guint            next_pid;
  gint64           boot_time;
  gint64           epoch;          /* real time (s) of creation */
  gint64           cache_period;   /* live period the cache was built in */
  GHashTable      *cache;          /* key -> SimCached* */

  /* authentication */
  GHashTable      *tickets;        /* ticket -> SimTicket* */
  GHashTable      *half_tickets;   /* half ticket -> SimTicket* */
  guint            ticket_generation;
  gboolean         recovery_used;
  GPtrArray       *issued;         /* every ticket, half ticket and CSRF token ever issued */

  /* faults and observation */
  GPtrArray       *faults;         /* SimFault* */
  GPtrArray       *requests;       /* PveSimRequest* (rc boxes) */
  guint            request_count;
  GPtrArray       *pending;        /* SimPending*: delayed or hung messages */
  gint64           extra_periods;  /* pve_sim_tick_stats() */
};

G_DEFINE_FINAL_TYPE (PveSim, pve_sim, G_TYPE_OBJECT)

enum
{
  SIGNAL_REQUEST_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
sim_node_free (SimNode *node)
{
  g_free (node->name);
  g_free (node->ip);
  g_free (node->fingerprint);
  g_free (node);
}

static void
sim_guest_free (SimGuest *guest)
{
  g_free (guest->name);
  g_free (guest->status);
  g_free (guest->pool);
  g_free (guest->tags);
  g_free (guest->pending_failure);
  g_free (guest);
}

static void
sim_task_free (SimTask *task)
{
  g_clear_handle_id (&task->timeout_id, g_source_remove);
  g_free (task->upid);
  g_free (task->type);
  g_free (task->id);
  g_free (task->user);
  g_free (task->tokenid);
  g_free (task->exitstatus);
  g_free (task->new_status);
  g_ptr_array_unref (task->log);
  g_free (task);
}

static void
sim_ticket_free (SimTicket *ticket)
{
  g_free (ticket->userid);
  g_free (ticket->csrf);
  g_free (ticket);
}

static void
sim_fault_free (SimFault *fault)
{
  g_free (fault->prefix);
  g_free (fault);
}

static void
sim_cached_free (SimCached *cached)
{
  g_clear_pointer (&cached->plain, g_bytes_unref);
  g_clear_pointer (&cached->gzip, g_bytes_unref);
  g_free (cached);
}

static void
sim_request_clear (PveSimRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
}

static void
sim_request_release (gpointer request)
{
  g_rc_box_release_full (request, (GDestroyNotify) sim_request_clear);
}

static void
sim_data_changed (PveSim *self)
{
  g_hash_table_remove_all (self->cache);
}

static gint64
live_period (PveSim *self)
{
  return (g_get_real_time () / G_USEC_PER_SEC - self->epoch) / LIVE_PERIOD_S + self->extra_periods;
}

/* "Now", quantised to the live period. */
static gint64
live_now (PveSim *self)
{
  return self->epoch + live_period (self) * LIVE_PERIOD_S;
}

static double
live_factor (PveSim *self,
             double  phase)
{
  return 0.6 + 0.4 * sin (phase * 1.7 + live_period (self) * 0.8);
}

static const char *const guest_words[] = {
  "web", "db", "mail", "dns", "backup", "ci-runner", "grafana", "nextcloud", "gitea",
  "proxy", "ldap", "monitor", "build", "vault", "minio", "redis",
};

static SimGuest *
sim_find_guest (PveSim *self,
                gint64  vmid)
{
  return g_hash_table_lookup (self->guests_by_vmid, &vmid);
}

static void
sim_guest_set_running_stats (SimGuest *guest,
                             GRand    *rand)
{
  guest->cpu = g_rand_double_range (rand, 0.001, 0.6);
  guest->mem = (guint64) (guest->maxmem * g_rand_double_range (rand, 0.15, 0.85));
  guest->disk = guest->is_lxc ? (guint64) (guest->maxdisk * g_rand_double_range (rand, 0.05, 0.7)) : 0;
  guest->netin = g_rand_int_range (rand, 10000, 900000000);
  guest->netout = g_rand_int_range (rand, 10000, 400000000);
  guest->diskread = (guint64) g_rand_int_range (rand, 1000, 2000000) * 4096;
  guest->diskwrite = (guint64) g_rand_int_range (rand, 1000, 1000000) * 4096;
  guest->started_at = g_get_real_time () / G_USEC_PER_SEC - g_rand_int_range (rand, 300, 3000000);
  guest->pid = g_rand_int_range (rand, 1000, 4000000);
}

static void
sim_guest_clear_stats (SimGuest *guest)
{
  guest->cpu = 0;
  guest->mem = 0;
  guest->disk = 0;
  guest->netin = guest->netout = 0;
  guest->diskread = guest->diskwrite = 0;
  guest->started_at = 0;
  guest->pid = 0;
}

static void
sim_generate (PveSim *self,
              guint   n_nodes,
              guint   n_guests)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (self->seed);
  static const guint cpus[] = { 1, 2, 2, 4, 4, 8 };
  static const guint mem_gib[] = { 1, 2, 4, 4, 8, 16 };
  static const guint disk_gib[] = { 8, 16, 32, 64, 128 };
  guint n_lxc = 0;
  gboolean has_offline = n_nodes >= 3;

  self->clustername = g_strdup ("sim-cluster");
  self->boot_time = g_get_real_time () / G_USEC_PER_SEC - 1480737;
  self->epoch = g_get_real_time () / G_USEC_PER_SEC;

  for (guint i = 0; i < n_nodes; i++)
    {
      SimNode *node = g_new0 (SimNode, 1);

      node->name = g_strdup_printf ("pve%u", i + 1);
      node->nodeid = i + 1;
      node->online = !(has_offline && i == n_nodes - 1);
      node->ip = g_strdup_printf ("10.10.%u.%u", 1 + i / 250, 11 + i % 250);
      if (i > 0)
        {
          GString *fp = g_string_new (NULL);

          for (guint b = 0; b < 32; b++)
            g_string_append_printf (fp, "%s%02X", b ? ":" : "", g_rand_int_range (rand, 0, 256));
          node->fingerprint = g_string_free (fp, FALSE);
        }
      node->maxcpu = (i % 3 == 0) ? 12 : 8;
      node->maxmem = (guint64) ((i % 2 == 0) ? 64 : 32) * GIB;
      node->maxdisk = (guint64) 940 * GIB;
      if (node->online)
        {
          node->cpu = g_rand_double_range (rand, 0.01, 0.35);
          node->mem = (guint64) (node->maxmem * g_rand_double_range (rand, 0.2, 0.7));
          node->disk = (guint64) (node->maxdisk * g_rand_double_range (rand, 0.01, 0.2));
          node->booted_at = g_get_real_time () / G_USEC_PER_SEC - g_rand_int_range (rand, 86400, 9000000);
        }
      g_ptr_array_add (self->nodes, node);
    }

  for (guint i = 0; i < n_guests; i++)
    {
      SimGuest *guest = g_new0 (SimGuest, 1);
      guint n_online = has_offline ? n_nodes - 1 : n_nodes;
      gboolean offline = has_offline && (i % 10 == 9 || (n_guests < 10 && i + 1 == n_guests && i > 0));

      guest->vmid = 100 + i;
      guest->is_lxc = i % 3 == 1;
      guest->node = offline ? n_nodes - 1 : i % n_online;
      guest->name = g_strdup_printf ("%s-%02u", guest_words[i % G_N_ELEMENTS (guest_words)],
                                     (guint) (i / G_N_ELEMENTS (guest_words) + 1));
      guest->maxcpu = cpus[g_rand_int_range (rand, 0, G_N_ELEMENTS (cpus))];
      guest->maxmem = (guint64) mem_gib[g_rand_int_range (rand, 0, G_N_ELEMENTS (mem_gib))] * GIB;
      guest->maxdisk = (guint64) disk_gib[g_rand_int_range (rand, 0, G_N_ELEMENTS (disk_gib))] * GIB;
      if (guest->is_lxc)
        {
          guest->vmid_as_string = n_lxc % 7 == 0;
          n_lxc++;
        }
      if (i % 4 == 1)
        guest->pool = g_strdup ("prod");
      else if (i % 4 == 2)
        guest->pool = g_strdup ("dev");
      if (i % 3 == 0)
        guest->tags = g_strdup ("prod;web");
      else if (i % 5 == 2)
        guest->tags = g_strdup ("db");
      guest->n_snapshots = i % 3 == 0 ? 2 : (i % 3 == 1 ? 1 : 0);

      if (offline)
        guest->status = g_strdup ("unknown");
      else if (!guest->is_lxc && i % 17 == 8)
        {
          guest->template = TRUE;
          guest->status = g_strdup ("stopped");
        }
      else if (i == 3 && !guest->is_lxc)
        guest->status = g_strdup ("paused");
      else if (i % 5 == 2 || i % 5 == 4)
        guest->status = g_strdup ("stopped");
      else
        guest->status = g_strdup ("running");

      if (g_str_equal (guest->status, "running") || g_str_equal (guest->status, "paused"))
        sim_guest_set_running_stats (guest, rand);
      else
        sim_guest_clear_stats (guest);
      if (g_str_equal (guest->status, "paused"))
        guest->cpu = 0;

      g_ptr_array_add (self->guests, guest);
      g_hash_table_insert (self->guests_by_vmid, &guest->vmid, guest);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* 2. JSON writer                                                                               */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  GString *s;
  gboolean need_comma;
} JsonWriter;

static void
jw_sep (JsonWriter *w)
{
  if (w->need_comma)
    g_string_append_c (w->s, ',');
  w->need_comma = FALSE;
}

static void
jw_escape (GString    *s,
           const char *str)
{
  g_string_append_c (s, '"');
  for (const char *p = str; *p; p++)
    {
      guchar c = *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (s, '\\');
          g_string_append_c (s, c);
        }
      else if (c == '\n')
        g_string_append (s, "\\n");
      else if (c < 0x20)
        g_string_append_printf (s, "\\u%04x", c);
      else
        g_string_append_c (s, c);
    }
  g_string_append_c (s, '"');
}

static void
jw_begin_object (JsonWriter *w)
{
  jw_sep (w);
  g_string_append_c (w->s, '{');
}

static void
jw_end_object (JsonWriter *w)
{
  g_string_append_c (w->s, '}');
  w->need_comma = TRUE;
}

static void
jw_begin_array (JsonWriter *w)
{
  jw_sep (w);
  g_string_append_c (w->s, '[');
}

static void
jw_end_array (JsonWriter *w)
{
  g_string_append_c (w->s, ']');
  w->need_comma = TRUE;
}

static void
jw_key (JsonWriter *w,
        const char *key)
{
  jw_sep (w);
  jw_escape (w->s, key);
  g_string_append_c (w->s, ':');
}

static void
jw_string (JsonWriter *w,
           const char *value)
{
  jw_sep (w);
  if (value)
    jw_escape (w->s, value);
  else
    g_string_append (w->s, "null");
  w->need_comma = TRUE;
}

static void
jw_int (JsonWriter *w,
        gint64      value)
{
  jw_sep (w);
  g_string_append_printf (w->s, "%" G_GINT64_FORMAT, value);
  w->need_comma = TRUE;
}

static void
jw_double (JsonWriter *w,
           double      value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  jw_sep (w);
  if (!isfinite (value))
    value = 0;
  g_string_append (w->s, g_ascii_dtostr (buf, sizeof buf, value));
  w->need_comma = TRUE;
}

static void
jw_null (JsonWriter *w)
{
  jw_sep (w);
  g_string_append (w->s, "null");
  w->need_comma = TRUE;
}

#define jw_kstr(w, k, v)  G_STMT_START { jw_key (w, k); jw_string (w, v); } G_STMT_END
#define jw_kint(w, k, v)  G_STMT_START { jw_key (w, k); jw_int (w, v); } G_STMT_END
#define jw_kdbl(w, k, v)  G_STMT_START { jw_key (w, k); jw_double (w, v); } G_STMT_END

/* ------------------------------------------------------------------------------------------ */
/* 3. Responses, delivery and faults                                                            */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  guint    status;
  char    *reason;
  GBytes  *body;        /* NULL: empty body */
  GBytes  *gzip_body;   /* precompressed body (cached answers), or NULL */
  guint    delay_ms;    /* extra delay (failed logins) */
  gboolean no_gzip;
} SimResponse;

typedef struct
{
  PveSim            *sim;
  SoupServerMessage *msg;
  SimResponse        resp;
  PveSimRequest     *record;
  guint              timeout_id;
  gboolean           hung;
} SimPending;

typedef struct
{
  PveSim            *self;
  SoupServerMessage *msg;
  const char        *method;
  char              *path;       /* unescaped */
  char             **segs;       /* unescaped segments of path */
  guint              n_segs;
  GHashTable        *params;     /* query + body parameters */
  PveSimRequest     *record;
  /* who */
  const char        *userid;
  char              *tokenid;    /* "user@realm!id" or NULL */
  guint              privs;
  /* route captures */
  SimNode           *node;
  guint              node_index;
  SimGuest          *guest;
  const char        *upid;
  const char        *arg;
} SimCtx;

static void
sim_response_clear (SimResponse *resp)
{
  g_clear_pointer (&resp->reason, g_free);
  g_clear_pointer (&resp->body, g_bytes_unref);
  g_clear_pointer (&resp->gzip_body, g_bytes_unref);
}

static void
resp_set (SimResponse *resp,
          guint        status,
          const char  *reason,
          GBytes      *body)
{
  sim_response_clear (resp);
  resp->status = status;
  resp->reason = g_strdup (reason);
  resp->body = body;
}

/* Ends the data value in `w` and wraps it into the envelope. */
static void
resp_data (SimResponse *resp,
           JsonWriter  *w,
           gint64       total)
{
  GString *s = w->s;

  if (total > 0)
    g_string_append_printf (s, ",\"total\":%" G_GINT64_FORMAT, total);
  g_string_append_c (s, '}');
  w->s = NULL;
  resp_set (resp, 200, "OK", g_string_free_to_bytes (s));
}

static JsonWriter
jw_data_begin (void)
{
  JsonWriter w = { g_string_sized_new (1024), FALSE };

  g_string_append (w.s, "{\"data\":");
  return w;
}

static void
resp_error (SimResponse *resp,
            guint        status,
            const char  *message)
{
  JsonWriter w = { g_string_new (NULL), FALSE };
  g_autofree char *reason = g_strdup (message);
  g_autofree char *full = g_str_has_suffix (message, "\n") ? g_strdup (message)
                                                           : g_strconcat (message, "\n", NULL);
  char *nl = strchr (reason, '\n');

  if (nl)
    *nl = '\0';
  jw_begin_object (&w);
  jw_key (&w, "data");
  jw_null (&w);
  jw_kstr (&w, "message", full);
  jw_end_object (&w);
  resp_set (resp, status, reason, g_string_free_to_bytes (w.s));
}

static void
resp_empty (SimResponse *resp,
            guint        status,
            const char  *reason)
{
  resp_set (resp, status, reason, NULL);
}

static void
resp_param_error (SimResponse *resp,
                  const char  *param,
                  const char  *message)
{
  JsonWriter w = { g_string_new (NULL), FALSE };

  jw_begin_object (&w);
  jw_key (&w, "data");
  jw_null (&w);
  jw_key (&w, "errors");
  jw_begin_object (&w);
  jw_kstr (&w, param, message);
  jw_end_object (&w);
  jw_kstr (&w, "message", "Parameter verification failed.\n");
  jw_end_object (&w);
  resp_set (resp, 400, "Parameter verification failed.", g_string_free_to_bytes (w.s));
}

static GBytes *
gzip_bytes (GBytes *input)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize in_len;
  const guint8 *in = g_bytes_get_data (input, &in_len);
  guint8 buf[64 * 1024];
  GConverterResult result;

  do
    {
      gsize read = 0, written = 0;
      g_autoptr(GError) error = NULL;

      result = g_converter_convert (G_CONVERTER (compressor), in, in_len, buf, sizeof buf,
                                    G_CONVERTER_INPUT_AT_END, &read, &written, &error);
      if (result == G_CONVERTER_ERROR)
        {
          g_warning ("gzip failed: %s", error->message);
          return NULL;
        }
      in += read;
      in_len -= read;
      g_byte_array_append (out, buf, written);
    }
  while (result != G_CONVERTER_FINISHED);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static gboolean
accepts_gzip (SoupServerMessage *msg)
{
  const char *accept = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                      "Accept-Encoding");

  return accept && soup_header_contains (accept, "gzip");
}

static void
sim_write_response (PveSim            *self,
                    SoupServerMessage *msg,
                    SimResponse       *resp,
                    PveSimRequest     *record)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  GBytes *body = resp->body;
  g_autoptr(GBytes) compressed = NULL;

  soup_server_message_set_status (msg, resp->status, resp->reason);
  soup_message_headers_replace (headers, "Server", "pve-api-daemon/3.0");
  soup_message_headers_replace (headers, "Cache-Control", "max-age=0");
  soup_message_headers_replace (headers, "Pragma", "no-cache");
  soup_message_headers_replace (headers, "Expires", "-1");
  if (resp->status >= 400)
    soup_message_headers_replace (headers, "Connection", "close");
  if (record)
    record->status = resp->status;

  if (body == NULL)
    {
      /* PVE's 401s before the handler: no body, no Content-Length, the connection ends it */
      soup_message_headers_set_encoding (headers, resp->status >= 400 ? SOUP_ENCODING_EOF
                                                                      : SOUP_ENCODING_CONTENT_LENGTH);
      soup_message_body_complete (soup_server_message_get_response_body (msg));
      return;
    }

  if (self->gzip && !resp->no_gzip && g_bytes_get_size (body) > GZIP_MIN_SIZE && accepts_gzip (msg))
    {
      compressed = resp->gzip_body ? g_bytes_ref (resp->gzip_body) : gzip_bytes (body);
      if (compressed)
        {
          soup_message_headers_replace (headers, "Content-Encoding", "gzip");
          soup_message_headers_append (headers, "Vary", "Accept-Encoding");
          body = compressed;
        }
    }
  soup_message_headers_set_content_type (headers, "application/json;charset=UTF-8", NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), body);
}

static void
sim_pending_free (SimPending *pending)
{
  g_clear_handle_id (&pending->timeout_id, g_source_remove);
  sim_response_clear (&pending->resp);
  g_clear_object (&pending->msg);
  if (pending->record)
    sim_request_release (pending->record);
  g_free (pending);
}

static gboolean
sim_pending_fire (gpointer user_data)
{
  SimPending *pending = user_data;
  PveSim *self = pending->sim;

  pending->timeout_id = 0;
  sim_write_response (self, pending->msg, &pending->resp, pending->record);
  soup_server_message_unpause (pending->msg);
  g_ptr_array_remove_fast (self->pending, pending);
  return G_SOURCE_REMOVE;
}

/* Sends resp now, or after the latency / auth-failure delay (pausing the message). */
static void
sim_deliver (PveSim            *self,
             SoupServerMessage *msg,
             SimResponse       *resp,
             PveSimRequest     *record)
{
  guint delay = self->latency_ms + resp->delay_ms;
  SimPending *pending;

  if (delay == 0)
    {
      sim_write_response (self, msg, resp, record);
      sim_response_clear (resp);
      return;
    }

  pending = g_new0 (SimPending, 1);
  pending->sim = self;
  pending->msg = g_object_ref (msg);
  pending->resp = *resp;
  memset (resp, 0, sizeof *resp);
  pending->record = record ? g_rc_box_acquire (record) : NULL;
  pending->timeout_id = g_timeout_add (delay, sim_pending_fire, pending);
  g_ptr_array_add (self->pending, pending);
  soup_server_message_pause (msg);
}

static void
sim_hang (PveSim            *self,
          SoupServerMessage *msg)
{
  SimPending *pending = g_new0 (SimPending, 1);

  pending->sim = self;
  pending->msg = g_object_ref (msg);
  pending->hung = TRUE;
  g_ptr_array_add (self->pending, pending);
  soup_server_message_pause (msg);
}

static SimFault *
sim_match_fault (PveSim     *self,
                 const char *path)
{
  for (guint i = 0; i < self->faults->len; i++)
    {
      SimFault *fault = g_ptr_array_index (self->faults, i);

      if (fault->prefix == NULL || g_str_has_prefix (path, fault->prefix))
        return fault;
    }
  return NULL;
}

static void
stream_closed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_io_stream_close_finish (G_IO_STREAM (object), result, NULL);
}

static void
truncated_written_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GIOStream) stream = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, stream_closed_cb, NULL);
}

/* Takes the connection away from libsoup: writes raw bytes (or nothing) and closes it. */
static void
sim_steal_and_close (SoupServerMessage *msg,
                     const char        *raw,
                     gboolean           reset)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  g_autoptr(GIOStream) stream = NULL;

  if (socket)
    g_object_ref (socket);
  stream = soup_server_message_steal_connection (msg);

  if (reset)
    {
      /* SO_LINGER 0: close() sends a TCP RST instead of a clean shutdown */
      struct linger lin = { 1, 0 };

      if (socket)
        {
          setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &lin, sizeof lin);
          g_socket_close (socket, NULL);
        }
    }
  else if (stream)
    {
      gsize len = strlen (raw);
      char *copy = g_memdup2 (raw, len);

      g_object_set_data_full (G_OBJECT (stream), "sim-raw", copy, g_free);
      g_output_stream_write_all_async (g_io_stream_get_output_stream (stream), copy, len,
                                       G_PRIORITY_DEFAULT, NULL, truncated_written_cb,
                                       g_object_ref (stream));
    }
  g_clear_object (&socket);
}

typedef struct
{
  gsize sent;
  gsize total;
} HugeState;

static void
huge_append_chunk (SoupServerMessage *msg,
                   HugeState         *state)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  static const char head[] = "{\"data\":\"";
  static const char tail[] = "\"}";
  gsize n = MIN (HUGE_CHUNK_SIZE, state->total - state->sent);
  char *chunk;

  if (n == 0)
    {
      soup_message_body_complete (body);
      return;
    }
  chunk = g_malloc (n);
  memset (chunk, 'x', n);
  for (gsize i = 0; i < n; i++)
    {
      gsize pos = state->sent + i;

      if (pos < sizeof head - 1)
        chunk[i] = head[pos];
      else if (pos >= state->total - (sizeof tail - 1))
        chunk[i] = tail[pos - (state->total - (sizeof tail - 1))];
    }
  state->sent += n;
  soup_message_body_append_take (body, (guchar *) chunk, n);
}

static void
huge_wrote_chunk_cb (SoupServerMessage *msg,
                     HugeState         *state)
{
  huge_append_chunk (msg, state);
}

static void
sim_send_huge (PveSim            *self,
               SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  HugeState *state = g_new0 (HugeState, 1);

  state->total = MAX (self->fault_size, 16);
  soup_server_message_set_status (msg, 200, "OK");
  soup_message_headers_replace (headers, "Server", "pve-api-daemon/3.0");
  soup_message_headers_set_content_type (headers, "application/json;charset=UTF-8", NULL);
  soup_message_headers_set_content_length (headers, state->total);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  g_signal_connect_data (msg, "wrote-chunk", G_CALLBACK (huge_wrote_chunk_cb), state,
                         (GClosureNotify) (void (*) (void)) g_free, 0);
  huge_append_chunk (msg, state);
}

static void
sim_wrong_types (SimResponse *resp)
{
  const char *body = resp->body ? g_bytes_get_data (resp->body, NULL) : "";
  const char *wrong;

  if (resp->body && g_str_has_prefix (body, "{\"data\":["))
    wrong = "{\"data\":{\"vmid\":\"abc\",\"status\":42,\"name\":7,\"maxmem\":\"lots\"}}";
  else
    wrong = "{\"data\":[{\"vmid\":\"abc\",\"status\":42,\"name\":7,\"maxmem\":\"lots\",\"cpu\":\"high\","
            "\"node\":null,\"type\":[1]}],\"total\":\"many\"}";
  resp_set (resp, 200, "OK", g_bytes_new_static (wrong, strlen (wrong)));
}

/* ------------------------------------------------------------------------------------------ */
/* 4. Authentication                                                                            */
/* ------------------------------------------------------------------------------------------ */

static char *
random_base64 (gsize n_bytes,
               gboolean strip_padding)
{
  g_autofree guchar *bytes = g_malloc (n_bytes);
  char *out;

  for (gsize i = 0; i < n_bytes; i++)
    bytes[i] = g_random_int_range (0, 256);
  out = g_base64_encode (bytes, n_bytes);
  if (strip_padding)
    {
      char *eq = strchr (out, '=');

      if (eq)
        *eq = '\0';
    }
  return out;
}

static const SimUser *
sim_lookup_user (const char *userid)
{
  for (guint i = 0; i < G_N_ELEMENTS (sim_users); i++)
    if (g_strcmp0 (sim_users[i].userid, userid) == 0)
      return &sim_users[i];
  return NULL;
}

static gboolean
sim_ticket_valid (PveSim    *self,
                  SimTicket *ticket)
{
  gint64 age = g_get_monotonic_time () - ticket->issued_us;

  return ticket->generation == self->ticket_generation
         && age < (gint64) self->ticket_lifetime * G_USEC_PER_SEC;
}

static SimTicket *
sim_lookup_ticket (PveSim     *self,
                   const char *ticket_str)
{
  SimTicket *ticket;

  if (ticket_str == NULL)
    return NULL;
  ticket = g_hash_table_lookup (self->tickets, ticket_str);
  if (ticket == NULL || !sim_ticket_valid (self, ticket))
    return NULL;
  return ticket;
}

static void
sim_prune_tickets (PveSim *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->tickets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (!sim_ticket_valid (self, value))
      g_hash_table_iter_remove (&iter);
}

/* A full ticket and its CSRF token, like PVE's: "PVE:user:HEXTIME::signature". */
static char *
sim_issue_ticket (PveSim     *self,
                  const char *userid,
                  char      **csrf_out)
{
  guint32 now = (guint32) (g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *sig = random_base64 (256, FALSE);
  g_autofree char *csrf_sig = random_base64 (32, TRUE);
  SimTicket *ticket = g_new0 (SimTicket, 1);
  char *str = g_strdup_printf ("PVE:%s:%08X::%s", userid, now, sig);

  ticket->userid = g_strdup (userid);
  ticket->csrf = g_strdup_printf ("%08X:%s", now, csrf_sig);
  ticket->issued_us = g_get_monotonic_time ();
  ticket->generation = self->ticket_generation;
  if (g_hash_table_size (self->tickets) >= PRUNE_TICKETS_AT)
    sim_prune_tickets (self);
  g_hash_table_insert (self->tickets, g_strdup (str), ticket);
  g_ptr_array_add (self->issued, g_strdup (str));
  g_ptr_array_add (self->issued, g_strdup (ticket->csrf));
  *csrf_out = g_strdup (ticket->csrf);
  return str;
}

static char *
sim_issue_half_ticket (PveSim     *self,
                       const char *userid)
{
  guint32 now = (guint32) (g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *sig = random_base64 (64, FALSE);
  SimTicket *ticket = g_new0 (SimTicket, 1);
  char *str;

  str = g_strdup_printf ("PVE:!tfa!{\"totp\"%%3Atrue,\"recovery\"%%3A[%s]}:%08X::%s",
                         self->recovery_used ? "" : "0", now, sig);
  ticket->userid = g_strdup (userid);
  ticket->issued_us = g_get_monotonic_time ();
  ticket->generation = self->ticket_generation;
  g_hash_table_insert (self->half_tickets, g_strdup (str), ticket);
  g_ptr_array_add (self->issued, g_strdup (str));
  return str;
}

static char *
get_cookie (SoupServerMessage *msg,
            const char        *name)
{
  const char *header = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                      "Cookie");
  g_auto(GStrv) parts = NULL;
  char *found;

  if (header == NULL)
    return NULL;
  parts = g_strsplit (header, ";", -1);
  for (guint i = 0; parts[i]; i++)
    {
      char *p = g_strstrip (parts[i]);
      gsize len = strlen (name);

      if (strncmp (p, name, len) == 0 && p[len] == '=')
        {
          found = g_uri_unescape_string (p + len + 1, NULL);
          if (found == NULL)
            found = g_strdup (p + len + 1);
          return found;
        }
    }
  return NULL;
}

/* "PVEAPIToken=USER@REALM!ID=SECRET"; PVE also takes ':' or a space at the separators. */
static const SimToken *
sim_parse_token (const char *header,
                 char      **tokenid_out)
{
  const char *p;
  const char *sep;
  g_autofree char *tokenid = NULL;

  if (!g_str_has_prefix (header, "PVEAPIToken"))
    return NULL;
  p = header + strlen ("PVEAPIToken");
  if (*p != '=' && *p != ' ' && *p != ':')
    return NULL;
  p++;
  while (*p == ' ')
    p++;
  sep = strchr (p, '!');
  if (sep == NULL)
    return NULL;
  sep = strpbrk (sep, "=:");
  if (sep == NULL)
    return NULL;
  tokenid = g_strndup (p, sep - p);
  for (guint i = 0; i < G_N_ELEMENTS (sim_tokens); i++)
    if (g_str_equal (sim_tokens[i].tokenid, tokenid)
        && g_str_equal (sim_tokens[i].secret, sep + 1))
      {
        *tokenid_out = g_steal_pointer (&tokenid);
        return &sim_tokens[i];
      }
  return NULL;
}

static void
sim_write_cap (JsonWriter *w,
               guint       privs)
{
  struct { const char *scope; const char *priv; guint needs; } caps[] = {
    { "vms", "VM.Audit", PRIV_VM_AUDIT },
    { "vms", "VM.PowerMgmt", PRIV_VM_POWERMGMT },
    { "vms", "VM.Console", PRIV_VM_CONSOLE },
    { "vms", "VM.Snapshot", PRIV_VM_SNAPSHOT },
    { "vms", "VM.Config.Options", PRIV_SYS_MODIFY },
    { "vms", "VM.Migrate", PRIV_SYS_MODIFY },
    { "vms", "Permissions.Modify", PRIV_USER_MODIFY },
    { "nodes", "Sys.Audit", PRIV_SYS_AUDIT },
    { "nodes", "Sys.Syslog", PRIV_SYS_SYSLOG },
    { "nodes", "Sys.Modify", PRIV_SYS_MODIFY },
    { "nodes", "Sys.PowerMgmt", PRIV_SYS_MODIFY },
    { "nodes", "Sys.Console", PRIV_SYS_MODIFY },
    { "nodes", "Permissions.Modify", PRIV_USER_MODIFY },
    { "storage", "Datastore.Audit", PRIV_DATASTORE_AUD },
    { "storage", "Datastore.Allocate", PRIV_SYS_MODIFY },
    { "storage", "Datastore.AllocateSpace", PRIV_SYS_MODIFY },
    { "storage", "Permissions.Modify", PRIV_USER_MODIFY },
    { "access", "User.Modify", PRIV_USER_MODIFY },
    { "access", "Group.Allocate", PRIV_USER_MODIFY },
    { "access", "Permissions.Modify", PRIV_USER_MODIFY },
    { "dc", "Sys.Audit", PRIV_SYS_AUDIT },
    { "dc", "SDN.Audit", PRIV_SYS_AUDIT },
    { "dc", "SDN.Allocate", PRIV_SYS_MODIFY },
    { "sdn", "SDN.Audit", PRIV_SYS_AUDIT },
    { "sdn", "SDN.Allocate", PRIV_SYS_MODIFY },
  };
  static const char *const scopes[] = { "vms", "nodes", "storage", "access", "dc", "sdn" };

  jw_begin_object (w);
  for (guint s = 0; s < G_N_ELEMENTS (scopes); s++)
    {
      jw_key (w, scopes[s]);
      jw_begin_object (w);
      for (guint i = 0; i < G_N_ELEMENTS (caps); i++)
        if (g_str_equal (caps[i].scope, scopes[s]) && (privs & caps[i].needs))
          jw_kint (w, caps[i].priv, 1);
      jw_end_object (w);
    }
  jw_end_object (w);
}

static void
sim_login_failed (SimResponse *resp,
                  PveSim      *self)
{
  resp_error (resp, 401, "authentication failure");
  resp->delay_ms = self->auth_failure_delay_ms;
}

static void
sim_login_success (SimCtx      *ctx,
                   SimResponse *resp,
                   const char  *userid)
{
  PveSim *self = ctx->self;
  const SimUser *user = sim_lookup_user (userid);
  g_autofree char *csrf = NULL;
  g_autofree char *ticket = sim_issue_ticket (self, userid, &csrf);
  JsonWriter w = jw_data_begin ();

  jw_begin_object (&w);
  jw_kstr (&w, "username", userid);
  jw_kstr (&w, "ticket", ticket);
  jw_kstr (&w, "CSRFPreventionToken", csrf);
  jw_key (&w, "cap");
  sim_write_cap (&w, user ? user->privs : 0);
  if (self->nodes->len > 1)
    jw_kstr (&w, "clustername", self->clustername);
  jw_end_object (&w);
  resp_data (resp, &w, 0);
}

static void
h_login (SimCtx      *ctx,
         SimResponse *resp)
{
  PveSim *self = ctx->self;
  const char *username = g_hash_table_lookup (ctx->params, "username");
  const char *realm = g_hash_table_lookup (ctx->params, "realm");
  const char *password = g_hash_table_lookup (ctx->params, "password");
  const char *challenge = g_hash_table_lookup (ctx->params, "tfa-challenge");
  const char *otp = g_hash_table_lookup (ctx->params, "otp");
  g_autofree char *userid = NULL;
  const SimUser *user;

  if (username == NULL || password == NULL)
    {
      resp_param_error (resp, username ? "password" : "username",
                        "property is missing and it is not optional");
      return;
    }
  if (strchr (username, '@'))
    userid = g_strdup (username);
  else if (realm)
    userid = g_strdup_printf ("%s@%s", username, realm);
  else
    {
      sim_login_failed (resp, self);
      return;
    }

  user = sim_lookup_user (userid);
  if (user == NULL)
    {
      sim_login_failed (resp, self);
      return;
    }

  if (challenge)
    {
      SimTicket *half = g_hash_table_lookup (self->half_tickets, challenge);
      gboolean ok = FALSE;

      if (half && sim_ticket_valid (self, half) && g_str_equal (half->userid, userid))
        {
          if (g_str_equal (password, "totp:" PVE_SIM_ALICE_TOTP))
            ok = TRUE;
          else if (g_str_equal (password, "recovery:" PVE_SIM_ALICE_RECOVERY) && !self->recovery_used)
            ok = self->recovery_used = TRUE;
        }
      if (!ok)
        {
          sim_login_failed (resp, self);
          return;
        }
      g_hash_table_remove (self->half_tickets, challenge);
      sim_login_success (ctx, resp, userid);
      return;
    }

  if (g_str_has_prefix (password, "PVE:"))
    {
      SimTicket *old = sim_lookup_ticket (self, password);

      if (old == NULL || !g_str_equal (old->userid, userid))
        sim_login_failed (resp, self);
      else
        sim_login_success (ctx, resp, userid);
      return;
    }

  if (!g_str_equal (password, user->password))
    {
      sim_login_failed (resp, self);
      return;
    }

  if (user->tfa)
    {
      g_autofree char *half = NULL;
      guint32 now = (guint32) (g_get_real_time () / G_USEC_PER_SEC);
      g_autofree char *csrf_sig = random_base64 (32, TRUE);
      g_autofree char *csrf = g_strdup_printf ("%08X:%s", now, csrf_sig);
      JsonWriter w;

      if (otp && g_str_equal (otp, PVE_SIM_ALICE_TOTP))
        {
          sim_login_success (ctx, resp, userid);
          return;
        }
      half = sim_issue_half_ticket (self, userid);
      w = jw_data_begin ();
      jw_begin_object (&w);
      jw_kstr (&w, "username", userid);
      jw_kstr (&w, "ticket", half);
      jw_kstr (&w, "CSRFPreventionToken", csrf);
      jw_kint (&w, "NeedTFA", 1);
      jw_end_object (&w);
      resp_data (resp, &w, 0);
      return;
    }

  sim_login_success (ctx, resp, userid);
}

/* Fills ctx's identity, or an error response. Returns FALSE when the request is refused. */
static gboolean
sim_authenticate (SimCtx      *ctx,
                  SimResponse *resp)
{
  PveSim *self = ctx->self;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (ctx->msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *cookie = NULL;
  SimTicket *ticket;

  if (authorization && g_str_has_prefix (authorization, "PVEAPIToken"))
    {
      const SimToken *token = sim_parse_token (authorization, &ctx->tokenid);
      g_autofree char *user = NULL;
      char *bang;

      ctx->record->has_token = TRUE;
      if (token == NULL)
        {
          resp_empty (resp, 401, "Authentication failed!");
          return FALSE;
        }
      bang = strchr (token->tokenid, '!');
      user = g_strndup (token->tokenid, bang - token->tokenid);
      ctx->userid = g_intern_string (user);
      ctx->privs = token->privs;
      return TRUE;
    }

  cookie = get_cookie (ctx->msg, "PVEAuthCookie");
  if (cookie == NULL)
    {
      resp_empty (resp, 401, "No ticket");
      return FALSE;
    }
  ctx->record->has_cookie = TRUE;
  ticket = sim_lookup_ticket (self, cookie);
  if (ticket == NULL)
    {
      resp_empty (resp, 401, "Authentication failed!");
      return FALSE;
    }
  ctx->userid = g_intern_string (ticket->userid);
  ctx->privs = sim_lookup_user (ticket->userid)->privs;

  if (!g_str_equal (ctx->method, "GET"))
    {
      const char *csrf = soup_message_headers_get_one (headers, "CSRFPreventionToken");

      if (csrf == NULL || !g_str_equal (csrf, ticket->csrf))
        {
          resp_empty (resp, 401, "Permission denied - invalid csrf token");
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
sim_check_priv (SimCtx      *ctx,
                SimResponse *resp,
                guint        priv,
                const char  *priv_name,
                const char  *acl_path)
{
  g_autofree char *message = NULL;

  if ((ctx->privs & priv) == priv)
    return TRUE;
  message = g_strdup_printf ("Permission check failed (%s, %s)", acl_path, priv_name);
  resp_error (resp, 403, message);
  return FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* 5. Endpoints                                                                                 */
/* ------------------------------------------------------------------------------------------ */

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static const char *
param (SimCtx     *ctx,
       const char *name)
{
  return g_hash_table_lookup (ctx->params, name);
}

/* Parses an optional non-negative integer parameter; FALSE (with a 400) when malformed. */
static gboolean
param_uint (SimCtx      *ctx,
            SimResponse *resp,
            const char  *name,
            guint64      fallback,
            guint64     *out)
{
  const char *value = param (ctx, name);
  g_autofree char *message = NULL;

  *out = fallback;
  if (value == NULL)
    return TRUE;
  if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT64, out, NULL))
    return TRUE;
  message = g_strdup_printf ("type check ('integer') failed - got '%s'", value);
  resp_param_error (resp, name, message);
  return FALSE;
}

static const char *
node_fingerprint (PveSim  *self,
                  SimNode *node)
{
  return node->fingerprint ? node->fingerprint : self->fingerprints[self->cert_index];
}

static gboolean
guest_has_stats (SimGuest *guest)
{
  return !g_str_equal (guest->status, "unknown");
}

static gboolean
guest_is_running (SimGuest *guest)
{
  return g_str_equal (guest->status, "running") || g_str_equal (guest->status, "paused");
}

static double
guest_cpu (PveSim   *self,
           SimGuest *guest)
{
  return guest->cpu * live_factor (self, guest->vmid);
}

static guint64
guest_mem (PveSim   *self,
           SimGuest *guest)
{
  return (guint64) (guest->mem * (0.9 + 0.1 * live_factor (self, guest->vmid * 0.3)));
}

static gint64
guest_uptime (PveSim   *self,
              SimGuest *guest)
{
  return guest->started_at ? MAX (live_now (self) - guest->started_at, 1) : 0;
}

static double
node_cpu (PveSim  *self,
          SimNode *node)
{
  return node->cpu * live_factor (self, node->nodeid * 11.0);
}

static gint64
node_uptime (PveSim  *self,
             SimNode *node)
{
  return node->booted_at ? live_now (self) - node->booted_at : 0;
}

static void
write_guest_resource (PveSim     *self,
                      JsonWriter *w,
                      SimGuest   *guest)
{
  SimNode *node = g_ptr_array_index (self->nodes, guest->node);
  const char *type = guest->is_lxc ? "lxc" : "qemu";
  char id[64];

  g_snprintf (id, sizeof id, "%s/%" G_GINT64_FORMAT, type, guest->vmid);
  jw_begin_object (w);
  jw_kstr (w, "id", id);
  jw_kstr (w, "type", type);
  jw_kint (w, "vmid", guest->vmid);
  jw_kstr (w, "node", node->name);
  jw_kstr (w, "status", guest->status);
  if (guest_has_stats (guest))
    {
      jw_kstr (w, "name", guest->name);
      jw_kint (w, "template", guest->template);
      jw_kint (w, "uptime", guest_uptime (self, guest));
      jw_kint (w, "maxcpu", guest->maxcpu);
      jw_kdbl (w, "cpu", guest_cpu (self, guest));
      jw_kint (w, "maxmem", guest->maxmem);
      jw_kint (w, "mem", guest_mem (self, guest));
      jw_kint (w, "maxdisk", guest->maxdisk);
      jw_kint (w, "disk", guest->disk);
      jw_kint (w, "netin", guest->netin);
      jw_kint (w, "netout", guest->netout);
      jw_kint (w, "diskread", guest->diskread);
      jw_kint (w, "diskwrite", guest->diskwrite);
      if (guest->pool)
        jw_kstr (w, "pool", guest->pool);
      if (guest->tags)
        jw_kstr (w, "tags", guest->tags);
      if (guest->vmid % 11 == 5)
        jw_kstr (w, "hastate", "started");
    }
  jw_end_object (w);
}

static void
write_node_stats (PveSim     *self,
                  JsonWriter *w,
                  SimNode    *node)
{
  jw_kint (w, "uptime", node_uptime (self, node));
  jw_kint (w, "maxcpu", node->maxcpu);
  jw_kdbl (w, "cpu", node_cpu (self, node));
  jw_kint (w, "maxmem", node->maxmem);
  jw_kint (w, "mem", node->mem);
  jw_kint (w, "maxdisk", node->maxdisk);
  jw_kint (w, "disk", node->disk);
}

static void
write_node_resource (PveSim     *self,
                     JsonWriter *w,
                     SimNode    *node)
{
  char id[64];

  g_snprintf (id, sizeof id, "node/%s", node->name);
  jw_begin_object (w);
  jw_kstr (w, "id", id);
  jw_kstr (w, "type", "node");
  jw_kstr (w, "node", node->name);
  jw_kstr (w, "status", node->online ? "online" : "offline");
  jw_kstr (w, "level", "");
  if (node->online)
    {
      jw_kint (w, "cgroup-mode", 2);
      write_node_stats (self, w, node);
    }
  jw_end_object (w);
}

typedef struct
{
  const char *name;
  const char *type;
  const char *content;
  gboolean    shared;
  guint64     total;
  double      used_fraction;
} SimStorage;

static const SimStorage sim_storages[] = {
  { "local", "dir", "iso,vztmpl,backup", FALSE, 100861726720, 0.24 },
  { "local-lvm", "lvmthin", "images,rootdir", FALSE, 858993459200, 0.41 },
  { "nfs-backup", "nfs", "backup,iso", TRUE, 4398046511104, 0.63 },
};

static void
write_storage_resource (JsonWriter       *w,
                        SimNode          *node,
                        const SimStorage *storage)
{
  char id[128];

  g_snprintf (id, sizeof id, "storage/%s/%s", node->name, storage->name);
  jw_begin_object (w);
  jw_kstr (w, "id", id);
  jw_kstr (w, "type", "storage");
  jw_kstr (w, "storage", storage->name);
  jw_kstr (w, "node", node->name);
  jw_kstr (w, "status", node->online ? "available" : "unknown");
  if (node->online)
    {
      jw_kstr (w, "plugintype", storage->type);
      jw_kint (w, "shared", storage->shared);
      jw_kstr (w, "content", storage->content);
      jw_kint (w, "maxdisk", storage->total);
      jw_kint (w, "disk", (gint64) (storage->total * storage->used_fraction));
    }
  jw_end_object (w);
}

static SimCached *
build_resources (PveSim     *self,
                 const char *type)
{
  JsonWriter w = { g_string_sized_new (256 + self->guests->len * 330), FALSE };
  gboolean all = type == NULL;
  SimCached *cached = g_new0 (SimCached, 1);

  g_string_append (w.s, "{\"data\":");
  jw_begin_array (&w);
  if (all || g_str_equal (type, "vm"))
    for (guint i = 0; i < self->guests->len; i++)
      write_guest_resource (self, &w, g_ptr_array_index (self->guests, i));
  if (all || g_str_equal (type, "node"))
    for (guint i = 0; i < self->nodes->len; i++)
      write_node_resource (self, &w, g_ptr_array_index (self->nodes, i));
  if (all || g_str_equal (type, "storage"))
    for (guint i = 0; i < self->nodes->len; i++)
      for (guint s = 0; s < G_N_ELEMENTS (sim_storages); s++)
        write_storage_resource (&w, g_ptr_array_index (self->nodes, i), &sim_storages[s]);
  if (all)
    {
      static const char *const pools[] = { "dev", "prod" };

      for (guint p = 0; p < G_N_ELEMENTS (pools); p++)
        {
          g_autofree char *id = g_strdup_printf ("/pool/%s", pools[p]);

          jw_begin_object (&w);
          jw_kstr (&w, "id", id);
          jw_kstr (&w, "type", "pool");
          jw_kstr (&w, "pool", pools[p]);
          jw_end_object (&w);
        }
    }
  jw_end_array (&w);
  g_string_append_c (w.s, '}');
  cached->plain = g_string_free_to_bytes (w.s);
  if (g_bytes_get_size (cached->plain) > GZIP_MIN_SIZE)
    cached->gzip = gzip_bytes (cached->plain);
  return cached;
}

static void
h_cluster_resources (SimCtx      *ctx,
                     SimResponse *resp)
{
  PveSim *self = ctx->self;
  const char *type = param (ctx, "type");
  SimCached *cached;
  const char *key;

  if (type && !g_str_equal (type, "vm") && !g_str_equal (type, "storage")
      && !g_str_equal (type, "node") && !g_str_equal (type, "sdn"))
    {
      g_autofree char *message =
        g_strdup_printf ("value '%s' does not have a value in the enumeration 'vm, storage, node, sdn'", type);

      resp_param_error (resp, "type", message);
      return;
    }
  if (type && g_str_equal (type, "sdn"))
    {
      JsonWriter w = jw_data_begin ();

      jw_begin_array (&w);
      jw_end_array (&w);
      resp_data (resp, &w, 0);
      return;
    }

  if (self->cache_period != live_period (self))
    {
      g_hash_table_remove_all (self->cache);
      self->cache_period = live_period (self);
    }
  key = type ? type : "all";
  cached = g_hash_table_lookup (self->cache, key);
  if (cached == NULL)
    {
      cached = build_resources (self, type);
      g_hash_table_insert (self->cache, g_strdup (key), cached);
    }
  resp_set (resp, 200, "OK", g_bytes_ref (cached->plain));
  resp->gzip_body = cached->gzip ? g_bytes_ref (cached->gzip) : NULL;
}

static void
h_version (SimCtx      *ctx,
           SimResponse *resp)
{
  JsonWriter w = jw_data_begin ();

  jw_begin_object (&w);
  jw_kstr (&w, "version", PVE_VERSION);
  jw_kstr (&w, "release", PVE_RELEASE);
  jw_kstr (&w, "repoid", PVE_REPOID);
  jw_end_object (&w);
  resp_data (resp, &w, 0);
}

static void
h_cluster_status (SimCtx      *ctx,
                  SimResponse *resp)
{
  PveSim *self = ctx->self;
  JsonWriter w = jw_data_begin ();
  guint n_online = 0;

  for (guint i = 0; i < self->nodes->len; i++)
    n_online += ((SimNode *) g_ptr_array_index (self->nodes, i))->online;

  jw_begin_array (&w);
  if (self->nodes->len > 1)
    {
      jw_begin_object (&w);
      jw_kstr (&w, "type", "cluster");
      jw_kstr (&w, "id", "cluster");
      jw_kstr (&w, "name", self->clustername);
      jw_kint (&w, "nodes", self->nodes->len);
      jw_kint (&w, "quorate", n_online * 2 > self->nodes->len);
      jw_kint (&w, "version", self->nodes->len + 1);
      jw_end_object (&w);
    }
  for (guint i = 0; i < self->nodes->len; i++)
    {
      SimNode *node = g_ptr_array_index (self->nodes, i);
      g_autofree char *id = g_strdup_printf ("node/%s", node->name);

      jw_begin_object (&w);
      jw_kstr (&w, "type", "node");
      jw_kstr (&w, "id", id);
      jw_kstr (&w, "name", node->name);
      jw_kstr (&w, "ip", node->ip);
      jw_kint (&w, "nodeid", self->nodes->len > 1 ? node->nodeid : 0);
      jw_kint (&w, "online", node->online);
      jw_kint (&w, "local", i == 0);
      jw_kstr (&w, "level", "");
      jw_end_object (&w);
    }
  jw_end_array (&w);
  resp_data (resp, &w, 0);
}

static void
write_task (JsonWriter *w,
            PveSim     *self,
            SimTask    *task,
            gboolean    status_view)
{
  SimNode *node = g_ptr_array_index (self->nodes, task->node);

  jw_begin_object (w);
  jw_kstr (w, "upid", task->upid);
  jw_kstr (w, "node", node->name);
  jw_kint (w, "pid", task->pid);
  jw_kint (w, "pstart", task->pstart);
  jw_kint (w, "starttime", task->starttime);
  jw_kstr (w, "type", task->type);
  jw_kstr (w, "id", task->id);
  jw_kstr (w, "user", task->user);
  if (task->tokenid)
    jw_kstr (w, "tokenid", task->tokenid);
  if (status_view)
    {
      jw_kstr (w, "status", task->running ? "running" : "stopped");
      if (!task->running)
        jw_kstr (w, "exitstatus", task->exitstatus);
    }
  else if (!task->running)
    {
      jw_kint (w, "endtime", task->endtime);
      jw_kstr (w, "status", task->exitstatus);
    }
}

static void
h_cluster_tasks (SimCtx      *ctx,
                 SimResponse *resp)
{
  PveSim *self = ctx->self;
  JsonWriter w = jw_data_begin ();
  guint n = 0;

  jw_begin_array (&w);
  for (guint i = self->tasks->len; i > 0 && n < 50; i--, n++)
    {
      SimTask *task = g_ptr_array_index (self->tasks, i - 1);

      write_task (&w, self, task, FALSE);
      /* the saved flag only exists in the cluster-wide list */
      jw_kstr (&w, "saved", task->running ? "0" : "1");
      jw_end_object (&w);
    }
  jw_end_array (&w);
  resp_data (resp, &w, 0);
}

static void
h_cluster_options (SimCtx      *ctx,
                   SimResponse *resp)
{
  JsonWriter w = jw_data_begin ();

  jw_begin_object (&w);
  jw_kstr (&w, "keyboard", "en-us");
  jw_kstr (&w, "console", "html5");
  jw_kstr (&w, "language", "en");
  jw_kstr (&w, "mac_prefix", "BC:24:11");
  jw_kstr (&w, "description",
           "# Simulated datacenter\n\nMaintenance window: **Sundays 02:00-04:00**.\n"
           "On call: ops@sim.example\n");
  jw_key (&w, "migration");
  jw_begin_object (&w);
  jw_kstr (&w, "type", "secure");
  jw_end_object (&w);
  jw_end_object (&w);
  resp_data (resp, &w, 0);
}

static void
h_nodes (SimCtx      *ctx,
         SimResponse *resp)
{
  PveSim *self = ctx->self;
  JsonWriter w = jw_data_begin ();

  jw_begin_array (&w);
  for (guint i = 0; i < self->nodes->len; i++)
    {
      SimNode *node = g_ptr_array_index (self->nodes, i);
      g_autofree char *id = g_strdup_printf ("node/%s", node->name);

      jw_begin_object (&w);
      jw_kstr (&w, "id", id);
      jw_kstr (&w, "type", "node");
      jw_kstr (&w, "node", node->name);
      jw_kstr (&w, "status", node->online ? "online" : "offline");
      jw_kstr (&w, "level", "");
      jw_kstr (&w, "ssl_fingerprint", node_fingerprint (self, node));
      if (node->online)
        write_node_stats (self, &w, node);
      jw_end_object (&w);
    }
  jw_end_array (&w);
  resp_data (resp, &w, 0);
}

static void
h_node_status (SimCtx      *ctx,
               SimResponse *resp)
{
  SimNode *node = ctx->node;
  JsonWriter w = jw_data_begin ();
  char buf[32];

  jw_begin_object (&w);
  jw_kint (&w, "uptime", node_uptime (ctx->self, node));
  jw_key (&w, "loadavg");
  jw_begin_array (&w);
  for (guint i = 0; i < 3; i++)
    {
      g_snprintf (buf, sizeof buf, "%.2f", node_cpu (ctx->self, node) * node->maxcpu * (1.0 + 0.1 * i));
      jw_string (&w, buf);
    }
  jw_end_array (&w);
  jw_kdbl (&w, "cpu", node_cpu (ctx->self, node));
  jw_kdbl (&w, "wait", 0.00537015726889145);
  jw_kint (&w, "idle", 0);
  jw_key (&w, "cpuinfo");
  jw_begin_object (&w);
  jw_kstr (&w, "model", node->maxcpu > 8 ? "AMD EPYC 7302P 16-Core Processor" : "Intel(R) N100");
  jw_kint (&w, "sockets", 1);
  jw_kint (&w, "cores", node->maxcpu);
  jw_kint (&w, "cpus", node->maxcpu);
  jw_kstr (&w, "mhz", "2895.985");
  jw_kstr (&w, "hvm", "1");
  jw_kint (&w, "user_hz", 100);
  jw_kstr (&w, "flags", "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov");
  jw_end_object (&w);
  jw_key (&w, "memory");
  jw_begin_object (&w);
  jw_kint (&w, "total", node->maxmem);
  jw_kint (&w, "used", node->mem);
  jw_kint (&w, "free", node->maxmem - node->mem);
  jw_kint (&w, "available", (node->maxmem - node->mem) + node->mem / 5);
  jw_end_object (&w);
  jw_key (&w, "swap");
  jw_begin_object (&w);
  jw_kint (&w, "total", 8589930496);
  jw_kint (&w, "used", 6283759616 / 8);
  jw_kint (&w, "free", 8589930496 - 6283759616 / 8);
  jw_end_object (&w);
  jw_key (&w, "rootfs");
  jw_begin_object (&w);
  jw_kint (&w, "total", 100861726720);
  jw_kint (&w, "used", 24372563968);
  jw_kint (&w, "free", 76489162752);
  jw_kint (&w, "avail", 71318425600);
  jw_end_object (&w);
  jw_key (&w, "ksm");
  jw_begin_object (&w);
  jw_kint (&w, "shared", 150302720);
  jw_end_object (&w);
  jw_kstr (&w, "pveversion", "pve-manager/" PVE_VERSION "/" PVE_REPOID);
  jw_kstr (&w, "kversion", "Linux 6.17.4-1-pve #1 SMP PREEMPT_DYNAMIC PMX 6.17.4-1 (2025-12-03T15:42Z)");
  jw_key (&w, "current-kernel");
  jw_begin_object (&w);
  jw_kstr (&w, "sysname", "Linux");
  jw_kstr (&w, "release", "6.17.4-1-pve");
  jw_kstr (&w, "version", "#1 SMP PREEMPT_DYNAMIC PMX 6.17.4-1 (2025-12-03T15:42Z)");
  jw_kstr (&w, "machine", "x86_64");
  jw_end_object (&w);
  jw_key (&w, "boot-info");
  jw_begin_object (&w);
  jw_kstr (&w, "mode", "efi");
  jw_kint (&w, "secureboot", 0);
  jw_end_object (&w);
  jw_end_object (&w);
  resp_data (resp, &w, 0);
}

static void
write_guest_list_entry (PveSim     *self,
                        JsonWriter *w,
                        SimGuest   *guest)
{
  jw_begin_object (w);
  if (guest->is_lxc && guest->vmid_as_string)
    {
      char buf[32];

      g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, guest->vmid);
      jw_kstr (w, "vmid", buf);
    }
  else
    jw_kint (w, "vmid", guest->vmid);
  jw_kstr (w, "name", guest->name);
  jw_kstr (w, "status", guest->status);
  if (guest->is_lxc)
    {
      jw_kstr (w, "type", "lxc");
      jw_kint (w, "maxswap", 536870912);
      jw_kint (w, "swap", 0);
    }
  jw_kint (w, "cpus", guest->maxcpu);
  jw_kdbl (w, "cpu", guest_cpu (self, guest));
  jw_kint (w, "maxmem", guest->maxmem);
  jw_kint (w, "mem", guest_mem (self, guest));
  jw_kint (w, "maxdisk", guest->maxdisk);
  jw_kint (w, "disk", guest->disk);
  jw_kint (w, "netin", guest->netin);
  jw_kint (w, "netout", guest->netout);
  jw_kint (w, "diskread", guest->diskread);
  jw_kint (w, "diskwrite", guest->diskwrite);
  jw_kint (w, "uptime", guest_uptime (self, guest));
  if (guest->pid)
    jw_kint (w, "pid", guest->pid);
  if (guest->template)
    jw_kint (w, "template", 1);
  if (guest->tags)
    jw_kstr (w, "tags", guest->tags);
  if (!guest->is_lxc && guest_is_running (guest))
    jw_kstr (w, "qmpstatus", guest->status);
}

static void
h_guest_list (SimCtx      *ctx,
              SimResponse *resp)
{
  PveSim *self = ctx->self;
  gboolean lxc = g_str_equal (ctx->arg, "lxc");
  JsonWriter w = jw_data_begin ();

  jw_begin_array (&w);
  for (guint i = 0; i < self->guests->len; i++)
    {
      SimGuest *guest = g_ptr_array_index (self->guests, i);

      if (guest->node != ctx->node_index || guest->is_lxc != lxc)
        continue;
      write_guest_list_entry (self, &w, guest);
      jw_end_object (&w);
    }
  jw_end_array (&w);
  resp_data (resp, &w, 0);
}

static void
h_guest_current (SimCtx      *ctx,
                 SimResponse *resp)
{
  SimGuest *guest = ctx->guest;
  JsonWriter w = jw_data_begin ();

  write_guest_list_entry (ctx->self, &w, guest);
  if (!guest->is_lxc)
    {
      jw_kint (&w, "agent", guest->vmid % 2);
      if (guest_is_running (guest))
        {
          jw_kstr (&w, "running-machine", "pc-i440fx-10.0+pve0");
          jw_kstr (&w, "running-qemu", "10.0.2");
        }
    }
  jw_key (&w, "ha");
  jw_begin_object (&w);
  jw_kint (&w, "managed", guest->vmid % 11 == 5);
  jw_end_object (&w);
  jw_end_object (&w);
  resp_data (resp, &w, 0);
}

/* --- tasks --- */

static SimTask *
sim_task_new (PveSim     *self,
              guint       node_index,
              gint64      starttime,
              const char *type,
              const char *id,
              const char *user,
              const char *tokenid)
{
  SimTask *task = g_new0 (SimTask, 1);
  SimNode *node = g_ptr_array_index (self->nodes, node_index);
  g_autofree char *upid_user = tokenid ? g_strdup (tokenid) : g_strdup (user);

  task->sim = self;
  task->node = node_index;
  task->pid = self->next_pid++;
  task->pstart = (guint) ((starttime - self->boot_time) * 100) & 0x7fffffff;
  task->starttime = starttime;
  task->type = g_strdup (type);
  task->id = g_strdup (id);
  task->user = g_strdup (user);
  task->tokenid = tokenid ? g_strdup (strchr (tokenid, '!') + 1) : NULL;
  task->log = g_ptr_array_new_with_free_func (g_free);
  task->upid = g_strdup_printf ("UPID:%s:%08X:%08X:%08X:%s:%s:%s:", node->name, task->pid,
                                task->pstart, (guint) starttime, type, id, upid_user);
  g_ptr_array_add (self->tasks, task);
  g_hash_table_insert (self->tasks_by_upid, task->upid, task);
  return task;
}

static void
sim_task_finish (SimTask    *task,
                 const char *exitstatus)
{
  task->running = FALSE;
  task->endtime = now_s ();
  g_free (task->exitstatus);
  task->exitstatus = g_strdup (exitstatus);
  if (g_str_equal (exitstatus, "OK"))
    g_ptr_array_add (task->log, g_strdup ("TASK OK"));
  else if (g_str_has_prefix (exitstatus, "WARNINGS"))
    g_ptr_array_add (task->log, g_strdup_printf ("TASK %s", exitstatus));
  else
    g_ptr_array_add (task->log, g_strdup_printf ("TASK ERROR: %s", exitstatus));
}

static void
sim_generate_history (PveSim *self)
{
  static const struct { const char *type; const char *id; const char *status; const char *line; } hist[] = {
    { "aptupdate", "", "OK", "starting apt-get update" },
    { "vzdump", "", "OK", "INFO: starting new backup job: vzdump --all 1 --storage nfs-backup" },
    { "srvreload", "networking", "OK", "reloading network config" },
    { "vzdump", "", "WARNINGS: 1", "INFO: starting new backup job: vzdump --all 1 --storage nfs-backup" },
    { "srvreload", "networking", "command 'ifreload -a' failed: exit code 1", "reloading network config" },
  };
  gint64 now = now_s ();

  for (guint i = 0; i < self->nodes->len; i++)
    {
      SimNode *node = g_ptr_array_index (self->nodes, i);

      if (!node->online)
        continue;
      for (guint h = 0; h < G_N_ELEMENTS (hist); h++)
        {
          gint64 start = now - 86400 * (G_N_ELEMENTS (hist) - h) - 3600 * i;
          SimTask *task = sim_task_new (self, i, start, hist[h].type, hist[h].id, "root@pam", NULL);

          g_ptr_array_add (task->log, g_strdup (hist[h].line));
          if (g_str_equal (hist[h].type, "vzdump"))
            g_ptr_array_add (task->log, g_strdup ("INFO: Backup job finished successfully"));
          sim_task_finish (task, hist[h].status);
          task->endtime = start + 5 + h * 17;
        }
    }
}

static gboolean
sim_task_complete_cb (gpointer user_data)
{
  SimTask *task = user_data;
  PveSim *self = task->sim;
  SimGuest *guest = task->vmid ? sim_find_guest (self, task->vmid) : NULL;
  g_autofree char *failure = NULL;

  task->timeout_id = 0;
  if (guest && guest->pending_failure)
    failure = g_steal_pointer (&guest->pending_failure);

  if (failure)
    sim_task_finish (task, failure);
  else if (task->exitstatus)   /* decided when queued (e.g. "already running") */
    {
      g_autofree char *status = g_steal_pointer (&task->exitstatus);

      sim_task_finish (task, status);
    }
  else
    {
      if (guest && task->new_status && !g_str_equal (guest->status, task->new_status))
        {
          gboolean was_running = guest_is_running (guest);

          g_free (guest->status);
          guest->status = g_strdup (task->new_status);
          if (g_str_equal (guest->status, "stopped"))
            sim_guest_clear_stats (guest);
          else if (!was_running)
            {
              g_autoptr(GRand) rand = g_rand_new_with_seed (self->seed ^ (guint32) guest->vmid);

              sim_guest_set_running_stats (guest, rand);
              guest->started_at = now_s ();
            }
          if (g_str_equal (guest->status, "paused"))
            guest->cpu = 0;
          sim_data_changed (self);
        }
      sim_task_finish (task, "OK");
    }
  return G_SOURCE_REMOVE;
}

static void
h_guest_action (SimCtx      *ctx,
                SimResponse *resp)
{
  PveSim *self = ctx->self;
  SimGuest *guest = ctx->guest;
  const char *action = strchr (ctx->arg, ':') + 1;
  const char *kind = guest->is_lxc ? "CT" : "VM";
  gboolean running = guest_is_running (guest);
  const char *new_status = NULL;
  g_autofree char *acl = g_strdup_printf ("/vms/%" G_GINT64_FORMAT, guest->vmid);
  g_autofree char *vmid_str = g_strdup_printf ("%" G_GINT64_FORMAT, guest->vmid);
  g_autofree char *task_type = NULL;
  g_autofree char *failure = NULL;
  g_autofree char *message = NULL;
  JsonWriter w;
  SimTask *task;

  if (!sim_check_priv (ctx, resp, PRIV_VM_POWERMGMT, "VM.PowerMgmt", acl))
    return;

  if (g_str_equal (action, "start"))
    {
      if (guest->template)
        {
          resp_error (resp, 500, "you can't start a vm if it's a template");
          return;
        }
      if (running && guest->is_lxc)
        {
          message = g_strdup_printf ("CT %s already running", vmid_str);
          resp_error (resp, 500, message);
          return;
        }
      if (running)
        failure = g_strdup_printf ("VM %s already running", vmid_str);
      new_status = "running";
    }
  else if (g_str_equal (action, "stop") || g_str_equal (action, "shutdown"))
    {
      if (!running && guest->is_lxc)
        {
          message = g_strdup_printf ("CT %s not running", vmid_str);
          resp_error (resp, 500, message);
          return;
        }
      new_status = "stopped";
    }
  else
    {
      if (!running)
        {
          message = g_strdup_printf ("%s %s not running", kind, vmid_str);
          resp_error (resp, 500, message);
          return;
        }
      if (g_str_equal (action, "suspend"))
        new_status = guest->is_lxc ? NULL : "paused";
      else
        new_status = "running";
    }

  if (!guest->is_lxc && g_str_equal (action, "suspend"))
    task_type = g_strdup ("qmpause");
  else
    task_type = g_strdup_printf ("%s%s", guest->is_lxc ? "vz" : "qm", action);

  task = sim_task_new (self, ctx->node_index, now_s (), task_type, vmid_str, ctx->userid, ctx->tokenid);
  task->running = TRUE;
  task->vmid = guest->vmid;
  task->new_status = g_strdup (new_status);
  task->exitstatus = g_steal_pointer (&failure);
  if (g_str_equal (action, "start") && !guest->is_lxc)
    g_ptr_array_add (task->log, g_strdup_printf ("generating cloud-init ISO"));
  g_ptr_array_add (task->log, g_strdup_printf ("%s %s %s", action, kind, vmid_str));
  task->timeout_id = g_timeout_add (self->task_duration_ms, sim_task_complete_cb, task);

  w = jw_data_begin ();
  jw_string (&w, task->upid);
  resp_data (resp, &w, 0);
}

static SimTask *
lookup_task (SimCtx      *ctx,
             SimResponse *resp)
{
  SimTask *task;
  g_autofree char *message = NULL;

  if (!g_str_has_prefix (ctx->upid, "UPID:"))
    {
      message = g_strdup_printf ("unable to parse worker upid '%s'", ctx->upid);
      resp_param_error (resp, "upid", message);
      return NULL;
    }
  task = g_hash_table_lookup (ctx->self->tasks_by_upid, ctx->upid);
  if (task == NULL || task->node != ctx->node_index)
    {
      resp_error (resp, 500, "no such task");
      return NULL;
    }
  return task;
}

static void
h_task_status (SimCtx      *ctx,
               SimResponse *resp)
{
  SimTask *task = lookup_task (ctx, resp);
  JsonWriter w;

  if (task == NULL)
    return;
  w = jw_data_begin ();
  write_task (&w, ctx->self, task, TRUE);
  jw_end_object (&w);
  resp_data (resp, &w, 0);
}

static void
write_lines (SimCtx      *ctx,
             SimResponse *resp,
             GPtrArray   *lines)
{
  guint64 start, limit;
  JsonWriter w;
  guint64 total = MAX (lines->len, 1);

  if (!param_uint (ctx, resp, "start", 0, &start) || !param_uint (ctx, resp, "limit", 50, &limit))
    return;
  w = jw_data_begin ();
  jw_begin_array (&w);
  if (lines->len == 0)
    {
      jw_begin_object (&w);
      jw_kint (&w, "n", 1);
      jw_kstr (&w, "t", "no content");
      jw_end_object (&w);
    }
  for (guint64 i = start; i < lines->len && i < start + limit; i++)
    {
      jw_begin_object (&w);
      jw_kint (&w, "n", i + 1);
      jw_kstr (&w, "t", g_ptr_array_index (lines, i));
      jw_end_object (&w);
    }
  jw_end_array (&w);
  resp_data (resp, &w, total);
}

static void
h_task_log (SimCtx      *ctx,
            SimResponse *resp)
{
  SimTask *task = lookup_task (ctx, resp);

  if (task)
    write_lines (ctx, resp, task->log);
}

static void
h_node_tasks (SimCtx      *ctx,
              SimResponse *resp)
{
  PveSim *self = ctx->self;
  guint64 start, limit, vmid;
  gboolean errors = g_strcmp0 (param (ctx, "errors"), "1") == 0;
  g_autoptr(GPtrArray) matching = g_ptr_array_new ();
  JsonWriter w;

  if (!param_uint (ctx, resp, "start", 0, &start) || !param_uint (ctx, resp, "limit", 50, &limit)
      || !param_uint (ctx, resp, "vmid", 0, &vmid))
    return;
  for (guint i = self->tasks->len; i > 0; i--)
    {
      SimTask *task = g_ptr_array_index (self->tasks, i - 1);

      if (task->node != ctx->node_index)
        continue;
      if (vmid && task->vmid != (gint64) vmid)
        continue;
      if (errors && (task->running || g_str_equal (task->exitstatus, "OK")))
        continue;
      g_ptr_array_add (matching, task);
    }
  w = jw_data_begin ();
  jw_begin_array (&w);
  for (guint64 i = start; i < matching->len && i < start + limit; i++)
    {
      write_task (&w, self, g_ptr_array_index (matching, i), FALSE);
      jw_end_object (&w);
    }
  jw_end_array (&w);
  resp_data (resp, &w, matching->len);
}

static void
h_syslog (SimCtx      *ctx,
          SimResponse *resp)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  gint64 base = now_s () - N_SYSLOG_LINES * 7;
  g_autofree char *acl = g_strdup_printf ("/nodes/%s", ctx->node->name);

  if (!sim_check_priv (ctx, resp, PRIV_SYS_SYSLOG, "Sys.Syslog", acl))
    return;
  for (guint i = 0; i < N_SYSLOG_LINES; i++)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (base + i * 7);
      g_autofree char *stamp = g_date_time_format (dt, "%b %d %H:%M:%S");
      g_autofree char *text = NULL;
      guint pid = 1000 + i * 13;

      switch (i % 6)
        {
        case 0:
          text = g_strdup_printf ("pvedaemon[%u]: <root@pam> successful auth for user 'root@pam'", pid);
          break;
        case 1:
          text = g_strdup_printf ("pveproxy[%u]: worker %u finished", pid, pid + 7);
          break;
        case 2:
          text = g_strdup_printf ("pmxcfs[%u]: [status] notice: received log", pid);
          break;
        case 3:
          text = g_strdup_printf ("pvestatd[%u]: status update time (0.%03u seconds)", pid, 100 + i % 900);
          break;
        case 4:
          text = g_strdup ("kernel: vmbr0: port 2(tap100i0) entered forwarding state");
          break;
        default:
          text = g_strdup_printf ("CRON[%u]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)",
                                  pid);
          break;
        }

      g_ptr_array_add (lines, g_strdup_printf ("%s %s %s", stamp, ctx->node->name, text));
    }
  write_lines (ctx, resp, lines);
}

static void
h_access_acl (SimCtx      *ctx,
              SimResponse *resp)
{
  static const struct { const char *path; const char *role; const char *type; const char *ugid; } acl[] = {
    { "/", "Administrator", "user", "alice@pve" },
    { "/", "PVEAuditor", "user", "audit@pve" },
    { "/", "PVEAuditor", "token", PVE_SIM_RO_TOKEN_ID },
    { "/pool/prod", "PVEVMUser", "group", "ops" },
  };
  JsonWriter w = jw_data_begin ();

  jw_begin_array (&w);
  for (guint i = 0; i < G_N_ELEMENTS (acl); i++)
    {
      jw_begin_object (&w);
      jw_kstr (&w, "path", acl[i].path);
      jw_kstr (&w, "roleid", acl[i].role);
      jw_kstr (&w, "type", acl[i].type);
      jw_kstr (&w, "ugid", acl[i].ugid);
      jw_kint (&w, "propagate", 1);
      jw_end_object (&w);
    }
  jw_end_array (&w);
  resp_data (resp, &w, 0);
}

static void
h_access_users (SimCtx      *ctx,
                SimResponse *resp)
{
  JsonWriter w = jw_data_begin ();

  jw_begin_array (&w);
  for (guint i = 0; i < G_N_ELEMENTS (sim_users); i++)
    {
      const SimUser *user = &sim_users[i];

      jw_begin_object (&w);
      jw_kstr (&w, "userid", user->userid);
      jw_kint (&w, "enable", 1);
      jw_kint (&w, "expire", 0);
      if (*user->firstname)
        jw_kstr (&w, "firstname", user->firstname);
      if (*user->lastname)
        jw_kstr (&w, "lastname", user->lastname);
      jw_kstr (&w, "email", user->email);
      jw_kstr (&w, "comment", user->comment);
      jw_kstr (&w, "realm-type", g_str_has_suffix (user->userid, "@pam") ? "pam" : "pve");
      if (i > 0)
        jw_kstr (&w, "groups", "ops");
      jw_end_object (&w);
    }
  jw_end_array (&w);
  resp_data (resp, &w, 0);
}

static void
h_network (SimCtx      *ctx,
           SimResponse *resp)
{
  JsonWriter w = jw_data_begin ();
  g_autofree char *address = g_strdup (ctx->node->ip);
  g_autofree char *cidr = g_strdup_printf ("%s/24", address);

  jw_begin_array (&w);
  jw_begin_object (&w);
  jw_kstr (&w, "iface", "eno1");
  jw_kstr (&w, "type", "eth");
  jw_kstr (&w, "method", "manual");
  jw_kstr (&w, "method6", "manual");
  jw_kint (&w, "active", 1);
  jw_kint (&w, "exists", 1);
  jw_key (&w, "families");
  jw_begin_array (&w);
  jw_string (&w, "inet");
  jw_end_array (&w);
  jw_kint (&w, "priority", 3);
  jw_end_object (&w);

  jw_begin_object (&w);
  jw_kstr (&w, "iface", "vmbr0");
  jw_kstr (&w, "type", "bridge");
  jw_kstr (&w, "method", "static");
  jw_kstr (&w, "method6", "manual");
  jw_kint (&w, "active", 1);
  jw_kint (&w, "autostart", 1);
  jw_kstr (&w, "address", address);
  jw_kstr (&w, "netmask", "24");
  jw_kstr (&w, "cidr", cidr);
  jw_kstr (&w, "gateway", "10.10.1.1");
  jw_kstr (&w, "bridge_ports", "eno1");
  jw_kstr (&w, "bridge_stp", "off");
  jw_kstr (&w, "bridge_fd", "0");
  jw_key (&w, "families");
  jw_begin_array (&w);
  jw_string (&w, "inet");
  jw_end_array (&w);
  jw_kint (&w, "priority", 4);
  jw_end_object (&w);

  jw_begin_object (&w);
  jw_kstr (&w, "iface", "vmbr1");
  jw_kstr (&w, "type", "bridge");
  jw_kstr (&w, "method", "manual");
  jw_kstr (&w, "method6", "manual");
  jw_kint (&w, "active", 1);
  jw_kint (&w, "autostart", 1);
  jw_kstr (&w, "bridge_ports", "");
  jw_kstr (&w, "comments", "isolated lab network\n");
  jw_key (&w, "families");
  jw_begin_array (&w);
  jw_end_array (&w);
  jw_kint (&w, "priority", 5);
  jw_end_object (&w);
  jw_end_array (&w);
  resp_data (resp, &w, 0);
}

static void
h_subscription (SimCtx      *ctx,
                SimResponse *resp)
{
  JsonWriter w = jw_data_begin ();
  g_autofree char *md5 = g_compute_checksum_for_string (G_CHECKSUM_MD5, ctx->node->name, -1);
  g_autofree char *serverid = g_ascii_strup (md5, -1);

  jw_begin_object (&w);
  jw_kstr (&w, "status", "notfound");
  jw_kstr (&w, "message", "There is no subscription key");
  jw_kstr (&w, "serverid", serverid);
  jw_kstr (&w, "url", "https://www.proxmox.com/en/proxmox-virtual-environment/pricing");
  jw_end_object (&w);
  resp_data (resp, &w, 0);
}

static void
h_node_storage (SimCtx      *ctx,
                SimResponse *resp)
{
  JsonWriter w = jw_data_begin ();

  jw_begin_array (&w);
  for (guint s = 0; s < G_N_ELEMENTS (sim_storages); s++)
    {
      const SimStorage *st = &sim_storages[s];
      guint64 used = (guint64) (st->total * st->used_fraction);

      jw_begin_object (&w);
      jw_kstr (&w, "storage", st->name);
      jw_kstr (&w, "type", st->type);
      jw_kstr (&w, "content", st->content);
      jw_kint (&w, "active", 1);
      jw_kint (&w, "enabled", 1);
      jw_kint (&w, "shared", st->shared);
      jw_kint (&w, "total", st->total);
      jw_kint (&w, "used", used);
      jw_kint (&w, "avail", st->total - used);
      jw_kdbl (&w, "used_fraction", st->used_fraction);
      jw_end_object (&w);
    }
  jw_end_array (&w);
  resp_data (resp, &w, 0);
}

static void
h_rrddata (SimCtx      *ctx,
           SimResponse *resp)
{
  static const char *const frames[] = { "hour", "day", "week", "month", "year" };
  static const guint steps[] = { 60, 1800, 10800, 43200, 604800 };
  const char *timeframe = param (ctx, "timeframe");
  const char *cf = param (ctx, "cf");
  SimGuest *guest = ctx->guest;
  guint step = 0;
  gint64 end;
  double phase;
  JsonWriter w;

  if (timeframe == NULL)
    {
      resp_param_error (resp, "timeframe", "property is missing and it is not optional");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    if (g_str_equal (timeframe, frames[i]))
      step = steps[i];
  if (step == 0)
    {
      g_autofree char *message =
        g_strdup_printf ("value '%s' does not have a value in the enumeration 'hour, day, week, month, year'",
                         timeframe);

      resp_param_error (resp, "timeframe", message);
      return;
    }
  if (cf && !g_str_equal (cf, "AVERAGE") && !g_str_equal (cf, "MAX"))
    {
      g_autofree char *message =
        g_strdup_printf ("value '%s' does not have a value in the enumeration 'AVERAGE, MAX'", cf);

      resp_param_error (resp, "cf", message);
      return;
    }

  end = now_s () / step * step;
  phase = (guest ? guest->vmid : ctx->node_index) * 0.7;
  w = jw_data_begin ();
  jw_begin_array (&w);
  for (guint i = 0; i < N_RRD_POINTS; i++)
    {
      gint64 t = end - (gint64) (N_RRD_POINTS - 1 - i) * step;
      double wave = 0.5 + 0.4 * sin (phase + i / 6.0) + 0.1 * sin (phase * 3 + i / 1.7);

      jw_begin_object (&w);
      jw_kint (&w, "time", t);
      if (guest)
        {
          gboolean on = guest_is_running (guest);
          double load = on ? wave : 0;

          jw_kdbl (&w, "cpu", on ? MAX (guest->cpu, 0.01) * load * 1.5 : 0);
          jw_kint (&w, "maxcpu", guest->maxcpu);
          jw_kdbl (&w, "mem", on ? guest->maxmem * (0.3 + 0.4 * load) : 0);
          jw_kint (&w, "maxmem", guest->maxmem);
          jw_kint (&w, "disk", guest->disk);
          jw_kint (&w, "maxdisk", guest->maxdisk);
          jw_kdbl (&w, "netin", on ? 20000 * load : 0);
          jw_kdbl (&w, "netout", on ? 9000 * load : 0);
          jw_kdbl (&w, "diskread", on ? 40000 * load : 0);
          jw_kdbl (&w, "diskwrite", on ? 30000 * load : 0);
        }
      else
        {
          SimNode *node = ctx->node;

          jw_kdbl (&w, "cpu", node->cpu * wave * 1.5);
          jw_kint (&w, "maxcpu", node->maxcpu);
          jw_kdbl (&w, "iowait", 0.002 * wave);
          jw_kdbl (&w, "loadavg", node->cpu * node->maxcpu * wave * 1.5);
          jw_kint (&w, "memtotal", node->maxmem);
          jw_kdbl (&w, "memused", node->mem * (0.85 + 0.3 * wave));
          jw_kint (&w, "swaptotal", 8589930496);
          jw_kdbl (&w, "swapused", 785469952.0);
          jw_kint (&w, "roottotal", 100861726720);
          jw_kdbl (&w, "rootused", 24372563968.0);
          jw_kdbl (&w, "netin", 150000 * wave);
          jw_kdbl (&w, "netout", 80000 * wave);
        }
      jw_end_object (&w);
    }
  jw_end_array (&w);
  resp_data (resp, &w, 0);
}

static void
h_snapshots (SimCtx      *ctx,
             SimResponse *resp)
{
  static const char *const names[] = { "before-upgrade", "pre-kernel-6-17" };
  static const char *const descriptions[] = { "Before the dist-upgrade\n", "" };
  SimGuest *guest = ctx->guest;
  const char *parent = NULL;
  JsonWriter w = jw_data_begin ();

  jw_begin_array (&w);
  for (guint i = 0; i < guest->n_snapshots && i < G_N_ELEMENTS (names); i++)
    {
      jw_begin_object (&w);
      jw_kstr (&w, "name", names[i]);
      jw_kstr (&w, "description", descriptions[i]);
      jw_kint (&w, "snaptime", now_s () - 86400 * (30 - 10 * i));
      if (!guest->is_lxc)
        jw_kint (&w, "vmstate", i == 1);
      if (parent)
        jw_kstr (&w, "parent", parent);
      jw_end_object (&w);
      parent = names[i];
    }
  jw_begin_object (&w);
  jw_kstr (&w, "name", "current");
  jw_kstr (&w, "description", "You are here!");
  if (parent)
    jw_kstr (&w, "parent", parent);
  if (!guest->is_lxc)
    jw_kint (&w, "running", guest_is_running (guest));
  jw_end_object (&w);
  jw_end_array (&w);
  resp_data (resp, &w, 0);
}

static void
h_spiceproxy (SimCtx      *ctx,
              SimResponse *resp)
{
  PveSim *self = ctx->self;
  SimGuest *guest = ctx->guest;
  g_autofree char *acl = g_strdup_printf ("/vms/%" G_GINT64_FORMAT, guest->vmid);
  g_autofree char *password = random_base64 (18, TRUE);
  g_autofree char *ca = NULL;
  g_autofree char *host = NULL;
  g_autofree char *title = NULL;
  g_autofree char *proxy = NULL;
  g_auto(GStrv) ca_lines = NULL;
  JsonWriter w;

  if (!sim_check_priv (ctx, resp, PRIV_VM_CONSOLE, "VM.Console", acl))
    return;
  if (!guest_is_running (guest))
    {
      g_autofree char *message = g_strdup_printf ("VM %" G_GINT64_FORMAT " not running", guest->vmid);

      resp_error (resp, 500, message);
      return;
    }

  /* the .vv file format wants the CA on one line, with literal "\n" */
  ca_lines = g_strsplit (self->ca_pem, "\n", -1);
  ca = g_strjoinv ("\\n", ca_lines);
  host = g_strdup_printf ("pvespiceproxy:%08X:%" G_GINT64_FORMAT ":%s::%s", (guint) now_s (),
                          guest->vmid, ctx->node->name, "6c7b5a7e1d2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b");
  title = g_strdup_printf ("VM %" G_GINT64_FORMAT " - %s", guest->vmid, guest->name);
  proxy = g_strdup_printf ("http://%s:3128", param (ctx, "proxy") ? param (ctx, "proxy") : "pve1.sim.example");

  w = jw_data_begin ();
  jw_begin_object (&w);
  jw_kstr (&w, "type", "spice");
  jw_kstr (&w, "host", host);
  jw_kstr (&w, "proxy", proxy);
  jw_kstr (&w, "password", password);
  jw_kint (&w, "tls-port", 61000);
  jw_kstr (&w, "ca", ca);
  jw_kstr (&w, "title", title);
  jw_kstr (&w, "host-subject", "OU=PVE Cluster Node,O=Proxmox Virtual Environment,CN=pve1.sim.example");
  jw_kstr (&w, "secure-attention", "Ctrl+Alt+Ins");
  jw_kstr (&w, "toggle-fullscreen", "Shift+F11");
  jw_kstr (&w, "release-cursor", "Ctrl+Alt+R");
  jw_kint (&w, "delete-this-file", 1);
  jw_end_object (&w);
  resp_data (resp, &w, 0);
}

/* --- routing --- */

typedef void (*SimHandler) (SimCtx      *ctx,
                            SimResponse *resp);

typedef struct
{
  const char *method;
  const char *path;
  SimHandler  handler;
  const char *arg;
} SimRoute;

#define GUEST_ROUTES(t) \
  { "GET", "/nodes/{node}/" t, h_guest_list, t }, \
  { "GET", "/nodes/{node}/" t "/{vmid}/status/current", h_guest_current, t }, \
  { "POST", "/nodes/{node}/" t "/{vmid}/status/start", h_guest_action, t ":start" }, \
  { "POST", "/nodes/{node}/" t "/{vmid}/status/stop", h_guest_action, t ":stop" }, \
  { "POST", "/nodes/{node}/" t "/{vmid}/status/shutdown", h_guest_action, t ":shutdown" }, \
  { "POST", "/nodes/{node}/" t "/{vmid}/status/reboot", h_guest_action, t ":reboot" }, \
  { "POST", "/nodes/{node}/" t "/{vmid}/status/suspend", h_guest_action, t ":suspend" }, \
  { "POST", "/nodes/{node}/" t "/{vmid}/status/resume", h_guest_action, t ":resume" }, \
  { "GET", "/nodes/{node}/" t "/{vmid}/rrddata", h_rrddata, t }, \
  { "GET", "/nodes/{node}/" t "/{vmid}/snapshot", h_snapshots, t }

static const SimRoute sim_routes[] = {
  { "POST", "/access/ticket", h_login, NULL },
  { "GET", "/version", h_version, NULL },
  { "GET", "/access/acl", h_access_acl, NULL },
  { "GET", "/access/users", h_access_users, NULL },
  { "GET", "/cluster/resources", h_cluster_resources, NULL },
  { "GET", "/cluster/status", h_cluster_status, NULL },
  { "GET", "/cluster/tasks", h_cluster_tasks, NULL },
  { "GET", "/cluster/options", h_cluster_options, NULL },
  { "GET", "/nodes", h_nodes, NULL },
  { "GET", "/nodes/{node}/status", h_node_status, NULL },
  { "GET", "/nodes/{node}/network", h_network, NULL },
  { "GET", "/nodes/{node}/subscription", h_subscription, NULL },
  { "GET", "/nodes/{node}/storage", h_node_storage, NULL },
  { "GET", "/nodes/{node}/syslog", h_syslog, NULL },
  { "GET", "/nodes/{node}/rrddata", h_rrddata, NULL },
  { "GET", "/nodes/{node}/tasks", h_node_tasks, NULL },
  { "GET", "/nodes/{node}/tasks/{upid}/status", h_task_status, NULL },
  { "GET", "/nodes/{node}/tasks/{upid}/log", h_task_log, NULL },
  GUEST_ROUTES ("qemu"),
  GUEST_ROUTES ("lxc"),
  { "POST", "/nodes/{node}/qemu/{vmid}/spiceproxy", h_spiceproxy, "qemu" },
};

/* Matches path segments against a route pattern; captures point into ctx->segs. */
static gboolean
route_matches (const SimRoute *route,
               SimCtx         *ctx,
               const char    **node,
               const char    **vmid,
               const char    **upid)
{
  const char *p = route->path + 1;
  guint i = 0;

  while (*p)
    {
      const char *end = strchr (p, '/');
      gsize len = end ? (gsize) (end - p) : strlen (p);
      const char *seg;

      if (i >= ctx->n_segs)
        return FALSE;
      seg = ctx->segs[i];
      if (*p == '{')
        {
          if (*seg == '\0')
            return FALSE;
          if (strncmp (p, "{node}", len) == 0)
            *node = seg;
          else if (strncmp (p, "{vmid}", len) == 0)
            *vmid = seg;
          else if (strncmp (p, "{upid}", len) == 0)
            *upid = seg;
        }
      else if (strlen (seg) != len || strncmp (p, seg, len) != 0)
        return FALSE;
      i++;
      p += len;
      if (*p == '/')
        p++;
    }
  return i == ctx->n_segs;
}

static void
sim_dispatch (SimCtx      *ctx,
              SimResponse *resp)
{
  PveSim *self = ctx->self;
  const SimRoute *route = NULL;
  const char *node_name = NULL, *vmid_str = NULL, *upid = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (sim_routes); i++)
    {
      node_name = vmid_str = upid = NULL;
      if (g_str_equal (sim_routes[i].method, ctx->method)
          && route_matches (&sim_routes[i], ctx, &node_name, &vmid_str, &upid))
        {
          route = &sim_routes[i];
          break;
        }
    }
  if (route == NULL)
    {
      g_autofree char *message = g_strdup_printf ("Method '%s %s' not implemented", ctx->method, ctx->path);

      resp_error (resp, 501, message);
      return;
    }

  ctx->arg = route->arg;
  ctx->upid = upid;
  if (node_name)
    {
      ctx->node = NULL;
      for (guint i = 0; i < self->nodes->len; i++)
        if (g_str_equal (((SimNode *) g_ptr_array_index (self->nodes, i))->name, node_name))
          {
            ctx->node = g_ptr_array_index (self->nodes, i);
            ctx->node_index = i;
          }
      if (ctx->node == NULL)
        {
          g_autofree char *message =
            g_strdup_printf ("hostname lookup '%s' failed - failed to get address info for: %s: "
                             "Name or service not known", node_name, node_name);

          resp_error (resp, 500, message);
          return;
        }
      if (!ctx->node->online)
        {
          g_autofree char *reason = g_strdup_printf ("Connection refused: no route to host %s (%s:8006)",
                                                     ctx->node->name, ctx->node->ip);

          resp_empty (resp, 595, reason);
          return;
        }
    }
  if (vmid_str)
    {
      guint64 vmid;
      gboolean lxc = g_str_has_prefix (route->arg, "lxc");

      if (!g_ascii_string_to_unsigned (vmid_str, 10, 100, 999999999, &vmid, NULL))
        {
          g_autofree char *message = g_strdup_printf ("type check ('integer') failed - got '%s'", vmid_str);

          if (g_ascii_string_to_unsigned (vmid_str, 10, 0, G_MAXUINT64, &vmid, NULL))
            {
              g_free (message);
              message = g_strdup_printf ("value must have a minimum value of 100");
            }
          resp_param_error (resp, "vmid", message);
          return;
        }
      ctx->guest = sim_find_guest (self, vmid);
      if (ctx->guest == NULL || ctx->guest->node != ctx->node_index || ctx->guest->is_lxc != lxc)
        {
          g_autofree char *message =
            g_strdup_printf ("Configuration file 'nodes/%s/%s/%" G_GUINT64_FORMAT ".conf' does not exist",
                             ctx->node->name, lxc ? "lxc" : "qemu-server", vmid);

          resp_error (resp, 500, message);
          return;
        }
    }
  route->handler (ctx, resp);
}

static void
sim_parse_body_params (SimCtx *ctx)
{
  SoupMessageBody *body = soup_server_message_get_request_body (ctx->msg);
  const char *content_type = soup_message_headers_get_content_type (
                               soup_server_message_get_request_headers (ctx->msg), NULL);
  g_autoptr(GBytes) bytes = NULL;
  gsize len;
  const char *data;

  if (body == NULL || body->length == 0)
    return;
  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &len);

  if (content_type && g_ascii_strcasecmp (content_type, "application/json") == 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object;
      g_autoptr(GList) members = NULL;

      if (!json_parser_load_from_data (parser, data, len, NULL)
          || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        return;
      object = json_node_get_object (json_parser_get_root (parser));
      members = json_object_get_members (object);
      for (GList *l = members; l; l = l->next)
        {
          JsonNode *node = json_object_get_member (object, l->data);
          char *value = NULL;

          if (JSON_NODE_HOLDS_VALUE (node))
            {
              GType type = json_node_get_value_type (node);

              if (type == G_TYPE_STRING)
                value = g_strdup (json_node_get_string (node));
              else if (type == G_TYPE_INT64)
                value = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
              else if (type == G_TYPE_BOOLEAN)
                value = g_strdup (json_node_get_boolean (node) ? "1" : "0");
              else if (type == G_TYPE_DOUBLE)
                value = g_strdup_printf ("%g", json_node_get_double (node));
            }
          if (value)
            g_hash_table_replace (ctx->params, g_strdup (l->data), value);
        }
    }
  else
    {
      g_autofree char *text = g_strndup (data, len);
      g_autoptr(GHashTable) form = soup_form_decode (text);
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, form);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_replace (ctx->params, g_strdup (key), g_strdup (value));
    }
}

typedef struct
{
  PveSim        *sim;     /* the server (and so every message) never outlives it */
  PveSimRequest *record;
} SimFinished;

static void
sim_finished_free (SimFinished *finished)
{
  sim_request_release (finished->record);
  g_free (finished);
}

static void
message_finished_cb (SoupServerMessage *msg,
                     SimFinished       *finished)
{
  g_signal_emit (finished->sim, signals[SIGNAL_REQUEST_FINISHED], 0, finished->record,
                 g_get_monotonic_time ());
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *raw_path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  PveSim *self = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *encoded_path = g_uri_get_path (uri);
  const char *encoded_query = g_uri_get_query (uri);
  GSocketAddress *local = soup_server_message_get_local_address (msg);
  SimResponse resp = { 0 };
  SimCtx ctx = { 0 };
  PveSimRequest *record;
  g_auto(GStrv) raw_segs = NULL;
  g_autoptr(GPtrArray) segs = g_ptr_array_new_with_free_func (g_free);
  SimFault *fault;
  PveSimFault fault_kind = PVE_SIM_FAULT_NONE;
  const char *below;

  ctx.self = self;
  ctx.msg = msg;
  ctx.method = soup_server_message_get_method (msg);
  ctx.params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  below = g_str_has_prefix (encoded_path, "/api2/json") ? encoded_path + strlen ("/api2/json") : encoded_path;
  raw_segs = g_strsplit (below[0] == '/' ? below + 1 : below, "/", -1);
  for (guint i = 0; raw_segs[i]; i++)
    {
      char *seg = g_uri_unescape_string (raw_segs[i], NULL);

      if (raw_segs[i][0] == '\0' && raw_segs[i + 1] == NULL)
        {
          g_free (seg);
          break;   /* a trailing slash */
        }
      g_ptr_array_add (segs, seg ? seg : g_strdup (raw_segs[i]));
    }
  ctx.n_segs = segs->len;
  g_ptr_array_add (segs, NULL);
  ctx.segs = (char **) segs->pdata;
  {
    g_autofree char *joined = g_strjoinv ("/", ctx.segs);

    ctx.path = g_strconcat ("/", joined, NULL);
  }

  record = g_rc_box_new0 (PveSimRequest);
  record->method = g_strdup (ctx.method);
  record->path = g_strdup (ctx.path);
  record->query = g_strdup (encoded_query);
  record->has_csrf = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "CSRFPreventionToken") != NULL;
  {
    g_autofree char *cookie = get_cookie (msg, "PVEAuthCookie");

    record->has_cookie = cookie != NULL;
  }
  if (G_IS_INET_SOCKET_ADDRESS (local))
    record->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  if (self->requests->len >= MAX_REQUEST_LOG)
    g_ptr_array_remove_range (self->requests, 0, MAX_REQUEST_LOG / 10);
  g_ptr_array_add (self->requests, record);
  self->request_count++;
  if (self->log_requests)
    {
      g_print ("REQUEST %s %s\n", record->method, record->path);
      fflush (stdout);
    }
  ctx.record = record;
  if (g_signal_has_handler_pending (self, signals[SIGNAL_REQUEST_FINISHED], 0, FALSE))
    {
      SimFinished *finished = g_new0 (SimFinished, 1);

      finished->sim = self;
      finished->record = g_rc_box_acquire (record);
      g_signal_connect_data (msg, "finished", G_CALLBACK (message_finished_cb), finished,
                             (GClosureNotify) sim_finished_free, 0);
    }

  if (query)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_replace (ctx.params, g_strdup (key), g_strdup (value));
    }
  sim_parse_body_params (&ctx);

  fault = sim_match_fault (self, ctx.path);
  if (fault)
    {
      fault_kind = fault->fault;
      if (fault->remaining > 0 && --fault->remaining == 0)
        g_ptr_array_remove (self->faults, fault);
    }

  switch (fault_kind)
    {
    case PVE_SIM_FAULT_HANG:
      sim_hang (self, msg);
      goto out;
    case PVE_SIM_FAULT_RESET:
      sim_steal_and_close (msg, NULL, TRUE);
      goto out;
    case PVE_SIM_FAULT_TRUNCATED:
      record->status = 200;
      sim_steal_and_close (msg,
                           "HTTP/1.1 200 OK\r\n"
                           "Server: pve-api-daemon/3.0\r\n"
                           "Content-Type: application/json;charset=UTF-8\r\n"
                           "Content-Length: 4096\r\n"
                           "\r\n"
                           "{\"data\":[{\"vmid\":100,\"name\":\"web-01\",\"status\":\"run",
                           FALSE);
      goto out;
    case PVE_SIM_FAULT_HUGE:
      record->status = 200;
      sim_send_huge (self, msg);
      goto out;
    case PVE_SIM_FAULT_MALFORMED_JSON:
      {
        static const char bad[] = "{\"data\":[{\"vmid\":100,\"name\":\"web-01\",]] <html>oops";

        resp_set (&resp, 200, "OK", g_bytes_new_static (bad, strlen (bad)));
        sim_deliver (self, msg, &resp, record);
        goto out;
      }
    case PVE_SIM_FAULT_SERVER_ERROR:
      resp_error (&resp, 500, "simulated internal server error");
      sim_deliver (self, msg, &resp, record);
      goto out;
    case PVE_SIM_FAULT_NONE:
    case PVE_SIM_FAULT_WRONG_TYPES:
    default:
      break;
    }

  if (!g_str_has_prefix (encoded_path, "/api2/json/") && !g_str_equal (encoded_path, "/api2/json"))
    {
      g_autofree char *message = g_strdup_printf ("Method '%s %s' not implemented", ctx.method, encoded_path);

      resp_error (&resp, 501, message);
    }
  else if (g_str_equal (ctx.method, "POST") && g_str_equal (ctx.path, "/access/ticket"))
    {
      const char *authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                                "Authorization");

      if (authorization && g_str_has_prefix (authorization, "PVEAPIToken"))
        {
          record->has_token = TRUE;
          resp_error (&resp, 403, "Permission check failed (API tokens cannot create tickets)");
        }
      else
        h_login (&ctx, &resp);
    }
  else if (sim_authenticate (&ctx, &resp))
    sim_dispatch (&ctx, &resp);

  if (fault_kind == PVE_SIM_FAULT_WRONG_TYPES && resp.status == 200)
    sim_wrong_types (&resp);
  sim_deliver (self, msg, &resp, record);

out:
  sim_response_clear (&resp);
  g_free (ctx.path);
  g_free (ctx.tokenid);
  g_hash_table_unref (ctx.params);
}

/* ------------------------------------------------------------------------------------------ */
/* 6. Public API                                                                                */
/* ------------------------------------------------------------------------------------------ */

static GBytes *
sim_resource (const char *name)
{
  g_autofree char *path = g_strconcat (RESOURCE_PATH, name, NULL);
  g_autoptr(GError) error = NULL;
  GBytes *bytes = g_resource_lookup_data (pve_sim_get_resource (), path, 0, &error);

  if (bytes == NULL)
    g_error ("simulator resource %s missing: %s", name, error->message);
  return bytes;
}

static void
sim_load_certificates (PveSim *self)
{
  static const char *const names[] = { "cert-a.pem", "cert-b.pem" };
  g_autoptr(GBytes) ca = sim_resource ("ca.pem");

  self->ca_pem = g_strndup (g_bytes_get_data (ca, NULL), g_bytes_get_size (ca));
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GBytes) pem = sim_resource (names[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GByteArray) der = NULL;
      g_autofree char *hex = NULL;
      GString *fp = g_string_new (NULL);

      self->certs[i] = g_tls_certificate_new_from_pem (g_bytes_get_data (pem, NULL),
                                                       g_bytes_get_size (pem), &error);
      if (self->certs[i] == NULL)
        g_error ("simulator certificate %s: %s", names[i], error->message);
      g_object_get (self->certs[i], "certificate", &der, NULL);
      hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
      for (guint b = 0; hex[b]; b += 2)
        g_string_append_printf (fp, "%s%c%c", b ? ":" : "",
                                g_ascii_toupper (hex[b]), g_ascii_toupper (hex[b + 1]));
      self->fingerprints[i] = g_string_free (fp, FALSE);
    }
}

static void
pve_sim_dispose (GObject *object)
{
  PveSim *self = PVE_SIM (object);

  pve_sim_stop (self);
  for (guint i = 0; i < self->tasks->len; i++)
    {
      SimTask *task = g_ptr_array_index (self->tasks, i);

      g_clear_handle_id (&task->timeout_id, g_source_remove);
    }
  G_OBJECT_CLASS (pve_sim_parent_class)->dispose (object);
}

static void
pve_sim_finalize (GObject *object)
{
  PveSim *self = PVE_SIM (object);

  g_clear_object (&self->server);
  g_array_unref (self->ports);
  for (guint i = 0; i < 2; i++)
    {
      g_clear_object (&self->certs[i]);
      g_free (self->fingerprints[i]);
    }
  g_free (self->ca_pem);
  g_free (self->clustername);
  g_hash_table_unref (self->tasks_by_upid);
  g_ptr_array_unref (self->tasks);
  g_hash_table_unref (self->guests_by_vmid);
  g_ptr_array_unref (self->guests);
  g_ptr_array_unref (self->nodes);
  g_hash_table_unref (self->cache);
  g_hash_table_unref (self->tickets);
  g_hash_table_unref (self->half_tickets);
  g_ptr_array_unref (self->issued);
  g_ptr_array_unref (self->faults);
  g_ptr_array_unref (self->requests);
  g_ptr_array_unref (self->pending);
  G_OBJECT_CLASS (pve_sim_parent_class)->finalize (object);
}

static void
pve_sim_class_init (PveSimClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pve_sim_dispose;
  object_class->finalize = pve_sim_finalize;

  /* (PveSimRequest *request, gint64 monotonic_us): the answer has been written completely. */
  signals[SIGNAL_REQUEST_FINISHED] =
    g_signal_new ("request-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_INT64);
}

static void
pve_sim_init (PveSim *self)
{
  self->ports = g_array_new (FALSE, FALSE, sizeof (guint));
  self->ticket_lifetime = 7200;
  self->task_duration_ms = 1000;
  self->gzip = TRUE;
  self->fault_size = 50 * 1024 * 1024;
  self->next_pid = 0x1000;
  self->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_node_free);
  self->guests = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_guest_free);
  self->guests_by_vmid = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_task_free);
  self->tasks_by_upid = g_hash_table_new (g_str_hash, g_str_equal);
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) sim_cached_free);
  self->tickets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) sim_ticket_free);
  self->half_tickets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) sim_ticket_free);
  self->issued = g_ptr_array_new_with_free_func (g_free);
  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_fault_free);
  self->requests = g_ptr_array_new_with_free_func (sim_request_release);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_pending_free);
  sim_load_certificates (self);
}

PveSim *
pve_sim_new (guint   n_nodes,
             guint   n_guests,
             guint32 seed)
{
  PveSim *self = g_object_new (PVE_TYPE_SIM, NULL);

  if (n_nodes == 0)
    {
      n_nodes = 3;
      if (n_guests == 0)
        n_guests = 12;
    }
  self->seed = seed;
  sim_generate (self, n_nodes, n_guests);
  sim_generate_history (self);
  return self;
}

static void
sim_ensure_server (PveSim *self)
{
  if (self->server)
    return;
  self->server = soup_server_new ("server-header", "pve-api-daemon/3.0",
                                  "tls-certificate", self->certs[self->cert_index],
                                  NULL);
  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);
}

static guint
socket_port (GSocket *socket)
{
  g_autoptr(GSocketAddress) address = g_socket_get_local_address (socket, NULL);

  return G_IS_INET_SOCKET_ADDRESS (address)
         ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)) : 0;
}

static guint
sim_listen_one (PveSim  *self,
                guint    port,
                GError **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GHashTable) before = g_hash_table_new (NULL, NULL);
  GSList *listeners;
  guint found = 0;

  for (GSList *l = soup_server_get_listeners (self->server), *head = l; l; l = l->next)
    {
      g_hash_table_add (before, l->data);
      if (l->next == NULL)
        g_slist_free (head);
    }
  if (!soup_server_listen (self->server, address, SOUP_SERVER_LISTEN_HTTPS, error))
    return 0;
  listeners = soup_server_get_listeners (self->server);
  for (GSList *l = listeners; l; l = l->next)
    if (!g_hash_table_contains (before, l->data))
      found = socket_port (l->data);
  g_slist_free (listeners);
  return found;
}

guint
pve_sim_listen (PveSim  *self,
                guint    port,
                GError **error)
{
  guint bound;

  g_return_val_if_fail (PVE_IS_SIM (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  sim_ensure_server (self);
  bound = sim_listen_one (self, port, error);
  if (bound)
    g_array_append_val (self->ports, bound);
  return bound;
}

void
pve_sim_tick_stats (PveSim *self,
                    guint   seconds)
{
  g_return_if_fail (PVE_IS_SIM (self));

  /* One more live period: every running guest's usage figures and uptime move on, as
   * between two polls of a real cluster; the cache follows by itself. */
  self->extra_periods += MAX (1, (seconds + LIVE_PERIOD_S - 1) / LIVE_PERIOD_S);
}

guint
pve_sim_get_port (PveSim *self)
{
  g_return_val_if_fail (PVE_IS_SIM (self), 0);
  return self->ports->len ? g_array_index (self->ports, guint, 0) : 0;
}

const char *
pve_sim_get_fingerprint (PveSim *self)
{
  g_return_val_if_fail (PVE_IS_SIM (self), NULL);
  return self->fingerprints[self->cert_index];
}

static void
sim_drop_pending (PveSim *self)
{
  /* The connections go away with soup_server_disconnect (); answer nothing more. */
  for (guint i = 0; i < self->pending->len; i++)
    {
      SimPending *pending = g_ptr_array_index (self->pending, i);

      g_clear_handle_id (&pending->timeout_id, g_source_remove);
    }
}

void
pve_sim_stop (PveSim *self)
{
  g_return_if_fail (PVE_IS_SIM (self));

  sim_drop_pending (self);
  if (self->server)
    soup_server_disconnect (self->server);
  g_ptr_array_set_size (self->pending, 0);
  g_array_set_size (self->ports, 0);
}

void
pve_sim_set_ticket_lifetime (PveSim *self,
                             guint   seconds)
{
  g_return_if_fail (PVE_IS_SIM (self));
  self->ticket_lifetime = seconds;
}

void
pve_sim_set_latency_ms (PveSim *self,
                        guint   ms)
{
  g_return_if_fail (PVE_IS_SIM (self));
  self->latency_ms = ms;
}

void
pve_sim_set_auth_failure_delay_ms (PveSim *self,
                                   guint   ms)
{
  g_return_if_fail (PVE_IS_SIM (self));
  self->auth_failure_delay_ms = ms;
}

void
pve_sim_set_task_duration_ms (PveSim *self,
                              guint   ms)
{
  g_return_if_fail (PVE_IS_SIM (self));
  self->task_duration_ms = ms;
}

void
pve_sim_set_task_failure (PveSim     *self,
                          gint64      vmid,
                          const char *exitstatus)
{
  SimGuest *guest;

  g_return_if_fail (PVE_IS_SIM (self));
  guest = sim_find_guest (self, vmid);
  g_return_if_fail (guest != NULL);
  g_free (guest->pending_failure);
  guest->pending_failure = g_strdup (exitstatus);
}

void
pve_sim_set_gzip (PveSim   *self,
                  gboolean  enabled)
{
  g_return_if_fail (PVE_IS_SIM (self));
  self->gzip = !!enabled;
}

void
pve_sim_invalidate_tickets (PveSim *self)
{
  g_return_if_fail (PVE_IS_SIM (self));
  self->ticket_generation++;
  g_hash_table_remove_all (self->tickets);
  g_hash_table_remove_all (self->half_tickets);
}

void
pve_sim_swap_certificate (PveSim *self)
{
  g_autoptr(GArray) ports = NULL;

  g_return_if_fail (PVE_IS_SIM (self));

  self->cert_index = !self->cert_index;
  if (self->server == NULL)
    return;

  /* Listeners take the certificate when they are created: restart them on the same ports,
   * which also drops every open connection. */
  ports = g_array_copy (self->ports);
  sim_drop_pending (self);
  soup_server_disconnect (self->server);
  g_ptr_array_set_size (self->pending, 0);
  g_clear_object (&self->server);
  sim_ensure_server (self);
  for (guint i = 0; i < ports->len; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!sim_listen_one (self, g_array_index (ports, guint, i), &error))
        g_warning ("could not listen again on port %u: %s", g_array_index (ports, guint, i),
                   error->message);
    }
}

void
pve_sim_set_fault (PveSim      *self,
                   const char  *path_prefix,
                   PveSimFault  fault,
                   guint        count)
{
  SimFault *entry;

  g_return_if_fail (PVE_IS_SIM (self));
  entry = g_new0 (SimFault, 1);
  entry->prefix = g_strdup (path_prefix);
  entry->fault = fault;
  entry->remaining = count;
  g_ptr_array_add (self->faults, entry);
}

void
pve_sim_clear_faults (PveSim *self)
{
  g_return_if_fail (PVE_IS_SIM (self));
  g_ptr_array_set_size (self->faults, 0);
}

void
pve_sim_set_fault_size (PveSim *self,
                        gsize   bytes)
{
  g_return_if_fail (PVE_IS_SIM (self));
  self->fault_size = bytes;
}

guint
pve_sim_get_request_count (PveSim *self)
{
  g_return_val_if_fail (PVE_IS_SIM (self), 0);
  return self->request_count;
}

GPtrArray *
pve_sim_get_requests (PveSim *self)
{
  g_return_val_if_fail (PVE_IS_SIM (self), NULL);
  return self->requests;
}

void
pve_sim_clear_requests (PveSim *self)
{
  g_return_if_fail (PVE_IS_SIM (self));
  g_ptr_array_set_size (self->requests, 0);
  self->request_count = 0;
}

GStrv
pve_sim_dup_issued_tickets (PveSim *self)
{
  GStrvBuilder *builder;
  GStrv strv;

  g_return_val_if_fail (PVE_IS_SIM (self), NULL);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->issued->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->issued, i));
  strv = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return strv;
}

guint
pve_sim_get_login_count (PveSim *self)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_return_val_if_fail (PVE_IS_SIM (self), 0);
  g_hash_table_iter_init (&iter, self->tickets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    n += sim_ticket_valid (self, value);
  return n;
}

const char *
pve_sim_get_guest_status (PveSim *self,
                          gint64  vmid)
{
  SimGuest *guest;

  g_return_val_if_fail (PVE_IS_SIM (self), NULL);
  guest = sim_find_guest (self, vmid);
  return guest ? guest->status : NULL;
}

guint
pve_sim_get_n_guests (PveSim *self)
{
  g_return_val_if_fail (PVE_IS_SIM (self), 0);
  return self->guests->len;
}

gint64
pve_sim_find_guest (PveSim     *self,
                    const char *type,
                    const char *status)
{
  g_return_val_if_fail (PVE_IS_SIM (self), -1);
  g_return_val_if_fail (type != NULL && status != NULL, -1);

  for (guint i = 0; i < self->guests->len; i++)
    {
      SimGuest *guest = g_ptr_array_index (self->guests, i);
      SimNode *node = g_ptr_array_index (self->nodes, guest->node);

      if (node->online && !guest->template && guest->is_lxc == g_str_equal (type, "lxc")
          && g_str_equal (guest->status, status))
        return guest->vmid;
    }
  return -1;
}

GStrv
pve_sim_dup_routes (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < G_N_ELEMENTS (sim_routes); i++)
    {
      g_autofree char *route = g_strdup_printf ("%s %s", sim_routes[i].method, sim_routes[i].path);

      g_strv_builder_add (builder, route);
    }
  return g_strv_builder_end (builder);
}

void
pve_sim_set_log_requests (PveSim   *self,
                          gboolean  enabled)
{
  g_return_if_fail (PVE_IS_SIM (self));

  self->log_requests = !!enabled;
}

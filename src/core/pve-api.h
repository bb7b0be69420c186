/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Pure parsers of what a Proxmox VE server sends. No I/O, no GObject state: safe to call from
 * a worker thread, and each is a fuzz target. Every function accepts hostile input: wrong
 * types, missing members, huge numbers, numbers as strings, 0/1 booleans, random key order.
 * Errors are PVE_CLIENT_ERROR_PARSE with a message a person understands.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* ---- Envelope -------------------------------------------------------------------------- */

/* Parses a success body and returns its `data` member (a JSON null node when data is null).
 * This is THE one place the envelope is unwrapped. total: the top-level `total`, or -1. */
JsonNode   *pve_api_unwrap_envelope        (const char   *body,
                                            gsize         length,
                                            gint64       *total,
                                            GError      **error);

/* For an error answer (status >= 400): the server's words, from `message` and `errors`
 * ({"vmid": "..."} -> "vmid: ..."), trimmed. NULL when the body says nothing useful. */
char       *pve_api_error_message          (const char   *body,
                                            gsize         length);

/* ---- Tolerant member access -------------------------------------------------------------- */

/* Integers, doubles (truncated), booleans and numeric strings ("42", " 1.5") all count. */
gboolean    pve_json_get_int               (JsonObject   *object,
                                            const char   *member,
                                            gint64       *out);
gboolean    pve_json_get_double            (JsonObject   *object,
                                            const char   *member,
                                            double       *out);
/* 0/1, true/false, "0"/"1". Missing -> FALSE and *out untouched. */
gboolean    pve_json_get_bool              (JsonObject   *object,
                                            const char   *member,
                                            gboolean     *out);
/* Strings as they are; numbers are NOT converted (returns NULL). */
const char *pve_json_get_string            (JsonObject   *object,
                                            const char   *member);

/* ---- Login --------------------------------------------------------------------------------- */

typedef struct
{
  char       *username;
  char       *ticket;       /* wiped on clear */
  char       *csrf_token;   /* wiped on clear */
  char       *clustername;
  JsonObject *cap;          /* may be NULL */
  gboolean    need_tfa;
  char      **tfa_methods;  /* NULL-terminated; from the half ticket's challenge JSON */
} PveLoginInfo;

gboolean    pve_api_parse_login            (JsonNode     *data,
                                            PveLoginInfo *out,
                                            GError      **error);
void        pve_login_info_clear           (PveLoginInfo *info);

/* The ticket's timestamp (seconds since the epoch, from "PVE:user@realm:HEX::sig"), or -1. */
gint64      pve_api_ticket_timestamp       (const char   *ticket);

/* ---- UPID and tasks -------------------------------------------------------------------------- */

typedef struct
{
  char   *node;
  guint32 pid;
  guint32 pstart;
  gint64  starttime;
  char   *type;
  char   *id;
  char   *user;
} PveUpid;

/* "UPID:node:PID:PSTART:STARTTIME:type:id:user:" (hex fields; trailing colon optional) */
gboolean    pve_upid_parse                 (const char   *upid,
                                            PveUpid      *out,
                                            GError      **error);
void        pve_upid_clear                 (PveUpid      *upid);

typedef struct
{
  char    *upid;
  char    *node;
  char    *type;
  char    *id;
  char    *user;
  gboolean running;
  char    *exitstatus;  /* NULL while running; "OK", "WARNINGS: N" or the error text */
  gint64   starttime;
  gint64   endtime;     /* -1 when unknown */
} PveTaskStatus;

gboolean    pve_api_parse_task_status      (JsonNode      *data,
                                            PveTaskStatus *out,
                                            GError       **error);
void        pve_task_status_clear          (PveTaskStatus *status);
/* TRUE for "OK" and "WARNINGS: N". */
gboolean    pve_task_exitstatus_is_ok      (const char    *exitstatus);

/* A task log or syslog page: [{"n":1,"t":"line"}, ...]. Returns the lines ordered by n
 * (a GPtrArray of char*, owned). first_n, if not NULL, gets the smallest n (or -1). */
GPtrArray  *pve_api_parse_log_lines        (JsonNode     *data,
                                            gint64       *first_n,
                                            GError      **error);

/* ---- /cluster/resources ---------------------------------------------------------------------- */

typedef enum
{
  PVE_RESOURCE_QEMU,
  PVE_RESOURCE_LXC,
  PVE_RESOURCE_NODE,
  PVE_RESOURCE_STORAGE,
  PVE_RESOURCE_POOL,
  PVE_RESOURCE_OTHER,
} PveResourceType;

typedef struct
{
  PveResourceType type;
  char    *id;         /* "qemu/100", "node/pve1", "storage/pve1/local" */
  gint64   vmid;       /* guests; -1 otherwise (string vmids are understood) */
  char    *node;
  char    *status;     /* "running", "stopped", "unknown", "online", ... ; never NULL */
  char    *name;       /* may be NULL (offline node) */
  char    *tags;       /* ";"-separated as sent, may be NULL */
  char    *pool;
  char    *lock;
  char    *hastate;
  char    *storage;
  gboolean template;
  gboolean has_stats;  /* FALSE for a guest on an offline node: no cpu/mem/... */
  double   cpu;        /* fraction of maxcpu, 0..1 */
  gint64   maxcpu;
  gint64   mem;
  gint64   maxmem;
  gint64   disk;
  gint64   maxdisk;
  gint64   uptime;
  gint64   netin;
  gint64   netout;
} PveResource;

void        pve_resource_free              (PveResource  *resource);

/* Parses the array; entries that are not objects, or lack what identifies them, are skipped
 * (never fatal); unknown types become PVE_RESOURCE_OTHER. Returns a GPtrArray of PveResource*
 * (with free func). Error only when data is not an array. */
GPtrArray  *pve_api_parse_resources        (JsonNode     *data,
                                            GError      **error);
/* The same from the whole answer's body ({"data": [...]}) without building a JsonNode tree: for
 * big clusters, in a worker thread. The errors are those of pve_api_unwrap_envelope() and
 * pve_api_parse_resources(). */
GPtrArray  *pve_api_parse_resources_body   (const char   *body,
                                            gsize         length,
                                            GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PveResource, pve_resource_free)

G_END_DECLS

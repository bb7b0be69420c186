/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveSim: a Proxmox VE API server that runs anywhere (SoupServer over HTTPS with a
 * self-signed certificate), faithful to ../shared/reference/pve-api-notes.md. Used
 * in-process by the tests, and as the `pve-simulator` executable by the demo and benchmarks.
 *
 * Built-in accounts (all realms accept "user@realm" or username + realm):
 *   root@pam        password "pve-demo"        full privileges
 *   alice@pve       password "alice-pass"      TOTP required: code "123456",
 *                                               recovery code "RECOVERY-1" (one use)
 *   audit@pve       password "audit-pass"      read-only: VM.Audit, Sys.Audit; no VM.PowerMgmt
 *   token root@pam!ci   secret "11111111-2222-3333-4444-555555555555"   full privileges
 *   token audit@pve!ro  secret "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"   read-only
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PVE_SIM_ROOT_PASSWORD   "pve-demo"
#define PVE_SIM_ALICE_PASSWORD  "alice-pass"
#define PVE_SIM_ALICE_TOTP      "123456"
#define PVE_SIM_ALICE_RECOVERY  "RECOVERY-1"
#define PVE_SIM_AUDIT_PASSWORD  "audit-pass"
#define PVE_SIM_TOKEN_ID        "root@pam!ci"
#define PVE_SIM_TOKEN_SECRET    "11111111-2222-3333-4444-555555555555"
#define PVE_SIM_RO_TOKEN_ID     "audit@pve!ro"
#define PVE_SIM_RO_TOKEN_SECRET "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"

typedef enum
{
  PVE_SIM_FAULT_NONE,
  PVE_SIM_FAULT_MALFORMED_JSON,   /* 200 with a body that is not JSON */
  PVE_SIM_FAULT_TRUNCATED,        /* headers promise more bytes; connection closed mid-body */
  PVE_SIM_FAULT_HANG,             /* never answers (until the client gives up) */
  PVE_SIM_FAULT_HUGE,             /* a valid 200 answer of fault_size bytes (default 50 MB) */
  PVE_SIM_FAULT_RESET,            /* connection closed before any answer */
  PVE_SIM_FAULT_WRONG_TYPES,      /* valid JSON, `data` of the wrong shape */
  PVE_SIM_FAULT_SERVER_ERROR,     /* 500 with a JSON message */
} PveSimFault;

/* One request as the server saw it (for assertions). */
typedef struct
{
  char    *method;
  char    *path;        /* below /api2/json, unescaped, without the query */
  char    *query;       /* or NULL */
  gboolean has_cookie;  /* a PVEAuthCookie was sent */
  gboolean has_csrf;    /* a CSRFPreventionToken header was sent */
  gboolean has_token;   /* an Authorization: PVEAPIToken header was sent */
  guint    status;      /* what the server answered */
  guint    port;        /* which listening port received it */
} PveSimRequest;

#define PVE_TYPE_SIM (pve_sim_get_type ())
G_DECLARE_FINAL_TYPE (PveSim, pve_sim, PVE, SIM, GObject)

/* A cluster of n_nodes nodes ("pve1".."pveN"; with 3 or more nodes the last one is offline)
 * and n_guests guests spread over them (qemu and lxc; running, stopped, a paused VM,
 * templates; pools; tags; at least one guest on the offline node with status "unknown" and
 * no stats; every 7th lxc on PVE < 8 style sends its vmid as a string in /nodes/N/lxc).
 * Deterministic for a given seed. Defaults when n_nodes == 0: 3 nodes, 12 guests. */
PveSim       *pve_sim_new                     (guint          n_nodes,
                                               guint          n_guests,
                                               guint32        seed);

/* Listens on 127.0.0.1 (port 0 = any free one). Can be called several times: the server
 * then listens on every port (the benchmarks use 100). Returns the port, or 0 with error. */
guint         pve_sim_listen                  (PveSim        *self,
                                               guint          port,
                                               GError       **error);
/* The first listening port. */
guint         pve_sim_get_port                (PveSim        *self);
/* SHA-256 of the certificate now served, "AA:BB:..." */
const char   *pve_sim_get_fingerprint         (PveSim        *self);
/* Stops listening and drops every connection. */
void          pve_sim_stop                    (PveSim        *self);

/* --- Behaviour ------------------------------------------------------------------------- */
/* Ticket lifetime in seconds (default 7200). A ticket this old is refused (401). */
void          pve_sim_set_ticket_lifetime     (PveSim        *self,
                                               guint          seconds);
/* Added to every answer (default 0). */
void          pve_sim_set_latency_ms          (PveSim        *self,
                                               guint          ms);
/* Delay of every 401 on a failed login (real PVE: ~3 s). Default 0. */
void          pve_sim_set_auth_failure_delay_ms (PveSim      *self,
                                               guint          ms);
/* How long a power action's task runs before the guest changes state (default 1000 ms). */
void          pve_sim_set_task_duration_ms    (PveSim        *self,
                                               guint          ms);
/* The next power action on this vmid makes a task that ends with this exit status
 * (e.g. "command 'qm start 100' failed: exit code 1"). NULL to clear. */
void          pve_sim_set_task_failure        (PveSim        *self,
                                               gint64         vmid,
                                               const char    *exitstatus);
/* Serve gzip-compressed bodies over 1 KiB to clients that accept it (default TRUE). */
void          pve_sim_set_gzip                (PveSim        *self,
                                               gboolean       enabled);

/* --- Faults -------------------------------------------------------------------------- */
/* Every ticket issued so far becomes invalid (a server restart / key rotation). */
void          pve_sim_invalidate_tickets      (PveSim        *self);
/* Serves the second built-in certificate from now on (a different fingerprint). Calling it
 * again switches back. Existing connections are dropped. */
void          pve_sim_swap_certificate        (PveSim        *self);
/* Requests whose path starts with path_prefix (NULL = every path) get this fault. A count of
 * 0 means "until cleared", else only the next `count` matching requests. */
void          pve_sim_set_fault               (PveSim        *self,
                                               const char    *path_prefix,
                                               PveSimFault    fault,
                                               guint          count);
void          pve_sim_clear_faults            (PveSim        *self);
void          pve_sim_set_fault_size          (PveSim        *self,
                                               gsize          bytes);

/* --- Observation ------------------------------------------------------------------------ */
guint         pve_sim_get_request_count       (PveSim        *self);
/* Prints "REQUEST METHOD /path" on stdout for every request (the executable's
 * --log-requests; the end-to-end test counts what the app sends). Never a header or body. */
void          pve_sim_set_log_requests        (PveSim        *self,
                                               gboolean       enabled);
/* The requests seen so far (PveSimRequest*, owned by the simulator; at most the last
 * 100,000, so a long benchmark stays bounded; the count above is not capped). */
GPtrArray    *pve_sim_get_requests            (PveSim        *self);
void          pve_sim_clear_requests          (PveSim        *self);
/* Signal "request-finished" (PveSimRequest *request, gint64 monotonic_us): emitted when an
 * answer has been written completely (the benchmark's "answer arrived" on the same clock). */
/* Live tickets issued (for the soak test and the renewal test). */
guint         pve_sim_get_login_count         (PveSim        *self);
/* Every ticket, half (TFA) ticket and CSRF token issued so far, invalidated ones included,
 * oldest first: the secrets a leak test searches logs and files for. Free with g_strfreev. */
GStrv         pve_sim_dup_issued_tickets      (PveSim        *self);

/* --- Data ------------------------------------------------------------------------------ */
/* Live statistics move on at once by `seconds` (at least one live period of 10 s): every
 * running guest's cpu, mem and uptime change, as between two polls of a real cluster (the
 * refresh benchmark, pve-simulator --tick-ms). */
void          pve_sim_tick_stats              (PveSim        *self,
                                               guint          seconds);
/* The guest's status as the simulator holds it ("running", "stopped", ...), or NULL. */
const char   *pve_sim_get_guest_status        (PveSim        *self,
                                               gint64         vmid);
guint         pve_sim_get_n_guests            (PveSim        *self);
/* Marks the guest's node; used to find a guest to act on: the first guest of that type
 * ("qemu"/"lxc") in that status on an online node, or -1. */
gint64        pve_sim_find_guest              (PveSim        *self,
                                               const char    *type,
                                               const char    *status);
/* Every route the simulator serves, as "METHOD /path/{param}" strings in the schema's form
 * (e.g. "GET /nodes/{node}/qemu/{vmid}/status/current"). For the schema test. */
GStrv         pve_sim_dup_routes              (void);

G_END_DECLS

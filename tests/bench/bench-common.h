/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the benchmark programs share: the simulator as a separate process (its CPU never
 * counts against ours), a saved-remotes store with pinned certificates and secrets in the
 * keyring, a main-loop stall probe, and the process's CPU time and RSS.
 *
 * Every figure is printed as "RESULT <key> <value>" on stdout; tests/bench/run.sh collects
 * them over several runs and prints the table.
 */
#pragma once

#include <gio/gio.h>

#include "pve-remote-manager.h"

G_BEGIN_DECLS

#define BENCH_PASSWORD     "pve-demo"
#define BENCH_TOKEN_NAME   "ci"
#define BENCH_TOKEN_SECRET "11111111-2222-3333-4444-555555555555"

/* One answer as the simulator's --trace reported it. */
typedef struct
{
  guint  port;
  guint  status;
  char  *method;
  char  *path;
  gint64 finished_us;    /* monotonic, same clock as ours */
} BenchTrace;

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  GCancellable     *cancellable;
  GArray           *ports;        /* guint */
  char             *fingerprint;
  gboolean          ready;
  gboolean          ended;
  GPtrArray        *trace;        /* BenchTrace* */
} BenchSim;

/* Starts pve-simulator --trace with extra arguments (NULL-terminated) and waits (iterating
 * the default main context) until it is READY. PVE_BENCH_SIM_NICE=N (1 to 19) starts it at
 * that nice value. */
BenchSim   *bench_sim_start            (const char * const *args,
                                        GError            **error);
void        bench_sim_free             (BenchSim           *sim);
guint       bench_sim_get_port         (BenchSim           *sim,
                                        guint               index);
/* The trace entries seen so far on port (0 = any) with this path, from time since on. */
guint       bench_sim_count            (BenchSim           *sim,
                                        guint               port,
                                        const char         *path,
                                        gint64              since);
/* The last trace entry for path with finished_us <= before, or NULL. */
BenchTrace *bench_sim_find_last        (BenchSim           *sim,
                                        const char         *path,
                                        gint64              before);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchSim, bench_sim_free)

/* Iterates the default main context until *flag is TRUE or timeout_ms passed. */
gboolean    bench_wait_for             (const gboolean     *flag,
                                        guint               timeout_ms);
/* Iterates the default main context for ms milliseconds. */
void        bench_spin                 (guint               ms);

/* Writes a store at path (NULL: the default location) with the remotes "bench-000".. on
 * 127.0.0.1:ports[i], pinned to fingerprint; even ones log in with a password, odd ones with
 * an API token when mix_tokens. Stores each secret in the keyring (same remote ids every run,
 * so the items are replaced, not piled up). Blocks (iterating the main context). */
gboolean    bench_prepare_store        (const char         *path,
                                        const guint        *ports,
                                        guint               n_ports,
                                        const char         *fingerprint,
                                        gboolean            mix_tokens,
                                        gboolean            with_secrets,
                                        GError            **error);

/* The same, in a child process (bench-core prepare): the benchmark's own process then starts
 * as the app does, without a keyring session or anything else warmed up. */
gboolean    bench_prepare_store_in_child (const char       *path,
                                        const guint        *ports,
                                        guint               n_ports,
                                        const char         *fingerprint,
                                        gboolean            mix_tokens,
                                        GError            **error);

/* A manager on the store at path, loaded (blocks, iterating the main context). */
PveRemoteManager *bench_manager_new    (const char         *path,
                                        GError            **error);

/* A G_PRIORITY_HIGH 1 ms timeout recording the longest gap between two of its runs. */
typedef struct
{
  guint  source;
  gint64 last;
  gint64 longest;
  gint64 longest_at;
  gint64 reported_at;   /* when the stall bench_probe_reset() returned ended */
  gint64 last_cpu;      /* the main thread's CPU time at the last tick */
  gint64 longest_busy;  /* most main-thread CPU time between two ticks */
  gint64 reported_busy; /* longest_busy up to the last bench_probe_reset() */
  guint  n_ticks;
  guint  n_over;        /* gaps longer than 16 ms */
  guint  reported_over; /* n_over up to the last bench_probe_reset() */
  gint64 cpu_start;     /* the main thread's CPU time at the start or last reset */
  gint64 reported_cpu;  /* the main thread's CPU time from then to the last reset */
} BenchProbe;

void        bench_probe_start          (BenchProbe         *probe);
/* Longest gap (µs) since start or the last reset. */
gint64      bench_probe_reset          (BenchProbe         *probe);
void        bench_probe_stop           (BenchProbe         *probe);

/* User + system CPU time of this process, µs. */
gint64      bench_cpu_time             (void);
/* VmRSS of this process, KiB. */
gint64      bench_rss_kib              (void);

void        bench_result               (const char         *key,
                                        double              value);
void        bench_result_str           (const char         *key,
                                        const char         *value);

/* Exits with a message when the condition is false: a benchmark whose premise failed (a
 * remote not connected, a row rebuilt) must not print a figure. */
#define bench_check(cond, ...) G_STMT_START {                                             \
    if (!(cond)) {                                                                          \
      g_printerr ("bench: check failed: %s: ", #cond);                                      \
      g_printerr (__VA_ARGS__);                                                             \
      g_printerr ("\n");                                                                    \
      exit (2);                                                                             \
    }                                                                                       \
  } G_STMT_END

G_END_DECLS

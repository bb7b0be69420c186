/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * LoopProbe: measures how long the main loop went without turning, with a high-priority
 * 10 ms timeout. A gap is the time between two runs of the probe minus the time the thread
 * spent waiting for a CPU (run-queue delay from /proc/thread-self/schedstat): with the suite
 * running in parallel on a busy CI machine the kernel may simply not schedule us, which is
 * not a stall of the code under test; a blocking call (sleeping in poll, read, connect) is,
 * and is counted in full. Without schedstat the raw gap is used.
 */
#pragma once

#include <glib.h>
#include <stdio.h>

typedef struct
{
  GSource *source;
  gint64   last;
  gint64   last_wait_ns;
  gint64   longest;       /* µs, run-queue delay removed */
  gint64   longest_raw;   /* µs */
  guint    count;
} LoopProbe;

static inline gint64
loop_probe_run_queue_ns_ (void)
{
  FILE *file = fopen ("/proc/thread-self/schedstat", "r");
  unsigned long long on_cpu = 0, waiting = 0;

  if (file == NULL)
    return -1;
  if (fscanf (file, "%llu %llu", &on_cpu, &waiting) != 2)
    waiting = 0;
  fclose (file);
  return (gint64) waiting;
}

static inline gboolean
loop_probe_tick_ (gpointer user_data)
{
  LoopProbe *probe = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 wait_ns = loop_probe_run_queue_ns_ ();

  if (probe->last != 0)
    {
      gint64 gap = now - probe->last;
      gint64 waited = (wait_ns >= 0 && probe->last_wait_ns >= 0)
                      ? (wait_ns - probe->last_wait_ns) / 1000 : 0;

      probe->longest_raw = MAX (probe->longest_raw, gap);
      probe->longest = MAX (probe->longest, gap - MAX (waited, 0));
    }
  probe->last = now;
  probe->last_wait_ns = wait_ns;
  probe->count++;
  return G_SOURCE_CONTINUE;
}

static inline void
loop_probe_start (LoopProbe *probe)
{
  *probe = (LoopProbe) { 0 };
  probe->source = g_timeout_source_new (10);
  g_source_set_priority (probe->source, G_PRIORITY_HIGH);
  g_source_set_callback (probe->source, loop_probe_tick_, probe, NULL);
  g_source_attach (probe->source, NULL);
}

/* Forget the gaps so far (keep running). */
static inline void
loop_probe_reset (LoopProbe *probe)
{
  probe->longest = probe->longest_raw = 0;
}

static inline void
loop_probe_stop (LoopProbe *probe)
{
  if (probe->source != NULL)
    {
      g_source_destroy (probe->source);
      g_source_unref (probe->source);
      probe->source = NULL;
    }
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveGraph: a line chart of one or two series over time (RRD data), with the value axis
 * from 0 to the maximum, labels at both ends of each axis, gaps where values are missing
 * (NAN), and an accessible description that reads out the latest values.
 */
#pragma once

#include <gtk/gtk.h>

#include "pve-node-info.h"

G_BEGIN_DECLS

typedef enum
{
  PVE_GRAPH_UNIT_NUMBER,
  PVE_GRAPH_UNIT_PERCENT,          /* values are fractions 0..1 */
  PVE_GRAPH_UNIT_BYTES,
  PVE_GRAPH_UNIT_BYTES_PER_SECOND,
} PveGraphUnit;

#define PVE_TYPE_GRAPH (pve_graph_get_type ())
G_DECLARE_FINAL_TYPE (PveGraph, pve_graph, PVE, GRAPH, GtkWidget)

GtkWidget  *pve_graph_new          (const char   *title,
                                    PveGraphUnit  unit);
const char *pve_graph_get_title    (PveGraph     *self);
void        pve_graph_set_title    (PveGraph     *self,
                                    const char   *title);
void        pve_graph_set_unit     (PveGraph     *self,
                                    PveGraphUnit  unit);

/* Shows series name_a (and name_b, may be NULL) of series; label_a/label_b name them in the
 * legend and the accessible description. series NULL clears the graph. */
void        pve_graph_set_series   (PveGraph     *self,
                                    PveRrdSeries *series,
                                    const char   *name_a,
                                    const char   *label_a,
                                    const char   *name_b,
                                    const char   *label_b);
/* An upper bound for the value axis (e.g. 1.0 for CPU, total memory); 0 = from the data. */
void        pve_graph_set_max      (PveGraph     *self,
                                    double        max);

/* What the accessible description says: "CPU: 12 % (latest)". */
char       *pve_graph_dup_summary  (PveGraph     *self);

/* "12 %", "1.5 GiB", "3.2 MB/s" */
char       *pve_graph_format_value (PveGraphUnit  unit,
                                    double        value);

G_END_DECLS

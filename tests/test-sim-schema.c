/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Every route the simulator serves exists, with that method, in the official API schema
 * (tests/data/pve-api-schema.json, from pve-docs): the simulator never invents endpoints.
 */
#include <json-glib/json-glib.h>

#include "pve-sim.h"

/* The schema is a tree of {path, info: {METHOD: ...}, children: [...]}. */
static void
collect_routes (JsonArray  *nodes,
                GHashTable *routes)
{
  for (guint i = 0; i < json_array_get_length (nodes); i++)
    {
      JsonObject *node = json_array_get_object_element (nodes, i);
      const char *path = json_object_get_string_member (node, "path");

      if (json_object_has_member (node, "info"))
        {
          JsonObject *info = json_object_get_object_member (node, "info");
          g_autoptr(GList) methods = json_object_get_members (info);

          for (GList *l = methods; l; l = l->next)
            g_hash_table_add (routes, g_strdup_printf ("%s %s", (char *) l->data, path));
        }
      if (json_object_has_member (node, "children"))
        collect_routes (json_object_get_array_member (node, "children"), routes);
    }
}

static GHashTable *
load_schema_routes (void)
{
  g_autofree char *file = g_test_build_filename (G_TEST_DIST, "data", "pve-api-schema.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GHashTable *routes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  json_parser_load_from_file (parser, file, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  collect_routes (json_node_get_array (json_parser_get_root (parser)), routes);
  return routes;
}

static void
test_schema_sane (void)
{
  g_autoptr(GHashTable) routes = load_schema_routes ();

  /* guards against a walk that finds nothing, which would make the next test pass vacuously */
  g_assert_cmpuint (g_hash_table_size (routes), >, 500);
  g_assert_true (g_hash_table_contains (routes, "GET /cluster/resources"));
  g_assert_false (g_hash_table_contains (routes, "GET /nodes/{node}/qemu/{vmid}/status/start"));
}

static void
test_routes_exist (void)
{
  g_autoptr(GHashTable) routes = load_schema_routes ();
  g_auto(GStrv) sim_routes = pve_sim_dup_routes ();

  g_assert_cmpuint (g_strv_length (sim_routes), >, 0);
  for (guint i = 0; sim_routes[i]; i++)
    {
      g_test_message ("%s", sim_routes[i]);
      if (!g_hash_table_contains (routes, sim_routes[i]))
        g_error ("the simulator serves %s, which the PVE API schema does not have", sim_routes[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pve/sim/schema/sane", test_schema_sane);
  g_test_add_func ("/pve/sim/schema/routes-exist", test_routes_exist);
  return g_test_run ();
}

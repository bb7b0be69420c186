/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Small helpers shared by the tests. Header-only, include it from any test-*.c.
 *
 *   pve_test_wait_until (cond, timeout_ms)
 *     Iterates the default main context until `cond` is true; fails the test (aborts with the
 *     condition's text) when timeout_ms passes first. A 10 ms tick keeps the loop turning so
 *     the deadline is checked even when nothing else happens. Use it instead of sleeps.
 *
 *   g_autoptr(GAsyncResult) result = NULL;
 *   pve_foo_async (..., pve_test_store_result, &result);
 *   pve_test_await (&result, 5000);
 *   pve_foo_finish (..., result, &error);
 *     Waits for an async call's result (the callback keeps a reference in `result`).
 */
#pragma once

#include <gio/gio.h>

static inline gboolean
pve_test_tick_ (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

#define pve_test_wait_until(cond, timeout_ms)                                          \
  G_STMT_START {                                                                       \
    gint64 pve_test_deadline_ = g_get_monotonic_time () + (gint64)(timeout_ms) * 1000; \
    guint pve_test_tick_id_ = g_timeout_add (10, pve_test_tick_, NULL);                \
    while (!(cond))                                                                    \
      {                                                                                \
        if (g_get_monotonic_time () > pve_test_deadline_)                              \
          g_error ("%s:%d: timed out after %d ms waiting for: %s",                     \
                   __FILE__, __LINE__, (int)(timeout_ms), #cond);                      \
        g_main_context_iteration (NULL, TRUE);                                         \
      }                                                                                \
    g_source_remove (pve_test_tick_id_);                                               \
  } G_STMT_END

static inline void
pve_test_store_result (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

#define pve_test_await(result_ptr, timeout_ms) \
  pve_test_wait_until (*(result_ptr) != NULL, timeout_ms)

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The backend: the part of the core that needs libsoup and libsecret, that is PveClient
 * (pve-client.c) and the keyring calls of PveSecrets (pve-secrets-keyring.c).
 *
 * The full core (pve-remotes-cli, the tests, the benchmarks) links it like the rest
 * (pve-backend-linked.c). The app does not: libsoup and libsecret with what they load cost
 * ~4 ms of its start before main(), and nothing needs them before the first Connect or
 * password. Its core has pve-backend.c instead, which loads the backend as a module
 * (pve-remotes-backend.so: those two files, linked with libsoup and libsecret; the rest of
 * the core they call is the app's own) and forwards every call of pve-client.h and
 * pve-secrets-keyring.h to it. The window starts the load in a thread after its first frame;
 * a network call before it is done waits for it, a keyring call (async anyway) continues
 * once it is done.
 *
 * Which module: the build tree's when the app runs from the build tree, else the installed
 * one in $libdir/pve-remotes; $PVE_BACKEND_MODULE names another (tests). When it cannot be
 * loaded, pve_client_new() and every keyring call fail with an error that says so.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Starts loading the backend in a thread; returns at once. Safe to call often, from any
 * thread. */
void     pve_backend_preload   (void);
/* TRUE once the backend is loaded. Never waits and never loads. */
gboolean pve_backend_is_loaded (void);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gi18n.h>

#include "pve-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PveApplication) app = NULL;
  const char *localedir = g_getenv ("PVE_LOCALEDIR");

  /* PVE_LOCALEDIR: the translations of an uninstalled build (the tests, the screenshots). */
  if (localedir == NULL || localedir[0] == '\0')
    localedir = LOCALEDIR;

  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = pve_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}

#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs one data check (a validator or a Python check) inside run-isolated.sh.
#
# Why this exists: run-isolated.sh starts gnome-keyring-daemon, which daemonizes and connects to
# the private session bus a moment later. A check that ends sooner (desktop-file-validate takes
# a few milliseconds) tears the bus down before the daemon is on it; the daemon then never
# notices, lives on, and keeps meson's stderr pipe open, so meson reports a TIMEOUT after 60 s.
# Waiting until the daemon owns org.freedesktop.secrets makes it exit together with the bus.
set -u

if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] && command -v gdbus >/dev/null 2>&1; then
  i=0
  while [ $i -lt 100 ]; do
    if gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
         --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null \
         | grep -q true; then
      break
    fi
    sleep 0.05
    i=$((i + 1))
  done
fi

exec "$@"

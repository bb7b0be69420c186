#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs one test (or any command) headless and isolated from the user's session:
# a throw-away HOME and XDG dirs, a private X server (Xvfb), a private D-Bus session bus and
# a gnome-keyring-daemon unlocked with a throw-away password. Tests never touch the real
# keyring or config of whoever runs them. Used by `meson test` as the default wrapper.
set -u

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pve-test.XXXXXX")
xvfb_pid=
cleanup () {
  if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null; wait "$xvfb_pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export HOME="$tmp/home"
export XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache"
export XDG_STATE_HOME="$tmp/state" XDG_RUNTIME_DIR="$tmp/runtime"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME" \
         "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
export PVE_TEST_ISOLATED=1
export GDK_BACKEND=x11 GSK_RENDERER=cairo
export NO_AT_BRIDGE=1
export LC_ALL=C.UTF-8 LANGUAGE=
unset WAYLAND_DISPLAY DISPLAY DBUS_SESSION_BUS_ADDRESS

if command -v Xvfb >/dev/null 2>&1; then
  : >"$tmp/display"
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$tmp/display" 2>"$tmp/xvfb.log" &
  xvfb_pid=$!
  i=0
  while [ ! -s "$tmp/display" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
  if [ -s "$tmp/display" ]; then
    n=$(head -n 1 "$tmp/display")
    DISPLAY=":$n"
    export DISPLAY
    # -displayfd reports the number before every listener is up: wait for the socket too,
    # or a client started at once can fail with "cannot open display".
    i=0
    while [ ! -S "/tmp/.X11-unix/X$n" ] && [ $i -lt 200 ]; do sleep 0.02; i=$((i + 1)); done
  else
    echo "run-isolated: Xvfb did not start:" >&2
    cat "$tmp/xvfb.log" >&2
  fi
fi

dbus-run-session -- bash -c '
  # A non-empty password creates the default "login" collection. The daemon runs in the
  # foreground so that we own its pid: it is stopped when the test ends, even when the test
  # ends before the daemon has joined the bus.
  printf "throw-away-test-password" |
    gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
  keyring=$!
  for _ in $(seq 100); do
    gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
      --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null |
      grep -q true && break
    sleep 0.05
  done
  "$@"
  rc=$?
  kill "$keyring" 2>/dev/null
  wait "$keyring" 2>/dev/null
  exit $rc
' run-isolated "$@" 2> >(grep -v "Failed to set fd limit" >&2)

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

# Starts a private Xvfb and checks that a client can really talk to it. Under load several
# Xvfb servers starting at once have been seen to report a display that a client then cannot
# open ("cannot open display"), so a server that fails the check is replaced (3 tries).
start_xvfb () {
  : >"$tmp/display"
  # -noreset: by default an X server resets when its last client leaves, and a client that
  # connects during the reset (the app, after the check below or after the accessibility bus
  # launcher has left) cannot open the display.
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset 3>"$tmp/display" 2>"$tmp/xvfb.log" &
  xvfb_pid=$!
  local i=0
  while [ ! -s "$tmp/display" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
  [ -s "$tmp/display" ] || return 1
  DISPLAY=":$(head -n 1 "$tmp/display")"
  export DISPLAY
  i=0
  while [ $i -lt 100 ]; do
    xdpyinfo >/dev/null 2>&1 && return 0
    sleep 0.05
    i=$((i + 1))
  done
  return 1
}

if command -v Xvfb >/dev/null 2>&1; then
  for try in 1 2 3; do
    if start_xvfb; then
      break
    fi
    kill "$xvfb_pid" 2>/dev/null; wait "$xvfb_pid" 2>/dev/null; xvfb_pid=
    echo "run-isolated: Xvfb try $try failed:" >&2
    cat "$tmp/xvfb.log" >&2
    unset DISPLAY
  done
fi

# The bus daemon and the services it starts (the accessibility registry says "SpiRegistry
# daemon is running" on its standard output) write to our standard error; only the command's
# standard output is ours (a TAP stream, or a benchmark's results), on descriptor 3 inside.
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
  "$@" >&3 3>&-
  rc=$?
  kill "$keyring" 2>/dev/null
  wait "$keyring" 2>/dev/null
  exit $rc
' run-isolated "$@" 3>&1 >&2 2> >(grep -v "Failed to set fd limit" >&2)

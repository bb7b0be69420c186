#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Makes the screenshots of the README and the AppStream metainfo: the built app with --demo
# (against the simulator) in a private X server, light and dark style, each cropped to the
# app window. Writes data/screenshots/main.png and data/screenshots/main-dark.png.
#
# Usage: build-aux/screenshots.sh [BUILD_DIR]      (default: _build; it must be built)
# Needs: Xvfb, ImageMagick (import, identify), xwininfo (x11-utils), at-spi2-core,
# gir1.2-atspi-2.0. The integrator re-runs it whenever the main window changes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/_build}" && pwd)
out=${PVE_SCREENSHOT_DIR:-$root/data/screenshots}

if [ "${PVE_SCREENSHOTS_INNER:-}" != 1 ]; then
  [ -x "$build/src/pve-remotes" ] || { echo "Build first: meson compile -C $build" >&2; exit 1; }
  mkdir -p "$out"
  # A private display, session bus, keyring and HOME: nothing of the user's session is used.
  exec env PVE_SCREENSHOTS_INNER=1 PVE_SCREENSHOT_DIR="$out" \
    "$root/tests/run-isolated.sh" "$0" "$build"
fi

# --- inside the isolated session ------------------------------------------------------------
export GSETTINGS_SCHEMA_DIR="$build/data" GSETTINGS_BACKEND=memory
export PVE_LOCALEDIR="$build/po"
unset NO_AT_BRIDGE
/usr/libexec/at-spi-bus-launcher --launch-immediately >/dev/null 2>&1 &
bus_pid=$!
app_pid=
cleanup () {
  if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
  kill "$bus_pid" 2>/dev/null || true
  wait "$bus_pid" 2>/dev/null || true
}
trap cleanup EXIT

# Waits (at most 30 s) until the app's accessibility tree shows the demo cluster connected
# and its content page is up, then prints the X window id of the app window.
wait_ready () {
  /usr/bin/python3 - "$@" <<'PY'
import subprocess, sys, time
import gi
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi

def walk(acc, depth=0):
    if acc is None or depth > 60:
        return
    yield acc
    try:
        n = acc.get_child_count()
    except Exception:
        return
    for i in range(n):
        try:
            yield from walk(acc.get_child_at_index(i), depth + 1)
        except Exception:
            continue

def app():
    d = Atspi.get_desktop(0)
    for i in range(d.get_child_count()):
        a = d.get_child_at_index(i)
        if a is not None and a.get_name() == 'pve-remotes':
            return a

def names():
    a = app()
    return [x.get_name() or '' for x in walk(a)] if a is not None else []

end = time.monotonic() + 30
while time.monotonic() < end:
    try:
        if 'Demo cluster, Connected' in names():
            break
    except Exception:
        pass
    time.sleep(0.2)
else:
    sys.exit('the demo cluster did not connect within 30 s')
PY
}

window_id () {
  # The app's toplevel: the only mapped window of that name with a size.
  xwininfo -root -tree | awk '/"PVE Remotes"/ && / [0-9]+x[0-9]+\+/ { print $1; exit }'
}

shoot () {
  local scheme=$1 file=$2 id=
  local attempt
  for attempt in 1 2 3; do
    ADW_DEBUG_COLOR_SCHEME=$scheme GDK_BACKEND=x11 "$build/src/pve-remotes" --demo \
      >/dev/null 2>"$out/.app-$scheme.log" &
    app_pid=$!
    wait_ready && break
    kill "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
    app_pid=
    # Another Xvfb starting at the same moment can briefly take our display's socket.
    if [ "$attempt" = 3 ] || ! grep -q "cannot open display" "$out/.app-$scheme.log"; then
      echo "screenshots: $scheme: not ready; app log:" >&2
      cat "$out/.app-$scheme.log" >&2
      exit 1
    fi
  done
  for _ in $(seq 50); do id=$(window_id); [ -n "$id" ] && break; sleep 0.1; done
  [ -n "$id" ] || { echo "screenshots: no app window" >&2; exit 1; }
  # The connected page draws once more after the state change (sidebar, graphs); give the
  # frame clock a few frames after the state we waited for.
  sleep 1.5
  # Without a compositor GTK keeps a 4 px resize frame outside the window's own 1 px
  # border (a compositor would draw the shadow there): shave it off.
  local w h
  read -r w h < <(xwininfo -id "$id" | awk '/Width:/ { w = $2 } /Height:/ { h = $2 } END { print w, h }')
  import -window "$id" -crop "$((w - 8))x$((h - 8))+4+4" +repage "$file"
  kill "$app_pid"
  wait "$app_pid" 2>/dev/null || true
  app_pid=
  rm -f "$out/.app-$scheme.log"
  echo "$file: $(identify -format '%wx%h' "$file")"
}

shoot default "$out/main.png"
shoot prefer-dark "$out/main-dark.png"

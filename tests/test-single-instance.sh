#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A second pve-remotes goes to the first (GApplication single instance), so two processes
# never race on remotes.ini. Runs the real app twice in the isolated session (run-isolated.sh:
# Xvfb, private bus) and checks on the bus:
#   - the first instance owns com.example.PveRemotes and shows one window;
#   - the second exits quickly with status 0, having sent Activate to the first (seen with
#     dbus-monitor), and never owned the name;
#   - the first still runs, still owns the name and still has exactly one window.
# Usage: test-single-instance.sh PATH-TO-pve-remotes      (prints TAP)
set -u
app=${1:?usage: $0 PATH-TO-pve-remotes}
name=com.example.PveRemotes
obj=/com/example/PveRemotes
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pve-single.XXXXXX")
first= monitor=
n=0 failed=0

cleanup () {
  [ -n "$monitor" ] && kill "$monitor" 2>/dev/null && wait "$monitor" 2>/dev/null
  [ -n "$first" ] && kill "$first" 2>/dev/null && wait "$first" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

ok () {      # ok CONDITION-EXIT-STATUS DESCRIPTION
  n=$((n + 1))
  if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

bus () {     # bus METHOD ARGS... on org.freedesktop.DBus
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method "org.freedesktop.DBus.$1" "${@:2}" 2>/dev/null
}

wait_for () {  # wait_for SECONDS COMMAND...: poll until COMMAND succeeds
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.05
  done
}

has_owner () { bus NameHasOwner "$name" | grep -q true; }
owner_pid () { bus GetConnectionUnixProcessID "$name" | sed -n 's/.*uint32 \([0-9]*\).*/\1/p'; }
# GtkApplication exports each window's actions at $obj/window/ID.
windows () {
  gdbus introspect --session --dest "$name" --object-path "$obj/window" 2>/dev/null |
    grep -c '^ *node [0-9]'
}
one_window () { [ "$(windows)" = 1 ]; }

# GTK's accessibility bus would start at-spi services whose greeting lands on our stdout.
export GTK_A11Y=none

echo "TAP version 13"
echo "1..7"

if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] || [ -z "${DISPLAY:-}" ]; then
  echo "Bail out! needs the isolated session (run through meson test / run-isolated.sh)"
  exit 1
fi

"$app" >"$tmp/first.log" 2>&1 &
first=$!
wait_for 30 has_owner
ok $? "the first instance owns $name"
[ "$(owner_pid)" = "$first" ]
ok $? "the owner is the first process ($first)"
wait_for 30 one_window
ok $? "the first instance shows one window"

# Watch what the second instance says to the first.
dbus-monitor --session "type='method_call',destination='$name'" >"$tmp/monitor.log" 2>&1 &
monitor=$!
wait_for 10 grep -q "member=NameAcquired\|signal" "$tmp/monitor.log"

start=$(date +%s%N)
timeout 20 "$app" >"$tmp/second.log" 2>&1
status=$?
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "# the second instance exited with $status after $elapsed_ms ms"
[ $status -eq 0 ] && [ $elapsed_ms -lt 10000 ]
ok $? "the second instance exits at once with status 0"

wait_for 10 grep -q "interface=org.freedesktop.Application; member=Activate\|interface=org.gtk.Application; member=Activate" "$tmp/monitor.log"
ok $? "it handed over to the first instance (Activate on the bus)"

kill -0 "$first" 2>/dev/null && [ "$(owner_pid)" = "$first" ]
ok $? "the first instance still runs and owns the name"
wait_for 5 one_window
ok $? "still exactly one window (windows: $(windows))"

# Quit the first the way the app menu does.
gdbus call --session --dest "$name" --object-path "$obj" --method org.gtk.Actions.Activate \
  quit '[]' '{}' >/dev/null 2>&1
wait_for 20 bash -c "! kill -0 $first 2>/dev/null"
wait "$first" 2>/dev/null
first=

if [ $failed -ne 0 ]; then
  echo "# first instance:"; sed 's/^/#   /' "$tmp/first.log"
  echo "# second instance:"; sed 's/^/#   /' "$tmp/second.log"
  echo "# bus:"; sed 's/^/#   /' "$tmp/monitor.log" | head -60
fi
exit $failed

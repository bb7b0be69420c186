#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The app loads libsoup and libsecret (its backend module, src/core/pve-backend.h) only after
# its first frame, by itself and soon. Runs the real app in the isolated session with
# PVE_TEST_BACKEND_PROBE (src/main.c), which prints what is mapped at the first frame and once
# the backend has loaded, then quits; and checks that the executable does not even name them.
# Usage: test-backend-startup.sh PATH-TO-pve-remotes      (prints TAP)
set -u
app=${1:?usage: $0 PATH-TO-pve-remotes}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pve-backend.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0

ok () {      # ok CONDITION-EXIT-STATUS DESCRIPTION
  n=$((n + 1))
  if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

# GTK's accessibility bus would start at-spi services whose greeting lands on our stdout.
export GTK_A11Y=none

echo "TAP version 13"
echo "1..7"

if [ -z "${DISPLAY:-}" ]; then
  echo "Bail out! needs the isolated session (run through meson test / run-isolated.sh)"
  exit 1
fi

if command -v readelf >/dev/null; then
  ! readelf -d "$app" | grep NEEDED | grep -q 'libsoup\|libsecret'
  ok $? "the executable does not link libsoup or libsecret"
else
  n=$((n + 1)); echo "ok $n - # SKIP no readelf"
fi

PVE_TEST_BACKEND_PROBE=60 timeout 90 "$app" >"$tmp/out" 2>"$tmp/err"
ok $? "the app starts and quits"
grep -qx 'FIRST_FRAME libsoup=0 keyring-library=0 backend=0' "$tmp/out"
ok $? "at the first frame neither libsoup, libsecret nor the backend module is loaded"
grep -q '^LOADED ms=[0-9]* libsoup=1 keyring-library=1 backend=1$' "$tmp/out"
ok $? "after it the backend loads by itself ($(sed -n 's/^LOADED ms=\([0-9]*\).*/\1 ms/p' "$tmp/out"))"
if [ $failed -ne 0 ]; then
  sed 's/^/#   /' "$tmp/out" "$tmp/err"
fi

# A broken installation: the app still starts, and says why it cannot connect.
PVE_BACKEND_MODULE=/nonexistent/pve-remotes-backend.so PVE_TEST_BACKEND_PROBE=2 \
  timeout 90 "$app" >"$tmp/out" 2>"$tmp/err"
ok $? "without its module the app starts and quits"
grep -qx 'FIRST_FRAME libsoup=0 keyring-library=0 backend=0' "$tmp/out"
ok $? "and shows its first frame"
grep -q '^NOT_LOADED PVE Remotes is not installed correctly: its network part (/nonexistent/pve-remotes-backend.so) cannot be loaded: .*No such file' "$tmp/out"
ok $? "a connect fails saying that the installation is broken"
if [ $failed -ne 0 ]; then
  sed 's/^/#   /' "$tmp/out" "$tmp/err"
fi
exit $failed

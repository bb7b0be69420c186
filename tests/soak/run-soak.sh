#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the soak test in an isolated session (throw-away HOME, private bus, real keyring):
# 100 remotes on one simulator process (one port each) x 100 guests = 10,000 guests refreshed
# every 5 s, 60 s tickets renewed after 30 s, for 11 minutes by default.
#
#   tests/soak/run-soak.sh [BUILD_DIR] [pve-soak options...]
#   tests/soak/run-soak.sh _build --duration=1800        # half an hour
#
# The same run through meson: meson test -C BUILD_DIR --setup slow --suite slow
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../_build}
[ $# -gt 0 ] && shift
exec "$here/../run-isolated.sh" "$build/tests/soak/pve-soak" \
  --simulator "$build/tests/sim/pve-simulator" --duration=660 "$@"

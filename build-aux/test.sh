#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The one test command: installs what is needed (Debian 12 packages), builds with warnings as
# errors, and runs every test headless (`meson test` wraps each test in tests/run-isolated.sh:
# Xvfb, private D-Bus, unlocked throw-away keyring, temp HOME). Then the whole suite once more
# under AddressSanitizer + UndefinedBehaviorSanitizer unless PVE_SKIP_SANITIZE=1.
set -euo pipefail
cd "$(dirname "$0")/.."

build-aux/install-deps.sh

builddir=${PVE_BUILDDIR:-_build}
if [ -d "$builddir" ]; then
  meson setup --reconfigure "$builddir" -Dwerror=true
else
  meson setup "$builddir" -Dwerror=true
fi
meson compile -C "$builddir"
meson test -C "$builddir" --print-errorlogs --num-processes "$(nproc)"

if [ "${PVE_SKIP_SANITIZE:-0}" != 1 ]; then
  sandir=${builddir}-sanitize
  if [ -d "$sandir" ]; then
    meson setup --reconfigure "$sandir" -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false
  else
    meson setup "$sandir" -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false
  fi
  meson compile -C "$sandir"
  ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    meson test -C "$sandir" --print-errorlogs --num-processes "$(nproc)" --no-suite slow
fi

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The one test command: installs what is needed (Debian 12 packages), builds with warnings as
# errors, and runs every test headless (`meson test` wraps each test in tests/run-isolated.sh:
# Xvfb, private D-Bus, unlocked throw-away keyring, temp HOME). Then the whole suite once more
# under AddressSanitizer + UndefinedBehaviorSanitizer unless PVE_SKIP_SANITIZE=1, and a short
# smoke run of every libFuzzer target (clang) unless PVE_SKIP_FUZZ=1.
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

if [ "${PVE_SKIP_FUZZ:-0}" != 1 ]; then
  fuzzdir=${builddir}-fuzz
  if [ ! -d "$fuzzdir" ]; then
    CC=clang meson setup "$fuzzdir" -Dfuzzers=true -Db_sanitize=address,undefined -Db_lundef=false
  fi
  # Only the fuzz targets (and the core they link) are built with clang.
  targets=$(cd tests/fuzz && ls fuzz-*.c | sed 's/\.c$//; s|^|tests/fuzz/|')
  # shellcheck disable=SC2086
  meson compile -C "$fuzzdir" $targets
  ASAN_OPTIONS=detect_leaks=1:intercept_tls_get_addr=0 \
    meson test -C "$fuzzdir" --suite fuzz --no-rebuild --print-errorlogs --num-processes "$(nproc)"
fi

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every fuzz target for SECONDS (default 600) on its corpus, growing the corpus.
# Usage: tests/fuzz/run-fuzzers.sh BUILDDIR [SECONDS] [JOBS]
set -euo pipefail
builddir=${1:?build dir configured with -Dfuzzers=true}
secs=${2:-600}
here=$(cd "$(dirname "$0")" && pwd)
for exe in "$builddir"/tests/fuzz/fuzz-*; do
  [ -x "$exe" ] || continue
  name=$(basename "$exe")
  mkdir -p "$here/corpus/$name" "$builddir/fuzz-artifacts/$name"
  echo "== $name for ${secs}s"
  "$exe" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$builddir/fuzz-artifacts/$name/" "$here/corpus/$name" 2>&1 | tail -n 12
done

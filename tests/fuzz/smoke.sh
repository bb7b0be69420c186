#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A short libFuzzer run of one target over its checked-in corpus. New inputs go to a temporary
# directory (listed first), so a smoke run never changes the repository.
# Usage: smoke.sh FUZZER CORPUS_DIR SECONDS
set -eu
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$1" -max_total_time="$3" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$scratch/" "$scratch" "$2"

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Adds every source file with translatable strings that po/POTFILES.in lacks, keeping it sorted.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=$(/usr/bin/python3 tests/check-potfiles.py . | sed -n 's/^# missing from po\/POTFILES.in: //p' || true)
tmp=$(mktemp)
grep '^#' po/POTFILES.in > "$tmp"
{ grep -v '^#' po/POTFILES.in; printf '%s\n' $missing; } | sed '/^$/d' | sort -u >> "$tmp"
mv "$tmp" po/POTFILES.in

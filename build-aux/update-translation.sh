#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerates po/pve-remotes.pot from the sources and merges it into every po/*.po listed in
# po/LINGUAS, then prints how much of each translation is left to do.
# Usage: build-aux/update-translation.sh [BUILD_DIR]   (default: _build, set up if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-_build}

# New source files with strings first, so the pot really has every string.
build-aux/update-potfiles.sh
[ -d "$build" ] || meson setup "$build" >/dev/null
meson compile -C "$build" pve-remotes-pot >/dev/null

for lang in $(sed 's/#.*//' po/LINGUAS); do
  po="po/$lang.po"
  if [ -f "$po" ]; then
    msgmerge --quiet --update --backup=none --previous "$po" po/pve-remotes.pot
  else
    msginit --no-translator --locale="$lang" --input=po/pve-remotes.pot --output-file="$po"
  fi
  printf '%s: ' "$po"
  msgfmt --check --check-accelerators=_ --statistics --output-file=/dev/null "$po" 2>&1
done

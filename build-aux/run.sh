#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is needed (Debian 12 packages), builds, and starts PVE Remotes.
# Arguments are passed to the app; with no Proxmox host, use --demo (a simulated cluster).
set -euo pipefail
cd "$(dirname "$0")/.."

build-aux/install-deps.sh

builddir=${PVE_BUILDDIR:-_build}
[ -d "$builddir" ] || meson setup "$builddir"
meson compile -C "$builddir"

export GSETTINGS_SCHEMA_DIR="$PWD/$builddir/data"
export PVE_SIMULATOR="$PWD/$builddir/tests/sim/pve-simulator"
exec "$builddir/src/pve-remotes" "$@"

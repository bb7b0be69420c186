#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian 12 packages needed to build, run and test PVE Remotes.
# Does nothing when they are all present; uses sudo when not run as root.
set -euo pipefail

packages=(
  # build
  meson ninja-build pkg-config gcc gettext
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev
  libjson-glib-dev libsecret-1-dev glib-networking
  # run
  gnome-keyring dbus dbus-x11
  # headless tests: X server, private bus and keyring, accessibility tree
  xvfb xauth at-spi2-core python3-pyatspi gir1.2-atspi-2.0 python3-gi libsecret-tools
  desktop-file-utils appstream imagemagick openssl procps
  # benchmark comparison and fuzzing/sanitizers
  python3-proxmoxer python3-requests clang libclang-rt-14-dev valgrind
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}" >&2
sudo=
[ "$(id -u)" -ne 0 ] && sudo=sudo
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"

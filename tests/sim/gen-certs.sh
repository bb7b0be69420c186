#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Generates the simulator's certificates once; the PEM files are checked in and compiled into
# the library as a GResource, so nothing runs at build time. Re-run only to renew them.
#
# Like a fresh Proxmox VE node: a cluster CA "Proxmox Virtual Environment" signs the node
# certificate (RSA-2048, SANs localhost/127.0.0.1/::1). cert-a and cert-b are two generations
# of the same node's certificate (different keys, so different SHA-256 fingerprints).
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

days=3650

openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$days" \
  -keyout "$tmp/ca.key" -out ca.pem \
  -subj "/CN=Proxmox Virtual Environment/OU=5e7bd2e1-sim/O=PVE Cluster Manager CA" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign"

cat > "$tmp/leaf.ext" <<EXT
basicConstraints=CA:FALSE
keyUsage=digitalSignature,nonRepudiation,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,DNS:pve1,DNS:pve1.sim.example,IP:127.0.0.1,IP:::1
EXT

for name in a b; do
  openssl req -newkey rsa:2048 -nodes -sha256 \
    -keyout "$tmp/$name.key" -out "$tmp/$name.csr" \
    -subj "/CN=pve1.sim.example/OU=PVE Cluster Node/O=Proxmox Virtual Environment"
  openssl x509 -req -in "$tmp/$name.csr" -CA ca.pem -CAkey "$tmp/ca.key" -CAcreateserial \
    -CAserial "$tmp/ca.srl" -sha256 -days "$days" -extfile "$tmp/leaf.ext" -out "$tmp/$name.crt"
  # Certificate first, then its unencrypted private key: g_tls_certificate_new_from_pem reads both.
  cat "$tmp/$name.crt" "$tmp/$name.key" > "cert-$name.pem"
done

for name in a b; do
  printf 'cert-%s: ' "$name"
  openssl x509 -in "cert-$name.pem" -noout -fingerprint -sha256
done

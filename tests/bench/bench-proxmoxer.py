#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The same work as bench-core, done with python3-proxmoxer (Debian's package, the client the
Ansible Proxmox modules use), against the same simulator, verifying TLS with the simulator's CA
(never verify_ssl=False). One measurement per process; the interpreter start and the imports are
not counted (nor are ours: both time from the first call to the last answer).

  bench-proxmoxer.py SIMULATOR CA fetch              login + GET /cluster/resources?type=vm
                                                     of 10,000 guests
  bench-proxmoxer.py SIMULATOR CA connect-all [N]    100 remotes (100 ports, 50 ms latency),
                                                     as a script would: one after the other, or
                                                     with a pool of N threads; half log in with
                                                     a password, half use an API token checked
                                                     with GET /version (as bench-core does)
Prints "RESULT key value" lines.
"""
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from proxmoxer import ProxmoxAPI

PASSWORD = "pve-demo"
TOKEN_NAME = "ci"
TOKEN_SECRET = "11111111-2222-3333-4444-555555555555"


def start_simulator(simulator, args):
    process = subprocess.Popen([simulator] + args, stdout=subprocess.PIPE, text=True)
    ports = []
    for line in process.stdout:
        line = line.strip()
        if line.startswith("PORT=") and not ports:
            ports = [int(line[5:])]
        elif line.startswith("PORTS="):
            ports = [int(p) for p in line[6:].split(",")]
        elif line == "READY":
            return process, ports
    raise SystemExit("bench-proxmoxer: the simulator did not get ready")


def stop_simulator(process):
    process.terminate()
    process.wait()


def connect(port, token, ca):
    if token:
        api = ProxmoxAPI("127.0.0.1", port=port, user="root@pam", token_name=TOKEN_NAME,
                         token_value=TOKEN_SECRET, verify_ssl=ca)
        # A token is only known to work once a request succeeded (bench-core: GET /version).
        api.version.get()
    else:
        api = ProxmoxAPI("127.0.0.1", port=port, user="root@pam", password=PASSWORD,
                         verify_ssl=ca)
    return api


def run_fetch(simulator, ca):
    process, ports = start_simulator(simulator, ["--guests", "10000", "--nodes", "8"])
    try:
        t0 = time.monotonic()
        api = connect(ports[0], False, ca)
        guests = api.cluster.resources.get(type="vm")
        t1 = time.monotonic()
    finally:
        stop_simulator(process)
    if len(guests) != 10000:
        raise SystemExit("bench-proxmoxer: %d guests, not 10,000" % len(guests))
    print("RESULT proxmoxer_fetch_ms %.3f" % ((t1 - t0) * 1000), flush=True)


def run_connect_all(simulator, ca, threads):
    process, ports = start_simulator(simulator, ["--ports", "100", "--latency-ms", "50"])
    try:
        jobs = [(port, i % 2 == 1) for i, port in enumerate(ports)]
        t0 = time.monotonic()
        if threads <= 1:
            apis = [connect(port, token, ca) for port, token in jobs]
        else:
            with ThreadPoolExecutor(max_workers=threads) as pool:
                apis = list(pool.map(lambda job: connect(job[0], job[1], ca), jobs))
        t1 = time.monotonic()
    finally:
        stop_simulator(process)
    if len(apis) != 100:
        raise SystemExit("bench-proxmoxer: %d remotes connected" % len(apis))
    key = "proxmoxer_connect_all_ms" if threads <= 1 else "proxmoxer_connect_all_pool%d_ms" % threads
    print("RESULT %s %.3f" % (key, (t1 - t0) * 1000), flush=True)


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    simulator, ca, mode = sys.argv[1:4]
    if mode == "fetch":
        run_fetch(simulator, ca)
    elif mode == "connect-all":
        run_connect_all(simulator, ca, int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()

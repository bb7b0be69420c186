#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End-to-end test: the built app, driven through the accessibility tree like a user.

Starts the simulator executable and the real `pve-remotes` binary (inside the isolated
session that tests/run-isolated.sh provides: Xvfb, private D-Bus, unlocked keyring, temp
HOME), then clicks controls by their accessible names:
add a remote with a wrong then the right password (trusting its certificate), restart the app,
connect, disconnect, connect again. Prints TAP.
"""
import configparser
import os
import signal
import subprocess
import sys
import threading
import time

import gi
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi  # noqa: E402

BUILD = os.environ.get('PVE_BUILD_ROOT', os.path.join(os.path.dirname(__file__), '..', '..', '_build'))
APP = os.path.join(BUILD, 'src', 'pve-remotes')
SIM = os.path.join(BUILD, 'tests', 'sim', 'pve-simulator')
CONFIG = os.path.join(os.environ['XDG_CONFIG_HOME'], 'com.example.PveRemotes', 'remotes.ini')

results = []
procs = []
sim_requests = []   # "METHOD /path" lines the simulator printed (--log-requests)


def tap(ok, name, detail=''):
    results.append(ok)
    print(('ok' if ok else 'not ok'), len(results), '-', name, flush=True)
    if not ok and detail:
        for line in str(detail).splitlines():
            print('#', line, flush=True)
    if not ok:
        finish()


def finish():
    for p in reversed(procs):
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
    print('1..%d' % len(results), flush=True)
    sys.exit(0 if all(results) else 1)


def wait_for(pred, timeout=20.0, what='condition'):
    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        try:
            last = pred()
        except gi.repository.GLib.Error:
            last = None
        if last:
            return last
        time.sleep(0.1)
    return None


def walk(acc, depth=0, maxdepth=60):
    if acc is None or depth > maxdepth:
        return
    yield acc
    try:
        n = acc.get_child_count()
    except Exception:
        return
    for i in range(n):
        try:
            child = acc.get_child_at_index(i)
        except Exception:
            continue
        yield from walk(child, depth + 1, maxdepth)


def app_root():
    desktop = Atspi.get_desktop(0)
    for i in range(desktop.get_child_count()):
        a = desktop.get_child_at_index(i)
        if a is not None and a.get_name() == 'pve-remotes':
            return a
    return None


def find(name, roles=None, exact=True, root=None):
    root = root or app_root()
    if root is None:
        return None
    for acc in walk(root):
        try:
            n = acc.get_name() or ''
            if name_matches(n, name, exact):
                if roles is None or acc.get_role_name() in roles:
                    if is_showing(acc):
                        return acc
        except Exception:
            continue
    return None


def is_showing(acc):
    # GTK 4.8 exposes VISIBLE but not SHOWING.
    try:
        states = acc.get_state_set()
        return (states.contains(Atspi.StateType.SHOWING) or
                states.contains(Atspi.StateType.VISIBLE))
    except Exception:
        return False


def name_matches(actual, wanted, exact):
    if not exact:
        return wanted in actual
    # libadwaita 1.2 message dialogs name their response buttons twice ("Trust Trust").
    return actual == wanted or actual == wanted + ' ' + wanted


def names(root=None):
    root = root or app_root()
    out = []
    for acc in walk(root):
        try:
            if is_showing(acc):
                out.append('%s %r' % (acc.get_role_name(), acc.get_name()))
        except Exception:
            pass
    return '\n'.join(out)


def click(name, timeout=20.0):
    acc = wait_for(lambda: find(name, ('push button', 'button', 'toggle button', 'menu item',
                                       'check box', 'radio button')), timeout)
    if acc is None:
        return False
    action = acc.get_action_iface()
    return action.do_action(0)


def set_text(name, text, timeout=20.0):
    acc = wait_for(lambda: find(name, ('text', 'entry', 'password text', 'spin button')), timeout)
    if acc is None:
        return False
    if acc.get_role_name() == 'spin button':
        value = acc.get_value_iface()
        return value is not None and value.set_current_value(float(text))
    editable = acc.get_editable_text_iface()
    if editable is None:
        return False
    editable.set_text_contents(text)
    return True


def start_app():
    env = dict(os.environ)
    env.pop('NO_AT_BRIDGE', None)
    p = subprocess.Popen([APP], env=env, stdout=subprocess.DEVNULL, stderr=sys.stderr)
    procs.append(p)
    return p


def stop(p):
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    procs.remove(p)


def config_groups():
    if not os.path.exists(CONFIG):
        return []
    cp = configparser.ConfigParser(interpolation=None)
    cp.read(CONFIG)
    return cp.sections()


def keyring_items():
    """Items of our schema in the (isolated) keyring, for any remote."""
    out = subprocess.run(['secret-tool', 'search', '--all', 'xdg:schema',
                          'com.example.PveRemotes.Credential'],
                         capture_output=True, text=True)
    return sum(1 for line in (out.stdout + out.stderr).splitlines() if line.startswith('['))


def main():
    os.environ.pop('NO_AT_BRIDGE', None)
    # Its registry says it runs on standard output, which is our TAP stream.
    bus = subprocess.Popen(['/usr/libexec/at-spi-bus-launcher', '--launch-immediately'],
                           stdout=sys.stderr)
    procs.append(bus)
    time.sleep(0.3)

    sim = subprocess.Popen([SIM, '--auth-delay-ms', '0', '--log-requests'],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    procs.append(sim)
    port = fingerprint = None
    for line in sim.stdout:
        line = line.strip()
        if line.startswith('PORT='):
            port = line.split('=', 1)[1]
        elif line.startswith('FINGERPRINT='):
            fingerprint = line.split('=', 1)[1]
        elif line == 'READY':
            break
    tap(port is not None and fingerprint is not None, 'simulator started')

    def read_requests():
        for line in sim.stdout:
            if line.startswith('REQUEST '):
                sim_requests.append(line[len('REQUEST '):].strip())
    threading.Thread(target=read_requests, daemon=True).start()

    app = start_app()
    tap(wait_for(app_root, 20) is not None, 'app shows up in the accessibility tree')

    # 1. Add with a wrong password: the certificate is unknown, so we are asked to trust it.
    tap(click('Add Remote'), 'Add Remote clicked')
    ok = all([set_text('Name', 'pve1'), set_text('Host', '127.0.0.1'), set_text('Port', port),
              set_text('User', 'root'), set_text('Password', 'wrong-password')])
    tap(ok, 'add dialog filled in', names())
    tap(click('Add'), 'Add clicked')
    # The dialog wraps the 95-character fingerprint over two lines.
    compact = fingerprint.replace(':', '')
    shown = wait_for(lambda: any(compact in ''.join((a.get_name() or '').split()).replace(':', '')
                                 for a in walk(app_root()) if is_showing(a)), 20)
    tap(shown is not None, 'trust dialog shows the simulator fingerprint', names())
    tap(click('Trust'), 'certificate trusted')
    err = wait_for(lambda: find('authentication failure', exact=False), 20)
    tap(err is not None, 'wrong password: the server message is shown in the dialog', names())
    tap(config_groups() == [], 'wrong password: nothing saved in remotes.ini')
    tap(keyring_items() == 0, 'wrong password: nothing saved in the keyring')

    # ... then the right one.
    tap(set_text('Password', 'pve-demo'), 'right password typed')
    tap(click('Add'), 'Add clicked again')
    row = wait_for(lambda: find('pve1, Connected', exact=False), 20)
    tap(row is not None, 'row says "pve1, Connected"', names())
    tap(len(config_groups()) == 1, 'remote saved in remotes.ini')
    tap(keyring_items() == 1, 'password saved in the keyring')

    # 2. Restart: the remote is listed Disconnected and nothing is sent until the user acts.
    stop(app)
    before = len(sim_requests)
    app = start_app()
    row = wait_for(lambda: find('pve1, Disconnected', exact=False), 20)
    tap(row is not None, 'after restart the row says "pve1, Disconnected"', names())
    time.sleep(1.0)  # give a wrongly eager app the chance to send something
    tap(len(sim_requests) == before, 'after restart nothing is sent until the user acts',
        sim_requests[before:])

    # 3. Connect (secret from the keyring), 4. disconnect, connect again.
    tap(click('Connect pve1'), 'Connect clicked')
    tap(wait_for(lambda: find('pve1, Connected', exact=False), 20) is not None,
        'connected from the keyring after restart', names())
    logins = sum(1 for r in sim_requests if r == 'POST /access/ticket')
    tap(click('Disconnect pve1'), 'Disconnect clicked')
    tap(wait_for(lambda: find('pve1, Disconnected', exact=False), 20) is not None,
        'disconnected', names())
    tap(logins >= 3, 'each connect logged in for real (%d logins seen)' % logins)
    tap(click('Connect pve1'), 'Connect clicked again')
    tap(wait_for(lambda: find('pve1, Connected', exact=False), 20) is not None,
        'connected again', names())
    stop(app)
    finish()


if __name__ == '__main__':
    main()

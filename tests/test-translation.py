#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Translations: every string of the sources is translated in every po/*.po of po/LINGUAS
(none untranslated, none fuzzy, msgfmt --check clean), and the real app shows German.

The app check runs the built `pve-remotes` with LANGUAGE=de under C.UTF-8 (glibc honours
LANGUAGE for any locale but "C", so no de_DE locale needs to be generated), and with only
LANG=de_DE.UTF-8 (which main.c maps to C.UTF-8 + LANGUAGE=de when the locale is missing), its translations
taken from the build dir through PVE_LOCALEDIR, and reads its window through the
accessibility tree (AT-SPI) like a screen reader would. Runs inside tests/run-isolated.sh.
Prints TAP.

Usage: test-translation.py SOURCE_ROOT BUILD_ROOT
"""
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

import gi
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi  # noqa: E402

SRC = sys.argv[1] if len(sys.argv) > 1 else os.environ['PVE_SOURCE_ROOT']
BUILD = sys.argv[2] if len(sys.argv) > 2 else os.environ['PVE_BUILD_ROOT']
APP = os.path.join(BUILD, 'src', 'pve-remotes')
PACKAGE = 'pve-remotes'

# The same keywords as po/meson.build (the glib preset plus ours).
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
]

# What the empty window says, in English and in German (po/de.po).
EXPECTED = [
    ('push button', 'Add Remote', 'Remote hinzufügen'),
    (None, 'No Remotes', 'Keine Remotes'),
]

results = []
procs = []


def tap(ok, name, detail=''):
    results.append(bool(ok))
    print(('ok' if ok else 'not ok'), len(results), '-', name, flush=True)
    if not ok and detail:
        for line in str(detail).splitlines():
            print('#', line, flush=True)


def languages():
    with open(os.path.join(SRC, 'po', 'LINGUAS'), encoding='utf-8') as f:
        return [w for line in f for w in line.split('#')[0].split()]


def check_catalogs(tmp):
    pot = os.path.join(tmp, PACKAGE + '.pot')
    run = subprocess.run(['xgettext', '--package-name=' + PACKAGE, '--directory=' + SRC,
                          '--files-from=' + os.path.join(SRC, 'po', 'POTFILES.in'),
                          '--output=' + pot] + XGETTEXT_ARGS,
                         capture_output=True, text=True)
    tap(run.returncode == 0 and os.path.exists(pot), 'xgettext extracts the strings of POTFILES.in',
        run.stderr)
    if run.returncode != 0:
        return
    langs = languages()
    tap('de' in langs, 'po/LINGUAS lists de', ' '.join(langs))
    for lang in langs:
        po = os.path.join(SRC, 'po', lang + '.po')
        if not os.path.exists(po):
            tap(False, f'po/{lang}.po exists')
            continue
        check = subprocess.run(['msgfmt', '--check', '--check-accelerators=_', '--output-file=/dev/null', po],
                               capture_output=True, text=True)
        tap(check.returncode == 0 and not check.stderr.strip(),
            f'po/{lang}.po passes msgfmt --check (formats, plurals, header, accelerators)',
            check.stderr)
        merged = os.path.join(tmp, lang + '.po')
        subprocess.run(['msgmerge', '--quiet', '--no-fuzzy-matching', '--output-file=' + merged,
                        po, pot], check=True)
        stats = subprocess.run(['msgfmt', '--statistics', '--output-file=/dev/null', merged],
                               capture_output=True, text=True).stderr
        translated = int((re.search(r'(\d+) translated', stats) or [0, 0])[1])
        untranslated = int((re.search(r'(\d+) untranslated', stats) or [0, 0])[1])
        # Strings that only the old catalogue had are fine; what the sources have now must be
        # translated, and a fuzzy entry is not shown to anyone.
        with open(po, encoding='utf-8') as f:
            fuzzy = sum(1 for line in f if line.startswith('#,') and 'fuzzy' in line)
        missing = subprocess.run(['msgattrib', '--untranslated', '--no-obsolete', merged],
                                 capture_output=True, text=True).stdout
        ids = re.findall(r'^msgid "(.+)"$', missing, re.M)
        tap(untranslated == 0 and translated > 0,
            f'po/{lang}.po translates every string of the sources ({translated} translated, '
            f'{untranslated} untranslated)',
            '\n'.join(ids[:40]) + ('\n…' if len(ids) > 40 else '') +
            '\nRun build-aux/update-translation.sh, then translate the empty msgstr entries.')
        tap(fuzzy == 0, f'po/{lang}.po has no fuzzy entries ({fuzzy})')


# --- The real app in German, read through AT-SPI ----------------------------------------

def walk(acc, depth=0):
    if acc is None or depth > 60:
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
        yield from walk(child, depth + 1)


def app_root():
    desktop = Atspi.get_desktop(0)
    for i in range(desktop.get_child_count()):
        a = desktop.get_child_at_index(i)
        if a is not None and a.get_name() == PACKAGE:
            return a
    return None


def visible_names():
    root = app_root()
    out = []
    if root is None:
        return out
    for acc in walk(root):
        try:
            states = acc.get_state_set()
            if states.contains(Atspi.StateType.VISIBLE) or states.contains(Atspi.StateType.SHOWING):
                out.append((acc.get_role_name(), acc.get_name() or ''))
        except Exception:
            continue
    return out


def has(names, role, text):
    return any(n == text and (role is None or r == role) for r, n in names)


def wait_for(pred, timeout=20.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            value = pred()
        except Exception:
            value = None
        if value:
            return value
        time.sleep(0.1)
    return None


def check_app(tmp, locale_env):
    label = ' '.join(f'{k}={v}' for k, v in locale_env.items())
    env = dict(os.environ)
    for var in ('NO_AT_BRIDGE', 'GTK_A11Y', 'LC_ALL', 'LC_MESSAGES', 'LANG', 'LANGUAGE'):
        env.pop(var, None)
    env.update(locale_env)
    env['PVE_LOCALEDIR'] = os.path.join(BUILD, 'po')
    store = os.path.join(tmp, 'remotes.ini')
    early_err = ''
    for attempt in range(3):
        app = subprocess.Popen([APP, '--store', store], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
        procs.append(app)
        # Another Xvfb starting at the same moment (tests of other builds on this machine)
        # can briefly take over our display's socket; the app then cannot open it. Only that
        # is retried.
        if wait_for(lambda: app.poll() is not None, 1.0) is None:
            break
        early_err = app.stderr.read()
        if 'cannot open display' not in early_err or attempt == 2:
            break
        procs.remove(app)
        print(f'# the app could not open the display, starting it again: {early_err.strip()}',
              flush=True)
    def german_window():
        names = visible_names()
        return names if all(has(names, role, de) for role, _, de in EXPECTED) else None

    names = wait_for(german_window)
    last = visible_names()
    exited = app.poll()
    tap(names is not None, f'with {label} the window shows ' +
        ', '.join(f'“{de}”' for _, _, de in EXPECTED),
        '\n'.join(f'{r} {n!r}' for r, n in last) +
        (f'\nthe app exited with {exited}: {early_err}{app.stderr.read()}'
         if exited is not None else ''))
    english = [en for role, en, _ in EXPECTED if has(last, role, en)]
    tap(not english, f'with {label} no English text is in their place', ', '.join(english))
    app.send_signal(signal.SIGTERM)
    try:
        _, err = app.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        app.kill()
        _, err = app.communicate()
    procs.remove(app)
    err = early_err + (err or '')
    tap('Locale not supported' not in err, f'with {label} no locale warning', err)


def finish():
    for p in reversed(procs):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
    print('1..%d' % len(results), flush=True)
    return 0 if results and all(results) else 1


def main():
    with tempfile.TemporaryDirectory(prefix='pve-test-translation-') as tmp:
        try:
            check_catalogs(tmp)
            os.environ.pop('NO_AT_BRIDGE', None)
            bus = subprocess.Popen(['/usr/libexec/at-spi-bus-launcher', '--launch-immediately'],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            procs.append(bus)
            if not os.path.exists(os.path.join(BUILD, 'po', 'de', 'LC_MESSAGES',
                                               PACKAGE + '.mo')):
                tap(False, 'the build made po/de/LC_MESSAGES/pve-remotes.mo')
            else:
                # C.UTF-8 with LANGUAGE: works on every glibc system.
                check_app(tmp, {'LC_ALL': 'C.UTF-8', 'LANGUAGE': 'de'})
                # Only LANG, whether or not de_DE.UTF-8 is generated here (main.c falls back
                # to C.UTF-8 and keeps the language).
                check_app(tmp, {'LANG': 'de_DE.UTF-8'})
        finally:
            rc = finish()
    return rc


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the Flatpak manifest: valid JSON, the right app id and command, the GNOME runtime,
the app built with meson from this directory without tests or benchmarks, and a sandbox that
allows exactly the permissions the app needs and nothing more.

Usage: test-manifest.py MANIFEST SOURCE_ROOT   (prints TAP)
"""

import json
import os
import re
import sys

APP_ID = 'com.example.PveRemotes'
COMMAND = 'pve-remotes'
# The whole sandbox. Network for the Proxmox API, a display, GPU. Secrets go through the
# Secret portal, so no --talk-name; no file system access at all.
ALLOWED_FINISH_ARGS = [
    '--share=network',
    '--share=ipc',
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',
]
REQUIRED_CONFIG_OPTS = ['-Dtests=false', '-Dbenchmarks=false']

results = []


def check(name, ok, detail=''):
    results.append((name, bool(ok), detail))


def main():
    manifest_path, source_root = sys.argv[1], sys.argv[2]

    try:
        with open(manifest_path, encoding='utf-8') as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        print('1..1')
        print(f'not ok 1 - manifest is valid JSON # {e}')
        return 1
    check('manifest is valid JSON and an object', isinstance(manifest, dict))
    if not isinstance(manifest, dict):
        manifest = {}

    app_id = manifest.get('app-id', manifest.get('id'))
    check('app id is ' + APP_ID, app_id == APP_ID, f'got {app_id!r}')
    check('manifest file is named after the app id',
          os.path.basename(manifest_path) == APP_ID + '.json')
    check('command is ' + COMMAND, manifest.get('command') == COMMAND,
          f'got {manifest.get("command")!r}')
    check('runtime is org.gnome.Platform', manifest.get('runtime') == 'org.gnome.Platform')
    check('sdk is org.gnome.Sdk', manifest.get('sdk') == 'org.gnome.Sdk')
    version = str(manifest.get('runtime-version', ''))
    check('runtime-version is a stable GNOME release (>= 47)',
          re.fullmatch(r'\d+', version) is not None and int(version) >= 47, f'got {version!r}')

    finish_args = manifest.get('finish-args', [])
    extra = [a for a in finish_args if a not in ALLOWED_FINISH_ARGS]
    missing = [a for a in ALLOWED_FINISH_ARGS if a not in finish_args]
    check('finish-args allow nothing beyond the list', not extra, f'extra: {extra}')
    check('finish-args grant everything the app needs', not missing, f'missing: {missing}')
    check('finish-args have no duplicates', len(finish_args) == len(set(finish_args)))

    # Permissions can also sneak in elsewhere: build-time network, per-module finish-args,
    # or a permission-granting key anywhere in the tree.
    def walk(node, path='$'):
        if isinstance(node, dict):
            for k, v in node.items():
                yield path + '.' + k, k, v
                yield from walk(v, path + '.' + k)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from walk(v, f'{path}[{i}]')

    bad = []
    for path, key, value in walk(manifest):
        if key == 'finish-args' and path != '$.finish-args':
            bad.append(path)
        if key == 'build-args' and any('--share=network' in str(a) for a in value):
            bad.append(path + ' (network during the build)')
        if isinstance(value, str) and re.match(r'--(filesystem|talk-name|own-name|system-talk-name|'
                                               r'socket=(x11|pulseaudio|session-bus|system-bus|'
                                               r'ssh-auth)|device=all|persist|add-policy|env)',
                                               value):
            if path.startswith('$.finish-args'):
                continue  # already reported above
            bad.append(f'{path} = {value}')
    check('no permissions granted outside the top-level finish-args', not bad, f'{bad}')

    modules = manifest.get('modules', [])
    check('there is at least one module', isinstance(modules, list) and modules)
    app_module = modules[-1] if modules else {}
    check('the app (last module) is built with meson',
          isinstance(app_module, dict) and app_module.get('buildsystem') == 'meson')
    sources = app_module.get('sources', []) if isinstance(app_module, dict) else []
    check('the app is built from this directory',
          any(isinstance(s, dict) and s.get('type') == 'dir' and s.get('path') == '.'
              for s in sources))
    config_opts = app_module.get('config-opts', []) if isinstance(app_module, dict) else []
    missing_opts = [o for o in REQUIRED_CONFIG_OPTS if o not in config_opts]
    check('tests and benchmarks are off in the Flatpak build', not missing_opts,
          f'missing: {missing_opts}')

    # Every -D option handed to meson must exist, or `meson setup` fails inside flatpak-builder.
    with open(os.path.join(source_root, 'meson_options.txt'), encoding='utf-8') as f:
        declared = set(re.findall(r"option\s*\(\s*'([^']+)'", f.read()))
    # Built-in meson options (prefix, buildtype, ...) are fine; ours must be declared.
    builtin = {'prefix', 'libdir', 'buildtype', 'optimization', 'debug', 'werror', 'b_lto',
               'b_sanitize', 'default_library', 'warning_level', 'c_std'}
    unknown = []
    for opt in config_opts:
        m = re.match(r'-D([A-Za-z0-9_.-]+)=', opt)
        if m and '.' not in m.group(1) and m.group(1) not in declared | builtin:
            unknown.append(m.group(1))
    check('every -D option exists in meson_options.txt', not unknown, f'unknown: {unknown}')

    # The command must match what the desktop entry launches.
    desktop_in = os.path.join(source_root, 'data', APP_ID + '.desktop.in')
    with open(desktop_in, encoding='utf-8') as f:
        exec_lines = [l.split('=', 1)[1].split()[0] for l in f if l.startswith('Exec=')]
    check('desktop entry launches the manifest command', exec_lines == [COMMAND],
          f'Exec: {exec_lines}')

    print(f'1..{len(results)}')
    for i, (name, ok, detail) in enumerate(results, 1):
        line = f'{"ok" if ok else "not ok"} {i} - {name}'
        if not ok and detail:
            line += f' # {detail}'
        print(line)
    return 0 if all(ok for _, ok, _ in results) else 1


if __name__ == '__main__':
    sys.exit(main())

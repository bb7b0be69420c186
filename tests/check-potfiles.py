#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when a file with translatable strings is missing from po/POTFILES.in, or when
POTFILES.in names a file that does not exist. Otherwise its strings would silently never
reach translators (or the pot target would break).

Usage: check-potfiles.py SOURCE_ROOT   (prints TAP)
"""

import os
import re
import sys

SCAN_DIRS = ['src', 'data']
SKIP_DIRS = {'.git', '__pycache__'}

# C: _("..."), N_("..."), C_("ctx", "..."), NC_(...), also with GNU-style spaces: _ ("...").
C_MARKERS = re.compile(r'(?<![A-Za-z0-9_])(?:N|C|NC|Q)?_\s*\(\s*"'
                       r'|(?<![A-Za-z0-9_])(?:g_d?ngettext|ngettext|g_dpgettext2?)\s*\(')
UI_MARKER = re.compile(r'translatable\s*=\s*["\'](?:yes|true|1)["\']')
GSCHEMA_MARKER = re.compile(r'<(?:summary|description)\b')


def strip_c_comments(text):
    # A commented-out _("...") is not a string anyone will see.
    # String and character literals are matched first so "https://..." is not a comment.
    token = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|/\*.*?\*/|//[^\n]*', re.S)
    return token.sub(lambda m: m.group(0) if m.group(0)[0] in '"\'' else ' ', text)


def has_translatable(path):
    name = os.path.basename(path)
    try:
        with open(path, encoding='utf-8') as f:
            text = f.read()
    except (UnicodeDecodeError, OSError):
        return False
    if name.endswith(('.c', '.h')):
        return C_MARKERS.search(strip_c_comments(text)) is not None
    if name.endswith(('.ui', '.ui.in')):
        return UI_MARKER.search(text) is not None
    if name.endswith(('.desktop.in', '.metainfo.xml.in', '.appdata.xml.in')):
        return True  # every desktop entry / AppStream file has a translatable name
    if name.endswith(('.gschema.xml', '.gschema.xml.in')):
        return GSCHEMA_MARKER.search(text) is not None
    return False


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.environ.get('PVE_SOURCE_ROOT', '.')
    potfiles_path = os.path.join(root, 'po', 'POTFILES.in')
    with open(potfiles_path, encoding='utf-8') as f:
        listed = [line.strip() for line in f
                  if line.strip() and not line.lstrip().startswith('#')]
    skip_path = os.path.join(root, 'po', 'POTFILES.skip')
    skipped = set()
    if os.path.exists(skip_path):
        with open(skip_path, encoding='utf-8') as f:
            skipped = {line.strip() for line in f
                       if line.strip() and not line.lstrip().startswith('#')}

    found = []
    for top in SCAN_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            for fn in sorted(filenames):
                full = os.path.join(dirpath, fn)
                if has_translatable(full):
                    found.append(os.path.relpath(full, root).replace(os.sep, '/'))

    missing = [p for p in found if p not in listed and p not in skipped]
    nonexistent = [p for p in listed if not os.path.isfile(os.path.join(root, p))]
    duplicates = sorted({p for p in listed if listed.count(p) > 1})

    print('1..3')
    if missing:
        print('not ok 1 - every file with translatable strings is in po/POTFILES.in')
        for p in missing:
            print(f'# missing from po/POTFILES.in: {p}')
    else:
        print(f'ok 1 - every file with translatable strings is in po/POTFILES.in ({len(found)})')
    if nonexistent:
        print('not ok 2 - every po/POTFILES.in entry exists')
        for p in nonexistent:
            print(f'# listed in po/POTFILES.in but does not exist: {p}')
    else:
        print('ok 2 - every po/POTFILES.in entry exists')
    if duplicates:
        print('not ok 3 - po/POTFILES.in lists each file once')
        for p in duplicates:
            print(f'# listed more than once: {p}')
    else:
        print('ok 3 - po/POTFILES.in lists each file once')
    return 1 if missing or nonexistent or duplicates else 0


if __name__ == '__main__':
    sys.exit(main())

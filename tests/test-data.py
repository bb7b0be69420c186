#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that the desktop entry, the AppStream metainfo, the GSettings schema and the icons
agree with each other and with the build: the validators check each file on its own, but a
desktop entry naming an icon that is not installed, or a metainfo release that is not the
project version, passes them all.

Usage: test-data.py SOURCE_ROOT DESKTOP_FILE METAINFO_FILE VERSION GETTEXT_PACKAGE  (prints TAP)
"""

import configparser
import os
import re
import sys
import xml.etree.ElementTree as ET

import gi
gi.require_version('GdkPixbuf', '2.0')
from gi.repository import GdkPixbuf, GLib  # noqa: E402

APP_ID = 'com.example.PveRemotes'
SVG_NS = '{http://www.w3.org/2000/svg}'
SYMBOLIC_COLOR = '#2e3436'

results = []


def check(name, ok, detail=''):
    results.append((name, bool(ok), detail))


def check_desktop(path, source_root):
    entry = configparser.RawConfigParser(interpolation=None, strict=True)
    entry.optionxform = str
    entry.read(path, encoding='utf-8')
    d = entry['Desktop Entry'] if entry.has_section('Desktop Entry') else {}
    check('desktop entry is named after the app id',
          os.path.basename(path) == APP_ID + '.desktop')
    check('desktop entry Name is "PVE Remotes"', d.get('Name') == 'PVE Remotes')
    check('desktop entry Icon is the app id', d.get('Icon') == APP_ID, f'got {d.get("Icon")!r}')
    check('desktop entry runs pve-remotes', d.get('Exec') == 'pve-remotes')
    check('desktop entry is not D-Bus activatable', d.get('DBusActivatable') == 'false')
    check('desktop entry has startup notification', d.get('StartupNotify') == 'true')
    categories = set(filter(None, d.get('Categories', '').split(';')))
    wanted = {'System', 'Network', 'RemoteAccess', 'GTK', 'GNOME'}
    check('desktop entry categories', wanted <= categories, f'missing {wanted - categories}')
    keywords = set(filter(None, d.get('Keywords', '').split(';')))
    wanted = {'Proxmox', 'PVE', 'virtualization', 'VM', 'container', 'cluster'}
    check('desktop entry keywords', wanted <= keywords, f'missing {wanted - keywords}')
    icon = d.get('Icon', '')
    check('the desktop icon exists as a scalable icon',
          os.path.isfile(os.path.join(source_root, 'data/icons/hicolor/scalable/apps',
                                      icon + '.svg')))
    check('the desktop icon exists as a symbolic icon',
          os.path.isfile(os.path.join(source_root, 'data/icons/hicolor/symbolic/apps',
                                      icon + '-symbolic.svg')))


def check_metainfo(path, version, gettext_package):
    root = ET.parse(path).getroot()
    check('metainfo describes a desktop application',
          root.tag == 'component' and root.get('type') == 'desktop-application')
    check('metainfo id is the app id', root.findtext('id') == APP_ID)
    check('metainfo is named after the app id', os.path.basename(path) == APP_ID + '.metainfo.xml')
    launchables = [(l.get('type'), l.text) for l in root.findall('launchable')]
    check('metainfo launches the desktop entry',
          launchables == [('desktop-id', APP_ID + '.desktop')], f'got {launchables}')
    binaries = sorted(b.text for b in root.findall('provides/binary'))
    check('metainfo provides both binaries', binaries == ['pve-remotes', 'pve-remotes-cli'],
          f'got {binaries}')
    check('metainfo licences', root.findtext('metadata_license') == 'CC0-1.0'
          and root.findtext('project_license') == 'GPL-3.0-or-later')
    dev = root.find('developer')
    check('metainfo names the developer',
          dev is not None and dev.get('id') == 'com.example'
          and dev.findtext('name') == 'PVE Remotes developers'
          and root.findtext('developer_name') == 'PVE Remotes developers')
    releases = root.findall('releases/release')
    newest = releases[0].get('version') if releases else None
    check('newest metainfo release is the project version', newest == version,
          f'metainfo {newest!r}, meson {version!r}')
    check('every release has a date and a description',
          releases and all(re.fullmatch(r'\d{4}-\d\d-\d\d', r.get('date') or '')
                           and r.find('description') is not None for r in releases))
    check('metainfo names the gettext domain',
          [(t.get('type'), t.text) for t in root.findall('translation')]
          == [('gettext', gettext_package)])
    check('content rating is OARS 1.1',
          root.find('content_rating') is not None
          and root.find('content_rating').get('type') == 'oars-1.1')
    images = [i.text for i in root.findall('screenshots/screenshot/image')]
    check('screenshots point at data/screenshots/ over https',
          images and all(re.fullmatch(r'https://\S+/data/screenshots/[a-z0-9-]+\.png', i or '')
                         for i in images), f'{images}')
    check('exactly one default screenshot',
          [s.get('type') for s in root.findall('screenshots/screenshot')].count('default') == 1)
    controls = {c.text for c in root.findall('supports/control')}
    check('supports keyboard and pointing', {'keyboard', 'pointing'} <= controls)
    check('requires a display length', root.find('requires/display_length') is not None)


def check_gschema(path, gettext_package):
    root = ET.parse(path).getroot()
    schema = root.find('schema')
    check('schema id is the app id', schema is not None and schema.get('id') == APP_ID)
    check('schema path is /com/example/PveRemotes/',
          schema is not None and schema.get('path') == '/com/example/PveRemotes/')
    check('schema names the gettext domain', root.get('gettext-domain') == gettext_package)
    keys = {k.get('name'): k.get('type') for k in root.iter('key')}
    wanted = {'window-width': 'i', 'window-height': 'i', 'window-maximized': 'b',
              'selected-remote': 's', 'refresh-interval': 'u', 'notifications': 'b',
              'confirm-stop': 'b'}
    check('schema has the keys the app reads, with their types',
          all(keys.get(k) == t for k, t in wanted.items()), f'got {keys}')
    check('every schema key has a summary',
          all(k.findtext('summary') for k in root.iter('key')))


def colours(svg_text):
    found = set(re.findall(r'#[0-9a-fA-F]{3,8}\b', svg_text))
    found |= {m for m in re.findall(r'(?:fill|stroke|stop-color)\s*[:=]\s*"?([a-z]+)', svg_text)
              if m not in ('none', 'url', 'currentcolor')}
    return {c.lower() for c in found}


def render(path, size):
    try:
        pb = GdkPixbuf.Pixbuf.new_from_file_at_size(path, size, size)
    except GLib.Error as e:
        return None, str(e)
    pixels = pb.get_pixels()
    opaque = sum(1 for a in pixels[3::4] if a > 0) if pb.get_has_alpha() else size * size
    return (pb.get_width(), pb.get_height(), opaque), ''


def check_icons(source_root):
    base = os.path.join(source_root, 'data/icons/hicolor')
    scalable = os.path.join(base, 'scalable/apps', APP_ID + '.svg')
    symbolic = os.path.join(base, 'symbolic/apps', APP_ID + '-symbolic.svg')

    for label, path, size in (('scalable', scalable, 128), ('symbolic', symbolic, 16)):
        with open(path, encoding='utf-8') as f:
            text = f.read()
        root = ET.fromstring(text)
        check(f'{label} icon is SVG with a {size}x{size} canvas',
              root.tag == SVG_NS + 'svg' and root.get('viewBox') == f'0 0 {size} {size}'
              and root.get('width') == str(size) and root.get('height') == str(size))
        hrefs = re.findall(r'href\s*=\s*"([^"]*)"', text)
        check(f'{label} icon is self-contained (no external or raster references)',
              all(h.startswith('#') for h in hrefs) and '<image' not in text, f'{hrefs}')
        rendered, err = render(path, size)
        # Something visible that does not fill the whole canvas: a real drawing, not a blank.
        check(f'{label} icon renders at {size} px',
              rendered is not None and rendered[:2] == (size, size)
              and size * size // 5 < rendered[2] < size * size, err or f'{rendered}')

    with open(symbolic, encoding='utf-8') as f:
        text = f.read()
    check('symbolic icon uses only ' + SYMBOLIC_COLOR, colours(text) == {SYMBOLIC_COLOR},
          f'{colours(text)}')
    # GTK recolours the fill of symbolic icons only: strokes and gradients would stay dark.
    check('symbolic icon uses fills only (no strokes, gradients, opacity)',
          not re.search(r'stroke|Gradient|opacity', text))


def main():
    source_root, desktop, metainfo, version, gettext_package = sys.argv[1:6]
    check_desktop(desktop, source_root)
    check_metainfo(metainfo, version, gettext_package)
    check_gschema(os.path.join(source_root, 'data', APP_ID + '.gschema.xml'), gettext_package)
    check_icons(source_root)

    print(f'1..{len(results)}')
    for i, (name, ok, detail) in enumerate(results, 1):
        line = f'{"ok" if ok else "not ok"} {i} - {name}'
        if not ok and detail:
            line += f' # {detail}'
        print(line)
    return 0 if all(ok for _, ok, _ in results) else 1


if __name__ == '__main__':
    sys.exit(main())

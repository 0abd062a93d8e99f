"What the browser tests share: Debian's chromium with the flags this sandbox needs, drawing with real mouse events."

import math
from pathlib import Path
from conftest import ROOT, require_marker

CHROMIUM = '/usr/bin/chromium'
ARGS = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
]
RESULTS = ROOT / 'tests' / 'results'  # screenshots and figures of this run (git-ignored)
MISSING = f'{CHROMIUM} is missing: `make install` installs Debian chromium (apt-get install -y chromium)'


def launch(pw):
    "Debian's chromium, headless, through playwright `pw`; only from a test marked browser."
    require_marker('browser')
    assert Path(CHROMIUM).exists(), MISSING
    return pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)


def draw(page, box, strokes):
    "Real mouse events along each stroke, a point every few pixels, at a hand's pace."
    for s in strokes:
        page.mouse.move(box['x'] + s[0][0], box['y'] + s[0][1])
        page.mouse.down()
        for (x0, y0), (x1, y1) in zip(s, s[1:]):
            n = max(1, int(math.hypot(x1 - x0, y1 - y0) // 4))
            for i in range(1, n + 1):
                page.mouse.move(box['x'] + x0 + (x1 - x0) * i / n, box['y'] + y0 + (y1 - y0) * i / n)
        page.mouse.up()

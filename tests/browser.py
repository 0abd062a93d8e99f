"What the browser tests share: Debian's chromium with the flags this sandbox needs, free ports, drawing with real mouse events."
import math, socket
from conftest import ROOT

CHROMIUM = '/usr/bin/chromium'
ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync']
RESULTS = ROOT/'tests'/'results'                     # screenshots and figures of this run (git-ignored)
MISSING = f'{CHROMIUM} is missing: `make install` installs Debian chromium (apt-get install -y chromium)'

def free_port() -> int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def draw(page, box, strokes):
    "Real mouse events along each stroke, a point every few pixels, at a hand's pace."
    for s in strokes:
        page.mouse.move(box['x'] + s[0][0], box['y'] + s[0][1]); page.mouse.down()
        for (x0, y0), (x1, y1) in zip(s, s[1:]):
            n = max(1, int(math.hypot(x1 - x0, y1 - y0) // 4))
            for i in range(1, n + 1):
                page.mouse.move(box['x'] + x0 + (x1 - x0) * i / n, box['y'] + y0 + (y1 - y0) * i / n)
        page.mouse.up()

"Single-stroke vector paths of the ten digits, as a person draws them, for driving the canvas with real mouse events."

import math


def _circle(cx, cy, rx, ry, a0=0, a1=360, n=24, cw=True):
    out = []
    for i in range(n + 1):
        a = math.radians(a0 + (a1 - a0) * i / n) * (1 if cw else -1)
        out.append((cx + rx * math.sin(a), cy - ry * math.cos(a)))
    return out


GLYPHS = {  # strokes in a box 0.6 wide, 1 high, y downwards
    '0': [_circle(0.3, 0.5, 0.27, 0.48)],
    '1': [[(0.25, 0.15), (0.4, 0.0), (0.4, 1.0)]],
    '2': [[(0.05, 0.22), (0.15, 0.05), (0.33, 0.0), (0.5, 0.08), (0.55, 0.27), (0.45, 0.47), (0.05, 1.0), (0.6, 1.0)]],
    '3': [
        [
            (0.05, 0.1),
            (0.25, 0.0),
            (0.48, 0.06),
            (0.52, 0.24),
            (0.3, 0.45),
            (0.54, 0.6),
            (0.56, 0.84),
            (0.32, 1.0),
            (0.04, 0.92),
        ]
    ],
    '4': [[(0.38, 0.0), (0.03, 0.65), (0.6, 0.65)], [(0.46, 0.3), (0.46, 1.0)]],
    '5': [
        [
            (0.55, 0.0),
            (0.12, 0.0),
            (0.06, 0.45),
            (0.3, 0.38),
            (0.52, 0.5),
            (0.56, 0.75),
            (0.4, 0.97),
            (0.15, 1.0),
            (0.02, 0.9),
        ]
    ],
    '6': [
        [
            (0.5, 0.02),
            (0.25, 0.2),
            (0.08, 0.55),
            (0.1, 0.85),
            (0.3, 1.0),
            (0.5, 0.9),
            (0.55, 0.7),
            (0.4, 0.55),
            (0.2, 0.55),
            (0.08, 0.7),
        ]
    ],
    '7': [[(0.0, 0.0), (0.6, 0.0), (0.22, 1.0)]],
    '8': [_circle(0.3, 0.25, 0.2, 0.23, 180, 540) + _circle(0.3, 0.73, 0.26, 0.26, 0, 360, cw=False)],
    '9': [_circle(0.3, 0.27, 0.24, 0.25, 90, 450, cw=False), [(0.54, 0.27), (0.46, 1.0)]],
}


def string_strokes(text, x0=40, y0=35, size=80, gap=18):
    "Strokes (lists of canvas points) that write `text` with digits `size` px high."
    strokes, x = [], x0
    for ch in text:
        for s in GLYPHS[ch]:
            strokes.append([(x + px * size, y0 + py * size) for px, py in s])
        x += 0.6 * size + gap
    return strokes

"""Proposes number boxes for the framing benchmark's crops, draws sheets to check them by eye and applies corrections.

The crops: 210 digit-only register crops of validation pages (random.Random(37).sample of the sorted eligible names) and
40 of the `cvl-strings` validation set (same seed). A proposal is the box around the ink (darker than the local paper by
more than 28) left after dropping long rules, the dark scan border, big or edge components and specks, grown from the
biggest component near the middle. Each sheet shows a crop at 1x beside its box's surroundings at 3x on a 10-px grid
labelled in the crop's pixels. A wrong box is corrected by a line `INDEX X0 Y0 X1 Y1 [snap|exact] ; NOTE` (or
`INDEX all`, `INDEX empty`) in a corrections file: `exact` takes the box as typed, `snap` (the default) the tight box of
the ink inside the region drawn by eye, which excludes the rules, marks and neighbours around the number. A line
`INDEX ; NOTE` only notes. benchmarks/framing_boxes.csv is `correct`'s output, checked again on fresh sheets.

Run: HDSR_REAL_DIR=/work/shared/real python tools/draw_boxes.py propose PROPOSED.csv
     HDSR_REAL_DIR=/work/shared/real python tools/draw_boxes.py sheets BOXES.csv SHEET_DIR [--per 8]
     HDSR_REAL_DIR=/work/shared/real python tools/draw_boxes.py correct PROPOSED.csv OUT.csv --fixes CORRECTIONS.txt
"""

from __future__ import annotations
import argparse, csv, random
from pathlib import Path
import cv2
import numpy as np
from PIL import Image, ImageDraw
from hdsr.core.config import get_config
from hdsr.data.validation import REGISTER, is_valid_page, register_page, validation_set

FIELDS = ['set', 'filename', 'label', 'x0', 'y0', 'x1', 'y1', 'note']


def crops() -> list[dict]:
    "The chosen crops: set, filename, label and path."
    reg = get_config().real_dir / REGISTER
    rows = list(csv.DictReader(open(reg / 'labels.csv', newline='')))
    labels = {r['filename']: r['label'] for r in rows}
    ok = sorted(f for f, lab in labels.items() if lab.isdigit() and is_valid_page(register_page(f)))
    out = [
        dict(set='register-valid', filename=f, label=labels[f], path=reg / f) for f in random.Random(37).sample(ok, 210)
    ]
    cvl = validation_set('cvl-strings')
    labels = {r['filename']: r['label'] for r in csv.DictReader(open(cvl / 'labels.csv', newline=''))}
    names = random.Random(37).sample(sorted(labels), 40)
    return out + [dict(set='cvl-strings', filename=f, label=labels[f], path=cvl / f) for f in names]


def propose(gray: np.ndarray) -> tuple[int, int, int, int] | None:
    "A box (x0, y0, x1, y1; x1, y1 exclusive) around the ink that is no rule, scan border, edge piece or speck."
    h, w = gray.shape
    paper = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, np.ones((21, 21), np.uint8))
    ink = ((paper.astype(int) - gray > 28) * 255).astype(np.uint8)
    dark = cv2.medianBlur(gray, 15) < 90  # the scan border and other solid dark regions
    lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((max(h // 3, 25), 1), np.uint8))
    lines |= cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, max(w // 2, 25)), np.uint8))
    ink = ink & ~cv2.dilate((dark * 255).astype(np.uint8) | lines, np.ones((7, 7), np.uint8))
    n, _, st, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    keep = []
    for x, y, bw, bh, a in st[1:]:
        edge = x == 0 or y == 0 or x + bw == w or y + bh == h
        if a < 12 or (edge and (bh > h / 3 or bw > w / 3 or a < 60)) or bh > 0.6 * h or bw > 0.9 * w:
            continue
        keep.append((x, y, x + bw, y + bh, a))
    if not keep:
        return None
    # grow from the biggest component (nearer the middle of the crop counting more) to those beside it
    big = max(keep, key=lambda k: k[4] * np.exp(-((((k[1] + k[3]) / 2 - 0.45 * h) / (0.3 * h)) ** 2)))
    box, grown = list(big[:4]), True
    while grown:
        grown = False
        for k in keep:
            near = k[0] < box[2] + 20 and k[2] > box[0] - 20 and k[1] < box[3] + 2 and k[3] > box[1] - 2
            inside = box[0] <= k[0] and box[1] <= k[1] and k[2] <= box[2] and k[3] <= box[3]
            if near and not inside and k[4] >= 25:
                box = [min(box[0], k[0]), min(box[1], k[1]), max(box[2], k[2]), max(box[3], k[3])]
                grown = True
    return tuple(int(v) for v in box)


def render(path: Path, box, title: str = '', zoom: int = 3, pad: int = 20) -> Image.Image:
    """The crop at 1x with `box` in red, beside the box's surroundings (`pad` px around it; the whole crop without a
    box) at `zoom`x with a grid every 10 px labelled in the crop's pixels."""
    im = Image.open(path).convert('RGB')
    w, h = im.size
    x0, y0, x1, y1 = box or (pad, pad, w - pad, h - pad)
    rx0, ry0, rx1, ry1 = max(0, x0 - pad), max(0, y0 - pad), min(w, x1 + pad), min(h, y1 + pad)
    z = 2 if box is None else zoom
    m = 24
    roi = im.crop((rx0, ry0, rx1, ry1)).resize(((rx1 - rx0) * z, (ry1 - ry0) * z), Image.NEAREST)
    out = Image.new('RGB', (w + 8 + m + roi.width + 4, max(h, m + roi.height) + 14), 'white')
    out.paste(im, (0, 0))
    ox = w + 8 + m
    out.paste(roi, (ox, m))
    d = ImageDraw.Draw(out, 'RGBA')
    for v in range(0, max(w, h) + 1, 10):
        col = (0, 90, 255, 90) if v % 50 else (0, 170, 0, 140)
        if rx0 <= v <= rx1:
            d.line([(ox + (v - rx0) * z, m - 4), (ox + (v - rx0) * z, m + roi.height)], fill=col)
            d.text((ox + (v - rx0) * z - 6, 2), str(v), fill='black')
        if ry0 <= v <= ry1:
            d.line([(ox - 4, m + (v - ry0) * z), (ox + roi.width, m + (v - ry0) * z)], fill=col)
            d.text((w + 8, m + (v - ry0) * z - 5), str(v), fill='black')
    if box:
        d.rectangle([x0 - 1, y0 - 1, x1, y1], outline=(255, 0, 0, 255))
        d.rectangle(
            [ox + (x0 - rx0) * z - 1, m + (y0 - ry0) * z - 1, ox + (x1 - rx0) * z, m + (y1 - ry0) * z],
            outline=(255, 0, 0, 255),
        )
    d.text((0, out.height - 12), title, fill='black')
    return out


def sheets(rows: list[dict], paths: dict, out: Path, per: int = 8, cols: int = 2):
    "Contact sheets of `per` crops each, numbered in the order of `rows`."
    out.mkdir(parents=True, exist_ok=True)
    for s in range(0, len(rows), per):
        tiles = []
        for i, r in enumerate(rows[s : s + per], s):
            box = tuple(int(r[k]) for k in FIELDS[3:7]) if r['x0'] != '' else None
            tiles.append(render(paths[r['set'], r['filename']], box, title=f"#{i} {r['label']} {box}"))
        rows_ = [tiles[j : j + cols] for j in range(0, len(tiles), cols)]
        tw = max(t.width for t in tiles) + 10
        sheet = Image.new('RGB', (tw * cols, sum(max(t.height for t in r) + 6 for r in rows_)), (200, 200, 200))
        y = 0
        for r in rows_:
            for j, t in enumerate(r):
                sheet.paste(t, (j * tw, y))
            y += max(t.height for t in r) + 6
        sheet.save(out / f'sheet_{s // per:03d}.png')


def snap(gray: np.ndarray, box) -> list[int]:
    "The tight box of the ink (darker than the paper by more than 30, long lines and specks left out) inside `box`."
    paper = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, np.ones((21, 21), np.uint8)).astype(int)
    ink = (((paper - gray) > 30) * 255).astype(np.uint8)
    ink &= ~(
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, 30), np.uint8))
        | cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((40, 1), np.uint8))
    )
    x0, y0, x1, y1 = box[0], box[1], min(box[2], gray.shape[1]), min(box[3], gray.shape[0])
    n, lab, st, _ = cv2.connectedComponentsWithStats((ink[y0:y1, x0:x1] > 0).astype(np.uint8), connectivity=8)
    ys, xs = np.nonzero(np.isin(lab, [k for k in range(1, n) if st[k, 4] >= 6]))
    return (
        [x0 + int(xs.min()), y0 + int(ys.min()), x0 + int(xs.max()) + 1, y0 + int(ys.max()) + 1]
        if len(xs)
        else [x0, y0, x1, y1]
    )


def correct(rows: list[dict], paths: dict, fixes: Path) -> list[dict]:
    "`rows` with the corrections in `fixes` applied, each note saying whether its box was corrected."
    todo = {}
    for line in open(fixes):
        body, _, note = line.partition(';')
        if body.strip() and not body.lstrip().startswith('#'):
            i, *rest = body.split()
            todo[int(i)] = rest, note.strip()
    out = []
    for i, r in enumerate(rows):
        rest, note = todo.get(i, ([], ''))
        r = dict(r, note='as proposed')
        if rest:
            box = None if rest == ['empty'] else [0, 0, 10**6, 10**6] if rest == ['all'] else [int(v) for v in rest[:4]]
            if box and rest[4:5] != ['exact']:
                box = snap(np.asarray(Image.open(paths[r['set'], r['filename']]).convert('L')), box)
            r.update(zip(FIELDS[3:7], box or [''] * 4), note='corrected')
        r['note'] += f'; {note}' if note else ''
        out.append(r)
    return out


def write(rows: list[dict], path: Path):
    with open(path, 'w', newline='') as f:
        wr = csv.DictWriter(f, fieldnames=FIELDS)
        wr.writeheader()
        wr.writerows({k: r[k] for k in FIELDS} for r in rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('what', choices=['propose', 'sheets', 'correct'])
    ap.add_argument('boxes', type=Path, help='the boxes CSV (written by propose, read by sheets and correct)')
    ap.add_argument('out', type=Path, nargs='?', help="the folder for the sheets, or correct's CSV")
    ap.add_argument('--per', type=int, default=8, help='crops per sheet')
    ap.add_argument('--fixes', type=Path, help='the corrections file, for correct')
    a = ap.parse_args()
    cs = crops()
    paths = {(c['set'], c['filename']): c['path'] for c in cs}
    if a.what == 'propose':
        boxes = [propose(np.asarray(Image.open(c['path']).convert('L'))) for c in cs]
        write([c | dict(zip(FIELDS[3:7], b or [''] * 4), note='') for c, b in zip(cs, boxes)], a.boxes)
        return
    rows = list(csv.DictReader(open(a.boxes, newline='')))
    if a.what == 'sheets':
        sheets(rows, paths, a.out, a.per)
    else:
        write(correct(rows, paths, a.fixes), a.out)


if __name__ == '__main__':
    main()

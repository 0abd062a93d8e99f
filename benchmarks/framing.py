"""Does pre-processing find the number? Four generations of the pre-processing, side by side.

The found box is `Normalized.box`, the ink pre-processing framed; it is found when its IoU with the number's true box is
at least 0.7. Two kinds of crop:
- synthetic table cells (`table_cell`) of held-out hands, one row per kind of clutter and one of mixed kinds, with the
  digits' exact box, saved as JPEG;
- real crops with number boxes drawn by hand (benchmarks/framing_boxes.csv: register validation pages, CVL strings).
Beside the share found: the median ink height of the model image (rows with ink over 0.35; training strings' is 17-28
px) and the exact matches of the shipped network on what each pre-processor hands it. The pre-processors: `none`, rules
and scan borders looked for only in large crops and the number found only in crops cut down to it (files without the
fields read so, `ADDED`); `rules`, rules and scan borders looked for in every crop; `clutter`, the number also found by
rules in every crop and ink that cannot be its left out (`clutter_out`); `finder`, `DEFAULTS`: the number finder's box
first (`number_box`, two looks), ink beyond it dropped.

`--heights` runs the earlier study instead: which ink height should re-framed strings be scaled to?

Run: python benchmarks/framing.py [--quick] [--heights]
"""

from __future__ import annotations
import argparse, csv, os
from dataclasses import replace
from pathlib import Path
import cv2
import numpy as np
import torch
from PIL import Image
from hdsr.data.documents import TABLE_CELL_KINDS, ink_columns, table_cell
from hdsr.data.folders import SourceMissing
from hdsr.data.synth import PRESETS, digit_splits, synthesize
from hdsr.data.validation import held_out_hands, validation_set
from hdsr.read.preprocess import ADDED, DEFAULTS, PreProcessor, box_iou
from hdsr.read.recognize import Recognizer
from hdsr.workflow.evaluate import FOUND_IOU, ink_height
from common import RESULTS, machine, write_results

BOXES = Path(__file__).parent / 'framing_boxes.csv'
PREPROCESSORS = {
    'none': replace(DEFAULTS, **ADDED),
    'rules': replace(DEFAULTS, **(ADDED | dict(rules=True, borders=True, small_part=0.25))),
    'clutter': replace(DEFAULTS, finder=''),
    'finder': DEFAULTS,
}
HEIGHTS = (20, 22, 24, 26)


def synthetic_cells(n: int, kind: str | None, seed: int) -> list[tuple[bytes, str, tuple]]:
    "`n` table cells of held-out hands as JPEG bytes, with label and box; `kind` None: kinds mixed."
    hands = [h for hs in held_out_hands().values() for h in hs]
    clutter = (np.stack(hands[-1][8][:300]) * 255).astype(np.uint8)
    rng, out = np.random.default_rng(seed), []
    for _ in range(n):
        hand = hands[rng.integers(len(hands))]
        label = ''.join(str(sorted(hand)[rng.integers(len(hand))]) for _ in range(int(rng.integers(1, 5))))
        glyphs = [ink_columns(hand[int(d)][rng.integers(len(hand[int(d)]))]) for d in label]
        img, box = table_cell(glyphs, rng, clutter, kind)
        rgb = (img * 255 + 0.5).astype(np.uint8)[..., ::-1]
        quality = int(rng.integers(35, 86) if kind == 'photo' else rng.integers(60, 95))
        out.append((cv2.imencode('.jpg', rgb, [cv2.IMWRITE_JPEG_QUALITY, quality])[1].tobytes(), label, box))
    return out


def real_crops(limit: int | None) -> dict[str, list[tuple[Path, str, tuple]]]:
    "The hand-boxed crops by set, as (path, label, box); a set whose data is absent is left out with a message."
    rows = list(csv.DictReader(BOXES.open()))
    out = {}
    for name in dict.fromkeys(r['set'] for r in rows):
        try:
            folder = validation_set(name)
        except SourceMissing as e:
            print(f'{name}: left out ({e})')
            continue
        box = lambda r: tuple(int(r[k]) for k in ('x0', 'y0', 'x1', 'y1'))
        out[name] = [(folder / r['filename'], r['label'], box(r)) for r in rows if r['set'] == name and r['x0']]
        out[name] = out[name][:limit]
    return out


def measure(rec: Recognizer, images: list, labels: list[str], boxes: list[tuple]) -> dict:
    "Each pre-processor's share of boxes found, median ink height and exact matches on `images`."
    row = dict(n=len(images))
    for name, pp in PREPROCESSORS.items():
        normed = pp.many(images)
        heights = [ink_height(n.image, pp.ink_level) for n in normed]
        preds = rec.recognize(normed, batch_size=128)
        row[name] = dict(
            found=round(float(np.mean([box_iou(n.box, b) >= FOUND_IOU for n, b in zip(normed, boxes)])), 4),
            ink_height=float(np.median(heights)),
            exact=round(float(np.mean([p.text == l for p, l in zip(preds, labels)])), 4),
        )
    return row


def boxes_study(a):
    load = os.getloadavg()
    n = 12 if a.quick else 200
    rec = Recognizer.from_pretrained(backend='torch', precision='fp32')
    rows = []
    for k, kind in enumerate((*TABLE_CELL_KINDS, None)):
        made = synthetic_cells(n, kind, seed=37 + k)
        rows.append(dict(crops='synthetic', kind=kind or 'mixed', **measure(rec, *map(list, zip(*made)))))
    for name, crops in real_crops(12 if a.quick else None).items():
        paths, labels, boxes = map(list, zip(*crops))
        rows.append(dict(crops='real', kind=name, **measure(rec, paths, labels, boxes)))
    synthetic = [r for r in rows if r['crops'] == 'synthetic']
    names = list(PREPROCESSORS)
    md = [
        '| crops | kind | n | '
        + ' | '.join(f'found {k}' for k in names)
        + ' | '
        + ' | '.join(f'ink height {k}' for k in names)
        + ' | '
        + ' | '.join(f'exact {k}' for k in names)
        + ' |',
        '|---' * (3 + 3 * len(names)) + '|',
    ]
    md += [
        f"| {r['crops']} | {r['kind']} | {r['n']} | "
        + ' | '.join(f"{r[k]['found']}" for k in names)
        + ' | '
        + ' | '.join(f"{r[k]['ink_height']:g}" for k in names)
        + ' | '
        + ' | '.join(f"{r[k]['exact']}" for k in names)
        + ' |'
        for r in rows
    ]
    mean = {k: round(float(np.mean([r[k]['found'] for r in synthetic])), 4) for k in PREPROCESSORS}
    md += [
        '',
        'Synthetic cells, mean share found over the kinds: ' + ', '.join(f'{k} {v}' for k, v in mean.items()) + '.',
    ]
    write_results(
        a.out,
        'Framing: is the number found?',
        f'\n\nFound: IoU of `Normalized.box` with the true number box >= {FOUND_IOU}. Ink height: median rows from '
        'the top to the bottom of the ink in the model image (px). Exact: the shipped network (torch fp32) on what '
        'each pre-processor hands it. none: rules and scan borders looked for only in large crops, the number found '
        'only in crops cut down to it (`ADDED`); rules: rules and scan borders looked for in every crop; clutter: '
        'the number found by rules in every crop and what cannot be its left out; finder: `DEFAULTS`, the number '
        "finder's box first (a second look at a window around it), ink beyond it dropped, the box found never beyond "
        'it by more than its margin.',
        '\n'.join(md),
        machine=machine(torch.device('cpu'), load),
        results=rows,
        mean_found=mean,
    )
    print('\n'.join(md))


def scaled(a: np.ndarray, k: float) -> np.ndarray:
    return np.asarray(Image.fromarray(a).resize((round(a.shape[1] * k), round(a.shape[0] * k)), Image.BICUBIC))


def heights_study(a):
    load = os.getloadavg()
    n = 20 if a.quick else 400
    rec, digits, rows = Recognizer.from_pretrained(backend='torch', precision='fp32'), digit_splits()['test'], []
    for preset in ('seed', 'drawn', 'scanned'):
        b = synthesize(digits, n, PRESETS[preset], generator=11)
        arrays = [(im[0, :, : int(w)] * 255).byte().numpy() for im, w in zip(b.images, b.widths)]
        exact = lambda preds: round(float(np.mean([p.text == l for p, l in zip(preds, b.labels)])), 4)
        forms = {
            '0.6x, 20-px margin': [scaled(np.pad(x, 20), 0.6) for x in arrays],
            '2x dark on light, 30-px margin': [255 - scaled(np.pad(x, 30), 2) for x in arrays],
        }
        base = exact(rec.recognize(arrays, batch_size=256))
        for form, inputs in forms.items():
            row = dict(preset=preset, form=form, as_made=base)
            for h in HEIGHTS:
                row[f'ink_{h}'] = exact(rec.recognize(PreProcessor(ink_height=h).many(inputs), batch_size=256))
            rows.append(row)
    md = [
        '| preset | input | as made (32 px) | ' + ' | '.join(f'ink {h} px' for h in HEIGHTS) + ' |',
        '|---' * (3 + len(HEIGHTS)) + '|',
    ]
    md += [
        f"| {r['preset']} | {r['form']} | {r['as_made']} | " + ' | '.join(str(r[f'ink_{h}']) for h in HEIGHTS) + ' |'
        for r in rows
    ]
    mean = {h: round(float(np.mean([r[f'ink_{h}'] for r in rows])), 4) for h in HEIGHTS}
    md += [
        '',
        'Mean over the rows: '
        + ', '.join(f'{h} px {v}' for h, v in mean.items())
        + f'. hdsr uses PreProcessor.ink_height = {DEFAULTS.ink_height}.',
    ]
    write_results(
        a.out,
        'Framing height',
        f'\n\nExact matches of {n} test strings per preset, shipped model, fp32.',
        '\n'.join(md),
        machine=machine(torch.device('cpu'), load),
        results=rows,
        mean=mean,
        ink_height=DEFAULTS.ink_height,
    )
    print('\n'.join(md))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--quick', action='store_true', help='tiny sizes, to check that the benchmark runs')
    ap.add_argument('--heights', action='store_true', help='the ink-height study instead')
    ap.add_argument('--out', help='results path without suffix (default: results/framing or framing_heights)')
    a = ap.parse_args()
    a.out = a.out or RESULTS / ('framing_heights' if a.heights else 'framing')
    (heights_study if a.heights else boxes_study)(a)


if __name__ == '__main__':
    main()

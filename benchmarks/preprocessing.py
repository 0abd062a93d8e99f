"""Which ink map and which stroke measure pre-processing uses: candidates read by the shipped network on the validation
sets, in one run.

Each candidate reads every image of each validation set here by path, as `hdsr-eval` does (torch fp32, the same on every
CPU), with its test-time variants. The learnt confidence is fitted on the candidate's own readings, as
tools/fit_confidence.py fits the shipped one, so that no candidate is judged by a confidence fitted to another's
readings: read rates at 1 % error are given fitted on the other sets and scored on each (leave one set out), and fitted
on all of them (in-sample, as shipped).

- today: one `ink_map` (on crops of documents its own brightening rule); strokes set to the model's width by their
  median run length across rows and columns (`_run_width`), documents cleaned at the distance transform's
  `stroke_width`.
- ink maps: the plain crops' brightening rule everywhere; the documents' rule everywhere; documents without the cut of
  mush (the rule before the two ink maps became one).
- one stroke measure for both jobs: the distance transform's median; run lengths; the distance transform's mean
  (4 mean - 2).

Also each measure's bias on strokes drawn at a known width (ink area over the length of the same strokes drawn 1 px
wide).

Run: python benchmarks/preprocessing.py [--quick]
"""

from __future__ import annotations
import argparse, contextlib, dataclasses, os, time
import cv2
import numpy as np
import torch
import hdsr.read.preprocess as P
from hdsr.data.folders import read_labelled
from hdsr.data.validation import validation_sets
from hdsr.read.confidence import ConfidenceModel, confidence_features
from hdsr.read.recognize import Recognizer, read_variants
from hdsr.workflow.evaluate import read_rate
from common import RESULTS, machine, write_results

TODAY = dict(brighten=P._brighten, stroke_width=P.stroke_width, run_width=P._run_width)
NAMES = dict(brighten='_brighten', stroke_width='stroke_width', run_width='_run_width')  # in hdsr.read.preprocess


def mean_distance_width(mask: np.ndarray) -> float:
    "4 x the mean distance of an ink pixel to the background, - 2: a band w px wide has mean distance near w/4 + 1/2."
    if not mask.any():
        return 0.0
    return float(4 * cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2, 5)[mask].mean() - 2)


CANDIDATES = {
    'today: one ink map; run lengths to set strokes, distance transform to clean': {},
    'ink: the plain rule everywhere': dict(brighten=lambda x, pp, document: TODAY['brighten'](x, pp, False)),
    "ink: the documents' rule everywhere": dict(brighten=lambda x, pp, document: TODAY['brighten'](x, pp, True)),
    'ink: documents without the mush cut (before)': dict(
        brighten=lambda x, pp, document: TODAY['brighten'](
            x, dataclasses.replace(pp, mush=1.0) if document else pp, document
        )
    ),
    'one stroke measure: distance transform, median': dict(run_width=TODAY['stroke_width']),
    'one stroke measure: run lengths': dict(stroke_width=TODAY['run_width']),
    'one stroke measure: distance transform, mean': dict(
        stroke_width=mean_distance_width, run_width=mean_distance_width
    ),
}


@contextlib.contextmanager
def patched(parts: dict):
    "Pre-processing with the candidate's parts in place of today's."
    for k, f in {**TODAY, **parts}.items():
        setattr(P, NAMES[k], f)
    try:
        yield
    finally:
        for k, f in TODAY.items():
            setattr(P, NAMES[k], f)


def readings(rec: Recognizer, sets: dict) -> dict:
    "Per set: whether each reading is right, and its confidence features (None for a reading of nothing)."
    out = {}
    with rec.raw_confidence():
        for name, lf in sets.items():
            normed = rec.prepare(lf.paths)
            preds = rec.recognize(normed)
            texts = {i: p.text for i, p in enumerate(preds) if p.text}
            figures = dict(zip(texts, read_variants(rec.backend, [normed[i] for i in texts], list(texts.values()))))
            feats = [
                confidence_features(p.confidence, p.text, n, figures[i]) if i in texts else None
                for i, (p, n) in enumerate(zip(preds, normed))
            ]
            out[name] = dict(right=[p.text == label for p, label in zip(preds, lf.labels)], features=feats)
    return out


def rates(data: dict, fit_on) -> dict:
    """Read rate at 1 % error of each set, by a confidence fitted on the sets `fit_on(set)` names (a reading of nothing
    last)."""
    out = {}
    for name, d in data.items():
        train = [(f, r) for s in fit_on(name) for f, r in zip(data[s]['features'], data[s]['right']) if f]
        model = ConfidenceModel.fit([f for f, _ in train], [r for _, r in train])
        z = [
            model.bias + sum(w * f[k] for w, k in zip(model.weights, model.features)) if f else -np.inf
            for f in d['features']
        ]
        out[name] = round(read_rate(z, d['right'])[0], 4)
    return out


def stroke_bias(widths=(1, 2, 3, 4, 6, 8, 12), n: int = 20) -> list[dict]:
    "Each measure over the true width, median over `n` drawings of arcs and lines drawn (anti-aliased) at each width."
    rng = np.random.default_rng(0)
    measures = dict(distance_median=TODAY['stroke_width'], distance_mean=mean_distance_width, runs=TODAY['run_width'])
    rows = []
    for t in widths:
        ratios = {k: [] for k in measures}
        for _ in range(n):
            shapes = [
                (
                    (int(rng.integers(60, 420)), int(rng.integers(50, 110))),
                    (int(rng.integers(15, 40)), int(rng.integers(25, 50))),
                    float(rng.uniform(0, 180)),
                    int(rng.integers(120, 360)),
                )
                for _ in range(4)
            ]

            def draw(thickness, kind):
                img = np.zeros((160, 480), np.uint8)
                for centre, axes, angle, end in shapes:
                    cv2.ellipse(img, centre, axes, angle, 0, end, 255, thickness, kind)
                return img > 0.35 * 255

            mask, centre_line = draw(t, cv2.LINE_AA), draw(1, cv2.LINE_8)
            true = mask.sum() / centre_line.sum()
            for k, f in measures.items():
                ratios[k].append(f(mask) / true)
        rows.append(dict(width=t, **{k: round(float(np.median(v)), 2) for k, v in ratios.items()}))
    return rows


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--quick', action='store_true', help='the first 40 images of each set and two candidates')
    p.add_argument('--out', default=str(RESULTS / 'preprocessing'), help='path stem of the .json and .md results')
    a = p.parse_args()
    load = os.getloadavg()
    torch.set_num_threads(os.cpu_count())
    rec = Recognizer.from_pretrained('torch', precision='fp32')
    sets = {k: read_labelled(v, warn=False) for k, v in validation_sets(quiet=False).items()}
    if a.quick:
        sets = {k: lf.first(40) for k, lf in sets.items()}
    cands = dict(list(CANDIDATES.items())[:2]) if a.quick else CANDIDATES
    results, t0 = {}, time.perf_counter()
    for name, parts in cands.items():
        with patched(parts):
            data = readings(rec, sets)
        results[name] = dict(
            exact={s: round(float(np.mean(d['right'])), 4) for s, d in data.items()},
            read_1_other_sets=rates(data, lambda s: [o for o in data if o != s]) if len(data) > 1 else None,
            read_1_all_sets=rates(data, lambda s: list(data)),
        )
        print(name, results[name], flush=True)
    names = list(sets)
    md = ['| candidate | ' + ' | '.join(names) + ' | mean |', '|---|' + '---|' * (len(names) + 1)]
    for key, what in (
        ('exact', 'exact'),
        ('read_1_other_sets', 'read rate at 1 % error, fitted on the other sets'),
        ('read_1_all_sets', 'read rate at 1 % error, fitted on all sets (as shipped)'),
    ):
        md.append(f'| **{what}** |' + ' |' * (len(names) + 1))
        for c, r in results.items():
            if r[key] is not None:
                v = [r[key][s] for s in names]
                md.append(f'| {c} | ' + ' | '.join(f'{x:.3f}' for x in v) + f' | {np.mean(v):.3f} |')
    bias = stroke_bias(widths=(2, 6) if a.quick else (1, 2, 3, 4, 6, 8, 12), n=3 if a.quick else 20)
    md += [
        '',
        'Each stroke measure over the true width (median over drawings):',
        '',
        '| width px | distance transform, median | distance transform, mean | run lengths |',
        '|---|---|---|---|',
    ]
    md += [f"| {b['width']} | {b['distance_median']} | {b['distance_mean']} | {b['runs']} |" for b in bias]
    where = machine(torch.device('cpu'), load)
    note = (
        f'\n\n{where["cpu"]}, {where["torch_threads"]} torch threads, {time.perf_counter() - t0:.0f} s; the shipped '
        f'network, torch fp32, test-time variants on; sets: '
        + ', '.join(f'{k} ({len(v)})' for k, v in sets.items())
        + '. A confidence is fitted per candidate on its own readings (features of `hdsr.read.confidence`).'
    )
    write_results(
        a.out,
        'Ink maps and stroke measures',
        note,
        '\n'.join(md),
        machine=where,
        results=results,
        stroke_bias=bias,
        sets={k: len(v) for k, v in sets.items()},
    )
    print('\n'.join(md))


if __name__ == '__main__':
    main()

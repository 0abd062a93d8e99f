"""The shipped model's calibration on document crops (the `document_calibration` its weights carry), checked by
cross-fitting on the register validation pages.

The register's training pages are in the default model's training data, so a calibration fitted there would learn how
sure the model is on crops it has seen. It is fitted on the validation pages instead (`tools/ship_weights.py` does,
with `hdsr.workflow.evaluate.fit_calibration`), and this benchmark says how much that flatters it: the pages are
split in two halves, each half is scored with the calibration fitted on the other (cross-fitting), and the rows compare
raw p(text | image), cross-fitted and shipped confidences. Crops are read by path, as published; only those that
pre-processing cleans as documents (`Normalized.document`) are recalibrated, as `Recognizer` does. Needs the real data
(`real_dir`); without it, says so and exits.

Run: python benchmarks/calibration.py [--weights runs/NAME/weights.pt] [--quick]
"""

from __future__ import annotations
import argparse, os, sys
import numpy as np
import torch
from hdsr.data.folders import SourceMissing, read_labelled
from hdsr.data.validation import register_page, validation_set
from hdsr.workflow.evaluate import read_metrics
from hdsr.read.preprocess import normalize
from hdsr.read.confidence import Calibration
from hdsr.read.recognize import Recognizer
from common import RESULTS, machine, write_results


def read_crops(recognizer: Recognizer, paths: list[str], labels: list[str]) -> dict:
    "Raw confidences, texts and whether each crop was cleaned as a document."
    normed = [normalize(p) for p in paths]
    with recognizer.raw_confidence():
        preds = recognizer.recognize(normed, batch_size=256)
    return dict(
        labels=labels,
        texts=[p.text for p in preds],
        raw=[p.confidence for p in preds],
        document=[n.document for n in normed],
    )


def calibrated(read: dict, calibration: Calibration | None, idx) -> list[float]:
    return [
        calibration(read['raw'][i]) if calibration and read['document'][i] and read['raw'][i] > 0 else read['raw'][i]
        for i in idx
    ]


def scores(read: dict, confidences: list[float], idx) -> dict:
    """read_metrics, and the log loss of the confidences as probabilities of a right reading (what Platt scaling
    minimises)."""
    labels, texts = [read['labels'][i] for i in idx], [read['texts'][i] for i in idx]
    m = read_metrics(labels, texts, confidences)
    p = np.clip(confidences, 1e-6, 1 - 1e-6)
    right = np.array([t == l for t, l in zip(texts, labels)])
    return {
        **{k: round(m[k], 4) for k in ('n', 'exact', 'exact_kept_90', 'wrong_sure', 'ece')},
        'log_loss': round(float(-np.mean(np.where(right, np.log(p), np.log(1 - p)))), 4),
    }


def fit_on(read: dict, idx) -> Calibration:
    docs = [i for i in idx if read['document'][i]]
    return Calibration.fit([read['raw'][i] for i in docs], [read['texts'][i] == read['labels'][i] for i in docs])


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--weights', help='a weights file to check instead of the shipped model')
    p.add_argument('--quick', action='store_true', help='every 10th crop: a smoke test')
    p.add_argument('--out', default=str(RESULTS / 'calibration'), help='path stem of the .json and .md results')
    args = p.parse_args()
    try:
        folder = read_labelled(validation_set('register-valid'))
    except SourceMissing as e:
        sys.exit(f'calibration: {e}')
    load = os.getloadavg()
    fp32 = dict(precision='fp32')  # the same figures on every CPU
    model = (
        Recognizer.from_weights(args.weights, **fp32)
        if args.weights
        else Recognizer.from_pretrained(backend='torch', **fp32)
    )
    items = folder.items[::10] if args.quick else folder.items
    read = read_crops(model, [str(path) for path, _ in items], [label for _, label in items])
    pages = sorted({register_page(path.name) for path, _ in items})
    half = {page: k % 2 for k, page in enumerate(pages)}
    sides = [[i for i, (path, _) in enumerate(items) if half[register_page(path.name)] == s] for s in (0, 1)]
    everything = range(len(items))
    crossed = [0.0] * len(items)
    for s in (0, 1):
        fitted = fit_on(read, sides[1 - s])
        for i, c in zip(sides[s], calibrated(read, fitted, sides[s])):
            crossed[i] = c
    on_all, shipped = fit_on(read, everything), model.document_calibration
    results = dict(
        raw=scores(read, read['raw'], everything),
        cross_fitted=scores(read, crossed, everything),
        fitted_on_all=scores(read, calibrated(read, on_all, everything), everything),
    )
    if shipped:
        results['shipped'] = scores(read, calibrated(read, shipped, everything), everything)
    names = dict(
        raw='raw p(text | image)',
        cross_fitted='cross-fitted: each half of the pages by the fit on the other',
        fitted_on_all=f'fitted on all pages: {on_all}',
        shipped=f'the weights\' own: {shipped}',
    )
    head = (
        '| confidence on the register validation pages | n | exact | exact, 10 % least confident refused '
        '| wrong with confidence >= 0.9 | ECE | log loss |'
    )
    rows = [
        f"| {names[k]} | {m['n']} | {m['exact']:.3f} | {m['exact_kept_90']:.3f} | {m['wrong_sure']:.3f} | "
        f"{m['ece']:.3f} "
        f"| {m['log_loss']:.3f} |"
        for k, m in results.items()
    ]
    md = '\n'.join([head, '|---|---|---|---|---|---|---|', *rows])
    note = (
        f"\n\nModel: {args.weights or 'the shipped default'} (`{model.meta.get('command', '?')}`). {len(items):,} "
        "crops of "
        f"{len(pages)} validation pages, {sum(read['document']):,} of them cleaned as documents; the pages split in "
        "two "
        f"halves of {len(sides[0]):,} and {len(sides[1]):,} crops. Readings are the same in every row; only "
        "confidences differ."
    )
    write_results(
        args.out,
        'Calibration of document crops',
        note,
        md,
        machine=machine(torch.device('cpu'), load),
        weights=args.weights or 'shipped',
        fitted_on_all=dict(a=on_all.a, b=on_all.b),
        shipped=dict(a=shipped.a, b=shipped.b) if shipped else None,
        results=results,
    )
    print(md)


if __name__ == '__main__':
    main()

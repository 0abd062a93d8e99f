"""Accuracy of the shipped default model beside the first default (MNIST strings only, hdsr/weights/mnist.pt), the
previous default (--previous: its weights file, as the release before shipped it) and, optionally, crnn_seed trained by
the reference recipe for the same wall-clock budget, in the same run.

MNIST test sets (2,000 strings each, fixed seed, only MNIST test digits): `seed` (<= 5 digits, overlap 0-0.4, 32x140),
`long` (6-12 digits, overlap 0-0.3, natural width), `drawn` (1-8 digits drawn as on a canvas) and `scanned` (1-8 digits
styled as ballpoint handwriting on paper). Both CERs and exact-string accuracy.
Real validation sets (hdsr.data.validation, read as image files through the front end, as `hdsr-eval` reads them):
every set of `VALIDATION_SETS` (held-out register pages, strings of CVL `valid` writers, synthetic form fields, cheque
amounts and phone photos of logbook cells by held-out hands, strings of ARDIS `valid` digits); those whose source is
absent are skipped with a message. Exact, read rate at 1 % error, wrong with confidence >= 0.9, CER.
The reference model (--reference) trains by nbs/experiments/reference.yaml for as long as the shipped model trained
(its model card records it), unless --budget-s says otherwise.

Run: python benchmarks/accuracy.py [--previous WEIGHTS] [--reference] [--budget-s S] [--size 2000] [--device cpu]
[--quick]
"""

from __future__ import annotations
import argparse, os, tempfile, time
import torch
from hdsr.workflow.evaluate import validation_metrics
from hdsr.model.weights import MNIST_WEIGHTS
from hdsr.read.recognize import Recognizer
from hdsr.data.synth import digit_splits
from hdsr.workflow.train import fit, score_sets
from common import RESULTS, machine, write_results
from recipes import recipe, test_sets, TEST_SETS

TARGETS = dict(
    seed='per-sample CER <= 0.004, CER <= 0.004, exact >= 0.985', long='CER <= 0.008', drawn='CER <= 0.03', scanned='-'
)


def train_reference(digits, budget_s: float, device: str, quick: bool):
    """crnn_seed by the reference recipe, trained for `budget_s` seconds of wall clock; returns the model and what it
    did."""
    shrink = dict(train_size=256, val_size=64, epochs=1) if quick else {}
    cfg = recipe('reference', device=device, max_minutes=budget_s / 60, **shrink)
    t = time.perf_counter()
    with tempfile.TemporaryDirectory() as d:
        module, trainer, _ = fit(cfg, d, digits=digits, progress=False, enable_model_summary=False)
    return module.model, dict(
        train_s=round(time.perf_counter() - t, 1),
        steps=trainer.global_step,
        strings=trainer.global_step * cfg.batch_size,
        epochs=trainer.current_epoch,
    )


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument(
        '--reference',
        action='store_true',
        help='also train crnn_seed by the reference recipe (as long as the shipped model trained)',
    )
    p.add_argument(
        '--budget-s',
        type=float,
        default=None,
        help="the reference's training budget (default: the shipped model's training time)",
    )
    p.add_argument('--previous', default=None, help='the weights file of the previous default, read beside it')
    p.add_argument('--size', type=int, default=2000, help='strings per MNIST test set')
    p.add_argument('--device', default='cpu')
    p.add_argument('--quick', action='store_true', help='small sets and a few reference steps, for a smoke test')
    p.add_argument('--out', default=str(RESULTS / 'accuracy'), help='path stem of the .json and .md results')
    args = p.parse_args()
    load, size = os.getloadavg(), 100 if args.quick else args.size
    digits = digit_splits()
    sets = test_sets(digits['test'], size)
    models = dict(
        shipped=Recognizer.from_pretrained(backend='torch', precision='fp32'),
        # fp32: the same figures on every CPU
        mnist=Recognizer.from_weights(MNIST_WEIGHTS, precision='fp32'),
    )
    if args.previous:
        models['previous'] = Recognizer.from_weights(args.previous, precision='fp32')
    meta = models['shipped'].meta
    results = {name: score_sets(r.model, sets, args.device) for name, r in models.items()}
    real = {
        name: validation_metrics(r, limit=60 if args.quick else None, quiet=name != 'shipped')
        for name, r in models.items()
    }
    budget = args.budget_s or (20 if args.quick else meta['train_time_s'])
    reference = None
    if args.reference:
        model, reference = train_reference(digits, budget, args.device, args.quick)
        results['reference'] = score_sets(model, sets, args.device)
    cols = list(results)
    head = (
        '| MNIST test set | ' + ' | '.join(f'{c}: per-sample CER / CER / exact' for c in cols) + ' | target (shipped) |'
    )
    rows = [
        f"| {n} | "
        + ' | '.join(
            f"{results[c][n]['per_sample_cer']:.4f} / {results[c][n]['cer']:.4f} / {results[c][n]['exact']:.4f}"
            for c in cols
        )
        + f' | {TARGETS[n]} |'
        for n in TEST_SETS
    ]
    md = '\n'.join([head, '|---' * (len(cols) + 2) + '|', *rows])
    if real['shipped']:
        head = (
            '| real validation set | n | '
            + ' | '.join(f'{c}: exact / read at 1 % error / wrong & sure / CER' for c in real)
            + ' |'
        )
        rows = [
            f"| {n} | {m['n']:,} | "
            + ' | '.join(
                f"{real[c][n]['exact']:.3f} / {real[c][n]['read_1']:.3f} / {real[c][n]['wrong_sure']:.3f} / "
                f"{real[c][n]['cer']:.3f}"
                for c in real
            )
            + ' |'
            for n, m in real['shipped'].items()
        ]
        md += '\n\n' + '\n'.join([head, '|---' * (len(real) + 2) + '|', *rows])
    note = (
        f"\n\nEach MNIST test set: {size:,} strings of MNIST test digits. shipped: `{meta.get('arch', '?')}`, "
        f"{meta.get('parameters', 0):,} parameters, trained {meta.get('train_time_s', float('nan')) / 60:.1f} min on "
        f"{meta.get('device', '?')} by `{meta.get('command', '?')}`. mnist: the first default, trained on MNIST "
        "strings only "
        f"by `{models['mnist'].meta.get('command', '?')}`. Real sets: every image, read by path with each model's own "
        "document calibration and confidence."
    )
    if args.previous:
        previous = models['previous'].meta
        note += (
            f" previous: the default before, `{previous.get('arch', '?')}` trained by `{previous.get('command', '?')}`."
        )
    if reference:
        note += (
            f" reference: crnn_seed by nbs/experiments/reference.yaml, trained here for {budget / 60:.1f} min "
            f"({reference['steps']:,} steps, {reference['strings']:,} strings) on {args.device}."
        )
    write_results(
        args.out,
        'Accuracy: the shipped model beside the first and the previous default',
        note,
        md,
        machine=machine(torch.device(args.device), load),
        test_size=size,
        shipped=dict(meta=meta),
        mnist=dict(meta=models['mnist'].meta),
        previous=dict(meta=models['previous'].meta) if args.previous else None,
        reference=reference,
        results=results,
        real=real,
    )
    print(md)


if __name__ == '__main__':
    main()

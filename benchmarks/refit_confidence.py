"""How to refit a fine-tuned model's confidence on the few held-out images a user has: candidates fitted on n held-out
readings of a `make finetune` run and scored on its other held-out readings, by log loss, calibration error, read rate
at 1 % error and readings wrong with confidence >= 0.9.

A fine-tuned network is surer than the base's confidence was fitted for (nbs/experiments/finetune.ipynb). Each run's
held-out images (the calibration and scoring parts of its `split.csv`) are read once by its network with the raw p and
the test-time variants (`hdsr.workflow.evaluate.reading_features`); then, `--draws` times for each n of `--sizes`, n
readings drawn at random fit each candidate and the rest score it. The candidates, all on the base's confidence with
variants (the one `recognize` uses):

- the base's confidence as it ships, unrefitted;
- Platt scaling of its logit, sigmoid(a * z + b) (`Calibration.fit`), without a prior and with a Gaussian prior of
  precision 2, 5, 10 or 20 towards the identity (what `hdsr.workflow.evaluate.refit_confidence` does, precision 5);
- every weight refitted (`ConfidenceModel.fit`, its L2 penalty 1 towards 0), and the same with an L2 penalty of 10
  towards the base's weights (standardised features, the bias free).

The base network's readings with the base's confidence are scored too, on all held-out readings, for reference.

Run: python benchmarks/refit_confidence.py RUN [RUN ...] [--sizes 25,50,100,200,400] [--draws 40]

The results/ figures are of three runs, each 300 steps on 300 images (`hdsr-run nbs/experiments/finetune.ipynb --params
nbs/experiments/finetune.yaml --name NAME --set 'limit=300,valid_limit=0,steps=300,...'`): photo1600-300, with
`data=[FOLDER],valid_fraction=0.8` on 1,600 more cells of the `photo-cells` renderer (written into FOLDER by
`hdsr.data.validation._build_made('photo-cells', 1600, 99, None)(FOLDER)`: the set's hands, another seed);
register-valid-300, `data=[register-valid],valid_fraction=0.5`; photo-cells-300,
`data=[photo-cells],valid_fraction=0.4`.
"""

from __future__ import annotations
import argparse, csv, os, warnings
from pathlib import Path
import numpy as np
import torch
from hdsr.data.folders import LabelledFolder
from hdsr.model.weights import MNIST_WEIGHTS, PRETRAINED
from hdsr.read.confidence import Calibration, ConfidenceModel
from hdsr.read.recognize import Recognizer
from hdsr.workflow.evaluate import read_rate, reading_features
from hdsr.workflow.train import resolve_init
from common import RESULTS, machine, write_results

PRIORS = (0, 2, 5, 10, 20)


def logits(m: ConfidenceModel, features: list[dict]) -> np.ndarray:
    return np.array([m.bias + sum(w * f[k] for w, k in zip(m.weights, m.features)) for f in features])


def platt(m: ConfidenceModel, features, right, prior: float) -> ConfidenceModel:
    c = Calibration.fit(1 / (1 + np.exp(-logits(m, features))), right, prior=prior)
    return ConfidenceModel(tuple(c.a * w for w in m.weights), c.a * m.bias + c.b, m.features)


def towards(m: ConfidenceModel, features, right, l2: float = 10.0, steps: int = 50) -> ConfidenceModel:
    "Every weight refitted, by Newton's method on standardised features, with an L2 penalty towards `m`'s weights."
    X, y = np.array([[f[k] for k in m.features] for f in features]), np.asarray(right, np.float64)
    mu, sd = X.mean(0), X.std(0)
    sd[sd == 0] = 1.0
    Z = np.c_[(X - mu) / sd, np.ones(len(X))]
    start = np.r_[np.array(m.weights) * sd, m.bias + np.array(m.weights) @ mu]
    w, penalty = start.copy(), np.diag([l2] * X.shape[1] + [0.0])
    for _ in range(steps):
        q = 1 / (1 + np.exp(-Z @ w))
        w -= np.linalg.solve(Z.T @ (Z * (q * (1 - q))[:, None]) + penalty, Z.T @ (q - y) + penalty @ (w - start))
    weights = w[:-1] / sd
    return ConfidenceModel(tuple(weights), float(w[-1] - weights @ mu), m.features)


def figures(conf: np.ndarray, right: np.ndarray) -> dict:
    "Log loss, ECE (10 bins), read rate at 1 % error and wrong with confidence >= 0.9, over these readings."
    c = np.clip(conf, 1e-6, 1 - 1e-6)
    bins = np.minimum((c * 10).astype(int), 9)
    ece = sum(abs(c[bins == b].mean() - right[bins == b].mean()) * (bins == b).sum() for b in set(bins)) / len(c)
    return dict(
        log_loss=float(-np.mean(np.where(right, np.log(c), np.log(1 - c)))),
        ece=float(ece),
        read_1=read_rate(c.tolist(), right.tolist())[0],
        wrong_sure=float(np.mean(~right & (c >= 0.9))),
    )


def held_out(run: Path) -> LabelledFolder:
    rows = [r for r in csv.DictReader(open(run / 'split.csv')) if r['part'] != 'train']
    return LabelledFolder(Path('/'), run / 'split.csv', [(Path(r['path']), r['label']) for r in rows], {})


def study(run: Path, sizes: list[int], draws: int) -> dict:
    tuned = Recognizer.from_weights(run / 'weights.pt')
    init = resolve_init(tuned.meta['base'])
    base = Recognizer.load({'pretrained': PRETRAINED, 'mnist': MNIST_WEIGHTS}.get(init, init))
    shipped = base.confidence.variants_confidence_model
    if shipped is None:
        raise SystemExit(f'{run}: its base has no learnt confidence with variants to refit')
    lf = held_out(run)
    features, right = reading_features(tuned, lf, variants=True)
    base_features, base_right = reading_features(base, lf, variants=True)
    right = np.array(right)
    out = dict(
        images=len(lf),
        readings=len(right),
        right=int(right.sum()),
        base_readings=len(base_right),
        base_right=int(sum(base_right)),
        base_network=figures(1 / (1 + np.exp(-logits(shipped, base_features))), np.array(base_right)),
        sizes={},
    )
    rng = np.random.default_rng(0)
    for n in [n for n in sizes if n < len(right)]:
        scores = {}
        for _ in range(draws):
            order = rng.permutation(len(right))
            fit_ix, test_ix = order[:n], order[n:]
            fit_f, fit_y = [features[i] for i in fit_ix], right[fit_ix]
            candidates = {'base, unrefitted': shipped}
            if 0 < fit_y.sum() < len(fit_y):  # the refits need right and wrong readings
                candidates |= {f'Platt, prior {p}': platt(shipped, fit_f, fit_y, p) for p in PRIORS}
                candidates['all weights, L2 1 towards 0'] = ConfidenceModel.fit(fit_f, fit_y)
                candidates["all weights, L2 10 towards the base's"] = towards(shipped, fit_f, fit_y)
            test_f = [features[i] for i in test_ix]
            for name, m in candidates.items():
                scores.setdefault(name, []).append(figures(1 / (1 + np.exp(-logits(m, test_f))), right[test_ix]))
        out['sizes'][n] = {
            name: {k: float(np.mean([s[k] for s in v])) for k in v[0]} | dict(draws=len(v))
            for name, v in scores.items()
        }
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('runs', nargs='+', help='finished `make finetune` runs (their weights.pt and split.csv)')
    p.add_argument('--sizes', default='25,50,100,200,400', help='numbers of readings to fit on')
    p.add_argument('--draws', type=int, default=40)
    p.add_argument('--out', default=str(RESULTS / 'refit_confidence'), help='path stem of the .json and .md results')
    a = p.parse_args()
    load = os.getloadavg()
    warnings.simplefilter('ignore', RuntimeWarning)  # exp overflow of a runaway prior-free fit: its figures show it
    sizes = [int(s) for s in a.sizes.split(',')]
    results = {Path(r).name: study(Path(r), sizes, a.draws) for r in a.runs}
    md = []
    for name, r in results.items():
        b = r['base_network']
        md += [
            f"**{name}**: {r['images']:,} held-out images; the fine-tuned network reads {r['readings']:,} "
            f"({r['right']:,} right), the base network {r['base_readings']:,} ({r['base_right']:,} right), with the "
            f"base's confidence log loss {b['log_loss']:.3f}, ECE {b['ece']:.3f}, read rate at 1 % error "
            f"{b['read_1']:.3f}, wrong and sure {b['wrong_sure']:.3f}.",
            '',
            '| fitted on | confidence | log loss | ECE | read rate at 1 % error | wrong with confidence >= 0.9 |',
            '|---|---|---|---|---|---|',
        ]
        for n, cands in r['sizes'].items():
            md += [
                f"| {n} | {c} | {m['log_loss']:.3f} | {m['ece']:.3f} | {m['read_1']:.3f} | {m['wrong_sure']:.3f} |"
                for c, m in cands.items()
            ]
        md.append('')
    note = (
        f'\n\nMeans over {a.draws} random draws of the fitting readings; each candidate is scored on the held-out '
        'readings it was not fitted on, over the readings with text (figures per reading). Draws with only right or '
        'only wrong readings score the base alone. The read rate at 1 % error moves only with a refit of every '
        'weight: Platt scaling is monotone and keeps the base ranking.'
    )
    write_results(
        a.out,
        "Refitting a fine-tuned model's confidence on few readings",
        note,
        '\n'.join(md),
        machine=machine(torch.device('cpu'), load),
        results=results,
    )
    print('\n'.join(md))


if __name__ == '__main__':
    main()

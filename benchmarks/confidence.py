"""Which confidence ranks a recognizer's errors last: candidate confidences of the shipped model on every validation
set, by the read rate at 0.5, 1 and 2 % error, AUROC, sure errors, calibration and cost.

A user accepts the readings whose confidence clears a threshold and sends the rest to a person; the read rate at 1 %
error (`hdsr.workflow.evaluate.read_rate`) is the most a threshold can accept with at most 1 % of them wrong. Every
image is read by path as published: `normalize` (timed, and within it the front end's `left_out`), the network on the
image alone (a batch of one, so every candidate sees the same log-probabilities), greedy decoding; then each candidate's
extra work, timed per image. The candidates:

- (a) p(text | image), raw and with the weights' document calibration (`calibration_of`);
- (b) the margin to the second-best reading, p1 / (p1 + p2): p2 from the two best hypotheses of a CTC prefix beam
  search (beam 10, scored exactly), or the best of every string one edit away (a digit dropped, added or changed:
  the dropped leading 1 among them), scored exactly in one batch;
- (c) the least per-digit probability;
- (d) agreement of test-time variants: the image 15 % narrower, 15 % wider and with strokes thickened by a 2x2
  dilation, each read again (three more network runs): the mean and the least of p(text | variant) over the image and
  its variants, and the share of variants reading the same text (plus the mean p, to break ties); batched as
  `Recognizer` reads them (`hdsr.read.recognize.read_variants`), their cost is measured again as users read;
- (e) logistic models of several features (hdsr.read.recognize.ConfidenceModel's form, with more features where named),
  fitted on five sets and scored on the sixth (leave one set out), and, second protocol, fitted on all six sets
  pooled in five folds by register page or by image and scored on the held-out fold (what a model fitted on all six
  sets, as the shipped one is, gives on pages it was not fitted on);
- (f) Platt scaling per kind of reading: document crop or clean image, by 1-2, 3-4 or 5+ digits read, leave one set
  out;
- the weights' own confidences (`Recognizer.confidence_model`, and `variants_confidence_model` that `recognize`
  returns unless `variants=False`): fitted on all six sets, these readings included, so their figures flatter them;
  the cross-fitted rows say what to expect elsewhere.

The surest errors are then dissected: readings wrong with p >= 0.9, how many are the label with digits missing, how
many of those the front end flagged (`left_out` > 0), and on the register how many read another row's label of the
same page (label noise). Needs the real data (`real_dir`) for five of the six sets; sets whose source is absent are
named and skipped.

Run: python benchmarks/confidence.py [--weights runs/NAME/weights.pt] [--quick]
"""

from __future__ import annotations
import argparse, os, time, warnings
import numpy as np
import torch
import hdsr.read.preprocess
from hdsr.data.validation import VALIDATION_SETS, register_page, validation_sets
from hdsr.data.folders import SkippedWarning, read_labelled
from hdsr.read.decode import CTCDecoder, lexicon_log_probs
from hdsr.workflow.evaluate import read_rate
from hdsr.read.preprocess import normalize
from hdsr.read.confidence import CONFIDENCE_FEATURES, Calibration, _logit
from hdsr.read.recognize import VARIANTS, Recognizer
from hdsr.core.vocab import ALPHABET, BLANK
from common import RESULTS, machine, write_results

ERRORS = (0.5, 1, 2)  # % error of the read rates


def neighbours(text: str) -> list[str]:
    "Every string one edit from `text`: a digit dropped, changed or added."
    out = {text[:i] + text[i + 1 :] for i in range(len(text))}
    out |= {text[:i] + d + text[i + 1 :] for i in range(len(text)) for d in ALPHABET}
    out |= {text[:i] + d + text[i:] for i in range(len(text) + 1) for d in ALPHABET}
    return sorted(out - {text})


def beam_top(lp: np.ndarray, width: int = 10) -> list[str]:
    "The `width` best prefixes of a CTC prefix beam search (Hannun et al. 2014) over `lp` [T,C], unconstrained."
    beams = {'': (0.0, -np.inf)}  # prefix -> (log p ending in blank, log p ending in its last digit)
    for row in lp:
        new = {}

        def add(prefix, b, nb):
            ob, onb = new.get(prefix, (-np.inf, -np.inf))
            new[prefix] = (np.logaddexp(ob, b), np.logaddexp(onb, nb))

        for prefix, (b, nb) in beams.items():
            add(prefix, np.logaddexp(b, nb) + row[BLANK], -np.inf)
            if prefix:
                add(prefix, -np.inf, nb + row[ALPHABET.index(prefix[-1]) + 1])
            for d, ch in enumerate(ALPHABET, 1):
                stay = prefix and prefix[-1] == ch
                add(prefix + ch, -np.inf, (b if stay else np.logaddexp(b, nb)) + row[d])
        beams = dict(sorted(new.items(), key=lambda kv: -np.logaddexp(*kv[1]))[:width])
    return list(beams)


def read_set(rec: Recognizer, folder, limit: int | None, clock: dict, pages: bool) -> list[dict]:
    """Every image of a labelled folder read once, with every candidate's raw material and each step timed; `pages`:
    its images are grouped by register page."""
    lf = read_labelled(folder)
    items = lf.items if limit is None else lf.first(limit).items
    greedy, rows = CTCDecoder(), []
    for path, label in items:
        t0 = time.perf_counter()
        n = normalize(str(path))
        t1 = time.perf_counter()
        row = dict(
            label=label,
            group=register_page(path.name) if pages else None,
            document=n.document,
            left_out=n.left_out,
            disagree=n.disagree,
            normed=n,
        )
        clock['normalize'] += t1 - t0
        if n.blank:  # the recognizer answers a blank image without the network: nothing read
            rows.append(row | dict(text='', p=1.0))
            continue
        lp = rec.backend(n.image[None, None])[0].astype(np.float64)
        lp = lp[: min(len(lp), int(rec.backend.frames([n.image.shape[1]])[0]))]
        d = greedy(lp[None], [len(lp)])[0]
        t2 = time.perf_counter()
        clock['network + greedy'] += t2 - t1
        row |= dict(text=d.text, p=float(np.exp(d.log_prob)), min_digit=min(d.probs, default=1.0))
        if d.text:
            row['p2_edit'] = float(np.exp(lexicon_log_probs(lp, neighbours(d.text)).max()))
            t3 = time.perf_counter()
            top = [w for w in beam_top(lp) if w != d.text]
            row['p2_beam'] = float(np.exp(lexicon_log_probs(lp, top).max())) if top else 0.0
            t4 = time.perf_counter()
            clock['edit neighbours'] += t3 - t2
            clock['beam top 2'] += t4 - t3
            for v, f in VARIANTS.items():
                x = f(n.image)
                lv = rec.backend(x[None, None])[0].astype(np.float64)
                lv = lv[: min(len(lv), int(rec.backend.frames([x.shape[1]])[0]))]
                row[f'p_{v}'] = float(np.exp(lexicon_log_probs(lv, [d.text])[0]))
                row[f'same_{v}'] = greedy(lv[None], [len(lv)])[0].text == d.text
            clock['3 variants'] += time.perf_counter() - t4
        rows.append(row)
    clock['images'] += len(items)
    return rows


def features(r: dict, kind: str) -> list[float]:
    "The features of a reading for a logistic candidate of `kind`."
    p = r['p']
    base = [float(_logit(p)), float(r['document']), float(len(r['text'])), r['left_out'], float(r['disagree'])]
    if kind == 'p, document':
        return base[:2]
    if kind == 'p, margin, least digit, digits, document, left out':
        margin = np.clip(np.log(p) - np.log(max(r['p2_edit'], 1e-300)), -10, 15)
        return base[:4] + [float(margin), float(_logit(r['min_digit']))]  # as named: without `disagree`
    if kind == 'built in + variants':  # VARIANT_FEATURES, as hdsr.read.recognize.read_variants gives them
        return base + list(variant_figures(r))
    return base  # 'built in': CONFIDENCE_FEATURES


def tta(r: dict, how: str) -> float:
    ps = [r['p']] + [r[f'p_{v}'] for v in VARIANTS]
    if how == 'agree':
        return (sum(r[f'same_{v}'] for v in VARIANTS) + float(np.mean(ps))) / (len(VARIANTS) + 1)
    return float(np.mean(ps) if how == 'mean' else min(ps))


def variant_figures(r: dict) -> tuple[float, float]:
    "A reading's (mean p, share agreeing) over its variants, as hdsr.read.recognize.read_variants gives them."
    return float(np.mean([r[f'p_{v}'] for v in VARIANTS])), float(np.mean([r[f'same_{v}'] for v in VARIANTS]))


def fit_logistic(X: np.ndarray, y: np.ndarray):
    "A logistic model fitted as ConfidenceModel.fit fits one (standardised, L2 1.0), for any number of features."
    mu, sd = X.mean(0), X.std(0)
    sd[sd == 0] = 1.0
    Z, w = np.c_[(X - mu) / sd, np.ones(len(X))], np.zeros(X.shape[1] + 1)
    penalty = np.diag([1.0] * X.shape[1] + [0.0])
    for _ in range(50):
        q = 1 / (1 + np.exp(-Z @ w))
        w -= np.linalg.solve(
            Z.T @ (Z * (q * (1 - q))[:, None]) + penalty + 1e-9 * np.eye(len(w)), Z.T @ (q - y) + penalty @ w
        )
    return lambda X: 1 / (1 + np.exp(-np.c_[(X - mu) / sd, np.ones(len(X))] @ w))


def platt_kind(r: dict) -> tuple:
    return r['document'], min((len(r['text']) + 1) // 2, 3)  # 1-2, 3-4, 5+ digits


def cross_fitted(data: dict, fit, folds: dict) -> dict[str, np.ndarray]:
    """Each reading with text scored by `fit(train rows) -> f(rows) -> confidences` fitted on the readings outside its
    fold; readings of nothing keep p('')."""
    out = {s: np.array([r['p'] for r in rows]) for s, rows in data.items()}
    rows = [(s, i, r) for s, rs in data.items() for i, r in enumerate(rs) if r['text']]
    for k in sorted({folds[s, i] for s, i, _ in rows}):
        train = [r for s, i, r in rows if folds[s, i] != k]
        test = [(s, i, r) for s, i, r in rows if folds[s, i] == k]
        f = fit(train)
        for (s, i, _), c in zip(test, f([r for *_, r in test])):
            out[s][i] = c
    return out


def logistic(kind: str):
    def fit(train):
        f = fit_logistic(
            np.array([features(r, kind) for r in train]), np.array([r['label'] == r['text'] for r in train])
        )
        return lambda rows: f(np.array([features(r, kind) for r in rows]))

    return fit


def platt_by_kind(train):
    groups = {}
    for r in train:
        groups.setdefault(platt_kind(r), []).append(r)
    cals = {k: Calibration.fit([r['p'] for r in g], [r['text'] == r['label'] for r in g]) for k, g in groups.items()}
    return lambda rows: [cals[platt_kind(r)](r['p']) if platt_kind(r) in cals else r['p'] for r in rows]


def metrics(conf, right, texts) -> dict:
    "The figures of one candidate on one set; for the read rates a reading of nothing ranks last (it is refused)."
    conf, right = np.asarray(conf, float), np.asarray(right, bool)
    ranked = np.where([bool(t) for t in texts], conf, 0.0)
    pos, neg = right.sum(), (~right).sum()
    ranks = np.empty(len(conf))
    order = np.argsort(conf, kind='stable')
    sorted_conf = conf[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_conf)) + 1]
    ends = np.r_[starts[1:], len(conf)]
    ranks[order] = np.repeat((starts + ends + 1) / 2, ends - starts)  # average ranks of ties
    bins = np.minimum((conf * 10).astype(int), 9)
    ece = sum(abs(conf[bins == b].mean() - right[bins == b].mean()) * (bins == b).sum() for b in set(bins)) / len(conf)
    return {
        **{f'read_{e}': round(read_rate(ranked.tolist(), right.tolist(), e / 100)[0], 4) for e in ERRORS},
        'auroc': round(float((ranks[right].sum() - pos * (pos + 1) / 2) / (pos * neg)), 4) if pos and neg else None,
        'wrong_sure': round(float(((conf >= 0.9) & ~right).mean()), 4),
        'ece': round(float(ece), 4),
    }


def surest_errors(rows: list[dict]) -> dict:
    "Readings wrong with p >= 0.9: how many are the label with digits missing, flagged by `left_out`, another row's."
    labels = {}
    for r in rows:
        labels.setdefault(r['group'], set()).add(r['label'])
    sure = [r for r in rows if r['p'] >= 0.9 and r['text'] != r['label']]
    part = [r for r in sure if r['text'] and r['text'] in r['label']]
    return dict(
        wrong_sure=len(sure),
        digits_missing=len(part),
        digits_missing_flagged=sum(r['left_out'] > 0 for r in part),
        another_rows_label=sum(r['text'] in labels[r['group']] for r in sure),
        group_labels=bool(rows[0]['group']),  # pages: the register only
    )


def batched_cost(rec: Recognizer, paths: list, turns: int = 2) -> dict:
    """Seconds per image of `recognize(paths)` as users call it (batches, the precision `auto` picks), with the
    confidence that reads test-time variants and without, timed in turns."""
    seconds = {True: [], False: []}
    for _ in range(turns):
        for variants in (False, True):
            rec.variants = variants
            t0 = time.perf_counter()
            rec.recognize(paths)
            seconds[variants].append((time.perf_counter() - t0) / len(paths))
    rec.variants = True
    fast, slow = min(seconds[False]), min(seconds[True])
    return dict(ms_without=round(fast * 1000, 3), ms_with=round(slow * 1000, 3), ratio=round(slow / fast, 3))


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--weights', help='a weights file to measure instead of the shipped model')
    p.add_argument('--quick', action='store_true', help='the first 20 images of each set: a smoke test')
    p.add_argument('--out', default=str(RESULTS / 'confidence'), help='path stem of the .json and .md results')
    args = p.parse_args()
    load = os.getloadavg()
    torch.set_num_threads(os.cpu_count())
    fp32 = dict(precision='fp32')  # the same figures on every CPU
    rec = Recognizer.from_weights(args.weights, **fp32) if args.weights else Recognizer.from_pretrained('torch', **fp32)
    clock = dict.fromkeys(['images', 'normalize', 'network + greedy', 'edit neighbours', 'beam top 2', '3 variants'], 0)
    timed = hdsr.read.preprocess.left_out

    def left_out(*a):  # the front end's signal, timed where clean_ink calls it
        t0 = time.perf_counter()
        out = timed(*a)
        clock['left out'] = clock.get('left out', 0) + time.perf_counter() - t0
        return out

    hdsr.read.preprocess.left_out = left_out
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', SkippedWarning)
        sets = validation_sets(VALIDATION_SETS)
        data = {
            name: read_set(rec, folder, 20 if args.quick else None, clock, name == 'register-valid')
            for name, folder in sets.items()
        }
    hdsr.read.preprocess.left_out = timed
    right = {s: np.array([r['text'] == r['label'] for r in rows]) for s, rows in data.items()}
    raw = {s: np.array([r['p'] for r in rows]) for s, rows in data.items()}

    def each(f):  # a confidence computed reading by reading (nothing read: p(''))
        return {s: np.array([f(r) if r['text'] else r['p'] for r in rows]) for s, rows in data.items()}

    cal = rec.document_calibration or Calibration()
    shipped, with_variants = rec.confidence_model, rec.variants_confidence_model
    by_set = {(s, i): s for s, rows in data.items() for i in range(len(rows))}
    rng = np.random.default_rng(0)
    groups = sorted({r['group'] or f'{s}/{i}' for s, rows in data.items() for i, r in enumerate(rows)})
    fold_of = dict(zip(groups, rng.permutation(len(groups)) % 5))
    pooled = {(s, i): fold_of[r['group'] or f'{s}/{i}'] for s, rows in data.items() for i, r in enumerate(rows)}
    # leave one set out needs another set to fit on: with one set (MNIST only) these candidates are left out
    leave_one_set_out = (
        {
            '(e) logistic: p, document': cross_fitted(data, logistic('p, document'), by_set),
            '(e) logistic: p, document, digits, left out (built in)': cross_fitted(data, logistic('built in'), by_set),
            '(e) logistic: p, margin, least digit, digits, document, left out': cross_fitted(
                data, logistic('p, margin, least digit, digits, document, left out'), by_set
            ),
            '(e) logistic: built in + variants (VARIANT_FEATURES)': cross_fitted(
                data, logistic('built in + variants'), by_set
            ),
            '(f) Platt per kind (document or not x digits)': cross_fitted(data, platt_by_kind, by_set),
        }
        if len(data) > 1
        else {}
    )
    cands = {
        '(a) p(text | image), raw': raw,
        "(a) p, the weights' document calibration": each(
            lambda r: cal(r['p']) if r['document'] and r['p'] > 0 else r['p']
        ),
        '(b) margin p1 / (p1 + p2), beam top 2': each(lambda r: r['p'] / (r['p'] + r['p2_beam'])),
        '(b) margin p1 / (p1 + p2), one edit away': each(lambda r: r['p'] / (r['p'] + r['p2_edit'])),
        '(c) least digit probability': each(lambda r: r['min_digit']),
        '(d) variants: mean p': each(lambda r: tta(r, 'mean')),
        '(d) variants: least p': each(lambda r: tta(r, 'min')),
        '(d) variants: agreement (+ mean p)': each(lambda r: tta(r, 'agree')),
        **leave_one_set_out,
        '(e) built in, all six sets pooled, 5 folds by page or image': cross_fitted(data, logistic('built in'), pooled),
        '(e) built in + variants, all six sets pooled, 5 folds by page or image': cross_fitted(
            data, logistic('built in + variants'), pooled
        ),
    }
    if shipped:
        cands["the weights' own confidence (fitted on these readings)"] = each(
            lambda r: shipped(r['p'], r['text'], r['normed'])
        )
    if with_variants:
        cands["the weights' own confidence with variants (fitted on these readings)"] = each(
            lambda r: with_variants(r['p'], r['text'], r['normed'], variant_figures(r))
        )
    texts = {s: [r['text'] for r in rows] for s, rows in data.items()}
    users = Recognizer.from_weights(args.weights) if args.weights else Recognizer.from_pretrained('torch')
    paths = [p for folder in sets.values() for p in read_labelled(folder).paths[: 20 if args.quick else None]]
    batched = batched_cost(users, paths) if users.variants_confidence_model else None
    results = {c: {s: metrics(conf[s], right[s], texts[s]) for s in data} for c, conf in cands.items()}
    where, n = machine(torch.device('cpu'), load), clock.pop('images')
    ms = {k: round(v / n * 1000, 3) for k, v in clock.items()}  # per image, over every set
    default = ms['normalize'] + ms['network + greedy']
    cost = {  # extra work per image of each candidate, over the default reading (normalize + network + greedy)
        c: ms['beam top 2']
        if 'beam' in c
        else ms['edit neighbours']
        if 'one edit' in c or 'margin, least' in c
        else ms['3 variants']
        if 'variants' in c
        else 0.0
        for c in cands
    }
    header = '| confidence | ' + ' | '.join(data) + ' | mean |'
    rule = '|---' * (len(data) + 2) + '|'

    def table(key, fmt='{:.3f}'):
        lines = [header, rule]
        for c, per in results.items():
            vals = [per[s][key] for s in data]
            mean = np.mean([v for v in vals if v is not None])
            lines.append(
                f'| {c} | ' + ' | '.join('-' if v is None else fmt.format(v) for v in vals) + f' | {mean:.3f} |'
            )
        return '\n'.join(lines)

    anatomy = {s: surest_errors(rows) for s, rows in data.items()}
    md = '\n\n'.join(
        [
            '**Read rate at 1 % error** (the largest share of images a confidence threshold accepts with at most 1 % '
            'of them wrong):\n\n' + table('read_1'),
            '**Read rate at 0.5 % error:**\n\n' + table('read_0.5'),
            '**Read rate at 2 % error:**\n\n' + table('read_2'),
            '**AUROC** of right against wrong readings:\n\n' + table('auroc'),
            '**Wrong with confidence >= 0.9** (share of all images):\n\n' + table('wrong_sure'),
            '**Expected calibration error** (10 bins):\n\n' + table('ece'),
            f"**Cost** of each step, ms per image on an {where['cpu']} ({where['cores']} cores, "
            f"{where['torch_threads']} torch threads, load average {where['load_before'][0]:.1f} before the run; "
            'batches of one image, every set), and as a multiple of the default reading (normalize, `left_out` '
            'included, then network and greedy decoding). Reading the three variants as well would take '
            f"{(default + ms['3 variants']) / default:.2f} times as long, {default / (default + ms['3 variants']):.2f} "
            'of the images per second:\n\n| step | ms per image | x the default reading |\n|---|---|---|\n'
            + '\n'.join(f'| {k} | {v:.2f} | {v / default:.2f} |' for k, v in ms.items()),
            (
                f"**Cost as users read**: `recognize()` on the {len(paths):,} files of every set by path, in batches, "
                f"precision `auto`, {torch.get_num_threads()} torch threads: {batched['ms_without']:.2f} ms per image "
                f"without variants, {batched['ms_with']:.2f} ms with them, {batched['ratio']:.2f} times as long "
                '(the better of two turns each).'
                if batched
                else '**Cost as users read**: not measured, the weights have no confidence with variants.'
            ),
            '**The surest errors** (wrong with raw p >= 0.9): the label with digits missing (the front end cut them '
            "away), of those flagged by `left_out` > 0, and on the register another row's label of the same page:\n\n"
            "| set | exact | wrong, p >= 0.9 | digits missing | flagged | another row's label |\n"
            '|---|---|---|---|---|---|\n'
            + '\n'.join(
                f"| {s} | {right[s].mean():.3f} | {a['wrong_sure']} | {a['digits_missing']} | "
                f"{a['digits_missing_flagged']} | {a['another_rows_label'] if a['group_labels'] else '-'} |"
                for s, a in anatomy.items()
            ),
        ]
    )
    skipped = [s for s in VALIDATION_SETS if s not in data]
    note = (
        f"\n\nModel: {args.weights or 'the shipped default'}; the weights' own confidence: {shipped}; with variants: "
        f'{with_variants}. '
        + ', '.join(f'{s} {len(rows):,}' for s, rows in data.items())
        + ' images'
        + (f'; skipped (source absent): {", ".join(skipped)}' if skipped else '')
        + '. Readings are the same in every row; only the confidence differs. (e) and (f) are cross-fitted: leave '
        'one set out unless the row says otherwise. Figures come from one run; read rates at 0.5-2 % error hang on a '
        'few readings each (at 1 % of 500 images, 5 errors), so differences of a few hundredths are noise.'
    )
    write_results(
        args.out,
        'Which confidence ranks the errors last',
        note,
        md,
        machine=where,
        weights=args.weights or 'shipped',
        features=list(CONFIDENCE_FEATURES),
        shipped=shipped.to_meta() if shipped else None,
        shipped_with_variants=with_variants.to_meta() if with_variants else None,
        sets={s: dict(n=len(rows), exact=round(float(right[s].mean()), 4)) for s, rows in data.items()},
        ms_per_image=ms,
        extra_ms_per_image=cost,
        batched_variants_cost=batched,
        surest_errors=anatomy,
        results=results,
    )
    print(md)


if __name__ == '__main__':
    main()

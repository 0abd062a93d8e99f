"""The shipped model's calibration on document crops (the `document_calibration` its weights carry): Platt scaling fitted on
register crops of training pages only, then scored on the register validation pages, before and after.

Crops are read by path, as published; only those that pre-processing cleans as documents (`Normalized.document`) are
fitted and recalibrated, as `Recognizer` does. Needs the real data (`real_dir`); without it, says so and exits.

Run: python benchmarks/calibration.py [--size 1500] [--quick]
"""
from __future__ import annotations
import argparse, csv, os, random, re, sys
import torch
from hdsr.datasets import REGISTER, SourceMissing, real_source, register_page, register_pages_split
from hdsr.evaluate import read_metrics
from hdsr.preprocess import normalize
from hdsr.recognize import Calibration, Recognizer
from common import RESULTS, machine, write_results


def read_crops(recognizer: Recognizer, paths: list[str], labels: list[str]) -> dict:
    "Raw confidences, texts and whether each crop was cleaned as a document."
    normed = [normalize(p) for p in paths]
    preds = recognizer.recognize(normed, batch_size=256)
    return dict(labels=labels, texts=[p.text for p in preds], raw=[p.confidence for p in preds],
                document=[n.document for n in normed])


def scores(read: dict, calibration: Calibration | None) -> dict:
    conf = [calibration(c) if calibration and d else c for c, d in zip(read['raw'], read['document'])]
    m = read_metrics(read['labels'], read['texts'], conf)
    return {k: round(m[k], 4) for k in ('n', 'exact', 'exact_kept_90', 'wrong_sure', 'ece')}


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--size', type=int, default=1500, help='register crops of training pages to fit on')
    p.add_argument('--quick', action='store_true', help='60 crops to fit, 60 to score: a smoke test')
    p.add_argument('--out', default=str(RESULTS / 'calibration'), help='path stem of the .json and .md results')
    args = p.parse_args()
    try: src = real_source(REGISTER)
    except SourceMissing as e: sys.exit(f'calibration: {e}')
    load = os.getloadavg()
    pages = register_pages_split()
    train_pages = set(pages['train'])
    rows = [r for r in csv.DictReader(open(src/'labels.csv', encoding='utf-8-sig')) if re.fullmatch('[0-9]+', r['label'])]
    fit_rows = [r for r in rows if register_page(r['filename']) in train_pages]
    valid_rows = sorted((r for r in rows if register_page(r['filename']) not in train_pages), key=lambda r: r['filename'])
    random.Random(0).shuffle(fit_rows)
    fit_rows, valid_rows = (fit_rows[:60], valid_rows[::35][:60]) if args.quick else (fit_rows[:args.size], valid_rows)
    raw = Recognizer.from_pretrained()
    shipped, raw.document_calibration = raw.document_calibration, None
    read = lambda rs: read_crops(raw, [str(src/r['filename']) for r in rs], [r['label'] for r in rs])
    fit_read, valid_read = read(fit_rows), read(valid_rows)
    docs = [i for i, d in enumerate(fit_read['document']) if d]
    fitted = Calibration.fit([fit_read['raw'][i] for i in docs], [fit_read['texts'][i] == fit_read['labels'][i] for i in docs])
    results = dict(raw=scores(valid_read, None), fitted=scores(valid_read, fitted), shipped=scores(valid_read, shipped))
    head = '| confidence on the register validation pages | n | exact | exact, 10 % least confident refused | wrong with confidence >= 0.9 | ECE |'
    rows_md = [f"| {name} | {m['n']} | {m['exact']:.3f} | {m['exact_kept_90']:.3f} | {m['wrong_sure']:.3f} | {m['ece']:.3f} |"
               for name, m in (('raw p(text | image)', results['raw']), (f'fitted here: {fitted}', results['fitted']),
                               (f'shipped: {shipped}', results['shipped']))]
    md = '\n'.join([head, '|---|---|---|---|---|---|', *rows_md])
    note = (f"\n\nFitted on {len(docs):,} document crops of {len(fit_rows):,} register crops from training pages "
            f"({len(train_pages):,} pages; validation pages never used), scored on {len(valid_rows):,} crops of the "
            f"{len(pages['valid'])} validation pages. Readings are the same in every row; only confidences differ.")
    write_results(args.out, 'Calibration of document crops', note, md, machine=machine(torch.device('cpu'), load),
                  fitted=dict(a=fitted.a, b=fitted.b), shipped=dict(a=shipped.a, b=shipped.b),
                  fit_size=len(fit_rows), fit_documents=len(docs), results=results)
    print(md)


if __name__ == '__main__':
    main()

"""Which ink height should pre-processing scale re-framed strings to? Exact matches of the shipped model per target.

Test strings of three presets are given with margins at another scale (0.6x with a 20-px margin; 2x dark on light with
a 30-px margin), so that pre-processing crops them to their ink and scales the ink to `PreProcessor.ink_height`; each
candidate height is tried on the same strings, with a `PreProcessor` of that height. Strings given as they were made
(32-px arrays) are the baseline.

Run: python benchmarks/framing.py [--quick]
"""

from __future__ import annotations
import argparse, os
import numpy as np
import torch
from PIL import Image
from hdsr.read.preprocess import DEFAULTS, PreProcessor
from hdsr.read.recognize import Recognizer
from hdsr.data.synth import PRESETS, digit_splits, synthesize
from common import RESULTS, machine, write_results

HEIGHTS = (20, 22, 24, 26)


def scaled(a: np.ndarray, k: float) -> np.ndarray:
    return np.asarray(Image.fromarray(a).resize((round(a.shape[1] * k), round(a.shape[0] * k)), Image.BICUBIC))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--quick', action='store_true', help='tiny sizes, to check that the benchmark runs')
    ap.add_argument('--out', default=RESULTS / 'framing')
    a = ap.parse_args()
    load = os.getloadavg()
    n = 20 if a.quick else 400
    rec, digits, rows = Recognizer.from_pretrained(backend='torch', precision='fp32'), digit_splits()['test'], []
    chosen = DEFAULTS.ink_height
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
        + f'. hdsr uses PreProcessor.ink_height = {chosen}.',
    ]
    write_results(
        a.out,
        'Framing height',
        f'\n\nExact matches of {n} test strings per preset, shipped model, fp32.',
        '\n'.join(md),
        machine=machine(torch.device('cpu'), load),
        results=rows,
        mean=mean,
        ink_height=chosen,
    )
    print('\n'.join(md))


if __name__ == '__main__':
    main()

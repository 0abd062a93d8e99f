"""Every kind of reading the shipped model gives, on fixed images, as one JSON file: take one before a refactor and one
after, and compare them.

    python tools/readings_snapshot.py before.json          # on the code before the change
    python tools/readings_snapshot.py after.json           # after it
    python tools/readings_snapshot.py --compare before.json after.json [--tol 0]

It reads 300 images of each validation set (those whose data is present) and 300 MNIST seed strings written once as
PNGs under cache_dir, with torch (fp32) and onnxruntime: greedy, beam search, each image alone, batch 7, a length
range, a regex, min_confidence, the known length and a lexicon; the MNIST strings again as uint8 arrays in memory; the
API's JSON in process (`Service`) and `hdsr-recognize --json`.
"""

from __future__ import annotations
import argparse, base64, contextlib, io, json, sys
from pathlib import Path
import numpy as np
from PIL import Image
from hdsr.core.config import get_config
from hdsr.data.folders import read_labelled
from hdsr.data.validation import validation_sets
from hdsr.read.recognize import Recognizer
from hdsr.read.cli import recognize_cli
from hdsr.serve.service import Service

N = 300  # images per set
FEW = 100  # images per set for the slower rules
ONE_BY_ONE = 60  # images per set read one at a time (known length, lexicon)


def mnist_strings() -> list[tuple[str, str]]:
    "(path, label) of N seed-protocol strings of MNIST test digits, written as PNGs once."
    folder = get_config().cache_dir / 'snapshot-mnist'
    if not (folder / 'labels.csv').is_file():
        from hdsr.data.synth import PRESETS, digit_splits, synthesize

        s = synthesize(digit_splits()['test'], N, PRESETS['seed'], generator=5)
        folder.mkdir(parents=True, exist_ok=True)
        rows = []
        for i, (im, label) in enumerate(zip(s.images, s.labels)):
            Image.fromarray((im[0] * 255).byte().numpy()).save(folder / f'{i:03d}.png')
            rows.append(f'{i:03d}.png,{label}')
        (folder / 'labels.csv').write_text('filename,label\n' + '\n'.join(rows) + '\n')
    return [(str(p), label) for p, label in read_labelled(folder).items]


def image_sets() -> dict[str, list[tuple[str, str]]]:
    sets = {k: [(str(p), label) for p, label in read_labelled(v).first(N).items] for k, v in validation_sets().items()}
    return sets | {'mnist': mnist_strings()}


def lexicon(label: str, k: int = 20) -> list[str]:
    "The label and up to k other strings of its length, the same on every run."
    rng = np.random.default_rng(int(label or '0') % 1000)
    return sorted({label} | {''.join(map(str, rng.integers(0, 10, len(label)))) for _ in range(k)})


def readings(rec: Recognizer, items: list[tuple[str, str]], every_rule: bool) -> dict[str, list]:
    paths = [p for p, _ in items]
    d = lambda preds: [p.to_dict() for p in preds]
    out = dict(greedy=d(rec.recognize(paths)), beam10=d(rec.recognize(paths[:FEW], beam_width=10)))
    out['one-by-one'] = [rec.recognize(p).to_dict() for p in paths[:ONE_BY_ONE]]  # greedy, each image alone
    if not every_rule:
        return out
    return out | {
        'batch7': d(rec.recognize(paths[:FEW], batch_size=7)),
        'length-2-6': d(rec.recognize(paths[:FEW], length=(2, 6))),
        'regex': d(rec.recognize(paths[:FEW], regex=r'[1-9]\d{2,7}')),
        'min-confidence': d(rec.recognize(paths[:FEW], min_confidence=0.9)),
        'known-length': [rec.recognize(p, length=len(l)).to_dict() for p, l in items[:ONE_BY_ONE]],
        'lexicon': [rec.recognize(p, lexicon=lexicon(l)).to_dict() for p, l in items[:ONE_BY_ONE]],
    }


def snapshot() -> dict:
    sets, out = image_sets(), {}
    torch_rec = Recognizer.from_pretrained(backend='torch', precision='fp32')
    for backend, rec in (('torch', torch_rec), ('onnx', Recognizer.from_pretrained(backend='onnx'))):
        for name, items in sets.items():
            out |= {f'{backend}/{name}/{k}': v for k, v in readings(rec, items, backend == 'torch').items()}
    # in memory: the MNIST strings as uint8 arrays (model-ready), with a few of the real crops among them
    arrays = [np.asarray(Image.open(p)) for p, _ in sets['mnist']]
    mixed = arrays + [np.asarray(Image.open(p).convert('L')) for items in sets.values() for p, _ in items[:5]]
    for backend, rec in (('torch', torch_rec), ('onnx', Recognizer.from_pretrained(backend='onnx'))):
        out[f'{backend}/arrays/greedy'] = [p.to_dict() for p in rec.recognize(mixed)]
    svc = Service(torch_rec)
    first = [p for items in sets.values() for p, _ in items[:8]][:32]
    b64 = [base64.b64encode(Path(p).read_bytes()).decode() for p in first]
    out['api/batch'] = svc.predict_batch(dict(images=b64))
    out['api/batch-length'] = svc.predict_batch(dict(images=b64, length=[2, 5], min_confidence=0.5))
    out['api/one'] = svc.predict(dict(image=b64[0], regex='[0-9]+'))
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        recognize_cli(first[:20] + ['--json', '--precision', 'fp32'])
    out['cli/json'] = [json.loads(line) for line in buf.getvalue().splitlines()]
    return out


def differences(a, b, tol: float, where: str = '') -> list[str]:
    "Where `a` and `b` differ: structure, strings, or numbers by more than `tol`."
    if isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys():
        return [d for k in a for d in differences(a[k], b[k], tol, f'{where}.{k}')]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, tol, f'{where}[{i}]')]
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return [] if abs(a - b) <= tol else [f'{where}: {a} != {b}']
    return [] if a == b else [f'{where}: {str(a)[:60]} != {str(b)[:60]}']


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('out', nargs='?', help='write the snapshot here')
    ap.add_argument('--compare', nargs=2, metavar=('A', 'B'), help='compare two snapshots instead')
    ap.add_argument('--tol', type=float, default=0.0, help='numbers may differ by this much')
    a = ap.parse_args()
    if not a.compare:
        Path(a.out).write_text(json.dumps(snapshot()))
        return
    A, B = (json.loads(Path(p).read_text()) for p in a.compare)
    diff = differences(A, B, a.tol)
    print('\n'.join(diff[:20]))
    readings = sum(len(v) if isinstance(v, list) else 1 for v in A.values())
    print(f'{len(A)} groups, {readings} readings; {len(diff)} differences')
    sys.exit(1 if diff else 0)


if __name__ == '__main__':
    main()

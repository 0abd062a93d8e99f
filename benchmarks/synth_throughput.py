"""Throughput of `hdsr.data.synth.synthesize` against a per-string Python loop of the same seed protocol.

The baseline is the reference project's way of making strings: python `random` picks the number, the
overlap, the blank cells and the images, every cell of a string (blank ones too) is pasted into its own
`torch.zeros` canvas with `torch.maximum`, and the training augmentation is torchvision's `RandomAffine`
applied string by string. It always runs on the CPU, as it did in the reference's data loader.

Beside them, the other renderer of digit strings, `hdsr.data.documents.field_crop`: one crop at a time in numpy at a
scan's resolution, with the clutter of forms (drawn, not saved), as the synthetic validation sets and the document crops
of training are made.

Run: HDSR_MNIST_DIR=/path/to/mnist python benchmarks/synth_throughput.py [--device cuda] [--quick]
"""

from __future__ import annotations
import argparse, os, random
import numpy as np
import torch
from torchvision import transforms
from hdsr.data.synth import DIGIT, TOP, SynthSpec, digit_splits, synthesize
from hdsr.data.documents import FIELD_KINDS, digit_ink, field_crop, ink_columns
from hdsr.core.geometry import HEIGHT
from common import RESULTS, machine, median_seconds, write_results

SPEC = SynthSpec(protocol='seed', max_length=5, min_overlap=0.0, max_overlap=0.4)


def baseline(by_class: list[torch.Tensor], n: int, affine: bool, rng: random.Random) -> torch.Tensor:
    "`n` strings [n,1,32,28L] made one at a time, as the reference project did."
    L = SPEC.max_length
    aug = transforms.RandomAffine(
        degrees=0.05, scale=(0.7, 1.1), shear=30, interpolation=transforms.InterpolationMode.BILINEAR, fill=0
    )
    blank = torch.zeros(DIGIT, DIGIT)
    out = []
    for _ in range(n):
        length = rng.choices(range(1, L + 1), weights=range(1, L + 1))[0]
        number = str(rng.randint(10 ** (length - 1), 10**length - 1))
        step = DIGIT - int(rng.uniform(SPEC.min_overlap, SPEC.max_overlap) * DIGIT)
        left = rng.randint(0, L - length)
        cells = [-1] * left + [int(ch) for ch in number] + [-1] * (L - length - left)  # every cell is pasted
        canvas = torch.zeros(1, HEIGHT, DIGIT * L)
        for i, d in enumerate(cells):
            img = blank if d < 0 else by_class[d][rng.randrange(len(by_class[d]))].float() / 255
            x = i * step
            region = canvas[0, TOP : TOP + DIGIT, x : x + DIGIT]
            canvas[0, TOP : TOP + DIGIT, x : x + DIGIT] = torch.maximum(region, img)
        out.append(aug(canvas) if affine else canvas)
    return torch.stack(out)


def field_crops(images: np.ndarray, n: int, rng: np.random.Generator):
    "`n` field crops of 1-7 digits, each kind of `FIELD_KINDS` in turn, as `hdsr.data.validation` draws its `fields`."
    for i in range(n):
        digits = [ink_columns(digit_ink(images[j], False)) for j in rng.integers(0, len(images), rng.integers(1, 8))]
        field_crop(digits, FIELD_KINDS[i % len(FIELD_KINDS)], rng, images)


def chunks(n: int, size: int) -> list[int]:
    "Batch sizes that make `n` strings in batches of `size`."
    return [min(size, n - i) for i in range(0, n, size)]


def drain(batches):
    "Make every batch and keep none, as a training loop consumes them."
    for _ in batches:
        pass


def rate(make, n: int, repeats: int, sync) -> float:
    "Median strings/s of `make()` (which makes `n` strings) over `repeats` timed runs after one warm-up."
    return n / median_seconds(make, repeats, sync)


def table(rows: list[dict]) -> str:
    "Markdown table of the results."
    lines = [
        '| generator | affine | batch | device | strings | strings/s | speed-up |',
        '|---|---|---|---|---|---|---|',
    ]
    for r in rows:
        lines.append(
            f"| {r['generator']} | {r['affine']} | {r['batch'] or '-'} | {r['device']} | {r['strings']} "
            f"| {r['strings_per_s']:,.0f} | {r['speedup']:.1f}x |"
        )
    return '\n'.join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--device', default='cpu', help='device for hdsr.synthesize (the baseline runs on the CPU)')
    p.add_argument('--quick', action='store_true', help='few strings and repeats, for a smoke test')
    p.add_argument('--out', default=str(RESULTS / 'synth_throughput'), help='path stem of the .json and .md results')
    args = p.parse_args()
    device, load = torch.device(args.device), os.getloadavg()
    n_hdsr, n_base, repeats = (2_000, 200, 2) if args.quick else (20_000, 2_000, 5)
    sync = torch.cuda.synchronize if device.type == 'cuda' else (lambda: None)

    train = digit_splits()['train']
    digits = train.to(device)
    by_class = [train.images[: len(train)][train.labels == d] for d in range(10)]

    rows = []
    for affine in (False, True):
        spec = SynthSpec(**{**SPEC.to_dict(), 'affine': affine})
        rng = random.Random(0)
        base = rate(
            lambda: drain(baseline(by_class, k, affine, rng) for k in chunks(n_base, 256)),
            n_base,
            repeats,
            lambda: None,
        )
        rows.append(
            dict(
                generator='python loop',
                affine=affine,
                batch=256,
                device='cpu',
                strings=n_base,
                strings_per_s=base,
                speedup=1.0,
            )
        )
        for bs in (64, 256, 1024):
            g = torch.Generator().manual_seed(0)
            r = rate(
                lambda: drain(synthesize(digits, k, spec, g, device) for k in chunks(n_hdsr, bs)), n_hdsr, repeats, sync
            )
            rows.append(
                dict(
                    generator='hdsr.synthesize',
                    affine=affine,
                    batch=bs,
                    device=str(device),
                    strings=n_hdsr,
                    strings_per_s=r,
                    speedup=r / base,
                )
            )

    images, crops = train.images.numpy(), 40 if args.quick else 400
    docs = rate(lambda: field_crops(images, crops, np.random.default_rng(0)), crops, repeats, lambda: None)
    rows.append(
        dict(
            generator='hdsr.data.documents.field_crop',
            affine=False,
            batch=1,
            device='cpu',
            strings=crops,
            strings_per_s=docs,
            speedup=docs / rows[0]['strings_per_s'],
        )
    )
    md = table(rows)
    print(md)
    where = machine(device, load)
    write_results(
        args.out,
        'Synthesis throughput',
        f', median of {repeats} runs after a warm-up; baseline on the CPU ({where["cpu"]}), '
        f'{torch.get_num_threads()} torch threads.',
        md,
        machine=where,
        spec=SPEC.to_dict(),
        repeats=repeats,
        results=rows,
    )


if __name__ == '__main__':
    main()

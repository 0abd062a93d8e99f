"""What pre-processing costs the shipped Recognizer, per kind of input, in one run.

For each kind of input, the Recognizer's pre-processing (`prepare`: `normalize` of each image) in ms per image, and
strings/s of `recognize()` next to the network alone on the same images (prepared, batched by width as `recognize`
batches them), timed in turns so that a change in the machine's load hits all three; the ratios are those of each
turn. `recognize()` runs without test-time variants, so that what it adds to the network is pre-processing and
decoding.

- Training-like inputs: 32x140 seed-protocol strings as uint8 arrays, and the same strings 3x larger, dark on light,
  as PNG bytes.
- Real crops: image files of each validation set here, read by path (decoding, resizing and cleaning included).

Run: python benchmarks/front_end.py [--quick] [--threads 2]
"""

from __future__ import annotations
import statistics, time
import numpy as np
import torch
from PIL import Image
from hdsr.data.folders import read_labelled
from hdsr.data.validation import validation_sets
from hdsr.read.recognize import Recognizer, padded_batches
from common import machine, png, seed_strings, speed_args, write_results


def training_like(n: int) -> dict:
    "n seed-protocol test strings as uint8 arrays, and as 3x dark-on-light PNG bytes."
    _, arrays = seed_strings(n)
    big = [png(255 - np.asarray(Image.fromarray(a).resize((a.shape[1] * 3, 96), Image.BICUBIC))) for a in arrays]
    return {'32x140 uint8 array': arrays, '3x dark-on-light PNG': big}


def in_turns(fns: dict, repeats: int) -> dict:
    "Wall seconds of each function in each of `repeats` rounds (one call of each per round), after a warm-up round."
    times = {k: [] for k in fns}
    for r in range(repeats + 1):
        for k, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            if r:
                times[k].append(time.perf_counter() - t0)
    return times


def measure(rec: Recognizer, xs: list, batch: int, repeats: int) -> dict:
    """Pre-processing ms per image, network and `recognize()` strings/s on `xs`, and the median over rounds of
    recognize / network and of pre-processing's share of `recognize()`."""
    normed = rec.prepare(xs)
    batches = [(images, widths) for _, images, widths in padded_batches(normed, batch)]
    t = in_turns(
        dict(
            prepare=lambda: rec.prepare(xs),
            network=lambda: [rec.backend(images, widths) for images, widths in batches],
            recognize=lambda: rec.recognize(xs, batch_size=batch),
        ),
        repeats,
    )
    med = {k: statistics.median(v) for k, v in t.items()}
    return dict(
        n=len(xs),
        normalize_ms=round(med['prepare'] / len(xs) * 1000, 3),
        network_strings_per_s=round(len(xs) / med['network']),
        recognize_strings_per_s=round(len(xs) / med['recognize']),
        recognize_over_network=round(statistics.median(n / r for n, r in zip(t['network'], t['recognize'])), 3),
        normalize_share=round(statistics.median(p / r for p, r in zip(t['prepare'], t['recognize'])), 3),
    )


def main():
    a, load = speed_args(__doc__, 'front_end')
    batch, repeats, n_real = (16, 2, 8) if a.quick else (256, 3, 100)
    rec = Recognizer.from_pretrained(backend='torch', precision='fp32', variants=False)
    inputs = training_like(batch)
    for name, folder in validation_sets(quiet=False).items():
        inputs[f'{name} file'] = read_labelled(folder, warn=False).first(n_real).paths
    rows = [dict(input=kind, **measure(rec, xs, batch, repeats)) for kind, xs in inputs.items()]
    md = [
        '| input | n | normalize ms per image | network strings/s | recognize() strings/s | recognize / network '
        '| normalize share of recognize() |',
        '|---|---|---|---|---|---|---|',
    ]
    md += [
        f"| {r['input']} | {r['n']} | {r['normalize_ms']} | {r['network_strings_per_s']} | "
        f"{r['recognize_strings_per_s']} | {r['recognize_over_network']:.0%} | {r['normalize_share']:.0%} |"
        for r in rows
    ]
    where = machine(torch.device('cpu'), load)
    note = (
        f'\n\n{where["cpu"]}, torch threads: {a.threads}, load average before {load[0]:.1f}; torch fp32, batches of up '
        f'to {batch}, median of {repeats} rounds timed in turns (compare the ratios, measured together); recognize() '
        'without test-time variants (pre-processing, network, greedy decoding, digit positions). Validation-set rows: '
        'the first files of each set, read by path.'
    )
    write_results(a.out, 'Front-end cost', note, '\n'.join(md), machine=where, results=rows)
    print('\n'.join(md))


if __name__ == '__main__':
    main()

"""The shipped Recognizer: throughput, single-image latency, and accuracy with and without constraints.

- Throughput: 32x140 seed-protocol strings in batches of 256, network only (images -> log-probabilities) and end to end
  (`recognize` on a list of uint8 arrays: pre-processing, network, greedy decoding, per-digit positions), for torch
  eager fp32, torch bf16 autocast and onnxruntime (the `to_onnx` export), and their ratio, measured in one run: the
  share of the network's rate that `recognize` keeps. `precision='auto'` (the default) is bf16 only where
  `bf16_is_fast` finds AMX or AVX512-BF16 (or a GPU); the table says which one it picks here.
- Latency: one 140x32 PNG, bytes in -> Prediction out, `recognize(png)` called repeatedly; p50 and p90.
- Accuracy: seed-protocol test strings read greedily, with beam search, with their known length, and with a
  lexicon holding the true string and 99 others of the same length; and the same strings as 3x dark-on-light PNGs.

Run: python benchmarks/recognize_speed.py [--quick] [--threads 2]
"""

from __future__ import annotations
import statistics, tempfile, time
import numpy as np
import torch
from PIL import Image
from hdsr.read.recognize import Recognizer, bf16_is_fast
from common import machine, median_seconds, png, seed_strings, speed_args, write_results


def throughput(rec: Recognizer, images: np.ndarray, arrays: list, repeats: int) -> dict:
    "Strings per second: network only, and end to end, timed in turns so that a change in the machine's load hits both."
    net, e2e = [], []
    for _ in range(repeats):
        net.append(median_seconds(lambda: rec.backend(images), 1))
        e2e.append(median_seconds(lambda: rec.recognize(arrays, batch_size=len(arrays)), 1))
    ratio = statistics.median(n / e for n, e in zip(net, e2e))  # of each turn's pair, taken a moment apart
    net, e2e = statistics.median(net), statistics.median(e2e)
    return dict(
        network_strings_per_s=round(len(arrays) / net),
        recognize_strings_per_s=round(len(arrays) / e2e),
        recognize_over_network=round(ratio, 3),
    )


def latency(rec: Recognizer, data: bytes, n: int) -> dict:
    "p50/p90 milliseconds of recognize(png bytes) -> Prediction."
    rec.recognize(data)
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        rec.recognize(data)
        times.append(time.perf_counter() - t0)
    q = statistics.quantiles(times, n=10)
    return dict(p50_ms=round(statistics.median(times) * 1000, 2), p90_ms=round(q[8] * 1000, 2))


def accuracy(rec: Recognizer, n: int) -> list[dict]:
    """Exact-match rate on n seed-protocol test strings under each decoding rule, for 32-px arrays and 3x dark-on-light
    PNGs."""
    s, arrays = seed_strings(n, generator=21)
    up = lambda a: 255 - np.asarray(Image.fromarray(a).resize((a.shape[1] * 3, 96), Image.BICUBIC))
    rng = np.random.default_rng(0)

    def lexicon(label):
        words = {label} | {''.join(map(str, rng.integers(0, 10, len(label)))) for _ in range(99)}
        return sorted(words)

    rows = []
    for form, inputs in (('32-px array', arrays), ('3x dark-on-light PNG', [png(up(a)) for a in arrays])):
        rules = {
            'greedy': [rec.recognize(inputs)],
            'beam 10': [rec.recognize(inputs, beam_width=10)],
            'known length': [[rec.recognize(x, length=len(l)) for x, l in zip(inputs, s.labels)]],
            'lexicon of 100': [[rec.recognize(x, lexicon=lexicon(l)) for x, l in zip(inputs, s.labels)]],
        }
        for rule, (preds,) in rules.items():
            rows.append(
                dict(
                    form=form, rule=rule, exact=round(float(np.mean([p.text == l for p, l in zip(preds, s.labels)])), 4)
                )
            )
    return rows


def main():
    a, load = speed_args(__doc__, 'recognize_speed')
    batch, repeats, n_lat, n_acc = (16, 2, 20, 40) if a.quick else (256, 15, 300, 1000)
    s, arrays = seed_strings(batch)
    images = s.images.numpy()
    one = png(arrays[0])
    torch_fp32 = Recognizer.from_pretrained(backend='torch', precision='fp32')
    auto = 'torch bf16' if bf16_is_fast() else 'torch fp32'
    with tempfile.TemporaryDirectory() as d:
        ort = Recognizer.from_onnx(torch_fp32.to_onnx(f'{d}/hdsr.onnx'), threads=a.threads)
        backends = {
            'torch fp32': torch_fp32,
            'torch bf16': Recognizer.from_pretrained(backend='torch', precision='bf16'),
            'onnxruntime fp32': ort,
        }
        speed = [
            dict(backend=k, **throughput(r, images, arrays, repeats), **latency(r, one, n_lat))
            for k, r in backends.items()
        ]
        agree = np.mean(
            [p.text == q.text for p, q in zip(backends['torch bf16'].recognize(arrays), torch_fp32.recognize(arrays))]
        )
    acc = accuracy(torch_fp32, n_acc)
    md = [
        f'| backend | network strings/s (batch {batch}) | recognize() strings/s | recognize / network | one PNG p50 ms '
        '| p90 ms |',
        '|---|---|---|---|---|---|',
    ]
    md += [
        f"| {r['backend']}{' (auto)' if r['backend'] == auto else ''} | {r['network_strings_per_s']} | "
        f"{r['recognize_strings_per_s']} | {r['recognize_over_network']:.0%} | {r['p50_ms']} | {r['p90_ms']} |"
        for r in speed
    ]
    md += [
        '',
        f'bf16 and fp32 readings agree on {agree:.1%} of the {batch} strings.',
        '',
        f'Exact match on {n_acc} seed-protocol test strings (torch fp32):',
        '',
        '| input | rule | exact |',
        '|---|---|---|',
    ]
    md += [f"| {r['form']} | {r['rule']} | {r['exact']} |" for r in acc]
    note = (
        f'\n\n{a.threads} threads; 32x140 strings; end to end = `recognize(list of uint8 arrays)` (pre-processing, '
        'network, greedy decoding with exact confidences and digit positions); latency = `recognize(png_bytes)`.'
    )
    write_results(
        a.out,
        'Recognizer speed and accuracy',
        note,
        '\n'.join(md),
        machine=machine(torch.device('cpu'), load),
        results=speed,
        auto=auto,
        bf16_agreement=agree,
        accuracy=acc,
    )
    print('\n'.join(md))


if __name__ == '__main__':
    main()

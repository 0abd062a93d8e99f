"""Training speed per architecture and precision, and what the data pipeline costs beside it, on this machine.

- Training: strings/s of a training step as `CTCModule` takes it (forward, CTC loss, backward, AdamW step) on real
  training batches (`TrainStrings`, the seed protocol, 32x140), for each architecture in `32-true` and `bf16-mixed`
  (Lightning's CPU mixed precision: the forward pass and the loss under bfloat16 autocast). Every (architecture,
  precision) is timed in turn, round after round, so that load from other processes falls on all alike; each figure
  is the median round, and bf16's speed-up is the median of the per-round ratios. The training precision `auto`
  (`hdsr.core.config`) is bf16-mixed only where the CPU has AMX or AVX512-BF16; the results say which it picks here.
- Data pipeline: strings/s of `TrainStrings` batches (main process, as training makes them) for the seed protocol
  and for the four-preset mixture of handwriting.yaml (MNIST digits), and the share of a compact training step that
  making its batch adds, timed in the same rounds.
- Overlap: the compact CRNN trained on the mixture's batches made in the main process, and made by one DataLoader
  worker process in parallel, in both precisions; strings/s end to end, in the same rounds.

Run: python benchmarks/train_speed.py [--quick] [--threads 2]
"""

from __future__ import annotations
import itertools, statistics, time
from contextlib import nullcontext
import torch
from pytorch_lightning.plugins.precision import MixedPrecision
from hdsr.core.config import get_config
from hdsr.model.crnn import build_model, count_parameters
from hdsr.model.ctc import ctc_loss
from hdsr.data.synth import PRESETS, Mixture, TrainStrings, digit_splits
from common import machine, speed_args, write_results

ARCHES = ('compact', 'crnn_seed')
PRECISIONS = ('32-true', 'bf16-mixed')
MIXTURE = {'seed': 0.25, 'long': 0.1, 'drawn': 0.15, 'scanned': 0.5}  # handwriting.yaml's presets


def autocast(precision: str):
    "The context Lightning runs the forward pass and the loss in, on the CPU."
    return MixedPrecision('bf16-mixed', 'cpu').forward_context() if precision == 'bf16-mixed' else nullcontext()


class Trainee:
    "One architecture in one precision, with its optimiser: `step(batch)` is one training step."

    def __init__(self, arch: str, precision: str):
        torch.manual_seed(0)
        self.model, self.precision = build_model(arch).train(), precision
        self.opt = torch.optim.AdamW(self.model.parameters(), lr=1e-3)

    def step(self, b):
        with autocast(self.precision):
            logits = self.model(b.images)
            frames = self.model.output_lengths(b.widths).clamp_max(logits.shape[1])
            loss = ctc_loss(logits, frames, b.targets, b.lengths)
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()


def timed(fn, n: int) -> float:
    "Seconds for `n` calls of `fn`."
    t0 = time.perf_counter()
    for _ in range(n):
        fn()
    return time.perf_counter() - t0


def fed(trainee: Trainee, strings: TrainStrings, workers: int, n: int) -> float:
    "Seconds for `n` training steps on batches from a DataLoader with `workers` workers (after two untimed ones)."
    loader = torch.utils.data.DataLoader(strings, batch_size=None, num_workers=workers, generator=torch.Generator())
    it = iter(loader)
    for _ in range(2):  # the worker's start and first batches
        trainee.step(next(it))
    t0 = time.perf_counter()
    for b in itertools.islice(it, n):
        trainee.step(b)
    return time.perf_counter() - t0


def main():
    a, load = speed_args(__doc__, 'train_speed')
    rounds, steps, batch = (1, 1, 8) if a.quick else (5, 4, 64)
    fed_steps = 2 if a.quick else 12
    digits = digit_splits()['train']
    seed = TrainStrings(digits, PRESETS['seed'], batch * 64, batch)
    mixed = TrainStrings(digits, Mixture(MIXTURE), batch * 64, batch, seed=1)
    pool = [seed.batch(i) for i in range(8)]
    trainees = {(arch, p): Trainee(arch, p) for arch in ARCHES for p in PRECISIONS}
    for t in trainees.values():  # warm-up: oneDNN picks its kernels
        for b in pool[: 1 if a.quick else 2]:
            t.step(b)
    step_s = {k: [] for k in trainees}
    make_s = {'seed': [], 'mixture': []}
    fed_s = {(p, w): [] for p in PRECISIONS for w in (0, 1)}
    for r in range(rounds):
        print(f'round {r + 1} of {rounds}', flush=True)
        for k, t in trainees.items():
            n = max(1, steps // 2) if k[0] == 'crnn_seed' else steps
            step_s[k].append(timed(lambda: t.step(pool[len(step_s[k]) % len(pool)]), n) / n)
        for name, strings in (('seed', seed), ('mixture', mixed)):
            ix = iter(range(len(strings)))
            make_s[name].append(timed(lambda: strings.batch(next(ix)), 8) / 8)
        for p, w in fed_s:
            fed_s[p, w].append(fed(trainees['compact', p], mixed, w, fed_steps) / fed_steps)
    med = statistics.median
    results = []
    for (arch, p), ts in step_s.items():
        speedup = med(f / b for f, b in zip(step_s[arch, '32-true'], ts))
        results.append(
            dict(
                arch=arch,
                parameters=count_parameters(trainees[arch, p].model),
                precision=p,
                step_ms=round(med(ts) * 1e3, 1),
                strings_per_s=round(batch / med(ts), 1),
                speedup_vs_32_true=round(speedup, 2),
            )
        )
    pipeline = []
    for name, ts in make_s.items():
        share = {
            p: round(med(m / (m + s) for m, s in zip(ts, step_s['compact', p])), 3) for p in PRECISIONS
        }  # of a step plus its batch
        pipeline.append(
            dict(
                strings=name,
                batch_ms=round(med(ts) * 1e3, 2),
                strings_per_s=round(batch / med(ts)),
                share_of_step=share,
            )
        )
    overlap = [
        dict(
            precision=p,
            main_process_strings_per_s=round(batch / med(fed_s[p, 0]), 1),
            one_worker_strings_per_s=round(batch / med(fed_s[p, 1]), 1),
            worker_over_main=round(med(m / w for m, w in zip(fed_s[p, 0], fed_s[p, 1])), 3),
        )
        for p in PRECISIONS
    ]
    auto = get_config(device='cpu', precision='auto').trainer_precision
    md = '\n'.join(
        [
            f'| arch | parameters | precision | train step, batch {batch} | training strings/s | vs 32-true |',
            '|---|---|---|---|---|---|',
            *(
                f"| {r['arch']} | {r['parameters']:,} | {r['precision']}{' (auto)' if r['precision'] == auto else ''} "
                f"| {r['step_ms']:.0f} ms | {r['strings_per_s']:,.0f} | {r['speedup_vs_32_true']:.2f}x |"
                for r in results
            ),
            '',
            f'Data pipeline, batches of {batch} made in the main process:',
            '',
            '| strings | ms per batch | strings/s | share of a compact step + batch, 32-true | bf16-mixed |',
            '|---|---|---|---|---|',
            *(
                f"| {r['strings']} | {r['batch_ms']:.1f} | {r['strings_per_s']:,} "
                f"| {r['share_of_step']['32-true']:.1%} | {r['share_of_step']['bf16-mixed']:.1%} |"
                for r in pipeline
            ),
            '',
            'The compact CRNN trained on the mixture, its batches made in the main process or by one DataLoader '
            f'worker ({fed_steps} steps a round):',
            '',
            '| precision | main process strings/s | one worker strings/s | worker / main |',
            '|---|---|---|---|',
            *(
                f"| {r['precision']} | {r['main_process_strings_per_s']:,.0f} | {r['one_worker_strings_per_s']:,.0f} "
                f"| {r['worker_over_main']:.2f}x |"
                for r in overlap
            ),
        ]
    )
    print(md)
    m = machine(torch.device('cpu'), load)
    write_results(
        a.out,
        'Training speed',
        f', on {m["cpu"]} (bf16 flags: {", ".join(m["bf16_flags"]) or "none"}), {torch.get_num_threads()} torch '
        f'threads, load average before {m["load_before"][0]:.1f} (other processes share the CPUs: compare the ratios, '
        f'measured in the same rounds); median of {rounds} interleaved rounds; 32x140 seed-protocol strings. Precision '
        f'`auto` picks {auto} here.',
        md,
        machine=m,
        auto_precision=auto,
        batch=batch,
        rounds=rounds,
        results=results,
        pipeline=pipeline,
        overlap=overlap,
    )


if __name__ == '__main__':
    main()

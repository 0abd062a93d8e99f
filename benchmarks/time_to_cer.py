"""Wall-clock from a cold start to the reference's per-sample CER (0.0114) on the 2,000-string seed-protocol test set.

Each recipe trains from scratch: the clock starts before MNIST is loaded and the model is built (Python imports
excluded), includes the recipe's own validation rounds, and pauses while the test set is scored, which happens every
`--check-s` seconds of training or three times as long as the last check took (so a time is known to within that
interval). A recipe stops when it reaches the target or when its clock passes `--budget-s`. Recipes: `default` (the
compact CRNN, nbs/experiments/default.yaml, what `make run` trains) and `reference` (crnn_seed by the reference
recipe, nbs/experiments/reference.yaml).

The precision is the recipe's own (`auto`: bf16-mixed on a GPU and on a CPU with AMX or AVX512-BF16, else fp32)
unless --precision sets it; the results name it.

Run: python benchmarks/time_to_cer.py [--recipes default,reference] [--budget-s 900] [--device cpu] [--precision P]
[--quick]
"""

from __future__ import annotations
import argparse, os, tempfile, time
import torch
from hdsr.core.config import get_config
from hdsr.data.synth import digit_splits
from hdsr.workflow.train import fit
from common import RESULTS, machine, write_results
from recipes import recipe, test_sets, TargetWatch

TARGET = 0.0114


def time_to_target(
    name: str, budget_s: float, check_s: float, device: str, size: int, quick: bool, precision: str | None = None
) -> dict:
    "Train recipe `name` until the seed test set's per-sample CER <= TARGET or the budget is spent."
    t0 = time.perf_counter()
    digits = digit_splits()
    test = test_sets(digits['test'], size, ['seed'])['seed']
    shrink = dict(train_size=256, val_size=64, epochs=2) if quick else {}
    cfg = recipe(name, device=device, test_size=size, **shrink, **({'precision': precision} if precision else {}))
    watch = TargetWatch(test, TARGET, check_s, budget_s, t0)
    with tempfile.TemporaryDirectory() as d:
        module, trainer, _ = fit(cfg, d, digits=digits, progress=False, callbacks=[watch], enable_model_summary=False)
    if watch.reached is None and (not watch.curve or watch.curve[-1]['step'] != trainer.global_step):
        watch.last = -watch.wait  # the recipe ended before the budget: score its end
        watch.on_train_batch_end(trainer, module)
    best = min(watch.curve, key=lambda r: r['per_sample_cer'])
    return dict(
        recipe=name,
        arch=cfg.arch,
        precision=get_config(device=cfg.device, precision=cfg.precision).trainer_precision,
        reached=watch.reached is not None,
        seconds=watch.reached if watch.reached is not None else watch.curve[-1]['seconds'],
        steps=trainer.global_step,
        strings=trainer.global_step * cfg.batch_size,
        best_per_sample_cer=best['per_sample_cer'],
        best_at_s=best['seconds'],
        curve=watch.curve,
    )


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument(
        '--recipes', default='default,reference', help='comma-separated names of nbs/experiments/<name>.yaml'
    )
    p.add_argument('--budget-s', type=float, default=900, help='give up after this many seconds of training (15 min)')
    p.add_argument('--check-s', type=float, default=20, help='score the test set every this many seconds of training')
    p.add_argument('--device', default='cpu')
    p.add_argument('--precision', default=None, help="a Lightning precision for every recipe (default: the recipe's)")
    p.add_argument('--quick', action='store_true', help='tiny recipes and test set, for a smoke test')
    p.add_argument('--out', default=str(RESULTS / 'time_to_cer'), help='path stem of the .json and .md results')
    args = p.parse_args()
    load, size = os.getloadavg(), 100 if args.quick else 2000
    rows = []
    for name in args.recipes.split(','):
        print(f'{name}:', flush=True)
        rows.append(time_to_target(name, args.budget_s, args.check_s, args.device, size, args.quick, args.precision))
    fmt = lambda r: f"{r['seconds'] / 60:.1f} min" if r['reached'] else f"not within {args.budget_s / 60:.0f} min"
    md = '\n'.join(
        [
            '| recipe | arch | precision | time to per-sample CER 0.0114 | steps | strings '
            '| best per-sample CER (at) |',
            '|---|---|---|---|---|---|---|',
        ]
        + [
            f"| {r['recipe']} | {r['arch']} | {r['precision']} | {fmt(r)} | {r['steps']:,} | {r['strings']:,} | "
            f"{r['best_per_sample_cer']:.4f} ({r['best_at_s'] / 60:.1f} min) |"
            for r in rows
        ]
    )
    m = machine(torch.device(args.device), load)
    note = (
        f'\n\nTest set: {size:,} seed-protocol strings of MNIST test digits. Device {args.device} ({m["cpu"]}, bf16 '
        f'flags: {", ".join(m["bf16_flags"]) or "none"}, load average before {m["load_before"][0]:.1f}); the clock '
        "includes data and model set-up and the recipe's validation, not the test checks (every "
        f'{args.check_s:.0f} s of training, or 3x the time a check takes if longer: the times below are known to '
        'within that interval).'
    )
    write_results(
        args.out,
        'Time to the reference CER',
        note,
        md,
        machine=m,
        target=TARGET,
        budget_s=args.budget_s,
        test_size=size,
        results=rows,
    )
    print(md)


if __name__ == '__main__':
    main()

"""Training in bf16 mixed precision against fp32: the same recipe and seed trained in both, their figures side by side.

Each precision (`32-true`, `bf16-mixed`) trains nbs/experiments/<recipe>.yaml (default: default.yaml, what `make run`
trains) from scratch with the same seed, so on the same strings in the same order and from the same initial weights.
Reported: the last validation round's figures (computed in the run's precision, as training computes them), and the
test set's (the recipe's: 2,000 seed-protocol strings of MNIST test digits) read by the best checkpoint in fp32, as
`hdsr-run` reads them; and each run's training time, the precisions one after the other on the same machine.

Run: python benchmarks/bf16_parity.py [--recipe default] [--device cpu] [--quick]
"""

from __future__ import annotations
import argparse, os, tempfile, time
import torch
from hdsr.data.synth import digit_splits
from hdsr.workflow.train import fit, score_sets
from common import RESULTS, machine, write_results
from recipes import recipe

PRECISIONS = ('32-true', 'bf16-mixed')
FIGURES = ('cer', 'per_sample_cer', 'exact')


def train(name: str, precision: str, device: str, digits, quick: bool) -> dict:
    "Train recipe `name` in `precision`; its validation and test figures, steps and training time."
    shrink = dict(train_size=256, val_size=64, test_size=100, epochs=1) if quick else {}
    cfg = recipe(name, device=device, precision=precision, **shrink)
    t = time.perf_counter()
    with tempfile.TemporaryDirectory() as d:
        module, trainer, data = fit(cfg, d, digits=digits, progress=False, enable_model_summary=False)
    train_s = time.perf_counter() - t
    val = {k: round(float(trainer.callback_metrics[f'val/{k}']), 4) for k in ('loss', *FIGURES)}
    test = score_sets(module.model, {'test': data.test_set}, device=module.device)['test']
    return dict(
        precision=precision,
        steps=trainer.global_step,
        train_s=round(train_s, 1),
        val=val,
        test={k: round(v, 4) for k, v in test.items()},
    )


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--recipe', default='default', help='the name of nbs/experiments/<name>.yaml')
    p.add_argument('--device', default='cpu')
    p.add_argument('--quick', action='store_true', help='a tiny recipe, for a smoke test')
    p.add_argument('--out', default=str(RESULTS / 'bf16_parity'), help='path stem of the .json and .md results')
    args = p.parse_args()
    load, digits = os.getloadavg(), digit_splits()
    rows = []
    for precision in PRECISIONS:
        print(f'{precision}:', flush=True)
        rows.append(train(args.recipe, precision, args.device, digits, args.quick))
    md = '\n'.join(
        [
            '| precision | steps | training time | val loss | val cer | val per_sample_cer | val exact | test cer '
            '| test per_sample_cer | test exact |',
            '|---|---|---|---|---|---|---|---|---|---|',
            *(
                f"| {r['precision']} | {r['steps']:,} | {r['train_s'] / 60:.1f} min | {r['val']['loss']:.4f} | "
                + ' | '.join(f"{r['val'][k]:.4f}" for k in FIGURES)
                + ' | '
                + ' | '.join(f"{r['test'][k]:.4f}" for k in FIGURES)
                + ' |'
                for r in rows
            ),
        ]
    )
    m = machine(torch.device(args.device), load)
    note = (
        f'\n\nRecipe nbs/experiments/{args.recipe}.yaml, the same seed in both precisions; device {args.device} '
        f'({m["cpu"]}, bf16 flags: {", ".join(m["bf16_flags"]) or "none"}). Validation: the last round, in the '
        f"run's precision; test: {rows[0]['test']['size']:,} strings read by the best checkpoint in fp32."
    )
    write_results(args.out, 'bf16 against fp32 training', note, md, machine=m, recipe=args.recipe, results=rows)
    print(md)


if __name__ == '__main__':
    main()

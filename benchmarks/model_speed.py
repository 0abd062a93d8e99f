"""Training-step time and inference throughput of the architectures in `hdsr.model.crnn.ARCHS`.

A training step is what `CTCModule` does per batch: forward, CTC loss, backward and an AdamW step, on seed-protocol
images (32x140). Inference is a forward pass without gradients. On the CPU in fp32; on a GPU with bf16 autocast.

Run: python benchmarks/model_speed.py [--device cuda] [--quick]
"""

from __future__ import annotations
import argparse, os
from contextlib import nullcontext
import torch
from hdsr.model.crnn import ARCHS, build_model, count_parameters
from hdsr.model.ctc import ctc_loss
from common import RESULTS, machine, median_seconds, write_results


def train_step_seconds(model, device, batch: int, repeats: int, sync, autocast) -> float:
    "Median seconds of one training step on a batch of `batch` random 32x140 images with 5-digit targets."
    x = torch.rand(batch, 1, 32, 140, device=device)
    targets, lengths = torch.randint(0, 10, (batch, 5), device=device), torch.full((batch,), 5, device=device)
    frames = model.output_lengths(torch.full((batch,), 140)).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)

    def step():
        with autocast():
            loss = ctc_loss(model(x), frames, targets, lengths)
        opt.zero_grad()
        loss.backward()
        opt.step()

    model.train()
    return median_seconds(step, repeats, sync)


@torch.no_grad()
def infer_seconds(model, device, batch: int, repeats: int, sync, autocast) -> float:
    "Median seconds of a forward pass on `batch` 32x140 images."
    x = torch.rand(batch, 1, 32, 140, device=device)
    model.eval()

    def forward():
        with autocast():
            model(x)

    return median_seconds(forward, repeats, sync)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--device', default='cpu')
    p.add_argument('--quick', action='store_true', help='few repeats on small batches, for a smoke test')
    p.add_argument('--out', default=str(RESULTS / 'model_speed'), help='path stem of the .json and .md results')
    args = p.parse_args()
    device, load = torch.device(args.device), os.getloadavg()
    cuda = device.type == 'cuda'
    sync = torch.cuda.synchronize if cuda else (lambda: None)
    autocast = (lambda: torch.autocast('cuda', dtype=torch.bfloat16)) if cuda else nullcontext
    repeats, train_batch, infer_batch = (2, 8, 16) if args.quick else (10, 64, 256)
    rows = []
    for arch in ARCHS:
        model = build_model(arch).to(device)
        step = train_step_seconds(model, device, train_batch, repeats, sync, autocast)
        infer = infer_seconds(model, device, infer_batch, repeats, sync, autocast)
        rows.append(
            dict(
                arch=arch,
                parameters=count_parameters(model),
                train_step_ms=step * 1e3,
                train_strings_per_s=train_batch / step,
                infer_strings_per_s=infer_batch / infer,
            )
        )
    md = '\n'.join(
        [
            f'| arch | parameters | train step, batch {train_batch} | training strings/s | inference strings/s (batch '
            f'{infer_batch}) |',
            '|---|---|---|---|---|',
        ]
        + [
            f"| {r['arch']} | {r['parameters']:,} | {r['train_step_ms']:.0f} ms | {r['train_strings_per_s']:,.0f} "
            f"| {r['infer_strings_per_s']:,.0f} |"
            for r in rows
        ]
    )
    print(md)
    precision = 'bf16 autocast' if cuda else 'fp32'
    write_results(
        args.out,
        'Model speed',
        f', median of {repeats} after a warm-up, {device.type}, {precision}, '
        f'{torch.get_num_threads()} torch threads, 32x140 images.',
        md,
        machine=machine(device, load),
        repeats=repeats,
        results=rows,
    )


if __name__ == '__main__':
    main()

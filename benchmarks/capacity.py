"""The capacity budget of issue 16: size and inference speed of candidate CRNNs beside today's compact model, one run.

Budget: weights <= 20 MB and the network >= 600 strings/s, fp32, batch 256 of 32x140 images, on the 2-core CPU, measured
in the same run as the shipped model (machines differ: compare the ratio to `compact` too). The network is timed as
`Recognizer` runs it (`TorchBackend`: batch norms folded, channels-last), images -> log-probabilities.
Accuracy of the candidates comes from training runs (see the model card); this script measures what costs.

Run: python benchmarks/capacity.py [--threads 2] [--quick]
"""

from __future__ import annotations
import io
import torch
from hdsr.crnn import build_model, count_parameters
from hdsr.recognize import Recognizer
from common import machine, median_seconds, seed_strings, speed_args, write_results

CANDIDATES = {  # name -> (arch, config); 'compact' is the shipped architecture
    'compact': ('compact', {}),
    'compact, LSTM 192': ('compact', dict(hidden=192)),
    'compact, LSTM 256': ('compact', dict(hidden=256)),
    'compact, 3 LSTM layers': ('compact', dict(layers=3)),
    'compact, CNN x1.5': ('compact', dict(channels=(48, 96, 144, 144, 192))),
    'compact, CNN x1.5, LSTM 192': ('compact', dict(channels=(48, 96, 144, 144, 192), hidden=192)),
    'compact, CNN x0.75, LSTM 192': ('compact', dict(channels=(24, 48, 72, 72, 96), hidden=192)),
    'compact, CNN x0.75, LSTM 256': ('compact', dict(channels=(24, 48, 72, 72, 96), hidden=256)),
    'crnn_seed (the reference)': ('crnn_seed', {}),
}
MAX_MB, MIN_RATE = 20, 600
# compact's network strings/s on the 2-core AVX2 CPU where the budget was set: slower CPUs compare ratios
COMPACT_AT_BUDGET = 613


def weights_mb(model) -> float:
    "Size of the model's weights file (state_dict as torch.save writes it), MB."
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    return buf.tell() / 1e6


def main():
    a, load = speed_args(__doc__, 'capacity')
    batch, repeats = (16, 2) if a.quick else (256, 7)
    images = seed_strings(batch)[0].images.numpy()
    rows = []
    for name, (arch, config) in CANDIDATES.items():
        model = build_model(arch, **config).eval()
        rec = Recognizer(model)
        seconds = median_seconds(lambda: rec.backend(images), repeats)
        rows.append(
            dict(
                name=name,
                arch=arch,
                config=config,
                parameters=count_parameters(model),
                mb=round(weights_mb(model), 2),
                strings_per_s=round(batch / seconds),
            )
        )
    base = rows[0]['strings_per_s']
    for r in rows:
        r['speed_vs_compact'] = round(r['strings_per_s'] / base, 2)
        r['within_budget'] = r['mb'] <= MAX_MB and (
            r['strings_per_s'] >= MIN_RATE or r['speed_vs_compact'] >= MIN_RATE / COMPACT_AT_BUDGET
        )
    md = '\n'.join(
        [
            f'| candidate | parameters | weights MB | network strings/s (batch {batch}) | vs compact | within budget |',
            '|---|---|---|---|---|---|',
        ]
        + [
            f"| {r['name']} | {r['parameters']:,} | {r['mb']} | {r['strings_per_s']} | {r['speed_vs_compact']} "
            f"| {'yes' if r['within_budget'] else 'no'} |"
            for r in rows
        ]
    )
    print(md)
    m = machine(torch.device('cpu'), load)
    write_results(
        a.out,
        'Capacity budget',
        f"\n\n{m['cpu']}, {a.threads} torch threads, fp32, median of {repeats} after a warm-up; "
        f'budget: weights <= {MAX_MB} MB, >= {MIN_RATE} strings/s on the 2-core CPU where compact reads '
        f'{COMPACT_AT_BUDGET} '
        f'(here: {MIN_RATE / COMPACT_AT_BUDGET:.2f} x compact or faster).',
        md,
        machine=m,
        repeats=repeats,
        results=rows,
    )


if __name__ == '__main__':
    main()

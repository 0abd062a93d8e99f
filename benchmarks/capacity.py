"""The capacity sweep's costs and figures: size and reading speed of each candidate CRNN, and, where its sweep run has
finished, how well it reads every validation set.

Budget: weights <= 20 MB, and `recognize()` on real image files (register crops read by path: decoding, front end,
network, CTC decoding) >= 100 strings/s on 2 cores. Each candidate also gets the network alone on batches of 256 seed
strings (32x140), with the precision `Recognizer` picks here ('auto'), in the same run as `compact`, the shipped
architecture: machines differ, so compare the ratio. Untrained weights read as fast as trained ones; the accuracy
columns come from `runs/<sweep>/<point>/metrics.json` of the sweep in `nbs/experiments/capacity.yaml`.

Run: python benchmarks/capacity.py [--threads 2] [--quick] [--sweep capacity]
"""

from __future__ import annotations
import io, json, sys, tempfile
from pathlib import Path
import torch
from PIL import Image
from hdsr.core.config import get_config
from hdsr.model.crnn import build_model, count_parameters
from hdsr.data.folders import SourceMissing, read_labelled
from hdsr.data.validation import validation_set
from hdsr.workflow.experiments import point_name
from hdsr.read.recognize import Recognizer
from common import machine, median_seconds, seed_strings, speed_args, write_results

CANDIDATES = {  # name -> (arch, model config: the sweep's `model` value)
    'compact (shipped)': ('compact', {}),
    'compact, CNN 48-224': ('compact', dict(channels=[48, 96, 160, 160, 224])),
    'compact, LSTM 256': ('compact', dict(hidden=256)),
    'compact, residual, LSTM 192': ('compact', dict(residual=True, hidden=192)),
    'compact, CNN 48-224, residual, LSTM 256': (
        'compact',
        dict(channels=[48, 96, 160, 160, 224], residual=True, hidden=256),
    ),
    'crnn_seed (the reference)': ('crnn_seed', {}),
}
MAX_MB, MIN_FILES_PER_S = 20, 100
SETS = ('register-valid', 'cvl-strings', 'fields', 'amounts', 'photo-cells', 'ardis-strings')


def weights_mb(model) -> float:
    "Size of the model's weights file (state_dict as torch.save writes it), MB."
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    return buf.tell() / 1e6


def image_files(n: int) -> tuple[list[str], str]:
    "n real register crops by path (register-valid); MNIST strings written as PNGs where the real data is absent."
    try:
        return read_labelled(validation_set('register-valid')).paths[:n], 'register-valid crops (JPEG)'
    except SourceMissing as e:
        print(f'{e}: timing MNIST strings written as PNG files instead', file=sys.stderr)
    folder = Path(tempfile.mkdtemp())
    paths = []
    for i, a in enumerate(seed_strings(n, generator=5)[1]):
        paths.append(str(folder / f'{i}.png'))
        Image.fromarray(255 - a).save(paths[-1])
    return paths, 'MNIST seed strings (PNG)'


def sweep_figures(sweep: str, config: dict) -> dict:
    "exact / read_1 on each validation set of the candidate's finished sweep run, or {}."
    run = Path(get_config().runs_dir) / sweep / point_name({'model': config})
    metrics = run / 'metrics.json'
    if not metrics.is_file():
        return {}
    real = json.loads(metrics.read_text()).get('real', {})
    return {s: (real[s]['exact'], real[s]['read_1']) for s in SETS if s in real}


def earlier_figures(out: str) -> dict:
    "Each candidate's figures in this benchmark's last results (`out`.json), where its sweep run is no longer here."
    last = Path(out).with_suffix('.json')
    rows = json.loads(last.read_text()).get('results', []) if last.is_file() else []
    return {r['name']: r['figures'] for r in rows if r.get('figures')}


def main():
    a, load = speed_args(__doc__, 'capacity', sweep='capacity')
    batch, files, repeats = (16, 16, 1) if a.quick else (256, 256, 5)
    images = seed_strings(batch)[0].images.numpy()
    paths, what = image_files(files)
    rows, earlier = [], earlier_figures(a.out)
    for name, (arch, config) in CANDIDATES.items():
        model = build_model(arch, **config).eval()
        rec = Recognizer(model)
        network = median_seconds(lambda: rec.backend(images), repeats)
        read = median_seconds(lambda: rec.recognize(paths), repeats)
        rows.append(
            dict(
                name=name,
                arch=arch,
                config=config,
                parameters=count_parameters(model),
                mb=round(weights_mb(model), 2),
                precision=rec.backend.precision,
                network_strings_per_s=round(batch / network),
                files_per_s=round(len(paths) / read),
                figures=sweep_figures(a.sweep, config) if arch == 'compact' else {},
            )
        )
        if not rows[-1]['figures'] and name in earlier:  # a run folder of an earlier session, gone from this machine
            rows[-1].update(figures=earlier[name], figures_from='earlier')
    base = rows[0]
    for r in rows:
        r['files_vs_compact'] = round(r['files_per_s'] / base['files_per_s'], 2)
        r['within_budget'] = r['mb'] <= MAX_MB and r['files_per_s'] >= MIN_FILES_PER_S
    head = ' | '.join(s for s in SETS)
    md = '\n'.join(
        [
            '| candidate | parameters | weights MB | network strings/s | files/s | vs compact | within budget | '
            f'{head} |',
            '|---|---|---|---|---|---|---|' + '---|' * len(SETS),
        ]
        + [
            f"| {r['name']}{' *' if r.get('figures_from') else ''} | {r['parameters']:,} | {r['mb']} "
            f"| {r['network_strings_per_s']} | {r['files_per_s']} "
            f"| {r['files_vs_compact']} | {'yes' if r['within_budget'] else 'no'} | "
            + ' | '.join('{:.3f} / {:.3f}'.format(*r['figures'][s]) if s in r['figures'] else '' for s in SETS)
            + ' |'
            for r in rows
        ]
    )
    print(md)
    m = machine(torch.device('cpu'), load)
    write_results(
        a.out,
        'Capacity: size, speed and accuracy of the candidates',
        f"\n\n{m['cpu']}, {a.threads} torch threads, precision {base['precision']} (auto), median of {repeats} after a "
        f'warm-up. network: batches of {batch} seed strings (32x140); files/s: `recognize()` on {len(paths)} {what} '
        f'read by path. Budget: weights <= {MAX_MB} MB and >= {MIN_FILES_PER_S} files/s on 2 cores. Each set: exact / '
        f"read rate at 1 % error of the candidate trained in the sweep `{a.sweep}` (nbs/experiments/capacity.yaml), "
        'read by path; empty where its run has not finished. *: figures carried over from the last results file, as '
        'its sweep run was trained in an earlier session and its run folder is not on this machine.',
        md,
        machine=m,
        repeats=repeats,
        files=what,
        results=rows,
    )


if __name__ == '__main__':
    main()

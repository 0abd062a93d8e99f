"""What the real-crop front end costs: ms per input of `normalize`, today's against the one before it, in one run.

- Training-like inputs: 32x140 seed-protocol strings as uint8 arrays, and the same strings 3x larger, dark on light,
  as PNG bytes. Here `recognize()` strings/s (batch 256) is measured next to the network alone, with each front end.
- Real crops: image files of the validation sets (register pages, CVL strings, synthetic fields), read by path;
  `normalize` ms per crop with each front end, and `recognize(path)` ms per crop with today's.

The earlier front end is `hdsr/preprocess.py` at commit BEFORE (read with `git show`); without git history the
benchmark measures today's front end alone and says so.

Run: python benchmarks/front_end.py [--quick] [--threads 2]
"""

from __future__ import annotations
import dataclasses, importlib.util, statistics, subprocess, sys, tempfile, time
from pathlib import Path
import numpy as np
import torch
from PIL import Image
from hdsr.data.folders import read_labelled
from hdsr.data.validation import validation_sets
from hdsr.read.preprocess import Normalized, normalize
from hdsr.read.recognize import Recognizer
from common import machine, median_seconds, png, seed_strings, speed_args, write_results

BEFORE = '4a20e1b'  # the last commit before the real-crop front end
ROOT = Path(__file__).resolve().parent.parent


def front_end_before() -> object | None:
    "The `normalize` of commit BEFORE, returning today's `Normalized`; None without git history."
    try:
        src = subprocess.run(
            ['git', 'show', f'{BEFORE}:hdsr/preprocess.py'], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        print(
            f'no earlier front end to compare with (git show {BEFORE} failed: {e}); measuring today\'s alone',
            file=sys.stderr,
        )
        return None
    path = Path(tempfile.mkdtemp()) / 'preprocess_before.py'
    path.write_text(src)
    spec = importlib.util.spec_from_file_location('preprocess_before', path)
    mod = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return lambda img: Normalized(**dataclasses.asdict(mod.normalize(img)))


def ms_per_input(fn, inputs: list, repeats: int) -> float:
    "Median over `repeats` passes of the mean milliseconds of `fn` per input."
    return round(median_seconds(lambda: [fn(x) for x in inputs], repeats) / len(inputs) * 1000, 3)


def training_like(n: int) -> tuple[np.ndarray, list, list]:
    "n seed-protocol test strings: the network's batch, uint8 arrays, and 3x dark-on-light PNG bytes."
    s, arrays = seed_strings(n)
    big = [png(255 - np.asarray(Image.fromarray(a).resize((a.shape[1] * 3, 96), Image.BICUBIC))) for a in arrays]
    return s.images.numpy(), arrays, big


def interleaved_seconds(fns: dict, repeats: int) -> dict:
    "Median wall time of each function, timed in turns (one call of each per round) after a warm-up round."
    times = {k: [] for k in fns}
    for r in range(repeats + 1):
        for k, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            t = time.perf_counter() - t0
            if r:
                times[k].append(t)
    return {k: statistics.median(v) for k, v in times.items()}


def strings_per_s(rec: Recognizer, images: np.ndarray, arrays: list, repeats: int, front_ends: dict) -> dict:
    "Network-only strings/s and `recognize(arrays)` strings/s with each front end, timed in turns in one run."

    def with_front_end(fn):
        def read():
            rec.recognize([fn(x) for x in arrays], batch_size=len(arrays))  # what `fn` gives, read as it is

        return read

    fns = {'network': lambda: rec.backend(images)} | {
        f'recognize_{k}': with_front_end(fn) for k, fn in front_ends.items()
    }
    return {k: round(len(arrays) / t) for k, t in interleaved_seconds(fns, repeats).items()}


def main():
    a, load = speed_args(__doc__, 'front_end')
    batch, repeats, n_real = (16, 2, 8) if a.quick else (256, 7, 200)
    front_ends = {'today': normalize}
    if (before := front_end_before()) is not None:
        front_ends['before'] = before
    rec = Recognizer.from_pretrained(backend='torch', precision='fp32')
    images, arrays, big = training_like(batch)
    inputs = {'32x140 uint8 array': arrays, '3x dark-on-light PNG': big}
    for name, folder in validation_sets(quiet=False).items():
        inputs[f'{name} file'] = read_labelled(folder, warn=False).first(n_real).paths
    rows = []
    for kind, xs in inputs.items():
        row = dict(
            input=kind,
            n=len(xs),
            **{f'normalize_ms_{k}': ms_per_input(fn, xs, repeats) for k, fn in front_ends.items()},
        )
        if kind.endswith('file'):
            row['recognize_ms_today'] = ms_per_input(rec.recognize, xs, max(1, repeats // 2))
        rows.append(row)
    speed = strings_per_s(rec, images, arrays, repeats, front_ends)
    names = list(front_ends)
    md = [
        '| input | n | ' + ' | '.join(f'normalize ms ({k})' for k in names) + ' | recognize(path) ms (today) |',
        '|---|---|' + '---|' * len(names) + '---|',
    ]
    md += [
        f"| {r['input']} | {r['n']} | "
        + ' | '.join(str(r[f'normalize_ms_{k}']) for k in names)
        + f" | {r.get('recognize_ms_today', '')} |"
        for r in rows
    ]
    md += [
        '',
        f'Strings/s on {batch} 32x140 arrays (torch fp32, batch {batch}): network alone {speed["network"]}; '
        + '; '.join(f'`recognize()` with the front end of {k} {speed[f"recognize_{k}"]}' for k in names)
        + '.',
    ]
    where = machine(torch.device('cpu'), load)
    note = (
        f'\n\n{where["cpu"]}, {a.threads} threads; "before" = hdsr/preprocess.py at {BEFORE}, the front end before '
        'real crops; register/CVL/fields = the first files of each validation set, read by path (decoding, resizing '
        'and cleaning included).'
    )
    write_results(
        a.out,
        'Front-end cost',
        note,
        '\n'.join(md),
        machine=where,
        results=rows,
        strings_per_s=speed,
        before=BEFORE if 'before' in front_ends else None,
    )
    print('\n'.join(md))


if __name__ == '__main__':
    main()

"""What each install of hdsr costs: disk and the cold start of `hdsr-recognize`.

For the core install (`pip install hdsr`: onnxruntime), `hdsr[serve]` (the API, still no torch) and `hdsr[dev]`
(everything, torch and its CUDA libraries included), each into a fresh venv from the wheel, with constraints.txt:
- the venv's size (every file's bytes, .pyc included, as pip leaves them) and how many distributions it holds;
- how long pip took (from this machine's pip cache: a first download takes longer);
- the cold start: the wall time of `hdsr-recognize one.png` in a new process, the first time after the install and the
  median of the next runs (the files then in the OS cache), with the backend it ran on.

Run: python benchmarks/install_size.py [--quick] [--repeats 5]   (--quick: the core install only, one repeat)
"""

from __future__ import annotations
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path
import torch
from common import RESULTS, machine, png, seed_strings, write_results

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / 'tests'))
from installs import build_wheel, fresh_venv, installed, pip_install, tree_bytes  # noqa: E402

INSTALLS = {'core': '', 'serve': '[serve]', 'dev': '[dev]'}


def cold_starts(venv: Path, image: Path, env: dict, repeats: int) -> tuple[float, float, str]:
    "Seconds of `hdsr-recognize image` in a new process: the first run, the median of `repeats` more; what it read."
    times, text = [], None
    for _ in range(1 + repeats):
        t0 = time.perf_counter()
        r = subprocess.run([venv / 'bin' / 'hdsr-recognize', image], env=env, cwd=image.parent, capture_output=True,
                           text=True, check=True)  # fmt: skip
        times.append(time.perf_counter() - t0)
        text = r.stdout.split('\t')[1]
    return times[0], statistics.median(times[1:]), text


def measure(name: str, wheel: Path, image: Path, d: Path, repeats: int) -> dict:
    "Install `name` into a fresh venv under `d` and measure it."
    venv = d / name
    env = fresh_venv(venv) | {'HOME': str(d)}
    t0 = time.perf_counter()
    pip_install(venv, f'{wheel}{INSTALLS[name]}', env=env)
    pip_s = time.perf_counter() - t0
    packages, size = installed(venv, env), tree_bytes(venv)
    first, warm, text = cold_starts(venv, image, env, repeats)
    return dict(
        install=name,
        mib=round(size / 2**20, 1),
        distributions=len(packages),
        backend='torch' if 'torch' in packages else 'onnxruntime',
        pip_s=round(pip_s, 1),
        first_s=round(first, 2),
        warm_s=round(warm, 2),
        read=text,
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--quick', action='store_true', help='the core install only, one repeat')
    ap.add_argument('--repeats', type=int, default=5)
    ap.add_argument('--out', default=RESULTS / 'install_size')
    a = ap.parse_args()
    names, repeats = (['core'], 1) if a.quick else (list(INSTALLS), a.repeats)
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        wheel = build_wheel(d / 'dist')
        image = d / 'one.png'
        image.write_bytes(png(seed_strings(1)[1][0]))
        results = []
        for name in names:
            results.append(measure(name, wheel, image, d, repeats))
            print(results[-1], flush=True)
            shutil.rmtree(d / name)  # the dev venv alone is several GB
    rows = [
        f"| {r['install']} | {r['mib']:,.0f} | {r['distributions']} | {r['backend']} | {r['pip_s']} | {r['first_s']} | "
        f"{r['warm_s']} |"
        for r in results
    ]
    md = '\n'.join(
        [
            '| install | MiB | distributions | backend | pip s | hdsr-recognize first s | then (median) s |',
            '|---|---|---|---|---|---|---|',
            *rows,
        ]
    )
    info = machine(torch.device('cpu'), load)
    note = (
        f'\n\nFresh venvs (Python {info["python"]}) from the wheel, pip from this machine\'s cache; {info["cpu"]}, '
        f'{info["cores"]} cores. Cold start: one 140x32 PNG read by a new `hdsr-recognize` process, the first run '
        f'after the install, then the median of {repeats} more.'
    )
    write_results(a.out, 'Install size and cold start', note, md, machine=info, results=results)
    print(md)


if __name__ == '__main__':
    main()

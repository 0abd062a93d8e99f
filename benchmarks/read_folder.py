"""Reading a whole archive with `hdsr-read`, in one run: speed, memory, a killed run resumed, a threshold carried over.

- Speed: images/s of `read_archive` on real JPEG crops (the register validation pages; the synthetic `fields` crops
  where the real data is absent) with 1 and 2 worker processes and on a local Dask cluster of 2 workers, in turns; the
  rate is counted from the first chunk written (start-up, loading the model in each worker, apart).
- Pre-processing of a real crop, ms per image in one thread, by this code and, with --baseline DIR, by the hdsr of
  another checkout (e.g. `git worktree add ../before <commit>`), timed in turns on the same crops.
- Memory: the resident memory of the reading process and its workers, sampled while 2 workers read 20,000 images (the
  crops listed again and again in one list file).
- A run killed twice (SIGKILL of `hdsr-read` and its workers) and resumed, against one run never killed: rows lost,
  rows written twice, readings that differ.
- A threshold chosen on half of the register validation pages for at most 1 % error (`choose_threshold`: for the error
  seen there, and for its 95 % upper bound), applied to the other half, and the other way round: the error among
  accepted and the share accepted there.

Run: python benchmarks/read_folder.py [--quick] [--baseline ../before]
"""

from __future__ import annotations
import csv, functools, os, signal, statistics, subprocess, sys, tempfile, time
from pathlib import Path
import torch
from hdsr.data.folders import LabelledFolder, read_labelled
from hdsr.data.validation import validation_sets
from hdsr.read.archive import ModelSpec, dask_client, dask_images, read_archive, read_images
from hdsr.read.recognize import Recognizer
from hdsr.workflow.evaluate import choose_threshold, evaluate_folder, threshold_figures
from common import machine, speed_args, write_results

BIN = Path(sys.executable).parent


def crops(quick: bool) -> tuple[str, LabelledFolder]:
    "The register validation crops (JPEG files), or the synthetic fields crops without the real data."
    sets = validation_sets(['register-valid', 'fields'], quiet=True)
    name = 'register-valid' if 'register-valid' in sets else 'fields'
    lf = read_labelled(sets[name])
    return name, lf.first(96) if quick else lf


def rss_mb(pid: int) -> float:
    "Resident memory of a process and its children, MB (from /proc)."
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f'/proc/{p}/status').read_text()
            total += int(next(l.split()[1] for l in status.splitlines() if l.startswith('VmRSS')))
            todo += [int(c) for t in Path(f'/proc/{p}/task').iterdir() for c in (t / 'children').read_text().split()]
        except (OSError, StopIteration):
            continue
    return total / 1024


def timed_read(paths: list[str], run, workers: int, chunk: int) -> dict:
    "Read `paths` into a scratch file; wall seconds, seconds to the first chunk, images/s after it."
    first, start = [], time.perf_counter()

    def noting(*args, **kw):
        for rows in run(*args, **kw):
            if not first:
                first.append((time.perf_counter() - start, len(rows)))
            yield rows

    with tempfile.TemporaryDirectory() as d:
        s = read_archive(
            paths, Path(d) / 'r.csv', ModelSpec(), workers=workers, chunk=chunk, progress=False, run=noting
        )
    wall = time.perf_counter() - start
    t0, n0 = first[0]
    return dict(images=s.read, wall_s=wall, first_chunk_s=t0, images_per_s=(s.read - n0) / (wall - t0))


def speeds(paths: list[str], rounds: int, chunk: int) -> list[dict]:
    "Images/s with 1 and 2 workers and on a local Dask cluster of 2, in `rounds` turns; the median of each."
    out = {k: [] for k in ('1 worker', '2 workers', 'Dask local:2')}
    with dask_client('local:2') as client:
        for _ in range(rounds):
            out['1 worker'].append(timed_read(paths, read_images, 1, chunk))
            out['2 workers'].append(timed_read(paths, read_images, 2, chunk))
            out['Dask local:2'].append(timed_read(paths, functools.partial(dask_images, client=client), 2, chunk))
    med = lambda rs, k: statistics.median(r[k] for r in rs)
    return [
        dict(run=k, **{m: med(rs, m) for m in ('images_per_s', 'wall_s', 'first_chunk_s')}, rounds=rs)
        for k, rs in out.items()
    ]


PREPARE = """
import sys, time, statistics, cv2, torch
torch.set_num_threads(1); cv2.setNumThreads(1)
from hdsr.read.recognize import Recognizer
pp = Recognizer.from_pretrained().preprocessor
paths = sys.argv[1:]
[pp(p) for p in paths[:20]]
times = []
for _ in range(3):
    t0 = time.perf_counter(); [pp(p) for p in paths]; times.append((time.perf_counter() - t0) / len(paths) * 1000)
print(statistics.median(times))
"""


def prepare_ms(paths: list[str], baseline: str | None, rounds: int) -> dict:
    "Pre-processing ms per crop in one thread, by this code and by the checkout `baseline`, in turns."
    trees = {'this code': str(Path(__file__).resolve().parent.parent)} | ({'baseline': baseline} if baseline else {})
    out = {k: [] for k in trees}
    for _ in range(rounds):
        for k, tree in trees.items():
            env = os.environ | dict(PYTHONPATH=tree, OMP_NUM_THREADS='1')
            r = subprocess.run([sys.executable, '-c', PREPARE, *paths], env=env, capture_output=True, text=True)
            out[k].append(float(r.stdout.strip().splitlines()[-1]) if r.returncode == 0 else r.stderr[-500:])
    return {k: dict(ms=statistics.median(v), rounds=v, tree=trees[k]) for k, v in out.items()}


def memory(paths: list[str], n: int, chunk: int) -> dict:
    "Resident MB of hdsr-read and its 2 workers, sampled every second while they read `n` images (paths repeated)."
    with tempfile.TemporaryDirectory() as d:
        listed = Path(d) / 'paths.txt'
        listed.write_text(''.join(f'{paths[i % len(paths)]}\n' for i in range(n)))
        out = Path(d) / 'r.csv'
        cmd = [BIN / 'hdsr-read', listed, '--out', out, '--workers', '2', '--chunk', str(chunk), '--quiet']
        proc, samples, start = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True), [], time.perf_counter()
        while proc.poll() is None:
            done = out.read_text().count('\n') - 1 if out.exists() else 0
            samples.append(
                dict(s=round(time.perf_counter() - start, 1), images=max(0, done), mb=round(rss_mb(proc.pid)))
            )
            time.sleep(1)
        rows = out.read_text().count('\n') - 1
    after_start = [s['mb'] for s in samples if s['images'] >= 2 * chunk]
    quarter = [s['mb'] for s in samples if s['images'] >= n // 4]
    return dict(
        images=n,
        rows=rows,
        seconds=time.perf_counter() - start,
        peak_mb=max(after_start, default=None),
        mb_at_quarter=quarter[0] if quarter else None,
        mb_at_end=after_start[-1] if after_start else None,
        samples=samples[:: max(1, len(samples) // 40)],
        summary=proc.stderr.read().strip().splitlines()[-1],
    )


def read_rows(path: Path) -> list[dict]:
    with open(path, newline='') as f:
        return list(csv.DictReader(f))


def killed_and_resumed(paths: list[str], chunk: int) -> dict:
    "Kill `hdsr-read` (and its workers) at a third and at two thirds, resume, and compare with a run never killed."
    with tempfile.TemporaryDirectory() as d:
        listed = Path(d) / 'paths.txt'
        listed.write_text(''.join(f'{p}\n' for p in paths))
        base = [BIN / 'hdsr-read', listed, '--workers', '2', '--chunk', str(chunk), '--quiet']
        subprocess.run([*base, '--out', Path(d) / 'whole.csv'], check=True, capture_output=True)
        out, kills = Path(d) / 'killed.csv', []
        for share in (1 / 3, 2 / 3):
            proc = subprocess.Popen(
                [*base, '--out', out, '--resume'], stderr=subprocess.DEVNULL, start_new_session=True
            )
            while proc.poll() is None and (not out.exists() or out.read_text().count('\n') - 1 < share * len(paths)):
                time.sleep(0.02)
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            kills.append(out.read_text().count('\n') - 1)
        subprocess.run([*base, '--out', out, '--resume'], check=True, capture_output=True)
        whole, resumed = read_rows(Path(d) / 'whole.csv'), read_rows(out)
    paths_whole, paths_resumed = [r['path'] for r in whole], [r['path'] for r in resumed]
    key = lambda r: (r['path'], r['text'], r['accepted'], r['refused'], r['alternatives'])
    return dict(
        images=len(paths),
        rows_when_killed=kills,
        rows=len(resumed),
        lost=len(set(paths_whole) - set(paths_resumed)),
        twice=len(paths_resumed) - len(set(paths_resumed)),
        same_order=paths_whole == paths_resumed,
        readings_differ=sum(key(a) != key(b) for a, b in zip(whole, resumed)),
        max_confidence_diff=max(
            abs(float(a['confidence'] or 0) - float(b['confidence'] or 0)) for a, b in zip(whole, resumed)
        ),
    )


def share(x: float | None) -> str:
    "A share with 4 decimals, or 'none' (nothing accepted)."
    return 'none' if x is None else f'{x:.4f}'


def page_of(path: Path) -> str:
    "A register crop's page: its name up to `_row_id` (born_K2697_0125a-FM_row_id_3.Jpg -> born_K2697_0125a-FM)."
    return path.stem.split('_row_id')[0]


def carried_threshold(lf: LabelledFolder, max_error: float = 0.01) -> list[dict]:
    """A threshold chosen on half of the pages, applied to the other half, both ways: for the error seen there, and for
    its 95 % upper bound."""
    rec = Recognizer.from_pretrained()
    ev = evaluate_folder(rec, lf)
    by_name = {r['filename']: r for r in ev['readings']}
    pages = sorted({page_of(p) for p in lf.paths})
    halves = [set(pages[0::2]), set(pages[1::2])]  # alternate pages: both halves span the register

    def figures(half):
        rows = [by_name[f] for p, f in zip(lf.paths, lf.filenames) if page_of(p) in half and f in by_name]
        return [r['confidence'] if r['text'] else 0.0 for r in rows], [r['text'] == r['label'] for r in rows]

    out = []
    for level, chosen_on, applied_to in ((None, 0, 1), (None, 1, 0), (0.95, 0, 1), (0.95, 1, 0)):
        t = choose_threshold(*figures(halves[chosen_on]), max_error, level)
        there = threshold_figures(*figures(halves[applied_to]), t.value)
        out.append(
            dict(
                chosen_for='the error seen' if level is None else f'its {level:.0%} upper bound',
                chosen_on=f'half {"AB"[chosen_on]} ({t.sample} images, {len(halves[chosen_on])} pages)',
                threshold=t.value,
                accepted_there=t.accepted,
                error_there=t.error,
                applied_to=f'half {"AB"[applied_to]} ({there["sample"]} images)',
                accepted=there['accepted'],
                accepted_interval=there['accepted_interval'],
                error=there['error'],
                error_bound=there['error_bound'],
            )
        )
    return out


def main():
    a, load = speed_args(__doc__, 'read_folder', baseline=None)
    name, lf = crops(a.quick)
    paths = [str(p) for p in lf.paths]
    chunk = 32
    res = dict(crops=name, images=len(paths))
    res['results'] = speeds(paths, 1 if a.quick else 2, 8 if a.quick else chunk)
    res['prepare'] = prepare_ms(paths[: 40 if a.quick else 400], a.baseline, 1 if a.quick else 3)
    res['memory'] = memory(paths, 200 if a.quick else 20_000, 8 if a.quick else chunk)
    res['resume'] = killed_and_resumed(paths[:96] if a.quick else paths, 8 if a.quick else chunk)
    res['threshold'] = carried_threshold(lf) if name == 'register-valid' and not a.quick else None
    speed = {r['run']: r for r in res['results']}
    ratio = speed['2 workers']['images_per_s'] / speed['1 worker']['images_per_s']
    res['two_over_one'] = ratio
    cpu = machine(torch.device('cpu'), load)
    mem, resume = res['memory'], res['resume']
    lines = [
        f"On {len(paths):,} {name} crops, {cpu['cpu']} ({cpu['cores']} cores), counted from the first chunk written:",
        '',
        '| run | images/s | start-up to the first chunk, s | wall, s |',
        '|---|---|---|---|',
        *[
            f"| {r['run']} | {r['images_per_s']:.1f} | {r['first_chunk_s']:.1f} | {r['wall_s']:.1f} |"
            for r in res['results']
        ],
        '',
        f'2 workers read {ratio:.2f}x as many images/s as 1.',
        '',
        'Pre-processing a real crop, one thread: '
        + ', '.join(f"{k} {v['ms']:.2f} ms" for k, v in res['prepare'].items()),
        '',
        f"Memory of hdsr-read and 2 workers over {mem['images']:,} images: {mem['mb_at_quarter']} MB at a quarter, "
        f"{mem['mb_at_end']} MB at the end, peak {mem['peak_mb']} MB ({mem['summary']}).",
        '',
        f"Killed at {resume['rows_when_killed']} rows of {resume['images']} and resumed twice: {resume['lost']} lost, "
        f"{resume['twice']} written twice, same order {resume['same_order']}, {resume['readings_differ']} readings "
        f"differ from a run never killed (largest confidence difference {resume['max_confidence_diff']:.4f}).",
    ]
    if res['threshold']:
        lines += [
            '',
            'A threshold chosen for at most 1 % error (the error seen, or its 95 % upper bound) on half of the '
            'register pages, applied to the other half:',
            '',
            '| 1 % for | chosen on | threshold | accepted there | applied to | accepted | wrong (95 % bound) |',
            '|---|---|---|---|---|---|---|',
            *[
                f"| {t['chosen_for']} | {t['chosen_on']} | {t['threshold']:.4f} | {t['accepted_there']:.3f} | "
                f"{t['applied_to']} | {t['accepted']:.3f} | {share(t['error'])} ({share(t['error_bound'])}) |"
                for t in res['threshold']
            ],
        ]
    write_results(a.out, 'Reading a folder: hdsr-read', '', '\n'.join(lines), machine=cpu, **res)


if __name__ == '__main__':
    main()

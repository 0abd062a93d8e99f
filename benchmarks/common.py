"What every benchmark shares: timing, the machine it ran on, and where its results go."

from __future__ import annotations
import argparse, datetime, io, json, os, platform, shlex, statistics, sys, time
from pathlib import Path
import numpy as np
import torch
from PIL import Image
from hdsr.core.config import cpu_bf16_flags

RESULTS = Path(__file__).parent / 'results'


def speed_args(doc: str, name: str, **options) -> tuple[argparse.Namespace, tuple]:
    """The options of a CPU speed benchmark (--quick, --threads, --out, and `options`: --name with its default),
    parsed; torch set to the threads; the load average before."""
    ap = argparse.ArgumentParser(description=doc.split('\n')[0])
    ap.add_argument('--quick', action='store_true', help='tiny sizes, to check that the benchmark runs')
    ap.add_argument('--threads', type=int, default=os.cpu_count())
    ap.add_argument('--out', default=RESULTS / name)
    for option, default in options.items():
        ap.add_argument(f'--{option}', default=default)
    a = ap.parse_args()
    load = os.getloadavg()
    torch.set_num_threads(a.threads)
    return a, load


def median_seconds(fn, repeats: int, sync=lambda: None) -> float:
    "Median wall time of `fn()` over `repeats` timed calls after one warm-up call."
    fn()
    sync()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def machine(device: torch.device, load: tuple) -> dict:
    "Where the benchmark ran; `load` is the load average (1, 5, 15 min) before it started."
    cpuinfo = Path('/proc/cpuinfo')
    lines = cpuinfo.read_text().splitlines() if cpuinfo.is_file() else []
    cpu = next((l.split(':', 1)[1].strip() for l in lines if l.startswith('model name')), platform.processor() or None)
    return dict(
        platform=platform.platform(),
        python=platform.python_version(),
        torch=torch.__version__,
        cpu=cpu,
        cores=os.cpu_count(),
        torch_threads=torch.get_num_threads(),
        bf16_flags=cpu_bf16_flags(),  # what decides precision='auto' on a CPU
        load_before=load,
        gpu=torch.cuda.get_device_name(device) if device.type == 'cuda' else None,
        date=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds'),
    )


def write_results(out: str | Path, title: str, note: str, md: str, **result) -> dict:
    "Write `out`.json (the command, `result`) and `out`.md (title, command, note, table)."
    command = shlex.join(['python', *sys.argv])
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    result = dict(command=command, **result)
    out.with_suffix('.json').write_text(json.dumps(result, indent=2) + '\n')
    machine = result.get('machine') if isinstance(result.get('machine'), dict) else {}
    where = f"\n\nMachine: {machine['cpu']}, {machine.get('cores')} cores." if machine.get('cpu') else ''
    out.with_suffix('.md').write_text(f'# {title}\n\n`{command}`{note}{where}\n\n{md}\n')
    return result


def png(a: np.ndarray) -> bytes:
    "A uint8 array as PNG bytes."
    buf = io.BytesIO()
    Image.fromarray(a).save(buf, format='PNG')
    return buf.getvalue()


def seed_strings(n: int, generator: int = 20):
    "n seed-protocol strings of MNIST test digits (32x140): the batch, and each as a uint8 array."
    from hdsr.data.synth import PRESETS, digit_splits, synthesize

    s = synthesize(digit_splits()['test'], n, PRESETS['seed'], generator=generator)
    return s, [(im[0] * 255).byte().numpy() for im in s.images]

"""The HTTP API under load: a real `hdsr-serve` (uvicorn) on 127.0.0.1, driven by an httpx client on the same machine.

- Latency: one 140x32 PNG (a seed-protocol test string) as the reference's JSON data URI, one request at a time;
  p50, p90, p99.
- Load: 2,000 such requests, 16 in flight at a time; errors, wrong readings (answers other than the in-process
  reading), p50, p99 and requests per second.
Both for the shipped model on torch and on onnxruntime (`--model hdsr/weights/default.onnx`). The client shares the
machine's cores with the server, so the figures are what one machine does for itself, not what the server alone could.

Run: python benchmarks/serve_load.py [--quick] [--requests 2000] [--concurrency 16]
"""

from __future__ import annotations
import argparse, asyncio, base64, io, os, socket, statistics, subprocess, sys, tempfile, time
from pathlib import Path
import httpx
import torch
from PIL import Image
from hdsr.model.weights import PRETRAINED_ONNX
from hdsr.read.recognize import Recognizer
from hdsr.data.synth import PRESETS, digit_splits, synthesize
from common import RESULTS, machine, write_results

BIN = Path(sys.executable).parent


def sample_request() -> tuple[dict, str]:
    """A 140x32 PNG of a seed-protocol test string as {'image': data URI}, and what the shipped model reads in this
    process."""
    s = synthesize(digit_splits()['test'], 1, PRESETS['seed'], generator=5)
    buf = io.BytesIO()
    Image.fromarray((s.images[0, 0] * 255).byte().numpy()).save(buf, 'PNG')
    # a server must answer what the recognizer reads
    reading = Recognizer.from_pretrained().recognize(buf.getvalue()).text
    return {'image': 'data:image/png;base64,' + base64.b64encode(buf.getvalue()).decode()}, reading


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def start_server(
    model: str | None = None, port: int | None = None, env: dict | None = None, cmd: list | None = None, cwd=None
) -> tuple[subprocess.Popen, str]:
    "Start `hdsr-serve` (or `cmd`, serving on `port`) on 127.0.0.1 and wait until /health answers; (process, base URL)."
    port = port or free_port()
    cmd = cmd or [str(BIN / 'hdsr-serve'), '--host', '127.0.0.1', '--port', str(port)] + (
        ['--model', model] if model else []
    )
    # a pipe nobody reads would fill and stall the server
    log = tempfile.NamedTemporaryFile('w+', prefix='hdsr-serve-', suffix='.log', delete=False)
    proc = subprocess.Popen(cmd, env=env or os.environ.copy(), cwd=cwd, stdout=log, stderr=subprocess.STDOUT, text=True)
    proc.log = Path(log.name)
    url = f'http://127.0.0.1:{port}'
    for _ in range(240):
        if proc.poll() is not None:
            raise RuntimeError(f'hdsr-serve exited with {proc.returncode}: {proc.log.read_text()[-2000:]}')
        try:
            if httpx.get(url + '/health', timeout=1).status_code == 200:
                return proc, url
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    proc.kill()
    raise RuntimeError('hdsr-serve did not answer /health within 60 s')


def stop_server(proc: subprocess.Popen):
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    proc.log.unlink(missing_ok=True)


def quantiles(times: list[float]) -> dict:
    q = statistics.quantiles(times, n=100)
    return dict(
        p50_ms=round(statistics.median(times) * 1000, 2), p90_ms=round(q[89] * 1000, 2), p99_ms=round(q[98] * 1000, 2)
    )


async def load(url: str, body: dict, expected: str, requests: int, concurrency: int) -> dict:
    """`requests` POST /predict with `concurrency` in flight: status counts, wrong readings, latency quantiles, requests
    per second."""
    times, statuses, wrong = [], {}, 0
    queue = iter(range(requests))
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=httpx.Limits(max_connections=concurrency)) as client:

        async def worker():
            nonlocal wrong
            for _ in queue:
                t0 = time.perf_counter()
                r = await client.post('/predict', json=body)
                times.append(time.perf_counter() - t0)
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                wrong += r.status_code == 200 and r.json()['prediction'] != expected

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - t0
    errors = sum(n for s, n in statuses.items() if s != 200)
    return dict(
        requests=requests,
        concurrency=concurrency,
        errors=errors,
        wrong=wrong,
        statuses=statuses,
        requests_per_s=round(requests / wall, 1),
        **quantiles(times),
    )


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--quick', action='store_true', help='200 requests per measurement (for tests)')
    p.add_argument('--requests', type=int, default=2000)
    p.add_argument('--concurrency', type=int, default=16)
    p.add_argument('--out', default=str(RESULTS / 'serve_load'))
    a = p.parse_args()
    n = 200 if a.quick else a.requests
    load_before = os.getloadavg()
    body, expected = sample_request()
    rows = []
    for backend, model in [('torch fp32', None), ('onnxruntime fp32', str(PRETRAINED_ONNX))]:
        proc, url = start_server(model)
        try:
            asyncio.run(load(url, body, expected, 50, 4))  # warm-up
            one = asyncio.run(load(url, body, expected, n // 4, 1))
            many = asyncio.run(load(url, body, expected, n, a.concurrency))
        finally:
            stop_server(proc)
        rows.append(dict(backend=backend, sequential=one, concurrent=many))
        print(backend, one, many, flush=True)
    md = [
        '| model | one at a time: p50 / p99 ms | req/s | 16 in flight: p50 / p99 ms | req/s | errors | wrong |',
        '|---|---|---|---|---|---|---|',
    ]
    md += [
        f"| {r['backend']} | {r['sequential']['p50_ms']} / {r['sequential']['p99_ms']} | "
        f"{r['sequential']['requests_per_s']} | "
        f"{r['concurrent']['p50_ms']} / {r['concurrent']['p99_ms']} | {r['concurrent']['requests_per_s']} | "
        f"{r['concurrent']['errors']} | {r['concurrent']['wrong']} |"
        for r in rows
    ]
    note = (
        f'\n\nOne 140x32 PNG ({len(body["image"])} characters as a data URI), POST /predict over loopback to '
        f'`hdsr-serve` (uvicorn, one process); {n // 4} requests one at a time, then {n} with {a.concurrency} in '
        'flight. The client runs on the same cores.'
    )
    write_results(
        a.out,
        'Serving: latency and load',
        note,
        '\n'.join(md),
        machine=machine(torch.device('cpu'), load_before),
        results=rows,
    )


if __name__ == '__main__':
    main()

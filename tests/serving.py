"""What the tests that start `hdsr-serve` or `hdsr-app` share: a free port, the servers' start and stop, a reference
request, a load."""

import asyncio, base64, io, os, socket, subprocess, tempfile, time, urllib.request
from pathlib import Path
import httpx
from PIL import Image
from conftest import BIN, require_marker


def free_port() -> int:
    "A TCP port on 127.0.0.1 that nothing listens on now."
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def sample_request() -> tuple[dict, str]:
    "A 140x32 PNG of a seed-protocol test string as {'image': data URI}; what the shipped model reads in this process."
    from hdsr.read.recognize import Recognizer
    from hdsr.data.synth import PRESETS, digit_splits, synthesize

    s = synthesize(digit_splits()['test'], 1, PRESETS['seed'], generator=5)
    buf = io.BytesIO()
    Image.fromarray((s.images[0, 0] * 255).byte().numpy()).save(buf, 'PNG')
    reading = Recognizer.from_pretrained().recognize(buf.getvalue()).text  # what a server must answer
    return {'image': 'data:image/png;base64,' + base64.b64encode(buf.getvalue()).decode()}, reading


def start_server(
    model: str | None = None, port: int | None = None, env: dict | None = None, cmd: list | None = None, cwd=None
) -> tuple[subprocess.Popen, str]:
    "Start `hdsr-serve` (or `cmd`, serving on `port`) on 127.0.0.1 and wait until /health answers; (process, base URL)."
    require_marker('server')
    port = port or free_port()
    model_args = ['--model', model] if model else []
    cmd = cmd or [str(BIN / 'hdsr-serve'), '--host', '127.0.0.1', '--port', str(port)] + model_args
    # a pipe nobody reads would fill and stall the server: its output goes to a file
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


def start_app(cwd: Path, env: dict, *args: str) -> tuple[subprocess.Popen, str]:
    "`hdsr-app *args` in `cwd` on a free port (its log there); (process, URL) once Streamlit's health check answers."
    require_marker('server')
    port = free_port()
    log_path = Path(cwd) / f'app-{port}.log'
    with open(log_path, 'w') as log:
        proc = subprocess.Popen(
            [BIN / 'hdsr-app', '--port', str(port), *args], env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT
        )
    url = f'http://127.0.0.1:{port}'
    for _ in range(240):
        if proc.poll() is not None:
            raise RuntimeError(f'hdsr-app exited with {proc.returncode}: {log_path.read_text()[-3000:]}')
        try:
            if urllib.request.urlopen(url + '/_stcore/health', timeout=2).read() == b'ok':
                return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError('hdsr-app did not start within 2 minutes:\n' + log_path.read_text()[-3000:])


def stop_server(proc: subprocess.Popen):
    "Terminate a server from `start_server` (kill it after 10 s) and remove its log."
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    proc.log.unlink(missing_ok=True)


async def load(url: str, body: dict, expected: str, requests: int, concurrency: int) -> dict:
    "`requests` POST /predict with `concurrency` in flight: status counts, readings other than `expected`, seconds."
    statuses, wrong = {}, 0
    queue = iter(range(requests))
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=httpx.Limits(max_connections=concurrency)) as client:

        async def worker():
            nonlocal wrong
            for _ in queue:
                r = await client.post('/predict', json=body)
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                wrong += r.status_code == 200 and r.json()['prediction'] != expected

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return dict(
        requests=requests,
        concurrency=concurrency,
        statuses=statuses,
        wrong=wrong,
        seconds=round(time.perf_counter() - t0, 2),
    )

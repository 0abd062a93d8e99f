"""The Dockerfiles' own commands, run without Docker (no engine runs here): their RUN lines install into a scratch venv
or folder exactly as written, then their CMD starts the API, a bare python without torch calls the Lambda handler, or
the training image's ENTRYPOINT trains a tiny run."""

import json, os, re, shlex, subprocess
from pathlib import Path
import httpx, pytest
from conftest import ROOT
from installs import PYTHON, build_context, fresh_venv, installed
from serving import free_port, sample_request, start_server, stop_server

pytestmark = pytest.mark.slow  # each test pip-installs the project afresh


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    "(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments dropped."
    text = re.sub(
        r'\\\n', ' ', '\n'.join(l for l in dockerfile.read_text().splitlines() if not l.lstrip().startswith('#'))
    )
    return [(l.split(None, 1)[0].upper(), l.split(None, 1)[1].strip()) for l in text.splitlines() if l.strip()]


def expand(value: str, env: dict) -> str:
    "`$NAME` and `${NAME}` in a Dockerfile's ENV value, from `env`."
    return re.sub(r'\$\{?(\w+)\}?', lambda m: env.get(m.group(1), ''), value)


def run_lines(dockerfile: Path, env: dict, cwd: Path, paths: dict, system: tuple = ()) -> list[str]:
    """Run the file's RUN lines with bash (paths of the image mapped to scratch ones), but those that begin with one of
    `system` (the base image's own setup, apt-get); its ENTRYPOINT and CMD, as one list."""
    entrypoint, cmd = [], []
    for op, args in instructions(dockerfile):
        for image_path, here in paths.items():
            args = args.replace(image_path, str(here))
        if op == 'RUN' and not args.startswith(system):
            r = subprocess.run(
                ['bash', '-eo', 'pipefail', '-c', args], cwd=cwd, env=env, capture_output=True, text=True, timeout=1200
            )
            assert r.returncode == 0, f'{dockerfile.name}: RUN {args}\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}'
        elif op == 'ENV':
            env.update({k: expand(v, env) for k, v in (kv.split('=', 1) for kv in shlex.split(args))})
        elif op == 'ENTRYPOINT':
            entrypoint = json.loads(args)
        elif op == 'CMD':
            cmd = json.loads(args)
    return entrypoint + cmd


@pytest.mark.server
def test_server_image_commands_serve_the_api(tmp_path):
    """server.Dockerfile: `pip install -c constraints.txt .[serve]` into a fresh venv (no torch), then its CMD
    `hdsr-serve` answers."""
    app = build_context(tmp_path / 'app')
    assert not (app / '.venv').exists() and (app / 'constraints.txt').is_file()
    # what is installed is the same; only the .pyc files of this scratch venv are left out
    env = fresh_venv(tmp_path / 'venv') | {'PIP_NO_COMPILE': '1'}
    cmd = run_lines(ROOT / 'docker' / 'server.Dockerfile', env, app, {})
    assert cmd == ['hdsr-serve'] and env['HDSR_HOST'] == '0.0.0.0'
    port = free_port()
    # as `docker run -e` would; 0.0.0.0 is not for a test
    env.update(HDSR_HOST='127.0.0.1', HDSR_PORT=str(port))
    proc, url = start_server(port=port, env=env, cmd=cmd, cwd=app)
    try:
        body, label = sample_request()
        assert httpx.post(url + '/predict', json=body).json()['prediction'] == label
        where = subprocess.run(
            [tmp_path / 'venv' / 'bin' / 'python', '-c', 'import hdsr; print(hdsr.__file__)'],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
        )
        # the image runs the installed package, not the source tree
        assert 'site-packages' in where.stdout, where
        # on onnxruntime: hdsr[serve] installs no torch
        packages = installed(tmp_path / 'venv', env)
        assert 'torch' not in packages and 'onnxruntime' in packages
    finally:
        stop_server(proc)


def test_lambda_image_commands_answer_events_without_torch(tmp_path):
    """lambda.Dockerfile: its RUN lines into a scratch LAMBDA_TASK_ROOT; a bare python (no torch there) runs the handler
    on events."""
    src, task = build_context(tmp_path / 'src'), tmp_path / 'task'
    env = {**os.environ, 'PATH': f"{Path(PYTHON).parent}:{os.environ['PATH']}"}
    for k in ('VIRTUAL_ENV', 'PYTHONPATH', 'PYTHONHOME'):
        env.pop(k, None)
    env['LAMBDA_TASK_ROOT'] = str(task)
    cmd = run_lines(
        ROOT / 'docker' / 'lambda.Dockerfile',
        env,
        tmp_path,
        {'/tmp/hdsr': src, 'pip install': f'{PYTHON} -m pip install'},
    )
    assert cmd == ['hdsr.serve.lambda_handler.handler'] and not src.exists()  # the build removed its copy
    module, func = cmd[0].rsplit('.', 1)
    probe = f'''
import json, sys
sys.path.insert(0, {str(task)!r})
import importlib
handler = getattr(importlib.import_module({module!r}), {func!r})
out = {{}}
for name in sys.argv[1:]:
    r = handler(json.load(open(name)), None)
    out[name.rsplit('/', 1)[-1]] = [r['statusCode'], json.loads(r['body'])]
out['torch'] = [m for m in ('torch', 'pytorch_lightning') if m in sys.modules]
print(json.dumps(out))
'''
    bad = tmp_path / 'bad.json'
    bad.write_text(json.dumps({'image': 'data:image/png;base64,iVBOR*'}))
    events = sorted((ROOT / 'docker' / 'events').glob('*.json')) + [bad]
    r = subprocess.run(
        [PYTHON, '-s', '-c', probe, *map(str, events)],
        cwd=tmp_path,
        env={**env, 'HOME': str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads(r.stdout.splitlines()[-1])
    assert out.pop('torch') == []
    assert out.pop('bad.json')[0] == 400
    assert {k: (s, b['prediction']) for k, (s, b) in out.items()} == {e.name: (200, '4711') for e in events[:-1]}
    assert (
        subprocess.run(
            [PYTHON, '-s', '-c', f'import sys; sys.path.insert(0, {str(task)!r}); import torch'], capture_output=True
        ).returncode
        != 0
    )


# a run small enough for the CPU, as `docker run hdsr-train ... --set ...` would pass it
TINY = 'train_size=256,batch_size=32,val_size=64,test_size=64,epochs=1,model={hidden: 32, layers: 1}'


def test_train_image_commands_run_the_experiment(tmp_path):
    """train.Dockerfile: its venv and `pip install -c constraints.txt .[train,notebooks]` into a scratch venv, then its
    ENTRYPOINT with CMD's arguments (plus a tiny --set) trains a run to the end."""
    app, venv = build_context(tmp_path / 'app'), tmp_path / 'venv'
    env = {k: v for k, v in os.environ.items() if k not in ('VIRTUAL_ENV', 'PYTHONPATH', 'PYTHONHOME')}
    env['PIP_NO_COMPILE'] = '1'
    paths = {'/opt/hdsr': venv, 'python3 -m venv': f'{PYTHON} -m venv'}
    cmd = run_lines(ROOT / 'docker' / 'train.Dockerfile', env, app, paths, system=('apt-get',))
    assert cmd == ['hdsr-run', 'nbs/experiments/train.ipynb', '--params', 'nbs/experiments/default.yaml'], cmd
    assert env['PATH'].startswith(f'{venv}/bin:') and env['HDSR_WANDB_MODE'] == 'offline'
    r = subprocess.run(
        [*cmd, '--name', 'tiny', '--runs-dir', tmp_path / 'runs', '--set', TINY],
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    metrics = json.loads((tmp_path / 'runs' / 'tiny' / 'metrics.json').read_text())
    assert 0 <= metrics['test']['cer'] <= 1, metrics
    assert {'torch', 'pytorch-lightning', 'papermill'} <= set(installed(venv, env))

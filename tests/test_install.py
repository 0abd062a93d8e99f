"""The wheel as a user installs it: core only, into a fresh venv (no torch, no Jupyter). There it reads images by path
and by bytes through `Recognizer` and `hdsr-recognize`, the same strings the dev install reads on samples of the three
validation sets; `hdsr-eval` scores a folder; and every module and command outside the core fails with one line that
names its extra. The install's size is recorded in tests/results/install.json. With `[serve]`, hdsr-serve answers
without torch."""

import json, subprocess
from pathlib import Path
import httpx, numpy as np
import pytest
from conftest import ROOT
from installs import build_wheel, fresh_venv, installed, pip_install, tree_bytes
from serving import free_port, sample_request, start_server, stop_server

pytestmark = pytest.mark.slow  # builds the wheel and pip-installs it into a fresh venv

CORE = {
    'recognize',
    'core.config',
    'core.extras',
    'core.vocab',
    'core.geometry',
    'model.weights',
    'read.decode',
    'read.preprocess',
    'read.recognize',
    'read.predictions',
    'read.confidence',
    'read.cli',
    'read.onnx',
    'data.folders',
    'data.documents',
    'data.validation',
    'workflow.evaluate',
    'read.threshold',
    'read.archive',  # its --cluster needs the cluster extra, which it names when asked for
    'serve.review',  # its page needs the app extra, which it names when called
}
EXTRA = {  # the other modules: the extra each one names when it is missing
    'data.mnist': 'train',
    'data.synth': 'train',
    'model.crnn': 'torch',
    'model.ctc': 'train',
    'workflow.train': 'train',
    'workflow.experiments': 'notebooks',
    'workflow.tracking': 'train',
    'serve.canvas': 'notebooks',
    'serve.service': 'serve',
    'serve.server': 'serve',
    'serve.lambda_handler': 'lambda',
    'serve.app': 'app',
    'data.sources': 'train',
    'workflow.real_strings': 'train',
    'workflow.finder': 'train',
}
COMMANDS = {'hdsr-run': 'notebooks', 'hdsr-sweep': 'notebooks', 'hdsr-checkpoint': 'train', 'hdsr-serve': 'serve',
            'hdsr-app': 'app'}  # fmt: skip
NOT_CORE = ('torch', 'torchvision', 'pytorch-lightning', 'jupyterlab', 'notebook', 'papermill', 'fastapi', 'pandas')
MAX_MIB = 400
PER_SET = 100  # images read from each validation set


def test_every_module_is_core_or_names_an_extra():
    modules = {'.'.join(p.relative_to(ROOT / 'hdsr').with_suffix('').parts) for p in (ROOT / 'hdsr').rglob('*.py')}
    modules = {m for m in modules if not m.rsplit('.', 1)[-1].startswith('_')}
    assert modules == CORE | set(EXTRA)


@pytest.fixture(scope='module')
def wheel(tmp_path_factory) -> Path:
    return build_wheel(tmp_path_factory.mktemp('dist'))


def venv_with(wheel: Path, extra: str, d: Path) -> tuple[Path, dict]:
    "A fresh venv under `d` with `wheel[extra]` installed: (venv, its environment)."
    venv = d / 'venv'
    env = fresh_venv(venv) | {'HOME': str(d)}
    pip_install(venv, f'{wheel}{extra}', env=env)
    return venv, env


@pytest.fixture(scope='module')
def core(wheel, tmp_path_factory) -> tuple[Path, dict]:
    "A fresh venv with the wheel and its core dependencies only: (venv, its environment)."
    return venv_with(wheel, '', tmp_path_factory.mktemp('core'))


def sample_images() -> list[str]:
    "The first PER_SET images of each validation set on this machine (fields needs MNIST only; the others real data)."
    from hdsr.data.folders import read_labelled
    from hdsr.data.validation import validation_sets

    sets = validation_sets(quiet=True)
    assert 'fields' in sets
    return [str(p) for folder in sets.values() for p in read_labelled(folder).first(PER_SET).paths]


def run(venv: Path, env: dict, *cmd, **kw) -> subprocess.CompletedProcess:
    "A command of the venv (bin/NAME), or its python with `-c CODE`, run away from the checkout."
    kw = dict(env=env, cwd=env['HOME'], capture_output=True, text=True, timeout=600) | kw
    return subprocess.run([venv / 'bin' / cmd[0], *cmd[1:]], **kw)


def test_core_install_is_small_and_has_no_torch_or_jupyter(core):
    venv, env = core
    packages = installed(venv, env)
    assert not [p for p in NOT_CORE if p in packages], packages
    mib = tree_bytes(venv) / 2**20
    out = ROOT / 'tests' / 'results' / 'install.json'
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(dict(core_mib=round(mib, 1), packages=packages), indent=1))
    print(f'core install: {mib:.0f} MiB, {len(packages)} distributions')
    assert mib < MAX_MIB


READ = '''
import json, sys
from pathlib import Path
from hdsr.read.recognize import Recognizer
paths = json.load(open(sys.argv[1]))
rec = Recognizer.from_pretrained()
read = lambda images: [[p.text, p.confidence] for p in rec.recognize(images)]
heavy = sorted({m.split('.')[0] for m in sys.modules} & {'torch', 'pydantic', 'pandas', 'matplotlib'})
print(json.dumps(dict(backend=type(rec.backend).__name__, path=read(paths),
                      bytes=read([Path(p).read_bytes() for p in paths]), heavy=heavy)))
'''


def test_core_reads_what_the_dev_install_reads(core, tmp_path):
    from hdsr.read.recognize import Recognizer

    venv, env = core
    paths = sample_images()
    (tmp_path / 'paths.json').write_text(json.dumps(paths))
    r = run(venv, env, 'python', '-c', READ, tmp_path / 'paths.json')
    assert r.returncode == 0, r.stderr[-3000:]
    got = json.loads(r.stdout)
    assert got['backend'] == 'OnnxBackend' and got['heavy'] == []
    # dev reads on torch: in fp32, the precision of every CPU without fast bf16
    dev = [[p.text, p.confidence] for p in Recognizer.from_pretrained(precision='fp32').recognize(paths)]
    for how in ('path', 'bytes'):
        assert [t for t, _ in got[how]] == [t for t, _ in dev], how
        np.testing.assert_allclose([c for _, c in got[how]], [c for _, c in dev], atol=1e-4)
    cli = run(venv, env, 'hdsr-recognize', *paths)
    assert cli.returncode == 0, cli.stderr[-3000:]
    assert [l.split('\t')[1] for l in cli.stdout.splitlines()] == [t for t, _ in dev]
    one = run(venv, env, 'hdsr-recognize', '-', '--json', input=Path(paths[0]).read_bytes(), text=False)
    assert one.returncode == 0, one.stderr[-3000:]
    assert json.loads(one.stdout)['text'] == dev[0][0]
    listed = tmp_path / 'paths.txt'
    listed.write_text(''.join(f'{p}\n' for p in paths))
    archive = run(venv, env, 'hdsr-read', listed, '--out', tmp_path / 'r.jsonl', '--workers', '2', '--quiet')
    assert archive.returncode == 0, archive.stderr[-3000:]
    assert [json.loads(l)['text'] for l in (tmp_path / 'r.jsonl').read_text().splitlines()] == [t for t, _ in dev]


def test_core_scores_a_folder_with_hdsr_eval(core, tmp_path):
    from hdsr.data.validation import validation_set
    from hdsr.workflow.evaluate import evaluate_folder
    from hdsr.read.recognize import Recognizer

    venv, env = core
    folder = validation_set('fields')
    r = run(venv, env, 'hdsr-eval', folder, '--limit', '60', '--json', tmp_path / 'ev.json')
    assert r.returncode == 0, r.stderr[-3000:]
    assert 'not drawn' in r.stdout and 'pip install "hdsr[notebooks]"' in r.stdout  # no matplotlib in the core
    got = json.loads((tmp_path / 'ev.json').read_text())
    dev = evaluate_folder(Recognizer.from_pretrained(precision='fp32'), folder, limit=60)
    assert (got['n'], got['exact'], got['cer']) == (dev['n'], dev['exact'], dev['cer'])


PROBE = '''
import importlib, json, sys
out = {}
for name in sys.argv[1:]:
    try:
        importlib.import_module('hdsr.' + name)
        out[name] = None
    except ModuleNotFoundError as e:
        out[name] = [type(e).__name__, str(e)]
print(json.dumps(out))
'''


def test_outside_the_core_one_line_names_the_extra(core):
    venv, env = core
    r = run(venv, env, 'python', '-c', PROBE, *sorted(CORE), *EXTRA)
    assert r.returncode == 0, r.stderr[-3000:]
    got = json.loads(r.stdout)
    assert {m: got[m] for m in CORE} == dict.fromkeys(CORE)
    for module, extra in EXTRA.items():
        kind, message = got[module]
        assert kind == 'MissingExtra' and '\n' not in message, (module, message)
        assert message.startswith(f'hdsr.{module} needs ') and message.endswith(f'pip install "hdsr[{extra}]"'), message
    for command, extra in COMMANDS.items():
        r = run(venv, env, command, '--help')
        assert r.returncode == 1, (command, r.stdout)
        assert r.stderr.strip().splitlines()[-1].endswith(f'pip install "hdsr[{extra}]"'), (command, r.stderr)


@pytest.mark.server
def test_the_serve_extra_serves_predict_without_torch(wheel, tmp_path):
    "`pip install <wheel>[serve]`: hdsr-serve answers /predict on onnxruntime, with no torch installed."
    venv, env = venv_with(wheel, '[serve]', tmp_path)
    assert 'torch' not in installed(venv, env)
    port = free_port()
    cmd = [str(venv / 'bin' / 'hdsr-serve'), '--host', '127.0.0.1', '--port', str(port)]
    proc, url = start_server(port=port, env=env, cmd=cmd, cwd=tmp_path)
    try:
        body, label = sample_request()
        assert httpx.post(url + '/predict', json=body).json()['prediction'] == label
    finally:
        stop_server(proc)

"The experiment notebook end to end under papermill: a real run folder, bad parameters, a crash."

import json, subprocess
import pytest, torch
import pandas as pd
from conftest import ROOT, BIN
from hdsr.read.recognize import Recognizer
from hdsr.data.synth import PRESETS, digit_splits, synthesize

TRAIN_NB = ROOT / 'nbs' / 'experiments' / 'train.ipynb'


def as_sets(params: dict) -> str:
    "Parameters as hdsr-run's --set string."
    return ','.join(f'{k}={json.dumps(v)}' for k, v in params.items())


def check_checkpoint(ckpt):
    "Recognizer.from_checkpoint holds the network weights `ckpt` stored, and reads a test string as digits only."
    ck = torch.load(ckpt, map_location='cpu', weights_only=True)
    stored = {k.removeprefix('model.'): v for k, v in ck['state_dict'].items() if k.startswith('model.')}
    rec = Recognizer.from_checkpoint(ckpt)
    state = rec.model.state_dict()
    assert stored and state.keys() == stored.keys(), sorted(set(state) ^ set(stored))
    assert all(torch.equal(state[k].cpu(), v) for k, v in stored.items()), 'the loaded weights are not the stored ones'
    s = synthesize(digit_splits()['test'], 1, PRESETS['seed'], generator=5)
    reading = rec.recognize((s.images[0, 0] * 255).byte().numpy())
    assert set(reading.text) <= set('0123456789') and len(reading.digits) == len(reading.text), reading


def hdsr_run(tmp_path, env, name, **params):
    sets = as_sets(params)
    cmd = [BIN / 'hdsr-run', TRAIN_NB, '--name', name, '--runs-dir', tmp_path] + (['--set', sets] if sets else [])
    r = subprocess.run(
        cmd, cwd=ROOT, env={**env, 'HDSR_WANDB_MODE': 'offline'}, capture_output=True, text=True, timeout=600
    )
    return r, tmp_path / name


@pytest.mark.slow  # papermill runs the experiment notebook
def test_a_run_writes_its_folder(tmp_path, env):
    # max_overlap on its own, as older recipes and sweeps give it: params.json has it in synth
    r, rd = hdsr_run(
        tmp_path,
        env,
        'tiny',
        epochs=2,
        train_size=256,
        batch_size=32,
        model={'hidden': 32, 'layers': 1},
        max_overlap=0.3,
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    for f in (
        'train.ipynb',
        'params.json',
        'metrics.json',
        'status.json',
        'history.csv',
        'samples.png',
        'learning_curves.png',
        'checkpoints/best.ckpt',
        'checkpoints/last.ckpt',
    ):
        assert (rd / f).exists(), f
    m = json.loads((rd / 'metrics.json').read_text())
    assert {'cer', 'per_sample_cer', 'exact', 'size'} <= set(m['test']) and m['test']['size'] == 64
    assert m['epochs'] == 2 and m['device'] == 'cpu'
    assert json.loads((rd / 'status.json').read_text())['status'] == 'finished'
    params = json.loads((rd / 'params.json').read_text())
    assert params['train_size'] == 256 and params['model'] == {'hidden': 32, 'layers': 1}
    assert params['synth']['max_overlap'] == 0.3 and 'max_overlap' not in params
    assert 'epoch 1 step 16: train loss' in r.stdout  # one line per epoch, streamed
    assert 'per_sample_cer' in r.stdout and 'cer (standard)' in r.stdout  # the printed metrics table
    assert list((rd / 'wandb').glob('offline-run-*')), 'W&B offline run missing'
    check_checkpoint(rd / 'checkpoints' / 'best.ckpt')


# Each case starts hdsr-run (about 5 s): make check runs the cross-field one; TrainConfig's own checks are quick cells
# of nbs/40_workflow/42_train.
def slow_case(*values):
    "A parameter set marked slow."
    return pytest.param(*values, marks=pytest.mark.slow)


@pytest.mark.parametrize(
    'param,value',
    [
        slow_case('min_overlap', -0.1),
        ('min_overlap', 0.35),
        slow_case('max_length', 0),
        slow_case('arch', 'resnet'),
        slow_case('batch_size', 0),
        slow_case('devices', 0),
    ],
)
def test_bad_parameters_are_refused_before_a_kernel_starts(tmp_path, env, param, value):
    "The notebook's validator (run_config) runs in hdsr-run itself: no run folder, no kernel, the parameter named."
    params = {param: value, **({'max_overlap': 0.2} if (param, value) == ('min_overlap', 0.35) else {})}
    r, rd = hdsr_run(tmp_path, env, 'bad', **params)
    assert r.returncode != 0 and param in r.stderr and 'train.ipynb' in r.stderr, r.stderr[-2000:]
    assert not rd.exists() and not (tmp_path / '.running').exists()
    assert 'Kernel' not in r.stderr  # refused before papermill started anything


@pytest.mark.slow  # a papermill kernel starts, then the Trainer fails
@pytest.mark.skipif(torch.cuda.is_available(), reason='needs a machine without a GPU to make device=cuda crash')
def test_a_crash_leaves_status_and_no_metrics(tmp_path, env):
    "device=cuda passes the parameter check but the Trainer cannot start on a CPU-only machine: a real mid-run crash."
    r, rd = hdsr_run(tmp_path, env, 'crash', device='cuda')
    assert r.returncode != 0
    status = json.loads((rd / 'status.json').read_text())
    assert status['status'] == 'failed' and status['traceback'], status
    assert (rd / 'params.json').exists() and not (rd / 'metrics.json').exists()


def test_finished_run_is_not_overwritten(tmp_path, env):
    (tmp_path / 'done').mkdir()
    (tmp_path / 'done' / 'metrics.json').write_text('{}')
    r, _ = hdsr_run(tmp_path, env, 'done')
    assert r.returncode != 0 and 'already holds a finished run' in r.stderr


@pytest.mark.parametrize(
    'recipe', ['default', 'pretrained', 'reference', 'handwriting', 'handwriting-stage2', 'documents', 'capacity']
)
def test_experiment_parameter_files_are_valid(recipe, tmp_path):
    """default.yaml (`make run`), the shipped models' recipes, reference.yaml: every key is a notebook parameter,
    TrainConfig accepts the values."""
    from hdsr.workflow.experiments import parse_params
    from hdsr.workflow.train import run_config

    params = parse_params(ROOT / 'nbs' / 'experiments' / f'{recipe}.yaml')
    # a later stage names an earlier stage's run, which a fresh clone lacks: refused, naming it, while it is absent
    if params.get('init', '').startswith('run:'):
        stage = params['init'].removeprefix('run:')
        assert stage == 'handwriting' and (ROOT / 'nbs' / 'experiments' / f'{stage}.yaml').is_file()
        with pytest.raises(ValueError, match=f'there is no run {stage} under'):
            run_config(**params, runs_dir=tmp_path)
        params['init'] = ''
    run_config(**params)
    src = ''.join(
        next(
            c['source']
            for c in json.loads(TRAIN_NB.read_text())['cells']
            if 'parameters' in c['metadata'].get('tags', [])
        )
    )
    assert all(f'\n{k} = ' in '\n' + src for k in params), [k for k in params if f'\n{k} = ' not in '\n' + src]


def test_unknown_parameter_is_refused_before_the_run_starts(tmp_path, env):
    r, rd = hdsr_run(tmp_path, env, 'typo', epoch=3)
    assert r.returncode != 0 and 'has no parameter epoch' in r.stderr and not rd.exists()


# --- research workflow: atomic folders, resume, reproducibility, data-parallel, sweeps ---
import os, shutil, signal, time
from pathlib import Path
from hdsr.workflow.experiments import load_runs, run_status

TINY = dict(train_size=512, batch_size=32, val_size=64, test_size=64, model={'hidden': 32, 'layers': 1})


@pytest.mark.slow  # papermill runs the experiment notebook
def test_a_run_is_built_aside_and_moved_into_place(tmp_path, env):
    "While it runs, a run lives under .running/ (never half-written at runs/<name>); then it is moved whole."
    proc = subprocess.Popen(
        [BIN / 'hdsr-run', TRAIN_NB, '--name', 'aside', '--runs-dir', tmp_path, '--set', as_sets(dict(TINY, epochs=2))],
        cwd=ROOT,
        env={**env, 'HDSR_WANDB_MODE': 'offline'},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seen = set()
    while proc.poll() is None:
        if (tmp_path / '.running' / 'aside' / 'params.json').exists():
            seen.add('running')
        if (tmp_path / 'aside').exists():  # once there, it is whole
            seen.add(
                'whole'
                if run_status(tmp_path / 'aside').get('status') == 'finished'
                and (tmp_path / 'aside' / 'metrics.json').exists()
                else 'partial'
            )
        time.sleep(0.1)
    assert proc.returncode == 0 and 'running' in seen and 'partial' not in seen, seen
    assert run_status(tmp_path / 'aside')['status'] == 'finished' and not (tmp_path / '.running').exists()


def _wait_for(path, proc, timeout=300):
    t0 = time.time()
    while not path.exists():
        assert proc.poll() is None, 'the run ended before it could be killed'
        assert time.time() - t0 < timeout, f'{path} never appeared'
        time.sleep(0.2)


@pytest.mark.slow  # papermill runs the experiment notebook
def test_a_killed_run_continues_from_its_last_checkpoint(tmp_path, env):
    """SIGKILL to the whole run (hdsr-run and its kernel) after the first epoch; the same command continues it to the
    planned step count."""
    params = dict(TINY, epochs=4)
    cmd = [BIN / 'hdsr-run', TRAIN_NB, '--name', 'killed', '--runs-dir', tmp_path, '--set', as_sets(params)]
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env={**env, 'HDSR_WANDB_MODE': 'offline'},
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for(tmp_path / '.running' / 'killed' / 'checkpoints' / 'last.ckpt', proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(2)  # the orphaned kernel notices its parent is gone
    assert not (tmp_path / 'killed').exists()
    assert load_runs(tmp_path).set_index('name').loc['killed', 'status'] == 'interrupted'
    first = torch.load(tmp_path / '.running' / 'killed' / 'checkpoints' / 'last.ckpt', weights_only=True)['global_step']
    assert 0 < first < 4 * TINY['train_size'] // 32
    r, rd = hdsr_run(tmp_path, env, 'killed', **params)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert 'continuing run killed (attempt 2)' in r.stdout and 'resuming after epoch' in r.stdout
    m = json.loads((rd / 'metrics.json').read_text())
    assert (m['steps'], m['epochs']) == (4 * TINY['train_size'] // 32, 4)
    st = run_status(rd)
    assert st['attempt'] == 2 and st['previous'][0]['status'] == 'interrupted'
    assert sorted(pd.read_csv(rd / 'history.csv')['epoch'].astype(int)) == [0, 1, 2, 3]
    offline = list((rd / 'wandb').glob('offline-run-*'))
    # one W&B run, continued
    assert len(offline) == 2 and len({p.name.rsplit('-', 1)[1] for p in offline}) == 1, offline


def descendants(pid: int) -> list[int]:
    "The processes `pid` started, and the ones they started (from Linux's /proc)."
    children = {}
    for stat in Path('/proc').glob('[0-9]*/stat'):
        try:
            ppid = int(stat.read_text().rsplit(')', 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        kids = children.get(todo.pop(), [])
        found, todo = found + kids, todo + kids
    return found


@pytest.mark.slow  # three papermill runs, two at a time
def test_a_run_killed_mid_epoch_ends_exactly_as_one_never_killed(tmp_path, env):
    """SIGKILL to a run (hdsr-run, its kernel) after a timed checkpoint inside an epoch; continued by the same command,
    it ends with the metrics, validation figures and weights of the same run never killed. A copy of the killed run
    whose last.ckpt was cut short is refused, saying so."""
    # two LSTM layers: dropout between them draws from the generator a resume restores; last.ckpt every 0.12 s
    params = dict(TINY, train_size=2048, epochs=3, model={'hidden': 32, 'layers': 2}, checkpoint_minutes=0.002)
    same = {**env, 'HDSR_WANDB_MODE': 'disabled', 'OMP_NUM_THREADS': '1'}  # one thread each: the same sums

    def start(name):
        cmd = [BIN / 'hdsr-run', TRAIN_NB, '--name', name, '--runs-dir', tmp_path, '--set', as_sets(params)]
        return subprocess.Popen(cmd, cwd=ROOT, env=same, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    whole, killed = start('whole'), start('killed')
    last = tmp_path / '.running' / 'killed' / 'checkpoints' / 'last.ckpt'
    batches = params['train_size'] // params['batch_size']
    t0 = time.time()
    while True:  # until a checkpoint written inside the second or third epoch, with batches still to go
        assert killed.poll() is None, 'the run ended before it could be killed:\n' + killed.stdout.read()[-3000:]
        assert time.time() - t0 < 300, 'no checkpoint inside an epoch appeared'
        at = torch.load(last, weights_only=True).get('DigitStrings', {}) if last.is_file() else {}
        if at.get('epoch', 0) >= 1 and 0 < at['batch'] < batches - 8:
            break
        time.sleep(0.02)
    for pid in [killed.pid, *descendants(killed.pid)]:
        os.kill(pid, signal.SIGKILL)
    killed.wait()
    time.sleep(1)
    ck = torch.load(last, weights_only=True)
    at = ck['DigitStrings']
    assert at['epoch'] >= 1 and 0 < at['batch'] < batches and ck['global_step'] == at['epoch'] * batches + at['batch']
    shutil.copytree(last.parent.parent, tmp_path / '.running' / 'cut')
    cut = tmp_path / '.running' / 'cut' / 'checkpoints' / 'last.ckpt'
    cut.write_bytes(cut.read_bytes()[: cut.stat().st_size // 2])
    refused, resumed = start('cut'), start('killed')
    out = resumed.communicate(timeout=300)[0]
    assert resumed.returncode == 0, out[-3000:]
    assert f"resuming in epoch {at['epoch']} after batch {at['batch']}, step {ck['global_step']}" in out, out[-3000:]
    assert whole.wait(timeout=300) == 0, whole.stdout.read()[-3000:]
    rd, done = tmp_path / 'killed', tmp_path / 'whole'
    assert (rd / 'metrics.json').read_bytes() == (done / 'metrics.json').read_bytes()
    val = [pd.read_csv(f / 'history.csv').filter(like='val/') for f in (rd, done)]
    pd.testing.assert_frame_equal(*val)
    for file in ('weights.pt', 'checkpoints/last.ckpt'):  # the best and the final weights
        a, b = [torch.load(f / file, weights_only=True)['state_dict'] for f in (rd, done)]
        assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a), file
    out = refused.communicate(timeout=300)[0]
    assert refused.returncode != 0 and 'last.ckpt is unreadable' in out and 'delete it' in out, out[-3000:]
    assert run_status(tmp_path / 'cut')['status'] == 'failed'


@pytest.mark.slow  # papermill runs the experiment notebook
def test_same_parameters_and_seed_give_the_same_metrics(tmp_path, env):
    runs = [hdsr_run(tmp_path, env, name, epochs=2, seed=3, **TINY) for name in ('one', 'two')]
    for r, _ in runs:
        assert r.returncode == 0, r.stderr[-3000:]
    a, b = [(rd / 'metrics.json').read_bytes() for _, rd in runs]
    assert a == b, (a, b)
    assert json.loads(a)['test']['size'] == 64


@pytest.mark.slow  # papermill runs the experiment notebook
def test_two_process_data_parallel_training_on_cpu(tmp_path, env):
    "devices=2 on the CPU: Lightning forks two gloo processes in the papermill kernel; each trains on its own strings."
    r, rd = hdsr_run(tmp_path, env, 'ddp', epochs=2, devices=2, **TINY)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    m = json.loads((rd / 'metrics.json').read_text())
    assert (m['processes'], m['epochs'], m['steps']) == (2, 2, 2 * 512 // (32 * 2))
    # the processes' own log lines land in the executed notebook
    executed = (rd / 'train.ipynb').read_text()
    assert (
        'device cpu x 2' in r.stdout
        and 'GLOBAL_RANK: 1, MEMBER: 2/2' in executed
        and 'distributed_backend=gloo' in executed
    )
    h = pd.read_csv(rd / 'history.csv')
    assert h['val/cer'].notna().sum() == 2
    check_checkpoint(rd / 'checkpoints' / 'best.ckpt')


@pytest.mark.slow  # papermill runs the experiment notebook
def test_a_sweep_survives_a_failing_run_skips_finished_runs_and_compares(tmp_path, env):
    "Two runs at once; strategy=bogus passes the parameter check but fails when the Trainer starts, on any machine."
    cmd = [
        BIN / 'hdsr-sweep',
        TRAIN_NB,
        '-p',
        'strategy',
        'auto,bogus',
        '-p',
        'seed',
        '0,1',
        '--set',
        as_sets(dict(TINY, epochs=2)),
        '--name',
        'grid',
        '--runs-dir',
        tmp_path,
        '--jobs',
        '2',
    ]
    e = {**env, 'HDSR_WANDB_MODE': 'offline'}
    r = subprocess.run(cmd, cwd=ROOT, env=e, capture_output=True, text=True, timeout=900)
    assert r.returncode == 1, r.stdout[-3000:] + r.stderr[-3000:]
    folder = tmp_path / 'grid'
    runs = load_runs(folder).set_index('name')
    assert runs.status.to_dict() == {
        'strategy=auto,seed=0': 'finished',
        'strategy=auto,seed=1': 'finished',
        'strategy=bogus,seed=0': 'failed',
        'strategy=bogus,seed=1': 'failed',
    }
    assert 'bogus' in runs.loc['strategy=bogus,seed=0', 'error']
    finished = json.loads((folder / 'strategy=auto,seed=0' / 'metrics.json').read_text())
    assert runs.loc['strategy=auto,seed=0', 'test/cer'] == pytest.approx(finished['test']['cer'])  # that run's figure
    assert runs.loc['strategy=auto,seed=0', 'device'] == 'cpu'
    for f in (
        'compare.ipynb',
        'summary.md',
        'metric_vs_parameters.png',
        'learning_curves.png',
        'sweep.json',
        'logs/strategy=bogus,seed=1.log',
    ):
        assert (folder / f).exists(), f
    summary = (folder / 'summary.md').read_text()
    assert (
        '| name | strategy | seed | test/cer |' in summary
        and 'strategy=bogus,seed=1' in summary
        and 'failed' in summary
    )
    r = subprocess.run(cmd, cwd=ROOT, env=e, capture_output=True, text=True, timeout=900)
    assert r.returncode == 1 and r.stdout.count('finished (skipped)') == 2, r.stdout[-3000:]
    assert (
        run_status(folder / 'strategy=bogus,seed=0')['attempt'] == 2
        and run_status(folder / 'strategy=auto,seed=0')['attempt'] == 1
    )
    best = subprocess.run(
        [BIN / 'hdsr-checkpoint', 'grid/strategy=auto,seed=1', '--runs-dir', tmp_path],
        env=e,
        capture_output=True,
        text=True,
    )
    assert best.returncode == 0, best.stderr
    assert best.stdout.strip() == str(folder / 'strategy=auto,seed=1' / 'checkpoints' / 'best.ckpt'), best.stdout
    check_checkpoint(best.stdout.strip())
    offline = subprocess.run(
        [BIN / 'hdsr-checkpoint', 'me/hdsr/abc123', '--runs-dir', tmp_path], env=e, capture_output=True, text=True
    )
    assert offline.returncode == 1 and 'W&B is offline here' in offline.stderr


def test_a_sweep_with_a_bad_point_is_refused_before_any_run(tmp_path, env):
    r = subprocess.run(
        [BIN / 'hdsr-sweep', TRAIN_NB, '-p', 'max_overlap', '0.2,-1', '--name', 'bad', '--runs-dir', tmp_path],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode != 0 and 'sweep point max_overlap=-1' in r.stderr and not (tmp_path / 'bad').exists(), r.stderr


@pytest.mark.slow  # papermill runs the experiment notebook
def test_a_launcher_starts_the_experiment_as_a_script_on_two_processes(tmp_path, env):
    """The multi-node recipe of nbs/40_workflow/44_experiments on one machine: papermill --prepare-only, nbconvert to a
    script, torchrun with 2 gloo processes."""
    import yaml

    rd, nb = tmp_path / 'launched', tmp_path / 'train.ipynb'
    params = dict(TINY, epochs=2, devices=2, run_dir=str(rd), wandb_mode='offline')
    subprocess.run(
        [BIN / 'papermill', TRAIN_NB, nb, '--prepare-only', '-y', yaml.safe_dump(params)],
        check=True,
        capture_output=True,
        env=env,
    )
    subprocess.run(
        [BIN / 'jupyter', 'nbconvert', '--to', 'python', nb, '--log-level', 'WARN'],
        check=True,
        capture_output=True,
        env=env,
    )
    r = subprocess.run(
        [BIN / 'torchrun', '--standalone', '--nproc-per-node', '2', tmp_path / 'train.py'],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert 'GLOBAL_RANK: 1, MEMBER: 2/2' in r.stdout + r.stderr
    m = json.loads((rd / 'metrics.json').read_text())
    assert (m['processes'], m['epochs'], m['steps']) == (2, 2, 2 * 512 // (32 * 2))
    assert load_runs(tmp_path).set_index('name').loc['launched', 'status'] == 'finished'


def labelled_strings(folder, n: int, seed: int):
    "A labelled folder of `n` dark-on-light PNG strings of MNIST test digits, 3x size, as a user's scans would come."
    from PIL import Image
    from hdsr.data.synth import synthesize, digit_splits, PRESETS

    folder.mkdir(parents=True)
    b = synthesize(digit_splits()['test'], n, PRESETS['scanned'], generator=seed)
    rows = ['filename,label']
    for i, (im, w, label) in enumerate(zip(b.images, b.widths, b.labels)):
        a = 255 - (im[0, :, : int(w)] * 255).byte().numpy()
        Image.fromarray(a).resize((a.shape[1] * 3, a.shape[0] * 3), Image.BICUBIC).save(folder / f'{i:03d}.png')
        rows.append(f'{i:03d}.png,{label}')
    (folder / 'labels.csv').write_text('\n'.join(rows) + '\n')
    return folder


@pytest.mark.slow  # papermill runs the experiment notebook
def test_make_finetune_fine_tunes_the_shipped_model_on_a_folder(tmp_path, env):
    """`make finetune DATA=<folder>`: a tiny fine-tune of the shipped model, held out a fifth: half of it to refit the
    confidence, half to score before and after; its weights load, with the base's pre-processing and a refitted
    confidence."""
    from hdsr.read.preprocess import PreProcessor

    data = labelled_strings(tmp_path / 'mine', 60, seed=3)
    base = Recognizer.from_pretrained(backend='torch', preprocessor=PreProcessor(ink_height=26))  # not the default's
    base.save_weights(tmp_path / 'base.pt')
    r = subprocess.run(
        [
            'make',
            '-s',
            'finetune',
            f'DATA={data}',
            f'SET=steps=8,batch_size=16,base={tmp_path / "base.pt"}',
            'NAME=tiny',
        ],
        cwd=ROOT,
        env={**env, 'HDSR_RUNS_DIR': str(tmp_path / 'runs'), 'HDSR_WANDB_MODE': 'disabled'},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    run = tmp_path / 'runs' / 'tiny'
    m = json.loads((run / 'metrics.json').read_text())
    assert (m['train'], m['valid'], m['steps']) == (48, 12, 8)
    assert m['split'] == dict(train=48, calibration=6, scoring=6)
    for reader in ('before', 'after', 'after_base_confidence'):  # scored on the same six image files
        assert {'cer', 'exact', 'read_1', 'wrong_sure', 'ece'} <= set(m[reader]) and m[reader]['n'] == 6, reader
    assert m['test']['size'] == 6 and set(m['tests']) == {
        'base model, before fine-tuning',
        'fine-tuned, base confidence',
    }
    rec = Recognizer.from_weights(run / 'weights.pt')
    assert rec.meta['base'] == str(tmp_path / 'base.pt') and rec.recognize(data / '000.png').text.isdigit()
    assert rec.preprocessor == base.preprocessor
    refit = rec.meta['confidence_refit']
    assert 0 < refit['readings'] <= 6 and refit == m['confidence_refit']
    for key in ('confidence_model', 'variants_confidence_model'):  # the base's, recalibrated: a * its logit + b
        mine, shipped = getattr(rec, key), getattr(base, key)
        a, b = refit[key]['a'], refit[key]['b']
        assert mine.features == shipped.features and (a, b) != (1.0, 0.0)
        assert mine.weights == pytest.approx([a * w for w in shipped.weights], abs=1e-5)
        assert mine.bias == pytest.approx(a * shipped.bias + b, abs=1e-5)
    assert (run / 'split.csv').read_text().count(',scoring\n') == 6


def test_make_finetune_without_data_says_how_to_call_it(env):
    r = subprocess.run(['make', '-s', 'finetune'], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode != 0 and 'usage: make finetune DATA=<labelled folder>' in r.stdout + r.stderr

"The experiment notebook end to end under papermill: a real run folder, bad parameters, a crash."
import json, subprocess
import pytest, torch
from conftest import ROOT, BIN
from hdsr.recognize import Recognizer

TRAIN_NB = ROOT/'nbs'/'experiments'/'train.ipynb'

def hdsr_run(tmp_path, env, name, **params):
    sets = ','.join(f'{k}={json.dumps(v)}' for k, v in params.items())
    cmd = [BIN/'hdsr-run', TRAIN_NB, '--name', name, '--runs-dir', tmp_path] + (['--set', sets] if sets else [])
    r = subprocess.run(cmd, cwd=ROOT, env={**env, 'HDSR_WANDB_MODE': 'offline'}, capture_output=True, text=True, timeout=600)
    return r, tmp_path/name

def test_a_run_writes_its_folder(tmp_path, env):
    r, rd = hdsr_run(tmp_path, env, 'tiny', epochs=2, train_size=256, batch_size=32, model={'hidden': 32, 'layers': 1})
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    for f in ('train.ipynb', 'params.json', 'metrics.json', 'status.json', 'history.csv', 'samples.png',
              'learning_curves.png', 'checkpoints/best.ckpt', 'checkpoints/last.ckpt'):
        assert (rd/f).exists(), f
    m = json.loads((rd/'metrics.json').read_text())
    assert {'cer', 'per_sample_cer', 'exact', 'size'} <= set(m['test']) and m['test']['size'] == 64
    assert m['epochs'] == 2 and m['device'] == 'cpu'
    assert json.loads((rd/'status.json').read_text())['status'] == 'finished'
    params = json.loads((rd/'params.json').read_text())
    assert params['train_size'] == 256 and params['model'] == {'hidden': 32, 'layers': 1}
    assert 'epoch 1 step 16: train loss' in r.stdout                            # one line per epoch, streamed
    assert 'per_sample_cer' in r.stdout and 'cer (standard)' in r.stdout      # the printed metrics table
    assert list((rd/'wandb').glob('offline-run-*')), 'W&B offline run missing'
    rec = Recognizer.from_checkpoint(rd/'checkpoints'/'best.ckpt')
    assert isinstance(rec.recognize(torch.zeros(32, 140)).text, str)

@pytest.mark.parametrize('param,value', [('min_overlap', -0.1), ('min_overlap', 0.35), ('max_length', 0),
                                         ('arch', 'resnet'), ('batch_size', 0)])
def test_bad_parameters_fail_before_training(tmp_path, env, param, value):
    params = {param: value, **({'max_overlap': 0.2} if (param, value) == ('min_overlap', 0.35) else {})}
    r, rd = hdsr_run(tmp_path, env, 'bad', **params)
    assert r.returncode != 0
    status = json.loads((rd/'status.json').read_text())
    assert status['status'] == 'failed' and param in status['error'], status
    assert not (rd/'metrics.json').exists() and not (rd/'checkpoints').exists()
    assert param in r.stderr

@pytest.mark.skipif(torch.cuda.is_available(), reason='needs a machine without a GPU to make device=cuda crash')
def test_a_crash_leaves_status_and_no_metrics(tmp_path, env):
    "device=cuda passes the parameter check but the Trainer cannot start on a CPU-only machine: a real mid-run crash."
    r, rd = hdsr_run(tmp_path, env, 'crash', device='cuda')
    assert r.returncode != 0
    status = json.loads((rd/'status.json').read_text())
    assert status['status'] == 'failed' and status['traceback'], status
    assert (rd/'params.json').exists() and not (rd/'metrics.json').exists()

def test_finished_run_is_not_overwritten(tmp_path, env):
    (tmp_path/'done').mkdir(); (tmp_path/'done'/'metrics.json').write_text('{}')
    r, _ = hdsr_run(tmp_path, env, 'done')
    assert r.returncode != 0 and 'already holds a finished run' in r.stderr

@pytest.mark.parametrize('recipe', ['default', 'pretrained', 'reference'])
def test_experiment_parameter_files_are_valid(recipe):
    "default.yaml (`make run`), pretrained.yaml (the shipped model), reference.yaml: every key is a notebook parameter, TrainConfig accepts the values."
    from hdsr.experiments import parse_params
    from hdsr.train import TrainConfig
    params = parse_params(ROOT/'nbs'/'experiments'/f'{recipe}.yaml')
    TrainConfig(**params)
    src = ''.join(next(c['source'] for c in json.loads(TRAIN_NB.read_text())['cells'] if 'parameters' in c['metadata'].get('tags', [])))
    assert all(f'\n{k} = ' in '\n' + src for k in params), [k for k in params if f'\n{k} = ' not in '\n' + src]

def test_unknown_parameter_is_refused_before_the_run_starts(tmp_path, env):
    r, rd = hdsr_run(tmp_path, env, 'typo', epoch=3)
    assert r.returncode != 0 and 'has no parameter epoch' in r.stderr and not rd.exists()

"""The shipped models (the default and the first, MNIST-only one): inside the package, at most 10 MB, loaded offline
with weights_only, with their provenance."""

import json, subprocess, zipfile
import pytest, torch
from conftest import ROOT, BIN
from hdsr.read.confidence import READING_FEATURES

WEIGHTS = ROOT / 'hdsr' / 'weights' / 'default.pt'


def test_weights_are_small_plain_data_with_provenance():
    assert WEIGHTS.stat().st_size <= 10 * 2**20
    ck = torch.load(WEIGHTS, map_location='cpu', weights_only=True)
    assert set(ck) == {'config', 'state_dict', 'meta'} and ck['config']['arch'] == 'compact'
    meta = ck['meta']
    assert meta['command'].startswith('hdsr-run ') and '--params nbs/experiments/documents.yaml' in meta['command']
    run = ROOT / 'runs' / meta['run']
    assert json.loads((run / 'metrics.json').read_text())['tests'] == meta['tests'], (
        'the committed run report is not the shipped run'
    )
    assert set(meta['document_calibration']) == {'a', 'b'}  # fitted when it was shipped
    assert meta['confidence_model']['features'] == list(READING_FEATURES)  # its confidences read every reading feature
    assert meta['variants_confidence_model']['features'][-2:] == ['variants_p', 'variants_agree']
    json.dumps(meta)  # JSON-able


def test_the_first_default_stays_beside_it():
    ck = torch.load(WEIGHTS.with_name('mnist.pt'), map_location='cpu', weights_only=True)
    assert (
        '--params nbs/experiments/pretrained.yaml' in ck['meta']['command']
        and ck['config'] == torch.load(WEIGHTS, weights_only=True)['config']
    )


def test_from_pretrained_without_network(env):
    "In a fresh process whose sockets cannot connect, from_pretrained loads and reads a string."
    code = '''
import socket
def refuse(*a, **k): raise OSError('network disabled for this test')
socket.socket.connect = socket.create_connection = refuse
import numpy as np
from hdsr.read.recognize import Recognizer
from hdsr.data.synth import digit_splits, synthesize, PRESETS
b = synthesize(digit_splits()['test'], 20, PRESETS['seed'], generator=3)
preds = Recognizer.from_pretrained().recognize([(im[0] * 255).byte().numpy() for im in b.images])
print(sum(p.text == l for p, l in zip(preds, b.labels)))
'''
    out = subprocess.run(
        [BIN / 'python', '-c', code], cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=300
    )
    assert int(out.stdout.split()[-1]) >= 18, out.stdout


@pytest.mark.slow  # pip builds a wheel of the project
def test_wheel_ships_the_weights(tmp_path, env):
    subprocess.run(
        [BIN / 'python', '-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation', '-q', '-w', tmp_path, ROOT],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(tmp_path.glob('hdsr-*.whl'))
    assert {'hdsr/weights/default.pt', 'hdsr/weights/default.onnx', 'hdsr/weights/mnist.pt'} <= set(
        zipfile.ZipFile(wheel).namelist()
    )

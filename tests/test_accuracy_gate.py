"""The accuracy gate: the shipped model reads a fixed small slice (300 MNIST strings and the first 100 images of each
validation set here) on torch fp32 and on onnxruntime, and its exact-match rate on each part may not fall more than
TOLERANCE below the figure recorded in tests/accuracy_gate.json. A change that lowers every reading fails `make check`.

After a change that is meant to move the figures (a new shipped model), record them again and say so in the commit:

    python tests/test_accuracy_gate.py
"""

import json
from pathlib import Path
import numpy as np
import pytest
from hdsr.data.folders import read_labelled
from hdsr.data.synth import PRESETS, digit_splits, synthesize
from hdsr.data.validation import VALIDATION_SETS, validation_sets
from hdsr.read.preprocess import PreProcessor
from hdsr.read.recognize import Recognizer

RECORD = Path(__file__).resolve().parent / 'accuracy_gate.json'
TOLERANCE = 0.02  # exact may fall by at most 2 strings in 100: float rounding of another CPU flips one now and then
MNIST_STRINGS = 300
PER_SET = 100
BACKENDS = ('torch', 'onnx')


def mnist_strings() -> tuple[list[np.ndarray], list[str]]:
    "MNIST_STRINGS strings of MNIST test digits under the seed protocol, the same on every run (generator 5)."
    s = synthesize(digit_splits()['test'], MNIST_STRINGS, PRESETS['seed'], generator=5)
    images = [(im[0, :, :w] * 255).byte().numpy() for im, w in zip(s.images, s.widths.tolist())]
    return images, list(s.labels)


def slices() -> dict[str, tuple[list, list[str]]]:
    "Each part of the slice whose data is here: (images or paths, labels)."
    out = {'mnist-seed': mnist_strings()}
    for name, folder in validation_sets(quiet=True).items():
        items = read_labelled(folder, warn=False).first(PER_SET).items
        out[name] = ([str(p) for p, _ in items], [label for _, label in items])
    return out


def recognizer(backend: str, **kwargs) -> Recognizer:
    "The shipped model; fp32 on torch, so that every CPU reads alike. Exact needs no confidence: variants off."
    if backend == 'onnx':
        return Recognizer.from_pretrained(backend='onnx', variants=False, **kwargs)
    return Recognizer.from_pretrained(backend='torch', precision='fp32', variants=False, **kwargs)


def exact(rec: Recognizer, images, labels) -> float:
    return float(np.mean([p.text == label for p, label in zip(rec.recognize(images), labels)]))


def fallen(record: dict, now: dict) -> dict[str, str]:
    "The parts whose exact fell by more than TOLERANCE below the record: 'before -> now'."
    return {k: f'{record[k]:.3f} -> {v:.3f}' for k, v in now.items() if v < record[k] - TOLERANCE}


def measure() -> dict:
    parts = slices()
    return {b: {name: round(exact(recognizer(b), *part), 4) for name, part in parts.items()} for b in BACKENDS}


@pytest.fixture(scope='module')
def parts():
    return slices()


def test_the_record_covers_every_part():
    record = json.loads(RECORD.read_text())
    for backend in BACKENDS:
        assert set(record['exact'][backend]) == {'mnist-seed', *VALIDATION_SETS}, f'{RECORD.name} lacks a part'


def test_the_gate_fails_a_worse_reader(parts):
    "Ink framed half as tall as in training: the synthetic fields (MNIST only: always here) read worse, and it says so."
    record = json.loads(RECORD.read_text())['exact']['onnx']
    worse = recognizer('onnx', preprocessor=PreProcessor(ink_height=12))
    assert 'fields' in fallen(record, {'fields': exact(worse, *parts['fields'])})


@pytest.mark.parametrize('backend', BACKENDS)
def test_exact_does_not_fall(backend, parts):
    record = json.loads(RECORD.read_text())['exact'][backend]
    rec = recognizer(backend)
    now = {name: exact(rec, *part) for name, part in parts.items()}
    fell = fallen(record, now)
    assert not fell, f'exact fell by more than {TOLERANCE} on {fell} ({backend}); if meant, rerun {__file__}'
    if len(now) < len(record):
        print(f'accuracy gate: {", ".join(sorted(set(record) - set(now)))} not here (no real data), left out')


if __name__ == '__main__':
    figures = measure()
    RECORD.write_text(json.dumps(dict(command='python tests/test_accuracy_gate.py', exact=figures), indent=1) + '\n')
    print(json.dumps(figures, indent=1))

"""A reading never depends on the batch it is read in: the shipped model reads each image the same one at a time, in
one list, in the list reversed or shuffled, and at other batch sizes, on torch (fp32 and precision='auto') and on
onnxruntime. Real register cells of mixed widths (skipped when the real data is absent) and MNIST strings written as
PNGs."""

import numpy as np
import pytest
from PIL import Image
from hdsr.data.folders import SourceMissing, read_labelled
from hdsr.data.validation import validation_set
from hdsr.read.recognize import Recognizer
from hdsr.data.synth import PRESETS, digit_splits, synthesize

EPS = 1e-5  # confidences and digit probabilities; texts and digit positions must be equal
BACKENDS = ('torch fp32', 'torch auto', 'onnx')


@pytest.fixture(scope='module', params=BACKENDS)
def rec(request) -> Recognizer:
    "The shipped model on each backend ('auto': bf16 where the CPU has AMX or AVX512-BF16, as on the 2-core EPYC)."
    if request.param == 'onnx':
        return Recognizer.from_pretrained(backend='onnx')
    return Recognizer.from_pretrained(backend='torch', precision=request.param.split()[1])


@pytest.fixture(scope='module')
def mnist_pngs(tmp_path_factory) -> list[str]:
    "40 strings of MNIST test digits 32 to about 180 px wide (the drawn preset), written as PNG files."
    folder = tmp_path_factory.mktemp('mnist-strings')
    s = synthesize(digit_splits()['test'], 40, PRESETS['drawn'], generator=4)
    assert s.widths.min() < 60 and s.widths.max() > 120  # widths mixed: most images are padded in a batch
    paths = []
    for i, (im, w) in enumerate(zip(s.images, s.widths.tolist())):
        paths.append(str(folder / f'{i:02d}.png'))
        Image.fromarray((im[0, :, :w] * 255).byte().numpy()).save(paths[-1])
    return paths


def register_cells(n: int) -> list[str]:
    "The first n photographed register cells of the validation pages (register-valid), read by path."
    try:
        folder = validation_set('register-valid')
    except SourceMissing as e:
        pytest.skip(f'the register cells are absent (HDSR_REAL_DIR, mgr_rowid): {e}')
    return [str(p) for p, _ in read_labelled(folder).first(n).items]


def key(p) -> tuple:
    "What must be equal: the text, the refusal and each digit's character and input columns."
    return p.text, p.refused, [(d.char, d.x0, d.x1) for d in p.digits]


def check_any_batch(rec: Recognizer, paths: list[str]):
    alone = [rec.recognize(p) for p in paths]
    perm = np.random.default_rng(0).permutation(len(paths))
    shuffled = rec.recognize([paths[i] for i in perm])
    readings = {
        'one list': rec.recognize(paths),
        'reversed': rec.recognize(paths[::-1])[::-1],
        'shuffled': [shuffled[j] for j in np.argsort(perm)],
        'batches of 7': rec.recognize(paths, batch_size=7),
        'one batch of 256': rec.recognize(paths, batch_size=256),
    }
    for how, got in readings.items():
        assert [key(p) for p in got] == [key(p) for p in alone], how
        conf = np.abs([p.confidence - q.confidence for p, q in zip(got, alone)])
        probs = np.abs([d.prob - e.prob for p, q in zip(got, alone) for d, e in zip(p.digits, q.digits)])
        assert conf.max() <= EPS and probs.max(initial=0) <= EPS, (how, conf.max(), probs.max(initial=0))


def test_mnist_strings_read_the_same_in_any_batch(rec, mnist_pngs):
    check_any_batch(rec, mnist_pngs)


@pytest.mark.slow
def test_register_cells_read_the_same_in_any_batch(rec):
    check_any_batch(rec, register_cells(200))

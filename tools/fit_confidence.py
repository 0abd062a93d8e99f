"""Fit a model's learnt confidences (hdsr.read.recognize.ConfidenceModel) on labelled folders; write them into its
weights.

    python tools/fit_confidence.py [WEIGHTS] [--sets NAME_OR_FOLDER ...] [--today]

WEIGHTS is a weights file (default: the shipped hdsr/weights/default.pt, whose ONNX export default.onnx is then
written again with the same meta). Two confidences, one with the test-time variants of each reading and one without
(`Recognizer(variants=False)`), are fitted with hdsr.workflow.evaluate.fit_confidence on the readings of
--sets (default: every validation set whose source is on this machine, the six of hdsr.data.validation.VALIDATION_SETS);
the network and every other part of the meta stay as they were. --today reads with today's pre-processing
(hdsr.read.preprocess.DEFAULTS) and writes it into the weights in place of the one they carried. Fit it on crops the
model was not trained on:
benchmarks/confidence.py says, set by set, what a confidence fitted on the other sets gives.
"""

import argparse, sys
from pathlib import Path
from hdsr.data.validation import VALIDATION_SETS, validation_sets
from hdsr.workflow.evaluate import fit_confidence
from hdsr.model.weights import PRETRAINED, PRETRAINED_ONNX
from hdsr.read.preprocess import DEFAULTS
from hdsr.read.recognize import Recognizer


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('weights', nargs='?', default=str(PRETRAINED), help='a weights file (default: the shipped model)')
    p.add_argument('--sets', nargs='+', help='labelled folders or validation set names (default: every one here)')
    p.add_argument('--today', action='store_true', help="carry today's pre-processing instead of the weights' own")
    a = p.parse_args(argv)
    weights = Path(a.weights)
    model = Recognizer.from_weights(weights, precision='fp32', **(dict(preprocessor=DEFAULTS) if a.today else {}))
    folders = a.sets or list(validation_sets(VALIDATION_SETS).values())
    if not folders:
        sys.exit('no validation set is on this machine (real_dir, mnist_dir): name labelled folders with --sets')
    model.confidence_model = fit_confidence(model, folders)
    model.variants_confidence_model = fit_confidence(model, folders, variants=True)
    model.save_weights(weights)  # its own meta, with the new confidence
    if weights.resolve() == PRETRAINED.resolve():
        Recognizer.from_pretrained(backend='torch').to_onnx(PRETRAINED_ONNX)
        Recognizer.from_pretrained(backend='onnx')  # reads back
    print(
        f'{weights}: {model.confidence_model} and, with variants, {model.variants_confidence_model} fitted on '
        f'{", ".join(map(str, folders))}'
    )


if __name__ == '__main__':
    main()

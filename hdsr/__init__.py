"""Handwritten digit string recognition: a CRNN trained with CTC on synthetic MNIST strings, notebook first.

Packages by job, a module per notebook in nbs/<number>_<package>/:

- `hdsr.core`: Settings, optional extras, the vocabulary and the image geometry every other package uses.
  `hdsr.core.config`, `hdsr.core.extras`, `hdsr.core.vocab`, `hdsr.core.geometry`.
- `hdsr.data`: Digits and strings to learn from and to measure on: MNIST, synthesis, documents, validation sets.
  `hdsr.data.mnist`, `hdsr.data.synth`, `hdsr.data.folders`, `hdsr.data.documents`, `hdsr.data.validation`,
  `hdsr.data.sources`.
- `hdsr.model`: The network, its loss and its weights: the CRNN, CTC, and reading weights files back. `hdsr.model.crnn`,
  `hdsr.model.ctc`, `hdsr.model.weights`.
- `hdsr.read`: Images in, readings out: pre-processing, decoding, confidence, ONNX, the `Recognizer` and its CLI.
  `hdsr.read.preprocess`, `hdsr.read.decode`, `hdsr.read.confidence`, `hdsr.read.onnx`, `hdsr.read.predictions`,
  `hdsr.read.recognize`, `hdsr.read.cli`.
- `hdsr.recognize` (nbs/30_read/37_aliases.ipynb): `hdsr.recognize`: where the `Recognizer` lived before hdsr had
  packages, kept as an alias of `hdsr.read.recognize`.
- `hdsr.read`: Images in, readings out: pre-processing, decoding, confidence, ONNX, the `Recognizer` and its CLI.
  `hdsr.read.threshold`, `hdsr.read.archive`.
- `hdsr.workflow`: Training, evaluation, tracking and papermill experiments. `hdsr.workflow.tracking`,
  `hdsr.workflow.real_strings`, `hdsr.workflow.train`, `hdsr.workflow.evaluate`, `hdsr.workflow.experiments`,
  `hdsr.workflow.finder`.
- `hdsr.serve`: The recogniser behind a widget, an HTTP API, a Lambda handler and a Streamlit app. `hdsr.serve.canvas`,
  `hdsr.serve.service`, `hdsr.serve.server`, `hdsr.serve.lambda_handler`, `hdsr.serve.app`, `hdsr.serve.review`."""

__version__ = "0.1.0"

_LAZY = {'Recognizer': 'read.recognize', 'Prediction': 'read.predictions', 'Digit': 'read.predictions'}  # written by tools/module_index.py
__all__ = list(_LAZY)


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
    import importlib

    return getattr(importlib.import_module(f'{__name__}.{_LAZY[name]}'), name)

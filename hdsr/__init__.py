"""Handwritten digit string recognition: a CRNN trained with CTC on synthetic MNIST strings, notebook first.

Packages by job, a module per notebook in nbs/:

- `hdsr.core.config` (nbs/00_core/00_config.ipynb): Where data lives, where runs go, how runs are tracked and on which
  device they train.
- `hdsr.core.extras` (nbs/00_core/01_extras.ipynb): What each part of hdsr needs installed, and the one-line error that
  names the extra to install when it is missing.
- `hdsr.core.vocab` (nbs/00_core/02_vocab.ipynb): What a network reads and writes: images 32 px high; for each frame, a
  score per class (CTC's blank and the characters); how many frames an image of a given width has; the best path through
  the scores as text, and how far a text is from another.
- `hdsr.data.mnist` (nbs/10_data/10_mnist.ipynb): Find, fetch, verify and load the MNIST digits every digit string is
  made of.
- `hdsr.data.synth` (nbs/10_data/11_synth.ipynb): Strings of handwritten digits made from single MNIST digits, a whole
  batch at a time.
- `hdsr.data.folders` (nbs/10_data/12_folders.ipynb): The one on-disk form of real labelled images, ours and users'
  alike; where the real data lives, and what to do when it does not.
- `hdsr.data.documents` (nbs/10_data/13_documents.ipynb): Handwriting dressed as real documents: single digits composed
  into strings, laid on scanned paper with the clutter of forms, cheques and phone photos.
- `hdsr.data.validation` (nbs/10_data/14_validation.ipynb): The fixed validation sets, built once from real data and
  from the document renderers, and cached as labelled folders: register row numbers split by page, strings of CVL and
  ARDIS digits, field crops, cheque amounts and photographed logbook cells.
- `hdsr.data.sources` (nbs/10_data/15_sources.ipynb): Single handwritten digits beyond MNIST, each with its writers:
  CVL's European writers, USPS zip codes and handwriting fonts rendered as a hand would write them; all framed as MNIST
  frames a digit, and mixed by weight.
- `hdsr.model.crnn` (nbs/20_model/20_crnn.ipynb): The CRNN of Shi, Bai & Yao (2015) as the reference built it, and a
  compact default that trains fast on a CPU.
- `hdsr.model.ctc` (nbs/20_model/21_ctc.ipynb): Connectionist temporal classification for variable-width batches, and
  the two CERs.
- `hdsr.model.weights` (nbs/20_model/22_weights.ipynb): The shipped models' files, and a model read back from a weights
  file or a training checkpoint with `weights_only=True` and errors that name the file.
- `hdsr.read.preprocess` (nbs/30_read/30_preprocess.ipynb): Any picture of a digit string in, a model-ready image out:
  grayscale, white ink on black, the ink framed as in training, strokes within the widths the model learned.
- `hdsr.read.decode` (nbs/30_read/31_decode.ipynb): From a string's per-frame CTC probabilities to its text: greedy,
  beam search under length, regex and lexicon constraints, exact scores and alignments.
- `hdsr.read.confidence` (nbs/30_read/32_confidence.ipynb): How sure a reading is: p(text | image) from decoding,
  recalibrated on document crops or turned by a learnt model into the probability that the reading is right; the part of
  decoding that the weights carry.
- `hdsr.read.onnx` (nbs/30_read/33_onnx.ipynb): The network exported to ONNX and run by onnxruntime: the same
  `Recognizer` API, without torch or Lightning.
- `hdsr.read.predictions` (nbs/30_read/34_predictions.ipynb): What a reading is: its text, how sure it is, each digit
  with its probability and its place in the input, and why it was refused; shown as HTML.
- `hdsr.read.recognize` (nbs/30_read/35_recognize.ipynb): Images in, readings out: the `Recognizer` that notebooks, the
  widget, the command line and the servers share.
- `hdsr.read.cli` (nbs/30_read/36_cli.ipynb): `hdsr-recognize`: images in, one line or JSON object per reading out; and
  the options that choose a model, which `hdsr-eval` shares.
- `hdsr.recognize` (nbs/30_read/37_aliases.ipynb): `hdsr.recognize`: where the `Recognizer` lived before hdsr had
  packages, kept as an alias of `hdsr.read.recognize`.
- `hdsr.workflow.tracking` (nbs/40_workflow/40_tracking.ipynb): One W&B run per run folder, offline unless you are
  logged in; checkpoints as artifacts, and fetched back by run name.
- `hdsr.workflow.real_strings` (nbs/40_workflow/41_real_strings.ipynb): Labelled image files and synthetic document
  crops, passed once through pre-processing and kept as the model will see them; batches of them are mixed into training
  beside the synthesiser's strings.
- `hdsr.workflow.train` (nbs/40_workflow/42_train.ipynb): A LightningDataModule that synthesises strings, a
  LightningModule that trains a CRNN with CTC, and the Trainer around them.
- `hdsr.workflow.evaluate` (nbs/40_workflow/43_evaluate.ipynb): How well a recognizer reads a labelled folder: both
  CERs, exact matches, how they improve when the least confident readings are refused, how often it is sure and wrong,
  how many readings a confidence threshold can accept at 1 % error, how well the confidence is calibrated; `hdsr-eval`.
- `hdsr.workflow.experiments` (nbs/40_workflow/44_experiments.ipynb): Papermill runs into atomic run folders, sweeps
  over parameter grids, resume after a crash, and a registry of every run.
- `hdsr.serve.canvas` (nbs/50_serve/50_canvas.ipynb): Draw digits with a mouse, a finger or a pen, and see what the
  recognizer reads, inline in a notebook.
- `hdsr.serve.service` (nbs/50_serve/51_service.ipynb): What the API, the Lambda handler and the app share: decoding an
  image sent over the wire, refusing bad input with a status and a message that names the problem, and reading it with
  one `Recognizer` loaded once.
- `hdsr.serve.server` (nbs/50_serve/52_server.ipynb): `hdsr.serve.server:app`: a FastAPI application that reads digit
  strings from images sent over HTTP, loads its model once, keeps its event loop free, and answers every bad request
  with a 4xx that says what was wrong.
- `hdsr.serve.lambda_handler` (nbs/50_serve/53_lambda.ipynb): `hdsr.serve.lambda_handler.handler(event, context)`: the
  API's routes for AWS Lambda, called directly or behind API Gateway, in an image that needs no torch.
- `hdsr.serve.app` (nbs/50_serve/54_app.ipynb): A Streamlit page to draw a digit string on and watch it read: in-process
  with the shipped model by default, or through a running API. `hdsr-app` starts it."""

__version__ = "0.1.0"

_LAZY = {'Recognizer': 'read.recognize', 'Prediction': 'read.predictions', 'Digit': 'read.predictions'}  # written by tools/module_index.py
__all__ = list(_LAZY)


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
    import importlib

    return getattr(importlib.import_module(f'{__name__}.{_LAZY[name]}'), name)

"""Handwritten digit string recognition: a CRNN trained with CTC on synthetic MNIST strings, notebook first.

Modules, one per notebook in nbs/:

- `hdsr.config` (nbs/00_config.ipynb): Where data lives, where runs go, how runs are tracked and on which device they
  train.
- `hdsr.extras` (nbs/00a_extras.ipynb): What each part of hdsr needs installed, and the one-line error that names the
  extra to install when it is missing.
- `hdsr.mnist` (nbs/01_mnist.ipynb): Find, fetch, verify and load the MNIST digits every digit string is made of.
- `hdsr.vocab` (nbs/01a_vocab.ipynb): What a network reads and writes: images 32 px high; for each frame, a score per
  class (CTC's blank and the characters); and how many frames an image of a given width has.
- `hdsr.synth` (nbs/02_synth.ipynb): Strings of handwritten digits made from single MNIST digits, a whole batch at a
  time.
- `hdsr.crnn` (nbs/03_crnn.ipynb): The CRNN of Shi, Bai & Yao (2015) as the reference built it, and a compact default
  that trains fast on a CPU.
- `hdsr.ctc` (nbs/04_ctc.ipynb): Connectionist temporal classification for variable-width batches, greedy decoding
  without a loop, and the two CERs.
- `hdsr.train` (nbs/05_train.ipynb): A LightningDataModule that synthesises strings, a LightningModule that trains a
  CRNN with CTC, and the Trainer around them.
- `hdsr.preprocess` (nbs/06_preprocess.ipynb): Any picture of a digit string in, a model-ready image out: grayscale,
  white ink on black, the ink framed as in training, strokes within the widths the model learned.
- `hdsr.decode` (nbs/07_decode.ipynb): From a string's per-frame CTC probabilities to its text: greedy, beam search
  under length, regex and lexicon constraints, exact scores and alignments.
- `hdsr.recognize` (nbs/08_recognize.ipynb): Images in, readings out: the `Recognizer` that notebooks, the widget, the
  command line and the servers share.
- `hdsr.onnx` (nbs/09_onnx.ipynb): The network exported to ONNX and run by onnxruntime: the same `Recognizer` API,
  without torch or Lightning.
- `hdsr.experiments` (nbs/10_experiments.ipynb): Papermill runs into atomic run folders, sweeps over parameter grids,
  resume after a crash, and a registry of every run.
- `hdsr.tracking` (nbs/11_tracking.ipynb): One W&B run per run folder, offline unless you are logged in; checkpoints as
  artifacts, and fetched back by run name.
- `hdsr.canvas` (nbs/12_canvas.ipynb): Draw digits with a mouse, a finger or a pen, and see what the recognizer reads,
  inline in a notebook.
- `hdsr.service` (nbs/13_service.ipynb): The part of every front end that is not the front end: decoding an image sent
  over the wire, refusing bad input with a status and a message that names the problem, and reading it with one
  `Recognizer` loaded once.
- `hdsr.server` (nbs/14_server.ipynb): `hdsr.server:app`: a FastAPI application that reads digit strings from images
  sent over HTTP, loads its model once, keeps its event loop free, and answers every bad request with a 4xx that says
  what was wrong.
- `hdsr.lambda_handler` (nbs/15_lambda.ipynb): `hdsr.lambda_handler.handler(event, context)`: the API's routes for AWS
  Lambda, called directly or behind API Gateway, in an image that needs no torch.
- `hdsr.app` (nbs/16_app.ipynb): A Streamlit page to draw a digit string on and watch it read: in-process with the
  shipped model by default, or through a running API. `hdsr-app` starts it.
- `hdsr.datasets` (nbs/17_datasets.ipynb): Labelled folders, the one on-disk form of real labelled images, and the fixed
  validation sets made from them: register row numbers split by page, strings of CVL digits, and synthetic field crops
  dressed as documents.
- `hdsr.evaluate` (nbs/18_evaluate.ipynb): How well a recognizer reads a labelled folder: both CERs, exact matches, how
  they improve when the least confident readings are refused, how often it is sure and wrong, how many readings a
  confidence threshold can accept at 1 % error, how well the confidence is calibrated; `hdsr-eval`.
- `hdsr.sources` (nbs/19_sources.ipynb): Single handwritten digits beyond MNIST, each with its writers: CVL's European
  writers, USPS zip codes and handwriting fonts rendered as a hand would write them; all framed as MNIST frames a digit,
  and mixed by weight.
- `hdsr.real_strings` (nbs/20_real_strings.ipynb): Labelled image files and synthetic document crops, passed once
  through the front end and kept as the model will see them; batches of them are mixed into training beside the
  synthesiser's strings."""

__version__ = "0.1.0"

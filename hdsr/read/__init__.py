"""Images in, readings out: pre-processing, decoding, confidence, ONNX, the `Recognizer` and its CLI.

Modules:

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
- `hdsr.read.threshold` (nbs/30_read/38_threshold.ipynb): Which readings to accept unread: a confidence threshold, and
  the file that says how it was chosen, on which images, for which model, and what it accepts.
- `hdsr.read.archive` (nbs/30_read/39_archive.ipynb): `hdsr-read`: every image of folders, globs and path lists read on
  every core, one row per image written as it goes, resumable after a kill, with an error row for a file that cannot be
  read."""

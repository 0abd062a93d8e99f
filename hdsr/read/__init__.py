"""Images in, readings out: pre-processing, decoding, the ONNX backend and the `Recognizer`.

Modules:

- `hdsr.read.preprocess` (nbs/30_read/30_preprocess.ipynb): Any picture of a digit string in, a model-ready image out:
  grayscale, white ink on black, the ink framed as in training, strokes within the widths the model learned.
- `hdsr.read.decode` (nbs/30_read/31_decode.ipynb): From a string's per-frame CTC probabilities to its text: greedy,
  beam search under length, regex and lexicon constraints, exact scores and alignments.
- `hdsr.read.onnx` (nbs/30_read/32_onnx.ipynb): The network exported to ONNX and run by onnxruntime: the same
  `Recognizer` API, without torch or Lightning.
- `hdsr.read.recognize` (nbs/30_read/33_recognize.ipynb): Images in, readings out: the `Recognizer` that notebooks, the
  widget, the command line and the servers share."""

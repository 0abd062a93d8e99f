"""The network, its loss and its weights: the CRNN, CTC, and reading weights files back.

Modules:

- `hdsr.model.crnn` (nbs/20_model/20_crnn.ipynb): The CRNN of Shi, Bai & Yao (2015) as the reference built it, and a
  compact default that trains fast on a CPU.
- `hdsr.model.ctc` (nbs/20_model/21_ctc.ipynb): Connectionist temporal classification for variable-width batches, and
  the two CERs.
- `hdsr.model.weights` (nbs/20_model/22_weights.ipynb): The shipped models' files, and a model read back from a weights
  file or a training checkpoint with `weights_only=True` and errors that name the file."""

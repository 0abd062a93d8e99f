"""The network and its loss: the CRNN and CTC.

Modules:

- `hdsr.model.crnn` (nbs/20_model/20_crnn.ipynb): The CRNN of Shi, Bai & Yao (2015) as the reference built it, and a
  compact default that trains fast on a CPU.
- `hdsr.model.ctc` (nbs/20_model/21_ctc.ipynb): Connectionist temporal classification for variable-width batches, and
  the two CERs."""

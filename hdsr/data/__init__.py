"""Digits and strings to learn from and to measure on: MNIST, synthesis, documents, validation sets.

Modules:

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
  frames a digit, and mixed by weight."""

"""Digits and strings to learn from and to measure on: MNIST, synthesis, labelled folders, digit sources.

Modules:

- `hdsr.data.mnist` (nbs/10_data/10_mnist.ipynb): Find, fetch, verify and load the MNIST digits every digit string is
  made of.
- `hdsr.data.synth` (nbs/10_data/11_synth.ipynb): Strings of handwritten digits made from single MNIST digits, a whole
  batch at a time.
- `hdsr.data.datasets` (nbs/10_data/12_datasets.ipynb): Labelled folders, the one on-disk form of real labelled images,
  and the fixed validation sets made from them: register row numbers split by page, strings of CVL digits, and synthetic
  field crops dressed as documents.
- `hdsr.data.sources` (nbs/10_data/13_sources.ipynb): Single handwritten digits beyond MNIST, each with its writers:
  CVL's European writers, USPS zip codes and handwriting fonts rendered as a hand would write them; all framed as MNIST
  frames a digit, and mixed by weight."""

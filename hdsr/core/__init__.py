"""Settings, optional extras and the vocabulary every other package uses.

Modules:

- `hdsr.core.config` (nbs/00_core/00_config.ipynb): Where data lives, where runs go, how runs are tracked and on which
  device they train.
- `hdsr.core.extras` (nbs/00_core/01_extras.ipynb): What each part of hdsr needs installed, and the one-line error that
  names the extra to install when it is missing.
- `hdsr.core.vocab` (nbs/00_core/02_vocab.ipynb): What a network reads and writes: images 32 px high; for each frame, a
  score per class (CTC's blank and the characters); how many frames an image of a given width has; the best path through
  the scores as text, and how far a text is from another."""

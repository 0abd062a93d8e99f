"""Settings, optional extras, the vocabulary and the image geometry every other package uses.

Modules:

- `hdsr.core.config` (nbs/00_core/00_config.ipynb): Where data lives, where runs go, how runs are tracked and on which
  device they train.
- `hdsr.core.extras` (nbs/00_core/01_extras.ipynb): What each part of hdsr needs installed, and the one-line error that
  names the extra to install when it is missing.
- `hdsr.core.vocab` (nbs/00_core/02_vocab.ipynb): What a network writes: a score per class (CTC's blank and the
  characters) for each frame; texts as classes and back; the best path through the scores as text, and how far a text is
  from another.
- `hdsr.core.geometry` (nbs/00_core/03_geometry.ipynb): The string image's shape shared by synthesis, networks and pre-
  processing: 32 px high, at least 32 wide, and how many frames an image of a given width has."""

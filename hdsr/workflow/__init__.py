"""Training, evaluation, tracking and papermill experiments.

Modules:

- `hdsr.workflow.tracking` (nbs/40_workflow/40_tracking.ipynb): One W&B run per run folder, offline unless you are
  logged in; checkpoints as artifacts, and fetched back by run name.
- `hdsr.workflow.real_strings` (nbs/40_workflow/41_real_strings.ipynb): Labelled image files and synthetic document
  crops, passed once through pre-processing and kept as the model will see them; batches of them are mixed into training
  beside the synthesiser's strings.
- `hdsr.workflow.train` (nbs/40_workflow/42_train.ipynb): A LightningDataModule that synthesises strings, a
  LightningModule that trains a CRNN with CTC, and the Trainer around them.
- `hdsr.workflow.evaluate` (nbs/40_workflow/43_evaluate.ipynb): How well a recognizer reads a labelled folder: both
  CERs, exact matches, how they improve when the least confident readings are refused, how often it is sure and wrong,
  how many readings a confidence threshold can accept at 1 % error, how well the confidence is calibrated, which crops
  pre-processing framed worst; `hdsr-eval`.
- `hdsr.workflow.experiments` (nbs/40_workflow/44_experiments.ipynb): Papermill runs into atomic run folders, sweeps
  over parameter grids, resume after a crash, and a registry of every run.
- `hdsr.workflow.finder` (nbs/40_workflow/45_finder.ipynb): A small network that says where the number is in a crop:
  trained on table cells with known digit boxes and on register crops, exported to ONNX for pre-processing."""

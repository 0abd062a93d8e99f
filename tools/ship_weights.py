"""Ship a finished run's model as hdsr's default weights, with its provenance.

    python tools/ship_weights.py runs/pretrained nbs/experiments/pretrained.yaml
    python tools/ship_weights.py --onnx   # only export the shipped weights to ONNX again (after the export changed)

Checks that the run finished and was trained with exactly the parameters of the given file, fits the model's calibration
on document crops on the register validation pages (hdsr.workflow.evaluate.fit_calibration; benchmarks/calibration.py
cross-checks it) and its learnt confidences, with and without test-time variants, on every validation set
(hdsr.workflow.evaluate.fit_confidence; benchmarks/confidence.py cross-checks them, tools/fit_confidence.py refits them
alone), then writes hdsr/weights/default.pt (state_dict + config + meta: the command, parameters, test metrics, training
time, machine, calibration and confidences), which `Recognizer.from_pretrained()` reads with weights_only=True, and its
ONNX export hdsr/weights/default.onnx for installs without torch. The run's small files (metrics, parameters, history,
plots) stay in runs/pretrained/, which .gitignore lets into git for the model card."""

import json, sys
from pathlib import Path
from hdsr.data.validation import VALIDATION_SETS, validation_sets
from hdsr.data.folders import SourceMissing
from hdsr.workflow.evaluate import fit_calibration, fit_confidence
from hdsr.workflow.experiments import parse_params
from hdsr.model.weights import PRETRAINED, PRETRAINED_ONNX
from hdsr.read.recognize import Recognizer
from hdsr.workflow.train import run_config

LIMIT = 10 * 2**20


def ship(run: Path, params_file: Path):
    status = json.loads((run / 'status.json').read_text()) if (run / 'status.json').is_file() else {}
    if status.get('status') != 'finished' or not (run / 'metrics.json').is_file():
        sys.exit(f'{run} is not a finished run (status: {status.get("status", "none")}); nothing shipped')
    metrics, params = json.loads((run / 'metrics.json').read_text()), json.loads((run / 'params.json').read_text())
    # older runs kept times in metrics.json
    timing = json.loads((run / 'timing.json').read_text()) if (run / 'timing.json').is_file() else metrics
    # both read as TrainConfig: an older run's params.json has synth's fields flat; real_eval is the notebook's
    where = lambda p: {k: v for k, v in run_config(**p).to_dict().items() if k != 'runs_dir'}
    if where(params) != where(parse_params(params_file)):
        sys.exit(f'{run} was not trained with the parameters of {params_file}; nothing shipped')
    meta = dict(
        run=run.name,
        command=f'hdsr-run {status["notebook"]} --params {params_file} --name {run.name}',
        params=params,
        test=metrics['test'],
        tests=metrics.get('tests', {}),
        arch=metrics['arch'],
        parameters=metrics['parameters'],
        steps=metrics['steps'],
        epochs=metrics['epochs'],
        train_time_s=timing["train_time_s"],
        device=metrics['device'],
        precision=metrics['precision'],
        machine=timing["machine"],
    )
    PRETRAINED.parent.mkdir(exist_ok=True)
    model = Recognizer.from_weights(run / 'weights.pt', precision='fp32')
    try:
        model.document_calibration = fit_calibration(model, 'register-valid')
    except SourceMissing as e:
        sys.exit(f'the document calibration is fitted on the register validation pages: {e}')
    sets = validation_sets(VALIDATION_SETS)
    if set(sets) != set(VALIDATION_SETS):
        sys.exit(f'the confidence is fitted on every validation set; only {", ".join(sets)} are here')
    model.confidence_model = fit_confidence(model, list(sets.values()))
    model.variants_confidence_model = fit_confidence(model, list(sets.values()), variants=True)
    model.save_weights(PRETRAINED, meta=meta)
    size = PRETRAINED.stat().st_size
    if size > LIMIT:
        sys.exit(f'{PRETRAINED} is {size / 2**20:.1f} MB, over the 10 MB the package allows')
    export_onnx_twin()
    print(
        f'shipped {run} as {PRETRAINED} ({size / 2**20:.1f} MB) and {PRETRAINED_ONNX}; document calibration '
        f'{model.document_calibration}; confidence {model.confidence_model}; with variants '
        f'{model.variants_confidence_model}'
    )


def export_onnx_twin():
    "hdsr/weights/default.onnx from hdsr/weights/default.pt, with its metadata (provenance, document calibration)."
    Recognizer.from_pretrained(backend='torch').to_onnx(PRETRAINED_ONNX)  # reads back with weights_only=True
    Recognizer.from_pretrained(backend='onnx')


if __name__ == '__main__':
    if sys.argv[1:] == ['--onnx']:
        export_onnx_twin()
        print(f'exported {PRETRAINED} as {PRETRAINED_ONNX}')
    elif len(sys.argv) != 3:
        sys.exit(__doc__)
    else:
        ship(Path(sys.argv[1]), Path(sys.argv[2]))

"""Every notebook runs top to bottom under nbdev-test: its cells are hdsr's unit tests. Cells marked `#| slow` run only
with `pytest --nbdev-flags slow` (make test); without it (make check) nbdev-test leaves them out."""

import subprocess
import pytest
from conftest import ROOT, BIN

NOTEBOOKS = sorted(
    p.relative_to(ROOT).as_posix() for p in (ROOT / 'nbs').rglob('*.ipynb') if '.ipynb_checkpoints' not in p.parts
)

# Notebooks whose quick cells (those not marked `#| slow`) still take ~10 s or more on 2 cores, or that train:
# make check leaves the whole notebook out until its slow cells are flagged (per-cell timings: the testtier report).
SLOW_NOTEBOOKS = {
    'nbs/experiments/train.ipynb',  # trains a model with the notebook's default parameters
    'nbs/experiments/finetune.ipynb',  # fine-tunes the shipped model and refits its confidence: 15 s in all
    'nbs/experiments/finder.ipynb',  # makes table cells, boxes register crops and trains the number finder
}


def notebook_params() -> list:
    "The notebooks as test parameters, the slow ones marked slow."
    return [pytest.param(nb, marks=pytest.mark.slow) if nb in SLOW_NOTEBOOKS else nb for nb in NOTEBOOKS]


@pytest.mark.parametrize('nb', notebook_params())
def test_notebook(nb, env, request):
    flags = request.config.getoption('nbdev_flags')
    r = subprocess.run(
        [BIN / 'nbdev-test', nb] + (['--flags', flags] if flags else []),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert r.returncode == 0 and 'Success' in r.stdout, f'{nb} failed:\n{r.stdout[-4000:]}\n{r.stderr[-4000:]}'


def test_slow_notebooks_exist():
    "SLOW_NOTEBOOKS names notebooks that are there (a renamed notebook would otherwise join make check unnoticed)."
    assert set(SLOW_NOTEBOOKS) <= set(NOTEBOOKS), set(SLOW_NOTEBOOKS) - set(NOTEBOOKS)

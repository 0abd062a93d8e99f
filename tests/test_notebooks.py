"Every notebook runs top to bottom under nbdev-test: its cells are hdsr's unit tests."
import subprocess
import pytest
from conftest import ROOT, BIN

NOTEBOOKS = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT/'nbs').rglob('*.ipynb') if '.ipynb_checkpoints' not in p.parts)

@pytest.mark.parametrize('nb', NOTEBOOKS)
def test_notebook(nb, env):
    r = subprocess.run([BIN/'nbdev-test', nb], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0 and 'Success' in r.stdout, f'{nb} failed:\n{r.stdout[-4000:]}\n{r.stderr[-4000:]}'

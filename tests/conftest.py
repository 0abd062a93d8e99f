"Shared fixtures: the project root, its venv's binaries, a quiet environment for subprocesses."
import os, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent

# pytest-xdist runs one worker per core, and each test's torch (and the kernels, servers and runs it starts) would
# use every core too: threads spinning on a shared core made a tiny training run six times slower. One thread each.
if os.environ.get('PYTEST_XDIST_WORKER'):
    for var in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS'): os.environ.setdefault(var, '1')
BIN = Path(sys.executable).parent

@pytest.fixture(scope='session')
def root() -> Path: return ROOT

@pytest.fixture(scope='session')
def env() -> dict:
    "Environment for subprocesses: W&B offline, no colours."
    return {**os.environ, 'WANDB_SILENT': 'true', 'NO_COLOR': '1', 'PYTHONUNBUFFERED': '1'}

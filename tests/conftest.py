"Shared fixtures: the project root, its venv's binaries, a quiet environment for subprocesses."
import os, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

@pytest.fixture(scope='session')
def root() -> Path: return ROOT

@pytest.fixture(scope='session')
def env() -> dict:
    "Environment for subprocesses: W&B offline, no colours."
    return {**os.environ, 'WANDB_SILENT': 'true', 'NO_COLOR': '1', 'PYTHONUNBUFFERED': '1'}

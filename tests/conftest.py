"Shared fixtures: the project root, its venv's binaries, a quiet environment for subprocesses; the test tiers."

import os, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent

# pytest-xdist runs one worker per core, and each test's torch (and the kernels, servers and runs it starts) would
# use every core too: threads spinning on a shared core made a tiny training run six times slower. One thread each.
if os.environ.get('PYTEST_XDIST_WORKER'):
    for var in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS'):
        os.environ.setdefault(var, '1')
BIN = Path(sys.executable).parent

# The tiers (markers registered in pyproject.toml): `make check` runs -m 'not slow and not browser and not server'
# and the notebooks without their `#| slow` cells; `make test` runs everything, slow cells included.
SLOW_S = 10  # an unmarked test that takes longer than this is reported
_current = []  # the test being set up or run


def pytest_addoption(parser):
    parser.addoption(
        '--nbdev-flags',
        default='',
        help="flags the notebook tests pass to nbdev-test --flags ('slow': the cells marked #| slow too)",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    _current[:] = [item]


def require_marker(name: str):
    "Fail the current test unless it is marked `name`: the helpers that start servers and browsers call this."
    if _current and _current[0].get_closest_marker(name) is None:
        pytest.fail(f'{_current[0].nodeid} starts a {name} process but is not marked @pytest.mark.{name}')


def pytest_terminal_summary(terminalreporter):
    "Name the tests that are not marked slow but took longer than SLOW_S seconds."
    late = [
        r
        for r in terminalreporter.stats.get('passed', []) + terminalreporter.stats.get('failed', [])
        if r.when == 'call' and r.duration > SLOW_S and 'slow' not in r.keywords
    ]
    if late:
        terminalreporter.section(f'unmarked tests over {SLOW_S} s: mark them @pytest.mark.slow')
        for r in late:
            terminalreporter.write_line(f'{r.duration:6.1f} s  {r.nodeid}')


@pytest.fixture(scope='session')
def root() -> Path:
    return ROOT


@pytest.fixture(scope='session')
def env() -> dict:
    "Environment for subprocesses: W&B offline, no colours."
    return {**os.environ, 'WANDB_SILENT': 'true', 'NO_COLOR': '1', 'PYTHONUNBUFFERED': '1'}


@pytest.fixture(scope='module')
def browser():
    "Debian's chromium (browser.launch) for the browser tests of one module."
    from playwright.sync_api import sync_playwright
    from browser import launch

    with sync_playwright() as pw:
        b = launch(pw)
        yield b
        b.close()

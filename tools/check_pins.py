"""Check that the installed packages are the versions constraints.txt pins (the one place torch's version is written).

Run: .venv/bin/python tools/check_pins.py   (the Makefile's install step does)
"""

import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

CONSTRAINTS = Path(__file__).resolve().parent.parent / 'constraints.txt'


def pins(path: Path = CONSTRAINTS) -> dict[str, str]:
    "`name: version` for every `name==version` line of a constraints file."
    lines = [l.split('#')[0].strip() for l in path.read_text().splitlines()]
    return dict(l.split('==', 1) for l in lines if '==' in l)


def mismatches(wanted: dict[str, str]) -> list[str]:
    "A line per pinned package that is missing or another version (a local tag such as +cpu is ignored)."
    bad = []
    for name, want in wanted.items():
        try:
            have = version(name)
        except PackageNotFoundError:
            have = None
        if have is None or have.split('+')[0] != want:
            bad.append(f'{name}: constraints.txt pins {want}, installed: {have}')
    return bad


if __name__ == '__main__':
    bad = mismatches(pins())
    if bad:
        sys.exit('\n'.join(bad))

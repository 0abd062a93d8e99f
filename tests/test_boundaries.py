"Modules talk through public names, and the package never reads the repository around it."

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / 'hdsr'
MODULES = sorted(p for p in PACKAGE.rglob('*.py') if p.name != '_modidx.py')


def imported_private_names(path: Path) -> list[str]:
    "`module.name` for each underscore name `path` imports from another hdsr module."
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.ImportFrom):
            continue
        module = node.module or ''
        if node.level == 0 and not module.startswith('hdsr'):
            continue
        private = [a.name for a in node.names if a.name.startswith('_') and not a.name.endswith('__')]  # not __all__
        out += [f'{module}.{name}' for name in private]
    return out


def test_the_check_finds_a_private_import(tmp_path):
    bad = tmp_path / 'bad.py'
    bad.write_text(
        'from .recognize import Recognizer, _check_batch_size\nfrom hdsr.read.decode import _forward\n'
        'from os import _exit\n'
    )
    assert imported_private_names(bad) == ['recognize._check_batch_size', 'hdsr.read.decode._forward']


def test_no_module_imports_another_modules_private_names():
    found = {p.name: names for p in MODULES if (names := imported_private_names(p))}
    assert not found, f'private names imported across modules: {found}'


def test_the_package_never_reads_nbs():
    found = [p.name for p in MODULES if "'nbs'" in p.read_text() or '"nbs"' in p.read_text()]
    assert not found, f'library code that reads nbs/: {found}'

"""The notebooks' order is their dependency order: folders numbered by package, notebooks numbered within them, and no
notebook imports the module of a later one (in an export cell, a function body or a test cell alike)."""

import json, re
import hdsr
from pathlib import Path
from conftest import ROOT

NBS = ROOT / 'nbs'
NUMBERED = sorted(NBS.glob('[0-9]*/[0-9]*.ipynb'))
IMPORT = re.compile(r'^\s*(?:from\s+hdsr((?:\.\w+)*)\s+import\s+([\w, ()]+)|import\s+hdsr((?:\.\w+)+))', re.M)
TOP_LEVEL = hdsr._LAZY  # the names `from hdsr import ...` gives, and the module of each


def cells(nb: Path) -> list[str]:
    return [''.join(c['source']) for c in json.loads(nb.read_text())['cells'] if c['cell_type'] == 'code']


def exported_module(nb: Path) -> str:
    "The module a notebook writes (its `default_exp`)."
    return re.search(r'#\|\s*default_exp\s+(\S+)', cells(nb)[0])[1]


def imported_modules(source: str) -> set[str]:
    "The hdsr modules `source` imports, `from hdsr import Recognizer` counted as the module it comes from."
    found = set()
    for module, names, plain in IMPORT.findall(source):
        if plain:
            found.add(plain[1:])
        elif module:
            found.add(module[1:])
        else:
            found |= {TOP_LEVEL[n.strip()] for n in names.strip('()').split(',') if n.strip() in TOP_LEVEL}
    return found


def number(nb: Path) -> int:
    return int(nb.name.split('_')[0])


def test_the_check_reads_every_form_of_import():
    src = (
        'from hdsr.read.recognize import Recognizer\n  import hdsr.data.synth\nfrom hdsr import Prediction, __version__'
    )
    assert imported_modules(src) == {'read.recognize', 'read.predictions', 'data.synth'}


def test_every_library_notebook_is_numbered_in_its_package_folder():
    loose = [nb.name for nb in NBS.glob('*.ipynb') if nb.name not in ('index.ipynb', 'model_card.ipynb')]
    assert not loose, f'notebooks outside a package folder: {loose}'
    for nb in NUMBERED:
        folder = nb.parent.name
        package = folder.split('_', 1)[1]
        module = exported_module(nb)
        alias = '.' not in module  # a top-level module: an old name kept for code written before the packages
        assert alias or module.split('.')[0] == package, f'{nb.relative_to(NBS)} exports outside hdsr.{package}'
        assert number(nb) // 10 == int(folder.split('_')[0]) // 10, (
            f'{nb.relative_to(NBS)} is numbered outside {folder}'
        )
    numbers = [number(nb) for nb in NUMBERED]
    assert len(set(numbers)) == len(numbers), 'two notebooks share a number'


def test_no_notebook_imports_a_later_one():
    order = {exported_module(nb): number(nb) for nb in NUMBERED}
    later = []
    for nb in NUMBERED:
        for module in set().union(*(imported_modules(c) for c in cells(nb))):
            if (ROOT / 'hdsr' / module.replace('.', '/')).is_dir():
                continue  # a package (its __init__ imports nothing)
            assert module in order, f'{nb.relative_to(NBS)} imports hdsr.{module}, which no notebook writes'
            if order[module] > number(nb):
                later.append(f'{nb.relative_to(NBS)} imports hdsr.{module}')
    assert not later, 'notebooks import later ones:\n' + '\n'.join(later)

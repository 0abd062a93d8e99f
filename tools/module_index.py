"""Write the list of hdsr's modules into the package docstrings (hdsr/__init__.py and each subpackage's) and
nbs/llms.txt, and the names `from hdsr import ...` gives.

Every module is listed, in notebook order, with the first paragraph of its docstring (its notebook's summary line).
nbdev-export lists only modules whose docstring is longer than three lines, so this list is written here instead; nbdev
leaves both alone while no module docstring is that long (a test checks the export leaves them unchanged).
Run after nbdev-export: .venv/bin/python tools/module_index.py [--check]   (--check: exit 1 if a file is stale)
"""

import ast, itertools, re, sys, textwrap, tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIB = ROOT / 'hdsr'
INIT = LIB / '__init__.py'
LLMS = ROOT / 'nbs' / 'llms.txt'
# not nbdev's 'Modules:', which nbdev-export would rewrite
HEADING = 'Packages by job, a module per notebook in nbs/<number>_<package>/:'
PACKAGES = {  # subpackage: what it does, in the order the notebooks depend on each other
    'core': 'Settings, optional extras, the vocabulary and the image geometry every other package uses.',
    'data': 'Digits and strings to learn from and to measure on: MNIST, synthesis, documents, validation sets.',
    'model': 'The network, its loss and its weights: the CRNN, CTC, and reading weights files back.',
    'read': 'Images in, readings out: pre-processing, decoding, confidence, ONNX, the `Recognizer` and its CLI.',
    'workflow': 'Training, evaluation, tracking and papermill experiments.',
    'serve': 'The recogniser behind a widget, an HTTP API, a Lambda handler and a Streamlit app.',
}
TOP_LEVEL = {'Recognizer': 'read.recognize', 'Prediction': 'read.predictions', 'Digit': 'read.predictions'}
MARKER = '<!-- Written by tools/module_index.py from the module docstrings: edit the notebooks, not this file -->'
_SOURCE = re.compile(r'File to edit: (?:\.\./)+(nbs/\S+\.ipynb)')


def _project() -> dict:
    return tomllib.loads((ROOT / 'pyproject.toml').read_text())['project']


def modules() -> list[tuple[str, str, str]]:
    "`(module, notebook, summary)` for every module of hdsr/ but nbdev's index, in notebook order."
    res = []
    for py in LIB.rglob('*.py'):
        if py.name in ('__init__.py', '_modidx.py'):
            continue
        text = py.read_text()
        source = _SOURCE.search(text)
        doc = ast.get_docstring(ast.parse(text)) or ''
        summary = ' '.join(doc.split('\n\n')[0].split())
        name = '.'.join(py.relative_to(ROOT).with_suffix('').parts)
        res.append((name, source.group(1) if source else '', summary))
    return sorted(res, key=lambda m: (m[1], m[0]))


def _items(mods) -> list[str]:
    lines = []
    for name, nb, summary in mods:
        item = f'- `{name}` ({nb}): {summary}'
        lines += textwrap.wrap(item, width=120, subsequent_indent='  ', break_long_words=False)
    return lines


def package_docstring() -> str:
    """The docstring of hdsr/__init__.py: the project's description and a line per package, naming its modules (whose
    summaries are in the package's own docstring); a top-level module, an old name kept, gets its summary."""
    lines = [_project()['description'], '', HEADING, '']
    groups = itertools.groupby(modules(), key=lambda m: m[0].split('.')[1])
    for package, mods in groups:
        mods = list(mods)
        if package in PACKAGES:
            item = f'- `hdsr.{package}`: {PACKAGES[package]} ' + ', '.join(f'`{name}`' for name, _, _ in mods) + '.'
            lines += textwrap.wrap(item, width=120, subsequent_indent='  ', break_long_words=False)
        else:
            lines += _items(mods)
    return '\n'.join(lines)


def subpackage_docstring(package: str) -> str:
    "The docstring of hdsr/<package>/__init__.py: what the package does and a line per module."
    mods = [m for m in modules() if m[0].split('.')[1] == package]
    return '\n'.join([PACKAGES[package], '', 'Modules:', ''] + _items(mods))


def _lazy_names() -> str:
    "`from hdsr import Recognizer` without importing the reading stack on `import hdsr` (PEP 562)."
    names = ', '.join(f"'{k}': '{v}'" for k, v in TOP_LEVEL.items())
    return (
        f'_LAZY = {{{names}}}  # written by tools/module_index.py\n'
        '__all__ = list(_LAZY)\n\n\n'
        'def __getattr__(name):\n'
        '    if name not in _LAZY:\n'
        "        raise AttributeError(f'module {__name__!r} has no attribute {name!r}')\n"
        '    import importlib\n\n'
        "    return getattr(importlib.import_module(f'{__name__}.{_LAZY[name]}'), name)\n"
    )


def llms_txt() -> str:
    "nbs/llms.txt: the same list, each module linked to its notebook in the repository."
    pyproject = tomllib.loads((ROOT / 'pyproject.toml').read_text())
    project = pyproject['project']
    branch = pyproject['tool']['nbdev'].get('branch', 'main')
    repo = project['urls']['Repository'].rstrip('/')
    items = '\n'.join(f'- [{name}]({repo}/blob/{branch}/{nb}): {summary}' for name, nb, summary in modules())
    parts = [f'# {project["name"]}', f'> {project["description"]}', '## Modules', items, MARKER]
    return '\n\n'.join(parts) + '\n'


def _docstring(doc: str) -> str:
    raw = 'r' if '\\' in doc else ''
    return f'{raw}"""{doc}"""\n'


def init_text() -> str:
    "hdsr/__init__.py: `package_docstring()`, the version nbdev keeps, and the top-level names."
    version = re.search(r'^__version__ = .*$', INIT.read_text(), re.M)[0]
    return _docstring(package_docstring()) + f'\n{version}\n\n' + _lazy_names()


def files() -> dict[Path, str]:
    "Every file this writes, with its text."
    subs = {LIB / p / '__init__.py': _docstring(subpackage_docstring(p)) for p in PACKAGES}
    return {INIT: init_text(), LLMS: llms_txt()} | subs


def main(check: bool = False) -> int:
    stale = []
    for path, text in files().items():
        if path.exists() and path.read_text() == text:
            continue
        stale.append(path.relative_to(ROOT))
        if not check:
            path.write_text(text)
    if stale:
        print(('stale: ' if check else 'wrote ') + ', '.join(map(str, stale)))
    return 1 if check and stale else 0


if __name__ == '__main__':
    sys.exit(main(check='--check' in sys.argv[1:]))

"""Write the list of hdsr's modules into the package docstring (hdsr/__init__.py) and nbs/llms.txt.

Every module is listed, in notebook order, with the first paragraph of its docstring (its notebook's summary line).
nbdev-export lists only modules whose docstring is longer than three lines, so this list is written here instead; nbdev
leaves both alone while no module docstring is that long (a test checks the export leaves them unchanged).
Run after nbdev-export: .venv/bin/python tools/module_index.py [--check]   (--check: exit 1 if a file is stale)
"""

import ast, re, sys, textwrap, tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIB = ROOT / 'hdsr'
INIT = LIB / '__init__.py'
LLMS = ROOT / 'nbs' / 'llms.txt'
HEADING = 'Modules, one per notebook in nbs/:'  # not nbdev's 'Modules:', which nbdev-export would rewrite
MARKER = '<!-- Written by tools/module_index.py from the module docstrings: edit the notebooks, not this file -->'
_SOURCE = re.compile(r'File to edit: \.\./(nbs/\S+\.ipynb)')


def _project() -> dict:
    return tomllib.loads((ROOT / 'pyproject.toml').read_text())['project']


def modules() -> list[tuple[str, str, str]]:
    "`(module, notebook, summary)` for every module of hdsr/ but nbdev's index, in notebook order."
    res = []
    for py in LIB.glob('*.py'):
        if py.name in ('__init__.py', '_modidx.py'):
            continue
        text = py.read_text()
        source = _SOURCE.search(text)
        doc = ast.get_docstring(ast.parse(text)) or ''
        summary = ' '.join(doc.split('\n\n')[0].split())
        res.append((f'hdsr.{py.stem}', source.group(1) if source else '', summary))
    return sorted(res, key=lambda m: (m[1], m[0]))


def package_docstring() -> str:
    "The docstring of hdsr/__init__.py: the project's description and a line per module."
    lines = [_project()['description'], '', HEADING, '']
    for name, nb, summary in modules():
        item = f'- `{name}` ({nb}): {summary}'
        lines += textwrap.wrap(item, width=120, subsequent_indent='  ', break_long_words=False)
    return '\n'.join(lines)


def llms_txt() -> str:
    "nbs/llms.txt: the same list, each module linked to its notebook in the repository."
    pyproject = tomllib.loads((ROOT / 'pyproject.toml').read_text())
    project = pyproject['project']
    branch = pyproject['tool']['nbdev'].get('branch', 'main')
    repo = project['urls']['Repository'].rstrip('/')
    items = '\n'.join(f'- [{name}]({repo}/blob/{branch}/{nb}): {summary}' for name, nb, summary in modules())
    parts = [f'# {project["name"]}', f'> {project["description"]}', '## Modules', items, MARKER]
    return '\n\n'.join(parts) + '\n'


def init_text() -> str:
    "hdsr/__init__.py with `package_docstring()` in place of its docstring."
    text = INIT.read_text()
    body = ast.parse(text).body
    rest = text
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0].value, 'value', None), str):
        rest = ''.join(text.splitlines(keepends=True)[body[0].end_lineno :])
    doc = package_docstring()
    raw = 'r' if '\\' in doc else ''
    return f'{raw}"""{doc}"""\n\n' + rest.lstrip('\n')


def main(check: bool = False) -> int:
    stale = []
    for path, text in ((INIT, init_text()), (LLMS, llms_txt())):
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

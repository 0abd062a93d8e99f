"""The style gate: ruff's lint rules and format (pyproject.toml [tool.ruff]) hold everywhere; in the notebooks an export
cell holds one public definition (with its private helpers), methods live in their class, and each public definition
is followed by a cell that shows or tests it."""

import ast, json, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUFF = [sys.executable, '-m', 'ruff']
NOTEBOOKS = sorted((ROOT / 'nbs').rglob('*.ipynb'))


def ruff(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([*RUFF, *args], cwd=cwd, capture_output=True, text=True)


def test_the_rules_catch_what_they_are_for(tmp_path):
    "The project's rules flag compound statements, long lines and unused imports in a planted file."
    bad = tmp_path / 'bad.py'
    bad.write_text('import os\nx = 1; y = 2\nif x: y = 3\nz = "' + 'a' * 120 + '"\n')
    out = ruff('check', '--config', str(ROOT / 'pyproject.toml'), '--output-format', 'concise', str(bad)).stdout
    for rule in ('F401', 'E702', 'E701', 'E501'):
        assert rule in out, f'{rule} not reported:\n{out}'


def test_ruff_check_is_clean():
    r = ruff('check', '--output-format', 'concise', '.')
    assert r.returncode == 0, f'ruff check (fix with `make format`):\n{r.stdout}{r.stderr}'


def test_ruff_format_is_clean():
    r = ruff('format', '--check', '.')
    assert r.returncode == 0, f'ruff format --check (fix with `make format`):\n{r.stdout}{r.stderr}'


def export_cells(nb: Path) -> list[str]:
    cells = json.loads(nb.read_text())['cells']
    sources = [''.join(c['source']) for c in cells if c['cell_type'] == 'code']
    return [s for s in sources if s.startswith('#| export')]


def several_definitions(source: str) -> bool:
    """Whether an export cell defines more than one public function or class (a private helper shares its user's cell,
    as fastcore's do; constants and imports may share a cell too)."""
    nodes = ast.parse(source).body
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return len([n for n in nodes if isinstance(n, kinds) and not n.name.startswith('_')]) > 1


def test_the_definition_check_tells_one_from_two():
    assert several_definitions('#| export\ndef f(): pass\nclass G: pass')
    assert not several_definitions('#| export\ndef _helper(): pass\ndef f(): pass')
    assert not several_definitions('#| export\n@dataclass\nclass A:\n    x: int = 0')
    assert not several_definitions('#| export\nimport os\nA = 1')


def test_one_definition_per_export_cell():
    found = [
        f'{nb.relative_to(ROOT)}: {s.splitlines()[1][:60]}'
        for nb in NOTEBOOKS
        for s in export_cells(nb)
        if several_definitions(s)
    ]
    assert not found, 'export cells with several definitions (split them, tools/split_exports.py):\n' + '\n'.join(found)


def dead_strings(source: str) -> list[int]:
    "Lines of string statements after a module's docstring: a docstring broken in two, or a comment written as code."
    body = ast.parse(source).body
    return [n.lineno for n in body[1:] if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)]


def test_the_dead_string_check_finds_a_broken_docstring():
    assert dead_strings('"A module docstring broken"\n\n"in two."\nimport os\n') == [3]
    assert dead_strings('"""A whole docstring."""\nimport os\n') == []


def test_no_dead_strings_in_scripts():
    scripts = [p for d in ('tests', 'benchmarks', 'tools') for p in sorted((ROOT / d).glob('*.py'))]
    found = {p.relative_to(ROOT).as_posix(): lines for p in scripts if (lines := dead_strings(p.read_text()))}
    assert not found, f'string statements after the docstring (join the docstring): {found}'


def test_methods_live_in_class_bodies():
    "No exported method is attached from outside its class (fastcore's @patch), so each class reads in one place."
    found = [str(nb.relative_to(ROOT)) for nb in NOTEBOOKS for s in export_cells(nb) if '@patch' in s]
    assert not found, f'@patch in export cells: {found}'


def unchecked_definitions(nb: Path) -> list[str]:
    "Public functions and classes whose export cell is followed (past any prose) by another export cell or by nothing."
    cells = [c for c in json.loads(nb.read_text())['cells'] if c['cell_type'] != 'markdown']
    sources = [''.join(c['source']) if c['cell_type'] == 'code' else '' for c in cells]
    found = []
    for i, s in enumerate(sources):
        if not s.startswith('#| export'):
            continue
        nodes = ast.parse(s).body
        names = [n.name for n in nodes if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
        shown = i + 1 < len(sources) and sources[i + 1] and not sources[i + 1].startswith('#| export')
        found += [n for n in names if not n.startswith('_') and not shown]
    return found


def test_the_checked_definitions_check_finds_a_gap(tmp_path):
    cell = lambda kind, src: dict(
        cell_type=kind, source=[src], metadata={}, **({} if kind == 'markdown' else dict(outputs=[]))
    )
    nb = tmp_path / 'x.ipynb'
    cells = [
        cell('code', '#| export\ndef f(): pass'),
        cell('markdown', 'prose'),
        cell('code', 'f()'),
        cell('code', '#| export\ndef g(): pass'),
        cell('code', '#| export\ndef _h(): pass'),
    ]
    nb.write_text(json.dumps(dict(cells=cells, nbformat=4, nbformat_minor=5, metadata={})))
    assert unchecked_definitions(nb) == ['g']


def test_every_public_definition_is_followed_by_a_check():
    "Each exported public function or class is followed by a cell that shows or tests it (prose may come between)."
    found = [f'{nb.relative_to(ROOT)}: {name}' for nb in NOTEBOOKS for name in unchecked_definitions(nb)]
    assert not found, 'definitions without a cell that shows or tests them:\n' + '\n'.join(found)

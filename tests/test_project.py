"The project's shape: hdsr/ is what the notebooks export, README is index.ipynb, copies agree with their one source."

import ast, re, shutil, subprocess, sys, tomllib
import yaml
from conftest import ROOT, BIN

sys.path.insert(0, str(ROOT / 'tools'))
import check_pins, module_index


def _name(req: str) -> str:
    return re.split(r'[<>=!~\[ ]', req.strip(), maxsplit=1)[0].lower()


def _env_groups() -> dict[str, list[str]]:
    "environment.yml's pip packages under each group comment (`# core: ...` -> 'core')."
    groups, group = {}, None
    for line in (ROOT / 'environment.yml').read_text().split('- pip:', 1)[1].splitlines():
        line = line.strip()
        if line.startswith('#'):
            group = re.match(r'# (\w+)', line).group(1)
        elif line.startswith('- ') and not line.startswith('- -e'):
            groups.setdefault(group, []).append(_name(line[2:]))
    return groups


def test_environment_yml_matches_pyproject():
    "environment.yml lists each package of pyproject.toml once, under the first extra (in pyproject's order) using it."
    project = tomllib.loads((ROOT / 'pyproject.toml').read_text())['project']
    groups = {'core': project['dependencies'], **project['optional-dependencies']}
    want, seen = {}, set()
    for group, reqs in groups.items():
        names = [_name(r) for r in reqs if not r.startswith('hdsr[')]
        want[group] = [n for n in names if n not in seen]
        seen.update(names)
    want = {g: names for g, names in want.items() if names}
    assert {g: sorted(n) for g, n in _env_groups().items()} == {g: sorted(n) for g, n in want.items()}


def test_torch_is_pinned_in_constraints_only():
    "constraints.txt pins torch and torchvision; environment.yml repeats its pins, the Makefile reads them."
    pins = check_pins.pins()
    assert {'torch', 'torchvision'} <= set(pins)
    env = yaml.safe_load((ROOT / 'environment.yml').read_text())
    conda_pip = next(d['pip'] for d in env['dependencies'] if isinstance(d, dict))
    for name, version in pins.items():
        specs = [p for p in conda_pip if _name(p) == name]
        assert specs == [f'{name}=={version}'], f'environment.yml has {specs} for {name}, constraints.txt {version}'
    makefile = (ROOT / 'Makefile').read_text()
    assert 'tools/check_pins.py' in makefile
    for version in pins.values():
        assert version not in makefile, f'the Makefile names version {version}: read it from constraints.txt'
    assert check_pins.mismatches(pins) == [], 'the installed torch is not the pinned one'


def test_settings_ini_is_made_from_the_defaults():
    "settings.ini is hdsr.core.config.settings_ini(): every key of SETTINGS at its default, where data lives included."
    from hdsr.core.config import settings_ini

    assert (ROOT / 'settings.ini').read_text() == settings_ini(), (
        'settings.ini is stale or sets a key away from its default: write hdsr.core.config.settings_ini() to it '
        '(a machine sets where its data lives with HDSR_REAL_DIR, as .ci/run does)'
    )


def test_hdsr_is_exported_from_clean_notebooks(tmp_path, env):
    "Export and clean a copy of the notebooks: the package and the notebooks must come out unchanged."
    for f in ('pyproject.toml', 'settings.ini'):
        shutil.copy(ROOT / f, tmp_path / f)
    shutil.copytree(ROOT / 'nbs', tmp_path / 'nbs')
    (tmp_path / 'hdsr').mkdir()
    shutil.copy(ROOT / 'hdsr' / '__init__.py', tmp_path / 'hdsr' / '__init__.py')
    for cmd in ('nbdev-export', 'nbdev-clean'):
        subprocess.run([BIN / cmd], cwd=tmp_path, env=env, check=True, capture_output=True)
    # nbdev's index, not committed
    modules = lambda d: sorted(
        p.relative_to(d / 'hdsr').as_posix()
        for p in (d / 'hdsr').rglob('*.py')
        if p.name not in ('_modidx.py', '__init__.py')
    )
    exported = modules(tmp_path)
    assert exported == modules(ROOT)
    assert (tmp_path / 'hdsr' / '__init__.py').read_text() == module_index.INIT.read_text(), (
        'nbdev-export rewrote the package docstring: it lists modules itself once a module docstring is over 3 lines'
    )
    assert (tmp_path / 'nbs' / 'llms.txt').read_text() == module_index.LLMS.read_text(), (
        'nbdev-export rewrote nbs/llms.txt'
    )
    for name in exported:
        assert (tmp_path / 'hdsr' / name).read_text() == (ROOT / 'hdsr' / name).read_text(), (
            f'hdsr/{name} differs from its notebook'
        )
    for nb in (ROOT / 'nbs').rglob('*.ipynb'):
        rel = nb.relative_to(ROOT)
        assert (tmp_path / rel).read_text() == nb.read_text(), f'{rel} is not clean: run nbdev-clean'


def test_every_module_is_listed():
    "The package docstring and nbs/llms.txt name every module of hdsr/, in notebook order."
    names = [name for name, nb, summary in module_index.modules()]
    assert len(names) == len([p for p in (ROOT / 'hdsr').rglob('*.py') if p.name not in ('__init__.py', '_modidx.py')])
    package_doc = ast.get_docstring(ast.parse(module_index.INIT.read_text()))
    llms = module_index.LLMS.read_text()
    for where, text, pattern in (('hdsr/__init__.py', package_doc, '`{}`'), ('nbs/llms.txt', llms, '[{}]')):
        missing = [n for n in names if pattern.format(n) not in text]
        assert not missing, f'{where} does not list {", ".join(missing)}: run tools/module_index.py'
        found = sorted(names, key=lambda n: text.index(pattern.format(n)))
        assert found == names, f'{where} lists the modules out of notebook order: run tools/module_index.py'


def test_module_list_is_current():
    "The summaries in the module list are the module docstrings of now."
    assert module_index.main(check=True) == 0, 'the module list is stale: run tools/module_index.py after nbdev-export'


def test_no_hand_written_modules():
    for py in (ROOT / 'hdsr').rglob('*.py'):
        if py.name == '__init__.py':
            continue
        assert 'AUTOGENERATED' in py.read_text()[:500].upper(), f'{py} was not written by nbdev-export'


def test_readme_is_generated_from_index(tmp_path, env):
    subprocess.run(
        [
            BIN / 'jupyter',
            'nbconvert',
            '--to',
            'markdown',
            ROOT / 'nbs' / 'index.ipynb',
            '--output-dir',
            tmp_path,
            '--output',
            'README',
            '--log-level',
            'WARN',
        ],
        check=True,
        env=env,
    )
    assert (tmp_path / 'README.md').read_text() == (ROOT / 'README.md').read_text(), (
        'README.md is stale: run make readme'
    )
    readme = (ROOT / 'README.md').read_text()
    assert 'make run' in readme and 'make test' in readme


def test_ci_runs_make_test():
    assert 'make test' in (ROOT / '.ci' / 'run').read_text()


def test_notebook_outputs_stay_small():
    "Committed notebooks carry plots and tables, not logs, progress widgets or megabytes of images."
    import json

    for nb in (ROOT / 'nbs').rglob('*.ipynb'):
        assert nb.stat().st_size < 300_000, f'{nb.name} is {nb.stat().st_size:,} bytes: shrink its plots'
        for cell in json.loads(nb.read_text())['cells']:
            for out in cell.get('outputs', []):
                assert out.get('name') != 'stderr', f'{nb.name} keeps stderr output: run make notebooks'
                assert 'application/vnd.jupyter.widget-view+json' not in out.get('data', {}), (
                    f'{nb.name} keeps a widget'
                )


def test_the_licence_file_is_the_one_pyproject_declares():
    "pyproject.toml declares Apache-2.0 and ships LICENSE, that licence's text; the README says which terms cover what."
    project = tomllib.loads((ROOT / 'pyproject.toml').read_text())['project']
    assert (project['license'], project['license-files']) == ('Apache-2.0', ['LICENSE'])
    text = (ROOT / 'LICENSE').read_text()
    assert 'Apache License' in text and 'Version 2.0, January 2004' in text and 'END OF TERMS AND CONDITIONS' in text
    readme = (ROOT / 'README.md').read_text()
    assert '## Licence' in readme and 'model card' in readme.split('## Licence')[1]


def _extra_names(extras: dict, extra: str) -> set[str]:
    "The distributions an extra installs, through the extras it names (hdsr[torch] in train)."
    names = set()
    for req in extras[extra]:
        if req.startswith('hdsr['):
            for sub in req[5:-1].split(','):
                names |= _extra_names(extras, sub)
        else:
            names.add(_name(req))
    return names


def _require_calls() -> list[tuple[str, str, list[str]]]:
    "(module, extra, import names) of every `require(...)` in hdsr/."
    calls = []
    for py in (ROOT / 'hdsr').rglob('*.py'):
        for node in ast.walk(ast.parse(py.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, 'id', None) == 'require':
                extra, *modules = [a.value for a in node.args]
                calls.append((py.stem, extra, modules))
    return calls


def test_each_require_names_an_extra_that_installs_its_modules():
    "`require('train', 'torch', ...)`: the extra exists, and installs the distribution of every module it names."
    from importlib.metadata import packages_distributions

    extras = tomllib.loads((ROOT / 'pyproject.toml').read_text())['project']['optional-dependencies']
    dists = packages_distributions()
    calls = _require_calls()
    assert len(calls) > 20
    wrong = [
        (module, extra, m)
        for module, extra, modules in calls
        for m in modules
        if extra not in extras or not {_name(d) for d in dists[m]} & _extra_names(extras, extra)
    ]
    assert not wrong, wrong


def test_the_lambda_requirements_are_the_core_and_the_lambda_extra():
    "docker/lambda-requirements.txt pins what `pip install hdsr[lambda]` would install: the core and pydantic."
    project = tomllib.loads((ROOT / 'pyproject.toml').read_text())['project']
    lines = [l.split('#')[0].strip() for l in (ROOT / 'docker' / 'lambda-requirements.txt').read_text().splitlines()]
    pinned = {_name(l) for l in lines if l}
    assert pinned == {_name(r) for r in project['dependencies']} | _extra_names(
        project['optional-dependencies'], 'lambda'
    )

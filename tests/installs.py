"What the tests and benchmarks that install hdsr afresh share: the build context, the wheel, a fresh venv, its size."

import fnmatch, os, shutil, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the interpreter the images' base layers carry (3.11)
PYTHON = shutil.which('python3.11') or shutil.which('python3')


def build_context(dest: Path) -> Path:
    "The repository as `COPY . ...` sees it: .dockerignore applied."
    pats = [p.strip() for p in (ROOT / '.dockerignore').read_text().splitlines() if p.strip() and not p.startswith('#')]
    ignored = lambda rel: any(
        fnmatch.fnmatch(rel, p)
        or fnmatch.fnmatch(rel, p.replace('**/', ''))
        or any(fnmatch.fnmatch(part, p.replace('**/', '')) for part in Path(rel).parts)
        for p in pats
    )

    def ignore(d, names):
        return [n for n in names if ignored(str((Path(d) / n).relative_to(ROOT)))]

    shutil.copytree(ROOT, dest, ignore=ignore, symlinks=True)
    return dest


def build_wheel(dest: Path) -> Path:
    "hdsr's wheel in `dest`, built by pip (isolated) from a copy of the build context: the checkout is left as it is."
    src = build_context(dest / 'src')
    cmd = [sys.executable, '-m', 'pip', 'wheel', '-q', '--no-deps', str(src), '-w', str(dest)]
    subprocess.run(cmd, check=True, capture_output=True, cwd=dest)
    shutil.rmtree(src)
    return next(dest.glob('hdsr-*.whl'))


def fresh_venv(path: Path) -> dict:
    "A new venv at `path` from the base interpreter; the environment that runs its commands (its bin/ first on PATH)."
    subprocess.run([PYTHON, '-m', 'venv', str(path)], check=True)
    env = {**os.environ, 'PATH': f"{path / 'bin'}:{os.environ['PATH']}", 'VIRTUAL_ENV': str(path)}
    for var in ('PYTHONPATH', 'PYTHONHOME'):
        env.pop(var, None)
    return env


def pip_install(venv: Path, *args, env: dict) -> subprocess.CompletedProcess:
    "`pip install ARGS` into `venv`, constrained by constraints.txt (the pinned torch); raises with pip's output."
    cmd = [venv / 'bin' / 'python', '-m', 'pip', 'install', '-q', '-c', ROOT / 'constraints.txt', *map(str, args)]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1800)
    assert r.returncode == 0, f'pip install {args}:\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}'
    return r


def tree_bytes(path: Path) -> int:
    "The bytes of every file under `path` (links not followed): what an install takes on disk, before block rounding."
    return sum(
        (Path(d) / f).lstat().st_size for d, _, files in os.walk(path) for f in files if not (Path(d) / f).is_symlink()
    )


def installed(venv: Path, env: dict) -> dict[str, str]:
    "`name: version` of every distribution in `venv`."
    r = subprocess.run(
        [venv / 'bin' / 'python', '-m', 'pip', 'list', '--format', 'freeze'],
        env=env,
        text=True,
        capture_output=True,
        check=True,
    )
    return dict(l.split('==', 1) for l in r.stdout.split() if '==' in l)

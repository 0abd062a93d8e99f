"`hdsr-eval` on real scans (skipped without them) and on every kind of bad folder: status 2 and one line that says why."

import json, re, subprocess, sys
import numpy as np
import pytest
from PIL import Image
from conftest import BIN
from hdsr.core.config import get_config

KEYS = {
    'n',
    'images',
    'cer',
    'per_sample_cer',
    'exact',
    'exact_kept_90',
    'wrong_sure',
    'read_0.5',
    'read_1',
    'read_2',
    'threshold_1',
    'ece',
    'strings_per_s',
    'seconds',
    'skipped',
    'reliability',
    'by_length',
    'folder',
}


def hdsr_eval(*args, cwd=None, env=None):
    "The installed console script when the venv has it, else the module (the same function)."
    cmd = [str(BIN / 'hdsr-eval')] if (BIN / 'hdsr-eval').exists() else [sys.executable, '-m', 'hdsr.workflow.evaluate']
    return subprocess.run(cmd + [str(a) for a in args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def test_register_slice(tmp_path, env):
    real = get_config().real_dir
    if real is None or not (real / 'mgr_rowid' / 'train').is_dir():
        pytest.skip(f'real data absent: the real_dir setting ({real}) has no mgr_rowid/train')
    env = {**env, 'HDSR_REAL_DIR': str(real)}  # the subprocess runs in tmp_path, away from this project's settings.ini
    r = hdsr_eval(
        'register-valid',
        '--limit',
        40,
        '--json',
        tmp_path / 'm.json',
        '--worst',
        8,
        '--curve',
        tmp_path / 'c.png',
        cwd=tmp_path,
        env=env,
    )
    assert r.returncode == 0, r.stderr
    m = json.loads((tmp_path / 'm.json').read_text())
    assert KEYS <= set(m), KEYS - set(m)
    assert m['n'] == 40 and m['images'] >= 40
    by = {int(length): b for length, b in m['by_length'].items()}  # the same readings, grouped by label length
    digits = sum(length * b['n'] for length, b in by.items())
    edits = sum(b['cer'] * length * b['n'] for length, b in by.items())
    assert m['cer'] == pytest.approx(edits / digits)  # edits pooled over all label digits
    assert m['per_sample_cer'] == pytest.approx(sum(b['per_sample_cer'] * b['n'] for b in by.values()) / 40)
    assert m['exact'] == pytest.approx(sum(b['exact'] * b['n'] for b in by.values()) / 40)
    assert m['cer'] < 0.3, m['cer']  # the shipped model reads register crops: 0.096 on these 40
    for k in ('per_sample_cer', 'exact', 'exact_kept_90', 'wrong_sure', 'read_0.5', 'read_1', 'read_2', 'ece'):
        assert 0 <= m[k] <= 1, (k, m[k])
    assert 0.99 * m['read_1'] <= m['exact']  # what a threshold accepts at 1 % error is at least 99 % right
    assert m['strings_per_s'] > 0 and sum(b['n'] for b in m['reliability']) == 40
    assert sum(v['n'] for v in m['by_length'].values()) == 40
    worst = tmp_path / 'm-worst.png'
    assert Image.open(worst).format == 'PNG' and str(worst) in r.stdout
    assert Image.open(tmp_path / 'c.png').format == 'PNG' and str(tmp_path / 'c.png') in r.stdout
    for k in ('cer', 'per_sample_cer', 'exact', 'exact_kept_90', 'wrong_sure', 'read_1', 'ece', 'strings_per_s'):
        assert k in r.stdout
    assert r.stdout.splitlines()[1].startswith('skipped')


def _png(path):
    Image.new('L', (40, 20), 255).save(path)


@pytest.mark.parametrize(
    'case, says',
    [
        ('missing', 'no such folder'),
        ('empty', 'is empty'),
        ('no labels', 'no labels file (looked for labels.csv, labels.tsv and labels.txt'),
        ('no columns', "no filename and no label column (its columns: 'name', 'text')"),
        ('missing images', 'names 2 images and none of them is in'),
    ],
)
def test_bad_folders(tmp_path, env, case, says):
    d = tmp_path / 'folder'
    if case != 'missing':
        d.mkdir()
    if case in ('no labels', 'no columns'):
        _png(d / 'a.png')
    if case == 'no columns':
        (d / 'labels.csv').write_text('name,text\na.png,1\n')
    if case == 'missing images':
        (d / 'labels.csv').write_text('filename,label\nx.png,1\ny.png,2\n')
    r = hdsr_eval(d, '--worst', 0, cwd=tmp_path, env=env)
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert r.stderr.startswith('hdsr-eval: ') and says in r.stderr and r.stderr.count('\n') == 1, r.stderr
    assert r.stdout == '' and not (tmp_path / 'hdsr-eval-worst.png').exists()


def test_some_missing_images_warn(tmp_path, env):
    "A labels file naming some missing images is read; the skipped rows are counted on stdout."
    d = tmp_path / 'folder'
    d.mkdir()
    _png(d / 'a.png')
    _png(d / 'b.png')
    (d / 'labels.csv').write_text('filename,label\na.png,1\nx.png,2\nb.png,Sn\n')
    r = hdsr_eval(d, '--worst', 0, '--json', tmp_path / 'm.json', cwd=tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    assert '1 missing file, 1 not digits' in r.stdout
    m = json.loads((tmp_path / 'm.json').read_text())
    assert m['n'] == 1 and m['skipped'] == {'missing file': 1, 'not digits': 1}


def test_headerless_list_file(tmp_path, env):
    """A list without a header (path<TAB>label, PaddleOCR's rec_gt_train.txt) given itself is scored; a bad row is named
    by its line number and the rest are read."""
    img = tmp_path / 'data' / 'img'
    img.mkdir(parents=True)
    for name in 'abc':
        _png(img / f'{name}.png')
    (tmp_path / 'data' / 'rec_gt_train.txt').write_text(f'img/a.png\t1\nimg/b.png\t2\nimg/b.png\n{img / "c.png"}\t3\n')
    r = hdsr_eval('data/rec_gt_train.txt', '--worst', 0, '--limit', 2, '--json', 'm.json', cwd=tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    assert 'skipped         1 bad row (line 3)' in r.stdout, r.stdout
    m = json.loads((tmp_path / 'm.json').read_text())
    assert (m['n'], m['images'], m['skipped'], m['folder']) == (2, 3, {'bad row': 1}, 'data')
    assert 0 <= m['exact'] <= 1 and 0 <= m['cer'], m


def test_help_prints(capsys):
    "`hdsr-eval --help` prints every option (a bare % in a help string once made argparse raise)."
    from hdsr.workflow.evaluate import eval_cli

    with pytest.raises(SystemExit) as e:
        eval_cli(['--help'])
    assert e.value.code == 0 and '1 % error' in capsys.readouterr().out


def test_framing_sheet_and_boxes(tmp_path, monkeypatch, capsys):
    """--framing 5 saves a sheet of the 5 crops framed worst, by the label's loss, or with --boxes by IoU with the drawn
    boxes; --boxes also prints the share of number boxes found. Nothing is written to the working directory."""
    from hdsr.data.synth import PRESETS, digit_splits, synthesize
    from hdsr.workflow.evaluate import eval_cli

    made, d = synthesize(digit_splits()['test'], 20, PRESETS['seed'], generator=7), tmp_path / 'scans'
    d.mkdir()
    boxes = ['set,filename,label,x0,y0,x1,y1,note']
    for i, (im, w, label) in enumerate(zip(made.images, made.widths, made.labels)):
        a = np.pad(255 - (im[0, :, : int(w)] * 255).byte().numpy(), 20, constant_values=255)  # dark on light, a margin
        Image.fromarray(a).save(d / f'{i}.png')
        ys, xs = np.nonzero(a < 128)
        boxes.append(f'mine,{i}.png,{label},{xs.min()},{ys.min()},{xs.max() + 1},{ys.max() + 1},')
    (d / 'labels.csv').write_text('filename,label\n' + ''.join(f'{i}.png,{l}\n' for i, l in enumerate(made.labels)))
    (tmp_path / 'boxes.csv').write_text('\n'.join(boxes) + '\n')
    (tmp_path / 'cwd').mkdir()
    monkeypatch.chdir(tmp_path / 'cwd')
    sheet = tmp_path / 'f.png'
    assert eval_cli([str(d), '--worst', '0', '--framing', '5', '--framing-out', str(sheet)]) == 0
    out = capsys.readouterr().out
    assert f'framed worst    {sheet} (5 crops, by loss)' in out and 'number boxes found' not in out, out
    assert Image.open(sheet).size == (1440, 420)  # 5 tiles, 3 a row: 2 rows
    args = [str(d), '--worst', '0', '--framing', '5', '--boxes', str(tmp_path / 'boxes.csv')]
    assert eval_cli(args + ['--json', str(tmp_path / 'm.json')]) == 0
    out = capsys.readouterr().out
    found = re.search(r'^framing +([\d.]+) of (\d+) number boxes found .*median ink height ([\d.]+) px', out, re.M)
    assert found and 0 <= float(found[1]) <= 1 and found[2] == '20', out
    assert '(5 crops, by IoU)' in out and Image.open(tmp_path / 'm-framing.png').size == (1440, 420)
    m = json.loads((tmp_path / 'm.json').read_text())['framing']
    assert (
        m['boxes'] == 20
        and m['found'] == pytest.approx(float(found[1]), abs=5e-4)
        and 22 <= m['median_ink_height'] <= 26
    ), m
    assert not any((tmp_path / 'cwd').iterdir())

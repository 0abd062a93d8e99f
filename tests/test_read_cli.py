"""The installed `hdsr-read` on a folder of real image files: two worker processes, a run killed twice and resumed that
writes what one run never killed writes, a local Dask cluster of two workers, and bad inputs as error rows."""

import csv, os, signal, subprocess, time
import pytest
from PIL import Image
from conftest import BIN
from hdsr.data.synth import PRESETS, digit_splits, synthesize

pytestmark = pytest.mark.slow  # worker processes and a Dask cluster each load the model: about a minute in all


@pytest.fixture(scope='module')
def crops(tmp_path_factory) -> tuple:
    "A folder of 96 digit-string crops, dark on light at twice the model's height, and their labels."
    folder = tmp_path_factory.mktemp('crops')
    s = synthesize(digit_splits()['test'], 96, PRESETS['seed'], generator=3)
    for i, im in enumerate(s.images):
        a = 255 - (im[0] * 255).byte().numpy()
        Image.fromarray(a).resize((a.shape[1] * 2, 64)).save(folder / f'{i:03d}.png')
    return folder, s.labels


def read(env, *args, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BIN / 'hdsr-read', *map(str, args), '--quiet'], capture_output=True, text=True, env=env, timeout=timeout
    )


def rows(path) -> list[dict]:
    with open(path, newline='') as f:
        return list(csv.DictReader(f))


def test_two_workers_read_what_one_process_reads(crops, tmp_path, env):
    folder, labels = crops
    one = read(env, folder, '--out', tmp_path / 'one.csv', '--workers', 0)
    two = read(env, folder, '--out', tmp_path / 'two.csv', '--workers', 2, '--chunk', 8)
    assert one.returncode == two.returncode == 0, one.stderr + two.stderr
    assert 'read 96 images' in two.stderr and 'images/s' in two.stderr
    got = rows(tmp_path / 'two.csv')
    assert [r['path'] for r in got] == [str(folder / f'{i:03d}.png') for i in range(96)]
    assert [r['text'] for r in got] == [r['text'] for r in rows(tmp_path / 'one.csv')]
    assert sum(r['text'] == label for r, label in zip(got, labels)) >= 80
    assert all(r['accepted'] == 'true' and r['digit_probs'].count(' ') == len(r['text']) - 1 for r in got if r['text'])


def test_a_run_killed_twice_and_resumed_writes_what_one_run_writes(crops, tmp_path, env):
    folder, _ = crops
    whole = read(env, folder, '--out', tmp_path / 'whole.csv', '--workers', 1, '--chunk', 4)
    assert whole.returncode == 0, whole.stderr
    out = tmp_path / 'killed.csv'
    for kill_at in (12, 40):  # rows written when the run is killed
        proc = subprocess.Popen(
            [BIN / 'hdsr-read', folder, '--out', out, '--workers', '1', '--chunk', '4', '--resume', '--quiet'],
            env=env,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its workers in its process group: killed with it
        )
        deadline = time.time() + 240
        while time.time() < deadline and (not out.exists() or out.read_text().count('\n') <= kill_at):
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        assert kill_at < out.read_text().count('\n') < 97, 'the run was not killed part way'
    done = read(env, folder, '--out', out, '--workers', 1, '--chunk', 4, '--resume')
    assert done.returncode == 0 and 'already in it' in done.stderr, done.stderr
    keys = ('path', 'text', 'accepted', 'alternatives', 'digit_probs')
    assert [[r[k] for k in keys] for r in rows(out)] == [[r[k] for k in keys] for r in rows(tmp_path / 'whole.csv')]
    conf = [(float(a['confidence']), float(b['confidence'])) for a, b in zip(rows(out), rows(tmp_path / 'whole.csv'))]
    assert max(abs(a - b) for a, b in conf) <= 2e-4  # batches of other sizes: bf16 sums in another order


def test_a_local_dask_cluster_reads_the_folder(crops, tmp_path, env):
    folder, _ = crops
    r = read(env, folder, '--out', tmp_path / 'dask.jsonl', '--cluster', 'local:2', '--chunk', 16, '--threshold', 0.5)
    assert r.returncode == 0, r.stderr
    assert 'read 96 images' in r.stderr
    assert (tmp_path / 'dask.jsonl').read_text().count('\n') == 96


def test_bad_inputs_are_error_rows_and_lose_nothing_else(crops, tmp_path, env):
    folder, _ = crops
    bad = tmp_path / 'bad'
    bad.mkdir()
    (bad / 'text.png').write_text('not an image')
    data = (folder / '000.png').read_bytes()
    Image.open(folder / '000.png').convert('RGB').save(bad / 'whole.jpg', quality=90)
    (bad / 'cut.jpg').write_bytes((bad / 'whole.jpg').read_bytes()[:300])
    Image.new('1', (12_000, 9_000)).save(bad / 'huge.png')
    (bad / 'loop').symlink_to(bad, target_is_directory=True)
    (bad / 'ok.png').write_bytes(data)
    (tmp_path / 'list.txt').write_text('bad/ok.png\nbad/gone.png\n')
    r = read(env, bad, tmp_path / 'list.txt', '--out', tmp_path / 'bad.csv', '--workers', 1)
    assert r.returncode == 1 and '4 errors' in r.stderr, r.stderr
    got = {os.path.basename(x['path']): x for x in rows(tmp_path / 'bad.csv')}
    assert sorted(got) == ['cut.jpg', 'gone.png', 'huge.png', 'ok.png', 'text.png', 'whole.jpg']
    assert [n for n, x in got.items() if x['refused'] == 'error'] == ['cut.jpg', 'huge.png', 'text.png', 'gone.png']
    assert 'over the 40,000,000 px limit' in got['huge.png']['error'] and got['ok.png']['text']
    again = read(env, bad, '--out', tmp_path / 'bad.csv')
    assert again.returncode == 2 and '--resume to continue it' in again.stderr

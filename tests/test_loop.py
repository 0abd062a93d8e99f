"""The README's loop, end to end, on the register validation crops (the synthetic `fields` crops where the real data is
absent): a threshold chosen on a labelled sample (a header-less list file), `hdsr-read` on a folder of other crops with
it, the refused readings labelled from the keyboard on the review page in Debian's Chromium, and `make finetune` on the
reviewed folder."""

import csv, json, shutil, subprocess
import pytest
from browser import launch
from conftest import BIN, ROOT
from serving import start_app
from hdsr.data.folders import read_labelled
from hdsr.data.validation import validation_sets
from hdsr.read.threshold import Threshold

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]  # about two minutes
LABEL = 'Label: the digits in the image'
REVIEWED = 24  # crops labelled on the review page


def run(cmd, env, cwd, timeout=600) -> subprocess.CompletedProcess:
    r = subprocess.run(list(map(str, cmd)), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert r.returncode in (0, 1), r.stdout[-2000:] + r.stderr[-3000:]
    return r


def test_threshold_read_review_finetune(tmp_path, env):
    sets = validation_sets(['register-valid', 'fields'], quiet=True)
    lf = read_labelled(sets['register-valid' if 'register-valid' in sets else 'fields'])
    sample, batch = lf.items[:300], lf.items[300:420]

    # 1. a threshold for at most 1 % wrong (the README's loop), chosen on a labelled sample listed as PaddleOCR lists it
    (tmp_path / 'sample.txt').write_text(''.join(f'{p}\t{label}\n' for p, label in sample))
    r = run(
        [BIN / 'hdsr-eval', 'sample.txt', '--max-error', 0.01, '--save-threshold', 'T.json', '--worst', 0],
        env,
        tmp_path,
    )
    threshold = Threshold.load(tmp_path / 'T.json')
    assert threshold.sample == 300 and 'accepts ' in r.stdout and (tmp_path / 'T.png').is_file()

    # 2. a folder of other crops read with it
    scans = tmp_path / 'scans'
    scans.mkdir()
    truth = {}
    for p, label in batch:
        shutil.copy(p, scans / p.name)
        truth[f'scans/{p.name}'] = label
    r = run(
        [BIN / 'hdsr-read', 'scans', '--out', 'readings.csv', '--threshold', 'T.json', '--workers', 2], env, tmp_path
    )
    rows = list(csv.DictReader(open(tmp_path / 'readings.csv')))
    assert sorted(x['path'] for x in rows) == sorted(truth) and 'read 120 images' in r.stderr
    refused = [x['path'] for x in rows if x['accepted'] == 'false' and x['refused'] != 'error']
    assert all(float(x['confidence']) >= threshold.value for x in rows if x['accepted'] == 'true')
    assert len(refused) >= REVIEWED, f'{len(refused)} refused: too few to review'

    # 3. the refused ones labelled in the browser: the true digits typed over the reading, Enter
    from playwright.sync_api import sync_playwright

    proc, url = start_app(tmp_path, env, '--review', 'readings.csv', '--reviewed', 'reviewed')
    try:
        with sync_playwright() as pw:
            page = launch(pw).new_page(viewport={'width': 1000, 'height': 1100})
            page.goto(url)
            for path in refused[:REVIEWED]:
                page.get_by_text(f'{path} (line ').wait_for(timeout=30_000)
                page.wait_for_function('!document.querySelector("[data-stale=true]")', timeout=10_000)
                box = page.get_by_label(LABEL)
                box.fill(truth[path])
                box.press('Enter')
            page.get_by_text(f'{REVIEWED} of {len(refused)} decided').wait_for(timeout=30_000)
            assert page.locator('code', has_text='make finetune DATA=').count() == 1
    finally:
        proc.terminate()
        proc.wait(20)
    labelled = read_labelled(tmp_path / 'reviewed')
    assert labelled.labels == [truth[p] for p in refused[:REVIEWED]]

    # 4. the shipped model fine-tuned on the reviewed folder
    r = subprocess.run(
        ['make', '-s', 'finetune', f'DATA={tmp_path / "reviewed"}', 'SET=steps=4,batch_size=8', 'NAME=loop'],
        cwd=ROOT,
        env={**env, 'HDSR_RUNS_DIR': str(tmp_path / 'runs'), 'HDSR_WANDB_MODE': 'disabled'},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    metrics = json.loads((tmp_path / 'runs' / 'loop' / 'metrics.json').read_text())
    assert metrics['train'] + metrics['valid'] == REVIEWED and (tmp_path / 'runs' / 'loop' / 'weights.pt').is_file()

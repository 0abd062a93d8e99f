"The installed `hdsr-recognize` console script reads real image files with the shipped model, and reports bad ones."

import json, subprocess
from PIL import Image
from conftest import BIN
from hdsr.data.synth import PRESETS, digit_splits, synthesize


def test_console_script(tmp_path, env):
    s = synthesize(digit_splits()['test'], 3, PRESETS['seed'], generator=9)
    paths = []
    for i, im in enumerate(s.images):  # dark on light RGB at 2x, as a scan would be
        a = 255 - (im[0] * 255).byte().numpy()
        Image.fromarray(a).resize((a.shape[1] * 2, 64)).convert('RGB').save(tmp_path / f'{i}.png')
        paths.append(str(tmp_path / f'{i}.png'))
    (tmp_path / 'bad.png').write_bytes(b'not an image')
    r = subprocess.run(
        [BIN / 'hdsr-recognize', *paths, str(tmp_path / 'bad.png'), '--json'],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert r.returncode == 1 and 'bad.png: cannot read an image' in r.stderr
    out = [json.loads(l) for l in r.stdout.splitlines()]
    assert [o['image'] for o in out] == paths
    assert sum(o['text'] == l for o, l in zip(out, s.labels)) >= 2
    assert all(''.join(d['char'] for d in o['digits']) == o['text'] and 0 <= o['confidence'] <= 1 for o in out)
    r = subprocess.run(
        [BIN / 'hdsr-recognize', paths[0], '--length', str(len(s.labels[0]))],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert r.returncode == 0 and r.stdout.split('\t')[1] == s.labels[0]
    r = subprocess.run(
        [BIN / 'hdsr-recognize', paths[0], '--regex', '(12'], capture_output=True, text=True, env=env, timeout=300
    )
    assert r.returncode == 2 and "regex='(12'" in r.stderr
    cli = lambda *args: subprocess.run(
        [BIN / 'hdsr-recognize', *args], capture_output=True, text=True, env=env, timeout=300
    )
    conf = out[0]['confidence']  # refused as too unsure at 1, kept at 0; 2 is not a threshold
    r = cli(paths[0], '--min-confidence', '1')
    path, text, shown, reason = r.stdout.rstrip('\n').split('\t')  # read alone, not in a batch: the same to rounding
    assert conf < 1 and r.returncode == 0 and (path, text, reason) == (paths[0], '', 'too unsure')
    assert abs(float(shown) - conf) < 1e-3
    kept = json.loads(cli(paths[0], '--min-confidence', '0', '--json').stdout)
    assert (kept['text'], kept['refused'], out[0]['refused']) == (out[0]['text'], None, None)
    assert abs(kept['confidence'] - conf) < 1e-3
    r = cli(paths[0], '--min-confidence', '2')
    assert r.returncode == 2 and "argument --min-confidence: '2' is not a number in [0, 1]" in r.stderr, r.stderr

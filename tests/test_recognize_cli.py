"The installed `hdsr-recognize` console script reads real image files with the shipped model, and reports bad ones."
import io, json, subprocess
import numpy as np
from PIL import Image
from conftest import BIN
from hdsr.synth import PRESETS, digit_splits, synthesize


def test_console_script(tmp_path, env):
    s = synthesize(digit_splits()['test'], 3, PRESETS['seed'], generator=9)
    paths = []
    for i, im in enumerate(s.images):                          # dark on light RGB at 2x, as a scan would be
        a = 255 - (im[0] * 255).byte().numpy()
        Image.fromarray(a).resize((a.shape[1] * 2, 64)).convert('RGB').save(tmp_path/f'{i}.png')
        paths.append(str(tmp_path/f'{i}.png'))
    (tmp_path/'bad.png').write_bytes(b'not an image')
    r = subprocess.run([BIN/'hdsr-recognize', *paths, str(tmp_path/'bad.png'), '--json'], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 1 and 'bad.png: cannot read an image' in r.stderr
    out = [json.loads(l) for l in r.stdout.splitlines()]
    assert [o['image'] for o in out] == paths
    assert sum(o['text'] == l for o, l in zip(out, s.labels)) >= 2
    assert all(''.join(d['char'] for d in o['digits']) == o['text'] and 0 <= o['confidence'] <= 1 for o in out)
    r = subprocess.run([BIN/'hdsr-recognize', paths[0], '--length', str(len(s.labels[0]))], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0 and r.stdout.split('\t')[1] == s.labels[0]
    r = subprocess.run([BIN/'hdsr-recognize', paths[0], '--regex', '(12'], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 2 and "regex='(12'" in r.stderr

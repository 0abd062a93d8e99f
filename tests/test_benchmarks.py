"Benchmarks stay runnable (their figures live in benchmarks/results, never in assertions here)."
import json, subprocess
from conftest import ROOT, BIN

def test_synth_throughput_runs(tmp_path, env):
    out = tmp_path/'synth'
    subprocess.run([BIN/'python', ROOT/'benchmarks'/'synth_throughput.py', '--quick', '--out', out], cwd=ROOT, env=env,
                   check=True, capture_output=True, timeout=300)
    res = json.loads(out.with_suffix('.json').read_text())
    assert res['machine'] and all(r['strings_per_s'] > 0 for r in res['results'])

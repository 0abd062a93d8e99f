"Benchmarks stay runnable (their figures live in benchmarks/results, never in assertions here)."

import json, subprocess
import pytest
from conftest import ROOT, BIN

pytestmark = pytest.mark.slow  # each runs a benchmark script, tens of seconds at least


def run_quick(name: str, tmp_path, env, *extra, timeout=600) -> dict:
    "Run benchmarks/<name>.py --quick into tmp_path; its JSON results, after checking both result files."
    out = tmp_path / name
    subprocess.run(
        [BIN / 'python', ROOT / 'benchmarks' / f'{name}.py', '--quick', '--out', out, *extra],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=timeout,
    )
    assert out.with_suffix('.md').read_text().startswith('# ')
    res = json.loads(out.with_suffix('.json').read_text())
    assert res['machine']['cpu'] and res['results']
    return res


@pytest.mark.parametrize('name,key', [('synth_throughput', 'strings_per_s'), ('model_speed', 'train_strings_per_s')])
def test_benchmark_runs(tmp_path, env, name, key):
    assert all(r[key] > 0 for r in run_quick(name, tmp_path, env, timeout=300)['results'])


@pytest.mark.parametrize(
    'name,extra', [('accuracy', ['--reference']), ('time_to_cer', ['--check-s', '5']), ('bf16_parity', [])]
)
def test_accuracy_benchmarks_run(tmp_path, env, name, extra):
    "Each trains real models for a few steps and scores real test sets; --quick only shrinks them."
    res = run_quick(name, tmp_path, env, *extra)
    if name == 'bf16_parity':  # the same recipe and seed in both precisions
        assert [r['precision'] for r in res['results']] == ['32-true', 'bf16-mixed']
        assert len({r['steps'] for r in res['results']}) == 1 and all(
            0 <= r['test']['cer'] <= 1 for r in res['results']
        )
    elif name == 'accuracy':
        assert set(res['results']) == {'shipped', 'mnist', 'reference'} and res['reference']['steps'] > 0
        assert all(0 <= m['cer'] <= 1 for r in res['results'].values() for m in r.values())
        # fields needs only MNIST
        assert set(res['real']['shipped']) == set(res['real']['mnist']) and 'fields' in res['real']['shipped']
        assert all(m['n'] == 60 for m in res['real']['shipped'].values())
    else:
        assert [r['recipe'] for r in res['results']] == ['default', 'reference'] and all(
            r['curve'] for r in res['results']
        )
        auto = 'bf16-mixed' if res['machine']['bf16_flags'] else '32-true'  # on the CPU
        assert [r['precision'] for r in res['results']] == [auto, auto]


def test_train_speed_runs(tmp_path, env):
    "Both architectures in both precisions, the data pipeline beside a training step, batches made by a worker or not."
    res = run_quick('train_speed', tmp_path, env)
    pairs = [(r['arch'], r['precision']) for r in res['results']]
    assert pairs == [(a, p) for a in ('compact', 'crnn_seed') for p in ('32-true', 'bf16-mixed')]
    assert all(r['strings_per_s'] > 0 for r in res['results'] + res['pipeline'])
    assert [r['strings'] for r in res['pipeline']] == ['seed', 'mixture']
    assert all(r['main_process_strings_per_s'] > 0 and r['one_worker_strings_per_s'] > 0 for r in res['overlap'])
    assert res['auto_precision'] == ('bf16-mixed' if res['machine']['bf16_flags'] else '32-true')


def test_recognize_speed_runs(tmp_path, env):
    "Throughput, latency and constrained accuracy of the shipped Recognizer on torch fp32, bf16 and onnxruntime."
    res = run_quick('recognize_speed', tmp_path, env)
    assert [r['backend'] for r in res['results']] == ['torch fp32', 'torch bf16', 'onnxruntime fp32']
    assert all(r['network_strings_per_s'] > 0 and r['p50_ms'] > 0 for r in res['results'])
    assert {(r['form'], r['rule']) for r in res['accuracy']} >= {
        ('32-px array', 'greedy'),
        ('32-px array', 'known length'),
    }


def test_framing_runs(tmp_path, env):
    """The framing benchmark scores the number boxes found on every kind of table cell and on hand-boxed real crops,
    under four generations of pre-processing; --heights tries every candidate ink height on real test strings."""
    from hdsr.data.documents import TABLE_CELL_KINDS

    res = run_quick('framing', tmp_path, env)
    kinds = [r['kind'] for r in res['results'] if r['crops'] == 'synthetic']
    assert kinds == [*TABLE_CELL_KINDS, 'mixed']
    assert all(
        0 <= r[k]['found'] <= 1 and r[k]['ink_height'] > 0
        for r in res['results']
        for k in ('none', 'rules', 'clutter', 'finder')
    )
    res = run_quick('framing', tmp_path / 'heights', env, '--heights')
    assert len(res['results']) == 6 and all(0 <= r['ink_24'] <= 1 for r in res['results']) and res['ink_height'] == 24


@pytest.mark.server
def test_serve_load_runs(tmp_path, env):
    "The load benchmark starts real hdsr-serve processes (torch, then onnxruntime) and loads each over loopback."
    res = run_quick('serve_load', tmp_path, env)
    assert [r['backend'] for r in res['results']] == ['torch fp32', 'onnxruntime fp32']
    assert all(r['concurrent']['statuses'] == {'200': 200} and r['sequential']['p50_ms'] > 0 for r in res['results'])


def test_calibration_runs(tmp_path, env):
    "The document-crop calibration is cross-fitted on halves of the register validation pages (needs real_dir)."
    from hdsr.core.config import get_config

    real = get_config().real_dir
    if real is None or not (real / 'mgr_rowid' / 'train' / 'labels.csv').is_file():
        pytest.skip(f'no register crops under real_dir ({real}): set real_dir in settings.ini or HDSR_REAL_DIR')
    res = run_quick('calibration', tmp_path, env)
    assert set(res['results']) == {'raw', 'cross_fitted', 'fitted_on_all', 'shipped'}
    assert len({m['exact'] for m in res['results'].values()}) == 1  # readings unchanged
    assert res['results']['fitted_on_all']['log_loss'] <= res['results']['raw']['log_loss']  # what the fit minimises


def test_confidence_runs(tmp_path, env):
    """Every candidate confidence is scored on every validation set here (fields needs only MNIST); the cross-fitted
    ones never see the set they are scored on."""
    res = run_quick('confidence', tmp_path, env)
    assert 'fields' in res['sets'] and all(s['n'] == 20 for s in res['sets'].values())
    assert "the weights' own confidence (fitted on these readings)" in res['results']  # the shipped model has one
    for per_set in res['results'].values():
        assert set(per_set) == set(res['sets'])
        assert all(0 <= m['read_0.5'] <= m['read_1'] <= m['read_2'] <= 1 for m in per_set.values())
    leave_one_set_out = '(f) Platt per kind (document or not x digits)' in res['results']
    assert leave_one_set_out == (len(res['sets']) > 1)  # it needs another set to fit on
    assert res['ms_per_image']['3 variants'] > res['ms_per_image']['edit neighbours'] > 0  # three network runs


def test_preprocessing_runs(tmp_path, env):
    """The ink-map and stroke-measure benchmark reads each validation set with today's pre-processing and with one
    rule for both kinds of crop, each with a confidence fitted on its own readings; and measures the stroke measures'
    bias on drawn strokes."""
    res = run_quick('preprocessing', tmp_path, env)
    today, plain = list(res['results'])
    assert today.startswith('today') and plain == 'ink: the plain rule everywhere'
    for r in res['results'].values():
        assert set(r['exact']) == set(res['sets']) == set(r['read_1_all_sets'])
        assert all(0 <= v <= 1 for v in [*r['exact'].values(), *r['read_1_all_sets'].values()])
    if 'register-valid' in res['sets']:  # scan borders and rulings: the documents' rule is what reads them
        assert res['results'][today]['exact']['register-valid'] > res['results'][plain]['exact']['register-valid']
    assert all(0.7 < b['distance_median'] < 1.4 and 0.7 < b['runs'] < 1.4 for b in res['stroke_bias'])


def test_front_end_runs(tmp_path, env):
    """The front-end benchmark times today's pre-processing per kind of input, with recognize() and the network alone
    on the same images in the same run."""
    res = run_quick('front_end', tmp_path, env)
    rows = {r['input']: r for r in res['results']}
    assert list(rows)[:2] == ['32x140 uint8 array', '3x dark-on-light PNG'] and all(
        k.endswith(' file') for k in list(rows)[2:]
    )
    assert all(
        r['normalize_ms'] > 0 and r['network_strings_per_s'] > 0 and r['recognize_strings_per_s'] > 0
        for r in rows.values()
    )
    assert all(r['recognize_over_network'] > 0 and r['normalize_share'] >= 0 for r in rows.values())
    # decoding, inverting and shrinking a 3x PNG costs more than checking a model-ready array
    assert rows['3x dark-on-light PNG']['normalize_ms'] > rows['32x140 uint8 array']['normalize_ms']
    assert rows['3x dark-on-light PNG']['normalize_share'] > 0


def test_capacity_runs(tmp_path, env):
    "Every candidate is measured beside the shipped architecture, which is the reference of the ratios."
    res = run_quick('capacity', tmp_path, env)
    rows = {r['name']: r for r in res['results']}
    assert rows['compact (shipped)']['files_vs_compact'] == 1.0 and rows['compact (shipped)']['mb'] < 20
    assert rows['compact, LSTM 256']['parameters'] > rows['compact (shipped)']['parameters'] and all(
        r['files_per_s'] > 0 and r['network_strings_per_s'] > 0 for r in rows.values()
    )


def test_install_size_runs(tmp_path, env):
    "The install benchmark builds the wheel, installs the core into a fresh venv, and times hdsr-recognize there."
    (core,) = run_quick('install_size', tmp_path, env)['results']
    assert core['install'] == 'core' and core['backend'] == 'onnxruntime' and core['mib'] > 0 and core['first_s'] > 0


def test_read_folder_runs(tmp_path, env):
    """hdsr-read's benchmark: speeds with 1 and 2 workers and on a local Dask cluster, pre-processing per crop, memory
    while reading, and a killed run resumed, in one run."""
    res = run_quick('read_folder', tmp_path, env)
    assert [r['run'] for r in res['results']] == ['1 worker', '2 workers', 'Dask local:2']
    assert all(r['images_per_s'] > 0 for r in res['results']) and res['prepare']['this code']['ms'] > 0
    assert res['memory']['rows'] == res['memory']['images'] and res['memory']['peak_mb'] > 0
    assert res['resume']['lost'] == res['resume']['twice'] == 0 and res['resume']['rows'] == res['resume']['images']

"The API on a real uvicorn on 127.0.0.1: readings, a battery of bad requests, a schemathesis run, a bounded load test."

import asyncio, base64, io, json, struct, subprocess, zlib
import httpx, numpy as np, pytest
from PIL import Image
import hdsr
from conftest import BIN
from serving import load, sample_request, start_server, stop_server

pytestmark = pytest.mark.server  # every test here talks to one real hdsr-serve


def png(a, fmt='PNG') -> bytes:
    "`a` as an image file of format `fmt` (a JPEG at quality 95: the format is under test, not its compression)."
    b = io.BytesIO()
    Image.fromarray(a).save(b, fmt, **({'quality': 95} if fmt == 'JPEG' else {}))
    return b.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))


def png_of_size(w: int, h: int) -> bytes:
    "A PNG header that claims w x h (with a tiny IDAT): what a hand-made or hostile file can say."
    return (
        b'\x89PNG\r\n\x1a\n'
        + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0))
        + chunk(b'IDAT', zlib.compress(b'\0' * 8))
        + chunk(b'IEND', b'')
    )


@pytest.fixture(scope='module')
def server(env):
    proc, url = start_server(env=env)
    yield url
    stop_server(proc)


@pytest.fixture(scope='module')
def sample():
    return sample_request()


def test_reads_the_reference_request_a_file_and_a_batch(server, sample):
    body, label = sample
    r = httpx.post(server + '/predict', json=body)
    assert r.status_code == 200 and r.json()['prediction'] == label
    assert set(r.json()) == {'prediction', 'confidence', 'digits', 'refused'} and len(r.json()['digits']) == len(label)
    assert r.json()['refused'] is None
    bare = httpx.post(server + '/predict', json={'image': body['image'].split(',', 1)[1]}).json()
    data = base64.b64decode(body['image'].split(',', 1)[1])
    upload = httpx.post(server + '/predict', files={'file': ('s.png', data, 'image/png')}).json()
    raw = httpx.post(server + '/predict', content=data, headers={'content-type': 'image/png'}).json()
    assert bare == upload == raw == r.json()
    forced = httpx.post(
        server + '/predict', content=data, headers={'content-type': 'image/png'}, params={'length': len(label) + 1}
    ).json()
    assert len(forced['prediction']) == len(label) + 1
    # refused, with its confidence
    unsure = httpx.post(server + '/predict', json=body | {'min_confidence': 1.0}).json()
    assert unsure == dict(prediction='', confidence=r.json()['confidence'], digits=[], refused='too unsure'), unsure
    queried = httpx.post(server + '/predict?min_confidence=1', content=data, headers={'content-type': 'image/png'})
    assert queried.json() == unsure
    assert httpx.post(server + '/predict', json=body | {'min_confidence': 0}).json() == r.json()
    pixels = np.asarray(Image.open(io.BytesIO(data)))
    for fmt in ('JPEG', 'WEBP', 'BMP', 'GIF'):  # every accepted format reads the same string (JPEG near-lossless)
        r2 = httpx.post(
            server + '/predict', files={'file': (f's.{fmt.lower()}', png(pixels, fmt), f'image/{fmt.lower()}')}
        )
        assert r2.status_code == 200 and r2.json()['prediction'] == label, (fmt, r2.text)
    batch = httpx.post(server + '/predict/batch', json={'images': [body['image']] * 3, 'length': len(label)}).json()
    assert [p['prediction'] for p in batch['predictions']] == [label] * 3
    files = [('file', (f'{i}.png', data, 'image/png')) for i in range(2)]
    assert [p['prediction'] for p in httpx.post(server + '/predict/batch', files=files).json()['predictions']] == [
        label
    ] * 2
    health = httpx.get(server + '/health').json()
    assert health['model_loaded'] is True and health['version'] == hdsr.__version__
    assert health['limits']['max_body'] == 1 << 20
    assert (
        httpx.get(server + '/docs').status_code == 200
        and '/predict/batch' in httpx.get(server + '/openapi.json').json()['paths']
    )


def test_cors_allows_the_app_origin_only(server):
    pre = lambda origin: httpx.options(
        server + '/predict', headers={'Origin': origin, 'Access-Control-Request-Method': 'POST'}
    )
    assert pre('http://localhost:8501').headers.get('access-control-allow-origin') == 'http://localhost:8501'
    assert 'access-control-allow-origin' not in pre('http://evil.example').headers


def _bad_requests(sample) -> dict:
    body, _ = sample
    data = base64.b64decode(body['image'].split(',', 1)[1])
    bomb = io.BytesIO()
    Image.new('1', (20000, 20000)).save(bomb, 'PNG', optimize=True)
    j = lambda **kw: dict(json=kw)
    return {  # name: (request kwargs, status, a word the error must contain)
        'malformed base64': (j(image='data:image/png;base64,iVBOR*w0K!!'), 400, 'base64'),
        'bare malformed base64': (j(image='@@@@'), 400, 'base64'),
        'data URI without comma': (j(image='data:image/png;base64' + b64(data)), 400, 'data URI'),
        'data URI not base64': (j(image='data:image/png,' + b64(data)), 400, 'base64'),
        'data URI of text': (j(image='data:text/plain;base64,' + b64(b'12345')), 415, 'text/plain'),
        'a URL': (j(image='https://example.com/digits.png'), 400, 'URL'),
        'non-image': (j(image=b64(b'%PDF-1.4 not an image at all')), 415, 'not an image'),
        'TIFF': (j(image=b64(png(np.zeros((32, 64), np.uint8), 'TIFF'))), 415, 'TIFF'),
        'truncated PNG': (j(image=b64(data[: len(data) // 2])), 422, 'truncated'),
        '0x0 PNG': (j(image=b64(png_of_size(0, 0))), 422, '0 px'),
        '1x100000 PNG': (j(image=b64(png(np.zeros((1, 100000), np.uint8)))), 422, '100000x1'),
        '20000x20000 PNG bomb': (j(image=b64(bomb.getvalue())), 413, '20000x20000'),
        'body over 1 MiB': (j(image='A' * (1 << 20)), 413, 'byte limit'),
        'body over 1 MiB, streamed': (
            dict(content=iter([b'{"image": "' + b'A' * 65536] * 20), headers={'content-type': 'application/json'}),
            413,
            'byte limit',
        ),
        'image a number': (j(image=12345), 422, 'image'),
        'length a string': (j(image=body['image'], length='4'), 422, 'length'),
        'lexicon a string': (j(image=body['image'], lexicon='1234'), 422, 'lexicon'),
        'unknown field': (j(image=body['image'], lenght=4), 422, 'lenght'),
        'images not a list': (dict(json={'images': body['image']}, url='/predict/batch'), 422, 'images'),
        'batch over max_batch': (dict(json={'images': [body['image']] * 33}, url='/predict/batch'), 413, 'limit of 32'),
        'JSON not an object': (dict(json=[body['image']]), 422, 'body'),
        'not JSON': (dict(content=b'{"image": ', headers={'content-type': 'application/json'}), 400, 'JSON'),
        'text/plain body': (
            dict(content=body['image'].encode(), headers={'content-type': 'text/plain'}),
            415,
            'text/plain',
        ),
        'no content type': (dict(content=b'abc'), 415, 'content type'),
        'invalid regex': (j(image=body['image'], regex='(19|20'), 422, 'regex'),
        'regex that explodes': (j(image=body['image'], regex='(0|1)*1(0|1){16}'), 422, 'too complex'),
        'regex that explodes with a length': (
            j(image=body['image'], regex='(0|1)*1(0|1){11}', length=[0, 200]),
            422,
            'under this length',
        ),
        'length of a billion': (j(image=body['image'], length=10**9), 422, 'length'),
        'length out of range': (j(image=body['image'], length=[5, 2]), 422, 'length'),
        'min_confidence over 1': (j(image=body['image'], min_confidence=1.5), 422, 'min_confidence'),
        'raw image, min_confidence over 1': (
            dict(content=data, headers={'content-type': 'image/png'}, params={'min_confidence': '1.5'}),
            422,
            'min_confidence',
        ),
        'multipart without a file': (
            dict(data={'length': '4'}, files={'other': ('x.txt', b'hi', 'text/plain')}),
            422,
            'file',
        ),
        'multipart bad length': (
            dict(data={'length': 'four'}, files={'file': ('s.png', data, 'image/png')}),
            422,
            'length',
        ),
        'multipart not an image': (dict(files={'file': ('s.png', b'hello', 'image/png')}), 415, 'not an image'),
        'multipart empty file': (dict(files={'file': ('s.png', b'', 'image/png')}), 400, 'empty'),
        'raw image, unknown query parameter': (
            dict(content=data, headers={'content-type': 'image/png'}, params={'lenght': '4'}),
            422,
            'lenght',
        ),
        'raw text as image/png': (dict(content=b'hello', headers={'content-type': 'image/png'}), 415, 'not an image'),
        'broken multipart': (
            dict(
                content=b'--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc',
                headers={'content-type': 'multipart/form-data; boundary=x'},
            ),
            422,
            'file',
        ),
    }


def test_bad_requests_get_a_4xx_that_names_the_problem(server, sample):
    "Each bad request: the right status, a JSON error naming the problem; the server still answers afterwards."
    got = {}
    for name, (kw, status, word) in _bad_requests(sample).items():
        kw = dict(kw)
        url = kw.pop('url', '/predict')
        r = httpx.post(server + url, timeout=60, **kw)
        err = r.json()
        got[name] = (r.status_code, err.get('error'))
        assert (r.status_code, err['status']) == (status, status), (name, r.status_code, err)
        assert word.lower() in err['error'].lower(), (name, err['error'])
    print(json.dumps(got, indent=1))
    assert httpx.get(server + '/health').json()['status'] == 'ok'
    assert httpx.post(server + '/predict', json=sample[0]).json()['prediction'] == sample[1]
    assert httpx.get(server + '/nowhere').json() == {'error': 'Not Found', 'status': 404}
    assert httpx.get(server + '/predict').status_code == 405


@pytest.mark.slow
def test_schemathesis_finds_no_server_error(server, tmp_path):
    "Requests generated from the OpenAPI schema (examples, coverage, fuzzing), valid and not: never a 5xx."
    r = subprocess.run(
        [
            BIN / 'schemathesis',
            'run',
            server + '/openapi.json',
            '--checks',
            'not_a_server_error',
            '--max-examples',
            '200',
            # its caches stay out of the repo
            '--workers',
            '2',
            '--seed',
            '1',
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stdout[-4000:]
    assert ' passed' in r.stdout and 'failed' not in r.stdout.split('SUMMARY')[-1].lower(), r.stdout[-3000:]


@pytest.mark.slow
def test_bounded_load_gives_no_errors(server, sample):
    """2,000 requests, 16 in flight, on loopback: every one answered 200 with the right reading (timings:
    benchmarks/serve_load.py)."""
    res = asyncio.run(load(server, *sample, requests=2000, concurrency=16))
    print(res)
    assert res['statuses'] == {200: 2000} and res['wrong'] == 0
    assert httpx.get(server + '/health').status_code == 200

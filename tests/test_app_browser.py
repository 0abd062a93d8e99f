"""The Streamlit app on a real `streamlit run` (hdsr-app) on 127.0.0.1, drawn on with real mouse events and given
uploads through its file input in Debian's Chromium."""

import csv, json, random, re, time
import pytest
from browser import RESULTS, draw
from digit_paths import string_strokes
from serving import start_app, start_server, stop_server

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]  # chromium on a Streamlit server, minutes

THRESHOLD = 'Refuse readings less sure than (0: never)'
UPLOADER = '[data-testid="stFileUploader"] input[type=file]'
NOT_AN_IMAGE = b'a text file, not a scan'


def read_drawn(page, url: str, text: str, sidebar: dict | None = None) -> tuple[str, float]:
    """Open the app afresh, set sidebar inputs, write `text` on the canvas; the reading on the page and seconds from the
    last mouse-up."""
    page.goto(url)
    canvas = page.locator('canvas.upper-canvas')
    canvas.wait_for(timeout=60_000)
    for label, value in (sidebar or {}).items():
        field = page.get_by_label(label)
        field.fill(str(value))
        field.press('Enter')
        page.wait_for_timeout(800)  # the rerun that takes the new value
    strokes = string_strokes(text, x0=40, y0=40, size=90)
    draw(page, canvas.bounding_box(), strokes)
    t0 = time.perf_counter()
    done = page.locator(f'.hdsr-prediction[data-strokes="{len(strokes)}"]')
    done.wait_for(timeout=60_000)
    return done.get_attribute('data-text'), time.perf_counter() - t0


def field_crop(name: str) -> tuple[bytes, str]:
    "A crop of the `fields` validation set (handwriting in a form field, saved as a scan): its bytes and its label."
    from hdsr.data.validation import validation_set

    folder = validation_set('fields')
    labels = {r['filename']: r['label'] for r in csv.DictReader(open(folder / 'labels.csv'))}
    return (folder / name).read_bytes(), labels[name]


def upload(page, url: str, name: str, data: bytes, mime: str):
    "Open the app afresh and drop `data` on its uploader as `name`; what it shows: the reading, or the error."
    page.goto(url)
    page.locator(UPLOADER).wait_for(state='attached', timeout=60_000)
    page.locator(UPLOADER).set_input_files(dict(name=name, mimeType=mime, buffer=data))
    shown = page.locator('.hdsr-prediction, [data-testid="stAlert"]').first
    shown.wait_for(timeout=60_000)
    return shown


def test_app_reads_drawn_strings_in_process(tmp_path, env, browser):
    """Six strings of 1-6 digits drawn in the app (the shipped model in-process): at least 5 read exactly; constraints
    and errors work."""
    proc, url = start_app(tmp_path, env)
    try:
        page = browser.new_page(viewport={'width': 1200, 'height': 900})
        random.seed(11)
        texts = [''.join(random.choice('0123456789') for _ in range(n)) for n in range(1, 7)]
        readings = [read_drawn(page, url, t) for t in texts]
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS / 'app.png'))
        exact = sum(r == t for t, (r, _) in zip(texts, readings))
        (RESULTS / 'app.json').write_text(
            json.dumps(
                dict(texts=texts, read=[r for r, _ in readings], seconds=[round(s, 2) for _, s in readings]), indent=1
            )
        )
        assert exact >= 5, list(zip(texts, readings))
        # the image the network read
        assert page.get_by_text('the drawing normalised to 32 px high').count() == 1
        forced, _ = read_drawn(page, url, '4711', {'Exact number of digits (0: any)': 5})
        assert len(forced) == 5, forced
        # a threshold of 1 refuses all but certain readings
        refused, _ = read_drawn(page, url, '4711', {THRESHOLD: 1})
        shown = page.locator('.hdsr-prediction')
        assert refused == '' and shown.get_attribute('data-refused') == 'too unsure', shown.inner_html()
        assert page.get_by_text('is below the threshold 1.00').count() == 1
        page.goto(url)
        page.locator('canvas.upper-canvas').wait_for(timeout=60_000)
        page.get_by_label('Regex the reading must match').fill('(19|20')
        page.get_by_label('Regex the reading must match').press('Enter')
        page.wait_for_timeout(800)
        draw(page, page.locator('canvas.upper-canvas').bounding_box(), string_strokes('7', x0=40, y0=40, size=90))
        # st.error with the decoder's message, naming the regex
        error = page.get_by_text('is not a supported pattern')
        error.wait_for(timeout=30_000)
        assert "regex: regex='(19|20'" in error.inner_text() and page.locator('.hdsr-prediction').count() == 0
    finally:
        proc.terminate()
        proc.wait(20)


def test_app_reads_uploads_in_process(tmp_path, env, browser):
    """A PNG and a JPEG crop dropped on the app's uploader: each read right, shown with the model image and each
    digit's probability; a text file named .png is an error on the page, which stays up."""
    proc, url = start_app(tmp_path, env)
    try:
        page = browser.new_page(viewport={'width': 1200, 'height': 1400})
        for name, mime in (('0009.png', 'image/png'), ('0012.jpg', 'image/jpeg')):
            data, label = field_crop(name)
            shown = upload(page, url, name, data, mime)
            assert shown.get_attribute('data-text') == label, shown.inner_html()
            # each digit's probability under it
            probs = shown.locator('td div:nth-child(2)').all_inner_texts()
            assert len(probs) == len(label) and all(re.fullmatch(r'[01]\.\d\d', p) for p in probs), probs
            # the upload and the model image, captioned (an image shows once it has loaded)
            for caption in (f'{name}, as uploaded', 'what the network read: the upload normalised to 32 px high'):
                page.get_by_text(caption).wait_for(timeout=30_000)
            assert page.locator('[data-testid="stImage"] img').count() == 2
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS / 'app-upload.png'), full_page=True)
        error = upload(page, url, 'notes.png', NOT_AN_IMAGE, 'image/png')
        assert error.inner_text().startswith('notes.png cannot be read: image: the 23 bytes are not an image'), (
            error.inner_text()
        )
        assert (
            page.locator('.hdsr-prediction').count() == 0 and page.locator('[data-testid="stException"]').count() == 0
        )
        # the page is still up: the canvas reads a drawing
        canvas = page.locator('canvas.upper-canvas')
        draw(page, canvas.bounding_box(), string_strokes('7', x0=40, y0=40, size=90))
        page.locator('.hdsr-prediction[data-strokes="1"]').wait_for(timeout=60_000)
    finally:
        proc.terminate()
        proc.wait(20)


def test_app_reads_through_the_api(tmp_path, env, browser):
    """With --api-url the page sends its drawings and uploads to a real hdsr-serve and shows that server's reading (an
    upload without its model image, which the API does not return)."""
    server, api = start_server(env=env)
    proc, url = start_app(tmp_path, env, '--api-url', api)
    try:
        page = browser.new_page(viewport={'width': 1200, 'height': 900})
        text, _ = read_drawn(page, url, '2024')
        assert text == '2024'
        # the threshold goes to the API with the drawing
        refused, _ = read_drawn(page, url, '2024', {THRESHOLD: 1})
        assert refused == '' and page.locator('.hdsr-prediction').get_attribute('data-refused') == 'too unsure'
        assert page.get_by_text(f'Reading with the API at {api}').count() == 1
        data, label = field_crop('0012.jpg')
        shown = upload(page, url, '0012.jpg', data, 'image/jpeg')
        assert shown.get_attribute('data-text') == label, shown.inner_html()
        page.get_by_text('0012.jpg, as uploaded').wait_for(timeout=30_000)
        note = page.get_by_text('The model image is not shown: the API does not return it')
        note.wait_for(timeout=30_000)  # Streamlit draws the page piece by piece: under load, after the upload's caption
        assert note.count() == 1 and page.locator('[data-testid="stImage"] img').count() == 1
        error = upload(page, url, 'notes.png', NOT_AN_IMAGE, 'image/png')
        assert 'notes.png cannot be read: the API answered: image: the 23 bytes are not' in error.inner_text()
        server_log = server.log.read_text()
        assert 'POST /predict HTTP/1.1" 200' in server_log, server_log[-2000:]
    finally:
        proc.terminate()
        proc.wait(20)
        stop_server(server)

"""The review page on a real `hdsr-app --review` (Streamlit) on 127.0.0.1, driven with the keyboard in Debian's
Chromium: a label typed, a reading accepted with Enter, a label that is not digits refused, a crop marked unreadable
with its key; the labelled folder on disk; then a restart that carries on with the next undecided crop, and the drawing
page beside it."""

import csv, time
import pytest
from PIL import Image, ImageDraw
from browser import RESULTS
from digit_paths import string_strokes
from serving import start_app

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]  # chromium on a Streamlit server, ~1 min

LABEL = 'Label: the digits in the image'
COLUMNS = ('path', 'text', 'confidence', 'accepted', 'refused', 'alternatives', 'digit_probs', 'error')
ROWS = [  # what hdsr-read would write: an accepted reading, four refused ones and an error
    ('cells/a.png', '12', '0.9910', 'true', '', '', '0.99 0.99', ''),
    ('cells/b.png', '346', '0.4120', 'false', 'too unsure', '345:0.3100 348:0.1000', '0.99 0.98 0.41', ''),
    ('cells/c.png', '27', '0.6000', 'false', 'too unsure', '', '0.90 0.66', ''),
    ('cells/x.png', '', '', 'false', 'error', '', '', 'not an image: cannot identify image file'),
    ('cells/d.png', '', '0.0000', 'false', 'nothing found', '', '', ''),
    ('cells/e.png', '51', '0.3000', 'false', 'too unsure', '91:0.2500', '0.40 0.95', ''),
]


def crop(text: str) -> Image.Image:
    "A 130 x 40 crop of `text` written with a pen, as a form's cell is scanned (the page only shows it)."
    im = Image.new('L', (130, 40), 255)
    draw = ImageDraw.Draw(im)
    for stroke in string_strokes(text, x0=10, y0=6, size=28, gap=7):
        draw.line(stroke, fill=0, width=3, joint='curve')
    return im


def readings_batch(root):
    "A readings.csv with its crops in root/batch/: the app runs in root, so the crops are found beside the file."
    batch = root / 'batch'
    (batch / 'cells').mkdir(parents=True)
    for name, text in [('a', '12'), ('b', '345'), ('c', '27'), ('d', '8'), ('e', '91')]:
        crop(text).save(batch / 'cells' / f'{name}.png')
    (batch / 'cells' / 'x.png').write_bytes(b'not an image')
    with open(batch / 'readings.csv', 'w', newline='') as f:
        csv.writer(f).writerows([COLUMNS, *ROWS])
    return batch


def showing(page, path: str):
    "Wait until the page shows the crop `path`, its run over (nothing stale left) and its label box focused; the box."
    page.get_by_text(f'{path} (line ').wait_for(timeout=30_000)
    page.wait_for_function('!document.querySelector("[data-stale=true]")', timeout=10_000)
    page.wait_for_function(f'document.activeElement?.getAttribute("aria-label") === "{LABEL}"', timeout=10_000)
    return page.get_by_label(LABEL)


def test_review_saves_labels_as_it_goes_and_resumes(tmp_path, env, browser):
    batch, reviewed = readings_batch(tmp_path), tmp_path / 'reviewed'
    args = ('--review', str(batch / 'readings.csv'), '--reviewed', str(reviewed))
    t0 = time.perf_counter()
    proc, url = start_app(tmp_path, env, *args)
    try:
        page = browser.new_page(viewport={'width': 1000, 'height': 1100})
        page.goto(url)
        box = showing(page, 'cells/b.png')
        assert box.input_value() == '346' and page.get_by_text('0 of 4 decided').count() == 1
        assert page.get_by_role('button', name='1: 345 (0.31)').count() == 1  # an alternative, Alt+1
        assert page.locator('img').first.bounding_box()['height'] >= 150  # the 130 x 40 crop, enlarged
        page.keyboard.type('34b')  # the reading is selected: typing replaces it
        page.keyboard.press('Enter')
        page.get_by_text("'34b' is not digits only").wait_for(timeout=20_000)
        assert not reviewed.exists()  # nothing saved
        box = showing(page, 'cells/b.png')
        box.fill('345')
        box.press('Enter')
        showing(page, 'cells/c.png')
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS / 'review.png'), full_page=True)
        page.keyboard.press('Enter')  # the reading as it is
        showing(page, 'cells/d.png')
        page.keyboard.press('Alt+x')  # unreadable, the focus still in the label box
        showing(page, 'cells/e.png')
        page.get_by_text('3 of 4 decided').wait_for(timeout=10_000)
        command = page.locator('code', has_text='make finetune DATA=')
        assert command.inner_text().strip() == f'make finetune DATA={reviewed}'
    finally:
        proc.terminate()
        proc.wait(20)
    labels = list(csv.reader(open(reviewed / 'labels.csv')))
    source = lambda name: str((batch / 'cells' / name).resolve())
    assert labels == [
        ['filename', 'label', 'source'],
        ['images/b.png', '345', source('b.png')],
        ['images/c.png', '27', source('c.png')],
    ]
    assert (reviewed / 'images' / 'c.png').read_bytes() == (batch / 'cells' / 'c.png').read_bytes()
    assert sorted(p.name for p in (reviewed / 'images').iterdir()) == ['b.png', 'c.png']
    assert list(csv.reader(open(reviewed / 'unreadable.csv'))) == [['source', 'text'], [source('d.png'), '']]

    # a restart carries on with the first crop not decided; Alt+1 saves the model's alternative
    proc, url = start_app(tmp_path, env, *args)
    try:
        page = browser.new_page(viewport={'width': 1000, 'height': 1100})
        page.goto(url)
        showing(page, 'cells/e.png')
        assert page.get_by_text('3 of 4 decided').count() == 1
        page.keyboard.press('Alt+1')
        page.get_by_text('All 4 refused readings are decided.').wait_for(timeout=20_000)
        page.locator('code', has_text='make finetune DATA=').wait_for(timeout=20_000)  # Streamlit draws it just after
        assert page.locator('code', has_text='make finetune DATA=').count() == 1
        page.get_by_role('link', name='Draw digits').click()  # the drawing page, beside the review
        page.locator('canvas.upper-canvas').wait_for(timeout=30_000)
    finally:
        proc.terminate()
        proc.wait(20)
    assert list(csv.reader(open(reviewed / 'labels.csv')))[-1] == ['images/e.png', '91', source('e.png')]
    assert time.perf_counter() - t0 < 90

"""OCR stages on drawn pages: detection, recognition, orientation, layout, reading order."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ocr.orientation import rotate
from tests.conftest import RECORD_FIRST_PAGE, draw_page

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def record_page():
    return draw_page(RECORD_FIRST_PAGE)


def _text(reading) -> str:
    return "".join(line.text for line in reading.lines).replace(" ", "")


def test_reads_every_line_in_reading_order(reader, record_page):
    reading = reader.read(record_page)
    text = _text(reading)
    assert "讯问笔录" in text
    assert "时间：2024年3月12日9时30分至11时20分" in text
    assert text.index("讯问笔录") < text.index("时间") < text.index("被讯问人") < text.index("第1页")
    assert all(0 < line.score <= 1 for line in reading.lines)
    tops = [line.box[1] for line in reading.lines]
    assert tops == sorted(tops)


@pytest.mark.parametrize("turned", [90, 180, 270, 2.0, -2.5])
def test_turned_and_skewed_scans_come_back_upright(reader, record_page, turned):
    scan, _ = rotate(record_page, -turned)  # the scanner turned it anticlockwise
    reading = reader.read(scan)
    total = (reading.orientation.rotation + reading.orientation.skew) % 360
    assert min(abs(total - turned % 360), 360 - abs(total - turned % 360)) < 0.6
    assert "被讯问人：刘建国" in _text(reading)


def test_layout_finds_the_title(reader, record_page):
    reading = reader.read(record_page)
    titles = [r for r in reading.regions if r.label == "title"]
    assert titles, [r.label for r in reading.regions]
    assert titles[0].box[1] < 400


def test_blank_sheet_yields_no_lines(reader):
    noise = np.random.default_rng(0).normal(245, 6, (1200, 850, 3)).clip(0, 255).astype(np.uint8)
    assert reader.read(noise).lines == []


def test_only_bilevel_scans_are_softened_for_ocr(record_page):
    from ocr.reader import soften_bilevel

    assert soften_bilevel(record_page) is record_page  # anti-aliased print: edges in between
    bilevel = np.where(record_page < 128, 0, 255).astype(np.uint8)
    soft = soften_bilevel(bilevel)
    assert soft is not bilevel and 0 < soft.mean() and len(np.unique(soft)) > 2
    blank = np.full_like(bilevel, 255)
    assert soften_bilevel(blank) is blank  # nothing to soften: blank-page detection sees it as scanned


def test_a_date_under_a_grey_seal_is_read_apart_from_the_ring(reader):
    """On a grey scan the seal's ring is as dark as the print and the date stamped under it runs
    into the ring (a 立案决定书 of casegen/forms, cut out): the detector must still give the date a
    line of its own."""
    page = np.full((2339, 1654, 3), 255, np.uint8)
    seal = np.asarray(Image.open(DATA / "seal-over-date.png").convert("RGB"))
    page[820 : 820 + seal.shape[0], 1150 : 1150 + seal.shape[1]] = seal
    # its last character lies on the ring itself: what comes before it is the date
    assert any(line.text.replace(" ", "").startswith("2024年1月5") for line in reader.read(page).lines)

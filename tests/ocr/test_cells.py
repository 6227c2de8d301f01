"""Ruled tables read cell by cell: a form drawn with merged and multi-line cells, read by the OCR
and with its line boxes as drawn (skewed, two tables, a page without rules)."""

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr.cells import table_cells
from ocr.page import TextLine
from ocr.reader import reading_order
from tests.conftest import FONT, RECORD_FIRST_PAGE, draw_page

COLS = (150, 380, 560, 900, 1160, 1500)
# (first column, first row, end column, end row, lines), on the grid of COLS and draw_form's rows
FORM = [
    (0, 0, 1, 2, ["报案人"]),  # a label spanning two rows: it comes before both
    (1, 0, 2, 1, ["姓名"]),
    (2, 0, 3, 1, ["张三丰"]),
    (3, 0, 4, 1, ["出生日期"]),
    (4, 0, 5, 1, ["1988年3月12日"]),
    (1, 1, 2, 2, ["现住址"]),
    (2, 1, 3, 2, ["北京市朝阳区", "建国路八十八号"]),  # two lines beside two lines
    (3, 1, 4, 2, ["工作单位", "及职务"]),
    (4, 1, 5, 2, ["无业"]),
    (0, 2, 1, 3, ["简要案情"]),
    (1, 2, 5, 3, ["报案人称其在朝阳区建国路被人殴打。", "未接受证据。"]),
]
TITLE, FOOT = "受案登记表", "一式两份，一份留存，一份附卷。"
READ = [TITLE, "报案人", "姓名", "张三丰", "出生日期", "1988年3月12日", "现住址", "北京市朝阳区", "建国路八十八号",
        "工作单位", "及职务", "无业", "简要案情", "报案人称其在朝阳区建国路被人殴打。", "未接受证据。"]


def draw_form(draw: ImageDraw.ImageDraw, top: int, title: str) -> list[TextLine]:
    """The form's title and table below `top`; its text lines as drawn, in no useful order."""
    font = ImageFont.truetype(str(FONT), 36)
    rows = [top + 120 + d for d in (0, 110, 330, 560)]
    lines = [_text(draw, title, (700, top), font)]
    for c0, r0, c1, r1, texts in FORM:
        x0, y0, x1, y1 = COLS[c0], rows[r0], COLS[c1], rows[r1]
        draw.rectangle((x0, y0, x1, y1), outline=(30, 30, 30), width=3)
        y = (y0 + y1) / 2 - 30 * len(texts)  # centred in the cell, 60 px a line
        lines += [_text(draw, t, (x0 + 20, y + 60 * i + 12), font) for i, t in enumerate(texts)]
    return lines[::-1]


def _text(draw: ImageDraw.ImageDraw, text: str, at: tuple[float, float], font) -> TextLine:
    draw.text(at, text, font=font, fill=(20, 20, 20))
    return TextLine(text, tuple(float(v) for v in draw.textbbox(at, text, font=font)), 0.99)


def page(*, tables: int = 1) -> tuple[np.ndarray, list[TextLine]]:
    img = Image.new("RGB", (1654, 2339), "white")
    draw = ImageDraw.Draw(img)
    lines = []
    for k in range(tables):
        lines += draw_form(draw, 200 + 900 * k, f"{TITLE}{k or ''}")
        lines.append(_text(draw, FOOT + str(k or ""), (150, 200 + 900 * k + 720), ImageFont.truetype(str(FONT), 30)))
    return np.asarray(img), lines


def skewed(image: np.ndarray, lines: list[TextLine], degrees: float) -> tuple[np.ndarray, list[TextLine]]:
    """The page turned by `degrees` (anticlockwise), its line boxes around the turned text."""
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    turned = cv2.warpAffine(image, m, (w, h), borderValue=(255, 255, 255))
    moved = []
    for ln in lines:
        x0, y0, x1, y1 = ln.box
        corners = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]]) @ m.T
        moved.append(TextLine(ln.text, (*corners.min(axis=0), *corners.max(axis=0)), ln.score))
    return turned, moved


def texts(lines: list[TextLine]) -> list[str]:
    return [ln.text for ln in lines]


def test_a_form_is_read_cell_by_cell():
    image, lines = page()
    assert texts(reading_order(lines, image)) == READ + [FOOT]
    # by rows alone the label comes after its first row, and neighbouring cells interleave
    assert texts(reading_order(lines)) != READ + [FOOT]


@pytest.mark.parametrize("degrees", [1.5, -2.0])
def test_a_skewed_form_is_read_cell_by_cell(degrees):
    image, lines = skewed(*page(), degrees)
    assert texts(reading_order(lines, image)) == READ + [FOOT]


def test_text_between_two_tables_stays_between():
    image, lines = page(tables=2)
    second = [t if t != TITLE else TITLE + "1" for t in READ]
    assert texts(reading_order(lines, image)) == READ + [FOOT] + second + [FOOT + "1"]


def test_the_reader_reads_a_drawn_form_cell_by_cell(reader):
    image, _ = page()
    read = "|".join(texts(reader.read(image).lines)).replace(" ", "")
    found = [read.find(t) for t in ("报案人", "姓名", "现住址", "北京市朝阳区", "建国路八十八号", "工作单位", "及职务", "简要案情")]
    assert -1 not in found and found == sorted(found), read


def record_page() -> tuple[np.ndarray, list[TextLine]]:
    """A page of text with its lines (two beside others in their row), shuffled."""
    lines = [TextLine(t, (x or 300, y, (x or 300) + 0.8 * px * len(t), y + px), 0.99)
             for t, px, x, y in RECORD_FIRST_PAGE]
    lines += [TextLine("右栏", (1200, y, 1300, y + 34), 0.99) for y in (362, 540)]
    order = np.random.default_rng(7).permutation(len(lines))
    return draw_page(RECORD_FIRST_PAGE).copy(), [lines[i] for i in order]


def test_a_page_without_rules_keeps_its_order():
    image, lines = record_page()
    cv2.line(image, (180, 720), (1400, 720), (20, 20, 20), 3)  # an underline is no table
    assert table_cells(image) is None
    assert reading_order(lines, image) == reading_order(lines)


def test_a_frame_around_the_page_keeps_its_order():
    image, lines = record_page()
    cv2.rectangle(image, (100, 80), (1550, 2260), (20, 20, 20), 4)
    assert reading_order(lines, image) == reading_order(lines)

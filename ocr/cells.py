"""Ruled tables read cell by cell.

A bordered form (受案登记表, 常住人口信息表) or a ruled statement holds several lines of text in
one cell beside other multi-line cells; read by line rows, the lines of neighbouring cells
interleave. Here the table's rules are found on the page image (long horizontal and vertical runs
of ink), its cells are the regions they enclose, and each OCR line goes to the cell holding its
box centre. A table is then read row by row (rows by the top of their cells, a row's cells left to
right: a label cell spanning two rows comes before both), each cell's lines in the page's order,
and the table takes the place of its lines among the rest of the page.

The page is searched at about 70 dpi, in about 3 ms. A page whose rules enclose no cell (most
pages: text, underlined fields) keeps its order exactly; so does the text outside tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from ocr.page import TextLine

WORK_SIDE = 800  # px of the page's longer side while searching (A4 at about 70 dpi)
PAGE_SIDE = 297  # mm: the longer side of an A4 page, which gives the scale
H_RULE = 10  # mm: a horizontal run this long is a rule, not a stroke of a character
V_RULE = 6  # mm: shorter than the rule beside a one-line cell, longer than a character
MIN_CELL = 2.5  # mm: a cell is at least this wide and tall
ROW_TOLERANCE = 2  # mm: cells whose tops differ by less share a row
RULE_WIDTH = 2  # mm: a rule, thickened, and the slack around it; cells of one table lie this close


Order = Callable[[list[TextLine]], list[TextLine]]


@dataclass(frozen=True)
class Cells:
    """The ruled cells of a page in reading order (table by table from the top, each row by row),
    as boxes in page pixels levelled by `slope` (x + y·slope, y − x·slope): the page may still
    lean a little."""

    boxes: np.ndarray  # N×4: x0, y0, x1, y1, levelled
    top: np.ndarray  # N: the top of the cell's table as drawn: where it comes among other lines
    table: np.ndarray  # N: the cell's table
    slope: float  # dy/dx of the rules
    rule: float  # a rule's width: cells lie this far apart

    def of(self, line: TextLine) -> int:
        """The cell holding the centre of `line`'s box, else the first within a rule's width of it
        (a line that touches a rule); -1: none."""
        cx, cy = (line.box[0] + line.box[2]) / 2, (line.box[1] + line.box[3]) / 2
        x, y = cx + cy * self.slope, cy - cx * self.slope
        x0, y0, x1, y1 = self.boxes.T
        for m in (0, self.rule):
            hit = np.flatnonzero((x0 - m <= x) & (x <= x1 + m) & (y0 - m <= y) & (y <= y1 + m))
            if len(hit):
                return int(hit[0])
        return -1


def cell_order(lines: list[TextLine], image: np.ndarray, order: Order) -> list[TextLine]:
    """`lines` in reading order: `order` outside ruled tables and within each cell; each table
    cell by cell, placed where its top falls among the other lines."""
    cells = table_cells(image) if lines else None
    if cells is None:
        return order(lines)
    in_cell: dict[int, list[TextLine]] = {}
    outside = []
    for line in lines:
        cell = cells.of(line)
        if cell >= 0:
            in_cell.setdefault(cell, []).append(line)
        else:
            outside.append(line)
    tables: dict[int, list[int]] = {}  # table -> its cells with text, in reading order
    for cell in sorted(in_cell):
        tables.setdefault(int(cells.table[cell]), []).append(cell)
    pending = list(tables.values())
    out: list[TextLine] = []
    for line in order(outside):
        while pending and (line.box[1] + line.box[3]) / 2 > cells.top[pending[0][0]]:
            out += [ln for cell in pending.pop(0) for ln in order(in_cell[cell])]
        out.append(line)
    return out + [ln for table in pending for cell in table for ln in order(in_cell[cell])]


def table_cells(image: np.ndarray) -> Cells | None:
    """The ruled cells of an RGB page, or None where it has none."""
    side = max(image.shape[:2])
    # the red channel: red seals and fingerprints, stamped across rules and cells, are pale in it
    small = cv2.extractChannel(image, 0) if image.ndim == 3 else image
    # halved by averaging (OpenCV's fast case), then scaled to WORK_SIDE: a rule of 0.3 mm still
    # darkens its pixels by a half
    while max(small.shape) >= 2 * WORK_SIDE:
        small = cv2.resize(small, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    if max(small.shape) > WORK_SIDE:
        f = WORK_SIDE / max(small.shape)
        small = cv2.resize(small, None, fx=f, fy=f, interpolation=cv2.INTER_LINEAR)
    shrink = side / max(small.shape)  # page px per working px
    page_mm = side / PAGE_SIDE  # page px per mm
    per_mm = page_mm / shrink  # working px per mm
    # ink darker than its surroundings: thin rules, and not the inside of a photo or a dark border
    block = 2 * round(2 * per_mm) + 1  # 4 mm
    ink = cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 20)
    # a rule skewed by 2° steps every 28 px: thickened across first, its runs outlast H_RULE
    across = np.ones((3, 1), np.uint8)
    run = np.ones((round(V_RULE * per_mm), 1), np.uint8)
    vertical = cv2.morphologyEx(cv2.dilate(ink, across.T), cv2.MORPH_OPEN, run)
    if not vertical.any():
        return None
    run = np.ones((1, round(H_RULE * per_mm)), np.uint8)
    horizontal = cv2.morphologyEx(cv2.dilate(ink, across), cv2.MORPH_OPEN, run)
    if not horizontal.any():
        return None
    # closes the gaps of a broken or faint rule, and where rules stop just short of each other
    rules = cv2.dilate(horizontal | vertical, np.ones((3, 3), np.uint8))
    # the holes in the rules are the cells (a table inside a frame comes as rules inside a hole)
    contours, hierarchy = cv2.findContours(rules, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return None
    holes = [cv2.boundingRect(c) for c, (*_, parent) in zip(contours, hierarchy[0]) if parent >= 0]
    x, y, w, h = np.array(holes, np.float64).reshape(-1, 4).T * shrink
    big = (w >= MIN_CELL * page_mm) & (h >= MIN_CELL * page_mm)
    if not big.any():
        return None
    x, y, w, h = x[big], y[big], w[big], h[big]
    # levelled boxes: a leaning cell's bounding box reaches into the rows above and below it
    slope = _slope(horizontal)
    cx, cy = x + w / 2, y + h / 2
    cx, cy = cx + cy * slope, cy - cx * slope
    half_w, half_h = (w - h * abs(slope)) / 2, (h - w * abs(slope)) / 2
    x0, x1, y0, y1 = cx - half_w, cx + half_w, cy - half_h, cy + half_h
    # a region around several others is a frame with a table in it, no cell; a region around one
    # other holds a seal's ring or a box drawn in a cell, which is no cell of its own
    around = (x0[:, None] < cx) & (cx < x1[:, None]) & (y0[:, None] < cy) & (cy < y1[:, None])
    np.fill_diagonal(around, False)
    inner = around.sum(axis=1)
    cell = (inner < 2) & ~around[inner == 1].any(axis=0)
    if not cell.any():
        return None
    y, cx, x0, x1, y0, y1 = (a[cell] for a in (y, cx, x0, x1, y0, y1))
    # tables: cells whose boxes come within a rule's width of each other, linked
    gap = RULE_WIDTH * page_mm
    near = ((x0[:, None] <= x1 + gap) & (x0 <= x1[:, None] + gap)
            & (y0[:, None] <= y1 + gap) & (y0 <= y1[:, None] + gap))
    table = np.arange(len(x0))
    while True:
        linked = np.where(near, table, len(table)).min(axis=1)
        if (linked == table).all():
            break
        table = linked[linked]
    top = np.array([y[table == t].min() for t in table])
    # rows, table by table from the top: cells whose tops lie within ROW_TOLERANCE of the row's
    # first; a row's cells left to right
    row = np.zeros(len(y0), np.int64)
    rows, start, last = 0, 0.0, -1
    for i in np.lexsort((y0, top)):
        if table[i] != last or y0[i] - start > ROW_TOLERANCE * page_mm:
            rows, start, last = rows + 1, y0[i], table[i]
        row[i] = rows
    ordered = np.lexsort((cx, row))
    boxes = np.stack([x0, y0, x1, y1], axis=1)[ordered]
    return Cells(boxes, top[ordered], table[ordered], slope, gap)


def _slope(horizontal: np.ndarray) -> float:
    """dy/dx of the horizontal rules: how far the rows of rules in the page's right half lie
    below those in its left half."""
    half = horizontal.shape[1] // 2
    left = horizontal[:, :half].sum(axis=1, dtype=np.float64)
    right = horizontal[:, half:].sum(axis=1, dtype=np.float64)
    reach = half // 20  # up to 3°
    shifts = np.arange(-reach, reach + 1)
    match = [left[max(0, -d):len(left) - max(0, d)] @ right[max(0, d):len(right) - max(0, -d)] for d in shifts]
    best = int(np.argmax(match))
    return float(shifts[best]) / half if match[best] > 0 else 0.0

"""Page layout in millimetres, independent of the scan resolution.

A document is built as a vertical flow of boxes (wrapped paragraph lines, table rows, signature
blocks); `paginate` cuts the flow into pages, and each page becomes a `LayoutPage`: a list of
drawable items (text lines, rules, boxes, marks such as seals). The same `LayoutPage` can be
rendered at any dpi (duplicates are re-scans of the same sheet), and its truth text is read
from the items, so what the truth says is exactly what was drawn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from .fonts import text_width_em

MM_PER_PT = 25.4 / 72
INK = (24, 24, 24)
A4 = (210.0, 297.0)
A4_LANDSCAPE = (297.0, 210.0)

# Punctuation that must not start a line (it hangs at the end of the previous one) and that
# must not end a line (it moves to the next one): the usual Chinese line-breaking rules.
NO_START = set("，。、；：？！）》」』”’％,.;:?!)]】〕…·")
NO_END = set("（《「『“‘([【〔")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-_:/@×*#]*|.", re.S)


def em_mm(size_pt: float) -> float:
    return size_pt * MM_PER_PT


@dataclass
class Run:
    """Text in one font; a line is a sequence of runs drawn left to right."""

    text: str
    family: str = "song"
    size: float = 14.0  # pt
    color: tuple[int, int, int] = INK
    tracking: float = 0.0  # extra space after each character, in em (letter-spaced titles)
    underline: bool = False
    min_width: float = 0.0  # mm; a fill-in blank: the text is centred on an underline this wide
    gap: float = 0.0  # mm of empty space before the run
    sep: bool = False  # in the truth text, one space before this run

    def width(self) -> float:
        natural = (text_width_em(self.family, self.text) + self.tracking * max(0, len(self.text) - 1)) * em_mm(self.size)
        return max(natural, self.min_width)

    def truth(self) -> str:
        # Letter-spaced text reads as separate characters ("讯 问 笔 录").
        return " ".join(self.text) if self.tracking >= 0.5 else self.text


@dataclass
class TextLine:
    x: float
    baseline: float
    runs: list[Run]
    truth: bool = True  # False for text that is not printed text (none so far; marks are separate)
    role: str = ""  # "title" | "header" (organ header) for lines the hard split alters; not drawn
    cell: tuple[float, int] | None = None  # (top of its table row, first column) for a table cell's line

    @property
    def size(self) -> float:
        return max(r.size for r in self.runs)

    def width(self) -> float:
        return sum(r.gap + r.width() for r in self.runs)

    def text(self) -> str:
        out = []
        for i, r in enumerate(self.runs):
            t = r.truth()
            if not t.strip():
                continue
            if out and r.sep:
                out.append(" ")
            out.append(t)
        return "".join(out).strip()


@dataclass
class Rule:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float = 0.3
    color: tuple[int, int, int] = INK


@dataclass
class Rect:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float = 0.3
    color: tuple[int, int, int] = INK
    fill: tuple[int, int, int] | None = None


@dataclass
class Mark:
    """Something that is not printed text: seal, fingerprint, handwriting, photo, sketch."""

    kind: str  # seal | fingerprint | signature | photo | sketch
    x: float  # centre, mm
    y: float
    w: float
    h: float
    data: dict = field(default_factory=dict)


Item = TextLine | Rule | Rect | Mark


@dataclass
class LayoutPage:
    width: float
    height: float
    items: list[Item]
    printed_page: int | None = None
    seed: int = 0  # varies the marks (seal ink, handwriting) of this sheet, not the scan

    def text(self) -> str:
        return page_text(self.items)


def page_text(items: list[Item]) -> str:
    """Printed text in reading order: rows top to bottom, items of a row left to right joined by
    one space (cells of a table row, fields on one line); a table cell's lines stay together,
    top to bottom, as one item of its row."""
    lines = [it for it in items if isinstance(it, TextLine) and it.truth and it.text()]
    cells: dict[tuple[float, int], list[TextLine]] = {}
    for ln in lines:
        if ln.cell is not None:
            cells.setdefault(ln.cell, []).append(ln)
    row_line = {}  # a table row's first baseline: all its cells stand there
    for (top, _), members in cells.items():
        row_line[top] = min(row_line.get(top, members[0].baseline), *(m.baseline for m in members))
    entries = [(ln.baseline, ln.x, ln.size, ln.text()) for ln in lines if ln.cell is None]
    entries += [(row_line[key[0]], min(m.x for m in members), min(m.size for m in members),
                 "".join(m.text() for m in sorted(members, key=lambda m: m.baseline))) for key, members in cells.items()]
    entries.sort(key=lambda e: (e[0], e[1]))
    rows: list[list[tuple]] = []
    for entry in entries:
        if rows:
            ref = rows[-1][0]
            if abs(entry[0] - ref[0]) < 0.45 * em_mm(min(entry[2], ref[2])):
                rows[-1].append(entry)
                continue
        rows.append([entry])
    return "\n".join(" ".join(e[3] for e in sorted(r, key=lambda e: e[1])) for r in rows)


def wrap(text: str, family: str, size: float, width: float, first_indent: float = 0.0,
         rest_indent: float = 0.0) -> list[str]:
    """Break text into lines no wider than `width` mm (CJK may break anywhere; latin/digit runs
    such as ID numbers stay whole; closing punctuation hangs rather than starting a line)."""
    em = em_mm(size)
    lines: list[str] = []
    cur, cur_w = "", 0.0
    avail = width - first_indent
    tokens = _TOKEN.findall(text)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        w = text_width_em(family, tok) * em
        if len(tok) > 1 and w > width - rest_indent:  # a run longer than a line: split it
            tokens[i:i + 1] = list(tok)
            continue
        if cur and cur_w + w > avail + 1e-6:
            if tok in NO_START and len(tok) == 1:
                cur += tok
                cur_w += w
                i += 1
                continue
            carry = ""
            if cur[-1] in NO_END:
                carry, cur = cur[-1], cur[:-1]
            lines.append(cur)
            cur = carry
            cur_w = text_width_em(family, carry) * em
            avail = width - rest_indent
        cur += tok
        cur_w += w
        i += 1
    if cur or not lines:
        lines.append(cur)
    return lines


# ---------------------------------------------------------------------------------------- flow


@dataclass
class Box:
    """One unbreakable slice of the flow: its height and how to draw it at (x, y_top)."""

    height: float
    draw: Callable[[float, float], list[Item]]
    kind: str = "line"  # line | space (dropped at the top of a page) | break (forces a new page)
    keep_with_next: bool = False
    header: "Box | None" = None  # repeated first when this box opens a page (table header rows)


@dataclass
class Frame:
    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float

    @property
    def inner_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def y1(self) -> float:
        return self.height - self.bottom


def paginate(boxes: list[Box], frame: Frame) -> list[list[tuple[Box, float]]]:
    pages: list[list[tuple[Box, float]]] = [[]]
    y = frame.top
    i = 0
    while i < len(boxes):
        b = boxes[i]
        if b.kind == "break":
            if pages[-1]:
                pages.append([])
                y = frame.top
            i += 1
            continue
        if b.kind == "space" and not pages[-1]:
            i += 1
            continue
        need = b.height
        j = i
        while boxes[j].keep_with_next and j + 1 < len(boxes):
            j += 1
            need += boxes[j].height
        if y + need > frame.y1 + 1e-6 and pages[-1]:
            pages.append([])
            y = frame.top
            if b.kind == "space":
                i += 1
                continue
        if not pages[-1] and b.header is not None:
            pages[-1].append((b.header, y))
            y += b.header.height
        pages[-1].append((b, y))
        y += b.height
        i += 1
    return pages


def last_page_fill(pages: list[list[tuple[Box, float]]], frame: Frame) -> float:
    if not pages or not pages[-1]:
        return 0.0
    b, y = pages[-1][-1]
    return (y + b.height - frame.top) / (frame.y1 - frame.top)


def title_box(page: LayoutPage) -> tuple[float, float, float, float] | None:
    """The title's ink box in mm (x0, y0, x1, y1), or None on pages without a title line."""
    for it in page.items:
        if isinstance(it, TextLine) and it.role == "title":
            em = em_mm(it.size)
            return it.x, it.baseline - em * 0.92, it.x + it.width(), it.baseline + em * 0.15
    return None

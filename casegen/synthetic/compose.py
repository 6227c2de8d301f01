"""Building blocks of a document: a per-document style and a builder with the elements that real
case-file documents are made of (organ header, title, 文号, paragraphs, 问/答, field lines,
bordered tables, the organ-and-date block under a seal, signature lines, page numbers)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from typing import Callable

from .layout import (A4, INK, Box, Frame, Item, LayoutPage, Mark, Rect, Rule, Run, TextLine, em_mm, paginate,
                     wrap)

SEAL_RED = (205, 38, 44)
PRINT_RED = (200, 20, 30)


@dataclass
class Numbering:
    """A printed page number such as 第1页 共3页, in the footer or the header."""

    fmt: str  # uses {n} and {m}
    where: str  # footer_center | footer_right | footer_left | header_right | header_center
    family: str = "song"
    size: float = 10.5

    def label(self, n: int, m: int) -> str:
        return self.fmt.format(n=n, m=m)


NUMBER_FORMATS = ("第{n}页 共{m}页", "第 {n} 页 共 {m} 页", "共{m}页 第{n}页", "第{n}页", "第{n}页/共{m}页",
                  "第 {n} 页", "共 {m} 页 第 {n} 页", "第{n}页，共{m}页")


def random_numbering(rng: random.Random, family: str) -> Numbering:
    fmt = rng.choice(NUMBER_FORMATS)
    where = rng.choices(("footer_center", "footer_right", "footer_left", "header_right", "header_center"),
                        (5, 4, 1, 2, 1))[0]
    return Numbering(fmt, where, family, rng.choice((9.0, 10.5, 10.5, 12.0)))


@dataclass
class Style:
    page: tuple[float, float] = A4
    left: float = 28.0
    right: float = 24.0
    top: float = 30.0
    bottom: float = 28.0
    body: str = "song"
    size: float = 14.0
    spacing: float = 1.6  # line pitch / font size
    title: str = "song_bold"
    title_size: float = 22.0
    title_tracking: float = 0.0
    header: str = "song_bold"
    header_size: float = 18.0
    fill: str = "kai"  # filled-in values on printed forms
    table: str = "song"
    table_size: float = 11.0
    ink: tuple[int, int, int] = INK
    qa_bold: bool = False
    chinese_dates: bool = False  # 二〇二四年三月十二日 under seals
    numbering: Numbering | None = None

    def frame(self) -> Frame:
        return Frame(self.page[0], self.page[1], self.left, self.right, self.top, self.bottom)


def random_style(rng: random.Random, kind: str = "text", page: tuple[float, float] = A4) -> Style:
    """A plausible style: each issuing system and typist formats slightly differently."""
    body = rng.choices(("song", "ming", "kai", "hei", "zenhei"), (10, 5, 1.5, 1, 1))[0]
    size = rng.choice((12.0, 13.0, 14.0, 14.0, 15.0, 16.0))
    if kind == "record":
        size = rng.choice((11.0, 12.0, 12.0, 13.0, 14.0))
    if kind == "table":
        size = rng.choice((10.5, 11.0, 12.0))
    st = Style(
        page=page,
        left=rng.uniform(22, 32), right=rng.uniform(18, 27), top=rng.uniform(22, 36), bottom=rng.uniform(22, 32),
        body=body, size=size, spacing=rng.uniform(1.35, 1.95),
        title=rng.choices(("song_bold", "hei_bold", "song", "hei", "kai"), (6, 4, 2, 1, 0.6))[0],
        title_size=rng.choice((18.0, 20.0, 22.0, 22.0, 24.0, 26.0)),
        title_tracking=rng.choice((0.0, 0.0, 0.6, 1.0, 1.0, 1.5)),
        header=rng.choices(("song_bold", "hei_bold", "song", "hei"), (5, 3, 2, 1))[0],
        header_size=rng.choice((16.0, 18.0, 18.0, 20.0, 22.0)),
        fill=rng.choices(("kai", "song", "ming", "hei"), (5, 2, 1, 1))[0],
        table=rng.choices(("song", "hei", "ming", "zenhei"), (4, 3, 1, 1))[0],
        table_size=rng.choice((10.0, 10.5, 11.0, 12.0)),
        ink=rng.choice((INK, (12, 12, 12), (40, 40, 45), (55, 55, 55), (30, 28, 35))),
        qa_bold=rng.random() < 0.35,
        chinese_dates=rng.random() < 0.45,
    )
    return st


@dataclass
class Doc:
    """Accumulates boxes for one document and turns them into `LayoutPage`s."""

    style: Style
    rng: random.Random
    boxes: list[Box] = field(default_factory=list)

    # ---- geometry helpers
    @property
    def x0(self) -> float:
        return self.style.left

    @property
    def width(self) -> float:
        return self.style.page[0] - self.style.left - self.style.right

    def _run(self, text: str, family: str | None = None, size: float | None = None, **kw) -> Run:
        kw.setdefault("color", self.style.ink)
        return Run(text, family or self.style.body, size or self.style.size, **kw)

    def add(self, box: Box) -> None:
        self.boxes.append(box)

    def space(self, mm: float) -> None:
        self.boxes.append(Box(mm, lambda x, y: [], kind="space"))

    def page_break(self) -> None:
        self.boxes.append(Box(0, lambda x, y: [], kind="break"))

    def line(self, runs: list[Run], align: str = "left", pitch: float | None = None, indent: float = 0.0,
             keep_with_next: bool = False, role: str = "") -> None:
        """One line made of runs, aligned in the text frame."""
        size = max(r.size for r in runs)
        pitch = pitch if pitch is not None else em_mm(size) * self.style.spacing
        x0, width = self.x0, self.width

        def draw(x: float, y: float, runs=runs) -> list[Item]:
            tl = TextLine(0, _baseline(y, pitch, size), runs, role=role)
            w = tl.width()
            tl.x = {"left": x0 + indent, "center": x0 + (width - w) / 2, "right": x0 + width - w - indent}[align]
            return [tl]

        self.boxes.append(Box(pitch, draw, keep_with_next=keep_with_next))

    def text(self, text: str, align: str = "left", family: str | None = None, size: float | None = None,
             tracking: float = 0.0, color=None, keep_with_next: bool = False, pitch: float | None = None,
             indent: float = 0.0, role: str = "") -> None:
        kw = {"color": color} if color else {}
        self.line([self._run(text, family, size, tracking=tracking, **kw)], align, pitch, indent, keep_with_next, role)

    # ---- document elements
    def organ_header(self, organ: str, red: bool = False) -> None:
        st = self.style
        self.text(organ, "center", st.header, st.header_size, tracking=self.rng.choice((0.0, 0.0, 0.15)),
                  color=PRINT_RED if red else None, pitch=em_mm(st.header_size) * 1.7, keep_with_next=True, role="header")
        if red:
            y_holder = em_mm(st.header_size) * 0.3

            def draw(x, y):
                return [Rule(self.x0, y + y_holder, self.x0 + self.width, y + y_holder, 0.8, PRINT_RED)]
            self.boxes.append(Box(em_mm(st.header_size) * 0.7, draw, keep_with_next=True))

    def title(self, text: str, spaced: bool | None = None, size: float | None = None) -> None:
        st = self.style
        tracking = st.title_tracking if spaced is None else (1.0 if spaced else 0.0)
        if len(text) > 9:  # long titles are not letter-spaced that widely
            tracking = min(tracking, 0.3 if tracking else 0.0)
        self.text(text, "center", st.title, size or st.title_size, tracking=tracking,
                  pitch=em_mm(size or st.title_size) * 1.9, keep_with_next=True, role="title")

    def doc_number(self, number: str, align: str | None = None) -> None:
        align = align or self.rng.choice(("right", "right", "center"))
        self.text(number, align, self.style.body, min(self.style.size, 14.0), keep_with_next=True,
                  indent=self.rng.uniform(0, 8) if align == "right" else 0)

    def para(self, text: str, indent: float = 2.0, family: str | None = None, size: float | None = None,
             hang: float = 0.0, label: str | None = None, label_family: str | None = None,
             justify: bool = True, keep_lines: bool = False) -> None:
        """A paragraph with a first-line indent of `indent` em; `label` (e.g. "问：") is drawn in
        its own font at the start. Each wrapped line is its own box so paragraphs can break
        across pages."""
        st = self.style
        fam, size = family or st.body, size or st.size
        em = em_mm(size)
        full = (label or "") + text
        lines = wrap(full, fam, size, self.width, indent * em, hang * em)
        pitch = em * st.spacing
        for i, ln in enumerate(lines):
            x_off = (indent if i == 0 else hang) * em
            runs = []
            if i == 0 and label and ln.startswith(label):
                runs.append(self._run(label, label_family or fam, size))
                ln = ln[len(label):]
            runs.append(self._run(ln, fam, size))
            last = i == len(lines) - 1
            if justify and not last:
                natural = sum(r.width() for r in runs)
                avail = self.width - x_off
                n = sum(len(r.text) for r in runs) - 1
                extra = (avail - natural) / max(1, n) / em
                if -0.12 < extra < 0.25:
                    for r in runs:
                        r.tracking = extra
                    # keep spacing continuous across the label/text boundary
                    if len(runs) == 2:
                        runs[0].gap = 0.0
                        runs[1].gap = extra * em
            x0 = self.x0 + x_off

            def draw(x, y, runs=runs, x0=x0):
                return [TextLine(x0, _baseline(y, pitch, size), runs)]
            self.boxes.append(Box(pitch, draw, keep_with_next=keep_lines and not last))

    def fields(self, items: list[tuple[str, str]], columns: list[float] | None = None, form: bool = False,
               size: float | None = None, fill_family: str | None = None) -> None:
        """Label/value pairs on one line, at tab stops given as fractions of the frame width.
        `form` draws values in the fill-in font on underlines, as on a printed form."""
        st = self.style
        size = size or st.size
        cols = columns or [i / len(items) for i in range(len(items))]
        pitch = em_mm(size) * max(1.5, st.spacing)
        fill = fill_family or st.fill
        lines: list[TextLine] = []
        for (label, value), c in zip(items, cols):
            if form:
                runs = [self._run(label, st.body, size)]
                vw = em_mm(size) * max(3.0, len(value) * 0.62 + 1.5)
                runs.append(self._run(value, fill, size, underline=True, min_width=vw, gap=1.0, sep=True))
            else:
                runs = [self._run(label + value, st.body, size)]
            lines.append(TextLine(self.x0 + c * self.width, 0.0, runs))

        def draw(x, y, lines=lines):
            out = []
            for tl in lines:
                out.append(TextLine(tl.x, _baseline(y, pitch, size), tl.runs))
            return out
        self.boxes.append(Box(pitch, draw))

    def field_run(self, label: str, value: str, form: bool, size: float | None = None) -> list[Run]:
        """One label/value field as runs: typed (标签：值) or a printed label with a filled-in blank."""
        st = self.style
        size = size or st.size
        if form:
            vw = em_mm(size) * max(3.0, len(value) * 0.6 + 2.0)
            return [self._run(label, st.body, size),
                    self._run(value, st.fill, size, underline=True, min_width=vw, gap=1.0, sep=True)]
        return [self._run(label + value, st.body, size)]

    def groups(self, groups: list[list[Run]], gap_em: float = 2.0, hang: float = 0.0) -> None:
        """Pack field groups onto lines left to right; a group too long for a line wraps its last
        run (long addresses) with continuation lines indented by `hang` em."""
        if not groups:
            return
        size = max(r.size for g in groups for r in g)
        em = em_mm(size)
        pitch = em * max(1.45, self.style.spacing)
        gap = gap_em * em
        line: list[tuple[float, list[Run]]] = []
        x = 0.0

        def flush():
            nonlocal line, x
            if not line:
                return
            placed = list(line)

            def draw(x0, y, placed=placed):
                return [TextLine(self.x0 + dx, _baseline(y, pitch, size), runs) for dx, runs in placed]
            self.boxes.append(Box(pitch, draw))
            line, x = [], 0.0

        for g in groups:
            w = sum(r.gap + r.width() for r in g)
            if w > self.width:
                flush()
                head = g[:-1]
                last = g[-1]
                head_w = sum(r.gap + r.width() for r in head) + last.gap
                parts = wrap(last.text, last.family, last.size, self.width, head_w, hang * em)
                for i, part in enumerate(parts):
                    r = replace(last, text=part, min_width=0.0)
                    runs = head + [r] if i == 0 else [replace(r, gap=0.0)]
                    self.boxes.append(_line_box(self.x0 + (0 if i == 0 else hang * em), runs, pitch, size))
                continue
            if line and x + gap + w > self.width:
                flush()
            line.append((x + (gap if line else 0.0), g))
            x += (gap if len(line) > 1 else 0.0) + w
        flush()

    def form_line(self, parts: list[tuple[str, bool]], size: float | None = None, fill_family: str | None = None,
                  pitch: float | None = None) -> None:
        """A printed sentence with fill-in blanks: parts are (text, is_filled_value)."""
        st = self.style
        size = size or st.size
        runs = []
        for text, filled in parts:
            if filled:
                w = em_mm(size) * max(1.6, len(text) * 0.6 + 1.0)
                runs.append(self._run(text, fill_family or st.fill, size, underline=True, min_width=w, gap=0.5, sep=True))
            else:
                runs.append(self._run(text, st.body, size, gap=0.5 if runs else 0.0, sep=bool(runs)))
        self.line(runs, pitch=pitch or em_mm(size) * max(1.5, st.spacing))

    def closing(self, organ: str, date_text: str, seal: dict | None, left_text: str | None = None,
                extra_above: float = 10.0) -> None:
        """The organ name and date at the bottom right, with a round seal over them."""
        st = self.style
        size = st.size
        pitch = em_mm(size) * 1.7
        height = extra_above + 2 * pitch + 6
        organ_w = Run(organ, st.body, size).width()
        date_w = Run(date_text, st.body, size).width()
        right_pad = self.rng.uniform(2, 14)
        rng_dx, rng_dy = self.rng.uniform(-12, 6), self.rng.uniform(-6, 6)

        def draw(x, y):
            items: list[Item] = []
            bx = self.x0 + self.width - right_pad
            b1 = y + extra_above + pitch * 0.8
            block_w = max(organ_w, date_w)
            items.append(TextLine(bx - block_w + (block_w - organ_w) / 2, b1, [self._run(organ, st.body, size)]))
            items.append(TextLine(bx - block_w + (block_w - date_w) / 2, b1 + pitch, [self._run(date_text, st.body, size)]))
            if left_text:
                items.append(TextLine(self.x0, b1, [self._run(left_text, st.body, size)]))
            if seal:
                d = seal.get("diameter", 42.0)
                cx = bx - block_w / 2 + rng_dx
                cy = b1 + pitch / 2 - em_mm(size) * 0.3 + rng_dy
                items.append(Mark("seal", cx, cy, d, d, dict(seal)))
            return items
        self.boxes.append(Box(height, draw))

    def signatures(self, entries: list[tuple[str, str | None]], fingerprint_on: set[int] | None = None,
                   align: str = "spread", date_text: str | None = None, hand_date: str | None = None) -> None:
        """Printed labels ("被讯问人：") followed by handwritten names (marks, not truth text)."""
        st = self.style
        size = st.size
        pitch = em_mm(size) * 2.6
        fingerprint_on = fingerprint_on or set()
        n = len(entries)

        def draw(x, y):
            items: list[Item] = []
            b = y + pitch * 0.65
            for i, (label, name) in enumerate(entries):
                if align == "right":
                    lx = self.x0 + self.width * 0.52
                else:
                    lx = self.x0 + (self.width / n) * i
                run = self._run(label, st.body, size)
                items.append(TextLine(lx, b, [run]))
                nx = lx + run.width() + 2
                if name:
                    items.append(hand_mark(self.rng, name, nx, b, size))
                    if i in fingerprint_on:
                        items.append(finger_mark(self.rng, nx + len(name) * em_mm(size) * 0.7, b - em_mm(size) * 0.4))
                    if hand_date and align == "right":
                        items.append(hand_mark(self.rng, hand_date, nx + len(name) * em_mm(size) * 1.3 + 4, b, size * 0.8))
            if date_text:
                items.append(TextLine(self.x0 + self.width * 0.55, b + pitch * 0.7, [self._run(date_text, st.body, size)]))
            return items
        self.boxes.append(Box(pitch + (pitch * 0.7 if date_text else 0), draw))

    def table(self, widths: list[float], rows: list[list["Cell"]], size: float | None = None,
              family: str | None = None, header_rows: int = 0, pad: float = 1.6, border: float = 0.35,
              outer: float = 0.6, line_pitch: float = 1.35) -> None:
        """A bordered table; widths are fractions of the frame width. Rows are unbreakable boxes;
        header rows repeat at the top of continuation pages."""
        st = self.style
        size = size or st.table_size
        fam = family or st.table
        em = em_mm(size)
        pitch = em * line_pitch
        total = sum(widths)
        cols = [w / total * self.width for w in widths]
        xs = [self.x0]
        for c in cols:
            xs.append(xs[-1] + c)

        def make_row(cells: list[Cell], next_cells: list[Cell] | None) -> Box:
            spans = []
            col = 0
            for cell in cells:
                spans.append((col, col + cell.span))
                col += cell.span
            laid = []
            n_lines = 1
            for cell, (a, b) in zip(cells, spans):
                w = xs[b] - xs[a] - 2 * pad
                cf = cell.family or fam
                lines = [ln for part in cell.text.split("\n") for ln in wrap(part, cf, cell.size or size, w)] \
                    if cell.text else [""]
                laid.append(lines)
                n_lines = max(n_lines, len(lines), cell.lines)
            height = max(n_lines * pitch + 2 * pad, max((c.height for c in cells), default=0))

            def draw(x, y, cells=cells, spans=spans, laid=laid, height=height):
                items: list[Item] = []
                top_pad = (height - n_lines * pitch) / 2 if n_lines * pitch + 2 * pad < height else pad
                multi = [i for i, ls in enumerate(laid) if len(ls) > 1]
                ref_baselines = []
                if multi:
                    ls = laid[multi[0]]
                    ref_baselines = [y + pad + k * pitch + _baseline(0, pitch, size) for k in range(len(ls))]
                for cell, (a, b), lines in zip(cells, spans, laid):
                    cs = cell.size or size
                    cf = cell.family or fam
                    x0, x1 = xs[a], xs[b]
                    if cell.fill:
                        items.append(Rect(x0, y, x1, y + height, 0, cell.fill, cell.fill))
                    block = len(lines) * pitch
                    if cell.valign == "top" or len(lines) > 1:
                        by = y + (pad if len(lines) > 1 else top_pad)
                    else:
                        by = y + (height - block) / 2
                    for k, ln in enumerate(lines):
                        if not ln:
                            continue
                        base = by + k * pitch + _baseline(0, pitch, cs)
                        if ref_baselines and len(lines) == 1:  # keep single labels on a value line
                            base = min(ref_baselines, key=lambda r: abs(r - base))
                        run = Run(ln, cf, cs, color=st.ink)
                        w = run.width()
                        tx = {"left": x0 + pad, "center": (x0 + x1 - w) / 2, "right": x1 - pad - w}[cell.align]
                        items.append(TextLine(tx, base, [run], cell=(round(y, 3), a)))
                    if cell.hand:  # a handwritten name/date in the lower right of the cell
                        items.append(hand_mark(random.Random(len(cell.hand) * 7919 + int(y * 10)), cell.hand,
                                               x1 - pad - em_mm(cs) * (len(cell.hand) * 1.1 + 1),
                                               y + height - pad - em_mm(cs) * 0.4, cs))
                for xi in sorted({a for a, _ in spans} | {spans[-1][1]}):
                    wdt = outer if xi in (0, len(cols)) else border
                    items.append(Rule(xs[xi], y, xs[xi], y + height, wdt, st.ink))
                # Horizontal borders per cell; a cell merged into the one above has no top border.
                below = _col_cont(next_cells) if next_cells else set()
                for cell, (a, b) in zip(cells, spans):
                    if not cell.cont:
                        items.append(Rule(xs[a], y, xs[b], y, border, st.ink))
                    if a not in below:
                        items.append(Rule(xs[a], y + height, xs[b], y + height, border, st.ink))
                return items
            return Box(height, draw)

        def nxt(i: int) -> list[Cell] | None:
            return rows[i + 1] if i + 1 < len(rows) else None

        head = None
        if header_rows:
            hb = [make_row(r, nxt(i)) for i, r in enumerate(rows[:header_rows])]
            hh = sum(b.height for b in hb)

            def draw_head(x, y, hb=hb):
                out, yy = [], y
                for b in hb:
                    out += b.draw(x, yy)
                    yy += b.height
                return out
            head = Box(hh, draw_head)
            self.boxes.append(head)
        for i, r in enumerate(rows[header_rows:], header_rows):
            box = make_row(r, nxt(i))
            box.header = head
            self.boxes.append(box)

    def custom(self, height: float, draw: Callable[[float, float], list[Item]], keep_with_next: bool = False) -> None:
        self.boxes.append(Box(height, draw, keep_with_next=keep_with_next))

    # ---- output
    def paginate(self):
        return paginate(self.boxes, self.style.frame())

    def build(self, decorate: Callable[[int, int, list[Item]], None] | None = None) -> list[LayoutPage]:
        st = self.style
        frame = st.frame()
        flow = paginate(self.boxes, frame)
        m = len(flow)
        pages = []
        for n, placed in enumerate(flow, 1):
            items: list[Item] = []
            for box, y in placed:
                items += box.draw(frame.left, y)
            printed = None
            if st.numbering:
                items.append(number_line(st, n, m))
                printed = n
            if decorate:
                decorate(n, m, items)
            pages.append(LayoutPage(st.page[0], st.page[1], items, printed, self.rng.getrandbits(31)))
        return pages


@dataclass
class Cell:
    text: str = ""
    span: int = 1
    align: str = "left"
    valign: str = "middle"
    family: str | None = None
    size: float | None = None
    lines: int = 1  # minimum number of text lines (empty space for tall boxes)
    height: float = 0.0
    fill: tuple[int, int, int] | None = None
    cont: bool = False  # continues the cell above (merged vertically): no top border, no text
    hand: str | None = None  # handwriting in the cell (approvals: a name and a date)


def _col_cont(cells: list["Cell"]) -> set[int]:
    """Start columns of the cells in a row that continue the cell above them."""
    out, col = set(), 0
    for c in cells:
        if c.cont:
            out.add(col)
        col += c.span
    return out


def _line_box(x: float, runs: list[Run], pitch: float, size: float) -> Box:
    return Box(pitch, lambda x0, y: [TextLine(x, _baseline(y, pitch, size), runs)])


def _baseline(y_top: float, pitch: float, size: float) -> float:
    em = em_mm(size)
    return y_top + (pitch - em) / 2 + em * 0.86


def number_line(st: Style, n: int, m: int) -> TextLine:
    nb = st.numbering
    assert nb is not None
    run = Run(nb.label(n, m), nb.family, nb.size, color=st.ink)
    w = run.width()
    pw, ph = st.page
    footer = nb.where.startswith("footer")
    y = ph - st.bottom * 0.55 if footer else st.top * 0.55
    side = nb.where.split("_")[1]
    x = {"center": (pw - w) / 2, "right": pw - st.right - w, "left": st.left}[side]
    return TextLine(x, y, [run])


def hand_mark(rng: random.Random, text: str, x: float, baseline: float, size_pt: float) -> Mark:
    """A handwritten name or date; drawn by the renderer with jitter, excluded from truth."""
    em = em_mm(size_pt) * rng.uniform(1.0, 1.45)
    w = em * len(text) * 0.9
    return Mark("signature", x + w / 2, baseline - em * 0.35, w, em * 1.3,
                {"text": text, "em": em, "ink": rng.choice(((20, 30, 95), (15, 15, 20), (30, 30, 60), (10, 20, 70))),
                 "angle": rng.uniform(-6, 4)})


def finger_mark(rng: random.Random, x: float, y: float) -> Mark:
    return Mark("fingerprint", x + rng.uniform(-2, 2), y + rng.uniform(-2, 2), rng.uniform(11, 15), rng.uniform(14, 19),
                {"angle": rng.uniform(-30, 30), "strength": rng.uniform(0.75, 1.0)})


def seal(organ: str, center: str = "", diameter: float = 42.0, **extra) -> dict:
    return {"text": organ, "center": center, "diameter": diameter, **extra}


def style_copy(st: Style, **kw) -> Style:
    return replace(st, **kw)


# ------------------------------------------------------------------------------- hard split


def vary_first_page(page: LayoutPage, organ: str, rng: random.Random, hard) -> None:
    """Unusual first-page layouts of the hard split (`hard`: a `context.HardOptions`), in place:
    the organ header left off, the title left-aligned or in a small font, a seal stamped over
    the title. The truth text follows, since it is read from the items."""
    items = page.items
    header = [it for it in items if isinstance(it, TextLine) and it.role == "header"]
    if header and rng.random() < hard.no_header:
        hb = header[0].baseline
        items[:] = [it for it in items if all(it is not h for h in header) and not (
            isinstance(it, Rule) and it.color == PRINT_RED and 0 <= it.y0 - hb < 15)]
    title = next((it for it in items if isinstance(it, TextLine) and it.role == "title"), None)
    if title is None:
        return
    centre = title.x + title.width() / 2
    if rng.random() < hard.title_small:
        scale = rng.uniform(0.55, 0.75)
        title.runs = [replace(r, size=max(10.0, r.size * scale), tracking=min(r.tracking, 0.3)) for r in title.runs]
        title.x = centre - title.width() / 2
    if rng.random() < hard.title_left:
        lines = [it.x for it in items if isinstance(it, TextLine) and it is not title]
        title.x = min(lines) if lines else 25.0
        centre = title.x + title.width() / 2
    if rng.random() < hard.title_seal:
        d = rng.uniform(36, 44)
        em = em_mm(title.size)
        items.append(Mark("seal", centre + rng.uniform(-0.3, 0.3) * title.width(), title.baseline - em * 0.4 + rng.uniform(-6, 6),
                          d, d, seal(organ, rng.choice(("", "", "专用章")))))

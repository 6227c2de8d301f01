"""Page drawing: lay abstract blocks out on A4 sheets and draw them with Pillow.

A document is a list of blocks (text, filled-in fields, bordered tables, seals, signatures).
Layout turns blocks into rows, rows into pages; every page remembers the lines it prints, which is
the truth text (what a perfect OCR reads). Seals, signatures and fingerprints are drawn but never
enter the text: they are not print.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

import numpy as np
from PIL import Image, ImageDraw, ImageFont

INK = (20, 20, 22)
RED = (205, 32, 36)
BLUE_INK = (28, 40, 110)

_FONTS: dict[str, tuple[str, int]] = {
    "ming": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),  # 明体/宋体
    "kai": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),  # 楷体, also our 仿宋 stand-in
    "hei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),  # 黑体
    "serif": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    "serif_bold": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2),
    "sans": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    "sans_bold": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
}
NO_LINE_START = set("，。、；：！？）》」』”’%")


@lru_cache(maxsize=128)
def font(name: str, px: int) -> ImageFont.FreeTypeFont:
    path, index = _FONTS[name]
    return ImageFont.truetype(path, px, index=index)


@lru_cache(maxsize=200_000)
def _char_w(name: str, px: int, ch: str) -> float:
    return font(name, px).getlength(ch)


@dataclass(frozen=True)
class Style:
    """Typography of one case's paperwork (different offices print with different templates)."""

    title: str = "hei"
    body: str = "ming"
    fill: str = "kai"  # filled-in blanks
    body_px: int = 40  # at 200 dpi; 40 px ~ 小四 (12 pt = 33 px) .. 四号
    line_gap: float = 1.6  # line pitch in body sizes
    margin: tuple[int, int, int, int] = (200, 190, 170, 180)  # left, top, right, bottom at 200 dpi


# ---- blocks ---------------------------------------------------------------------------------


@dataclass
class Text:
    text: str
    role: str = "body"  # body | title | fill
    size: float = 1.0  # relative to the body size
    align: str = "left"  # left | center | right
    indent: float = 0  # first-line indent, in characters
    hang: float = 0  # indent of continuation lines, in characters
    color: tuple[int, int, int] = INK
    tracking: float = 0.0  # extra space between characters, in ems (wide-set titles)
    before: float = 0.0  # space before / after, in body lines
    after: float = 0.0
    underline: bool = False


@dataclass
class Fields:
    """One line of printed labels each followed by a filled-in value: 姓名：张三  性别：男."""

    parts: list[tuple[str, str]]
    underline: bool = True


@dataclass
class Cell:
    text: str
    fill: bool = False  # written into the form rather than printed
    span: int = 1
    align: str = "left"


@dataclass
class Table:
    rows: list[list[Cell | str]]
    widths: list[float]  # fractions of the text width
    size: float = 0.9
    min_lines: list[int] = field(default_factory=list)  # tall rows (e.g. 简要案情)


@dataclass
class Gap:
    lines: float = 1.0


@dataclass
class Rule:
    color: tuple[int, int, int] = RED
    double: bool = False


@dataclass
class Seal:
    """Red round seal over the preceding line (公章: organ name on the arc, star in the middle)."""

    text: str
    below: str = ""
    dx: float = 0.0  # offset from the default place, in body sizes


@dataclass
class Signature:
    """Handwritten signature (strokes only) after an optional printed label; maybe a fingerprint."""

    label: str = ""
    print_mark: bool = False
    align: str = "left"


@dataclass
class Break:
    pass


Block = Text | Fields | Table | Gap | Rule | Seal | Signature | Break


@dataclass
class Furniture:
    """What every page of a document carries besides its blocks."""

    footer: Callable[[int, int], str] | None = None  # (page, of) -> "第1页 共3页"
    footer_align: str = "center"
    page_sign: str | None = None  # printed at the foot of every page of a 笔录, e.g. "被询问人："
    header: str | None = None  # small running header on pages after the first (e.g. "（副本）")


# ---- layout ---------------------------------------------------------------------------------


@dataclass
class _Row:
    height: int
    draw: Callable[[ImageDraw.ImageDraw, Image.Image, int], None]
    lines: list[str]
    brk: bool = False
    seal: Seal | None = None


@dataclass
class Page:
    rows: list[tuple[int, _Row]]
    seals: list[tuple[int, Seal]]
    text: str
    number: int
    of: int


class Layout:
    def __init__(self, style: Style, width: int, height: int, dpi: int, rng: random.Random):
        self.s, self.w, self.h, self.rng = style, width, height, rng
        self.k = dpi / 200.0  # everything is designed at 200 dpi
        l, t, r, b = style.margin
        self.left, self.top = int(l * self.k), int(t * self.k)
        self.right, self.bottom = width - int(r * self.k), height - int(b * self.k)
        self.px = int(style.body_px * self.k)
        self.pitch = int(self.px * style.line_gap)

    # -- text helpers
    def wrap(self, text: str, fname: str, px: int, width: float, first: float, rest: float,
             tracking: float = 0.0) -> list[tuple[float, str]]:
        lines: list[tuple[float, str]] = []
        cur, x0, w = "", first, 0.0
        extra = tracking * px
        for ch in text:
            cw = _char_w(fname, px, ch) + extra
            if cur and x0 + w + cw > width and ch not in NO_LINE_START:
                lines.append((x0, cur))
                cur, x0, w = "", rest, 0.0
            cur += ch
            w += cw
        if cur or not lines:
            lines.append((x0, cur))
        return lines

    def _draw_str(self, d: ImageDraw.ImageDraw, x: float, y: int, s: str, fname: str, px: int,
                  color: tuple[int, int, int], tracking: float) -> None:
        f = font(fname, px)
        if not tracking:
            d.text((x, y), s, font=f, fill=color, anchor="ls")
            return
        for ch in s:
            d.text((x, y), ch, font=f, fill=color, anchor="ls")
            x += _char_w(fname, px, ch) + tracking * px

    def _width(self, s: str, fname: str, px: int, tracking: float = 0.0) -> float:
        return sum(_char_w(fname, px, c) for c in s) + tracking * px * max(len(s) - 1, 0)

    # -- blocks to rows
    def rows(self, blocks: list[Block]) -> list[_Row]:
        out: list[_Row] = []
        for b in blocks:
            if isinstance(b, Text):
                out += self._text(b)
            elif isinstance(b, Fields):
                out += self._fields_rows(b)
            elif isinstance(b, Table):
                out += self._table(b)
            elif isinstance(b, Gap):
                out.append(_Row(int(self.pitch * b.lines), lambda d, im, y: None, []))
            elif isinstance(b, Rule):
                out.append(self._rule(b))
            elif isinstance(b, Seal):
                out.append(_Row(0, lambda d, im, y: None, [], seal=b))
            elif isinstance(b, Signature):
                out.append(self._signature(b))
            elif isinstance(b, Break):
                out.append(_Row(0, lambda d, im, y: None, [], brk=True))
        return out

    def _text(self, b: Text) -> list[_Row]:
        fname = {"title": self.s.title, "fill": self.s.fill}.get(b.role, self.s.body)
        px = int(self.px * b.size)
        width = self.right - self.left
        lines = self.wrap(b.text, fname, px, width, b.indent * px, b.hang * px, b.tracking)
        pitch = max(int(px * self.s.line_gap), int(px * 1.25))
        rows: list[_Row] = []
        for i, (x0, s) in enumerate(lines):
            lw = self._width(s, fname, px, b.tracking)
            x = self.left + x0
            if b.align == "center":
                x = self.left + (width - lw) / 2
            elif b.align == "right":
                x = self.right - lw
            h = pitch + (int(self.pitch * b.before) if i == 0 else 0)
            h += int(self.pitch * b.after) if i == len(lines) - 1 else 0
            top_pad = int(self.pitch * b.before) if i == 0 else 0

            def draw(d, im, y, x=x, s=s, lw=lw, top_pad=top_pad):
                base = y + top_pad + int(px * 1.05)
                self._draw_str(d, x, base, s, fname, px, b.color, b.tracking)
                if b.underline:
                    d.line((x, base + px // 6, x + lw, base + px // 6), fill=b.color, width=max(2, px // 14))

            rows.append(_Row(h, draw, [s] if s.strip() else []))
        return rows

    def _part_w(self, label: str, value: str) -> float:
        fpx = int(self.px * 1.05) if self.s.fill != self.s.body else self.px
        return self._width(label, self.s.body, self.px) + self._width(value, self.s.fill, fpx) + self.px * 1.1

    def _fields_rows(self, b: Fields) -> list[_Row]:
        """A line of fields that does not fit is broken between fields (forms do the same)."""
        width = self.right - self.left
        groups: list[list[tuple[str, str]]] = [[]]
        used = 0.0
        for part in b.parts:
            pw = self._part_w(*part)
            if groups[-1] and used + pw > width:
                groups.append([])
                used = 0.0
            groups[-1].append(part)
            used += pw
        rows: list[_Row] = []
        for g in groups:
            if len(g) == 1 and self._part_w(*g[0]) > width:  # one long value: let it wrap as prose
                rows += self._text(Text(g[0][0] + g[0][1], hang=len(g[0][0]) * 0.9))
            else:
                rows.append(self._fields(Fields(g, b.underline)))
        return rows

    def _fields(self, b: Fields) -> _Row:
        px = self.px
        segs: list[tuple[str, str]] = []
        for label, value in b.parts:
            segs += [(label, self.s.body), (value, self.s.fill)]
        text = "".join(s for s, _ in segs)
        fpx = int(px * 1.05)  # handwriting-ish values are a touch larger

        def draw(d, im, y):
            x, base = float(self.left), y + int(px * 1.05)
            for s, fname in segs:
                size = fpx if fname == self.s.fill and fname != self.s.body else px
                w = self._width(s, fname, size)
                if fname == self.s.fill and s:
                    ink = INK if self.rng.random() < 0.6 else BLUE_INK
                    d.text((x + px * 0.2, base), s, font=font(fname, size), fill=ink, anchor="ls")
                    if b.underline:
                        d.line((x, base + 6, x + w + px * 0.6, base + 6), fill=INK, width=2)
                    x += w + px * 0.9
                else:
                    d.text((x, base), s, font=font(fname, size), fill=INK, anchor="ls")
                    x += w

        return _Row(self.pitch, draw, [text] if text.strip() else [])

    def _table(self, t: Table) -> list[_Row]:
        px = int(self.px * t.size)
        total = self.right - self.left
        xs = [self.left + int(total * sum(t.widths[:i])) for i in range(len(t.widths) + 1)]
        xs[-1] = self.right
        pitch = int(px * 1.45)
        pad = int(px * 0.45)
        rows: list[_Row] = []
        for r, raw in enumerate(t.rows):
            cells = [c if isinstance(c, Cell) else Cell(c) for c in raw]
            placed: list[tuple[int, int, Cell, list[tuple[float, str]]]] = []
            col = 0
            for c in cells:
                x0, x1 = xs[col], xs[min(col + c.span, len(xs) - 1)]
                fname = self.s.fill if c.fill else self.s.body
                placed.append((x0, x1, c, self.wrap(c.text, fname, px, x1 - x0 - 2 * pad, 0, 0)))
                col += c.span
            n = max([len(p[3]) for p in placed] + [t.min_lines[r] if r < len(t.min_lines) else 1])
            h = n * pitch + pad

            def draw(d, im, y, placed=placed, h=h):
                for x0, x1, c, lines in placed:
                    d.rectangle((x0, y, x1, y + h), outline=INK, width=2)
                    fname = self.s.fill if c.fill else self.s.body
                    for i, (_, s) in enumerate(lines):
                        lw = self._width(s, fname, px)
                        x = x0 + pad if c.align == "left" else x0 + (x1 - x0 - lw) / 2
                        d.text((x, y + pad // 2 + i * pitch + int(px * 1.1)), s, font=font(fname, px),
                               fill=BLUE_INK if c.fill and self.rng.random() < 0.3 else INK, anchor="ls")

            text = " ".join(c.text for c in cells if c.text.strip())
            rows.append(_Row(h, draw, [text] if text else []))
        return rows

    def _rule(self, b: Rule) -> _Row:
        def draw(d, im, y):
            mid = y + self.pitch // 3
            d.line((self.left, mid, self.right, mid), fill=b.color, width=int(5 * self.k))
            if b.double:
                d.line((self.left, mid + int(10 * self.k), self.right, mid + int(10 * self.k)),
                       fill=b.color, width=int(2 * self.k))

        return _Row(int(self.pitch * 0.8), draw, [])

    def _signature(self, b: Signature) -> _Row:
        px = self.px

        def draw(d, im, y):
            base = y + int(px * 1.05)
            lw = self._width(b.label, self.s.body, px)
            x = self.left if b.align == "left" else self.right - lw - px * 5
            if b.label:
                d.text((x, base), b.label, font=font(self.s.body, px), fill=INK, anchor="ls")
            scribble(d, self.rng, x + lw + px * 0.3, base - px, px * 3.5, px * 1.1)
            if b.print_mark:
                fingerprint(im, self.rng, int(x + lw + px * 3.0), base - px // 2, px)

        return _Row(int(self.pitch * 1.3), draw, [b.label] if b.label.strip() else [])

    # -- rows to pages
    def paginate(self, blocks: list[Block], furn: Furniture) -> list[Page]:
        rows = self.rows(blocks)
        reserve = (self.pitch if furn.footer else 0) + (int(self.pitch * 1.6) if furn.page_sign else 0)
        limit = self.bottom - reserve
        pages: list[list[tuple[int, _Row]]] = [[]]
        seals: list[list[tuple[int, Seal]]] = [[]]
        y = self.top
        for row in rows:
            if row.seal is not None:
                seals[-1].append((y, row.seal))
                continue
            if row.brk or (y + row.height > limit and pages[-1]):
                if row.brk and not pages[-1]:
                    continue
                pages.append([])
                seals.append([])
                y = self.top + (self.pitch if furn.header else 0)
                if row.brk:
                    continue
            pages[-1].append((y, row))
            y += row.height
        n = len(pages)
        out = []
        for i, (pr, ps) in enumerate(zip(pages, seals), start=1):
            lines = [s for _, r in pr for s in r.lines]
            if furn.header and i > 1:
                lines.insert(0, furn.header)
            if furn.page_sign:
                lines.append(furn.page_sign)
            if furn.footer:
                lines.append(furn.footer(i, n))
            out.append(Page(pr, ps, "\n".join(lines), i, n))
        return out

    def draw(self, page: Page, furn: Furniture, colour_seal: bool = True) -> Image.Image:
        im = Image.new("RGB", (self.w, self.h), (255, 255, 255))
        d = ImageDraw.Draw(im)
        for y, row in page.rows:
            row.draw(d, im, y)
        px = self.px
        if furn.header and page.number > 1:
            d.text((self.right, self.top - px // 2), furn.header, font=font(self.s.body, int(px * 0.8)),
                   fill=INK, anchor="rs")
        if furn.page_sign:
            base = self.bottom - (self.pitch if furn.footer else 0) - px // 2
            lw = self._width(furn.page_sign, self.s.body, px)
            x = self.right - lw - px * 5
            d.text((x, base), furn.page_sign, font=font(self.s.body, px), fill=INK, anchor="ls")
            scribble(d, self.rng, x + lw + px * 0.3, base - px, px * 3.2, px)
            if self.rng.random() < 0.7:
                fingerprint(im, self.rng, int(x + lw + px * 3.6), base - px // 2, px)
        if furn.footer:
            s = furn.footer(page.number, page.of)
            fx = {"center": (self.left + self.right) / 2, "right": self.right, "left": self.left}
            anchor = {"center": "ms", "right": "rs", "left": "ls"}[furn.footer_align]
            d.text((fx[furn.footer_align], self.bottom + px // 2), s, font=font(self.s.body, int(px * 0.85)),
                   fill=INK, anchor=anchor)
        for y, seal in page.seals:
            cx = int(self.right - px * 5.5 + seal.dx * px + self.rng.uniform(-px, px))
            cy = int(y - px * 1.0 + self.rng.uniform(-px * 0.6, px * 0.6))
            stamp(im, self.rng, cx, cy, int(px * 4.2), seal.text, seal.below, self.s.body,
                  RED if colour_seal else (90, 90, 90))
        return im


# ---- marks that are not print ---------------------------------------------------------------


def scribble(d: ImageDraw.ImageDraw, rng: random.Random, x: float, y: float, w: float, h: float,
             color: tuple[int, int, int] | None = None) -> None:
    """A cursive-looking signature: a few connected loops."""
    color = color or (BLUE_INK if rng.random() < 0.5 else INK)
    pts = []
    n = rng.randint(14, 28)
    for i in range(n):
        t = i / (n - 1)
        pts.append((x + t * w + rng.uniform(-w * 0.04, w * 0.04),
                    y + h * (0.5 + 0.45 * math.sin(t * rng.uniform(8, 16) + rng.random())) + rng.uniform(-h * .1, h * .1)))
    d.line(pts, fill=color, width=rng.randint(2, 4), joint="curve")


def fingerprint(im: Image.Image, rng: random.Random, cx: int, cy: int, px: int) -> None:
    """A red 捺印: concentric ridges in an oval, multiplied onto the page."""
    r = int(px * rng.uniform(0.45, 0.6))
    mask = Image.new("L", (2 * r + 2, 2 * r + 2), 0)
    md = ImageDraw.Draw(mask)
    for k in range(r, 2, -5):
        md.ellipse((r - k * 0.75, r - k, r + k * 0.75, r + k), outline=int(rng.uniform(120, 220)), width=2)
    _multiply(im, mask, (cx - r, cy - r), (200, 40, 50))


def stamp(im: Image.Image, rng: random.Random, cx: int, cy: int, r: int, text: str, below: str,
          fname: str, color: tuple[int, int, int]) -> None:
    """Round official seal: ring, organ name on the upper arc, a five-pointed star, optional line below."""
    size = 2 * r + 4
    mask = Image.new("L", (size, size), 0)
    md = ImageDraw.Draw(mask)
    c = size / 2
    md.ellipse((c - r, c - r, c + r, c + r), outline=255, width=max(4, r // 22))
    star = [(c + r * 0.28 * math.cos(math.radians(-90 + 36 * i)) * (1 if i % 2 == 0 else 0.4),
             c + r * 0.28 * math.sin(math.radians(-90 + 36 * i)) * (1 if i % 2 == 0 else 0.4)) for i in range(10)]
    md.polygon(star, fill=255)
    n = len(text)
    fpx = int(r * 0.26)
    f = font("hei" if rng.random() < 0.5 else "sans", fpx)
    span = min(250.0, 18.0 * n + 40)
    for i, ch in enumerate(text):
        a = math.radians(-90 - span / 2 + span * (i + 0.5) / n)
        glyph = Image.new("L", (fpx * 2, fpx * 2), 0)
        ImageDraw.Draw(glyph).text((fpx, fpx), ch, font=f, fill=255, anchor="mm")
        glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.BILINEAR)
        gx, gy = c + (r * 0.74) * math.cos(a), c + (r * 0.74) * math.sin(a)
        mask.paste(255, (int(gx - fpx), int(gy - fpx)), glyph)
    if below:
        md.text((c, c + r * 0.55), below, font=font(fname, int(r * 0.18)), fill=255, anchor="mm")
    # uneven ink: seals never print evenly
    arr = np.asarray(mask, dtype=np.float32)
    noise = np.random.default_rng(rng.randrange(1 << 30)).uniform(0.55, 1.0, arr.shape).astype(np.float32)
    arr = arr * noise * rng.uniform(0.7, 0.95)
    mask = Image.fromarray(arr.astype(np.uint8)).rotate(rng.uniform(-25, 25), resample=Image.BILINEAR)
    _multiply(im, mask, (cx - size // 2, cy - size // 2), color)


def _multiply(im: Image.Image, mask: Image.Image, at: tuple[int, int], color: tuple[int, int, int]) -> None:
    """Ink over print: darken, never cover (a stamp leaves the text under it readable)."""
    x, y = at
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + mask.width, im.width), min(y + mask.height, im.height)
    if x1 <= x0 or y1 <= y0:
        return
    a = np.asarray(mask, dtype=np.float32)[y0 - y:y1 - y, x0 - x:x1 - x, None] / 255.0
    region = np.asarray(im.crop((x0, y0, x1, y1)), dtype=np.float32)
    tint = np.array(color, dtype=np.float32) / 255.0
    out = region * (1 - a * (1 - tint))
    im.paste(Image.fromarray(out.clip(0, 255).astype(np.uint8)), (x0, y0))

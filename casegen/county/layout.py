"""Page description and rendering: a page is a list of drawing items placed in millimetres, plus
the page's truth text (printed and handwritten words in reading order, one entry a line).

`Flow` lays text out top to bottom and starts new pages by itself; the document builders in
`documents.py` use it for both fixed forms (one page) and running records (many pages)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

_ARPHIC = "/usr/share/fonts/truetype/arphic/"
_NOTO = "/usr/share/fonts/opentype/noto/"
FONTS = {
    # printed faces: a Ming (Song-like) face for forms, a bold serif / a sharp black face for titles
    "ming": (_ARPHIC + "uming.ttc", 0),
    "serif_bold": (_NOTO + "NotoSerifCJK-Bold.ttc", 2),
    "hei_sharp": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 2),
    "serif": (_NOTO + "NotoSerifCJK-Regular.ttc", 2),
    # handwriting: a Kai face, filled in by hand on pre-printed forms and in hand-written records
    "kai": (_ARPHIC + "ukai.ttc", 0),
}


@lru_cache(maxsize=256)
def font(name: str, px: int) -> ImageFont.FreeTypeFont:
    path, index = FONTS[name]
    return ImageFont.truetype(path, max(6, px), index=index)


@lru_cache(maxsize=65536)
def char_width(name: str, ch: str) -> float:
    """Advance of one character as a fraction of the font size (measured at 100 px)."""
    return font(name, 100).getlength(ch) / 100.0


def text_width_mm(name: str, size_mm: float, s: str) -> float:
    return sum(char_width(name, c) for c in s) * size_mm


PT_MM = 25.4 / 72.0  # one point in millimetres


@dataclass
class Run:
    """Text to draw: left-bottom-ish anchored at (x, y) top, in mm."""

    x: float
    y: float
    text: str
    face: str
    size: float  # mm (em height)
    hand: bool = False


@dataclass
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.25  # mm
    dashed: bool = False


@dataclass
class Seal:
    """A round official seal (公章) over the signature block; not part of the text."""

    x: float
    y: float
    r: float
    label: str


@dataclass
class Print:
    """A fingerprint (捺指印) next to a signature; not part of the text."""

    x: float
    y: float


@dataclass
class Box:
    """A filled rectangle (a photograph, a shaded area of a sketch); not part of the text."""

    x: float
    y: float
    w: float
    h: float
    shade: int = 150
    outline: bool = True


@dataclass
class PageSpec:
    width: float = 210.0
    height: float = 297.0
    runs: list[Run] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    seals: list[Seal] = field(default_factory=list)
    prints: list[Print] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # truth text, reading order
    printed_page: int | None = None
    lined_paper: float | None = None  # ruled record paper: line pitch in mm

    @property
    def text(self) -> str:
        return "\n".join(line for line in self.lines if line.strip())


# ---------------------------------------------------------------------------------------------
# flow layout


@dataclass
class Style:
    width: float = 210.0
    height: float = 297.0
    left: float = 25.0
    right: float = 22.0
    top: float = 25.0
    bottom: float = 28.0
    face: str = "ming"  # body print face
    title_face: str = "serif_bold"
    size: float = 4.6  # body em in mm (~13 pt)
    leading: float = 1.75  # line pitch as multiple of size
    hand_face: str = "kai"
    handwritten: bool = False  # the whole body is handwritten (a hand-written record)
    lined: bool = False  # draw ruled lines under each text line
    fill_hand: bool = True  # blanks filled in by hand (False: typed by the case system)


Seg = tuple[str, bool]  # (text, handwritten?)


class Flow:
    """Top-to-bottom layout with automatic page breaks.

    ``on_new_page(flow)`` is called after a page break (continuation headers); ``reserve`` mm
    at the bottom of every page stay free for the per-page footer the builder adds later."""

    def __init__(self, style: Style, rng: random.Random, reserve: float = 0.0, on_new_page=None):
        self.s = style
        self.rng = rng
        self.reserve = reserve
        self.on_new_page = on_new_page
        self.pages: list[PageSpec] = []
        self.new_page(initial=True)

    # -- pages --------------------------------------------------------------------------------
    def new_page(self, initial: bool = False) -> None:
        s = self.s
        page = PageSpec(s.width, s.height, lined_paper=s.size * s.leading if s.lined else None)
        self.pages.append(page)
        self.y = s.top
        if not initial and self.on_new_page:
            self.on_new_page(self)

    @property
    def page(self) -> PageSpec:
        return self.pages[-1]

    @property
    def bottom(self) -> float:
        return self.s.height - self.s.bottom - self.reserve

    def need(self, h: float) -> None:
        if self.y + h > self.bottom:
            self.new_page()

    def gap(self, mm: float) -> None:
        self.y += mm

    # -- text ---------------------------------------------------------------------------------
    def _face(self, hand) -> str:
        """hand: False printed, True a filled-in blank (by hand or typed, per style), 2 a signature."""
        if self.s.handwritten or hand == 2 or (hand and self.s.fill_hand):
            return self.s.hand_face
        return self.s.face

    def title(self, text: str, size: float | None = None, face: str | None = None, after: float = 4.0) -> None:
        size = size or self.s.size * 1.75
        face = face or (self.s.hand_face if self.s.handwritten and self.rng.random() < 0.3 else self.s.title_face)
        self.need(size * 1.6)
        w = text_width_mm(face, size, text)
        x = (self.s.width - w) / 2
        self.page.runs.append(Run(x, self.y, text, face, size))
        self.page.lines.append(text)
        self.y += size * 1.3 + after

    def centered(self, segs: list[Seg], size: float | None = None) -> None:
        size = size or self.s.size
        w = sum(text_width_mm(self._face(h), size, t) for t, h in segs)
        self._place_line(segs, (self.s.width - w) / 2, size)

    def right(self, segs: list[Seg], size: float | None = None, margin: float = 0.0) -> None:
        size = size or self.s.size
        w = sum(text_width_mm(self._face(h), size, t) for t, h in segs)
        self._place_line(segs, self.s.width - self.s.right - margin - w, size)

    def _place_line(self, segs: list[Seg], x: float, size: float, underline_hand: bool = False) -> None:
        self.need(size * self.s.leading)
        for t, h in segs:
            face = self._face(h)
            h = face == self.s.hand_face
            if h:
                jitter = self.rng.uniform(-0.4, 0.4)
                self.page.runs.append(Run(x, self.y + jitter, t, face, size * self.rng.uniform(0.95, 1.08), hand=True))
            else:
                self.page.runs.append(Run(x, self.y, t, face, size))
            w = text_width_mm(face, size, t)
            if h and underline_hand:
                self.page.rules.append(Rule(x - 0.5, self.y + size * 1.15, x + w + 0.5, self.y + size * 1.15, 0.2))
            x += w
        self.page.lines.append("".join(t for t, _ in segs))
        self.y += size * self.s.leading

    def para(self, segs: list[Seg] | str, indent: float = 0.0, first: float | None = None,
             size: float | None = None, underline_hand: bool = True) -> None:
        """A wrapped paragraph; ``first`` is the first-line indent in ems (default: ``indent``)."""
        if isinstance(segs, str):
            segs = [(segs, False)]
        size = size or self.s.size
        left = self.s.left + indent * size
        first_x = self.s.left + (indent if first is None else first) * size
        lines: list[list[Seg]] = [[]]
        x = first_x
        limit = self.s.width - self.s.right
        for text, hand in segs:
            face = self._face(hand)
            buf = ""
            for ch in text:
                w = char_width(face, ch) * size
                if x + w > limit + 0.01 and (buf or lines[-1]):
                    # keep closing punctuation on the line (a small overhang, as typesetters do)
                    if ch in "，。、；：？！）》”" and x + w <= limit + size:
                        buf += ch
                        x += w
                        continue
                    if buf:
                        lines[-1].append((buf, hand))
                    lines.append([])
                    buf = ""
                    x = left
                buf += ch
                x += w
            if buf:
                lines[-1].append((buf, hand))
        for i, line in enumerate(lines):
            self._place_line(line, first_x if i == 0 else left, size, underline_hand)

    def fields(self, items: list[tuple[str, str]], size: float | None = None, blank: float = 0.0) -> None:
        """A header line of ``label value`` pairs, the values hand-filled or typed."""
        segs: list[Seg] = []
        for i, (label, value) in enumerate(items):
            if i:
                segs.append(("  ", False))
            segs.append((label, False))
            if value:
                segs.append((value, True))
        self.para(segs, size=size)

    def table(self, rows: list[list[tuple[str, bool]]], widths: list[float], size: float | None = None,
              min_h: float = 0.0, wrap: bool = True) -> None:
        """A ruled table; each row's cells are read left to right (joined by a space).
        Cell text wraps inside its column."""
        size = size or self.s.size * 0.9
        x0 = self.s.left
        total = self.s.width - self.s.left - self.s.right
        scale = total / sum(widths)
        ws = [w * scale for w in widths]
        for row in rows:
            wrapped = [self._wrap_cell(t, h, w - 2.0, size) for (t, h), w in zip(row, ws)]
            n = max(1, max(len(c) for c in wrapped))
            h = max(min_h, n * size * 1.35 + 3.0)
            if self.y + h > self.bottom:
                self.new_page()
            top = self.y
            self.page.rules.append(Rule(x0, top, x0 + total, top))
            x = x0
            for (text, hand), cell, w in zip(row, wrapped, ws):
                self.page.rules.append(Rule(x, top, x, top + h))
                yy = top + 1.5
                face = self._face(hand)
                for piece in cell:
                    self.page.runs.append(Run(x + 1.0, yy, piece, face, size, hand=face == self.s.hand_face))
                    yy += size * 1.35
                x += w
            self.page.rules.append(Rule(x0 + total, top, x0 + total, top + h))
            self.page.rules.append(Rule(x0, top + h, x0 + total, top + h))
            self.page.lines.append(" ".join(t for t, _ in row if t))
            self.y = top + h
        self.y += 2.0

    def _wrap_cell(self, text: str, hand: bool, width: float, size: float) -> list[str]:
        face = self._face(hand)
        out, buf, x = [], "", 0.0
        for ch in text:
            w = char_width(face, ch) * size
            if x + w > width and buf:
                out.append(buf)
                buf, x = "", 0.0
            buf += ch
            x += w
        if buf:
            out.append(buf)
        return out


# ---------------------------------------------------------------------------------------------
# rendering


def render(page: PageSpec, dpi: int, rng: random.Random, color: bool) -> Image.Image:
    """Rasterize ``page`` at ``dpi``: grey ('L') or colour ('RGB', red seals, blue-black ink)."""
    k = dpi / 25.4
    W, H = int(round(page.width * k)), int(round(page.height * k))
    mode = "RGB" if color else "L"
    paper = (250, 249, 244) if color else 250
    img = Image.new(mode, (W, H), paper)
    d = ImageDraw.Draw(img)
    ink_print = (22, 22, 26) if color else 20
    hand_shade = rng.choice([(28, 36, 92), (20, 24, 40), (35, 35, 35)])
    ink_hand = hand_shade if color else int(sum(hand_shade) / 3)
    rule_ink = (70, 70, 70) if color else 70
    if page.lined_paper:
        pitch = page.lined_paper
        light = (200, 160, 160) if color else 200
        y = 24.0 + pitch * 0.98
        while y < page.height - 26:
            d.line([(20 * k, y * k), ((page.width - 18) * k, y * k)], fill=light, width=max(1, int(0.15 * k)))
            y += pitch
    for b in page.boxes:
        x0, y0, x1, y1 = b.x * k, b.y * k, (b.x + b.w) * k, (b.y + b.h) * k
        steps = 12
        for i in range(steps):  # a soft vertical gradient: a greyish photo
            tone = max(0, min(255, b.shade + int((i - steps / 2) * 5)))
            d.rectangle([x0, y0 + (y1 - y0) * i / steps, x1, y0 + (y1 - y0) * (i + 1) / steps],
                        fill=(tone, tone, tone) if color else tone)
        if b.shade < 200:  # a head-and-shoulders silhouette
            cx, cy, r = (x0 + x1) / 2, y0 + (y1 - y0) * 0.38, (x1 - x0) * 0.2
            dark = max(0, b.shade - 70)
            d.ellipse([cx - r, cy - r * 1.2, cx + r, cy + r * 1.2], fill=(dark, dark, dark) if color else dark)
            d.pieslice([cx - 2.2 * r, cy + r * 1.1, cx + 2.2 * r, y1 + 2.2 * r], 180, 360, fill=(dark, dark, dark) if color else dark)
        if b.outline:
            d.rectangle([x0, y0, x1, y1], outline=rule_ink, width=max(1, int(0.25 * k)))
    for r in page.rules:
        w = max(1, int(round(r.width * k)))
        if r.dashed:
            n = int(math.hypot(r.x2 - r.x1, r.y2 - r.y1) / 2)
            for i in range(0, n, 2):
                t0, t1 = i / n, min(1, (i + 1) / n)
                d.line([((r.x1 + (r.x2 - r.x1) * t0) * k, (r.y1 + (r.y2 - r.y1) * t0) * k),
                        ((r.x1 + (r.x2 - r.x1) * t1) * k, (r.y1 + (r.y2 - r.y1) * t1) * k)], fill=rule_ink, width=w)
        else:
            d.line([(r.x1 * k, r.y1 * k), (r.x2 * k, r.y2 * k)], fill=rule_ink, width=w)
    for run in page.runs:
        f = font(run.face, int(round(run.size * k)))
        d.text((run.x * k, run.y * k), run.text, font=f, fill=ink_hand if run.hand else ink_print)
    for fp in page.prints:
        _fingerprint(img, fp, k, color, rng)
    for seal in page.seals:
        _seal(img, seal, k, color, rng)
    return img


def _fingerprint(img: Image.Image, fp: Print, k: float, color: bool, rng: random.Random) -> None:
    d = ImageDraw.Draw(img)
    cx, cy = fp.x * k, fp.y * k
    rx, ry = 6.0 * k, 8.0 * k
    ink = (200, 60, 60) if color else 150
    for i in range(9):
        f = 1 - i / 9
        d.ellipse([cx - rx * f, cy - ry * f, cx + rx * f, cy + ry * f], outline=ink, width=max(1, int(0.35 * k)))


def _seal(img: Image.Image, seal: Seal, k: float, color: bool, rng: random.Random) -> None:
    """A round seal: ring, star and the organ's name round the upper arc, stamped over the text."""
    r = seal.r * k
    size = int(2 * r + 8)
    ink = (205, 40, 45) if color else 120
    layer = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(layer)
    c = size / 2
    d.ellipse([c - r, c - r, c + r, c + r], outline=255, width=max(2, int(1.1 * k)))
    star = [(c + 0.28 * r * math.cos(math.radians(-90 + 72 * i)) * (1 if i % 2 == 0 else 1),
             c + 0.28 * r * math.sin(math.radians(-90 + 72 * i))) for i in range(5)]
    d.polygon([star[0], star[2], star[4], star[1], star[3]], fill=255)
    label = seal.label
    fpx = int(r * 0.30)
    f = font("hei_sharp", fpx)
    n = len(label)
    span = min(250.0, 22.0 * n)
    for i, ch in enumerate(label):
        ang = -90 - span / 2 + span * (i + 0.5) / n
        glyph = Image.new("L", (fpx + 4, fpx + 4), 0)
        ImageDraw.Draw(glyph).text((2, 0), ch, font=f, fill=255)
        glyph = glyph.rotate(-(ang + 90), resample=Image.BILINEAR, expand=True)
        gx = c + 0.74 * r * math.cos(math.radians(ang)) - glyph.width / 2
        gy = c + 0.74 * r * math.sin(math.radians(ang)) - glyph.height / 2
        layer.paste(255, (int(gx), int(gy)), glyph)
    # uneven ink: knock out a few random speckles
    alpha = layer.point(lambda v: int(v * rng.uniform(0.55, 0.8)))
    pos = (int(seal.x * k - c), int(seal.y * k - c))
    img.paste(Image.new(img.mode, layer.size, ink), pos, alpha)

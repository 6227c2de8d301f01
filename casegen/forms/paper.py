"""Pages as drawing operations in millimetres, their printed text, and their rendering.

A :class:`Page` holds the operations that draw it (text, rules, boxes, seals, fingerprints,
photos) and, separately, the lines of text a reader sees on it in reading order: the truth
text. Both are produced by the same calls, so what is drawn and what the truth says agree.
Seals, fingerprints and photos draw no truth text.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

PT = 0.3528  # millimetres per typographic point

_F = "/usr/share/fonts"
FONT_FILES: dict[str, tuple[str, int]] = {
    "ming": (f"{_F}/truetype/arphic/uming.ttc", 0),
    "kai": (f"{_F}/truetype/arphic/ukai.ttc", 0),
    "serif": (f"{_F}/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    "serif_b": (f"{_F}/opentype/noto/NotoSerifCJK-Bold.ttc", 2),
    "sans": (f"{_F}/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    "sans_b": (f"{_F}/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    "hei": (f"{_F}/truetype/wqy/wqy-zenhei.ttc", 0),
}

INKS = {
    "ink": (22, 22, 24),
    "grey": (70, 70, 72),
    "blue": (28, 48, 135),
    "black": (30, 30, 40),
    "red": (205, 35, 40),
}

CLOSING = set("，。、；：？！）」』》”’．,.;:?!)%")


@lru_cache(maxsize=None)
def font(key: str, px: int) -> ImageFont.FreeTypeFont:
    path, index = FONT_FILES[key]
    return ImageFont.truetype(path, max(4, px), index=index)


@lru_cache(maxsize=200_000)
def _em(key: str, ch: str) -> float:
    return font(key, 64).getlength(ch) / 64.0


def width(s: str, size: float, key: str) -> float:
    """Advance width of ``s`` in mm at ``size`` points in font ``key``."""
    return sum(_em(key, c) for c in s) * size * PT


def wrap(s: str, avail: float, size: float, key: str, first_avail: float | None = None) -> list[str]:
    """Greedy line breaking for Chinese text; closing punctuation never starts a line."""
    lines: list[str] = []
    cur = ""
    cur_w = 0.0
    limit = first_avail if first_avail is not None else avail
    scale = size * PT
    for ch in s:
        w = _em(key, ch) * scale
        if cur and cur_w + w > limit and ch not in CLOSING:
            lines.append(cur)
            cur, cur_w, limit = "", 0.0, avail
        cur += ch
        cur_w += w
    if cur or not lines:
        lines.append(cur)
    return lines


@dataclass
class Page:
    w: float = 210.0
    h: float = 297.0
    ops: list[tuple] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    printed: int | None = None  # printed page number, where one is printed
    body_font: str = "serif"
    hand_color: str = "blue"
    seed: int = 0

    # ---- text ---------------------------------------------------------------------------------
    def text(self, x: float, y: float, s: str, size: float = 12, font_key: str | None = None,
             color: str = "ink", emit: bool = True) -> float:
        """Draw ``s`` with its top at ``y``; return the x where it ends."""
        key = font_key or self.body_font
        if s:
            self.ops.append(("text", x, y, s, size, key, color))
            if emit:
                self.lines.append(s)
        return x + width(s, size, key)

    def center(self, y: float, s: str, size: float = 12, font_key: str | None = None,
               color: str = "ink", emit: bool = True, spacing: float = 0.0, cx: float | None = None) -> None:
        key = font_key or self.body_font
        if spacing:
            total = width(s, size, key) + spacing * (len(s) - 1)
            x = (cx if cx is not None else self.w / 2) - total / 2
            for ch in s:
                self.ops.append(("text", x, y, ch, size, key, color))
                x += width(ch, size, key) + spacing
            if emit:
                self.lines.append(s)
            return
        x = (cx if cx is not None else self.w / 2) - width(s, size, key) / 2
        self.text(x, y, s, size, key, color, emit)

    def right(self, xr: float, y: float, s: str, size: float = 12, font_key: str | None = None,
              color: str = "ink", emit: bool = True) -> None:
        key = font_key or self.body_font
        self.text(xr - width(s, size, key), y, s, size, key, color, emit)

    def hand(self, x: float, y: float, s: str, size: float = 13, color: str | None = None,
             emit: bool = True, angle: float | None = None, sig: bool = False) -> float:
        """Handwritten ``s`` (AR PL UKai, jittered, slightly rotated)."""
        if not s:
            return x
        rng = random.Random(f"{self.seed}:{len(self.ops)}:{s}")
        if angle is None:  # a long line drifts less than a short word tilts
            span = max(10.0, width(s, size, "kai"))
            angle = rng.uniform(-2.5, 2.5) * min(1.0, 35.0 / span) if not sig else rng.uniform(-9, 4)
        color = color or self.hand_color
        self.ops.append(("hand", x + rng.uniform(-1, 1), y + rng.uniform(-0.8, 0.8), s, size, color,
                         angle, sig, rng.randrange(1 << 30)))
        if emit:
            self.lines.append(s)
        return x + width(s, size, "kai") * (1.1 if sig else 1.0)

    def add_line(self, s: str) -> None:
        """Truth text only (for text drawn by several calls that reads as one line)."""
        self.lines.append(s)

    # ---- graphics -----------------------------------------------------------------------------
    def rule(self, x0: float, y0: float, x1: float, y1: float, lw: float = 0.3, color: str = "ink") -> None:
        self.ops.append(("line", x0, y0, x1, y1, lw, color))

    def box(self, x0: float, y0: float, x1: float, y1: float, lw: float = 0.3, fill: int | None = None) -> None:
        self.ops.append(("rect", x0, y0, x1, y1, lw, fill))

    def seal(self, cx: float, cy: float, text: str, r: float = 21.0, sub: str = "", star: bool = True) -> None:
        rng = random.Random(f"{self.seed}:seal:{len(self.ops)}")
        self.ops.append(("seal", cx + rng.uniform(-4, 4), cy + rng.uniform(-3, 3), r, text, sub, star,
                         rng.uniform(-25, 25), rng.randrange(1 << 30)))

    def finger(self, cx: float, cy: float) -> None:
        rng = random.Random(f"{self.seed}:finger:{len(self.ops)}")
        self.ops.append(("finger", cx + rng.uniform(-2, 2), cy + rng.uniform(-2, 2), rng.randrange(1 << 30)))

    def photo(self, x0: float, y0: float, x1: float, y1: float, seed: int) -> None:
        self.ops.append(("photo", x0, y0, x1, y1, seed))

    def truth(self) -> str:
        return "\n".join(s for s in self.lines if s.strip())


# ------------------------------------------------------------------------------------------------
# rendering


def render(page: Page, dpi: int, ink_level: float = 1.0) -> Image.Image:
    """Draw ``page`` on white paper, RGB, at ``dpi``. ``ink_level`` < 1 fades the toner."""
    k = dpi / 25.4
    W, H = round(page.w * k), round(page.h * k)
    img = Image.new("RGB", (W, H), (255, 255, 255))
    draw = ImageDraw.Draw(img)

    def toner(name: str) -> tuple[int, int, int]:
        c = INKS[name]
        if name in ("ink", "grey") and ink_level < 1.0:
            return tuple(round(255 - (255 - v) * ink_level) for v in c)  # type: ignore[return-value]
        return c

    overlays = []
    for op in page.ops:
        kind = op[0]
        if kind == "text":
            _, x, y, s, size, key, color = op
            f = font(key, round(size * PT * k))
            draw.text((x * k, y * k), s, font=f, fill=toner(color))
        elif kind == "line":
            _, x0, y0, x1, y1, lw, color = op
            draw.line([(x0 * k, y0 * k), (x1 * k, y1 * k)], fill=toner(color), width=max(1, round(lw * k)))
        elif kind == "rect":
            _, x0, y0, x1, y1, lw, fill = op
            draw.rectangle([x0 * k, y0 * k, x1 * k, y1 * k], outline=toner("ink") if lw else None,
                           width=max(1, round(lw * k)), fill=(fill, fill, fill) if fill is not None else None)
        elif kind in ("hand", "seal", "finger"):
            overlays.append(op)
        elif kind == "photo":
            _draw_photo(img, op, k)
    for op in overlays:  # ink on top of print, seals and fingerprints on top of all
        if op[0] == "hand":
            _draw_hand(img, op, k)
    for op in overlays:
        if op[0] == "finger":
            _draw_finger(img, op, k)
        elif op[0] == "seal":
            _draw_seal(img, op, k)
    return img


def _draw_hand(img: Image.Image, op: tuple, k: float) -> None:
    _, x, y, s, size, color, angle, sig, seed = op
    rng = random.Random(seed)
    px = size * PT * k * (1.25 if sig else 1.0)
    pad = int(px)
    est_w = int(px * (len(s) + 2) * 1.15) + 2 * pad
    layer = Image.new("L", (est_w, int(px * 2.2) + 2 * pad), 0)
    d = ImageDraw.Draw(layer)
    cx = float(pad)
    for ch in s:
        sz = px * rng.uniform(0.9, 1.1)
        f = font("kai", round(sz))
        d.text((cx, pad + rng.uniform(-0.08, 0.08) * px + (px - sz) * 0.5), ch, font=f, fill=255)
        cx += f.getlength(ch) * (rng.uniform(0.92, 1.08) if not sig else rng.uniform(0.7, 0.95))
    if sig:  # a cursive slant
        layer = layer.transform(layer.size, Image.Transform.AFFINE, (1, 0.3, -0.15 * layer.size[1], 0, 1, 0),
                                resample=Image.Resampling.BILINEAR)
    if px > 44 and rng.random() < 0.5:  # a felt pen at high resolution
        layer = layer.filter(ImageFilter.MaxFilter(3))
    layer = layer.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True)
    # pen pressure: a little unevenness in the stroke darkness
    a = np.asarray(layer, dtype=np.float32)
    a *= np.float32(rng.uniform(0.8, 0.97))
    alpha = Image.fromarray(a.astype(np.uint8))
    ink = Image.new("RGB", alpha.size, INKS[color])
    ox = int(x * k - pad)
    oy = int(y * k - pad - (alpha.size[1] - int(px * 2.2) - 2 * pad) / 2)
    img.paste(ink, (ox, oy), alpha)


def _blotch(rng: np.random.Generator, shape: tuple[int, int], cell: int, lo: float) -> np.ndarray:
    """A smooth random field in [lo, 1]: uneven ink."""
    h, w = shape
    small = rng.random((max(2, h // cell), max(2, w // cell))).astype(np.float32)
    field_ = np.asarray(Image.fromarray((small * 255).astype(np.uint8)).resize((w, h), Image.Resampling.BICUBIC),
                        dtype=np.float32) / 255.0
    return lo + (1 - lo) * np.clip(field_ * 1.4 - 0.1, 0, 1)


def _draw_seal(img: Image.Image, op: tuple, k: float) -> None:
    _, cx, cy, r, text, sub, star, rot, seed = op
    rng = random.Random(seed)
    R = int(r * k)
    size = 2 * R + 8
    layer = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(layer)
    c = size / 2
    ring = max(2, int(R * 0.07))
    d.ellipse([c - R, c - R, c + R, c + R], outline=255, width=ring)
    if star:
        rs = R * 0.3
        pts = []
        for i in range(10):
            ang = -math.pi / 2 + i * math.pi / 5
            rr = rs if i % 2 == 0 else rs * 0.4
            pts.append((c + rr * math.cos(ang), c + rr * math.sin(ang)))
        d.polygon(pts, fill=255)
    n = len(text)
    fpx = int(R * 0.3)
    f = font("sans_b" if rng.random() < 0.5 else "serif_b", fpx)
    span = min(250.0, 22.0 * n)
    for i, ch in enumerate(text):
        ang = -span / 2 + span * (i + 0.5) / n  # degrees from the top, clockwise
        t = Image.new("L", (fpx + 4, fpx + 4), 0)
        ImageDraw.Draw(t).text((2, 0), ch, font=f, fill=255)
        t = t.rotate(-ang, resample=Image.Resampling.BILINEAR, expand=True)
        rad = math.radians(ang - 90)
        rr = R - ring - fpx * 0.62
        px_, py_ = c + rr * math.cos(rad), c + rr * math.sin(rad)
        layer.paste(255, (int(px_ - t.size[0] / 2), int(py_ - t.size[1] / 2)), t)
    if sub:
        fs = font("sans_b", int(R * 0.2))
        tw = fs.getlength(sub)
        d.text((c - tw / 2, c + R * 0.42), sub, font=fs, fill=255)
    layer = layer.rotate(rot, resample=Image.Resampling.BILINEAR)
    a = np.asarray(layer, dtype=np.float32) / 255.0
    g = np.random.default_rng(seed)
    a *= _blotch(g, a.shape, max(3, size // 18), 0.35) * rng.uniform(0.7, 0.9)
    alpha = Image.fromarray((a * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))
    _multiply_paste(img, INKS["red"], alpha, int(cx * k - c), int(cy * k - c))


def _multiply_paste(img: Image.Image, color: tuple[int, int, int], alpha: Image.Image, ox: int, oy: int) -> None:
    """Ink laid over the page: darker wins, like a stamp over print."""
    box = (max(0, ox), max(0, oy), min(img.size[0], ox + alpha.size[0]), min(img.size[1], oy + alpha.size[1]))
    if box[0] >= box[2] or box[1] >= box[3]:
        return
    region = np.asarray(img.crop(box), dtype=np.float32)
    a = np.asarray(alpha.crop((box[0] - ox, box[1] - oy, box[2] - ox, box[3] - oy)), dtype=np.float32)[..., None] / 255.0
    ink = np.array(color, dtype=np.float32)[None, None, :]
    out = region * (1 - a + a * ink / 255.0)
    img.paste(Image.fromarray(out.astype(np.uint8)), box[:2])


def _draw_finger(img: Image.Image, op: tuple, k: float) -> None:
    _, cx, cy, seed = op
    rng = random.Random(seed)
    w, h = 13 * k * rng.uniform(0.85, 1.1), 17 * k * rng.uniform(0.85, 1.1)
    size = (int(w) + 8, int(h) + 8)
    layer = Image.new("L", size, 0)
    d = ImageDraw.Draw(layer)
    step = max(2.0, 0.55 * k)
    lw = max(1, int(0.28 * k))
    ox, oy = size[0] / 2 + rng.uniform(-2, 2) * k, size[1] * rng.uniform(0.45, 0.6)
    i = 1
    while i * step < max(w, h):
        rx, ry = i * step * 0.8, i * step
        d.ellipse([ox - rx, oy - ry, ox + rx, oy + ry], outline=255, width=lw)
        i += 1
    g = np.random.default_rng(seed)
    a = np.asarray(layer, dtype=np.float32) / 255.0
    yy, xx = np.mgrid[0:size[1], 0:size[0]]
    inside = ((xx - size[0] / 2) / (w / 2)) ** 2 + ((yy - size[1] / 2) / (h / 2)) ** 2 <= 1.0
    a = np.where(inside, np.maximum(a, 0.25), 0.0) * _blotch(g, a.shape, max(3, size[0] // 10), 0.3)
    alpha = Image.fromarray((a * 255 * rng.uniform(0.75, 0.95)).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.8))
    alpha = alpha.rotate(rng.uniform(-30, 30), resample=Image.Resampling.BILINEAR)
    _multiply_paste(img, INKS["red"], alpha, int(cx * k - size[0] / 2), int(cy * k - size[1] / 2))


def _draw_photo(img: Image.Image, op: tuple, k: float) -> None:
    """A face-like grey mugshot: background, shoulders, head, hair, eyes, mouth."""
    _, x0, y0, x1, y1, seed = op
    rng = random.Random(seed)
    W, H = int((x1 - x0) * k), int((y1 - y0) * k)
    ph = Image.new("L", (W, H), rng.randint(150, 215))
    d = ImageDraw.Draw(ph)
    skin = rng.randint(120, 190)
    cloth = rng.randint(30, 110)
    d.polygon([(W * 0.08, H), (W * 0.22, H * 0.74), (W * 0.78, H * 0.74), (W * 0.92, H)], fill=cloth)
    hw, hh = W * rng.uniform(0.24, 0.3), H * rng.uniform(0.27, 0.32)
    hx, hy = W / 2 + rng.uniform(-3, 3), H * 0.43
    d.rectangle([hx - hw * 0.35, hy + hh * 0.6, hx + hw * 0.35, H * 0.8], fill=skin)
    d.ellipse([hx - hw, hy - hh, hx + hw, hy + hh], fill=skin)
    hair = rng.randint(10, 60)
    d.chord([hx - hw * 1.04, hy - hh * 1.1, hx + hw * 1.04, hy + hh * rng.uniform(0.1, 0.5)], 180, 360, fill=hair)
    ey = hy - hh * 0.05
    for sx in (-1, 1):
        ex = hx + sx * hw * 0.42
        d.ellipse([ex - hw * 0.14, ey - hh * 0.06, ex + hw * 0.14, ey + hh * 0.06], fill=max(0, skin - 100))
        d.line([(ex - hw * 0.2, ey - hh * 0.2), (ex + hw * 0.2, ey - hh * 0.22)], fill=hair, width=max(1, int(0.6 * k)))
    d.line([(hx, ey + hh * 0.05), (hx - hw * 0.08, hy + hh * 0.35)], fill=max(0, skin - 50), width=max(1, int(0.4 * k)))
    d.line([(hx - hw * 0.3, hy + hh * 0.58), (hx + hw * 0.3, hy + hh * 0.58)], fill=max(0, skin - 70),
           width=max(1, int(0.7 * k)))
    ph = ph.filter(ImageFilter.GaussianBlur(k * 0.25))
    noise = np.random.default_rng(seed).normal(0, 9, (H, W)).astype(np.float32)
    arr = np.clip(np.asarray(ph, dtype=np.float32) + noise, 0, 255).astype(np.uint8)
    img.paste(Image.fromarray(arr).convert("RGB"), (int(x0 * k), int(y0 * k)))
    ImageDraw.Draw(img).rectangle([int(x0 * k), int(y0 * k), int(x0 * k) + W, int(y0 * k) + H], outline=(40, 40, 40),
                                  width=max(1, int(0.25 * k)))


# ------------------------------------------------------------------------------------------------
# flowing text over pages


class Flow:
    """Lays paragraphs down a page and opens new pages (via ``new_page``) when one is full."""

    def __init__(self, new_page, left: float, right: float, bottom: float, size: float = 12.0,
                 leading: float = 1.75, font_key: str | None = None):
        self.new_page = new_page  # () -> (Page, top_y)
        self.left, self.right, self.bottom = left, right, bottom
        self.size, self.leading, self.font_key = size, leading, font_key
        self.page, self.y = new_page()
        self.pages = [self.page]

    @property
    def line_h(self) -> float:
        return self.size * PT * self.leading

    def break_page(self) -> None:
        self.page, self.y = self.new_page()
        self.pages.append(self.page)

    def need(self, mm: float) -> None:
        if self.y + mm > self.bottom:
            self.break_page()

    def gap(self, mm: float) -> None:
        self.y += mm

    def para(self, s: str, indent: float = 2.0, hand: bool = False, size: float | None = None,
             font_key: str | None = None, color: str = "ink", hang: str = "", center: bool = False) -> None:
        """A paragraph; ``indent`` in characters on its first line; ``hang`` a label (问：) whose
        continuation lines start at the left margin, as 笔录 are typed."""
        size = size or self.size
        key = "kai" if hand else (font_key or self.font_key or self.page.body_font)
        em = size * PT
        avail = self.right - self.left
        text = hang + s
        lines = wrap(text, avail, size, key, first_avail=avail - indent * em)
        lh = size * PT * self.leading
        for i, ln in enumerate(lines):
            if self.y + lh > self.bottom:
                self.break_page()
            x = self.left + (indent * em if i == 0 else 0.0)
            if center:
                self.page.center(self.y, ln, size, key)
            elif hand:
                self.page.hand(x, self.y, ln, size)
            else:
                self.page.text(x, self.y, ln, size, key, color)
            self.y += lh

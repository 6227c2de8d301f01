"""Scan damage: what a clean page goes through on an office scanner.

Each scanned page draws its own parameters: paper tint, uneven lighting, faded toner, blur,
skew, a dark border where the paper did not cover the glass, punch holes, a fold line, staple
marks, bleed-through from the back, sensor noise and specks. The result is what the file stores
(JPEG artefacts come from the file formats themselves, or a JPEG round trip for lossless ones).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

import cv2
import numpy as np


@dataclass
class ScanParams:
    tint: tuple[float, float, float]
    light: float  # strength of uneven illumination
    fade: float  # 1 = full toner, lower = faded print
    blur: float  # gaussian sigma in px at 200 dpi
    skew: float  # degrees, counter-clockwise positive
    border: int  # 0 none, else which edges show a dark scanner border (bit mask)
    border_px: float  # width of the border in mm
    holes: bool
    fold: float  # 0 = none, else relative height of a fold line
    staple: bool
    bleed: float  # opacity of the mirrored back side
    noise: float  # sigma of sensor noise
    specks: int
    jpeg_roundtrip: int  # 0 = none, else quality
    # hard split only (see `harden`); the defaults leave a normal scan untouched
    title_box: tuple[float, float, float, float] | None = None  # px at the scan dpi
    title_damage: str = ""  # cut_left | cut_right | blot | smudge | fold
    title_cover: float = 0.0  # share of the title's width the damage covers


def draw_params(rng: random.Random, blank: bool = False) -> ScanParams:
    skew = rng.gauss(0, 0.7)
    if rng.random() < 0.1:
        skew = rng.uniform(-3, 3)
    skew = max(-3.0, min(3.0, skew))
    warm = rng.uniform(0, 14)
    base = rng.uniform(236, 255)
    return ScanParams(
        tint=(base, base - warm * 0.4, base - warm),
        light=rng.choice((0.0, rng.uniform(0.02, 0.1), rng.uniform(0.03, 0.16))),
        fade=rng.uniform(0.72, 1.0) if rng.random() < 0.5 else 1.0,
        blur=rng.choice((0.0, rng.uniform(0.3, 0.8), rng.uniform(0.5, 1.2))),
        skew=skew,
        border=rng.choice((1, 2, 4, 8, 3, 9, 12)) if rng.random() < 0.14 else 0,
        border_px=rng.uniform(2, 9),
        holes=rng.random() < 0.06,
        fold=rng.uniform(0.3, 0.7) if rng.random() < 0.06 else 0.0,
        staple=rng.random() < 0.08,
        bleed=rng.uniform(0.02, 0.06) if rng.random() < (0.5 if blank else 0.06) else 0.0,
        noise=rng.uniform(1.5, 6.5),
        specks=rng.choice((0, rng.randint(20, 200), rng.randint(100, 900))),
        jpeg_roundtrip=rng.choice((0, 0, rng.randint(45, 80))),
    )


def harden(p: ScanParams, rng: random.Random, hard, title_px: tuple[float, float, float, float] | None) -> ScanParams:
    """Hard-split damage on top of a page's normal parameters (`hard`: a `context.HardOptions`):
    stronger skew, heavy noise, strong blur and low contrast on many pages, and on pages with a
    title, often the title cut off on one side or covered by a blot, a smudge or a fold."""
    p = replace(p, skew=max(-hard.max_skew, min(hard.max_skew, p.skew * 2.5)))
    if rng.random() < 0.35:
        p.skew = rng.uniform(-hard.max_skew, hard.max_skew)
    if rng.random() < hard.heavy:
        p.noise = rng.uniform(9, 20)
        p.specks = rng.randint(300, 1500)
    if rng.random() < hard.heavy:
        p.blur = rng.uniform(1.2, 2.2)
    if rng.random() < hard.heavy:  # washed-out print on a grey sheet: low contrast
        p.fade = rng.uniform(0.4, 0.62)
        p.light = max(p.light, rng.uniform(0.08, 0.2))
    if title_px is not None and rng.random() < hard.title_damage:
        p.title_box = title_px
        p.title_damage = rng.choice(("cut_left", "cut_right", "blot", "smudge", "fold"))
        p.title_cover = rng.uniform(0.3, 0.6)
    return p


def _title_damage(out: np.ndarray, p: ScanParams, px: float, nrng: np.random.Generator) -> np.ndarray:
    """Damage over the title: a torn-off piece of the sheet, an ink blot, a smudge or a fold."""
    h, w = out.shape[:2]
    x0, y0, x1, y1 = p.title_box
    tw, th = x1 - x0, y1 - y0
    cover = p.title_cover
    if p.title_damage in ("cut_left", "cut_right"):
        # A piece torn off the sheet: a jagged edge through the title, the scanner lid behind.
        left = p.title_damage == "cut_left"
        edge = x0 + tw * cover if left else x1 - tw * cover
        top, bottom = max(0, int(y0 - th * random_between(nrng, 1.5, 6))), min(h, int(y1 + th * random_between(nrng, 0.5, 2.5)))
        ys = np.linspace(top, bottom, 14)
        xs = edge + nrng.normal(0, px * 1.5, len(ys))
        xs[0] += (-1 if left else 1) * px * random_between(nrng, 5, 25)  # the tear runs out diagonally
        side = 0 if left else w - 1
        pts = [(side, top)] + [(int(x), int(y)) for x, y in zip(xs, ys)] + [(side, bottom)]
        if top <= px * 12:  # near the top edge: the corner is gone
            pts = [(side, 0)] + pts[1:]
        shade = int(random_between(nrng, 20, 60)) if nrng.random() < 0.5 else int(random_between(nrng, 225, 245))
        cv2.fillPoly(out, [np.array(pts, np.int32)], (shade, shade, shade), lineType=cv2.LINE_AA)
        cv2.polylines(out, [np.array(pts[1:-1], np.int32)], False, (170, 170, 170), max(1, int(px * 0.3)), cv2.LINE_AA)
    elif p.title_damage == "blot":
        cx = x0 + tw * random_between(nrng, 0.15, 0.85)
        cy = (y0 + y1) / 2 + th * random_between(nrng, -0.3, 0.3)
        rx, ry = tw * cover / 2, th * random_between(nrng, 0.7, 1.4)
        mask = np.zeros((h, w), np.uint8)
        for _ in range(5):
            c = (int(cx + rx * random_between(nrng, -0.4, 0.4)), int(cy + ry * random_between(nrng, -0.3, 0.3)))
            axes = (max(2, int(rx * random_between(nrng, 0.5, 0.9))), max(2, int(ry * random_between(nrng, 0.6, 1.0))))
            cv2.ellipse(mask, c, axes, random_between(nrng, 0, 180), 0, 360, 255, -1, cv2.LINE_AA)
        mask = cv2.GaussianBlur(mask, (0, 0), px * 0.6)
        ink = np.array((35, 38, 70) if nrng.random() < 0.5 else (45, 40, 38), np.float32)
        a = (mask.astype(np.float32) / 255 * random_between(nrng, 0.8, 0.95))[..., None]
        out = (out * (1 - a) + ink * a).astype(np.uint8)
    elif p.title_damage == "smudge":
        # Rubbed: part of the title smeared sideways and greyed.
        a, b = int(max(0, x0 + tw * random_between(nrng, 0, 1 - cover))), 0
        b = int(min(w, a + tw * cover))
        r0, r1 = max(0, int(y0 - th * 0.4)), min(h, int(y1 + th * 0.4))
        if b > a and r1 > r0:
            part = out[r0:r1, a:b]
            k = max(3, int(px * 4)) | 1
            part = cv2.blur(part, (k, max(3, k // 3)))
            out[r0:r1, a:b] = cv2.convertScaleAbs(part, alpha=0.75, beta=255 * 0.2)
    elif p.title_damage == "fold":
        # A crease across the title: a light band with a dark line, the text in it shifted.
        y = int(random_between(nrng, y0, y1))
        band = max(3, int(px * 1.6))
        r0, r1 = max(0, y - band), min(h, y + band)
        out[r0:r1] = np.roll(out[r0:r1], int(px * 0.8), axis=1)
        out[r0:r1] = cv2.convertScaleAbs(out[r0:r1], alpha=0.7, beta=255 * 0.28)
        cv2.line(out, (0, y), (w, y + int(random_between(nrng, -1, 1) * px)), (95, 95, 95), max(1, int(px * 0.25)), cv2.LINE_AA)
    return out


def _lowfreq_u8(nrng: np.random.Generator, h: int, w: int, p: ScanParams) -> np.ndarray:
    """Per-pixel factor (×255) for paper tint and uneven lighting, smooth over the page."""
    cells = 4
    light = 1.0 - p.light * nrng.random((cells, cells, 1), dtype=np.float32)
    small = np.clip(light * np.array(p.tint, np.float32)[None, None, :], 0, 255).astype(np.uint8)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def _gray3(a: np.ndarray) -> np.ndarray:
    return cv2.merge([a, a, a])


def scan(img: np.ndarray, dpi: int, p: ScanParams, nrng: np.random.Generator, back: np.ndarray | None = None) -> np.ndarray:
    """Degrade a clean RGB page (uint8, H×W×3) as scanned at `dpi`; returns RGB uint8 of the same size.

    Everything stays in uint8 OpenCV operations: this runs for every page and must be fast."""
    h, w = img.shape[:2]
    px = dpi / 25.4
    out = img
    if p.title_damage:  # hard split: before blur and skew, like damage on the sheet itself
        out = _title_damage(out.copy(), p, px, nrng)
    if p.blur > 0:
        out = cv2.GaussianBlur(out, (0, 0), p.blur * dpi / 200)
    if p.fade < 1.0:
        out = cv2.convertScaleAbs(out, alpha=p.fade, beta=255 * (1 - p.fade))
    if p.bleed > 0 and back is not None:  # the back side shows through, mirrored and soft
        b = np.ascontiguousarray(back[:, ::-1])
        if b.shape[:2] != (h, w):
            b = cv2.resize(b, (w, h))
        b = cv2.GaussianBlur(255 - b, (0, 0), 2.2 * dpi / 200)
        out = cv2.subtract(out, cv2.convertScaleAbs(b, alpha=p.bleed))
    out = cv2.multiply(out, _lowfreq_u8(nrng, h, w, p), scale=1 / 255.0)
    if p.fold:
        y = int(h * p.fold)
        out[max(0, y - 2):y + 1] = (out[max(0, y - 2):y + 1] * 0.86).astype(np.uint8)
    if p.staple:
        x0, y0 = int(px * random_between(nrng, 8, 20)), int(px * random_between(nrng, 6, 14))
        for dx in (0, int(px * 2.5)):
            cv2.line(out, (x0 + dx, y0), (x0 + dx + int(px * 9), y0 + int(px * 1.5)), (60, 60, 60), max(1, int(px * 0.5)))
    if p.holes:
        cx = int(px * random_between(nrng, 8, 14))
        for cy_mm in (h / px / 2 - 40, h / px / 2 + 40):
            cv2.circle(out, (cx, int(cy_mm * px)), int(px * 3), (55, 55, 55), -1, lineType=cv2.LINE_AA)
    out = _geometry(out, p, px, nrng)
    if p.noise > 0:  # grey sensor noise, added as separate positive and negative parts
        n = nrng.standard_normal((h, w), dtype=np.float32)
        n *= p.noise
        pos = cv2.convertScaleAbs(np.maximum(n, 0))
        neg = cv2.convertScaleAbs(np.minimum(n, 0))
        out = cv2.subtract(cv2.add(out, _gray3(pos)), _gray3(neg))
    if p.specks:
        ys = nrng.integers(0, h, p.specks)
        xs = nrng.integers(0, w, p.specks)
        rs = nrng.integers(0, max(2, int(px * 0.25)), p.specks)
        dark = nrng.random(p.specks) < 0.85
        for y, x, r, d in zip(ys.tolist(), xs.tolist(), rs.tolist(), dark.tolist()):
            v = (40, 40, 40) if d else (250, 250, 250)
            cv2.circle(out, (x, y), int(r), v, -1)
    if p.jpeg_roundtrip:
        ok, enc = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, p.jpeg_roundtrip])
        out = cv2.imdecode(enc, cv2.IMREAD_UNCHANGED)
    return out


def random_between(nrng: np.random.Generator, a: float, b: float) -> float:
    return float(a + (b - a) * nrng.random())


def _geometry(img: np.ndarray, p: ScanParams, px: float, nrng: np.random.Generator) -> np.ndarray:
    """Skew the sheet on the glass; where the sheet does not reach, the scanner lid (light) or
    the dark background shows."""
    h, w = img.shape[:2]
    lid = (int(random_between(nrng, 215, 250)),) * 3
    dark = (int(random_between(nrng, 15, 70)),) * 3
    if not p.border and abs(p.skew) < 0.05:
        return img
    # Shift the sheet so that a strip of background appears along the chosen edges.
    b = p.border_px * px
    dx = (b if p.border & 1 else 0) - (b if p.border & 2 else 0)
    dy = (b if p.border & 4 else 0) - (b if p.border & 8 else 0)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), p.skew, 1.0)
    m[0, 2] += dx
    m[1, 2] += dy
    fill = dark if p.border else lid
    out = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=fill)
    if p.border:  # the paper edge casts a faint shadow onto the sheet
        mask = cv2.warpAffine(np.full((h, w), 255, np.uint8), m, (w, h), borderValue=0)
        shade = cv2.GaussianBlur(255 - mask, (0, 0), px * 0.8)
        shade = cv2.bitwise_and(shade, mask)
        out = cv2.subtract(out, _gray3(cv2.convertScaleAbs(shade, alpha=0.3)))
    return out


def blank_sheet(w: int, h: int) -> np.ndarray:
    return np.full((h, w, 3), 255, np.uint8)


def rotate_for_scan(img: np.ndarray, rotation: int) -> np.ndarray:
    """The image as stored when the sheet lay turned: applying `rotation` degrees clockwise to
    the result makes it upright again."""
    k = (rotation // 90) % 4
    return np.ascontiguousarray(np.rot90(img, k)) if k else img


def to_gray(img: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)


def to_bitonal(gray: np.ndarray, dpi: int) -> np.ndarray:
    block = int(dpi / 6) | 1
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, block, 18)


"""Scan damage: what a tired office scanner (or a phone) does to a clean sheet.

Everything works on uint8 numpy arrays, grayscale (H, W) or colour (H, W, 3), at the page's dpi.
A per-case ``level`` in [0, 1] scales how bad things get; each page draws its own mix around it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import cv2
import numpy as np


@dataclass
class ScanParams:
    level: float  # 0 = pristine office scanner, 1 = a bad day
    mode: str  # rgb | gray | bw
    photo: bool = False  # taken with a phone instead of scanned
    rotation: int = 0  # clockwise degrees the page lies rotated in the file
    blank: bool = False


def _gray(a: np.ndarray) -> np.ndarray:
    return a if a.ndim == 2 else cv2.cvtColor(a, cv2.COLOR_RGB2GRAY)


def _mul(a: np.ndarray, f: np.ndarray) -> np.ndarray:
    """Multiply an image by a per-pixel factor field (H, W)."""
    if a.ndim == 3:
        f = f[:, :, None]
    return np.clip(a.astype(np.float32) * f, 0, 255).astype(np.uint8)


def bleed_through(a: np.ndarray, back: np.ndarray, rng: random.Random) -> np.ndarray:
    """Faint mirrored print of the sheet's other side."""
    b = _gray(back)
    b = cv2.resize(cv2.flip(b, 1), (a.shape[1], a.shape[0]))
    b = cv2.GaussianBlur(b, (0, 0), rng.uniform(1.5, 3.5))
    k = rng.uniform(0.04, 0.14)
    return _mul(a, 1.0 - k * (1.0 - b.astype(np.float32) / 255.0))


def pen_marks(a: np.ndarray, rng: random.Random) -> None:
    """Ticks, underlines and loops made by whoever read the file (not print: never in the text)."""
    h, w = a.shape[:2]
    colours = [(30, 40, 150), (180, 30, 30), (40, 40, 40)]
    for _ in range(rng.randrange(1, 4)):
        col = rng.choice(colours)
        c = col if a.ndim == 3 else int(np.mean(col))
        x, y = rng.uniform(0.1, 0.85) * w, rng.uniform(0.15, 0.9) * h
        kind = rng.randrange(3)
        if kind == 0:  # underline
            pts = [(x + i * w * 0.03, y + math.sin(i) * 3) for i in range(rng.randrange(4, 12))]
        elif kind == 1:  # tick
            pts = [(x, y), (x + 20, y + 30), (x + 70, y - 45)]
        else:  # loop around something
            r = rng.uniform(40, 120)
            pts = [(x + r * 1.6 * math.cos(t / 10), y + r * 0.6 * math.sin(t / 10)) for t in range(0, 66)]
        cv2.polylines(a, [np.array(pts, np.int32)], False, c, rng.randrange(2, 5), cv2.LINE_AA)


def fold(a: np.ndarray, rng: random.Random) -> np.ndarray:
    h, w = a.shape[:2]
    f = np.ones((h, w), np.float32)
    if rng.random() < 0.6:
        y = int(h * rng.uniform(0.3, 0.7))
        f[max(0, y - 6):y + 6, :] *= np.linspace(0.92, 0.8, 12)[: f[max(0, y - 6):y + 6, :].shape[0], None]
    else:
        x = int(w * rng.uniform(0.3, 0.7))
        f[:, max(0, x - 5):x + 5] *= 0.85
    return _mul(a, f)


def holes(a: np.ndarray, rng: random.Random, dpi: int) -> None:
    """Two filing punch holes 80 mm apart at the binding edge; the scanner lid shows through."""
    h, w = a.shape[:2]
    mm = dpi / 25.4
    x = int(rng.uniform(9, 14) * mm)
    c = int(rng.choice([25, 60, 200]))
    col = (c, c, c) if a.ndim == 3 else c
    for y in (h / 2 - 40 * mm, h / 2 + 40 * mm):
        cv2.circle(a, (x, int(y + rng.uniform(-5, 5) * mm)), int(3 * mm), col, -1, cv2.LINE_AA)


def staple(a: np.ndarray, rng: random.Random, dpi: int) -> None:
    mm = dpi / 25.4
    x, y = int(rng.uniform(8, 20) * mm), int(rng.uniform(8, 20) * mm)
    ang = rng.uniform(-50, -20)
    d = 12 * mm
    p2 = (int(x + d * math.cos(math.radians(ang))), int(y - d * math.sin(math.radians(ang))))
    shade = (110, 110, 110) if a.ndim == 3 else 110
    cv2.line(a, (x + 4, y + 4), (p2[0] + 4, p2[1] + 4), shade, int(1.5 * mm), cv2.LINE_AA)
    cv2.line(a, (x, y), p2, (70, 70, 70) if a.ndim == 3 else 70, int(0.8 * mm), cv2.LINE_AA)


def lighting(a: np.ndarray, rng: random.Random, level: float) -> np.ndarray:
    """Uneven illumination plus a shadow where the bound edge lifts off the glass."""
    h, w = a.shape[:2]
    ys, xs = np.linspace(0, 1, h, dtype=np.float32)[:, None], np.linspace(0, 1, w, dtype=np.float32)[None, :]
    gx, gy = rng.uniform(-0.12, 0.12) * level, rng.uniform(-0.12, 0.12) * level
    f = 1.0 - np.abs(gx) / 2 + gx * (xs - 0.5) + gy * (ys - 0.5)
    if rng.random() < 0.3 + 0.5 * level:
        width = rng.uniform(0.02, 0.08)
        depth = rng.uniform(0.2, 0.6) * (0.5 + level)
        edge = xs if rng.random() < 0.8 else ys
        f = f * (1.0 - depth * np.exp(-edge / width))
    return _mul(a, np.broadcast_to(f, (h, w)).astype(np.float32))


def skew(a: np.ndarray, angle: float, fill: int) -> np.ndarray:
    h, w = a.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    border = (fill, fill, fill) if a.ndim == 3 else fill
    return cv2.warpAffine(a, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=border)


def photograph(a: np.ndarray, rng: random.Random) -> np.ndarray:
    """A phone photo of the sheet on a desk: perspective, background, vignetting, colour cast."""
    h, w = a.shape[:2]
    s = rng.uniform(0.04, 0.1)
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    jitter = lambda: rng.uniform(-0.035, 0.035)  # noqa: E731
    dst = np.float32([[w * (s + jitter()), h * (s + jitter())], [w * (1 - s + jitter()), h * (s * 0.6 + jitter())],
                      [w * (1 - s * 0.7 + jitter()), h * (1 - s + jitter())], [w * (s * 1.2 + jitter()), h * (1 - s * 0.5 + jitter())]])
    m = cv2.getPerspectiveTransform(src, dst)
    bg = rng.randrange(60, 150)
    border = (bg, int(bg * 0.92), int(bg * 0.8)) if a.ndim == 3 else bg
    out = cv2.warpPerspective(a, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=border)
    ys, xs = np.ogrid[-1:1:complex(0, h), -1:1:complex(0, w)]
    vig = (1.0 - rng.uniform(0.15, 0.35) * (xs ** 2 + ys ** 2)).astype(np.float32)
    out = _mul(out, vig)
    if out.ndim == 3:  # warm indoor light
        cast = np.array([1.0, rng.uniform(0.93, 0.99), rng.uniform(0.82, 0.93)], np.float32)
        out = np.clip(out.astype(np.float32) * cast, 0, 255).astype(np.uint8)
    return out


def edge_line(a: np.ndarray, rng: random.Random) -> None:
    """The dark line a scanner leaves when the sheet sits slightly off the glass edge."""
    h, w = a.shape[:2]
    c = (40, 40, 40) if a.ndim == 3 else 40
    if rng.random() < 0.5:
        x = rng.randrange(0, 12) if rng.random() < 0.5 else w - rng.randrange(1, 12)
        cv2.line(a, (x, 0), (x, h), c, rng.randrange(2, 6))
    else:
        y = rng.randrange(0, 12) if rng.random() < 0.5 else h - rng.randrange(1, 12)
        cv2.line(a, (0, y), (w, y), c, rng.randrange(2, 6))


def scan(clean: np.ndarray, p: ScanParams, rng: random.Random, dpi: int, back: np.ndarray | None) -> np.ndarray:
    """Clean RGB page -> what lands in the file (uint8, RGB or L; bilevel as 0/255 L)."""
    lv = p.level
    a = clean if p.mode == "rgb" else _gray(clean)
    a = a.copy()
    paper = rng.uniform(0.93, 1.0)
    if back is not None and rng.random() < 0.25 + 0.5 * lv:
        a = bleed_through(a, back, rng)
    if not p.blank:
        if rng.random() < 0.12 + 0.3 * lv:
            pen_marks(a, rng)
        if rng.random() < 0.5 * lv:  # faded toner / low contrast
            k = rng.uniform(0.45, 0.85)
            a = (255 - (255 - a.astype(np.float32)) * k).astype(np.uint8)
    if rng.random() < 0.25 * lv:
        a = fold(a, rng)
    a = _mul(a, np.full(a.shape[:2], paper, np.float32))
    if rng.random() < 0.2 + 0.3 * lv:
        holes(a, rng, dpi)
    if rng.random() < 0.1 + 0.2 * lv:
        staple(a, rng, dpi)
    if p.photo:
        a = photograph(a, rng)
    else:
        a = lighting(a, rng, lv)
        angle = rng.gauss(0, 0.4 + 1.2 * lv)
        angle = max(-3.0, min(3.0, angle))
        if abs(angle) > 0.05:
            a = skew(a, angle, rng.choice([255, 255, 235, 30]))
    if p.blank and rng.random() < 0.35:
        edge_line(a, rng)
    if rng.random() < 0.2 + 0.5 * lv:
        a = cv2.GaussianBlur(a, (0, 0), rng.uniform(0.4, 0.6 + 1.0 * lv))
    if rng.random() < 0.3 + 0.6 * lv:
        noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, 2 + 8 * lv, a.shape[:2]).astype(np.float32)
        if a.ndim == 3:
            noise = noise[:, :, None]
        a = np.clip(a.astype(np.float32) + noise, 0, 255).astype(np.uint8)
    if p.mode == "bw":
        a = _gray(a)
        if rng.random() < 0.5:
            _, a = cv2.threshold(a, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        else:
            a = np.where(a > rng.randrange(120, 190), 255, 0).astype(np.uint8)
    if p.rotation:
        a = np.ascontiguousarray(np.rot90(a, k=-(p.rotation // 90)))  # k<0: clockwise
    return a

"""Things on a sheet that are not printed text: red round seals, red fingerprints, handwritten
signatures and ID photos. They are drawn as ink masks and multiplied onto the page, so printed
text under a seal stays visible the way it does on paper."""

from __future__ import annotations

import math
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from .fonts import font


def overlay(img: np.ndarray, mask: np.ndarray, cx: float, cy: float, color: tuple[int, int, int],
            opacity: float = 1.0) -> None:
    """Multiply-blend an ink mask (floats 0..1) centred at (cx, cy) onto an RGB page in place."""
    h, w = mask.shape
    x0, y0 = int(round(cx - w / 2)), int(round(cy - h / 2))
    X0, Y0 = max(0, x0), max(0, y0)
    X1, Y1 = min(img.shape[1], x0 + w), min(img.shape[0], y0 + h)
    if X1 <= X0 or Y1 <= Y0:
        return
    m = mask[Y0 - y0:Y1 - y0, X0 - x0:X1 - x0, None] * opacity
    region = img[Y0:Y1, X0:X1].astype(np.float32)
    tint = np.array(color, np.float32) / 255.0
    region *= 1.0 - m * (1.0 - tint)
    img[Y0:Y1, X0:X1] = region.astype(np.uint8)


def _smooth_noise(rng: np.random.Generator, h: int, w: int, scale: float) -> np.ndarray:
    """Low-frequency noise in 0..1 (uneven ink, uneven pressure)."""
    sh, sw = max(2, int(h / scale)), max(2, int(w / scale))
    small = rng.random((sh, sw), dtype=np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC).clip(0, 1)


def seal_mask(text: str, center: str, d: int, rng: np.random.Generator, star: bool = True,
              code: str = "", ellipse: bool = False) -> np.ndarray:
    d = max(40, d)
    im = Image.new("L", (d, d), 0)
    dr = ImageDraw.Draw(im)
    ring = max(2, int(d * 0.035))
    dr.ellipse([ring // 2, ring // 2, d - 1 - ring // 2, d - 1 - ring // 2], outline=255, width=ring)
    c = d / 2
    if star:
        r_out, r_in = d * 0.165, d * 0.165 * 0.382
        pts = []
        for k in range(10):
            a = -math.pi / 2 + k * math.pi / 5
            r = r_out if k % 2 == 0 else r_in
            pts.append((c + r * math.cos(a), c + r * math.sin(a)))
        dr.polygon(pts, fill=255)
    n = len(text)
    if n:
        fpx = int(d * (0.135 if n <= 12 else 0.118 if n <= 16 else 0.1))
        f = font("song_bold" if n <= 14 else "hei_bold", fpx)
        span = min(250.0, 21.0 * (n - 1) + 20) if n > 1 else 0
        step = span / (n - 1) if n > 1 else 0
        radius = c - ring - fpx * 0.62
        for i, ch in enumerate(text):
            ang = -90 - span / 2 + i * step
            a = math.radians(ang)
            px, py = c + radius * math.cos(a), c + radius * math.sin(a)
            tile = Image.new("L", (int(fpx * 1.5), int(fpx * 1.5)), 0)
            ImageDraw.Draw(tile).text((tile.width / 2, tile.height / 2), ch, fill=255, font=f, anchor="mm")
            tile = tile.resize((int(tile.width * 0.82), tile.height))  # seal characters are narrow
            tile = tile.rotate(-(ang + 90), resample=Image.BICUBIC, expand=True)
            im.paste(255, (int(px - tile.width / 2), int(py - tile.height / 2)), tile)
    if center:
        f2 = font("song_bold", int(d * 0.085))
        dr.text((c, c + d * 0.27), center, fill=255, font=f2, anchor="mm")
    if code:
        f3 = font("hei", int(d * 0.05))
        dr.text((c, d - ring - d * 0.08), code, fill=255, font=f3, anchor="mm")
    m = np.asarray(im, np.float32) / 255.0
    if ellipse:
        m = cv2.resize(m, (d, int(d * 0.72)))
    # Uneven ink: soft patchy density, a few dropouts, a little spread.
    h, w = m.shape
    dens = 0.55 + 0.45 * _smooth_noise(rng, h, w, d / 6)
    drop = (_smooth_noise(rng, h, w, 3.0) > rng.uniform(0.05, 0.2)).astype(np.float32)
    m = m * dens * (0.5 + 0.5 * drop)
    m = cv2.GaussianBlur(m, (0, 0), max(0.5, d / 400))
    angle = float(rng.uniform(-25, 25))
    rot = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(m, rot, (w, h)).clip(0, 1)


def fingerprint_mask(w: int, h: int, rng: np.random.Generator, angle: float, strength: float,
                     ridge_px: float) -> np.ndarray:
    w, h = max(8, w), max(8, h)
    size = max(w, h)
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    x = (xx - size / 2) / (w / 2)
    y = (yy - size / 2) / (h / 2)
    rr = np.sqrt(x * x + y * y)
    warp = _smooth_noise(rng, size, size, size / 3) - 0.5
    cy = float(rng.uniform(-0.3, 0.1))
    loop = np.sqrt(x * x * 1.1 + (y - cy) ** 2 * 0.8) + 0.18 * warp
    phase = loop * (size / 2) / ridge_px * 2 * math.pi + 0.6 * np.arctan2(y, x)
    ridges = (np.sin(phase) > rng.uniform(-0.2, 0.3)).astype(np.float32)
    edge = np.clip((1.0 - rr) * 4.0, 0, 1)  # soft rim of the ellipse
    press = np.clip(0.35 + 0.9 * _smooth_noise(rng, size, size, size / 2.5) * (1.1 - rr * 0.6), 0, 1)
    m = ridges * edge * press * strength
    m = cv2.GaussianBlur(m, (0, 0), 0.7)
    rot = cv2.getRotationMatrix2D((size / 2, size / 2), angle, 1.0)
    return cv2.warpAffine(m, rot, (size, size)).clip(0, 1)


def signature_mask(text: str, em: int, rng: np.random.Generator, angle: float) -> np.ndarray:
    """Handwriting-like: brush-style glyphs with uneven size, position and slant."""
    em = max(8, em)
    n = len(text)
    w, h = int(em * (n * 0.95 + 1.2)), int(em * 1.8)
    im = Image.new("L", (w, h), 0)
    x = em * 0.4
    for ch in text:
        s = float(rng.choice((0.85, 0.95, 1.05, 1.15)))  # few sizes: each size is a cached font
        f = font("kai", int(em * s) // 2 * 2)
        tile = Image.new("L", (int(em * 1.8), int(em * 1.8)), 0)
        ImageDraw.Draw(tile).text((tile.width / 2, tile.height / 2), ch, fill=255, font=f, anchor="mm")
        tile = tile.rotate(float(rng.uniform(-10, 10)), resample=Image.BICUBIC)
        tile = tile.transform(tile.size, Image.AFFINE, (1, float(rng.uniform(0.1, 0.35)), -tile.height * 0.15, 0, 1, 0),
                              resample=Image.BICUBIC)
        y = (h - tile.height) / 2 + rng.uniform(-0.12, 0.12) * em
        im.paste(255, (int(x - em * 0.4), int(y)), tile)
        x += em * (0.55 if ch.isascii() else 0.95) * float(rng.uniform(0.85, 1.05))
    if rng.random() < 0.6:
        im = im.filter(ImageFilter.MaxFilter(3))
    m = np.asarray(im, np.float32) / 255.0
    m *= 0.75 + 0.25 * _smooth_noise(rng, h, w, em)
    rot = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(m, rot, (w, h)).clip(0, 1)


def draw_photo(img: Image.Image, box: tuple[int, int, int, int], rng: random.Random) -> None:
    """An ID-style photo: plain background, dark hair, face and shoulders (clipped to the box)."""
    x0, y0, x1, y1 = box
    w, h = max(4, x1 - x0), max(4, y1 - y0)
    ph = Image.new("RGB", (w, h), rng.choice(((200, 214, 230), (225, 225, 225), (190, 60, 60), (70, 120, 200), (235, 235, 235))))
    dr = ImageDraw.Draw(ph)
    skin = tuple(int(v) for v in (rng.uniform(170, 215), rng.uniform(135, 170), rng.uniform(110, 140)))
    cloth = rng.choice(((40, 40, 50), (70, 70, 90), (230, 230, 230), (60, 80, 110)))
    cx = w / 2 + rng.uniform(-0.04, 0.04) * w
    dr.ellipse([cx - w * 0.48, h * 0.74, cx + w * 0.48, h * 1.3], fill=cloth)
    dr.rectangle([cx - w * 0.1, h * 0.55, cx + w * 0.1, h * 0.8], fill=skin)
    dr.ellipse([cx - w * 0.24, h * 0.17, cx + w * 0.24, h * 0.66], fill=skin)
    hair = rng.choice(((20, 20, 20), (40, 30, 25), (60, 50, 40)))
    dr.chord([cx - w * 0.26, h * 0.12, cx + w * 0.26, h * 0.5], 180, 360, fill=hair)
    ey = h * 0.42
    for ex in (cx - w * 0.09, cx + w * 0.09):
        dr.ellipse([ex - w * 0.025, ey - h * 0.012, ex + w * 0.025, ey + h * 0.012], fill=(30, 30, 30))
    dr.line([cx - w * 0.07, h * 0.56, cx + w * 0.07, h * 0.56], fill=(120, 70, 70), width=max(1, w // 60))
    ph = ph.filter(ImageFilter.GaussianBlur(max(0.5, w / 150)))
    img.paste(ph, (x0, y0))
    ImageDraw.Draw(img).rectangle(box, outline=(80, 80, 80), width=1)

"""Scanner and archive damage, as moderate as a county records room produces: skew, pages fed
sideways or upside down, punch holes, staple shadows, stains, fold lines, dark lid borders, low
contrast, sensor noise, JPEG artefacts, bilevel thresholding; blank backs with bleed-through."""

from __future__ import annotations

import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


_TILE: np.ndarray | None = None


def _noise_tile() -> np.ndarray:
    """A fixed field of Gaussian noise (sigma 4), larger than any page, read at random offsets."""
    global _TILE
    if _TILE is None:
        _TILE = np.clip(np.random.default_rng(20240101).normal(0.0, 4.0, size=(3700, 3700)), -127, 127).astype(np.int16)
    return _TILE


def degrade(img: Image.Image, rng: random.Random, rotation: int, bilevel: bool, heavy: bool = False) -> Image.Image:
    """``rotation``: the clockwise degrees that make the result upright (0/90/180/270)."""
    seed = rng.randrange(2**31)
    nrs = np.random.default_rng(seed)
    color = img.mode == "RGB"
    W, H = img.size
    d = ImageDraw.Draw(img)
    k = W / 210.0  # px per mm, roughly
    fill = (236, 234, 226) if color else 238
    # archive marks first (they are on the paper)
    if rng.random() < 0.25:  # binder punch holes in the left margin
        for yy in (0.35, 0.65):
            cx, cy, r = 9 * k, H * yy, 3 * k
            d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(40, 40, 40) if color else 40)
    if rng.random() < 0.2:  # staple and its shadow at the top left
        x0, y0 = rng.uniform(8, 20) * k, rng.uniform(6, 14) * k
        d.line([(x0, y0), (x0 + 12 * k, y0 - 2 * k)], fill=(90, 90, 90) if color else 90, width=max(2, int(0.7 * k)))
    if rng.random() < (0.25 if heavy else 0.08):  # a stain: a faint ring of tea or coffee
        cx, cy = rng.uniform(0.2, 0.8) * W, rng.uniform(0.2, 0.85) * H
        r = rng.uniform(12, 30) * k
        tone = (205, 190, 160) if color else 205
        for w in range(3):
            d.ellipse([cx - r - w * 2, cy - r * 0.9, cx + r + w * 2, cy + r * 0.9], outline=tone, width=max(2, int(1.2 * k)))
    if rng.random() < 0.12:  # a fold line across the sheet
        yy = H * rng.uniform(0.3, 0.6)
        d.line([(0, yy), (W, yy + rng.uniform(-8, 8))], fill=(215, 215, 215) if color else 215, width=max(1, int(0.5 * k)))

    # contrast / brightness (faded toner, low-contrast scan) through a lookup table
    if rng.random() < (0.35 if heavy else 0.18):
        lo, hi = rng.uniform(60, 120), rng.uniform(215, 240)
    else:
        lo, hi = rng.uniform(0, 25), rng.uniform(238, 252)
    lut = [int(lo + v * (hi - lo) / 255.0) for v in range(256)]
    img = img.point(lut * (3 if color else 1))
    # sensor noise from a shared noise tile at a random offset, plus uneven illumination
    a = np.asarray(img, dtype=np.int16)
    h, w = a.shape[:2]
    tile = _noise_tile()
    oy = int(nrs.integers(0, max(1, tile.shape[0] - h)))
    ox = int(nrs.integers(0, max(1, tile.shape[1] - w)))
    if h <= tile.shape[0] and w <= tile.shape[1]:
        noise = tile[oy:oy + h, ox:ox + w]
    else:
        noise = np.resize(tile, (h, w))
    quarter = max(1, int(rng.uniform(0.5, 1.6) * (1.5 if heavy else 1.0) * 4))
    noise = (noise * quarter) >> 2
    if rng.random() < 0.25:  # one side darker
        ramp = np.linspace(rng.uniform(-18, 0), rng.uniform(0, 6), w).astype(np.int16)
        noise = noise + ramp[None, :]
    a = a + (noise[..., None] if color else noise)
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB" if color else "L")
    if rng.random() < 0.3:
        img = img.filter(ImageFilter.SMOOTH)

    # skew (paper fed slightly askew); white-ish fill like the scanner's background
    angle = max(-2.5, min(2.5, rng.gauss(0.0, 0.7)))
    if abs(angle) > 0.08:
        resample = Image.NEAREST if (bilevel or rng.random() < 0.5) else Image.BILINEAR
        img = img.rotate(angle, resample=resample, expand=False, fillcolor=fill)
    if rotation:
        img = img.rotate(rotation, expand=True)  # counter-clockwise; clockwise `rotation` undoes it
    if rng.random() < 0.15:  # dark border from the scanner lid along one edge
        d = ImageDraw.Draw(img)
        w = int(rng.uniform(2, 7) * k)
        side = rng.randrange(4)
        box = [(0, 0, w, img.height), (img.width - w, 0, img.width, img.height), (0, 0, img.width, w), (0, img.height - w, img.width, img.height)][side]
        d.rectangle(box, fill=(55, 55, 55) if color else 55)
    if bilevel:
        gray = img.convert("L")
        thr = rng.randint(150, 190)
        img = gray.point(lambda v: 255 if v > thr else 0).convert("1", dither=Image.Dither.NONE)
    return img


def blank_page(rng: random.Random, size: tuple[int, int], color: bool, bleed: Image.Image | None) -> Image.Image:
    """The empty back of a sheet: paper tone, noise, maybe the front's text showing through."""
    W, H = size
    base = Image.new("L", (W, H), 246)
    if bleed is not None:
        mirrored = bleed.convert("L").resize((W, H)).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        fade = rng.uniform(0.04, 0.09)
        base = Image.blend(base, mirrored, fade)
    return base.convert("RGB") if color else base

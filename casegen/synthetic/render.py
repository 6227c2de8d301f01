"""Draw a `LayoutPage` as a clean (undamaged) RGB image at a given dpi.

The marks of a sheet (seal ink, handwriting jitter, fingerprint ridges) are seeded from the page
itself, so a duplicate scan of the same sheet shows the same marks; only the scan damage differs.
"""

from __future__ import annotations

import random

import numpy as np
from PIL import Image, ImageDraw

from . import marks
from .fonts import font
from .layout import MM_PER_PT, LayoutPage, Mark, Rect, Rule, TextLine

PAPER = (255, 255, 255)


def render(page: LayoutPage, dpi: int) -> np.ndarray:
    s = dpi / 25.4  # px per mm
    size = (int(round(page.width * s)), int(round(page.height * s)))
    im = Image.new("RGB", size, PAPER)
    dr = ImageDraw.Draw(im)
    rng = random.Random(page.seed)
    nrng = np.random.default_rng(page.seed)
    overlays: list[Mark] = []
    for it in page.items:
        if isinstance(it, Rect):
            box = [it.x0 * s, it.y0 * s, it.x1 * s, it.y1 * s]
            if it.fill:
                dr.rectangle(box, fill=it.fill)
            if it.width > 0:
                dr.rectangle(box, outline=it.color, width=max(1, round(it.width * s)))
        elif isinstance(it, Rule):
            dr.line([(it.x0 * s, it.y0 * s), (it.x1 * s, it.y1 * s)], fill=it.color, width=max(1, round(it.width * s)))
        elif isinstance(it, TextLine):
            _draw_line(dr, it, s)
        elif isinstance(it, Mark):
            if it.kind == "photo":
                marks.draw_photo(im, (int((it.x - it.w / 2) * s), int((it.y - it.h / 2) * s),
                                      int((it.x + it.w / 2) * s), int((it.y + it.h / 2) * s)), rng)
            else:
                overlays.append(it)
    arr = np.asarray(im).copy()
    for mk in overlays:
        cx, cy = mk.x * s, mk.y * s
        if mk.kind == "seal":
            d = int(mk.w * s)
            m = marks.seal_mask(mk.data.get("text", ""), mk.data.get("center", ""), d, nrng,
                                star=mk.data.get("star", True), code=mk.data.get("code", ""),
                                ellipse=mk.data.get("ellipse", False))
            color = mk.data.get("color", (205, 38, 44))
            marks.overlay(arr, m, cx, cy, color, float(nrng.uniform(0.7, 0.95)))
        elif mk.kind == "fingerprint":
            m = marks.fingerprint_mask(int(mk.w * s), int(mk.h * s), nrng, mk.data.get("angle", 0.0),
                                       mk.data.get("strength", 0.8), ridge_px=max(2.0, 0.5 * s))
            marks.overlay(arr, m, cx, cy, (200, 25, 40), 1.0)
        elif mk.kind == "signature":
            m = marks.signature_mask(mk.data["text"], int(mk.data["em"] * s), nrng, mk.data.get("angle", 0.0))
            marks.overlay(arr, m, cx, cy, mk.data.get("ink", (20, 30, 90)), 0.92)
    return arr


def _draw_line(dr: ImageDraw.ImageDraw, tl: TextLine, s: float) -> None:
    x = tl.x * s
    by = tl.baseline * s
    for run in tl.runs:
        x += run.gap * s
        px = int(round(run.size * MM_PER_PT * s))
        f = font(run.family, px)
        natural = f.getlength(run.text) + run.tracking * px * max(0, len(run.text) - 1)
        width = max(natural, run.min_width * s)
        tx = x + (width - natural) / 2 if run.min_width else x
        if abs(run.tracking) < 0.005:
            dr.text((tx, by), run.text, fill=run.color, font=f, anchor="ls")
        else:
            cx = tx
            for ch in run.text:
                dr.text((cx, by), ch, fill=run.color, font=f, anchor="ls")
                cx += f.getlength(ch) + run.tracking * px
        if run.underline:
            uy = by + px * 0.18
            dr.line([(x, uy), (x + width, uy)], fill=run.color, width=max(1, round(px / 18)))
        x += width

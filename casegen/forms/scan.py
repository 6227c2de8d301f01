"""What a scanner and a tired clerk do to clean pages, and the files they leave behind."""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

_FIXED = dt.datetime(2025, 1, 1)  # PDF creation date: the files stay byte-identical for a seed


@dataclass
class Look:
    """How one sheet went through the scanner."""

    skew: float  # degrees, counter-clockwise
    rotation: int  # clockwise degrees needed to stand the scan upright (0/90/180/270)
    shift: tuple[int, int]  # pixels
    paper: float  # paper tone (white level)
    contrast: float
    shadow: float  # binding-edge shadow depth, 0 = none
    holes: bool  # punch holes at the binding edge
    speckle: float  # dots per megapixel
    noise: float  # gaussian sigma
    blur: float
    bilevel: bool
    threshold: int
    colour: bool  # keep RGB (phone photo)
    seed: int


def random_look(rng: random.Random, rotation: int, bilevel: bool, colour: bool) -> Look:
    skew = max(-4.0, min(4.0, rng.gauss(0, 1.3)))
    if rng.random() < 0.25:
        skew = 0.0
    return Look(
        skew=skew, rotation=rotation, shift=(rng.randint(-25, 25), rng.randint(-25, 25)),
        paper=rng.uniform(232, 252), contrast=rng.uniform(0.8, 1.0),
        shadow=rng.uniform(30, 110) if rng.random() < 0.45 else 0.0, holes=rng.random() < 0.3,
        speckle=rng.uniform(5, 60) if rng.random() < 0.6 else 0.0, noise=rng.uniform(2, 9),
        blur=rng.uniform(0.3, 0.9) if rng.random() < 0.5 else 0.0, bilevel=bilevel,
        threshold=rng.randint(150, 185), colour=colour, seed=rng.randrange(1 << 30),
    )


def scan(img: Image.Image, look: Look, dpi: int) -> Image.Image:
    """Degrade a clean RGB render into a scan: grey (or RGB, or bilevel)."""
    g = np.random.default_rng(look.seed)
    im = img if look.colour else img.convert("L")
    fill = (255, 255, 255) if look.colour else 255
    if look.skew:
        im = im.rotate(look.skew, resample=Image.Resampling.BILINEAR, fillcolor=fill)
    if look.shift != (0, 0):
        canvas = Image.new(im.mode, im.size, fill)
        canvas.paste(im, look.shift)
        im = canvas
    if look.rotation:
        im = im.rotate(look.rotation, expand=True)  # counter-clockwise; upright again after a clockwise turn
    if look.blur:
        im = im.filter(ImageFilter.GaussianBlur(look.blur * dpi / 200))
    a = np.asarray(im, dtype=np.float32)
    h, w = a.shape[:2]
    a = look.paper - (255.0 - a) * look.contrast
    if look.colour:  # uneven phone-camera light and a warm cast
        yy, xx = np.ogrid[0:h, 0:w]
        vign = 1 - 0.18 * (((xx - w / 2) / w) ** 2 + ((yy - h / 2) / h) ** 2) * 4
        a = a * vign[..., None] * np.array([1.0, 0.97, 0.9], dtype=np.float32)
    shade = None
    if look.shadow:
        sw = int(w * 0.07)
        ramp = np.linspace(1.0, 0.0, sw, dtype=np.float32) ** 2 * look.shadow
        shade = np.zeros(w, dtype=np.float32)
        shade[:sw] = ramp
    if shade is not None:
        a -= shade[None, :, None] if a.ndim == 3 else shade[None, :]
    if look.holes:
        r = int(3.0 * dpi / 25.4)
        cx = int(11 * dpi / 25.4)
        for cy in (h // 2 - int(40 * dpi / 25.4), h // 2 + int(40 * dpi / 25.4)):
            y0, y1, x0, x1 = max(0, cy - r), min(h, cy + r), max(0, cx - r), min(w, cx + r)
            yy, xx = np.ogrid[y0:y1, x0:x1]
            disk = (yy - cy) ** 2 + (xx - cx) ** 2 <= r * r
            sub = a[y0:y1, x0:x1]
            sub[disk] = 45.0
    if look.noise:
        small = g.normal(0, look.noise, (h // 2 + 1, w // 2 + 1)).astype(np.float32)
        n = np.repeat(np.repeat(small, 2, axis=0), 2, axis=1)[:h, :w]
        a += n[..., None] if a.ndim == 3 else n
    if look.speckle:
        k = int(look.speckle * h * w / 1e6)
        ys, xs = g.integers(0, h, k), g.integers(0, w, k)
        a[ys, xs] = g.uniform(20, 120, k)[:, None] if a.ndim == 3 else g.uniform(20, 120, k)
    a = np.clip(a, 0, 255).astype(np.uint8)
    out = Image.fromarray(a)
    if look.bilevel:
        out = out.point(lambda v, t=look.threshold: 255 if v > t else 0).convert("1", dither=Image.Dither.NONE)
    return out


def blank(size: tuple[int, int], rng: random.Random, ghost: Image.Image | None, look: Look, dpi: int) -> Image.Image:
    """An empty sheet: paper, noise, sometimes the faint mirror image of the other side's print."""
    img = Image.new("RGB", size, (255, 255, 255))
    if ghost is not None and rng.random() < 0.6:
        g = ghost.convert("L").resize(size).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        a = 255 - (255 - np.asarray(g, dtype=np.float32)) * rng.uniform(0.04, 0.09)
        img = Image.fromarray(a.astype(np.uint8)).convert("RGB")
    return scan(img, look, dpi)


# ------------------------------------------------------------------------------------------------
# files


def write(path: Path, kind: str, images: list[Image.Image], dpi: int, quality: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "pdf_pil":
        ims = [im if im.mode in ("1", "L", "RGB") else im.convert("L") for im in images]
        q = {} if any(im.mode == "1" for im in ims) else {"quality": quality}
        ims[0].save(path, "PDF", save_all=True, append_images=ims[1:], resolution=float(dpi), **q,
                    title="scan", creationDate=_FIXED.timetuple(), modDate=_FIXED.timetuple())
    elif kind == "pdf_rl":
        from reportlab import rl_config
        from reportlab.lib.utils import ImageReader
        from reportlab.pdfgen import canvas

        rl_config.useA85 = 0  # raw binary image streams (the pure-Python ASCII85 encoder is slow)

        c = canvas.Canvas(str(path), invariant=1)
        for im in images:
            buf = io.BytesIO()
            if im.mode == "1":
                im.save(buf, "PNG", optimize=False)
            else:
                im.save(buf, "JPEG", quality=quality)
            buf.seek(0)
            wpt, hpt = im.size[0] * 72.0 / dpi, im.size[1] * 72.0 / dpi
            c.setPageSize((wpt, hpt))
            c.drawImage(ImageReader(buf), 0, 0, wpt, hpt)
            c.showPage()
        c.save()
    elif kind == "tiff":
        ims = images
        if all(im.mode == "1" for im in ims):
            comp = "group4"
        else:
            ims = [im.convert("L") if im.mode == "1" else im for im in ims]
            comp = "jpeg"
        extra = {"quality": quality} if comp == "jpeg" else {}
        ims[0].save(path, "TIFF", save_all=True, append_images=ims[1:], compression=comp, dpi=(dpi, dpi), **extra)
    elif kind == "jpg":
        im = images[0]
        (im.convert("L") if im.mode == "1" else im).save(path, "JPEG", quality=quality, dpi=(dpi, dpi))
    elif kind == "png":
        images[0].save(path, "PNG", dpi=(dpi, dpi))
    else:
        raise ValueError(kind)


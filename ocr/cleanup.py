"""A page's scan as the dossier keeps it: what a clerk reads, without what only costs bytes.

A JPEG of a scan spends most of its bytes on the paper: its grain, its shade and the faint tint
of a colour scanner. Kept as it is, a 200-dpi page takes about 300 KB. Cleaned as archives
digitize (DA/T 31: grey for plain pages, colour where a page has colour), it takes a third:

- a page without colour (no seal, no coloured ink, no fingerprint) is kept in grey;
- a light blur (σ = 1 px, a third of a stroke of 五号 print at 200 dpi) takes the grain;
- the paper's shade (a lid's shadow, a curled edge, a tinted sheet) is divided out, channel by
  channel, as estimated around each point from the paper alone; where that estimate is far
  darker than the page's paper there is no paper (a photo, a filled box) and nothing is evened;
- a levels curve then maps the paper, and the grain just below it, to white. Ink, seals and
  photos keep their tone, a few percent lighter. A page whose commonest shade is dark (a photo,
  a black cover) is left as it is.

The text layer does not change: it was read from the scan before.
"""

from __future__ import annotations

import cv2
import numpy as np

GRAIN_SIGMA = 1.0  # px of blur before the levels
COLOUR_CHROMA = 24  # max - min of R, G, B on an eighth-size copy: coloured ink, not scanner noise
COLOUR_PIXELS = 8  # eighth-size pixels (64 full-size each) of colour that keep a page in colour
GRAIN_SPREAD = 3.0  # the white point lies this many grain deviations below the paper
LIGHTEST_DARK_PAPER = 160  # a page whose commonest shade is darker than this is no paper page
SHADE_WINDOW = 25  # eighth-size pixels (25 mm at 200 dpi): wider than a fingerprint, a table's shaded row or any stroke
SHADE_DEPTH = 0.8  # a shade darker than this share of the page's paper is no paper
EVEN_PAPER = 240  # where evened-out paper lies before the levels (room above it for the grain)


def has_colour(rgb: np.ndarray) -> bool:
    """Whether an RGB page has colour a reader would miss in grey: a seal, coloured ink, a red
    fingerprint. An eighth-size copy averages away scanner noise and JPEG colour fringes."""
    h, w = rgb.shape[:2]
    small = cv2.resize(rgb, (max(1, w // 8), max(1, h // 8)), interpolation=cv2.INTER_AREA).astype(np.int16)
    return int((small.max(axis=2) - small.min(axis=2) > COLOUR_CHROMA).sum()) >= COLOUR_PIXELS


def _levelled(channel: np.ndarray) -> np.ndarray:
    """One channel blurred, its paper evened out (divided by the paper's own shade, estimated
    around each point) and levelled so that the paper is white."""
    soft = cv2.GaussianBlur(channel, (0, 0), GRAIN_SIGMA)
    paper = int(cv2.calcHist([soft], [0], None, [256], [0, 256]).argmax())
    if paper < LIGHTEST_DARK_PAPER:
        return channel
    # the paper's shade: an eighth-size copy closed (strokes gone) and smoothed. Where it is far
    # darker than the page's paper there is no paper (a photo, a black box): the page's level holds
    h, w = soft.shape
    small = cv2.resize(soft, (max(1, w // 8), max(1, h // 8)), interpolation=cv2.INTER_AREA)
    shade = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((SHADE_WINDOW, SHADE_WINDOW), np.uint8))
    shade[shade < SHADE_DEPTH * paper] = paper
    shade = cv2.resize(cv2.GaussianBlur(shade, (0, 0), 2), (w, h), interpolation=cv2.INTER_LINEAR)
    even = cv2.divide(soft, shade, scale=EVEN_PAPER)  # uint8 all through: a colour page is 12 M values
    # the grain's spread from the lighter side of the paper peak: ink only darkens the other
    hist = cv2.calcHist([even], [0], None, [256], [0, 256]).ravel()
    peak = int(hist.argmax())
    lighter = hist[peak:]
    spread = float(np.sqrt((lighter * (np.arange(peak, 256) - peak) ** 2).sum() / lighter.sum()))
    white = peak - GRAIN_SPREAD * max(spread, 1.0)
    lut = np.clip(np.arange(256) * (255.0 / white), 0, 255).astype(np.uint8)
    return cv2.LUT(even, lut)


def cleaned(image: np.ndarray) -> np.ndarray:
    """The page as it is stored: grey (H×W) unless it has colour (H×W×3), paper levelled to white."""
    rgb = image[..., :3] if image.ndim == 3 else image
    if rgb.ndim == 3 and has_colour(rgb):
        return np.dstack([_levelled(np.ascontiguousarray(rgb[..., k])) for k in range(3)])
    grey = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY) if rgb.ndim == 3 else rgb
    return _levelled(grey)

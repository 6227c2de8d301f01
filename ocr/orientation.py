"""Make a scan upright: quarter turns and skew from the geometry of detected text lines,
upside-down from the PP-OCR direction classifier, with recognition scores as the tie-breaker.

Text lines are the best evidence a document page has: their long sides give the reading axis to a
fraction of a degree, which a whole-page classifier cannot.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.detect import DetectedLine
from ocr.direction import DirectionClassifier
from ocr.recognize import TextRecognizer


@dataclass(frozen=True)
class Orientation:
    rotation: int  # clockwise quarter turns applied, in degrees: 0, 90, 180, 270
    skew: float  # further clockwise degrees applied to level the lines

    @property
    def total(self) -> float:
        return self.rotation + self.skew


@dataclass(frozen=True)
class OrientOptions:
    min_skew: float = 0.25  # below this a re-sample costs more than it fixes
    sample_lines: int = 12


def reading_axis(lines: list[DetectedLine]) -> tuple[int, float]:
    """The quarter turn (0 or 90) and the skew that make the dominant text direction horizontal."""
    angles, weights = [], []
    for line in lines:
        w, h = line.size
        if w < 3 * h:  # single characters and squares say nothing about direction
            continue
        dx, dy = line.quad[1] - line.quad[0]
        angles.append(np.degrees(np.arctan2(dy, dx)) % 180.0)
        weights.append(w)
    if not angles:
        return 0, 0.0
    a = np.asarray(angles)
    wts = np.asarray(weights)
    vertical = wts[(a > 45) & (a < 135)].sum() > wts.sum() / 2
    # signed deviation from the axis, in (-45, 45]
    dev = ((a - (90.0 if vertical else 0.0) + 45.0) % 90.0) - 45.0
    near = np.abs(dev - np.median(dev)) < 2.0
    skew = float(np.average(dev[near], weights=wts[near])) if near.any() else 0.0
    # a line at +dev degrees (clockwise in image coordinates) is levelled by turning anticlockwise
    quarter = 270 if vertical else 0
    return quarter, -skew


def rotate(image: np.ndarray, degrees_cw: float) -> tuple[np.ndarray, np.ndarray]:
    """Rotate clockwise on an enlarged canvas; return the image and the 2×3 point transform."""
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -degrees_cw, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(round(h * sin + w * cos)), int(round(h * cos + w * sin))
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    quarter = degrees_cw % 360
    if quarter in (0, 90, 180, 270):  # exact and lossless for quarter turns
        k = {0: 0, 90: 3, 180: 2, 270: 1}[int(quarter)]
        return np.ascontiguousarray(np.rot90(image, k)), m
    out = cv2.warpAffine(image, m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    return out, m


def transform_quads(lines: list[DetectedLine], m: np.ndarray) -> list[DetectedLine]:
    out = []
    for line in lines:
        pts = np.hstack([line.quad, np.ones((4, 1), np.float32)]) @ m.T
        out.append(DetectedLine(pts.astype(np.float32), line.score))
    return out


def line_box(line: DetectedLine, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    x0, y0 = np.floor(line.quad.min(axis=0)).astype(int)
    x1, y1 = np.ceil(line.quad.max(axis=0)).astype(int)
    h, w = shape[:2]
    return max(0, x0), max(0, y0), min(w, x1), min(h, y1)


def crop(image: np.ndarray, line: DetectedLine) -> np.ndarray:
    x0, y0, x1, y1 = line_box(line, image.shape)
    return image[y0:y1, x0:x1]


class Orienter:
    def __init__(self, direction: DirectionClassifier, recognizer: TextRecognizer, options: OrientOptions = OrientOptions()):
        self.direction = direction
        self.recognizer = recognizer
        self.options = options

    def __call__(self, image: np.ndarray, lines: list[DetectedLine]) -> tuple[np.ndarray, list[DetectedLine], Orientation]:
        quarter, skew = reading_axis(lines)
        if abs(skew) < self.options.min_skew:
            skew = 0.0
        upright, m = rotate(image, quarter + skew)
        moved = transform_quads(lines, m)
        if self._upside_down(upright, moved):
            upright, m180 = rotate(upright, 180)
            moved = transform_quads(moved, m180)
            quarter = (quarter + 180) % 360
        return upright, moved, Orientation(quarter, skew)

    def _upside_down(self, image: np.ndarray, lines: list[DetectedLine]) -> bool:
        long = sorted((ln for ln in lines if ln.size[0] >= 3 * ln.size[1]), key=lambda ln: -ln.size[0])
        crops = [c for c in (crop(image, ln) for ln in long[: self.options.sample_lines]) if c.size]
        if not crops:
            return False
        vote = float(np.mean(self.direction.upside_down_votes(crops)))
        if vote < 0.25 or vote > 0.75:
            return vote > 0.5
        # The classifier is unsure: read the lines both ways and keep the more confident reading.
        as_is = self.recognizer(crops[:6])
        flipped = self.recognizer([np.ascontiguousarray(c[::-1, ::-1]) for c in crops[:6]])
        return np.mean([r.score for r in flipped]) > np.mean([r.score for r in as_is])

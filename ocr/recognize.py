"""Text-line recognition with the PP-OCRv4 SVTR model and CTC decoding.

Lines are sorted by aspect ratio and batched, so each batch pads to similar widths: padding is
computed work thrown away.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from ocr.inference import InferenceBackend

HEIGHT = 48


@dataclass(frozen=True)
class Recognized:
    text: str
    score: float


class TextRecognizer:
    def __init__(self, backend: InferenceBackend, batch_size: int = 4):
        self.backend = backend
        self.batch_size = batch_size
        # index 0 is the CTC blank; the model's dictionary ends with a space
        self.alphabet = ["<blank>", *backend.metadata()["character"].splitlines(), " "]

    def __call__(self, crops: list[np.ndarray]) -> list[Recognized]:
        results: list[Recognized | None] = [None] * len(crops)
        order = sorted(range(len(crops)), key=lambda i: crops[i].shape[1] / max(1, crops[i].shape[0]))
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            widths = [_scaled_width(crops[i]) for i in batch]
            width = int(math.ceil(max(widths) / 32) * 32)
            x = np.zeros((len(batch), 3, HEIGHT, width), np.float32)
            for row, (i, w) in enumerate(zip(batch, widths)):
                line = cv2.resize(crops[i], (w, HEIGHT), interpolation=cv2.INTER_LINEAR)
                x[row, :, :, :w] = line.astype(np.float32).transpose(2, 0, 1) / 127.5 - 1.0
            probs = self.backend.run(x)[0]
            for row, i in enumerate(batch):
                results[i] = self._decode(probs[row])
        return results  # type: ignore[return-value]

    def _decode(self, probs: np.ndarray) -> Recognized:
        best = probs.argmax(axis=1)
        conf = probs.max(axis=1)
        keep = best != 0
        keep[1:] &= best[1:] != best[:-1]  # collapse repeats
        chars = [self.alphabet[k] for k in best[keep] if k < len(self.alphabet)]
        score = float(conf[keep].mean()) if keep.any() else 0.0
        return Recognized("".join(chars).strip(), score)


def _scaled_width(crop: np.ndarray) -> int:
    h, w = crop.shape[:2]
    return max(8, min(2048, int(math.ceil(w * HEIGHT / max(1, h)))))

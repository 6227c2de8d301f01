"""Read one page: detect lines, make the page upright, recognize the lines, find layout regions."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import cv2
import numpy as np

from ocr.detect import DetectOptions, TextDetector
from ocr.direction import DirectionClassifier
from ocr.inference import OnnxBackend, RuntimeOptions, shipped_model
from ocr.layout import LayoutAnalyzer
from ocr.orientation import Orientation, Orienter, crop, line_box, rotate
from ocr.page import Region, TextLine
from ocr.recognize import TextRecognizer


@dataclass(frozen=True)
class ReaderOptions:
    runtime: RuntimeOptions = RuntimeOptions()
    detect: DetectOptions = DetectOptions()
    recognition_batch: int = 4
    min_line_score: float = 0.5  # recognitions below this are noise (specks, stamps, scribbles)


@dataclass
class Reading:
    image: np.ndarray  # upright
    orientation: Orientation
    lines: list[TextLine]
    regions: list[Region]
    seconds: dict[str, float] = field(default_factory=dict)  # detection, orientation, recognition, layout


class PageReader:
    def __init__(self, options: ReaderOptions = ReaderOptions()):
        rt = options.runtime
        self.options = options
        self.detector = TextDetector(OnnxBackend(shipped_model("det"), rt), options.detect)
        self.recognizer = TextRecognizer(OnnxBackend(shipped_model("rec"), rt), options.recognition_batch)
        self.orienter = Orienter(DirectionClassifier(OnnxBackend(shipped_model("cls"), rt)), self.recognizer)
        self.layout = LayoutAnalyzer(OnnxBackend(shipped_model("layout"), rt))

    def read(self, image: np.ndarray) -> Reading:
        clock = _Clock()
        text_only = without_seals(image)
        detected = self.detector(text_only)
        clock.lap("detection")
        text_upright, detected, orientation = self.orienter(text_only, detected)
        upright = image if orientation.total == 0 else rotate(image, orientation.total)[0]
        clock.lap("orientation")
        crops = [crop(text_upright, d) for d in detected]
        keep = [i for i, c in enumerate(crops) if c.shape[0] >= 4 and c.shape[1] >= 4]
        recognized = self.recognizer([crops[i] for i in keep])
        lines = []
        for i, r in zip(keep, recognized):
            if r.text and r.score >= self.options.min_line_score:
                lines.append(TextLine(r.text, tuple(float(v) for v in line_box(detected[i], upright.shape)), r.score))
        clock.lap("recognition")
        regions = self.layout(upright)
        clock.lap("layout")
        return Reading(upright, orientation, reading_order(lines), regions, clock.seconds)


class _Clock:
    """Seconds between laps, by the name of what was just done."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = now - self._last
        self._last = now


def without_seals(image: np.ndarray) -> np.ndarray:
    """The page with red ink (seals, fingerprints) turned pale.

    Red seals are stamped over the issuing organ and date, exactly the text a catalog needs; black
    strokes under a seal stay black. The PDF keeps the original colours; only OCR sees this copy.
    (A red-printed 红头 header is lost to OCR too: a price paid for reading what the seal covers.)
    """
    r = image[:, :, 0]
    red = cv2.subtract(r, np.maximum(image[:, :, 1], image[:, :, 2])) > 45
    if not red.any():
        return image
    # Seen through a red filter a seal is pale while black strokes under it stay dark: red pixels
    # take their red channel as grey.
    out = image.copy()
    out[red] = r[red][:, None]
    return out


def reading_order(lines: list[TextLine]) -> list[TextLine]:
    """Top to bottom; lines sharing a row (overlapping vertically by half) left to right."""
    rows: list[list[TextLine]] = []
    for line in sorted(lines, key=lambda ln: (ln.box[1] + ln.box[3]) / 2):
        centre = (line.box[1] + line.box[3]) / 2
        if rows:
            last = rows[-1]
            top = min(ln.box[1] for ln in last)
            bottom = max(ln.box[3] for ln in last)
            if top <= centre <= bottom and abs(centre - (top + bottom) / 2) < 0.5 * line.height:
                last.append(line)
                continue
        rows.append([line])
    return [ln for row in rows for ln in sorted(row, key=lambda ln: ln.box[0])]

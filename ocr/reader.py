"""Read one page: detect lines, make the page upright, recognize the lines, find layout regions."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import cv2
import numpy as np

from ocr.cells import cell_order
from ocr.detect import DetectOptions, TextDetector
from ocr.direction import DirectionClassifier
from ocr.inference import RuntimeOptions, open_backend, shipped_model
from ocr.layout import LayoutAnalyzer
from ocr.orientation import Orientation, Orienter, crop, line_box, rotate
from ocr.page import Region, TextLine
from ocr.recognize import TextRecognizer


@dataclass(frozen=True)
class ReaderOptions:
    runtime: RuntimeOptions = RuntimeOptions()
    detect: DetectOptions = DetectOptions()
    recognition_batch: int = 1  # lines per recognizer call
    detection_batch: int = 16  # pages of one size per detector call
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
        def backend(name: str):
            return open_backend(name, shipped_model(name), options.runtime)

        self.options = options
        self.detector = TextDetector(backend("det"), options.detect)
        self.recognizer = TextRecognizer(backend("rec"), options.recognition_batch)
        self.orienter = Orienter(DirectionClassifier(backend("cls")), self.recognizer)
        self.layout = LayoutAnalyzer(backend("layout"))

    def read(self, image: np.ndarray) -> Reading:
        return self.read_many([image])[0]

    def read_many(self, images: list[np.ndarray]) -> list[Reading]:
        """Read several pages together: detection batched by resolution bucket, and every line
        of every page recognized in one width-sorted stream, which is what keeps a GPU busy.
        Each page's seconds are its share of the batch's."""
        clock = _Clock()
        text_only = [soften_bilevel(without_seals(image)) for image in images]
        detected = self.detector.many(text_only, self.options.detection_batch)
        clock.lap("detection")
        oriented = [self.orienter(t, d) for t, d in zip(text_only, detected)]
        upright = [image if o.total == 0 else rotate(image, o.total)[0] for image, (_, _, o) in zip(images, oriented)]
        clock.lap("orientation")
        crops, owners = [], []
        for page, (text_upright, lines, _) in enumerate(oriented):
            for line in lines:
                piece = crop(text_upright, line)
                if piece.shape[0] >= 4 and piece.shape[1] >= 4:
                    crops.append(piece)
                    owners.append((page, line))
        lines_of: list[list[TextLine]] = [[] for _ in images]
        for (page, line), r in zip(owners, self.recognizer(crops)):
            if r.text and r.score >= self.options.min_line_score:
                box = tuple(float(v) for v in line_box(line, upright[page].shape))
                lines_of[page].append(TextLine(r.text, box, r.score))
        clock.lap("recognition")
        regions = [self.layout(image) for image in upright]
        clock.lap("layout")
        share = {stage: seconds / len(images) for stage, seconds in clock.seconds.items()}
        return [Reading(image, o, reading_order(lines, image), page_regions, dict(share))
                for image, (_, _, o), lines, page_regions in zip(upright, oriented, lines_of, regions)]


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


def soften_bilevel(image: np.ndarray) -> np.ndarray:
    """A bilevel scan (G4 TIFF, fax-like) with the soft stroke edges the OCR models learned on.

    1-bit pages have jagged, often broken strokes that the detector and recognizer, trained on
    grey images, misread; a 3x3 blur gives them back an anti-aliased edge (measured: a fifth
    fewer character errors on such pages, the same on clean ones). Only OCR sees this copy.
    """
    sample = image[::5, ::5].reshape(-1, image.shape[-1])
    ink = sample[(sample < 255).any(axis=1)]
    # every inked pixel pure black: anti-aliased print or a grey scan has its edges in between
    if len(ink) < 100 or (ink == 0).all(axis=1).mean() < 0.98:
        return image
    return cv2.GaussianBlur(image, (3, 3), 0)


def reading_order(lines: list[TextLine], image: np.ndarray | None = None) -> list[TextLine]:
    """Top to bottom; lines sharing a row (overlapping vertically by half) left to right. Given
    the page, a ruled table is read cell by cell instead (ocr.cells)."""
    if image is not None:
        return cell_order(lines, image, reading_order)
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

"""Typed data that flows through the page stages.

A `Page` is one page of one source file. Stages fill it in order: ingest sets the image; the
reader makes it upright and adds text lines and layout regions; preparation flags blank and
duplicate pages and keeps the image as its JPEG scan; classification adds a label. Boxes are in
pixels of the upright image.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image


Box = tuple[float, float, float, float]  # x0, y0, x1, y1

THUMBNAIL_SIZE = (48, 64)  # width, height: a page's look (forms, photos, dense text) for page models
PREVIEW_WIDTH = 180  # the review page's thumbnails, made once while the page is at hand


def compact(text: str) -> str:
    """NFKC, no whitespace: letter-spaced titles (讯 问 笔 录) and OCR spacing compare as written."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True, order=True)
class PageRef:
    """A source page: the index of its file in the inputs (0-based) and its page (1-based)."""

    file: int
    page: int

    def __str__(self) -> str:
        return f"{self.file}:{self.page}"


@dataclass(frozen=True)
class SourceFile:
    path: Path
    name: str
    sha256: str
    pages: int


@dataclass(frozen=True)
class TextLine:
    text: str
    box: Box
    score: float

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]

    @property
    def width(self) -> float:
        return self.box[2] - self.box[0]


@dataclass(frozen=True)
class Region:
    """A layout region from the CDLA model (title, text, table, header, footer, figure, ...)."""

    label: str
    box: Box
    score: float


@dataclass
class PageLabel:
    """What classification says about a page."""

    type: str
    starts_document: bool
    confidence: float
    page_number: tuple[int, int | None] | None = None  # printed 第N页 (共M页)
    reasons: list[str] = field(default_factory=list)
    boundary: float | None = None  # how sure the page model is that the page starts (or continues) a document


@dataclass(frozen=True)
class EncodedScan:
    """A page image as the JPEG that goes into the dossier PDF (a tenth of the raw pixels)."""

    data: bytes
    width: int
    height: int
    gray: bool


def encode_scan(image: np.ndarray, quality: int, via: Path | None = None, clean: bool = False) -> EncodedScan:
    """JPEG-encode a page; a page scanned in grey stays one channel. `clean`: as the dossier keeps
    it (ocr.cleanup: grey unless it has colour, the paper levelled to white). Huffman tables made
    for the page and progressive order: a fifth fewer bytes for the same pixels. With `via`,
    encode through that file: Pillow releases the GIL only when writing a real file, so threads
    then overlap."""
    if clean:
        # imported here: OpenCV's thread pools would not fit the capped address space of the
        # decoding worker, which imports this module but never cleans a page
        from ocr.cleanup import cleaned

        arr = cleaned(image)
    else:
        arr = np.ascontiguousarray(image[..., :3]) if image.ndim == 3 else image
    gray = arr.ndim == 2 or bool(np.array_equal(arr[..., 0], arr[..., 1]) and np.array_equal(arr[..., 0], arr[..., 2]))
    img = Image.fromarray(np.ascontiguousarray(arr[..., 0]) if gray and arr.ndim == 3 else arr)
    jpeg = {"format": "JPEG", "quality": int(quality), "optimize": True, "progressive": True}
    if via is None:
        buffer = io.BytesIO()
        img.save(buffer, **jpeg)
        data = buffer.getvalue()
    else:
        img.save(via, **jpeg)
        data = via.read_bytes()
        via.unlink()
    return EncodedScan(data, img.width, img.height, gray)


@dataclass
class Page:
    ref: PageRef
    source_name: str
    image: np.ndarray | None  # RGB uint8, upright after OCR; None once kept as `scan`
    dpi: float
    rotation: int = 0  # degrees clockwise applied to make the scan upright
    skew: float = 0.0  # degrees corrected by deskew
    blank: bool = False
    duplicate_of: PageRef | None = None
    lines: list[TextLine] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)
    label: PageLabel | None = None
    scan: EncodedScan | None = None
    thumbnail: np.ndarray | None = None  # grey uint8, THUMBNAIL_SIZE, of the upright page
    unreadable: str | None = None  # why the page could not be decoded (it stands among the excluded)
    preview: bytes | None = None  # a small JPEG of the upright page, for people
    digest: str = ""  # SHA-256 of the raster as ingested: the page's identity in the manifest and the PDF
    foot_signed: bool | None = None  # a record page's signature or fingerprint at its foot; None: not a record page

    def make_thumbnail(self) -> None:
        grey = Image.fromarray(self.image).convert("L")
        self.thumbnail = np.asarray(grey.resize(THUMBNAIL_SIZE, Image.Resampling.BOX))
        self.preview = preview_jpeg(self.image)

    @property
    def size(self) -> tuple[int, int]:
        if self.image is None:
            return self.scan.width, self.scan.height
        h, w = self.image.shape[:2]
        return w, h

    def keep_as_jpeg(self, quality: int, clean: bool = False) -> None:
        """Hold the page as its compressed scan (`encode_scan`) from here on: a 200-page dossier
        then needs about 20-100 MB instead of 2 GB."""
        self.scan = encode_scan(self.image, quality, clean=clean)
        self.image = None

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def excluded(self) -> bool:
        return self.blank or self.duplicate_of is not None or self.unreadable is not None

    @property
    def ocr_confidence(self) -> float:
        return ocr_confidence([(line.text, line.score) for line in self.lines]) or 0.0


def ocr_confidence(lines: list[tuple[str, float]]) -> float | None:
    """The recognizer's mean score per character over (text, score) lines; None without text."""
    chars = sum(len(text) for text, _ in lines)
    return sum(score * len(text) for text, score in lines) / chars if chars else None


def preview_jpeg(image: np.ndarray) -> bytes:
    img = Image.fromarray(image)
    img.thumbnail((PREVIEW_WIDTH, PREVIEW_WIDTH * 2), Image.Resampling.BOX)
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


def preview_name(ref: PageRef) -> str:
    """Where a page's preview lies in a result folder."""
    return f"thumbnails/{ref.file}-{ref.page}.jpg"


def raster_digest(image: np.ndarray) -> str:
    """SHA-256 of a raster's shape and pixels."""
    h = hashlib.sha256(repr(image.shape).encode())
    h.update(np.ascontiguousarray(image).data)
    return h.hexdigest()


def page_record(page: Page) -> dict:
    """The stage results of a page as plain JSON, so later steps can rebuild without OCR."""
    label = page.label
    return {
        "source": {"file": page.ref.file, "page": page.ref.page},
        "digest": page.digest,
        "size": list(page.size),
        "dpi": page.dpi,
        "rotation": page.rotation,
        "skew": round(page.skew, 3),
        "blank": page.blank,
        "unreadable": page.unreadable,
        "duplicate_of": {"file": page.duplicate_of.file, "page": page.duplicate_of.page} if page.duplicate_of else None,
        "lines": [{"text": ln.text, "box": [round(v, 1) for v in ln.box], "score": round(ln.score, 4)} for ln in page.lines],
        "regions": [{"label": r.label, "box": [round(v, 1) for v in r.box], "score": round(r.score, 4)} for r in page.regions],
        "thumbnail": None if page.thumbnail is None else _png_base64(page.thumbnail),
        "foot_signed": page.foot_signed,
        "label": None if label is None else {
            "type": label.type, "starts_document": label.starts_document, "confidence": label.confidence,
            "page_number": list(label.page_number) if label.page_number else None, "reasons": label.reasons,
            "boundary": label.boundary,
        },
    }


def page_from_record(record: dict, source_name: str = "") -> Page:
    """A page rebuilt from its `page_record` (no scan image): what page models and reviews need."""
    src = record["source"]
    dup = record.get("duplicate_of")
    width, height = record["size"]
    thumb = record.get("thumbnail")
    return Page(
        ref=PageRef(src["file"], src["page"]),
        source_name=source_name,
        image=None,
        dpi=record.get("dpi", 200),
        rotation=record.get("rotation", 0),
        skew=record.get("skew", 0.0),
        blank=record.get("blank", False),
        unreadable=record.get("unreadable"),
        duplicate_of=PageRef(dup["file"], dup["page"]) if dup else None,
        lines=[TextLine(ln["text"], tuple(ln["box"]), ln["score"]) for ln in record.get("lines", [])],
        regions=[Region(r["label"], tuple(r["box"]), r["score"]) for r in record.get("regions", [])],
        scan=EncodedScan(b"", int(width), int(height), True),
        thumbnail=None if thumb is None else np.asarray(Image.open(io.BytesIO(base64.b64decode(thumb))).convert("L")),
        digest=record.get("digest", ""),
        foot_signed=record.get("foot_signed"),
        label=_label(record.get("label")),
    )


def _label(data: dict | None) -> PageLabel | None:
    if not data:
        return None
    number = data.get("page_number")
    return PageLabel(data["type"], data["starts_document"], data["confidence"], tuple(number) if number else None,
                     list(data.get("reasons", [])), data.get("boundary"))


def _png_base64(grey: np.ndarray) -> str:
    buffer = io.BytesIO()
    Image.fromarray(grey).save(buffer, "PNG", optimize=True)
    return base64.b64encode(buffer.getvalue()).decode("ascii")

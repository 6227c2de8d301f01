"""Writing the scanned files (image-only PDF, multi-page TIFF, JPEG, PNG) and truth.json.

Files are written so that the same input gives the same bytes: the PDF is assembled with pikepdf
(no timestamps, deterministic id) from JPEG-encoded pages; PIL's TIFF/JPEG/PNG writers add no
dates.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pikepdf
from PIL import Image, TiffImagePlugin


class PdfSink:
    """An image-only PDF: each page one embedded JPEG, page size = image size at its dpi."""

    def __init__(self, path: Path):
        self.path = path
        self.pdf = pikepdf.Pdf.new()

    def add(self, img: np.ndarray, dpi: int, quality: int) -> None:
        pil = Image.fromarray(img)
        if pil.mode == "1":
            pil = pil.convert("L")
        buf = io.BytesIO()
        pil.save(buf, "JPEG", quality=quality, dpi=(dpi, dpi))
        w, h = pil.size
        image = pikepdf.Stream(self.pdf, buf.getvalue())
        image.Type = pikepdf.Name.XObject
        image.Subtype = pikepdf.Name.Image
        image.Width, image.Height = w, h
        image.ColorSpace = pikepdf.Name.DeviceRGB if pil.mode == "RGB" else pikepdf.Name.DeviceGray
        image.BitsPerComponent = 8
        image.Filter = pikepdf.Name.DCTDecode
        wpt, hpt = w * 72.0 / dpi, h * 72.0 / dpi
        page = self.pdf.add_blank_page(page_size=(wpt, hpt))
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
        page.Contents = self.pdf.make_stream(f"q {wpt:.4f} 0 0 {hpt:.4f} 0 0 cm /Im0 Do Q".encode())

    def close(self) -> None:
        self.pdf.save(self.path, deterministic_id=True, compress_streams=True)


class TiffSink:
    """A multi-page TIFF written frame by frame (JPEG-compressed, or CCITT G4 when bitonal)."""

    def __init__(self, path: Path):
        self.fp = open(path, "w+b")
        self.tw = TiffImagePlugin.AppendingTiffWriter(self.fp)

    def add(self, img: np.ndarray, dpi: int, quality: int) -> None:
        pil = Image.fromarray(img)
        if pil.mode == "1" or (pil.mode == "L" and img.dtype == bool):
            pil.save(self.tw, "TIFF", compression="group4", dpi=(dpi, dpi))
        else:  # colour goes in as YCbCr so libtiff subsamples chroma, as scanners do
            pil = pil.convert("YCbCr") if pil.mode == "RGB" else pil
            pil.save(self.tw, "TIFF", compression="jpeg", quality=quality, dpi=(dpi, dpi))
        self.tw.newFrame()

    def close(self) -> None:
        self.tw.close()
        self.fp.close()


def write_single(path: Path, img: np.ndarray, dpi: int, kind: str, quality: int) -> None:
    pil = Image.fromarray(img)
    if kind == "jpg":
        pil.save(path, "JPEG", quality=quality, dpi=(dpi, dpi))
    else:
        pil.save(path, "PNG", dpi=(dpi, dpi), compress_level=6)


def write_truth(path: Path, truth: dict) -> None:
    path.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

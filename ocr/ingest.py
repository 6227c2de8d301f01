"""Ingest: find the input files, fingerprint them, and rasterize every page in scan order.

PDF pages go through poppler (pdf2image) one page at a time, so a broken page is named; images
(multi-page TIFF, JPEG, PNG) through Pillow. Pages are produced on a thread pool (pdftoppm is a
subprocess, so threads run truly in parallel) but handed on in scan order.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import zipfile
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import numpy as np
from pdf2image import convert_from_path
from PIL import Image, ImageOps

from ocr.page import Page, PageRef, SourceFile

PDF_SUFFIXES = {".pdf"}
IMAGE_SUFFIXES = {".tif", ".tiff", ".jpg", ".jpeg", ".png", ".bmp", ".webp"}
ZIP_SUFFIXES = {".zip"}


class IngestError(Exception):
    """An input that cannot be read; names the file and, where known, the page."""

    def __init__(self, source: str, message: str, page: int | None = None):
        self.source = source
        self.page = page
        where = f"{source}, page {page}" if page else source
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class IngestOptions:
    dpi: int = 200
    threads: int = 2
    max_page_pixels: int = 60_000_000


def natural_key(path: Path, root: Path) -> list:
    """Sort key for scan order: "page2" before "page10", folder by folder."""
    return [[(0, int(t)) if t.isdigit() else (1, t.lower()) for t in re.split(r"(\d+)", part)] for part in path.relative_to(root).parts]


def collect_inputs(paths: Iterable[Path], unpack_dir: Path) -> list[Path]:
    """Expand folders (natural sort) and zip archives into the list of files, in scan order."""
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise IngestError(str(path), "no such file or folder")
        if path.is_dir():
            children = sorted((p for p in path.rglob("*") if p.is_file()), key=lambda p: natural_key(p, path))
            files.extend(p for p in children if p.suffix.lower() in PDF_SUFFIXES | IMAGE_SUFFIXES | ZIP_SUFFIXES)
        else:
            files.append(path)
    out: list[Path] = []
    for f in files:
        suffix = f.suffix.lower()
        if suffix in ZIP_SUFFIXES:
            out.extend(_unzip(f, unpack_dir / f"{len(out):03d}-{f.stem}"))
        elif suffix in PDF_SUFFIXES | IMAGE_SUFFIXES:
            out.append(f)
        else:
            raise IngestError(str(f), f"unsupported file type {suffix or '(none)'}: expected PDF, TIFF, JPEG, PNG or ZIP")
    if not out:
        raise IngestError(", ".join(str(p) for p in paths), "no PDF, TIFF, JPEG or PNG files found")
    return out


def _unzip(archive: Path, target: Path) -> list[Path]:
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            target.mkdir(parents=True, exist_ok=True)
            extracted = []
            for m in members:
                name = Path(m.filename)
                if name.is_absolute() or ".." in name.parts:
                    raise IngestError(str(archive), f"unsafe path in archive: {m.filename}")
                if name.suffix.lower() not in PDF_SUFFIXES | IMAGE_SUFFIXES:
                    continue
                dest = target / name
                dest.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(m) as src, open(dest, "wb") as dst:
                    while chunk := src.read(1 << 20):
                        dst.write(chunk)
                extracted.append(dest)
    except zipfile.BadZipFile as exc:
        raise IngestError(str(archive), f"not a readable zip archive ({exc})") from exc
    extracted.sort(key=lambda p: natural_key(p, target))
    return extracted


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


@dataclass(frozen=True)
class PageTask:
    file: int
    page: int
    path: Path
    name: str
    kind: str  # "pdf" or "image"
    area_in2: float | None = None  # PDF page area in square inches, to cap the raster size


def open_sources(files: list[Path]) -> tuple[list[SourceFile], list[PageTask]]:
    """Fingerprint every file and list its pages; a file that can't be opened fails here, by name."""
    sources, tasks = [], []
    for index, path in enumerate(files):
        name = path.name
        if path.suffix.lower() in PDF_SUFFIXES:
            sizes = _pdf_page_sizes(path, name)
            tasks += [PageTask(index, i + 1, path, name, "pdf", w * h) for i, (w, h) in enumerate(sizes)]
            count = len(sizes)
        else:
            count = _image_frames(path, name)
            tasks += [PageTask(index, i + 1, path, name, "image") for i in range(count)]
        sources.append(SourceFile(path, name, sha256_file(path), count))
    return sources, tasks


def _pdf_page_sizes(path: Path, name: str) -> list[tuple[float, float]]:
    """Page sizes in inches, from poppler itself (the same reader that rasterizes)."""
    proc = subprocess.run(["pdfinfo", "-f", "1", "-l", "1000000", str(path)], capture_output=True, text=True, errors="replace")
    if proc.returncode != 0:
        detail = (proc.stderr.strip().splitlines() or ["unreadable"])[-1]
        raise IngestError(name, f"not a readable PDF ({detail})")
    sizes = [(float(w) / 72, float(h) / 72) for w, h in re.findall(r"Page\s+\d+\s+size:\s+([\d.]+) x ([\d.]+)", proc.stdout)]
    if not sizes:
        pages = re.search(r"^Pages:\s+(\d+)", proc.stdout, re.M)
        if not pages or int(pages.group(1)) == 0:
            raise IngestError(name, "the PDF has no pages")
        sizes = [(8.27, 11.69)] * int(pages.group(1))
    return sizes


def _image_frames(path: Path, name: str) -> int:
    try:
        with Image.open(path) as img:
            return getattr(img, "n_frames", 1)
    except Exception as exc:  # Pillow raises many types for broken files
        raise IngestError(name, f"not a readable image ({exc})") from exc


def render_page(task: PageTask, options: IngestOptions) -> Page:
    """One source page as an RGB raster (huge pages at a lower resolution, not refused)."""
    if task.kind == "pdf":
        dpi = options.dpi
        area = task.area_in2 or 0
        if area and area * dpi * dpi > options.max_page_pixels:
            dpi = max(10, int((options.max_page_pixels / area) ** 0.5))  # huge pages: lower dpi, not fail
        try:
            images = convert_from_path(task.path, dpi=dpi, first_page=task.page, last_page=task.page, fmt="ppm")
        except Exception as exc:
            raise IngestError(task.name, f"poppler could not render the page ({exc})", task.page) from exc
        if not images:
            raise IngestError(task.name, "poppler rendered nothing", task.page)
        return _checked(Page(PageRef(task.file, task.page), task.name, _to_rgb(images[0]), float(dpi)), task)
    try:
        with Image.open(task.path) as img:
            img.seek(task.page - 1)
            frame = ImageOps.exif_transpose(img) if task.page == 1 else img
            dpi = _image_dpi(frame)
            pixels = frame.width * frame.height
            if pixels > options.max_page_pixels:  # huge scans: fewer pixels, not a failure
                scale = (options.max_page_pixels / pixels) ** 0.5
                frame.draft("RGB", (int(frame.width * scale), int(frame.height * scale)))
                frame = frame.resize((max(1, int(frame.width * scale)), max(1, int(frame.height * scale))))
                dpi *= scale
            array = _to_rgb(frame)
    except Image.DecompressionBombError as exc:
        raise IngestError(task.name, f"image too large to decode safely ({exc})", task.page) from exc
    except Exception as exc:
        raise IngestError(task.name, f"could not decode the image ({exc})", task.page) from exc
    return _checked(Page(PageRef(task.file, task.page), task.name, array, dpi), task)


def _checked(page: Page, task: PageTask) -> Page:
    h, w = page.image.shape[:2]
    if min(h, w) < 32:
        raise IngestError(task.name, f"page image is only {w}×{h} pixels: not a scan", task.page)
    return page


def _image_dpi(img: Image.Image) -> float:
    dpi = img.info.get("dpi")
    if dpi and float(dpi[0]) >= 50:
        return float(dpi[0])
    # no usable resolution recorded: assume the scan is A4 wide
    return max(50.0, min(600.0, img.width / 8.27))


def _to_rgb(img: Image.Image) -> np.ndarray:
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        canvas = Image.new("RGB", rgba.size, "white")
        canvas.paste(rgba, mask=rgba.getchannel("A"))
        img = canvas
    elif img.mode.startswith("I;16") or img.mode == "I":
        arr = np.asarray(img, dtype=np.float32)
        arr = 255 * (arr - arr.min()) / max(1.0, float(arr.max() - arr.min()))
        img = Image.fromarray(arr.astype(np.uint8))
    return np.asarray(img.convert("RGB"))


def rasterize(tasks: list[PageTask], options: IngestOptions) -> Iterator[Page]:
    """Yield pages in scan order, rendering up to `threads * 2` ahead on a thread pool."""
    window = max(2, options.threads * 2)
    with ThreadPoolExecutor(max_workers=options.threads, thread_name_prefix="rasterize") as pool:
        queue = iter(tasks)
        pending: deque[Future[Page]] = deque(pool.submit(render_page, t, options) for t in islice(queue, window))
        while pending:
            page = pending.popleft().result()
            pending.extend(pool.submit(render_page, t, options) for t in islice(queue, 1))
            yield page

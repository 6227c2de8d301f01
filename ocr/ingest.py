"""Ingest: find the input files, fingerprint them, and rasterize every page in scan order.

PDF pages go through poppler (pdf2image) one page at a time, so a broken page is named; images
(multi-page TIFF, JPEG, PNG) through Pillow. Untrusted bytes are decoded only in worker processes
with a memory limit and a deadline (`ocr.sandbox`): a hostile file kills a worker, never the
compiler. Pages are rendered by several workers at once but handed on in scan order.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import zipfile
import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path, PurePosixPath

import numpy as np
from pdf2image import convert_from_path
from PIL import Image, ImageOps

from ocr.page import Page, PageRef, SourceFile, raster_digest
from ocr.sandbox import CallFailed, Limits, Sandbox, SandboxError

PDF_SUFFIXES = {".pdf"}
IMAGE_SUFFIXES = {".tif", ".tiff", ".jpg", ".jpeg", ".png", ".bmp", ".webp", ".gif"}
ZIP_SUFFIXES = {".zip"}
KINDS = "PDF, TIFF, JPEG, PNG or ZIP"


class IngestError(Exception):
    """An input that cannot be read; names the file and, where known, the page."""

    def __init__(self, source: str, message: str, page: int | None = None):
        self.source, self.message, self.page = source, message, page
        where = f"{source}, page {page}" if page else source
        super().__init__(f"{where}: {message}")

    def __reduce__(self):  # crosses from the decoding worker intact
        return IngestError, (self.source, self.message, self.page)


@dataclass(frozen=True)
class IngestOptions:
    dpi: int = 200
    threads: int = 2
    max_page_pixels: int = 60_000_000  # larger pages are rasterized smaller, not refused
    max_image_pixels: int = 450_000_000  # larger images are not decoded at all: decompression bombs
    max_pages: int = 5000
    max_unpacked_bytes: int = 8 << 30  # all zip archives of a job together, unpacked
    limits: Limits = Limits()
    unreadable: str = "exclude"  # a page that cannot be decoded: "exclude" it (with the reason) or "fail" the job


def display_name(path: Path) -> str:
    """A file name fit for catalogs and messages: bytes that are not UTF-8 become U+FFFD."""
    return path.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def sniff(path: Path) -> str | None:
    """What a file holds, by its first bytes, whatever its name says: "pdf", "image", "zip" or None."""
    with open(path, "rb") as f:
        head = f.read(1024)
    if not head:
        raise IngestError(display_name(path), "the file is empty")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if b"%PDF-" in head:  # may follow a little junk, as readers allow
        return "pdf"
    images = (b"II*\x00", b"MM\x00*", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"BM", b"GIF87a", b"GIF89a")
    if head.startswith(images) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    return None


def natural_key(path: Path, root: Path) -> list:
    """Sort key for scan order: "page2" before "page10", folder by folder."""
    return [[(0, int(t)) if t.isdigit() else (1, t.lower()) for t in re.split(r"(\d+)", part)] for part in path.relative_to(root).parts]


def collect_inputs(paths: Iterable[Path], unpack_dir: Path, max_unpacked_bytes: int = 8 << 30) -> list[Path]:
    """Expand folders (natural sort) and zip archives into the list of scan files, in scan order.
    A file is taken for what its bytes hold, not its name; in a folder, files that hold no scan
    and are not named like one (notes, Thumbs.db) are left out."""
    files: list[tuple[Path, str]] = []
    for path in paths:
        if not path.exists():
            raise IngestError(str(path), "no such file or folder")
        if path.is_dir():
            for child in sorted((p for p in path.rglob("*") if p.is_file()), key=lambda p: natural_key(p, path)):
                named = child.suffix.lower() in PDF_SUFFIXES | IMAGE_SUFFIXES | ZIP_SUFFIXES
                kind = sniff(child) if named or child.stat().st_size else None
                if kind:
                    files.append((child, kind))
                elif named:
                    raise IngestError(display_name(child), f"named like a scan but holds no {KINDS} data")
        else:
            kind = sniff(path)
            if kind is None:
                raise IngestError(display_name(path), f"unsupported file: its content is not {KINDS}")
            files.append((path, kind))
    out: list[Path] = []
    budget = [max_unpacked_bytes]
    for f, kind in files:
        if kind == "zip":
            out.extend(_unzip(f, unpack_dir / f"{len(out):03d}-{f.stem}", budget))
        else:
            out.append(f)
    if not out:
        raise IngestError(", ".join(str(p) for p in paths), f"no {KINDS} files found")
    return out


def _member_name(info: zipfile.ZipInfo) -> str:
    """Archives made on Chinese Windows store names in GBK without saying so; zipfile reads them
    as CP437. Read them as GBK where that works."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _unzip(archive: Path, target: Path, budget: list[int]) -> list[Path]:
    """Unpack the scans of an archive, refusing unsafe paths and bombs: the bytes written are
    counted as they come (headers can lie) against what is left of the job's budget."""
    name = display_name(archive)
    try:
        with zipfile.ZipFile(archive) as zf:
            target.mkdir(parents=True, exist_ok=True)
            extracted = []
            for m in zf.infolist():
                member = _member_name(m)
                inner = PurePosixPath(member.replace("\\", "/"))
                if inner.is_absolute() or ".." in inner.parts or re.match(r"^[A-Za-z]:", member):
                    raise IngestError(name, f"unsafe path in archive: {member}")
                if m.is_dir() or inner.suffix.lower() not in PDF_SUFFIXES | IMAGE_SUFFIXES:
                    continue
                if m.file_size > budget[0] or (m.compress_size and m.file_size / m.compress_size > 1000 and m.file_size > 64 << 20):
                    raise IngestError(name, f"{member} unpacks to {m.file_size} bytes: a zip bomb, or more than the job may unpack (DOSSIER_MAX_UNPACKED_BYTES)")
                # a part of at most 255 bytes, as filesystems take it (84 Chinese characters are 252), its end kept
                dest = target.joinpath(*(part.encode()[-255:].decode(errors="ignore") for part in inner.parts))
                try:  # "x": a member never overwrites another, which would then be read twice
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    unpacked = open(dest, "xb")
                except (FileExistsError, NotADirectoryError, IsADirectoryError):
                    raise IngestError(name, f"{member}: another member of the archive has this path, or a file where this one has a folder") from None
                with zf.open(m) as src, unpacked as dst:
                    while chunk := src.read(1 << 20):
                        budget[0] -= len(chunk)
                        if budget[0] < 0:
                            raise IngestError(name, f"{member}: the archives unpack to more than the job may (DOSSIER_MAX_UNPACKED_BYTES)")
                        dst.write(chunk)
                extracted.append(dest)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, zlib.error) as exc:
        raise IngestError(name, f"not a readable zip archive ({exc})") from exc
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


def open_sources(files: list[Path], options: IngestOptions = IngestOptions(), workdir: Path | None = None) -> tuple[list[SourceFile], list[PageTask]]:
    """Fingerprint every file and list its pages; a file that can't be opened fails here, by
    name. Files are opened in a decoding worker; a PDF poppler cannot read is repaired by qpdf
    (into `workdir`) where it can be."""
    sources, tasks = [], []
    with Sandbox(1, options.limits) as box:
        for index, path in enumerate(files):
            name = display_name(path)
            if sniff(path) == "pdf":
                read_from, sizes = _guarded(box, name, None, _open_pdf, path, name, workdir / f"{index:04d}-repaired.pdf" if workdir else None)
                tasks += [PageTask(index, i + 1, read_from, name, "pdf", w * h) for i, (w, h) in enumerate(sizes)]
                count = len(sizes)
            else:
                count = _guarded(box, name, None, _image_frames, path, name, options.max_image_pixels)
                tasks += [PageTask(index, i + 1, path, name, "image") for i in range(count)]
            sources.append(SourceFile(path, name, sha256_file(path), count))
            if len(tasks) > options.max_pages:
                raise IngestError(name, f"the job has more than {options.max_pages} pages, the most one job may have (DOSSIER_MAX_PAGES); split it")
    return sources, tasks


def _guarded(box: Sandbox, name: str, page: int | None, fn, *args):
    """`fn(*args)` in the decoding worker; whatever goes wrong there comes back as an IngestError."""
    try:
        return box.call(fn, *args)
    except CallFailed as exc:
        if isinstance(exc.error, IngestError):
            raise exc.error from None
        raise IngestError(name, exc.detail, page) from None
    except SandboxError as exc:
        raise IngestError(name, str(exc), page) from None


def _pdfinfo(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["pdfinfo", "-f", "1", "-l", "1000000", str(path)], capture_output=True, text=True, errors="replace")


def _open_pdf(path: Path, name: str, repaired: Path | None) -> tuple[Path, list[tuple[float, float]]]:
    """The file to rasterize (the original, or qpdf's repair of it) and its page sizes in inches,
    from poppler itself (the same reader that rasterizes)."""
    proc = _pdfinfo(path)
    if proc.returncode != 0:
        detail = (proc.stderr.strip().splitlines() or ["unreadable"])[-1]
        if "last page (0)" in detail:
            raise IngestError(name, "the PDF has no pages")
        if "password" in detail.lower():
            raise IngestError(name, "the PDF is encrypted with a password that opens it; decrypt it first (qpdf --decrypt --password=...)")
        if repaired is None or not _repair(path, repaired, name):
            raise IngestError(name, f"not a readable PDF ({detail}), and qpdf could not repair it")
        path, proc = repaired, _pdfinfo(repaired)
        if proc.returncode != 0:
            raise IngestError(name, f"not a readable PDF, even repaired by qpdf ({detail})")
    sizes = [(float(w) / 72, float(h) / 72) for w, h in re.findall(r"Page\s+\d+\s+size:\s+([\d.]+) x ([\d.]+)", proc.stdout)]
    if not sizes:
        pages = re.search(r"^Pages:\s+(\d+)", proc.stdout, re.M)
        if not pages or int(pages.group(1)) == 0:
            raise IngestError(name, "the PDF has no pages")
        sizes = [(8.27, 11.69)] * int(pages.group(1))
    return path, sizes


def _repair(path: Path, repaired: Path, name: str) -> bool:
    import pikepdf  # only for the rare broken file

    try:
        with pikepdf.open(path) as pdf:  # qpdf rebuilds a broken cross-reference table on opening
            pdf.save(repaired)
        return True
    except pikepdf.PasswordError as exc:
        raise IngestError(name, "the PDF is encrypted with a password that opens it; decrypt it first") from exc
    except (pikepdf.PdfError, RuntimeError, ValueError):  # qpdf gives up in several ways (found by the fuzzer)
        return False


def _image_frames(path: Path, name: str, max_pixels: int) -> int:
    Image.MAX_IMAGE_PIXELS = None  # opening reads the header only; `_check_size` judges it first
    try:
        with Image.open(path) as img:
            _check_size(img, name, None, max_pixels)
            return getattr(img, "n_frames", 1)
    except IngestError:
        raise
    except Exception as exc:  # Pillow raises many types for broken files
        raise IngestError(name, f"not a readable image ({exc})") from exc


def _check_size(img: Image.Image, name: str, page: int | None, max_pixels: int) -> None:
    if img.width * img.height > max_pixels:
        raise IngestError(name, f"an image of {img.width}×{img.height} pixels: more than the {max_pixels} this service decodes "
                                "(DOSSIER_MAX_IMAGE_PIXELS); a decompression bomb, or a scan at an absurd resolution", page)


def render_page(task: PageTask, options: IngestOptions) -> Page:
    """One source page as an RGB raster (huge pages at a lower resolution, not refused). Runs in
    a decoding worker: see `read_page`."""
    Image.MAX_IMAGE_PIXELS = None  # opening reads the header only; `_check_size` judges it before decoding
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
            _check_size(img, task.name, task.page, options.max_image_pixels)
            frame = ImageOps.exif_transpose(img) if task.page == 1 else img
            dpi = _image_dpi(frame)
            pixels = frame.width * frame.height
            if pixels > options.max_page_pixels:  # huge scans: fewer pixels, not a failure
                scale = (options.max_page_pixels / pixels) ** 0.5
                frame.draft("RGB", (int(frame.width * scale), int(frame.height * scale)))
                frame = frame.resize((max(1, int(frame.width * scale)), max(1, int(frame.height * scale))))
                dpi *= scale
            array = _to_rgb(frame)
    except IngestError:
        raise
    except Exception as exc:
        raise IngestError(task.name, f"could not decode the image ({exc})", task.page) from exc
    return _checked(Page(PageRef(task.file, task.page), task.name, array, dpi), task)


def read_page(box: Sandbox, task: PageTask, options: IngestOptions) -> Page:
    """`render_page` in a decoding worker. A page that cannot be decoded fails the job when
    `options.unreadable` says so; otherwise it comes back as a white sheet marked unreadable,
    with the reason, to be listed among the excluded pages: never lost."""
    try:
        return _guarded(box, task.name, task.page, render_page, task, options)
    except IngestError as exc:
        if options.unreadable == "fail":
            raise
        page = Page(PageRef(task.file, task.page), task.name, np.full((1169, 827, 3), 255, np.uint8), 100.0)
        page.unreadable = exc.message
        return page


def _checked(page: Page, task: PageTask) -> Page:
    h, w = page.image.shape[:2]
    if min(h, w) < 32:
        raise IngestError(task.name, f"page image is only {w}×{h} pixels: not a scan", task.page)
    page.digest = raster_digest(page.image)
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
    """Yield pages in scan order, rendering up to `threads * 2` ahead in `threads` decoding workers."""
    window = max(2, options.threads * 2)
    with Sandbox(options.threads, options.limits) as box, \
            ThreadPoolExecutor(max_workers=options.threads, thread_name_prefix="rasterize") as pool:
        queue = iter(tasks)
        pending: deque[Future[Page]] = deque(pool.submit(read_page, box, t, options) for t in islice(queue, window))
        while pending:
            page = pending.popleft().result()
            pending.extend(pool.submit(read_page, box, t, options) for t in islice(queue, 1))
            yield page

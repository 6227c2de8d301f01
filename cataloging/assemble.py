"""Assemble the compiled dossier PDF.

Layout, per volume, as archivists expect it (GB/T 9705-2008 terms):

1. 卷皮 (cover): case title and number, volume title, 第N卷 共M卷, 起止日期, page count,
   立卷单位, 立卷人, 立卷日期;
2. 卷内目录: one row per document (顺序号, 文号, 责任者, 题名, 日期, 页号, 备注), as many pages
   as needed, the header row repeated on each;
3. the documents' pages: the scan (JPEG) at its physical size, an invisible OCR text layer
   (text render mode 3) fitted to every OCR line box, and the volume-relative page number
   stamped top right;
4. 卷内备考表 (closing page).

After the volumes comes an appendix with the pages left out of the volumes (blank and duplicate
pages), each with a note in a margin band above the scan, so that nothing is lost.

How it is written: reportlab draws every page without its scan (generated pages, the invisible
text layers, the page stamps). Meanwhile a small thread pool JPEG-encodes the scans a few pages
ahead. pikepdf then puts each JPEG, as it is (DCTDecode, no re-encoding), under its page, adds the
outline, the page labels and the document information and writes the output. The encoded scans of
the dossier are held in memory until then: about 0.1 MB a page (0.3-0.8 MB as scanned).

The file is PDF/A-2b (ISO 19005-2, what archives take for e-dossiers, DA/T 47): PDF 1.7, every
font embedded (reportlab embeds subsets, the invisible text layer's font included), an sRGB output
intent for the DeviceRGB/DeviceGray scans and drawings, XMP metadata that declares the conformance
and repeats the document information, no encryption and no transparency.
"""

from __future__ import annotations

import hashlib
import io
import re
import tempfile
import threading
import unicodedata
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Name
from pikepdf.models.metadata import encode_pdf_date
from pikepdf.pdfa import prepare as prepare_pdfa
from pikepdf.pdfa import resolve_save_kwargs
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from cataloging.dossier import Document, Dossier, Volume, chinese_numeral
from classification.taxonomy import Taxonomy
from ocr.page import EncodedScan, Page, PageRef, encode_scan

SOURCE_KEY = Name("/DossierSource")  # on each scan page: the source file (index, SHA-256), page number and raster digest
DEFAULT_SERIF_FONT = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
DEFAULT_SANS_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")

PDFA = "2b"  # PDF/A-2, level B (the pages look the same everywhere; untagged)

APPENDIX_TITLE = "未编入页（空白页、重复页）"
CATALOG_BOOKMARK = "卷内目录"
CLOSING_BOOKMARK = "卷内备考表"

# Document flags as printed in the 备注 column; unknown flags are printed as they are.
# What the 备注 column says about a document the compiler was unsure of (other flags stay in
# catalog.json for review and are not printed).
FLAG_LABELS: dict[str, str] = {
    "low_confidence": "低置信度",
    "uncertain_boundary": "分件待核",
    "type_guessed": "类型待核",
    "statement_role_inferred": "身份推定",
}

REASON_LABELS: dict[str, str] = {"blank": "空白页", "duplicate": "重复页", "unreadable": "无法识别"}


# --------------------------------------------------------------------------------------------
# public types


@dataclass(frozen=True)
class AssemblyOptions:
    jpeg_quality: int = 45
    clean_scans: bool = True  # ocr.cleanup: grey unless the page has colour, the paper levelled to white
    compiled_by: str = "dossier"  # 立卷人
    compiled_at: datetime = field(default_factory=datetime.now)  # 立卷日期 and the PDF dates
    compiled_unit: str | None = None  # 立卷单位; left as a blank line for hand filling when None
    cover_heading: str = "刑事案件卷宗"
    serif_font: Path = DEFAULT_SERIF_FONT  # body text of the generated pages (Song/Ming style)
    serif_font_index: int = 0  # subfont of a .ttc
    sans_font: Path = DEFAULT_SANS_FONT  # headings, page stamps and the invisible OCR layer
    sans_font_index: int = 0
    threads: int = 2  # JPEG encoding threads


@dataclass(frozen=True)
class OutlineEntry:
    title: str
    page: int  # absolute 1-based PDF page
    level: int  # 0 = top level


@dataclass(frozen=True)
class LabelRange:
    """Pages from `first_page` on, labelled in the viewer (PDF page labels) as `prefix`, followed
    by 1, 2, … when `numbered`: a volume's document pages as stamped, the pages without a stamp
    by what they are (第1卷卷皮, 第1卷目录, 第1卷备考表, 未编入页1)."""

    first_page: int  # absolute 1-based
    prefix: str = ""
    numbered: bool = True


@dataclass(frozen=True)
class AssembledVolume:
    number: int
    code: str
    title: str  # e.g. 诉讼文书卷（之一）
    cover_page: int
    catalog_first_page: int
    catalog_pages: int
    first_page: int | None  # first document page, None for an empty volume
    last_page: int | None
    closing_page: int  # 卷内备考表
    page_count: int  # stamped pages


@dataclass
class AssembledPdf:
    path: Path
    page_count: int  # all pages of the PDF
    catalog_pages: int  # 卷内目录 pages, all volumes together
    generated_pages: int  # pages not from a scan: covers, 卷内目录, 卷内备考表, appendix list
    output_pages: dict[PageRef, int]  # every source page (documents and excluded) -> 1-based page
    page_numbers: dict[PageRef, int]  # pages in volumes -> stamped, volume-relative page number
    volumes: list[AssembledVolume]
    outline: list[OutlineEntry]  # in order; levels nest as in the PDF
    appendix_page: int | None  # first page of the appendix, None when nothing was excluded

    @property
    def outline_titles(self) -> list[str]:
        return [e.title for e in self.outline]


# --------------------------------------------------------------------------------------------
# helpers shared with the catalog writer


def exclusion_reason(page: Page) -> str:
    """Why an excluded page stands outside the volumes: blank, duplicate or unreadable."""
    if page.unreadable is not None:
        return "unreadable"
    if page.blank:
        return "blank"
    if page.duplicate_of is not None:
        return "duplicate"
    raise ValueError(f"source page {page.ref} is not excluded")


def document_title(doc: Document, taxonomy: Taxonomy) -> str:
    """The document's own title, else the label of its type."""
    if doc.title and doc.title.strip():
        return doc.title.strip()
    try:
        return taxonomy.type(doc.type).label
    except KeyError:
        return doc.type


def iso_date(value: str | None) -> str | None:
    """YYYY-MM-DD from an ISO date or date-time (or 2024年3月12日, 20240312); None if unreadable."""
    if not value:
        return None
    m = re.match(r"\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})", value) or re.match(r"\s*(\d{4})(\d{2})(\d{2})", value)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def outline_title(doc: Document, taxonomy: Taxonomy) -> str:
    """Bookmark title: "讯问笔录 — 刘某某 2024-03-12"."""
    title = document_title(doc, taxonomy)
    extra = []
    if doc.principal and doc.principal not in title:
        extra.append(doc.principal)
    if d := iso_date(doc.date):
        extra.append(d)
    return f"{title} — {' '.join(extra)}" if extra else title


def catalog_title(doc: Document, taxonomy: Taxonomy) -> str:
    """题名 in the 卷内目录: the title, with the principal person when the title lacks it."""
    title = document_title(doc, taxonomy)
    if doc.principal and doc.principal not in title:
        return f"{title}（{doc.principal}）"
    return title


def volume_bookmark(volume: Volume) -> str:
    return f"第{volume.number}卷 {volume.title}"


# --------------------------------------------------------------------------------------------
# entry point


def assemble(
    dossier: Dossier,
    taxonomy: Taxonomy,
    output: Path,
    options: AssemblyOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> AssembledPdf:
    """Write the dossier PDF to `output`; `progress(done, total)` is called as pages are written."""
    options = options or AssemblyOptions()
    output = Path(output)
    fonts = _fonts(options)
    plan = _Planner(dossier, taxonomy, options, fonts).plan()
    if not plan.items:
        raise ValueError("nothing to assemble: the dossier has no volumes and no excluded pages")

    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".assemble-", dir=output.parent) as tmp:
        page_count = _write(plan, fonts, dossier, options, Path(tmp), output, progress)

    if page_count != len(plan.items):  # pragma: no cover - a bug, not an input problem
        raise RuntimeError(f"assembled {page_count} pages, planned {len(plan.items)}")
    return AssembledPdf(
        path=output,
        page_count=page_count,
        catalog_pages=sum(v.catalog_pages for v in plan.volumes),
        generated_pages=sum(1 for it in plan.items if it.scan is None),
        output_pages=plan.output_pages,
        page_numbers=plan.page_numbers,
        volumes=plan.volumes,
        outline=plan.outline,
        appendix_page=plan.appendix_page,
    )


# --------------------------------------------------------------------------------------------
# fonts

_FONT_LOCK = threading.Lock()


@dataclass(frozen=True)
class _Fonts:
    serif: str
    sans: str
    sans_ascent: float  # 1/1000 em
    sans_descent: float  # negative
    sans_chars: frozenset[int]  # code points the sans font has glyphs for
    serif_chars: frozenset[int]


def _register(path: Path, index: int, option: str) -> str:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"font for AssemblyOptions.{option} not found: {path}")
    digest = hashlib.sha1(f"{path.resolve()}#{index}".encode()).hexdigest()[:8]
    name = f"Dossier-{digest}"
    with _FONT_LOCK:
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))
    return name


def _fonts(options: AssemblyOptions) -> _Fonts:
    return _load_fonts(Path(options.serif_font), options.serif_font_index, Path(options.sans_font), options.sans_font_index)


@lru_cache(maxsize=8)
def _load_fonts(serif_font: Path, serif_index: int, sans_font: Path, sans_index: int) -> _Fonts:
    serif = _register(serif_font, serif_index, "serif_font")
    sans = _register(sans_font, sans_index, "sans_font")
    face = pdfmetrics.getFont(sans).face
    ascent, descent = float(face.ascent), float(face.descent)
    if ascent - descent <= 0:  # pragma: no cover - broken font metrics
        ascent, descent = 880.0, -120.0
    # reportlab's ToUnicode maps only BMP code points correctly, so only those are offered
    chars = lambda name: frozenset(c for c in pdfmetrics.getFont(name).face.charToGlyph if c <= 0xFFFF)  # noqa: E731
    return _Fonts(serif, sans, ascent, descent, chars(sans), chars(serif))


# --------------------------------------------------------------------------------------------
# plan: every page of the PDF, in order, with what goes on it


@dataclass
class _Item:
    width: float
    height: float
    draw: Callable[[Canvas], None] | None = None  # generated page (or the decorations of a scan)
    scan: Page | None = None
    band: float = 0.0  # margin band above the scan (appendix note), in points


@dataclass
class _Plan:
    items: list[_Item]
    outline: list[OutlineEntry]
    output_pages: dict[PageRef, int]
    page_numbers: dict[PageRef, int]
    volumes: list[AssembledVolume]
    appendix_page: int | None
    labels: list[LabelRange]


CATALOG_COLUMNS = ("顺序号", "文号", "责任者", "题名", "日期", "页号", "备注")
_CATALOG_WIDTHS = (36, 72, 72, 175, 52, 48, 50)  # points, 505 in all
_APPENDIX_COLUMNS = ("序号", "来源文件", "原页码", "原因", "说明", "本卷宗页码")
_APPENDIX_WIDTHS = (36, 150, 50, 55, 159, 55)
_MARGIN_X = (A4[0] - sum(_CATALOG_WIDTHS)) / 2
_TABLE_TOP = A4[1] - 130  # catalog table starts below the title block
_TABLE_BOTTOM = 60
_BAND = 22.0  # appendix note band


def _clip(text: str | None, limit: int) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cn_date(d: date | datetime) -> str:
    return f"{d.year}年{d.month:02d}月{d.day:02d}日"


def _source_name(dossier: Dossier, ref: PageRef, fallback: str) -> str:
    if 0 <= ref.file < len(dossier.sources):
        return dossier.sources[ref.file].name
    return fallback


class _Planner:
    def __init__(self, dossier: Dossier, taxonomy: Taxonomy, options: AssemblyOptions, fonts: _Fonts):
        self.dossier = dossier
        self.taxonomy = taxonomy
        self.options = options
        self.fonts = fonts
        self.items: list[_Item] = []
        self.outline: list[OutlineEntry] = []
        self.output_pages: dict[PageRef, int] = {}
        self.page_numbers: dict[PageRef, int] = {}
        self.volumes: list[AssembledVolume] = []
        self.appendix_page: int | None = None
        self.labels: list[LabelRange] = []
        s = ParagraphStyle
        self.cell = s("cell", fontName=fonts.serif, fontSize=9, leading=12, wordWrap="CJK")
        self.cell_c = s("cellc", parent=self.cell, alignment=TA_CENTER)
        self.head = s("head", fontName=fonts.sans, fontSize=9.5, leading=12, alignment=TA_CENTER, wordWrap="CJK")
        self.body = s("body", fontName=fonts.serif, fontSize=12, leading=22, wordWrap="CJK", alignment=TA_LEFT)
        self.field = s("field", fontName=fonts.serif, fontSize=13, leading=19, wordWrap="CJK")

    # -- bookkeeping

    @property
    def next_page(self) -> int:
        return len(self.items) + 1

    def _add(self, item: _Item) -> int:
        self.items.append(item)
        return len(self.items)

    def _add_scan(self, page: Page, item: _Item) -> int:
        if page.ref in self.output_pages:
            raise ValueError(
                f"source page {page.ref} ({page.source_name} p.{page.ref.page}) appears twice in the dossier"
            )
        n = self._add(item)
        self.output_pages[page.ref] = n
        return n

    # -- the whole dossier

    def plan(self) -> _Plan:
        total = len(self.dossier.volumes)
        for volume in self.dossier.volumes:
            self._volume(volume, total)
        if self.dossier.excluded:
            self._appendix()
        return _Plan(self.items, self.outline, self.output_pages, self.page_numbers, self.volumes, self.appendix_page, self.labels)

    def _volume(self, volume: Volume, total: int) -> None:
        docs = volume.documents
        for i, doc in enumerate(docs, 1):
            if not doc.pages:
                raise ValueError(f"document {i} ({doc.type}) of volume {volume.title} has no pages")
        # stamped numbers, volume-relative, known before anything is drawn
        starts: list[tuple[int, int]] = []
        n = 0
        for doc in docs:
            starts.append((n + 1, n + len(doc.pages)))
            n += len(doc.pages)
        page_count = n

        cover = self._add(_Item(*A4, draw=lambda c, v=volume, t=total, p=page_count: self._draw_cover(c, v, t, p)))
        self.outline.append(OutlineEntry(volume_bookmark(volume), cover, 0))
        self.labels.append(LabelRange(cover, f"第{volume.number}卷卷皮", numbered=False))

        pieces = self._split_table(self._catalog_table(volume, starts), _TABLE_TOP - _TABLE_BOTTOM)
        catalog_first = self.next_page
        for k, piece in enumerate(pieces):
            self._add(
                _Item(*A4, draw=lambda c, v=volume, t=piece, k=k, n=len(pieces): self._draw_catalog(c, v, t, k, n))
            )
        self.outline.append(OutlineEntry(CATALOG_BOOKMARK, catalog_first, 1))
        self.labels.append(LabelRange(catalog_first, f"第{volume.number}卷目录", numbered=len(pieces) > 1))
        if page_count:  # the stamps run on from 1 across the volume's documents
            self.labels.append(LabelRange(self.next_page))

        first = last = None
        stamp = 0
        for doc in docs:
            doc_first = None
            for page in doc.pages:
                stamp += 1
                w, h = _page_size(page)
                n = self._add_scan(page, _Item(w, h, draw=lambda c, s=stamp, w=w, h=h: self._draw_stamp(c, s, w, h), scan=page))
                self.page_numbers[page.ref] = stamp
                doc_first = doc_first or n
                first = first or n
                last = n
            self.outline.append(OutlineEntry(outline_title(doc, self.taxonomy), doc_first, 1))

        closing = self._add(_Item(*A4, draw=lambda c, v=volume, p=page_count: self._draw_closing(c, v, p)))
        self.outline.append(OutlineEntry(CLOSING_BOOKMARK, closing, 1))
        self.labels.append(LabelRange(closing, f"第{volume.number}卷备考表", numbered=False))
        self.volumes.append(
            AssembledVolume(
                number=volume.number,
                code=volume.code,
                title=volume.title,
                cover_page=cover,
                catalog_first_page=catalog_first,
                catalog_pages=len(pieces),
                first_page=first,
                last_page=last,
                closing_page=closing,
                page_count=page_count,
            )
        )

    def _appendix(self) -> None:
        excluded = self.dossier.excluded
        # the list pages come first; their count decides where the scans land
        first_list = self.next_page
        height = _TABLE_TOP - _TABLE_BOTTOM - 40  # room for the intro paragraph
        n_list = 1
        for _ in range(3):  # the page numbers in the table depend on how many list pages there are
            pieces = self._split_table(self._appendix_table(excluded, first_list, n_list), height)
            if len(pieces) == n_list:
                break
            n_list = len(pieces)
        for k, piece in enumerate(pieces):
            self._add(_Item(*A4, draw=lambda c, t=piece, k=k, n=len(pieces): self._draw_appendix_list(c, t, k, n)))
        self.appendix_page = first_list
        self.outline.append(OutlineEntry(APPENDIX_TITLE, first_list, 0))
        self.labels.append(LabelRange(first_list, "未编入页清单", numbered=len(pieces) > 1))
        self.labels.append(LabelRange(self.next_page, "未编入页"))  # as the notes count them: 未编入页 1/N
        for i, page in enumerate(excluded, 1):
            w, h = _page_size(page)
            note = self._appendix_note(page, i, len(excluded))
            n = self._add_scan(
                page, _Item(w, h + _BAND, draw=lambda c, t=note, w=w, h=h: self._draw_note(c, t, w, h), scan=page, band=_BAND)
            )
            reason = REASON_LABELS[exclusion_reason(page)]
            self.outline.append(OutlineEntry(f"{reason} — {self._src(page.ref, page)} 第{page.ref.page}页", n, 1))

    def _src(self, ref: PageRef, page: Page | None = None) -> str:
        return _source_name(self.dossier, ref, page.source_name if page else f"文件{ref.file + 1}")

    def _dup_text(self, page: Page) -> str:
        ref = page.duplicate_of
        if ref is None:
            return ""
        return f"与 {self._src(ref)} 第{ref.page}页重复"

    def _appendix_note(self, page: Page, i: int, total: int) -> str:
        reason = exclusion_reason(page)
        parts = [f"未编入页 {i}/{total}：{REASON_LABELS[reason]}"]
        if reason == "duplicate":
            parts.append(self._dup_text(page))
        if reason == "unreadable":
            parts.append(_clip(page.unreadable, 90))
        parts.append(f"来源：{self._src(page.ref, page)} 第{page.ref.page}页")
        return "　".join(parts)

    # -- tables

    def _p(self, text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(escape(text), style)

    def _table(self, header: tuple[str, ...], widths: tuple[int, ...], rows: list[list[Paragraph]]) -> Table:
        data = [[self._p(h, self.head) for h in header], *rows]
        table = Table(data, colWidths=list(widths), repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), self.fonts.serif),  # else each cell sets Helvetica, not embedded
                    ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ]
            )
        )
        return table

    def _catalog_table(self, volume: Volume, starts: list[tuple[int, int]]) -> Table:
        rows = []
        for i, (doc, (a, b)) in enumerate(zip(volume.documents, starts), 1):
            d = iso_date(doc.date)
            remarks = "、".join(dict.fromkeys(FLAG_LABELS[f] for f in doc.flags if f in FLAG_LABELS))
            rows.append(
                [
                    self._p(str(i), self.cell_c),
                    self._p(_clip(doc.doc_number, 60), self.cell),
                    self._p(_clip(doc.author, 60), self.cell),
                    self._p(_clip(catalog_title(doc, self.taxonomy), 200), self.cell),
                    self._p(d.replace("-", "") if d else "", self.cell_c),
                    self._p(str(a) if a == b else f"{a}-{b}", self.cell_c),
                    self._p(_clip(remarks, 60), self.cell),
                ]
            )
        return self._table(CATALOG_COLUMNS, _CATALOG_WIDTHS, rows)

    def _appendix_table(self, excluded: list[Page], first_list: int, n_list: int) -> Table:
        rows = []
        first_scan = first_list + n_list
        for i, page in enumerate(excluded, 1):
            reason = exclusion_reason(page)
            rows.append(
                [
                    self._p(str(i), self.cell_c),
                    self._p(_clip(self._src(page.ref, page), 80), self.cell),
                    self._p(str(page.ref.page), self.cell_c),
                    self._p(REASON_LABELS[reason], self.cell_c),
                    self._p(_clip(self._dup_text(page), 120), self.cell),
                    self._p(str(first_scan + i - 1), self.cell_c),
                ]
            )
        return self._table(_APPENDIX_COLUMNS, _APPENDIX_WIDTHS, rows)

    @staticmethod
    def _split_table(table: Table, height: float) -> list[Table]:
        width = sum(_CATALOG_WIDTHS)
        pieces = []
        rest = table
        while True:
            _, h = rest.wrap(width, height)
            if h <= height:
                pieces.append(rest)
                return pieces
            parts = rest.split(width, height)
            if len(parts) < 2:  # one row taller than a page: cannot happen with clipped cells
                pieces.append(rest)
                return pieces
            pieces.append(parts[0])
            rest = parts[1]

    # -- drawing (called later, on the canvas of the whole PDF)

    def _title(self, c: Canvas, text: str, y: float, size: float = 20) -> None:
        c.setFillColor(colors.black)
        c.setFont(self.fonts.sans, size)
        spaced = " ".join(text) if len(text) <= 6 else text
        c.drawCentredString(A4[0] / 2, y, spaced)

    def _draw_cover(self, c: Canvas, volume: Volume, total: int, page_count: int) -> None:
        W, H = A4
        o = self.options
        c.setStrokeColor(colors.black)
        c.setLineWidth(2)
        c.rect(40, 40, W - 80, H - 80)
        c.setLineWidth(0.6)
        c.rect(46, 46, W - 92, H - 92)
        self._title(c, o.cover_heading, H - 160, 30)
        c.setFont(self.fonts.sans, 22)
        c.drawCentredString(W / 2, H - 235, volume.title)
        c.setFont(self.fonts.serif, 15)
        c.drawCentredString(W / 2, H - 272, f"第 {volume.number} 卷　　共 {total} 卷")

        dates = sorted(d for d in (iso_date(doc.date) for doc in volume.documents) if d)
        if dates:
            lo, hi = date.fromisoformat(dates[0]), date.fromisoformat(dates[-1])
            span = _cn_date(lo) if lo == hi else f"{_cn_date(lo)} 至 {_cn_date(hi)}"
        else:
            span = ""
        fields = [
            ("案件名称", self.dossier.case_title or ""),
            ("案件编号", self.dossier.case_number or ""),
            ("卷　　别", volume.title),
            ("起止日期", span),
            ("本卷页数", f"共 {page_count} 页"),
            ("立卷单位", o.compiled_unit or ""),
            ("立 卷 人", o.compiled_by or ""),
            ("立卷日期", _cn_date(o.compiled_at)),
        ]
        label = ParagraphStyle("label", parent=self.field, alignment=TA_LEFT)
        data = [[self._p(f"{k}：", label), self._p(_clip(v, 160), self.field)] for k, v in fields]
        table = Table(data, colWidths=[90, 300])
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), self.fonts.serif),  # else each cell sets Helvetica, not embedded
                    ("LINEBELOW", (1, 0), (1, -1), 0.6, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("TOPPADDING", (0, 0), (-1, -1), 12),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        _, th = table.wrap(390, H)
        table.drawOn(c, (W - 390) / 2, H - 330 - th)

    def _catalog_heading(self, c: Canvas, title: str, left: str, right: str) -> None:
        W, H = A4
        self._title(c, title, H - 75)
        c.setFont(self.fonts.serif, 10.5)
        c.drawString(_MARGIN_X, H - 112, left)
        c.drawRightString(W - _MARGIN_X, H - 112, right)

    def _draw_catalog(self, c: Canvas, volume: Volume, table: Table, k: int, n: int) -> None:
        number = self.dossier.case_number
        left = f"案件编号：{number}" if number else ""
        self._catalog_heading(c, "卷内目录", _clip(left, 40), f"第{volume.number}卷　{volume.title}")
        _, h = table.wrap(sum(_CATALOG_WIDTHS), _TABLE_TOP - _TABLE_BOTTOM)
        table.drawOn(c, _MARGIN_X, _TABLE_TOP - h)
        if n > 1:
            self._page_of(c, k, n)

    def _page_of(self, c: Canvas, k: int, n: int) -> None:
        c.setFont(self.fonts.serif, 9)
        c.drawCentredString(A4[0] / 2, 36, f"（第{k + 1}页 共{n}页）")

    def _draw_closing(self, c: Canvas, volume: Volume, page_count: int) -> None:
        W, H = A4
        o = self.options
        self._title(c, "卷内备考表", H - 75)
        c.setFont(self.fonts.serif, 10.5)
        c.drawRightString(W - _MARGIN_X, H - 112, f"第{volume.number}卷　{volume.title}")
        top, bottom = H - 125, 90
        c.setLineWidth(0.8)
        c.rect(_MARGIN_X, bottom, W - 2 * _MARGIN_X, top - bottom)

        excluded = self.dossier.excluded
        counts = {r: sum(1 for p in excluded if exclusion_reason(p) == r) for r in REASON_LABELS}
        lines = [f"本卷共有文件材料 {len(volume.documents)} 件，共 {page_count} 页（不含卷皮、卷内目录及本表）。"]
        if excluded:
            why = "，".join(f"{REASON_LABELS[r]} {n} 页" for r, n in counts.items() if n)
            lines.append(
                f"本案扫描材料中另有 {len(excluded)} 页未编入各卷（{why}），"
                f"附于卷宗末尾“{APPENDIX_TITLE}”部分备查。"
            )
        else:
            lines.append("本案扫描材料无未编入页。")
        flagged = sum(1 for d in volume.documents if d.flags)
        if flagged:
            lines.append(f"本卷有 {flagged} 件文件在卷内目录备注栏中注明待核情况，请核对。")
        if volume.parts > 1:
            lines.append(f"{volume.label}共分 {volume.parts} 册，本册为之{chinese_numeral(volume.part)}。")

        c.setFont(self.fonts.sans, 12)
        c.drawString(_MARGIN_X + 14, top - 30, "本卷情况说明：")
        y = top - 42
        width = W - 2 * _MARGIN_X - 28
        for text in lines:
            para = Paragraph(escape("　　" + text), self.body)
            _, ph = para.wrap(width, top - bottom)
            para.drawOn(c, _MARGIN_X + 14, y - ph)
            y -= ph + 4

        c.setFont(self.fonts.serif, 12)
        x = W / 2 + 20
        c.drawString(x, bottom + 110, f"立卷人：{_clip(o.compiled_by, 20)}")
        c.drawString(x, bottom + 75, "检查人：")
        c.setLineWidth(0.5)
        c.line(x + 50, bottom + 72, x + 190, bottom + 72)
        c.drawString(x, bottom + 40, f"立卷时间：{_cn_date(o.compiled_at)}")

    def _draw_appendix_list(self, c: Canvas, table: Table, k: int, n: int) -> None:
        W, H = A4
        self._title(c, "未编入页清单", H - 75)
        c.setFont(self.fonts.serif, 10.5)
        number = self.dossier.case_number
        c.drawString(_MARGIN_X, H - 112, _clip(f"案件编号：{number}" if number else "", 40))
        top = _TABLE_TOP
        if k == 0:
            intro = Paragraph(
                escape(
                    "　　以下页面因空白或与其他页面重复，未编入各卷。为保持扫描材料完整，"
                    "原样附于本卷宗末尾备查，每页上方注明未编入原因及来源。"
                ),
                ParagraphStyle("intro", parent=self.body, fontSize=10.5, leading=16),
            )
            _, ph = intro.wrap(sum(_APPENDIX_WIDTHS), 60)
            intro.drawOn(c, _MARGIN_X, top - ph)
            top -= 40
        _, h = table.wrap(sum(_APPENDIX_WIDTHS), top - _TABLE_BOTTOM)
        table.drawOn(c, _MARGIN_X, top - h)
        if n > 1:
            self._page_of(c, k, n)

    def _draw_stamp(self, c: Canvas, number: int, width: float, height: float) -> None:
        size = max(8.0, min(14.0, min(width, height) / 50))
        margin = max(8.0, min(width, height) * 0.03)
        c.setFillColor(colors.black)
        c.setFont(self.fonts.sans, size)
        c.drawRightString(width - margin, height - margin - size * 0.8, str(number))

    def _draw_note(self, c: Canvas, note: str, width: float, height: float) -> None:
        c.setFillColor(colors.Color(0.93, 0.93, 0.93))
        c.rect(0, height, width, _BAND, stroke=0, fill=1)
        c.setFillColor(colors.Color(0.35, 0.05, 0.05))
        size = 9.0
        while size > 4 and pdfmetrics.stringWidth(note, self.fonts.sans, size) > width - 12:
            size -= 0.5
        c.setFont(self.fonts.sans, size)
        c.drawString(6, height + (_BAND - size) / 2 + 1, note)


def _page_size(page: Page) -> tuple[float, float]:
    w, h = page.size
    dpi = page.dpi if page.dpi and page.dpi > 0 else 200.0
    return w / dpi * 72.0, h / dpi * 72.0


# --------------------------------------------------------------------------------------------
# the invisible OCR text layer


def _clean(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip()


def _runs(text: str, fonts: _Fonts) -> list[tuple[str, str]]:
    """(font, text) runs: the sans font where it has the glyph, else the serif font; characters
    neither has (e.g. beyond the BMP) are left out, as they could not be extracted anyway."""
    sans, serif = fonts.sans_chars, fonts.serif_chars
    if all(ord(ch) in sans for ch in text):
        return [(fonts.sans, text)]
    runs: list[tuple[str, str]] = []
    for ch in text:
        o = ord(ch)
        font = fonts.sans if o in sans else fonts.serif if o in serif else None
        if font is None:
            continue
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return runs


def _draw_text_layer(c: Canvas, page: Page, fonts: _Fonts, height_pt: float) -> None:
    """OCR lines in text render mode 3, each fitted to its box (size from the box's height,
    horizontal scaling to its width; tall narrow boxes are taken as vertical text)."""
    if not page.lines:
        return
    img_w, img_h = page.size
    s = 72.0 / (page.dpi if page.dpi and page.dpi > 0 else 200.0)
    em = (fonts.sans_ascent - fonts.sans_descent) / 1000.0
    below = -fonts.sans_descent / 1000.0  # descent as a share of the font size
    t = c.beginText()
    t.setTextRenderMode(3)
    drawn = 0
    for line in page.lines:
        text = _clean(line.text)
        if not text:
            continue
        x0, y0, x1, y1 = (float(v) for v in line.box)
        x0, x1 = max(0.0, min(x0, x1)), min(float(img_w), max(x0, x1))
        y0, y1 = max(0.0, min(y0, y1)), min(float(img_h), max(y0, y1))
        bw, bh = (x1 - x0) * s, (y1 - y0) * s
        if bw <= 0.5 or bh <= 0.5:
            continue
        vertical = bh > 1.5 * bw and len(text) > 1
        size = (bw if vertical else bh) / em
        runs = _runs(text, fonts)
        natural = sum(pdfmetrics.stringWidth(run, font, size) for font, run in runs)
        if natural <= 0:
            continue
        span = bh if vertical else bw
        t.setFont(runs[0][0], size)
        t.setHorizScale(max(1.0, min(1000.0, span / natural * 100.0)))
        top, left = height_pt - y0 * s, x0 * s
        if vertical:  # baseline runs downwards, glyph tops point right
            t.setTextTransform(0, -1, 1, 0, left + below * size, top)
        else:
            t.setTextTransform(1, 0, 0, 1, left, height_pt - y1 * s + below * size)
        for k, (font, run) in enumerate(runs):
            if k:
                t.setFont(font, size)
            t.textOut(run)
        drawn += 1
    if drawn:
        # text state (render mode 3, Tz) lives in the graphics state and outlasts ET: keep it in q/Q
        c.saveState()
        c.drawText(t)
        c.restoreState()


# --------------------------------------------------------------------------------------------
# writing


def _encode(page: Page, quality: int, clean: bool, path: Path) -> EncodedScan:
    """The page's scan as JPEG: as the pipeline kept it, or encoded now."""
    return page.scan or encode_scan(page.image, quality, via=path, clean=clean)


def _write(
    plan: _Plan,
    fonts: _Fonts,
    dossier: Dossier,
    options: AssemblyOptions,
    tmp: Path,
    output: Path,
    progress: Callable[[int, int], None] | None,
) -> int:
    """Draw every page with reportlab (text layers, stamps, generated pages: small) while the
    scans are JPEG-encoded ahead on a thread pool, then put the scans under their pages with
    pikepdf (the JPEG data goes in as it is, no re-encoding)."""
    items = plan.items
    quality = max(1, min(95, int(options.jpeg_quality)))
    threads = max(1, int(options.threads))
    window = 3 * threads  # scans encoded ahead of the page being drawn
    scans = [i for i, item in enumerate(items) if item.scan is not None]
    jpegs: dict[int, EncodedScan] = {}  # item index -> encoded scan

    text_pdf = io.BytesIO()
    # every page's preamble sets the initial font: ours (embedded), not reportlab's Helvetica
    c = Canvas(text_pdf, pagesize=A4, invariant=1, pageCompression=1, initialFontName=fonts.sans)
    futures: dict[int, Future[EncodedScan]] = {}
    submitted = 0
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="jpeg") as pool:
        try:
            for i, item in enumerate(items):
                while submitted < len(scans) and len(futures) < window:
                    k = scans[submitted]
                    futures[k] = pool.submit(_encode, items[k].scan, quality, options.clean_scans, tmp / f"scan-{k:06d}.jpg")
                    submitted += 1
                c.setPageSize((item.width, item.height))
                if item.scan is not None:
                    _draw_text_layer(c, item.scan, fonts, item.height - item.band)
                if item.draw is not None:
                    item.draw(c)
                c.showPage()
                if item.scan is not None:
                    jpegs[i] = futures.pop(i).result()
                if progress:
                    progress(i + 1, len(items))
            c.save()
        finally:
            for f in futures.values():
                f.cancel()
    del c

    with pikepdf.open(io.BytesIO(text_pdf.getvalue())) as out:
        del text_pdf
        for i, jpeg in jpegs.items():
            image = pikepdf.Stream(
                out, jpeg.data, Type=Name.XObject, Subtype=Name.Image, Width=jpeg.width, Height=jpeg.height,
                ColorSpace=Name.DeviceGray if jpeg.gray else Name.DeviceRGB, BitsPerComponent=8, Filter=Name.DCTDecode,
            )
            _put_scan(out.pages[i], image, items[i], dossier)
        jpegs.clear()
        _finish(out, plan, dossier, options)
        out.save(output, **resolve_save_kwargs(PDFA, min_version="1.7", deterministic_id=True))
        return len(out.pages)


def _put_scan(page: pikepdf.Page, image: pikepdf.Object, item: _Item, dossier: Dossier) -> None:
    name = page.add_resource(image, Name.XObject, Name("/DossierScan"), replace_existing=False)
    w, h = item.width, item.height - item.band
    page.contents_add(f"q {w:.4f} 0 0 {h:.4f} 0 0 cm {name} Do Q\n".encode(), prepend=True)
    # which source page this is, readable from the PDF alone (`dossier verify`, the page-loss tests)
    scan = item.scan
    page.obj[SOURCE_KEY] = pikepdf.Dictionary(
        File=scan.ref.file, FileSHA256=pikepdf.String(dossier.sources[scan.ref.file].sha256), Page=scan.ref.page,
        Digest=pikepdf.String(scan.digest),
    )


def read_scans(pdf: Path) -> dict[PageRef, EncodedScan]:
    """The scans of an assembled dossier as the JPEGs `_put_scan` put in, by source page: what a
    rebuild (a reviewed dossier) assembles again without decoding or OCR."""
    scans = {}
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            mark = page.obj.get(SOURCE_KEY)
            if mark is None:
                continue
            image = page.obj.Resources.XObject[Name("/DossierScan")]
            scans[PageRef(int(mark.File), int(mark.Page))] = EncodedScan(
                image.read_raw_bytes(), int(image.Width), int(image.Height), image.ColorSpace == Name.DeviceGray)
    return scans


def _finish(out: pikepdf.Pdf, plan: _Plan, dossier: Dossier, options: AssemblyOptions) -> None:
    """Bookmarks, page labels, document information, viewer preferences and the PDF/A-2b
    declaration (XMP metadata and output intent)."""
    with out.open_outline() as ol:
        stack: list[pikepdf.OutlineItem] = []
        for entry in plan.outline:
            item = pikepdf.OutlineItem(entry.title, entry.page - 1)
            del stack[entry.level :]
            if stack:
                stack[-1].children.append(item)
            else:
                ol.root.append(item)
            stack.append(item)
    for page in out.pages:  # reportlab's empty page transition: nothing to show, and outside what PDF/A validators vouch for
        if Name.Trans in page.obj:
            del page.obj[Name.Trans]
    out.remove_unreferenced_resources()  # reportlab lists Helvetica (not embedded) on every page, used by none
    nums = pikepdf.Array()
    for r in plan.labels:
        label = pikepdf.Dictionary(S=Name.D) if r.numbered else pikepdf.Dictionary()
        if r.prefix:
            label.P = pikepdf.String(r.prefix)
        nums.extend([r.first_page - 1, label])
    out.Root.PageLabels = pikepdf.Dictionary(Nums=nums)
    out.Root.PageMode = Name.UseOutlines
    out.Root.Lang = pikepdf.String("zh-CN")
    out.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    when = encode_pdf_date(options.compiled_at)
    for key in (Name.Subject, Name.Author, Name.Keywords):  # reportlab's placeholders
        if key in out.docinfo:
            del out.docinfo[key]
    out.docinfo[Name.Title] = dossier.case_title or options.cover_heading
    out.docinfo[Name.Author] = options.compiled_by
    if dossier.case_number:
        out.docinfo[Name.Subject] = dossier.case_number
    out.docinfo[Name.Creator] = "dossier"
    out.docinfo[Name.Producer] = "dossier"
    out.docinfo[Name.CreationDate] = when
    out.docinfo[Name.ModDate] = when
    # the sRGB output intent (pikepdf's ICC profile) and XMP from the information above
    prepare_pdfa(out, PDFA)
    with out.open_metadata(set_pikepdf_as_editor=False) as xmp:  # prepare names pikepdf and now
        xmp["pdf:Producer"] = "dossier"
        xmp["xmp:MetadataDate"] = options.compiled_at.isoformat()

"""PDF assembly, checked with the real tools: qpdf, pdftotext and pypdf."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
import pikepdf
import pikepdf.pdfa as pdfa
import pytest
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader

from cataloging.assemble import (
    APPENDIX_TITLE,
    CATALOG_BOOKMARK,
    AssembledPdf,
    AssemblyOptions,
    assemble,
    read_scans,
)
from cataloging.dossier import Document, Dossier, Volume
from casegen.evaluate import normalize_text, page_distance
from classification.taxonomy import load_taxonomy
from casegen.synthetic import generate_case
from compiler_service.pipeline import reader_options
from compiler_service.settings import Settings
from ocr.ingest import IngestOptions, open_sources, render_page
from ocr.page import Page, PageRef, SourceFile, TextLine
from ocr.reader import PageReader

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
DPI = 100
A4_PX = (827, 1169)  # A4 at 100 dpi

needs_tools = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("qpdf", "pdftotext", "pdftoppm")), reason="poppler-utils and qpdf needed"
)


# --------------------------------------------------------------------------------------------
# a small dossier drawn from generated scans


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, size)


def make_page(
    file: int,
    page: int,
    texts: list[str],
    *,
    size: tuple[int, int] = A4_PX,
    dpi: float = DPI,
    font_size: int = 28,
    **fields,
) -> Page:
    """A white scan with `texts` drawn as lines, and TextLine boxes from where they were drawn."""
    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    font = _font(font_size)
    lines = []
    y = int(size[1] * 0.1)
    for text in texts:
        x0, y0, x1, y1 = draw.textbbox((int(size[0] * 0.1), y), text, font=font)
        draw.text((int(size[0] * 0.1), y), text, font=font, fill=(0, 0, 0))
        lines.append(TextLine(text, (x0 - 2, y0 - 3, x1 + 2, y1 + 3), 0.93))
        y += int(font_size * 2)
    return Page(
        ref=PageRef(file, page),
        source_name=f"scan_{'ab'[file]}.pdf",
        image=np.asarray(img),
        dpi=dpi,
        lines=lines,
        **fields,
    )


def token(file: int, page: int) -> str:
    return f"KEY{'AB'[file]}{page:02d}"


def make_dossier() -> Dossier:
    """Two sources (6 + 4 pages), two volumes, one blank and one duplicate page."""

    def p(file: int, page: int, *texts: str, **fields) -> Page:
        return make_page(file, page, [*texts, f"本页标记 {token(file, page)}"], **fields)

    procedural = Volume(
        code="procedural",
        label="诉讼文书卷",
        number=1,
        documents=[
            Document(
                "case_filing_decision",
                [p(0, 1, "立案决定书", "决定对刘某某盗窃案立案侦查。")],
                title="立案决定书",
                doc_number="某公（刑）立字〔2024〕101号",
                author="某市公安局",
                date="2024-03-10",
                persons=["刘某某"],
            ),
            Document(
                "detention_warrant",
                [p(0, 2, "拘留证", "犯罪嫌疑人刘某某，男，1990年出生。")],
                doc_number="某公（刑）拘字〔2024〕55号",
                author="某市公安局",
                date="2024-03-11",
                persons=["刘某某"],
                confidence=0.41,
                flags=["low_confidence"],
            ),
            Document(
                "prosecution_recommendation",
                [p(0, 3, "起诉意见书", "犯罪嫌疑人刘某某涉嫌盗窃罪。"), p(0, 4, "此致 某市人民检察院")],
                title="起诉意见书",
                author="某市公安局",
                date="2024-05-20",
                persons=["刘某某"],
            ),
        ],
    )
    evidence = Volume(
        code="evidence",
        label="证据材料卷",
        number=2,
        documents=[
            Document(
                "interrogation_record",
                [
                    p(1, 1, "讯问笔录", "问：你叫什么名字？", "答：我叫刘某某。"),
                    p(1, 2, "问：你为什么被抓？", "答：我偷了东西。"),
                    p(0, 6, "以上笔录我看过，和我说的一样。"),
                ],
                author="张三、李四",
                date="2024-03-12T09:30:00",
                persons=["刘某某"],
            ),
            Document(
                "witness_statement",
                [p(1, 4, "询问笔录", "问：你看见了什么？", "答：我看见他拿走了手机。")],
                title="询问笔录",
                author="王五",
                date="2024-03-13",
                persons=["陈某"],
            ),
        ],
    )
    blank = make_page(0, 5, [], blank=True)
    duplicate = p(1, 3, "以上笔录我看过，和我说的一样。", duplicate_of=PageRef(0, 6))
    return Dossier(
        sources=[
            SourceFile(Path("/in/scan_a.pdf"), "scan_a.pdf", "a" * 64, 6),
            SourceFile(Path("/in/scan_b.pdf"), "scan_b.pdf", "b" * 64, 4),
        ],
        volumes=[procedural, evidence],
        excluded=[blank, duplicate],
        case_number="某公（刑）立字〔2024〕101号",
        case_title="刘某某盗窃案",
        timings={"ingest": 1.5, "ocr": 12.25},
    )


OPTIONS = AssemblyOptions(jpeg_quality=70, compiled_by="张警官", compiled_at=datetime(2024, 6, 1, 10, 0))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Dossier, AssembledPdf]:
    dossier = make_dossier()
    out = tmp_path_factory.mktemp("assembled") / "dossier.pdf"
    seen = []
    result = assemble(dossier, load_taxonomy(), out, OPTIONS, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (result.page_count, result.page_count)
    return dossier, result


def pdftotext(pdf: Path, page: int, *crop: int) -> str:
    args = ["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page)]
    if crop:
        args += ["-x", str(crop[0]), "-y", str(crop[1]), "-W", str(crop[2]), "-H", str(crop[3])]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, check=True, text=True).stdout


def top_right(pdf: Path, page: int) -> str:
    """Text in the top right corner (where the page number is stamped), at 72 dpi."""
    width = float(PdfReader(pdf).pages[page - 1].mediabox.width)
    return pdftotext(pdf, page, int(width) - 70, 0, 70, 40).strip()


# --------------------------------------------------------------------------------------------
# tests


@needs_tools
def test_pdf_passes_qpdf_check_and_has_metadata(built):
    _, result = built
    check = subprocess.run(["qpdf", "--check", str(result.path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors" in check.stdout
    reader = PdfReader(result.path)
    assert len(reader.pages) == result.page_count
    meta = reader.metadata
    assert meta.title == "刘某某盗窃案"
    assert meta.subject == "某公（刑）立字〔2024〕101号"
    assert meta.creator == "dossier" and meta.producer == "dossier"


def test_layout_cover_catalog_pages_closing_then_appendix(built):
    dossier, result = built
    v1, v2 = result.volumes
    # volume 1: cover, one catalog page, 4 scans, closing
    assert (v1.cover_page, v1.catalog_first_page, v1.catalog_pages) == (1, 2, 1)
    assert (v1.first_page, v1.last_page, v1.closing_page, v1.page_count) == (3, 6, 7, 4)
    assert (v2.cover_page, v2.first_page, v2.last_page, v2.closing_page) == (8, 10, 13, 14)
    # appendix: one list page, then the two excluded pages
    assert result.appendix_page == 15
    assert result.output_pages[PageRef(0, 5)] == 16 and result.output_pages[PageRef(1, 3)] == 17
    assert result.page_count == 17 and result.catalog_pages == 2
    assert result.generated_pages == 7
    # every source page once, PDF order follows the documents
    assert sorted(result.output_pages) == sorted(PageRef(f, n) for f, c in ((0, 6), (1, 4)) for n in range(1, c + 1))
    order = [p.ref for d in dossier.documents for p in d.pages]
    assert [result.output_pages[r] for r in order] == [3, 4, 5, 6, 10, 11, 12, 13]


@needs_tools
def test_scan_pages_carry_their_ocr_text(built):
    dossier, result = built
    for page in [p for d in dossier.documents for p in d.pages] + dossier.excluded:
        text = pdftotext(result.path, result.output_pages[page.ref])
        for line in page.lines:
            assert line.text.replace(" ", "") in text.replace(" ", ""), (page.ref, line.text, text)
    # and only there
    assert token(0, 1) not in pdftotext(result.path, result.output_pages[PageRef(0, 2)])


@needs_tools
def test_text_layer_is_invisible_and_aligned_with_the_drawn_text(built, tmp_path):
    dossier, result = built
    page = dossier.volumes[1].documents[0].pages[0]  # 讯问笔录, first page
    n = result.output_pages[page.ref]
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(n), "-l", str(n), str(result.path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    scale = 72 / page.dpi
    line = next(li for li in page.lines if li.text.startswith("本页标记"))
    words = [w for w in out.split("<word ") if token(1, 1) in w]
    assert words, out
    attrs = dict(part.split("=") for part in words[0].split(">")[0].split())
    x_max, y_min, y_max = (float(attrs[k].strip('"')) for k in ("xMax", "yMin", "yMax"))
    # the string ends where the box ends, vertically within the box
    assert abs(x_max - line.box[2] * scale) < 2.5
    assert line.box[1] * scale - 2 <= y_min < y_max <= line.box[3] * scale + 2
    # invisible: the rendered page is the stored scan (the only other dark pixels are the stamp's)
    subprocess.run(
        ["pdftoppm", "-r", str(int(page.dpi)), "-f", str(n), "-l", str(n), "-png", "-singlefile", str(result.path), str(tmp_path / "p")],
        check=True,
    )
    rendered = np.asarray(Image.open(tmp_path / "p.png").convert("L"), dtype=np.int16)
    source = np.asarray(Image.open(io.BytesIO(read_scans(result.path)[page.ref].data)).convert("L"), dtype=np.int16)
    h, w = min(rendered.shape[0], source.shape[0]), min(rendered.shape[1], source.shape[1])
    diff = np.abs(rendered[:h, :w] - source[:h, :w])
    corner = (slice(0, int(h * 0.06)), slice(int(w * 0.85), w))
    assert (rendered[corner] < 128).sum() > 20  # the stamped number is visible
    diff[corner] = 0
    assert np.mean(diff > 60) < 0.003


def test_pdf_is_pdfa_2b(built):
    """PDF/A-2b as pikepdf's validator (veraPDF's rules, approving only what it knows) reads it:
    no violation, and nothing it cannot vouch for but the scan pages' private source mark."""
    dossier, result = built
    report = pdfa.validate_written(result.path, "2b")
    assert not [f for f in report.findings if f.kind == "violation"], report.findings
    assert {f.message for f in report.findings} == {"unrecognized key(s) /DossierSource are not checked"}
    assert result.path.read_bytes().startswith(b"%PDF-1.7")
    with pikepdf.open(result.path) as pdf:
        assert "/Encrypt" not in pdf.trailer
        xmp = pdf.open_metadata()
        assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"]) == ("2", "B")
        assert xmp["dc:title"] == str(pdf.docinfo.Title) == dossier.case_title
        assert xmp["dc:creator"] == [str(pdf.docinfo.Author)] == [OPTIONS.compiled_by]
        assert xmp["pdf:Producer"] == str(pdf.docinfo.Producer) == "dossier"
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1" and intent.DestOutputProfile.N == 3
        icc = intent.DestOutputProfile.read_bytes()
        assert icc[36:40] == b"acsp" and icc[16:20] == b"RGB "  # an ICC profile, of an RGB device
        fonts = {}
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                fonts[font.objgen] = font
        assert len(fonts) >= 2  # the serif and the sans (text layer, stamps) subsets at least
        for font in fonts.values():
            described = font.DescendantFonts[0] if font.Subtype == "/Type0" else font
            descriptor = described.FontDescriptor
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font.BaseFont


@needs_tools
def test_page_labels_are_the_stamped_numbers(built):
    """The viewer's page box shows what is stamped on the page; the pages without a stamp are
    named for what they are."""
    _, result = built
    labels = PdfReader(result.path).page_labels
    assert len(labels) == result.page_count
    for ref, number in result.page_numbers.items():
        n = result.output_pages[ref]
        assert labels[n - 1] == str(number) == top_right(result.path, n)
    first, second = result.volumes
    assert labels[first.cover_page - 1] == "第1卷卷皮" and labels[second.cover_page - 1] == "第2卷卷皮"
    assert labels[first.catalog_first_page - 1] == "第1卷目录"
    assert labels[first.closing_page - 1] == "第1卷备考表"
    assert labels[result.appendix_page - 1] == "未编入页清单"
    assert labels[result.appendix_page:] == ["未编入页1", "未编入页2"]


@needs_tools
def test_catalog_pages_list_the_documents_in_chinese(built):
    _, result = built
    text = pdftotext(result.path, result.volumes[0].catalog_first_page).replace(" ", "")
    for word in ("卷内目录", "顺序号", "文号", "责任者", "题名", "日期", "页号", "备注"):
        assert word in text, word
    assert "立案决定书" in text and "起诉意见书" in text
    assert "20240310" in text and "3-4" in text  # 日期, a two-page document's 页号
    assert "低置信度" in text  # flag in 备注
    assert "某公（刑）拘字〔2024〕55号" in text.replace("\n", "")
    text2 = pdftotext(result.path, result.volumes[1].catalog_first_page).replace(" ", "")
    assert "讯问笔录（刘某某）" in text2 and "1-3" in text2


@needs_tools
def test_cover_and_closing_pages(built):
    _, result = built
    cover = pdftotext(result.path, result.volumes[1].cover_page).replace(" ", "")
    for word in ("刘某某盗窃案", "证据材料卷", "第2卷", "共2卷", "2024年03月12日至2024年03月13日", "共4页", "张警官", "2024年06月01日"):
        assert word in cover, (word, cover)
    closing = pdftotext(result.path, result.volumes[0].closing_page).replace(" ", "")
    for word in ("卷内备考表", "立卷人", "张警官", "检查人", "立卷时间", "空白页1页", "重复页1页", "共4页"):
        assert word in closing, (word, closing)


@needs_tools
def test_page_numbers_restart_in_each_volume_and_only_on_document_pages(built):
    dossier, result = built
    for volume in dossier.volumes:
        refs = [p.ref for d in volume.documents for p in d.pages]
        assert [result.page_numbers[r] for r in refs] == list(range(1, len(refs) + 1))
        for number, ref in enumerate(refs, 1):
            assert top_right(result.path, result.output_pages[ref]) == str(number)
    for v in result.volumes:
        for n in (v.cover_page, v.catalog_first_page, v.closing_page):
            assert not top_right(result.path, n).strip(), n
    assert not top_right(result.path, result.appendix_page)


def test_outline_volumes_then_documents_then_appendix(built):
    _, result = built
    reader = PdfReader(result.path)

    def walk(items, level=0):
        out = []
        for item in items:
            if isinstance(item, list):
                out.extend(walk(item, level + 1))
            else:
                out.append((level, item.title, reader.get_destination_page_number(item) + 1))
        return out

    entries = walk(reader.outline)
    assert entries == [(e.level, e.title, e.page) for e in result.outline]
    top = [(t, p) for lvl, t, p in entries if lvl == 0]
    assert top == [("第1卷 诉讼文书卷", 1), ("第2卷 证据材料卷", 8), (APPENDIX_TITLE, 15)]
    titles = [t for _, t, _ in entries]
    assert "讯问笔录 — 刘某某 2024-03-12" in titles
    assert "立案决定书 — 刘某某 2024-03-10" in titles
    assert titles.count(CATALOG_BOOKMARK) == 2
    # documents sit under their volume and point at their first page
    v2 = titles.index("第2卷 证据材料卷")
    assert entries[v2 + 2] == (1, "讯问笔录 — 刘某某 2024-03-12", 10)
    assert entries[v2 + 3] == (1, "询问笔录 — 陈某 2024-03-13", 13)
    # appendix children name the excluded pages
    assert (1, "空白页 — scan_a.pdf 第5页", 16) in entries
    assert (1, "重复页 — scan_b.pdf 第3页", 17) in entries


@needs_tools
def test_excluded_pages_stand_in_the_appendix_with_their_reason(built):
    dossier, result = built
    listing = pdftotext(result.path, result.appendix_page).replace(" ", "")
    assert "未编入页清单" in listing and "空白页" in listing and "重复页" in listing
    assert "与scan_a.pdf第6页重复" in listing
    dup = pdftotext(result.path, result.output_pages[PageRef(1, 3)]).replace(" ", "")
    assert "重复页" in dup and "来源：scan_b.pdf第3页" in dup
    assert token(1, 3) in dup  # its OCR text layer is kept
    blank = pdftotext(result.path, result.output_pages[PageRef(0, 5)]).replace(" ", "")
    assert "空白页" in blank and "scan_a.pdf第5页" in blank


def test_images_are_jpeg_at_physical_size(built):
    _, result = built
    reader = PdfReader(result.path)
    page = reader.pages[result.output_pages[PageRef(0, 1)] - 1]
    assert float(page.mediabox.width) == pytest.approx(A4_PX[0] / DPI * 72, abs=0.01)
    assert float(page.mediabox.height) == pytest.approx(A4_PX[1] / DPI * 72, abs=0.01)
    xobjects = page["/Resources"]["/XObject"]
    (image,) = [xobjects[k].get_object() for k in xobjects]
    assert image["/Filter"] == "/DCTDecode"
    assert (image["/Width"], image["/Height"]) == A4_PX
    # a generated page is A4 with no image
    cover = reader.pages[0]
    assert float(cover.mediabox.width) == pytest.approx(595.28, abs=0.1)


def test_color_scans_stay_in_color_and_gray_scans_are_stored_gray(tmp_path):
    red = make_page(0, 1, ["红色印章页"])
    img = red.image.copy()
    img[200:300, 200:300] = (220, 30, 30)
    red.image = img
    gray = make_page(0, 2, ["黑白页"])
    dossier = Dossier(
        sources=[SourceFile(Path("a.pdf"), "a.pdf", "0" * 64, 2)],
        volumes=[Volume("evidence", "证据材料卷", 1, documents=[Document("documentary_evidence", [red, gray])])],
        excluded=[],
    )
    result = assemble(dossier, load_taxonomy(), tmp_path / "x.pdf", OPTIONS)
    reader = PdfReader(result.path)
    spaces = []
    for ref in (PageRef(0, 1), PageRef(0, 2)):
        xobjects = reader.pages[result.output_pages[ref] - 1]["/Resources"]["/XObject"]
        spaces += [xobjects[k].get_object()["/ColorSpace"] for k in xobjects]
    assert spaces == ["/DeviceRGB", "/DeviceGray"]
    assert result.appendix_page is None


@needs_tools
def test_long_catalog_repeats_its_header_and_odd_pages_work(tmp_path):
    """60 documents with long titles: the 卷内目录 spans pages, each with the header row;
    pages of any size, vertical text lines and OCR text the font lacks still assemble."""
    docs = []
    for i in range(60):
        page = make_page(0, i + 1, [f"第{i + 1}号材料"], size=(300, 200), dpi=50, font_size=14)
        docs.append(
            Document(
                "documentary_evidence",
                [page],
                title=f"银行交易明细及相关说明材料第{i + 1}份（" + "内容较长的题名" * 4 + "）",
                author="某银行股份有限公司某分行营业部",
                date="2024-01-02",
            )
        )
    odd = docs[0].pages[0]
    odd.lines.append(TextLine("竖排文字测试", (260, 20, 285, 190), 0.8))
    odd.lines.append(TextLine("emoji 😀 and \x00 control", (20, 150, 200, 170), 0.5))
    odd.lines.append(TextLine("拼音Ĉāo", (20, 120, 120, 140), 0.5))  # Ĉ: only the serif font has it
    dossier = Dossier(
        sources=[SourceFile(Path("a.pdf"), "a.pdf", "0" * 64, 60)],
        volumes=[Volume("evidence", "证据材料卷", 1, part=2, parts=3, documents=docs)],
        excluded=[],
        case_number=None,
        case_title=None,
    )
    result = assemble(dossier, load_taxonomy(), tmp_path / "long.pdf", AssemblyOptions(threads=1))
    (volume,) = result.volumes
    assert volume.catalog_pages >= 3
    assert subprocess.run(["qpdf", "--check", str(result.path)], capture_output=True).returncode == 0
    for k in range(volume.catalog_pages):
        text = pdftotext(result.path, volume.catalog_first_page + k).replace(" ", "")
        assert "顺序号" in text and "题名" in text, k
        assert f"（第{k + 1}页共{volume.catalog_pages}页）" in text
    last = pdftotext(result.path, volume.catalog_first_page + volume.catalog_pages - 1).replace(" ", "")
    assert "银行交易明细及相关说明材料第60份" in last
    assert "证据材料卷（之二）" in pdftotext(result.path, 1).replace(" ", "")
    first = pdftotext(result.path, result.output_pages[PageRef(0, 1)]).replace(" ", "").replace("\n", "")
    assert "竖排文字测试" in first and "emoji" in first and "拼音Ĉāo" in first
    assert top_right(result.path, result.output_pages[PageRef(0, 60)]) == "60"
    assert PdfReader(result.path).metadata.title == "刑事案件卷宗"


@pytest.fixture(scope="module")
def grey_scans(tmp_path_factory) -> tuple[list[SourceFile], list[Page], dict[PageRef, str]]:
    """The 200-dpi pages of a small generated case as a grey scanner gives them, and their text."""
    root = tmp_path_factory.mktemp("case")
    truth = json.loads(generate_case(12, 7, root).read_text(encoding="utf-8"))
    sources, tasks = open_sources([root / "scans" / s["name"] for s in truth["sources"]])
    pages = []
    for task in tasks:
        page = render_page(task, IngestOptions())
        if page.dpi == 200:
            page.image = np.repeat(cv2.cvtColor(page.image, cv2.COLOR_RGB2GRAY)[..., None], 3, axis=2)
            pages.append(page)
    text = {PageRef(p["source"]["file"], p["source"]["page"]): p["text"] for d in truth["documents"] for p in d["pages"]}
    return sources, pages, text


def test_clean_scans_keep_grey_200_dpi_pages_under_100_kb_and_as_legible(grey_scans, tmp_path):
    sources, pages, text = grey_scans
    assert len(pages) >= 8
    stored = {}
    for name, settings in (("as read", Settings(clean_scans=False, jpeg_quality=75)), ("default", Settings())):
        dossier = Dossier(sources, [Volume("evidence", "证据材料卷", 1, documents=[Document("documentary_evidence", pages)])], [])
        options = AssemblyOptions(jpeg_quality=settings.jpeg_quality, clean_scans=settings.clean_scans)
        stored[name] = read_scans(assemble(dossier, load_taxonomy(), tmp_path / f"{name}.pdf", options).path)
    per_page = {name: sum(len(s.data) for s in scans.values()) / len(scans) for name, scans in stored.items()}
    assert per_page["default"] <= 100_000 < per_page["as read"], per_page
    assert all(s.gray for s in stored["default"].values())

    # as legible: the two densest pages read as well from the new PDF as from the old one
    reader = PageReader(reader_options(Settings()))

    def cer(name: str, refs: list[PageRef]) -> float:
        errors = length = 0
        for ref in refs:
            truth = normalize_text(text[ref])
            image = np.asarray(Image.open(io.BytesIO(stored[name][ref].data)).convert("RGB"))
            errors += page_distance(truth, "\n".join(line.text for line in reader.read(image).lines))[0]
            length += len(truth)
        return errors / length

    densest = sorted(stored["default"], key=lambda r: -len(stored["default"][r].data))[:2]
    assert cer("default", densest) <= cer("as read", densest) + 0.01


def test_a_page_placed_twice_is_refused(tmp_path):
    page = make_page(0, 1, ["重复放置"])
    dossier = Dossier(
        sources=[SourceFile(Path("a.pdf"), "a.pdf", "0" * 64, 1)],
        volumes=[Volume("evidence", "证据材料卷", 1, documents=[Document("documentary_evidence", [page, page])])],
        excluded=[],
    )
    with pytest.raises(ValueError, match="0:1"):
        assemble(dossier, load_taxonomy(), tmp_path / "x.pdf", OPTIONS)

"""Property: whatever the case (blanks, duplicates, rotated and shuffled pages, one file or several),
every source page stands exactly once in the catalog and exactly once in the PDF, as the PDF itself
records it (each scan page carries its source file's SHA-256 and page number)."""

import json
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from PIL import Image

from cataloging.catalog import validate_catalog
from cataloging.manifest import pdf_pages, verify
from compiler_service.pipeline import Stages, compile_dossier, write_dossier
from compiler_service.settings import Settings
from ocr.ingest import sha256_file
from ocr.orientation import rotate
from ocr.page import PageRef, SourceFile, raster_digest
from tests.conftest import RECORD_FIRST_PAGE, RECORD_SECOND_PAGE, WARRANT_PAGE, draw_page
from tests.factories import form, record

# pages already read, as OCR leaves them: the stages after reading at full speed
READ_PAGES = [
    lambda: record("讯问笔录", "刘建国", 1, 2), lambda: record("讯问笔录", "刘建国", 2, 2),
    lambda: record("询问笔录", "王芳", 1, 1),
    lambda: form("拘留证", ["兹决定对犯罪嫌疑人刘建国执行拘留。"], doc_number="深公（福）拘字〔2024〕1023号"),
    lambda: form("起诉意见书", ["犯罪嫌疑人刘建国涉嫌盗窃一案，现已侦查终结。"], doc_number="深公（福）诉字〔2024〕88号"),
    lambda: form("扣押清单", ["电动车一辆。"]),
]


def assert_every_page_once(folder: Path, expected: list[tuple[int, str, int]]) -> None:
    """`expected`: (file index, file SHA-256, page) of every source page."""
    catalog = json.loads((folder / "catalog.json").read_text(encoding="utf-8"))
    validate_catalog(catalog)
    shas = [s["sha256"] for s in catalog["sources"]]
    listed = [p["source"] for d in catalog["documents"] for p in d["pages"]] + [e["source"] for e in catalog["excluded"]]
    assert sorted((p["file"], shas[p["file"]], p["page"]) for p in listed) == sorted(expected)
    marks = [p["source"] for p in pdf_pages(folder / "dossier.pdf") if p["source"]]
    assert Counter((m["file"], m["file_sha256"], m["page"]) for m in marks) == Counter(expected)
    assert verify(folder).ok


@st.composite
def read_cases(draw):
    """(template, blank, duplicate of an earlier page, rotation) per page, in scan order, and how
    the pages split into files."""
    n = draw(st.integers(1, 12))
    order = draw(st.permutations(list(range(n))))
    pages = []
    for i in order:
        template = draw(st.sampled_from(range(len(READ_PAGES))))
        earlier = draw(st.none() | st.integers(0, max(0, len(pages) - 1))) if pages else None
        pages.append((template, draw(st.booleans()) and i % 4 == 0, earlier, draw(st.sampled_from([0, 90, 180, 270]))))
    cuts = sorted(draw(st.sets(st.integers(1, max(1, n - 1)), max_size=2))) if n > 1 else []
    return pages, cuts


@hsettings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(read_cases())
def test_every_page_once_after_reading(case):
    plan, cuts = case
    bounds = [0, *cuts, len(plan)]
    files = [(bounds[k], bounds[k + 1]) for k in range(len(bounds) - 1)]
    sources, pages = [], []
    for f, (start, end) in enumerate(files):
        sources.append(SourceFile(Path(f"scan-{f}.pdf"), f"scan-{f}.pdf", f"{f:064x}", end - start))
        for number, (template, blank, earlier, rotation) in enumerate(plan[start:end], 1):
            page = READ_PAGES[template]()
            page.ref, page.source_name, page.rotation = PageRef(f, number), f"scan-{f}.pdf", rotation
            page.image = np.array(page.image[::4, ::4])  # a quarter of the pixels: the same path, faster
            page.image[5 + len(pages) % 50, 5:60] = 0
            page.digest = raster_digest(page.image)
            if blank:
                page.lines, page.blank = [], True
            elif earlier is not None and not pages[earlier].excluded:
                page.duplicate_of = pages[earlier].ref
            pages.append(page)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        out.mkdir()
        write_dossier(sources, pages, out, Settings(data_dir=Path(tmp) / "data"))
        assert_every_page_once(out, [(p.ref.file, sources[p.ref.file].sha256, p.ref.page) for p in pages])


# scans for the whole pipeline: drawn pages at 100 dpi, each turned, blanked or repeated
SCANS = [RECORD_FIRST_PAGE, RECORD_SECOND_PAGE, WARRANT_PAGE]


@st.composite
def scanned_cases(draw):
    n = draw(st.integers(2, 5))
    sheets = []
    for _ in range(n):
        kind = draw(st.sampled_from(["page", "page", "blank", "again"]))
        sheets.append((kind, draw(st.sampled_from(range(len(SCANS)))), draw(st.sampled_from([0, 90, 180, 270]))))
    return sheets, draw(st.booleans())


@hsettings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(scanned_cases())
def test_every_page_once_through_the_whole_pipeline(reader, case):
    sheets, one_file = case
    drawn = {k: Image.fromarray(draw_page(lines)).resize((827, 1170)) for k, lines in enumerate(SCANS)}
    images = []
    for kind, k, turn in sheets:
        if kind == "again" and images:
            image = images[-1].point(lambda v: max(0, v - 8))  # a rescan: darker
        elif kind == "blank":
            image = Image.new("RGB", (827, 1170), (250, 250, 248))
        else:
            image = Image.fromarray(rotate(np.asarray(drawn[k]), turn)[0])
        images.append(image)
    with tempfile.TemporaryDirectory() as tmp:
        scans = Path(tmp) / "scans"
        scans.mkdir()
        if one_file:
            images[0].save(scans / "case.tif", save_all=True, append_images=images[1:], dpi=(100, 100))
        else:
            for i, image in enumerate(images, 1):
                image.save(scans / f"{i:02d}.png", dpi=(100, 100))
        files = sorted(scans.iterdir())
        counts = [len(images)] if one_file else [1] * len(images)
        settings = Settings(data_dir=Path(tmp) / "data", page_model="rules")
        compile_dossier([scans], Path(tmp) / "out", settings, stages=Stages(read=reader.read))
        expected = [(i, sha256_file(f), n) for i, (f, count) in enumerate(zip(files, counts)) for n in range(1, count + 1)]
        assert_every_page_once(Path(tmp) / "out", expected)

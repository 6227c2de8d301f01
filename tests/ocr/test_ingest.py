"""Ingest: inputs in scan order, fingerprints, rasterizing, clear errors naming file and page."""

import hashlib
import zipfile

import numpy as np
import pytest
from PIL import Image

from ocr.ingest import IngestError, IngestOptions, collect_inputs, open_sources, rasterize


def _sheet(value: int, size=(400, 560)) -> Image.Image:
    return Image.fromarray(np.full((size[1], size[0], 3), value, np.uint8))


@pytest.fixture
def scans(tmp_path):
    folder = tmp_path / "scans"
    folder.mkdir()
    _sheet(10).save(folder / "02-a.pdf", save_all=True, append_images=[_sheet(20), _sheet(30)], resolution=100)
    _sheet(40).save(folder / "10-b.tif", save_all=True, append_images=[_sheet(50)], dpi=(150, 150))
    _sheet(60).convert("CMYK").save(folder / "3-c.jpg", dpi=(200, 200))
    (folder / "notes.txt").write_text("not a scan")
    return folder


def test_folder_pages_come_in_natural_scan_order_with_fingerprints(scans, tmp_path):
    files = collect_inputs([scans], tmp_path / "unpack")
    assert [f.name for f in files] == ["02-a.pdf", "3-c.jpg", "10-b.tif"]
    sources, tasks = open_sources(files)
    assert [s.pages for s in sources] == [3, 1, 2]
    assert sources[0].sha256 == hashlib.sha256((scans / "02-a.pdf").read_bytes()).hexdigest()
    pages = list(rasterize(tasks, IngestOptions(dpi=100, threads=2)))
    assert [(p.ref.file, p.ref.page) for p in pages] == [(0, 1), (0, 2), (0, 3), (1, 1), (2, 1), (2, 2)]
    # grey levels survive in order: rasterizing kept each page's own content
    assert [int(p.image.mean()) for p in pages] == pytest.approx([10, 20, 30, 60, 40, 50], abs=3)
    assert all(p.image.dtype == np.uint8 and p.image.shape[2] == 3 for p in pages)
    assert pages[3].dpi == 200 and pages[4].dpi == 150


def test_zip_is_unpacked_in_order(scans, tmp_path):
    archive = tmp_path / "case.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name in ("10-b.tif", "02-a.pdf"):
            zf.write(scans / name, f"part/{name}")
    files = collect_inputs([archive], tmp_path / "unpack")
    assert [f.name for f in files] == ["02-a.pdf", "10-b.tif"]


def test_zip_with_path_traversal_is_refused(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../../escape.pdf", b"%PDF-1.4")
    with pytest.raises(IngestError, match="evil.zip.*unsafe path"):
        collect_inputs([archive], tmp_path / "unpack")


def test_unreadable_pdf_is_named(tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n%%EOF\n")
    with pytest.raises(IngestError, match="broken.pdf"):
        open_sources([bad])


def test_truncated_image_frame_names_file_and_page(tmp_path):
    path = tmp_path / "cut.jpg"
    _sheet(90, (800, 800)).save(path, quality=90)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    sources, tasks = open_sources([path])
    with pytest.raises(IngestError, match=r"cut.jpg, page 1"):
        list(rasterize(tasks, IngestOptions(unreadable="fail")))
    (page,) = rasterize(tasks, IngestOptions())  # by default: kept, marked, with the reason
    assert page.excluded and "could not decode" in page.unreadable and page.ref.page == 1


def test_missing_and_unsupported_inputs(tmp_path):
    with pytest.raises(IngestError, match="no such file"):
        collect_inputs([tmp_path / "nope.pdf"], tmp_path)
    doc = tmp_path / "letter.txt"
    doc.write_bytes("起诉意见书".encode())
    with pytest.raises(IngestError, match="letter.txt: unsupported file: its content is not PDF"):
        collect_inputs([doc], tmp_path)


@pytest.mark.parametrize("name", ["cmyk.pdf", "palette.pdf", "masks.pdf", "jbig2.pdf", "ccitt.pdf", "enormous.pdf", "baiona_alpha.png", "baiona_cmyk.jpg"])
def test_odd_real_world_files_rasterize(shared_corpus, name, tmp_path):
    sources, tasks = open_sources([shared_corpus / name])
    pages = list(rasterize(tasks[:2], IngestOptions(dpi=100, max_page_pixels=20_000_000)))
    assert pages and all(p.image.ndim == 3 and p.image.shape[2] == 3 for p in pages)
    assert all(p.image.shape[0] * p.image.shape[1] <= 20_000_000 * 1.05 for p in pages)


def test_invalid_pdf_from_corpus_is_named(shared_corpus):
    with pytest.raises(IngestError, match="invalid.pdf"):
        open_sources([shared_corpus / "invalid.pdf"])


def test_a_tiny_image_is_refused_by_name(tmp_path):
    Image.new("RGB", (1, 1), "white").save(tmp_path / "dot.png")
    _, tasks = open_sources([tmp_path / "dot.png"])
    with pytest.raises(IngestError, match=r"dot.png, page 1: page image is only 1×1"):
        list(rasterize(tasks, IngestOptions(unreadable="fail")))


def test_a_huge_image_is_scaled_down_not_refused(tmp_path):
    Image.new("RGB", (6000, 5000), "white").save(tmp_path / "big.png", dpi=(600, 600))
    _, tasks = open_sources([tmp_path / "big.png"])
    (page,) = rasterize(tasks, IngestOptions(max_page_pixels=3_000_000))
    h, w = page.image.shape[:2]
    assert w * h <= 3_000_000 and abs(w / h - 1.2) < 0.01
    assert page.dpi == pytest.approx(600 * w / 6000, rel=0.01)

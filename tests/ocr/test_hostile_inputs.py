"""Odd, broken and hostile inputs, generated here: each is read, or refused by name, or kept as an
unreadable page with its reason; none takes the process down."""

import io
import struct
import zipfile
import zlib

import numpy as np
import pikepdf
import pytest
from PIL import Image

from ocr.ingest import IngestError, IngestOptions, collect_inputs, open_sources, rasterize
from ocr.sandbox import Limits

SMALL = IngestOptions(dpi=50, max_page_pixels=4_000_000)


def _sheet(size=(600, 800), value=200) -> Image.Image:
    img = Image.new("RGB", size, (value, value, value))
    img.paste((0, 0, 0), (50, 50, 300, 120))  # some ink
    return img


def _pdf(path, pages=1, **save):
    buf = io.BytesIO()
    _sheet().save(buf, "PDF", resolution=100, save_all=True, append_images=[_sheet(value=150)] * (pages - 1))
    with pikepdf.open(io.BytesIO(buf.getvalue())) as pdf:
        pdf.save(path, **save)
    return path


def _read(*paths, options=SMALL, workdir=None):
    files = collect_inputs(list(paths), workdir or paths[0].parent / "unpack")
    sources, tasks = open_sources(files, options, workdir)
    return sources, list(rasterize(tasks, options))


def test_a_pdf_that_needs_a_password_to_open_is_refused_by_name(tmp_path):
    path = _pdf(tmp_path / "locked.pdf", encryption=pikepdf.Encryption(owner="agency", user="secret"))
    with pytest.raises(IngestError, match="locked.pdf: the PDF is encrypted with a password"):
        _read(path)


def test_a_pdf_with_only_an_owner_password_is_read(tmp_path):
    path = _pdf(tmp_path / "restricted.pdf", pages=2, encryption=pikepdf.Encryption(owner="agency", user="", allow=pikepdf.Permissions(extract=False)))
    _, pages = _read(path)
    assert len(pages) == 2 and not any(p.unreadable for p in pages)


def test_a_pdf_with_a_broken_cross_reference_table_is_read(tmp_path):
    path = _pdf(tmp_path / "xref.pdf", pages=3)
    data = path.read_bytes()
    cut = data.rindex(b"startxref")
    path.write_bytes(data[:cut] + b"startxref\n999999\n%%EOF\n")  # points nowhere
    _, pages = _read(path, workdir=tmp_path)
    assert [p.ref.page for p in pages] == [1, 2, 3] and not any(p.unreadable for p in pages)


def test_a_pdf_without_pages_and_an_empty_file_are_refused_by_name(tmp_path):
    pdf = pikepdf.new()
    pdf.save(tmp_path / "none.pdf")
    with pytest.raises(IngestError, match="none.pdf: the PDF has no pages"):
        _read(tmp_path / "none.pdf")
    (tmp_path / "empty.jpg").write_bytes(b"")
    with pytest.raises(IngestError, match="empty.jpg: the file is empty"):
        _read(tmp_path / "empty.jpg")


def test_thousands_of_pages_are_listed_and_the_page_limit_holds(tmp_path):
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    for _ in range(2999):
        pdf.pages.append(pdf.pages[0])
    pdf.save(tmp_path / "long.pdf")
    sources, tasks = open_sources([tmp_path / "long.pdf"])
    assert sources[0].pages == 3000 and tasks[-1].page == 3000
    with pytest.raises(IngestError, match="long.pdf: the job has more than 1000 pages"):
        open_sources([tmp_path / "long.pdf"], IngestOptions(max_pages=1000))


def test_a_20000_pixel_square_scan_is_read_smaller(tmp_path):
    huge = Image.new("1", (20000, 20000), 1)
    huge.paste(0, (1000, 1000, 19000, 3000))
    huge.save(tmp_path / "huge.png")
    _, (page,) = _read(tmp_path / "huge.png")
    h, w = page.image.shape[:2]
    assert w == h and w * h <= 4_000_000 and page.image[:, :, 0].min() == 0


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b"")


def test_an_image_decompression_bomb_is_refused_before_decoding(tmp_path):
    (tmp_path / "bomb.png").write_bytes(_png_header_only(100_000, 100_000))
    with pytest.raises(IngestError, match="bomb.png: an image of 100000×100000 pixels.*decompression bomb"):
        _read(tmp_path / "bomb.png")


def test_a_pdf_whose_image_inflates_to_gigapixels_is_read_in_bounded_memory(tmp_path):
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    side = 40_000  # 1.6 gigapixels of 1-bit image, 200 KB compressed
    image = pikepdf.Stream(pdf, zlib.compress(b"\x00" * (side * side // 8), 9))
    image.stream_dict = pikepdf.Dictionary(Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=side, Height=side,
                                           ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=1, Filter=pikepdf.Name.FlateDecode)
    page = pdf.pages[0]
    page.add_resource(image, pikepdf.Name.XObject, pikepdf.Name("/Im0"))
    page.contents_add(b"q 595 0 0 842 0 0 cm /Im0 Do Q")
    pdf.save(tmp_path / "inflate.pdf")
    options = IngestOptions(dpi=50, limits=Limits(memory_mb=512, seconds=60))
    _, (page,) = _read(tmp_path / "inflate.pdf", options=options)
    # poppler streams the image through a 512 MB worker: read, a black page at 50 dpi
    assert page.unreadable is None and page.image.shape == (585, 414, 3) and page.image.mean() < 10


@pytest.mark.parametrize("mode", ["CMYK", "I;16", "P", "LA", "RGBA", "1"])
def test_unusual_image_modes_become_rgb(tmp_path, mode):
    base = _sheet().convert("L")
    img = {"I;16": lambda: Image.fromarray((np.asarray(base).astype(np.uint16) * 257)),
           "CMYK": lambda: _sheet().convert("CMYK")}.get(mode, lambda: _sheet().convert(mode))()
    path = tmp_path / ("scan.tif" if mode in ("CMYK", "I;16") else "scan.png")
    img.save(path)
    _, (page,) = _read(path)
    assert page.image.dtype == np.uint8 and page.image.shape == (800, 600, 3)
    assert page.image[60:110, 60:290].mean() < 60 and page.image[400:, :].mean() > 100


@pytest.mark.parametrize("compression", ["group4", "tiff_lzw", "tiff_adobe_deflate", "packbits", "jpeg"])
def test_multi_page_tiff_with_each_compression(tmp_path, compression):
    frames = [_sheet(value=v) for v in (255, 230, 210)]
    if compression == "group4":
        frames = [f.convert("1") for f in frames]
    frames[0].save(tmp_path / "scan.tif", save_all=True, append_images=frames[1:], compression=compression)
    _, pages = _read(tmp_path / "scan.tif")
    assert [p.ref.page for p in pages] == [1, 2, 3] and not any(p.unreadable for p in pages)


def test_files_are_taken_for_what_they_hold_not_their_name(tmp_path):
    _pdf(tmp_path / "01-really-a-pdf.jpg")
    _sheet().save(tmp_path / "02-really-a-jpeg.pdf", "JPEG")
    (tmp_path / "Thumbs.db").write_bytes(b"\x00junk")
    folder_files = collect_inputs([tmp_path], tmp_path / "unpack")
    assert [f.name for f in folder_files] == ["01-really-a-pdf.jpg", "02-really-a-jpeg.pdf"]
    sources, tasks = open_sources(folder_files, SMALL)
    assert [t.kind for t in tasks] == ["pdf", "image"]
    assert len(list(rasterize(tasks, SMALL))) == 2


def test_a_zip_bomb_is_refused_by_name(tmp_path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("page1.tif", b"\x00" * (200 << 20))  # 200 MB that pack into 200 KB
    with pytest.raises(IngestError, match="bomb.zip: page1.tif unpacks to 209715200 bytes: a zip bomb"):
        collect_inputs([archive], tmp_path / "unpack")
    with pytest.raises(IngestError, match="more than the job may"):
        collect_inputs([archive], tmp_path / "unpack2", max_unpacked_bytes=10 << 20)


def test_a_zip_whose_headers_lie_about_sizes_is_stopped_while_unpacking(tmp_path):
    archive = tmp_path / "liar.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("page1.tif", b"\x00" * (30 << 20))
    data = bytearray(archive.read_bytes())
    # the central directory's and the local header's "uncompressed size" say 1 KB
    for sig, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        at = data.index(sig)
        data[at + offset : at + offset + 4] = struct.pack("<I", 1024)
    archive.write_bytes(bytes(data))
    with pytest.raises(IngestError, match="liar.zip"):
        collect_inputs([archive], tmp_path / "unpack", max_unpacked_bytes=10 << 20)


def test_zip_member_names_in_gbk_and_file_names_that_are_not_utf8(tmp_path):
    archive = tmp_path / "case.zip"
    buf = io.BytesIO()
    _sheet().save(buf, "PNG")
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("abcdefgh.png", buf.getvalue())  # placeholder of the GBK name's length
    gbk = "询问笔录.png".encode("gbk")
    archive.write_bytes(archive.read_bytes().replace(b"abcdefgh.png", gbk))
    (unpacked,) = collect_inputs([archive], tmp_path / "unpack")
    assert unpacked.name == "询问笔录.png"

    folder = tmp_path / "scans"
    folder.mkdir()
    odd = folder.joinpath(b"\xb2\xe9\xb7\xe2-scan.png".decode("utf-8", "surrogateescape"))  # GBK bytes, not UTF-8
    _sheet().save(odd)
    sources, pages = _read(folder)
    assert sources[0].name.startswith("\ufffd") and sources[0].name.endswith("-scan.png") and len(pages) == 1
    sources[0].name.encode("utf-8")  # fit for the catalog


def test_a_pdf_whose_content_inflates_without_end_is_cut_off_by_the_deadline(tmp_path):
    pack = zlib.compressobj(9)
    chunk = b"0 0 m 1 1 l S\n" * 75_000  # about 1 MB of drawing operators
    data = b"".join(pack.compress(chunk) for _ in range(1000)) + pack.flush()  # 1 GB inflated, 2 MB packed
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.pages[0].obj.Contents = pikepdf.Stream(pdf, data, Filter=pikepdf.Name.FlateDecode)
    pdf.save(tmp_path / "endless.pdf")
    options = IngestOptions(dpi=50, limits=Limits(memory_mb=512, seconds=3))
    _, (page,) = _read(tmp_path / "endless.pdf", options=options)
    assert page.unreadable and "longer than 3 s" in page.unreadable and page.ref.page == 1


def test_a_pdf_neither_poppler_nor_qpdf_can_read_is_refused_by_name(tmp_path):
    # found by the fuzzer: no cross-reference table, and a pages tree that makes qpdf give up
    (tmp_path / "tree.pdf").write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type /Catalog /Pages 2 0 R>>endobj\n2 0 obj<</Kids [ 3 0 R/ ]>>endobj\n"
        b"3 0 obj<</Type /Page /Parent 2 0 R /MediaBox [ 0 0 160.0 ]>>endobj\n%%EOF\n")
    with pytest.raises(IngestError, match="tree.pdf: not a readable PDF .* qpdf could not repair it"):
        _read(tmp_path / "tree.pdf", workdir=tmp_path)

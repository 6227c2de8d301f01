"""Page data: compact text, and pages kept as their JPEG scan."""

import numpy as np

from ocr.page import Page, PageRef, compact


def test_compact_text_drops_spacing_and_widths():
    assert compact("讯 问 笔 录\n（第１次）") == "讯问笔录(第1次)"


def test_a_page_kept_as_jpeg_keeps_its_size_and_colour_kind():
    rng = np.random.default_rng(0)
    grey = np.repeat(rng.integers(0, 255, (300, 200, 1), dtype=np.uint8), 3, axis=2)
    colour = rng.integers(0, 255, (300, 200, 3), dtype=np.uint8)
    for image, gray in ((grey, True), (colour, False)):
        page = Page(PageRef(0, 1), "a.pdf", image, 200.0)
        page.keep_as_jpeg(75)
        assert page.image is None and page.size == (200, 300)
        assert page.scan.gray is gray and page.scan.data[:2] == b"\xff\xd8"
        assert len(page.scan.data) < image.nbytes

"""Scans as the dossier keeps them: paper levelled to white, colour only where a page has it."""

from functools import lru_cache

import numpy as np

from ocr.cleanup import cleaned


H, W = 2339, 1654  # A4 at 200 dpi


@lru_cache(maxsize=1)
def grain() -> np.ndarray:
    """The sensor's grain: shared by all channels, and each channel's own."""
    rng = np.random.default_rng(0)
    return rng.standard_normal((H, W, 1), np.float32) * 4 + rng.standard_normal((H, W, 3), np.float32) * 1.5


def scan(colour_mark: tuple[int, int, int] | None = None, paper: int = 228) -> np.ndarray:
    """A grey-papered A4 page at 200 dpi with black print, a hairline of light print, maybe a
    coloured mark (a seal, a signature in blue ink), the lid's shadow deepening to the right and
    the sensor's grain."""
    sheet = np.full((H, W, 3), paper, np.float32)
    sheet[200:212, 100:1500] = 30  # a line of print
    sheet[300:302, 100:1500] = 185  # a hairline (a Song face's horizontal), lighter than the shadowed paper
    if colour_mark is not None:
        sheet[400:520, 1300:1420] = colour_mark
    shadow = np.linspace(1.0, 0.87, W, dtype=np.float32)[None, :, None]
    image = sheet * shadow + grain()
    return np.clip(image, 0, 255).astype(np.uint8)


def test_a_page_without_colour_is_kept_grey_with_white_paper_and_dark_print():
    page = cleaned(scan())
    assert page.ndim == 2
    paper = page[500:, :]
    assert (paper == 255).mean() > 0.97  # grain and shade gone: nothing for the JPEG to spend bytes on
    assert page[204:208, 150:1450].max() < 60  # the print as dark as it was
    for hairline in (page[300:302, 100:200], page[300:302, 1400:1500]):  # on the light side and in the shadow
        assert hairline.mean() < 230  # still there


def test_seals_and_coloured_ink_keep_their_colour():
    for mark in ((200, 40, 40), (60, 70, 150), (235, 190, 190)):  # a red seal, blue ink, a faint red fingerprint
        page = cleaned(scan(mark))
        assert page.ndim == 3, mark
        r, g, b = (int(v) for v in page[460, 1360])
        assert max(r, g, b) - min(r, g, b) > 30, mark
        assert (page[600:, :] == 255).all(axis=2).mean() > 0.97  # the paper white, not tinted


def test_a_dark_page_is_left_as_it_is():
    """A photograph or a black cover has no paper to level: its shades stay."""
    photo = scan(paper=90)
    page = cleaned(photo)
    assert page.ndim == 2
    assert abs(float(page.mean()) - float(photo.mean())) < 2

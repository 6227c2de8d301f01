"""Reading pages together gives what reading them one by one gives; a bad page fails alone."""

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from ocr.batching import ReadBatcher, read_guarded
from ocr.orientation import rotate
from tests.conftest import RECORD_FIRST_PAGE, RECORD_SECOND_PAGE, WARRANT_PAGE, draw_page


@pytest.fixture(scope="module")
def scans():
    # the turned page has another shape, so detection sees two resolution buckets
    return [draw_page(RECORD_FIRST_PAGE), draw_page(WARRANT_PAGE), rotate(draw_page(RECORD_SECOND_PAGE), 90)[0]]


def same(a, b) -> bool:
    return a.lines == b.lines and a.regions == b.regions and a.orientation == b.orientation and np.array_equal(a.image, b.image)


def test_a_batch_reads_like_single_pages(reader, scans):
    together = reader.read_many(scans)
    assert len(together) == len(scans)
    for scan, reading in zip(scans, together):
        assert same(reading, reader.read(scan))
    assert together[2].orientation.rotation == 270 and together[2].lines
    # the batch's seconds are shared out, so summing pages gives the batch's time
    assert set(together[0].seconds) == {"detection", "orientation", "recognition", "layout"}


def test_pages_from_many_threads_are_read_in_batches(reader, scans):
    sizes = []

    def read_many(images):
        sizes.append(len(images))
        return reader.read_many(images)

    batcher = ReadBatcher(read_many, max_batch=8, wait_s=0.2)
    start = threading.Barrier(6)

    def read(scan):
        start.wait()
        return batcher.read(scan)

    try:
        with ThreadPoolExecutor(6) as pool:
            readings = list(pool.map(read, scans * 2))
    finally:
        batcher.close()
    assert sum(sizes) == 6 and max(sizes) > 1
    for scan, reading in zip(scans * 2, readings):
        assert same(reading, reader.read(scan))


def test_a_page_that_fails_fails_alone(reader, scans):
    broken = np.zeros((0, 0, 3), np.uint8)
    answers = read_guarded(reader.read_many, [scans[0], broken, scans[1]])
    assert isinstance(answers[1], Exception)
    assert same(answers[0], reader.read(scans[0])) and same(answers[2], reader.read(scans[1]))
    batcher = ReadBatcher(reader.read_many, max_batch=4)
    try:
        with pytest.raises(Exception):
            batcher.read(broken)
        assert batcher.read(scans[1]).lines  # the worker lives on
    finally:
        batcher.close()

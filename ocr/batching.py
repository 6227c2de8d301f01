"""Pages sent one at a time from many threads, read together: the in-process twin of the
service's `@serve.batch`, so a GPU sees batches of pages while the pipeline stays page by page."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future

import numpy as np

from ocr.reader import Reading

ReadMany = Callable[[list[np.ndarray]], list[Reading]]


def read_guarded(read_many: ReadMany, images: list[np.ndarray]) -> list[Reading | Exception]:
    """Each page's reading, or the error it alone raised: when a batch fails, its pages are read
    again one by one, so a bad page fails only its own job."""
    try:
        return list(read_many(images))
    except Exception as exc:  # noqa: BLE001 - handed back to the page's caller
        if len(images) == 1:
            return [exc]
    return [read_guarded(read_many, [image])[0] for image in images]


class ReadBatcher:
    """`read(image)` from any thread; a worker thread reads whatever has gathered (up to
    `max_batch` pages, waiting at most `wait_s` for more) with one `read_many` call."""

    def __init__(self, read_many: ReadMany, max_batch: int, wait_s: float = 0.005):
        self._read_many, self._max_batch, self._wait_s = read_many, max_batch, wait_s
        self._queue: queue.Queue[tuple[np.ndarray, Future[Reading]] | None] = queue.Queue()
        self._worker = threading.Thread(target=self._serve, name="read-batcher", daemon=True)
        self._worker.start()

    def read(self, image: np.ndarray) -> Reading:
        answer: Future[Reading] = Future()
        self._queue.put((image, answer))
        return answer.result()

    def close(self) -> None:
        self._queue.put(None)
        self._worker.join()

    def _serve(self) -> None:
        while (first := self._queue.get()) is not None:
            batch = [first]
            deadline = time.monotonic() + self._wait_s
            closing = False
            while len(batch) < self._max_batch:
                try:
                    item = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    break
                if item is None:
                    closing = True
                    break
                batch.append(item)
            for (_, answer), reading in zip(batch, read_guarded(self._read_many, [image for image, _ in batch])):
                if isinstance(reading, Exception):
                    answer.set_exception(reading)
                else:
                    answer.set_result(reading)
            if closing:
                return

"""The compile service on Ray Serve: the same API, worker and pipeline, the heavy stages as deployments.

    Ingress (FastAPI API + job worker) ──▶ Rasterizer (poppler/Pillow, CPU)
                                      ├──▶ Reader (orient, OCR, layout; GPU-capable, @serve.batch)
                                      ├──▶ Labeler (page model; GPU-capable, @serve.batch)
                                      └──▶ Assembler (PDF writing, CPU)

Each deployment wraps a stage function unchanged, and the worker hands the pipeline `Stages`
whose callables are proxies of the deployments, so a GPU pool scales the models while the API
and the job store stay where they are. Pages are batched across the jobs the worker compiles at
once (`service_jobs`). Sources and results live in the data folder, which every replica shares
(one machine, or a shared volume on Kubernetes).
"""

from __future__ import annotations

import queue
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from itertools import islice

import numpy as np
from ray import serve
from ray.exceptions import RayError, RayTaskError
from ray.serve.exceptions import RayServeException
from ray.serve.handle import DeploymentHandle

from cataloging.assemble import AssembledPdf, assemble
from classification.taxonomy import load_taxonomy
from compiler_service.api import Worker, create_app
from compiler_service.metrics import ServiceMetrics
from compiler_service.pipeline import StageUnavailable, Stages, ingest_options, page_labeler, reader_options
from compiler_service.settings import Settings
from compiler_service.storage import owner_only
from ocr.batching import read_guarded
from ocr.ingest import IngestOptions, PageTask, read_page
from ocr.sandbox import Sandbox
from ocr.page import Page, PageLabel
from ocr.reader import PageReader, Reading


# The defaults' CPU shares add up to 2 cores (the smallest machine); config files set their own.


@serve.deployment(ray_actor_options={"num_cpus": 0.5})
class Rasterizer:
    def __init__(self, settings: Settings):
        # the replica decodes nothing itself: a hostile file kills a worker, not the replica
        self.sandbox = Sandbox(1, ingest_options(settings).limits)

    def render(self, task: PageTask, options: IngestOptions) -> Page:
        return read_page(self.sandbox, task, options)

    def __del__(self) -> None:
        self.sandbox.close()


@serve.deployment(ray_actor_options={"num_cpus": 1})
class Reader:
    def __init__(self, settings: Settings):
        self.reader = PageReader(reader_options(settings))
        self.read.set_max_batch_size(settings.read_batch)  # pages of concurrent jobs read together

    @serve.batch(max_batch_size=16, batch_wait_timeout_s=0.01)
    async def read(self, images: list[np.ndarray]) -> list[tuple[Reading | Exception, int]]:
        # each answer carries its batch's size (the first page of a batch reports it to /metrics);
        # a page that fails fails only its own job, not the others batched with it
        readings = read_guarded(self.reader.read_many, images)
        return [(reading, len(images) if i == 0 else 0) for i, reading in enumerate(readings)]


@serve.deployment(ray_actor_options={"num_cpus": 0.25})
class Labeler:
    def __init__(self, settings: Settings):
        self.labeler = page_labeler(settings, load_taxonomy(settings.taxonomy))

    @serve.batch(max_batch_size=8, batch_wait_timeout_s=0.01)
    async def label(self, jobs: list[list[Page]]) -> list[tuple[list[PageLabel] | Exception, int]]:
        return [(_guarded(self.labeler, pages), len(jobs) if i == 0 else 0) for i, pages in enumerate(jobs)]


def _guarded(stage, item):
    try:
        return stage(item)
    except Exception as exc:  # returned, and raised again in the job that sent the item
        return exc


@serve.deployment(ray_actor_options={"num_cpus": 0.25})
class Assembler:
    def __init__(self) -> None:
        owner_only()  # the dossier it writes is evidence: owner-only, whichever node the replica runs on

    def assemble(self, *args, **kwargs) -> Iterator[tuple[int, int] | AssembledPdf]:
        """Streams (done, total) as pages are written, then the result."""
        ticks: queue.SimpleQueue[tuple[int, int]] = queue.SimpleQueue()
        with ThreadPoolExecutor(1, thread_name_prefix="assemble") as pool:
            writing = pool.submit(assemble, *args, progress=lambda done, total: ticks.put((done, total)), **kwargs)
            while not (writing.done() and ticks.empty()):
                try:
                    yield ticks.get(timeout=0.2)
                except queue.Empty:
                    pass
            yield writing.result()


@contextmanager
def _unless_away():
    """A stage that is away (a replica died, the app is stopping) raises StageUnavailable, so the
    job is queued again rather than failed. A stage's own error (a RayTaskError, which is also an
    instance of the original exception) goes through as it is."""
    try:
        yield
    except RayTaskError:
        raise
    except (RayError, RayServeException) as exc:
        raise StageUnavailable(f"{type(exc).__name__}: {exc}") from exc


def _result(response):
    """A deployment's answer; an item that failed in a batch raises its own error here."""
    with _unless_away():
        answer = response.result()
    if isinstance(answer, tuple) and isinstance(answer[0], Exception):
        raise answer[0]
    return answer


def remote_stages(rasterizer: DeploymentHandle, reader: DeploymentHandle, labeler: DeploymentHandle,
                  assembler: DeploymentHandle, metrics: ServiceMetrics) -> Stages:
    """Stages whose work happens in the deployments, with the pipeline's plain signatures."""

    def rasterize(tasks: list[PageTask], options: IngestOptions) -> Iterator[Page]:
        # a window of pages in flight, as the local thread pool keeps: bounded memory, replicas kept busy
        window = max(2, options.threads * 2)
        queue = iter(tasks)
        pending = deque(rasterizer.render.remote(t, options) for t in islice(queue, window))
        while pending:
            page = _result(pending.popleft())
            pending.extend(rasterizer.render.remote(t, options) for t in islice(queue, 1))
            yield page

    def read(image: np.ndarray) -> Reading:
        reading, batch = _result(reader.read.remote(image))
        if batch:
            metrics.batch("reader", batch)
        return reading

    def label(pages: list[Page]) -> list[PageLabel]:
        # the scans stay here: the page model needs only what was read
        light = [replace(p, image=None, scan=p.scan and replace(p.scan, data=b"")) for p in pages]
        labels, batch = _result(labeler.label.remote(light))
        if batch:
            metrics.batch("labeler", batch)
        return labels

    def assemble_remote(*args, progress=None, **kwargs) -> AssembledPdf:
        with _unless_away():
            for item in assembler.options(stream=True).assemble.remote(*args, **kwargs):
                if isinstance(item, AssembledPdf):
                    return item
                if progress:
                    progress(*item)
        raise StageUnavailable("the assembler ended without a result")

    return Stages(rasterize=rasterize, read=read, label=label, assemble=assemble_remote)


@serve.deployment(ray_actor_options={"num_cpus": 0})
@serve.ingress()
class Ingress:
    """The API and the job worker; the app is made here, in the replica, so the worker and the
    /metrics endpoint share one registry. Several replicas share the job database and the data
    folder; each exports its own series through Ray as well (`ServiceMetrics.export_to_ray`)."""

    def __init__(self, settings: Settings, rasterizer: DeploymentHandle, reader: DeploymentHandle,
                 labeler: DeploymentHandle, assembler: DeploymentHandle):
        self.api = create_app(settings)
        self.api.state.metrics.export_to_ray()
        stages = remote_stages(rasterizer, reader, labeler, assembler, self.api.state.metrics)
        self.worker = Worker(settings, self.api.state.store, self.api.state.metrics, stages)
        self.worker.start()

    def __serve_build_asgi_app__(self):
        return self.api

    def __del__(self):
        self.worker.stop()


def build(settings: Settings):
    """The Serve application for `serve.run`."""
    return Ingress.bind(settings, Rasterizer.bind(settings), Reader.bind(settings), Labeler.bind(settings), Assembler.bind())


def app(args: dict[str, str]):
    """Application builder for `serve run` / `serve deploy` config files: `args` are settings
    (e.g. execution_provider: CUDAExecutionProvider), the rest comes from DOSSIER_* variables."""
    return build(Settings(**args))

"""The compile service on Ray Serve: the same API and stages, the heavy models as deployments.

    ingress (FastAPI API + job worker) ──▶ Reader (orient, OCR, layout; @serve.batch)
                                      └──▶ Labeler (page model)

Each deployment wraps a stage unchanged: the worker compiles with the pipeline of the CLI and
hands it proxies that call the deployments, so a GPU pool scales the models while the API and
the job store stay where they are.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from ray import serve
from ray.serve.handle import DeploymentHandle

from cataloging.taxonomy import load_taxonomy
from compiler_service.api import Worker, create_app
from compiler_service.pipeline import page_labeler, reader_options
from compiler_service.settings import Settings
from ocr.page import Page, PageLabel
from ocr.reader import PageReader, Reading


@serve.deployment(ray_actor_options={"num_cpus": 1})
class Reader:
    def __init__(self, settings: Settings):
        self.reader = PageReader(reader_options(settings))

    @serve.batch(max_batch_size=8, batch_wait_timeout_s=0.01)
    async def read(self, images: list[np.ndarray]) -> list[Reading]:
        return [self.reader.read(image) for image in images]


@serve.deployment(ray_actor_options={"num_cpus": 0.5})
class Labeler:
    def __init__(self, settings: Settings):
        self.labeler = page_labeler(settings, load_taxonomy(settings.taxonomy))

    async def label(self, pages: list[Page]) -> list[PageLabel]:
        return self.labeler(pages)


class _RemoteReader:
    """A PageReader whose work happens in the Reader deployment."""

    def __init__(self, handle: DeploymentHandle):
        self.handle = handle

    def read(self, image: np.ndarray) -> Reading:
        return self.handle.read.remote(image).result()


class _RemoteLabeler:
    def __init__(self, handle: DeploymentHandle):
        self.handle = handle

    def __call__(self, pages: list[Page]) -> list[PageLabel]:
        # the scans stay here: the page model needs only what was read
        light = [replace(p, image=None, scan=p.scan and replace(p.scan, data=b"")) for p in pages]
        return self.handle.label.remote(light).result()


def build(settings: Settings):
    """The Serve application for `serve.run`."""
    api = create_app(settings)

    @serve.deployment(ray_actor_options={"num_cpus": 0})
    @serve.ingress(api)
    class Ingress:
        def __init__(self, reader: DeploymentHandle, labeler: DeploymentHandle):
            self.worker = Worker(settings, api.state.store, _RemoteReader(reader), _RemoteLabeler(labeler))
            self.worker.start()

        def __del__(self):
            self.worker.stop()

    return Ingress.bind(Reader.bind(settings), Labeler.bind(settings))


def app(args: dict[str, str]):
    """Application builder for `serve run` / `serve deploy` config files: `args` are settings
    (e.g. execution_provider: CUDAExecutionProvider), the rest comes from DOSSIER_* variables."""
    return build(Settings(**args))

"""The versioned HTTP API of the compile service (FastAPI).

Uploads are streamed to disk under a size limit, then a job is queued in the store; a worker
compiles it with the same pipeline as the CLI and reports progress per stage. Every endpoint but
health and readiness needs an agency's API key (`Authorization: Bearer KEY`), and a key sees
only its agency's jobs: another agency's job id answers 404, as an unknown one does.

The worker runs in process (threads, below) for a single machine; on Ray Serve the same worker
hands the pipeline `Stages` that call the deployments (`serve_app.py`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import socket
import tempfile
import threading
import time
import uuid
from collections import OrderedDict
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, File, Header, HTTPException, Query, Request, Response, UploadFile
from fastapi.responses import FileResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from cataloging.audit import AuditLog
from cataloging.taxonomy import load_taxonomy
from compiler_service.metrics import ServiceMetrics
from compiler_service.pipeline import OutputError, StageUnavailable, Stages, compile_dossier, page_labeler, reader_options
from compiler_service.review_app import review_router
from compiler_service.sessions import SessionSigner
from compiler_service.settings import Settings
from compiler_service.store import Job, JobStore
from ocr.ingest import IngestError
from ocr.reader import PageReader

UPLOAD_CHUNK = 1 << 20


class UploadTooLarge(Exception):
    pass


class RateLimiter:
    """A token bucket per caller: `per_minute` requests a minute, bursts of up to `burst`."""

    def __init__(self, per_minute: int, burst: int, callers: int = 10_000):
        self.rate, self.burst, self.callers = per_minute / 60, burst, callers
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # caller -> (tokens, when)
        self._lock = threading.Lock()

    def take(self, caller: str) -> float:
        """0 when the request may go ahead, else the seconds until it may."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic()
        with self._lock:
            tokens, when = self._buckets.pop(caller, (self.burst, now))
            tokens = min(self.burst, tokens + (now - when) * self.rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            self._buckets[caller] = (tokens - 1 if not wait else tokens, now)
            while len(self._buckets) > self.callers:  # the longest idle callers are forgotten
                self._buckets.popitem(last=False)
        return wait


def job_dir(settings: Settings, job_id: str) -> Path:
    return settings.data_dir / "jobs" / job_id


class StageProgress(BaseModel):
    done: int = Field(description="pages done")
    total: int = Field(description="pages in all")


class JobView(BaseModel):
    """A compile job as the API shows it."""

    id: str
    state: Literal["queued", "running", "done", "failed"]
    progress: dict[str, StageProgress] = Field(description="per stage (ocr, assemble): pages done of total")
    attempts: int = Field(description="times a worker has started the job (more than 1 after a restart)")
    created: datetime
    updated: datetime
    error: str | None = Field(None, description="why the job failed, naming the file and page")
    links: dict[str, str] = Field(description="self, and pdf, catalog, manifest and its signature once done")


class JobList(BaseModel):
    items: list[JobView]
    offset: int
    limit: int


def job_view(job: Job) -> JobView:
    links = {"self": f"/v1/dossiers/{job.id}"}
    if job.state == "done":
        links |= {"pdf": f"/v1/dossiers/{job.id}/pdf", "catalog": f"/v1/dossiers/{job.id}/catalog",
                  "manifest": f"/v1/dossiers/{job.id}/files/manifest.json", "signature": f"/v1/dossiers/{job.id}/files/manifest.sig"}
    return JobView(id=job.id, state=job.state, progress=job.progress, attempts=job.attempts, created=job.created,
                   updated=job.updated, error=job.error, links=links)


_bearer = HTTPBearer(auto_error=False, description="an agency's API key (`dossier keys create --agency NAME`)")


NO_KEY = "a valid API key is needed: Authorization: Bearer KEY"


def caller_agency(request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> str:
    """The agency of the request's API key; 401 for a missing or unknown key."""
    found = request.app.state.store.agency_for(credentials.credentials.strip()) if credentials else None
    if found is None:
        raise HTTPException(401, NO_KEY, headers={"WWW-Authenticate": "Bearer"})
    return found


Agency = Annotated[str, Depends(caller_agency)]

_ERRORS = {401: {"description": "no valid API key"}, 404: {"description": "no such dossier for this agency"}}


def create_app(settings: Settings, store: JobStore | None = None, worker: bool = False) -> FastAPI:
    """The API; with `worker`, compiling threads run beside it."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = store or JobStore(settings.database())
    metrics = ServiceMetrics(store)

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        runner = Worker(settings, store, metrics) if worker else None
        if runner:
            runner.start()
        try:
            yield
        finally:
            if runner:
                runner.stop()

    # no endpoint but the upload takes a body: anything larger is refused as it streams in
    app = FastAPI(title="dossier", version="1", lifespan=lifespan, max_body_size=64 << 10, description=(
        "Compile the scans of a criminal case file into an electronic dossier: one PDF with cover, "
        "卷内目录, page numbers, bookmarks and a text layer, and a JSON catalog. Upload the scans, "
        "poll the job, fetch the results. Every endpoint but /healthz and /readyz needs an "
        "agency's API key as `Authorization: Bearer KEY`; a key sees only its agency's dossiers."))
    app.state.store, app.state.metrics = store, metrics
    limiter = RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst)

    @app.middleware("http")
    async def guard(request: Request, call_next):
        if request.url.path in ("/healthz", "/readyz"):
            return await call_next(request)
        # per API key (unknown keys and none by the client's address): a runaway client slows
        # only itself, and keys cannot be guessed at speed
        scheme, _, key = request.headers.get("authorization", "").partition(" ")
        who = f"key:{hashlib.sha256(key.strip().encode()).hexdigest()}" if key.strip() else f"addr:{request.client.host if request.client else '-'}"
        wait = limiter.take(who)
        if wait:
            return JSONResponse({"detail": "too many requests for this API key; slow down"}, 429,
                                headers={"Retry-After": str(max(1, round(wait)))})
        # FastAPI reads a multipart body before any dependency runs: an upload without a valid
        # key is refused before its body is read
        if request.method == "POST" and request.url.path == "/v1/dossiers":
            if scheme.lower() != "bearer" or store.agency_for(key.strip()) is None:
                return JSONResponse({"detail": NO_KEY}, 401, headers={"WWW-Authenticate": "Bearer"})
        return await call_next(request)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        # the client learns that it failed and a reference; the trace stays in the service's log
        reference = uuid.uuid4().hex[:12]
        logging.getLogger(__name__).error("request %s %s failed (reference %s)", request.method, request.url.path, reference,
                                          exc_info=exc)
        return JSONResponse({"detail": "internal error", "reference": reference}, 500)

    def owned(job_id: str, caller: str) -> Job:
        job = store.get(caller, job_id)
        if job is None:
            raise HTTPException(404, f"no dossier {job_id}")
        return job

    def reviewable(agency: str, job_id: str) -> Path | None:
        job = store.get(agency, job_id)
        return job_dir(settings, job_id) / "out" if job is not None and job.state == "done" else None

    # the review page: signed in once with the agency's key, then an HttpOnly session cookie
    app.include_router(review_router(SessionSigner.stored(settings.data_dir / "session-secret"), store.agency_for, reviewable, settings))

    @app.get("/healthz", tags=["operations"])
    def healthz() -> dict:
        """The process answers."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"], responses={500: {"description": "the job database does not answer"}})
    def readyz() -> dict:
        """The job database answers."""
        store.ping()
        return {"status": "ready"}

    @app.get("/metrics", tags=["operations"], response_class=Response, responses={401: _ERRORS[401]})
    def prometheus(_: Agency) -> Response:
        """Prometheus metrics: jobs by state, queue depth, pages per second, stage latencies, batch sizes."""
        body, media = metrics.exposition()
        return Response(body, media_type=media)

    @app.post("/v1/dossiers", status_code=202, tags=["dossiers"], response_model=JobView, responses={
        200: {"description": "the same Idempotency-Key again: the first upload's job", "model": JobView},
        401: _ERRORS[401], 413: {"description": "the upload is larger than the service accepts"},
        429: {"description": "too many requests for this API key (Retry-After says when to try again)"}},
        max_body_size=settings.upload_max_bytes + UPLOAD_CHUNK)  # + multipart framing; the files are counted exactly below
    async def submit(files: Annotated[list[UploadFile], File(description="the scans in scan order (PDF, TIFF, JPEG, PNG), or one zip")],
                     caller: Agency,
                     idempotency_key: Annotated[str | None, Header(max_length=200, description="repeat a submission safely: the same key returns the same job")] = None,
                     ) -> JSONResponse:
        """Upload a case file's scans; the job is queued and compiled in the background."""
        (settings.data_dir / "jobs").mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".upload-", dir=settings.data_dir / "jobs"))
        try:
            total = 0
            for n, upload in enumerate(files, 1):
                name = re.sub(r"[^\w.\-]", "_", Path(upload.filename or f"file-{n}").name)[-120:] or f"file-{n}"
                with open(staging / f"{n:04d}-{name}", "wb") as out:
                    while chunk := await upload.read(UPLOAD_CHUNK):
                        total += len(chunk)
                        if total > settings.upload_max_bytes:
                            raise UploadTooLarge
                        out.write(chunk)
            # the inputs are in place before the job is queued, so a worker never finds it empty
            job_id = str(uuid.uuid4())
            folder = job_dir(settings, job_id)
            folder.mkdir(parents=True)
            staging.rename(folder / "uploads")
            try:
                job, created = store.submit(caller, idempotency_key, job_id)
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
            if not created:  # the same Idempotency-Key again: the first upload's job stands
                shutil.rmtree(folder, ignore_errors=True)
        except UploadTooLarge:
            raise HTTPException(413, f"upload larger than {settings.upload_max_bytes} bytes") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return JSONResponse(job_view(job).model_dump(mode="json"), status_code=202 if created else 200,
                            headers={"Location": f"/v1/dossiers/{job.id}"})

    @app.get("/v1/dossiers", tags=["dossiers"], responses={401: _ERRORS[401]})
    def list_dossiers(caller: Agency, offset: Annotated[int, Query(ge=0)] = 0, limit: Annotated[int, Query(ge=1, le=200)] = 50) -> JobList:
        """The caller's agency's jobs, newest first."""
        return JobList(items=[job_view(j) for j in store.list(caller, offset, limit)], offset=offset, limit=limit)

    @app.get("/v1/dossiers/{job_id}", tags=["dossiers"], responses=_ERRORS)
    def status(job_id: str, caller: Agency) -> JobView:
        """State, progress per stage and, on failure, the error."""
        return job_view(owned(job_id, caller))

    def result(job_id: str, caller: str, name: str, media: str) -> FileResponse:
        job = owned(job_id, caller)
        if job.state != "done":
            raise HTTPException(409, f"dossier {job_id} is {job.state}")
        return FileResponse(job_dir(settings, job_id) / "out" / name, media_type=media, filename=name)

    not_done = _ERRORS | {409: {"description": "the dossier is not compiled (yet)"}}

    @app.get("/v1/dossiers/{job_id}/pdf", tags=["dossiers"], response_class=FileResponse,
             responses=not_done | {200: {"content": {"application/pdf": {}}, "description": "the dossier PDF"}})
    def pdf(job_id: str, caller: Agency) -> FileResponse:
        """The compiled dossier PDF."""
        return result(job_id, caller, "dossier.pdf", "application/pdf")

    @app.get("/v1/dossiers/{job_id}/catalog", tags=["dossiers"], response_class=FileResponse,
             responses=not_done | {200: {"content": {"application/json": {}}, "description": "the catalog (catalog.schema.json)"}})
    def catalog(job_id: str, caller: Agency) -> FileResponse:
        """The catalog JSON for the case platform, valid against catalog.schema.json."""
        return result(job_id, caller, "catalog.json", "application/json")

    @app.get("/v1/dossiers/{job_id}/files/{name}", tags=["dossiers"], response_class=FileResponse,
             responses=not_done | {200: {"description": "one of the result's other files"}})
    def result_file(job_id: str, name: Literal["manifest.json", "manifest.sig", "audit.jsonl", "pages.json"], caller: Agency) -> FileResponse:
        """The signed manifest and its signature (check them with `dossier verify`), the audit log, or
        the pages' stage results. Only these names: no client path reaches the filesystem."""
        media = {"manifest.sig": "text/plain", "audit.jsonl": "application/jsonl"}.get(name, "application/json")
        return result(job_id, caller, name, media)

    @app.delete("/v1/dossiers/{job_id}", status_code=204, tags=["dossiers"], responses=_ERRORS)
    def delete(job_id: str, caller: Agency) -> None:
        """Delete the job, its uploads and its results."""
        owned(job_id, caller)
        store.delete(caller, job_id)
        shutil.rmtree(job_dir(settings, job_id), ignore_errors=True)

    return app


class LeaseLost(Exception):
    """The job went to another worker (this one's lease ran out, or it was deleted): stop."""


class Worker:
    """Compiles queued jobs with the CLI's pipeline, `settings.service_jobs` at a time, each in
    its own thread; `stages` are the service's deployments, or the models in this process.
    While a job compiles, a heartbeat renews its lease, so no other worker takes it."""

    def __init__(self, settings: Settings, store: JobStore, metrics: ServiceMetrics | None = None, stages: Stages | None = None):
        self.settings, self.store = settings, store
        self.metrics = metrics or ServiceMetrics(store)
        self.stages = stages
        self.name = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._stop, self._stopped = threading.Event(), threading.Event()
        self._lock = threading.Lock()
        self._running: set[str] = set()
        self._threads = [threading.Thread(target=self._loop, name=f"dossier-worker-{n}", daemon=True) for n in range(settings.service_jobs)]
        self._heart = threading.Thread(target=self._heartbeat, name="dossier-heartbeat", daemon=True)

    def start(self) -> None:
        self._heart.start()
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """Jobs being compiled go back in the queue at their next page; the heartbeat lasts until then."""
        self._stop.set()
        for thread in self._threads:
            thread.join()
        self._stopped.set()
        self._heart.join()

    def _loop(self) -> None:
        log = logging.getLogger(__name__)
        while not self._stop.is_set():
            try:
                job = self.store.claim(self.name, self.settings.job_lease_s, self.settings.job_max_attempts)
            except Exception:  # the database is away: the worker waits, it does not die
                log.warning("could not claim a job", exc_info=True)
                self._stop.wait(5)
                continue
            if job is None:
                self._stop.wait(0.5)
                continue
            with self._lock:
                self._running.add(job.id)
            try:
                self.run(job)
            except Exception:  # the database failed while ending the job: its lease runs out, it is tried again
                log.exception("job %s could not be ended", job.id)
            finally:
                with self._lock:
                    self._running.discard(job.id)

    def _heartbeat(self) -> None:
        while not self._stopped.wait(self.settings.job_lease_s / 4):
            with self._lock:
                running = list(self._running)
            try:
                self.store.renew(self.name, running, self.settings.job_lease_s)
            except Exception:  # the database is away for a moment: try again at the next beat
                logging.getLogger(__name__).warning("could not renew job leases", exc_info=True)

    def _stages(self) -> Stages:
        with self._lock:  # one set of models for all jobs: onnxruntime sessions are thread-safe
            if self.stages is None:
                self.stages = Stages(read=PageReader(reader_options(self.settings)).read,
                                     label=page_labeler(self.settings, load_taxonomy(self.settings.taxonomy)))
            return self.stages

    def run(self, job: Job) -> None:
        folder = job_dir(self.settings, job.id)
        started = time.perf_counter()

        def progress(stage: str, done: int, total: int) -> None:
            if self._stop.is_set():
                raise StageUnavailable("the service is stopping")
            if not self.store.report(job.id, self.name, stage, done, total):
                raise LeaseLost(job.id)

        audit = AuditLog()
        audit.record("job accepted", job=job.id, agency=job.agency, submitted=job.created.isoformat(), attempt=job.attempts,
                     worker=self.name)
        try:
            uploads = sorted((folder / "uploads").iterdir())
            result = compile_dossier(uploads, folder / "out", self.settings, progress, self._stages(), audit)
        except LeaseLost:
            self._forget_if_deleted(job, folder)
        except StageUnavailable:
            self.store.release(job.id, self.name)
        except (IngestError, OutputError) as exc:
            # an error from a deployment carries the original as its cause: its message, not Ray's traceback
            self.store.fail(job.id, self.name, str(getattr(exc, "cause", None) or exc))
            self.metrics.job_failed(time.perf_counter() - started)
        except Exception as exc:  # a bug must fail the job, not the worker; the message names no page text
            logging.getLogger(__name__).exception("job %s failed", job.id)
            self.store.fail(job.id, self.name, f"internal error ({type(exc).__name__})")
            self.metrics.job_failed(time.perf_counter() - started)
        else:
            self.metrics.job_finished(result.pages, result.timings, time.perf_counter() - started)
            if not self.store.finish(job.id, self.name):
                self._forget_if_deleted(job, folder)

    def _forget_if_deleted(self, job: Job, folder: Path) -> None:
        # deleted while it compiled: what the compile wrote since must not outlive the deletion
        if self.store.get(job.agency, job.id) is None:
            shutil.rmtree(folder, ignore_errors=True)

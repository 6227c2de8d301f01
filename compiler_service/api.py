"""The versioned HTTP API of the compile service (FastAPI).

Uploads are streamed to disk under a size limit, then a job is queued in the store; a worker
compiles it with the same pipeline as the CLI and reports progress per stage. Every endpoint but
health and readiness needs an agency's API key (`Authorization: Bearer KEY`), and a key sees
only its agency's jobs: another agency's job id answers 404, as an unknown one does.

`create_app` takes the worker as a parameter: in process (a thread, below) for a single
machine; Ray Serve deployments wrap the same stages for a GPU pool.
"""

from __future__ import annotations

import logging
import re
from contextlib import asynccontextmanager
import shutil
import tempfile
import threading
import uuid
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse

from compiler_service.settings import Settings
from compiler_service.store import Job, JobStore

UPLOAD_CHUNK = 1 << 20


class UploadTooLarge(Exception):
    pass


def job_dir(settings: Settings, job_id: str) -> Path:
    return settings.data_dir / "jobs" / job_id


def job_view(job: Job) -> dict:
    view = {
        "id": job.id, "state": job.state, "progress": job.progress, "attempts": job.attempts,
        "created": job.created.isoformat(), "updated": job.updated.isoformat(),
        "links": {"self": f"/v1/dossiers/{job.id}"},
    }
    if job.error:
        view["error"] = job.error
    if job.state == "done":
        view["links"] |= {"pdf": f"/v1/dossiers/{job.id}/pdf", "catalog": f"/v1/dossiers/{job.id}/catalog"}
    return view


def caller_agency(request: Request, authorization: Annotated[str | None, Header()] = None) -> str:
    """The agency of the request's API key; 401 for a missing or unknown key."""
    scheme, _, key = (authorization or "").partition(" ")
    found = request.app.state.store.agency_for(key.strip()) if scheme.lower() == "bearer" else None
    if found is None:
        raise HTTPException(401, "a valid API key is needed: Authorization: Bearer KEY", headers={"WWW-Authenticate": "Bearer"})
    return found


Agency = Annotated[str, Depends(caller_agency)]


def create_app(settings: Settings, store: JobStore | None = None, worker: bool = False) -> FastAPI:
    """The API; with `worker`, a compiling thread runs beside it (re-queuing jobs that a crash
    or restart cut off)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = store or JobStore(settings.database())

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        runner = Worker(settings, store) if worker else None
        if runner:
            runner.start()
        try:
            yield
        finally:
            if runner:
                runner.stop()

    app = FastAPI(title="dossier", version="1", description="Compile scanned criminal case files into electronic dossiers.", lifespan=lifespan)
    app.state.store = store

    def owned(job_id: str, caller: str) -> Job:
        job = store.get(caller, job_id)
        if job is None:
            raise HTTPException(404, f"no dossier {job_id}")
        return job

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    def readyz() -> dict:
        store.ping()
        return {"status": "ready"}

    @app.post("/v1/dossiers", status_code=202)
    async def submit(files: list[UploadFile], caller: Agency,
                     idempotency_key: Annotated[str | None, Header(max_length=200)] = None) -> JSONResponse:
        """Upload the scans in scan order (the field `files` once per file, or one zip)."""
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
        return JSONResponse(job_view(job), status_code=202 if created else 200, headers={"Location": f"/v1/dossiers/{job.id}"})

    @app.get("/v1/dossiers")
    def list_dossiers(caller: Agency, offset: Annotated[int, Query(ge=0)] = 0, limit: Annotated[int, Query(ge=1, le=200)] = 50) -> dict:
        return {"items": [job_view(j) for j in store.list(caller, offset, limit)], "offset": offset, "limit": limit}

    @app.get("/v1/dossiers/{job_id}")
    def status(job_id: str, caller: Agency) -> dict:
        return job_view(owned(job_id, caller))

    def result(job_id: str, caller: str, name: str, media: str) -> FileResponse:
        job = owned(job_id, caller)
        if job.state != "done":
            raise HTTPException(409, f"dossier {job_id} is {job.state}")
        return FileResponse(job_dir(settings, job_id) / "out" / name, media_type=media, filename=name)

    @app.get("/v1/dossiers/{job_id}/pdf")
    def pdf(job_id: str, caller: Agency) -> FileResponse:
        return result(job_id, caller, "dossier.pdf", "application/pdf")

    @app.get("/v1/dossiers/{job_id}/catalog")
    def catalog(job_id: str, caller: Agency) -> FileResponse:
        return result(job_id, caller, "catalog.json", "application/json")

    @app.delete("/v1/dossiers/{job_id}", status_code=204)
    def delete(job_id: str, caller: Agency) -> None:
        owned(job_id, caller)
        store.delete(caller, job_id)
        shutil.rmtree(job_dir(settings, job_id), ignore_errors=True)

    return app


class Worker:
    """Compiles queued jobs one at a time in a thread, with the CLI's pipeline."""

    def __init__(self, settings: Settings, store: JobStore, reader=None, labeler=None):
        self.settings, self.store = settings, store
        self.reader, self.labeler = reader, labeler  # default: the models in this process
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="dossier-worker", daemon=True)

    def start(self) -> None:
        self.store.recover()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.is_set():
            job = self.store.claim()
            if job is None:
                self._stop.wait(0.5)
                continue
            self.run(job)

    def run(self, job: Job) -> None:
        from compiler_service.pipeline import OutputError, compile_dossier
        from ocr.ingest import IngestError

        folder = job_dir(self.settings, job.id)
        try:
            uploads = sorted((folder / "uploads").iterdir())
            compile_dossier(uploads, folder / "out", self.settings, lambda stage, done, total: self.store.report(job.id, stage, done, total),
                            self.reader, self.labeler)
        except (IngestError, OutputError) as exc:
            self.store.fail(job.id, str(exc))
        except Exception as exc:  # a bug must fail the job, not the worker; the message names no page text
            logging.getLogger(__name__).exception("job %s failed", job.id)
            self.store.fail(job.id, f"internal error ({type(exc).__name__})")
        else:
            self.store.finish(job.id)

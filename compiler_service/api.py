"""The versioned HTTP API of the compile service (FastAPI).

Uploads are streamed to disk under a size limit, then a job is queued in the store; a worker
compiles it with the same pipeline as the CLI and reports progress per stage. Every endpoint but
health and readiness needs an agency's API key (`Authorization: Bearer KEY`), and a key sees
only its agency's jobs: another agency's job id answers 404, as an unknown one does.

The worker runs in process (threads, below) for a single machine; on Ray Serve the same worker
hands the pipeline `Stages` that call the deployments (`serve_app.py`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import math
import os
import re
import shutil
import socket
import tempfile
import threading
import time
import uuid
from contextlib import asynccontextmanager, suppress
from datetime import datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Form, Header, HTTPException, Query, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from limits import RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import SlidingWindowCounterRateLimiter
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.formparsers import MultiPartParser
from starlette.routing import Match, Route
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from cataloging.audit import AuditLog
from classification.taxonomy import load_taxonomy
from compiler_service.hardening import NoFraming, quiet_validation_errors
from compiler_service.metrics import ServiceMetrics
from compiler_service.pipeline import OutputError, StageUnavailable, Stages, compile_dossier, page_labeler, reader_options
from compiler_service.review_app import Intake, UploadRefused, review_router
from compiler_service.sessions import SessionSigner
from compiler_service.settings import Settings
from compiler_service.storage import delete_uploads, owner_only, tree_bytes
from compiler_service.store import OFFSET_MAX, Job, JobStore, KeyInFlight, KeyReused, Quota, QuotaExceeded
from ocr.ingest import IngestError
from ocr.reader import PageReader

UPLOAD_CHUNK = 1 << 20
# the job database is away or overloaded for the moment (not the request's fault): 503, try again
DATABASE_AWAY = (OperationalError, InterfaceError, PoolTimeout)
UPLOAD_NAMES = "upload-names.json"  # beside uploads/: each stored file's name as the client sent it
# the upload takes only file parts: a stray text field is refused (422) unread beyond this
UPLOAD_FORM = {"max_fields": 4, "max_part_size": 1024}
# each file part is held in memory up to this before it goes to disk (Starlette's default is 1 MiB: a
# thousand small parts would be a gigabyte); the upload route is the only one that takes files
MultiPartParser.spool_max_size = 64 << 10
SWAGGER_UI = resources.files("swagger_ui") / "static"  # Swagger UI's own files, from PyPI: no CDN
DOCS_ASSETS = {"swagger-ui-bundle.js": "text/javascript", "swagger-ui.css": "text/css", "favicon-32x32.png": "image/png"}


class UploadTooLarge(Exception):
    pass


# the quotas' refusals (QuotaExceeded.limit) as the review page's upload form says them
QUOTA_REFUSALS = {"jobs": "本单位排队中和处理中的卷宗已达配额上限（{jobs} 个），请待其处理完成后再上传",
                  "bytes": "本单位卷宗占用的存储空间已达配额上限，请先删除不再需要的卷宗"}


class RateLimiter:
    """Per caller, at most `per_minute` requests a minute, and `burst` in the time the per-minute
    rate takes to earn them (100 in 10 s at 600 a minute): a burst is allowed, a sustained flood is
    not. `limits`' sliding window counters: two numbers per caller and window, gone once it passes."""

    def __init__(self, per_minute: int, burst: int):
        self.windows = []
        if per_minute > 0:
            burst_s = max(1, round(burst * 60 / per_minute))
            self.windows = [RateLimitItemPerSecond(max(burst, round(per_minute * burst_s / 60)), burst_s), RateLimitItemPerMinute(per_minute)]
        self.limiter = SlidingWindowCounterRateLimiter(MemoryStorage())

    def take(self, caller: str) -> float:
        """0 when the request may go ahead (and it is counted), else the seconds until it may."""
        for window in self.windows:
            if not self.limiter.test(window, caller):
                return max(1.0, self.limiter.get_window_stats(window, caller).reset_time - time.time())
        for window in self.windows:
            self.limiter.hit(window, caller)
        return 0.0


def job_dir(settings: Settings, job_id: str) -> Path:
    return settings.data_dir / "jobs" / job_id


async def store_uploads(files: list[UploadFile], into: Path, limit: int) -> tuple[str, dict[str, str]]:
    """Store the uploads in `into` in order, under names safe on any filesystem; returns the
    fingerprint of their names and contents, by which a repeated Idempotency-Key is checked, and
    each stored name with the name the client sent."""
    fingerprint, total, sent = hashlib.sha256(), 0, {}
    for n, upload in enumerate(files, 1):
        # \w keeps Chinese names readable; cut by bytes, as filesystems count them (255 at most)
        name = re.sub(r"[^\w.\-]", "_", Path(upload.filename or "").name).encode()[-120:].decode(errors="ignore") or f"file-{n}"
        sent[f"{n:04d}-{name}"] = (upload.filename or f"file-{n}")[:255]
        content = hashlib.sha256()
        with open(into / f"{n:04d}-{name}", "wb") as out:
            while chunk := await upload.read(UPLOAD_CHUNK):
                total += len(chunk)
                if total > limit:
                    raise UploadTooLarge
                content.update(chunk)
                out.write(chunk)
        fingerprint.update(f"{name}\0{content.hexdigest()}\n".encode())
    return fingerprint.hexdigest(), sent


def as_sent(message: str, folder: Path) -> str:
    """A job's error as its client may read it: each stored upload named as the client sent it,
    any other path on this server (an unpacked zip member, a temporary file) by its last part."""
    names = folder / UPLOAD_NAMES
    sent = json.loads(names.read_text(encoding="utf-8")) if names.exists() else {}
    message = message.replace(f"{folder / 'uploads'}{os.sep}", "")  # the data folder's path may hold spaces
    message = re.sub(r"(?<![\w.~-])(?:/[^/\s'\"]+)+/([^/\s'\"]+)", r"\1", message)
    stored = "|".join(map(re.escape, sorted(sent, key=len, reverse=True)))
    return re.sub(stored, lambda m: sent[m[0]], message) if stored else message


class UploadForm(BaseModel):
    """The multipart body of an upload: the scans, and nothing else (a misspelt or unknown field is
    refused rather than ignored, so a client learns of its mistake at once)."""

    model_config = ConfigDict(extra="forbid")
    # format: binary as well as 3.1's contentMediaType: a tool reading the 3.0 spelling knows any bytes are a file
    files: list[UploadFile] = Field(min_length=1, description="the scans in scan order (PDF, TIFF, JPEG, PNG), or one zip", json_schema_extra={
        "items": {"type": "string", "format": "binary", "contentMediaType": "application/octet-stream"}})


class Refusal(BaseModel):
    """Why a request was not done."""

    detail: str = Field(description="what was wrong, in a sentence")


def _header(description: str, required: bool = True, type_: str = "string") -> dict:
    return {"description": description, "required": required, "schema": {"type": type_}}


_RETRY_AFTER = _header("seconds to wait before trying again", type_="integer")
_LOCATION = {"Location": _header("the job's URL")}
_REFUSALS = {
    400: {"description": "the multipart body could not be read"},
    401: {"description": "no valid API key", "headers": {"WWW-Authenticate": _header("`Bearer`")}},
    404: {"description": "no such dossier for this agency"},
    409: {"description": "the dossier is not compiled (yet)"},
    # refused by its Content-Length before it is read (text), or as it streams in (JSON)
    413: {"description": "the request body is larger than the service accepts", "content": {"text/plain": {"schema": {"type": "string"}}}},
    429: {"description": "too many requests for this API key", "headers": {"Retry-After": _RETRY_AFTER}},
    503: {"description": "the job database does not answer for the moment", "headers": {"Retry-After": _RETRY_AFTER}},
}
KEYED = (401, 429, 503)  # what any endpoint behind the API key may answer


def refusals(*statuses: int) -> dict:
    """An operation's `responses=`: each refusal it can answer, with its body and headers."""
    return {code: {"model": Refusal} | _REFUSALS[code] for code in statuses}


class StageProgress(BaseModel):
    done: int = Field(description="pages done")
    total: int = Field(description="pages in all")


class CheckCounts(BaseModel):
    """The quality checks' findings (卷宗质检; the catalog's `checks` lists each with its pages):
    those still open by severity, and those a clerk dismissed with a reason in the review page."""

    error: int = Field(description="open findings to fix before the file is sent on (pages missing, a 笔录 unsigned, a limit passed)")
    warning: int = Field(description="open findings to look at (a companion document missing, an ID number that disagrees, a poor scan)")
    info: int = Field(description="open findings for information")
    dismissed: int = Field(description="findings a clerk dismissed, with a reason, in the review page")


class JobView(BaseModel):
    """A compile job as the API shows it."""

    id: str
    state: Literal["queued", "running", "done", "failed"]
    progress: dict[str, StageProgress] = Field(description="per stage (ocr, assemble): pages done of total")
    attempts: int = Field(description="times a worker has started the job (more than 1 after a restart)")
    created: datetime = Field(description="when the scans were uploaded")
    updated: datetime = Field(description="its last change: progress, its end, a review saved")
    error: str | None = Field(None, description="why the job failed, naming the file and page")
    checks: CheckCounts | None = Field(None, description="once done: the quality checks' findings by severity (as last reviewed)")
    pages: int | None = Field(None, description="once done: the scanned pages the dossier holds, in its documents or left out (blank, duplicate)")
    documents: int | None = Field(None, description="once done: the documents the dossier holds")
    reviewed_at: datetime | None = Field(None, description="when a clerk last saved a review of the dossier in the review page; null: never reviewed")
    reviewed_by: str | None = Field(None, description="who saved that review: the person named by the API key that signed in (its agency for a key naming none)")
    review_url: str | None = Field(None, description="once done: the dossier's review page, signed in with the agency's API key")
    links: dict[str, str] = Field(description="self, and pdf, catalog, manifest and its signature once done")


class JobList(BaseModel):
    items: list[JobView]
    offset: int
    limit: int
    total: int = Field(description="the caller's jobs in all (in the state asked for)")
    next: str | None = Field(None, description="the next page's link; null on the last page")


def job_view(job: Job, settings: Settings) -> JobView:
    links, summary, review_url = {"self": f"/v1/dossiers/{job.id}"}, {}, None
    if job.state == "done":
        summary = dossier_summary(job_dir(settings, job.id) / "out" / "catalog.json")
        review_url = f"/review/{job.id}/"
        links |= {"pdf": f"/v1/dossiers/{job.id}/pdf", "catalog": f"/v1/dossiers/{job.id}/catalog",
                  "manifest": f"/v1/dossiers/{job.id}/files/manifest.json", "signature": f"/v1/dossiers/{job.id}/files/manifest.sig"}
    return JobView(id=job.id, state=job.state, progress=job.progress, attempts=job.attempts, created=job.created,
                   updated=job.updated, error=job.error, **summary, reviewed_at=job.reviewed_at, reviewed_by=job.reviewed_by,
                   review_url=review_url, links=links)


def dossier_summary(catalog: Path) -> dict:
    """A done job's finding counts, pages and documents, from its catalog; a review's save replaces
    the catalog (a new file), so they follow. Nothing for a catalog that is gone (the job deleted
    this instant)."""
    try:
        found = catalog.stat()
        return _summary(catalog, found.st_ino, found.st_mtime_ns)
    except FileNotFoundError:
        return {}


@lru_cache(maxsize=1024)  # a job list polled every few seconds reads each catalog once, not each time
def _summary(catalog: Path, inode: int, mtime_ns: int) -> dict:
    data = json.loads(catalog.read_text(encoding="utf-8"))
    counts = {"error": 0, "warning": 0, "info": 0, "dismissed": 0}
    for finding in data.get("checks", []):
        counts["dismissed" if (finding.get("details") or {}).get("dismissed") else finding["severity"]] += 1
    return {"checks": CheckCounts(**counts), "pages": sum(s["pages"] for s in data["sources"]), "documents": len(data["documents"])}


_bearer = HTTPBearer(auto_error=False, description="an agency's API key (`dossier keys create --agency NAME`)")


NO_KEY = "a valid API key is needed: Authorization: Bearer KEY"


def caller_agency(request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> str:
    """The agency of the request's API key; 401 for a missing or unknown key."""
    found = request.app.state.store.agency_for(credentials.credentials.strip()) if credentials else None
    if found is None:
        raise HTTPException(401, NO_KEY, headers={"WWW-Authenticate": "Bearer"})
    return found


Agency = Annotated[str, Depends(caller_agency)]

_operator_bearer = HTTPBearer(auto_error=False, scheme_name="OperatorToken",
                              description="the operator token (DOSSIER_OPERATOR_TOKEN); no agency's key")


def operator_check(settings: Settings):
    """The dependency that lets only the operator through: the operator token as a Bearer token
    (Prometheus, curl), or as the password of HTTP Basic (a browser's own sign-in prompt, for /docs)."""
    expected = settings.operator_token.get_secret_value().encode() if settings.operator_token else None

    def operator(request: Request, bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_operator_bearer)]) -> None:
        given = bearer.credentials.encode() if bearer else b""
        scheme, _, basic = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "basic":
            with suppress(binascii.Error, ValueError):
                given = base64.b64decode(basic.strip(), validate=True).partition(b":")[2]
        if expected is None or not hmac.compare_digest(given, expected):
            raise HTTPException(401, "the operator token is needed (DOSSIER_OPERATOR_TOKEN)",
                                headers={"WWW-Authenticate": 'Basic realm="dossier operator", charset="UTF-8"'})

    return operator


def key_identity(store: JobStore, key: str) -> tuple[str, str] | None:
    """The agency and key id of an active API key, for a review session."""
    found = store.authenticate(key)
    return (found.agency, found.id) if found is not None else None


def create_app(settings: Settings, store: JobStore | None = None, worker: bool = False) -> FastAPI:
    """The API; with `worker`, compiling threads run beside it."""
    owner_only(settings.data_dir)  # case files: folders 0700, files 0600, for this account alone
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

    # bodies are limited by the routes that read one (the upload's, the review's): an app-wide limit
    # would answer 413 in place of the guard's 401, 409, 429 or 503 to a large upload, which it
    # sees before the upload's own, larger limit applies. The API docs are the operator's
    # (`operator` below): they map every endpoint, and Swagger UI is served from here.
    app = FastAPI(title="dossier", version="1", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None, description=(
        "Compile the scans of a criminal case file into an electronic dossier: one PDF with cover, "
        "卷内目录, page numbers, bookmarks and a text layer, and a JSON catalog. Upload the scans, "
        "poll the job, fetch the results. Every endpoint but /healthz, /readyz and /metrics needs an "
        "agency's API key as `Authorization: Bearer KEY`; a key sees only its agency's dossiers. "
        "/metrics and these docs take the operator token instead."))
    app.state.store, app.state.metrics = store, metrics
    limiter = RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst)
    operator = operator_check(settings)
    # the uploads' limits, the API's and the review page's: + multipart framing, the files are counted exactly
    upload_limits = {"max_body_size": settings.upload_max_bytes + UPLOAD_CHUNK,
                     "form_limits": UPLOAD_FORM | {"max_files": settings.upload_max_files}}

    @app.middleware("http")
    async def guard(request: Request, call_next):
        if request.url.path in ("/healthz", "/readyz"):
            return await call_next(request)
        scheme, _, key = request.headers.get("authorization", "").partition(" ")
        key = key.strip() if scheme.lower() == "bearer" else ""
        try:
            agency = await run_in_threadpool(store.agency_for, key) if key else None
        except DATABASE_AWAY as exc:  # raised here, outside the routes' exception handlers
            return await database_away(request, exc)
        # per valid API key, else per client address (a made-up key is no one: counted by its key,
        # every guess would come with a fresh allowance). A runaway client slows only itself, and
        # keys cannot be guessed at speed. The address is the peer's, unless a trusted proxy names
        # the client (ProxyHeadersMiddleware below).
        who = f"key:{hashlib.sha256(key.encode()).hexdigest()}" if agency else f"addr:{request.client.host if request.client else '-'}"
        wait = limiter.take(who)
        if wait:
            return JSONResponse({"detail": "too many requests; slow down"}, 429, headers={"Retry-After": str(math.ceil(wait))})
        # FastAPI reads a multipart body before any dependency runs: an upload without a valid
        # key is refused before its body is read
        if request.method == "POST" and request.url.path == "/v1/dossiers":
            if agency is None:
                return JSONResponse({"detail": NO_KEY}, 401, headers={"WWW-Authenticate": "Bearer"})
            try:
                return await upload_holding_key(request, call_next, agency)
            except DATABASE_AWAY as exc:
                return await database_away(request, exc)
        return await call_next(request)

    app.add_middleware(NoFraming)
    # X-Forwarded-For and -Proto only from the proxies the operator names (uvicorn's own
    # middleware, with its default of trusting loopback turned off in `dossier serve`)
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    quiet_validation_errors(app)

    async def upload_holding_key(request: Request, call_next, agency: str):
        """The upload, its Idempotency-Key held from before its body is read until its job is made
        (IETF Idempotency-Key draft): a retry racing it is answered 409 at once rather than after
        sending its files too, and one row decides which request makes the job."""
        key = request.headers.get("idempotency-key", "")
        if not 0 < len(key) <= 200:  # none, or one the endpoint refuses (422)
            return await call_next(request)
        request.state.job_id = job_id = str(uuid.uuid4())
        try:
            await run_in_threadpool(store.hold_key, agency, key, job_id, settings.idempotency_hold_s)
        except KeyInFlight:
            return key_in_flight()
        try:
            return await call_next(request)
        finally:  # the job was made (the key stays its), or the key is free again; if the database is away, the hold lapses
            with suppress(*DATABASE_AWAY):
                await run_in_threadpool(store.drop_key, agency, key, job_id)

    def key_in_flight() -> JSONResponse:
        return JSONResponse({"detail": "the first upload with this Idempotency-Key is still being received; try again shortly"}, 409,
                            headers={"Retry-After": "1"})

    @app.exception_handler(405)
    async def method_not_allowed(request: Request, _: Exception) -> JSONResponse:
        # Starlette's Allow names the methods of one route; RFC 9110 wants all the path's (GET and POST /v1/dossiers)
        allowed = {m for route in app.routes if isinstance(route, Route) and route.matches(request.scope)[0] != Match.NONE
                   for m in route.methods or ()}
        return JSONResponse({"detail": "Method Not Allowed"}, 405, headers={"Allow": ", ".join(sorted(allowed))})

    async def database_away(request: Request, exc: Exception) -> JSONResponse:
        logging.getLogger(__name__).warning("request %s %s: the job database does not answer (%s)", request.method,
                                            request.url.path, type(exc).__name__)
        return JSONResponse({"detail": "the job database does not answer for the moment; try again shortly"}, 503,
                            headers={"Retry-After": "5"})

    for away in DATABASE_AWAY:
        app.add_exception_handler(away, database_away)

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

    async def receive(files: list[UploadFile], agency: str, idempotency_key: str | None = None, job_id: str | None = None) -> tuple[Job, bool]:
        """Store an upload's files and queue their job (`store.submit`), for POST /v1/dossiers and the
        review page's upload form alike; `job_id` the one an Idempotency-Key is held for. Nothing of
        the files stays when no job is made of them (UploadTooLarge, KeyInFlight, QuotaExceeded, KeyReused)."""
        (settings.data_dir / "jobs").mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".upload-", dir=settings.data_dir / "jobs"))
        job_id, job = job_id or str(uuid.uuid4()), None
        folder = job_dir(settings, job_id)
        try:
            fingerprint, sent = await store_uploads(files, staging, settings.upload_max_bytes)
            # the inputs are in place before the job is queued, so a worker never finds it empty
            folder.mkdir(parents=True)
            (folder / UPLOAD_NAMES).write_text(json.dumps(sent, ensure_ascii=False), encoding="utf-8")
            staging.rename(folder / "uploads")
            job, created = await run_in_threadpool(store.submit, agency, idempotency_key, job_id, fingerprint,
                                                   tree_bytes(folder / "uploads"), Quota(settings.quota_jobs, settings.quota_bytes))
            return job, created
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            if job is None or job.id != job_id:  # no job made from these files
                shutil.rmtree(folder, ignore_errors=True)

    def jobs_for_review(agency: str, offset: int, limit: int) -> tuple[list[dict], int]:
        return [job_view(j, settings).model_dump(mode="json") for j in store.list(agency, offset, limit)], store.count(agency)

    async def upload_for_review(agency: str, files: list[UploadFile]) -> str:
        """The page's upload, as POST /v1/dossiers takes it; its refusals in words a clerk reads."""
        try:
            job, _ = await receive(files, agency)
        except UploadTooLarge:
            raise UploadRefused(413, f"文件合计超过上限（{settings.upload_max_bytes / (1 << 20):.0f} MB），请分批上传或压缩后再试") from None
        except QuotaExceeded as exc:
            raise UploadRefused(429, QUOTA_REFUSALS[exc.limit].format(jobs=settings.quota_jobs)) from None
        return job.id

    def review_saved(agency: str, job_id: str, review: dict) -> None:
        store.reviewed(agency, job_id, review["reviewed_by"])

    # the review page: signed in once with the agency's key, then an HttpOnly session cookie that
    # lasts as long as that key does
    app.include_router(review_router(SessionSigner.stored(settings.data_dir / "session-secret"), lambda key: key_identity(store, key),
                                     reviewable, settings, key_active=store.key_active,
                                     reviewer=lambda session: store.key(session.key_id).holder,  # the person, not the agency
                                     jobs=jobs_for_review, intake=Intake(upload_for_review, **upload_limits), saved=review_saved))

    @app.get("/openapi.json", include_in_schema=False, dependencies=[Depends(operator)])
    def openapi() -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False, dependencies=[Depends(operator)])
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="dossier API", swagger_js_url="/docs/assets/swagger-ui-bundle.js",
                                   swagger_css_url="/docs/assets/swagger-ui.css", swagger_favicon_url="/docs/assets/favicon-32x32.png",
                                   swagger_ui_parameters={"validatorUrl": None})  # the validator badge would call out too

    @app.get("/docs/assets/{name}", include_in_schema=False, dependencies=[Depends(operator)])
    def docs_asset(name: str) -> Response:
        if name not in DOCS_ASSETS:
            raise HTTPException(404)
        return Response((SWAGGER_UI / name).read_bytes(), media_type=DOCS_ASSETS[name], headers={"Cache-Control": "private, max-age=86400"})

    @app.get("/healthz", tags=["operations"])
    def healthz() -> dict:
        """The process answers."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"], responses=refusals(503))
    def readyz() -> dict:
        """The job database answers."""
        store.ping()
        return {"status": "ready"}

    @app.get("/metrics", tags=["operations"], response_class=Response, dependencies=[Depends(operator)],
             responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}} | refusals(*KEYED) | {
                 401: {"model": Refusal, "description": "no operator token", "headers": {"WWW-Authenticate": _header("`Basic`")}}})
    def prometheus() -> Response:
        """Prometheus metrics: jobs by state, queue depth, pages per second, stage latencies, batch
        sizes, of every agency: for the operator's token, not an agency's key."""
        body, media = metrics.exposition()
        return Response(body, media_type=media)

    @app.post("/v1/dossiers", status_code=202, tags=["dossiers"], response_model=JobView, responses={
        202: {"description": "the job, queued", "headers": _LOCATION},
        200: {"description": "the same Idempotency-Key again, with the same files: the first upload's job", "model": JobView, "headers": _LOCATION},
        409: {"description": "the first upload with this Idempotency-Key is still being received: try again (the job is not made twice)",
              "model": Refusal, "headers": {"Retry-After": _RETRY_AFTER | {"required": False}}},
        } | refusals(400, *KEYED, 413), **upload_limits)
    async def submit(request: Request, form: Annotated[UploadForm, Form(media_type="multipart/form-data")], caller: Agency,
                     idempotency_key: Annotated[str | None, Header(min_length=1, max_length=200, description=(
                         "repeat a submission safely: the same key with the same files returns the same job (200); with "
                         "other files it is refused (422); while its first upload is still being received, 409"))] = None,
                     ) -> JSONResponse:
        """Upload a case file's scans; the job is queued and compiled in the background."""
        try:
            job, created = await receive(form.files, caller, idempotency_key, getattr(request.state, "job_id", None))  # the one its key is held for
        except UploadTooLarge:
            raise HTTPException(413, f"upload larger than {settings.upload_max_bytes} bytes") from None
        except KeyInFlight:  # the hold outlived idempotency_hold_s and was taken over, or the key's job was deleted this instant
            return key_in_flight()
        except QuotaExceeded as exc:
            raise HTTPException(429, str(exc), headers={"Retry-After": str(exc.retry_after_s)}) from None
        except KeyReused:
            raise RequestValidationError([{"type": "idempotency_key_reused", "loc": ("header", "idempotency-key"), "input": idempotency_key,
                                           "msg": "this Idempotency-Key was used for an upload of other files"}]) from None
        return JSONResponse(job_view(job, settings).model_dump(mode="json"), status_code=202 if created else 200,
                            headers={"Location": f"/v1/dossiers/{job.id}"})

    @app.get("/v1/dossiers", tags=["dossiers"], responses=refusals(*KEYED))
    def list_dossiers(caller: Agency, offset: Annotated[int, Query(ge=0, le=OFFSET_MAX)] = 0,
                      limit: Annotated[int, Query(ge=1, le=200)] = 50,
                      state: Annotated[Literal["queued", "running", "done", "failed"] | None, Query()] = None) -> JobList:
        """The caller's agency's jobs, newest first; `state` keeps those in one state."""
        total = store.count(caller, state)
        following = offset + limit < total
        return JobList(items=[job_view(j, settings) for j in store.list(caller, offset, limit, state)], offset=offset, limit=limit, total=total,
                       next=f"/v1/dossiers?{urlencode({'offset': offset + limit, 'limit': limit, **({'state': state} if state else {})})}" if following else None)

    @app.get("/v1/dossiers/{job_id}", tags=["dossiers"], responses=refusals(*KEYED, 404))
    def status(job_id: str, caller: Agency) -> JobView:
        """State, progress per stage, on failure the error, once done the quality checks' counts."""
        return job_view(owned(job_id, caller), settings)

    def result(job_id: str, caller: str, name: str, media: str) -> FileResponse:
        job = owned(job_id, caller)
        if job.state != "done":
            raise HTTPException(409, f"dossier {job_id} is {job.state}")
        return FileResponse(job_dir(settings, job_id) / "out" / name, media_type=media, filename=name)

    not_done = refusals(*KEYED, 404, 409)

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
             responses=not_done | {200: {"description": "one of the result's other files", "content": {
                 media: {} for media in ("application/json", "text/plain", "application/jsonl")}}})
    def result_file(job_id: str, name: Literal["manifest.json", "manifest.sig", "audit.jsonl", "pages.json"], caller: Agency) -> FileResponse:
        """The signed manifest and its signature (check them with `dossier verify`), the audit log, or
        the pages' stage results. Only these names: no client path reaches the filesystem."""
        media = {"manifest.sig": "text/plain", "audit.jsonl": "application/jsonl"}.get(name, "application/json")
        return result(job_id, caller, name, media)

    @app.delete("/v1/dossiers/{job_id}", status_code=204, tags=["dossiers"], responses=refusals(*KEYED, 404))
    def delete(job_id: str, caller: Agency) -> None:
        """Delete the job, its uploads and its results."""
        owned(job_id, caller)
        store.delete(caller, job_id)
        shutil.rmtree(job_dir(settings, job_id), ignore_errors=True)

    return app


class LeaseLost(Exception):
    """The job went to another worker (this one's lease ran out, or it was deleted): stop."""


def clear_cut_off_attempt(folder: Path) -> None:
    """A worker killed mid-compile (a replica lost, SIGKILL) leaves its staging folders in the
    job's folder on the shared volume: half a dossier and unpacked scans, evidence nobody would
    delete. The job is this worker's now, under its lease, so nobody else writes there."""
    for leftover in (*folder.glob(".out.*"), *folder.glob(".unpack-*")):
        shutil.rmtree(leftover, ignore_errors=True)


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
                self.delete_uploads()  # its scans, now that it has ended (unless upload_retention_s keeps them)
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
            try:
                self.delete_uploads()  # those kept for upload_retention_s, and any a crash left
            except Exception:
                logging.getLogger(__name__).warning("could not delete the uploads of ended jobs", exc_info=True)

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
        if job.attempts > 1:
            clear_cut_off_attempt(folder)
        try:
            uploads = sorted((folder / "uploads").iterdir())
            result = compile_dossier(uploads, folder / "out", self.settings, progress, self._stages(), audit)
        except LeaseLost:
            self._forget_if_deleted(job, folder)
        except StageUnavailable:
            self.store.release(job.id, self.name)
        except (IngestError, OutputError) as exc:
            # an error from a deployment carries the original as its cause: its message, not Ray's traceback
            self.store.fail(job.id, self.name, as_sent(str(getattr(exc, "cause", None) or exc), folder))
            self.metrics.job_failed(time.perf_counter() - started)
        except Exception as exc:  # a bug must fail the job, not the worker; the message names no page text
            if self._forget_if_deleted(job, folder):  # no bug: the job was deleted, its files from under the compile
                return
            logging.getLogger(__name__).exception("job %s failed", job.id)
            self.store.fail(job.id, self.name, f"internal error ({type(exc).__name__})")
            self.metrics.job_failed(time.perf_counter() - started)
        else:
            self.metrics.job_finished(result.pages, result.timings, time.perf_counter() - started)
            if not self.store.finish(job.id, self.name, tree_bytes(folder / "out")):
                self._forget_if_deleted(job, folder)

    def _forget_if_deleted(self, job: Job, folder: Path) -> bool:
        # deleted while it compiled: what the compile wrote since must not outlive the deletion
        if self.store.get(job.agency, job.id) is None:
            shutil.rmtree(folder, ignore_errors=True)
            return True
        return False

    def delete_uploads(self) -> None:
        """The scans of jobs that ended (done or failed) go once their retention is over: the
        dossier holds every page, and a scan kept is a copy of the evidence to protect."""
        delete_uploads(self.settings.data_dir / "jobs", self.store, self.settings.upload_retention_s)

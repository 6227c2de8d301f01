"""A client of the compile service, for the case platform (import it) and for people (`dossier submit`).

    with DossierClient("http://dossier.internal:8000", key) as client:
        job = client.submit([Path("scans/")])
        job = client.wait(job, on_progress=lambda stage, done, total: ...)
        files = client.download(job, Path("out/"))

A request the service cannot take now (refused or dropped connection, timeout, 429, 502-504, and
409 while the first upload with the same Idempotency-Key is still being received) is tried again,
after a pause that doubles each time or as long as Retry-After says, for up to
`client_patience_s`. An upload carries one Idempotency-Key for all its tries, so a try whose answer
was lost gets the first job back instead of making a second one.
"""

from __future__ import annotations

import email.utils
import json
import random
import time
import uuid
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import Message
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

import httpx

from compiler_service.settings import Settings
from ocr.ingest import IMAGE_SUFFIXES, KINDS, PDF_SUFFIXES, ZIP_SUFFIXES, display_name, natural_key, sha256_file, sniff
from ocr.output import atomic_folder

T = TypeVar("T")
Progress = Callable[[str, int, int], None]

# answers that say "not now": the service is overloaded, restarting, or behind a proxy that lost it
RETRIED_STATUSES = frozenset({429, 502, 503, 504})
# a request that never got its answer; a wrong URL (UnsupportedProtocol) is not among them
RETRIED_ERRORS = (httpx.NetworkError, httpx.TimeoutException, httpx.RemoteProtocolError)


class ServiceError(Exception):
    """The service refused the request (a bad key, a bad upload), or could not be reached in time."""


class JobFailed(ServiceError):
    """The service could not compile the scans; the error names the file and page."""

    def __init__(self, job: Job):
        self.job = job
        super().__init__(f"job {job.id} failed: {job.error}")


@dataclass(frozen=True)
class Job:
    """A compile job as the service last showed it (GET /v1/dossiers/{id})."""

    id: str
    state: str  # queued, running, done, failed
    progress: dict[str, dict[str, int]]  # stage -> {"done": pages, "total": pages}
    attempts: int
    error: str | None
    links: dict[str, str]  # self, and the result files once done

    @classmethod
    def from_json(cls, data: dict) -> Job:
        return cls(data["id"], data["state"], data.get("progress") or {}, data.get("attempts", 0), data.get("error"), data.get("links") or {})


class _NotNow(Exception):
    """An answer that asks to try again later."""

    def __init__(self, problem: str, retry_after: float | None):
        super().__init__(problem)
        self.retry_after = retry_after


class DossierClient:
    def __init__(self, server: str, key: str | None = None, settings: Settings | None = None):
        self.settings = settings or Settings()
        key = key or (self.settings.api_key.get_secret_value() if self.settings.api_key else None)
        if not key:
            raise ServiceError("an API key is needed: --key KEY or DOSSIER_API_KEY")
        if httpx.URL(server).scheme not in ("http", "https"):
            raise ServiceError(f"{server}: the server's address starts with http:// or https://")
        self.server = server.rstrip("/")
        self._http = httpx.Client(base_url=self.server, headers={"Authorization": f"Bearer {key.strip()}"},
                                  timeout=self.settings.client_timeout_s)

    def __enter__(self) -> DossierClient:
        return self

    def __exit__(self, *_) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def submit(self, paths: Iterable[Path], idempotency_key: str | None = None) -> Job:
        """Upload the scans (files, folders, zips) in scan order; the queued job. The same
        `idempotency_key` (a new one by default) on every try, so there is one job however
        often the upload has to be repeated."""
        files = scan_files(paths)
        idempotency_key = idempotency_key or str(uuid.uuid4())
        # a wrong key or address shows now, not after a long upload the service would cut off
        self._retry(lambda: self._answer(self._http.get("/v1/dossiers", params={"limit": 1})))

        def upload() -> Job:
            with ExitStack() as opened:  # each try sends the files from their start
                parts = [("files", (display_name(p), opened.enter_context(open(p, "rb")))) for p in files]
                response = self._http.post("/v1/dossiers", files=parts, headers={"Idempotency-Key": idempotency_key})
            return Job.from_json(self._answer(response, receiving=True).json())

        return self._retry(upload)

    def status(self, job_id: str) -> Job:
        return Job.from_json(self._retry(lambda: self._answer(self._http.get(f"/v1/dossiers/{quote(job_id, safe='')}"))).json())

    def wait(self, job: Job, on_progress: Progress | None = None) -> Job:
        """Poll the job until it is done, reporting each stage's pages done of total; raises
        JobFailed with the service's error. A restart of the service only delays it: the job
        is compiled again and its progress starts over."""
        while True:
            for stage, seen in job.progress.items():
                if on_progress:
                    on_progress(stage, seen["done"], seen["total"])
            if job.state == "done":
                return job
            if job.state == "failed":
                raise JobFailed(job)
            time.sleep(self.settings.client_poll_s)
            job = self.status(job.id)

    def download(self, job: Job, output: Path) -> list[Path]:
        """Every result file the job lists (dossier.pdf, catalog.json, the signed manifest) into
        `output`, all or none: fetched into a folder beside it, checked against the manifest's
        digests, then renamed into place. `output` must be new, empty or an earlier result."""
        from compiler_service.pipeline import check_output  # the pipeline's imports are heavy; only needed here

        if job.state != "done":
            raise ServiceError(f"job {job.id} is {job.state}: there is nothing to download yet")
        output = output.resolve()
        check_output(output, [])
        with atomic_folder(output) as staging:
            fetched = [self._fetch(link, staging) for name, link in job.links.items() if name != "self"]
            _check_digests(staging, fetched)
        return [output / path.name for path in fetched]

    def _fetch(self, link: str, folder: Path) -> Path:
        if not link.startswith("/") or link.startswith("//"):  # the key goes to this server only
            raise ServiceError(f"{link}: the job lists a result outside {self.server}")

        def attempt() -> Path:
            with self._http.stream("GET", link) as response:
                self._answer(response)
                path = folder / _file_name(response, link)
                with open(path, "wb") as out:  # a dropped connection is tried again from the start
                    for chunk in response.iter_bytes(1 << 20):
                        out.write(chunk)
            return path

        return self._retry(attempt)

    def _answer(self, response: httpx.Response, receiving: bool = False) -> httpx.Response:
        """The response if it succeeded; _NotNow if it may succeed later (with `receiving`, a
        409 too: the first upload with this Idempotency-Key is still being received); else
        ServiceError naming what the service said."""
        if response.is_success:
            return response
        response.read()
        detail = _detail(response)
        if response.status_code in RETRIED_STATUSES or (receiving and response.status_code == 409):
            raise _NotNow(f"{response.status_code} {detail}", _retry_after(response))
        if response.status_code == 401:
            raise ServiceError(f"{self.server} refused the API key (401): check --key or DOSSIER_API_KEY")
        raise ServiceError(f"{self.server} answered {response.status_code} to {response.request.method} {response.request.url.path}: {detail}")

    def _retry(self, attempt: Callable[[], T]) -> T:
        patience = self.settings.client_patience_s
        deadline = time.monotonic() + patience
        pause = 0.5
        while True:
            try:
                return attempt()
            except _NotNow as exc:
                problem, wait = str(exc), exc.retry_after
            except RETRIED_ERRORS as exc:
                problem, wait = ": ".join(filter(None, (type(exc).__name__, str(exc)))), None
            if wait is None:  # jittered, so that clients cut off together do not all come back together
                wait, pause = pause * random.uniform(0.5, 1), min(2 * pause, 10)
            if time.monotonic() + wait > deadline:
                raise ServiceError(f"{self.server} could not take the request for {patience:.0f} s (last: {problem})")
            time.sleep(wait)


def scan_files(paths: Iterable[Path]) -> list[Path]:
    """The files to upload, in scan order: a folder's scans in natural sort, as `dossier compile`
    reads a folder (files named like scans, or holding one whatever their name)."""
    paths, named = list(paths), PDF_SUFFIXES | IMAGE_SUFFIXES | ZIP_SUFFIXES
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = (p for p in path.rglob("*") if p.is_file() and (p.suffix.lower() in named or (p.stat().st_size and sniff(p))))
            files += sorted(found, key=lambda p: natural_key(p, path))
        elif path.is_file():
            if not (path.stat().st_size and sniff(path)):  # refused now rather than failed after the upload
                raise ServiceError(f"{path}: its content is not {KINDS}")
            files.append(path)
        else:
            raise ServiceError(f"{path}: no such file or folder")
    if not files:
        raise ServiceError(f"no scans in {', '.join(map(str, paths))}")
    return files


def _detail(response: httpx.Response) -> str:
    try:
        detail = response.json()["detail"]
    except (ValueError, KeyError, TypeError):
        return response.text[:200] or response.reason_phrase
    return detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False)[:300]


def _retry_after(response: httpx.Response) -> float | None:
    """Retry-After in seconds: a number, or an HTTP date."""
    value = response.headers.get("retry-after", "").strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _file_name(response: httpx.Response, link: str) -> str:
    """The name the service gives the file (Content-Disposition), else the link's last part;
    never a path."""
    disposition = Message()
    disposition["content-disposition"] = response.headers.get("content-disposition", "")
    name = Path(disposition.get_filename() or "").name or link.rstrip("/").rsplit("/", 1)[-1]
    if name in ("", ".", ".."):
        raise ServiceError(f"{link}: the service gave the file no usable name")
    return name


def _check_digests(folder: Path, fetched: list[Path]) -> None:
    """A file that differs from the signed manifest's digest was damaged on the way."""
    manifest = folder / "manifest.json"
    if not manifest.exists():
        return
    signed = json.loads(manifest.read_text(encoding="utf-8")).get("files", {})
    for path in fetched:
        if path.name in signed and sha256_file(path) != signed[path.name]:
            raise ServiceError(f"{path.name}: downloaded, it differs from the manifest's digest; download it again")

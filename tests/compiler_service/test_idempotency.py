"""Idempotency-Key under races, on a real `dossier serve --no-ray` over SQLite and over PostgreSQL:
however many uploads with one key race, one job is made; each answer names it, or is 409 while
the first upload is still being received, and a retry after a 409 gets the job."""

import os
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from benchmarks.service import ServiceProcess, new_database
from compiler_service.store import IdempotencyKeyRow, JobStore


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def service(request, tmp_path_factory):
    """One service per database for the module; each test brings its own agency."""
    data = tmp_path_factory.mktemp(request.param) / "data"
    data.mkdir()
    url = f"sqlite:///{data / 'dossier.db'}" if request.param == "sqlite" else new_database(request.getfixturevalue("postgres"))
    # no rate limit: twenty uploads at once from one key are the point here, not a runaway client
    service = ServiceProcess(data, "--no-ray", {"DOSSIER_DATABASE_URL": url, "DOSSIER_RATE_LIMIT_PER_MINUTE": "0"})
    service.start()
    yield service, JobStore(url)
    service.kill()


def _upload(service, auth, key, content):
    return httpx.post(f"{service.base}/v1/dossiers", files=[("files", ("scan.pdf", content))], headers=auth | {"Idempotency-Key": key},
                      timeout=60)


def test_twenty_racing_uploads_with_one_key_make_one_job(service):
    service, store = service
    auth = {"Authorization": f"Bearer {store.create_key('福田分局')}"}
    scan = os.urandom(2 << 20)  # large enough that the uploads overlap

    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(lambda _: _upload(service, auth, "case-42", scan), range(20)))
    codes = Counter(a.status_code for a in answers)
    assert set(codes) <= {200, 202, 409} and codes[202] == 1, (codes, service.log_tail())
    job_id = next(a.json()["id"] for a in answers if a.status_code == 202)
    for answer in answers:
        if answer.status_code == 409:  # the first was still being received; it has answered since: a retry gets its job
            assert int(answer.headers["retry-after"]) >= 1
            answer = _upload(service, auth, "case-42", scan)
        assert answer.status_code in (200, 202) and answer.json()["id"] == job_id
        assert answer.headers["location"] == f"/v1/dossiers/{job_id}"
    listed = httpx.get(f"{service.base}/v1/dossiers", headers=auth, timeout=30).json()["items"]
    assert [j["id"] for j in listed] == [job_id]

    reused = _upload(service, auth, "case-42", scan[:-1])  # the same key with other files
    assert reused.status_code == 422 and reused.json()["detail"][0]["type"] == "idempotency_key_reused"
    assert [j["id"] for j in httpx.get(f"{service.base}/v1/dossiers", headers=auth, timeout=30).json()["items"]] == [job_id]


def test_a_retry_while_the_first_upload_is_still_arriving_is_409_then_gets_its_job(service):
    service, store = service
    auth = {"Authorization": f"Bearer {store.create_key('南山分局')}"}
    scan, arrived = b"%PDF-1.4 " + os.urandom(100_000), threading.Event()

    def slow_body():  # the first client's connection stalls halfway through its file
        yield b'--b\r\nContent-Disposition: form-data; name="files"; filename="scan.pdf"\r\n\r\n' + scan[:50_000]
        arrived.wait(60)
        yield scan[50_000:] + b"\r\n--b--\r\n"

    def held() -> bool:  # the first's headers are in: its key is held
        with Session(store.engine) as s:
            return s.scalar(select(IdempotencyKeyRow).where(IdempotencyKeyRow.agency == "南山分局")) is not None

    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(httpx.post, f"{service.base}/v1/dossiers", content=slow_body(), timeout=60,
                            headers=auth | {"Idempotency-Key": "case-7", "Content-Type": "multipart/form-data; boundary=b"})
        try:
            deadline = time.monotonic() + 30
            while not held():
                assert time.monotonic() < deadline, service.log_tail()
                time.sleep(0.05)
            retry = _upload(service, auth, "case-7", scan)  # all its files sent, while the first's are still arriving
            assert retry.status_code == 409 and int(retry.headers["retry-after"]) >= 1, retry.text
        finally:
            arrived.set()
        made = first.result()
    assert made.status_code == 202, made.text
    again = _upload(service, auth, "case-7", scan)
    assert (again.status_code, again.json()["id"]) == (200, made.json()["id"])
    assert len(httpx.get(f"{service.base}/v1/dossiers", headers=auth, timeout=30).json()["items"]) == 1

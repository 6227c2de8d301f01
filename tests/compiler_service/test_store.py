"""The job store on a real SQLite file and a real PostgreSQL server: keys, agency isolation,
idempotency, claims, leases."""

import os
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from benchmarks.service import free_port
from compiler_service.cli import app
from compiler_service.store import JobStore

INITDB = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))


@pytest.fixture(scope="module")
def postgres():
    """A throwaway PostgreSQL server (Debian's postgresql package) on a loopback port."""
    pytest.importorskip("psycopg")
    if not INITDB:
        pytest.skip("no PostgreSQL server here (Debian package postgresql)")
    bin_dir, root = INITDB[-1].parent, Path(tempfile.mkdtemp(prefix="dossier-pg-"))
    as_owner = []
    if os.geteuid() == 0:  # initdb refuses root: the server runs as Debian's postgres user
        shutil.chown(root, "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]
    port = free_port()

    def pg(*args) -> None:
        subprocess.run(as_owner + [str(a) for a in args], check=True, capture_output=True)

    pg(bin_dir / "initdb", "-D", root / "data", "-U", "dossier", "--auth=trust")
    pg(bin_dir / "pg_ctl", "-D", root / "data", "-l", root / "log", "-w", "-o", f"-p {port} -k {root} -c listen_addresses=127.0.0.1", "start")
    try:
        yield f"postgresql+psycopg://dossier@127.0.0.1:{port}"
    finally:
        pg(bin_dir / "pg_ctl", "-D", root / "data", "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'dossier.db'}"
    server, name = request.getfixturevalue("postgres"), f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{server}/{name}"


def test_a_key_names_its_agency_and_nothing_else_does(url):
    store = JobStore(url)
    key = store.create_key("深圳市公安局福田分局")
    assert store.agency_for(key) == "深圳市公安局福田分局"
    prefix, key_id, secret = key.split("_", 2)
    for wrong in ("", "Bearer x", f"dsk_{key_id}_{secret[:-1]}x", f"dsk_000000000000_{secret}", f"{prefix}_{key_id}"):
        assert store.agency_for(wrong) is None
    with store.engine.connect() as conn:  # only a digest is stored
        rows = conn.execute(text("SELECT * FROM api_keys")).all()
    assert len(rows) == 1 and secret not in repr(rows)


def test_an_agency_sees_only_its_own_jobs(url):
    store = JobStore(url)
    mine, _ = store.submit("A")
    theirs, _ = store.submit("B")
    assert store.get("A", mine.id).state == "queued"
    assert store.get("A", theirs.id) is None and not store.delete("A", theirs.id)
    assert [j.id for j in store.list("A")] == [mine.id]
    assert store.delete("B", theirs.id) and store.get("B", theirs.id) is None


def test_the_same_idempotency_key_gives_the_same_job(url):
    store = JobStore(url)
    first, created = store.submit("A", "upload-7")
    again, created_again = store.submit("A", "upload-7")
    other_agency, created_other = store.submit("B", "upload-7")
    assert created and not created_again and again.id == first.id
    assert created_other and other_agency.id != first.id


def test_each_queued_job_is_claimed_once_even_by_concurrent_workers(url):
    store = JobStore(url)
    submitted = {store.submit("A")[0].id for _ in range(20)}
    claimed, lock = [], threading.Lock()

    def worker():
        own = JobStore(url)
        while (job := own.claim("w", 60)) is not None:
            with lock:
                claimed.append(job.id)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(claimed) == sorted(submitted)


def test_a_job_whose_worker_stopped_renewing_is_queued_again_with_its_progress(url):
    store = JobStore(url)
    failed, _ = store.submit("A")
    cut_off, _ = store.submit("A")
    store.claim("alive", 60)
    store.claim("crashed", 0.5)
    assert store.report(cut_off.id, "crashed", "ocr", 3, 10)
    store.fail(failed.id, "alive", "scan.pdf page 3: unreadable")
    time.sleep(0.6)
    restarted = JobStore(url)  # the service process came back
    assert restarted.requeue_expired() == 1
    job = restarted.get("A", cut_off.id)
    assert (job.state, job.attempts, job.progress) == ("queued", 1, {"ocr": {"done": 3, "total": 10}})
    assert restarted.get("A", failed.id).error == "scan.pdf page 3: unreadable"
    assert restarted.claim("new", 60).id == cut_off.id
    # the crashed worker, back from the dead, can no longer report, renew or end the job
    assert not store.report(cut_off.id, "crashed", "ocr", 9, 10)
    assert store.renew("crashed", [cut_off.id], 60) == 0
    assert not store.finish(cut_off.id, "crashed")
    job = store.get("A", cut_off.id)
    assert (job.state, job.attempts, job.progress["ocr"]["done"]) == ("running", 2, 3)
    assert store.finish(cut_off.id, "new") and store.get("A", cut_off.id).state == "done"


def test_a_renewed_lease_keeps_the_job_with_its_worker(url):
    store = JobStore(url)
    job, _ = store.submit("A")
    store.claim("slow", 1.0)
    for _ in range(4):
        time.sleep(0.4)
        assert store.renew("slow", [job.id], 1.0) == 1
    assert store.claim("other", 60) is None and store.get("A", job.id).state == "running"


def test_a_job_cut_off_too_often_fails_instead_of_taking_every_worker_down(url):
    store = JobStore(url)
    job, _ = store.submit("A")
    for attempt in (1, 2):
        assert store.claim(f"worker-{attempt}", 0.01, max_attempts=2).id == job.id
        time.sleep(0.05)  # the worker dies with the job
    assert store.claim("worker-3", 60, max_attempts=2) is None
    ended = store.get("A", job.id)
    assert ended.state == "failed" and "cut off 2 times" in ended.error


def test_a_released_job_is_queued_at_once_and_the_attempt_does_not_count(url):
    store = JobStore(url)
    job, _ = store.submit("A")
    store.claim("stopping", 60)
    assert not store.release(job.id, "someone else")
    assert store.release(job.id, "stopping")
    again = store.claim("next", 60)
    assert (again.id, again.attempts) == (job.id, 1)


def test_listing_is_newest_first_and_paginated(url):
    store = JobStore(url)
    ids = [store.submit("A")[0].id for _ in range(5)]
    pages = store.list("A", 0, 2) + store.list("A", 2, 2) + store.list("A", 4, 2)
    assert [j.id for j in pages] == ids[::-1]


def test_keys_create_prints_the_key_on_its_last_line(tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIER_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(app, ["keys", "create", "--agency", "福田分局"])
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    assert JobStore(f"sqlite:///{tmp_path / 'data' / 'dossier.db'}").agency_for(key) == "福田分局"

"""Two replicas of the service (`dossier serve --no-ray`, as the two Ingress replicas on Kubernetes
run) on one PostgreSQL and one data folder: each job is compiled by one replica at a time, a
replica killed with SIGKILL mid-job loses nothing (its jobs' leases run out and the other replica
compiles them), and /metrics reports the database's job counts beside its own replica's counters."""

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from benchmarks.service import ServiceProcess, new_database, parse_metrics
from cataloging.audit import AuditLog
from compiler_service.client import DossierClient
from compiler_service.settings import Settings
from compiler_service.store import STATES, JobRow, JobStore
from tests.compiler_service.test_client import assert_every_page_once
from tests.conftest import RECORD_FIRST_PAGE, RECORD_SECOND_PAGE, WARRANT_PAGE, draw_page

LEASE_S = 3  # the killed replica's jobs are queued again this long after its last renewal
JOBS = 4
AGENCY = "福田分局"
OPERATOR_TOKEN = "operator-token-for-the-replica-tests"


@pytest.fixture
def replicas(postgres, tmp_path):
    """Two replicas started together on a new database (both migrate it at once) and one data folder."""
    url = new_database(postgres)
    data = tmp_path / "data"
    data.mkdir()
    env = {"DOSSIER_DATABASE_URL": url, "DOSSIER_JOB_LEASE_S": str(LEASE_S), "DOSSIER_OPERATOR_TOKEN": OPERATOR_TOKEN}
    replicas = [ServiceProcess(data, "--no-ray", env) for _ in range(2)]
    for n, replica in enumerate(replicas):
        replica.log = tmp_path / f"replica-{n}.log"
    try:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda replica: replica.start(), replicas))
        store = JobStore(url)
        yield replicas, store, store.create_key(AGENCY, "张三")
        store.engine.dispose()
    finally:
        for replica in replicas:
            replica.kill()


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    """A small case per job, each with a page of its own (a job given another's upload would show):
    a 拘留证 and, for every other job, a two-page 讯问笔录 after it."""
    root = tmp_path_factory.mktemp("cases")
    cases = []
    for n in range(JOBS):
        pages = [WARRANT_PAGE + [(f"（第{n + 1}份）", 34, 180, 1100)]] + ([RECORD_FIRST_PAGE, RECORD_SECOND_PAGE] if n % 2 else [])
        folder = root / f"case-{n}"
        folder.mkdir()
        for p, lines in enumerate(pages, 1):
            Image.fromarray(draw_page(lines)).save(folder / f"{p:02d}.png")
        cases.append(sorted(folder.iterdir()))
    return cases


def _pid(worker: str) -> int:
    return int(worker.rsplit("-", 2)[1])  # Worker.name: host-pid-random


def _running(store: JobStore) -> dict[str, tuple[int, dict]]:
    """Each running job's replica (its process id) and progress, as the database holds them."""
    with Session(store.engine) as s:
        return {row.id: (_pid(row.owner), row.progress) for row in s.scalars(select(JobRow).where(JobRow.state == "running"))}


def _metrics(replica: ServiceProcess) -> dict[str, float]:
    response = httpx.get(f"{replica.base}/metrics", headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"}, timeout=30)
    assert response.status_code == 200
    return parse_metrics(response.text)


def test_a_replica_killed_mid_job_loses_nothing(replicas, cases, tmp_path):
    (victim, survivor), store, key = replicas
    quick = Settings(client_poll_s=0.2)
    with DossierClient(victim.base, key, quick) as one, DossierClient(survivor.base, key, quick) as other:
        jobs = [(one, other)[n % 2].submit(scans) for n, scans in enumerate(cases)]  # both front doors take uploads

        # killed while both replicas compile, once one of its jobs has begun writing its result
        deadline = time.monotonic() + 40
        while True:
            running = _running(store)
            if {pid for pid, _ in running.values()} == {victim.proc.pid, survivor.proc.pid} and any(
                    pid == victim.proc.pid and progress for pid, progress in running.values()):
                break
            assert time.monotonic() < deadline, (running, victim.log_tail(), survivor.log_tail())
            time.sleep(0.05)
        victim.kill()
        cut_off = {job for job, (pid, _) in _running(store).items() if pid == victim.proc.pid}
        assert cut_off, "the killed replica held no job"
        jobs_dir = victim.data / "jobs"
        assert any((jobs_dir / job).glob(".out.*") for job in cut_off)  # its half-written results, on the shared volume

        finished = [other.wait(job) for job in jobs]  # the survivor answers for every job, whichever door took it
        for n, job in enumerate(finished):
            other.download(job, tmp_path / f"out-{n}")
    for n, scans in enumerate(cases):
        assert_every_page_once(tmp_path / f"out-{n}", scans)

    # each job done once: the result is one attempt's, by one replica; the cut-off ones the survivor's second
    with Session(store.engine) as s:
        rows = {row.id: row for row in s.scalars(select(JobRow))}
    assert sorted(rows) == sorted(job.id for job in jobs)
    compiler = {}  # job id → the process id of the replica whose attempt made its result
    for job in finished:
        row = rows[job.id]
        (accepted,) = [e["details"] for e in AuditLog.read(jobs_dir / job.id / "out" / "audit.jsonl").entries if e["event"] == "job accepted"]
        assert row.state == "done" and row.owner is None and accepted["attempt"] == row.attempts == (2 if job.id in cut_off else 1)
        compiler[job.id] = _pid(accepted["worker"])
    assert {compiler[job] for job in cut_off} == {survivor.proc.pid}
    assert not list(jobs_dir.glob("*/.*")), "the cut-off attempts' staging folders are left on the shared volume"

    # /metrics: the job counts are the database's; the job counters are this replica's own, for Prometheus to sum
    metrics, counts = _metrics(survivor), store.count_by_state()
    assert {state: metrics[f'dossier_jobs{{state="{state}"}}'] for state in STATES} == {state: counts.get(state, 0) for state in STATES}
    assert counts == {"done": JOBS} and metrics["dossier_queue_depth"] == 0
    survivors = [n for n, job in enumerate(finished) if compiler[job.id] == survivor.proc.pid]
    assert metrics['dossier_job_seconds_count{outcome="done"}'] == len(survivors)
    assert metrics["dossier_pages_compiled_total"] == sum(len(cases[n]) for n in survivors)

"""`dossier serve` as a real process on loopback, on a local Ray (the default) and in one process:
killed mid-job, it finishes the job after a restart; 20 concurrent uploads all complete."""

import hashlib
import io
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from PIL import Image

from benchmarks.service import ServiceProcess, parse_metrics
from cataloging.catalog import validate_catalog
from casegen.synthetic import generate_case
from compiler_service.store import JobStore
from tests.conftest import WARRANT_PAGE, draw_page

pytest.importorskip("ray")

LEASE_S = 4  # a killed worker's job is queued again this long after its last renewal
OPERATOR_TOKEN = "operator-token-for-the-tests"  # for /metrics


@pytest.fixture
def service(tmp_path, request):
    data = tmp_path / "data"
    data.mkdir()
    service = ServiceProcess(data, request.param, {"DOSSIER_JOB_LEASE_S": str(LEASE_S), "DOSSIER_OPERATOR_TOKEN": OPERATOR_TOKEN})
    key = JobStore(f"sqlite:///{data / 'dossier.db'}").create_key("福田分局")
    yield service, {"Authorization": f"Bearer {key}"}
    service.kill()


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    root = tmp_path_factory.mktemp("case")
    generate_case(8, 31337, root)
    return sorted((root / "scans").iterdir())


@pytest.mark.parametrize("service", ["--ray", "--no-ray"], indirect=True)
def test_a_job_killed_mid_compile_is_finished_after_a_restart(service, case):
    service, auth = service
    service.start()
    files = [("files", (p.name, p.read_bytes())) for p in case]
    job = httpx.post(f"{service.base}/v1/dossiers", files=files, headers=auth, timeout=60).json()
    for _ in range(600):  # killed as soon as reading has begun
        if httpx.get(f"{service.base}/v1/dossiers/{job['id']}", headers=auth, timeout=30).json()["state"] == "running":
            break
        time.sleep(0.1)
    service.kill()
    service.start()
    status = service.wait(job["id"], auth)
    assert status["state"] == "done" and status["attempts"] == 2, (status, service.log_tail())
    catalog = httpx.get(f"{service.base}{status['links']['catalog']}", headers=auth, timeout=30).json()
    assert sum(len(d["pages"]) for d in catalog["documents"]) + len(catalog["excluded"]) == sum(s["pages"] for s in catalog["sources"]) == 8


@pytest.mark.parametrize("service", ["--ray"], indirect=True)
def test_twenty_concurrent_uploads_all_complete_with_their_own_pages(service):
    service, auth = service
    service.start()
    scans = []
    for n in range(20):  # a different page each: a job that got another's upload would show
        buffer = io.BytesIO()
        Image.fromarray(draw_page(WARRANT_PAGE + [(f"（第{n + 1}份）", 34, 180, 1100)])).save(buffer, "PNG")
        scans.append(buffer.getvalue())

    def upload(scan: bytes) -> httpx.Response:
        return httpx.post(f"{service.base}/v1/dossiers", files=[("files", ("scan.png", scan))], headers=auth, timeout=120)

    with ThreadPoolExecutor(20) as pool:
        responses = list(pool.map(upload, scans))
    assert [r.status_code for r in responses] == [202] * 20
    ids = [r.json()["id"] for r in responses]
    assert len(set(ids)) == 20
    listed = httpx.get(f"{service.base}/v1/dossiers", params={"limit": 50}, headers=auth, timeout=30).json()["items"]
    assert {j["id"] for j in listed} == set(ids)

    for job_id, scan in zip(ids, scans, strict=True):
        status = service.wait(job_id, auth)
        assert status["state"] == "done", (status, service.log_tail())
        catalog = httpx.get(f"{service.base}{status['links']['catalog']}", headers=auth, timeout=30).json()
        validate_catalog(catalog)
        (source,) = catalog["sources"]
        assert source["sha256"] == hashlib.sha256(scan).hexdigest()
        assert sum(len(d["pages"]) for d in catalog["documents"]) + len(catalog["excluded"]) == 1
    metrics = parse_metrics(httpx.get(f"{service.base}/metrics", headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"}, timeout=30).text)
    assert metrics['dossier_jobs{state="done"}'] == 20 == metrics["dossier_pages_compiled_total"]
    assert metrics['dossier_batch_size_sum{deployment="reader"}'] == 20  # every page went through the Reader deployment

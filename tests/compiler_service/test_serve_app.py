"""The Ray Serve application on loopback: a real local Ray, the deployments, a 10-page case."""

import time

import httpx
import pytest

from benchmarks.service import free_port
from cataloging.catalog import validate_catalog
from classification.synthetic import generate_case
from compiler_service.settings import Settings
from compiler_service.store import JobStore

ray = pytest.importorskip("ray")


def test_a_generated_case_compiles_through_the_serve_deployments(tmp_path):
    from ray import serve

    from compiler_service.serve_app import build

    generate_case(10, 2718, tmp_path / "case")
    settings = Settings(data_dir=tmp_path / "data")
    settings.data_dir.mkdir()
    key = JobStore(settings.database()).create_key("福田分局")
    auth = {"Authorization": f"Bearer {key}"}
    port = free_port()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        serve.start(http_options={"host": "127.0.0.1", "port": port})
        serve.run(build(settings), route_prefix="/")
        base = f"http://127.0.0.1:{port}"
        files = [("files", (p.name, p.read_bytes())) for p in sorted((tmp_path / "case" / "scans").iterdir())]
        job = httpx.post(f"{base}/v1/dossiers", files=files, headers=auth, timeout=60).json()
        for _ in range(1200):
            status = httpx.get(f"{base}/v1/dossiers/{job['id']}", headers=auth, timeout=30).json()
            if status["state"] in ("done", "failed"):
                break
            time.sleep(0.25)
        assert status["state"] == "done", status
        assert status["progress"]["ocr"]["done"] == status["progress"]["ocr"]["total"] == 10
        assert httpx.get(f"{base}{status['links']['pdf']}", headers=auth, timeout=30).content.startswith(b"%PDF")
        validate_catalog(httpx.get(f"{base}{status['links']['catalog']}", headers=auth, timeout=30).json())
        assert httpx.get(f"{base}/v1/dossiers", timeout=30).status_code == 401
    finally:
        serve.shutdown()
        ray.shutdown()

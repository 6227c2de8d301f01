"""The Ray Serve application on loopback: a real local Ray, the deployments, a 10-page case, and
the Ingress replica's own metrics as Ray exports them."""

import re
import time

import httpx
import pytest

from benchmarks.service import free_port, parse_metrics
from cataloging.catalog import validate_catalog
from casegen.synthetic import generate_case
from compiler_service.settings import Settings
from compiler_service.store import JobStore

ray = pytest.importorskip("ray")


def _summed(samples: dict[str, float], name: str, label: str = "") -> float:
    """A series summed over Ray's per-process labels (WorkerId, NodeAddress, ...), as a PromQL sum() would."""
    return sum(value for series, value in samples.items() if re.fullmatch(rf"{name}(\{{.*\}})?", series) and label in series)


def test_a_generated_case_compiles_through_the_serve_deployments(tmp_path, monkeypatch):
    from ray import serve

    from compiler_service.serve_app import build

    generate_case(10, 2718, tmp_path / "case")
    settings = Settings(data_dir=tmp_path / "data")
    settings.data_dir.mkdir()
    key = JobStore(settings.database()).create_key("福田分局")
    auth = {"Authorization": f"Bearer {key}"}
    port, exporter = free_port(), free_port()
    monkeypatch.setenv("RAY_metrics_report_interval_ms", "500")  # Ray's processes report their metrics this often (10 s by default)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, _metrics_export_port=exporter)
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

        # the Ingress replica's own series, as Prometheus scrapes them from Ray on every node when
        # /metrics (which answers from one replica at random) cannot give every replica's
        for _ in range(60):
            exported = parse_metrics(httpx.get(f"http://127.0.0.1:{exporter}/metrics", timeout=30).text)
            if _summed(exported, "ray_dossier_pages_compiled_total"):
                break
            time.sleep(0.5)
        assert _summed(exported, "ray_dossier_pages_compiled_total") == 10
        assert _summed(exported, "ray_dossier_job_seconds_count", 'outcome="done"') == 1
        assert _summed(exported, "ray_dossier_batch_size_count", 'deployment="labeler"') == 1  # one job, one call
        assert _summed(exported, "ray_dossier_batch_size_sum", 'deployment="reader"') == 10  # every page through the Reader, summed exactly
        assert _summed(exported, "ray_dossier_stage_seconds_count", 'stage="ocr"') == 1
    finally:
        serve.shutdown()
        ray.shutdown()

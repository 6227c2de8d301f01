"""`dossier serve` as a real process on loopback: a job compiles; killed mid-job, it finishes after a restart."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from classification.synthetic import generate_case
from compiler_service.store import JobStore


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(data: Path, port: int) -> subprocess.Popen:
    env = os.environ | {"DOSSIER_DATA_DIR": str(data)}
    proc = subprocess.Popen([sys.executable, "-m", "compiler_service.cli", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError("the service did not start")


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    root = tmp_path_factory.mktemp("case")
    generate_case(8, 31337, root)
    return sorted((root / "scans").iterdir())


def test_a_job_killed_mid_compile_is_finished_after_a_restart(case, tmp_path):
    data, port = tmp_path / "data", _free_port()
    data.mkdir()
    key = JobStore(f"sqlite:///{data / 'dossier.db'}").create_key("福田分局")
    auth = {"Authorization": f"Bearer {key}"}
    base = f"http://127.0.0.1:{port}"
    proc = _start(data, port)
    try:
        files = [("files", (p.name, p.read_bytes())) for p in case]
        job = httpx.post(f"{base}/v1/dossiers", files=files, headers=auth, timeout=60).json()
        for _ in range(600):  # killed as soon as reading has begun
            if httpx.get(f"{base}/v1/dossiers/{job['id']}", headers=auth).json()["state"] == "running":
                break
            time.sleep(0.1)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        proc = _start(data, port)
        for _ in range(1200):
            status = httpx.get(f"{base}/v1/dossiers/{job['id']}", headers=auth).json()
            if status["state"] in ("done", "failed"):
                break
            time.sleep(0.25)
        assert status["state"] == "done" and status["attempts"] == 2
        catalog = httpx.get(f"{base}{status['links']['catalog']}", headers=auth).json()
        assert sum(len(d["pages"]) for d in catalog["documents"]) + len(catalog["excluded"]) == sum(s["pages"] for s in catalog["sources"])
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

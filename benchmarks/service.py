"""The compile service's throughput: N concurrent jobs through a real `dossier serve` on loopback
(a local Ray and the Serve app, or one process with --no-ray), pages per second sustained from the
first upload to the last finished job, and how the Reader batched pages across jobs.

    .venv/bin/python -m benchmarks.service --jobs 8 --pages 10 [--service-jobs 4] [--read-ahead 4] [--no-ray]

Writes benchmarks/results/service-<date>-<mode>.json and prints the summary.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from casegen.synthetic import generate_case
from compiler_service.store import JobStore


def free_port() -> int:
    """A free port below the kernel's ephemeral range: a port from bind(0) can be handed out
    again at once, to one of the many that Ray's processes open while starting."""
    while True:
        port = random.randrange(20000, 32000)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


def tail(log: Path, lines: int = 40) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""


def wait_until_ready(proc: subprocess.Popen, ready: Callable[[], bool], log: Path, what: str, timeout_s: float) -> None:
    """Return once `ready()`; raise with the log's tail when the process exits or time runs out."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if ready():
            return
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited while starting (status {proc.returncode}):\n{tail(log)}")
        time.sleep(0.2)
    raise RuntimeError(f"{what} was not ready in {timeout_s:.0f} s:\n{tail(log)}")


class ServiceProcess:
    """`dossier serve` in its own session on a free loopback port; `kill` takes the whole
    process group down (Ray's processes included), as a crash would."""

    def __init__(self, data: Path, mode: str = "--ray", env: dict[str, str] | None = None):
        self.data, self.mode, self.env = data, mode, env or {}
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.log = data.with_name(f"{data.name}-serve.log")  # every start appends its output here

    def start(self, timeout_s: float = 120) -> None:
        env = os.environ | {"DOSSIER_DATA_DIR": str(self.data)} | self.env
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "compiler_service.cli", "serve", "--port", str(self.port), self.mode],
                                         env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_until_ready(self.proc, self.answers, self.log, "the service", timeout_s)

    def log_tail(self, lines: int = 40) -> str:
        return tail(self.log, lines)

    def answers(self) -> bool:
        try:
            return httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def kill(self, timeout_s: float = 60) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        deadline = time.monotonic() + timeout_s
        while self.answers():  # Ray's replicas notice within seconds that their node is gone
            if time.monotonic() > deadline:
                raise RuntimeError(f"the killed service still answers:\n{self.log_tail()}")
            time.sleep(0.2)

    def wait(self, job_id: str, headers: dict, timeout_s: float = 900) -> dict:
        """The job's status once it is done or failed."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                status = httpx.get(f"{self.base}/v1/dossiers/{job_id}", headers=headers, timeout=30).json()
            except httpx.TransportError as exc:
                raise RuntimeError(f"the service stopped answering ({exc}):\n{self.log_tail()}") from exc
            if status["state"] in ("done", "failed"):
                return status
            time.sleep(0.25)
        raise TimeoutError(f"job {job_id} is still {status['state']}:\n{self.log_tail()}")


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A PostgreSQL server (Debian's postgresql package) in a temporary folder on a loopback port
    while the block lasts; yields its SQLAlchemy URL, without a database (see `new_database`)."""
    initdb = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not initdb:
        raise FileNotFoundError("no PostgreSQL server here (Debian package postgresql)")
    bin_dir, root = initdb[-1].parent, Path(tempfile.mkdtemp(prefix="dossier-pg-"))
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


def new_database(server: str) -> str:
    """The URL of a new, empty database on `server` (a `throwaway_postgres` URL)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{server}/{name}"


def parse_metrics(text: str) -> dict[str, float]:
    samples = (line.rsplit(" ", 1) for line in text.splitlines() if line and not line.startswith("#"))
    return {name: float(value) for name, value in samples}


def run(jobs: int, pages: int, seed: int, mode: str, service_jobs: int, read_ahead: int, out_dir: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="dossier-bench-") as tmp:
        root = Path(tmp)
        generate_case(pages, seed, root / "case")
        scans = sorted((root / "case" / "scans").iterdir())
        files = [("files", (p.name, p.read_bytes())) for p in scans]
        (root / "data").mkdir()
        key = JobStore(f"sqlite:///{root / 'data' / 'dossier.db'}").create_key("benchmark")
        headers = {"Authorization": f"Bearer {key}"}
        operator = secrets.token_hex(16)  # /metrics is the operator's
        service = ServiceProcess(root / "data", mode, {"DOSSIER_SERVICE_JOBS": str(service_jobs), "DOSSIER_READ_AHEAD": str(read_ahead),
                                                       "DOSSIER_OPERATOR_TOKEN": operator})
        started = time.perf_counter()
        service.start()
        startup_s = time.perf_counter() - started
        try:
            start = time.perf_counter()
            with ThreadPoolExecutor(jobs) as pool:
                ids = list(pool.map(lambda _: httpx.post(f"{service.base}/v1/dossiers", files=files, headers=headers, timeout=300).json()["id"],
                                    range(jobs)))
            states = [service.wait(job_id, headers)["state"] for job_id in ids]
            wall = time.perf_counter() - start
            metrics = parse_metrics(httpx.get(f"{service.base}/metrics", headers={"Authorization": f"Bearer {operator}"}, timeout=30).text)
        finally:
            service.kill()

    def mean(name: str, label: str) -> float | None:
        count = metrics.get(f'{name}_count{{{label}}}', 0)
        return round(metrics[f'{name}_sum{{{label}}}'] / count, 2) if count else None

    stages = sorted({k.split('"')[1] for k in metrics if k.startswith("dossier_stage_seconds_sum")})
    report = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}",
        "mode": "ray" if mode == "--ray" else "one process", "service_jobs": service_jobs, "read_ahead": read_ahead,
        "jobs": jobs, "pages_per_job": pages, "done": states.count("done"), "failed": states.count("failed"),
        "startup_s": round(startup_s, 1), "wall_s": round(wall, 1), "pages_per_s": round(jobs * pages / wall, 2),
        "reader_batch_mean": mean("dossier_batch_size", 'deployment="reader"'),
        "reader_batches": int(metrics.get('dossier_batch_size_count{deployment="reader"}', 0)),
        "labeler_batch_mean": mean("dossier_batch_size", 'deployment="labeler"'),
        "stage_mean_s": {stage: mean("dossier_stage_seconds", f'stage="{stage}"') for stage in stages},
        "job_mean_s": mean("dossier_job_seconds", 'outcome="done"'),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"service-{report['date']}-{report['mode'].replace(' ', '-')}"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    plot(report, stem.with_suffix(".png"))
    return report


def plot(report: dict, path: Path) -> None:
    """Mean seconds per job in each stage, with the run's throughput in the title."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    stages = {k: v for k, v in report["stage_mean_s"].items() if v}
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.barh(list(stages), list(stages.values()), color="#4a7ab5")
    ax.set_xlabel("mean seconds per job")
    ax.set_title(f"{report['jobs']} concurrent jobs × {report['pages_per_job']} pages, {report['mode']}: "
                 f"{report['pages_per_s']} pages/s", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=8, help="concurrent uploads")
    parser.add_argument("--pages", type=int, default=10, help="pages per generated case")
    parser.add_argument("--seed", type=int, default=4242)
    parser.add_argument("--service-jobs", type=int, default=2, help="jobs the worker compiles at once")
    parser.add_argument("--read-ahead", type=int, default=2, help="pages of a job in OCR at once")
    parser.add_argument("--no-ray", dest="mode", action="store_const", const="--no-ray", default="--ray")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    args = parser.parse_args()
    report = run(args.jobs, args.pages, args.seed, args.mode, args.service_jobs, args.read_ahead, args.out)
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()

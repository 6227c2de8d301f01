"""Load and crash test of the compile service on loopback: many concurrent uploads, the service
killed (SIGKILL, its whole process group) and started again in the middle, then the books
balanced: every accepted job completes or reports its failure, no page is lost, none is taken
from another job, and no job is duplicated (clients resend with the same Idempotency-Key when the
service is away).

    .venv/bin/python -m benchmarks.load --jobs 24 --clients 8 --kill-after 25 [--ray]

Bounded: each client gives up after --deadline seconds. Writes benchmarks/results/load-DATE.json
and prints the summary; exits 1 if the books do not balance.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import httpx

from benchmarks.service import ServiceProcess
from casegen.synthetic import generate_case
from compiler_service.store import JobStore


class Client:
    """One case center's uploader: submits a job, polls it to its end, and rides out the outage."""

    def __init__(self, service: ServiceProcess, headers: dict, deadline: float):
        self.service, self.headers, self.deadline = service, headers, deadline
        self.resends = 0

    def _call(self, method: str, path: str, headers: dict | None = None, **kwargs) -> httpx.Response:
        while time.monotonic() < self.deadline:
            try:
                response = httpx.request(method, f"{self.service.base}{path}", headers=headers or self.headers, timeout=60, **kwargs)
                if response.status_code < 500 and response.status_code != 429:
                    return response
            except httpx.TransportError:
                pass  # the service is down: try again, as a real client would
            self.resends += 1
            time.sleep(0.5 + random.random())
        raise TimeoutError(f"{method} {path}: no answer before the deadline")

    def run(self, n: int, files: list[Path]) -> dict:
        upload = [("files", (f.name, f.read_bytes())) for f in files]
        started = time.monotonic()
        submitted = self._call("POST", "/v1/dossiers", files=upload, headers=self.headers | {"Idempotency-Key": f"load-{n}"})
        if submitted.status_code not in (200, 202):
            return {"n": n, "accepted": False, "status": submitted.status_code}
        job_id = submitted.json()["id"]
        while True:
            status = self._call("GET", f"/v1/dossiers/{job_id}").json()
            if status["state"] in ("done", "failed"):
                break
            time.sleep(0.5)
        out = {"n": n, "accepted": True, "id": job_id, "state": status["state"], "attempts": status["attempts"],
               "error": status.get("error"), "seconds": round(time.monotonic() - started, 1), "resends": self.resends,
               "sent": [hashlib.sha256(f.read_bytes()).hexdigest() for f in files]}
        if status["state"] == "done":
            out["catalog"] = self._call("GET", f"/v1/dossiers/{job_id}/catalog").json()
        return out


def balance(results: list[dict], pages_sent: dict[int, int], store: JobStore, agency: str) -> dict:
    """What the run must show: every accepted job ended, every page of each done job in its catalog
    exactly once and from its own upload, one job per Idempotency-Key."""
    problems = []
    accepted = [r for r in results if r["accepted"]]
    for r in accepted:
        if r["state"] == "failed" and not r["error"]:
            problems.append(f"job {r['n']} failed without saying why")
        if r["state"] != "done":
            continue
        catalog = r["catalog"]
        if [s["sha256"] for s in catalog["sources"]] != r["sent"]:
            problems.append(f"job {r['n']}: its catalog names other sources than it sent")
        listed = [p["source"] for d in catalog["documents"] for p in d["pages"]] + [e["source"] for e in catalog["excluded"]]
        keys = sorted((p["file"], p["page"]) for p in listed)
        if len(keys) != len(set(keys)) or len(keys) != pages_sent[r["n"]]:
            problems.append(f"job {r['n']}: {len(keys)} pages in its catalog ({len(set(keys))} distinct), {pages_sent[r['n']]} sent")
    stored = store.list(agency, 0, 10_000)
    ids = {r["id"] for r in accepted}
    if len(stored) != len(accepted) or {j.id for j in stored} != ids:
        problems.append(f"{len(stored)} jobs stored for {len(accepted)} accepted uploads")
    return {"problems": problems, "stored_jobs": len(stored)}


def run(jobs: int, clients: int, kill_after: float, down_s: float, mode: str, deadline_s: float, out_dir: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="dossier-load-") as tmp:
        root = Path(tmp)
        generate_case(6, 777, root / "case")
        scans = sorted((root / "case" / "scans").iterdir())
        truth = json.loads((root / "case" / "truth.json").read_text(encoding="utf-8"))
        pages_of = {s["name"]: s["pages"] for s in truth["sources"]}
        (root / "data").mkdir()
        store = JobStore(f"sqlite:///{root / 'data' / 'dossier.db'}")
        agency = "load-test"
        headers = {"Authorization": f"Bearer {store.create_key(agency)}"}
        # a lease of 10 s: a job cut off by the kill goes back to the queue 10 s later
        service = ServiceProcess(root / "data", mode, {"DOSSIER_JOB_LEASE_S": "10", "DOSSIER_SERVICE_JOBS": "2"})
        service.start()
        plan = {n: scans[n % len(scans): n % len(scans) + 1 + n % 2] for n in range(jobs)}  # one or two files each
        pages_sent = {n: sum(pages_of[f.name] for f in files) for n, files in plan.items()}
        events: dict[str, float] = {}
        start = time.monotonic()

        def crash() -> None:
            time.sleep(kill_after)
            events["killed_at_s"] = round(time.monotonic() - start, 1)
            service.kill()
            time.sleep(down_s)
            service.start()
            events["back_at_s"] = round(time.monotonic() - start, 1)

        killer = threading.Thread(target=crash)
        killer.start()
        try:
            deadline = time.monotonic() + deadline_s
            with ThreadPoolExecutor(clients) as pool:
                results = list(pool.map(lambda n: Client(service, headers, deadline).run(n, plan[n]), range(jobs)))
            killer.join()
            wall = time.monotonic() - start
            books = balance(results, pages_sent, store, agency)
        finally:
            killer.join()
            service.kill()
            if any(r.get("error") for r in results if r.get("accepted")):  # keep the service's log to see why
                out_dir.mkdir(parents=True, exist_ok=True)
                (out_dir / f"load-{date.today().isoformat()}-service.log").write_text(service.log_tail(2000))
    accepted = [r for r in results if r["accepted"]]
    done = [r for r in accepted if r["state"] == "done"]
    report = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}",
        "mode": "ray" if mode == "--ray" else "one process", "jobs": jobs, "clients": clients, **events,
        "accepted": len(accepted), "done": len(done), "failed": len(accepted) - len(done),
        "pages_done": sum(pages_sent[r["n"]] for r in done), "wall_s": round(wall, 1),
        "pages_per_s": round(sum(pages_sent[r["n"]] for r in done) / wall, 2),
        "jobs_tried_again": sum(r["attempts"] > 1 for r in accepted), "client_resends": sum(r["resends"] for r in results),
        "stored_jobs": books["stored_jobs"], "problems": books["problems"], "balanced": not books["problems"],
        "errors": sorted({r["error"] for r in accepted if r.get("error")}),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"load-{report['date']}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=24)
    parser.add_argument("--clients", type=int, default=8, help="uploads in flight at once")
    parser.add_argument("--kill-after", type=float, default=25, help="seconds after the first upload")
    parser.add_argument("--down", type=float, default=3, help="seconds the service stays down")
    parser.add_argument("--deadline", type=float, default=900, help="seconds a client waits for its job at most")
    parser.add_argument("--ray", dest="mode", action="store_const", const="--ray", default="--no-ray")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    args = parser.parse_args()
    report = run(args.jobs, args.clients, args.kill_after, args.down, args.mode, args.deadline, args.out)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    raise SystemExit(0 if report["balanced"] else 1)


if __name__ == "__main__":
    main()

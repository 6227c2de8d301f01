"""The compile API under Schemathesis, an OpenAPI property-based fuzzer: `dossier serve --no-ray`
with a fresh data folder and API key, on SQLite or on a throwaway PostgreSQL server (Debian's
postgresql package), fuzzed for N seconds in every phase with every check. The figures are read
back from Schemathesis' event log: requests, answers by status, server errors, undocumented
statuses, and failures of each check.

    .venv/bin/python -m benchmarks.fuzz_api --seconds 600 --db postgresql

Writes benchmarks/results/fuzz-api-<date>-<db>.json and .md and prints the summary; exits 1 when
the service answered a 5xx, an undocumented status or a non-conforming response.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from contextlib import ExitStack
from datetime import date
from pathlib import Path

import httpx

from benchmarks.service import ServiceProcess, new_database, tail, throwaway_postgres
from compiler_service.store import JobStore

RESULTS = Path(__file__).parent / "results"
# a response that breaks one of these tells a client something untrue about the API
CONFORMANCE = ("status_code_conformance", "content_type_conformance", "response_headers_conformance", "response_schema_conformance")
# Generated Idempotency-Keys repeat ("0", "a") with other files, and 422 is the documented answer to
# that (the IETF Idempotency-Key draft's); the positive-data check would count it as valid input refused.
CONFIG = """
[[operations]]
include-path = "/v1/dossiers"
include-method = "POST"
checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]
"""


def fuzz(seconds: int, db: str, work: Path, seed: int = 20261205, workers: int = 2) -> dict:
    """Fuzz a fresh service on `db` (sqlite or postgresql) for `seconds`; the summary."""
    data = work / "data"
    data.mkdir(parents=True)
    with ExitStack() as stack:
        url = f"sqlite:///{data / 'dossier.db'}" if db == "sqlite" else new_database(stack.enter_context(throwaway_postgres()))
        key = JobStore(url).create_key("fuzz")
        # no rate limit: at the fuzzer's pace the limiter would answer most requests 429 before they
        # reach the code under test (it has a test of its own); one job at a time leaves it the CPU
        operator = secrets.token_hex(16)  # the API document is the operator's; the fuzzer calls the API with the agency's key
        service = ServiceProcess(data, "--no-ray", {"DOSSIER_DATABASE_URL": url, "DOSSIER_RATE_LIMIT_PER_MINUTE": "0",
                                                    "DOSSIER_SERVICE_JOBS": "1", "DOSSIER_OPERATOR_TOKEN": operator})
        service.start()
        stack.callback(service.kill)
        (work / "schemathesis.toml").write_text(CONFIG)
        schema = httpx.get(f"{service.base}/openapi.json", headers={"Authorization": f"Bearer {operator}"}, timeout=30)
        schema.raise_for_status()
        (work / "openapi.json").write_bytes(schema.content)
        events = work / "events.ndjson"
        run = subprocess.run([Path(sys.executable).with_name("st"), "--config-file", "schemathesis.toml", "run", "openapi.json", "--url", service.base,
                              "-H", f"Authorization: Bearer {key}", "--checks", "all", "--max-time", str(seconds), "--workers", str(workers),
                              "--seed", str(seed), "--generation-database", "none", "--report", "ndjson", "--report-ndjson-path", str(events),
                              "--no-color"], cwd=work, capture_output=True, text=True)  # cwd: its caches stay in `work`
        log = service.log.read_text(errors="replace") if service.log.exists() else ""
    if not events.exists():
        raise RuntimeError(f"schemathesis did not run (status {run.returncode}):\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    summary = read_events(events) | {
        "date": date.today().isoformat(), "database": db, "seconds": seconds, "seed": seed, "workers": workers,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}",
        "schemathesis_exit_code": run.returncode,
        # the service's own account of what went wrong, without the traces (the log is in `work`)
        "service_errors": dict(Counter(line[:200] for line in log.splitlines() if re.match(r"[\w.]+(Error|Exception): ", line))),
    }
    summary["clean"] = summary["server_errors"] == 0 and not any(summary["failed_checks"].get(c) for c in CONFORMANCE)
    if not summary["clean"]:
        summary["schemathesis_output"] = run.stdout[-6000:]
        summary["service_log_tail"] = tail(service.log, 60)
    return summary


def read_events(events: Path) -> dict:
    """Requests, answers by status, and each check's failures (in test cases), from the event log."""
    statuses, failed, cases = Counter(), Counter(), 0
    with open(events, encoding="utf-8") as lines:
        for line in lines:
            event = json.loads(line)
            recorder = event.get("ScenarioFinished", {}).get("recorder")
            if not recorder:
                continue
            for interaction in recorder.get("interactions", {}).values():
                if interaction.get("response"):
                    statuses[interaction["response"]["status_code"]] += 1
            for checks in recorder.get("checks", {}).values():
                cases += 1
                failed.update({c["name"] for c in checks if c["status"] == "failure"})
    return {"requests": sum(statuses.values()), "test_cases": cases, "statuses": dict(sorted(statuses.items())),
            "server_errors": sum(n for status, n in statuses.items() if status >= 500),
            "undocumented_statuses": failed["status_code_conformance"],
            "conformance_failures": sum(failed[c] for c in CONFORMANCE if c != "status_code_conformance"),
            "failed_checks": dict(sorted(failed.items()))}


def markdown(summary: dict) -> str:
    rows = [("requests", summary["requests"]), ("test cases", summary["test_cases"]), ("server errors (5xx)", summary["server_errors"]),
            ("undocumented statuses", summary["undocumented_statuses"]),
            ("conformance failures (schema, content type, headers)", summary["conformance_failures"])]
    rows += [(f"check failed: {name}", n) for name, n in summary["failed_checks"].items()]
    return "\n".join([
        f"# Schemathesis against `dossier serve --no-ray` on {summary['database']}, {summary['date']}", "",
        f"{summary['seconds']} s, seed {summary['seed']}, {summary['workers']} workers, every check; {summary['machine']}.", "",
        "| | |", "|---|---:|", *(f"| {name} | {value} |" for name, value in rows), "",
        "Answers by status: " + ", ".join(f"{status}: {n}" for status, n in summary["statuses"].items()), ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--seed", type=int, default=20261205)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dossier-fuzz-api-"))
    summary = fuzz(args.seconds, args.db, work, args.seed, args.workers)
    if summary["clean"]:
        shutil.rmtree(work, ignore_errors=True)
    else:  # kept for a look: the service's log and every request in Schemathesis' event log
        summary["work"] = str(work)
    RESULTS.mkdir(exist_ok=True)
    stem = RESULTS / f"fuzz-api-{summary['date']}-{args.db}"
    stem.with_suffix(".json").write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
    stem.with_suffix(".md").write_text(markdown(summary), encoding="utf-8")
    print(markdown(summary))
    sys.exit(0 if summary["clean"] else 1)


if __name__ == "__main__":
    main()

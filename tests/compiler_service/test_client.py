"""The client (`compiler_service.client`, `dossier submit`) against a real `dossier serve --no-ray`
on loopback: results downloaded whole, retries that make no second job, the service killed and
restarted mid-job, and one-line errors with their exit codes."""

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image
from typer.testing import CliRunner

from benchmarks.service import ServiceProcess, free_port
from cataloging.catalog import validate_catalog
from cataloging.manifest import pdf_pages
from compiler_service.cli import app
from compiler_service.client import DossierClient, JobFailed, ServiceError
from compiler_service.settings import Settings
from compiler_service.store import JobStore
from ocr.ingest import sha256_file
from tests.conftest import RECORD_FIRST_PAGE, RECORD_SECOND_PAGE, WARRANT_PAGE, draw_page

LEASE_S = 2  # a killed worker's job is queued again this long after its last renewal
AGENCY = "福田分局"
runner = CliRunner()


@pytest.fixture
def service(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    store = JobStore(f"sqlite:///{data / 'dossier.db'}")
    service = ServiceProcess(data, "--no-ray", {"DOSSIER_JOB_LEASE_S": str(LEASE_S)})
    yield service, store, store.create_key(AGENCY)
    service.kill()


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    """Three one-page scans: a two-page 讯问笔录 and a 拘留证."""
    folder = tmp_path_factory.mktemp("scans")
    for n, lines in enumerate((RECORD_FIRST_PAGE, RECORD_SECOND_PAGE, WARRANT_PAGE), 1):
        Image.fromarray(draw_page(lines)).save(folder / f"{n:02d}.png")
    return sorted(folder.iterdir())


def quick() -> Settings:
    return Settings(client_poll_s=0.2)


def assert_every_page_once(out, scans):
    """Each scan arrived as uploaded, in order, and each of its pages is once in the catalog and once in the PDF."""
    catalog = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    validate_catalog(catalog)
    assert [(s["sha256"], s["pages"]) for s in catalog["sources"]] == [(sha256_file(scan), 1) for scan in scans]
    every = [{"file": f, "page": 1} for f in range(len(scans))]
    placed = [p["source"] for d in catalog["documents"] for p in d["pages"]] + [e["source"] for e in catalog["excluded"]]
    assert sorted(placed, key=lambda s: s["file"]) == every
    in_pdf = [p["source"] for p in pdf_pages(out / "dossier.pdf") if p["source"]]
    assert sorted((s["file"], s["page"]) for s in in_pdf) == [(s["file"], s["page"]) for s in every]


def test_submit_wait_download_from_python(service, scans, tmp_path):
    service, store, key = service
    service.start()
    seen = []
    with DossierClient(service.base, key, quick()) as client:
        job = client.submit(scans)
        assert job.state == "queued"
        done = client.wait(job, lambda stage, n, total: seen.append((stage, n, total)))
        files = client.download(done, tmp_path / "out")
    assert sorted(f.name for f in files) == ["catalog.json", "dossier.pdf", "manifest.json", "manifest.sig"]
    assert all(f.stat().st_size for f in files) and [p.name for p in (tmp_path).iterdir() if p.name.startswith(".")] == []
    assert ("ocr", 3, 3) in seen and seen[-1][0] == "assemble" and seen[-1][1] == seen[-1][2]
    assert_every_page_once(tmp_path / "out", scans)
    assert [d["type"] for d in json.loads((tmp_path / "out" / "catalog.json").read_text())["documents"]] == \
        ["detention_warrant", "interrogation_record"]


def test_uploads_retried_while_the_service_is_away_or_busy_make_one_job(service, tmp_path):
    service, store, key = service
    # a burst of one request: the upload right after the client's first look is answered 429
    service.env |= {"DOSSIER_RATE_LIMIT_PER_MINUTE": "60", "DOSSIER_RATE_LIMIT_BURST": "1"}
    scan = tmp_path / "warrant.png"  # bilevel, 12 KB: refused uploads over 64 KiB are answered 413 (see api.py's body limit)
    Image.fromarray(draw_page(WARRANT_PAGE)).convert("1", dither=Image.Dither.NONE).save(scan)
    with DossierClient(service.base, key, quick()) as client, ThreadPoolExecutor(1) as pool:
        first = pool.submit(client.submit, [scan], "case-42")
        time.sleep(1)
        assert not first.done()  # refused connections, tried again ...
        service.start()
        first = first.result(60)  # ... until the service is up
        started = time.monotonic()
        again = client.submit([scan], "case-42")  # as after a lost answer: the same submission again
        assert again.id == first.id and time.monotonic() - started >= 2  # its look and its upload waited out Retry-After
    assert [j.id for j in store.list(AGENCY, 0, 10)] == [first.id]


def test_submit_survives_the_service_killed_and_restarted_mid_job(service, scans, tmp_path):
    service, store, key = service
    service.start()
    out, log = tmp_path / "out", tmp_path / "submit.log"
    env = os.environ | {"DOSSIER_API_KEY": key, "DOSSIER_CLIENT_POLL_S": "0.2"}
    with open(log, "wb") as sink:
        submit = subprocess.Popen([sys.executable, "-m", "compiler_service.cli", "submit", *map(str, scans), "--server", service.base,
                                   "--output", str(out)], env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while not [j for j in store.list(AGENCY, 0, 10) if j.state == "running"]:  # killed as soon as it compiles
            assert submit.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        service.kill()
        service.start()  # the same port and data folder
        assert submit.wait(60) == 0, log.read_text()
    finally:
        if submit.poll() is None:
            submit.kill()
    (job,) = store.list(AGENCY, 0, 10)
    # cut off once by the kill; a loaded machine may let a lease of 2 s run out once more: still one job
    assert job.state == "done" and job.attempts >= 2, service.log_tail()
    assert f"job {job.id} done" in log.read_text()
    assert_every_page_once(out, scans)


def test_submit_errors_are_one_line_with_their_exit_code(service, scans, tmp_path, monkeypatch):
    service, store, key = service
    service.start()
    monkeypatch.setenv("DOSSIER_CLIENT_POLL_S", "0.2")
    out = str(tmp_path / "out")

    # refused before anything is uploaded: the download would replace the folder the scans are in
    into_scans = runner.invoke(app, ["submit", str(scans[0]), "--server", service.base, "--key", key, "--output", str(scans[0].parent)])
    assert into_scans.exit_code == 2 and "not empty and not an earlier dossier result" in into_scans.output
    (tmp_path / "notes.txt").write_text("not a scan")
    not_a_scan = runner.invoke(app, ["submit", str(tmp_path / "notes.txt"), "--server", service.base, "--key", key, "--output", out])
    assert not_a_scan.exit_code == 2 and "notes.txt: its content is not PDF" in not_a_scan.output

    bad_key = runner.invoke(app, ["submit", str(scans[0]), "--server", service.base, "--key", "dsk_nope_nope", "--output", out])
    assert bad_key.exit_code == 2 and "refused the API key" in bad_key.output

    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4\ngarbage")
    failed = runner.invoke(app, ["submit", str(tmp_path / "bad.pdf"), "--server", service.base, "--key", key, "--output", out])
    assert failed.exit_code == 1 and "failed" in failed.output and "bad.pdf" in failed.output

    monkeypatch.setenv("DOSSIER_CLIENT_PATIENCE_S", "1")
    away = runner.invoke(app, ["submit", str(scans[0]), "--server", f"http://127.0.0.1:{free_port()}", "--key", key, "--output", out])
    assert away.exit_code == 2 and "could not take the request for 1 s" in away.output and "ConnectError" in away.output

    assert not (tmp_path / "out").exists()
    assert [j.state for j in store.list(AGENCY, 0, 10)] == ["failed"]


def test_the_python_client_raises_what_the_cli_reports(service, tmp_path):
    service, _, key = service
    service.start()
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4\ngarbage")
    with DossierClient(service.base, key, quick()) as client:
        job = client.submit([tmp_path / "bad.pdf"])
        with pytest.raises(JobFailed, match="bad.pdf") as failed:
            client.wait(job)
        assert failed.value.job.state == "failed"
        with pytest.raises(ServiceError, match="nothing to download"):
            client.download(failed.value.job, tmp_path / "out")
    with pytest.raises(ServiceError, match="http:// or https://"):
        DossierClient("127.0.0.1:8000", key)

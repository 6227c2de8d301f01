"""Case files are evidence: the service and the CLI keep them for their own account alone (folders
0700, files 0600, whatever the login's umask), a job's uploaded scans go once it is done, and a
review names the person who made it. A real service compiles a real page here."""

import io
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from ocr.output import atomic_folder
from compiler_service.api import create_app
from compiler_service.settings import Settings
from compiler_service.storage import delete_uploads
from compiler_service.store import JobStore
from tests.conftest import WARRANT_PAGE, draw_page

ORIGIN = "http://testserver"  # TestClient's own: the review login wants a same-site post


def _modes(root: Path) -> dict[str, str]:
    """Every folder and file under `root` (itself included) that is not owner-only, with its mode."""
    paths = [root, *root.rglob("*")]
    return {str(p.relative_to(root)): oct(p.stat().st_mode & 0o777) for p in paths
            if p.stat().st_mode & 0o777 != (0o700 if p.is_dir() else 0o600)}


@pytest.fixture
def login_umask():
    """The usual umask of a login (files 0644): what the service and the CLI must not keep."""
    before = os.umask(0o022)
    yield
    os.umask(before)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A data folder as an earlier version left it (0755, the database 0644), the service started on
    it under a login's umask, and one page uploaded and compiled by its worker."""
    data = tmp_path_factory.mktemp("service") / "data"
    data.mkdir(mode=0o755)
    (data / "dossier.db").touch()
    data.chmod(0o755)
    (data / "dossier.db").chmod(0o644)
    before = os.umask(0o022)
    try:
        settings = Settings(data_dir=data, upload_max_bytes=5_000_000, service_jobs=1)
        app = create_app(settings, worker=True)
        store = app.state.store
        key = store.create_key("福田分局", "张三")
        auth = {"Authorization": f"Bearer {key}"}
        page = io.BytesIO()
        Image.fromarray(draw_page(WARRANT_PAGE)).save(page, "PNG")
        with TestClient(app) as client:
            job_id = client.post("/v1/dossiers", files=[("files", ("01.png", page.getvalue()))], headers=auth).json()["id"]
            deadline = time.monotonic() + 120
            while (client.get(f"/v1/dossiers/{job_id}", headers=auth).json()["state"] != "done"
                   or (data / "jobs" / job_id / "uploads").exists()):  # deleted right after the job ends
                assert time.monotonic() < deadline, "the job did not end, or its uploads stayed"
                time.sleep(0.2)
            yield settings, store, client, key, job_id
    finally:
        os.umask(before)


def test_everything_the_service_keeps_is_for_its_own_account_alone(served):
    settings, _, _, _, job_id = served
    assert _modes(settings.data_dir) == {}
    assert (settings.data_dir / "jobs" / job_id / "out" / "dossier.pdf").exists()


def test_a_jobs_uploads_are_deleted_once_it_is_done_and_its_dossier_kept(served):
    settings, store, client, key, job_id = served
    folder = settings.data_dir / "jobs" / job_id
    assert not (folder / "uploads").exists() and (folder / "out" / "dossier.pdf").exists()
    assert store.uploads_to_delete(0) == []  # and the store counts them gone
    pdf = client.get(f"/v1/dossiers/{job_id}/pdf", headers={"Authorization": f"Bearer {key}"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_review_names_the_person_whose_key_signed_in_and_its_files_stay_owner_only(served):
    settings, store, client, key, job_id = served
    browser = TestClient(client.app)
    assert browser.post("/review/login", data={"key": key, "next": f"/review/{job_id}/"}, headers={"Origin": ORIGIN},
                        follow_redirects=False).status_code == 303
    csrf = browser.get(f"/review/{job_id}/").text.split('name="csrf-token" content="')[1].split('"')[0]
    doc = browser.get(f"/review/{job_id}/api/state").json()["documents"][0]["id"]
    changed = browser.post(f"/review/{job_id}/api/correct", json={"op": "set_type", "args": {"doc": doc, "type": "seizure_list"}},
                           headers={"X-CSRF-Token": csrf, "Origin": ORIGIN})
    assert changed.status_code == 200, changed.text
    assert changed.json()["history"][-1]["who"] == "张三"
    saved = browser.post(f"/review/{job_id}/api/save", headers={"X-CSRF-Token": csrf, "Origin": ORIGIN})
    assert saved.status_code == 200, saved.text
    assert saved.json()["review"]["reviewed_by"] == "张三"  # the clerk, not 福田分局
    out = settings.data_dir / "jobs" / job_id / "out"
    audit = [json.loads(line) for line in (out / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["details"]["by"] for e in audit if e["event"] == "reviewed"] == ["张三"]
    assert _modes(settings.data_dir) == {}  # the rebuilt dossier, its history and corrections too

    store.revoke_key(store.authenticate(key).id)  # 张三 leaves: the key opens nothing from the next request on
    assert client.get("/v1/dossiers", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    assert browser.get(f"/review/{job_id}/api/state").status_code == 401


def test_uploads_kept_for_a_retention_go_when_it_ends(tmp_path):
    store = JobStore(f"sqlite:///{tmp_path / 'dossier.db'}")
    job, _ = store.submit("福田分局", upload_bytes=3)
    uploads = tmp_path / "jobs" / job.id / "uploads"
    uploads.mkdir(parents=True)
    (uploads / "0001-scan.pdf").write_bytes(b"pdf")
    assert delete_uploads(tmp_path / "jobs", store, kept_s=0) == 0  # a job still to compile keeps them
    store.claim("w", 60)
    store.fail(job.id, "w", "scan.pdf: not a scan")
    assert delete_uploads(tmp_path / "jobs", store, kept_s=0.5) == 0 and uploads.exists()
    time.sleep(0.6)
    assert delete_uploads(tmp_path / "jobs", store, kept_s=0.5) == 1 and not uploads.exists()
    assert store.uploads_to_delete(0) == []


def test_a_result_folder_is_not_widened_to_the_umask(tmp_path, login_umask):
    with atomic_folder(tmp_path / "out") as staging:
        (staging / "dossier.pdf").write_bytes(b"%PDF")
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o700


def test_the_cli_makes_its_files_owner_only_and_closes_an_earlier_data_folder(tmp_path, login_umask):
    data = tmp_path / "data"
    data.mkdir()
    (data / "dossier.db").touch()  # as an earlier version left them: 0755 and 0644
    created = subprocess.run([sys.executable, "-m", "compiler_service.cli", "keys", "create", "--agency", "福田分局", "--person", "张三"],
                             env=os.environ | {"DOSSIER_DATA_DIR": str(data)}, capture_output=True, text=True, timeout=120)
    assert created.returncode == 0, created.stderr
    assert _modes(data) == {}

"""Per-agency quotas at upload, through the real API on a real SQLite store: an agency past its
dossiers waiting or its stored bytes is told to wait (429, Retry-After), and only it."""

import io

from fastapi.testclient import TestClient
from PIL import Image

from compiler_service.api import create_app
from compiler_service.settings import Settings


def _scan() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (8, 8), 255).save(buffer, "PNG")
    return buffer.getvalue()


def test_an_agency_past_its_quota_is_told_to_wait_and_the_others_are_not(tmp_path):
    scan = _scan()
    settings = Settings(data_dir=tmp_path / "data", quota_jobs=1, quota_bytes=3 * len(scan))
    app = create_app(settings)
    store, client = app.state.store, TestClient(app)
    busy, other = ({"Authorization": f"Bearer {store.create_key(agency, '张三')}"} for agency in ("福田分局", "南山分局"))

    def upload(auth: dict, files: int, **headers):
        return client.post("/v1/dossiers", files=[("files", (f"{n}.png", scan)) for n in range(files)], headers=auth | headers)

    first = upload(busy, 1, **{"Idempotency-Key": "case-1"})
    assert first.status_code == 202
    waiting = upload(busy, 1)  # one dossier queued: its quota
    assert waiting.status_code == 429 and int(waiting.headers["retry-after"]) > 0
    assert "quota" in waiting.json()["detail"]
    assert upload(busy, 1, **{"Idempotency-Key": "case-1"}).json()["id"] == first.json()["id"]  # a retry of the first still answers

    full = upload(other, 4)  # more bytes than its quota at once
    assert full.status_code == 429 and int(full.headers["retry-after"]) >= 3600
    assert upload(other, 2).status_code == 202
    # the refused uploads left nothing on disk: one folder per accepted job
    assert sorted(p.name for p in (settings.data_dir / "jobs").iterdir()) == sorted(j.id for a in ("福田分局", "南山分局")
                                                                                    for j in store.list(a))

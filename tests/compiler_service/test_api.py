"""The HTTP API on a real SQLite store and the real pipeline: keys, isolation, uploads, results."""

import base64
import hashlib
import io
import json

from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from itsdangerous import URLSafeTimedSerializer
from PIL import Image
from sqlalchemy import create_engine, text

from benchmarks.service import new_database, parse_metrics
from cataloging.catalog import validate_catalog
from compiler_service.api import Worker, create_app
from compiler_service.settings import Settings
from tests.conftest import RECORD_FIRST_PAGE, WARRANT_PAGE, draw_page


def _png(lines) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(draw_page(lines)).save(buffer, "PNG")
    return buffer.getvalue()


OPERATOR = {"Authorization": "Bearer operator-token-for-the-tests"}


@pytest.fixture
def service(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", upload_max_bytes=5_000_000, operator_token=OPERATOR["Authorization"].split()[1])
    app = create_app(settings)
    store = app.state.store
    keys = {"A": store.create_key("福田分局"), "B": store.create_key("南山分局")}
    client = TestClient(app)
    return settings, store, client, {a: {"Authorization": f"Bearer {k}"} for a, k in keys.items()}


def _upload(client, headers, files, **extra):
    return client.post("/v1/dossiers", files=[("files", f) for f in files], headers=headers | extra)


def test_every_endpoint_but_health_needs_a_key(service):
    _, _, client, _ = service
    assert client.get("/healthz").status_code == 200 and client.get("/readyz").status_code == 200
    for method, path in (("get", "/v1/dossiers"), ("get", "/v1/dossiers/x"), ("get", "/v1/dossiers/x/pdf"), ("delete", "/v1/dossiers/x")):
        for headers in ({}, {"Authorization": "Bearer dsk_nope_nope"}, {"Authorization": "Basic abc"}):
            assert getattr(client, method)(path, headers=headers).status_code == 401
    assert client.post("/v1/dossiers", files=[("files", ("a.png", b"x"))]).status_code == 401


def test_an_upload_is_compiled_and_its_results_fetched_by_its_agency_only(service):
    settings, store, client, auth = service
    response = _upload(client, auth["A"], [("01.png", _png(RECORD_FIRST_PAGE)), ("02.png", _png(WARRANT_PAGE))])
    assert response.status_code == 202
    job_id = response.json()["id"]
    assert response.headers["location"] == f"/v1/dossiers/{job_id}" and response.json()["state"] == "queued"
    assert client.get(f"/v1/dossiers/{job_id}/pdf", headers=auth["A"]).status_code == 409  # not compiled yet

    worker = Worker(settings, store, client.app.state.metrics)
    worker.run(store.claim(worker.name, 60))

    status = client.get(f"/v1/dossiers/{job_id}", headers=auth["A"]).json()
    assert status["state"] == "done" and status["progress"]["ocr"] == {"done": 2, "total": 2}
    pdf = client.get(status["links"]["pdf"], headers=auth["A"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    catalog = client.get(status["links"]["catalog"], headers=auth["A"]).json()
    validate_catalog(catalog)
    assert {d["type"] for d in catalog["documents"]} == {"interrogation_record", "detention_warrant"}

    manifest = client.get(status["links"]["manifest"], headers=auth["A"]).json()
    served = client.get(status["links"]["catalog"], headers=auth["A"]).content
    assert manifest["files"]["catalog.json"] == hashlib.sha256(served).hexdigest()
    audit = [json.loads(line) for line in client.get(f"/v1/dossiers/{job_id}/files/audit.jsonl", headers=auth["A"]).text.splitlines()]
    assert [e["event"] for e in audit][:2] == ["job accepted", "compile started"] and audit[0]["details"]["agency"] == "福田分局"
    signature = client.get(status["links"]["signature"], headers=auth["A"])
    assert signature.status_code == 200 and len(base64.b64decode(signature.text)) == 64  # Ed25519
    for name in ("../../dossier.db", "..%2F..%2Fdossier.db", "catalog.json"):
        assert client.get(f"/v1/dossiers/{job_id}/files/{name}", headers=auth["A"]).status_code in (404, 422)
    for path in (f"/v1/dossiers/{job_id}", f"/v1/dossiers/{job_id}/pdf", f"/v1/dossiers/{job_id}/catalog",
                 f"/v1/dossiers/{job_id}/files/manifest.json"):
        assert client.get(path, headers=auth["B"]).status_code == 404
    assert client.delete(f"/v1/dossiers/{job_id}", headers=auth["B"]).status_code == 404
    assert client.get("/v1/dossiers", headers=auth["B"]).json()["items"] == []
    assert client.delete(f"/v1/dossiers/{job_id}", headers=auth["A"]).status_code == 204
    assert client.get(f"/v1/dossiers/{job_id}", headers=auth["A"]).status_code == 404
    assert not (settings.data_dir / "jobs" / job_id).exists()


def test_a_bad_file_fails_the_job_with_an_error_naming_it(service):
    settings, store, client, auth = service
    job_id = _upload(client, auth["A"], [("scan.pdf", b"%PDF-1.4\ngarbage")]).json()["id"]
    worker = Worker(settings, store)
    worker.run(store.claim(worker.name, 60))
    status = client.get(f"/v1/dossiers/{job_id}", headers=auth["A"]).json()
    assert status["state"] == "failed" and "scan.pdf" in status["error"]


def test_a_repeated_idempotency_key_returns_the_first_job(service):
    _, _, client, auth = service
    files = [("01.png", _png(WARRANT_PAGE))]
    first = _upload(client, auth["A"], files, **{"Idempotency-Key": "case-42"})
    again = _upload(client, auth["A"], files, **{"Idempotency-Key": "case-42"})
    assert (first.status_code, again.status_code) == (202, 200) and again.json()["id"] == first.json()["id"]
    assert len(client.get("/v1/dossiers", headers=auth["A"]).json()["items"]) == 1


def test_an_upload_over_the_limit_is_refused_and_leaves_nothing(service):
    settings, _, client, auth = service
    response = _upload(client, auth["A"], [("big.pdf", b"0" * 5_000_001)])
    assert response.status_code == 413
    # announced larger than the limit: refused before the body is read
    assert _upload(client, auth["A"], [("big.pdf", b"0" * 7_000_000)]).status_code == 413
    assert client.get("/v1/dossiers", headers=auth["A"]).json()["items"] == []
    assert [p.name for p in (settings.data_dir / "jobs").iterdir()] == []


def test_metrics_count_jobs_pages_stages_for_the_operator_only(service):
    settings, store, client, auth = service
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers=auth["A"]).status_code == 401  # every agency's activity: no agency's key opens it
    _upload(client, auth["A"], [("01.png", _png(WARRANT_PAGE))])
    _upload(client, auth["B"], [("01.png", _png(RECORD_FIRST_PAGE)), ("02.png", _png(WARRANT_PAGE))])
    before = _metrics(client, OPERATOR)
    assert before["dossier_jobs{state=\"queued\"}"] == 2 == before["dossier_queue_depth"]
    worker = Worker(settings, store, client.app.state.metrics)
    worker.run(store.claim(worker.name, 60))
    after = _metrics(client, OPERATOR)
    assert after["dossier_jobs{state=\"queued\"}"] == 1 and after["dossier_jobs{state=\"done\"}"] == 1
    assert after["dossier_pages_compiled_total"] == 1 and after["dossier_pages_per_second"] > 0
    for stage in ("rasterize", "ocr", "classify", "assemble"):
        assert after[f'dossier_stage_seconds_count{{stage="{stage}"}}'] == 1
    assert after['dossier_job_seconds_count{outcome="done"}'] == 1


def _metrics(client, headers) -> dict[str, float]:
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return parse_metrics(response.text)


def test_the_openapi_document_describes_every_endpoint_and_the_key(service):
    _, _, client, _ = service
    spec = client.get("/openapi.json", headers=OPERATOR).json()
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    operations = {(path, method): op for path, ops in spec["paths"].items() for method, op in ops.items()}
    assert set(operations) == {("/healthz", "get"), ("/readyz", "get"), ("/metrics", "get"), ("/v1/dossiers", "post"),
                               ("/v1/dossiers", "get"), ("/v1/dossiers/{job_id}", "get"), ("/v1/dossiers/{job_id}", "delete"),
                               ("/v1/dossiers/{job_id}/pdf", "get"), ("/v1/dossiers/{job_id}/catalog", "get"),
                               ("/v1/dossiers/{job_id}/files/{name}", "get")}
    for (path, _), op in operations.items():
        assert op.get("description"), path
        assert ("security" in op) == (path not in ("/healthz", "/readyz")), path
    job = spec["components"]["schemas"]["JobView"]
    assert set(job["properties"]["state"]["enum"]) == {"queued", "running", "done", "failed"}
    assert operations[("/v1/dossiers", "post")]["responses"]["202"]["content"]["application/json"]["schema"]["$ref"].endswith("/JobView")


def test_an_upload_streamed_without_a_length_is_cut_off_at_the_limit(service):
    settings, _, client, auth = service

    def body():  # chunked: the size is known only as it arrives
        boundary = b"--xyz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.pdf\"\r\n\r\n"
        yield boundary
        for _ in range(20):
            yield b"0" * 1_000_000
        yield b"\r\n--xyz--\r\n"

    response = client.post("/v1/dossiers", content=body(), headers=auth["A"] | {"Content-Type": "multipart/form-data; boundary=xyz"})
    assert "content-length" not in response.request.headers  # sent chunked
    assert response.status_code == 413
    assert client.get("/v1/dossiers", headers=auth["A"]).json()["items"] == []
    jobs = settings.data_dir / "jobs"
    assert not jobs.exists() or [p.name for p in jobs.iterdir()] == []


def test_a_key_that_sends_too_fast_is_slowed_down_alone(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", rate_limit_per_minute=60, rate_limit_burst=5)
    app = create_app(settings)
    fast, calm = (f"Bearer {app.state.store.create_key(a)}" for a in ("福田分局", "南山分局"))
    client = TestClient(app)
    codes = [client.get("/v1/dossiers", headers={"Authorization": fast}).status_code for _ in range(8)]
    assert codes[:5] == [200] * 5 and set(codes[5:]) == {429}
    refused = client.get("/v1/dossiers", headers={"Authorization": fast})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert client.get("/v1/dossiers", headers={"Authorization": calm}).status_code == 200
    # made-up keys are no one: counted together by their address, however many are tried
    guesses = [client.get("/v1/dossiers", headers={"Authorization": f"Bearer dsk_{i:012x}_guess"}).status_code for i in range(8)]
    assert guesses == [401] * 5 + [429] * 3
    assert client.get("/v1/dossiers", headers={"Authorization": calm}).status_code == 200  # a valid key from there is itself
    assert client.get("/healthz").status_code == 200  # ... and health checks are never limited


def test_an_internal_error_answers_without_a_trace(service, caplog):
    _, store, client, _ = service
    store.engine.dispose()
    store.ping = lambda: (_ for _ in ()).throw(RuntimeError("database at /secret/path is gone"))
    response = TestClient(client.app, raise_server_exceptions=False).get("/readyz")
    assert response.status_code == 500 and set(response.json()) == {"detail", "reference"}
    assert "secret" not in response.text and "Traceback" not in response.text
    assert response.json()["reference"] in caplog.text  # the trace is in the service's log, under that reference


def test_logs_carry_neither_keys_nor_page_text(service, caplog):
    settings, store, client, auth = service
    caplog.set_level("DEBUG")
    job_id = _upload(client, auth["A"], [("01.png", _png(WARRANT_PAGE))]).json()["id"]
    worker = Worker(settings, store, client.app.state.metrics)
    worker.run(store.claim(worker.name, 60))
    assert client.get(f"/v1/dossiers/{job_id}", headers=auth["A"]).json()["state"] == "done"
    logged = caplog.text
    assert auth["A"]["Authorization"].split()[1] not in logged
    assert "刘建国" not in logged and "拘留" not in logged


def test_the_review_page_is_for_the_dossier_agency_only_and_needs_the_csrf_token(service):
    settings, store, client, auth = service
    job_id = _upload(client, auth["A"], [("01.png", _png(RECORD_FIRST_PAGE)), ("02.png", _png(WARRANT_PAGE))]).json()["id"]
    worker = Worker(settings, store, client.app.state.metrics)
    worker.run(store.claim(worker.name, 60))
    compiled = client.get(f"/v1/dossiers/{job_id}", headers=auth["A"]).json()
    assert compiled["reviewed_at"] is None and compiled["reviewed_by"] is None and compiled["review_url"] == f"/review/{job_id}/"
    keys = {"A": store.create_key("福田分局", "张三"), "B": auth["B"]["Authorization"].split()[1]}  # A's clerk, by name

    def browser(agency):
        b = TestClient(client.app)
        key = keys[agency]
        signed_in = b.post("/review/login", data={"key": key, "next": f"/review/{job_id}/"}, follow_redirects=False)
        assert signed_in.status_code == 303 and "httponly" in signed_in.headers["set-cookie"].lower()
        csrf = b.get(f"/review/{job_id}/").text.split('name="csrf-token" content="')[1].split('"')[0] if agency == "A" else "x"
        return b, csrf

    refused = TestClient(client.app).post("/review/login", data={"key": "dsk_wrong", "next": f"/review/{job_id}/"})
    assert refused.status_code == 401 and "密钥无效或已被撤销" in refused.text and f'value="/review/{job_id}/"' in refused.text
    a, csrf = browser("A")
    state = a.get(f"/review/{job_id}/api/state").json()
    doc = state["documents"][0]["id"]
    assert a.post(f"/review/{job_id}/api/correct", json={"op": "set_type", "args": {"doc": doc, "type": "seizure_list"}}).status_code == 403
    changed = a.post(f"/review/{job_id}/api/correct", json={"op": "set_type", "args": {"doc": doc, "type": "seizure_list"}},
                     headers={"X-CSRF-Token": csrf})
    assert changed.status_code == 200 and changed.json()["documents"][0]["type"] == "seizure_list"

    b, _ = browser("B")  # another agency, signed in with its own key
    assert b.get(f"/review/{job_id}/").status_code == 404
    assert b.get(f"/review/{job_id}/api/state").status_code == 404
    (cookie,) = (v for k, v in b.cookies.items() if k.startswith("dossier_session_"))
    b_csrf = URLSafeTimedSerializer(b"").loads_unsafe(cookie)[1]["c"]  # B's own, valid token: still not A's dossier
    assert b.post(f"/review/{job_id}/api/save", headers={"X-CSRF-Token": b_csrf}).status_code == 404
    assert b.post(f"/review/{job_id}/api/correct", json={"op": "undo", "args": {}}, headers={"X-CSRF-Token": b_csrf}).status_code == 404
    saved = a.post(f"/review/{job_id}/api/save", headers={"X-CSRF-Token": csrf})
    assert saved.status_code == 200 and saved.json()["review"]["reviewed_by"] == "张三"
    reviewed = client.get(f"/v1/dossiers/{job_id}", headers=auth["A"]).json()  # the job follows its dossier
    assert datetime.fromisoformat(reviewed["updated"]) > datetime.fromisoformat(compiled["updated"]) and reviewed["reviewed_by"] == "张三"
    assert abs(datetime.fromisoformat(reviewed["reviewed_at"]) - datetime.fromisoformat(saved.json()["review"]["reviewed_at"])).total_seconds() < 2
    assert reviewed["review_url"] == f"/review/{job_id}/" and reviewed["documents"] == 2 and reviewed["pages"] == 2
    catalog = client.get(f"/v1/dossiers/{job_id}/catalog", headers=auth["A"]).json()
    assert catalog["review"]["corrections"] == 1 and "seizure_list" in {d["type"] for d in catalog["documents"]}
    assert client.delete(f"/v1/dossiers/{job_id}", headers=auth["A"]).status_code == 204
    assert a.get(f"/review/{job_id}/api/state").status_code == 404  # a deleted dossier is gone from review at once


def test_the_job_state_counts_the_findings_by_severity_and_follows_a_dismissal(service):
    settings, store, client, auth = service
    job_id = _upload(client, auth["A"], [("01.png", _png(RECORD_FIRST_PAGE))]).json()["id"]
    assert client.get(f"/v1/dossiers/{job_id}", headers=auth["A"]).json()["checks"] is None  # not compiled yet
    worker = Worker(settings, store, client.app.state.metrics)
    worker.run(store.claim(worker.name, 60))

    findings = client.get(f"/v1/dossiers/{job_id}/catalog", headers=auth["A"]).json()["checks"]
    missing = next(f for f in findings if f["rule"] == "missing_pages")  # 第1页 共2页, and no 第2页
    expected = {"error": 0, "warning": 0, "info": 0, "dismissed": 0}
    for f in findings:
        expected[f["severity"]] += 1
    assert expected["error"] >= 1
    assert client.get(f"/v1/dossiers/{job_id}", headers=auth["A"]).json()["checks"] == expected
    assert client.get("/v1/dossiers", headers=auth["A"]).json()["items"][0]["checks"] == expected

    # a clerk dismisses the finding in the service's review page and saves: the counts follow
    clerk = TestClient(client.app)
    clerk.post("/review/login", data={"key": auth["A"]["Authorization"].split()[1], "next": f"/review/{job_id}/"})
    csrf = clerk.get(f"/review/{job_id}/").text.split('name="csrf-token" content="')[1].split('"')[0]
    page_keys = [f"{p['file']}:{p['page']}" for p in missing["pages"]]
    state = clerk.post(f"/review/{job_id}/api/correct", headers={"X-CSRF-Token": csrf}, json={"op": "dismiss_finding", "args": {
        "rule": "missing_pages", "message": missing["message"], "pages": page_keys, "reason": "第2页在另一案卷"}}).json()
    assert next(f for f in state["findings"] if f["rule"] == "missing_pages")["dismissed"]["reason"] == "第2页在另一案卷"
    assert clerk.post(f"/review/{job_id}/api/save", headers={"X-CSRF-Token": csrf}).status_code == 200
    after = client.get(f"/v1/dossiers/{job_id}", headers=auth["A"]).json()["checks"]
    assert after == expected | {"error": expected["error"] - 1, "dismissed": 1}

    schema = client.get("/openapi.json", headers=OPERATOR).json()["components"]["schemas"]
    assert set(schema["CheckCounts"]["properties"]) == {"error", "warning", "info", "dismissed"}
    assert all(p.get("description") for p in schema["CheckCounts"]["properties"].values())
    assert {"$ref": "#/components/schemas/CheckCounts"} in schema["JobView"]["properties"]["checks"]["anyOf"]
    for field in ("updated", "reviewed_at", "reviewed_by", "review_url", "pages", "documents"):
        assert schema["JobView"]["properties"][field]["description"], field


def test_the_job_list_has_a_total_a_next_link_and_a_state_filter(service):
    settings, store, client, auth = service
    failed = _upload(client, auth["A"], [("scan.pdf", b"%PDF-1.4\ngarbage")]).json()["id"]
    worker = Worker(settings, store)
    worker.run(store.claim(worker.name, 60))
    for i in range(2):
        _upload(client, auth["A"], [(f"{i}.png", _png(WARRANT_PAGE))])
    first = client.get("/v1/dossiers?limit=2", headers=auth["A"]).json()
    assert (first["total"], len(first["items"]), first["next"]) == (3, 2, "/v1/dossiers?offset=2&limit=2")
    last = client.get(first["next"], headers=auth["A"]).json()
    assert (len(last["items"]), last["next"]) == (1, None)
    only = client.get("/v1/dossiers?state=failed", headers=auth["A"]).json()
    assert only["total"] == 1 and [j["id"] for j in only["items"]] == [failed]
    assert client.get("/v1/dossiers?state=lost", headers=auth["A"]).status_code == 422
    assert client.get("/v1/dossiers", headers=auth["B"]).json()["total"] == 0


def test_pagination_out_of_range_is_refused_not_sent_to_the_database(service):
    _, _, client, auth = service
    for query in ("offset=-1", "offset=2147483648", "offset=806328066173875809784168448", "offset=1e3", "limit=0", "limit=201"):
        refused = client.get(f"/v1/dossiers?{query}", headers=auth["A"])
        assert refused.status_code == 422, query
    furthest = client.get("/v1/dossiers?offset=2147483647&limit=200", headers=auth["A"])
    assert furthest.status_code == 200 and furthest.json()["items"] == []


def test_a_method_a_path_does_not_serve_is_405_naming_all_it_does(service):
    _, _, client, auth = service
    for method, path, allowed in (("OPTIONS", "/v1/dossiers", "GET, POST"), ("PUT", "/v1/dossiers", "GET, POST"),
                                  ("PATCH", "/v1/dossiers/x", "DELETE, GET"), ("POST", "/v1/dossiers/x/pdf", "GET"),
                                  ("OPTIONS", "/healthz", "GET")):
        answer = client.request(method, path, headers=auth["A"])
        assert (answer.status_code, answer.headers.get("allow")) == (405, allowed), (method, path)


def test_an_upload_with_no_files_or_an_unknown_field_is_refused(service):
    settings, _, client, auth = service
    scan = ("files", ("01.png", _png(WARRANT_PAGE)))
    for fields, headers in ((dict(files=[scan], data={"file": "x"}), {}),  # a misspelt field is not ignored
                            (dict(data={"foo": "bar"}), {}),
                            (dict(files=[scan], data={"files": "not a file"}), {}),
                            (dict(files=[scan]), {"Idempotency-Key": ""})):
        refused = client.post("/v1/dossiers", headers=auth["A"] | headers, **fields)
        assert refused.status_code == 422, fields
    assert client.get("/v1/dossiers", headers=auth["A"]).json()["items"] == []
    jobs = settings.data_dir / "jobs"
    assert not jobs.exists() or [p.name for p in jobs.iterdir()] == []
    long_name = "受案登记表" * 40 + ".png"  # 600 bytes as a file name: the filesystem takes at most 255
    assert _upload(client, auth["A"], [(long_name, _png(WARRANT_PAGE))]).status_code == 202


def test_the_openapi_document_names_every_answer_of_every_operation(service):
    _, _, client, _ = service
    spec = client.get("/openapi.json", headers=OPERATOR).json()
    upload = spec["components"]["schemas"]["UploadForm"]
    assert upload["required"] == ["files"] and upload["properties"]["files"]["minItems"] == 1 and upload["additionalProperties"] is False
    documented = {(path, method): set(op["responses"]) for path, ops in spec["paths"].items() for method, op in ops.items()}
    assert documented[("/v1/dossiers", "post")] == {"200", "202", "400", "401", "409", "413", "422", "429", "503"}
    assert documented[("/v1/dossiers", "get")] == {"200", "401", "422", "429", "503"}
    assert {"401", "404", "409", "429", "503"} <= documented[("/v1/dossiers/{job_id}/pdf", "get")]
    assert documented[("/readyz", "get")] == {"200", "503"}
    for (path, method), statuses in documented.items():
        for status in statuses & {"429", "503"}:
            assert spec["paths"][path][method]["responses"][status]["headers"]["Retry-After"]["required"], (path, status)


def test_a_database_gone_is_503_with_retry_after_not_500(tmp_path, postgres):
    database_url = new_database(postgres)
    app = create_app(Settings(data_dir=tmp_path / "data", database_url=database_url))
    headers = {"Authorization": f"Bearer {app.state.store.create_key('福田分局')}"}
    client = TestClient(app, raise_server_exceptions=False)
    assert client.get("/v1/dossiers", headers=headers).status_code == 200
    admin = create_engine(f"{postgres}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:  # its connections cut, the database dropped
        conn.execute(text(f'DROP DATABASE "{database_url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()
    for answer in (client.get("/v1/dossiers", headers=headers), client.get("/readyz"),
                   _upload(client, headers, [("01.png", b"x")], **{"Idempotency-Key": "k"})):  # the key checked before the body is read
        assert answer.status_code == 503 and int(answer.headers["retry-after"]) >= 1, answer.text


def test_the_review_list_shows_the_agency_jobs_and_its_upload_form_queues_one_as_the_api_does(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", quota_jobs=1)
    app = create_app(settings)
    key, other = app.state.store.create_key("福田分局", "张三"), app.state.store.create_key("南山分局")
    theirs = TestClient(app).post("/v1/dossiers", files=[("files", ("01.png", _png(WARRANT_PAGE)))], headers={"Authorization": f"Bearer {other}"})
    clerk = TestClient(app)
    assert clerk.get("/review/", follow_redirects=False).headers["location"] == "/review/login?next=/review/"
    clerk.post("/review/login", data={"key": key, "next": "/review/"})
    page = clerk.get("/review/")
    assert page.status_code == 200 and "上传扫描件" in page.text
    csrf = page.text.split('name="csrf-token" content="')[1].split('"')[0]
    assert clerk.get("/review/api/jobs").json()["items"] == []  # another agency's job is not listed

    def upload(name, headers=None):
        return clerk.post("/review/api/upload", files=[("files", (name, _png(WARRANT_PAGE)))], headers={"X-CSRF-Token": csrf} | (headers or {}))

    assert upload("01.png", {"X-CSRF-Token": "wrong"}).status_code == 403
    assert upload("01.png", {"Origin": "https://elsewhere.example"}).status_code == 403
    refused = upload("笔录.docx")
    assert refused.status_code == 422 and "不支持的文件：笔录.docx" in refused.json()["detail"]
    made = upload("01.png")  # larger than the review pages' other requests may be (64 KiB): the upload's own limits
    assert made.status_code == 202 and len(_png(WARRANT_PAGE)) > 64 << 10
    listed = clerk.get("/review/api/jobs").json()
    assert listed["total"] == 1 and [(j["id"], j["state"]) for j in listed["items"]] == [(made.json()["id"], "queued")]
    assert sorted(p.name for p in (settings.data_dir / "jobs").iterdir()) == sorted([made.json()["id"], theirs.json()["id"]])
    over = upload("02.png")  # one queued already: the agency's quota
    assert over.status_code == 429 and "配额" in over.json()["detail"]

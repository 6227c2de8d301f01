"""The service's HTTP layer against what an outside security review found (issue 19): review
sessions that end with their key, bounded multipart bodies and quiet validation errors, rate limits
by valid key or client address, proxies believed only when trusted, job errors naming the file as
sent, the API docs and /metrics for the operator alone, the review login's hardening, and odd
input answered without a 500. A real store and pipeline; `dossier serve` itself on loopback."""

import base64
import io
import re
import uuid
import zipfile

import httpx
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from benchmarks.service import ServiceProcess
from compiler_service.api import Worker, create_app
from compiler_service.settings import Settings
from compiler_service.store import JobStore

TOKEN = "operator-token-for-the-tests"
ORIGIN = "http://testserver"  # TestClient's own


@pytest.fixture
def service(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", upload_max_bytes=5_000_000, upload_max_files=5, operator_token=TOKEN)
    app = create_app(settings)
    key = app.state.store.create_key("福田分局")
    return settings, app, key, {"Authorization": f"Bearer {key}"}


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(buffer, "PNG")
    return buffer.getvalue()


def _signed_in(app, key: str, **client) -> TestClient:
    browser = TestClient(app, **client)
    answer = browser.post("/review/login", data={"key": key, "next": "/review/"}, headers={"Origin": ORIGIN}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return browser


def _session_cookie(browser: TestClient) -> str | None:
    return next((v for k, v in browser.cookies.items() if k.startswith("dossier_session_")), None)


def test_a_review_session_ends_with_its_key_and_at_sign_out(service):
    _, app, key, _ = service
    store = app.state.store
    unknown = f"/review/{uuid.uuid4()}/api/state"
    browser = _signed_in(app, key)
    assert browser.get(unknown).status_code == 404  # signed in: only the dossier is missing
    store.revoke_key(store.authenticate(key).id)
    assert browser.get(unknown).status_code == 401  # the cookie is still valid, its key is not
    assert browser.get(f"/review/{uuid.uuid4()}/", follow_redirects=False).headers["location"].startswith("/review/login")

    other = app.state.store.create_key("福田分局")
    browser = _signed_in(app, other)
    signed_out = browser.post("/review/logout", headers={"Origin": ORIGIN}, follow_redirects=False)
    assert signed_out.status_code == 303 and signed_out.headers["location"] == "/review/login"
    assert _session_cookie(browser) is None and browser.get(unknown).status_code == 401


def test_an_upload_takes_files_only_and_never_echoes_what_it_refuses(service):
    settings, app, _, auth = service
    client = TestClient(app)
    scan = [("files", ("01.png", _png()))]
    many_fields = client.post("/v1/dossiers", headers=auth, files=scan, data={f"f{i}": "x" * 10_000 for i in range(50)})
    large_field = client.post("/v1/dossiers", headers=auth, files=scan, data={"note": "y" * 100_000})
    many_files = client.post("/v1/dossiers", headers=auth, files=scan * 6)
    for refused in (many_fields, large_field, many_files):  # refused as the body is parsed, not held and validated
        assert refused.status_code == 400 and len(refused.content) < 300, refused.text[:300]
    stray = client.post("/v1/dossiers", headers=auth, files=scan, data={"note": "z" * 500})
    assert stray.status_code == 422 and "zzzz" not in stray.text
    assert [e["loc"] for e in stray.json()["detail"]] == [["body", "note"]]
    jobs = settings.data_dir / "jobs"
    assert not jobs.exists() or list(jobs.iterdir()) == []
    assert client.post("/v1/dossiers", headers=auth, files=scan * 5).status_code == 202  # as many files as allowed


def test_made_up_keys_share_their_address_and_forwarded_addresses_need_a_trusted_proxy(tmp_path):
    for trusted in ("", "127.0.0.1"):
        app = create_app(Settings(data_dir=tmp_path / f"data{trusted}", rate_limit_per_minute=60, rate_limit_burst=2, trusted_proxies=trusted))
        key = app.state.store.create_key("福田分局")
        client = TestClient(app, client=("127.0.0.1", 40000))
        codes = [client.get("/v1/dossiers", headers={"Authorization": f"Bearer dsk_{n:012x}_guess", "X-Forwarded-For": f"198.51.100.{n}"})
                 .status_code for n in range(4)]
        # from a trusted proxy each forwarded address is a caller of its own; from anyone else the header is the sender's say-so
        assert codes == ([401] * 4 if trusted else [401, 401, 429, 429]), trusted
        assert client.get("/v1/dossiers", headers={"Authorization": f"Bearer {key}"}).status_code == 200  # a valid key is counted as itself


def test_a_failed_jobs_error_names_the_files_as_sent_and_no_server_path(service):
    settings, app, _, auth = service
    client, store = TestClient(app), app.state.store
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:  # a file and a folder of one name: no filesystem holds both
        zf.writestr("a.png", _png())
        zf.writestr("a.png/b.png", _png())
    errors = []
    for name, data in (("扫描 件.png", b"\x89PNG\r\n\x1a\n" + b"not an image" * 10), ("卷宗.zip", archive.getvalue())):
        job = client.post("/v1/dossiers", headers=auth, files=[("files", (name, data))]).json()["id"]
        worker = Worker(settings, store)
        worker.run(store.claim(worker.name, 60))
        status = client.get(f"/v1/dossiers/{job}", headers=auth).json()
        assert status["state"] == "failed"
        errors.append(status["error"])
    broken, clash = errors
    assert broken.startswith("扫描 件.png: ") and "0001-" not in broken and str(settings.data_dir) not in broken and "/" not in broken, broken
    assert clash.startswith("卷宗.zip: a.png/b.png: another member") and "internal error" not in clash, clash


def test_the_api_docs_are_the_operators_and_served_by_the_app(service):
    _, app, _, auth = service
    client = TestClient(app)
    operator = {"Authorization": "Basic " + base64.b64encode(f"operator:{TOKEN}".encode()).decode()}  # a browser's sign-in prompt
    for path in ("/docs", "/openapi.json", "/docs/assets/swagger-ui-bundle.js"):
        assert client.get(path).status_code == 401 and client.get(path, headers=auth).status_code == 401, path
    refused = client.get("/docs")
    assert refused.headers["www-authenticate"].startswith("Basic ")  # so that a browser asks for it
    assert client.get("/redoc", headers=operator).status_code == 404  # its script comes only from a CDN: not served
    page = client.get("/docs", headers=operator)
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert page.status_code == 200 and len(assets) == 3 and all(a.startswith("/docs/assets/") for a in assets), assets
    for asset in assets:
        assert client.get(asset, headers=operator).status_code == 200
    assert client.get("/openapi.json", headers=operator).json()["openapi"].startswith("3.")
    assert client.get("/metrics", headers=operator).status_code == 200


def test_the_review_login_is_taken_from_this_site_only_and_over_tls_its_cookie_is_secure(service, tmp_path):
    settings, app, key, _ = service
    browser = TestClient(app)
    forged = browser.post("/review/login", data={"key": key}, headers={"Origin": "https://evil.example"}, follow_redirects=False)
    assert forged.status_code == 403 and _session_cookie(browser) is None
    cross_site = browser.post("/review/login", data={"key": key}, headers={"Sec-Fetch-Site": "cross-site"}, follow_redirects=False)
    assert cross_site.status_code == 403
    # under no-referrer a browser names no origin (null): where the form came from decides
    null_cross = browser.post("/review/login", data={"key": key}, headers={"Origin": "null", "Sec-Fetch-Site": "cross-site"}, follow_redirects=False)
    assert null_cross.status_code == 403 and _session_cookie(browser) is None
    null_own = browser.post("/review/login", data={"key": key}, headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"}, follow_redirects=False)
    assert null_own.status_code == 303
    assert browser.post("/review/login", data={"key": "钥匙"}, headers={"Origin": ORIGIN}).status_code == 401  # not ASCII: refused, no 500

    plain = _signed_in(app, key).post("/review/login", data={"key": key}, headers={"Origin": ORIGIN}, follow_redirects=False)
    assert "secure" not in plain.headers["set-cookie"].lower()
    behind = create_app(Settings(data_dir=settings.data_dir, trusted_proxies="127.0.0.1"))
    for peer, scheme in (("127.0.0.1", "https"), ("192.0.2.7", "http")):  # only the trusted proxy's X-Forwarded-Proto counts
        answer = TestClient(behind, base_url="http://dossier.example", client=(peer, 5000)).post(
            "/review/login", data={"key": key}, headers={"Origin": f"{scheme}://dossier.example", "X-Forwarded-Proto": "https"},
            follow_redirects=False)
        assert answer.status_code == 303 and ("; secure" in answer.headers["set-cookie"].lower()) == (scheme == "https"), peer
    for path in ("/review/login", "/v1/dossiers"):  # pages and answers alike
        headers = browser.get(path).headers
        assert headers["content-security-policy"] == "frame-ancestors 'none'" and headers["x-frame-options"] == "DENY", path


def test_dossier_serve_believes_no_forwarded_address_unless_told(tmp_path):
    """uvicorn's own default trusts X-Forwarded-For from loopback: `dossier serve` must not."""
    data = tmp_path / "data"
    data.mkdir()
    service = ServiceProcess(data, "--no-ray", {"DOSSIER_RATE_LIMIT_PER_MINUTE": "60", "DOSSIER_RATE_LIMIT_BURST": "5",
                                               "DOSSIER_OPERATOR_TOKEN": TOKEN})
    key = JobStore(f"sqlite:///{data / 'dossier.db'}").create_key("福田分局")
    service.start()
    try:
        assert httpx.get(f"{service.base}/metrics", headers={"Authorization": f"Bearer {key}"}).status_code == 401  # an agency's key: no
        assert httpx.get(f"{service.base}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        # the operator's request above (no agency key: counted by address) and these are from one address, however
        # many others it claims to forward for: 5 in all, then 429
        codes = [httpx.get(f"{service.base}/v1/dossiers", headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code for n in range(5)]
        assert codes == [401, 401, 401, 401, 429], codes
    finally:
        service.kill()

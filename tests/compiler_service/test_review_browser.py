"""The review page in a real headless Chromium: a clerk splits a document, merges two others,
changes a type, moves a page, restores an excluded page and saves; the rebuilt dossier shows
exactly those changes. The quality checks' findings are listed, filtered and dismissed there. In
the service, a clerk signs in (a wrong key is told so), finds the agency's dossiers listed, uploads
scans, and confirms a queue item as right."""

import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from datetime import datetime
from zoneinfo import ZoneInfo

import pikepdf
import pytest
import uvicorn
from PIL import Image

from cataloging.catalog import validate_catalog
from cataloging.manifest import verify
from casegen.synthetic import generate_case
from compiler_service.api import create_app, job_dir
from compiler_service.pipeline import Stages, compile_dossier
from compiler_service.review_app import local_review_app
from compiler_service.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make install does it)")


@pytest.fixture(scope="module")
def compiled(tmp_path_factory, reader):
    root = tmp_path_factory.mktemp("browser")
    generate_case(20, 11, root / "case")
    settings = Settings(data_dir=root / "data")
    compile_dossier([root / "case" / "scans"], root / "out", settings, stages=Stages(read=reader.read))
    return root / "out", settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(app, port: int):
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return server, thread


@pytest.fixture
def served(compiled, tmp_path):
    out, settings = compiled
    folder = tmp_path / "out"
    shutil.copytree(out, folder)
    port = _free_port()
    server, thread = _serve(local_review_app(folder, settings, "test-token", "王五", port), port)
    yield folder, f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def service(compiled, tmp_path):
    """The compile service (no worker: uploads stay queued) with one done job of 福田分局, the
    compiled case as its result; and a key of that agency's clerk."""
    out, _ = compiled
    settings = Settings(data_dir=tmp_path / "data")
    app = create_app(settings)
    store = app.state.store
    key = store.create_key("福田分局", "赵六")
    done, _ = store.submit("福田分局")
    store.claim("test-worker", 60)
    store.finish(done.id, "test-worker")
    shutil.copytree(out, job_dir(settings, done.id) / "out")
    port = _free_port()
    server, thread = _serve(app, port)
    yield f"http://127.0.0.1:{port}", key, done.id
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def browser():
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


def _key(source: dict) -> str:
    return f"{source['file']}:{source['page']}"


def _open(browser, base: str):
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    page.goto(f"{base}/review/login?key=test-token&next=/review/local/")
    page.wait_for_selector("body[data-ready='1']")
    return page


def test_a_clerk_corrects_and_saves_and_the_dossier_follows(served, browser):
    folder, base = served
    compiled = json.loads((folder / "catalog.json").read_text(encoding="utf-8"))
    docs = [[_key(p["source"]) for p in d["pages"]] for d in compiled["documents"]]
    types = [d["type"] for d in compiled["documents"]]
    a = next(i for i, pages in enumerate(docs) if len(pages) >= 2)  # split at its second page
    b = next(i for i in range(len(docs) - 1) if i not in (a, a - 1) and i + 1 != a)  # b takes in b + 1
    d = next(i for i in range(len(docs)) if i not in (a, b, b + 1) and types[i] != "seizure_list")
    moved = docs[b + 1][-1]
    restored = _key(compiled["excluded"][0]["source"])

    page = _open(browser, base)
    status = page.get_by_test_id("status")
    page.click(f"[data-page='{docs[a][1]}']")
    page.click("#btn-split")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('已拆分')")
    page.click(f"[data-page='{docs[b + 1][0]}']")
    page.keyboard.press("m")  # merge into the document before, by key
    page.wait_for_function("document.getElementById('status').textContent.startsWith('已合并')")
    page.click(f"[data-page='{docs[d][0]}']")
    page.select_option("#sel-type", "seizure_list")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('已更改类型')")
    page.click(f"[data-page='{moved}']")
    page.select_option("#sel-move-doc", f"d{d + 1}")
    page.fill("#inp-move-index", "1")
    page.click("#btn-move")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('已移动页')")
    page.click(f"[data-excluded='{restored}'] img")
    page.select_option("#sel-restore-doc", f"d{d + 1}")
    page.keyboard.press("x")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('已恢复')")
    assert "5" in page.get_by_test_id("changes").text_content()
    page.keyboard.press("Control+s")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('已保存')", timeout=60_000)
    assert "王五" in status.text_content()

    # what the clerk did, done to the compiled structure by hand
    expected = [list(p) for p in docs]
    expected[a], split_off = docs[a][:1], docs[a][1:]
    expected[b] = docs[b] + docs[b + 1]
    expected[b].remove(moved)
    expected[d] = [moved] + docs[d] + [restored]
    new_types = list(types)
    new_types[d] = "seizure_list"
    want = sorted([(t, p) for i, (t, p) in enumerate(zip(new_types, expected)) if i != b + 1] + [(types[a], split_off)])

    catalog = json.loads((folder / "catalog.json").read_text(encoding="utf-8"))
    validate_catalog(catalog)
    got = sorted((doc["type"], [_key(p["source"]) for p in doc["pages"]]) for doc in catalog["documents"])
    assert got == want
    assert [e["source"] for e in catalog["excluded"]] == [e["source"] for e in compiled["excluded"][1:]]
    every = [_key(p["source"]) for doc in catalog["documents"] for p in doc["pages"]] + [_key(e["source"]) for e in catalog["excluded"]]
    assert sorted(every) == sorted([k for pages in docs for k in pages] + [_key(e["source"]) for e in compiled["excluded"]])
    assert catalog["review"]["reviewed_by"] == "王五" and catalog["review"]["corrections"] == 5
    events = json.loads((folder / "corrections.json").read_text(encoding="utf-8"))
    assert [e["op"] for e in events] == ["split", "merge", "set_type", "move_page", "restore"]

    with pikepdf.open(folder / "dossier.pdf") as pdf, pdf.open_outline() as outline:
        bookmarks = [child.title for volume in outline.root for child in volume.children]
    assert sum(t.startswith("扣押清单") for t in bookmarks) == sum(t == "seizure_list" for t, _ in want)
    catalog_pages = subprocess.run(["pdftotext", "-l", "6", str(folder / "dossier.pdf"), "-"], capture_output=True, text=True).stdout
    assert catalog_pages.replace(" ", "").count("扣押清单") >= 1
    assert verify(folder).ok


def test_state_changes_need_the_csrf_token_and_a_session(served, browser):
    folder, base = served
    page = _open(browser, base)
    refused = page.evaluate("""async () => (await fetch('/review/local/api/correct', {method: 'POST',
        headers: {'Content-Type': 'application/json'}, body: JSON.stringify({op: 'undo', args: {}})})).status""")
    assert refused == 403
    stranger = browser.new_page()
    assert stranger.goto(f"{base}/review/local/api/state").status == 401
    stranger.goto(f"{base}/review/local/")
    assert "/review/login" in stranger.url  # sent to sign in
    assert not (folder / "review" / "history.json").exists()


def _cover(pdf: Path) -> str:
    """The first cover's text, its layout's spaces and line breaks gone: a field's label and value join."""
    return "".join(subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True).stdout.split())


def test_a_clerk_fills_in_the_cover_and_the_saved_dossier_prints_it(served, browser):
    folder, base = served
    number = "深公（福）刑案字〔2024〕88号"
    assert "王五" not in _cover(folder / "dossier.pdf")
    page = _open(browser, base)
    assert page.input_value("#c-compiled_by") == ""  # nobody named a 立卷人: a blank line, not "dossier"
    for n, (field, value) in enumerate((("compiled_unit", "深圳市公安局福田分局"), ("compiled_by", "王五"), ("case_number", number)), 1):
        page.fill(f"#c-{field}", value)
        page.press(f"#c-{field}", "Tab")
        page.wait_for_function(f"document.getElementById('changes').textContent.includes('修改 {n} 处')")
    page.keyboard.press("Control+s")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('已保存')", timeout=60_000)

    cover = _cover(folder / "dossier.pdf")
    assert "立卷单位：深圳市公安局福田分局" in cover and "立卷人：王五" in cover and f"案件编号：{number}" in cover
    catalog = json.loads((folder / "catalog.json").read_text(encoding="utf-8"))
    assert (catalog["case"]["compiled_unit"], catalog["case"]["compiled_by"], catalog["case"]["case_number"]) == (
        "深圳市公安局福田分局", "王五", number)
    events = json.loads((folder / "corrections.json").read_text(encoding="utf-8"))
    assert [(e["op"], e["args"]["field"]) for e in events] == [("edit_case", "compiled_unit"), ("edit_case", "compiled_by"),
                                                                ("edit_case", "case_number")]
    assert verify(folder).ok
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    assert page.input_value("#c-compiled_by") == "王五"


def _status(page, start: str, timeout: int = 10_000) -> None:
    page.wait_for_function(f"document.getElementById('status').textContent.startsWith({start!r})", timeout=timeout)


def _shown(page) -> list[dict]:
    """The findings the queue lists now: rule, severity, whether dismissed, text."""
    return page.eval_on_selector_all("#findings li.finding", """items => items.map(li => ({rule: li.dataset.rule,
        severity: li.dataset.severity, dismissed: li.classList.contains('dismissed'), text: li.textContent}))""")


def test_a_clerk_works_through_the_findings_and_a_dismissal_outlives_the_rebuild(served, browser):
    """The queue lists the checks' findings, filters them by rule and severity, jumps to their
    pages; a dismissal needs a reason, is kept in the history and corrections.json, and stays
    on the finding through two rebuilds. A page marked blank by mistake is caught as missing."""
    folder, base = served
    compiled = json.loads((folder / "catalog.json").read_text(encoding="utf-8"))
    findings = compiled["checks"]
    assert findings  # the generated case lacks companions the profile requires
    dismissed = findings[0]
    reason = "扣押决定书在副卷，已核实"
    cited = {_key(p) for f in findings for p in f["pages"]}
    record = next([_key(p["source"]) for p in d["pages"]] for d in compiled["documents"]
                  if d["type"] == "interrogation_record" and len(d["pages"]) == 2 and not cited & {_key(p["source"]) for p in d["pages"]})

    page = _open(browser, base)
    assert len(_shown(page)) == len(findings) and f"共 {len(findings)} 项" in page.get_by_test_id("findings-count").text_content()
    page.click(f"#findings li[data-finding='{next(i for i, f in enumerate(findings) if f is dismissed)}']")
    target = _key(dismissed["pages"][0])
    assert page.get_attribute("#scan", "data-key") == target  # its page, large
    assert "selected" in page.get_attribute(f"#structure [data-page='{target}']", "class")
    assert dismissed["message"] in page.text_content("#finding-text")
    page.click("#btn-dismiss")
    _status(page, "请填写忽略理由")  # no reason, no dismissal
    assert not (folder / "review" / "history.json").exists()
    page.fill("#inp-dismiss-reason", reason)
    page.click("#btn-dismiss")
    _status(page, "已忽略问题")
    assert len(_shown(page)) == len(findings) - 1  # the open ones
    assert reason in page.text_content("#history")
    page.click(f"[data-page='{record[1]}']")
    page.keyboard.press("b")  # the record's second page marked blank: the rebuilt record misses it
    _status(page, "已标记")
    page.keyboard.press("Control+s")
    _status(page, "已保存", 60_000)

    catalog = json.loads((folder / "catalog.json").read_text(encoding="utf-8"))
    validate_catalog(catalog)
    (kept,) = [f for f in catalog["checks"] if f["details"].get("dismissed")]
    assert (kept["rule"], kept["message"], kept["pages"]) == (dismissed["rule"], dismissed["message"], dismissed["pages"])
    assert kept["details"]["dismissed"]["by"] == "王五" and kept["details"]["dismissed"]["reason"] == reason
    (missing,) = [f for f in catalog["checks"] if f["rule"] == "missing_pages"]
    assert missing["severity"] == "error" and [_key(p) for p in missing["pages"]] == record[:1] and missing["details"]["missing"] == [2]
    events = json.loads((folder / "corrections.json").read_text(encoding="utf-8"))
    assert [(e["op"], e["who"]) for e in events] == [("dismiss_finding", "王五"), ("exclude", "王五")]
    assert events[0]["args"] == {"rule": dismissed["rule"], "message": dismissed["message"], "pages": [target], "reason": reason}

    page.select_option("#flt-rule", "missing_pages")
    assert [(f["rule"], f["severity"]) for f in _shown(page)] == [("missing_pages", "error")]
    page.click(f"#findings a[data-goto='{record[0]}']")
    assert page.get_attribute("#scan", "data-key") == record[0]
    page.select_option("#flt-rule", "")
    page.select_option("#flt-severity", "warning")
    assert {f["severity"] for f in _shown(page)} == {"warning"} and len(_shown(page)) == len(findings) - 1
    page.select_option("#flt-severity", "")
    page.select_option("#flt-state", "dismissed")
    (shown,) = _shown(page)
    assert shown["dismissed"] and reason in shown["text"] and "王五" in shown["text"]

    page.keyboard.press("Control+s")  # rebuilt again, from the catalog the first save wrote
    _status(page, "已保存", 60_000)
    again = json.loads((folder / "catalog.json").read_text(encoding="utf-8"))
    assert [f["details"].get("dismissed") for f in again["checks"]] == [f["details"].get("dismissed") for f in catalog["checks"]]
    assert verify(folder).ok


def test_review_opens_its_page_in_the_browser_on_the_address_asked(compiled, tmp_path):
    """`dossier review --open --host`: the browser that Python's webbrowser finds ($BROWSER here, a
    script driving the real chromium) opens the printed link, is signed in and sees the dossier."""
    out, settings = compiled
    folder = tmp_path / "out"
    shutil.copytree(out, folder)
    seen = tmp_path / "seen.json"
    opener = tmp_path / "browser"
    opener.write_text(f"""#!{sys.executable}
import json, sys
from playwright.sync_api import sync_playwright
with sync_playwright() as p:
    chromium = p.chromium.launch(executable_path={str(CHROMIUM)!r}, args=["--no-sandbox"])
    page = chromium.new_page()
    page.goto(sys.argv[1])
    page.wait_for_selector("body[data-ready='1']")
    open({str(seen)!r}, "w").write(json.dumps({{"link": sys.argv[1], "url": page.url, "status": page.text_content("#status")}}))
""")
    opener.chmod(0o755)
    env = {**os.environ, "BROWSER": str(opener), "DOSSIER_DATA_DIR": str(settings.data_dir)}
    review = subprocess.Popen([sys.executable, "-m", "compiler_service.cli", "review", str(folder), "--host", "127.0.0.2", "--port", "0",
                               "--open"], stderr=subprocess.PIPE, text=True, env=env)
    try:
        ready = review.stderr.readline()
        assert ready.startswith(f"review {folder} at http://127.0.0.2:"), ready
        deadline = time.monotonic() + 60
        while not seen.exists():
            assert review.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        time.sleep(0.2)  # written whole
        opened = json.loads(seen.read_text())
    finally:
        review.terminate()
        review.wait(10)
    assert opened["link"] == ready.split(" at ", 1)[1].strip()
    assert opened["url"].startswith("http://127.0.0.2:") and opened["url"].endswith("/review/local/")
    assert "份文书" in opened["status"]


def _png(path: Path) -> Path:
    buffer = io.BytesIO()
    Image.new("L", (200, 280), 255).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_a_clerk_signs_in_to_the_service_lists_uploads_and_confirms_a_queue_item(service, browser, tmp_path):
    base, key, done = service
    context = browser.new_context(timezone_id="Asia/Shanghai", viewport={"width": 1500, "height": 950})
    page = context.new_page()
    page.goto(f"{base}/review/")  # not signed in: the login form, going back to the list
    page.fill("[data-testid=login-key]", "dsk_0123456789ab_wrong")
    with page.expect_response(lambda r: r.url.endswith("/review/login")) as refused:
        page.click("[data-testid=login-submit]")
    assert refused.value.status == 401
    assert "密钥无效或已被撤销" in page.text_content("[data-testid=login-error]")
    assert page.input_value("input[name=next]") == "/review/"
    page.fill("[data-testid=login-key]", key)  # the form again: signed in from it
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("body[data-ready='1']")

    row = page.locator(f"tr[data-job='{done}']")
    assert "已完成" in row.text_content() and row.locator("td").nth(3).text_content() == "20"
    created = row.locator("time").first
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", created.text_content()), created.text_content()
    page.set_input_files("[data-testid=upload-files]", [_png(tmp_path / "notes.txt")])
    page.click("[data-testid=upload-submit]")
    page.wait_for_function("document.getElementById('upload-status').textContent.includes('不支持的文件：notes.txt')")
    page.set_input_files("[data-testid=upload-files]", [_png(tmp_path / "01.png")])
    page.click("[data-testid=upload-submit]")
    page.wait_for_selector("tr[data-state='queued']")
    assert "排队中" in page.text_content("tr[data-state='queued']") and "共 2 个" in page.text_content("[data-testid=jobs-count]")

    page.click(f"tr[data-job='{done}'] [data-testid=review-link]")
    page.wait_for_selector("body[data-ready='1']")
    first = page.locator("#queue li").first
    item = (first.get_attribute("data-kind"), first.get_attribute("data-queue"), first.text_content())
    before = page.locator("#queue li").count()
    first.locator("button.confirm").click()
    _status(page, "已确认无误")
    assert page.locator("#queue li").count() == before - 1 and "已确认 1 项" in page.text_content("[data-testid=confirmed-count]")
    assert item not in [(li.get_attribute("data-kind"), li.get_attribute("data-queue"), li.text_content())
                        for li in page.locator("#queue li").all()]
    entry = page.locator("#history li time").first  # the confirmation, at the browser's local time, in Chinese
    iso = entry.get_attribute("title")
    assert entry.text_content() == f"{datetime.fromisoformat(iso).astimezone(ZoneInfo('Asia/Shanghai')):%Y年%-m月%-d日 %H:%M}"
    page.click("#btn-undo")
    _status(page, "已撤销")
    assert page.locator("#queue li").count() == before and page.text_content("[data-testid=confirmed-count]") == ""
    context.close()

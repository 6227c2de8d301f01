"""The review page in a real headless Chromium: a clerk splits a document, merges two others,
changes a type, moves a page, restores an excluded page and saves; the rebuilt dossier shows
exactly those changes."""

import json
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pikepdf
import pytest
import uvicorn

from cataloging.catalog import validate_catalog
from cataloging.manifest import verify
from classification.synthetic import generate_case
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


@pytest.fixture
def served(compiled, tmp_path):
    out, settings = compiled
    folder = tmp_path / "out"
    shutil.copytree(out, folder)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(local_review_app(folder, settings, "test-token", "王五"), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield folder, f"http://127.0.0.1:{port}"
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

"""How fast the review page is on a large dossier: a generated case (200 pages by default)
compiled once, then in a real headless Chromium: seconds from opening the page until it is
usable (the structure drawn, the first page's scan and the visible thumbnails loaded), and seconds
for a save (the dossier rebuilt from the stored stage results) after one correction.

    .venv/bin/python -m benchmarks.review --pages 200 [--runs 3]

Writes benchmarks/results/review-DATE.json and a screenshot of the page (review-DATE.png).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import threading
import time
from datetime import date
from pathlib import Path

import uvicorn

from benchmarks.service import free_port
from casegen.synthetic import generate_case
from compiler_service.pipeline import compile_dossier
from compiler_service.review_app import local_review_app
from compiler_service.settings import Settings

READY = """() => document.body.dataset.ready === '1' && document.getElementById('scan').complete
  && [...document.querySelectorAll('img.thumb')].filter(i => i.getBoundingClientRect().top < innerHeight).every(i => i.complete)"""


def compiled_case(pages: int, seed: int, cache: Path) -> Path:
    """The compiled case, kept in `cache` between runs (compiling is not what is measured here)."""
    out = cache / f"review-{pages}-{seed}" / "out"
    if not (out / "catalog.json").exists():
        generate_case(pages, seed, out.parent / "case")
        compile_dossier([out.parent / "case" / "scans"], out, Settings(data_dir=cache / "data"))
    return out


def run(pages: int, seed: int, runs: int, cache: Path, out_dir: Path) -> dict:
    from playwright.sync_api import sync_playwright

    source = compiled_case(pages, seed, cache)
    opens, saves = [], []
    shot = out_dir / f"review-{date.today().isoformat()}.png"
    for n in range(runs):
        folder = cache / "review-run" / "out"
        shutil.rmtree(folder.parent, ignore_errors=True)
        shutil.copytree(source, folder)
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(local_review_app(folder, Settings(data_dir=cache / "data"), "bench", "benchmark", port),
                                               host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": 1500, "height": 950})
                start = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/review/login?key=bench&next=/review/local/")
                page.wait_for_function(READY, timeout=60_000)
                opens.append(time.perf_counter() - start)
                if n == 0:
                    out_dir.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(shot))
                first = page.evaluate("document.querySelector('.doc').dataset.doc")
                page.click(f"[data-doc='{first}'] .doc-head")
                page.select_option("#sel-type", "seizure_list")
                page.wait_for_function("document.getElementById('status').textContent.startsWith('已更改类型')")
                start = time.perf_counter()
                page.keyboard.press("Control+s")
                page.wait_for_function("document.getElementById('status').textContent.startsWith('已保存')", timeout=120_000)
                saves.append(time.perf_counter() - start)
                browser.close()
        finally:
            server.should_exit = True
            thread.join(10)
    report = {
        "date": date.today().isoformat(), "machine": f"{platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}",
        "pages": pages, "seed": seed, "runs": runs,
        "open_s": [round(s, 2) for s in opens], "open_median_s": round(statistics.median(opens), 2),
        "save_s": [round(s, 2) for s in saves], "save_median_s": round(statistics.median(saves), 2),
        "screenshot": shot.name,
    }
    (out_dir / f"review-{report['date']}.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7001)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=Path(".cache/benchmarks"))
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    args = parser.parse_args()
    print(json.dumps(run(args.pages, args.seed, args.runs, args.cache, args.out), indent=2))


if __name__ == "__main__":
    main()

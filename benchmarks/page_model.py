"""What the page model adds to a compile, per page: features plus ONNX inference, on pages already
read (OCR excluded), against the rule baseline on the same pages.

    .venv/bin/python -m benchmarks.page_model --cases .cache/training --pages 200

Writes benchmarks/results/page-model-speed-<date>.json and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from datetime import date
from pathlib import Path

from classification.dataset import load_case
from classification.taxonomy import load_taxonomy
from compiler_service.datasets import case_folders
from compiler_service.pipeline import page_labeler
from compiler_service.settings import Settings
from ocr.page import page_from_record


def run(cases: list[Path], pages: int, repeats: int, models: list[str], out_dir: Path) -> dict:
    taxonomy = load_taxonomy(None)
    kept = [page_from_record(lp.record) for folder in case_folders(cases) for lp in load_case(folder) if lp.excluded is None]
    kept = (kept * (pages // max(1, len(kept)) + 1))[:pages]
    rows = []
    for model in models:
        labeler = page_labeler(Settings(page_model=model), taxonomy)
        labeler(kept)  # warm-up: sessions, caches
        seconds = []
        for _ in range(repeats):
            start = time.perf_counter()
            labeler(kept)
            seconds.append(time.perf_counter() - start)
        rows.append({"classifier": model, "pages": len(kept), "ms_per_page_median": round(1000 * statistics.median(seconds) / len(kept), 2),
                     "ms_per_page_min": round(1000 * min(seconds) / len(kept), 2), "repeats": repeats})
        print(json.dumps(rows[-1]), flush=True)
    report = {"date": date.today().isoformat(), "machine": f"{platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}",
              "rows": rows}
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"page-model-speed-{report['date']}.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=Path, nargs="+", default=[Path(".cache/training")], help="training case folders (pages.json + labels.json)")
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--models", nargs="+", default=["rules", "v1"])
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    args = parser.parse_args()
    run(args.cases, args.pages, args.repeats, args.models, args.out)


if __name__ == "__main__":
    main()

"""python -m casegen.forms --seed 1 --pages 60 --output /tmp/case1"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from .generate import generate_case


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m casegen.forms", description=__doc__)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pages", type=int, default=60, help="target number of scanned pages (±15%%)")
    ap.add_argument("--output", type=Path, required=True)
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    truth = generate_case(a.seed, a.pages, a.output)
    n = sum(s["pages"] for s in truth["sources"])
    print(f"{truth['case']['title']} ({truth['case']['case_number']}): {len(truth['documents'])} documents, "
          f"{n} scanned pages in {len(truth['sources'])} files, {len(truth['excluded'])} excluded; "
          f"{time.perf_counter() - t0:.1f} s -> {a.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

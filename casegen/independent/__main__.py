"""python -m casegen.independent --seed 42 --pages 60 --output /tmp/x"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from .case import generate_case


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m casegen.independent", description=__doc__)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--pages", type=int, default=60, help="scanned pages in all (blanks and re-scans included)")
    ap.add_argument("--output", type=Path, required=True)
    a = ap.parse_args()
    t0 = time.perf_counter()
    truth = generate_case(a.seed, a.pages, a.output)
    n = sum(s["pages"] for s in truth["sources"])
    print(f"{truth['case']['title']}: {len(truth['documents'])} documents, {n} pages in "
          f"{len(truth['sources'])} files, {len(truth['excluded'])} excluded ({time.perf_counter() - t0:.1f} s) -> {a.output}")


if __name__ == "__main__":
    main()

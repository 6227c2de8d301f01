"""Accuracy benchmark: generate cases with seeds never used in development, compile, score.

    .venv/bin/python -m benchmarks.accuracy --seeds 5101 5102 5103 --pages 70 [--hard]

Writes benchmarks/results/accuracy[-hard]-<date>.json, a Markdown table and a bar chart PNG.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from datetime import date
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from cataloging.evaluate import evaluate_files, summarize  # noqa: E402
from classification.synthetic import generate_case  # noqa: E402
from compiler_service.pipeline import compile_dossier  # noqa: E402
from compiler_service.settings import Settings  # noqa: E402

HEADLINE = ["page_type_accuracy", "boundary_f1", "pairwise_order_accuracy", "document_exact_match", "cer"]


def run(seeds: list[int], pages: int, out_dir: Path, keep: Path | None = None, hard: bool = False) -> dict:
    settings = Settings()
    cases = []
    evals = []
    with tempfile.TemporaryDirectory(prefix="dossier-bench-") as tmp:
        for seed in seeds:
            case = (keep or Path(tmp)) / f"case-{seed}"
            truth = generate_case(pages, seed, case, hard=hard)
            start = time.perf_counter()
            result = compile_dossier([case / "scans"], case / "out", settings)
            seconds = time.perf_counter() - start
            ev = evaluate_files(truth, result.catalog, result.pdf)
            evals.append(ev)
            row = {"seed": seed, "pages": result.pages, "seconds": round(seconds, 1), **{k: v for k, v in ev.headline().items()}}
            cases.append(row)
            print(json.dumps(row, ensure_ascii=False))
    report = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}",
        "split": "hard" if hard else "normal",
        "settings": settings.model_dump(mode="json"),
        "cases": cases,
        "summary": summarize(evals),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"accuracy-{'hard-' if hard else ''}{report['date']}"
    stem.with_suffix(".json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    _plot(cases, stem.with_suffix(".png"))
    stem.with_suffix(".md").write_text(markdown(report), encoding="utf-8")
    return report


def markdown(report: dict) -> str:
    lines = [f"Accuracy on generated cases, {report['split']} split ({report['date']}, {report['machine']})", "",
             "| seed | pages | s | " + " | ".join(HEADLINE) + " | lost | doubled |",
             "|---" * (len(HEADLINE) + 5) + "|"]
    for c in report["cases"]:
        vals = [f"{c.get(k, float('nan')):.3f}" for k in HEADLINE]
        lines.append(f"| {c['seed']} | {c['pages']} | {c['seconds']} | " + " | ".join(vals) + f" | {c.get('pages_lost', 0)} | {c.get('pages_doubled', 0)} |")
    return "\n".join(lines) + "\n"


def _plot(cases: list[dict], path: Path) -> None:
    fig, ax = plt.subplots(figsize=(8, 4))
    width = 0.8 / max(1, len(cases))
    for i, c in enumerate(cases):
        ax.bar([j + i * width for j in range(len(HEADLINE))], [c.get(k, 0) for k in HEADLINE], width, label=f"seed {c['seed']}")
    ax.set_xticks([j + width * (len(cases) - 1) / 2 for j in range(len(HEADLINE))], HEADLINE, rotation=15, fontsize=8)
    ax.axhline(0.97, color="grey", linestyle="--", linewidth=0.8)
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=7)
    ax.set_title("dossier accuracy on generated cases")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[5101, 5102, 5103])
    parser.add_argument("--pages", type=int, default=70)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    parser.add_argument("--keep", type=Path, help="keep each case's scans, truth and output here")
    parser.add_argument("--hard", action="store_true", help="the hard split: damaged titles, missing first pages, heavy noise")
    args = parser.parse_args()
    run(args.seeds, args.pages, args.out, args.keep, args.hard)


if __name__ == "__main__":
    main()

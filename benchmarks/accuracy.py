"""Accuracy benchmark: generate cases with seeds never used in development or training, read
each once, catalog it with every classifier (the rule baseline and the page model), score.

    .venv/bin/python -m benchmarks.accuracy --seeds 5101 5102 5103 --pages 70 [--hard] [--models rules v1]
    .venv/bin/python -m benchmarks.accuracy --independent --seeds 8101 8102 8103 --pages 70
    .venv/bin/python -m benchmarks.accuracy --forms --seeds 8101 8102 8103 --pages 70

`--independent` takes the cases from `casegen/independent`, a generator written apart from
the one the page models were trained on (other fonts, wording, layouts and damage); `--forms`
from `casegen/forms`, a third written from the published forms without reading either. Across
generators, with a model trained on each: `benchmarks.cross_generator`.

Writes benchmarks/results/accuracy[-hard|-independent]-<date>.json, a Markdown table and a bar chart PNG.
"""

from __future__ import annotations

import argparse
import copy
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

from casegen.cases import generate  # noqa: E402
from casegen.evaluate import evaluate_files, summarize  # noqa: E402
from compiler_service.pipeline import Timer, read_pages, write_dossier  # noqa: E402
from compiler_service.settings import Settings  # noqa: E402

HEADLINE = ["page_type_accuracy", "boundary_f1", "pairwise_order_accuracy", "document_exact_match", "cer"]


def run(seeds: list[int], pages: int, out_dir: Path, models: list[str], keep: Path | None = None, split: str = "normal") -> dict:
    base = Settings()
    cases = []
    evals: dict[str, list] = {m: [] for m in models}
    with tempfile.TemporaryDirectory(prefix="dossier-bench-") as tmp:
        for seed in seeds:
            case = (keep or Path(tmp)) / f"case-{seed}"
            truth = generate(split, seed, pages, case)
            start = time.perf_counter()
            sources, read = read_pages([case / "scans"], base, Path(tmp), lambda *a: None, Timer())
            reading = time.perf_counter() - start
            for model in models:
                out = case / f"out-{model}"
                out.mkdir(parents=True, exist_ok=True)
                start = time.perf_counter()
                result = write_dossier(sources, copy.deepcopy(read), out, base.model_copy(update={"page_model": model}))
                ev = evaluate_files(truth, result.catalog, result.pdf)
                evals[model].append(ev)
                row = {"seed": seed, "model": model, "pages": result.pages, "seconds": round(reading + time.perf_counter() - start, 1),
                       "classify_ms_per_page": round(1000 * result.timings.get("classify", 0) / max(1, result.pages), 2),
                       **ev.headline()}
                cases.append(row)
                print(json.dumps(row, ensure_ascii=False), flush=True)
    report = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}",
        "split": split,
        "settings": base.model_dump(mode="json"),
        "cases": cases,
        "summary": {m: summarize(e) for m, e in evals.items()},
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"accuracy-{'' if split == 'normal' else split + '-'}{report['date']}"
    stem.with_suffix(".json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    _plot(report, stem.with_suffix(".png"))
    stem.with_suffix(".md").write_text(markdown(report), encoding="utf-8")
    return report


def markdown(report: dict) -> str:
    lines = [f"Accuracy on generated cases, {report['split']} split ({report['date']}, {report['machine']})", "",
             "| seed | classifier | pages | s | " + " | ".join(HEADLINE) + " | lost | doubled |",
             "|---" * (len(HEADLINE) + 6) + "|"]
    for c in report["cases"]:
        vals = [f"{c.get(k, float('nan')):.3f}" for k in HEADLINE]
        lines.append(f"| {c['seed']} | {c['model']} | {c['pages']} | {c['seconds']} | " + " | ".join(vals)
                     + f" | {c.get('pages_lost', 0)} | {c.get('pages_doubled', 0)} |")
    lines += ["", "Means:", "", "| classifier | " + " | ".join(HEADLINE) + " |", "|---" * (len(HEADLINE) + 1) + "|"]
    for model, summary in report["summary"].items():
        lines.append(f"| {model} | " + " | ".join(f"{summary[k]:.3f}" for k in HEADLINE) + " |")
    return "\n".join(lines) + "\n"


def _plot(report: dict, path: Path) -> None:
    summaries = report["summary"]
    fig, ax = plt.subplots(figsize=(8, 4))
    width = 0.8 / max(1, len(summaries))
    for i, (model, summary) in enumerate(summaries.items()):
        ax.bar([j + i * width for j in range(len(HEADLINE))], [summary.get(k) or 0 for k in HEADLINE], width, label=model)
    ax.set_xticks([j + width * (len(summaries) - 1) / 2 for j in range(len(HEADLINE))], HEADLINE, rotation=15, fontsize=8)
    ax.axhline(0.99, color="grey", linestyle="--", linewidth=0.8)
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=7)
    ax.set_title(f"dossier accuracy on generated cases, {report['split']} split (means over {len(report['cases']) // max(1, len(summaries))} cases)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[5101, 5102, 5103])
    parser.add_argument("--pages", type=int, default=70)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    parser.add_argument("--keep", type=Path, help="keep each case's scans, truth and output here")
    splits = parser.add_mutually_exclusive_group()
    splits.add_argument("--hard", action="store_true", help="the hard split: damaged titles, missing first pages, heavy noise")
    splits.add_argument("--independent", action="store_true", help="cases from the independent generator (casegen/independent)")
    splits.add_argument("--forms", action="store_true", help="cases from the third generator, written from the published forms (casegen/forms)")
    parser.add_argument("--models", nargs="+", default=["rules", "v1"], help="classifiers to compare: 'rules' and page model versions")
    args = parser.parse_args()
    split = "hard" if args.hard else "independent" if args.independent else "forms" if args.forms else "normal"
    run(args.seeds, args.pages, args.out, args.models, args.keep, split)


if __name__ == "__main__":
    main()

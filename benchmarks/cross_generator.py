"""Across generators: every classifier scored on cases of generators it was not trained on.

A classifier that only fits its training generator's phrasing looks perfect on that generator's
seeds and fails on a case center's files. So each page model is trained on one generator and
scored on the others, beside the rules (trained on nothing):

- `v1`, the shipped model, trained on `casegen/synthetic` (normal and hard cases);
- `independent-trained`, the same recipe on `casegen/independent` cases (made here, cached);
- `rules`, the transparent baseline.

Scored on unseen seeds of every generator, `forms` included (a third generator none was trained
on, and `county`, a fourth). Writes benchmarks/results/cross-generator-<date>.json and .md (the matrix, per-type
confusion, boundary errors by kind) and PNGs (the matrix; a confusion matrix per classifier
over the generators it did not learn from).

    .venv/bin/python -m benchmarks.cross_generator --seeds 8101 8102 8103 --pages 70
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import pickle
import platform
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from casegen.cases import generate  # noqa: E402
from casegen.evaluate import evaluate_files  # noqa: E402
from classification.taxonomy import load_taxonomy  # noqa: E402
from classification.report import plot_confusion  # noqa: E402
from compiler_service.datasets import FIRST_TRAINING_SEED, read_case, write_case  # noqa: E402
from compiler_service.pipeline import Timer, read_pages, write_dossier  # noqa: E402
from compiler_service.settings import Settings  # noqa: E402
from ocr.ingest import collect_inputs  # noqa: E402

HEADLINE = ("page_type_accuracy", "boundary_f1", "document_exact_match", "pairwise_order_accuracy")
# what each classifier learned from: scored on the others, it meets case files it never saw
TRAINED_ON = {"rules": set(), "v1": {"normal", "hard"}, "independent-trained": {"independent"}}


def training_cases(generator: str, total_pages: int, cache: Path, settings: Settings, case_pages: int = 60) -> list[Path]:
    """Training cases of one generator, from the training seeds (never scored), read once and kept."""
    folders = []
    for i in range(max(1, -(-total_pages // case_pages))):
        seed = FIRST_TRAINING_SEED + i
        folder = cache / f"{generator}-{seed}-{case_pages}"
        if not ((folder / "pages.json").exists() and (folder / "labels.json").exists()):
            with tempfile.TemporaryDirectory(prefix="dossier-train-") as tmp:
                truth = json.loads(generate(generator, seed, case_pages, Path(tmp) / "case").read_text(encoding="utf-8"))
                scans = Path(tmp) / "case" / "scans"
                records = read_case([scans], settings, lambda *a: None)
                order = [f.name for f in collect_inputs([scans], Path(tmp), settings.max_unpacked_bytes)]
                write_case(folder, records, in_reading_order(truth, order))
            print(f"training case {folder.name} read", flush=True)
        folders.append(folder)
    return folders


def in_reading_order(truth: dict, names: list[str]) -> dict:
    """The truth with its file indices those of the files as the compiler reads them (it sorts
    names without regard to case; a generator may number its files otherwise)."""
    index = {i: names.index(s["name"]) for i, s in enumerate(truth["sources"])}

    def moved(src: dict | None) -> dict | None:
        return {**src, "file": index[src["file"]]} if src else src

    return {**truth,
            "sources": sorted(truth["sources"], key=lambda s: names.index(s["name"])),
            "documents": [{**d, "pages": [{**p, "source": moved(p["source"])} for p in d["pages"]]} for d in truth["documents"]],
            "excluded": [{**e, "source": moved(e["source"]), "duplicate_of": moved(e.get("duplicate_of"))} for e in truth["excluded"]]}


def trained_model(generator: str, total_pages: int, cache: Path, settings: Settings) -> Path:
    """A page model trained on one generator's cases with the shipped model's recipe (kept)."""
    from classification.training import TrainConfig, train

    folder = cache / "models" / f"{generator}-trained"
    if not (folder / "model.onnx").exists():
        cases = training_cases(generator, total_pages, cache, settings)
        meta = train(cases, folder, load_taxonomy(settings.taxonomy), TrainConfig(), version=f"{generator}-trained")
        print(f"trained {folder}: validation {meta['metrics']}", flush=True)
    return folder


def read_case_pages(generator: str, seed: int, pages: int, cases: Path, settings: Settings) -> tuple[Path, list, list]:
    """A generated case and its pages as read, kept under `cases` so that scoring again after a
    change to what follows reading costs no OCR (delete the folder after changing the reader)."""
    case = cases / f"{generator}-{seed}-{pages}"
    kept = case / "read.pickle"
    if kept.exists():
        sources, read = pickle.loads(kept.read_bytes())
        return case / "truth.json", sources, read
    truth = generate(generator, seed, pages, case)
    with tempfile.TemporaryDirectory(prefix="dossier-cross-") as tmp:
        sources, read = read_pages([case / "scans"], settings, Path(tmp), lambda *a: None, Timer())
    kept.write_bytes(pickle.dumps((sources, read)))
    return truth, sources, read


def run(generators: list[str], seeds: list[int], pages: int, classifiers: dict[str, str], out_dir: Path, cases: Path) -> dict:
    base = Settings()
    taxonomy = load_taxonomy(base.taxonomy)
    rows = []
    confusion: dict[tuple[str, str], Counter] = defaultdict(Counter)
    boundary_kinds: dict[tuple[str, str], Counter] = defaultdict(Counter)
    with tempfile.TemporaryDirectory(prefix="dossier-cross-") as tmp:
        for generator in generators:
            for seed in seeds:
                truth, sources, read = read_case_pages(generator, seed, pages, cases, base)
                for name, model in classifiers.items():
                    out = Path(tmp) / f"{generator}-{seed}-{name}"
                    out.mkdir()
                    result = write_dossier(sources, copy.deepcopy(read), out, base.model_copy(update={"page_model": model}))
                    ev = evaluate_files(truth, result.catalog, None)
                    for true_type, predicted in ev.type_confusion.items():
                        for p_type, n in predicted.items():
                            confusion[(name, generator)][(true_type, p_type)] += n
                    boundary_kinds[(name, generator)].update(e["kind"] for e in ev.boundary_errors)
                    headline = ev.headline()
                    row = {"generator": generator, "seed": seed, "classifier": name, "pages": result.pages,
                           **{k: round(headline[k], 4) for k in HEADLINE},
                           "boundary_errors": ev.boundary_errors,
                           "wrong_types": {t: {p: n for p, n in predicted.items() if p != t} for t, predicted in ev.type_confusion.items()
                                           if any(p != t for p in predicted)}}
                    rows.append(row)
                    print(json.dumps({k: v for k, v in row.items() if k not in ("boundary_errors",)}, ensure_ascii=False), flush=True)
    matrix = {name: {g: {k: float(np.mean([r[k] for r in rows if r["classifier"] == name and r["generator"] == g])) for k in HEADLINE}
                     for g in generators} for name in classifiers}
    report = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}",
        "seeds": seeds, "pages": pages, "classifiers": classifiers, "trained_on": {k: sorted(v) for k, v in TRAINED_ON.items()},
        "matrix": matrix,
        "unseen": {name: {k: float(np.mean([r[k] for r in rows if r["classifier"] == name and r["generator"] not in TRAINED_ON.get(name, set())]))
                          for k in HEADLINE} for name in classifiers},
        "boundary_errors_by_kind": {f"{n} / {g}": dict(c) for (n, g), c in boundary_kinds.items()},
        "confusions": {f"{n} / {g}": {f"{t} -> {p}": c for (t, p), c in sorted(cnt.items()) if t != p} for (n, g), cnt in confusion.items()},
        "cases": rows,
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"cross-generator-{report['date']}"
    stem.with_suffix(".json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    stem.with_suffix(".md").write_text(markdown(report), encoding="utf-8")
    _plot_matrix(report, stem.with_suffix(".png"))
    codes = list(taxonomy.codes) + ["excluded", "lost"]
    for name in classifiers:
        unseen = Counter()
        for (n, g), cnt in confusion.items():
            if n == name and g not in TRAINED_ON.get(name, set()):
                unseen.update(cnt)
        grid = np.zeros((len(codes), len(codes)), np.int64)
        for (t, p), c in unseen.items():
            grid[codes.index(t), codes.index(p)] += c
        plot_confusion(grid, codes, Path(f"{stem}-confusion-{name}.png"), f"{name}: page types on generators it was not trained on")
    return report


def markdown(report: dict) -> str:
    gens = list(next(iter(report["matrix"].values())))
    lines = [f"Across generators ({report['date']}, {report['machine']}; seeds {report['seeds']}, {report['pages']} pages each)", "",
             "Page type / boundary F1, means over the seeds (* = a generator the classifier was trained on):", "",
             "| classifier | " + " | ".join(gens) + " | unseen mean |", "|---" * (len(gens) + 2) + "|"]
    for name, by_gen in report["matrix"].items():
        cells = [f"{v['page_type_accuracy']:.3f} / {v['boundary_f1']:.3f}{' *' if g in report['trained_on'].get(name, []) else ''}"
                 for g, v in by_gen.items()]
        u = report["unseen"][name]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {u['page_type_accuracy']:.3f} / {u['boundary_f1']:.3f} |")
    lines += ["", "Boundary errors by kind:", ""]
    for key, kinds in sorted(report["boundary_errors_by_kind"].items()):
        if kinds:
            lines.append(f"- {key}: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    lines += ["", "Wrong page types (true -> predicted: pages):", ""]
    for key, wrong in sorted(report["confusions"].items()):
        if wrong:
            lines.append(f"- {key}: " + ", ".join(f"{k}: {n}" for k, n in wrong.items()))
    return "\n".join(lines) + "\n"


def _plot_matrix(report: dict, path: Path) -> None:
    names = list(report["matrix"])
    gens = list(report["matrix"][names[0]])
    fig, axes = plt.subplots(1, 2, figsize=(4 + 1.3 * len(gens), 1.2 + 0.6 * len(names)))
    for ax, key in zip(axes, ("page_type_accuracy", "boundary_f1")):
        grid = np.array([[report["matrix"][n][g][key] for g in gens] for n in names])
        ax.imshow(grid, cmap="RdYlGn", vmin=0.85, vmax=1.0)
        ax.set_xticks(range(len(gens)), gens, fontsize=8)
        ax.set_yticks(range(len(names)), names, fontsize=8)
        for i, n in enumerate(names):
            for j, g in enumerate(gens):
                mark = "*" if g in report["trained_on"].get(n, []) else ""
                ax.text(j, i, f"{grid[i, j]:.3f}{mark}", ha="center", va="center", fontsize=8)
        ax.set_title(key.replace("_", " "), fontsize=9)
    fig.suptitle("classifiers by generator (* trained on it)", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--generators", nargs="+", default=["normal", "hard", "independent", "forms", "county"])
    parser.add_argument("--seeds", type=int, nargs="+", default=[8101, 8102, 8103])
    parser.add_argument("--pages", type=int, default=70)
    parser.add_argument("--train-pages", type=int, default=720, help="pages of independent cases the independent-trained model learns from")
    parser.add_argument("--cache", type=Path, default=Path(".cache/training"))
    parser.add_argument("--cases", type=Path, default=Path(".cache/cross-generator"), help="generated cases and their reading, kept between runs")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    args = parser.parse_args()
    started = time.perf_counter()
    model = trained_model("independent", args.train_pages, args.cache, Settings())
    run(args.generators, args.seeds, args.pages, {"rules": "rules", "v1": "v1", "independent-trained": str(model.resolve())}, args.out, args.cases)
    print(f"done in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

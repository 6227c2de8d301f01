"""Training cases for the page models, made with the compile pipeline's own reading stages.

A training case is a folder with `pages.json` (what `dossier compile` records for every source
page: OCR lines, layout regions, orientation, thumbnail) and `labels.json` (a corrected
catalog, or a generator's truth); `classification.dataset.load_case` reads it. Reading (OCR and
layout) is the slow part, so a case is read once and kept: retraining only reads the folders.

Two ways to get cases:
- `synthetic_cases`: generated cases (normal and hard split alternating), cached by seed;
- `import_dossier`: a compiled dossier whose catalog a person has corrected, with its sources.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable
from pathlib import Path

from classification.dataset import DatasetError, label_pages
from compiler_service.pipeline import Progress, Stages, Timer, read_pages, reader_options
from compiler_service.settings import Settings
from ocr.output import atomic_folder
from ocr.page import page_record
from ocr.reader import PageReader

# Training seeds start here: far from the evaluation seeds (5101-5103, 6201-6203) and the ones
# used while developing the rules, so no evaluated case is ever trained on.
FIRST_TRAINING_SEED = 70_001


def read_case(scans: list[Path], settings: Settings, progress: Progress, reader: PageReader | None = None) -> list[dict]:
    """Every source page's stage results, as `pages.json` holds them."""
    with tempfile.TemporaryDirectory(prefix="dossier-unpack-") as unpack:
        _, pages = read_pages(scans, settings, Path(unpack), progress, Timer(), Stages(read=reader and reader.read))
    return [page_record(p) for p in pages]


def write_case(folder: Path, records: list[dict], labels: dict) -> Path:
    """Store a case (atomically: a half-written case would be taken as cached)."""
    # every page labelled exactly once, or refuse now rather than when training
    label_pages(folder.name, records, labels.get("documents", []), labels.get("excluded", ()))
    with atomic_folder(folder) as staging:
        (staging / "pages.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        (staging / "labels.json").write_text(json.dumps(labels, ensure_ascii=False), encoding="utf-8")
    return folder


def synthetic_cases(
    total_pages: int, cache: Path, settings: Settings, case_pages: int = 60, first_seed: int = FIRST_TRAINING_SEED,
    progress: Callable[[str, int, int], None] | None = None, reader: PageReader | None = None,
) -> list[Path]:
    """Generated training cases of `case_pages` pages until `total_pages`; every second case from
    the hard split. Cases already in `cache` are reused."""
    from casegen.synthetic import generate_case  # faker: the synth extra; importing cases needs none

    progress = progress or (lambda stage, done, total: None)
    cache.mkdir(parents=True, exist_ok=True)
    count = max(1, -(-total_pages // case_pages))
    folders = []
    for i in range(count):
        seed, hard = first_seed + i, i % 2 == 1
        folder = cache / f"synth-{seed}-{case_pages}{'-hard' if hard else ''}"
        progress("cases", i, count)
        if not ((folder / "pages.json").exists() and (folder / "labels.json").exists()):
            reader = reader or PageReader(reader_options(settings))
            with tempfile.TemporaryDirectory(prefix="dossier-synth-") as tmp:
                truth = generate_case(case_pages, seed, Path(tmp), hard=hard)
                records = read_case([Path(tmp) / "scans"], settings, progress, reader)
                write_case(folder, records, json.loads(truth.read_text(encoding="utf-8")))
        folders.append(folder)
    progress("cases", count, count)
    return folders


def import_dossier(
    dossier: Path, into: Path, settings: Settings, catalog: Path | None = None, sources: list[Path] | None = None,
    progress: Progress | None = None,
) -> Path:
    """Make a training case from a compiled dossier folder and its corrected catalog.

    The stage results come from the dossier's `pages.json`; a dossier without one (compiled
    elsewhere) needs its source files, which are read again. Given sources must be the files the
    catalog names (same SHA-256, same order)."""
    catalog = catalog or dossier / "catalog.json"
    if not catalog.exists():
        raise DatasetError(f"{catalog}: no such catalog")
    labels = json.loads(catalog.read_text(encoding="utf-8"))
    if sources:
        _check_sources(sources, labels, catalog)
    pages_file = dossier / "pages.json"
    records = json.loads(pages_file.read_text(encoding="utf-8")) if pages_file.exists() else None
    # a pages.json from before thumbnails were recorded would teach the model blank pictures
    if records is None or any(r.get("thumbnail") is None for r in records):
        if not sources:
            raise DatasetError(f"{dossier}: no pages.json with thumbnails; give the source files (--sources) to read them again")
        records = read_case(sources, settings, progress or (lambda stage, done, total: None))
    return write_case(into, records, {k: labels[k] for k in ("sources", "documents", "excluded") if k in labels})


def _check_sources(sources: list[Path], labels: dict, catalog: Path) -> None:
    from ocr.ingest import collect_inputs

    with tempfile.TemporaryDirectory(prefix="dossier-unpack-") as unpack:
        files = collect_inputs(sources, Path(unpack))
        digests = [hashlib.sha256(f.read_bytes()).hexdigest() for f in files]
    named = [s["sha256"] for s in labels.get("sources", [])]
    if digests != named:
        raise DatasetError(f"{catalog}: names {len(named)} source files that differ from the {len(digests)} given (SHA-256 or order)")


def case_folders(paths: list[Path]) -> list[Path]:
    """Training case folders from `--data` arguments: a case folder itself, or a folder of them."""
    out = []
    for path in paths:
        if (path / "pages.json").exists():
            out.append(path)
            continue
        cases = sorted(p for p in path.iterdir() if not p.name.startswith(".") and (p / "pages.json").exists()) if path.is_dir() else []
        if not cases:
            raise DatasetError(f"{path}: no training cases (folders with pages.json and labels.json)")
        out += cases
    return out


def export_corrections(roots: list[Path], into: Path, settings: Settings) -> list[Path]:
    """Every reviewed dossier under `roots` (result folders, or folders holding them, such as the
    service's `jobs`) as a training case in `into`, named by its PDF's SHA-256: exporting again
    refreshes a case instead of adding a twin."""
    found = sorted({c.parent for root in roots for c in ([root / "catalog.json"] if (root / "catalog.json").exists() else root.rglob("catalog.json"))})
    cases = []
    for folder in found:
        catalog = json.loads((folder / "catalog.json").read_text(encoding="utf-8"))
        if not catalog.get("review"):
            continue  # not corrected by a person: nothing to learn that the model did not say itself
        cases.append(import_dossier(folder, into / f"reviewed-{catalog['output']['sha256'][:16]}", settings))
    if not cases:
        raise DatasetError(f"no reviewed dossiers under {', '.join(map(str, roots))} (save a review first)")
    return cases

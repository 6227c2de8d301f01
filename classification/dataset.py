"""Labelled pages for training and evaluating page models.

A case on disk is a folder with `pages.json` (every source page's OCR lines, layout regions and
orientation, as `dossier compile` writes it beside the dossier) and `labels.json`, the documents
that say what each page is. `labels.json` has the shape of either

- a `catalog.json` that a person has checked and corrected (types, boundaries, excluded pages), or
- a `truth.json` written by `dossier synth` for a generated case.

(A compiler's own uncorrected catalog.json is not a label: it would teach the model its mistakes,
which is why the file has its own name.)

Each page gets the type of the document it belongs to, whether it starts that document (its
first page in reading order), and for pages outside every document the reason they were left
out. Pages stay in scan order, so sequence models see the stream as it was scanned.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path



@dataclass(frozen=True)
class LabelledPage:
    case: str
    file: int
    page: int
    record: dict  # the page's entry in pages.json
    type: str | None  # document type code; None for an excluded page
    starts_document: bool
    excluded: str | None = None  # blank, duplicate or unreadable
    document: int | None = None  # index of its document in the labels: pages of one document share it


class DatasetError(ValueError):
    pass


def label_pages(case: str, records: list[dict], documents: list[dict], excluded: Iterable[dict] = ()) -> list[LabelledPage]:
    """Join page records with documents (catalog or truth shape); every record must be labelled once."""
    label: dict[tuple[int, int], tuple[str | None, bool, str | None, int | None]] = {}
    for d, doc in enumerate(documents):
        for i, p in enumerate(doc["pages"]):
            key = (p["source"]["file"], p["source"]["page"])
            if key in label:
                raise DatasetError(f"{case}: source page {key[0]}:{key[1]} is in two documents")
            label[key] = (doc["type"], i == 0, None, d)
    for e in excluded:
        key = (e["source"]["file"], e["source"]["page"])
        if key in label:
            raise DatasetError(f"{case}: source page {key[0]}:{key[1]} is both in a document and excluded")
        label[key] = (None, False, e["reason"], None)
    out = []
    for record in records:
        key = (record["source"]["file"], record["source"]["page"])
        if key not in label:
            raise DatasetError(f"{case}: source page {key[0]}:{key[1]} has no label")
        dtype, starts, reason, document = label.pop(key)
        out.append(LabelledPage(case, key[0], key[1], record, dtype, starts, reason, document))
    if label:
        missing = ", ".join(f"{f}:{p}" for f, p in sorted(label))
        raise DatasetError(f"{case}: labels name pages that pages.json lacks: {missing}")
    return sorted(out, key=lambda lp: (lp.file, lp.page))


def load_case(folder: Path) -> list[LabelledPage]:
    """The labelled pages of one compiled case folder (see the module docstring)."""
    pages_file = folder / "pages.json"
    if not pages_file.exists():
        raise DatasetError(f"{folder}: no pages.json (compile the case with `dossier compile` first)")
    labels_file = folder / "labels.json"
    if not labels_file.exists():
        raise DatasetError(f"{folder}: no labels.json (a corrected catalog.json or a truth.json)")
    labels = json.loads(labels_file.read_text(encoding="utf-8"))
    records = json.loads(pages_file.read_text(encoding="utf-8"))
    return label_pages(folder.name, records, labels["documents"], labels.get("excluded", ()))


def write_jsonl(pages: Iterable[LabelledPage], path: Path) -> int:
    """Write one page per line (atomically); returns the number written."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    n = 0
    with open(tmp, "w", encoding="utf-8") as f:
        for lp in pages:
            f.write(json.dumps(asdict(lp), ensure_ascii=False) + "\n")
            n += 1
    tmp.replace(path)
    return n


def read_jsonl(path: Path) -> Iterator[LabelledPage]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield LabelledPage(**json.loads(line))

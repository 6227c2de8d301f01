"""Score a compiled dossier (``catalog.json`` + PDF) against the truth of a synthetic case.

The truth (``dossier-truth/1``, written by the synthetic generator) lists the case's source files,
its documents in canonical order with their pages in reading order, and the excluded (blank and
duplicate) pages. The catalog (``dossier-catalog/1``) lists the predicted documents in PDF order.
A source page is the pair (file index, 1-based page), in both.

Metric definitions (all fractions in [0, 1]; a metric whose denominator is empty scores 1.0):

``page_type_accuracy``
    Over the pages of truth documents: the fraction whose predicted document (the document of the
    catalog holding that source page; its first occurrence if the page is doubled) has the truth
    document's type. A page the catalog excludes or loses counts wrong.
``boundary_precision / boundary_recall / boundary_f1``
    A document's start is its first page in reading order (truth: the order of its ``pages``;
    catalog: ascending ``output_page``). The set of truth start pages is compared with the set of
    predicted start pages. Simple, but brittle: a compiler that gets the segmentation right but
    reorders the pages inside a document, or that keeps a blank page at the head of a document,
    loses a start on both sides. The two order-free scores below do not have that weakness.
``same_document``
    Pair-counting precision/recall/F1 over the pages of truth documents: a pair of pages is
    positive when both lie in the same document. Pages the catalog excludes or loses are in no
    predicted document. Indifferent to page order; weighs long documents quadratically.
``panoptic_quality`` (= ``segmentation_quality`` x ``recognition_quality``)
    Kirillov et al.'s Panoptic Quality on page sets, the score van Heusden, Kamps & Marx (WooIR,
    ICTIR 2022) found best suited to page stream segmentation: a truth and a predicted document
    match when their page sets have IoU > 0.5 (such a match is unique); RQ is the F1 of matched
    documents, SQ the mean IoU of the matches. Predicted page sets are taken as they are (a
    wrongly kept blank page lowers the IoU).
``document_exact_match``
    The fraction of truth documents for which some predicted document has exactly the same page
    set and the same type. ``segment_exact_match`` is the same without the type.
``pairwise_order_accuracy``
    Over all pairs of truth document pages that the catalog places in documents: the fraction
    whose order in the PDF (``output_page``) agrees with the truth order (documents in canonical
    order, then pages in reading order).
``field_accuracy``
    Over exactly matched documents (page set and type), per field, skipping documents whose truth
    value is null/empty: ``date`` (the YYYY-MM-DD part), ``date_time`` (to the minute, only where
    truth and prediction both carry a time), ``doc_number`` (NFKC, no whitespace, every bracket
    〔〕[]【】（）()［］〖〗 unified to []; ``spurious`` counts predictions where truth is null),
    ``author`` and ``principal`` (``persons[0]``), both exact after NFKC and whitespace removal.
``cer``
    Character error rate of the PDF's text layer on the truth document pages with text: the text
    of the page's output page, in the order the text layer writes it (one ``pdftotext -raw`` run,
    split on form feeds: the order copy and paste, search and a screen reader follow, so a table
    read out of cell order counts), and the
    truth text are normalized (NFKC, all whitespace removed); CER = sum of Levenshtein distances /
    sum of truth lengths. A truth page absent from the PDF counts with distance = its length.
    The compiled PDF stamps a page number on each page. The stamp is forgiven, not guessed:
    for each page we also try deleting one number token (a bare-number line anywhere, or a
    number standing as its own word at the start/end of the first two or last two lines) and keep
    the smallest distance; such a deletion can only lower the distance when the number is not in
    the truth. ``cer_raw`` is the same score without that forgiveness.
``pages_lost / pages_doubled``
    The source pages of the truth's sources that the catalog holds nowhere (neither in a
    document nor in ``excluded``), or more than once. ``pages_unknown``: catalog pages that are
    no page of the truth's sources.
``excluded``
    Precision/recall/F1 of predicted vs truth excluded pages: ``any`` (reason ignored), ``blank``,
    ``duplicate`` (by reason on both sides). ``duplicate_of_correct`` counts the matched
    duplicates that name the same original.

Catalog sources are mapped to truth sources by file name when the two name sets agree, else by
index (with a warning in ``warnings``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np
from rapidfuzz.distance import Levenshtein

TRUTH_SCHEMA = "dossier-truth/1"
CATALOG_SCHEMA = "dossier-catalog/1"

#: Acceptance targets for the headline figures: name -> (comparison, threshold).
TARGETS: dict[str, tuple[str, float]] = {
    "page_type_accuracy": (">=", 0.97),
    "boundary_f1": (">=", 0.97),
    "pairwise_order_accuracy": (">=", 0.97),
    "cer": ("<=", 0.05),
    "pages_lost": ("==", 0),
    "pages_doubled": ("==", 0),
}

Key = tuple[int, int]  # (file index, 1-based page), in truth file indices


# --------------------------------------------------------------------------------------------
# result types


@dataclass(frozen=True)
class SourcePage:
    """A source page named for a person: file index, page, the file's name, times held."""

    file: int
    page: int
    name: str
    count: int = 1

    def __str__(self) -> str:
        return f"{self.name} p.{self.page}"


@dataclass
class PRF:
    precision: float
    recall: float
    f1: float
    true_positives: int
    predicted: int
    truth: int


@dataclass
class FieldScore:
    correct: int = 0
    total: int = 0
    spurious: int = 0  # prediction non-null where truth is null (reported for doc_number)
    mismatches: list[dict[str, Any]] = field(default_factory=list)

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None


@dataclass
class PageCER:
    file: int
    page: int
    name: str
    output_page: int | None  # None: the page is nowhere in the PDF
    distance: int  # after forgiving the page-number stamp
    raw_distance: int
    length: int

    @property
    def cer(self) -> float:
        return self.distance / self.length if self.length else 0.0


@dataclass
class Evaluation:
    page_type_accuracy: float
    boundary_precision: float
    boundary_recall: float
    boundary_f1: float
    same_document: PRF
    panoptic_quality: float
    segmentation_quality: float
    recognition_quality: float
    document_exact_match: float
    segment_exact_match: float
    pairwise_order_accuracy: float
    field_accuracy: dict[str, FieldScore]
    cer: float | None
    cer_raw: float | None
    cer_pages: list[PageCER]
    pages_lost: list[SourcePage]
    pages_doubled: list[SourcePage]
    pages_unknown: list[dict[str, int]]
    excluded: dict[str, PRF]
    duplicate_of_correct: int
    counts: dict[str, int]
    case: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: truth type -> predicted type ("excluded" / "lost" where the page is in no document) -> pages
    type_confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    #: each boundary the catalog got wrong: page, kind, truth and predicted type
    boundary_errors: list[dict[str, Any]] = field(default_factory=list)

    # -- derived -------------------------------------------------------------------------------

    @property
    def cer_distance(self) -> int:
        return sum(p.distance for p in self.cer_pages)

    @property
    def cer_length(self) -> int:
        return sum(p.length for p in self.cer_pages)

    def headline(self) -> dict[str, float | int | None]:
        return {
            "page_type_accuracy": self.page_type_accuracy,
            "boundary_f1": self.boundary_f1,
            "same_document_f1": self.same_document.f1,
            "panoptic_quality": self.panoptic_quality,
            "document_exact_match": self.document_exact_match,
            "pairwise_order_accuracy": self.pairwise_order_accuracy,
            "date_accuracy": self.field_accuracy["date"].accuracy,
            "doc_number_accuracy": self.field_accuracy["doc_number"].accuracy,
            "cer": self.cer,
            "pages_lost": len(self.pages_lost),
            "pages_doubled": len(self.pages_doubled),
            "excluded_f1": self.excluded["any"].f1,
        }

    def targets(self) -> dict[str, bool | None]:
        """Each target -> met (None where the figure was not measured, e.g. CER without a PDF)."""
        figures = self.headline()
        return {name: _meets(figures[name], op, bound) for name, (op, bound) in TARGETS.items()}

    @property
    def passed(self) -> bool:
        return all(v is not False for v in self.targets().values())

    def worst_pages(self, n: int = 10) -> list[PageCER]:
        return sorted(self.cer_pages, key=lambda p: (-p.cer, p.file, p.page))[:n]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["field_accuracy"] = {
            k: {**asdict(v), "accuracy": v.accuracy} for k, v in self.field_accuracy.items()
        }
        d["cer_pages"] = [{**asdict(p), "cer": p.cer} for p in self.cer_pages]
        d["pages_lost"] = [{**asdict(p), "label": str(p)} for p in self.pages_lost]
        d["pages_doubled"] = [{**asdict(p), "label": str(p)} for p in self.pages_doubled]
        d["headline"] = self.headline()
        d["targets"] = self.targets()
        d["passed"] = self.passed
        return d


def _meets(value: float | int | None, op: str, bound: float) -> bool | None:
    if value is None:
        return None
    if op == ">=":
        return value >= bound
    if op == "<=":
        return value <= bound
    return value == bound


# --------------------------------------------------------------------------------------------
# entry points


def evaluate_files(
    truth_path: str | Path, catalog_path: str | Path, pdf_path: str | Path | None
) -> Evaluation:
    truth = json.loads(Path(truth_path).read_text(encoding="utf-8"))
    catalog = json.loads(Path(catalog_path).read_text(encoding="utf-8"))
    return evaluate(truth, catalog, Path(pdf_path) if pdf_path is not None else None)


def evaluate(
    truth: dict, catalog: dict, pdf: Path | str | None, *, validate: bool = True
) -> Evaluation:
    """Score ``catalog`` (and the text layer of ``pdf``; None skips CER) against ``truth``."""
    if truth.get("schema") != TRUTH_SCHEMA:
        raise ValueError(f"truth schema is {truth.get('schema')!r}, expected {TRUTH_SCHEMA!r}")
    if validate:
        _validate_catalog(catalog)
    warnings: list[str] = []
    names = [s["name"] for s in truth["sources"]]
    file_map = _map_sources(truth["sources"], catalog["sources"], warnings)

    def key(src: dict) -> Key:
        f = src["file"]
        return (file_map.get(f, -1 - f), src["page"])

    truth = _duplicates_kept_as_predicted(truth, catalog, key)

    # ---- truth -------------------------------------------------------------------------------
    t_docs = truth["documents"]
    t_pages: list[Key] = []  # all truth document pages, in truth order
    t_doc_of: dict[Key, int] = {}
    t_sets: list[frozenset[Key]] = []
    t_starts: set[Key] = set()
    t_text: dict[Key, str] = {}
    for i, doc in enumerate(t_docs):
        ks = [(p["source"]["file"], p["source"]["page"]) for p in doc["pages"]]
        t_pages.extend(ks)
        for p, k in zip(doc["pages"], ks):
            t_doc_of[k] = i
            t_text[k] = p.get("text") or ""
        t_sets.append(frozenset(ks))
        if ks:
            t_starts.add(ks[0])
    t_excl = {(e["source"]["file"], e["source"]["page"]): e for e in truth.get("excluded", [])}

    # ---- prediction --------------------------------------------------------------------------
    p_docs = catalog["documents"]
    placed: dict[Key, tuple[int, int]] = {}  # first occurrence: (predicted doc, output_page)
    occurrences: dict[Key, int] = {}
    p_sets: list[frozenset[Key]] = []
    p_starts: set[Key] = set()
    for j, doc in enumerate(p_docs):
        pages = sorted(doc["pages"], key=lambda p: p["output_page"])
        ks = [key(p["source"]) for p in pages]
        for p, k in zip(pages, ks):
            occurrences[k] = occurrences.get(k, 0) + 1
            placed.setdefault(k, (j, p["output_page"]))
        p_sets.append(frozenset(ks))
        if ks:
            p_starts.add(ks[0])
    p_excl: dict[Key, dict] = {}
    for e in catalog.get("excluded", []):
        k = key(e["source"])
        occurrences[k] = occurrences.get(k, 0) + 1
        p_excl.setdefault(k, e)

    # ---- page type -----------------------------------------------------------------------------
    correct = sum(
        1
        for k in t_pages
        if k in placed and p_docs[placed[k][0]]["type"] == t_docs[t_doc_of[k]]["type"]
    )
    page_type_accuracy = _ratio(correct, len(t_pages))
    type_confusion: dict[str, dict[str, int]] = {}
    for k in t_pages:
        predicted = p_docs[placed[k][0]]["type"] if k in placed else "excluded" if k in p_excl else "lost"
        row = type_confusion.setdefault(t_docs[t_doc_of[k]]["type"], {})
        row[predicted] = row.get(predicted, 0) + 1

    # ---- segmentation --------------------------------------------------------------------------
    boundary = _prf(len(t_starts & p_starts), len(p_starts), len(t_starts))
    boundary_errors = _boundary_errors(t_starts, p_starts, t_docs, t_doc_of, p_docs, placed, t_excl, names)
    same_document = _same_document_pairs(t_pages, t_doc_of, placed)
    sq, rq, pq = _panoptic(t_sets, p_sets)
    p_index: dict[frozenset[Key], list[int]] = {}
    for j, s in enumerate(p_sets):
        p_index.setdefault(s, []).append(j)
    matched: dict[int, int] = {}  # truth doc -> predicted doc, exact page set and type
    segment_hits = 0
    for i, s in enumerate(t_sets):
        candidates = p_index.get(s, [])
        if candidates:
            segment_hits += 1
        for j in candidates:
            if p_docs[j]["type"] == t_docs[i]["type"]:
                matched[i] = j
                break

    # ---- order ---------------------------------------------------------------------------------
    order = np.array([placed[k][1] for k in t_pages if k in placed], dtype=np.int64)
    pairwise_order_accuracy = _pairwise_order(order)

    # ---- fields --------------------------------------------------------------------------------
    field_accuracy = _fields(t_docs, p_docs, matched)

    # ---- lost / doubled / unknown ------------------------------------------------------------
    universe = [(f, p) for f, s in enumerate(truth["sources"]) for p in range(1, s["pages"] + 1)]
    universe_set = set(universe)
    pages_lost = [SourcePage(f, p, names[f], 0) for f, p in universe if (f, p) not in occurrences]
    pages_doubled = [
        SourcePage(f, p, names[f], occurrences[(f, p)])
        for f, p in universe
        if occurrences.get((f, p), 0) > 1
    ]
    pages_unknown = [
        {"file": f, "page": p, "count": n}
        for (f, p), n in sorted(occurrences.items())
        if (f, p) not in universe_set
    ]
    if pages_unknown:
        warnings.append(f"{len(pages_unknown)} catalog page(s) are no page of the truth sources")

    # ---- excluded ------------------------------------------------------------------------------
    excluded = {"any": _prf(len(t_excl.keys() & p_excl.keys()), len(p_excl), len(t_excl))}
    for reason in ("blank", "duplicate"):
        t = {k for k, e in t_excl.items() if e["reason"] == reason}
        p = {k for k, e in p_excl.items() if e["reason"] == reason}
        excluded[reason] = _prf(len(t & p), len(p), len(t))
    duplicate_of_correct = 0
    for k, e in t_excl.items():
        pe = p_excl.get(k)
        if e["reason"] == "duplicate" and pe and pe["reason"] == "duplicate":
            t_of, p_of = e.get("duplicate_of"), pe.get("duplicate_of")
            if t_of and p_of and (t_of["file"], t_of["page"]) == key(p_of):
                duplicate_of_correct += 1

    # ---- text layer ----------------------------------------------------------------------------
    cer = cer_raw = None
    cer_pages: list[PageCER] = []
    if pdf is not None:
        page_texts = pdf_page_texts(Path(pdf))
        for k in t_pages:
            ref = normalize_text(t_text[k])
            if not ref:
                continue
            out = placed[k][1] if k in placed else (p_excl.get(k) or {}).get("output_page")
            if out is not None and not 1 <= out <= len(page_texts):
                warnings.append(f"output page {out} of {names[k[0]]} p.{k[1]} is not in the PDF")
                out = None
            if out is None:
                d = raw = len(ref)
            else:
                d, raw = page_distance(ref, page_texts[out - 1])
            cer_pages.append(PageCER(k[0], k[1], names[k[0]], out, d, raw, len(ref)))
        total = sum(p.length for p in cer_pages)
        cer = _ratio(sum(p.distance for p in cer_pages), total, empty=0.0)
        cer_raw = _ratio(sum(p.raw_distance for p in cer_pages), total, empty=0.0)

    counts = {
        "source_pages": len(universe),
        "truth_documents": len(t_docs),
        "predicted_documents": len(p_docs),
        "truth_document_pages": len(t_pages),
        "predicted_document_pages": sum(len(d["pages"]) for d in p_docs),
        "truth_excluded": len(t_excl),
        "predicted_excluded": len(catalog.get("excluded", [])),
        "exactly_matched_documents": len(matched),
    }
    case = {
        "seed": truth.get("seed"),
        "case_number": (truth.get("case") or {}).get("case_number"),
        "profile": (truth.get("case") or {}).get("profile"),
    }
    return Evaluation(
        page_type_accuracy=page_type_accuracy,
        boundary_precision=boundary.precision,
        boundary_recall=boundary.recall,
        boundary_f1=boundary.f1,
        same_document=same_document,
        panoptic_quality=pq,
        segmentation_quality=sq,
        recognition_quality=rq,
        document_exact_match=_ratio(len(matched), len(t_docs)),
        segment_exact_match=_ratio(segment_hits, len(t_docs)),
        pairwise_order_accuracy=pairwise_order_accuracy,
        field_accuracy=field_accuracy,
        cer=cer,
        cer_raw=cer_raw,
        cer_pages=cer_pages,
        pages_lost=pages_lost,
        pages_doubled=pages_doubled,
        pages_unknown=pages_unknown,
        excluded=excluded,
        duplicate_of_correct=duplicate_of_correct,
        counts=counts,
        case=case,
        warnings=warnings,
        type_confusion=type_confusion,
        boundary_errors=boundary_errors,
    )


def _duplicates_kept_as_predicted(truth: dict, catalog: dict, key) -> dict:
    """The truth with each rescan pair kept the way the catalog kept it: which of two copies of
    one sheet is "the duplicate" is a matter of scan order (the compiler reads files in name
    order, a generator may list them otherwise), not of right or wrong."""
    swaps: dict[Key, Key] = {}
    t_dups = {(e["source"]["file"], e["source"]["page"]): e["duplicate_of"] for e in truth.get("excluded", []) if e["reason"] == "duplicate"}
    for e in catalog.get("excluded", []):
        if e.get("reason") != "duplicate" or not e.get("duplicate_of"):
            continue
        kept_out, kept = key(e["source"]), key(e["duplicate_of"])
        original = t_dups.get(kept)
        if original and (original["file"], original["page"]) == kept_out and kept_out not in t_dups:
            swaps[kept_out], swaps[kept] = kept, kept_out
    if not swaps:
        return truth

    def swapped(src: dict | None) -> dict | None:
        if not src or (src["file"], src["page"]) not in swaps:
            return src
        f, p = swaps[(src["file"], src["page"])]
        return {**src, "file": f, "page": p}

    return {**truth,
            "documents": [{**d, "pages": [{**pg, "source": swapped(pg["source"])} for pg in d["pages"]]} for d in truth["documents"]],
            "excluded": [{**e, "source": swapped(e["source"]), "duplicate_of": swapped(e.get("duplicate_of"))} for e in truth.get("excluded", [])]}


def _boundary_errors(t_starts: set[Key], p_starts: set[Key], t_docs: list[dict], t_doc_of: dict[Key, int], p_docs: list[dict],
                     placed: dict[Key, tuple[int, int]], t_excl: dict[Key, dict], names: list[str]) -> list[dict[str, Any]]:
    """Each wrong boundary by kind: a document run into the one before (``joined``), a
    continuation page that began a document (``cut``), an excluded page that began one
    (``excluded page started``), a document whose first page is elsewhere (``start elsewhere``)."""
    errors = []
    for k in sorted(t_starts ^ p_starts):
        truth_type = t_docs[t_doc_of[k]]["type"] if k in t_doc_of else None
        predicted = p_docs[placed[k][0]]["type"] if k in placed else None
        if k in t_starts:
            kind = "joined" if k in placed else "start elsewhere"
        else:
            kind = "excluded page started" if k in t_excl else "cut"
        errors.append({"page": f"{names[k[0]] if 0 <= k[0] < len(names) else k[0]} p.{k[1]}", "kind": kind,
                       "truth_type": truth_type, "predicted_type": predicted})
    return errors


# --------------------------------------------------------------------------------------------
# pieces


def _validate_catalog(catalog: dict) -> None:
    """The schema only: an evaluator judges catalogs from any compiler, not just ours."""
    import jsonschema

    from classification.taxonomy import catalog_schema_text

    schema = json.loads(catalog_schema_text())
    try:
        jsonschema.validate(catalog, schema)
    except jsonschema.ValidationError as e:
        where = "/".join(str(p) for p in e.absolute_path) or "(root)"
        raise ValueError(f"catalog is not valid {CATALOG_SCHEMA}: at {where}: {e.message}") from e


def _map_sources(t_sources: list[dict], c_sources: list[dict], warnings: list[str]) -> dict:
    t_names = [Path(s["name"]).name for s in t_sources]
    c_names = [Path(s["name"]).name for s in c_sources]
    if len(set(t_names)) == len(t_names) and sorted(t_names) == sorted(c_names):
        mapping = {i: t_names.index(n) for i, n in enumerate(c_names)}
    else:
        if c_names != t_names:
            warnings.append("catalog source names differ from the truth's; matching by index")
        mapping = {i: i for i in range(len(c_sources))}
    for i, s in enumerate(c_sources):
        t = mapping[i]
        if t < len(t_sources) and s["pages"] != t_sources[t]["pages"]:
            warnings.append(
                f"{s['name']}: catalog says {s['pages']} pages, truth {t_sources[t]['pages']}"
            )
    return mapping


def _ratio(num: float, den: float, empty: float = 1.0) -> float:
    return num / den if den else empty


def _prf(tp: int, predicted: int, truth: int) -> PRF:
    """Precision/recall/F1; an empty side scores 1.0 (nothing claimed / nothing to find)."""
    p = _ratio(tp, predicted)
    r = _ratio(tp, truth)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return PRF(p, r, f1, tp, predicted, truth)


def _pairs(n: np.ndarray) -> int:
    n = n.astype(np.int64)
    return int((n * (n - 1) // 2).sum())


def _same_document_pairs(
    t_pages: list[Key], t_doc_of: dict[Key, int], placed: dict[Key, tuple[int, int]]
) -> PRF:
    """Pair counting over truth document pages via the truth x prediction contingency table."""
    truth_sizes: dict[int, int] = {}
    pred_sizes: dict[int, int] = {}
    cells: dict[tuple[int, int], int] = {}
    for k in t_pages:
        t = t_doc_of[k]
        truth_sizes[t] = truth_sizes.get(t, 0) + 1
        if k in placed:
            p = placed[k][0]
            pred_sizes[p] = pred_sizes.get(p, 0) + 1
            cells[(t, p)] = cells.get((t, p), 0) + 1
    tp = _pairs(np.fromiter(cells.values(), dtype=np.int64))
    return _prf(
        tp,
        _pairs(np.fromiter(pred_sizes.values(), dtype=np.int64)),
        _pairs(np.fromiter(truth_sizes.values(), dtype=np.int64)),
    )


def _panoptic(
    t_sets: list[frozenset[Key]], p_sets: list[frozenset[Key]]
) -> tuple[float, float, float]:
    """(SQ, RQ, PQ) with IoU > 0.5 matching of page sets."""
    owner: dict[Key, list[int]] = {}
    for j, s in enumerate(p_sets):
        for k in s:
            owner.setdefault(k, []).append(j)
    ious: list[float] = []
    used: set[int] = set()
    for t in t_sets:
        if not t:
            continue
        for j in sorted({j for k in t for j in owner.get(k, [])}):
            p = p_sets[j]
            inter = len(t & p)
            iou = inter / (len(t) + len(p) - inter)
            if iou > 0.5 and j not in used:
                used.add(j)
                ious.append(iou)
                break
    tp = len(ious)
    fp = sum(1 for s in p_sets if s) - tp
    fn = sum(1 for s in t_sets if s) - tp
    if tp + fp + fn == 0:
        return 1.0, 1.0, 1.0
    rq = tp / (tp + 0.5 * fp + 0.5 * fn)
    sq = sum(ious) / tp if tp else 0.0
    return sq, rq, sq * rq


def _pairwise_order(order: np.ndarray) -> float:
    """Fraction of pairs i < j (truth order) with order[i] < order[j]."""
    n = len(order)
    if n < 2:
        return 1.0
    # Counting agreeing pairs is counting non-inversions; O(n^2) memory is fine up to a few
    # thousand pages, so do it in blocks to stay bounded.
    agree = 0
    block = 1024
    for start in range(0, n, block):
        a = order[start : start + block, None]
        b = order[None, :]
        idx_i = np.arange(start, min(start + block, n))[:, None]
        idx_j = np.arange(n)[None, :]
        agree += int(((idx_j > idx_i) & (b > a)).sum())
    return agree / (n * (n - 1) // 2)


# ---- fields -----------------------------------------------------------------------------------

_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2}))?")
_OPEN = str.maketrans({c: "[" for c in "〔[【（(［〖"} | {c: "]" for c in "〕]】）)］〗"})


def _date_parts(value: str | None) -> tuple[str | None, str | None]:
    """('YYYY-MM-DD', 'YYYY-MM-DDTHH:MM' or None) from an ISO-ish date string."""
    if not value:
        return None, None
    m = _DATE.search(unicodedata.normalize("NFKC", value))
    if not m:
        return None, None
    y, mo, d, h, mi = m.groups()
    date = f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
    return date, (f"{date}T{int(h):02d}:{int(mi):02d}" if h is not None else None)


def normalize_doc_number(value: str | None) -> str | None:
    if value is None:
        return None
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value)).translate(_OPEN)
    return s or None


def _plain(value: str | None) -> str | None:
    if value is None:
        return None
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value)) or None


def _principal(doc: dict) -> str | None:
    persons = doc.get("persons") or []
    return persons[0] if persons else None


def _fields(t_docs: list[dict], p_docs: list[dict], matched: dict[int, int]) -> dict:
    scores = {k: FieldScore() for k in ("date", "date_time", "doc_number", "author", "principal")}

    def score(name: str, i: int, t_val, p_val, t_raw, p_raw) -> None:
        s = scores[name]
        if t_val is None:
            if p_val is not None:
                s.spurious += 1
            return
        s.total += 1
        if t_val == p_val:
            s.correct += 1
        else:
            s.mismatches.append({"document": i, "truth": t_raw, "predicted": p_raw})

    for i, j in sorted(matched.items()):
        t, p = t_docs[i], p_docs[j]
        t_date, t_dt = _date_parts(t.get("date"))
        p_date, p_dt = _date_parts(p.get("date"))
        score("date", i, t_date, p_date, t.get("date"), p.get("date"))
        if t_dt is not None and p_dt is not None:
            score("date_time", i, t_dt, p_dt, t.get("date"), p.get("date"))
        score(
            "doc_number",
            i,
            normalize_doc_number(t.get("doc_number")),
            normalize_doc_number(p.get("doc_number")),
            t.get("doc_number"),
            p.get("doc_number"),
        )
        score("author", i, _plain(t.get("author")), _plain(p.get("author")),
              t.get("author"), p.get("author"))  # fmt: skip
        score("principal", i, _plain(_principal(t)), _plain(_principal(p)),
              _principal(t), _principal(p))  # fmt: skip
    return scores


# ---- text layer ---------------------------------------------------------------------------------

_WS = re.compile(r"\s+")
_NUMBER_TOKEN = re.compile(r"^[-–—]?\d{1,6}[-–—]?$")
_MAX_STAMP_CANDIDATES = 8


def normalize_text(text: str) -> str:
    return _WS.sub("", unicodedata.normalize("NFKC", text))


def pdf_page_texts(pdf: Path) -> list[str]:
    """The text layer of every page of ``pdf`` in its written order (one pdftotext run, split on form feeds)."""
    exe = shutil.which("pdftotext")
    if exe is None:
        raise RuntimeError("pdftotext (poppler-utils) is needed to measure CER")
    run = subprocess.run(
        [exe, "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=False
    )
    if run.returncode != 0:
        raise RuntimeError(f"pdftotext failed on {pdf}: {run.stderr.decode(errors='replace')}")
    pages = run.stdout.decode("utf-8", errors="replace").split("\f")
    if pages and pages[-1].strip() == "":
        pages.pop()  # pdftotext ends every page, the last included, with a form feed
    return pages


def _stamp_candidates(text: str) -> list[str]:
    """Variants of ``text`` with one number token (a likely page-number stamp) deleted."""
    lines = text.split("\n")
    nonempty = [i for i, line in enumerate(lines) if line.strip()]
    edge = set(nonempty[:2] + nonempty[-2:])
    variants: list[str] = []
    for i, line in enumerate(lines):
        words = line.split()
        if not words:
            continue
        if len(words) == 1 and _NUMBER_TOKEN.match(words[0]):
            variants.append("\n".join(lines[:i] + lines[i + 1 :]))
        elif i in edge:
            for w in (0, len(words) - 1):
                if _NUMBER_TOKEN.match(words[w]):
                    rest = " ".join(words[:w] + words[w + 1 :])
                    variants.append("\n".join(lines[:i] + [rest] + lines[i + 1 :]))
    if len(variants) > _MAX_STAMP_CANDIDATES:  # keep those nearest the top and bottom
        half = _MAX_STAMP_CANDIDATES // 2
        variants = variants[:half] + variants[-half:]
    return variants


def page_distance(reference: str, extracted: str) -> tuple[int, int]:
    """(distance forgiving one page-number stamp, raw distance); ``reference`` is normalized."""
    raw = Levenshtein.distance(reference, normalize_text(extracted))
    best = raw
    for variant in _stamp_candidates(extracted):
        if best == 0:
            break
        best = min(best, Levenshtein.distance(reference, normalize_text(variant)))
    return best, raw


# --------------------------------------------------------------------------------------------
# presentation and aggregation


def _fmt(value: float | int | None, percent: bool = True) -> str:
    if value is None:
        return "—"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return f"{value:.2%}" if percent else f"{value:.4f}"


def target_text(name: str) -> str:
    """A target as `eval` prints it (and the README quotes it): ">= 97%", "== 0"."""
    op, bound = TARGETS[name]
    return f"{op} {bound:.0%}" if isinstance(bound, float) else f"{op} {bound}"


def format_table(ev: Evaluation, title: str = "Dossier evaluation"):
    """A rich Table of the headline figures, with ✓/✗ against the targets."""
    from rich.table import Table

    table = Table(title=title)
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("target", justify="right")
    table.add_column("", justify="center")
    targets = ev.targets()

    def row(label: str, name: str | None, value, detail: str = "") -> None:
        target, mark = "", ""
        if name in TARGETS:
            target = target_text(name)
            met = targets[name]
            mark = "—" if met is None else ("[green]✓[/]" if met else "[red]✗[/]")
        text = _fmt(value)
        table.add_row(label, text + (f" ({detail})" if detail else ""), target, mark)

    fa = ev.field_accuracy
    row("page type accuracy", "page_type_accuracy", ev.page_type_accuracy)
    row("boundary F1", "boundary_f1", ev.boundary_f1,
        f"P {ev.boundary_precision:.2%} R {ev.boundary_recall:.2%}")  # fmt: skip
    row("same-document pairs F1", None, ev.same_document.f1)
    row("panoptic quality", None, ev.panoptic_quality)
    row("document exact match", None, ev.document_exact_match)
    row("pairwise order", "pairwise_order_accuracy", ev.pairwise_order_accuracy)
    row("date", None, fa["date"].accuracy, f"{fa['date'].correct}/{fa['date'].total}")
    row("doc number", None, fa["doc_number"].accuracy,
        f"{fa['doc_number'].correct}/{fa['doc_number'].total}")  # fmt: skip
    row("text layer CER", "cer", ev.cer)
    row("pages lost", "pages_lost", len(ev.pages_lost))
    row("pages doubled", "pages_doubled", len(ev.pages_doubled))
    ex = ev.excluded["any"]
    row("excluded pages F1", None, ex.f1, f"P {ex.precision:.2%} R {ex.recall:.2%}")
    c = ev.counts
    table.caption = (
        f"{c['truth_documents']} truth / {c['predicted_documents']} predicted documents, "
        f"{c['source_pages']} source pages"
    )
    return table


_MEAN_FIELDS = (
    "page_type_accuracy",
    "boundary_precision",
    "boundary_recall",
    "boundary_f1",
    "panoptic_quality",
    "document_exact_match",
    "segment_exact_match",
    "pairwise_order_accuracy",
    "cer",
    "cer_raw",
)


def _mean(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


def summarize(evals: list[Evaluation]) -> dict[str, Any]:
    """Means over several cases (macro), plus pooled CER/field accuracy and total page faults."""
    out: dict[str, Any] = {"cases": len(evals)}
    for name in _MEAN_FIELDS:
        out[name] = _mean(getattr(e, name) for e in evals)
    out["same_document_f1"] = _mean(e.same_document.f1 for e in evals)
    out["excluded_f1"] = _mean(e.excluded["any"].f1 for e in evals)
    length = sum(e.cer_length for e in evals)
    out["cer_pooled"] = (
        sum(e.cer_distance for e in evals) / length
        if any(e.cer is not None for e in evals) and length
        else None
    )
    fields = {}
    for name in ("date", "date_time", "doc_number", "author", "principal"):
        correct = sum(e.field_accuracy[name].correct for e in evals)
        total = sum(e.field_accuracy[name].total for e in evals)
        fields[name] = correct / total if total else None
    out["field_accuracy"] = fields
    out["pages_lost"] = sum(len(e.pages_lost) for e in evals)
    out["pages_doubled"] = sum(len(e.pages_doubled) for e in evals)
    out["cases_passed"] = sum(1 for e in evals if e.passed)
    out["targets"] = {
        name: _meets(out[name], op, bound) for name, (op, bound) in TARGETS.items()
    }
    return out

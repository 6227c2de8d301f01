"""The catalog written beside the compiled PDF (`catalog.json`, schema "dossier-catalog/1").

`build_catalog` turns the dossier and the result of assembly into the catalog, checks that every
source page stands exactly once in it (in one document, or excluded) and validates it against
`spec/catalog.schema.json`. `validate_catalog` can be used on any catalog read back from disk.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import pikepdf

from cataloging.assemble import AssembledPdf, document_title, exclusion_reason
from cataloging.dossier import Dossier
from classification.taxonomy import Taxonomy, catalog_schema_text
from ocr.ingest import sha256_file
from ocr.page import Page, PageRef

SCHEMA = "dossier-catalog/1"
_MAX_LISTED = 20  # pages named in one error message


class CatalogError(ValueError):
    """The catalog (or the dossier it is built from) breaks the contract."""


# --------------------------------------------------------------------------------------------
# build


def build_catalog(
    dossier: Dossier,
    taxonomy: Taxonomy,
    assembled: AssembledPdf,
    pdf_path: Path,
    *,
    pdf_name: str | None = None,
) -> dict[str, Any]:
    """The catalog of an assembled dossier.

    `pdf_path` is the PDF as written (hashed and counted here); `pdf_name` is the file name
    recorded in the catalog when it differs from `pdf_path.name` (e.g. written under a temporary
    name and renamed afterwards).
    """
    pdf_path = Path(pdf_path)
    _check_pages(dossier, assembled)
    _check_codes(dossier, taxonomy)
    page_count = _pdf_page_count(pdf_path)
    if page_count != assembled.page_count:
        raise CatalogError(f"{pdf_path} has {page_count} pages, the assembly reported {assembled.page_count}")

    documents = []
    seq = 0
    for volume in dossier.volumes:
        for doc in volume.documents:
            seq += 1
            documents.append(
                {
                    "seq": seq,
                    "type": doc.type,
                    "volume": volume.code,
                    "title": document_title(doc, taxonomy),
                    "doc_number": doc.doc_number or None,
                    "author": doc.author or None,
                    "date": doc.date or None,
                    "persons": list(doc.persons),
                    "confidence": _unit(doc.confidence),
                    "flags": list(doc.flags),
                    "pages": [
                        {
                            "source": _ref(page.ref),
                            "output_page": assembled.output_pages[page.ref],
                            "page_number": assembled.page_numbers.get(page.ref),
                            "rotation": _rotation(page.rotation),
                            "ocr_confidence": round(float(page.ocr_confidence), 4),
                        }
                        for page in doc.pages
                    ],
                }
            )

    excluded = [
        {
            "source": _ref(page.ref),
            "reason": exclusion_reason(page),
            "duplicate_of": _ref(page.duplicate_of) if page.duplicate_of is not None else None,
            "output_page": assembled.output_pages.get(page.ref),
            **({"detail": page.unreadable} if page.unreadable is not None else {}),
        }
        for page in dossier.excluded
    ]

    data: dict[str, Any] = {
        "schema": SCHEMA,
        "case": {
            "case_number": dossier.case_number,
            "title": dossier.case_title,
            "profile": dossier.profile,
            # 立卷单位 and 立卷人 where known: the review page starts from them
            **{k: v for k, v in (("compiled_unit", dossier.compiled_unit), ("compiled_by", dossier.compiled_by)) if v},
            **(dossier.elements.to_json() if dossier.elements else {}),
        },
        "checks": [finding.to_json() for finding in dossier.findings],
        "sources": [{"name": s.name, "sha256": s.sha256.lower(), "pages": s.pages} for s in dossier.sources],
        "documents": documents,
        "excluded": excluded,
        "output": {
            "pdf": pdf_name or pdf_path.name,
            "sha256": sha256_file(pdf_path),
            "page_count": page_count,
            "catalog_pages": assembled.catalog_pages,
        },
        "timings": {str(k): float(v) for k, v in dossier.timings.items()},
    }
    validate_catalog(data)
    return data


def _ref(ref: PageRef) -> dict[str, int]:
    return {"file": ref.file, "page": ref.page}


def _unit(value: float) -> float:
    return round(min(1.0, max(0.0, float(value))), 4)


def _rotation(degrees: int) -> int:
    return int(round((degrees or 0) / 90.0)) % 4 * 90


def _pdf_page_count(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def _describe(dossier: Dossier, ref: PageRef) -> str:
    if 0 <= ref.file < len(dossier.sources):
        return f"source page {ref} ({dossier.sources[ref.file].name} page {ref.page})"
    return f"source page {ref}"


def _listing(dossier: Dossier, refs: list[PageRef]) -> str:
    named = ", ".join(_describe(dossier, r) for r in refs[:_MAX_LISTED])
    more = f" and {len(refs) - _MAX_LISTED} more" if len(refs) > _MAX_LISTED else ""
    return named + more


def _check_pages(dossier: Dossier, assembled: AssembledPdf) -> None:
    """Every source page exactly once: in one document, or excluded; and in the PDF."""
    placed: list[Page] = [p for d in dossier.documents for p in d.pages] + list(dossier.excluded)
    seen = Counter(p.ref for p in placed)
    expected = [PageRef(i, n) for i, s in enumerate(dossier.sources) for n in range(1, s.pages + 1)]
    expected_set = set(expected)
    problems = []
    missing = [r for r in expected if r not in seen]
    if missing:
        problems.append(f"{_listing(dossier, missing)}: in no document and not excluded")
    twice = sorted(r for r, n in seen.items() if n > 1)
    if twice:
        problems.append(f"{_listing(dossier, twice)}: placed more than once")
    unknown = sorted(r for r in seen if r not in expected_set)
    if unknown:
        problems.append(f"{_listing(dossier, unknown)}: not a page of the sources")
    absent = sorted(r for r in seen if r not in assembled.output_pages)
    if absent:
        problems.append(f"{_listing(dossier, absent)}: not in the assembled PDF")
    if problems:
        raise CatalogError("every source page must appear exactly once; " + "; ".join(problems))


def _check_codes(dossier: Dossier, taxonomy: Taxonomy) -> None:
    types = set(taxonomy.codes)
    volumes = {v.code for v in taxonomy.volumes}
    problems = []
    for volume in dossier.volumes:
        if volume.code not in volumes:
            problems.append(f"volume code {volume.code!r} ({volume.title}) is not in taxonomy {taxonomy.profile!r}")
        for doc in volume.documents:
            if doc.type not in types:
                where = doc.pages[0].ref if doc.pages else "?"
                problems.append(f"document type {doc.type!r} (first page {where}) is not in taxonomy {taxonomy.profile!r}")
    if problems:
        raise CatalogError("; ".join(problems))


# --------------------------------------------------------------------------------------------
# validate and write


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(catalog_schema_text())
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    cls.check_schema(schema)
    return cls(schema)


def validate_catalog(data: dict[str, Any]) -> None:
    """Raise CatalogError naming every place where `data` breaks the schema or the page rule
    (each source page exactly once, output pages inside the PDF, seq 1..n)."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        lines = [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors[:_MAX_LISTED]]
        if len(errors) > _MAX_LISTED:
            lines.append(f"... and {len(errors) - _MAX_LISTED} more")
        raise CatalogError("catalog does not match schema dossier-catalog/1:\n  " + "\n  ".join(lines))
    problems = _semantic_problems(data)
    if problems:
        raise CatalogError("catalog is inconsistent:\n  " + "\n  ".join(problems[:_MAX_LISTED]))


def _semantic_problems(data: dict[str, Any]) -> list[str]:
    problems = []
    seqs = [d["seq"] for d in data["documents"]]
    if seqs != list(range(1, len(seqs) + 1)):
        problems.append("documents: seq must run 1, 2, 3 ... in PDF order")
    seen: Counter[tuple[int, int]] = Counter()
    for d in data["documents"]:
        for p in d["pages"]:
            seen[(p["source"]["file"], p["source"]["page"])] += 1
    for e in data["excluded"]:
        seen[(e["source"]["file"], e["source"]["page"])] += 1
    sources = data["sources"]
    for i, s in enumerate(sources):
        for n in range(1, s["pages"] + 1):
            if seen[(i, n)] == 0:
                problems.append(f"source page {i}:{n} ({s['name']} page {n}) is in no document and not excluded")
    for (f, n), count in sorted(seen.items()):
        if count > 1:
            problems.append(f"source page {f}:{n} appears {count} times")
        if not (0 <= f < len(sources) and 1 <= n <= sources[f]["pages"]):
            problems.append(f"source page {f}:{n} is not a page of the sources")
    count = data["output"]["page_count"]
    outputs = [p["output_page"] for d in data["documents"] for p in d["pages"]]
    outputs += [e["output_page"] for e in data["excluded"] if e.get("output_page") is not None]
    if any(o > count for o in outputs):
        problems.append(f"an output_page lies beyond the PDF's {count} pages")
    if len(set(outputs)) != len(outputs):
        problems.append("two source pages share one output_page")
    return problems


def write_catalog(data: dict[str, Any], path: Path) -> Path:
    """Validate and write `data` as UTF-8 JSON (Chinese kept readable)."""
    validate_catalog(data)
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=2)
        f.write("\n")
    os.replace(tmp, path)
    return path

"""catalog.json: built from a really assembled PDF, validated against the shipped schema."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import importlib.util
import json
from pathlib import Path

import pytest

from cataloging.assemble import assemble
from cataloging.catalog import SCHEMA, CatalogError, build_catalog, validate_catalog, write_catalog
from classification.taxonomy import load_taxonomy
from ocr.page import PageRef


def _load_sibling(name: str):
    """The dossier builder lives in test_assemble.py; load it by path (no package needed)."""
    spec = importlib.util.spec_from_file_location(f"_dossier_{name}", Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_helpers = _load_sibling("test_assemble")
make_dossier, OPTIONS = _helpers.make_dossier, _helpers.OPTIONS


@pytest.fixture(scope="module")
def assembled(tmp_path_factory):
    dossier = make_dossier()
    pdf = tmp_path_factory.mktemp("catalog") / "dossier.pdf"
    return dossier, assemble(dossier, load_taxonomy(), pdf, OPTIONS), pdf


@pytest.fixture()
def catalog(assembled):
    dossier, result, pdf = assembled
    return build_catalog(dossier, load_taxonomy(), result, pdf)


def _all_refs(data):
    refs = [(p["source"]["file"], p["source"]["page"]) for d in data["documents"] for p in d["pages"]]
    return refs + [(e["source"]["file"], e["source"]["page"]) for e in data["excluded"]]


def test_catalog_validates_and_names_every_source_page_once(catalog):
    validate_catalog(catalog)
    assert catalog["schema"] == SCHEMA
    refs = _all_refs(catalog)
    assert sorted(refs) == [(0, n) for n in range(1, 7)] + [(1, n) for n in range(1, 5)]
    assert len(refs) == len(set(refs))


def test_documents_in_pdf_order_with_their_pages(catalog, assembled):
    _, result, pdf = assembled
    docs = catalog["documents"]
    assert [d["seq"] for d in docs] == [1, 2, 3, 4, 5]
    assert [d["type"] for d in docs] == [
        "case_filing_decision",
        "detention_warrant",
        "prosecution_recommendation",
        "interrogation_record",
        "witness_statement",
    ]
    assert [d["volume"] for d in docs] == ["procedural"] * 3 + ["evidence"] * 2
    assert docs[1]["title"] == "拘留证"  # no title of its own: the type label
    assert docs[1]["flags"] == ["low_confidence"] and docs[1]["confidence"] == pytest.approx(0.41)
    assert docs[0]["doc_number"] == "某公（刑）立字〔2024〕101号" and docs[0]["author"] == "某市公安局"
    interrogation = docs[3]
    assert interrogation["persons"] == ["刘某某"] and interrogation["date"] == "2024-03-12T09:30:00"
    assert [p["source"] for p in interrogation["pages"]] == [
        {"file": 1, "page": 1},
        {"file": 1, "page": 2},
        {"file": 0, "page": 6},
    ]
    assert [p["output_page"] for p in interrogation["pages"]] == [10, 11, 12]
    assert [p["page_number"] for p in interrogation["pages"]] == [1, 2, 3]
    page = interrogation["pages"][0]
    assert page["rotation"] == 0 and 0.9 < page["ocr_confidence"] <= 1
    outputs = [p["output_page"] for d in docs for p in d["pages"]]
    assert outputs == sorted(outputs)  # PDF order


def test_excluded_pages_and_output(catalog, assembled):
    _, result, pdf = assembled
    assert catalog["excluded"] == [
        {"source": {"file": 0, "page": 5}, "reason": "blank", "duplicate_of": None, "output_page": 16},
        {"source": {"file": 1, "page": 3}, "reason": "duplicate", "duplicate_of": {"file": 0, "page": 6}, "output_page": 17},
    ]
    out = catalog["output"]
    assert out["pdf"] == "dossier.pdf"
    assert out["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert out["page_count"] == result.page_count == 17
    assert out["catalog_pages"] == 2
    assert catalog["case"] == {"case_number": "某公（刑）立字〔2024〕101号", "title": "刘某某盗窃案", "profile": "police_criminal"}
    assert catalog["sources"][1] == {"name": "scan_b.pdf", "sha256": "b" * 64, "pages": 4}
    assert catalog["timings"] == {"ingest": 1.5, "ocr": 12.25}


def test_pdf_name_can_be_given(assembled):
    dossier, result, pdf = assembled
    data = build_catalog(dossier, load_taxonomy(), result, pdf, pdf_name="案卷.pdf")
    assert data["output"]["pdf"] == "案卷.pdf"


def test_a_missing_page_fails_naming_it(assembled):
    dossier, result, pdf = assembled
    broken = copy.copy(dossier)
    broken.volumes = copy.deepcopy(dossier.volumes)
    broken.volumes[1].documents[0].pages.pop(1)  # scan_b.pdf page 2
    with pytest.raises(CatalogError, match=r"source page 1:2 \(scan_b\.pdf page 2\).*in no document and not excluded"):
        build_catalog(broken, load_taxonomy(), result, pdf)


def test_a_page_placed_twice_or_unknown_fails(assembled):
    dossier, result, pdf = assembled
    broken = copy.copy(dossier)
    broken.excluded = [*dossier.excluded, dossier.volumes[0].documents[0].pages[0]]
    with pytest.raises(CatalogError, match=r"source page 0:1 \(scan_a\.pdf page 1\).*more than once"):
        build_catalog(broken, load_taxonomy(), result, pdf)
    fewer = copy.copy(dossier)
    fewer.sources = [dossier.sources[0], dataclasses.replace(dossier.sources[1], pages=3)]
    with pytest.raises(CatalogError, match=r"source page 1:4 \(scan_b\.pdf page 4\): not a page of the sources"):
        build_catalog(fewer, load_taxonomy(), result, pdf)


def test_a_page_absent_from_the_pdf_fails(assembled):
    dossier, result, pdf = assembled
    partial = copy.copy(result)
    partial.output_pages = {r: n for r, n in result.output_pages.items() if r != PageRef(0, 3)}
    with pytest.raises(CatalogError, match=r"0:3.*not in the assembled PDF"):
        build_catalog(dossier, load_taxonomy(), partial, pdf)


def test_unknown_type_code_fails(assembled):
    dossier, result, pdf = assembled
    broken = copy.copy(dossier)
    broken.volumes = copy.deepcopy(dossier.volumes)
    broken.volumes[0].documents[0].type = "no_such_type"
    with pytest.raises(CatalogError, match="no_such_type"):
        build_catalog(broken, load_taxonomy(), result, pdf)


def test_validate_catalog_reports_where_it_breaks(catalog):
    bad = copy.deepcopy(catalog)
    bad["documents"][0]["pages"][0]["output_page"] = 0
    bad["excluded"][0]["reason"] = "ugly"
    with pytest.raises(CatalogError) as err:
        validate_catalog(bad)
    assert "documents/0/pages/0/output_page" in str(err.value)
    assert "excluded/0/reason" in str(err.value)

    gap = copy.deepcopy(catalog)
    gap["excluded"].pop(0)
    with pytest.raises(CatalogError, match=r"source page 0:5 \(scan_a\.pdf page 5\)"):
        validate_catalog(gap)

    twice = copy.deepcopy(catalog)
    twice["documents"][4]["pages"].append(copy.deepcopy(twice["documents"][0]["pages"][0]))
    with pytest.raises(CatalogError, match="0:1 appears 2 times"):
        validate_catalog(twice)


def test_write_catalog_round_trips_readable_utf8(catalog, tmp_path):
    path = write_catalog(catalog, tmp_path / "catalog.json")
    text = path.read_text(encoding="utf-8")
    assert "刘某某盗窃案" in text  # not \u escapes
    assert json.loads(text) == catalog
    assert not list(tmp_path.glob(".*.tmp"))
    bad = copy.deepcopy(catalog)
    del bad["output"]
    with pytest.raises(CatalogError):
        write_catalog(bad, tmp_path / "bad.json")
    assert not (tmp_path / "bad.json").exists()

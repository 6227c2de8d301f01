"""The county case generator: a 12-page case whose truth the scorer accepts, that accounts for
every scanned page, and that comes out the same for the same seed, quickly."""

import hashlib
import json
import time

import pytest
import yaml

from casegen.county import TAXONOMY as TAXONOMY_PATH
from casegen.county import generate_case
from casegen.evaluate import evaluate
from tests.factories import truth_accounts_for_every_page

TAXONOMY = yaml.safe_load(TAXONOMY_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    out = tmp_path_factory.mktemp("county")
    start = time.perf_counter()
    truth = generate_case(4321, 12, out)
    return out, truth, time.perf_counter() - start


def _perfect_catalog(truth: dict) -> dict:
    """The catalog a perfect compiler would write for ``truth`` (no PDF: CER is not measured)."""
    out, docs = 1, []
    for d in truth["documents"]:
        pages = []
        for p in d["pages"]:
            pages.append({"output_page": out, "source": p["source"], "rotation": p["rotation"]})
            out += 1
        docs.append({"type": d["type"], "pages": pages, "date": d["date"], "doc_number": d["doc_number"],
                     "author": d["author"], "persons": d["persons"]})
    return {"schema": "dossier-catalog/1", "sources": truth["sources"], "documents": docs,
            "excluded": truth["excluded"]}


def test_fast_and_about_the_asked_size(case):
    _, truth, seconds = case
    assert seconds < 15
    total = sum(s["pages"] for s in truth["sources"])
    assert 10 <= total <= 14


def test_every_truth_page_exists_in_the_scans(case):
    out, truth, _ = case
    assert truth["schema"] == "dossier-truth/1" and truth["generator"] == "county"
    truth_accounts_for_every_page(out, truth)


def test_documents_are_typed_and_in_canonical_order(case):
    _, truth, _ = case
    types = {t["code"]: t for t in TAXONOMY["types"]}
    vols = [v["code"] for v in TAXONOMY["volumes"]]
    keys = []
    for d in truth["documents"]:
        assert d["type"] in types and d["volume"] == types[d["type"]]["volume"]
        assert d["date"] and d["author"]
        for pg in d["pages"]:
            assert pg["rotation"] in (0, 90, 180, 270) and pg["text"].strip()
            assert pg["printed_page"] is None or isinstance(pg["printed_page"], int)
        keys.append((vols.index(d["volume"]), types[d["type"]]["order"]))
    assert keys == sorted(keys)


def test_the_scorer_accepts_the_truth(case):
    _, truth, _ = case
    ev = evaluate(truth, _perfect_catalog(truth), None, validate=False)
    assert ev.page_type_accuracy == 1.0 and ev.boundary_f1 == 1.0 and ev.pairwise_order_accuracy == 1.0
    assert ev.document_exact_match == 1.0 and not ev.pages_lost and not ev.pages_doubled
    assert ev.excluded["any"].f1 == 1.0
    assert all(s.correct == s.total for s in ev.field_accuracy.values())


def test_same_seed_same_case(tmp_path, case):
    out, truth, _ = case
    again = generate_case(4321, 12, tmp_path)
    assert json.dumps(again, ensure_ascii=False) == json.dumps(truth, ensure_ascii=False)
    for s in truth["sources"]:
        a = hashlib.sha256((out / "scans" / s["name"]).read_bytes()).hexdigest()
        b = hashlib.sha256((tmp_path / "scans" / s["name"]).read_bytes()).hexdigest()
        assert a == b, s["name"]

"""The independent case generator writes a truth that accounts for every scanned page, deterministically."""

import hashlib
import json

import pytest
import yaml

from casegen.independent import generate_case
from casegen.independent.case import TAXONOMY as TAXONOMY_PATH
from tests.factories import truth_accounts_for_every_page

TAXONOMY = yaml.safe_load(TAXONOMY_PATH.read_text(encoding="utf-8"))




@pytest.fixture(scope="module")
def case(tmp_path_factory):
    out = tmp_path_factory.mktemp("independent")
    truth = generate_case(1234, 12, out)
    return out, truth


def test_every_scanned_page_is_in_one_document_or_excluded(case):
    out, truth = case
    assert truth["schema"] == "dossier-truth/1"
    universe = truth_accounts_for_every_page(out, truth)
    assert sum(universe.values()) == 12
    for e in truth["excluded"]:  # a rescan comes after its original
        if e["reason"] == "duplicate":
            assert (e["duplicate_of"]["file"], e["duplicate_of"]["page"]) < (e["source"]["file"], e["source"]["page"])


def test_documents_are_typed_and_in_canonical_order(case):
    _, truth = case
    types = {t["code"]: t for t in TAXONOMY["types"]}
    vols = [v["code"] for v in TAXONOMY["volumes"]]
    keys = []
    for d in truth["documents"]:
        assert d["type"] in types and d["volume"] == types[d["type"]]["volume"]
        assert all(pg["rotation"] in (0, 90, 180, 270) and pg["text"].strip() for pg in d["pages"])
        keys.append((vols.index(d["volume"]), types[d["type"]]["order"]))
    assert keys == sorted(keys)


def test_same_seed_same_case(tmp_path, case):
    out, truth = case
    again = generate_case(1234, 12, tmp_path)
    assert json.dumps(again, ensure_ascii=False) == json.dumps(truth, ensure_ascii=False)
    for s in truth["sources"]:
        a = hashlib.sha256((out / "scans" / s["name"]).read_bytes()).hexdigest()
        b = hashlib.sha256((tmp_path / "scans" / s["name"]).read_bytes()).hexdigest()
        assert a == b, s["name"]

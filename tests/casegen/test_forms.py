"""The third synthetic case generator (casegen.forms): truth schema, page accounting, IDs, determinism."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from casegen.forms import generate_case
from casegen.forms.people import check_digit
from tests.factories import pages_on_disk

TAXONOMY = Path(__file__).resolve().parents[2] / "classification" / "spec" / "taxonomy.yaml"
ID = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{16}[0-9X](?![0-9A-Za-z])")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$")




@pytest.fixture(scope="module")
def case(tmp_path_factory):
    out = tmp_path_factory.mktemp("forms") / "case"
    truth = generate_case(7, 15, out)
    return out, truth


def test_truth_schema_and_taxonomy(case):
    out, truth = case
    assert json.loads((out / "truth.json").read_text(encoding="utf-8")) == truth
    assert truth["schema"] == "dossier-truth/1" and truth["generator"] == "forms" and truth["seed"] == 7
    assert truth["case"]["profile"] == "police_criminal" and truth["case"]["case_number"] and truth["case"]["title"]
    tax = yaml.safe_load(TAXONOMY.read_text(encoding="utf-8"))
    types = {t["code"]: t for t in tax["types"]}
    vol = {v["code"]: i for i, v in enumerate(tax["volumes"])}
    assert truth["documents"]
    keys = []
    for d in truth["documents"]:
        t = types[d["type"]]
        assert d["volume"] == t["volume"] and d["title"] == t["label"]
        assert d["date"] is None or DATE.match(d["date"])
        assert isinstance(d["persons"], list)
        assert d["pages"]
        for p in d["pages"]:
            assert p["rotation"] in (0, 90, 180, 270)
            assert p["printed_page"] is None or p["printed_page"] >= 1
            assert p["text"].strip()
        keys.append((vol[t["volume"]], t["order"]))
    assert keys == sorted(keys), "documents are not in canonical (volume, type) order"
    reasons = {e["reason"] for e in truth["excluded"]}
    assert reasons <= {"blank", "duplicate"} and "blank" in reasons


def test_every_scanned_page_is_accounted_for_once(case):
    out, truth = case
    files = sorted(p.name for p in (out / "scans").iterdir())
    assert files == sorted(s["name"] for s in truth["sources"])
    for s in truth["sources"]:
        assert pages_on_disk(out / "scans" / s["name"]) == s["pages"], s["name"]
    universe = {(f, p) for f, s in enumerate(truth["sources"]) for p in range(1, s["pages"] + 1)}
    seen = [(p["source"]["file"], p["source"]["page"]) for d in truth["documents"] for p in d["pages"]]
    seen += [(e["source"]["file"], e["source"]["page"]) for e in truth["excluded"]]
    assert sorted(seen) == sorted(universe), "a page is lost or held twice"
    doc_pages = {(p["source"]["file"], p["source"]["page"]) for d in truth["documents"] for p in d["pages"]}
    for e in truth["excluded"]:
        if e["reason"] == "duplicate":
            assert (e["duplicate_of"]["file"], e["duplicate_of"]["page"]) in doc_pages
        else:
            assert e["duplicate_of"] is None
    assert 0.85 * 15 <= len(universe) <= 1.15 * 15


def test_identity_numbers_carry_a_valid_check_digit(case):
    _, truth = case
    ids = {m for d in truth["documents"] for p in d["pages"] for m in ID.findall(p["text"])}
    assert ids, "no identity number in the truth text"
    for n in ids:
        assert check_digit(n[:17]) == n[17], n


def test_seed_repeats_and_seeds_differ(case, tmp_path):
    out, truth = case
    again = generate_case(7, 15, tmp_path / "again")
    assert (tmp_path / "again" / "truth.json").read_bytes() == (out / "truth.json").read_bytes()
    assert again == truth
    other = generate_case(8, 12, tmp_path / "other")
    assert other["case"] != truth["case"]
    assert [d["pages"][0]["text"] for d in other["documents"]] != [d["pages"][0]["text"] for d in truth["documents"]]

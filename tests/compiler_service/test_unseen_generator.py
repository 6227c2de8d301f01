"""The pipeline on a case from the third generator (casegen/forms), written from the published
forms apart from the rules: other fonts, wording, form layouts and damage, statements whose role
shows only in the warning read to the person, hand-filled forms."""

import json
import re

import pytest

from casegen.forms import generate_case
from casegen.evaluate import evaluate_files
from compiler_service.pipeline import compile_dossier
from compiler_service.settings import Settings


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    root = tmp_path_factory.mktemp("forms")
    generate_case(102, 18, root / "case")
    result = compile_dossier([root / "case" / "scans"], root / "out", Settings())
    return root / "case" / "truth.json", result


def test_a_case_from_an_unseen_generator_is_typed_and_split_as_printed(compiled):
    truth, result = compiled
    ev = evaluate_files(truth, result.catalog, result.pdf)
    assert ev.pages_lost == [] and ev.pages_doubled == []
    assert ev.page_type_accuracy >= 0.95 and ev.boundary_f1 >= 0.95, (ev.type_confusion, ev.boundary_errors)


def test_each_statement_takes_the_role_its_own_page_states(compiled):
    truth, result = compiled
    catalog = json.loads(result.catalog.read_text(encoding="utf-8"))
    stated = {}
    for doc in json.loads(truth.read_text(encoding="utf-8"))["documents"]:
        m = re.search(r"你作为(被害人|证人)", "".join(p["text"] for p in doc["pages"]))
        if m:
            stated[(doc["pages"][0]["source"]["file"], doc["pages"][0]["source"]["page"])] = doc["type"]
    assert stated, "the seed holds a statement whose role shows only in its warning"
    names = [s["name"] for s in catalog["sources"]]
    t_names = [s["name"] for s in json.loads(truth.read_text(encoding="utf-8"))["sources"]]
    got = {(t_names.index(names[p["source"]["file"]]), p["source"]["page"]): d["type"] for d in catalog["documents"] for p in d["pages"]}
    assert {k: got.get(k) for k in stated} == stated

"""Labelled pages from compiled cases, with labels from a corrected catalog or a generator truth."""

import json

import pytest

from classification.dataset import DatasetError, label_pages, load_case, read_jsonl, write_jsonl


def _record(file, page, text="正文"):
    return {"source": {"file": file, "page": page}, "size": [1654, 2339], "lines": [{"text": text, "box": [0, 0, 10, 10], "score": 0.9}], "regions": []}


def _doc(dtype, *pages):
    return {"type": dtype, "pages": [{"source": {"file": f, "page": p}} for f, p in pages]}


RECORDS = [_record(0, 1), _record(0, 2), _record(0, 3), _record(1, 1)]
DOCS = [_doc("interrogation_record", (0, 3), (0, 1)), _doc("detention_warrant", (1, 1))]
EXCLUDED = [{"source": {"file": 0, "page": 2}, "reason": "blank", "duplicate_of": None}]


def test_pages_get_their_document_type_start_and_exclusion_in_scan_order():
    pages = label_pages("case", RECORDS, DOCS, EXCLUDED)
    assert [(p.file, p.page, p.type, p.starts_document, p.excluded, p.document) for p in pages] == [
        (0, 1, "interrogation_record", False, None, 0),
        (0, 2, None, False, "blank", None),
        (0, 3, "interrogation_record", True, None, 0),  # first in reading order, though scanned later
        (1, 1, "detention_warrant", True, None, 1),
    ]


@pytest.mark.parametrize(
    "docs, excluded, message",
    [
        (DOCS + [_doc("seizure_list", (1, 1))], EXCLUDED, "1:1 is in two documents"),
        (DOCS, [], "0:2 has no label"),
        (DOCS + [_doc("seizure_list", (2, 1))], EXCLUDED, "lacks: 2:1"),
    ],
)
def test_inconsistent_labels_are_refused_by_page(docs, excluded, message):
    with pytest.raises(DatasetError, match=message):
        label_pages("case", RECORDS, docs, excluded)


def test_a_case_folder_loads_and_the_dataset_round_trips(tmp_path):
    case = tmp_path / "case-7"
    case.mkdir()
    (case / "pages.json").write_text(json.dumps(RECORDS, ensure_ascii=False), encoding="utf-8")
    (case / "catalog.json").write_text(json.dumps({"documents": [], "excluded": []}), encoding="utf-8")  # not a label
    with pytest.raises(DatasetError, match="no labels.json"):
        load_case(case)
    corrected = {"documents": DOCS, "excluded": EXCLUDED}
    (case / "labels.json").write_text(json.dumps(corrected, ensure_ascii=False), encoding="utf-8")
    pages = load_case(case)
    assert {p.case for p in pages} == {"case-7"} and len(pages) == 4
    out = tmp_path / "data.jsonl"
    assert write_jsonl(pages, out) == 4
    assert list(read_jsonl(out)) == pages


def test_a_folder_without_stage_results_is_named(tmp_path):
    with pytest.raises(DatasetError, match="no pages.json"):
        load_case(tmp_path)

"""The cross-generator benchmark's own logic: truth re-indexed to the compiler's file order, the
report's matrix (no case is compiled here; `make cross-generator` does that)."""

import pytest

from casegen.cases import generate
from benchmarks.cross_generator import in_reading_order, markdown


def test_truth_files_are_renumbered_in_the_order_the_compiler_reads_them():
    truth = {
        "sources": [{"name": "Scan-01.pdf", "pages": 2}, {"name": "page_04.jpg", "pages": 1}],
        "documents": [{"type": "t", "pages": [{"source": {"file": 0, "page": 1}}, {"source": {"file": 1, "page": 1}}]}],
        "excluded": [{"source": {"file": 0, "page": 2}, "reason": "duplicate", "duplicate_of": {"file": 1, "page": 1}}],
    }
    moved = in_reading_order(truth, ["page_04.jpg", "Scan-01.pdf"])
    assert [s["name"] for s in moved["sources"]] == ["page_04.jpg", "Scan-01.pdf"]
    assert [p["source"]["file"] for p in moved["documents"][0]["pages"]] == [1, 0]
    assert moved["excluded"][0]["source"] == {"file": 1, "page": 2} and moved["excluded"][0]["duplicate_of"] == {"file": 0, "page": 1}


def test_the_matrix_marks_what_each_classifier_was_trained_on():
    cell = {"page_type_accuracy": 0.95, "boundary_f1": 0.9, "document_exact_match": 0.8, "pairwise_order_accuracy": 1.0}
    report = {"date": "2026-12-05", "machine": "x", "seeds": [1], "pages": 10, "trained_on": {"v1": ["normal"], "rules": []},
              "matrix": {"rules": {"normal": cell, "forms": cell}, "v1": {"normal": cell, "forms": cell}},
              "unseen": {"rules": cell, "v1": cell}, "boundary_errors_by_kind": {"v1 / forms": {"cut": 2}},
              "confusions": {"v1 / forms": {"witness_statement -> victim_statement": 3}}}
    text = markdown(report)
    assert "| v1 | 0.950 / 0.900 * | 0.950 / 0.900 | 0.950 / 0.900 |" in text
    assert "| rules | 0.950 / 0.900 | 0.950 / 0.900 |" in text
    assert "v1 / forms: cut 2" in text and "witness_statement -> victim_statement: 3" in text


def test_an_unknown_generator_is_refused_by_name(tmp_path):
    with pytest.raises(ValueError, match="nope"):
        generate("nope", 1, 10, tmp_path)

"""The speed benchmark's fair comparison: the anchor gets the same pages, scored as `dossier eval` scores ours."""

import json

import pikepdf

from benchmarks.speed import merged_pdf, text_layer_cer
from casegen.synthetic import generate_case


def test_the_anchor_gets_every_scanned_page_once_and_a_missing_text_layer_scores_as_all_wrong(tmp_path):
    generate_case(8, 4711, tmp_path / "case")
    scans = sorted((tmp_path / "case" / "scans").iterdir())
    truth = json.loads((tmp_path / "case" / "truth.json").read_text(encoding="utf-8"))
    refs = merged_pdf(scans, tmp_path / "merged.pdf")
    expected = [(i, n + 1) for i, source in enumerate(truth["sources"]) for n in range(source["pages"])]
    assert refs == expected
    with pikepdf.open(tmp_path / "merged.pdf") as pdf:
        assert len(pdf.pages) == len(expected)
        assert all(len(list(page.images)) == 1 for page in pdf.pages)  # each page keeps its scan
    assert text_layer_cer(truth, tmp_path / "merged.pdf", refs) == 1.0  # images only: no text at all

"""Evaluation metrics on hand-built truth/catalog pairs, and CER on small real PDFs."""

from __future__ import annotations

import copy
import itertools
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from casegen.evaluate import (
    TARGETS,
    SourcePage,
    _pairwise_order,
    evaluate,
    evaluate_files,
    format_table,
    normalize_doc_number,
    page_distance,
    summarize,
    target_text,
)

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
SHA = "0" * 64

# Sources: 01-扫描.pdf has 8 pages, 02-补充.pdf has 2. Truth documents in canonical order, pages in
# reading order (the interrogation record was scanned back to front: page 3 is read first).
# (0,7) is blank, (1,2) duplicates (0,5).
TEXT = {
    (0, 1): "立案决定书\n岳公（刑）立字〔2024〕123号",
    (0, 3): "讯问笔录\n问：你叫什么名字？\n答：刘建国。",  # 4 + 9 + 6 = 19 characters
    (0, 2): "问：还有什么补充？\n答：没有了。",
    (0, 4): "询问笔录\n证人：王芳",
    (0, 5): "问：你看到了什么？",
    (0, 6): "答：我看到他拿走了手机。",
    (0, 8): "扣押清单",
    (1, 1): "手机一部",
}
DOCS = [
    ("case_filing_decision", [(0, 1)]),
    ("interrogation_record", [(0, 3), (0, 2)]),
    ("witness_statement", [(0, 4), (0, 5), (0, 6)]),
    ("seizure_list", [(0, 8), (1, 1)]),
]
META = [
    {"doc_number": "岳公（刑）立字〔2024〕123号", "date": "2024-03-01", "author": "岳阳市公安局",
     "persons": ["刘建国"]},
    {"doc_number": None, "date": "2024-03-12T09:30", "author": "张警官", "persons": ["刘建国"]},
    {"doc_number": None, "date": "2024-03-13T14:00", "author": "李警官", "persons": ["王芳"]},
    {"doc_number": None, "date": None, "author": "李警官", "persons": []},
]  # fmt: skip
SOURCES = [("01-扫描.pdf", 8), ("02-补充.pdf", 2)]


def src(k):
    return {"file": k[0], "page": k[1]}


def make_truth():
    return {
        "schema": "dossier-truth/1",
        "seed": 7,
        "case": {"case_number": "岳公刑案〔2024〕1号", "title": "刘建国盗窃案",
                 "profile": "police_criminal"},  # fmt: skip
        "sources": [{"name": n, "pages": p} for n, p in SOURCES],
        "documents": [
            {"type": t, "volume": "evidence", "title": t, **META[i],
             "pages": [{"source": src(k), "rotation": 0, "printed_page": j + 1, "text": TEXT[k]}
                       for j, k in enumerate(pages)]}
            for i, (t, pages) in enumerate(DOCS)
        ],  # fmt: skip
        "excluded": [
            {"source": src((0, 7)), "reason": "blank", "duplicate_of": None},
            {"source": src((1, 2)), "reason": "duplicate", "duplicate_of": src((0, 5))},
        ],
    }


def make_catalog(docs=DOCS, meta=META, excluded=None, first_page=2):
    """A schema-valid catalog holding ``docs`` in PDF order, from output page ``first_page``."""
    out = first_page
    documents = []
    for i, (t, pages) in enumerate(docs):
        entries = []
        for k in pages:
            entries.append({"source": src(k), "output_page": out})
            out += 1
        m = meta[i] if i < len(meta) else {}
        documents.append({"seq": i + 1, "type": t, "volume": "evidence", "title": t, **m,
                          "pages": entries})  # fmt: skip
    if excluded is None:
        excluded = [
            {"source": src((0, 7)), "reason": "blank", "duplicate_of": None},
            {"source": src((1, 2)), "reason": "duplicate", "duplicate_of": src((0, 5))},
        ]
    return {
        "schema": "dossier-catalog/1",
        "sources": [{"name": n, "pages": p, "sha256": SHA} for n, p in SOURCES],
        "documents": documents,
        "excluded": excluded,
        "output": {"pdf": "dossier.pdf", "sha256": SHA, "page_count": out - 1, "catalog_pages": 1},
    }


# --------------------------------------------------------------------------------------------
# catalog-only metrics


def test_perfect_prediction_scores_one_and_loses_nothing():
    ev = evaluate(make_truth(), make_catalog(), None)
    assert ev.page_type_accuracy == 1.0
    assert (ev.boundary_precision, ev.boundary_recall, ev.boundary_f1) == (1.0, 1.0, 1.0)
    assert ev.same_document.f1 == 1.0
    assert ev.panoptic_quality == 1.0
    assert ev.document_exact_match == 1.0
    assert ev.pairwise_order_accuracy == 1.0
    assert ev.pages_lost == [] and ev.pages_doubled == [] and ev.pages_unknown == []
    assert ev.excluded["any"].f1 == ev.excluded["blank"].f1 == ev.excluded["duplicate"].f1 == 1.0
    assert ev.duplicate_of_correct == 1
    assert ev.cer is None and ev.cer_pages == []
    assert ev.counts == {
        "source_pages": 10, "truth_documents": 4, "predicted_documents": 4,
        "truth_document_pages": 8, "predicted_document_pages": 8, "truth_excluded": 2,
        "predicted_excluded": 2, "exactly_matched_documents": 4,
    }  # fmt: skip
    fa = ev.field_accuracy
    assert (fa["date"].correct, fa["date"].total) == (3, 3)  # the seizure list has no date
    assert (fa["date_time"].correct, fa["date_time"].total) == (2, 2)
    assert (fa["doc_number"].correct, fa["doc_number"].total) == (1, 1)
    assert (fa["principal"].correct, fa["principal"].total) == (3, 3)
    assert ev.warnings == []
    assert ev.passed
    json.dumps(ev.to_dict(), ensure_ascii=False)  # serializable


def test_split_document_lowers_boundary_and_exact_match_but_not_page_type():
    docs = [DOCS[0], DOCS[1], ("witness_statement", [(0, 4)]),
            ("witness_statement", [(0, 5), (0, 6)]), DOCS[3]]  # fmt: skip
    ev = evaluate(make_truth(), make_catalog(docs, meta=[]), None)
    assert ev.page_type_accuracy == 1.0
    # starts: truth {1,3,4,8}, predicted {1,3,4,5,8}
    assert ev.boundary_precision == pytest.approx(4 / 5)
    assert ev.boundary_recall == 1.0
    assert ev.boundary_f1 == pytest.approx(8 / 9)
    assert ev.document_exact_match == pytest.approx(3 / 4)
    # same-document pairs: truth 0+1+3+1 = 5, predicted 0+1+0+1+1 = 3, all right
    assert (ev.same_document.true_positives, ev.same_document.predicted) == (3, 3)
    assert ev.same_document.recall == pytest.approx(3 / 5)
    # PQ: 4 matches (IoU 1, 1, 2/3, 1), one unmatched prediction
    assert ev.recognition_quality == pytest.approx(4 / 4.5)
    assert ev.segmentation_quality == pytest.approx((3 + 2 / 3) / 4)
    assert ev.panoptic_quality == pytest.approx(11 / 12 * 8 / 9)
    assert ev.pairwise_order_accuracy == 1.0


def test_swapped_documents_lower_pairwise_order_by_the_cross_pairs():
    docs = [DOCS[0], DOCS[2], DOCS[1], DOCS[3]]
    ev = evaluate(make_truth(), make_catalog(docs, meta=[]), None)
    # 8 pages, 28 pairs; the 2 x 3 pairs across the swapped documents are reversed
    assert ev.pairwise_order_accuracy == pytest.approx(22 / 28)
    assert ev.boundary_f1 == 1.0
    assert ev.document_exact_match == 1.0


def test_pages_in_scan_order_cost_a_boundary_but_not_the_order_free_scores():
    docs = [DOCS[0], ("interrogation_record", [(0, 2), (0, 3)]), DOCS[2], DOCS[3]]
    ev = evaluate(make_truth(), make_catalog(docs, meta=[]), None)
    assert ev.boundary_precision == ev.boundary_recall == pytest.approx(3 / 4)
    assert ev.same_document.f1 == 1.0 and ev.panoptic_quality == 1.0
    assert ev.document_exact_match == 1.0
    assert ev.pairwise_order_accuracy == pytest.approx(27 / 28)


def test_lost_and_doubled_pages_are_reported_by_name():
    docs = [DOCS[0], DOCS[1], ("witness_statement", [(0, 4), (0, 5)]), DOCS[3]]
    excluded = make_catalog()["excluded"] + [
        {"source": src((0, 1)), "reason": "duplicate", "duplicate_of": src((0, 4))}
    ]
    ev = evaluate(make_truth(), make_catalog(docs, meta=[], excluded=excluded), None)
    assert ev.pages_lost == [SourcePage(0, 6, "01-扫描.pdf", 0)]
    assert [str(p) for p in ev.pages_lost] == ["01-扫描.pdf p.6"]
    assert ev.pages_doubled == [SourcePage(0, 1, "01-扫描.pdf", 2)]
    assert ev.page_type_accuracy == pytest.approx(7 / 8)  # the lost page is wrong
    assert ev.excluded["any"].precision == pytest.approx(2 / 3)
    assert ev.targets()["pages_lost"] is False and ev.targets()["pages_doubled"] is False
    assert not ev.passed
    d = ev.to_dict()
    assert d["pages_lost"][0]["label"] == "01-扫描.pdf p.6"


def test_wrong_type_is_counted_on_every_page_and_breaks_exact_match():
    docs = [DOCS[0], DOCS[1], ("victim_statement", DOCS[2][1]), DOCS[3]]
    ev = evaluate(make_truth(), make_catalog(docs, meta=[]), None)
    assert ev.page_type_accuracy == pytest.approx(5 / 8)
    assert ev.document_exact_match == pytest.approx(3 / 4)
    assert ev.segment_exact_match == 1.0
    assert ev.boundary_f1 == 1.0


def test_missed_duplicate_kept_in_a_document():
    docs = [DOCS[0], DOCS[1], ("witness_statement", [(0, 4), (0, 5), (1, 2), (0, 6)]), DOCS[3]]
    excluded = [{"source": src((0, 7)), "reason": "blank", "duplicate_of": None}]
    ev = evaluate(make_truth(), make_catalog(docs, meta=[], excluded=excluded), None)
    assert ev.page_type_accuracy == 1.0
    assert ev.document_exact_match == pytest.approx(3 / 4)
    assert (ev.excluded["any"].precision, ev.excluded["any"].recall) == (1.0, 0.5)
    assert ev.excluded["blank"].f1 == 1.0
    assert ev.excluded["duplicate"].recall == 0.0 and ev.excluded["duplicate"].f1 == 0.0


def test_fields_are_scored_on_exact_matches_with_normalization():
    meta = copy.deepcopy(META)
    meta[0]["doc_number"] = "岳公(刑)立字[2024]123 号"  # same after normalization
    meta[0]["persons"] = ["王芳"]  # principal wrong
    meta[1]["date"] = "2024-03-12T10:30"  # date right, time wrong
    meta[2]["date"] = "2024-03-14"  # date wrong, no time to compare
    meta[3]["doc_number"] = "岳公扣字〔2024〕5号"  # truth has none: spurious
    ev = evaluate(make_truth(), make_catalog(meta=meta), None)
    fa = ev.field_accuracy
    assert (fa["date"].correct, fa["date"].total) == (2, 3)
    assert (fa["date_time"].correct, fa["date_time"].total) == (0, 1)
    assert (fa["doc_number"].correct, fa["doc_number"].total, fa["doc_number"].spurious) == (1, 1, 1)
    assert (fa["principal"].correct, fa["principal"].total) == (2, 3)
    assert (fa["author"].correct, fa["author"].total) == (4, 4)
    assert fa["date"].mismatches == [{"document": 2, "truth": "2024-03-13T14:00",
                                      "predicted": "2024-03-14"}]  # fmt: skip


def test_doc_number_normalization():
    assert normalize_doc_number("岳公（刑）立字〔2024〕123号") == "岳公[刑]立字[2024]123号"
    assert normalize_doc_number("岳公 【刑】 立字［2024］１２３号") == "岳公[刑]立字[2024]123号"
    assert normalize_doc_number("岳公〖刑〗立字(2024)123号") == "岳公[刑]立字[2024]123号"
    assert normalize_doc_number(None) is None


def test_sources_are_matched_by_name_when_the_catalog_lists_them_in_another_order():
    catalog = make_catalog()
    catalog["sources"].reverse()
    for d in catalog["documents"]:
        for p in d["pages"]:
            p["source"]["file"] = 1 - p["source"]["file"]
    for e in catalog["excluded"]:
        e["source"]["file"] = 1 - e["source"]["file"]
        if e["duplicate_of"]:
            e["duplicate_of"]["file"] = 1 - e["duplicate_of"]["file"]
    ev = evaluate(make_truth(), catalog, None)
    assert ev.document_exact_match == 1.0 and ev.pages_lost == [] and ev.duplicate_of_correct == 1


def test_invalid_catalog_is_rejected():
    catalog = make_catalog()
    del catalog["documents"][0]["pages"][0]["output_page"]
    with pytest.raises(ValueError, match="documents/0/pages/0"):
        evaluate(make_truth(), catalog, None)
    with pytest.raises(ValueError, match="truth schema"):
        evaluate({"schema": "x"}, make_catalog(), None)


def test_pairwise_order_matches_brute_force():
    rng = np.random.default_rng(3)
    for n in (0, 1, 2, 9, 60):
        order = rng.permutation(n * 2)[:n] + 1
        agree = sum(order[i] < order[j] for i, j in itertools.combinations(range(n), 2))
        expected = agree / (n * (n - 1) / 2) if n > 1 else 1.0
        assert _pairwise_order(order) == pytest.approx(expected)
    assert _pairwise_order(np.array([1, 1, 2])) == pytest.approx(2 / 3)  # a tie is no agreement


def test_a_page_doubled_across_documents_is_judged_where_it_first_stands():
    # (0,6) stands in the witness statement and again, alone and mistyped, right after it
    docs = [DOCS[0], DOCS[1], DOCS[2], ("victim_statement", [(0, 6)]), DOCS[3]]
    ev = evaluate(make_truth(), make_catalog(docs, meta=[]), None)
    assert ev.pages_doubled == [SourcePage(0, 6, "01-扫描.pdf", 2)]
    assert ev.page_type_accuracy == 1.0
    assert ev.pairwise_order_accuracy == 1.0
    assert ev.document_exact_match == 1.0


# --------------------------------------------------------------------------------------------
# text layer


def write_pdf(path: Path, pages: list[str], *, invisible: bool, stamp: bool = True) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("wqy-zenhei", str(FONT), subfontIndex=0))
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    for n, text in enumerate(pages, start=1):
        if stamp:  # the visible page number at the top right, as the compiler stamps it
            c.setFont("wqy-zenhei", 10)
            c.drawRightString(width - 40, height - 30, str(n))
        t = c.beginText(60, height - 90)
        t.setFont("wqy-zenhei", 14)
        if invisible:
            t.setTextRenderMode(3)
        for line in text.split("\n"):
            t.textLine(line)
        c.drawText(t)
        c.showPage()
    c.save()


needs_pdf_tools = pytest.mark.skipif(
    not FONT.exists() or shutil.which("pdftotext") is None,
    reason="needs the wqy-zenhei font and pdftotext",
)


def pdf_pages_for(catalog: dict, text: dict) -> list[str]:
    """The text of every output page of ``catalog``: a 目录 page, documents, excluded pages."""
    pages = {1: "卷内目录"}
    for d in catalog["documents"]:
        for p in d["pages"]:
            pages[p["output_page"]] = text[(p["source"]["file"], p["source"]["page"])]
    return [pages[n] for n in range(1, max(pages) + 1)]


@needs_pdf_tools
@pytest.mark.parametrize("invisible", [True, False])
def test_cer_of_one_wrong_character_is_one_over_length(tmp_path, invisible):
    catalog = make_catalog()
    text = dict(TEXT)
    text[(0, 3)] = "讯问笔录\n问：你叫什么名子？\n答：刘建国。"  # 字 -> 子
    pdf = tmp_path / "dossier.pdf"
    write_pdf(pdf, pdf_pages_for(catalog, text), invisible=invisible)
    ev = evaluate(make_truth(), catalog, pdf)
    by_page = {(p.file, p.page): p for p in ev.cer_pages}
    assert len(by_page) == 8
    wrong = by_page[(0, 3)]
    assert (wrong.output_page, wrong.distance, wrong.length) == (3, 1, 19)
    assert wrong.cer == pytest.approx(1 / 19)
    assert all(p.distance == 0 for k, p in by_page.items() if k != (0, 3))
    total = sum(len("".join(t.split())) for t in TEXT.values())
    assert ev.cer == pytest.approx(1 / total)
    # the stamped page numbers are forgiven in `cer`, not in `cer_raw` (one digit per page)
    assert ev.cer_raw == pytest.approx((1 + 8) / total)
    assert ev.worst_pages(1)[0] is wrong


@needs_pdf_tools
def test_cer_counts_a_page_missing_from_the_pdf_in_full(tmp_path):
    docs = [DOCS[0], DOCS[1], ("witness_statement", [(0, 4), (0, 5)]), DOCS[3]]
    catalog = make_catalog(docs, meta=[])
    pdf = tmp_path / "dossier.pdf"
    write_pdf(pdf, pdf_pages_for(catalog, TEXT), invisible=True, stamp=False)
    ev = evaluate(make_truth(), catalog, pdf)
    lost = next(p for p in ev.cer_pages if (p.file, p.page) == (0, 6))
    assert lost.output_page is None and lost.distance == lost.length == 12
    total = sum(len("".join(t.split())) for t in TEXT.values())
    assert ev.cer == ev.cer_raw == pytest.approx(12 / total)


@needs_pdf_tools
def test_evaluate_files_and_reporting(tmp_path):
    truth, catalog = make_truth(), make_catalog()
    (tmp_path / "truth.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "catalog.json").write_text(json.dumps(catalog), encoding="utf-8")
    pdf = tmp_path / "dossier.pdf"
    write_pdf(pdf, pdf_pages_for(catalog, TEXT), invisible=True)
    good = evaluate_files(tmp_path / "truth.json", tmp_path / "catalog.json", pdf)
    assert good.cer == 0.0 and good.passed

    swapped = evaluate(truth, make_catalog([DOCS[0], DOCS[2], DOCS[1], DOCS[3]], meta=[]), None)
    from rich.console import Console

    console = Console(record=True, width=120)
    console.print(format_table(swapped))
    rendered = console.export_text()
    assert "pairwise order" in rendered and "78.57%" in rendered
    assert "✗" in rendered and "✓" in rendered

    s = summarize([good, swapped])
    assert s["cases"] == 2
    assert s["pairwise_order_accuracy"] == pytest.approx((1 + 22 / 28) / 2)
    assert s["cer"] == 0.0 and s["cer_pooled"] == 0.0  # only the case with a PDF counts
    assert s["cases_passed"] == 1
    assert s["pages_lost"] == 0
    assert s["field_accuracy"]["date"] == pytest.approx(3 / 6)  # the swapped catalog has no dates
    json.dumps(s)


def test_page_distance_forgives_only_a_number_absent_from_the_truth():
    assert page_distance("讯问笔录", "12\n讯问笔录\n") == (0, 2)
    assert page_distance("讯问笔录", "讯问笔录 7\n") == (0, 1)
    # the number is part of the truth: deleting it would not help, nothing is forgiven
    assert page_distance("第3页", "第3页\n") == (0, 0)
    assert page_distance("共3份3", "共3份\n3\n") == (0, 0)


def test_a_rescan_pair_kept_the_other_way_round_is_no_error():
    """Truth keeps 01 p.5 and calls 02 p.2 its rescan; the catalog keeps the rescan instead."""
    docs = [DOCS[0], DOCS[1], ("witness_statement", [(0, 4), (1, 2), (0, 6)]), DOCS[3]]
    excluded = [{"source": src((0, 7)), "reason": "blank", "duplicate_of": None},
                {"source": src((0, 5)), "reason": "duplicate", "duplicate_of": src((1, 2))}]
    ev = evaluate(make_truth(), make_catalog(docs, meta=[], excluded=excluded), None)
    assert ev.page_type_accuracy == ev.boundary_f1 == ev.document_exact_match == 1.0
    assert ev.excluded["duplicate"].f1 == 1.0 and ev.pages_lost == []


def test_wrong_types_and_boundaries_are_reported_by_kind():
    docs = [DOCS[0], ("interrogation_record", [(0, 3), (0, 2), (0, 4), (0, 5), (0, 6)]), DOCS[3]]  # the statement joined
    ev = evaluate(make_truth(), make_catalog(docs, meta=[]), None)
    assert ev.type_confusion["witness_statement"] == {"interrogation_record": 3}
    assert ev.type_confusion["case_filing_decision"] == {"case_filing_decision": 1}
    assert ev.boundary_errors == [{"page": "01-扫描.pdf p.4", "kind": "joined", "truth_type": "witness_statement",
                                   "predicted_type": "interrogation_record"}]
    cut = [DOCS[0], DOCS[1], ("witness_statement", [(0, 4)]), ("witness_statement", [(0, 5), (0, 6)]), DOCS[3]]
    assert [e["kind"] for e in evaluate(make_truth(), make_catalog(cut, meta=[]), None).boundary_errors] == ["cut"]


def test_the_readme_quotes_the_targets_eval_prints():
    readme = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8").split())
    labels = {"page_type_accuracy": "page type accuracy", "boundary_f1": "boundary F1", "pairwise_order_accuracy": "pairwise order",
              "cer": "text layer CER", "pages_lost": "pages lost", "pages_doubled": "pages doubled"}  # as eval's table names them
    assert labels.keys() == TARGETS.keys()
    for name, label in labels.items():
        assert f"{label} {target_text(name)}" in readme

"""The checks benchmark's own parts: the truth it scores against and the defects it injects."""

import random

from benchmarks.checks import _matches, expected_findings, inject_wrong_id, truth_parties
from cataloging.elements import id_number_valid
from ocr.page import Page, PageRef, TextLine

LIU = "340104198611072253"


def _truth(*documents):
    return {"schema": "dossier-truth/1", "sources": [{"name": "a.pdf", "pages": 9}], "documents": list(documents), "excluded": []}


def _doc(type_, pages, persons=(), date=None):
    return {"type": type_, "persons": list(persons), "date": date,
            "pages": [{"source": {"file": 0, "page": i + 1}, "text": text, "printed_page": number} for i, (text, number) in enumerate(pages)]}


def test_the_people_questioned_with_the_role_and_id_their_record_prints():
    record = _doc("victim_statement", [(f"询问笔录\n被询问人：刘雨博\n身份证号码：{LIU}\n问：你叫什么？\n答：刘雨博，身份证{LIU}。", 1)], ["刘雨博"])
    assert truth_parties(_truth(record)) == {"刘雨博": ("victim", LIU)}


def test_what_the_truth_itself_warrants_and_how_a_finding_is_matched():
    gap = _doc("prosecution_recommendation", [("起诉意见书", 1), ("正文", 2), ("此致", 4)])
    [wanted] = expected_findings(_truth(gap), ["a.pdf"])
    assert wanted["rule"] == "missing_pages" and wanted["details"]["missing"] == [3]
    assert _matches({**wanted, "pages": [{"file": 0, "page": 2}]}, wanted)
    assert not _matches({**wanted, "rule": "time_limit"}, wanted)


def test_a_wrong_id_digit_is_injected_wherever_the_number_is_printed_even_across_a_line_break():
    page = Page(PageRef(0, 1), "a.pdf", None, 200.0, lines=[TextLine("身份证号码：" + LIU[:10], (0, 0, 1, 1), 1.0), TextLine(LIU[10:] + "，住", (0, 2, 1, 3), 1.0)])
    record = _doc("interrogation_record", [(f"讯问笔录\n被讯问人：张强\n身份证号码：{LIU}\n问：好。", 1)], ["张强"])
    pages, touched = inject_wrong_id(_truth(record), ["a.pdf"], [page], random.Random(1))
    read = "".join(ln.text for ln in pages[0].lines)
    assert touched == {(0, 1)} and LIU not in read and not id_number_valid(read[6:24])

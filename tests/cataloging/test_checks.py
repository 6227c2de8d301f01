"""Quality checks: each rule finds its defect, names the documents and pages, and stays quiet on a sound file."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from cataloging.checks import foot_signed, load_checks, run_checks
from cataloging.dossier import Document
from cataloging.elements import case_elements
from classification.taxonomy import load_taxonomy
from ocr.page import PageLabel, PageRef
from tests.factories import H, W, page

CONFIG = load_checks()
LABELS = {t.code: t.label for t in load_taxonomy().types}
LIU = "340104198611072253"


def doc(type_, pages, date=None, persons=()):
    for i, p in enumerate(pages):
        p.ref = PageRef(0, id(p) % 100000 + i)
        p.label = p.label or PageLabel(type_, i == 0, 1.0, None, [])
    return Document(type_, pages, title=LABELS[type_], date=date, persons=list(persons))


def numbered(n, total, *body):
    p = page([*((t, 0.1 + 0.03 * i, None) for i, t in enumerate(body)), (f"第{n}页 共{total}页", 0.95, None)])
    p.label = PageLabel("", n == 1, 1.0, (n, total), [])
    return p


def lines(*texts, date_line=None):
    rows = [(t, 0.1 + 0.03 * i, None) for i, t in enumerate(texts)]
    return page(rows + ([(date_line, 0.8, None)] if date_line else []))


def findings(documents, rule=None):
    found = run_checks(documents, case_elements(documents), CONFIG, LABELS)
    return [f for f in found if rule is None or f.rule == rule]


def interrogation(name, id_number=LIU, when="2024年1月12日20时05分至21时30分", officers="陈建辉、任玉明", closing=True):
    first = lines("讯问笔录", f"时间：{when}", f"侦查员：{officers}", f"被讯问人：{name} 性别：男 出生日期：1986年11月7日",
                  f"身份证件种类及号码：居民身份证{id_number}", "问：你把经过讲一下。", "答：好的。",
                  *(["以上笔录我看过，和我说的相符。"] if closing else []))
    return doc("interrogation_record", [first], date=None, persons=[name])


def test_a_sound_file_raises_nothing():
    documents = [
        doc("case_acceptance_form", [lines("受案登记表", date_line="2024年1月4日")], date="2024-01-04"),
        doc("detention_warrant", [lines("拘留证", "兹决定对犯罪嫌疑人张强执行拘留。", date_line="2024年1月12日")], "2024-01-12", ["张强"]),
        doc("rights_notice", [lines("犯罪嫌疑人诉讼权利义务告知书", "犯罪嫌疑人：张强")], "2024-01-12", ["张强"]),
        interrogation("张强"),
        doc("arrest_request", [numbered(1, 2, "提请批准逮捕书"), numbered(2, 2, "此致", "2024年1月15日")], "2024-01-15", ["张强"]),
        doc("arrest_approval", [lines("批准逮捕决定书", date_line="2024年1月20日")], "2024-01-20", ["张强"]),
    ]
    assert findings(documents) == []


def test_a_gap_in_the_printed_numbering_is_a_missing_page_naming_the_document():
    documents = [doc("prosecution_recommendation", [numbered(1, 4), numbered(2, 4), numbered(4, 4)])]
    [found] = findings(documents, "missing_pages")
    assert (found.severity, found.documents, found.details["missing"]) == ("error", [1], [3])
    assert "第3页" in found.message and found.pages == [p.ref for p in documents[0].pages]


def test_a_page_whose_number_ocr_missed_is_no_missing_page():
    unread = lines("起诉意见书")
    assert findings([doc("prosecution_recommendation", [unread, numbered(2, 3), numbered(3, 3)])], "missing_pages") == []
    assert findings([doc("prosecution_recommendation", [numbered(1, 4), unread, numbered(4, 4)])], "missing_pages")  # 2 gone, 1 unread


def test_a_record_that_stops_before_its_closing_words_lacks_its_end():
    [found] = findings([interrogation("张强", closing=False)], "missing_pages")
    assert found.details == {"missing": "end"}


def test_a_companion_document_missing():
    documents = [doc("arrest_warrant", [lines("逮捕证")], "2024-01-20", ["张强"])]
    [found] = findings(documents, "required_document_missing")
    assert found.details == {"type": "arrest_warrant", "needs": "arrest_approval"} and "批准逮捕决定书" in found.message


def test_every_interrogated_suspect_needs_a_rights_notice():
    documents = [interrogation("张强"), interrogation("李明", id_number="11010519491231002X"),
                 doc("rights_notice", [lines("犯罪嫌疑人诉讼权利义务告知书", "犯罪嫌疑人：张强")], persons=["张强"])]
    [found] = findings(documents, "required_document_missing")
    assert found.details["person"] == "李明" and found.documents == [2]


def test_an_arrest_requested_too_long_after_detention():
    documents = [doc("detention_warrant", [lines("拘留证", date_line="2024年1月2日")], "2024-01-02", ["张强"]),
                 doc("arrest_request", [lines("提请批准逮捕书", date_line="2024年1月18日")], "2024-01-18", ["张强"])]
    [found] = findings(documents, "time_limit")
    assert (found.details["days"], found.details["limit_days"], found.documents) == (16, 7, [1, 2])
    extended = [*documents, doc("detention_extension", [lines("提请延长拘留期限审批表")], "2024-01-04", ["张强"])]
    assert findings(extended, "time_limit") == []


def test_a_date_read_from_the_body_decides_no_limit():
    """The request's own date was lost under its seal; the detention date in its body is no substitute."""
    request = lines("提请批准逮捕书", "犯罪嫌疑人张强于2024年1月2日被刑事拘留。", "经依法侦查查明……", "特提请批准逮捕。", "此致",
                    "某区人民检察院", "某市公安局", "（印）")
    documents = [doc("arrest_request", [request], "2024-01-02", ["张强"]),
                 doc("arrest_approval", [lines("批准逮捕决定书", date_line="2024年1月20日")], "2024-01-20", ["张强"])]
    assert findings(documents, "time_limit") == []


def test_a_record_ending_before_it_starts_and_one_officer_in_two_places():
    documents = [interrogation("张强", when="2024年1月12日20时05分至19时30分"),
                 interrogation("李明", id_number="11010519491231002X", when="2024年1月12日9时00分至10时30分", officers="陈建辉、王平"),
                 interrogation("王五", id_number="", when="2024年1月12日10时00分至11时00分", officers="陈建辉、刘洋")]
    messages = [f.message for f in findings(documents, "time_limit")]
    assert any("早于开始时间" in m for m in messages)
    assert any(m.startswith("陈建辉同时出现") for m in messages)


def test_a_paper_dated_before_the_case_was_accepted():
    documents = [doc("case_acceptance_form", [lines("受案登记表", date_line="2024年1月4日")], "2024-01-04"),
                 doc("search_warrant", [lines("搜查证", date_line="2024年1月1日")], "2024-01-01"),
                 doc("summons_warrant", [lines("传唤证", date_line="2024年1月3日")], "2024-01-03")]  # a day: as often a misread date
    [found] = findings(documents, "time_limit")
    assert found.details == {"date": "2024-01-01", "accepted": "2024-01-04"}


@pytest.mark.parametrize("id_number, birth, detail", [
    ("340104198611072254", "1986年11月7日", "id_number"),  # a digit changed: the check character fails
    ("11010519491231002X", "1986年11月7日", "birth_date"),
])
def test_an_id_number_that_fails_or_disagrees(id_number, birth, detail):
    record = interrogation("张强", id_number=id_number)
    record.pages[0].lines[3] = type(record.pages[0].lines[3])(f"被讯问人：张强 性别：女 出生日期：{birth}", record.pages[0].lines[3].box, 0.97)
    found = findings([record], "identity_mismatch")
    assert found and detail in found[0].details


def test_one_name_with_two_id_numbers():
    documents = [interrogation("张强"), interrogation("张强", id_number="11010519491231002X")]
    assert any("2个不同的公民身份号码" in f.message for f in findings(documents, "identity_mismatch"))


def test_a_dark_or_unreadable_page_is_listed_for_a_rescan():
    dark = lines("提请批准逮捕书", "正文正文正文正文正文正文正文正文正文正文正文")
    dark.thumbnail = np.full((64, 48), 40, np.uint8)
    blurred = lines("提请批准逮捕书", "正文正文正文正文正文正文正文正文正文正文正文")
    blurred.lines = [type(ln)(ln.text, ln.box, 0.55) for ln in blurred.lines]
    found = findings([doc("arrest_request", [dark, blurred])], "poor_scan")
    assert [f.details["problem"][:2] for f in found] == ["过暗", "字迹"]


def test_a_profile_turns_a_rule_off_and_changes_a_limit(tmp_path: Path):
    profile = tmp_path / "agency.yaml"
    profile.write_text("checks:\n  rules:\n    poor_scan: {enabled: false}\n  time_limits: {arrest_request_days: 3}\n", encoding="utf-8")
    config = load_checks(profile)
    assert not config.rules["poor_scan"].enabled and config.rules["missing_pages"].enabled
    assert config.time_limits.arrest_request_days == 3


# ---- signatures at the foot of a record page, on drawn scans ------------------------------------


def _record_page(*foot):
    """A drawn record page: questions and answers, then `foot` as (text or None, drawing)."""
    p = page([("问：你把经过讲一下。", 0.3, None), ("答：好的，那天晚上我在家里看电视的时候听到外面有动静。", 0.33, None),
              ("问：还有吗？", 0.36, None), ("答：没有了，就这些情况。", 0.39, None)])
    image = Image.new("RGB", (W, H), "white")
    draw = ImageDraw.Draw(image)
    for text, mark in foot:
        if text:
            p.lines.append(type(p.lines[0])(text, (1000, 0.5 * H, 1000 + 36 * len(text), 0.5 * H + 40), 0.97))
        if mark:
            mark(draw)
    p.image = np.asarray(image)
    return p


def _fingerprint(draw):
    draw.ellipse((1250, 0.5 * H - 10, 1310, 0.5 * H + 60), fill=(200, 40, 40))


def _scribble(draw):
    x = 1000 + 36 * 5
    draw.line([(x + 10, 0.5 * H + 30), (x + 40, 0.5 * H), (x + 70, 0.5 * H + 35), (x + 100, 0.5 * H + 5)], fill="black", width=2)


@pytest.mark.parametrize("foot, signed", [
    ([("张强", None)], True),  # the name in handwriting, read by OCR
    ([("被询问人：张强", None)], True),
    ([(None, _fingerprint)], True),
    ([("被询问人：", _scribble)], True),  # a scribble OCR cannot read, after the label
    ([("被询问人：", None)], False),  # the label left blank
    ([], False),
])
def test_a_record_page_is_signed_by_name_scribble_or_fingerprint(foot, signed):
    assert foot_signed(_record_page(*foot)) is signed


def test_an_unsigned_record_page_is_found_and_other_pages_are_not_judged():
    unsigned = _record_page()
    unsigned.foot_signed = foot_signed(unsigned)
    instrument = lines("拘留证")
    assert foot_signed(instrument) is None
    [found] = findings([doc("interrogation_record", [unsigned], persons=["张强"]), doc("detention_warrant", [instrument])],
                       "unsigned_record_page")
    assert found.documents == [1] and found.severity == "error"

"""The rule baseline: title cues, printed page numbers, victim vs witness."""

import pytest

from classification.taxonomy import load_taxonomy
from classification.rules import RuleClassifier, record_kind, stated_role, statement_role_from_words
from ocr.numbering import printed_page_number
from tests.factories import form, page, record

TAX = load_taxonomy()


@pytest.fixture(scope="module")
def classify():
    return RuleClassifier(TAX)


@pytest.mark.parametrize(
    "footer, expected",
    [("第2页 共5页", (2, 5)), ("第 3 页，共 4 页", (3, 4)), ("共6页 第1页", (1, 6)), ("第二页 共三页", (2, 3)), ("第十二页", (12, None)), ("第7页共5页", None)],
)
def test_printed_page_numbers(footer, expected):
    assert printed_page_number(page([("正文", 0.3, None), (footer, 0.96, None)])) == expected


def test_page_number_in_the_body_is_not_a_footer():
    assert printed_page_number(page([("见第2页 共5页的记载", 0.5, None)])) is None


@pytest.mark.parametrize(
    "title, code",
    [("讯 问 笔 录", "interrogation_record"), ("拘留通知书", "detention_notice"), ("拘留证", "detention_warrant"),
     ("提请批准逮捕书", "arrest_request"), ("批准逮捕决定书", "arrest_approval"), ("鉴定意见通知书", "appraisal_notice"),
     ("司法鉴定意见书", "forensic_opinion"), ("中国工商银行个人账户交易明细", "documentary_evidence"), ("讯问笔泉", "interrogation_record")],
)
def test_title_gives_type_and_starts_a_document(classify, title, code):
    label = classify(form(title, ["正文内容如下。"]))
    assert (label.type, label.starts_document) == (code, True)


def test_cue_in_a_body_line_is_not_a_title(classify):
    p = page([("问：你知道立案决定书的内容吗？", 0.3, None), ("答：知道。", 0.33, None)])
    label = classify(p)
    assert label.starts_document is False and label.type == ""


def test_continuation_page_with_title_header_continues(classify):
    p = record("讯问笔录", "刘建国", 1, 3)
    p.lines[-1] = type(p.lines[-1])("第2页 共3页", p.lines[-1].box, 0.97)
    label = classify(p)
    assert label.starts_document is False and label.page_number == (2, 3)


@pytest.mark.parametrize(
    "text, role",
    [("被询问人身份：被害人", "被害人"), ("身份：证人", "证人"), ("我来报案，我的手机被盗了", None), ("你好", None)],
)
def test_statement_role(text, role):
    assert (stated_role(text) or (None,))[0] == role


@pytest.mark.parametrize("text, found", [
    ("询问笔录 （被害人）\n时间：2024年3月12日", ("被害人", "title")),  # OCR's space before the bracket
    ("询 问 笔 录(证人)", ("证人", "title")),
    ("被询问人类别：证人", ("证人", "header field")),
    ("问：我们是某派出所民警，你作为被害人，应当如实提供证据、证言，你听清楚了吗？", ("被害人", "warning sentence")),
    ("问：你是本案的证人，应当如实作证。", ("证人", "warning sentence")),
    ("问：你是作为被害人来反映情况的吗？", ("被害人", "warning sentence")),
    ("被询问人类别：□被害人 ☑证人", ("证人", "ticked box")),
    # the warning every witness and victim hears names no role; nor does a sentence about another person
    ("问：你应当如实提供证据、证言，如有意作伪证或者隐匿罪证，要负法律责任。", None),
    ("答：被害人张某当时在场。", None),
])
def test_the_role_a_record_states_and_where(text, found):
    assert stated_role(text) == found


SUSPECT_HEADER = ("讯问人：王强、李明 工作单位：某市公安局刑侦大队\n被讯问人：张三\n问：我们是某市公安局的侦查人员，现依法对你进行讯问，"
                  "你应当如实回答我们的提问。如实供述自己罪行，可以从轻处罚。")
WITNESS_HEADER = ("询问人：王强、李明 工作单位：某市公安局刑侦大队\n被询问人：李四\n问：你应当如实提供证据、证言，如有意作伪证或者隐匿罪证，"
                  "要负法律责任。")


def test_the_header_and_warning_tell_an_interrogation_from_a_statement():
    assert record_kind(SUSPECT_HEADER)[0] == "interrogation"
    assert record_kind(WITNESS_HEADER)[0] == "statement"
    # with a one-character slip in every field (询 read as 讯) the warning still decides
    assert record_kind(WITNESS_HEADER.replace("询问人", "讯问人"))[0] == "statement"
    assert record_kind("问：你把经过讲一下。\n答：好的。") is None


@pytest.mark.parametrize("text, role", [("我来报案，我的手机被盗了", "被害人"), ("我当时看到两个人", "证人"), ("你好", None),
                                        ("答：民警通知我来，了解那天的事情。问：你和当事人有无利害关系？", "证人"),
                                        ("答：我报警了。问：你有什么要求？答：要求赔偿损失。", "被害人")])
def test_statement_role_from_words(text, role):
    assert statement_role_from_words(text) == role


def test_an_unknown_title_still_starts_a_document(classify):
    label = classify(form("商品出库单", ["品名 数量 金额"]))
    assert (label.type, label.starts_document) == ("", True)
    assert "unrecognised title" in label.reasons[0]


@pytest.mark.parametrize("line", ["犯罪嫌疑人：刘建国", "价格认定人员：宋杨", "以上笔录我看过，和我说的相符。", "三、鉴定过程"])
def test_fields_signatures_and_headings_are_not_titles(classify, line):
    label = classify(page([(line, 0.05, 60), ("正文。", 0.3, None)]))
    assert label.starts_document is False


def test_page_number_inside_a_layout_footer_counts_wherever_it_stands():
    from ocr.page import Region

    p = page([("正文", 0.3, None), ("第2页 共3页", 0.7, None)])
    assert printed_page_number(p) is None
    p.regions = [Region("footer", (0, 0.69 * 2339, 1654, 0.72 * 2339), 0.9)]
    assert printed_page_number(p) == (2, 3)


@pytest.mark.parametrize("number, code", [("合公（瑶）传唤字〔2020〕5480号", "summons_warrant"), ("深公刑拘通字[2024]12号", "detention_notice"), ("沈和检刑批捕〔2021〕656号", "arrest_approval")])
def test_a_torn_title_falls_back_on_the_code_in_the_doc_number(classify, number, code):
    p = page([("深圳市公安局", 0.05, 48), ("▒▒ 证", 0.1, 40), (number, 0.14, None), ("兹决定对犯罪嫌疑人执行。", 0.2, None)])
    label = classify(p)
    assert (label.type, label.starts_document) == (code, True)


def test_a_cue_under_a_table_is_not_a_title(classify):
    # page 2 of a bank statement: rows of figures, then the bank's name over its seal, centred
    rows = [(f"2023-09-{d:02d} 转账 -{d * 37}.00 {d * 101}.00", 0.09 + 0.02 * d, None) for d in range(1, 8)]
    label = classify(page([*rows, ("中国农业银行股份有限公司芜湖城中支行", 0.29, 44)]))
    assert label.starts_document is False


def test_a_title_under_an_organ_header_and_a_copy_mark_still_counts(classify):
    head = [("（副本）", 0.04, None), ("深圳市公安局", 0.06, 44), ("福田分局", 0.08, 44)]
    label = classify(page([*head, ("拘留通知书", 0.11, 64), ("深公（刑）拘通字〔2024〕12号", 0.14, None), ("刘某家属：", 0.18, None)]))
    assert (label.type, label.starts_document) == ("detention_notice", True)


def test_side_by_side_header_fields_count_as_one_row_above_the_title(classify):
    from ocr.page import TextLine

    p = page([("福州市公安局", 0.09, 44), ("拘留证", 0.12, 64), ("榕公（刑）拘字〔2024〕12号", 0.16, None)])
    fields = [("密级：", 180, 0.03), ("No.0012345", 1200, 0.03), ("第一联", 180, 0.055), ("存根", 1200, 0.055)]
    p.lines = [TextLine(text, (x, y * 2339, x + 200, y * 2339 + 34), 0.97) for text, x, y in fields] + p.lines
    assert (classify(p).type, classify(p).starts_document) == ("detention_warrant", True)


def test_an_appendix_sheet_continues_the_document_before(classify):
    """辨认照片 under a big heading is the identification record's photo sheet, no document."""
    label = classify(page([("辨认照片（曹丽华辨认）", 0.05, 64), ("1 2 3 4", 0.3, None), ("5 6 7 8", 0.5, None)]))
    assert label.starts_document is False
    assert label.reasons == ["appendix 辨认照片(曹丽华辨认): part of the document before"]


@pytest.mark.parametrize("lines", [
    [("以上笔录向我宣读过，和我说的相符。", 0.05, None), ("谭波国", 0.08, 70), ("2025年8月18日", 0.12, None)],  # under the closing words
    [("鉴定人：陈立平", 0.05, None), ("鉴定人：", 0.08, None), ("刘晓峰", 0.1, 70)],  # under a signer's label
])
def test_a_signature_written_large_is_no_title(classify, lines):
    label = classify(page(lines))
    assert label.starts_document is False and not any("title" in r for r in label.reasons)


def test_questions_and_answers_make_a_record_page():
    from classification.rules import questions_and_answers

    qa = page([("问：你把经过讲一下。", 0.1, None), ("答：好的。", 0.13, None), ("问：还有吗？", 0.16, None), ("答 没有了。", 0.19, None)])
    prose = page([("犯罪嫌疑人于2024年3月1日被抓获。", 0.1, None), ("问题已查清。", 0.13, None)])
    assert questions_and_answers(qa) and not questions_and_answers(prose)


@pytest.mark.parametrize("body, code", [
    ("根据《中华人民共和国刑事诉讼法》第八十二条之规定，兹决定对犯罪嫌疑人刘某执行拘留，送看守所羁押。", "detention_warrant"),
    ("刘某涉嫌盗窃罪，于2024年3月1日被我局刑事拘留，现羁押在某看守所。", "detention_notice"),
    ("犯罪嫌疑人刘某涉嫌盗窃罪，于2024年3月1日被执行拘留，现将此案移送审查起诉。", "prosecution_recommendation"),
    ("收款收据 今收到货款人民币五百元", None),
    ("委托事项：手机1部的价格认定 鉴定材料：鉴定聘请书", "forensic_opinion"),
    ("民警在某工地将犯罪嫌疑人刘某抓获，依法传唤至我所接受调查。", "arrest_circumstances"),
    ("案发地周边的监控录像因设备故障未能保存。特此说明。", "situation_explanation"),
])
def test_a_torn_instrument_is_typed_by_its_operative_sentence(body, code):
    from classification.rules import operative_type

    assert operative_type(page([(body, 0.3, None)]), set(TAX.codes)) == code


@pytest.mark.parametrize("title, code", [
    ("常住人口", "household_registration"),  # the right half torn off
    ("犯罪嫌疑人诉讼", "rights_notice"),
    ("速捕决定书", "arrest_approval"),  # 批准 torn off and 逮 misread
])
def test_a_torn_title_is_known_by_what_is_left(classify, title, code):
    label = classify(form(title, ["正文内容如下。"]))
    assert (label.type, label.starts_document) == (code, True)


def test_a_torn_title_that_fits_two_types_is_settled_by_the_body(classify):
    body = ["侦查人员持《搜查证》依法对被搜查人的住处进行搜查。", "搜查情况：在衣柜内发现手机1部。"]
    assert classify(form("查笔录", body)).type == "search_record"
    assert classify(form("查笔录", ["对现场进行勘查，勘查情况如下。"])).type == "scene_inspection_record"


def test_a_doc_number_quoted_in_a_sentence_names_no_type(classify):
    quoted = "侦查人员持青公（市）搜查字〔2020〕7390号《搜查证》在见证人的见证下"
    label = classify(page([("录", 0.05, 64), (quoted, 0.12, None), ("搜查情况：无。", 0.16, None)]))
    assert label.type != "search_warrant"
    bare = classify(page([("▒▒", 0.05, 64), ("青公（黄）诉字2024]2318号", 0.1, None), ("正文。", 0.2, None)]))  # its 〔 smudged
    assert (bare.type, bare.starts_document) == ("prosecution_recommendation", True)


@pytest.mark.parametrize("line", ["公安局", "青岛市公安局市北分局", "刑事专用章"])
def test_an_agency_name_written_large_is_no_title(classify, line):
    label = classify(page([(line, 0.05, 80), ("附：1.本案卷宗2卷163页。", 0.2, None)]))
    assert label.starts_document is False

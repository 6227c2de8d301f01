"""Segmentation, field extraction and ordering on classified pages."""

import pytest

from cataloging.extract import extract, find_dates
from cataloging.order import order_documents, order_pages, volumes
from cataloging.segment import segment
from classification.taxonomy import load_taxonomy
from classification.rules import RuleClassifier
from tests.factories import form, record

TAX = load_taxonomy()


def _labelled(pages):
    classify = RuleClassifier(TAX)
    for i, p in enumerate(pages):
        p.ref = type(p.ref)(0, i + 1)
        p.label = classify(p)
    return pages


def test_pages_group_into_documents_and_swapped_pages_are_reordered():
    pages = _labelled([
        form("拘留证", ["兹决定对犯罪嫌疑人刘建国执行拘留。"], doc_number="深公（福）拘字〔2024〕1023号"),
        record("讯问笔录", "刘建国", 2, 3),  # scanned before its first page
        record("讯问笔录", "刘建国", 1, 3),
        record("讯问笔录", "刘建国", 3, 3),
    ])
    docs = segment(pages, TAX.codes)
    assert [(d.type, len(d.pages)) for d in docs] == [("detention_warrant", 1), ("interrogation_record", 3)]
    order_pages(docs[1])
    assert [p.label.page_number[0] for p in docs[1].pages] == [1, 2, 3]
    assert "pages_reordered" in docs[1].flags


def test_victim_and_witness_statements_are_told_apart():
    pages = _labelled([
        record("询问笔录", "张丽", 1, 1, role_line="被询问人身份：被害人"),
        record("询问笔录", "陈刚", 1, 1, role_line="被询问人身份：证人"),
    ])
    assert [d.type for d in segment(pages, TAX.codes)] == ["victim_statement", "witness_statement"]


def test_fields_are_extracted():
    warrant, rec = segment(_labelled([
        form("拘留证", ["兹决定对犯罪嫌疑人刘建国（男）执行拘留。"], doc_number="深公（福）拘字〔2024〕1023号"),
        record("讯问笔录", "刘建国", 1, 1, when="2024年3月14日14时05分"),
    ]), TAX.codes)
    f = extract(warrant, TAX)
    assert (f.doc_number, f.date, f.persons[:1], f.author) == ("深公（福）拘字〔2024〕1023号", "2024-03-13", ["刘建国"], "深圳市公安局")
    f = extract(rec, TAX)
    assert (f.doc_number, f.date, f.persons[:1], f.author) == (None, "2024-03-14T14:05", ["刘建国"], "深圳市公安局福田分局")


@pytest.mark.parametrize("read_as", ["深公（福）拘字［2024〕1023号", "深公（福）拘字[2024]1023号", "深公(福)拘字〖2024〗1023号",
                                     "深公（福）拘字【2024】第1023号"])
def test_document_numbers_with_misread_year_brackets_are_restored(read_as):
    [warrant] = segment(_labelled([form("拘留证", ["兹决定对犯罪嫌疑人刘建国（男）执行拘留。"], doc_number=read_as)]), TAX.codes)
    assert extract(warrant, TAX).doc_number.replace("第", "").replace("(", "（").replace(")", "）") == "深公（福）拘字〔2024〕1023号"


def test_dates_in_arabic_and_chinese_numerals():
    assert find_dates("二〇二四年十二月三十一日，2023年1月5日8时") == ["2024-12-31", "2023-01-05T08:00"]
    assert find_dates("2024年13月40日") == []


def test_documents_follow_the_profile_order_and_long_volumes_split():
    pages = _labelled([
        record("询问笔录", "陈刚", 1, 1, role_line="身份：证人"),
        record("讯问笔录", "王五", 1, 1, when="2024年3月15日9时"),
        form("立案决定书", ["决定对刘建国盗窃案立案侦查。"]),
        record("讯问笔录", "刘建国", 1, 1, when="2024年3月16日9时"),
        record("讯问笔录", "王五", 1, 1, when="2024年3月14日9时"),
        form("受案登记表", ["报案人：张丽"]),
    ])
    docs = segment(pages, TAX.codes)
    for d in docs:
        f = extract(d, TAX)
        d.date, d.persons = f.date, f.persons
    ordered = order_documents(docs, TAX)
    # 王五 appears first in the scan, so both of his records come before 刘建国's, by date
    assert [(d.type, d.principal, (d.date or "")[:10]) for d in ordered] == [
        ("case_acceptance_form", "张丽", "2024-03-13"),
        ("case_filing_decision", None, "2024-03-13"),
        ("interrogation_record", "王五", "2024-03-14"),
        ("interrogation_record", "王五", "2024-03-15"),
        ("interrogation_record", "刘建国", "2024-03-16"),
        ("witness_statement", "陈刚", "2024-03-12"),
    ]
    vols = volumes(ordered, TAX, page_limit=2)
    assert [(v.code, v.part, v.parts, v.page_count) for v in vols] == [
        ("procedural", 1, 1, 2), ("evidence", 1, 2, 2), ("evidence", 2, 2, 2)]
    assert vols[1].title == "证据材料卷（之一）"


def test_years_hidden_by_a_seal_are_completed_from_the_case():
    from collections import Counter

    years = Counter({2019: 12, 2018: 1})
    assert find_dates("二一九年五月十四日", years) == ["2019-05-14"]
    assert find_dates("0一九年四月二十九日", years) == ["2019-04-29"]
    assert find_dates("二C三九年五月十九日", years) == ["2019-05-19"]
    assert find_dates("七五年五月十九日", years) == []  # too far from any year of the case


@pytest.mark.parametrize("read_as, date", [
    ("二〇一九年十二月平九日", "2019-12-19"),  # 十 crossed by the seal's arc
    ("二〇一九年二月二千由", "2019-02-20"),  # 十 as 千, 日 as 由
    ("十二九年十二月十八日", "2019-12-18"),  # a year has no 十: the seal's star
    ("〇一九年--月十七日", "2019-01-17"),  # 一 split into two dashes
    ("二〇一九年十二月到十一日", "2019-12-11"),  # a stray character from the arc
    ("二〇一九年四月五白", "2019-04-05"),
])
def test_date_numerals_misread_under_a_seal(read_as, date):
    from collections import Counter

    assert find_dates(read_as, Counter({2019: 12})) == [date]


def test_last_year_is_not_a_date():
    from collections import Counter

    assert find_dates("上年十二月三日我们去过", Counter({2019: 12})) == []


def test_a_second_interview_takes_the_role_the_person_has_elsewhere():
    from cataloging.segment import settle_statement_roles

    pages = _labelled([
        record("询问笔录", "刘凤兰", 1, 1, role_line="被询问人身份：被害人"),
        record("询问笔录", "刘凤兰", 1, 1, when="2024年3月20日9时"),
        record("询问笔录", "和伟", 1, 1, when="2024年3月21日9时"),
    ])
    docs = segment(pages, TAX.codes)
    for d in docs:
        d.persons = extract(d, TAX).persons
    settle_statement_roles(docs, "证人和伟的证言；被害人刘凤兰的陈述")
    assert [d.type for d in docs] == ["victim_statement", "victim_statement", "witness_statement"]


def test_numbers_cited_in_the_body_are_not_the_documents_own():
    doc = segment(_labelled([form("搜查笔录", ["侦查员持深公（福）搜查字〔2024〕77号搜查证，对住处进行搜查。"] * 1)]), TAX.codes)[0]
    assert extract(doc, TAX).doc_number is None
    doc = segment(_labelled([form("扣押决定书", ["决定扣押下列物品。"], doc_number="深公（福）扣字2024]6843号")]), TAX.codes)[0]
    assert extract(doc, TAX).doc_number == "深公（福）扣字〔2024〕6843号"


@pytest.mark.parametrize("number", ["泉公司鉴〔2021〕毒鉴字第113号", "芜弋检批捕〔2023〕Z89号"])
def test_doc_numbers_with_their_word_after_the_year_or_a_letter(number):
    doc = segment(_labelled([form("鉴定意见书", ["经检验，检材中检出甲基苯丙胺成分。"], doc_number=number)]), TAX.codes)[0]
    assert extract(doc, TAX).doc_number == number


def test_organ_names_are_cleaned_with_the_names_the_case_prints_alone():
    from cataloging.extract import case_context

    rec = record("询问笔录", "陈刚", 1, 1, role_line="工作单位福州市公安局仓山分局银湖派出所")
    rec.lines = [type(ln)(ln.text.replace("深圳市公安局福田分局", "马艳福州市公安局仓山分局银湖派出所"), ln.box, ln.score) for ln in rec.lines]
    signatures = [form(title, ["特此说明。", "福州市公安局仓山分局银湖派出所"]) for title in ("情况说明", "到案经过")]
    pages = _labelled([rec, *signatures])
    docs = segment(pages, TAX.codes)
    fields = extract(docs[0], TAX, case_context(pages))
    assert fields.author == "福州市公安局仓山分局银湖派出所"


def test_a_second_page_2_goes_to_the_next_document_that_lacks_it():
    pages = _labelled([
        record("讯问笔录", "刘建国", 1, 2), record("讯问笔录", "刘建国", 2, 2),
        record("询问笔录", "陈刚", 2, 2),  # the next record's page 2, scanned before its page 1
        record("询问笔录", "陈刚", 1, 2, role_line="身份：证人"),
    ])
    docs = segment(pages, TAX.codes)
    assert [[p.ref.page for p in d.pages] for d in docs] == [[1, 2], [4, 3]]
    assert [d.type for d in docs] == ["interrogation_record", "witness_statement"]


def test_two_records_fed_in_reverse_keep_their_own_signed_pages():
    """Each record's page 2 scanned before its page 1: the signature at its foot says whose it is."""
    pages = _labelled([
        record("询问笔录", "黄海燕", 2, 2, signed=True), record("询问笔录", "黄海燕", 1, 2, role_line="身份：被害人", signed=True),
        record("询问笔录", "蓝国庆", 2, 2, signed=True), record("询问笔录", "蓝国庆", 1, 2, role_line="身份：证人", signed=True),
    ])
    docs = segment(pages, TAX.codes)
    assert [[p.ref.page for p in d.pages] for d in docs] == [[2, 1], [4, 3]]
    assert [d.type for d in docs] == ["victim_statement", "witness_statement"]


def test_a_closing_sheet_in_a_file_of_its_own_rejoins_its_document():
    """The last page of a 起诉意见书 scanned again into 补扫.jpg, read before the file that holds
    the rest: it starts nothing (no title), its words type it, and it goes to its document."""
    from tests.factories import page

    closing = page([("人民共和国刑事诉讼法》第一百六十二条之规定，现将此案移送审查起诉。", 0.1, None), ("此致", 0.14, None),
                    ("常德市人民检察院", 0.17, None), ("二〇二二年三月十二日", 0.3, None)])
    rest = [form("拘留证", ["兹决定对犯罪嫌疑人金国军执行拘留。"]),
            form("起诉意见书", ["犯罪嫌疑人金国军，男，1985年3月2日出生。", "经依法侦查查明：2022年1月3日，犯罪嫌疑人金国军盗窃电动车一辆。"])]
    pages = _labelled([closing, *rest])
    pages[0].ref = type(pages[0].ref)(0, 1)
    for i, p in enumerate(pages[1:]):
        p.ref = type(p.ref)(1, i + 1)
    docs = segment(pages, TAX.codes)
    assert [(d.type, [(p.ref.file, p.ref.page) for p in d.pages]) for d in docs] == [
        ("detention_warrant", [(1, 1)]), ("prosecution_recommendation", [(1, 2), (0, 1)])]


def test_a_sheet_on_its_own_naming_another_type_does_not_continue_the_file_before():
    """补扫.jpg, the second page of a 提请批准逮捕书, read right after a notice that ends another
    file: its words name its type, and it goes to the request, not onto the notice."""
    from tests.factories import page

    request = form("提请批准逮捕书", ["犯罪嫌疑人金国军，男，1985年3月2日出生。", "经依法侦查查明：2022年1月3日，犯罪嫌疑人金国军盗窃电动车一辆。"])
    notice = form("犯罪嫌疑人诉讼权利义务告知书", ["根据《中华人民共和国刑事诉讼法》的规定，犯罪嫌疑人有如下诉讼权利和义务："])
    sheet = page([("综上所述，犯罪嫌疑人金国军涉嫌盗窃罪，可能判处徒刑以上刑罚，", 0.1, None),
                  ("现提请批准逮捕。", 0.13, None), ("此致", 0.16, None), ("常德市人民检察院", 0.19, None)])
    pages = _labelled([request, notice, sheet])
    for p, (file, number) in zip(pages, [(0, 1), (0, 2), (1, 1)]):
        p.ref = type(p.ref)(file, number)
    docs = segment(pages, TAX.codes)
    assert [(d.type, [(p.ref.file, p.ref.page) for p in d.pages]) for d in docs] == [
        ("arrest_request", [(0, 1), (1, 1)]), ("rights_notice", [(0, 2)])]


def test_an_interrogation_s_loose_page_does_not_rejoin_a_statement():
    """The last page of an interrogation whose first page is elsewhere: 讯问人 and 被讯问人 say
    whose kind it is, so the open witness statement nearby does not take it."""
    from tests.factories import page

    tail = page([("问：以上笔录你看一下。", 0.1, None), ("答：好的。", 0.13, None), ("问：还有补充吗？", 0.16, None), ("答：没有。", 0.19, None),
                 ("以上笔录我看过，记录属实。", 0.3, None), ("讯问人：陆健、侯家凯", 0.4, None), ("被讯问人：", 0.45, None)])
    pages = _labelled([form("拘留证", ["兹决定对犯罪嫌疑人雷林执行拘留。"]), tail,
                       record("询问笔录", "张强", 1, 2, role_line="身份：证人")])
    docs = segment(pages, TAX.codes)
    assert [(d.type, [p.ref.page for p in d.pages]) for d in docs] == [
        ("detention_warrant", [1]), ("interrogation_record", [2]), ("witness_statement", [3])]


def test_a_profile_without_the_fallback_or_statement_types_still_segments():
    import dataclasses

    small = dataclasses.replace(TAX, types=tuple(t for t in TAX.types if t.code not in ("documentary_evidence", "victim_statement")))
    classify = RuleClassifier(small)
    pages = [form("商品出库单", ["品名 数量"]), record("询问笔录", "陈刚", 1, 1)]
    for i, p in enumerate(pages):
        p.ref, p.label = type(p.ref)(0, i + 1), classify(p)
    docs = segment(pages, small.codes)
    assert docs[0].type == small.codes[-1] and "type_guessed" in docs[0].flags
    assert docs[1].type == "witness_statement"


def test_a_run_of_pages_scanned_ahead_of_its_first_page_moves_whole():
    pages = _labelled([
        form("拘留证", ["兹决定对犯罪嫌疑人刘建国执行拘留。"]),
        record("询问笔录", "陈刚", 2, 3), record("询问笔录", "陈刚", 3, 3),
        record("询问笔录", "陈刚", 1, 3, role_line="身份：证人"),
    ])
    docs = segment(pages, TAX.codes)
    order_pages(docs[-1])
    assert [[p.ref.page for p in d.pages] for d in docs] == [[1], [4, 2, 3]]


def test_case_title_is_written_as_case_names_are():
    from cataloging.extract import case_info

    pages = [form("起诉意见书", ["现将犯罪嫌疑人杨勇涉嫌盗窃一案移送审查起诉。"]), form("立案决定书", ["决定对杨勇盗窃案立案侦查。"])]
    assert case_info(pages) == (None, "杨勇盗窃案")


def test_a_name_run_into_prose_is_trimmed_to_the_name_the_case_uses():
    from cataloging.extract import case_context

    arrest = form("到案经过", ["民警在出租屋内将犯罪嫌疑人邹平抓获，依法传唤至我所。"])
    others = [record("讯问笔录", "邹平", 1, 1), record("讯问笔录", "邹平", 1, 1, when="2024年3月15日9时")]
    pages = _labelled([arrest, *others])
    docs = segment(pages, TAX.codes)
    assert extract(docs[0], TAX, case_context(pages)).persons == ["邹平"]


def _headless(title: str, body: list[str]):
    """A page whose organ header OCR lost (a red 红头 under the seal filter): title first."""
    from tests.factories import page

    return page([(title, 0.1, 64), *[(t, 0.2 + 0.03 * i, None) for i, t in enumerate(body)]])


@pytest.mark.parametrize("title, body, author", [
    # the body names the approving procuratorate; the seal line names who issued the notice
    ("逮捕通知书", ["刘建国家属：", "经深圳市人民检察院批准，我局已将刘建国逮捕。", "深圳市公安局福田分局（公章）", "二〇二四年三月十三日"],
     "深圳市公安局福田分局"),
    # the addressee of an engagement letter did not write it
    ("鉴定聘请书", ["深圳市价格认证中心：", "特聘请你单位对被盗车辆的价格进行鉴定。", "深圳市公安局", "二〇二四年三月十三日"], "深圳市公安局"),
    # nor does the procuratorate a report is sent to (此致 / 某人民检察院)
    ("起诉意见书", ["犯罪嫌疑人刘建国涉嫌盗窃一案，现已侦查终结。", "此致", "深圳市福田区人民检察院", "深圳市公安局福田分局",
                    "二〇二四年五月六日"], "深圳市公安局福田分局"),
])
def test_the_author_is_the_organ_that_heads_or_signs_the_document(title, body, author):
    doc = segment(_labelled([_headless(title, body)]), TAX.codes)[0]
    assert extract(doc, TAX).author == author


def test_an_organ_misread_once_is_spelled_as_the_case_prints_it():
    from collections import Counter

    from cataloging.extract import CaseContext

    doc = segment(_labelled([_headless("搜查证", ["深圳市公安局福日分局", "二〇二四年三月十三日"])]), TAX.codes)[0]
    context = CaseContext(Counter({2024: 9}), Counter({"深圳市公安局福田分局": 7, "深圳市公安局": 3}))
    assert extract(doc, TAX, context).author == "深圳市公安局福田分局"


@pytest.mark.parametrize("line, name", [
    ("兹决定对涉嫌盗窃罪的魏宁，性别男，出生日期1964年7月27日", "魏宁"),
    ("经查询，魏宁（性别男，公民身份号码：370703196407278353）无违法犯罪记录", "魏宁"),
    ("犯罪嫌疑人魏宁于2021年3月31日到我所投案", "魏宁"),
    ("报案人付建称其在家中遭遇电信网络诈骗", "付建"),
])
def test_principal_persons_as_prose_and_forms_name_them(line, name):
    doc = segment(_labelled([_headless("情况说明", [line])]), TAX.codes)[0]
    assert extract(doc, TAX).persons[:1] == [name]


def test_a_name_in_the_cell_after_its_label():
    from tests.factories import page

    cells = page([("受案登记表", 0.1, 64), ("报案人", 0.2, None), ("姓名", 0.2, None), ("付建", 0.2, None), ("性别", 0.2, None)])
    doc = segment(_labelled([cells]), TAX.codes)[0]
    assert extract(doc, TAX).persons[:1] == ["付建"]


@pytest.mark.parametrize("organ, known, author", [
    ("深圳市公安局福日分局", {"深圳市公安局福田分局": 7}, "深圳市公安局福田分局"),
    ("漳州市公安局", {"泉州市公安局": 9}, "漳州市公安局"),  # another city
    ("深圳市公安局福田分局南街派出所", {"深圳市公安局福田分局东街派出所": 9}, "深圳市公安局福田分局南街派出所"),
    ("深圳市公安局刑侦大队二中队", {"深圳市公安局刑侦大队一中队": 9}, "深圳市公安局刑侦大队二中队"),
])
def test_only_a_slip_of_a_much_printed_organ_is_respelled(organ, known, author):
    from collections import Counter

    from cataloging.extract import CaseContext

    doc = segment(_labelled([_headless("搜查证", [organ, "二〇二四年三月十三日"])]), TAX.codes)[0]
    assert extract(doc, TAX, CaseContext(Counter({2024: 9}), Counter(known))).author == author


@pytest.mark.parametrize("line, names", [
    ("被害人钱包在车内被盗", []), ("犯罪嫌疑人曾经在该处居住", []), ("司机，男，四十岁左右", []),
    ("张三和李四（男，32岁）一起", ["李四"]), ("上官婉，女，1990年生", ["上官婉"]),
])
def test_words_in_the_place_of_a_name_are_not_names(line, names):
    from cataloging.extract import _names

    assert [n for n in _names(line) if n in line] == names


@pytest.mark.parametrize("text, dates", [("填表日期：——年—月—日", []), ("二〇一九年三月-五日", ["2019-03-05"])])
def test_dashes_in_a_date(text, dates):
    from collections import Counter

    assert find_dates(text, Counter({2019: 9})) == dates


def test_the_addressee_under_the_title_is_not_the_author_even_without_its_colon():
    doc = segment(_labelled([_headless("鉴定聘请书", ["福建正泰司法鉴定中心", "因我局侦办盗窃一案，特聘请你单位进行鉴定。",
                                                    "福州市公安局鼓楼分局", "二〇二四年三月十三日"])]), TAX.codes)[0]
    assert extract(doc, TAX).author == "福州市公安局鼓楼分局"


def test_the_date_is_the_one_signed_under_the_seal_not_a_later_sentence():
    """A notice's stub (通知情况) dates the call after the 落款; the 落款 line dates the notice."""
    doc = segment(_labelled([_headless("逮捕通知书", ["顾一莉：", "我局已于2022年2月28日19时25分将涉嫌诈骗罪的李俊东执行逮捕。",
                                                    "济南市公安局历下区分局", "二〇二二年三月一日",
                                                    "通知情况：已于2022年3月2日3时25分电话通知其妻子顾一莉。"])]), TAX.codes)[0]
    assert extract(doc, TAX).date == "2022-03-01"


def test_a_record_typed_by_a_slipped_title_follows_its_header_and_warning():
    """讯问笔录 read for 询问笔录: the 被询问人 field and the witness warning decide."""
    p = record("讯问笔录", "陈刚", 1, 1, role_line="问：你应当如实提供证据、证言，如有意作伪证或者隐匿罪证，要负法律责任。")
    p.lines = [type(ln)(ln.text.replace("被讯问人", "被询问人"), ln.box, ln.score) for ln in p.lines]
    doc = segment(_labelled([p]), TAX.codes)[0]
    assert doc.type in ("victim_statement", "witness_statement")
    assert any("header fields and warning of a statement" in r for r in doc.pages[0].label.reasons)


def test_the_role_a_statement_states_beats_how_the_case_names_the_person():
    from cataloging.segment import settle_statement_roles

    pages = _labelled([
        record("询问笔录", "刘凤兰", 1, 2, role_line="问：你作为被害人，应当如实提供证据、证言，你听明白了吗？"),
        record("询问笔录", "刘凤兰", 2, 2),
    ])
    docs = segment(pages, TAX.codes)
    for d in docs:
        d.persons = extract(d, TAX).persons
    settle_statement_roles(docs, "证人刘凤兰的证言；证人刘凤兰称")  # the case-level guess says witness
    assert [d.type for d in docs] == ["victim_statement"]
    assert "被害人 stated by the record's warning sentence" in docs[0].pages[0].label.reasons


def test_a_record_author_is_its_officers_unit_not_a_name_in_the_answers():
    rec = record("询问笔录", "陈刚", 1, 1)
    rec.lines = [type(ln)(ln.text.replace("深圳市公安局福田分局", "福田派出所"), ln.box, ln.score) for ln in rec.lines]
    rec.lines.insert(-1, type(rec.lines[0])("答：是我自己的招商银行卡。", rec.lines[-2].box, 0.97))
    doc = segment(_labelled([rec]), TAX.codes)[0]
    assert extract(doc, TAX).author == "福田派出所"


def test_a_page_printing_the_next_number_continues_whatever_a_model_read_into_it():
    """Page 3 of a 提请批准逮捕书 reads like an 起诉意见书; its printed number says where it belongs."""
    from ocr.page import PageLabel

    pages = _labelled([record("提请批准逮捕书", "张三", n, 4) for n in (1, 2, 3, 4)])
    pages[2].label = PageLabel("prosecution_recommendation", True, 0.7, (3, 4), ["page model v1: prosecution_recommendation p=0.70"])
    docs = segment(pages, TAX.codes)
    assert [(d.type, len(d.pages)) for d in docs] == [("arrest_request", 4)]


def _qa(lines=4, closing=False):
    rows = [("问：你把经过讲一下。" if i % 2 == 0 else "答：好的。", 0.1 + 0.04 * i, None) for i in range(lines)]
    if closing:
        rows.append(("以上笔录我看过，和我说的相符。", 0.1 + 0.04 * lines, None))
    from tests.factories import page

    return page(rows)


def test_questions_and_answers_never_continue_an_instrument():
    """A record whose first page is lost: its 问/答 page after a 逮捕证 is a record of its own."""
    pages = _labelled([form("逮捕证", ["兹决定对犯罪嫌疑人刘建国执行逮捕。"], doc_number="深公（福）捕字〔2024〕1023号"), _qa(closing=True)])
    docs = segment(pages, TAX.codes)
    assert [(d.type, len(d.pages)) for d in docs] == [("arrest_warrant", 1), ("interrogation_record", 1)]
    assert "问/答 or a record's closing words: a 笔录" in docs[1].pages[0].label.reasons


def test_a_record_page_scanned_elsewhere_rejoins_the_record_that_has_not_ended():
    pages = _labelled([
        record("讯问笔录", "刘建国", 1, 2),  # page 1 of 2, no closing words: the record goes on somewhere
        form("拘留证", ["兹决定对犯罪嫌疑人刘建国执行拘留。"], doc_number="深公（福）拘字〔2024〕1023号"),
        _qa(closing=True),
    ])
    docs = segment(pages, TAX.codes)
    assert [(d.type, [p.ref.page for p in d.pages]) for d in docs] == [("interrogation_record", [1, 3]), ("detention_warrant", [2])]


def test_the_person_questioned_s_employer_is_not_the_record_s_author():
    rec = record("询问笔录", "陈刚", 1, 1)
    rec.lines = [type(ln)(ln.text.replace("深圳市公安局福田分局", "福田派出所"), ln.box, ln.score) for ln in rec.lines]
    rec.lines.insert(5, type(rec.lines[0])("被询问人：陈刚 工作单位：深圳市福田区人民法院", rec.lines[4].box, 0.97))
    doc = segment(_labelled([rec]), TAX.codes)[0]
    assert extract(doc, TAX).author == "福田派出所"


def test_an_opinion_quoting_an_examination_as_questions_and_answers_stays_whole():
    from tests.factories import page

    first = form("鉴定意见书", ["一、基本情况", "二、精神检查"])
    first.lines.append(type(first.lines[0])("第1页 共2页", (700, 0.95 * 2339, 900, 0.95 * 2339 + 34), 0.97))
    second = page([("问：你叫什么名字？", 0.1, None), ("答：张三。", 0.13, None), ("问：今天几号？", 0.16, None), ("答：不知道。", 0.19, None),
                   ("第2页 共2页", 0.95, None)])
    docs = segment(_labelled([first, second]), TAX.codes)
    assert [(d.type, len(d.pages)) for d in docs] == [("forensic_opinion", 2)]


def test_a_record_whose_last_page_closed_takes_no_more_pages():
    """Page 2 of another person's record (its page 1 lost) after a record that ended."""
    from tests.factories import page

    ended = record("讯问笔录", "刘建国", 1, 1)
    ended.lines.insert(-1, type(ended.lines[0])("以上笔录我看过，和我说的相符。", (180, 0.5 * 2339, 900, 0.5 * 2339 + 34), 0.97))
    fragment = page([("答：和我说的一样。", 0.05, None), ("以上笔录向我宣读过，和我说的相符。", 0.08, None), ("被讯问人：王军", 0.11, None)])
    docs = segment(_labelled([ended, fragment]), TAX.codes)
    assert [len(d.pages) for d in docs] == [1, 1]


def test_the_officer_asking_about_the_record_has_not_closed_it():
    """问：以上笔录你看一下… is the officer's question; the person's closing words come next page."""
    from tests.factories import page

    first = record("讯问笔录", "刘建国", 1, 1)
    first.lines.insert(-1, type(first.lines[0])("问：以上笔录你看一下，如有错误可以更正。", (180, 0.5 * 2339, 900, 0.5 * 2339 + 34), 0.97))
    last = page([("答：好的。", 0.05, None), ("以上笔录我看过，和我说的相符。", 0.08, None), ("被讯问人：刘建国", 0.11, None)])
    first.lines[-1] = type(first.lines[0])("第1页", first.lines[-1].box, 0.97)
    docs = segment(_labelled([first, last]), TAX.codes)
    assert [len(d.pages) for d in docs] == [2]


def test_a_record_header_opens_a_record_whose_title_is_torn():
    torn = record("询问笔录", "张丽", 1, 1)
    torn.lines = torn.lines[2:-1]  # no title, no organ header, no printed number
    torn.lines.insert(1, type(torn.lines[0])("地点：福田派出所询问室", torn.lines[0].box, 0.97))
    pages = _labelled([record("询问笔录", "陈刚", 1, 1), torn])
    assert [len(d.pages) for d in segment(pages, TAX.codes)] == [1, 1]


@pytest.mark.parametrize("before, title", [("电子数据提取笔录", "an extraction asks no questions"), ("询问笔录", "a statement")])
def test_an_interrogation_page_never_continues_another_kind_of_record(before, title):
    from tests.factories import page

    first = record(before, "陈刚", 1, 1, role_line="被询问人身份：证人" if before == "询问笔录" else None)
    interrogation = page([("问：你为什么拿走手机？", 0.05, None), ("答：我缺钱。", 0.08, None), ("问：你如实供述了吗？", 0.11, None),
                          ("答：是。", 0.14, None), ("被讯问人：刘建国", 0.5, None), ("讯问人：王强", 0.53, None)])
    docs = segment(_labelled([first, interrogation]), TAX.codes)
    assert [len(d.pages) for d in docs] == [1, 1], title
    assert docs[1].type == "interrogation_record"

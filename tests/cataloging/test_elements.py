"""Case elements: parties merged across documents with their roles and ID numbers, procedural dates."""

import pytest

from cataloging.dossier import Document
from cataloging.elements import case_elements, id_birth_date, id_gender, id_number_valid
from ocr.page import PageLabel
from tests.factories import page

WANG = "11010519491231002X"  # GB 11643's own example: a woman born 1949-12-31
LIU = "340104198611072253"


def doc(type_, lines, date=None, persons=()):
    p = page([(text, 0.05 + 0.03 * i, None) for i, text in enumerate(lines)])
    p.label = PageLabel(type_, True, 1.0, None, [])
    return Document(type_, [p], title=type_, date=date, persons=list(persons))


def record(type_, name, id_number, *extra):
    return doc(type_, ["询问笔录", "时间：2024年1月7日20时05分至21时30分", "询问人：陈建辉、任玉明 工作单位：某市公安局",
                       f"被{'讯' if type_ == 'interrogation_record' else '询'}问人：{name} 性别：男 年龄：37 出生日期：1986年11月7日",
                       f"身份证件种类及号码：居民身份证{id_number}", "现住址：安徽省合肥市蜀山区滨河路112号7幢1702室 联系方式：15543290738",
                       *extra, "问：你把经过讲一下。", "答：好的。"], persons=[name])


@pytest.mark.parametrize("number, valid", [(WANG, True), (LIU, True), ("110105194912310021", False), ("34010419861107225", False)])
def test_the_check_character_of_an_id_number(number, valid):
    assert id_number_valid(number) is valid


def test_an_id_number_carries_the_birth_date_and_sex():
    assert (id_birth_date(WANG), id_gender(WANG), id_gender(LIU)) == ("1949-12-31", "女", "男")


def test_a_party_from_a_record_header_with_every_field_and_its_page():
    elements = case_elements([record("interrogation_record", "张强", LIU)])
    [party] = elements.to_json()["parties"]
    assert party == {"name": "张强", "role": "suspect", "id_number": LIU, "gender": "男", "birth_date": "1986-11-07",
                     "address": "安徽省合肥市蜀山区滨河路112号7幢1702室", "phone": "15543290738", "documents": [1],
                     "sources": [{"file": 0, "page": 1}]}


def test_roles_come_from_the_kind_of_record():
    docs = [record("interrogation_record", "张强", LIU), record("victim_statement", "刘雨博", WANG), record("witness_statement", "郑子浩", "")]
    roles = {p["name"]: p["role"] for p in case_elements(docs).to_json()["parties"]}
    assert roles == {"张强": "suspect", "刘雨博": "victim", "郑子浩": "witness"}


def test_one_person_across_documents_is_one_party_even_with_a_name_misread_once():
    prosecution = doc("prosecution_recommendation", [
        f"犯罪嫌疑人张强，男，1986年11月7日出生，公民身份号码{LIU}，汉族，现住合肥市蜀山区。",
        "犯罪嫌疑人李明，男，1990年1月1日出生，公民身份号码110105199001010016，汉族。"])
    docs = [record("interrogation_record", "张强", LIU), record("interrogation_record", "张锦", LIU), prosecution]
    parties = case_elements(docs).to_json()["parties"]
    assert [(p["name"], p["role"], p["documents"]) for p in parties] == [("张强", "suspect", [1, 2, 3]), ("李明", "suspect", [3])]


def test_two_people_of_one_name_stay_two():
    docs = [record("witness_statement", "王芳", WANG), record("victim_statement", "王芳", LIU)]
    assert len(case_elements(docs).parties) == 2


def test_procedural_dates_from_the_documents_that_made_them():
    docs = [doc("case_acceptance_form", ["受案登记表", "接报时间：2024年1月4日6时10分"], date="2024-01-04"),
            doc("case_filing_decision", ["立案决定书"], date="2024-01-05"), doc("detention_warrant", ["拘留证"], date="2024-01-12T18:00"),
            doc("arrest_request", ["提请批准逮捕书"], date="2024-01-18")]
    dates = {k: v["date"] for k, v in case_elements(docs).to_json()["dates"].items()}
    assert dates == {"reported": "2024-01-04", "accepted": "2024-01-04", "filed": "2024-01-05", "detained": "2024-01-12",
                     "arrest_requested": "2024-01-18"}


def test_the_crime_most_documents_name():
    docs = [doc("detention_warrant", ["兹决定对涉嫌盗窃罪的犯罪嫌疑人刘某执行拘留。"]), doc("arrest_request", ["刘某涉嫌盗窃罪，涉嫌诈骗罪的另案处理。"])]
    assert case_elements(docs).crime == "盗窃罪"


def test_a_label_in_the_name_field_is_no_party():
    # the name left blank and 工作单位 written as 单位 right after it: 单位 starts with a surname
    unnamed = doc("witness_statement", ["询问笔录", "询问人：陈建辉、任玉明", "被询问人：单位：某市运输公司", "问：你把经过讲一下。"])
    assert case_elements([unnamed]).to_json()["parties"] == []

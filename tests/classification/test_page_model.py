"""The shipped page model at compile time: found by version, labels pages, any case length."""

import pytest

from classification.taxonomy import load_taxonomy
from classification.page_model import MODELS_DIR, ModelError, PageModel, list_models, printed_first, resolve
from classification.rules import RuleClassifier
from ocr.page import PageLabel
from compiler_service.pipeline import page_labeler
from compiler_service.settings import Settings
from tests.factories import form, page, record

TAXONOMY = load_taxonomy(None)


def _case():
    pages = [record("讯问笔录", "张三", 1, 2), record("讯问笔录", "张三", 2, 2, number=2),
             form("拘留证", ["被拘留人：张三", "根据《中华人民共和国刑事诉讼法》第八十二条之规定，决定对其刑事拘留"], doc_number="深公（刑）拘字〔2024〕12号", number=3)]
    for p in pages:
        p.make_thumbnail()
    return pages


def test_the_shipped_version_is_listed_with_its_metrics():
    shipped = {m.version: m for m in list_models(MODELS_DIR)}
    info = shipped["v1"]
    assert info.metrics["page_type_accuracy"] > 0.8 and len(info.data["sha256"]) == 64


def test_the_rules_are_the_default_until_a_model_beats_them_on_unseen_generators():
    assert Settings().page_model == "rules"


def test_a_printed_title_beats_a_model_guess_of_one_percent():
    printed = RuleClassifier(TAXONOMY).evidence(record("询问笔录 （被害人）", "张丽", 1, 2))
    guess = PageLabel("interrogation_record", True, 0.012, None, ["page model v1: interrogation_record p=0.01, starts p=0.99"])
    label = printed_first(printed, guess)
    assert (label.type, label.starts_document) == ("victim_statement", True)
    assert label.reasons[0].startswith("title") and label.reasons[-1].startswith("over page model")


def test_an_unknown_version_is_refused_by_name(tmp_path):
    with pytest.raises(ModelError, match="nope"):
        resolve("nope")
    with pytest.raises(ModelError, match="not a page model"):
        page_labeler(Settings(page_model=str(tmp_path)), TAXONOMY)


def test_the_shipped_model_labels_a_clean_case():
    labels = page_labeler(Settings(page_model="v1"), TAXONOMY)(_case())
    assert [(lb.type, lb.starts_document) for lb in labels] == [
        ("interrogation_record", True), ("interrogation_record", False), ("detention_warrant", True)]
    assert [lb.page_number for lb in labels] == [(1, 2), (2, 2), None]
    assert all(0 < lb.confidence <= 1 for lb in labels)


def test_a_case_longer_than_the_window_gets_a_label_per_page():
    model = PageModel(resolve("v1"), TAXONOMY)
    pages = _case() * (model.max_pages // 3 + 20)
    labels = model(pages)
    assert len(labels) == len(pages) > model.max_pages
    assert {lb.type for lb in labels} == {"interrogation_record", "detention_warrant"}


def test_the_rule_baseline_is_a_setting():
    labels = page_labeler(Settings(page_model="rules"), TAXONOMY)(_case())
    assert not any("page model" in reason for lb in labels for reason in lb.reasons)
    assert [(lb.type, lb.starts_document) for lb in labels] == [
        ("interrogation_record", True), ("", False), ("detention_warrant", True)]  # segment types continuation pages


def test_a_torn_title_read_fuzzily_gives_way_to_a_sure_model():
    """检笔录 (勘 torn off 勘验检查笔录) fuzzily resembles 讯问笔录; the model is sure of the inspection."""
    printed = RuleClassifier(TAXONOMY).evidence(record("检笔录", "张丽", 1, 2))
    assert printed.match and not printed.match.exact
    sure = PageLabel("scene_inspection_record", True, 0.99, None, ["page model v1: scene_inspection_record p=0.99, starts p=1.00"])
    label = printed_first(printed, sure)
    assert label.type == "scene_inspection_record" and label.reasons[-1].startswith("over the fuzzy title")
    unsure = PageLabel("scene_inspection_record", True, 0.4, None, ["page model v1: scene_inspection_record p=0.40, starts p=1.00"])
    assert printed_first(printed, unsure).type == printed.match.code


def test_where_the_page_prints_nothing_only_a_change_of_type_starts_a_document():
    """A bare page (no title, 文号, header or 第1页) the model is sure starts a 起诉意见书 right
    after a 起诉意见书 is that document's next page; after another type, a document whose first
    page is lost."""
    bare = RuleClassifier(TAXONOMY).evidence(page([("问：你把经过讲一下。", 0.1, None), ("答：好的。", 0.13, None)]))
    unsure = PageLabel("prosecution_recommendation", True, 0.6, None, ["page model v1: prosecution_recommendation p=0.80, starts p=0.75"], 0.75)
    sure = PageLabel("prosecution_recommendation", True, 0.9, None, ["page model v1: prosecution_recommendation p=0.95, starts p=0.99"], 0.99)
    for guess in (unsure, sure):
        label = printed_first(bare, guess)
        assert label.starts_document is False and label.reasons[-1].startswith("continues: nothing printed")
    assert printed_first(bare, unsure, type_change=True).starts_document is True  # a document whose first page is lost

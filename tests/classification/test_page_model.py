"""The shipped page model at compile time: found by version, labels pages, any case length."""

import pytest

from cataloging.taxonomy import load_taxonomy
from classification.page_model import MODELS_DIR, ModelError, PageModel, list_models, resolve
from compiler_service.pipeline import page_labeler
from compiler_service.settings import Settings
from tests.factories import form, record

TAXONOMY = load_taxonomy(None)


def _case():
    pages = [record("讯问笔录", "张三", 1, 2), record("讯问笔录", "张三", 2, 2, number=2),
             form("拘留证", ["被拘留人：张三", "根据《中华人民共和国刑事诉讼法》第八十二条之规定，决定对其刑事拘留"], doc_number="深公（刑）拘字〔2024〕12号", number=3)]
    for p in pages:
        p.make_thumbnail()
    return pages


def test_the_shipped_version_is_listed_with_its_metrics():
    shipped = {m.version: m for m in list_models(MODELS_DIR)}
    assert Settings().page_model in shipped
    info = shipped[Settings().page_model]
    assert info.metrics["page_type_accuracy"] > 0.8 and len(info.data["sha256"]) == 64


def test_an_unknown_version_is_refused_by_name(tmp_path):
    with pytest.raises(ModelError, match="nope"):
        resolve("nope")
    with pytest.raises(ModelError, match="not a page model"):
        page_labeler(Settings(page_model=str(tmp_path)), TAXONOMY)


def test_the_shipped_model_labels_a_clean_case():
    labels = page_labeler(Settings(), TAXONOMY)(_case())
    assert [(lb.type, lb.starts_document) for lb in labels] == [
        ("interrogation_record", True), ("interrogation_record", False), ("detention_warrant", True)]
    assert [lb.page_number for lb in labels] == [(1, 2), (2, 2), None]
    assert all(0 < lb.confidence <= 1 for lb in labels)


def test_a_case_longer_than_the_window_gets_a_label_per_page():
    model = PageModel(resolve(Settings().page_model), TAXONOMY)
    pages = _case() * (model.max_pages // 3 + 20)
    labels = model(pages)
    assert len(labels) == len(pages) > model.max_pages
    assert {lb.type for lb in labels} == {"interrogation_record", "detention_warrant"}


def test_the_rule_baseline_is_a_setting():
    labels = page_labeler(Settings(page_model="rules"), TAXONOMY)(_case())
    assert not any("page model" in reason for lb in labels for reason in lb.reasons)
    assert [(lb.type, lb.starts_document) for lb in labels] == [
        ("interrogation_record", True), ("", False), ("detention_warrant", True)]  # segment types continuation pages

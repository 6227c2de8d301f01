"""Page features: the same page gives the same numbers, and they carry what tells pages apart."""

import numpy as np

from classification.taxonomy import load_taxonomy
from classification.features import FeatureSpec, Featurizer
from classification.rules import RuleClassifier
from ocr.page import page_from_record, page_record
from tests.factories import form, page, record

TAXONOMY = load_taxonomy(None)
FEATURES = Featurizer(FeatureSpec(tuple(TAXONOMY.codes), 2048), RuleClassifier(TAXONOMY))


def test_features_have_the_declared_shapes_and_survive_the_pages_json_round_trip():
    p = record("讯问笔录", "张三", 1, 2)
    p.make_thumbnail()
    direct = FEATURES(p)
    again = FEATURES(page_from_record(page_record(p)))
    spec = FEATURES.spec
    assert direct.text.shape == (spec.text_buckets,) and direct.layout.shape == (spec.layout_size,)
    assert direct.prior.shape == (spec.prior_size,) and direct.thumbnail.shape == (1, 64, 48)
    for a, b in zip((direct.text, direct.layout, direct.prior, direct.thumbnail), (again.text, again.layout, again.prior, again.thumbnail)):
        assert np.allclose(a, b, atol=1e-3)


def test_a_cue_word_in_the_title_band_differs_from_the_same_word_in_the_body():
    title = page([("拘留证", 0.1, 64), ("正文内容", 0.5, None)])
    body = page([("正文内容", 0.1, None), ("拘留证", 0.5, None)])
    assert not np.allclose(FEATURES.text(title), FEATURES.text(body))


def test_the_prior_carries_the_rules_title_match_and_the_doc_number_code():
    codes = FEATURES.spec.types
    n = len(codes)
    titled = FEATURES.prior(form("拘留证", ["被拘留人：张三"]))
    assert titled[codes.index("detention_warrant")] > 0.7
    untitled = FEATURES.prior(page([("深公（刑）扣字〔2024〕7号", 0.12, None), ("持有人：张三", 0.3, None)]))
    assert untitled[:n].max() == 0 and untitled[n + codes.index("seizure_decision")] == 1


def test_the_printed_page_number_and_question_lines_show_in_the_layout_features():
    first, second = FEATURES.layout(record("讯问笔录", "张三", 1, 2)), FEATURES.layout(record("讯问笔录", "张三", 2, 2))
    has_number, is_first, continues, is_last = 11, 12, 13, 14
    assert first[has_number] == second[has_number] == 1
    assert (first[is_first], first[continues], second[is_first], second[continues], second[is_last]) == (1, 0, 0, 1, 1)
    assert first[7] > 0 and first[8] > 0  # lines starting with 问 and 答

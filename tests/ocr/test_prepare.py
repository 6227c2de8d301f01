"""Blank and duplicate pages."""

import numpy as np

from ocr.prepare import PrepareOptions, ink_ratio, is_blank, mark_duplicates, page_hash, worth_reading
from tests.conftest import RECORD_FIRST_PAGE, WARRANT_PAGE, draw_page
from tests.factories import page

OPTIONS = PrepareOptions()


def test_ink_separates_an_empty_sheet_from_a_sparse_page():
    noisy_paper = np.random.default_rng(0).normal(240, 6, (2339, 1654, 3)).clip(0, 255).astype(np.uint8)
    assert not worth_reading(ink_ratio(noisy_paper), OPTIONS)
    assert worth_reading(ink_ratio(draw_page([("王强", 30, None, 1100)])), OPTIONS)


def test_blank_needs_both_little_ink_and_no_confident_text():
    empty = page([])
    assert is_blank(empty, ink=0.001, options=OPTIONS)
    assert is_blank(empty, ink=0.0, options=OPTIONS)
    signed = page([("以上笔录我看过，和我说的相符。", 0.3, None)])
    assert not is_blank(signed, ink=0.001, options=OPTIONS)
    photo = page([])
    assert not is_blank(photo, ink=0.2, options=OPTIONS)


def _with_image(p, lines):
    p.image = draw_page(lines)
    return p


def test_a_rescan_is_a_duplicate_of_the_first_scan():
    text = [(ln[0], 0.1 + 0.03 * i, None) for i, ln in enumerate(RECORD_FIRST_PAGE)]
    first = _with_image(page(text, number=1), RECORD_FIRST_PAGE)
    other = _with_image(page([(ln[0], 0.1 + 0.03 * i, None) for i, ln in enumerate(WARRANT_PAGE)], number=2), WARRANT_PAGE)
    rescan = page(text, number=3)
    rescan.lines[4] = type(rescan.lines[4])(rescan.lines[4].text.replace("王强", "王张"), rescan.lines[4].box, 0.8)  # OCR noise
    rescan.image = np.clip(first.image.astype(np.int16) + np.random.default_rng(1).normal(0, 8, first.image.shape), 0, 255).astype(np.uint8)
    pages = [first, other, rescan]
    mark_duplicates(pages, {p.ref: page_hash(p) for p in pages}, OPTIONS)
    assert [p.duplicate_of for p in pages] == [None, None, first.ref]


def test_a_rescan_shifted_on_the_glass_is_known_by_its_slips_alone():
    """Scanned again shifted and brighter, a sheet hashes apart from its first scan; its reading
    differs by slips spread over the page (a seal's characters, a handwritten word), never by a
    whole line as the next page of one form does."""
    lines = [(ln[0], 0.1 + 0.03 * i, None) for i, ln in enumerate(RECORD_FIRST_PAGE)]
    first = _with_image(page(lines, number=1), RECORD_FIRST_PAGE)
    rescan = page(lines, number=2)
    for i, (old, new) in {3: ("办案", "小桌"), 4: ("王强", "王張"), 6: ("依法", "侬去")}.items():
        rescan.lines[i] = type(rescan.lines[i])(rescan.lines[i].text.replace(old, new, 1), rescan.lines[i].box, 0.85)  # unsure where it slipped
    rescan.image = np.full_like(first.image, 255)
    rescan.image[60:, 40:] = first.image[:-60, :-40]  # shifted on the glass
    next_sheet = page(lines[:-2], number=3)  # the same form without its last lines: another page
    next_sheet.image = rescan.image
    pages = [first, rescan, next_sheet]
    looks = {p.ref: page_hash(p) for p in pages}
    assert looks[first.ref] - looks[rescan.ref] > OPTIONS.duplicate_hash_distance
    mark_duplicates(pages, looks, OPTIONS)
    assert [p.duplicate_of for p in pages] == [None, first.ref, None]


def test_a_rescan_whose_numbered_line_is_read_just_below_the_bar_is_still_a_duplicate():
    """The line with the birth date read at 0.91 in one scan and 0.89 in the other: compared only
    on the lines each is sure of, their digits differ by a whole date; compared on all, not at all."""
    lines = [(ln[0], 0.1 + 0.03 * i, None) for i, ln in enumerate(RECORD_FIRST_PAGE)]
    first = _with_image(page(lines, number=1), RECORD_FIRST_PAGE)
    rescan = page(lines, number=2)
    for p, score in ((first, 0.91), (rescan, 0.89)):
        p.lines[5] = type(p.lines[5])(p.lines[5].text, p.lines[5].box, score)
    rescan.lines[3] = type(rescan.lines[3])(rescan.lines[3].text.replace("办案", "小案"), rescan.lines[3].box, 0.85)  # a slip
    rescan.image = first.image.copy()
    pages = [first, rescan]
    mark_duplicates(pages, {p.ref: page_hash(p) for p in pages}, OPTIONS)
    assert [p.duplicate_of for p in pages] == [None, first.ref]


BODY = ["经查询全国违法犯罪人员信息资源库，该人无违法犯罪记录。", "特此证明。本证明仅用于办案，不作其他用途，复印无效。"] * 4


def test_two_filled_in_copies_of_one_form_are_not_duplicates():
    """Near-identical text (the same form, another person's ID number) but other numbers."""

    def certificate(id_number, n):
        lines = [("广州市公安局天河分局", 44, None, 150), ("违法犯罪记录证明", 60, None, 230), (f"公民身份号码{id_number}", 34, 180, 360)]
        lines += [(t, 34, 180, 420 + 60 * i) for i, t in enumerate(BODY)]
        return _with_image(page([(t, 0.06 + 0.025 * i, None) for i, (t, *_r) in enumerate(lines)], number=n), lines)

    pages = [certificate("440106196907185812", 1), certificate("440106198812035831", 2)]
    from rapidfuzz import fuzz

    assert fuzz.ratio(pages[0].text, pages[1].text) / 100 >= 0.975  # the text alone would call it a rescan
    mark_duplicates(pages, {p.ref: page_hash(p) for p in pages}, OPTIONS)
    assert [p.duplicate_of for p in pages] == [None, None]


NOTICE = ["根据《中华人民共和国刑事诉讼法》的规定，在侦查阶段你享有下列诉讼权利：", "一、不通晓当地语言文字的，有权要求配备翻译人员。",
          "二、对于侦查人员的提问，应当如实回答。", "三、有权委托律师作为辩护人。"] * 3


def test_two_suspects_notices_of_one_day_are_not_duplicates():
    """The same pre-printed notice given to two suspects on one day: only the names differ."""

    def notice(name, n):
        lines = [("犯罪嫌疑人诉讼权利义务告知书", 60, None, 150)] + [(t, 34, 180, 300 + 60 * i) for i, t in enumerate(NOTICE)]
        lines += [(f"被告知人：{name}", 34, 180, 1200), ("2024年3月12日", 34, 180, 1300)]
        return _with_image(page([(t, 0.06 + 0.025 * i, None) for i, (t, *_r) in enumerate(lines)], number=n), lines)

    pages = [notice("张建国", 1), notice("李明辉", 2)]
    mark_duplicates(pages, {p.ref: page_hash(p) for p in pages}, OPTIONS)
    assert [p.duplicate_of for p in pages] == [None, None]


def test_an_all_pre_printed_page_is_judged_by_its_neighbours():
    """Page 1 of two suspects' notices is the same print; their page 2s, filled in for each, say
    they are two copies. A rescan of that page 1 standing beside the original stays a duplicate."""

    def sheet(lines, n):
        drawn = [(t, 34, 180, 150 + 60 * i) for i, t in enumerate(lines)]
        return _with_image(page([(t, 0.06 + 0.025 * i, None) for i, t in enumerate(lines)], number=n), drawn)

    def second(name, day, n):
        return sheet([f"犯罪嫌疑人意见：以上告知我已看过，我已清楚。", f"犯罪嫌疑人（签名、捺指印）：{name}", f"告知时间：2024年7月{day}日10时",
                      "告知人：秦新成、邱林伟"], n)

    pages = [sheet(NOTICE, 1), second("段杰林", 4, 2), sheet(NOTICE, 3), second("马宏", 7, 4)]
    mark_duplicates(pages, {p.ref: page_hash(p) for p in pages}, OPTIONS)
    assert [p.duplicate_of for p in pages] == [None, None, None, None]

    # the second copy fed in reverse (its 第2页 before its 第1页): its sibling by number still says so
    def numbered(lines, n, k):
        drawn = [(t, 34, 180, 150 + 60 * i) for i, t in enumerate(lines)] + [(f"第{k}页 共2页", 34, 700, 2250)]
        rows = [(t, 0.06 + 0.025 * i, None) for i, t in enumerate(lines)] + [(f"第{k}页 共2页", 0.96, None)]
        return _with_image(page(rows, number=n), drawn)

    fed = [numbered(NOTICE, 1, 1), numbered(second("段杰林", 4, 0).text.split("\n"), 2, 2),
           numbered(second("马宏", 7, 0).text.split("\n"), 3, 2), numbered(NOTICE, 4, 1)]
    mark_duplicates(fed, {p.ref: page_hash(p) for p in fed}, OPTIONS)
    assert [p.duplicate_of for p in fed] == [None, None, None, None]

    rescanned = [sheet(NOTICE, 1), sheet(NOTICE, 2), second("段杰林", 4, 3)]
    mark_duplicates(rescanned, {p.ref: page_hash(p) for p in rescanned}, OPTIONS)
    assert [p.duplicate_of for p in rescanned] == [None, rescanned[0].ref, None]


def test_of_a_sheet_and_its_rescan_the_copy_amid_its_file_stays():
    from ocr.page import PageRef

    text = [(t, 0.1 + 0.03 * i, None) for i, t in enumerate(BODY)]
    rescan = page(text, file=0, number=1)  # 补扫.png: a file of its own, read first
    filed = [page([("违法犯罪记录证明", 0.05, 60)], file=1, number=1), page(text, file=1, number=2)]
    pages = [rescan, *filed]
    for p in pages:
        p.image = draw_page([(ln.text, 34, 180, 150 + 60 * i) for i, ln in enumerate(p.lines)])
    mark_duplicates(pages, {p.ref: page_hash(p) for p in pages}, OPTIONS)
    assert rescan.duplicate_of == PageRef(1, 2) and filed[1].duplicate_of is None

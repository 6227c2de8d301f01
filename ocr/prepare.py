"""Page preparation decisions that need no model: blank pages and pages scanned twice.

Blank: little dark ink away from the edges (scanner borders, punch holes and fold lines live
there) and no confident text. Duplicate: the same text (OCR similarity) and the same look
(perceptual hash of the upright page), so a rescan with other noise and skew is still caught
while two filled-in copies of one form (same template, other names) are not.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import cv2
import imagehash
import numpy as np
from PIL import Image
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from ocr.numbering import follows, printed_page_number
from ocr.page import Page, PageRef, compact


@dataclass(frozen=True)
class PrepareOptions:
    blank_ink_ratio: float = 0.002
    duplicate_hash_distance: int = 10
    duplicate_text_similarity: float = 0.95


def ink_ratio(image: np.ndarray) -> float:
    """Share of clearly dark pixels in the page's central area, on a small copy."""
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    scale = 1200 / max(gray.shape)
    # nearest-neighbour keeps thin strokes dark; area averaging would grey them out
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_NEAREST) if scale < 1 else gray
    h, w = small.shape
    core = small[int(h * 0.06) : int(h * 0.94), int(w * 0.08) : int(w * 0.92)]
    paper = float(np.percentile(core, 90))
    return float((core < min(paper - 60, 190)).mean())


def worth_reading(ink: float, options: PrepareOptions) -> bool:
    """Whether a sheet has enough ink to be worth OCR: one short signed line is."""
    return ink >= options.blank_ink_ratio / 20


def is_blank(page: Page, ink: float, options: PrepareOptions) -> bool:
    confident_chars = sum(len(line.text) for line in page.lines if line.score >= 0.8)
    return not worth_reading(ink, options) or (confident_chars < 4 and ink < options.blank_ink_ratio * 5)


def page_hash(page: Page) -> imagehash.ImageHash:
    gray = cv2.cvtColor(page.image, cv2.COLOR_RGB2GRAY)
    return imagehash.phash(Image.fromarray(gray))


def _same_numbers(a: Page, b: Page, sure: float = 0.9) -> bool:
    """A rescan carries the same numbers, but for a digit OCR slips; a different filled-in copy of
    a form does not (its 文号, dates, times or ID numbers differ in several digits). Compared on
    every line, or on the lines each reading is sure of: digits garbled under a seal say nothing,
    and a line read just above the bar in one scan and just below in the other must not either."""
    def digits(page: Page, bar: float) -> str:
        return "".join(re.findall(r"\d+", "".join(line.text for line in page.lines if line.score >= bar)))

    def close(bar: float) -> bool:
        da, db = digits(a, bar), digits(b, bar)
        return Levenshtein.distance(da, db) <= 1 + len(da) // 20

    return close(0.0) or close(sure)


def _slips_only(a: str, b: str, most: int = 4) -> bool:
    """Whether two readings differ only by slips spread over the page, none longer than `most`
    characters: a sheet scanned again (shifted, brighter: its look hashes apart) reads so; another
    page of a form differs by whole lines."""
    return all(max(op.src_end - op.src_start, op.dest_end - op.dest_start) <= most
               for op in Levenshtein.opcodes(a, b) if op.tag != "equal")


def _char_scores(page: Page) -> np.ndarray:
    """The recognizer's score of the line each character of `compact(page.text)` stands in."""
    return np.array([line.score for line in page.lines for _ in compact(line.text)] or [0.0])


def _same_filling(a: str, b: str, score_a: np.ndarray, score_b: np.ndarray, sure: float = 0.9) -> bool:
    """Whether two readings differ only as two readings of one sheet do: a character here and
    there, a line one of them lost, or garble where OCR was unsure (a seal over a word). A name
    or word written in differently is two or more characters that both pages read clearly, in
    the same place, and differently."""
    for op in Levenshtein.opcodes(a, b):
        # text only one side has is a line one reading lost (a cut edge, a faint line): a rescan
        if op.tag != "replace" or min(op.src_end - op.src_start, op.dest_end - op.dest_start) < 2:
            continue
        clear = min(score_a[min(op.src_start, len(score_a) - 1)], score_b[min(op.dest_start, len(score_b) - 1)]) >= sure
        cjk = r"[\u4e00-\u9fa5]"
        if clear and re.search(cjk, a[op.src_start : op.src_end]) and re.search(cjk, b[op.dest_start : op.dest_end]):
            return False
    return True


def mark_duplicates(pages: list[Page], looks: dict[PageRef, imagehash.ImageHash], options: PrepareOptions) -> None:
    """Mark each page that repeats an earlier (in scan order) non-excluded page; `looks` holds
    each page's `page_hash`, taken while its image was at hand."""
    seen: list[tuple[Page, str, imagehash.ImageHash, np.ndarray]] = []
    for page in pages:
        if page.blank or page.unreadable is not None:
            continue
        text = compact(page.text)
        digest = looks[page.ref]
        scores = _char_scores(page)
        for earlier, earlier_text, earlier_hash, earlier_scores in seen:
            if len(text) < 10 or abs(len(text) - len(earlier_text)) > 0.15 * len(text):
                continue
            similarity = fuzz.ratio(text, earlier_text) / 100
            close_look = digest - earlier_hash <= options.duplicate_hash_distance
            # A rescan reads almost the same (OCR may slip a character or a digit); two filled-in
            # copies of one form read alike too but carry other numbers: 文号, dates, ID numbers.
            alike = ((similarity >= options.duplicate_text_similarity and close_look) or similarity >= (0.975 if len(text) >= 80 else 0.99)
                     or (similarity >= 0.92 and len(text) >= 40 and _slips_only(text, earlier_text)))
            # two suspects' copies of one notice share every pre-printed word: what was filled in
            # (a name, a date) must agree too, however alike the rest is
            if (similarity >= 0.995 or (alike and _same_numbers(page, earlier))) and _same_filling(text, earlier_text, scores, earlier_scores):
                page.duplicate_of = earlier.ref
                break
        else:
            seen.append((page, text, digest, scores))
    _keep_other_copies_of_a_form(pages)
    _keep_the_copy_in_its_file(pages)


def _keep_the_copy_in_its_file(pages: list[Page]) -> None:
    """Of a sheet and its rescan, the copy amid its document's pages stays and the one in a
    file of its own (a sheet scanned again later, 补扫.png) goes: the document stays whole
    where it was filed."""
    sheets = Counter(p.ref.file for p in pages)
    if sum(n == 1 for n in sheets.values()) * 2 > len(sheets):
        return  # a scanner that writes a file per sheet: a file of its own says nothing
    by_ref = {p.ref: p for p in pages}
    for page in pages:
        original = by_ref.get(page.duplicate_of) if page.duplicate_of else None
        if original is not None and original.duplicate_of is None and sheets[original.ref.file] == 1 < sheets[page.ref.file]:
            page.duplicate_of, original.duplicate_of = None, page.ref
            for third in pages:  # a third copy names the sheet that stays
                if third.duplicate_of == original.ref:
                    third.duplicate_of = page.ref


def _keep_other_copies_of_a_form(pages: list[Page], alike: float = 0.7) -> None:
    """A page all pre-printed (page 1 of a notice, no date or number filled in) reads the same in
    every suspect's copy: nothing on it tells a rescan from a second copy, so its neighbours do.
    Where the page beside it is the same form filled in for someone else beside the original
    too (alike, or continuing both pages' printed numbering, yet no duplicate), it is a copy of
    its own. A rescan stands beside its original, or its neighbours are rescans as well, or it
    stands alone (a sheet scanned again into a file of its own)."""
    stream = [p for p in pages if not p.blank and p.unreadable is None]
    if not any(p.duplicate_of for p in stream):
        return
    at = {p.ref: i for i, p in enumerate(stream)}
    numbers = {p.ref: printed_page_number(p) for p in stream}

    def continues(a: Page, b: Page, step: int) -> bool:
        return follows(numbers[a.ref], numbers[b.ref], step)

    def beside(k: int, number: tuple[int, int]) -> Page | None:
        """The page next to stream[k], on either side, printed as `number`."""
        return next((stream[k + d] for d in (1, -1) if 0 <= k + d < len(stream) and numbers[stream[k + d].ref] == number), None)

    for i, page in enumerate(stream):
        if page.duplicate_of is None or page.duplicate_of not in at or re.search(r"\d{3,}", compact(page.text)):
            continue
        j = at[page.duplicate_of]
        for step in (1, -1):
            if not (0 <= i + step < len(stream) and 0 <= j + step < len(stream)):
                continue
            mine, theirs = stream[i + step], stream[j + step]
            if mine.duplicate_of in at:  # a neighbour scanned again elsewhere reads as its original
                mine = stream[at[mine.duplicate_of]]
            if mine is theirs or mine.ref == page.duplicate_of or theirs is page:
                continue
            similar = fuzz.ratio(compact(mine.text), compact(theirs.text)) / 100
            if similar >= alike or (similar >= alike / 2 and continues(page, mine, step) and continues(stream[j], theirs, step)):
                page.duplicate_of = None
                break
        else:
            # pages fed in reverse (第2页 before 第1页): the sibling by number, on either side
            number = numbers[page.ref]
            for want in ((number[0] + 1, number[1]), (number[0] - 1, number[1])) if number and number[1] else ():
                mine, theirs = beside(i, want), beside(j, want)
                if mine and theirs and mine.duplicate_of is None and mine is not theirs:
                    page.duplicate_of = None
                    break

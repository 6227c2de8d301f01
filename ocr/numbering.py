"""What a page prints about its place in its document: 第N页 共M页 in its top or bottom band.

Read with the page, before any classification: duplicate detection needs it (a second copy of a
form continues its own numbering) as much as segmentation does.
"""

from __future__ import annotations

import re

from ocr.page import Page, compact

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "十": 10}

# 第3页 共5页 / 第 3 页，共 5 页 / 共5页 第3页 / 第3页/共5页 / 3/5页 ; digits may be Chinese
_NUM = r"([0-9一二三四五六七八九十〇零]{1,4})"
PAGE_PATTERNS = (
    re.compile(rf"第{_NUM}页[,，、/\s]*共{_NUM}页"),
    re.compile(rf"共{_NUM}页[,，、/\s]*第{_NUM}页"),
    re.compile(rf"第{_NUM}页"),
)


def _number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    if all(c in _CN_DIGITS for c in token):
        if "十" in token:  # 十, 十二, 二十, 二十三
            tens, _, ones = token.partition("十")
            return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
        return int("".join(str(_CN_DIGITS[c]) for c in token))
    return None


def printed_page_number(page: Page) -> tuple[int, int | None] | None:
    """The 第N页(共M页) printed in the page's top or bottom band or in a layout header/footer."""
    _, height = page.size
    margins = [r.box for r in page.regions if r.label in ("header", "footer")]
    for line in page.lines:
        centre = (line.box[1] + line.box[3]) / 2
        in_margin = any(overlap(line.box, box) > 0.5 for box in margins)
        if 0.15 * height < centre < 0.8 * height and not in_margin:
            continue
        text = compact(line.text)
        for i, pattern in enumerate(PAGE_PATTERNS):
            m = pattern.search(text)
            if not m:
                continue
            if i == 0:
                n, total = _number(m.group(1)), _number(m.group(2))
            elif i == 1:
                total, n = _number(m.group(1)), _number(m.group(2))
            else:
                n, total = _number(m.group(1)), None
            if n and (total is None or 0 < n <= total <= 999):
                return n, total
            break  # an impossible 第N页 共M页 is a misread: trust no weaker pattern on this line
    return None


def follows(earlier: tuple[int, int | None] | None, later: tuple[int, int | None] | None, step: int = 1) -> bool:
    """Whether `later` is printed as the page `step` after `earlier`, in one series (共M页 agree
    where both print it)."""
    return bool(earlier and later and later[0] == earlier[0] + step and (earlier[1] is None or later[1] is None or earlier[1] == later[1]))


def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """Share of box a inside box b."""
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    area = max(1e-6, (a[2] - a[0]) * (a[3] - a[1]))
    return ix * iy / area

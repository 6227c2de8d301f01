"""Shared fixtures: pages are drawn here, with real fonts, never stored as binaries."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

# the tests' signing keys, job databases and uploads stay out of the user's own data folder
os.environ.setdefault("DOSSIER_DATA_DIR", tempfile.mkdtemp(prefix="dossier-tests-"))

FONT = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def draw_page(lines: list[tuple[str, int, int | None, int]], size=(1654, 2339)) -> np.ndarray:
    """An A4 page at 200 dpi with (text, font px, x or None for centred, y) lines."""
    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    for text, px, x, y in lines:
        font = ImageFont.truetype(str(FONT), px)
        if x is None:
            x = int((size[0] - draw.textlength(text, font=font)) / 2)
        draw.text((x, y), text, font=font, fill=(20, 20, 20))
    return np.asarray(img)


RECORD_FIRST_PAGE = [
    ("深圳市公安局福田分局", 44, None, 140),
    ("讯 问 笔 录", 64, None, 220),
    ("时间：2024年3月12日9时30分至11时20分", 34, 180, 360),
    ("地点：深圳市公安局福田分局办案中心", 34, 180, 420),
    ("侦查员：王强、李明 工作单位：深圳市公安局福田分局", 34, 180, 480),
    ("被讯问人：刘建国 性别：男 出生日期：1988年3月12日", 34, 180, 540),
    ("问：我们是深圳市公安局福田分局的民警，现依法对你进行讯问。", 34, 180, 600),
    ("答：听清楚了。", 34, 180, 660),
    ("第1页 共2页", 30, None, 2200),
]

RECORD_SECOND_PAGE = [
    ("问：你把当天的经过讲一下。", 34, 180, 200),
    ("答：那天下午我在商场门口看到一辆电动车没有上锁。", 34, 180, 260),
    ("以上笔录我看过，和我说的相符。", 34, 180, 320),
    ("第2页 共2页", 30, None, 2200),
]

WARRANT_PAGE = [
    ("深圳市公安局", 48, None, 160),
    ("拘 留 证", 64, None, 250),
    ("深公（福）拘字〔2024〕1023号", 34, None, 360),
    ("根据《中华人民共和国刑事诉讼法》第八十二条之规定，兹决定对犯罪嫌疑人", 34, 180, 460),
    ("刘建国（性别男，出生日期1988年3月12日）执行拘留，送深圳市看守所羁押。", 34, 180, 520),
    ("二〇二四年三月十三日", 34, 1000, 900),
]


@pytest.fixture(scope="session")
def reader():
    from ocr.reader import PageReader

    return PageReader()


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    corpus = SHARED / "corpus" / "ocrmypdf"
    if not corpus.exists():
        pytest.skip(f"robustness corpus {corpus} is absent")
    return corpus

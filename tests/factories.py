"""Build OCR'd pages directly from text lines, for stages after OCR."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import numpy as np
import pikepdf
from PIL import Image

from ocr.page import Page, PageRef, TextLine, page_record

W, H = 1654, 2339


def page(lines: list[tuple[str, float, float | None]], file: int = 0, number: int = 1) -> Page:
    """(text, y as a fraction of the page height, line height px or None for body size 34)."""
    out = []
    for text, y, height in lines:
        h = height or 34
        width = min(W - 200, h * 0.9 * len(text))
        x0 = (W - width) / 2 if height and height > 40 else 180
        out.append(TextLine(text, (x0, y * H, x0 + width, y * H + h), 0.97))
    p = Page(PageRef(file, number), "scan.pdf", np.full((8, 8, 3), 255, np.uint8), 200.0)
    p.image = np.broadcast_to(np.uint8(255), (H, W, 3))
    p.lines = out
    return p


def record(title: str, name: str, n: int, total: int, *, file=0, number=1, when="2024年3月12日9时30分", role_line=None, signed=False) -> Page:
    lines = [("深圳市公安局福田分局", 0.05, 44)] if n == 1 else []
    if n == 1:
        lines += [(title, 0.09, 64), (f"时间：{when}至11时20分", 0.15, None), ("侦查员：王强 工作单位：深圳市公安局福田分局", 0.18, None),
                  (f"被{'讯' if '讯' in title else '询'}问人：{name} 性别：男", 0.21, None)]
        if role_line:
            lines.append((role_line, 0.24, None))
    lines += [("问：你把经过讲一下。", 0.4, None), ("答：好的。", 0.43, None), (f"第{n}页 共{total}页", 0.95, None)]
    if signed:  # the person heard signs every page
        lines.insert(-1, (f"被{'讯' if '讯' in title else '询'}问人：{name}", 0.9, None))
    return page(lines, file, number)


def form(title: str, body: list[str], *, file=0, number=1, date="二〇二四年三月十三日", doc_number=None) -> Page:
    lines = [("深圳市公安局", 0.05, 48), (title, 0.1, 64)]
    if doc_number:
        lines.append((doc_number, 0.14, None))
    lines += [(t, 0.2 + 0.03 * i, None) for i, t in enumerate(body)]
    lines.append((date, 0.6, None))
    return page(lines, file, number)


def truth_accounts_for_every_page(out: Path, truth: dict) -> Counter:
    """Check a generated case's truth against its scans: every scanned page in one document or
    excluded (blank, or a duplicate of a document's page); the scanned pages, counted."""
    names = [s["name"] for s in truth["sources"]]
    assert names == sorted(names) and len(set(names)) == len(names)
    assert sorted(p.name for p in (out / "scans").iterdir()) == names
    for s in truth["sources"]:
        assert pages_on_disk(out / "scans" / s["name"]) == s["pages"]
    universe = Counter((f, p) for f, s in enumerate(truth["sources"]) for p in range(1, s["pages"] + 1))
    seen = Counter((pg["source"]["file"], pg["source"]["page"]) for d in truth["documents"] for pg in d["pages"])
    seen += Counter((e["source"]["file"], e["source"]["page"]) for e in truth["excluded"])
    assert seen == universe
    docs = {(pg["source"]["file"], pg["source"]["page"]) for d in truth["documents"] for pg in d["pages"]}
    for e in truth["excluded"]:
        assert e["reason"] in {"blank", "duplicate"}
        if e["reason"] == "duplicate":
            assert (e["duplicate_of"]["file"], e["duplicate_of"]["page"]) in docs
    return universe


def pages_on_disk(path: Path) -> int:
    """How many pages a scan file holds (PDF pages, or image frames)."""
    if path.suffix.lower() == ".pdf":
        with pikepdf.open(path) as pdf:
            return len(pdf.pages)
    with Image.open(path) as im:
        return getattr(im, "n_frames", 1)


def _training_documents(rng: random.Random) -> list[tuple[str, list]]:
    """An interrogation record of 1-3 pages, a detention warrant, a seizure decision."""
    name = rng.choice(["张三", "李四", "王五"])
    total = rng.randint(1, 3)
    pages = [record("讯问笔录", name, n, total) for n in range(1, total + 1)]
    return [
        ("interrogation_record", pages),
        ("detention_warrant", [form("拘留证", [f"被拘留人：{name}", "根据《中华人民共和国刑事诉讼法》第八十二条之规定"], doc_number="深公（刑）拘字〔2024〕12号")]),
        ("seizure_decision", [form("扣押决定书", [f"持有人：{name}", "决定扣押下列物品"], doc_number="深公（刑）扣字〔2024〕7号")]),
    ]


def training_case(folder: Path, seed: int) -> Path:
    """A training case folder (pages.json + labels.json) of two records, warrants and seizure
    decisions in random order, no OCR needed."""
    rng = random.Random(seed)
    docs = _training_documents(rng) + _training_documents(rng)
    rng.shuffle(docs)
    records, labels, n = [], [], 0
    for dtype, pages in docs:
        refs = []
        for p in pages:
            n += 1
            p.ref = type(p.ref)(0, n)
            p.make_thumbnail()
            records.append(page_record(p))
            refs.append({"source": {"file": 0, "page": n}})
        labels.append({"type": dtype, "pages": refs})
    folder.mkdir(parents=True)
    (folder / "pages.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    (folder / "labels.json").write_text(json.dumps({"documents": labels, "excluded": []}, ensure_ascii=False), encoding="utf-8")
    return folder

"""The synthetic case-file generator: determinism, truth consistent with the files it wrote,
the taxonomy's canonical order, and the things a realistic case must contain."""

from __future__ import annotations

import json
import random
import re
import subprocess
from pathlib import Path

import pytest
from faker import Faker
from PIL import Image

from classification.taxonomy import load_taxonomy
from casegen.synthetic import generate_case
from casegen.synthetic.case import build_case
from casegen.synthetic.context import RECORD_TYPES, Ctx
from casegen.synthetic.plan import candidates
from casegen.synthetic.scenarios import build_scenario

TAX = load_taxonomy()


def _page_count(path: Path) -> int:
    if path.suffix == ".pdf":
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))
    with Image.open(path) as im:
        return getattr(im, "n_frames", 1)


def _size(path: Path, page: int) -> tuple[float, float]:
    """Width and height of a scanned page (a PDF page is exactly its image)."""
    if path.suffix == ".pdf":
        import pikepdf
        with pikepdf.open(path) as pdf:
            x0, y0, x1, y1 = (float(v) for v in pdf.pages[page - 1].mediabox)
            return x1 - x0, y1 - y0
    with Image.open(path) as im:
        im.seek(page - 1)
        return im.size


def _canonical(docs: list[dict]) -> list[dict]:
    def first(d):
        return min((p["source"]["file"], p["source"]["page"]) for p in d["pages"])
    rank: dict[str, int] = {}
    for d in sorted(docs, key=first):
        if d["persons"] and d["persons"][0] not in rank:
            rank[d["persons"][0]] = len(rank)

    def key(d):
        t = TAX.type(d["type"])
        return (TAX.volume_rank(t.volume), t.order, rank[d["persons"][0]] if d["persons"] else -1, d["date"], first(d))
    return sorted(docs, key=key)


@pytest.fixture(scope="module")
def big_case(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("case60")
    calls = []
    path = generate_case(64, 20240312, out, progress=lambda d, t: calls.append((d, t)))
    truth = json.loads(path.read_text(encoding="utf-8"))
    assert calls and calls[-1][0] == calls[-1][1] == sum(s["pages"] for s in truth["sources"])
    return out, truth


def test_same_seed_same_bytes_different_seed_differs(tmp_path):
    a = generate_case(9, 5, tmp_path / "a")
    b = generate_case(9, 5, tmp_path / "b")
    assert a == tmp_path / "a" / "truth.json"
    assert a.read_bytes() == b.read_bytes()
    names = sorted(p.name for p in (tmp_path / "a" / "scans").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b" / "scans").iterdir())
    for n in names:
        assert (tmp_path / "a" / "scans" / n).read_bytes() == (tmp_path / "b" / "scans" / n).read_bytes(), n
    c = generate_case(9, 6, tmp_path / "c")
    assert c.read_bytes() != a.read_bytes()
    # (The normal split stayed byte-identical when the hard split was added; stored hashes would
    # break with every Faker or libjpeg release, so that was checked once, not here.)


def _pages_once(truth: dict) -> None:
    seen = [(p["source"]["file"], p["source"]["page"]) for d in truth["documents"] for p in d["pages"]]
    seen += [(e["source"]["file"], e["source"]["page"]) for e in truth["excluded"]]
    assert sorted(seen) == [(f, p) for f, s in enumerate(truth["sources"]) for p in range(1, s["pages"] + 1)]


def test_hard_split_is_deterministic(tmp_path):
    a = generate_case(6, 8, tmp_path / "a", hard=True)
    b = generate_case(6, 8, tmp_path / "b", hard=True)
    assert a.read_bytes() == b.read_bytes()
    names = sorted(p.name for p in (tmp_path / "a" / "scans").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b" / "scans").iterdir())
    for n in names:
        assert (tmp_path / "a" / "scans" / n).read_bytes() == (tmp_path / "b" / "scans" / n).read_bytes(), n
    _pages_once(json.loads(a.read_text(encoding="utf-8")))


def test_hard_split_loses_first_pages_and_keeps_truth_consistent(tmp_path):
    truth = json.loads(generate_case(40, 11, tmp_path, hard=True).read_text(encoding="utf-8"))
    _pages_once(truth)
    assert sum(s["pages"] for s in truth["sources"]) == 40
    for s in truth["sources"]:
        assert _page_count(tmp_path / "scans" / s["name"]) == s["pages"], s["name"]
    docs = truth["documents"]
    assert all(d["pages"] for d in docs)
    headless = [d for d in docs if d["pages"][0]["printed_page"] == 2]
    assert headless  # documents whose first page never reached the scanner
    for d in headless:
        assert [p["printed_page"] for p in sorted(d["pages"], key=lambda p: p["printed_page"])][0] == 2
    assert sum(p["rotation"] != 0 for d in docs for p in d["pages"]) >= 3


def test_truth_accounts_for_every_scanned_page_once(big_case):
    out, truth = big_case
    assert truth["schema"] == "dossier-truth/1"
    assert truth["seed"] == 20240312
    names = [s["name"] for s in truth["sources"]]
    assert 3 <= len(names) <= 5
    assert [n[:3] for n in names] == [f"{i:02d}-" for i in range(1, len(names) + 1)]
    assert sorted(p.name for p in (out / "scans").iterdir()) == names
    kinds = {Path(n).suffix for n in names}
    assert ".pdf" in kinds and ".tif" in kinds and kinds & {".jpg", ".png"}
    for s in truth["sources"]:
        assert _page_count(out / "scans" / s["name"]) == s["pages"], s["name"]
    seen = []
    for d in truth["documents"]:
        seen += [(p["source"]["file"], p["source"]["page"]) for p in d["pages"]]
    seen += [(e["source"]["file"], e["source"]["page"]) for e in truth["excluded"]]
    expected = [(f, p) for f, s in enumerate(truth["sources"]) for p in range(1, s["pages"] + 1)]
    assert sorted(seen) == expected
    assert abs(len(expected) - 64) <= 2


def test_documents_are_in_canonical_order(big_case):
    _, truth = big_case
    docs = truth["documents"]
    assert [json.dumps(d, sort_keys=True) for d in _canonical(docs)] == [json.dumps(d, sort_keys=True) for d in docs]
    # and the scan itself is not already in that order
    firsts = [min((p["source"]["file"], p["source"]["page"]) for p in d["pages"]) for d in docs]
    assert firsts != sorted(firsts)


def test_fields_follow_the_contract(big_case):
    out, truth = big_case
    for d in truth["documents"]:
        t = TAX.type(d["type"])
        assert d["volume"] == t.volume
        assert d["title"] and d["author"]
        fmt = r"\d{4}-\d\d-\d\dT\d\d:\d\d" if d["type"] in RECORD_TYPES else r"\d{4}-\d\d-\d\d"
        assert re.fullmatch(fmt, d["date"]), (d["type"], d["date"])
        if d["doc_number"] is not None:
            assert re.search(r"〔\d{4}〕.*号$", d["doc_number"]), d["doc_number"]
            assert any(d["doc_number"] in p["text"] for p in d["pages"])  # the 文号 is printed
        assert all(isinstance(x, str) and x for x in d["persons"])
        for p in d["pages"]:
            assert p["rotation"] in (0, 90, 180, 270)
            assert p["text"].strip()
            if p["printed_page"] is not None:
                assert re.search(rf"第\s*{p['printed_page']}\s*页", p["text"])
            if p["rotation"] in (90, 270) and d["type"] != "documentary_evidence":  # portrait sheet turned: stored landscape
                w, h = _size(out / "scans" / truth["sources"][p["source"]["file"]]["name"], p["source"]["page"])
                assert w > h
    for e in truth["excluded"]:
        assert e["reason"] in ("blank", "duplicate")
        assert (e["duplicate_of"] is None) == (e["reason"] == "blank")


def test_a_sixty_page_case_looks_like_a_case_file(big_case):
    _, truth = big_case
    docs = truth["documents"]
    types = {d["type"] for d in docs}
    assert len(types) >= 18
    records = [d for d in docs if d["type"] in ("interrogation_record", "victim_statement", "witness_statement")]
    multi = [d for d in records if len(d["pages"]) >= 2 and all(p["printed_page"] for p in d["pages"])]
    assert len(multi) >= 3
    for d in multi:
        assert sorted(p["printed_page"] for p in d["pages"]) == [p["printed_page"] for p in d["pages"]]
        assert "问：" in d["pages"][1]["text"] or "答：" in d["pages"][1]["text"]
    first = [d for d in docs if d["type"] == "interrogation_record"][0]
    assert "讯" in first["pages"][0]["text"].split("\n")[0]
    reasons = {e["reason"] for e in truth["excluded"]}
    assert reasons == {"blank", "duplicate"}
    for e in truth["excluded"]:
        if e["reason"] == "duplicate":
            src = e["duplicate_of"]
            assert any(p["source"] == src for d in docs for p in d["pages"])
            assert (src["file"], src["page"]) < (e["source"]["file"], e["source"]["page"])
    assert re.fullmatch(r"A\d{22}", truth["case"]["case_number"])
    assert truth["case"]["title"].endswith("案")


def test_every_taxonomy_type_can_be_generated():
    """Lay out (without scanning) one document of each type, over a few invented cases."""
    missing = set(TAX.codes)
    for seed in range(30):
        if not missing:
            break
        rng = random.Random(seed)
        fake = Faker("zh_CN")
        fake.seed_instance(seed)
        case = build_case(seed, rng, fake)
        ctx = Ctx(case, build_scenario(case, rng, fake), rng, fake)
        for c in candidates(ctx):
            if c.spec.type in missing:
                doc = c.make(ctx, c.flex[1] if c.flex else None)
                assert doc.type == c.spec.type and doc.pages
                assert all(p.text() for p in doc.pages)
                if c.flex:
                    assert len(doc.pages) == c.flex[1] or len(doc.pages) == len(c.make(ctx, 1).pages)
                missing.discard(c.spec.type)
    assert not missing


def test_the_truth_reads_a_table_cell_by_cell():
    """Two cells of one row, each wrapped onto two lines: the truth gives each cell whole, the
    row's cells left to right (as the other generators and the scorer read tables), not the
    drawn lines side by side."""
    from casegen.synthetic.layout import Run, TextLine, page_text

    def line(x, baseline, text, cell=None):
        return TextLine(x, baseline, [Run(text, size=10.5)], cell=cell)

    items = [line(20, 10, "扣押清单"),
             line(20, 20, "蓝色，车架号", cell=(16.0, 0)), line(20, 25, "车头有划痕", cell=(16.0, 0)),
             line(80, 20, "已拍照", cell=(16.0, 1)), line(80, 25, "已发还", cell=(16.0, 1)),
             line(20, 40, "以下空白")]
    assert page_text(items) == "扣押清单\n蓝色，车架号车头有划痕 已拍照已发还\n以下空白"

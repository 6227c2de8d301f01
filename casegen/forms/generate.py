"""Generate one synthetic scanned case file (刑事案件卷宗) with its ground truth."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from .paper import render
from .plan import canonical, fit, taxonomy
from .scan import Look, blank, random_look, scan, write
from .story import make_case

GENERATOR = "forms"


@dataclass
class Sheet:
    kind: str  # page / blank / dup
    doc: int = -1
    page: int = -1
    of: int = -1  # for dup: index of the original sheet in the stream
    rotation: int = 0


def _stream(docs, rng: random.Random, n_blank: int, n_dup: int) -> list[Sheet]:
    """The order a clerk feeds the sheets: canonical, with some documents and pages misplaced."""
    blocks = [[Sheet("page", di, pi) for pi in range(len(d.pages))] for di, d in enumerate(docs)]
    # pages of a numbered document scanned out of order
    numbered = [b for b in blocks if len(b) >= 2 and all(docs[s.doc].pages[s.page].printed for s in b)]
    if numbered and rng.random() < 0.6:
        b = rng.choice(numbered)
        if rng.random() < 0.5:
            b.reverse()
        else:
            i = rng.randrange(len(b) - 1)
            b[i], b[i + 1] = b[i + 1], b[i]
    # whole documents filed in the wrong place
    for _ in range(rng.choice((1, 1, 2, 3)) if len(blocks) > 4 else 0):
        i = rng.randrange(1, len(blocks))
        blk = blocks.pop(i)
        blocks.insert(rng.randrange(1, len(blocks) + 1), blk)
    sheets = [s for b in blocks for s in b]
    for _ in range(n_blank):
        sheets.insert(rng.randrange(1, len(sheets) + 1), Sheet("blank"))
    for _ in range(n_dup):
        cands = [i for i, s in enumerate(sheets) if s.kind == "page"]
        i = rng.choice(cands)
        at = i + 1 if rng.random() < 0.6 else min(len(sheets), i + rng.randint(2, 6))
        sheets.insert(at, Sheet("dup", of=-1, doc=sheets[i].doc, page=sheets[i].page))
    # originals of the duplicates: the first sheet of the same page
    first: dict[tuple[int, int], int] = {}
    for k, s in enumerate(sheets):
        if s.kind == "page":
            first[(s.doc, s.page)] = k
    for s in sheets:
        if s.kind == "dup":
            s.of = first[(s.doc, s.page)]
    return sheets


def _files(n: int, rng: random.Random, seed: int) -> list[tuple[str, str, int, int, int]]:
    """Split ``n`` sheets into source files: (name, kind, first, end, dpi)."""
    singles = 0 if n < 6 else rng.randint(1, 3)
    multi = 1 if n < 10 else rng.randint(2, 4)
    cuts: list[int] = sorted(rng.sample(range(2, n - 1), min(max(0, n - 3), multi - 1))) if n > 4 else []
    segs = []
    prev = 0
    for c in cuts + [n]:
        segs.append((prev, c))
        prev = c
    # singles: carve single sheets out of the segments (a page rescanned on its own)
    out: list[tuple[int, int]] = []
    single_at = set(rng.sample(range(n), min(singles, n))) if n >= 6 else set()
    for a, b in segs:
        start = a
        for k in range(a, b):
            if k in single_at:
                if start < k:
                    out.append((start, k))
                out.append((k, k + 1))
                start = k + 1
        if start < b:
            out.append((start, b))
    files = []
    scan_day = 20250000 + rng.randint(301, 1228)
    for idx, (a, b) in enumerate(out):
        if b - a == 1 and a in single_at:
            kind = rng.choice(("jpg", "jpg", "png"))
            name = rng.choice((f"IMG_{scan_day}_{rng.randint(100000, 235959)}.{kind}", f"补扫_{idx + 1:02d}.{kind}",
                               f"scan{idx + 1:03d}.{kind}"))
            dpi = rng.choice((200, 240, 300))
        else:
            kind = rng.choice(("pdf_pil", "pdf_rl", "tiff", "pdf_pil"))
            ext = "tif" if kind == "tiff" else "pdf"
            name = rng.choice((f"{idx + 1:02d}-卷宗扫描.{ext}", f"{idx + 1:02d}_scan_{scan_day}.{ext}",
                               f"第{idx + 1}册.{ext}", f"{idx + 1:02d}-诉讼文书及证据.{ext}"))
            dpi = rng.choice((200, 200, 200, 240, 300)) if b - a < 40 else 200
        files.append((name, kind, a, b, dpi))
    # unique names
    seen: set[str] = set()
    for i, (name, *rest) in enumerate(files):
        while name in seen:
            name = f"x{name}"
        seen.add(name)
        files[i] = (name, *rest)
    return files


def generate_case(seed: int, pages: int, output: Path) -> dict:
    """Write ``output/scans/*`` and ``output/truth.json`` for case ``seed`` of about ``pages`` pages."""
    output = Path(output)
    pages = max(6, int(pages))
    case = make_case(seed, pages)
    rng = random.Random(f"forms-scan:{seed}")
    n_blank = 1 if pages < 20 else rng.randint(1, 3)
    n_dup = 1 if pages < 30 else rng.randint(1, 2)
    docs = canonical(fit(case, max(4, pages - n_blank - n_dup)))
    sheets = _stream(docs, rng, n_blank, n_dup)
    files = _files(len(sheets), rng, seed)

    # orientation: some sheets upside down, landscape pages mostly fed portrait
    for s in sheets:
        if s.kind == "blank":
            continue
        page = docs[s.doc].pages[s.page]
        if page.w > page.h:
            s.rotation = rng.choice((90, 90, 270, 0))
        elif rng.random() < 0.05:
            s.rotation = 180
        elif rng.random() < 0.01:
            s.rotation = rng.choice((90, 270))
    if not any(s.rotation == 180 for s in sheets):
        cand = [s for s in sheets if s.kind == "page" and docs[s.doc].pages[s.page].w < docs[s.doc].pages[s.page].h]
        if cand:
            rng.choice(cand).rotation = 180
    for s in sheets:
        if s.kind == "dup":
            s.rotation = sheets[s.of].rotation

    scans = output / "scans"
    scans.mkdir(parents=True, exist_ok=True)
    for old in scans.iterdir():
        if old.is_file():
            old.unlink()
    where: dict[int, tuple[int, int]] = {}  # sheet index -> (file, 1-based page)
    for fi, (name, kind, a, b, dpi) in enumerate(files):
        for k in range(a, b):
            where[k] = (fi, k - a + 1)

    cache: dict[tuple[int, int, int], Image.Image] = {}
    looks: dict[int, Look] = {}
    last_clean: Image.Image | None = None
    for fi, (name, kind, a, b, dpi) in enumerate(files):
        frng = random.Random(f"forms-file:{seed}:{fi}")
        bilevel = kind in ("tiff", "png", "pdf_pil") and frng.random() < 0.4
        colour = kind == "jpg" and frng.random() < 0.6
        quality = frng.randint(45, 85)
        images = []
        for k in range(a, b):
            s = sheets[k]
            srng = random.Random(f"forms-sheet:{seed}:{k}")
            look = random_look(srng, s.rotation, bilevel, colour)
            if s.kind == "blank":
                size = (round(210 * dpi / 25.4), round(297 * dpi / 25.4))
                images.append(blank(size, srng, last_clean, look, dpi))
                continue
            doc = docs[s.doc]
            page = doc.pages[s.page]
            ck = (s.doc, s.page, dpi)
            if ck not in cache:
                ink = 1.0 if srng.random() < 0.75 else srng.uniform(0.55, 0.85)
                cache[ck] = render(page, dpi, ink)
            clean = cache[ck]
            if s.kind == "dup":
                orig = looks.get(s.of)
                if orig is not None and srng.random() < 0.4 and where[s.of][0] == fi:
                    look = orig  # the very same scan, fed twice
                else:
                    look.rotation = s.rotation
                    look.paper = min(254.0, look.paper + 4)
            looks[k] = look
            images.append(scan(clean, look, dpi))
            last_clean = clean
        write(scans / name, kind, images, dpi, quality)

    tax = taxonomy()
    documents = []
    page_sheet: dict[tuple[int, int], int] = {(s.doc, s.page): k for k, s in enumerate(sheets) if s.kind == "page"}
    for di, d in enumerate(docs):
        entry = {
            "type": d.type, "volume": tax[d.type]["volume"], "title": tax[d.type]["label"],
            "doc_number": d.doc_number, "date": d.date, "author": d.author, "persons": d.persons, "pages": [],
        }
        for pi, page in enumerate(d.pages):
            k = page_sheet[(di, pi)]
            f, p = where[k]
            entry["pages"].append({"source": {"file": f, "page": p}, "rotation": sheets[k].rotation,
                                   "printed_page": page.printed, "text": page.truth()})
        documents.append(entry)
    excluded = []
    for k, s in enumerate(sheets):
        if s.kind == "blank":
            f, p = where[k]
            excluded.append({"source": {"file": f, "page": p}, "reason": "blank", "duplicate_of": None})
        elif s.kind == "dup":
            f, p = where[k]
            of, op = where[s.of]
            excluded.append({"source": {"file": f, "page": p}, "reason": "duplicate",
                             "duplicate_of": {"file": of, "page": op}})
    truth = {
        "schema": "dossier-truth/1",
        "seed": seed,
        "generator": GENERATOR,
        "case": {"case_number": case.case_no, "title": case.case_name, "profile": "police_criminal"},
        "sources": [{"name": name, "pages": b - a} for name, kind, a, b, dpi in files],
        "documents": documents,
        "excluded": excluded,
    }
    (output / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth

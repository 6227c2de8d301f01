"""generate_case: one synthetic case file, scanned, with its ground truth.

Steps: invent the case (people, timeline, crime) → choose and lay out documents to fill the
page budget → decide the scan stream (shuffled documents, blank sheets, re-scans, turned pages)
→ render, damage and write each page into its file → write truth.json with the documents in
the taxonomy's canonical order.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Callable

import numpy as np
from faker import Faker

from classification.taxonomy import Taxonomy, load_taxonomy

from . import damage
from .case import build_case
from .compose import vary_first_page
from .context import HARD, Ctx, DocOut, HardOptions
from .layout import A4, LayoutPage, title_box
from .plan import missing_first_pages, select
from .render import render
from .scenarios import build_scenario
from .stream import Sheet, SourceFile, assign_scan, scan_order, split_files
from .writer import PdfSink, TiffSink, write_single, write_truth

SCHEMA = "dossier-truth/1"


def generate_case(pages: int, seed: int, output: Path, progress: Callable[[int, int], None] | None = None,
                  hard: bool = False) -> Path:
    """Write `output/scans/` (the scanned files) and `output/truth.json`; return the truth path.

    `pages` is the number of scanned pages, blank and duplicate pages included. The same seed
    gives byte-identical truth.json and identical images. `hard` makes the evaluation split
    harder for a classifier (see `context.HardOptions`): damaged or stamped titles, unusual
    first-page layouts, heavy scan damage, more turned pages, documents missing their first
    page. With `hard=False` the case is exactly the normal one."""
    if pages < 1:
        raise ValueError("pages must be at least 1")
    output = Path(output)
    scans = output / "scans"
    scans.mkdir(parents=True, exist_ok=True)
    for old in scans.iterdir():  # a previous run's files would otherwise be taken as sources
        if old.is_file():
            old.unlink()

    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    case = build_case(seed, rng, fake, pages=pages)
    sc = build_scenario(case, rng, fake)
    ctx = Ctx(case, sc, rng, fake)
    opts = HARD if hard else None

    n_dup = round(pages * rng.uniform(0.015, 0.03)) if pages >= 8 else 0
    n_blank = round(pages * rng.uniform(0.02, 0.035)) if pages >= 8 else 0
    if pages >= 30:
        n_dup, n_blank = max(1, n_dup), max(1, n_blank)
    if opts is None:
        docs = select(ctx, pages - n_dup - n_blank)
        missing: frozenset[int] = frozenset()
    else:  # lost first pages are planned on top of the page budget, so the scan count holds
        n_missing = max(1, round(pages * opts.missing_first))
        docs = select(ctx, pages - n_dup - n_blank + n_missing)
        missing = missing_first_pages(docs, n_missing, rng)
        for d in docs:
            vary_first_page(d.pages[0], d.author, rng, opts)
    content = sum(len(d.pages) for d in docs) - len(missing)
    # Whatever the documents could not fill exactly is absorbed by the blank sheets.
    n_blank = max(0, pages - content - n_dup)
    n_dup = max(0, min(n_dup, pages - content - n_blank))

    stream = scan_order(docs, n_blank, n_dup, rng, missing)
    assign_scan(stream, rng, 0.05 if opts is None else opts.rotate)
    files = split_files(stream, rng)
    _write_files(scans, files, stream, docs, rng, progress, opts)
    truth = build_truth(seed, case, docs, stream, files, load_taxonomy())
    path = output / "truth.json"
    write_truth(path, truth)
    return path


def _sheet_layout(sheet: Sheet, docs: list[DocOut]) -> LayoutPage:
    if sheet.kind == "blank":
        return LayoutPage(A4[0], A4[1], [], None, sheet.seed)
    return docs[sheet.doc].pages[sheet.page]


def _write_files(scans: Path, files: list[SourceFile], stream: list[Sheet], docs: list[DocOut],
                 rng: random.Random, progress: Callable[[int, int], None] | None, hard: HardOptions | None = None) -> None:
    total = len(stream)
    done = 0
    content_pages = [p for d in docs for p in d.pages]
    for f in files:
        quality = rng.randint(62, 90)
        path = scans / f.name
        sink = PdfSink(path) if f.kind == "pdf" else TiffSink(path) if f.kind == "tiff" else None
        for si in f.sheets:
            sheet = stream[si]
            prng = random.Random(sheet.seed)
            params = damage.draw_params(prng, sheet.kind == "blank")
            layout = _sheet_layout(sheet, docs)
            if hard is not None:
                box = title_box(layout)
                px = sheet.dpi / 25.4
                params = damage.harden(params, prng, hard, None if box is None else tuple(v * px for v in box))
            clean = render(layout, sheet.dpi)
            back = None
            if params.bleed and content_pages:
                back = render(prng.choice(content_pages), sheet.dpi)
            img = damage.scan(clean, sheet.dpi, params, np.random.default_rng(sheet.seed), back)
            img = damage.rotate_for_scan(img, sheet.rotation)
            if f.mode in ("L", "1"):
                img = damage.to_gray(img)
                if f.mode == "1":
                    img = damage.to_bitonal(img, sheet.dpi) > 0
            if sink is not None:
                sink.add(img, sheet.dpi, quality)
            else:
                write_single(path, img, sheet.dpi, f.kind, quality)
            done += 1
            if progress:
                progress(done, total)
        if sink is not None:
            sink.close()


def canonical_key(doc: dict, tax: Taxonomy, person_rank: dict[str, int]) -> tuple:
    """The taxonomy's ordering rule: volume, type order, principal person, date, scan position."""
    t = tax.type(doc["type"])
    principal = doc["persons"][0] if doc["persons"] else None
    first = min((p["source"]["file"], p["source"]["page"]) for p in doc["pages"])
    return (tax.volume_rank(t.volume), t.order, -1 if principal is None else person_rank[principal], doc["date"] or "", first)


def person_ranks(docs: list[dict]) -> dict[str, int]:
    """Principal persons numbered by first appearance: documents walked by their first scanned page."""
    ranks: dict[str, int] = {}
    for d in sorted(docs, key=lambda d: min((p["source"]["file"], p["source"]["page"]) for p in d["pages"])):
        if d["persons"] and d["persons"][0] not in ranks:
            ranks[d["persons"][0]] = len(ranks)
    return ranks


def build_truth(seed: int, case, docs: list[DocOut], stream: list[Sheet], files: list[SourceFile], tax: Taxonomy) -> dict:
    where = {}
    for s in stream:
        if s.kind == "page":
            where[(s.doc, s.page)] = s
    out_docs = []
    for di, d in enumerate(docs):
        pages = []
        for pi, lp in enumerate(d.pages):
            s = where.get((di, pi))
            if s is None:  # hard split: a first page that was never scanned
                continue
            pages.append({"source": {"file": s.file, "page": s.page_in_file}, "rotation": s.rotation,
                          "printed_page": lp.printed_page, "text": lp.text()})
        out_docs.append({"type": d.type, "volume": tax.type(d.type).volume, "title": d.title, "doc_number": d.doc_number,
                         "author": d.author, "date": d.date, "persons": list(d.persons), "pages": pages})
    ranks = person_ranks(out_docs)
    out_docs.sort(key=lambda d: canonical_key(d, tax, ranks))
    excluded = []
    for s in stream:
        if s.kind == "page":
            continue
        dup = None
        if s.kind == "duplicate":
            o = stream[s.original]
            dup = {"file": o.file, "page": o.page_in_file}
        excluded.append({"source": {"file": s.file, "page": s.page_in_file},
                         "reason": "blank" if s.kind == "blank" else "duplicate", "duplicate_of": dup})
    return {
        "schema": SCHEMA,
        "seed": seed,
        "case": {"case_number": case.number, "title": case.title, "profile": tax.profile},
        "sources": [{"name": f.name, "pages": len(f.sheets)} for f in files],
        "documents": out_docs,
        "excluded": excluded,
    }

"""The order pages went through the scanner, and how the stream was cut into files.

Documents come in shuffled order; a document's pages are normally consecutive and in reading
order, but a few multi-page documents have two pages swapped (only ones with printed page
numbers, so the order can be restored). Blank sheets fall anywhere; a few pages are scanned a
second time later on. The stream is then split into 3-5 files: a scanned PDF, a multi-page TIFF
and single JPEG/PNG images.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .context import DocOut


@dataclass
class Sheet:
    """One scanned page of the stream."""

    kind: str  # page | blank | duplicate
    doc: int = -1  # index into the documents (page/duplicate)
    page: int = -1  # index into that document's pages
    rotation: int = 0  # degrees clockwise to make the scan upright
    dpi: int = 200
    seed: int = 0  # scan damage of this pass
    original: int = -1  # duplicates: stream index of the first scan
    file: int = -1
    page_in_file: int = -1  # 1-based


@dataclass
class SourceFile:
    name: str
    kind: str  # pdf | tiff | jpg | png
    mode: str  # RGB | L | 1
    sheets: list[int]  # stream indices


def scan_order(docs: list[DocOut], n_blank: int, n_dup: int, rng: random.Random,
               missing: frozenset[int] = frozenset()) -> list[Sheet]:
    """`missing`: documents whose first page never reached the scanner (hard split)."""
    order = list(range(len(docs)))
    if rng.random() < 0.5:
        rng.shuffle(order)
    else:  # partly kept together, as when a folder was taken apart only loosely
        noise = max(2.0, len(order) / 3)
        order.sort(key=lambda i: i + rng.gauss(0, noise))
    if order == sorted(order) and len(order) > 1:
        order[0], order[-1] = order[-1], order[0]

    swappable = [i for i, d in enumerate(docs) if len(d.pages) >= 2 and all(p.printed_page for p in d.pages)]
    n_swap = min(len(swappable), max(1 if swappable else 0, round(len(swappable) * 0.15)))
    swapped = set(rng.sample(swappable, n_swap))

    stream: list[Sheet] = []
    for di in order:
        idx = list(range(len(docs[di].pages)))
        if di in swapped:
            a = rng.randrange(len(idx) - 1)
            b = a + 1 if rng.random() < 0.7 else rng.randrange(len(idx))
            if a == b:
                b = (a + 1) % len(idx)
            idx[a], idx[b] = idx[b], idx[a]
        stream += [Sheet("page", di, pi) for pi in idx if not (pi == 0 and di in missing)]

    for _ in range(n_dup):
        content = [i for i, s in enumerate(stream) if s.kind == "page"]
        if not content:
            break
        src = rng.choice(content[: max(1, int(len(content) * 0.9))])
        pos = src + 1 if rng.random() < 0.4 else rng.randint(src + 1, len(stream))
        stream.insert(pos, Sheet("duplicate", stream[src].doc, stream[src].page))
    for _ in range(n_blank):
        stream.insert(rng.randint(0, len(stream)), Sheet("blank"))
    # Link duplicates to the first scan of the same page (indices settle after all inserts).
    first: dict[tuple[int, int], int] = {}
    for i, s in enumerate(stream):
        key = (s.doc, s.page)
        if s.kind == "page":
            first[key] = i
    for s in stream:
        if s.kind == "duplicate":
            s.original = first[(s.doc, s.page)]
    return stream


def assign_scan(stream: list[Sheet], rng: random.Random, rotate: float = 0.05) -> None:
    """Resolution, orientation and damage seed of each pass through the scanner; `rotate`: the
    share of pages that lay turned on the glass."""
    for s in stream:
        s.dpi = rng.choices((200, 150, 300), (80, 12, 8))[0]
        s.rotation = rng.choice((90, 180, 270)) if s.kind != "blank" and rng.random() < rotate else 0
        s.seed = rng.getrandbits(32)


STEMS = {"pdf": ("扫描", "卷宗扫描件", "案卷材料", "scan", "扫描件"), "tiff": ("扫描件", "卷宗", "TIFF扫描", "补扫"),
         "jpg": ("补充材料", "照片", "IMG", "补扫"), "png": ("截图", "补扫", "scan")}


def split_files(stream: list[Sheet], rng: random.Random) -> list[SourceFile]:
    n = len(stream)
    if n == 0:
        return []
    n_files = min(n, rng.randint(3, 5))
    kinds = ["pdf", "tiff", rng.choice(("jpg", "png"))][:n_files]
    while len(kinds) < n_files:
        kinds.append(rng.choice(("pdf", "jpg", "png", "tiff", "jpg")))
    rng.shuffle(kinds)
    if n_files >= 2 and kinds[0] in ("jpg", "png") and "pdf" in kinds:  # scanning usually starts with the big batch
        i = kinds.index("pdf")
        kinds[0], kinds[i] = kinds[i], kinds[0]
    singles = [k for k in kinds if k in ("jpg", "png")]
    multi = [i for i, k in enumerate(kinds) if k in ("pdf", "tiff")]
    rest = n - len(singles)
    # Sizes of the multi-page files: random shares of what the single images leave.
    sizes = {}
    if multi:
        weights = [rng.uniform(0.5, 1.5) for _ in multi]
        total = sum(weights)
        left = rest
        for j, (i, wgt) in enumerate(zip(multi, weights)):
            size = left if j == len(multi) - 1 else max(1, min(left - (len(multi) - j - 1), round(rest * wgt / total)))
            sizes[i] = size
            left -= size
    files: list[SourceFile] = []
    pos = 0
    for i, k in enumerate(kinds):
        count = sizes.get(i, 1)
        ext = {"pdf": "pdf", "tiff": "tif", "jpg": "jpg", "png": "png"}[k]
        stem = rng.choice(STEMS[k])
        if stem == "IMG":
            stem = f"IMG_{rng.randint(1000, 9999)}"
        mode = rng.choices(("RGB", "L", "1"), (6, 4, 1 if k == "tiff" else 0))[0]
        sheets = list(range(pos, pos + count))
        pos += count
        files.append(SourceFile(f"{i + 1:02d}-{stem}.{ext}", k, mode, sheets))
        for j, si in enumerate(sheets, 1):
            stream[si].file = i
            stream[si].page_in_file = j
    assert pos == n
    return files

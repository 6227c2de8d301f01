"""Assemble a case: choose its documents, order the folder, scan it into files, write the truth."""

from __future__ import annotations

import json
import random
import zlib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import cv2
import numpy as np
import pikepdf
import yaml
from PIL import Image

from classification.taxonomy import SPEC_DIR

from . import content as C
from . import evidence as E
from .crimes import CRIMES, HAS_VICTIM, timeline
from .people import Case, Habits, organs, person
from .render import Layout, Page, Style
from .scan import ScanParams, scan

TAXONOMY = SPEC_DIR / "taxonomy.yaml"  # the project's copy of the contract
GENERATOR = "independent/1"
A4_MM = (210, 297)


@dataclass
class Sheet:
    """One scanned sheet in the stream: a document page, a blank, or a re-scan of an earlier sheet."""

    doc: int | None  # index into chosen docs; None for blank
    page: int = 0  # 0-based page within the document
    dup_of: int | None = None  # stream index of the original scan
    file: int = 0
    file_page: int = 0


@dataclass
class Chosen:
    spec: C.DocSpec
    pages: list[Page]
    tier: int
    stream_pages: list[int] = field(default_factory=list)


def _taxonomy() -> tuple[dict[str, tuple[str, int]], list[str]]:
    data = yaml.safe_load(TAXONOMY.read_text(encoding="utf-8"))
    return {t["code"]: (t["volume"], t["order"]) for t in data["types"]}, [v["code"] for v in data["volumes"]]


def _style(rng: random.Random) -> Style:
    title = rng.choice(["hei", "sans_bold", "serif_bold", "ming", "hei"])
    body = rng.choice(["ming", "serif", "kai", "ming", "sans"])
    fill = rng.choice(["kai", "kai", "ming", body])
    m = (rng.randrange(170, 240), rng.randrange(150, 230), rng.randrange(140, 200), rng.randrange(150, 220))
    return Style(title, body, fill, rng.randrange(34, 44), rng.uniform(1.45, 1.9), m)


def _habits(rng: random.Random) -> Habits:
    return Habits(numerals=rng.random() < 0.55, docno=rng.randrange(5), red_header=rng.random() < 0.5,
                  title_px=rng.uniform(1.4, 2.0), title_tracking=rng.choice([0, 0, 0.3, 0.6]),
                  docno_center=rng.random() < 0.3, copy_mark=rng.random() < 0.4, footer_style=rng.randrange(5))


def build_case(rng: random.Random, seed: int) -> tuple[Case, object]:
    crime = rng.choice(sorted(CRIMES))
    org = organs(rng)
    t = timeline(rng)
    used: set[str] = set(org.officers)
    n_s = rng.choice([1, 1, 1, 2, 3]) if crime in {"affray", "fraud", "theft", "helping"} else 1
    suspects = [person(rng, "suspect", org.region, org, t["incident"].date(), used) for _ in range(n_s)]
    victims = [person(rng, "victim", org.region, org, t["incident"].date(), used)
               for _ in range(rng.choice([1, 1, 2]) if crime in HAS_VICTIM else 0)]
    witnesses = [person(rng, "witness", org.region, org, t["incident"].date(), used) for _ in range(rng.choice([1, 2, 2, 3]))]
    case = Case(seed, org, _habits(rng), crime, suspects, victims, witnesses, t)
    case.case_number = f"A{org.region}{rng.randrange(10, 99)}{rng.randrange(10**5, 10**6)}{t['report']:%Y%m}{rng.randrange(1, 9999):04d}"
    return case, CRIMES[crime](rng, case)


def candidates(c: Case, f, rng: random.Random) -> list[tuple[int, C.DocSpec]]:
    """Every document the case could hold, with a tier: 0 = every file has it, 3 = only thick files."""
    out: list[tuple[int, C.DocSpec]] = []
    add = lambda tier, d: out.append((tier, d))  # noqa: E731
    s0 = c.suspects[0]
    bailed = {s.name for s in c.suspects if c.crime == "drunk" or (s is not s0 and rng.random() < 0.6)}
    add(0, C.acceptance(c, f, rng))
    add(0, C.filing(c, f, rng))
    add(0, C.prosecution(c, f, rng))
    add(0, E.circumstances(c, f, rng))
    for i, s in enumerate(c.suspects):
        tier = 0 if i == 0 else 2
        base = c.t["capture"] + timedelta(hours=1 + i)
        for n in range(1, rng.randrange(2, 5)):
            when = base if n == 1 else c.t["detention"] + timedelta(days=n * rng.randrange(1, 8), hours=rng.randrange(1, 5))
            add(tier + min(n - 1, 2), E.record(c, f, rng, s, "suspect", n, when))
        add(1 if i == 0 else 2, C.rights(c, f, rng, s))
        add(0 if i == 0 else 2, C.detention(c, f, rng, s))
        add(1 if i == 0 else 2, C.detention_notice(c, f, rng, s))
        if rng.random() < 0.3:
            add(3, C.extension(c, f, rng, s))
        if s.name in bailed:
            add(1, C.bail(c, f, rng, s))
        else:
            add(1, C.approval(c, f, rng, s))
            add(1 if i == 0 else 2, C.arrest(c, f, rng, s))
            add(2, C.arrest_notice(c, f, rng, s))
        add(1 if i == 0 else 3, E.household(c, f, rng, s))
        add(2, E.record_cert(c, f, rng, s))
        if rng.random() < 0.5:
            add(2, C.summons(c, f, rng, s))
    if len(bailed) < len(c.suspects):
        add(1, C.arrest_request(c, f, rng))
    for i, v in enumerate(c.victims):
        for n in range(1, rng.choice([2, 2, 3])):
            when = c.t["report"] + timedelta(minutes=20) if n == 1 else c.t["capture"] + timedelta(days=rng.randrange(1, 9))
            add(0 if i == 0 and n == 1 else 2, E.record(c, f, rng, v, "victim", n, when))
        add(3, E.household(c, f, rng, v))
    for i, w in enumerate(c.witnesses):
        when = c.t["report"] + timedelta(hours=rng.randrange(2, 60))
        add(1 if i == 0 else 2, E.record(c, f, rng, w, "witness", 1, when))
    who = c.victims[0] if c.victims else c.witnesses[0]
    add(2, E.identification(c, f, rng, who))
    add(2, C.search_warrant(c, f, rng, s0))
    add(2, E.search_record(c, f, rng, s0))
    add(1, E.seizure_list(c, f, rng, s0))
    add(2, C.seizure_decision(c, f, rng, s0))
    add(1, E.opinion(c, f, rng))
    add(2, C.engagement(c, f, rng))
    add(2, C.appraisal_notice(c, f, rng, s0))
    if c.crime not in {"drunk", "drugs"}:
        add(2, E.scene(c, f, rng))
    if f.money:
        add(1, E.statement(c, f, rng))
    if c.crime in {"fraud", "helping", "drugs"}:
        add(2, E.edata(c, f, rng, s0))
    add(2, E.explanation(c, f, rng))
    return out


def _choose(rng: random.Random, cands: list[tuple[int, C.DocSpec]], lay: Layout, budget: int) -> list[Chosen]:
    """Greedy by tier: thin files keep the core documents, thick files get the rest too."""
    laid = [Chosen(d, lay.paginate(d.blocks, d.furniture), tier) for tier, d in cands]
    order = sorted(range(len(laid)), key=lambda i: (laid[i].tier, rng.random()))
    chosen, total = [], 0
    for i in order:
        n = len(laid[i].pages)
        if total + n <= budget:
            chosen.append(laid[i])
            total += n
    return chosen


def _top_up(rng: random.Random, c: Case, f, lay: Layout, docs: list[Chosen], budget: int) -> None:
    """Thick files: more rounds of questioning, more witnesses, more notes, until the pages are used."""
    rounds = {s.name: 3 for s in c.suspects}
    used = {p.name for p in c.suspects + c.victims + c.witnesses} | set(c.organs.officers)
    for _ in range(60):
        left = budget - sum(len(d.pages) for d in docs)
        if left <= 0:
            return
        pick = rng.randrange(5)
        if pick == 0:
            s = rng.choice(c.suspects)
            rounds[s.name] += 1
            when = c.t["detention"] + timedelta(days=rounds[s.name] * rng.randrange(3, 9), hours=rng.randrange(1, 8))
            d = E.record(c, f, rng, s, "suspect", rounds[s.name], when)
        elif pick in (1, 2):
            w = person(rng, "witness", c.organs.region, c.organs, c.t["incident"].date(), used)
            c.witnesses.append(w)
            d = E.record(c, f, rng, w, "witness", 1, c.t["report"] + timedelta(days=rng.randrange(0, 20), hours=rng.randrange(1, 9)))
        elif pick == 3:
            d = E.identification(c, f, rng, rng.choice(c.witnesses))
        else:
            d = E.household(c, f, rng, rng.choice(c.witnesses + c.victims))
        pages = lay.paginate(d.blocks, d.furniture)
        if len(pages) <= left:
            docs.append(Chosen(d, pages, 4))


def _folder_order(rng: random.Random, docs: list[Chosen]) -> list[Chosen]:
    """Roughly chronological, as sheets pile up in the folder, with a few documents out of place."""
    docs = sorted(docs, key=lambda d: (d.spec.when, rng.random()))
    for _ in range(rng.randrange(0, 2 + len(docs) // 6)):
        i = rng.randrange(len(docs))
        j = max(0, min(len(docs) - 1, i + rng.randrange(-4, 5)))
        docs.insert(j, docs.pop(i))
    return docs


def _file_names(rng: random.Random, total: int, year: int) -> list[tuple[str, int]]:
    """Names of the source files (their sorted order is the stream order) and their page counts."""
    n_multi = rng.choice([1, 2, 2, 3])
    n_single = min(rng.choice([0, 1, 1, 2, 3]), max(0, 5 - n_multi), max(0, total - n_multi))
    scheme = rng.randrange(4)
    multi = []
    for i in range(1, n_multi + 1):
        ext = rng.choice(["pdf", "pdf", "tif"])
        multi.append([f"卷宗扫描{i:02d}.{ext}", f"scan_{i:03d}.{ext}", f"DOC{year}{rng.randrange(101, 1231):04d}_{i:04d}.{ext}",
                      f"Scan{year}-0{i}.{ext}"][scheme])
    start = rng.randrange(1, 40)
    single = []
    for i in range(n_single):
        ext = rng.choice(["jpg", "jpg", "png"])
        single.append(rng.choice([f"IMG_{start + i:04d}.{ext}", f"IMG_{year}0{rng.randrange(1, 9)}{rng.randrange(10, 28)}_{i:02d}.{ext}",
                                  f"page_{start + i:02d}.{ext}"]))
    names = sorted(set(multi) | set(single))
    rest = total - sum(1 for n in names if not n.endswith(("pdf", "tif")))
    n_m = sum(1 for n in names if n.endswith(("pdf", "tif")))
    cuts = sorted(rng.sample(range(1, rest), n_m - 1)) if n_m > 1 and rest > n_m else []
    sizes = [b - a for a, b in zip([0] + cuts, cuts + [rest])] if cuts or n_m == 1 else [rest // n_m] * (n_m - 1) + [rest - rest // n_m * (n_m - 1)]
    it = iter(sizes)
    return [(n, next(it) if n.endswith(("pdf", "tif")) else 1) for n in names]


def _write_pdf(path: Path, pages: list[tuple[np.ndarray, int, int]]) -> None:
    """Image-only PDF, one scan per page: JPEG for gray/colour, Flate 1-bit for bilevel."""
    pdf = pikepdf.new()
    for a, dpi, q in pages:
        h, w = a.shape[:2]
        bw = a.ndim == 2 and set(np.unique(a[::7, ::7]).tolist()) <= {0, 255}
        if bw:
            data = zlib.compress(np.packbits(a >= 128, axis=1).tobytes())
            img = pikepdf.Stream(pdf, data, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=w, Height=h,
                                 ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=1, Filter=pikepdf.Name.FlateDecode)
        else:
            ok, enc = cv2.imencode(".jpg", a if a.ndim == 2 else cv2.cvtColor(a, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, q])
            img = pikepdf.Stream(pdf, enc.tobytes(), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=w, Height=h,
                                 ColorSpace=pikepdf.Name.DeviceGray if a.ndim == 2 else pikepdf.Name.DeviceRGB,
                                 BitsPerComponent=8, Filter=pikepdf.Name.DCTDecode)
        pw, ph = w * 72 / dpi, h * 72 / dpi
        page = pdf.add_blank_page(page_size=(pw, ph))
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=img))
        page.Contents = pdf.make_stream(f"q {pw:.2f} 0 0 {ph:.2f} 0 0 cm /Im0 Do Q".encode())
    pdf.save(path, deterministic_id=True)


def _write_tif(path: Path, pages: list[tuple[np.ndarray, int, int]], bilevel: bool) -> None:
    ims = []
    for a, dpi, _ in pages:
        im = Image.fromarray(a if a.ndim == 2 or not bilevel else cv2.cvtColor(a, cv2.COLOR_RGB2GRAY))
        im = im.convert("1", dither=Image.Dither.NONE) if bilevel else im
        ims.append((im, dpi))
    kw = {"compression": "group4"} if bilevel else {"compression": "tiff_lzw"}
    ims[0][0].save(path, save_all=True, append_images=[i for i, _ in ims[1:]], dpi=(ims[0][1], ims[0][1]), **kw)


def _write_single(path: Path, a: np.ndarray, dpi: int, q: int) -> None:
    im = Image.fromarray(a)
    if path.suffix == ".jpg":
        im.save(path, quality=q, dpi=(dpi, dpi))
    else:
        im.save(path, dpi=(dpi, dpi), optimize=False)


def generate_case(seed: int, pages: int, output: Path) -> dict:
    rng = random.Random(seed)
    types, volumes = _taxonomy()
    case, facts = build_case(rng, seed)
    style = _style(rng)
    dpi = 300 if rng.random() < 0.12 else 200
    w, h = (round(A4_MM[0] / 25.4 * dpi), round(A4_MM[1] / 25.4 * dpi))
    lay = Layout(style, w, h, dpi, random.Random(rng.randrange(1 << 30)))
    n_blank = min(max(0, round(pages * rng.uniform(0.0, 0.07))), pages // 6)
    n_dup = min(max(0, round(pages * rng.uniform(0.0, 0.06))), pages // 8)
    docs = _choose(rng, candidates(case, facts, rng), lay, pages - n_blank - n_dup)
    _top_up(rng, case, facts, lay, docs, pages - n_blank - n_dup)
    n_blank = pages - n_dup - sum(len(d.pages) for d in docs)  # whatever the documents leave is blank paper
    docs = _folder_order(rng, docs)

    # The sheet stream: documents in folder order, a few blanks between them, re-scans after their original.
    stream: list[Sheet] = []
    blank_at = sorted(rng.randrange(len(docs) + 1) for _ in range(n_blank))
    for i, d in enumerate(docs):
        while blank_at and blank_at[0] == i:
            stream.append(Sheet(None))
            blank_at.pop(0)
        order = list(range(len(d.pages)))
        if len(order) >= 3 and d.spec.type.endswith(("record", "statement")) and rng.random() < 0.25:
            k = rng.randrange(len(order) - 1)  # a sheet put back in the wrong place
            order[k], order[k + 1] = order[k + 1], order[k]
        stream += [Sheet(i, p) for p in order]
    stream += [Sheet(None) for _ in blank_at]
    for _ in range(n_dup):
        cands = [i for i, s in enumerate(stream) if s.doc is not None and s.dup_of is None]
        j = rng.choice(cands)
        stream.insert(min(len(stream), j + rng.choice([1, 1, 1, 2, 3])), Sheet(stream[j].doc, stream[j].page, dup_of=j))
    # insertions shifted indices: the original is the first scan of a sheet, every later one a re-scan
    firsts: dict[tuple[int, int], int] = {}
    for i, s in enumerate(stream):
        if s.doc is None:
            continue
        key = (s.doc, s.page)
        s.dup_of = firsts.get(key)
        firsts.setdefault(key, i)

    files = _file_names(rng, len(stream), case.t["report"].year)
    k = 0
    for fi, (_, n) in enumerate(files):
        for p in range(1, n + 1):
            stream[k].file, stream[k].file_page = fi, p
            k += 1

    # Scan and write, file by file.
    (output / "scans").mkdir(parents=True, exist_ok=True)
    level = rng.choice([0.05, 0.2, 0.35, 0.5, 0.7, 0.9])
    rotations: dict[int, int] = {}
    clean_cache: dict[tuple[int, int], np.ndarray] = {}
    prev_clean: np.ndarray | None = None
    k = 0
    for fi, (name, n) in enumerate(files):
        ext = name.rsplit(".", 1)[1]
        bilevel = ext == "tif" and rng.random() < 0.6
        fmode = "bw" if bilevel else rng.choice(["rgb", "gray", "gray"] if ext != "png" else ["gray", "bw", "rgb"])
        out_pages: list[tuple[np.ndarray, int, int]] = []
        for _ in range(n):
            s = stream[k]
            prng = random.Random(rng.randrange(1 << 30))
            if s.doc is None:
                clean = np.full((h, w, 3), 255, np.uint8)
            else:
                key = (s.doc, s.page)
                if key not in clean_cache:
                    d = docs[s.doc]
                    lay.rng = random.Random(seed * 7919 + s.doc * 131 + s.page)
                    clean_cache[key] = np.asarray(lay.draw(d.pages[s.page], d.spec.furniture, colour_seal=True))
                clean = clean_cache[key]
            rot = 0
            if s.doc is not None and prng.random() < 0.03 + 0.06 * level:
                rot = prng.choice([90, 180, 270, 180])
            rotations[k] = rot
            mode = fmode if ext == "tif" or prng.random() < 0.85 else prng.choice(["rgb", "gray"])
            params = ScanParams(min(1.0, max(0.0, level + prng.uniform(-0.15, 0.15))), mode,
                                photo=ext == "jpg" and prng.random() < 0.7, rotation=rot, blank=s.doc is None)
            back = prev_clean if prev_clean is not None and prng.random() < 0.6 else None
            out_pages.append((scan(clean, params, prng, dpi, back), dpi, prng.randrange(35, 92)))
            if s.doc is not None:
                prev_clean = clean
            k += 1
        path = output / "scans" / name
        if ext == "pdf":
            _write_pdf(path, out_pages)
        elif ext == "tif":
            _write_tif(path, out_pages, bilevel)
        else:
            _write_single(path, *out_pages[0])
        # drop cached renders nobody will re-scan (a duplicate sits at most a few sheets later)
        for key in [key for key in clean_cache if all(stream[j].doc is None or (stream[j].doc, stream[j].page) != key
                                                     for j in range(k, min(len(stream), k + 6)))]:
            del clean_cache[key]

    truth = _truth(seed, case, docs, stream, files, rotations, types, volumes)
    (output / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth


def _truth(seed, case, docs, stream, files, rotations, types, volumes) -> dict:
    src = lambda s: {"file": s.file, "page": s.file_page}  # noqa: E731
    where: dict[tuple[int, int], int] = {}
    excluded = []
    for i, s in enumerate(stream):
        if s.doc is None:
            excluded.append({"source": src(s), "reason": "blank", "duplicate_of": None})
        elif s.dup_of is not None:
            excluded.append({"source": src(s), "reason": "duplicate", "duplicate_of": src(stream[s.dup_of])})
        else:
            where[(s.doc, s.page)] = i
    first = {i: min(where[(i, p)] for p in range(len(d.pages))) for i, d in enumerate(docs)}
    rank: dict[str, int] = {}
    for i in sorted(first, key=first.get):
        for name in docs[i].spec.persons:
            rank.setdefault(name, len(rank))

    def key(i: int):
        d = docs[i].spec
        vol, order = types[d.type]
        s = stream[first[i]]
        return (volumes.index(vol), order, rank[d.persons[0]] if d.persons else -1, d.date or "", s.file, s.file_page)

    out_docs = []
    for i in sorted(range(len(docs)), key=key):
        d = docs[i]
        out_docs.append({
            "type": d.spec.type, "volume": types[d.spec.type][0], "title": d.spec.title, "doc_number": d.spec.doc_number,
            "author": d.spec.author, "date": d.spec.date, "persons": d.spec.persons,
            "pages": [{"source": src(stream[where[(i, p)]]), "rotation": rotations[where[(i, p)]],
                       "printed_page": pg.number if d.spec.furniture.footer else None, "text": pg.text}
                      for p, pg in enumerate(d.pages)],
        })
    excluded.sort(key=lambda e: (e["source"]["file"], e["source"]["page"]))
    s0 = case.suspects[0]
    return {"schema": "dossier-truth/1", "seed": seed, "generator": GENERATOR,
            "case": {"case_number": case.case_number, "title": f"{s0.name}{'等' if len(case.suspects) > 1 else ''}{CRIMES_CN[case.crime]}案",
                     "profile": "police_criminal"},
            "sources": [{"name": n, "pages": c} for n, c in files], "documents": out_docs, "excluded": excluded}


CRIMES_CN = {"theft": "盗窃", "fraud": "诈骗", "injury": "故意伤害", "drugs": "贩卖毒品", "drunk": "危险驾驶",
             "affray": "寻衅滋事", "fence": "掩饰、隐瞒犯罪所得", "helping": "帮助信息网络犯罪活动"}

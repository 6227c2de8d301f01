"""`county`: a county police bureau's case file, generated from the published forms.

``generate_case(seed, pages, output)`` writes ``output/scans/`` (PDF, TIFF and JPEG files) and
``output/truth.json`` (``dossier-truth/1``, see ``casegen/evaluate.py``) and returns the truth."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import yaml
from . import documents as D
from .facts import make_case
from .layout import PageSpec, render
from .scan import blank_page, degrade

TAXONOMY = Path(__file__).resolve().parents[2] / "classification" / "spec" / "taxonomy.yaml"


def _taxonomy() -> tuple[dict[str, tuple[int, int]], dict[str, str]]:
    tax = yaml.safe_load(TAXONOMY.read_text(encoding="utf-8"))
    vols = [v["code"] for v in tax["volumes"]]
    order = {t["code"]: (vols.index(t["volume"]), t["order"]) for t in tax["types"]}
    volume = {t["code"]: t["volume"] for t in tax["types"]}
    return order, volume


def _at(base: datetime, rng: random.Random, lo: float, hi: float) -> datetime:
    """A working-hours time ``lo``..``hi`` days after ``base``."""
    t = base + timedelta(days=rng.uniform(lo, hi))
    return t.replace(hour=rng.randint(8, 20), minute=rng.choice([0, 5, 10, 15, 20, 25, 30, 40, 45, 50, 55]), second=0, microsecond=0)


# ---------------------------------------------------------------------------------------------
# which documents


def _candidates(case, rng: random.Random, long_records: int = 0):
    """Documents in priority order (the essentials first), then an open-ended tail of further
    interviews. Generator: the caller stops when the page budget is met."""
    S, V, W = case.suspects, case.victims, case.witnesses
    catch = [_at(case.filed, rng, 0.1 + i * 0.8, 2 + i * 2) for i in range(len(S))]
    detained = [c + timedelta(hours=rng.randint(3, 8)) for c in catch]
    custody = [i < 2 or len(S) == 1 for i in range(len(S))]  # the third suspect is released on bail
    req_t = _at(max(detained), rng, 3, 6 if rng.random() < 0.7 else 28)
    appr_t = _at(req_t, rng, 5, 7)
    seize_t = catch[0] + timedelta(hours=rng.randint(2, 5))
    seize_no = case.number("扣")
    opinion_t = _at(seize_t, rng, 8, 20)
    final_t = _at(appr_t, rng, 30, 60)
    rights_style = D.form_style(rng)  # one pre-printed form for every suspect
    interviews = {}

    def interro(i: int, n: int):
        t = catch[i] + timedelta(hours=1) if n == 1 else _at(detained[i], rng, 1 + (n - 2) * 4, 3 + (n - 2) * 6)
        return D.interrogation(case, S[i], n, t.replace(second=0, microsecond=0), rng, extra=rng.randint(0, long_records))

    def stmt(p, role: str, n: int):
        base = case.reported + timedelta(minutes=rng.randint(20, 90)) if (role == "victim" and n == 1) else _at(case.filed, rng, 0.5 + n * 3, 4 + n * 6)
        interviews[p.name] = n
        return D.statement(case, p, role, n, base.replace(second=0, microsecond=0), rng)

    s0, v0 = S[0], V[0]
    yield D.filing_decision(case, rng)
    yield interro(0, 1)
    yield stmt(v0, "victim", 1)
    yield D.rights_notice(case, s0, catch[0] + timedelta(minutes=50), rights_style, rng)
    yield D.detention_warrant(case, s0, detained[0], rng)
    yield D.acceptance_form(case, rng)
    yield D.household(case, s0, _at(catch[0], rng, 0, 1), rng)
    yield D.arrest_circumstances(case, s0, catch[0], rng)
    yield D.seizure_list(case, s0, seize_t, seize_no if rng.random() < 0.6 else None, rng)
    if W:
        yield stmt(W[0], "witness", 1)
    yield D.detention_notice(case, s0, detained[0] + timedelta(hours=rng.randint(1, 10)), rng)
    yield D.scene_inspection(case, case.reported + timedelta(minutes=rng.randint(30, 80)), rng)
    req = D.arrest_request(case, req_t, rng)
    yield req
    yield D.arrest_approval(case, s0, req.doc_number, appr_t, rng)
    yield D.arrest_warrant(case, s0, appr_t + timedelta(hours=3), rng)
    yield D.arrest_notice(case, s0, appr_t + timedelta(hours=6), rng)
    yield interro(0, 2)
    yield D.forensic_opinion(case, opinion_t, rng)
    yield D.appraisal_engagement(case, _at(seize_t, rng, 1, 3), rng)
    yield D.appraisal_notice(case, s0, _at(opinion_t, rng, 1, 3), rng)
    warrant = D.search_warrant(case, s0, seize_t - timedelta(hours=1), rng)
    yield warrant
    yield D.search_record(case, s0, seize_t - timedelta(minutes=40), warrant.doc_number, rng)
    yield D.seizure_decision(case, s0, seize_t, seize_no, rng)
    yield D.record_certificate(case, s0, _at(catch[0], rng, 0, 2), rng)
    yield D.identification(case, W[0] if W and case.crime.code != "fraud" else v0, s0, _at(catch[0], rng, 0.3, 2), rng)
    yield D.prosecution_recommendation(case, final_t, rng)
    yield D.documentary(case, _at(case.filed, rng, 1, 5), rng)
    yield D.situation(case, s0 if rng.random() < 0.6 else None, _at(appr_t, rng, 2, 20), rng)
    if case.crime.code == "injury" or rng.random() < 0.3:
        yield D.appraisal_notice(case, v0, _at(opinion_t, rng, 1, 3), rng)
    for i in range(1, len(S)):
        s = S[i]
        if rng.random() < 0.5:
            yield D.summons(case, s, catch[i], rng)
        yield interro(i, 1)
        yield D.rights_notice(case, s, catch[i] + timedelta(minutes=40), rights_style, rng)
        yield D.household(case, s, _at(catch[i], rng, 0, 1), rng)
        yield D.arrest_circumstances(case, s, catch[i], rng)
        if custody[i]:
            yield D.detention_warrant(case, s, detained[i], rng)
            yield D.detention_notice(case, s, detained[i] + timedelta(hours=rng.randint(1, 10)), rng)
            if req_t - detained[i] > timedelta(days=7):
                yield D.detention_extension(case, s, detained[i] + timedelta(days=2), rng)
            yield D.arrest_approval(case, s, req.doc_number, appr_t, rng)
            yield D.arrest_warrant(case, s, appr_t + timedelta(hours=4), rng)
            yield D.arrest_notice(case, s, appr_t + timedelta(hours=7), rng)
        else:
            maker = D.bail_decision if rng.random() < 0.7 else D.surveillance_decision
            yield maker(case, s, detained[i], rng)
        yield interro(i, 2)
        yield D.record_certificate(case, s, _at(catch[i], rng, 0, 2), rng)
        yield D.appraisal_notice(case, s, _at(opinion_t, rng, 1, 3), rng)
    for v in V[1:]:
        yield stmt(v, "victim", 1)
    for w in W[1:3]:
        yield stmt(w, "witness", 1)
    yield D.electronic_data(case, _at(case.filed, rng, 0.2, 3), rng)
    yield stmt(v0, "victim", 2)
    # open-ended tail: further interrogations, new witnesses and their identifications, second
    # interviews (at most three interviews a person)
    pending = list(W[3:])
    for n in range(3, 8):
        for i in range(len(S)):
            yield interro(i, n)
        if pending:
            w = pending.pop(0)
            yield stmt(w, "witness", 1)
            if case.crime.code != "fraud" and rng.random() < 0.6:
                yield D.identification(case, w, S[rng.randrange(len(S))], _at(catch[0], rng, 1, 6), rng)
        for p in V + W:
            k = interviews.get(p.name, 0)
            if 0 < k < 3 and rng.random() < 0.5:
                yield stmt(p, "victim" if p in V else "witness", k + 1)
        if n == 4:
            yield D.situation(case, S[-1], _at(appr_t, rng, 2, 20), rng)
            yield D.electronic_data(case, _at(case.filed, rng, 2, 8), rng)


# ---------------------------------------------------------------------------------------------
# truth order


def _canonical(docs: list[D.Doc], order: dict, register: list[str]) -> list[D.Doc]:
    """Volume, type order, then principal person by first appearance, then date-time."""
    rank: dict[str, int] = {}
    by_type: dict[str, list[D.Doc]] = {}
    for d in docs:
        by_type.setdefault(d.type, []).append(d)
    out: list[D.Doc] = []
    big = 10**6

    def person_key(name: str | None) -> int:
        if name is None:
            return -1
        return rank.get(name, big + (register.index(name) if name in register else 999))

    for typ in sorted(by_type, key=lambda t: order[t]):
        group = sorted(by_type[typ], key=lambda d: (person_key(d.persons[0] if d.persons else None), d.when))
        for d in group:
            for name in d.persons:
                rank.setdefault(name, len(rank))
        out.extend(group)
    return out


# ---------------------------------------------------------------------------------------------
# scanning


@dataclass
class Sheet:
    """One scanned image in scan order: a document page, a blank back, or a rescan."""

    kind: str  # page / blank / duplicate
    spec: PageSpec | None
    doc: int | None = None
    index: int | None = None  # page index within its document
    rotation: int = 0
    original: int | None = None  # for a duplicate: position of the original in the stream


STEMS = ["扫描件", "SCAN", "卷宗扫描", "IMG", "诉讼材料", "证据材料", "DOC", "补扫"]


def generate_case(seed: int, pages: int, output: str | Path) -> dict:
    output = Path(output)
    scans = output / "scans"
    scans.mkdir(parents=True, exist_ok=True)
    for old in scans.iterdir():
        if old.is_file():
            old.unlink()
    rng = random.Random(f"county/{seed}")
    order, volume = _taxonomy()

    n_s = 1 if pages < 25 else (2 if pages < 70 or rng.random() < 0.4 else 3)
    n_v = 1 if pages < 90 or rng.random() < 0.6 else 2
    n_w = 1 if pages < 20 else min(9, 1 + pages // 18)
    case = make_case(rng, n_s, n_v, n_w)

    n_blank = max(1 if pages >= 10 else 0, round(pages * rng.uniform(0.02, 0.05)))
    n_dup = max(1 if pages >= 10 else 0, round(pages * rng.uniform(0.015, 0.035)))
    budget = max(1, pages - n_blank - n_dup)
    chosen: list[D.Doc] = []
    total = 0
    misses = 0
    for doc in _candidates(case, rng, 0 if pages < 40 else min(10, pages // 15)):
        if total >= budget or misses > 40:
            break
        if total + len(doc.pages) <= budget + max(0, round(budget * 0.08)):
            chosen.append(doc)
            total += len(doc.pages)
        else:
            misses += 1
    register = [p.name for p in case.suspects + case.victims + case.witnesses]
    docs = _canonical(chosen, order, register)

    # ---- scan stream: the investigator's pile, roughly in the order the papers were made ----
    pile = sorted(range(len(docs)), key=lambda i: (docs[i].pile or docs[i].when, rng.random()))
    for _ in range(max(1, len(pile) // 6)):  # a few papers filed out of place
        a = rng.randrange(len(pile))
        b = min(len(pile) - 1, a + rng.randint(1, 3))
        pile[a], pile[b] = pile[b], pile[a]
    stream: list[Sheet] = []
    for di in pile:
        doc = docs[di]
        idx = list(range(len(doc.pages)))
        numbered = all(p.printed_page is not None for p in doc.pages)
        if numbered and len(idx) > 1 and rng.random() < 0.12:
            idx.reverse()  # the stack went in face down: back to front, page numbers tell
        for j in idx:
            r = rng.random()
            rot = 180 if r < 0.03 else (90 if r < 0.05 else (270 if r < 0.065 else 0))
            if doc.pages[j].width > doc.pages[j].height and rng.random() < 0.7:
                rot = rng.choice([90, 270])  # a landscape sheet fed portrait
            stream.append(Sheet("page", doc.pages[j], di, j, rot))
    # blank backs, mostly between documents, sometimes inside one (duplex scan of a one-sided sheet)
    for _ in range(n_blank):
        pos = rng.randrange(1, len(stream) + 1)
        bleed = stream[pos - 1].spec if rng.random() < 0.5 else None
        stream.insert(pos, Sheet("blank", bleed))
    # rescans: right after the original (double feed / re-scan) or in a last "补扫" batch
    tail: list[Sheet] = []
    for _ in range(n_dup):
        cands = [i for i, s in enumerate(stream) if s.kind == "page"]
        i = rng.choice(cands)
        dup = Sheet("duplicate", stream[i].spec, stream[i].doc, stream[i].index, 0 if rng.random() < 0.8 else stream[i].rotation)
        if rng.random() < 0.6:
            stream.insert(i + 1, dup)
        else:
            tail.append(dup)
    tail_start = len(stream)
    stream.extend(tail)
    ident: dict[int, int] = {}  # id(spec) -> first stream position holding it as a page
    for pos, s in enumerate(stream):
        if s.kind == "page":
            ident[id(s.spec)] = pos

    # ---- files ----
    files: list[tuple[str, list[int], dict]] = []
    pos = 0
    n = len(stream)
    while pos < n:
        kind = rng.choices(["pdf", "tif", "jpg"], weights=[5, 2, 2])[0]
        if pos >= tail_start and tail:
            kind = "pdf"
            size = n - pos
        elif kind == "jpg":
            size = 1
        elif kind == "tif":
            size = rng.randint(2, 10)
        else:
            size = rng.randint(3, 24)
        if tail and pos < tail_start:
            size = min(size, tail_start - pos)
        size = min(size, n - pos)
        settings = {
            "pdf": {"dpi": rng.choice([200, 200, 240, 300]), "color": rng.random() < 0.3, "bilevel": False},
            "tif": {"dpi": rng.choice([200, 300]), "color": False, "bilevel": rng.random() < 0.7},
            "jpg": {"dpi": rng.choice([200, 220]), "color": rng.random() < 0.7, "bilevel": False},
        }[kind]
        if settings["bilevel"] or settings["dpi"] == 300:
            settings["dpi"] = 300 if settings["bilevel"] else 240
        settings["kind"] = kind
        files.append((kind, list(range(pos, pos + size)), settings))
        pos += size
    sources = []
    where: dict[int, tuple[int, int]] = {}
    stamp = case.filed
    for fi, (kind, members, st) in enumerate(files):
        if pos and members and members[0] >= tail_start and tail:
            stem = "补扫"
        else:
            stem = rng.choice(STEMS[:-1])
        name = f"{fi + 1:03d}_{stem}_{stamp:%Y%m%d}_{rng.randint(1000, 9999)}.{kind}"
        for k, m in enumerate(members, 1):
            where[m] = (fi, k)
        sources.append((name, kind, members, st))

    # ---- render and write ----
    for name, kind, members, st in sources:
        images = []
        for m in members:
            sh = stream[m]
            prng = random.Random(f"county/{seed}/sheet/{m}")
            if sh.kind == "blank":
                ref = render(sh.spec, st["dpi"], prng, st["color"]) if sh.spec is not None else None
                size = ref.size if ref is not None else (int(210 / 25.4 * st["dpi"]), int(297 / 25.4 * st["dpi"]))
                img = blank_page(prng, size, st["color"], ref)
                img = degrade(img, prng, 0, st["bilevel"])
            else:
                img = render(sh.spec, st["dpi"], prng, st["color"])
                img = degrade(img, prng, sh.rotation, st["bilevel"], heavy=prng.random() < 0.1)
            images.append(img)
        path = scans / name
        dpi = (st["dpi"], st["dpi"])
        if kind == "pdf":
            fixed = datetime(case.year, 12, 31, 12, 0, 0)  # PDF metadata dates fixed: same seed, same bytes
            images[0].save(path, "PDF", save_all=True, append_images=images[1:], resolution=float(st["dpi"]),
                           creationDate=fixed.timetuple(), modDate=fixed.timetuple(), producer="county", title=name)
        elif kind == "tif":
            if st["bilevel"]:
                images[0].save(path, "TIFF", save_all=True, append_images=images[1:], compression="group4", dpi=dpi)
            else:
                images[0].save(path, "TIFF", save_all=True, append_images=images[1:], compression="tiff_lzw", dpi=dpi)
        else:
            im = images[0].convert("RGB") if images[0].mode == "1" else images[0]
            im.save(path, "JPEG", quality=random.Random(name).randint(62, 88), dpi=dpi)

    # ---- truth ----
    tdocs = []
    doc_pos: dict[tuple[int, int], int] = {}
    for pos_, sh in enumerate(stream):
        if sh.kind == "page":
            doc_pos[(sh.doc, sh.index)] = pos_
    for di, d in enumerate(docs):
        pages_out = []
        for j, spec in enumerate(d.pages):
            p = doc_pos[(di, j)]
            f_, k_ = where[p]
            pages_out.append({"source": {"file": f_, "page": k_}, "rotation": stream[p].rotation,
                              "printed_page": spec.printed_page, "text": spec.text})
        tdocs.append({"type": d.type, "volume": volume[d.type], "title": d.title, "date": d.date,
                      "doc_number": d.doc_number, "author": d.author, "persons": list(d.persons), "pages": pages_out})
    excluded = []
    for p, sh in enumerate(stream):
        if sh.kind == "blank":
            f_, k_ = where[p]
            excluded.append({"source": {"file": f_, "page": k_}, "reason": "blank", "duplicate_of": None})
        elif sh.kind == "duplicate":
            f_, k_ = where[p]
            o = where[ident[id(sh.spec)]]
            excluded.append({"source": {"file": f_, "page": k_}, "reason": "duplicate",
                             "duplicate_of": {"file": o[0], "page": o[1]}})
    excluded.sort(key=lambda e: (e["source"]["file"], e["source"]["page"]))
    truth = {
        "schema": "dossier-truth/1",
        "generator": "county",
        "seed": seed,
        "case": {"case_number": f"{case.abbr}公刑案〔{case.year}〕{rng.randint(100, 999)}号",
                 "title": case.case_name, "profile": "police_criminal", "crime": case.crime.charge,
                 "bureau": case.bureau},
        "sources": [{"name": name, "pages": len(members)} for name, _, members, _ in sources],
        "documents": tdocs,
        "excluded": excluded,
    }
    (output / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth

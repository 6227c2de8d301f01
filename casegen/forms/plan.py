"""Which documents a case file holds, sized to a page budget, in canonical dossier order."""

from __future__ import annotations

import datetime as dt
import random
from functools import lru_cache

import yaml

from classification.taxonomy import SPEC_DIR

from . import documents as D
from .story import Case

TAXONOMY = SPEC_DIR / "taxonomy.yaml"  # the project's copy of the contract


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, dict]:
    data = yaml.safe_load(TAXONOMY.read_text(encoding="utf-8"))
    vol_order = {v["code"]: i for i, v in enumerate(data["volumes"])}
    return {t["code"]: {"label": t["label"], "volume": t["volume"], "order": t["order"],
                        "vol_order": vol_order[t["volume"]]} for t in data["types"]}


def plan(case: Case, length: float) -> list[D.Doc]:
    """Every document the case could hold; ``length`` scales the records' question count."""
    rng = random.Random(f"forms-plan:{case.seed}")
    case._numbers.clear()  # registry serials restart with every draft of the file
    S, V, W = case.suspects, case.victims, case.witnesses
    big = case.extras.get("pages", 60)
    docs: list[D.Doc] = [D.acceptance_form(case, "acc"), D.filing_decision(case, "filing")]
    for i in range(len(S)):
        if case.crime != "drugs" or i > 0:
            docs.append(D.summons(case, f"summons{i}", i))
        docs.append(D.rights_notice(case, f"rights{i}", i))
        docs.append(D.detention_warrant(case, f"detain{i}", i))
        docs.append(D.detention_notice(case, f"detnote{i}", i))
    docs.append(D.arrest_request(case, "request"))
    for i in range(len(S)):
        docs.append(D.arrest_approval(case, f"approve{i}", i))
        docs.append(D.arrest_warrant(case, f"arrest{i}", i))
        docs.append(D.detention_notice(case, f"arrnote{i}", i, arrest=True))
    docs.append(D.search_warrant(case, "warrant"))
    docs.append(D.seizure_decision(case, "seize"))
    if case.appraisal:
        docs.append(D.appraisal_engagement(case, "engage"))
        docs.append(D.appraisal_opinion(case, "opinion"))
        docs.append(D.appraisal_notice(case, "anote0", S[0]))
        if V:
            docs.append(D.appraisal_notice(case, "anote1", V[0]))
    docs.append(D.prosecution_recommendation(case, "recommend"))
    # evidence
    for i in range(len(S)):
        docs.append(D.arrival(case, f"arrival{i}", i))
        docs.append(D.household(case, f"household{i}", i))
        docs.append(D.record_certificate(case, f"record{i}", i))
    for i, s in enumerate(S):
        t1 = case.t_catch[i] + dt.timedelta(minutes=rng.randint(30, 100))
        docs.append(D.record(case, f"int{i}-1", s, "suspect", 1, t1, length, 0 if i == 0 else 1, f"suspect{i}"))
        t2 = (case.t_detain[i] + dt.timedelta(days=rng.randint(1, 3))).replace(hour=rng.choice((9, 10, 14, 15)))
        docs.append(D.record(case, f"int{i}-2", s, "suspect", 2, t2, length, 3, f"suspect{i}"))
        for rnd in range(3, min(5, 3 + max(0, (big - 50) // 40)) + 1):
            t3 = case.t_request + dt.timedelta(days=rng.randint(8, 14) + 6 * (rnd - 3))
            t3 = min(t3, case.t_recommend - dt.timedelta(days=5 - rnd)).replace(hour=rng.choice((9, 10, 14, 15)))
            docs.append(D.record(case, f"int{i}-{rnd}", s, "suspect", rnd, t3, length * 0.6, 4, f"suspect{i}"))
    for k, v in enumerate(V):
        t1 = case.t_report + dt.timedelta(minutes=rng.randint(10, 40))
        docs.append(D.record(case, f"vic{k}-1", v, "victim", 1, t1, length, 0 if k == 0 else 2, f"victim{k}"))
        t2 = (case.t_catch[0] + dt.timedelta(days=rng.randint(1, 4))).replace(hour=rng.choice((9, 10, 15, 16)))
        docs.append(D.record(case, f"vic{k}-2", v, "victim", 2, t2, length * 0.6, 3, f"victim{k}"))
    for k, w in enumerate(W):
        base = case.t_catch[0] if case.crime == "drugs" else case.t_report
        t1 = base + dt.timedelta(hours=2 + rng.randint(0, 40) * (k + 1))
        if not 8 <= t1.hour <= 21:
            t1 = (t1 + dt.timedelta(hours=10)).replace(hour=rng.randint(8, 20))
        t1 = t1.replace(minute=rng.randrange(0, 60, 5))
        docs.append(D.record(case, f"wit{k}-1", w, "witness", 1, t1, length, 1 if k == 0 else 2, _wkey(case, k)))
        if k < 2 or big >= 80:
            t2 = (case.t_catch[0] + dt.timedelta(days=rng.randint(2, 9))).replace(hour=rng.choice((9, 10, 15, 16)))
            docs.append(D.record(case, f"wit{k}-2", w, "witness", 2, t2, length * 0.5, 4, _wkey(case, k)))
    who = V[0] if V else W[0]
    docs.append(D.identification(case, "ident0", who, 0))
    if len(S) > 1 and len(W) > 0:
        docs.append(D.identification(case, "ident1", W[0], 1))
    docs.append(D.scene_inspection(case, "scene"))
    docs.append(D.search_record(case, "search"))
    docs.append(D.seizure_list(case, "seizelist"))
    if case.crime in ("fraud", "drugs") or rng.random() < 0.4:
        docs.append(D.edata_record(case, "edata"))
    if "bank" in case.extras:
        docs.append(D.bank_statement(case, "bank0", 0))
        docs.append(D.bank_statement(case, "bank1", 1))
    if "chat" in case.extras:
        docs.append(D.chat_screenshot(case, "chat"))
    if case.crime != "fraud":
        docs.append(D.receipt(case, "receipt"))
    docs.append(D.explanation(case, "explain0", rng.randrange(3)))
    docs.append(D.explanation(case, "explain1", rng.randrange(3) + 1))
    for d in docs:
        d.level = LEVELS.get(d.key, 4)
    return docs


# how essential each document is: 0 always kept; higher levels are dropped first for a small budget
LEVELS = {
    "acc": 0, "filing": 0, "rights0": 0, "detain0": 0, "int0-1": 0, "vic0-1": 0, "recommend": 0,
    "request": 1, "approve0": 1, "arrest0": 1, "seizelist": 1, "arrival0": 1, "wit0-1": 1, "int1-1": 1,
    "rights1": 1, "rights2": 1, "detain1": 1, "ident0": 1, "int2-1": 2,
    "summons0": 2, "summons1": 2, "detnote0": 2, "arrnote0": 2, "scene": 2, "opinion": 2, "engage": 2, "anote0": 2,
    "household0": 2, "seize": 2, "wit1-1": 2, "vic1-1": 2, "approve1": 2, "arrest1": 2, "bank0": 2, "chat": 2,
    "int0-2": 2, "detain2": 2,
    "vic0-2": 3, "search": 3, "warrant": 3, "edata": 3, "bank1": 3, "receipt": 3, "record0": 3, "explain0": 3, "anote1": 3,
    "detnote1": 3, "arrnote1": 3, "wit2-1": 3, "arrival1": 3, "household1": 3, "int1-2": 3, "ident1": 3,
    "approve2": 3, "arrest2": 3,
}


def _wkey(case: Case, k: int) -> str:
    return f"witness{k}" if f"witness{k}" in case.stories else "witness_generic"


def n_pages(docs: list[D.Doc]) -> int:
    return sum(len(d.pages) for d in docs)


def fit(case: Case, target: int) -> list[D.Doc]:
    """Drop the least essential documents and tune record length until the pages are ~``target``."""
    lo_docs = plan(case, 0.0)
    sizes_lo = {d.key: len(d.pages) for d in lo_docs}
    shuffle = random.Random(f"forms-drop:{case.seed}")
    tie = {d.key: shuffle.random() for d in lo_docs}
    order = sorted(range(len(lo_docs)), key=lambda i: (-lo_docs[i].level, tie[lo_docs[i].key]))
    dropped: set[str] = set()
    total = sum(sizes_lo.values())
    for i in order:
        if total <= target:
            break
        d = lo_docs[i]
        if d.level == 0:
            break
        dropped.add(d.key)
        total -= sizes_lo[d.key]

    def build(length: float) -> list[D.Doc]:
        return [d for d in plan(case, length) if d.key not in dropped]

    best = build(0.0)
    if n_pages(best) >= target:
        return best
    lo, hi = 0.0, 8.0
    for _ in range(9):
        mid = (lo + hi) / 2
        docs = build(mid)
        n = n_pages(docs)
        if abs(n - target) < abs(n_pages(best) - target):
            best = docs
        if n == target:
            break
        if n < target:
            lo = mid
        else:
            hi = mid
    return best


def canonical(docs: list[D.Doc]) -> list[D.Doc]:
    """Volumes, then type order, then principal person (first appearance), then date, then key."""
    tax = taxonomy()
    rank: dict[str, int] = {}
    for d in sorted(docs, key=lambda d: (d.when, d.key)):
        for name in d.persons[:1]:
            rank.setdefault(name, len(rank))
    return sorted(docs, key=lambda d: (tax[d.type]["vol_order"], tax[d.type]["order"],
                                       rank[d.persons[0]] if d.persons else -1, d.when, d.key))

"""Which documents the case file contains and how long each is, to fill a page budget.

Every document the case could have is a candidate with a priority (the core of any dossier
first: the first interrogation, the victim's statement, 立案决定书 ...). Candidates are taken in
priority order while their minimum length fits; the pages left over then lengthen the documents
whose length can vary (笔录, bank statements, 起诉意见书 ...), so the total is exact.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from . import evidence as ev
from . import procedural as pr
from . import records as rc
from .context import Ctx, DocOut, DocSpec

Builder = Callable[[Ctx, DocSpec], DocOut]


@dataclass
class Candidate:
    spec: DocSpec
    build: Builder
    priority: float
    flex: tuple[int, int, int] | None = None  # (min, preferred, soft max) pages when length varies
    seed: int = 0  # the document's own randomness: rebuilding it gives the same content

    def make(self, ctx: Ctx, pages: int | None) -> DocOut:
        """Build with a fresh rng and Faker state, so a trial build (to measure the shortest
        possible length) and the final one differ only in length."""
        rng = random.Random(self.seed)
        ctx.fake.seed_instance(self.seed)
        self.spec.pages = pages
        return self.build(Ctx(ctx.case, ctx.sc, rng, ctx.fake), self.spec)


def _at(t: datetime, rng: random.Random, days: tuple[int, int] = (0, 0), hours: tuple[int, int] = (9, 17)) -> datetime:
    d = t + timedelta(days=rng.randint(*days))
    return d.replace(hour=rng.randint(*hours), minute=rng.choice(range(0, 60, 5)), second=0, microsecond=0)


def candidates(ctx: Ctx) -> list[Candidate]:
    case, sc, rng = ctx.case, ctx.sc, ctx.rng
    out: list[Candidate] = []

    def add(t, at, persons, build, prio, flex=None, nth=1, **extra):
        out.append(Candidate(DocSpec(t, at, list(persons), nth, None, dict(extra)), build, prio + rng.uniform(0, 0.4), flex,
                             rng.getrandbits(32)))

    add("case_acceptance_form", case.report_at, [], pr.acceptance_form, 1.0)
    add("case_filing_decision", case.filed_at, [], pr.simple, 1.0)
    arrested = [s for s in case.suspects if s.events["measure"] == "arrest"]
    request_no = case.doc_no("提捕字")
    if arrested:
        add("arrest_request", case.arrest_request_at, arrested, pr.long_instrument, 3.5, (1, 2, 3), number=request_no)
    add("prosecution_recommendation", case.recommend_at, case.suspects, pr.long_instrument, 2.5, (2, 3, 5),
        number=case.doc_no("诉字"))
    add("appraisal_engagement", case.appraisal_engaged, [], pr.simple, 4.5)
    add("forensic_opinion", case.appraisal_done, [], ev.forensic, 2.5, (2, 3, 5))
    notified = [case.suspects[0]] + ([sc.appraisal["person"]] if sc.appraisal.get("person") is not None else [case.victims[0]])
    for j, p in enumerate(notified):
        add("appraisal_notice", case.appraisal_notice, [p], pr.simple, 5.5 + j)
    add("scene_inspection_record", case.scene_at, [], rc.scene_inspection, 4.0, (1, 2, 4), sketch=rng.random() < 0.5)

    caught_groups: dict[datetime, list] = {}
    for s in case.suspects:
        caught_groups.setdefault(s.events["caught"].replace(hour=0, minute=0), []).append(s)
    for j, group in enumerate(caught_groups.values()):
        add("arrest_circumstances", _at(group[0].events["caught"], rng, (0, 1)), group, ev.arrest_circumstances, 3.0 + j)

    for i, s in enumerate(case.suspects):
        e = s.events
        add("summons_warrant", e["summons"], [s], pr.simple, 3.2 + i)
        add("rights_notice", e["interrogations"][0], [s], pr.rights_notice, 4.0 + i)
        add("detention_warrant", e["detained"], [s], pr.simple, 2.0 + i)
        add("detention_notice", e["detain_notice"], [s], pr.simple, 4.0 + i)
        if e["extended"]:
            add("detention_extension", e["extended"], [s], pr.extension_form, 5.0 + i)
        if e["measure"] == "arrest":
            add("arrest_approval", e["approval"], [s], pr.arrest_approval, 3.0 + i, request_no=request_no)
            add("arrest_warrant", e["arrested"], [s], pr.simple, 2.5 + i)
            add("arrest_notice", e["arrest_notice"], [s], pr.simple, 4.5 + i)
        elif e["measure"] == "bail":
            add("bail_decision", e["release"], [s], pr.simple, 3.0 + i)
        else:
            add("residential_surveillance", e["release"], [s], pr.simple, 3.0 + i)
        if e["search"] is not None:
            number = case.doc_no("搜查字")
            add("search_warrant", e["search"], [s], pr.simple, 4.0 + i, number=number)
            add("search_record", e["search"] + timedelta(minutes=rng.randint(5, 30)), [s], rc.search, 4.5 + i, (1, 1, 2),
                warrant_no=number)
            add("seizure_decision", _at(e["search"], rng), [s], pr.simple, 4.5 + i)
            add("seizure_list", _at(e["search"], rng), [s], ev.seizure_list, 3.0 + i, with_loot=bool(sc.items) and i == 0)
        add("household_registration", _at(e["caught"], rng, (0, 2), (8, 20)), [s], ev.household, 3.5 + i)
        add("criminal_record_certificate", _at(e["caught"], rng, (0, 3)), [s], pr.simple, 5.0 + i)
        for n, t in enumerate(e["interrogations"], 1):
            prio = 0.5 + i * 0.4 + (n - 1) * 1.6
            flex = (2, rng.randint(3, 5), 8) if n == 1 else (1, rng.randint(2, 4), 7)
            add("interrogation_record", t, [s], rc.statement, prio, flex, nth=n)
        if sc.crime == "诈骗" or rng.random() < 0.35:
            add("electronic_data_record", _at(e["caught"], rng, (1, 6)), [s], rc.electronic, 3.5 + i * 2 if sc.crime == "诈骗" else 6.5,
                (1, 1, 3))

    for j, v in enumerate(case.victims):
        for n, t in enumerate(v.events["statements"], 1):
            flex = (2, rng.randint(2, 4), 5) if n == 1 else (1, 2, 3)
            add("victim_statement", t, [v], rc.statement, 0.8 + j * 0.8 + (n - 1) * 2.5, flex, nth=n)
    for j, w in enumerate(case.witnesses):
        for n, t in enumerate(w.events["statements"], 1):
            add("witness_statement", t, [w], rc.statement, 1.5 + j * 0.7 + (n - 1) * 3.0, (1, rng.randint(1, 2), 3), nth=n)
    identifier = rng.choice(case.victims + case.witnesses)
    add("identification_record", _at(case.suspects[0].events["caught"], rng, (1, 5)), [identifier, case.suspects[0]],
        rc.identification, 5.0, (1, 1, 2), photos=rng.random() < 0.5)
    if len(case.suspects) > 1 and rng.random() < 0.5:
        add("identification_record", _at(case.suspects[1].events["caught"], rng, (1, 5)),
            [rng.choice(case.victims + case.witnesses), case.suspects[1]], rc.identification, 7.0, (1, 1, 2), photos=False)

    # 书证: what proves the loss.
    v = case.victims[0]
    if sc.transfers:
        add("documentary_evidence", _at(case.report_at, rng, (1, 8)), [v], ev.bank_statement, 3.0, (1, 2, 6))
        mule = next((s for s in case.suspects if any(t.to_name == s.name for t in sc.transfers)), None)
        if mule is not None:
            add("documentary_evidence", _at(case.report_at, rng, (3, 12)), [mule], ev.bank_statement, 5.5, (1, 2, 5))
    elif sc.injury:
        add("documentary_evidence", _at(case.crime_at, rng, (0, 1)), [v], ev.diagnosis, 4.0)
    else:
        add("documentary_evidence", _at(case.crime_at, rng, (-700, -30)), [v], ev.receipt, 4.0)
        if rng.random() < 0.4:
            add("documentary_evidence", _at(case.report_at, rng, (1, 8)), [v], ev.bank_statement, 7.0, (1, 1, 3))
    last = case.recommend_at - timedelta(days=3)
    for j in range(rng.randint(1, 3)):
        start = case.suspects[0].events["caught"]
        span = max(1, (last - start).days)
        add("situation_explanation", _at(start, rng, (1, span)), [], pr.simple, 5.0 + 1.5 * j)
    return out


def select(ctx: Ctx, budget: int) -> list[DocOut]:
    """Build documents totalling exactly `budget` pages where the candidates allow it."""
    rng = ctx.rng
    cands = sorted(candidates(ctx), key=lambda c: c.priority)
    chosen: list[tuple[Candidate, DocOut | None]] = []
    shortest: dict[int, int] = {}
    used = 0
    for c in cands:
        if used >= budget:
            break
        if c.flex:
            low = len(c.make(ctx, 1).pages)  # the shortest this document can be
            if used + low <= budget:
                chosen.append((c, None))
                shortest[id(c)] = low
                used += low
        else:
            doc = c.make(ctx, None)
            if used + len(doc.pages) <= budget:
                chosen.append((c, doc))
                used += len(doc.pages)
    # Share the remaining pages among documents of variable length: first up to their preferred
    # length (most important first), then up to their soft maximum, then anything that can grow.
    flex = [c for c, d in chosen if d is None]
    size = {id(c): shortest[id(c)] for c in flex}
    left = budget - used
    for stage in (1, 2):
        for c in flex:
            room = c.flex[stage] - size[id(c)]
            take = max(0, min(room, left))
            size[id(c)] += take
            left -= take
    # Past their soft maxima, only documents that are long in real files keep growing.
    growable = [c for c in flex if c.spec.type in ("interrogation_record", "documentary_evidence",
                                                   "scene_inspection_record")] or flex
    while left > 0 and growable:
        c = rng.choice(growable)
        size[id(c)] += 1
        left -= 1
    docs: list[DocOut] = []
    for c, d in chosen:
        if d is None:
            d = c.make(ctx, size[id(c)])
        docs.append(d)
    return docs


def missing_first_pages(docs: list[DocOut], n: int, rng: random.Random) -> frozenset[int]:
    """Hard split: `n` documents whose first page was lost before scanning, chosen among those of
    two or more pages (fewer if there are not that many), so every document keeps a page."""
    multi = [i for i, d in enumerate(docs) if len(d.pages) >= 2]
    return frozenset(rng.sample(multi, min(n, len(multi))))

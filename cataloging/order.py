"""Put documents in the profile's order and cut volumes.

The rule (taxonomy header): volume, type order, principal person (first appearance in the scan),
date-time, scan position; pages of a document by their printed page number where readable.
A volume longer than the page limit is split into parts (之一, 之二) at document boundaries.
"""

from __future__ import annotations

from cataloging.dossier import Document, Volume
from classification.taxonomy import Taxonomy


def order_pages(doc: Document) -> None:
    """Pages by printed number; an unnumbered page keeps its place after the page scanned before it."""
    numbers = [p.label.page_number[0] if p.label and p.label.page_number else None for p in doc.pages]
    known = [n for n in numbers if n is not None]
    if len(known) < 2 or len(set(known)) != len(known):
        return
    keys, previous = [], (0, 0)
    for n in numbers:
        previous = (n, 0) if n is not None else (previous[0], previous[1] + 1)
        keys.append(previous)
    reordered = [p for _, p in sorted(zip(keys, doc.pages), key=lambda kp: kp[0])]
    if reordered != doc.pages:
        doc.pages = reordered
        doc.flags.append("pages_reordered")


def order_documents(docs: list[Document], taxonomy: Taxonomy) -> list[Document]:
    person_rank: dict[str, int] = {}
    for doc in sorted(docs, key=lambda d: d.first_scan_position):
        if doc.principal and doc.principal not in person_rank:
            person_rank[doc.principal] = len(person_rank)

    def key(doc: Document):
        t = taxonomy.type(doc.type)
        person = -1 if doc.principal is None else person_rank[doc.principal]
        return (taxonomy.volume_rank(t.volume), t.order, person, doc.date or "9999", doc.first_scan_position)

    return sorted(docs, key=key)


def volumes(docs: list[Document], taxonomy: Taxonomy, page_limit: int) -> list[Volume]:
    """Group ordered documents into volumes; split a volume over `page_limit` pages into parts."""
    out: list[Volume] = []
    for spec in taxonomy.volumes:
        members = [d for d in docs if taxonomy.type(d.type).volume == spec.code]
        if not members:
            continue
        parts: list[list[Document]] = [[]]
        count = 0
        for doc in members:
            if parts[-1] and count + len(doc.pages) > page_limit:
                parts.append([])
                count = 0
            parts[-1].append(doc)
            count += len(doc.pages)
        for i, part in enumerate(parts, start=1):
            out.append(Volume(spec.code, spec.label, len(out) + 1, i, len(parts), part))
    return out

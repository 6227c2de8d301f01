"""Group the labelled page stream (scan order, excluded pages removed) into documents.

A page starts a document when classification says so; otherwise it continues the current one.
A printed 第N页 共M页 then repairs what scanning mixed up: a continuation page that landed in the
wrong document moves to the document whose numbering it completes.
"""

from __future__ import annotations

from classification.rules import statement_role
from cataloging.dossier import Document
from ocr.page import Page

STATEMENT_TYPES = {"被害人": "victim_statement", "证人": "witness_statement"}


def segment(pages: list[Page]) -> list[Document]:
    docs: list[Document] = []
    for page in pages:
        label = page.label
        assert label is not None, f"page {page.ref} was not classified"
        current = docs[-1] if docs else None
        if current is None or label.starts_document or _breaks_numbering(current, page):
            docs.append(Document(type=label.type, pages=[page]))
            if not label.starts_document:
                docs[-1].flags.append("uncertain_boundary")
        else:
            current.pages.append(page)
    _rehome_numbered_pages(docs)
    docs = [d for d in docs if d.pages]
    for doc in docs:
        _settle_type(doc)
    return docs


def _series(doc: Document) -> int | None:
    """The 共M页 total of the document's first numbered page."""
    for p in doc.pages:
        if p.label and p.label.page_number and p.label.page_number[1]:
            return p.label.page_number[1]
    return None


def _breaks_numbering(doc: Document, page: Page) -> bool:
    """A continuation page whose 共M页 contradicts the current document's is not part of it."""
    number = page.label.page_number if page.label else None
    series = _series(doc)
    return bool(number and number[1] and series and number[1] != series)


def _rehome_numbered_pages(docs: list[Document]) -> None:
    for i, doc in enumerate(docs):
        for page in list(doc.pages[1:] if doc.pages else []):
            number = page.label.page_number if page.label else None
            head = doc.pages[0].label.page_number if doc.pages[0].label else None
            if not number or not number[1] or (head and head[1] == number[1]):
                continue
            # find the nearest other document numbered 共M页 that lacks page N
            for j in sorted(range(len(docs)), key=lambda j: abs(j - i)):
                other = docs[j]
                other_head = other.pages[0].label.page_number if other.pages[0].label else None
                if j == i or not other_head or other_head[1] != number[1]:
                    continue
                have = {p.label.page_number[0] for p in other.pages if p.label and p.label.page_number}
                if number[0] not in have and len(other.pages) < number[1]:
                    doc.pages.remove(page)
                    other.pages.append(page)
                    break
    # A document that lost its pages to others, or that starts with orphans, is kept as found.


def _settle_type(doc: Document) -> None:
    """The document's type is its first page's title type; statements get victim/witness from text."""
    typed = [p.label.type for p in doc.pages if p.label and p.label.type]
    doc.type = doc.pages[0].label.type or (typed[0] if typed else "situation_explanation")
    if not (doc.pages[0].label and doc.pages[0].label.type):
        doc.flags.append("type_guessed")
    if doc.type in STATEMENT_TYPES.values():
        role = statement_role("\n".join(p.text for p in doc.pages[:2]))
        if role:
            doc.type = STATEMENT_TYPES[role]
        else:
            doc.flags.append("statement_role_unknown")
    doc.confidence = round(min(p.label.confidence for p in doc.pages[:1]) * (0.7 if doc.flags else 1.0), 3)
    for p in doc.pages:
        p.label.type = doc.type

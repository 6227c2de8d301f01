"""Group the labelled page stream (scan order, excluded pages removed) into documents.

A page starts a document when classification says so, unless it prints the next page number of
the document before it; otherwise it continues the current one.
A printed 第N页 共M页 then repairs what scanning mixed up: a continuation page that landed in the
wrong document moves to the document whose numbering it completes.
"""

from __future__ import annotations

import re
from collections import Counter

from classification.rules import closing_words, operative_type, questions_and_answers, record_kind, stated_role, statement_role_from_words
from cataloging.dossier import Document
from cataloging.extract import is_person_name
from ocr.numbering import follows
from ocr.page import Page, compact

# a document whose title matches no cue is most often outside material: a receipt, a contract
FALLBACK_TYPE = "documentary_evidence"
STATEMENT_TYPES = {"被害人": "victim_statement", "证人": "witness_statement"}
INTERROGATION = "interrogation_record"
RECORD_TYPES = {INTERROGATION, *STATEMENT_TYPES.values()}
RECORD_SUFFIXES = ("_record", "_statement")  # the 笔录 of a profile's types: what a record's pages may continue


def segment(pages: list[Page], known_types: list[str]) -> list[Document]:
    """Documents from classified pages in scan order; `known_types`: the profile's type codes,
    in its order."""
    docs: list[Document] = []
    alone = _files_scanned_alone(pages)
    for page in pages:
        label = page.label
        assert label is not None, f"page {page.ref} was not classified"
        current = docs[-1] if docs else None
        continues = _continues_numbering(current, page)
        # a record's header (时间：… 地点：…) stands on its first page only, title torn or not
        starts = (label.starts_document or _record_header(page)) and not continues
        if current is None or starts or _cannot_continue(current, page, continues) or _breaks_numbering(current, page) \
                or _someone_else(current, page) or _sheet_of_another_type(current, page, alone, set(known_types)):
            docs.append(Document(type=label.type, pages=[page]))
            if not label.starts_document:
                docs[-1].flags.append("uncertain_boundary")
        else:
            current.pages.append(page)
    _rehome_numbered_pages(docs)
    docs = [d for d in docs if d.pages]
    _rejoin_record_fragments(docs)
    docs = [d for d in docs if d.pages]
    fallback = FALLBACK_TYPE if FALLBACK_TYPE in known_types else known_types[-1]
    roles = RECORD_TYPES <= set(known_types)
    for doc in docs:
        _settle_type(doc, fallback, roles, set(known_types))
    _rejoin_loose_sheets(docs, fallback, alone)
    return [d for d in docs if d.pages]


def _series(doc: Document) -> int | None:
    """The 共M页 total of the document's first numbered page."""
    for p in doc.pages:
        if p.label and p.label.page_number and p.label.page_number[1]:
            return p.label.page_number[1]
    return None


def _breaks_numbering(doc: Document, page: Page) -> bool:
    """A continuation page whose 共M页 contradicts the current document's, or whose 第N页 it
    already has, is not part of it."""
    number = _number(page)
    if not number:
        return False
    series = _series(doc)
    if number[1] and series and number[1] != series:
        return True
    return number[0] in {n[0] for n in map(_number, doc.pages) if n}


def _cannot_continue(doc: Document, page: Page, numbered: bool) -> bool:
    """Pages that are not of the document before, whatever their label: 问/答 or a record's
    closing words after an instrument or form, or after a record that has ended (a record of
    another scan, or one whose first page is missing); questions after a 笔录 that asks none (a
    电子数据提取笔录, a 辨认笔录); a statement's page after an interrogation, or the other way
    round (被询问人 / 被讯问人 at its foot). A page printed as the next of the document (`numbered`)
    is refused only by a record of another kind: an expert opinion may quote an examination as
    问/答, but a 辨认笔录 and an interview each number their own pages 1, 2."""
    if not _record_page(page):
        return False
    last, head = doc.pages[-1], doc.pages[0]
    record = doc.type.endswith(RECORD_SUFFIXES) if doc.type else _record_page(head)
    interview = doc.type in RECORD_TYPES if doc.type else _interview_page(head)
    kind = record_kind(page.text)
    other_kind = bool(kind and doc.type in RECORD_TYPES and (kind[0] == "interrogation") != (doc.type == INTERROGATION))
    another_record = record and ((_interview_page(page) and not interview) or other_kind)
    return another_record or (not numbered and (not record or _closes_record(last)))


def _interview_page(page: Page) -> bool:
    """A page of an interview (讯问/询问笔录): 问/答, or its header fields and warning."""
    return questions_and_answers(page) or record_kind(page.text) is not None


def _continues_numbering(doc: Document | None, page: Page) -> bool:
    """A page printed 第N页 (N > 1) right after its document's page printed N-1 (same 共M页)
    continues it, whatever a model read into its content."""
    return bool(doc) and follows(_number(doc.pages[-1]), _number(page))


def _fits(head: tuple[int, int | None] | None, number: tuple[int, int | None]) -> bool:
    """Whether a page numbered `number` can belong to a document whose first page is `head`."""
    return bool(head) and (number[1] is None or head[1] is None or head[1] == number[1])


def _rehome_numbered_pages(docs: list[Document]) -> None:
    for i, doc in enumerate(docs):
        # split off by _breaks_numbering, or started at a 第N页 (N > 1): page 1 may be next door
        first = _number(doc.pages[0])
        orphan = not doc.pages[0].label.starts_document or bool(first and first[0] > 1)
        for k, page in enumerate(list(doc.pages)):
            if not any(p is page for p in doc.pages):  # moved with its run
                continue
            number = _number(page)
            # an appendix heading that names another document's title (混杂辨认照片 of a 辨认笔录,
            # after an interview whose numbering it happens to continue) overrules the numbering
            heading = compact(page.lines[0].text) if page.lines else ""
            named = lambda j: bool(docs[j].pages) and _title_word(docs[j].pages[0]) in heading  # noqa: E731
            appendix = bool(page.label) and any(r.startswith("appendix ") for r in page.label.reasons)
            elsewhere = appendix and k > 0 and not named(i) and any(named(j) for j in range(len(docs)) if j != i)
            if not number or number[0] < 2 or (k == 0 and not orphan) or (k > 0 and _fits(_number(doc.pages[0]), number) and not elsewhere):
                continue
            # a neighbour (pages fed out of order stay near each other) that starts at page 1 of
            # the same series and lacks page N; the nearest anywhere for the first page of a file
            # (files are read in name order, which need not be the order they were scanned in),
            # a document the heading names first
            opens_file = elsewhere or (page.ref.page == 1 and (k == 0 or doc.pages[k - 1].ref.file != page.ref.file))
            for j in sorted(range(len(docs)), key=lambda j: (not named(j), abs(j - i), j < i)) if opens_file else (i + 1, i - 1):
                if j == i or not 0 <= j < len(docs):
                    continue
                other = docs[j]
                head = _number(other.pages[0]) if other.pages else None
                # far off, only a series both pages print in full (第2页 共3页 after 第1页 共3页)
                if not head or head[0] != 1 or not _fits(head, number) or (abs(j - i) > 1 and not (head[1] and head[1] == number[1])):
                    continue
                if other.type and other.type not in RECORD_TYPES and _interview_page(page):  # questions belong to an interview
                    continue
                if _someone_else(other, page):
                    continue
                have = {n[0] for n in map(_number, other.pages) if n}
                if number[0] not in have and (number[1] is None or len(other.pages) < number[1]):
                    # an orphan run (第2页, 第3页 scanned ahead of 第1页) moves as a whole
                    run = [p for p in doc.pages if (n := _number(p)) and _fits(head, n) and n[0] not in have] if k == 0 else [page]
                    for moved in run:
                        doc.pages.remove(moved)
                        other.pages.append(moved)
                    break


def _title_word(head: Page) -> str:
    """The first two characters of a document's title (辨认 of 辨认笔录), where a title was read."""
    title = next((r[len("title "):] for r in head.label.reasons if r.startswith("title ")), "") if head.label else ""
    return title[:2] if len(title) >= 2 else "\0"


def _closes_record(page: Page) -> bool:
    """Whether the page carries the closing words the person questioned signs under (not the
    officer's question about them: 问：以上笔录你看一下……)."""
    return any(closing_words(compact(line.text)) for line in page.lines)


def _record_page(page: Page) -> bool:
    """A page only a 笔录 has: 问/答, or the closing words."""
    return questions_and_answers(page) or _closes_record(page)


_HEADER_FIELD = re.compile(r"^(?:时间|地点)[:：]")


def _record_header(page: Page) -> bool:
    """Whether a page opens with a record's header (时间：… 地点：…): a first page, title or not."""
    return sum(1 for line in page.lines[:8] if _HEADER_FIELD.match(compact(line.text))) >= 2


def _rejoin_record_fragments(docs: list[Document]) -> None:
    """Record pages (问/答, closing words) that began a document only because they follow another
    kind (no title, no printed 第1页, no header) are pages of a 笔录 scanned elsewhere: they go to
    the nearest record that has not ended yet, one whose last page lacks the closing words and
    whose printed numbering is not complete."""
    def open_record(doc: Document, fragment: Document) -> bool:
        numbers = {n for n in map(_number, doc.pages) if n}
        clash = any(n and (n in numbers or any(n[1] and m[1] and n[1] != m[1] for m in numbers)) for n in map(_number, fragment.pages))
        total = next((n[1] for n in numbers if n[1]), None)
        complete = total is not None and {n[0] for n in numbers} >= set(range(1, total + 1))
        return (doc.type in RECORD_TYPES and not clash and not complete and not _closes_record(doc.pages[-1])
                and not any(_someone_else(doc, p) for p in fragment.pages) and not _other_kind(doc, fragment))

    for i, doc in enumerate(docs):
        if not doc.pages:
            continue
        head = doc.pages[0]
        if head.label.starts_document or (head.label.page_number or (0,))[0] == 1 or not _record_page(head) or _record_header(head):
            continue
        near = sorted((j for j, other in enumerate(docs) if j != i and other.pages and open_record(other, doc)), key=lambda j: abs(j - i))
        if near:
            docs[near[0]].pages.extend(doc.pages)
            doc.pages.clear()


# the person heard, in a record's header (被询问人：刘某 性别…) or signing at the foot of a page
_HEARD = re.compile(r"^被[询讯]问人[:：_]*([\u4e00-\u9fa5]{2,4}?)(?=性别|[，,。:：（(]|$)")


def _heard(page: Page) -> str | None:
    for line in page.lines:
        if (m := _HEARD.match(compact(line.text))) and is_person_name(m.group(1)):
            return m.group(1)
    return None


def _other_kind(doc: Document, fragment: Document) -> bool:
    """Whether a record's pages say they are an interrogation (讯问人, 被讯问人) where the
    document is a statement, or the other way round."""
    kind = record_kind("\n".join(p.text for p in fragment.pages))
    return bool(kind) and (kind[0] == "interrogation") != (doc.type == INTERROGATION)


def _someone_else(doc: Document, page: Page) -> bool:
    """Whether a record page is signed by another person than the one its document's first page
    hears: two interviews fed in reverse (第2页 before 第1页) must not swap their second pages.
    Handwritten signatures read badly, so only two names without a character in common differ."""
    theirs, mine = _heard(doc.pages[0]), _heard(page)
    return bool(theirs and mine) and not set(theirs) & set(mine)


def _files_scanned_alone(pages: list[Page]) -> set[int]:
    """The files holding one page, a sheet scanned on its own, in a case whose other files hold
    several: a scanner that writes a file per sheet (most files of one page) says nothing so."""
    sheets = Counter(p.ref.file for p in pages)
    single = {f for f, n in sheets.items() if n == 1}
    return set() if len(single) > 3 and len(single) >= 0.8 * len(sheets) else single


def _sheet_of_another_type(doc: Document, page: Page, alone: set[int], known: set[str]) -> bool:
    """A sheet in a file of its own whose operative sentence names another type than the document
    before it (the last of another file) is not that document's next page, but a page scanned on
    its own: `_rejoin_loose_sheets` takes it to its document."""
    if page.ref.file not in alone or doc.pages[-1].ref.file == page.ref.file:
        return False
    words = operative_type(page, known)
    return words is not None and words != (doc.type or doc.pages[0].label.type)


def _rejoin_loose_sheets(docs: list[Document], fallback: str, alone: set[int]) -> None:
    """A sheet in a file of its own (scanned again later: 补扫.jpg) that starts nothing where it
    stands (no title, header or 第1页; typed by its words) is a page of the nearest document of
    its type whose first page does start one: the closing page of a 起诉意见书 read ahead of its
    file. Untyped sheets (outside material) and a scanner that writes a file per sheet are left
    as they are."""
    for i, doc in enumerate(docs):
        loose = len(doc.pages) == 1 and doc.pages[0].ref.file in alone and "uncertain_boundary" in doc.flags
        if not loose or doc.type == fallback or doc.type in RECORD_TYPES:
            continue
        near = sorted((j for j, other in enumerate(docs) if j != i and other.pages and other.type == doc.type
                       and other.pages[0].label.starts_document), key=lambda j: abs(j - i))
        if near:
            docs[near[0]].pages.extend(doc.pages)
            doc.pages.clear()


def _number(page: Page) -> tuple[int, int | None] | None:
    return page.label.page_number if page.label else None


def _settle_type(doc: Document, fallback: str, roles: bool, known: set[str]) -> None:
    """The document's type is its first page's title type. A record's own pages then say whose
    record it is: the header fields and warning tell an interrogation from a statement (their
    titles differ by one character), and a statement names its person's role (title qualifier,
    header field, warning sentence); what they say beats any inference."""
    typed = [p.label.type for p in doc.pages if p.label and p.label.type]
    doc.type = doc.pages[0].label.type or (typed[0] if typed else "")
    if not doc.type and roles and _record_page(doc.pages[0]):
        doc.type = INTERROGATION  # a record without its title; its header and warning say whose below
        doc.pages[0].label.reasons.append("问/答 or a record's closing words: a 笔录")
    if not doc.type and (operative := operative_type(doc.pages[0], known)):
        doc.type = operative
        doc.pages[0].label.reasons.append(f"the operative sentence of {operative}")
    if not (doc.pages[0].label and doc.pages[0].label.type):
        doc.flags.append("type_guessed")
    doc.type = doc.type or fallback
    if roles and doc.type in RECORD_TYPES:
        text = "\n".join(p.text for p in doc.pages[:2])  # a header and warning stand at the start
        kind = record_kind(text)
        if kind and (kind[0] == "interrogation") != (doc.type == INTERROGATION):
            doc.type = INTERROGATION if kind[0] == "interrogation" else STATEMENT_TYPES["证人"]
            doc.pages[0].label.reasons.append(f"header fields and warning of {'an interrogation' if kind[0] == 'interrogation' else 'a statement'} ({kind[1]} marks)")
        if doc.type in STATEMENT_TYPES.values():
            role = stated_role(text)
            if role:
                doc.type = STATEMENT_TYPES[role[0]]
                doc.pages[0].label.reasons.append(f"{role[0]} stated by the record's {role[1]}")
            else:
                doc.flags.append("statement_role_unknown")  # settle_statement_roles decides later
    doc.confidence = round(doc.pages[0].label.confidence * (0.7 if doc.flags else 1.0), 3)
    if doc.confidence < 0.6:
        doc.flags.append("low_confidence")
    for p in doc.pages:
        p.label.type = doc.type


def settle_statement_roles(docs: list[Document], case_text: str) -> None:
    """Victim or witness for statements that don't say so themselves (a second interview rarely
    repeats it): the role the same person has in another statement, else how the whole case file
    names them (被害人刘某 / 证人刘某), else what they say (报案 / 看到), else witness, the more
    common role."""
    known: dict[str, str] = {}
    for doc in docs:
        if doc.type in STATEMENT_TYPES.values() and "statement_role_unknown" not in doc.flags and doc.principal:
            known.setdefault(doc.principal, doc.type)
    text = re.sub(r"\s+", "", case_text)
    for doc in docs:
        if "statement_role_unknown" not in doc.flags:
            continue
        doc.flags[doc.flags.index("statement_role_unknown")] = "statement_role_inferred"
        name = doc.principal
        role = known.get(name) if name else None
        if role is None and name:
            victim = text.count(f"被害人{name}")
            witness = text.count(f"证人{name}")
            role = STATEMENT_TYPES["被害人"] if victim > witness else STATEMENT_TYPES["证人"] if witness else None
        if role is None:
            words = statement_role_from_words("\n".join(p.text for p in doc.pages))
            role = STATEMENT_TYPES[words] if words else None
        doc.type = role or STATEMENT_TYPES["证人"]
        for p in doc.pages:
            p.label.type = doc.type

"""A clerk's corrections of a compiled dossier, kept as events.

`Structure` is what a clerk can change: the documents in their order (type, 题名, 文号, 责任者,
date, persons, pages), the excluded pages with their reasons, turns of single pages, what the
cover says of the case (案件编号, 案件名称, 立卷单位, 立卷人), the quality checks' findings a
clerk dismissed, with why, and the review queue's items a clerk confirmed as decided right. It is
made from the compiled catalog; each correction is an event (who, when, what, and the documents
before and after) applied to it. The history is the list of events, so every version can be made
again: the compiled structure with the first N events applied. Undo and redo are events too.

Every event keeps each source page exactly once, in one document or excluded; one that would not
is refused with `CorrectionError`.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

CORRECTIONS = "corrections.json"  # a reviewed dossier's every saved correction, signed with it
EDITABLE = ("title", "doc_number", "author", "date", "persons")
CASE_EDITABLE = ("case_number", "title", "compiled_unit", "compiled_by")  # the cover's: 案件编号, 案件名称, 立卷单位, 立卷人
REASONS = ("blank", "duplicate")
OPS = ("set_type", "split", "merge", "move_page", "move_document", "exclude", "restore", "rotate", "edit", "edit_case", "dismiss_finding",
       "confirm", "undo", "redo")
# what a review queue item is about: a document (by its id), a page in a document or an excluded page (by its key)
CONFIRMABLE = {"document": "doc", "page": "page", "excluded": "page"}


class CorrectionError(ValueError):
    """A correction that cannot apply: it names what is wrong."""


def page_key(source: dict) -> str:
    """A source page as "file:page", the way the review page and the events name it."""
    return f"{source['file']}:{source['page']}"


def source_of(key: str) -> dict:
    file, page = key.split(":")
    return {"file": int(file), "page": int(page)}


def finding_id(rule: str, message: str, pages: list[str]) -> tuple:
    """What names a finding across rebuilds: its rule, its message and its pages ("file:page").
    The same defect found again after a save is the same finding; changed (another title, other
    pages), it is a new one that no dismissal covers."""
    return rule, message, tuple(sorted(pages))


def catalog_finding_id(finding: dict) -> tuple:
    """`finding_id` of a finding as catalog.json holds it."""
    return finding_id(finding["rule"], finding["message"], [page_key(p) for p in finding.get("pages", [])])


@dataclass
class DocumentEntry:
    id: str  # stable across corrections: "d3", or "d3.2" for the part split off d3
    type: str
    pages: list[str]
    title: str | None = None
    doc_number: str | None = None
    author: str | None = None
    date: str | None = None
    persons: list[str] = field(default_factory=list)


@dataclass
class Structure:
    documents: list[DocumentEntry]
    excluded: dict[str, str]  # page key -> reason (blank, duplicate, unreadable)
    turns: dict[str, int] = field(default_factory=dict)  # page key -> degrees clockwise a clerk turned it
    case: dict[str, str | None] = field(default_factory=dict)  # CASE_EDITABLE field -> value, those the catalog or a clerk set
    # findings a clerk dismissed: {rule, message, pages, reason, by, at}, matched by `finding_id`
    dismissed: list[dict] = field(default_factory=list)
    # queue items a clerk confirmed as decided right: {kind, doc or page, by, at}
    confirmed: list[dict] = field(default_factory=list)

    @classmethod
    def from_catalog(cls, catalog: dict, labels: dict[str, str] | None = None) -> Structure:
        """`labels`: the type labels; a title that is only its type's label is left unset, so that
        it follows when a clerk changes the type."""
        labels = labels or {}
        docs = [
            DocumentEntry(f"d{d['seq']}", d["type"], [page_key(p["source"]) for p in d["pages"]],
                          None if d.get("title") == labels.get(d["type"]) else d.get("title"),
                          d.get("doc_number"), d.get("author"), d.get("date"), list(d.get("persons") or []))
            for d in catalog["documents"]
        ]
        excluded = {page_key(e["source"]): e["reason"] for e in catalog["excluded"]}
        case = {k: v for k, v in (catalog.get("case") or {}).items() if k in CASE_EDITABLE}
        dismissed = [{"rule": f["rule"], "message": f["message"], "pages": [page_key(p) for p in f.get("pages", [])], **f["details"]["dismissed"]}
                     for f in catalog.get("checks", []) if (f.get("details") or {}).get("dismissed")]
        confirmed = copy.deepcopy((catalog.get("review") or {}).get("confirmed", []))  # kept by the last save
        return cls(docs, excluded, {}, case, dismissed, confirmed)

    def to_json(self) -> dict:
        return {"documents": [asdict(d) for d in self.documents], "excluded": dict(self.excluded), "turns": dict(self.turns),
                "case": dict(self.case), "dismissed": copy.deepcopy(self.dismissed), "confirmed": copy.deepcopy(self.confirmed)}

    @classmethod
    def from_json(cls, data: dict) -> Structure:
        return cls([DocumentEntry(**d) for d in data["documents"]], dict(data["excluded"]), dict(data.get("turns", {})),
                   dict(data.get("case", {})), copy.deepcopy(data.get("dismissed", [])), copy.deepcopy(data.get("confirmed", [])))

    def confirmation(self, kind: str, target: str) -> dict | None:
        """The clerk's confirmation of a queue item (a document's id, or a page's key): {by, at}, or None."""
        for c in self.confirmed:
            if c["kind"] == kind and c[CONFIRMABLE[kind]] == target:
                return {"by": c["by"], "at": c["at"]}
        return None

    def confirms(self, item: dict) -> bool:
        """Whether a confirmation still means what it was given for: its document is there, its
        page still in a document, or still excluded (one restored and excluded again is doubtful anew)."""
        if item["kind"] == "document":
            return any(d.id == item["doc"] for d in self.documents)
        held = any(item["page"] in d.pages for d in self.documents)
        return held if item["kind"] == "page" else item["page"] in self.excluded

    def dismissal(self, finding: dict) -> dict | None:
        """The clerk's dismissal of a catalog finding: {by, reason, at}, or None."""
        wanted = catalog_finding_id(finding)
        for d in self.dismissed:
            if finding_id(d["rule"], d["message"], d["pages"]) == wanted:
                return {"by": d["by"], "reason": d["reason"], "at": d["at"]}
        return None

    def all_pages(self) -> list[str]:
        return [p for d in self.documents for p in d.pages] + list(self.excluded)

    def document(self, doc_id: str) -> DocumentEntry:
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        raise CorrectionError(f"no document {doc_id}")

    def holder(self, page: str) -> DocumentEntry | None:
        for doc in self.documents:
            if page in doc.pages:
                return doc
        if page in self.excluded:
            return None
        raise CorrectionError(f"no source page {page}")


def apply(structure: Structure, op: str, args: dict, types: set[str], by: str = "", at: str = "") -> Structure:
    """A new structure with one correction applied; `types` are the profile's type codes, `by`
    and `at` who made it and when (a dismissal keeps them)."""
    s = copy.deepcopy(structure)
    before = sorted(s.all_pages())
    if op == "set_type":
        if args["type"] not in types:
            raise CorrectionError(f"unknown document type {args['type']}")
        s.document(args["doc"]).type = args["type"]
    elif op == "split":
        doc = s.document(args["doc"])
        if args["page"] not in doc.pages or doc.pages.index(args["page"]) == 0:
            raise CorrectionError(f"page {args['page']} is not inside document {doc.id}: nothing to split")
        at = doc.pages.index(args["page"])
        part = DocumentEntry(_new_id(s, doc.id), doc.type, doc.pages[at:])
        doc.pages = doc.pages[:at]
        s.documents.insert(s.documents.index(doc) + 1, part)
    elif op == "merge":
        doc = s.document(args["doc"])
        i = s.documents.index(doc)
        if i == 0:
            raise CorrectionError(f"document {doc.id} is the first: there is none before it to merge with")
        s.documents[i - 1].pages += doc.pages
        del s.documents[i]
    elif op == "move_page":
        page, target = args["page"], s.document(args["to_doc"])
        source = s.holder(page)
        if source is None:
            raise CorrectionError(f"page {page} is excluded: restore it instead")
        source.pages.remove(page)
        target.pages.insert(_index(args.get("index"), len(target.pages)), page)
        if not source.pages:
            s.documents.remove(source)
    elif op == "move_document":
        doc = s.document(args["doc"])
        s.documents.remove(doc)
        s.documents.insert(_index(args.get("index"), len(s.documents)), doc)
    elif op == "exclude":
        if args["reason"] not in REASONS:
            raise CorrectionError(f"a page can be marked {' or '.join(REASONS)}, not {args['reason']}")
        source = s.holder(args["page"])
        if source is None:
            s.excluded[args["page"]] = args["reason"]
        else:
            source.pages.remove(args["page"])
            s.excluded[args["page"]] = args["reason"]
            if not source.pages:
                s.documents.remove(source)
    elif op == "restore":
        if args["page"] not in s.excluded:
            raise CorrectionError(f"page {args['page']} is not excluded")
        del s.excluded[args["page"]]
        if args.get("to_doc"):
            target = s.document(args["to_doc"])
            target.pages.insert(_index(args.get("index"), len(target.pages)), args["page"])
        else:  # a document of its own, of the type given, after the document named (or first)
            if args.get("type") not in types:
                raise CorrectionError("a restored page needs a document to go into, or the type of a new one")
            after = s.documents.index(s.document(args["after"])) + 1 if args.get("after") else 0
            s.documents.insert(after, DocumentEntry(_new_id(s, "r"), args["type"], [args["page"]]))
    elif op == "rotate":
        s.holder(args["page"])
        turn = (s.turns.get(args["page"], 0) + int(args["degrees"])) % 360
        if turn % 90:
            raise CorrectionError("pages turn by quarter turns")
        s.turns[args["page"]] = turn
        if not turn:
            del s.turns[args["page"]]
    elif op == "edit":
        if args["field"] not in EDITABLE:
            raise CorrectionError(f"{args['field']} cannot be edited; these can: {', '.join(EDITABLE)}")
        value = args["value"]
        if args["field"] == "persons":
            value = [p.strip() for p in (value if isinstance(value, list) else str(value).replace("，", ",").split(",")) if p.strip()]
        else:
            value = (str(value).strip() or None) if value is not None else None
        setattr(s.document(args["doc"]), args["field"], value)
    elif op == "edit_case":
        if args["field"] not in CASE_EDITABLE:
            raise CorrectionError(f"{args['field']} cannot be edited; these can: {', '.join(CASE_EDITABLE)}")
        s.case[args["field"]] = str(args["value"] or "").strip() or None  # cleared: a blank line on the cover
    elif op == "dismiss_finding":
        reason = str(args.get("reason") or "").strip()
        if not reason:
            raise CorrectionError("a finding is dismissed with a reason")
        pages = [str(p) for p in args.get("pages", [])]
        if any(finding_id(d["rule"], d["message"], d["pages"]) == finding_id(args["rule"], args["message"], pages) for d in s.dismissed):
            raise CorrectionError("this finding is dismissed already")
        s.dismissed.append({"rule": args["rule"], "message": args["message"], "pages": pages, "reason": reason, "by": by, "at": at})
    elif op == "confirm":
        kind = args.get("kind")
        if kind not in CONFIRMABLE:
            raise CorrectionError(f"a queue item is one of {', '.join(CONFIRMABLE)}, not {kind}")
        target = str(args.get(CONFIRMABLE[kind]))
        item = {"kind": kind, CONFIRMABLE[kind]: target}
        if not s.confirms(item):
            raise CorrectionError(f"no {kind} {target} to confirm")
        if s.confirmation(kind, target):
            raise CorrectionError("this item is confirmed already")
        s.confirmed.append({**item, "by": by, "at": at})
    else:
        raise CorrectionError(f"unknown correction {op}")
    s.confirmed = [c for c in s.confirmed if s.confirms(c)]  # a confirmation goes with what it confirmed
    if sorted(s.all_pages()) != before:  # the invariant every event keeps
        raise CorrectionError(f"{op} would lose or double a page")
    return s


def _index(value: Any, length: int) -> int:
    return length if value is None else max(0, min(int(value), length))


def _new_id(s: Structure, base: str) -> str:
    ids = {d.id for d in s.documents}
    n = 2
    while f"{base}.{n}" in ids:
        n += 1
    return f"{base}.{n}"


@dataclass
class History:
    """The compiled structure and the events since; `current` replays them."""

    compiled: Structure
    events: list[dict] = field(default_factory=list)

    def replay(self, upto: int | None = None) -> tuple[Structure, list[int], list[int]]:
        """The structure after the first `upto` events, the corrections in force (their seqs) and
        those that undo took back and redo may bring again."""
        done: list[tuple[int, Structure]] = []  # (seq, the structure before it)
        undone: list[tuple[int, dict]] = []
        s = self.compiled
        for event in self.events[:upto]:
            if event["op"] == "undo":
                seq, s = done.pop()
                undone.append((seq, next(e for e in self.events if e["seq"] == seq)))
            elif event["op"] == "redo":
                seq, again = undone.pop()
                done.append((seq, s))
                s = Structure.from_json(again["after_structure"])
            else:
                done.append((event["seq"], s))
                s = Structure.from_json(event["after_structure"])
                undone.clear()
        return s, [seq for seq, _ in done], [seq for seq, _ in undone]

    @property
    def current(self) -> Structure:
        return self.replay()[0]

    def record(self, op: str, args: dict, who: str, types: set[str]) -> dict:
        """Apply a correction (or undo, redo) and keep it as an event."""
        now, in_force, undone = self.replay()
        if op == "undo" and not in_force:
            raise CorrectionError("nothing to undo")
        if op == "redo" and not undone:
            raise CorrectionError("nothing to redo")
        event: dict[str, Any] = {"seq": len(self.events) + 1, "who": who, "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                 "op": op, "args": args}
        if op not in ("undo", "redo"):
            after = apply(now, op, args, types, who, event["when"])
            event["before"], event["after"] = _changed(now, after), _changed(after, now)
            event["after_structure"] = after.to_json()
        self.events.append(event)
        return event


def _changed(a: Structure, b: Structure) -> dict:
    """What of `a` differs from `b`: its documents that are not the same there, its exclusions
    and turns that differ."""
    other = {d.id: asdict(d) for d in b.documents}
    return {
        "documents": [asdict(d) for d in a.documents if other.get(d.id) != asdict(d)],
        "excluded": {k: v for k, v in a.excluded.items() if b.excluded.get(k) != v},
        "turns": {k: v for k, v in a.turns.items() if b.turns.get(k) != v},
        "case": {k: v for k, v in a.case.items() if b.case.get(k) != v},
        "dismissed": [d for d in a.dismissed if d not in b.dismissed],
        "confirmed": [c for c in a.confirmed if c not in b.confirmed],
    }

"""Case elements (要素回填): the case's key facts for the platform's forms, each with the pages it
was read from.

- `parties`: one entry per person, from what the file prints about them: a record's header (被讯问人
  / 被询问人 with 性别, 出生日期, 身份证件号码, 现住址, 联系方式), the person paragraphs of an
  起诉意见书 or 提请批准逮捕书 (犯罪嫌疑人X，男，…出生，公民身份号码…), a 常住人口信息表. A
  person's role is the kind of record they were questioned in, else how the instrument names them.
  Entries merge across documents by ID number, or by name (one OCR slip allowed) where the ID
  numbers do not disagree.
- `dates`: the procedural dates, each the date of the document that made it (the 立案决定书's
  date is the day the case was filed).
- `crime` (案由) and `organ`: what most documents say.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from cataloging.dossier import Document
from cataloging.extract import NAME_FIELDS, find_dates, is_person_name
from ocr.page import PageRef, compact

# GB 11643: six digits of place, the birth date, three of sequence, a check character
ID_NUMBER = re.compile(r"(?<![0-9])([1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx])(?![0-9])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
PHONE = re.compile(r"(?<![0-9])(1[3-9]\d{9})(?![0-9])")
_GENDER = re.compile(r"性别[:：]?([男女])|[，,（(]([男女])[，,）)]")
# a field's value runs to the next field's label or the end of its line
_ADDRESS = re.compile(r"(?:现住址|现住|住址|家庭住址)[:：]?(.{4,60}?)(?=联系方式|联系电话|电话|户籍|身份证|工作单位|[，,。；;]|\n|$)")
_BIRTH = (re.compile(r"出生(?:日期|年月日)[:：]?(.{6,16})"), re.compile(r"[，,](.{6,14}?)出生[，,]"))  # a field, or prose
# the person paragraph of an instrument: 犯罪嫌疑人傅亮，男，2003年12月2日出生，公民身份号码…
_PERSON_PARAGRAPH = re.compile(r"犯罪嫌疑人([\u4e00-\u9fa5]{2,4}?)[，,（(](?:性别)?[男女]")
CRIME = re.compile(r"涉嫌([\u4e00-\u9fa5]{2,12}?罪)")

ROLE_OF_RECORD = {"interrogation_record": "suspect", "victim_statement": "victim", "witness_statement": "witness"}
# the types whose date is a procedural date of the case
DATE_OF_TYPE = {
    "case_acceptance_form": "accepted",
    "case_filing_decision": "filed",
    "detention_warrant": "detained",
    "arrest_request": "arrest_requested",
    "arrest_approval": "arrest_approved",
    "prosecution_recommendation": "transferred_for_prosecution",
}
_REPORTED = re.compile(r"(?:报案|接报|报警)(?:时间|日期)[:：]?(.{6,24})")


def id_number_valid(number: str) -> bool:
    """The GB 11643 check character agrees with the other seventeen digits."""
    if not re.fullmatch(r"\d{17}[\dXx]", number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    return "10X98765432"[total % 11] == number[17].upper()


def id_birth_date(number: str) -> str:
    return f"{number[6:10]}-{number[10:12]}-{number[12:14]}"


def id_gender(number: str) -> str:
    """The 17th digit: odd for men."""
    return "男" if int(number[16]) % 2 else "女"


@dataclass
class Mention:
    """What one document prints about one person."""

    name: str
    role: str | None
    seq: int
    page: PageRef
    id_number: str | None = None
    gender: str | None = None
    birth_date: str | None = None
    address: str | None = None
    phone: str | None = None


@dataclass
class Party:
    name: str
    role: str | None
    mentions: list[Mention] = field(default_factory=list)

    def value(self, attribute: str) -> str | None:
        """The value most mentions give (a valid ID number before an invalid reading of it)."""
        values = Counter(v for m in self.mentions if (v := getattr(m, attribute)))
        if attribute == "id_number":
            valid = Counter({v: n for v, n in values.items() if id_number_valid(v)})
            values = valid or values
        return values.most_common(1)[0][0] if values else None

    @property
    def id_numbers(self) -> set[str]:
        return {m.id_number for m in self.mentions if m.id_number}

    def to_json(self) -> dict:
        return {
            "name": self.name, "role": self.role or "suspect",
            **{a: self.value(a) for a in ("id_number", "gender", "birth_date", "address", "phone")},
            "documents": sorted({m.seq for m in self.mentions}),
            "sources": [{"file": r.file, "page": r.page} for r in sorted({m.page for m in self.mentions})],
        }


@dataclass
class CaseElements:
    crime: str | None
    organ: str | None
    dates: dict[str, tuple[str, PageRef]]
    parties: list[Party]

    def to_json(self) -> dict:
        return {
            "crime": self.crime,
            "organ": self.organ,
            "dates": {k: {"date": d, "sources": [{"file": r.file, "page": r.page}]} for k, (d, r) in self.dates.items()},
            "parties": [p.to_json() for p in self.parties if p.role],
        }


def case_elements(documents: list[Document]) -> CaseElements:
    """The case's elements from its documents in dossier order (seq = position + 1)."""
    mentions = [m for seq, doc in enumerate(documents, 1) for m in _mentions(doc, seq)]
    return CaseElements(_crime(documents), _organ(documents), _dates(documents), merge_parties(mentions))


def _mentions(doc: Document, seq: int) -> list[Mention]:
    first = doc.pages[0]
    text = "\n".join(compact(line.text) for line in first.lines)
    if doc.type in ROLE_OF_RECORD:
        header = _header(text)
        name = next((m.group(1) for m in NAME_FIELDS.finditer(header) if is_person_name(m.group(1))), None)
        return [_described(Mention(name, ROLE_OF_RECORD[doc.type], seq, first.ref), header)] if name else []
    if doc.type == "household_registration":
        name = next((m.group(1) for m in NAME_FIELDS.finditer(text) if is_person_name(m.group(1))), None)
        return [_described(Mention(name, None, seq, first.ref), text)] if name else []
    found = []
    for page in doc.pages:
        body = "".join(compact(line.text) for line in page.lines)
        starts = list(_PERSON_PARAGRAPH.finditer(body))
        for i, m in enumerate(starts):  # each paragraph runs to the next person's
            end = starts[i + 1].start() if i + 1 < len(starts) else min(len(body), m.end() + 200)
            found.append(_described(Mention(m.group(1), "suspect", seq, page.ref), body[m.start():end]))
    return found


def _header(text: str) -> str:
    """A record's header: the lines above its first question."""
    lines = text.split("\n")
    asked = next((i for i, line in enumerate(lines) if re.match(r"^问[:：]", line)), min(len(lines), 16))
    return "\n".join(lines[:asked])


def _described(mention: Mention, text: str) -> Mention:
    flat = text.replace("\n", "")
    if m := ID_NUMBER.search(flat):
        mention.id_number = m.group(1).upper()
    if m := _GENDER.search(flat):
        mention.gender = m.group(1) or m.group(2)
    if m := next(filter(None, (pattern.search(flat) for pattern in _BIRTH)), None):
        dates = find_dates(m.group(1))
        mention.birth_date = dates[0][:10] if dates else None
    if m := _ADDRESS.search(text):
        mention.address = re.sub(r"(?:联系方?式?|联|电话?)$", "", m.group(1))  # a label broken over two lines
    if m := PHONE.search(flat.replace(mention.id_number or "\0", "")):
        mention.phone = m.group(1)
    return mention


def merge_parties(mentions: list[Mention]) -> list[Party]:
    """One party per person: the same ID number, or the same name (one slip allowed) where the
    ID numbers do not disagree. Records come first, so a person's role is the record's."""
    parties: list[Party] = []
    for mention in sorted(mentions, key=lambda m: m.role is None):
        same = next((p for p in parties if _same_person(p, mention)), None)
        if same is None:
            parties.append(same := Party(mention.name, mention.role))
        same.mentions.append(mention)
        same.role = same.role or mention.role
    for party in parties:
        party.name = Counter(m.name for m in party.mentions).most_common(1)[0][0]
        party.role = party.role or "suspect"  # a 常住人口信息表 no record names: the file is about a suspect
    return parties


def _same_person(party: Party, mention: Mention) -> bool:
    ids, names = party.id_numbers, {m.name for m in party.mentions}
    if mention.id_number and mention.id_number in ids:
        return True
    near = lambda a, b: len(a) == len(b) and Levenshtein.distance(a, b) <= 1  # noqa: E731  one OCR slip
    if mention.id_number and ids:  # two readings of one number, or two people of one name
        return any(near(mention.id_number, i) for i in ids) and any(near(mention.name, n) for n in names)
    return mention.name in names


def _dates(documents: list[Document]) -> dict[str, tuple[str, PageRef]]:
    dates: dict[str, tuple[str, PageRef]] = {}
    for doc in documents:
        key = DATE_OF_TYPE.get(doc.type)
        if key and doc.date and (key not in dates or doc.date[:10] < dates[key][0]):  # the first of several
            dates[key] = (doc.date[:10], doc.pages[-1].ref)
        if doc.type == "case_acceptance_form":
            text = "".join(compact(line.text) for line in doc.pages[0].lines)
            if (m := _REPORTED.search(text)) and (found := find_dates(m.group(1))):
                dates["reported"] = (found[0][:10], doc.pages[0].ref)
    return dates


def _crime(documents: list[Document]) -> str | None:
    crimes = Counter(m.group(1) for doc in documents for page in doc.pages for m in CRIME.finditer(compact(page.text)))
    return crimes.most_common(1)[0][0] if crimes else None


def _organ(documents: list[Document]) -> str | None:
    authors = Counter(doc.author for doc in documents if doc.author and "公安" in doc.author)
    return authors.most_common(1)[0][0] if authors else None


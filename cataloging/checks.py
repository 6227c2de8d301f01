"""Quality checks (卷宗质检): what should be fixed before a file is sent on, each finding tied to
the documents and pages it concerns. Which rules run, their severities and limits come from
`checks.yaml` or the agency's profile (see there); the rules read what the compiler already read.

- `missing_pages`: a document whose printed 第N页 共M页 has a gap or ends short, or a 笔录 whose
  last page lacks the closing words the person signs under;
- `unsigned_record_page`: a 笔录 page with no signature or fingerprint ink at its foot;
- `required_document_missing`: a document without the one it cannot stand without, a suspect
  interrogated without a 权利义务告知书;
- `time_limit`: the criminal-procedure limits between detention, the request for arrest and the
  decision, the first interrogation after detention; a 笔录 ending before it starts; one officer
  in two 笔录 at once; a paper dated before the case was accepted;
- `identity_mismatch`: an ID number failing its check digit or disagreeing with the person's stated
  birth date or sex; one name with two ID numbers;
- `poor_scan`: pages too dark, too faint or read too uncertainly: a rescan list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict

from cataloging.dossier import Document, Dossier
from cataloging.elements import CaseElements, case_elements, id_birth_date, id_gender, id_number_valid
from cataloging.extract import DATE_ARABIC, SURNAMES, find_dates
from classification.rules import QA_LINE, closing_words
from ocr.page import Page, PageRef, compact

Severity = Literal["error", "warning", "info"]


class RuleConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    severity: Severity = "warning"
    enabled: bool = True


class Companion(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    type: str
    needs: str


class TimeLimits(BaseModel):
    model_config = ConfigDict(extra="forbid")
    arrest_request_days: int = 7
    arrest_request_extended_days: int = 30
    arrest_decision_days: int = 7
    first_interrogation_hours: int = 24


class ScanLimits(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min_ocr_confidence: float = 0.8
    min_characters: int = 20
    darkest_mean: int = 90
    cut_lines: int = 2


class ChecksConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rules: dict[str, RuleConfig]
    closing_required: list[str] = []
    companions: list[Companion] = []
    per_suspect: list[str] = []
    time_limits: TimeLimits = TimeLimits()
    poor_scan: ScanLimits = ScanLimits()


def load_checks(profile: Path | None = None) -> ChecksConfig:
    """The shipped checks, with what the profile's `checks:` section names in their place."""
    raw = yaml.safe_load((resources.files("cataloging") / "checks.yaml").read_text(encoding="utf-8"))
    own = (yaml.safe_load(profile.read_text(encoding="utf-8")) or {}).get("checks") if profile else None
    if own:
        raw = {**raw, **own, "rules": {**raw["rules"], **own.get("rules", {})}}
    return ChecksConfig.model_validate(raw)


@dataclass
class Finding:
    rule: str
    severity: Severity
    message: str  # Chinese, for the clerk
    documents: list[int] = field(default_factory=list)  # seq
    pages: list[PageRef] = field(default_factory=list)
    details: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"rule": self.rule, "severity": self.severity, "message": self.message, "documents": self.documents,
                "pages": [{"file": r.file, "page": r.page} for r in self.pages], "details": self.details}


def assess(dossier: Dossier, config: ChecksConfig, labels: dict[str, str]) -> None:
    """The dossier's case elements and the checks' findings on it, in dossier order; `labels`:
    the profile's type labels, to name a missing document."""
    dossier.elements = case_elements(dossier.documents)
    dossier.findings = run_checks(dossier.documents, dossier.elements, config, labels)


def run_checks(documents: list[Document], elements: CaseElements, config: ChecksConfig, labels: dict[str, str]) -> list[Finding]:
    """Every enabled rule's findings on the documents in dossier order (seq = position + 1)."""
    rules = {
        "missing_pages": lambda: missing_pages(documents, config),
        "unsigned_record_page": lambda: unsigned_record_pages(documents, config),
        "required_document_missing": lambda: required_documents(documents, elements, config, labels),
        "time_limit": lambda: time_limits(documents, elements, config),
        "identity_mismatch": lambda: identity_mismatches(elements),
        "poor_scan": lambda: poor_scans(documents, config),
    }
    findings = []
    for rule, run in rules.items():
        setting = config.rules.get(rule)
        if setting and setting.enabled:
            for finding in run():
                finding.rule, finding.severity = rule, setting.severity
                findings.append(finding)
    return findings


def _finding(message: str, documents: list[int] = (), pages: list[PageRef] = (), **details) -> Finding:
    return Finding("", "warning", message, list(documents), list(pages), details)


# ---- missing_pages ------------------------------------------------------------------------------


def closes(page: Page) -> bool:
    """A record's last page: the person's closing words, or the signature block under them (the
    recording officer signs the last page only), for closing words written by hand that OCR
    could not read."""
    texts = [compact(line.text) for line in page.lines]
    return any(closing_words(t) for t in texts) or any(_RECORDER.match(t) for t in texts[-4:])


_RECORDER = re.compile(r"记录(?:人|员)(?:[（(]签名[)）])?[:：]")


def missing_pages(documents: list[Document], config: ChecksConfig) -> list[Finding]:
    found = []
    for seq, doc in enumerate(documents, 1):
        numbers = [p.label.page_number for p in doc.pages if p.label and p.label.page_number]
        have = {n for n, _ in numbers}
        total = max((t for _, t in numbers if t), default=None)
        end = total or max(have, default=0)
        missing = sorted(set(range(1, end + 1)) - have)
        if len(missing) <= len(doc.pages) - len(numbers):  # pages whose number OCR could not read stand for them
            missing = []
        unclosed = doc.type in config.closing_required and not any(closes(p) for p in doc.pages[-2:])
        if missing:
            shown = "、".join(f"第{n}页" for n in missing)
            found.append(_finding(f"{doc.title}缺少{shown}" + (f"（共{total}页）" if total else ""), [seq], [p.ref for p in doc.pages],
                                  missing=missing, total=total))
        elif unclosed:
            found.append(_finding(f"{doc.title}末页没有被询（讯）问人的核对意见（以上笔录我看过……），可能缺页", [seq], [doc.pages[-1].ref],
                                  missing="end"))
    return found


# ---- unsigned_record_page -----------------------------------------------------------------------

SIGNATURE_CELL = 0.04  # inch: a handwriting stroke fills a good part of a cell this size; dust does not
SIGNATURE_CELLS = 10  # inked cells at a foot that make a signature or a fingerprint


def foot_signed(page: Page) -> bool | None:
    """Whether a 笔录 page (问/答 or the closing words) is signed at its foot: below its last line
    of text, the questioned person's name (被询问人：张强, or the name alone in handwriting) or
    fingerprint ink that no printed line covers; None for other pages. Measured while the scan
    is at hand (the page's `image`)."""
    lines = [(compact(line.text), line) for line in page.lines]
    if page.image is None or not (sum(bool(QA_LINE.match(t)) for t, _ in lines) >= 2 or any(closing_words(t) for t, _ in lines)):
        return None
    height = page.image.shape[0]
    body = [ln for t, ln in lines if len(t) >= 12 and not _SIGNER.search(t) and not _PAGE_NUMBER.search(t)]
    top = max((ln.box[3] for ln in body), default=0.6 * height)
    foot = [(t, ln) for t, ln in lines if ln.box[1] >= top - 4]
    if any(_PERSON_SIGNED.search(t) or _NAME_ALONE.fullmatch(t) for t, _ in foot):
        return True
    ink = _ink(page.image)
    # a scribble OCR does not read, right after the person's label (被询问人：/\/\/); the
    # label's box often takes it in, so from where the label's characters end
    for t, ln in foot:
        if _PERSON_LABEL.search(t):
            x0, y0, x1, y1 = (int(v) for v in ln.box)
            h = y1 - y0
            after = x0 + int(0.75 * h * len(t))
            if ink[max(0, y0 - h // 2):y1 + h // 2, after:max(after, x1) + 6 * h].sum() >= 150 * (page.dpi / 200) ** 2:
                return True
    return _fingerprint(ink[int(top) + 4:int(0.97 * height)], page.dpi, int(top) + 4, [ln for _, ln in foot])


def _ink(image: np.ndarray) -> np.ndarray:
    """Dark pixels, or coloured ones (red fingerprints and seals, blue pens)."""
    rgb = image.astype(np.int16) if image.ndim == 3 else np.repeat(image[..., None], 3, axis=2).astype(np.int16)
    return (rgb.mean(axis=2) < 150) | (rgb.max(axis=2) - rgb.min(axis=2) > 60)


def _fingerprint(ink: np.ndarray, dpi: float, top: int, printed: list) -> bool:
    """Ink in cells no text line covers, in a band starting at `top`: a fingerprint (red, or a
    dark blob in grey) or a signature OCR did not read."""
    if ink.size == 0:
        return False
    ink = ink.copy()
    for ln in printed:
        x0, y0, x1, y1 = (int(v) for v in ln.box)
        ink[max(0, y0 - top):max(0, y1 - top), max(0, x0):x1] = False
    cell = max(4, int(SIGNATURE_CELL * dpi))
    rows, cols = ink.shape[0] // cell, ink.shape[1] // cell
    if not rows or not cols:
        return False
    cells = ink[:rows * cell, :cols * cell].reshape(rows, cell, cols, cell).mean(axis=(1, 3))
    return int((cells > 0.25).sum()) >= SIGNATURE_CELLS


_SIGNER = re.compile(r"(?:被讯问人|被询问人|讯问人|询问人|记录人|侦查员|侦查人员)(?:[（(]签名[)）])?[:：]")
# the person's own label with a name after it; the officers' labels are not the person's signature
_PERSON_SIGNED = re.compile(r"(?:被[讯询]问人|签名|签字)(?:[（(]签名[)）])?[:：]?[^:：\s]")  # a name, or a scribble OCR reads as a letter
_PERSON_LABEL = re.compile(r"(?:被[讯询]问人|签名|签字)(?:[（(]签名[)）])?[:：]$")
_NAME_ALONE = re.compile(r"[\u4e00-\u9fa5]{2,4}")
_PAGE_NUMBER = re.compile(r"第.{1,3}页|共.{1,3}页")



def unsigned_record_pages(documents: list[Document], config: ChecksConfig) -> list[Finding]:
    """Record pages without handwriting or fingerprint ink below their last printed line. Only
    pages whose scan is at hand are judged (a review rebuilds from the pages read before)."""
    found = []
    for seq, doc in enumerate(documents, 1):
        if doc.type not in config.closing_required:
            continue
        for page in doc.pages:
            if page.foot_signed is False:
                found.append(_finding(f"{doc.title}第{doc.pages.index(page) + 1}页页脚没有签名、捺指印", [seq], [page.ref]))
    return found


# ---- required_document_missing ------------------------------------------------------------------


def required_documents(documents: list[Document], elements: CaseElements, config: ChecksConfig, labels: dict[str, str]) -> list[Finding]:
    found = []
    present = {d.type for d in documents}
    for rule in config.companions:
        for seq, doc in enumerate(documents, 1):
            if doc.type == rule.type and rule.needs not in present:
                found.append(_finding(f"有{doc.title}，但卷内没有{labels.get(rule.needs, rule.needs)}", [seq], [doc.pages[0].ref],
                                      type=rule.type, needs=rule.needs))
                break  # one finding per missing kind
    for needed in config.per_suspect:
        notices = ["".join(compact(p.text) for p in d.pages) for d in documents if d.type == needed]
        suspects = {party.name: [seq for seq, d in enumerate(documents, 1) if d.type == "interrogation_record" and party.name in d.persons[:1]]
                    for party in elements.parties if party.role == "suspect"}
        interrogated = {name: seqs for name, seqs in suspects.items() if seqs}
        missing = [name for name in interrogated if not any(name in text for text in notices)]
        # a notice signed by a scribble names nobody OCR can read: it stands for one of them
        unnamed = sum(1 for text in notices if not any(name in text for name in suspects))
        if len(missing) > unnamed:
            for name in missing:
                seq = interrogated[name][0]
                found.append(_finding(f"犯罪嫌疑人{name}已被讯问，卷内没有对其的{labels.get(needed, needed)}", [seq],
                                      [documents[seq - 1].pages[0].ref], person=name, needs=needed))
    return found


# ---- time_limit ---------------------------------------------------------------------------------


def record_interval(doc: Document) -> tuple[datetime, datetime] | None:
    """A 笔录's 时间：…至… from its header: its start and end."""
    text = "".join(compact(line.text) for line in doc.pages[0].lines[:12])
    m = re.search(r"时间[:：]?(.{8,24}?)(?:至|到|—|-)(.{3,24})", text)
    if not m:
        return None
    start = _moment(m.group(1))
    if start is None:
        return None
    end = _moment(m.group(2))
    if end is None:  # 至16时44分: the same day
        t = re.match(r"(\d{1,2})[时:：点](\d{1,2})?", m.group(2))
        if not t or int(t.group(1)) > 23 or int(t.group(2) or 0) > 59:
            return None
        end = start.replace(hour=int(t.group(1)), minute=int(t.group(2) or 0))
    return start, end


def _moment(text: str) -> datetime | None:
    m = DATE_ARABIC.match(text)
    if not m:
        return None
    try:
        return datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4) or 0), int(m.group(5) or 0))
    except ValueError:
        return None


_OFFICER_LINE = re.compile(r"(?:讯问人|询问人|侦查员|侦查人员)(?:[（(]签名[)）])?(?:姓名)?[:：]?([\u4e00-\u9fa5、丶，,\s]{2,16}?)(?=工作单位|单位|记录|$)")


def record_officers(doc: Document) -> set[str]:
    """The questioning officers a 笔录's header names (刘月云、王平); names run together are skipped."""
    names = set()
    for line in doc.pages[0].lines[:12]:
        for m in _OFFICER_LINE.finditer(compact(line.text)):
            names |= {n for n in re.split(r"[、丶，,\s]", m.group(1)) if 2 <= len(n) <= 3 and n[0] in SURNAMES and n not in ("姓名", "单位")}
    return names


def _signed_date(doc: Document) -> str | None:
    """The document's date where it stands by its signature and seal (the last lines of its last
    page): a date taken from the body for want of one there (于2023年8月28日被刑事拘留) would
    make a false finding."""
    last = "\n".join(line.text for line in doc.pages[-1].lines[-5:])
    return doc.date if doc.date and any(d[:10] == doc.date[:10] for d in find_dates(last)) else None


def _day(iso: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def time_limits(documents: list[Document], elements: CaseElements, config: ChecksConfig) -> list[Finding]:
    limits, found = config.time_limits, []
    seqs = {id(d): seq for seq, d in enumerate(documents, 1)}
    by_type: dict[str, list[Document]] = {}
    for d in documents:
        by_type.setdefault(d.type, []).append(d)
    # 30 days for crimes across places, repeated or in a gang; the approval itself often stays in
    # the internal file (副卷), so a gang, or the words, or an extension form in the file allow it
    suspects = sum(1 for p in elements.parties if p.role == "suspect")
    words = any(re.search(r"流窜作案|多次作案|结伙作案", compact(p.text)) for d in documents for p in d.pages)
    extended = "detention_extension" in by_type or suspects > 1 or words
    request_days = limits.arrest_request_extended_days if extended else limits.arrest_request_days

    def between(earlier: Document, later: Document, days: int, what: str) -> None:
        a, b = _day(_signed_date(earlier)), _day(_signed_date(later))
        if a and b and (b.date() - a.date()).days > days:
            found.append(_finding(f"{what}：{earlier.date[:10]}至{later.date[:10]}，超过{days}日", [seqs[id(earlier)], seqs[id(later)]],
                                  [earlier.pages[0].ref, later.pages[0].ref], limit_days=days, days=(b.date() - a.date()).days))

    for person_docs in _per_person(by_type, ("detention_warrant", "arrest_request", "arrest_approval")):
        detention, request, approval = (person_docs.get(t) for t in ("detention_warrant", "arrest_request", "arrest_approval"))
        if detention and request:
            between(detention, request, request_days, "拘留后提请批准逮捕")
        if request and approval:
            between(request, approval, limits.arrest_decision_days, "提请批准逮捕后检察院作出决定")

    intervals = {id(d): iv for d in documents if d.type in config.closing_required and (iv := record_interval(d))}
    for d in documents:
        if id(d) in intervals and intervals[id(d)][1] < intervals[id(d)][0]:
            start, end = intervals[id(d)]
            found.append(_finding(f"{d.title}结束时间{end:%Y-%m-%d %H:%M}早于开始时间{start:%Y-%m-%d %H:%M}", [seqs[id(d)]], [d.pages[0].ref]))

    for detention in by_type.get("detention_warrant", []):
        held, name = _day(detention.date), detention.principal
        if not (held and name and held.hour + held.minute):  # only a detention time to the minute says when the 24 hours began
            continue
        after = sorted(iv[0] for d in by_type.get("interrogation_record", []) if name in d.persons[:1] and (iv := intervals.get(id(d))) and iv[0] >= held)
        if after and after[0] - held > timedelta(hours=limits.first_interrogation_hours):
            found.append(_finding(f"{name}被拘留后超过{limits.first_interrogation_hours}小时才第一次讯问", [seqs[id(detention)]],
                                  [detention.pages[0].ref], person=name, hours=round((after[0] - held).total_seconds() / 3600, 1)))

    records = [(d, intervals[id(d)], record_officers(d)) for d in documents if id(d) in intervals]
    for i, (a, (a0, a1), officers_a) in enumerate(records):
        for b, (b0, b1), officers_b in records[i + 1:]:
            shared = officers_a & officers_b
            if shared and a0 < b1 and b0 < a1 and a1 > a0 and b1 > b0:
                found.append(_finding(f"{'、'.join(sorted(shared))}同时出现在两份时间重叠的笔录中", [seqs[id(a)], seqs[id(b)]],
                                      [a.pages[0].ref, b.pages[0].ref], officers=sorted(shared)))

    # a paper two days or more before the case was accepted, by the date by its seal: a day's
    # difference is as often a date misread under a seal as a paper out of order
    accepted = _day(elements.dates["accepted"][0]) if "accepted" in elements.dates else None
    filed = _day(elements.dates["filed"][0]) if "filed" in elements.dates else None
    if accepted and not (filed and filed < accepted):  # an acceptance date after the filing was misread
        for d in documents:
            day = _day(_signed_date(d))
            if day and d.type in _PROCEDURAL and (accepted.date() - day.date()).days >= 2:
                found.append(_finding(f"{d.title}的日期{d.date[:10]}早于受案日期{accepted:%Y-%m-%d}", [seqs[id(d)]], [d.pages[-1].ref],
                                      date=d.date[:10], accepted=f"{accepted:%Y-%m-%d}"))
    return found


# instruments of the case's procedure: none can predate the case (evidence can)
_PROCEDURAL = {"case_filing_decision", "summons_warrant", "detention_warrant", "detention_notice", "detention_extension", "arrest_request",
               "arrest_approval", "arrest_warrant", "arrest_notice", "bail_decision", "residential_surveillance", "search_warrant",
               "seizure_decision", "appraisal_engagement", "appraisal_notice", "prosecution_recommendation"}


def _per_person(by_type: dict[str, list[Document]], types: tuple[str, ...]) -> list[dict[str, Document]]:
    """The documents of each person named first in them, one of each type (the earliest)."""
    people: dict[str, dict[str, Document]] = {}
    for t in types:
        for d in sorted(by_type.get(t, []), key=lambda d: d.date or "9999"):
            for name in d.persons[:1]:
                people.setdefault(name, {}).setdefault(t, d)
    return list(people.values())


# ---- identity_mismatch --------------------------------------------------------------------------


def identity_mismatches(elements: CaseElements) -> list[Finding]:
    found = []
    for party in elements.parties:
        number = party.value("id_number")
        if not number:
            continue
        refs = sorted({m.page for m in party.mentions if m.id_number})
        docs = sorted({m.seq for m in party.mentions if m.id_number})
        if not id_number_valid(number):
            found.append(_finding(f"{party.name}的公民身份号码{number}校验位不符", docs, refs, person=party.name, id_number=number))
            continue
        # only where no reading agrees: a date cut at a table cell's edge (1990年10月1|0日) is OCR's, not the file's
        births = {m.birth_date for m in party.mentions if m.birth_date}
        genders = {m.gender for m in party.mentions if m.gender}
        if births and id_birth_date(number) not in births:
            birth = party.value("birth_date")
            found.append(_finding(f"{party.name}的出生日期{birth}与身份号码不符", docs, refs, person=party.name, id_number=number, birth_date=birth))
        if genders and id_gender(number) not in genders:
            gender = party.value("gender")
            found.append(_finding(f"{party.name}的性别{gender}与身份号码不符", docs, refs, person=party.name, id_number=number, gender=gender))
    for name in {p.name for p in elements.parties}:
        same = [p for p in elements.parties if p.name == name and p.value("id_number") and id_number_valid(p.value("id_number"))]
        if len(same) > 1:
            found.append(_finding(f"{name}在卷内有{len(same)}个不同的公民身份号码", sorted({m.seq for p in same for m in p.mentions}),
                                  sorted({m.page for p in same for m in p.mentions}), person=name, id_numbers=[p.value("id_number") for p in same]))
    return found


# ---- poor_scan ----------------------------------------------------------------------------------


def poor_scans(documents: list[Document], config: ChecksConfig) -> list[Finding]:
    limits, found = config.poor_scan, []
    for seq, doc in enumerate(documents, 1):
        for page in doc.pages:
            why = _poor(page, limits)
            if why:
                found.append(_finding(f"{doc.title}第{doc.pages.index(page) + 1}页{why}，建议重新扫描", [seq], [page.ref], problem=why))
    return found


def _poor(page: Page, limits: ScanLimits) -> str | None:
    """Why a page should be scanned again: too dark (its mean grey), cut off (lines of text run
    off the page's edge), or read too uncertainly (faint, blurred or smudged text)."""
    if page.thumbnail is not None and float(np.mean(page.thumbnail)) < limits.darkest_mean:
        return "过暗"
    width, height = page.size
    edge = 0.004 * width
    cut = [ln for ln in page.lines if ln.box[0] <= edge or ln.box[2] >= width - edge or ln.box[1] <= edge or ln.box[3] >= height - edge]
    if len(cut) >= limits.cut_lines:
        return "内容被裁切"
    characters = sum(len(compact(line.text)) for line in page.lines)
    if characters >= limits.min_characters and page.ocr_confidence < limits.min_ocr_confidence:
        return f"字迹不清（识别置信度{page.ocr_confidence:.2f}）"
    return None

"""Typed results of cataloging: documents, volumes and the dossier handed to assembly."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ocr.page import Page, SourceFile

if TYPE_CHECKING:  # the checks read documents: they import this module
    from cataloging.checks import Finding
    from cataloging.elements import CaseElements


@dataclass
class Document:
    type: str
    pages: list[Page]
    title: str = ""
    doc_number: str | None = None  # 文号
    author: str | None = None  # 责任者
    date: str | None = None  # ISO date or date-time
    persons: list[str] = field(default_factory=list)
    confidence: float = 1.0
    flags: list[str] = field(default_factory=list)

    @property
    def principal(self) -> str | None:
        return self.persons[0] if self.persons else None

    @property
    def first_scan_position(self) -> tuple[int, int]:
        return min((p.ref.file, p.ref.page) for p in self.pages)


@dataclass
class Volume:
    code: str  # taxonomy volume code
    label: str  # e.g. 诉讼文书卷
    number: int  # 1-based position among all volumes of the dossier
    part: int = 1  # 之一, 之二 ... when a long volume is split
    parts: int = 1
    documents: list[Document] = field(default_factory=list)

    @property
    def title(self) -> str:
        if self.parts == 1:
            return self.label
        return f"{self.label}（之{chinese_numeral(self.part)}）"

    @property
    def page_count(self) -> int:
        return sum(len(d.pages) for d in self.documents)


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (larger numbers in Arabic digits)."""
    digits = "零一二三四五六七八九"
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else digits[tens]) + "十" if tens else "") + (digits[ones] if ones else "")


@dataclass
class Dossier:
    sources: list[SourceFile]
    volumes: list[Volume]
    excluded: list[Page]
    case_number: str | None = None
    case_title: str | None = None
    profile: str = "police_criminal"
    timings: dict[str, float] = field(default_factory=dict)
    compiled_unit: str | None = None  # 立卷单位, on the cover
    compiled_by: str | None = None  # 立卷人, on the cover and the 卷内备考表
    elements: CaseElements | None = None  # the case's key facts (要素回填)
    findings: list[Finding] = field(default_factory=list)  # the quality checks' findings (卷宗质检)

    @property
    def documents(self) -> list[Document]:
        return [d for v in self.volumes for d in v.documents]

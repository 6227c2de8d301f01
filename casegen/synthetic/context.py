"""Shared types of the document builders: what to build (`DocSpec`) and what came out (`DocOut`)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from faker import Faker

from .case import Case, Person
from .layout import LayoutPage
from .scenarios import Scenario

RECORD_TYPES = {"interrogation_record", "victim_statement", "witness_statement", "identification_record",
                "scene_inspection_record", "search_record", "electronic_data_record"}


@dataclass
class Ctx:
    case: Case
    sc: Scenario
    rng: random.Random
    fake: Faker


@dataclass
class DocSpec:
    type: str
    at: datetime
    persons: list[Person] = field(default_factory=list)
    nth: int = 1  # 第N次 for repeated records
    pages: int | None = None  # target page count for documents whose length can vary
    extra: dict = field(default_factory=dict)


@dataclass
class DocOut:
    type: str
    title: str
    doc_number: str | None
    author: str
    date: str  # YYYY-MM-DD, or YYYY-MM-DDTHH:MM for 笔录
    persons: list[str]
    pages: list[LayoutPage]


def iso(t: datetime, with_time: bool) -> str:
    return t.strftime("%Y-%m-%dT%H:%M") if with_time else t.strftime("%Y-%m-%d")


def fit_range(pages_for, target: int, supply, start: int) -> tuple[int, int]:
    """The range [lo, hi) of item counts k for which a document is exactly `target` pages long.

    `pages_for(k)` lays the document out with its first k optional items (follow-up questions,
    description paragraphs, table rows); `supply(n)` makes sure at least n items exist. The caller
    picks k inside the range at random, so last pages end at varying heights."""
    if pages_for(0) >= target:
        return 0, 1
    hi = max(1, start)
    supply(hi)
    while pages_for(hi) <= target and hi < 4096:
        hi *= 2
        supply(hi)

    def first(pred) -> int:
        a, b = 0, hi
        while a < b:
            m = (a + b) // 2
            if pred(pages_for(m)):
                b = m
            else:
                a = m + 1
        return a
    k_min = first(lambda p: p >= target)
    k_over = first(lambda p: p > target)
    return k_min, max(k_over, k_min + 1)


@dataclass(frozen=True)
class HardOptions:
    """The hard evaluation split (`generate_case(..., hard=True)`): how much harder each stage
    makes a page for a classifier. Each stage reads only its own fields; `None` in place of an
    options object means the normal case, which draws no extra random numbers."""

    # plan/stream: documents whose first page never reached the scanner
    missing_first: float = 0.05  # as a share of the scanned pages (at least one document)
    rotate: float = 0.2  # pages scanned turned 90/180/270 (normal: 0.05)
    # compose: first-page layout of a document
    title_left: float = 0.2  # title left-aligned instead of centred
    title_small: float = 0.2  # title in a body-like font size
    no_header: float = 0.35  # organ header left off
    title_seal: float = 0.2  # a red seal stamped over the title
    # damage: the scan
    title_damage: float = 0.4  # title cut off on one side, or under a blot / smudge / fold
    max_skew: float = 6.0  # degrees
    heavy: float = 0.55  # pages with heavy noise, strong blur and low contrast


HARD = HardOptions()

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

"""What a page model sees of a page: fixed-size numeric features from its stage results.

Four groups, computed the same way when training and when compiling (from a `Page`, which
training rebuilds from `pages.json` records):

- text: hashed character 1-3-grams, separately for the head, body and foot of the page (a cue
  word in the title band means something else than in the body), plus each line's first two
  characters (问/答, 一、, 附:). N-grams survive OCR slips better than whole words.
- layout: line and region geometry (how many lines, how tall, CDLA titles/tables/figures/
  header/footer, where they sit), the printed 第N页 共M页, orientation.
- prior: what the transparent rules say (title match and 文号 code, one slot per taxonomy type;
  their start decision). The model learns when to trust them; a type too rare in training still
  gets the rules' vote.
- thumbnail: the grey page at 48x64, for what a form, a photo sheet or a dense record look like.
"""

from __future__ import annotations

import re
import statistics
import zlib
from dataclasses import dataclass

import numpy as np

from classification.rules import RuleClassifier, RuleEvidence, decide
from ocr.numbering import printed_page_number
from ocr.page import THUMBNAIL_SIZE, Page, compact

# Bumped whenever what a feature means changes: a model trained on other features is refused.
FEATURES_VERSION = 2
LAYOUT_LABELS = ("text", "title", "figure", "figure_caption", "table", "table_caption", "header", "footer", "reference", "equation")
HEAD, FOOT = 0.28, 0.78  # page-height fractions that bound the head and foot bands
_DATE = re.compile(r"(?:19|20|二〇|二零)\S{2}年\S{1,3}月\S{1,3}日")
_DOC_NUMBER = re.compile(r"[〔\[【（(]\s*(?:19|20)\d{2}\s*[〕\]】)）]\s*\d{0,6}号")


@dataclass(frozen=True)
class FeatureSpec:
    """The shape of the features; stored with a model so serving computes what training did."""

    types: tuple[str, ...]  # taxonomy codes, in the order of the prior and the model's type outputs
    text_buckets: int = 8192

    @property
    def layout_size(self) -> int:
        return 22 + 2 * len(LAYOUT_LABELS)

    @property
    def prior_size(self) -> int:
        return 2 * len(self.types) + 3


@dataclass
class PageFeatures:
    text: np.ndarray  # float32 [text_buckets]
    layout: np.ndarray  # float32 [layout_size]
    prior: np.ndarray  # float32 [prior_size]
    thumbnail: np.ndarray  # float32 [1, height, width], 0 = white


class Featurizer:
    def __init__(self, spec: FeatureSpec, rules: RuleClassifier):
        self.spec = spec
        self.rules = rules
        self._type_index = {code: i for i, code in enumerate(spec.types)}

    def __call__(self, page: Page, evidence: RuleEvidence | None = None) -> PageFeatures:
        """`evidence`: what the rules read off the page, where the caller has it already."""
        return PageFeatures(self.text(page), self.layout(page), self.prior(page, evidence), thumbnail(page))

    def text(self, page: Page) -> np.ndarray:
        height = page.size[1]
        counts: dict[int, float] = {}
        buckets = self.spec.text_buckets

        def add(token: str) -> None:
            slot = zlib.crc32(token.encode("utf-8")) % buckets
            counts[slot] = counts.get(slot, 0.0) + 1.0

        for line in page.lines:
            text = compact(line.text)
            if not text:
                continue
            centre = (line.box[1] + line.box[3]) / 2 / max(height, 1)
            zone = "h" if centre < HEAD else "f" if centre > FOOT else "b"
            add(f"^{text[:2]}")
            for n in (1, 2, 3):
                for i in range(len(text) - n + 1):
                    add(f"{zone}{text[i:i + n]}")
        vec = np.zeros(buckets, np.float32)
        if counts:
            slots = np.fromiter(counts.keys(), np.int64)
            vec[slots] = np.log1p(np.fromiter(counts.values(), np.float32))
            vec /= np.linalg.norm(vec)
        return vec

    def layout(self, page: Page) -> np.ndarray:
        width, height = (max(1, v) for v in page.size)
        lines = page.lines
        texts = [compact(ln.text) for ln in lines]
        heights = [ln.height for ln in lines] or [0.0]
        median_h = statistics.median(heights) or 1.0
        chars = sum(map(len, texts))
        number = printed_page_number(page)
        foot = " ".join(t for ln, t in zip(lines, texts) if ln.box[1] > FOOT * height)
        head = " ".join(t for ln, t in zip(lines, texts) if ln.box[3] < 0.4 * height)
        n_lines = max(1, len(lines))
        values = [
            np.log1p(len(lines)) / 5,
            np.log1p(chars) / 8,
            page.ocr_confidence,
            median_h / height * 50,
            min(max(heights) / median_h, 4) / 4,
            min(ln.box[1] for ln in lines) / height if lines else 1.0,
            max(ln.box[3] for ln in lines) / height if lines else 0.0,
            sum(t.startswith("问") for t in texts) / n_lines,
            sum(t.startswith("答") for t in texts) / n_lines,
            sum(("：" in t or ":" in t) for t in texts) / n_lines,
            sum(len(t) <= 6 for t in texts) / n_lines,
            float(number is not None),
            float(bool(number) and number[0] == 1),
            float(bool(number) and number[0] > 1),
            float(bool(number) and number[1] is not None and number[0] == number[1]),
            min(number[0], 20) / 20 if number else 0.0,
            float(bool(_DATE.search(foot))),
            float(bool(_DATE.search(head))),
            float(bool(_DOC_NUMBER.search(head))),
            float(page.rotation != 0),
            min(abs(page.skew), 10) / 10,
            width / height,
        ]
        counts = [0.0] * len(LAYOUT_LABELS)
        tops = [1.0] * len(LAYOUT_LABELS)
        for region in page.regions:
            if region.label in LAYOUT_LABELS:
                k = LAYOUT_LABELS.index(region.label)
                counts[k] += 1
                tops[k] = min(tops[k], region.box[1] / height)
        values += [np.log1p(c) for c in counts] + tops
        return np.asarray(values, np.float32)

    def prior(self, page: Page, evidence: RuleEvidence | None = None) -> np.ndarray:
        """The rules' title match and 文号 code per type, an unknown title, and their decision."""
        n = len(self.spec.types)
        vec = np.zeros(self.spec.prior_size, np.float32)
        evidence = self.rules.evidence(page) if evidence is None else evidence
        if evidence.match and evidence.match.code in self._type_index:
            vec[self._type_index[evidence.match.code]] = min(1.0, evidence.match.strength)
        if evidence.coded in self._type_index:
            vec[n + self._type_index[evidence.coded]] = 1.0
        label = decide(evidence)
        vec[2 * n:] = (float(evidence.heading is not None), float(label.starts_document), label.confidence)
        return vec


def thumbnail(page: Page) -> np.ndarray:
    width, height = THUMBNAIL_SIZE
    if page.thumbnail is None:
        return np.zeros((1, height, width), np.float32)
    return (1.0 - page.thumbnail.astype(np.float32) / 255.0)[None]


def stack(features: list[PageFeatures]) -> dict[str, np.ndarray]:
    """A case's page features as the model's batch-of-one inputs."""
    return {
        "text": np.stack([f.text for f in features])[None],
        "layout": np.stack([f.layout for f in features])[None],
        "prior": np.stack([f.prior for f in features])[None],
        "thumbnail": np.stack([f.thumbnail for f in features])[None],
    }

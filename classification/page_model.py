"""The learned page model at compile time: an exported version, run with onnxruntime.

A version is a folder under `models/page-model/` holding `model.onnx`, `model.json` (types,
feature shape, training data fingerprint, metrics) and its model card. The `page_model` setting
names the version `dossier compile` uses, or `rules` for the transparent baseline.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cataloging.taxonomy import Taxonomy
from classification.features import FEATURES_VERSION, FeatureSpec, Featurizer, stack
from classification.rules import RuleClassifier, RuleEvidence, decide
from ocr.inference import RuntimeOptions, open_backend
from ocr.page import Page, PageLabel

MODELS_DIR = Path(__file__).resolve().parents[1] / "models" / "page-model"
RULES = "rules"


class ModelError(ValueError):
    pass


@dataclass(frozen=True)
class ModelInfo:
    version: str
    path: Path
    created: str
    metrics: dict
    data: dict


def read_meta(folder: Path) -> dict:
    """A model folder's model.json, or a ModelError naming the folder."""
    meta_file = folder / "model.json"
    if not meta_file.exists() or not (folder / "model.onnx").exists():
        raise ModelError(f"{folder}: not a page model (needs model.onnx and model.json; see `dossier models list`)")
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        for key in ("version", "created", "features", "types", "text_buckets", "model"):
            meta[key]
    except (ValueError, KeyError) as exc:
        raise ModelError(f"{meta_file}: unreadable or incomplete ({exc})") from exc
    return meta


def read_info(folder: Path) -> ModelInfo:
    meta = read_meta(folder)
    return ModelInfo(meta["version"], folder, meta["created"], meta.get("metrics", {}), meta.get("data", {}))


def list_models(root: Path = MODELS_DIR) -> list[ModelInfo]:
    """The usable versions under `root`; staging folders of a running or killed training and
    broken folders are left out."""
    if not root.is_dir():
        return []
    out = []
    for folder in sorted(root.iterdir()):
        if folder.name.startswith(".") or not (folder / "model.json").exists():
            continue
        try:
            out.append(read_info(folder))
        except ModelError:
            continue
    return out


def resolve(version: str, root: Path = MODELS_DIR) -> Path:
    """A version name under `root`, or a path to a model folder (a name with a slash)."""
    folder = root / version if "/" not in version else Path(version)
    read_meta(folder)
    return folder


def triton_name(folder: Path) -> str:
    """The page model's name in a Triton repository: one entry per version."""
    return f"page-model-{folder.name}"


class PageModel:
    def __init__(self, folder: Path, taxonomy: Taxonomy, runtime: RuntimeOptions = RuntimeOptions()):
        meta = read_meta(folder)
        self.version = meta["version"]
        if meta.get("features") != FEATURES_VERSION:
            raise ModelError(f"{folder}: trained on features version {meta.get('features')}, this code computes version "
                             f"{FEATURES_VERSION}; retrain it with `dossier train`")
        self.spec = FeatureSpec(tuple(meta["types"]), meta["text_buckets"])
        self.max_pages = meta["model"]["max_pages"]
        self.rules = RuleClassifier(taxonomy)
        self.featurize = Featurizer(self.spec, self.rules)
        self.backend = open_backend(triton_name(folder), folder / "model.onnx", runtime)
        # a profile may know fewer types than the model was trained on: never answer one it lacks
        known = set(taxonomy.codes)
        if not known & set(self.spec.types):
            raise ModelError(f"{folder}: the model knows none of the profile's document types")
        self._allowed = np.array([code in known for code in self.spec.types])

    def predict(self, pages: list[Page], evidence: list[RuleEvidence] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Type probabilities [pages, types] and start probabilities [pages]; `evidence`: the
        rules' reading of each page, where the caller has it already."""
        evidence = evidence or [self.rules.evidence(p) for p in pages]
        inputs = stack([self.featurize(p, e) for p, e in zip(pages, evidence)])
        type_logits, start_logits = windowed(self.backend.run, inputs, self.max_pages)
        type_logits = np.where(self._allowed, type_logits, -1e9)
        return softmax(type_logits), softmax(start_logits)[:, 1]

    def __call__(self, pages: list[Page]) -> list[PageLabel]:
        """Labels for a case's kept pages in scan order."""
        if not pages:
            return []
        evidence = [self.rules.evidence(p) for p in pages]  # read once: features and printed_first
        type_p, start_p = self.predict(pages, evidence)
        types, starts = decode(type_p, start_p)
        labels = []
        for i, read in enumerate(evidence):
            code = self.spec.types[types[i]]
            sure = start_p[i] if starts[i] else 1 - start_p[i]
            reason = f"page model {self.version}: {code} p={type_p[i, types[i]]:.2f}, {'starts' if starts[i] else 'continues'} p={sure:.2f}"
            guess = PageLabel(code, bool(starts[i]), round(float(type_p[i, types[i]] * sure), 3), None, [reason], round(float(sure), 3))
            labels.append(printed_first(read, guess, type_change=bool(i and types[i] != types[i - 1])))
        return labels


def printed_first(evidence: RuleEvidence, guess: PageLabel, sure: float = 0.9, type_change: bool = False) -> PageLabel:
    """What a page prints decides before what a model infers: a title or 文号 types the page and
    starts a document, and so does a printed 第1页 (with the model's type); an appendix sheet
    (辨认照片) continues one; the model speaks where the page says nothing, and there starts a
    document only when it is sure or its type changes (`type_change`: the page's type differs
    from the page before's). Only a title read fuzzily (a torn or smudged one) gives way, to a
    model sure of another type. (Whether a printed 第N页, N > 1, continues the document before it
    is for segmentation to say: it depends on that document's numbering.)"""
    printed = decide(evidence)
    titled = printed.starts_document and evidence.match is not None and printed.type == evidence.match.code
    overruled = titled and not evidence.match.exact and guess.type != printed.type and guess.confidence >= sure
    if printed.type and printed.starts_document and not overruled:
        agree = guess.type == printed.type and guess.starts_document
        return PageLabel(printed.type, True, max(printed.confidence, guess.confidence) if agree else printed.confidence,
                         printed.page_number, [*printed.reasons, *(guess.reasons if agree else [f"over {guess.reasons[0]}"])])
    reasons = [*guess.reasons, *([f"over the fuzzy {printed.reasons[0]}"] if overruled else [])]
    if printed.page_number and printed.page_number[0] == 1:
        return PageLabel(guess.type, True, guess.confidence, printed.page_number, ["printed page 1", *reasons], guess.boundary)
    if evidence.appendix:
        return PageLabel(guess.type, False, guess.confidence, printed.page_number, [*printed.reasons, *reasons], guess.boundary)
    # where the page prints nothing, a start the model is sure of, or where its type changes (a
    # document whose first page is lost); an unsure start inside one type is a continuation page
    starts = guess.starts_document and ((guess.boundary or 0.0) >= sure or type_change)
    if guess.starts_document and not starts:
        reasons.append("continues: nothing printed starts a document here and the model is unsure")
    return PageLabel(guess.type, starts, guess.confidence, printed.page_number, reasons, guess.boundary)


def windowed(run: Callable[[dict[str, np.ndarray]], list[np.ndarray]], inputs: dict[str, np.ndarray], max_pages: int) -> tuple[np.ndarray, np.ndarray]:
    """Type and start logits of a batch-of-one case of any length: overlapping windows of at most
    `max_pages`, averaged where they overlap."""
    n = inputs["text"].shape[1]
    sums: list[np.ndarray] = []
    seen = np.zeros((n, 1), np.float32)
    step = max(1, max_pages * 3 // 4)
    for begin in range(0, max(1, n - max_pages + step), step):
        end = min(n, begin + max_pages)
        window = {k: v[:, begin:end] for k, v in inputs.items() if k != "mask"}
        window["mask"] = np.ones((1, end - begin), np.int64)
        outputs = run(window)
        if not sums:
            sums = [np.zeros((n, out.shape[-1]), np.float32) for out in outputs]
        for total, out in zip(sums, outputs):
            total[begin:end] += out[0]
        seen[begin:end] += 1
    return sums[0] / seen, sums[1] / seen


def decode(type_p: np.ndarray, start_p: np.ndarray, sure: float = 0.9, denied: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Per page: its type index and whether it starts a document. The first page always starts;
    a page the model is sure belongs to another type than its document so far starts a
    document of its own (a page scanned into the wrong place); the pages of one document share
    the type they agree on most (sum of log-probabilities)."""
    log_p = np.log(type_p + 1e-9)
    starts = start_p >= 0.5
    starts[0] = True
    running = log_p[0].copy()
    for i in range(1, len(start_p)):
        own, current = int(type_p[i].argmax()), int(running.argmax())
        if not starts[i] and own != current and type_p[i, own] > sure and type_p[i, current] < denied:
            starts[i] = True
        running = log_p[i].copy() if starts[i] else running + log_p[i]
    types = np.empty(len(start_p), np.int64)
    bounds = [*np.flatnonzero(starts), len(start_p)]
    for begin, end in zip(bounds, bounds[1:]):
        types[begin:end] = log_p[begin:end].sum(0).argmax()
    return types, starts


def softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)

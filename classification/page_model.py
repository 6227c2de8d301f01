"""The learned page model at compile time: an exported version, run with onnxruntime.

A version is a folder under `models/page-model/` holding `model.onnx`, `model.json` (types,
feature shape, training data fingerprint, metrics) and its model card. The `page_model` setting
names the version `dossier compile` uses, or `rules` for the transparent baseline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cataloging.taxonomy import Taxonomy
from classification.features import FEATURES_VERSION, FeatureSpec, Featurizer, stack
from classification.rules import RuleClassifier, printed_page_number
from ocr.inference import OnnxBackend, RuntimeOptions
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


def read_info(folder: Path) -> ModelInfo:
    meta_file = folder / "model.json"
    if not meta_file.exists() or not (folder / "model.onnx").exists():
        raise ModelError(f"{folder}: not a page model (needs model.onnx and model.json; see `dossier models list`)")
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    return ModelInfo(meta["version"], folder, meta["created"], meta.get("metrics", {}), meta.get("data", {}))


def list_models(root: Path = MODELS_DIR) -> list[ModelInfo]:
    if not root.is_dir():
        return []
    return [read_info(d) for d in sorted(root.iterdir()) if (d / "model.json").exists()]


def resolve(version: str, root: Path = MODELS_DIR) -> Path:
    """A version name under `root`, or a path to a model folder."""
    folder = Path(version) if Path(version).is_dir() else root / version
    read_info(folder)
    return folder


class PageModel:
    def __init__(self, folder: Path, taxonomy: Taxonomy, runtime: RuntimeOptions = RuntimeOptions()):
        meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
        self.version = meta["version"]
        if meta.get("features") != FEATURES_VERSION:
            raise ModelError(f"{folder}: trained on features version {meta.get('features')}, this code computes version "
                             f"{FEATURES_VERSION}; retrain it with `dossier train`")
        self.spec = FeatureSpec(tuple(meta["types"]), meta["text_buckets"])
        self.max_pages = meta["model"]["max_pages"]
        self.featurize = Featurizer(self.spec, RuleClassifier(taxonomy))
        self.backend = OnnxBackend(folder / "model.onnx", runtime)
        # a profile may know fewer types than the model was trained on: never answer one it lacks
        known = set(taxonomy.codes)
        if not known & set(self.spec.types):
            raise ModelError(f"{folder}: the model knows none of the profile's document types")
        self._allowed = np.array([code in known for code in self.spec.types])

    def predict(self, pages: list[Page]) -> tuple[np.ndarray, np.ndarray]:
        """Type probabilities [pages, types] and start probabilities [pages], over overlapping
        windows when the case is longer than the model's window."""
        inputs = stack([self.featurize(p) for p in pages])
        n = len(pages)
        type_logits = np.zeros((n, len(self.spec.types)), np.float32)
        start_logits = np.zeros((n, 2), np.float32)
        seen = np.zeros((n, 1), np.float32)
        step = max(1, self.max_pages * 3 // 4)
        for begin in range(0, max(1, n - self.max_pages + step), step):
            end = min(n, begin + self.max_pages)
            window = {k: v[:, begin:end] for k, v in inputs.items()}
            window["mask"] = np.ones((1, end - begin), np.int64)
            types, starts = self.backend.run(window)
            type_logits[begin:end] += types[0]
            start_logits[begin:end] += starts[0]
            seen[begin:end] += 1
        type_logits = np.where(self._allowed, type_logits / seen, -1e9)
        return softmax(type_logits), softmax(start_logits / seen)[:, 1]

    def __call__(self, pages: list[Page]) -> list[PageLabel]:
        """Labels for a case's kept pages in scan order."""
        if not pages:
            return []
        type_p, start_p = self.predict(pages)
        types, starts = decode(type_p, start_p)
        labels = []
        for i, page in enumerate(pages):
            code = self.spec.types[types[i]]
            sure = start_p[i] if starts[i] else 1 - start_p[i]
            reason = f"page model {self.version}: {code} p={type_p[i, types[i]]:.2f}, {'starts' if starts[i] else 'continues'} p={sure:.2f}"
            labels.append(PageLabel(code, bool(starts[i]), round(float(type_p[i, types[i]] * sure), 3), printed_page_number(page), [reason]))
        return labels


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

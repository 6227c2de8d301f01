"""The learned page model at compile time: an exported version, run with onnxruntime.

A version is a folder holding `model.onnx`, `model.json` (types, feature shape, training data
fingerprint, metrics) and its model card. Versions are looked up by name in the models folder
(the `models_dir` setting: where `dossier train` puts a version given by name), then among the
shipped ones in `classification/page_models/`; any other folder is named by its path. The `page_model`
setting names the version `dossier compile` uses, or `rules` for the transparent baseline.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from classification.features import FEATURES_VERSION, FeatureSpec, Featurizer, stack
from classification.rules import RuleClassifier, RuleEvidence, decide
from classification.taxonomy import Taxonomy
from ocr.inference import RuntimeOptions, open_backend
from ocr.page import Page, PageLabel

MODELS_DIR = Path(__file__).resolve().parent / "page_models"  # package data: a wheel ships them
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
    init: str | None = None  # the model it was fine-tuned from

    def trained_on(self) -> str:
        train = self.data.get("train", self.data.get("cases", []))
        return f"{_cases(len(train))} ({self.data.get('train_pages', '?')} pages: {_origins(train)})" + (
            f", fine-tuned from {self.init}" if self.init else "")

    def measured_on(self) -> str:
        """Which cases the metrics were measured on: held out, or (too few cases to spare one) the
        training cases themselves, whose figures say nothing about files the model has not seen."""
        validation = self.data.get("validation", [])
        pages = f"{self.data.get('validation_pages', '?')} pages"
        if set(validation) <= set(self.data.get("train", [])):
            return f"its own {_cases(len(validation), 'training case')} ({pages}; none held out)"
        return f"{_cases(len(validation), 'held-out case')} ({pages}: {_origins(validation)})"


def _cases(n: int, noun: str = "case") -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


# case folder names as `dossier train` and the cross-generator benchmark make them
ORIGINS = (("synth-", "-hard", "synthetic hard"), ("synth-", "", "synthetic normal"), ("independent-", "", "independent generator"))


def _origins(cases: list[str]) -> str:
    kinds = Counter(next((label for prefix, suffix, label in ORIGINS if name.startswith(prefix) and name.endswith(suffix)), "labelled")
                    for name in cases)
    return ", ".join(f"{count} {label}" for label, count in kinds.items())


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
    return ModelInfo(meta["version"], folder, meta["created"], meta.get("metrics", {}), meta.get("data", {}), meta.get("training", {}).get("init"))


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


def model_roots(models_dir: Path) -> list[Path]:
    """Where version names are looked up, in this order: the models folder, then the shipped
    versions (once, when the models folder is the shipped one)."""
    return [models_dir] if models_dir.resolve() == MODELS_DIR else [models_dir, MODELS_DIR]


def is_version_name(text: str) -> bool:
    """`v2`, `v1-ft`: a version name; `./v2`, `classification/page_models/v2`, `~/m`: a path."""
    return re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", text) is not None


def resolve(version: str, roots: Sequence[Path] = (MODELS_DIR,)) -> Path:
    """A version name, looked up in `roots` in order (`model_roots`), or a path to a model folder."""
    if not is_version_name(version):
        folder = Path(version).expanduser()
        read_meta(folder)
        return folder
    for root in roots:
        if (root / version).is_dir():
            read_meta(root / version)
            return root / version
    raise ModelError(f"no page model {version!r} in {' or '.join(map(str, roots))} (see `dossier models list`; "
                     f"a model folder elsewhere is named by its path, e.g. ./{version})")


def reference(folder: Path, roots: Sequence[Path]) -> str:
    """What names `folder` for `--model` from any working folder: its version name where that
    finds this very folder, else its absolute path."""
    name = folder.name
    try:
        if is_version_name(name) and resolve(name, roots).resolve() == folder.resolve():
            return name
    except ModelError:
        pass
    return str(folder.resolve())


def new_version_folder(output: str, roots: Sequence[Path], replace: bool = False) -> Path:
    """Where `dossier train --output` writes: a version name into the models folder (`roots[0]`),
    a path as it is. An earlier model there is replaced only when `replace` says so; a folder
    holding anything else never is, and a shipped version's name is refused (the new model
    would hide it)."""
    if is_version_name(output):
        shipped = [root / output for root in roots[1:] if (root / output).exists()]
        if shipped:
            raise ModelError(f"{output} is the name of a shipped page model ({shipped[0]}): give the new one another name")
        folder = roots[0] / output
    else:
        folder = Path(output).expanduser().absolute()
    if folder.is_file() or (folder.is_dir() and any(folder.iterdir())):
        try:
            meta = read_meta(folder)
        except ModelError:
            raise ModelError(f"{folder} exists and is not a page model: choose another --output") from None
        if not replace:
            raise ModelError(f"{folder} holds page model {meta['version']} (created {meta['created']}): "
                             "--force replaces it, or choose another --output")
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
    document only where its type changes (`type_change`: the page's type differs from the page
    before's: a document whose first page is lost). Two documents of one type are told apart by
    what the second one's first page prints, never by a model's guess alone: measured across
    generators, a model sure of a start on a bare page was most often cutting a document in two
    (a 起诉意见书's second page). Only a title read fuzzily (a torn or smudged one) gives way, to a
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
    starts = guess.starts_document and type_change
    if guess.starts_document and not starts:
        reasons.append("continues: nothing printed starts a document here and the model's type does not change")
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

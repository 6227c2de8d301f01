"""Train, check and export a page model from training cases (folders of `pages.json` + `labels.json`, made by `dossier train`).

    cases → pages (kept pages in scan order, with their document and type)
          → variants (the page as read, its title lost, its text smudged) → features, once
          → sequences (whole cases, and documents recombined from all cases) → StreamModel
          → ONNX export → agreement check (ONNX vs torch) → metrics, plots, model card

Everything random flows from one seed, so the same cases and seed give the same model.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import torch
from torch import nn

from classification.dataset import DatasetError, load_case
from classification.features import FEATURES_VERSION, FeatureSpec, Featurizer, PageFeatures
from classification.model import INPUTS, ModelConfig, StreamModel, export_onnx
from classification.page_model import ModelError, PageModel, decode, read_meta, softmax, windowed
from classification.report import plot_confusion, plot_learning_curve, write_model_card
from classification.rules import RuleClassifier
from classification.taxonomy import Taxonomy
from ocr.inference import RuntimeOptions
from ocr.numbering import PAGE_PATTERNS
from ocr.output import atomic_folder
from ocr.page import THUMBNAIL_SIZE, Page, compact, page_from_record

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = 30
    batch: int = 8
    sequences_per_epoch: int | None = None  # recombined sequences besides the cases as scanned; default: pages / 6
    learning_rate: float = 1e-3
    seed: int = 0
    threads: int = 0
    model: ModelConfig = field(default_factory=ModelConfig)
    text_buckets: int = 8192


@dataclass
class CasePages:
    """A case's kept pages in scan order, each as a few featurized variants."""

    name: str
    variants: list[list[PageFeatures]]  # per page: [as read, title lost, smudged, ...]
    types: np.ndarray  # int64 type index per page
    documents: np.ndarray  # int64 document id per page (unique across cases)
    starts: np.ndarray  # int64: 1 where the page is its document's first in reading order


def fingerprint(folders: list[Path]) -> dict:
    """What the model was trained on: each case's name and a digest of its files."""
    digest = hashlib.sha256()
    cases = []
    for folder in sorted(folders):
        for name in ("pages.json", "labels.json"):
            digest.update((folder / name).read_bytes())
        cases.append(folder.name)
    return {"sha256": digest.hexdigest(), "cases": cases}


def load_pages(folders: list[Path], featurizer: Featurizer, rng: random.Random, progress: Progress) -> list[CasePages]:
    index = {code: i for i, code in enumerate(featurizer.spec.types)}
    out, next_doc = [], 0
    for k, folder in enumerate(sorted(folders, key=lambda f: f.name)):
        labelled = [lp for lp in load_case(folder) if lp.excluded is None]
        if not labelled:  # every page blank or a duplicate: nothing to learn from
            continue
        unknown = sorted({lp.type for lp in labelled} - set(index))
        if unknown:
            raise DatasetError(f"{folder}: document types the profile does not know: {', '.join(unknown)}")
        variants, types, docs, starts = [], [], [], []
        doc_ids: dict[int, int] = {}
        for lp in labelled:
            page = page_from_record(lp.record)
            variants.append([featurizer(v) for v in page_variants(page, featurizer.rules, rng)])
            types.append(index[lp.type])
            docs.append(doc_ids.setdefault(lp.document, next_doc + len(doc_ids)))
            starts.append(int(lp.starts_document))
        next_doc += len(doc_ids)
        out.append(CasePages(folder.name, variants, np.array(types, np.int64), np.array(docs, np.int64), np.array(starts, np.int64)))
        progress("features", k + 1, len(folders))
    return out


def page_variants(page: Page, rules: RuleClassifier, rng: random.Random) -> list[Page]:
    """The page as read, and as real scans and agencies vary it: its title torn or under a seal,
    its text smudged (characters misread, lines lost), no printed page number."""
    titles = {id(line) for line, _ in rules.title_lines(page)}
    pool = "".join(line.text for line in page.lines) or "口"

    def smudge(text: str, rate: float) -> str:
        return "".join(rng.choice(pool) if rng.random() < rate else c for c in text)

    no_title = [ln for ln in page.lines if id(ln) not in titles]
    smudged_title = [replace(ln, text=smudge(ln.text, 0.5)) if id(ln) in titles else ln for ln in page.lines]
    noisy = [replace(ln, text=smudge(ln.text, 0.12)) for ln in page.lines if rng.random() > 0.1]
    unnumbered = [ln for ln in page.lines if not any(p.search(compact(ln.text)) for p in PAGE_PATTERNS)]
    return [page] + [replace(page, lines=lines) for lines in (no_title, smudged_title, noisy, unnumbered)]


Sequence = tuple[list[PageFeatures], np.ndarray, np.ndarray]  # page features, type indices, starts


def sample_sequences(cases: list[CasePages], config: TrainConfig, rng: random.Random) -> list[Sequence]:
    """One epoch: every case as scanned (a random window if longer than the model's window),
    plus sequences of documents drawn from all cases in random order, now and then missing a
    first page (the next page then starts the document, as it would in a catalog).

    A page "starts" when it is its document's first page in reading order, wherever it was
    scanned: a 第2页 fed ahead of its 第1页 continues, and segmentation moves it by its number."""
    max_pages = config.model.max_pages

    def pick(variants: list[PageFeatures]) -> PageFeatures:
        return variants[0] if rng.random() < 0.5 else rng.choice(variants)

    out = []
    for case in cases:
        begin = rng.randrange(0, max(1, len(case.types) - max_pages + 1))
        sl = slice(begin, begin + max_pages)
        out.append(([pick(v) for v in case.variants[sl]], case.types[sl], case.starts[sl]))
    runs = [(case, s, e) for case in cases for s, e in _document_runs(case.documents)]
    # rare types come up as often as the square root of their share: more of what cases lack
    frequency = Counter(int(case.types[s]) for case, s, _ in runs)
    weights = [frequency[int(case.types[s])] ** -0.5 for case, s, _ in runs]
    for _ in range(recombined(config, cases)):
        length = rng.randint(min(8, max_pages), max(min(8, max_pages), max_pages // 2))
        feats, types, starts = [], [], []
        while len(feats) < length:
            case, s, e = rng.choices(runs, weights)[0]
            first = list(case.starts[s:e])
            if e - s > 1 and first[0] and rng.random() < 0.08:
                s, first = s + 1, [1] + first[2:]  # a document whose first page was lost
            feats += [pick(v) for v in case.variants[s:e]]
            types += list(case.types[s:e])
            starts += first
        out.append((feats[:max_pages], np.array(types[:max_pages]), np.array(starts[:max_pages])))
    rng.shuffle(out)
    return out


def recombined(config: TrainConfig, cases: list[CasePages]) -> int:
    if config.sequences_per_epoch is not None:
        return config.sequences_per_epoch
    return max(4, sum(len(c.types) for c in cases) // 6)


def _document_runs(documents: np.ndarray) -> list[tuple[int, int]]:
    bounds = [0, *np.flatnonzero(documents[1:] != documents[:-1]) + 1, len(documents)]
    return list(zip(bounds, bounds[1:]))


def batch_tensors(sequences: list[Sequence]) -> dict[str, torch.Tensor]:
    width = max(len(s[0]) for s in sequences)
    first = sequences[0][0][0]
    n = len(sequences)
    arrays = {
        "text": np.zeros((n, width, first.text.size), np.float32),
        "layout": np.zeros((n, width, first.layout.size), np.float32),
        "prior": np.zeros((n, width, first.prior.size), np.float32),
        "thumbnail": np.zeros((n, width, *first.thumbnail.shape), np.float32),
        "mask": np.zeros((n, width), np.int64),
        "types": np.full((n, width), -100, np.int64),
        "starts": np.full((n, width), -100, np.int64),
    }
    for i, (feats, types, starts) in enumerate(sequences):
        k = len(feats)
        arrays["text"][i, :k] = [f.text for f in feats]
        arrays["layout"][i, :k] = [f.layout for f in feats]
        arrays["prior"][i, :k] = [f.prior for f in feats]
        arrays["thumbnail"][i, :k] = [f.thumbnail for f in feats]
        arrays["mask"][i, :k] = 1
        arrays["types"][i, :k] = types
        arrays["starts"][i, :k] = starts
    return {k: torch.from_numpy(v) for k, v in arrays.items()}


def as_read(case: CasePages) -> dict[str, np.ndarray]:
    """A whole case, pages as read, as the model's batch-of-one inputs."""
    batch = batch_tensors([([v[0] for v in case.variants], case.types, case.starts)])
    return {k: batch[k].numpy() for k in INPUTS}


Runner = Callable[[dict[str, np.ndarray]], list[np.ndarray]]  # model inputs → type and start logits


def probabilities(run: Runner, case: CasePages, max_pages: int) -> tuple[np.ndarray, np.ndarray]:
    types, starts = windowed(run, as_read(case), max_pages)
    return softmax(types), softmax(starts)[:, 1]


def evaluate(run: Runner, cases: list[CasePages], n_types: int, max_pages: int) -> dict:
    """Page-type accuracy and boundary F1 of decoded predictions, on pages as read."""
    confusion = np.zeros((n_types, n_types), np.int64)
    tp = fp = fn = 0
    for case in cases:
        type_p, start_p = probabilities(run, case, max_pages)
        types, starts = decode(type_p, start_p)
        truth = case.starts.astype(bool)
        np.add.at(confusion, (case.types, types), 1)
        tp += int((starts & truth).sum())
        fp += int((starts & ~truth).sum())
        fn += int((~starts & truth).sum())
    precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return {
        "page_type_accuracy": float(np.trace(confusion) / max(1, confusion.sum())),
        "boundary_f1": 2 * precision * recall / max(1e-9, precision + recall),
        "pages": int(confusion.sum()),
        "confusion": confusion.tolist(),
    }


def torch_runner(model: StreamModel) -> Runner:
    def run(inputs: dict[str, np.ndarray]) -> list[np.ndarray]:
        model.eval()
        with torch.no_grad():
            return [out.numpy() for out in model(*(torch.from_numpy(inputs[k]) for k in INPUTS))]

    return run


def split(folders: list[Path]) -> tuple[list[Path], list[Path]]:
    """Every fifth case (in name order) is held out for validation; with fewer than five cases
    there is nothing to spare and the training cases validate themselves."""
    ordered = sorted(folders, key=lambda f: f.name)
    held = [f for i, f in enumerate(ordered) if i % 5 == 4]
    return ([f for f in ordered if f not in held], held) if held else (ordered, ordered)


def train(
    folders: list[Path], output: Path, taxonomy: Taxonomy, config: TrainConfig = TrainConfig(), version: str | None = None,
    init: Path | None = None, progress: Progress | None = None,
) -> dict:
    """Train on the case folders and write a model version folder (atomically); returns its
    model.json."""
    progress = progress or (lambda stage, done, total: None)
    started = time.perf_counter()
    rng = random.Random(config.seed)
    torch.manual_seed(config.seed)
    if config.threads:
        torch.set_num_threads(config.threads)
    spec = FeatureSpec(tuple(taxonomy.codes), config.text_buckets)
    featurizer = Featurizer(spec, RuleClassifier(taxonomy))
    train_dirs, val_dirs = split(folders)
    train_cases = load_pages(train_dirs, featurizer, rng, progress)
    val_cases = train_cases if val_dirs == train_dirs else load_pages(val_dirs, featurizer, rng, progress)
    if not train_cases or not val_cases:
        raise DatasetError("no pages to train or validate on: every case is empty or all its pages are excluded")

    model = StreamModel(spec, config.model)
    if init is not None:
        check_init(init, spec, config.model)
        model.load_state_dict({k: v.float() for k, v in torch.load(init / "weights.pt").items()})
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.learning_rate, weight_decay=0.01)
    steps_per_epoch = -(-(len(train_cases) + recombined(config, train_cases)) // config.batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, config.learning_rate, total_steps=config.epochs * steps_per_epoch, pct_start=0.1)
    history = []
    for epoch in range(config.epochs):
        model.train()
        sequences = sample_sequences(train_cases, config, rng)
        losses = []
        for b in range(0, len(sequences), config.batch):
            batch = batch_tensors(sequences[b:b + config.batch])
            types, starts = model(*(batch[k] for k in INPUTS))
            loss = nn.functional.cross_entropy(types.flatten(0, 1), batch["types"].flatten(), ignore_index=-100)
            loss = loss + nn.functional.cross_entropy(starts.flatten(0, 1), batch["starts"].flatten(), ignore_index=-100)
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            losses.append(loss.item())
        scores = evaluate(torch_runner(model), val_cases, len(spec.types), config.model.max_pages)
        history.append({"epoch": epoch + 1, "loss": float(np.mean(losses)), "page_type_accuracy": scores["page_type_accuracy"], "boundary_f1": scores["boundary_f1"]})
        progress("train", epoch + 1, config.epochs)

    final = evaluate(torch_runner(model), val_cases, len(spec.types), config.model.max_pages)
    with atomic_folder(output) as staging:
        # a fixed example: the export must not depend on the shape of some case
        pages = max(2, min(8, config.model.max_pages - 1))
        example = {k: torch.zeros(2, pages, *shape) for k, shape in
                   (("text", (spec.text_buckets,)), ("layout", (spec.layout_size,)), ("prior", (spec.prior_size,)), ("thumbnail", (1, THUMBNAIL_SIZE[1], THUMBNAIL_SIZE[0])))}
        example["mask"] = torch.ones(2, pages, dtype=torch.int64)
        export_onnx(model, example, staging / "model.onnx")
        torch.save({k: v.half() for k, v in model.state_dict().items()}, staging / "weights.pt")
        meta = {
            "version": version or output.name,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "features": FEATURES_VERSION,
            "types": list(spec.types),
            "text_buckets": spec.text_buckets,
            "model": config.model.to_dict(),
            "training": {"epochs": config.epochs, "batch": config.batch, "sequences_per_epoch": recombined(config, train_cases),
                         "learning_rate": config.learning_rate, "seed": config.seed, "init": str(init) if init else None,
                         "seconds": None},
            "data": {**fingerprint(folders), "train": [f.name for f in train_dirs], "validation": [f.name for f in val_dirs],
                     "train_pages": int(sum(len(c.types) for c in train_cases)), "validation_pages": final["pages"]},
            "metrics": {k: final[k] for k in ("page_type_accuracy", "boundary_f1")},
            "parameters": int(sum(p.numel() for p in model.parameters())),
        }
        (staging / "model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
        meta["agreement"] = check_agreement(model, staging, taxonomy, val_cases)
        meta["training"]["seconds"] = round(time.perf_counter() - started, 1)
        (staging / "model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
        report = {"history": history, "validation": final, "agreement": meta["agreement"]}
        (staging / "metrics.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        plot_learning_curve(history, staging / "learning_curve.png")
        plot_confusion(np.array(final["confusion"]), list(spec.types), staging / "confusion.png")
        write_model_card(meta, history, staging / "MODEL_CARD.md")
    return meta


class AgreementError(RuntimeError):
    pass


def check_init(init: Path, spec: FeatureSpec, config: ModelConfig) -> None:
    """Fine-tuning continues a model with the same features, types and shape, or not at all."""
    meta = read_meta(init)
    theirs = (meta["features"], tuple(meta["types"]), meta["text_buckets"], ModelConfig(**meta["model"]))
    ours = (FEATURES_VERSION, spec.types, spec.text_buckets, config)
    if theirs != ours or not (init / "weights.pt").exists():
        raise ModelError(f"{init}: cannot fine-tune from it: its weights, features, document types or model shape differ "
                         "from this training run's (train from scratch, or use the same profile and settings)")


def check_agreement(model: StreamModel, folder: Path, taxonomy: Taxonomy, cases: list[CasePages]) -> dict:
    """The exported ONNX graph must decide what the torch model decides."""
    session = PageModel(folder, taxonomy, RuntimeOptions())
    same = total = 0
    worst = 0.0
    for case in cases:
        t_types, t_starts = probabilities(torch_runner(model), case, model.config.max_pages)
        o_types, o_starts = probabilities(session.backend.run, case, session.max_pages)
        worst = max(worst, float(np.abs(t_types - o_types).max()), float(np.abs(t_starts - o_starts).max()))
        same += int(((t_types.argmax(-1) == o_types.argmax(-1)) & ((t_starts >= 0.5) == (o_starts >= 0.5))).sum())
        total += len(case.types)
    agreement = {"pages": total, "same_decision": same / max(1, total), "max_probability_difference": worst}
    if same != total or worst > 1e-3:
        raise AgreementError(f"ONNX export disagrees with torch: {agreement}")
    return agreement


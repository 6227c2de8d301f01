"""Page model training end to end on small cases: data → train → export → load → predict."""

import json
import shutil
from dataclasses import replace

import numpy as np
import onnx
import pytest
import torch

from classification.taxonomy import load_taxonomy
from classification.features import FeatureSpec
from classification.model import INPUTS, ModelConfig, StreamModel, export_onnx
from classification.page_model import ModelError, PageModel, decode, list_models
from classification.training import TrainConfig, split, train
from ocr.inference import OnnxBackend
from ocr.page import page_from_record
from tests.factories import training_case

TAXONOMY = load_taxonomy(None)
TINY = TrainConfig(epochs=12, batch=4, sequences_per_epoch=8, seed=3, threads=1, text_buckets=1024,
                   model=ModelConfig(hidden=32, layers=1, heads=2, max_pages=32, dropout=0.0))


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    root = tmp_path_factory.mktemp("cases")
    for seed in range(5):
        training_case(root / f"case-{seed}", seed)
    return sorted(root.iterdir())


@pytest.fixture(scope="module")
def trained(cases, tmp_path_factory):
    out = tmp_path_factory.mktemp("models") / "t1"
    return out, train(cases, out, TAXONOMY, TINY)


def test_training_writes_a_checked_model_version_with_its_reports(trained):
    out, meta = trained
    assert {"model.onnx", "model.json", "weights.pt", "metrics.json", "MODEL_CARD.md", "confusion.png", "learning_curve.png"} <= {p.name for p in out.iterdir()}
    assert meta["agreement"]["same_decision"] == 1.0 and meta["agreement"]["max_probability_difference"] < 1e-3
    assert meta["data"]["validation"] == ["case-4"] and "case-4" not in meta["data"]["train"]
    history = json.loads((out / "metrics.json").read_text())["history"]
    assert len(history) == TINY.epochs and history[-1]["loss"] < history[0]["loss"]
    assert [m.version for m in list_models(out.parent)] == ["t1"]
    # every input's axes keep their names, which the exporter's "axis name will not be used" notice seemed to doubt
    graph = onnx.load(out / "model.onnx").graph
    assert {i.name: [d.dim_param for d in i.type.tensor_type.shape.dim][:2] for i in graph.input} == {name: ["batch", "pages"] for name in INPUTS}


def test_the_trained_model_labels_pages_it_has_not_seen(trained, tmp_path):
    out, _ = trained
    training_case(tmp_path / "unseen", 99)
    docs = json.loads((tmp_path / "unseen" / "labels.json").read_text())["documents"]
    pages = [page_from_record(r) for r in json.loads((tmp_path / "unseen" / "pages.json").read_text())]
    labels = PageModel(out, TAXONOMY)(pages)
    want = [(d["type"], i == 0) for d in docs for i in range(len(d["pages"]))]
    got = [(lb.type, lb.starts_document) for lb in labels]
    assert sum(w == g for w, g in zip(want, got)) >= 0.9 * len(want)
    assert any(r.startswith("page model t1") for r in labels[0].reasons)


def test_the_same_data_and_seed_give_the_same_model(cases, trained, tmp_path):
    out, _ = trained
    train(cases, tmp_path / "again", TAXONOMY, TINY)
    first, second = torch.load(out / "weights.pt"), torch.load(tmp_path / "again" / "weights.pt")
    assert first.keys() == second.keys() and all(torch.equal(first[k], second[k]) for k in first)


def test_onnx_export_agrees_with_torch_on_any_case_length(tmp_path):
    torch.manual_seed(0)
    spec = FeatureSpec(tuple(TAXONOMY.codes), 512)
    model = StreamModel(spec, ModelConfig(hidden=32, layers=2, heads=2, max_pages=64)).eval()

    def inputs(pages):
        rng = np.random.default_rng(pages)
        return {
            "text": rng.random((1, pages, 512), np.float32), "layout": rng.random((1, pages, spec.layout_size), np.float32),
            "prior": rng.random((1, pages, spec.prior_size), np.float32), "thumbnail": rng.random((1, pages, 1, 64, 48), np.float32),
            "mask": np.ones((1, pages), np.int64),
        }

    export_onnx(model, {k: torch.from_numpy(v) for k, v in inputs(5).items()}, tmp_path / "m.onnx")
    backend = OnnxBackend(tmp_path / "m.onnx")
    for pages in (1, 17, 64):
        x = inputs(pages)
        with torch.no_grad():
            expected = [t.numpy() for t in model(*(torch.from_numpy(x[k]) for k in INPUTS))]
        for got, want in zip(backend.run(x), expected):
            assert got.shape == want.shape and np.abs(got - want).max() < 1e-4


def test_decoding_gives_each_document_the_type_its_pages_agree_on():
    type_p = np.array([[0.4, 0.6], [0.9, 0.1], [0.9, 0.1], [0.2, 0.8]])
    types, starts = decode(type_p, np.array([0.1, 0.2, 0.3, 0.9]))
    assert starts.tolist() == [True, False, False, True]  # the first page always starts
    assert types.tolist() == [0, 0, 0, 1]


def test_validation_cases_are_held_out_when_there_are_enough(tmp_path):
    folders = [tmp_path / f"c{i}" for i in range(10)]
    train_dirs, val_dirs = split(folders)
    assert val_dirs == [folders[4], folders[9]] and not set(val_dirs) & set(train_dirs)
    assert split(folders[:3]) == (folders[:3], folders[:3])


def test_fine_tuning_starts_from_a_trained_version(cases, trained, tmp_path):
    out, _ = trained
    tuned = train(cases[:2], tmp_path / "tuned", TAXONOMY, replace(TINY, epochs=1), init=out)
    assert tuned["training"]["init"] == str(out)
    assert tuned["metrics"]["page_type_accuracy"] >= 0.9  # one epoch on two cases keeps what it knew


def test_cases_longer_than_the_window_train_and_check_in_windows(cases, tmp_path):
    small = replace(TINY, epochs=1, model=replace(TINY.model, max_pages=4))
    meta = train(cases, tmp_path / "w4", TAXONOMY, small)
    assert meta["agreement"]["same_decision"] == 1.0 and meta["data"]["validation_pages"] > 4


def test_fine_tuning_refuses_a_model_of_another_shape(cases, trained, tmp_path):
    out, _ = trained
    with pytest.raises(ModelError, match="cannot fine-tune"):
        train(cases, tmp_path / "bad", TAXONOMY, replace(TINY, text_buckets=2048), init=out)


def test_listing_skips_staging_and_broken_folders(trained):
    out, _ = trained
    (out.parent / ".t1.unfinished").mkdir()
    shutil.copytree(out, out.parent / ".t1.unfinished" / "copy")
    broken = out.parent / "broken"
    broken.mkdir()
    (broken / "model.json").write_text("{")
    (broken / "model.onnx").write_bytes(b"")
    assert [m.version for m in list_models(out.parent)] == ["t1"]
    with pytest.raises(ModelError, match="unreadable"):
        PageModel(broken, TAXONOMY)

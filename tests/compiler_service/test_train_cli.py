"""`dossier train`, `dossier models list` and `dossier data import` from the command line: generated
cases read with the real OCR, a real training run, the exported model loaded and used."""

import json

from typer.testing import CliRunner

from cataloging.taxonomy import load_taxonomy
from classification.dataset import load_case
from classification.page_model import PageModel
from compiler_service.cli import app
from ocr.page import page_from_record

runner = CliRunner()


def test_train_on_generated_cases_then_list_and_use_the_model(tmp_path, monkeypatch):
    cache, models = tmp_path / "cache", tmp_path / "models"
    args = ["train", "--synth-pages", "16", "--case-pages", "8", "--epochs", "2", "--cache", str(cache), "--output", str(models / "tiny")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "ONNX agrees with torch on 100.0%" in " ".join(result.output.split())
    cases = sorted(cache.iterdir())
    assert [c.name for c in cases] == ["synth-70001-8", "synth-70002-8-hard"]
    read_at = [(c / "pages.json").stat().st_mtime_ns for c in cases]

    again = runner.invoke(app, args[:-1] + [str(models / "tiny2"), "--seed", "1"])
    assert again.exit_code == 0, again.output
    assert [(c / "pages.json").stat().st_mtime_ns for c in cases] == read_at  # the cases were not read again

    monkeypatch.setenv("DOSSIER_MODELS_DIR", str(models))
    listed = runner.invoke(app, ["models", "list"])
    assert listed.exit_code == 0 and "tiny" in listed.output and "tiny2" in listed.output

    meta = json.loads((models / "tiny" / "model.json").read_text())
    assert meta["data"]["cases"] == [c.name for c in cases] and len(meta["data"]["sha256"]) == 64
    kept = [lp for lp in load_case(cases[0]) if lp.excluded is None]
    labels = PageModel(models / "tiny", load_taxonomy(None))([page_from_record(lp.record) for lp in kept])
    assert len(labels) == len(kept) and labels[0].starts_document


def test_train_without_data_is_refused(tmp_path):
    result = runner.invoke(app, ["train", "--output", str(tmp_path / "m")])
    assert result.exit_code == 2 and "nothing to train on" in result.output

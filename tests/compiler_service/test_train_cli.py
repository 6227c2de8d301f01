"""`dossier train`, `dossier models list` and `dossier data import` from the command line: generated
cases read with the real OCR, a real training run, the exported model loaded and used."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from classification.taxonomy import load_taxonomy
from classification.dataset import load_case
from classification.page_model import MODELS_DIR, PageModel
from compiler_service.cli import app
from ocr.page import page_from_record
from tests.conftest import WARRANT_PAGE, draw_page
from tests.factories import training_case

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


# --- the retrain round trip as the README shows it, outside the checkout -------------------------
#
# Training cases are drawn (tests.factories.training_case: no OCR), one epoch each, so the runs take
# seconds; the model is then used by the compile it was trained for.

DOSSIER = Path(sys.executable).with_name("dossier")

# Records every attempt to import torchvision: it is not installed, and an installed one fails to
# import beside torch 2.13, so nothing on the training path may reach for it. (An audit hook sees
# `import` statements only, not the ONNX exporter's find_spec probe for it.)
IMPORT_WATCH = """
import os, sys
def watch(event, args):
    if event == "import" and args[0].split(".")[0] == "torchvision":
        with open(os.environ["TORCHVISION_IMPORTS"], "a") as log:
            log.write(args[0] + "\\n")
sys.addaudithook(watch)
"""


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> list[Path]:
    root = tmp_path_factory.mktemp("training-cases")
    return [training_case(root / f"case-{seed}", seed) for seed in range(5)]


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> dict[str, Path]:
    """A user's home with the default data folder, and a working folder outside the checkout."""
    root = tmp_path_factory.mktemp("home")
    (root / "work").mkdir()
    return {"home": root, "data": root / ".local" / "share" / "dossier", "work": root / "work"}


@pytest.fixture
def user(home, monkeypatch) -> dict[str, Path]:
    """This process as that user, in that working folder."""
    monkeypatch.setenv("HOME", str(home["home"]))
    monkeypatch.setenv("DOSSIER_DATA_DIR", str(home["data"]))
    monkeypatch.delenv("DOSSIER_MODELS_DIR", raising=False)
    monkeypatch.delenv("DOSSIER_PAGE_MODEL", raising=False)
    monkeypatch.chdir(home["work"])
    return home


@pytest.fixture(scope="module")
def trained_by_name(cases, home, tmp_path_factory) -> tuple[subprocess.CompletedProcess, str]:
    """`dossier train --output v2` as a user runs it: the installed command, in a fresh process;
    and the torchvision imports it tried."""
    hooks = tmp_path_factory.mktemp("hooks")
    (hooks / "sitecustomize.py").write_text(IMPORT_WATCH)
    env = {**os.environ, "HOME": str(home["home"]), "DOSSIER_DATA_DIR": str(home["data"]), "PYTHONPATH": str(hooks),
           "TORCHVISION_IMPORTS": str(hooks / "torchvision-imports.txt")}
    env.pop("DOSSIER_MODELS_DIR", None)
    run = subprocess.run([str(DOSSIER), "train", *(f"--data={c}" for c in cases), "--epochs", "1", "--output", "v2"],
                         cwd=home["work"], env=env, capture_output=True, text=True, timeout=300)
    imports = hooks / "torchvision-imports.txt"
    return run, imports.read_text() if imports.exists() else ""


@pytest.fixture(scope="module")
def scan(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("scan") / "warrant.png"
    Image.fromarray(draw_page(WARRANT_PAGE)).save(path)
    return path


def _compile_with(model: str, scan: Path, output: Path) -> dict:
    """Compile one page with `--model`; the manifest's page model entry and the page's reasons."""
    result = runner.invoke(app, ["compile", str(scan), "--output", str(output), "--model", model])
    assert result.exit_code == 0, result.output
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    reasons = [r for page in json.loads((output / "pages.json").read_text(encoding="utf-8")) for r in page["label"]["reasons"]]
    return {"models": manifest["software"]["models"], "reasons": reasons}


def test_train_by_name_writes_into_the_models_folder_quietly_and_ends_with_the_model_value(trained_by_name, home):
    run, torchvision_imports = trained_by_name
    assert run.returncode == 0, run.stderr
    model = home["data"] / "page-models" / "v2"
    assert json.loads((model / "model.json").read_text())["version"] == "v2"
    assert not (home["work"] / "v2").exists() and not (home["work"] / "models").exists()
    assert run.stdout.strip().splitlines()[-1].startswith("use it with --model v2,")
    # no notice from torch, its exporter or onnx: only the progress bars
    assert "warn" not in run.stderr.lower() and "torchvision" not in run.stderr, run.stderr
    assert torchvision_imports == ""
    assert "on 1 held-out case (" in run.stdout  # five cases: the fifth is held out


def test_a_version_trained_by_name_is_compiled_with_from_any_folder(trained_by_name, user, scan):
    used = _compile_with("v2", scan, user["work"] / "out")
    onnx_file = user["data"] / "page-models" / "v2" / "model.onnx"
    assert used["models"]["page_model v2"] == hashlib.sha256(onnx_file.read_bytes()).hexdigest()
    assert any("page model v2" in reason for reason in used["reasons"])


def test_models_list_shows_every_model_with_its_training_data_and_validation_cases(trained_by_name, user):
    listed = runner.invoke(app, ["models", "list"])
    assert listed.exit_code == 0, listed.output
    text = " ".join(listed.output.split())
    mine = str(user["data"] / "page-models" / "v2")
    assert f"v2 {mine}" in text and "trained on 4 cases (" in text and "on 1 held-out case (" in text and "labelled" in text
    shipped = str(MODELS_DIR / "v1")
    assert f"v1 {shipped}" in text and "trained on 10 cases (571 pages: 5 synthetic normal, 5 synthetic hard)" in text
    assert "on 2 held-out cases (114 pages: 1 synthetic normal, 1 synthetic hard)" in text
    assert "the model alone" in text and "Accuracy table" in text  # what the figures are, and what they are not


def test_train_refuses_to_replace_a_model_a_shipped_name_or_other_files(trained_by_name, user, cases, tmp_path):
    model_json = user["data"] / "page-models" / "v2" / "model.json"
    before = model_json.read_bytes()
    again = runner.invoke(app, ["train", "--data", str(cases[0]), "--epochs", "1", "--output", "v2"])
    assert again.exit_code == 2 and "--force replaces it" in again.output and model_json.read_bytes() == before
    shipped = runner.invoke(app, ["train", "--data", str(cases[0]), "--epochs", "1", "--output", "v1", "--force"])
    assert shipped.exit_code == 2 and "name of a shipped page model" in shipped.output
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "keep.txt").write_text("keep me")
    other = runner.invoke(app, ["train", "--data", str(cases[0]), "--epochs", "1", "--output", str(tmp_path / "notes"), "--force"])
    assert other.exit_code == 2 and "is not a page model" in other.output
    assert (tmp_path / "notes" / "keep.txt").read_text() == "keep me"


def test_one_case_is_trained_with_a_warning_and_the_folder_used_by_its_path(trained_by_name, user, cases, scan, tmp_path, monkeypatch):
    shutil.copytree(user["data"] / "page-models" / "v2", user["work"] / "mine")  # an earlier model in the folder
    refused = runner.invoke(app, ["train", "--data", str(cases[0]), "--epochs", "1", "--output", "./mine"])
    assert refused.exit_code == 2 and "--force" in refused.output
    result = runner.invoke(app, ["train", "--data", str(cases[0]), "--epochs", "1", "--output", "./mine", "--force"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "warning: 1 training case: too few to hold one out" in text and "on its own 1 training case" in text
    folder = user["work"] / "mine"
    meta = json.loads((folder / "model.json").read_text())
    assert meta["version"] == "mine" and meta["data"]["cases"] == ["case-0"] == meta["data"]["validation"]
    value = result.output.strip().splitlines()[-1].split("--model ")[1].split(",")[0]
    assert value == str(folder)  # no name finds a folder outside the models folders: its absolute path
    other_folder = tmp_path / "elsewhere"
    other_folder.mkdir()
    monkeypatch.chdir(other_folder)  # the printed value works from any folder
    used = _compile_with(value, scan, other_folder / "out")
    assert used["models"][f"page_model {folder}"] == hashlib.sha256((folder / "model.onnx").read_bytes()).hexdigest()
    assert any("page model mine" in reason for reason in used["reasons"])

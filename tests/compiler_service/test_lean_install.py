"""`pip install .` alone compiles, serves and reviews: those paths import nothing of the extras
(torch, faker, matplotlib... in `train`, `synth`, `bench`, `ray`), a command that needs one says
which in one line, and the shipped page model is package data (a wheel compiles with it).

The install itself (a fresh venv, a generated case compiled, its size) is measured by hand: README,
"Install"; benchmarks/RESULTS.md.
"""

from __future__ import annotations

import fnmatch
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from PIL import Image

from classification.page_model import MODELS_DIR

ROOT = Path(__file__).resolve().parents[2]
EXTRA_MODULES = ("torch", "transformers", "onnxscript", "onnx2torch", "matplotlib", "faker", "ray")


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_the_compile_serve_review_paths_import_no_extra():
    done = _python(
        "import sys\n"
        "import compiler_service.pipeline, compiler_service.api, compiler_service.cli, compiler_service.review_app\n"
        "import compiler_service.review, classification.page_model, cataloging.assemble\n"
        f"print(sorted(m for m in {EXTRA_MODULES!r} if m in sys.modules))\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", f"imported on the compile/serve/review path: {done.stdout.strip()}"


@pytest.mark.parametrize(("argv", "missing", "extra"), [
    (["synth", "--pages", "5", "--output", "{tmp}/case"], "faker", "synth"),
    (["train", "--data", "{tmp}", "--output", "{tmp}/v9"], "torch", "train"),
    (["serve", "--ray", "--port", "0"], "ray", "ray"),
    (["compile", "{tmp}/scan.png", "--output", "{tmp}/out"], "torch", "train"),  # with DOSSIER_INFERENCE_BACKEND=torch
])
def test_a_command_names_the_extra_it_needs(tmp_path, argv, missing, extra):
    Image.new("L", (850, 1100), 255).save(tmp_path / "scan.png")
    argv = [a.format(tmp=tmp_path) for a in argv]
    done = _python(f"import os, sys\nsys.modules[{missing!r}] = None  # as if not installed\nos.environ['DOSSIER_INFERENCE_BACKEND'] = 'torch'\n"
                   f"sys.argv = ['dossier', *{argv!r}]\nfrom compiler_service.cli import app\napp()\n")
    command = {"serve": "serve --ray", "compile": "compile with DOSSIER_INFERENCE_BACKEND=torch"}.get(argv[0], argv[0])
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines()[-1] == f"error: dossier {command} needs the {extra} extra: pip install 'dossier[{extra}]'"


def test_the_extras_and_the_package_data():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    main = " ".join(project["project"]["dependencies"])
    for name in ("torch", "transformers", "onnxscript", "faker", "matplotlib", "ray"):
        assert name not in main, f"{name} is a main dependency: every install pays for it"
    extras = project["project"]["optional-dependencies"]
    assert "torch==2.13.0" in extras["train"], "exactly this torch (the CPU build)"
    assert any(r.startswith("faker") for r in extras["synth"])
    assert any(r.startswith("matplotlib") for r in extras["bench"])
    assert "onnxruntime" in main.split("onnxruntime>")[0] + "onnxruntime>", "compiling runs onnxruntime"
    patterns = project["tool"]["setuptools"]["package-data"]["classification"]
    package = ROOT / "classification"
    shipped = [p for p in MODELS_DIR.rglob("*") if p.is_file()]
    assert any(p.name == "model.onnx" for p in shipped), f"no page model in {MODELS_DIR}"
    assert MODELS_DIR.is_relative_to(package), "the shipped page models live outside the package: a wheel would lack them"
    for path in shipped:
        relative = path.relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(relative, p) for p in patterns), f"{relative} is not package data"

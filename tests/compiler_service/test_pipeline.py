"""The whole pipeline on a small generated case, scored against its ground truth."""

import json
import subprocess

import pytest

from cataloging.catalog import validate_catalog
from casegen.evaluate import evaluate_files
from casegen.synthetic import generate_case
from compiler_service.pipeline import compile_dossier
from compiler_service.settings import Settings


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    root = tmp_path_factory.mktemp("synthetic")
    truth = generate_case(12, 424242, root / "case")
    progress = []
    result = compile_dossier([root / "case" / "scans"], root / "out", Settings(), lambda *a: progress.append(a))
    return truth, result, progress


def test_every_page_is_accounted_for_and_the_catalog_is_valid(case):
    truth, result, _ = case
    catalog = json.loads(result.catalog.read_text(encoding="utf-8"))
    validate_catalog(catalog)
    ev = evaluate_files(truth, result.catalog, result.pdf)
    assert ev.pages_lost == [] and ev.pages_doubled == []
    assert result.pages == sum(s["pages"] for s in json.loads(truth.read_text(encoding="utf-8"))["sources"])


def test_the_case_is_compiled_close_to_its_truth(case):
    truth, result, _ = case
    ev = evaluate_files(truth, result.catalog, result.pdf)
    assert ev.page_type_accuracy >= 0.8
    assert ev.boundary_f1 >= 0.8
    assert ev.pairwise_order_accuracy >= 0.8
    assert ev.cer <= 0.1


def test_pdf_is_sound_and_stage_results_are_kept(case):
    _, result, progress = case
    assert subprocess.run(["qpdf", "--check", str(result.pdf)], capture_output=True).returncode == 0
    pages = json.loads((result.output / "pages.json").read_text(encoding="utf-8"))
    assert len(pages) == result.pages and all("lines" in p and "rotation" in p for p in pages)
    stages = {stage for stage, _, _ in progress}
    assert {"ocr", "assemble"} <= stages
    assert progress[-1][1] == progress[-1][2]  # the last report is a finished stage
    assert set(result.timings) >= {"rasterize", "ocr", "classify", "assemble", "total"}

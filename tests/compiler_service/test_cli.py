"""`dossier compile` end to end on a small drawn case: real models, poppler, reportlab, qpdf."""

import json
import subprocess

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from cataloging.catalog import validate_catalog
from compiler_service.cli import app
from ocr.orientation import rotate
from tests.conftest import RECORD_FIRST_PAGE, RECORD_SECOND_PAGE, WARRANT_PAGE, draw_page

runner = CliRunner()


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    root = tmp_path_factory.mktemp("case")
    scans = root / "scans"
    scans.mkdir()
    record_1 = Image.fromarray(draw_page(RECORD_FIRST_PAGE))
    record_2 = Image.fromarray(rotate(draw_page(RECORD_SECOND_PAGE), 180)[0])  # fed upside down
    warrant = Image.fromarray(draw_page(WARRANT_PAGE))
    blank = Image.fromarray(np.random.default_rng(1).normal(246, 5, (2339, 1654, 3)).clip(0, 255).astype(np.uint8))
    record_1.save(scans / "01.pdf", save_all=True, append_images=[blank, record_2], resolution=200)
    warrant.save(scans / "02.jpg", dpi=(200, 200), quality=85)
    result = runner.invoke(app, ["compile", str(scans), "--output", str(root / "out")])
    assert result.exit_code == 0, result.output
    return root / "out", json.loads((root / "out" / "catalog.json").read_text(encoding="utf-8")), result.output


def test_catalog_is_valid_and_accounts_for_every_page(compiled):
    out, catalog, _ = compiled
    validate_catalog(catalog)
    placed = [(p["source"]["file"], p["source"]["page"]) for d in catalog["documents"] for p in d["pages"]]
    excluded = [(e["source"]["file"], e["source"]["page"]) for e in catalog["excluded"]]
    assert sorted(placed + excluded) == [(0, 1), (0, 2), (0, 3), (1, 1)]
    assert [e["reason"] for e in catalog["excluded"]] == ["blank"]


def test_documents_are_typed_ordered_and_upright(compiled):
    _, catalog, _ = compiled
    docs = catalog["documents"]
    assert [d["type"] for d in docs] == ["detention_warrant", "interrogation_record"]
    assert docs[0]["doc_number"] == "深公（福）拘字〔2024〕1023号"
    assert docs[1]["date"].startswith("2024-03-12")
    assert docs[1]["persons"][0] == "刘建国"
    assert [p["rotation"] for p in docs[1]["pages"]] == [0, 180]


def test_pdf_passes_qpdf_and_has_searchable_text(compiled):
    out, catalog, output = compiled
    pdf = out / "dossier.pdf"
    assert subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True).returncode == 0
    page_of = {(p["source"]["file"], p["source"]["page"]): p["output_page"] for d in catalog["documents"] for p in d["pages"]}
    text = subprocess.run(["pdftotext", "-f", str(page_of[(0, 3)]), "-l", str(page_of[(0, 3)]), str(pdf), "-"], capture_output=True, text=True).stdout
    assert "以上笔录我看过" in text.replace(" ", "")
    first = subprocess.run(["pdftotext", "-l", "3", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "卷内目录" in first.replace(" ", "")
    assert "documents" in output and "excluded" in output


def test_unreadable_input_exits_2_naming_the_file_and_leaves_nothing(tmp_path):
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4\ngarbage")
    result = runner.invoke(app, ["compile", str(bad), "--output", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "scan.pdf" in result.output
    assert not (tmp_path / "out").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]


def test_an_unknown_page_model_exits_2_before_reading_anything(tmp_path):
    scan = tmp_path / "scan.png"
    Image.fromarray(draw_page(WARRANT_PAGE)).save(scan)
    result = runner.invoke(app, ["compile", str(scan), "--output", str(tmp_path / "out"), "--model", "v999"])
    assert result.exit_code == 2 and "v999" in result.output and "models list" in " ".join(result.output.split())
    assert not (tmp_path / "out").exists()


def test_an_output_folder_with_other_files_or_inside_the_inputs_is_refused(tmp_path):
    scans = tmp_path / "scans"
    scans.mkdir()
    Image.fromarray(draw_page(WARRANT_PAGE)).save(scans / "a.jpg")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("keep me")
    for output, reason in ((busy, "not empty"), (scans / "out", "overlaps the input")):
        result = runner.invoke(app, ["compile", str(scans), "--output", str(output)])
        assert result.exit_code == 2 and reason in result.output
    assert (busy / "notes.txt").read_text() == "keep me"
    assert sorted(p.name for p in scans.iterdir()) == ["a.jpg"]

"""Training cases from corrected dossiers: stage results joined with the corrected catalog."""

import hashlib
import json

import pytest

from classification.dataset import DatasetError, load_case
from compiler_service.datasets import case_folders, import_dossier
from compiler_service.settings import Settings
from ocr.page import page_record
from tests.factories import page as factory_page


def _dossier(root, scan_bytes=b"%PDF-1.4 scan"):
    root.mkdir()
    (root / "scans").mkdir()
    (root / "scans" / "a.pdf").write_bytes(scan_bytes)
    page = factory_page([("讯问笔录", 0.1, 64)])
    page.make_thumbnail()
    thumbnail = page_record(page)["thumbnail"]
    records = [{"source": {"file": 0, "page": n}, "size": [1654, 2339], "lines": [], "regions": [], "thumbnail": thumbnail} for n in (1, 2, 3)]
    (root / "out").mkdir()
    (root / "out" / "pages.json").write_text(json.dumps(records))
    digest = hashlib.sha256(scan_bytes).hexdigest()
    catalog = {
        "sources": [{"name": "a.pdf", "sha256": digest, "pages": 3}],
        # the compiler said one document of three pages; the clerk split it and excluded a blank
        "documents": [{"type": "interrogation_record", "pages": [{"source": {"file": 0, "page": 1}}]},
                      {"type": "detention_warrant", "pages": [{"source": {"file": 0, "page": 3}}]}],
        "excluded": [{"source": {"file": 0, "page": 2}, "reason": "blank"}],
    }
    (root / "corrected.json").write_text(json.dumps(catalog))
    return root


def test_a_corrected_catalog_becomes_a_training_case(tmp_path):
    root = _dossier(tmp_path / "d")
    folder = import_dossier(root / "out", tmp_path / "data" / "case-1", Settings(), root / "corrected.json", [root / "scans"])
    pages = load_case(folder)
    assert [(p.page, p.type, p.starts_document, p.excluded) for p in pages] == [
        (1, "interrogation_record", True, None), (2, None, False, "blank"), (3, "detention_warrant", True, None)]
    assert case_folders([tmp_path / "data"]) == [folder] == case_folders([folder])


def test_sources_that_are_not_the_catalogs_are_refused(tmp_path):
    root = _dossier(tmp_path / "d")
    (root / "scans" / "a.pdf").write_bytes(b"%PDF-1.4 another scan")
    with pytest.raises(DatasetError, match="differ"):
        import_dossier(root / "out", tmp_path / "case", Settings(), root / "corrected.json", [root / "scans"])


def test_a_catalog_that_misses_a_page_is_refused_and_nothing_is_written(tmp_path):
    root = _dossier(tmp_path / "d")
    catalog = json.loads((root / "corrected.json").read_text())
    catalog["excluded"] = []
    (root / "corrected.json").write_text(json.dumps(catalog))
    with pytest.raises(DatasetError, match="0:2 has no label"):
        import_dossier(root / "out", tmp_path / "data" / "case", Settings(), root / "corrected.json")
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize("damage", ["no pages.json", "no thumbnails"])
def test_without_full_stage_results_the_sources_are_needed(tmp_path, damage):
    root = _dossier(tmp_path / "d")
    pages = root / "out" / "pages.json"
    if damage == "no pages.json":
        pages.unlink()
    else:  # written by a compiler from before thumbnails: the model would learn blank pictures
        pages.write_text(json.dumps([{k: v for k, v in r.items() if k != "thumbnail"} for r in json.loads(pages.read_text())]))
    with pytest.raises(DatasetError, match="--sources"):
        import_dossier(root / "out", tmp_path / "case", Settings(), root / "corrected.json")


def test_the_cli_imports_a_corrected_dossier_and_names_a_bad_one(tmp_path):
    from typer.testing import CliRunner

    from compiler_service.cli import app

    root = _dossier(tmp_path / "d")
    runner = CliRunner()
    args = ["data", "import", str(root / "out"), "--catalog", str(root / "corrected.json"), "--sources", str(root / "scans")]
    ok = runner.invoke(app, args + ["--into", str(tmp_path / "data" / "case-1")])
    assert ok.exit_code == 0, ok.output
    assert "3 pages, 2 documents, 1 excluded" in " ".join(ok.output.split())
    (root / "scans" / "a.pdf").write_bytes(b"%PDF-1.4 changed")
    bad = runner.invoke(app, args + ["--into", str(tmp_path / "data" / "case-2")])
    assert bad.exit_code == 2 and "corrected.json" in bad.output

"""`dossier compile` end to end on a small drawn case: real models, poppler, reportlab, qpdf; the
other commands' answers and errors as a person at a terminal sees them."""

import base64
import json
import re
import shutil
import socket
import subprocess
from importlib import metadata
from pathlib import Path

import numpy as np
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image
from typer.testing import CliRunner

from cataloging.catalog import validate_catalog
from cataloging.manifest import MANIFEST, SIGNATURE, key_id, public_pem
from classification.taxonomy import SPEC_DIR
from compiler_service.cli import app
from compiler_service.review import Review
from compiler_service.settings import Settings
from compiler_service.store import JobStore
from ocr.orientation import rotate
from tests.conftest import RECORD_FIRST_PAGE, RECORD_SECOND_PAGE, WARRANT_PAGE, draw_page

runner = CliRunner()
CASE_NUMBER = "深公（福）刑案字〔2024〕88号"


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    # a long path: the terminal's 80 columns must not break it
    root = tmp_path_factory.mktemp("case") / "a-folder-name-long-enough-to-pass-the-end-of-an-eighty-column-line"
    scans = root / "scans"
    scans.mkdir(parents=True)
    record_1 = Image.fromarray(draw_page(RECORD_FIRST_PAGE))
    record_2 = Image.fromarray(rotate(draw_page(RECORD_SECOND_PAGE), 180)[0])  # fed upside down
    warrant = Image.fromarray(draw_page(WARRANT_PAGE))
    blank = Image.fromarray(np.random.default_rng(1).normal(246, 5, (2339, 1654, 3)).clip(0, 255).astype(np.uint8))
    record_1.save(scans / "01.pdf", save_all=True, append_images=[blank, record_2], resolution=200)
    warrant.save(scans / "02.jpg", dpi=(200, 200), quality=85)
    # the agency's profile names its 立卷单位 and a 立卷人, whom the command line overrides
    profile = root / "agency.yaml"
    profile.write_text((SPEC_DIR / "taxonomy.yaml").read_text(encoding="utf-8") + "cover:\n  compiled_unit: 深圳市公安局福田分局\n  compiled_by: 李四\n",
                       encoding="utf-8")
    result = runner.invoke(app, ["compile", str(scans), "--output", str(root / "out"), "--profile", str(profile),
                                 "--compiled-by", "张三", "--case-number", CASE_NUMBER], env={"COLUMNS": "80"})
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


def test_the_closing_table_counts_the_checks_findings_as_the_catalog_holds_them(compiled):
    out, catalog, output = compiled
    errors = sum(f["severity"] == "error" for f in catalog["checks"])
    warnings = sum(f["severity"] == "warning" for f in catalog["checks"])
    assert re.search(rf"check errors\s*│?\s*{errors}\b", output) and re.search(rf"check warnings\s*│?\s*{warnings}\b", output)
    assert all(f["pages"] and f["message"] for f in catalog["checks"])


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


def _text(pdf: Path, page: int) -> str:
    """A page's text without its layout's spaces and line breaks: a field's label and value join."""
    return "".join(subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, text=True).stdout.split())


def test_the_output_path_is_printed_whole_on_an_80_column_terminal(compiled):
    out, _, output = compiled
    assert len(f"dossier written to {out}") > 80
    assert f"dossier written to {out}" in output


def test_the_cover_names_the_case_number_the_unit_and_who_compiled_it(compiled):
    out, catalog, _ = compiled
    cover = _text(out / "dossier.pdf", 1)
    assert "立卷单位：深圳市公安局福田分局" in cover  # the profile's
    assert "立卷人：张三" in cover and "李四" not in cover and "dossier" not in cover  # the option over the profile
    assert f"案件编号：{CASE_NUMBER}" in cover
    assert {k: catalog["case"][k] for k in ("case_number", "compiled_unit", "compiled_by")} == {
        "case_number": CASE_NUMBER, "compiled_unit": "深圳市公安局福田分局", "compiled_by": "张三"}


def test_recompiling_never_deletes_a_clerks_review_or_other_files(compiled, tmp_path):
    out, _, _ = compiled
    scans = out.parent / "scans"
    reviewed = tmp_path / "reviewed"
    shutil.copytree(out, reviewed)
    review = Review(reviewed, Settings())
    review.correct("edit_case", {"field": "compiled_by", "value": "王五"}, "王五")
    review.save("王五")  # corrections.json, signed with the dossier
    review.correct("edit_case", {"field": "title", "value": "刘建国盗窃案"}, "王五")  # unsaved, in review/
    before = {p: p.read_bytes() for p in reviewed.rglob("*") if p.is_file()}
    result = runner.invoke(app, ["compile", str(scans), "--output", str(reviewed)])
    assert result.exit_code == 2
    assert "holds a clerk's review (corrections.json, review)" in " ".join(result.output.split())
    assert {p: p.read_bytes() for p in reviewed.rglob("*") if p.is_file()} == before

    other = tmp_path / "other"  # an earlier result, and a file that is no part of it
    shutil.copytree(out, other)
    (other / "notes.txt").write_text("keep me")
    result = runner.invoke(app, ["compile", str(scans), "--output", str(other)])
    assert result.exit_code == 2 and "notes.txt" in result.output
    assert (other / "notes.txt").read_text() == "keep me"


def test_verify_answers_on_stdout(compiled, tmp_path):
    out, _, _ = compiled
    shutil.copytree(out, tmp_path / "out")
    result = runner.invoke(app, ["verify", str(tmp_path / "out")])
    assert result.exit_code == 0 and result.stdout.startswith("verified:") and not result.stderr
    (tmp_path / "out" / "catalog.json").write_text("{}")
    result = runner.invoke(app, ["verify", str(tmp_path / "out")])
    assert result.exit_code == 1 and "changed: catalog.json: changed" in result.stdout


def test_another_agencys_dossier_asks_for_its_key_and_a_folder_that_is_no_dossier_is_named(compiled, tmp_path):
    out, _, _ = compiled
    folder = tmp_path / "theirs"
    shutil.copytree(out, folder)
    theirs = Ed25519PrivateKey.generate()  # another installation signed it
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["key"] = {"algorithm": "Ed25519", "id": key_id(theirs.public_key()), "public": public_pem(theirs.public_key()).decode()}
    data = json.dumps(manifest).encode()
    (folder / MANIFEST).write_bytes(data)
    (folder / SIGNATURE).write_text(base64.b64encode(theirs.sign(data)).decode())
    result = runner.invoke(app, ["verify", str(folder)])
    said = " ".join(result.stdout.split())
    assert result.exit_code == 1
    assert f"signed by another key ({key_id(theirs.public_key())})" in said and "pass --key PUBLIC_KEY" in said and "forged" not in said
    (tmp_path / "theirs.pem").write_bytes(public_pem(theirs.public_key()))
    result = runner.invoke(app, ["verify", str(folder), "--key", str(tmp_path / "theirs.pem")])
    assert result.exit_code == 0 and result.stdout.startswith("verified:")

    result = runner.invoke(app, ["verify", str(out.parent / "scans")])
    assert result.exit_code == 2 and "not a compiled dossier" in result.stderr and "changed" not in result.output


def test_help_version_and_usage_mistakes_are_one_line():
    help = runner.invoke(app, ["-h"])
    assert help.exit_code == 0 and help.stdout.lstrip().startswith("Usage:")
    assert "--case-number" in runner.invoke(app, ["compile", "-h"]).stdout
    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0 and version.stdout == f"dossier {metadata.version('dossier')}\n"
    for args, line in ((["synth", "--pages", "2", "-o", "x"], "error: --pages 2: Input should be greater than or equal to 5"),
                       (["compile", "x"], "error: missing option '--output' / '-o'"),
                       (["nosuch"], "error: no such command 'nosuch'")):
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and len(result.output.splitlines()) == 1 and result.output.startswith(line), result.output


def test_a_port_in_use_is_reported_before_the_ready_line(compiled):
    out, _, _ = compiled
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        for args in (["serve", "--no-ray", "--port", port], ["serve", "--port", port], ["review", str(out), "--port", port]):
            result = runner.invoke(app, args)
            assert result.exit_code == 2, result.output
            assert result.output == f"error: --port {port}: already in use on 127.0.0.1 (another server listens there); choose another --port\n"


def test_a_compiled_dossier_is_for_this_account_alone(compiled):
    out, _, _ = compiled  # compiled under the test run's umask: the command sets its own
    open_to_others = {str(p.relative_to(out)): oct(p.stat().st_mode & 0o777) for p in [out, *out.rglob("*")] if p.stat().st_mode & 0o077}
    assert open_to_others == {}


def test_keys_name_a_person_are_listed_without_their_secret_and_revoked(tmp_path):
    env = {"DOSSIER_DATA_DIR": str(tmp_path / "data")}
    created = runner.invoke(app, ["keys", "create", "--agency", "福田分局", "--person", "张三"], env=env)
    assert created.exit_code == 0, created.output
    key = created.stdout.strip().splitlines()[-1]
    key_id, secret = key.split("_", 2)[1:]
    listed = runner.invoke(app, ["keys", "list"], env=env)
    assert listed.exit_code == 0 and secret not in listed.output
    header, row = (line.split("\t") for line in listed.stdout.splitlines())
    assert header == ["id", "agency", "person", "created", "revoked"] and row[:3] == [key_id, "福田分局", "张三"] and row[4] == "-"

    revoked = runner.invoke(app, ["keys", "revoke", key_id], env=env)
    assert revoked.exit_code == 0 and f"key {key_id} of 张三 (福田分局) revoked at " in revoked.output
    assert JobStore(f"sqlite:///{tmp_path / 'data' / 'dossier.db'}").agency_for(key) is None
    assert runner.invoke(app, ["keys", "list", "--agency", "福田分局"], env=env).stdout.splitlines()[1].split("\t")[4] != "-"
    unknown = runner.invoke(app, ["keys", "revoke", "0123456789ab"], env=env)
    assert unknown.exit_code == 2 and unknown.output == "error: 0123456789ab: no such key (see `dossier keys list`)\n"
    nobody = runner.invoke(app, ["keys", "create", "--agency", "福田分局"], env=env)
    assert nobody.exit_code == 2 and "--person" in nobody.output  # every key names who uses it

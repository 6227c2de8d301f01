"""The signed manifest and `dossier verify`: a compiled dossier checks out, and a changed page, a
changed catalog, a forged manifest or an edited audit log is found and named."""

import base64
import io
import json
import shutil

import pikepdf
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image
from typer.testing import CliRunner

from cataloging.audit import AuditLog
from cataloging.manifest import MANIFEST, SIGNATURE, load_or_create_key, verify
from compiler_service.cli import app
from compiler_service.pipeline import write_dossier
from compiler_service.settings import Settings
from ocr.ingest import sha256_file
from ocr.page import PageRef, SourceFile, raster_digest
from tests.factories import form, record

runner = CliRunner()


@pytest.fixture(scope="module")
def signed(tmp_path_factory):
    """A five-page dossier (a record of two pages, a warrant, a blank and a duplicate), signed."""
    root = tmp_path_factory.mktemp("signed")
    pages = [
        record("讯问笔录", "刘建国", 1, 2, number=1), record("讯问笔录", "刘建国", 2, 2, number=2),
        form("拘留证", ["兹决定对犯罪嫌疑人刘建国执行拘留。"], number=3, doc_number="深公（福）拘字〔2024〕1023号"),
        form("拘留证", ["兹决定对犯罪嫌疑人刘建国执行拘留。"], number=4), form("空白", [], number=5),
    ]
    for i, page in enumerate(pages):
        page.image = page.image.copy()
        page.image[100 + 40 * i : 140 + 40 * i, 100:400] = 0  # each page its own pixels
        page.digest = raster_digest(page.image)
    pages[3].duplicate_of = PageRef(0, 3)
    pages[4].lines, pages[4].blank = [], True
    sources = [SourceFile(root / "scan.pdf", "scan.pdf", "ab" * 32, 5)]
    settings = Settings(data_dir=root / "data", page_model="rules")
    out = root / "out"
    out.mkdir()
    write_dossier(sources, pages, out, settings)
    return out, settings


@pytest.fixture
def copy(signed, tmp_path, monkeypatch):
    out, settings = signed
    monkeypatch.setenv("DOSSIER_DATA_DIR", str(settings.data_dir))
    shutil.copytree(out, tmp_path / "out")
    return tmp_path / "out", load_or_create_key(settings.signing_key_path()).public_key()


def test_a_compiled_dossier_verifies_against_the_trusted_key(copy):
    folder, trusted = copy
    assert sorted(p.name for p in folder.iterdir()) == [
        "audit.jsonl", "catalog.json", "dossier.pdf", MANIFEST, SIGNATURE, "pages.json"]
    result = verify(folder, trusted)
    assert result.ok and result.trusted, result.problems
    manifest = json.loads((folder / MANIFEST).read_text())
    assert [p["source"]["page"] for p in manifest["pages"]] == [1, 2, 3, 4, 5]
    assert {"det", "rec", "cls", "layout"} <= set(manifest["software"]["models"])
    assert "database_url" not in manifest["settings"]
    cli = runner.invoke(app, ["verify", str(folder)])
    assert cli.exit_code == 0 and "verified" in cli.output


def test_every_scan_page_of_the_pdf_names_its_source_page(copy):
    folder, _ = copy
    manifest = json.loads((folder / MANIFEST).read_text())
    shown = [p["source"]["page"] for p in manifest["pdf_pages"] if p["source"]]
    assert sorted(shown) == [1, 2, 3, 4, 5]  # the blank and the duplicate in the appendix
    digests = {p["source"]["page"]: p["digest"] for p in manifest["pages"]}
    assert all(p["source"]["digest"] == digests[p["source"]["page"]] for p in manifest["pdf_pages"] if p["source"])


def _scan_pages(pdf: pikepdf.Pdf) -> list[int]:
    return [i for i, p in enumerate(pdf.pages) if "/DossierSource" in p.obj]


def test_a_changed_page_is_named_with_its_source_page(copy):
    folder, trusted = copy
    with pikepdf.open(folder / "dossier.pdf", allow_overwriting_input=True) as pdf:
        index = _scan_pages(pdf)[0]
        image = pdf.pages[index].obj.Resources.XObject["/DossierScan"]
        forged = io.BytesIO()
        Image.new("L", (int(image.Width), int(image.Height)), 255).save(forged, "JPEG")
        image.write(forged.getvalue(), filter=pikepdf.Name.DCTDecode)
        source = int(pdf.pages[index].obj.DossierSource.Page)
        pdf.save(folder / "dossier.pdf")
    problems = verify(folder, trusted).problems
    assert "dossier.pdf: changed" in problems
    assert f"dossier.pdf page {index + 1} (source scan.pdf page {source}): changed" in problems
    cli = runner.invoke(app, ["verify", str(folder)])
    assert cli.exit_code == 1 and f"page {index + 1}" in cli.output


def test_a_page_removed_from_the_pdf_is_named(copy):
    folder, trusted = copy
    with pikepdf.open(folder / "dossier.pdf", allow_overwriting_input=True) as pdf:
        index = _scan_pages(pdf)[-1]
        source = int(pdf.pages[index].obj.DossierSource.Page)
        del pdf.pages[index]
        pdf.save(folder / "dossier.pdf")
    problems = verify(folder, trusted).problems
    assert f"source scan.pdf page {source}: not in the PDF" in problems


def test_a_changed_catalog_is_named(copy):
    folder, trusted = copy
    catalog = json.loads((folder / "catalog.json").read_text(encoding="utf-8"))
    catalog["documents"][0]["title"] = "改过的题名"
    (folder / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    assert verify(folder, trusted).problems == ["catalog.json: changed"]


def test_a_manifest_edited_without_the_key_fails_its_signature(copy):
    folder, trusted = copy
    (folder / "catalog.json").write_text("{}", encoding="utf-8")
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["files"]["catalog.json"] = "0" * 64  # hide the change
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    (problem,) = verify(folder, trusted).problems
    assert "signature does not match" in problem


def test_a_manifest_re_signed_with_another_key_is_a_forgery(copy):
    folder, trusted = copy
    from cataloging.manifest import key_id, public_pem

    other = Ed25519PrivateKey.generate()
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["key"] = {"algorithm": "Ed25519", "id": key_id(other.public_key()), "public": public_pem(other.public_key()).decode()}
    data = json.dumps(manifest).encode()
    (folder / MANIFEST).write_bytes(data)
    (folder / SIGNATURE).write_text(base64.b64encode(other.sign(data)).decode())
    assert verify(folder, None).ok  # consistent in itself ...
    (problem,) = verify(folder, trusted).problems  # ... but not signed by the agency's key
    assert "forged manifest" in problem and key_id(other.public_key()) in problem
    assert runner.invoke(app, ["verify", str(folder)]).exit_code == 1


def test_an_added_file_is_named(copy):
    folder, trusted = copy
    (folder / "notes.txt").write_text("added later")
    assert verify(folder, trusted).problems == ["notes.txt: not in the manifest (added afterwards)"]


def test_the_audit_chain_finds_an_edited_removed_or_reordered_entry():
    log = AuditLog()
    for event in ("compile started", "pages read", "cataloged", "dossier written"):
        log.record(event, n=1)
    assert log.problems() == []
    edited = AuditLog([dict(e) for e in log.entries])
    edited.entries[1]["details"] = {"n": 2}
    assert edited.problems() == ["audit entry 2 (pages read): changed after it was written"]
    removed = AuditLog([e for i, e in enumerate(log.entries) if i != 1])
    assert removed.problems()[0].startswith("audit entry 2 (cataloged): does not follow entry 1")
    swapped = AuditLog([log.entries[0], log.entries[2], log.entries[1], log.entries[3]])
    assert len(swapped.problems()) >= 2


def _agency_certificate(folder):
    """A self-signed certificate and key, as an agency's CA would issue them."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "深圳市公安局福田分局案管中心")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=365))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .sign(key, hashes.SHA256()))
    (folder / "agency.key").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                          serialization.NoEncryption()))
    (folder / "agency.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return folder / "agency.key", folder / "agency.crt"


def test_the_pdf_itself_can_be_signed_with_the_agency_certificate(tmp_path):
    from cataloging.pades import pdf_signatures

    key, cert = _agency_certificate(tmp_path)
    pages = [form("拘留证", ["兹决定对犯罪嫌疑人刘建国执行拘留。"], number=1)]
    pages[0].digest = raster_digest(pages[0].image)
    out = tmp_path / "out"
    out.mkdir()
    settings = Settings(data_dir=tmp_path / "data", page_model="rules", pdf_signing_key=key, pdf_signing_cert=cert)
    write_dossier([SourceFile(tmp_path / "a.pdf", "a.pdf", "cd" * 32, 1)], pages, out, settings)
    (sig,) = pdf_signatures(out / "dossier.pdf")
    assert sig.intact and sig.whole_file and "福田分局" in sig.signer
    result = verify(out)
    assert result.ok and result.pdf_signers == [sig.signer]
    catalog = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    assert catalog["output"]["sha256"] == sha256_file(out / "dossier.pdf")  # the catalog names the signed file
    # a page changed and the manifest re-made by a forger: the PDF's own signature still tells
    with open(out / "dossier.pdf", "r+b") as f:
        f.seek(len(f.read()) // 3)  # inside the scan's image data
        byte = f.read(1)
        f.seek(-1, 1)
        f.write(bytes([byte[0] ^ 0x55]))
    (sig,) = pdf_signatures(out / "dossier.pdf")
    assert not sig.intact
    assert any("PAdES signature" in p for p in verify(out).problems)


def test_jobs_starting_together_share_one_signing_key(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from cataloging.manifest import key_id

    path = tmp_path / "data" / "signing-key.pem"
    with ThreadPoolExecutor(8) as pool:
        keys = list(pool.map(lambda _: key_id(load_or_create_key(path).public_key()), range(32)))
    assert len(set(keys)) == 1 and oct(path.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in path.parent.iterdir()] == ["signing-key.pem"]


def test_an_unusable_agency_certificate_stops_the_compile_before_any_work(tmp_path, monkeypatch):
    (tmp_path / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # never read: the check comes first
    (tmp_path / "agency.key").write_text("not a key")
    (tmp_path / "agency.crt").write_text("not a certificate")
    monkeypatch.setenv("DOSSIER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DOSSIER_PDF_SIGNING_KEY", str(tmp_path / "agency.key"))
    monkeypatch.setenv("DOSSIER_PDF_SIGNING_CERT", str(tmp_path / "agency.crt"))
    result = runner.invoke(app, ["compile", str(tmp_path / "scan.png"), "--output", str(tmp_path / "out")])
    assert result.exit_code == 2 and "agency.key" in result.output
    assert not (tmp_path / "out").exists()

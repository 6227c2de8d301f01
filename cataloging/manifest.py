"""The dossier's manifest: a signed record of what went in and what came out.

`manifest.json` holds the SHA-256 of every source file and page raster, of every page of the
output PDF and of every output file, the software and model versions, the settings, and the head
of the hash-chained audit log; `manifest.sig` is its Ed25519 signature. `verify` checks a result
folder against it and names what changed: a file, a PDF page (and the source page it shows), an
audit entry, or the manifest itself.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pikepdf
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from cataloging.assemble import SOURCE_KEY
from cataloging.audit import AuditLog
from cataloging.pades import pdf_signatures
from ocr.ingest import sha256_file
from ocr.output import create_once
from ocr.page import Page, SourceFile

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
AUDIT = "audit.jsonl"
FORMAT = "dossier-manifest/1"


# --------------------------------------------------------------------------------------------
# keys


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """The signing key at `path` (PEM, unencrypted); made there, readable by its owner only, if
    there is none yet (jobs starting together share the one made first)."""
    if not path.exists():
        fresh = Ed25519PrivateKey.generate()
        create_once(path, fresh.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption()))
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path}: not an Ed25519 private key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """A trusted public key from a PEM file; a private key file gives its public half."""
    data = path.read_bytes()
    key: Any
    if b"PRIVATE KEY" in data:
        key = serialization.load_pem_private_key(data, password=None).public_key()
    else:
        key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"{path}: not an Ed25519 key")
    return key


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def key_id(key: Ed25519PublicKey) -> str:
    """A short fingerprint people can compare: the first 16 hex digits of the raw key's SHA-256."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


# --------------------------------------------------------------------------------------------
# the PDF's pages


def page_digest(page: pikepdf.Page) -> str:
    """SHA-256 of what a PDF page shows: its content streams and its images and forms, as stored."""
    h = hashlib.sha256()
    contents = page.obj.get("/Contents")
    for stream in contents if isinstance(contents, pikepdf.Array) else [contents] if contents is not None else []:
        h.update(stream.read_raw_bytes())
    xobjects = page.obj.get("/Resources", pikepdf.Dictionary()).get("/XObject", pikepdf.Dictionary())
    for name in sorted(xobjects.keys()):
        h.update(name.encode())
        h.update(xobjects[name].read_raw_bytes())
    return h.hexdigest()


def page_source(page: pikepdf.Page) -> dict[str, Any] | None:
    """The source page a PDF page shows, as the assembler recorded it (None for generated pages)."""
    mark = page.obj.get(SOURCE_KEY)
    if mark is None:
        return None
    return {"file": int(mark.File), "file_sha256": str(mark.FileSHA256), "page": int(mark.Page), "digest": str(mark.Digest)}


def pdf_pages(pdf: Path) -> list[dict[str, Any]]:
    with pikepdf.open(pdf) as doc:
        return [{"digest": page_digest(p), "source": page_source(p)} for p in doc.pages]


# --------------------------------------------------------------------------------------------
# writing

WORKING = "review"  # a reviewer's working state: changes between saves, never signed


def signed_files(folder: Path) -> list[str]:
    """Every file of a result the manifest covers (paths relative to the folder)."""
    return sorted(
        p.relative_to(folder).as_posix() for p in folder.rglob("*")
        if p.is_file() and p.name not in (MANIFEST, SIGNATURE) and p.relative_to(folder).parts[0] != WORKING
    )



def write_manifest(
    folder: Path,
    sources: list[SourceFile],
    pages: list[Page],
    audit: AuditLog,
    key: Ed25519PrivateKey,
    *,
    software: dict[str, Any],
    settings: dict[str, Any],
) -> dict[str, Any]:
    """Write audit.jsonl, manifest.json and manifest.sig into `folder`, beside the outputs."""
    audit.write(folder / AUDIT)
    outputs = signed_files(folder)
    manifest = {
        "format": FORMAT,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "software": software,
        "settings": settings,
        "sources": [{"name": s.name, "sha256": s.sha256, "pages": s.pages} for s in sources],
        "pages": [{"source": {"file": p.ref.file, "page": p.ref.page}, "digest": p.digest} for p in pages],
        "pdf_pages": pdf_pages(folder / "dossier.pdf"),
        "files": {name: sha256_file(folder / name) for name in outputs},
        "audit_head": audit.head,
        "key": {"algorithm": "Ed25519", "id": key_id(key.public_key()), "public": public_pem(key.public_key()).decode()},
    }
    data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
    (folder / MANIFEST).write_bytes(data)
    (folder / SIGNATURE).write_text(base64.b64encode(key.sign(data)).decode() + "\n")
    return manifest


# --------------------------------------------------------------------------------------------
# verifying


@dataclass
class Verification:
    folder: Path
    key_id: str | None = None
    trusted: bool = False  # the signing key is the one the checker trusts
    pdf_signers: list[str] = field(default_factory=list)  # who signed the PDF itself (PAdES), where anyone did
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(folder: Path, trusted: Ed25519PublicKey | None = None) -> Verification:
    """Check a result folder: the manifest's signature (and signer, given a trusted key), every
    output file, every PDF page and the source page it shows, and the audit chain."""
    result = Verification(folder)
    try:
        data = (folder / MANIFEST).read_bytes()
        signature = base64.b64decode((folder / SIGNATURE).read_text().strip(), validate=True)
        manifest = json.loads(data)
        signer = serialization.load_pem_public_key(manifest["key"]["public"].encode())
    except (OSError, ValueError, KeyError, TypeError) as exc:
        result.problems.append(f"{MANIFEST}/{SIGNATURE}: missing or unreadable ({exc})")
        return result
    if not isinstance(signer, Ed25519PublicKey):
        result.problems.append(f"{MANIFEST}: the signing key is not an Ed25519 key")
        return result
    result.key_id = key_id(signer)
    try:
        signer.verify(signature, data)
    except InvalidSignature:
        result.problems.append(f"{MANIFEST}: the signature does not match: the manifest was changed after signing")
        return result
    if trusted is not None:
        result.trusted = key_id(trusted) == result.key_id
        if not result.trusted:
            result.problems.append(
                f"{MANIFEST}: signed by key {result.key_id}, not by the trusted key {key_id(trusted)}: a forged manifest"
            )
            return result

    files = manifest.get("files", {})
    for name, digest in files.items():
        path = folder / name
        if not path.is_file():
            result.problems.append(f"{name}: missing")
        elif sha256_file(path) != digest:
            result.problems.append(f"{name}: changed")
    extra = [name for name in signed_files(folder) if name not in files]
    result.problems += [f"{name}: not in the manifest (added afterwards)" for name in extra]
    if "dossier.pdf" in files and (folder / "dossier.pdf").is_file():
        result.problems += _pdf_problems(folder / "dossier.pdf", manifest)
        for sig in pdf_signatures(folder / "dossier.pdf"):
            if not (sig.intact and sig.whole_file):
                result.problems.append(f"dossier.pdf: changed after {sig.signer} signed it (PAdES signature {sig.field})")
            result.pdf_signers.append(sig.signer)
    if AUDIT in files and (folder / AUDIT).is_file():
        audit = AuditLog.read(folder / AUDIT)
        result.problems += audit.problems()
        if audit.head != manifest.get("audit_head"):
            result.problems.append(f"{AUDIT}: its last entry is not the one the manifest recorded")
    return result


def _pdf_problems(pdf: Path, manifest: dict[str, Any]) -> list[str]:
    """Name each PDF page that differs from the manifest, and the source page it should show."""
    try:
        found = pdf_pages(pdf)
    except pikepdf.PdfError as exc:
        return [f"dossier.pdf: not a readable PDF ({exc})"]
    expected = manifest.get("pdf_pages", [])
    names = [s["name"] for s in manifest.get("sources", [])]
    problems = []
    if len(found) != len(expected):
        problems.append(f"dossier.pdf: {len(found)} pages, the manifest recorded {len(expected)}")
    for n, (want, got) in enumerate(zip(expected, found), 1):
        if want == got:
            continue
        src = want.get("source")
        shows = f" (source {names[src['file']] if 0 <= src['file'] < len(names) else src['file']} page {src['page']})" if src else ""
        problems.append(f"dossier.pdf page {n}{shows}: changed")
    # every source page exactly once, showing the raster that was read from that very file
    sources = manifest.get("sources", [])
    shown: dict[tuple[int, int], list[int]] = {}
    for n, page in enumerate(found, 1):
        if page["source"]:
            shown.setdefault((page["source"]["file"], page["source"]["page"]), []).append(n)
    for page in manifest.get("pages", []):
        ref = page["source"]
        where = shown.pop((ref["file"], ref["page"]), [])
        source = sources[ref["file"]] if 0 <= ref["file"] < len(sources) else {"name": f"#{ref['file']}", "sha256": ""}
        label = f"source {source['name']} page {ref['page']}"
        if len(where) != 1:
            problems.append(f"{label}: in the PDF {len(where)} times (pages {where})" if where else f"{label}: not in the PDF")
        elif (found[where[0] - 1]["source"]["digest"], found[where[0] - 1]["source"]["file_sha256"]) != (page["digest"], source["sha256"]):
            problems.append(f"{label}: PDF page {where[0]} shows a different scan")
    problems += [f"dossier.pdf pages {where}: show a page that is not in the sources" for where in shown.values()]
    return problems

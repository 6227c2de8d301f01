"""The dossier PDF signed with the agency's certificate (PAdES, through pyHanko), so that any PDF
reader shows who compiled it and whether it changed since. Optional: it needs an X.509 certificate
and its key (settings `pdf_signing_cert`, `pdf_signing_key`); the signed manifest stands either way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


class SigningError(Exception):
    """The agency's certificate or key cannot be used."""


def load_signer(key: Path, cert: Path):
    """The agency's signer; loaded before any work, so a bad key fails the job at once."""
    from pyhanko.sign import signers

    try:
        signer = signers.SimpleSigner.load(str(key), str(cert))
    except (OSError, ValueError) as exc:
        raise SigningError(f"{key}, {cert}: {exc}") from exc
    if signer is None:
        raise SigningError(f"{key}, {cert}: not a usable key and certificate (PEM or DER, the key unencrypted)")
    return signer


def sign_pdf(pdf: Path, key: Path, cert: Path, reason: str) -> None:
    """Sign `pdf` in place with an incremental update: the pages as written stay byte for byte."""
    from pyhanko.sign import fields, signers
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    signer = load_signer(key, cert)
    meta = signers.PdfSignatureMetadata(field_name="DossierSignature", reason=reason, subfilter=fields.SigSeedSubFilter.PADES)
    signed = pdf.with_name(f".{pdf.name}.signed")
    with open(pdf, "rb") as source, open(signed, "wb") as out:
        signers.sign_pdf(IncrementalPdfFileWriter(source, strict=False), meta, signer=signer, output=out)
    os.replace(signed, pdf)


@dataclass(frozen=True)
class PdfSignature:
    field: str
    signer: str
    intact: bool  # the signed bytes are unchanged
    whole_file: bool  # nothing was added after the signature


def pdf_signatures(pdf: Path) -> list[PdfSignature]:
    """The PDF's signatures and whether each still holds (its integrity, not the trust in its
    certificate: that is the verifier's trust store's business)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    found = []
    with open(pdf, "rb") as f:
        for sig in PdfFileReader(f, strict=False).embedded_signatures:
            # the signer's own certificate as the root: this checks the bytes, not the trust
            status = validate_pdf_signature(sig, ValidationContext(trust_roots=[sig.signer_cert]))
            found.append(PdfSignature(sig.field_name, status.signing_cert.subject.human_friendly, bool(status.intact),
                                      status.coverage == SignatureCoverageLevel.ENTIRE_FILE))
    return found

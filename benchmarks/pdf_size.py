"""What a compiled dossier PDF costs and what it keeps: bytes per page, PDF/A-2b, the text layer's
CER, and how legible the stored page images are, read again by the OCR.

    .venv/bin/python -m benchmarks.pdf_size --truth case/truth.json out-before/ out-after/

For each compiled folder: the PDF's bytes per page (all pages, and the scans alone, grey and
colour counted), the verdict of pikepdf's PDF/A-2b validator, the text-layer CER as `dossier
eval` scores it, and the OCR CER of the page images as the PDF stores them, against the same
truth (the legibility of what a reader sees; the text layer was read from the scans before they
were stored). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import numpy as np
import pikepdf
import pikepdf.pdfa
from PIL import Image

from cataloging.assemble import PDFA, read_scans
from casegen.evaluate import evaluate_files, normalize_text, page_distance
from compiler_service.pipeline import reader_options
from compiler_service.settings import Settings
from ocr.reader import PageReader


def measure(folder: Path, truth_file: Path, reader: PageReader) -> dict:
    pdf = folder / "dossier.pdf"
    with pikepdf.open(pdf) as doc:
        pages = len(doc.pages)
    scans = read_scans(pdf)
    report = pikepdf.pdfa.validate_written(pdf, PDFA)
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    catalog = json.loads((folder / "catalog.json").read_text(encoding="utf-8"))
    in_truth = {s["name"]: i for i, s in enumerate(truth["sources"])}  # the catalog's files, as the truth numbers them
    text = {(p["source"]["file"], p["source"]["page"]): p.get("text") or "" for d in truth["documents"] for p in d["pages"]}
    distance = length = 0
    for ref, scan in scans.items():
        reference = normalize_text(text.get((in_truth[catalog["sources"][ref.file]["name"]], ref.page), ""))
        if reference:
            image = np.asarray(Image.open(io.BytesIO(scan.data)).convert("RGB"))
            distance += page_distance(reference, "\n".join(line.text for line in reader.read(image).lines))[0]
            length += len(reference)
    return {
        "folder": str(folder),
        "pdf_bytes": pdf.stat().st_size,
        "pages": pages,
        "kb_per_page": pdf.stat().st_size / pages / 1000,
        "scan_kb_per_page": sum(len(s.data) for s in scans.values()) / len(scans) / 1000,
        "grey_scans": sum(s.gray for s in scans.values()),
        "colour_scans": sum(not s.gray for s in scans.values()),
        "pdfa": report.verdict,
        "pdfa_findings": sorted({f"[{f.kind}] {f.message}" for f in report.findings}),
        "text_layer_cer": evaluate_files(truth_file, folder / "catalog.json", pdf).cer,
        "stored_image_ocr_cer": distance / length if length else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--truth", type=Path, required=True)
    ap.add_argument("folders", type=Path, nargs="+", help="compiled dossier folders (dossier.pdf, catalog.json)")
    args = ap.parse_args()
    reader = PageReader(reader_options(Settings()))
    rows = [measure(folder, args.truth, reader) for folder in args.folders]
    print("| folder | PDF | pages | kB a page | scans, kB a page | grey / colour scans | PDF/A-2b | text-layer CER | OCR CER of the stored images |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['folder']} | {r['pdf_bytes'] / 1e6:.1f} MB | {r['pages']} | {r['kb_per_page']:.0f} | {r['scan_kb_per_page']:.0f} | "
              f"{r['grey_scans']} / {r['colour_scans']} | {r['pdfa']} | {r['text_layer_cer']:.4f} | {r['stored_image_ocr_cer']:.4f} |")
    print(json.dumps(rows, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

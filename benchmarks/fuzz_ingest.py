"""Fuzz the ingest with atheris: any bytes, under any name, must be read or refused with an
`IngestError`; any other exception is a crash (the input that caused it is saved by libFuzzer).

The target runs what the decoding workers run (sniffing, opening, unpacking, rasterizing) in this
process, so coverage guides the fuzzer; the process's own memory limit (`-rss_limit_mb`) stands in
for the worker's. Seeds are small valid files made here: PDF, TIFF, PNG, JPEG, ZIP.

    make fuzz SECONDS=600        # or: python -m benchmarks.fuzz_ingest -max_total_time=600

A summary (inputs run, coverage, how many were read or refused by name, crashes) goes to
benchmarks/results/fuzz-ingest-DATE.json; an input that crashed is kept in
benchmarks/results/fuzz-crashes/ (replay it: python -m benchmarks.fuzz_ingest --child FILE).
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import atheris
from PIL import Image

with atheris.instrument_imports():
    from ocr import ingest

RESULTS = Path(__file__).parent / "results"
SUFFIXES = [".pdf", ".tif", ".png", ".jpg", ".zip", ".bin"]
OPTIONS = ingest.IngestOptions(dpi=50, max_page_pixels=4_000_000, max_image_pixels=50_000_000, max_pages=20,
                               max_unpacked_bytes=50 << 20)
CRASHES = RESULTS / "fuzz-crashes"
outcomes: Counter[str] = Counter()
WORK = Path(tempfile.mkdtemp(prefix="dossier-fuzz-"))
COUNTS = Path(os.environ.get("DOSSIER_FUZZ_COUNTS", WORK / "counts.json"))


def seeds(folder: Path) -> None:
    sheet = Image.new("RGB", (120, 160), "white")
    sheet.paste((0, 0, 0), (10, 10, 100, 30))
    for fmt, suffix, extra in (("PDF", ".pdf", {}), ("TIFF", ".tif", {"compression": "tiff_lzw"}), ("PNG", ".png", {}),
                               ("JPEG", ".jpg", {})):
        sheet.save(folder / f"seed{suffix}", fmt, **extra)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(folder / "seed.png", "scans/01.png")
    (folder / "seed.zip").write_bytes(buf.getvalue())


def read_all(path: Path) -> None:
    """What a job does with one uploaded file, minus OCR: every step the workers run."""
    kind = ingest.sniff(path)
    if kind is None:
        raise ingest.IngestError(path.name, "not a scan")
    files = ingest.collect_inputs([path], WORK / "unpack", OPTIONS.max_unpacked_bytes) if kind == "zip" else [path]
    for index, f in enumerate(files):
        if ingest.sniff(f) == "pdf":
            read_from, sizes = ingest._open_pdf(f, f.name, WORK / f"{index}-repaired.pdf")
            tasks = [ingest.PageTask(index, i + 1, read_from, f.name, "pdf", w * h) for i, (w, h) in enumerate(sizes[:3])]
        else:
            count = ingest._image_frames(f, f.name, OPTIONS.max_image_pixels)
            tasks = [ingest.PageTask(index, i + 1, f, f.name, "image") for i in range(min(count, 3))]
        for task in tasks:
            ingest.render_page(task, OPTIONS)


def target(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    suffix = SUFFIXES[fdp.ConsumeIntInRange(0, len(SUFFIXES) - 1)]
    path = WORK / f"input{suffix}"
    path.write_bytes(fdp.ConsumeBytes(fdp.remaining_bytes()))
    try:
        read_all(path)
        outcomes["read"] += 1
    except ingest.IngestError:
        outcomes["refused by name"] += 1
    if sum(outcomes.values()) % 50 == 0:  # libFuzzer ends the process with C's exit(): keep the counts on disk
        COUNTS.write_text(json.dumps(outcomes))


def fuzz(args: list[str]) -> None:
    corpus = WORK / "corpus"
    corpus.mkdir()
    seeds(corpus)
    for seed in list(corpus.iterdir()):  # each seed with the suffix byte in front, as the target reads it
        seed.write_bytes(bytes([SUFFIXES.index(seed.suffix)]) + seed.read_bytes())
    atheris.Setup([sys.argv[0], "-rss_limit_mb=4096", "-timeout=60", f"-artifact_prefix={CRASHES}/", *args, str(corpus)], target)
    atheris.Fuzz()


def main() -> None:
    """Fuzz in a child process, then summarize what it did (libFuzzer's own exit skips Python's cleanup)."""
    if sys.argv[1:2] == ["--child"]:
        fuzz(sys.argv[2:])
        return
    CRASHES.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "benchmarks.fuzz_ingest", "--child", *sys.argv[1:]],
                          stderr=subprocess.PIPE, text=True, errors="replace", env={**os.environ, "DOSSIER_FUZZ_COUNTS": str(COUNTS)})
    done = re.search(r"Done (\d+) runs in (\d+) second", proc.stderr)
    counts = json.loads(COUNTS.read_text()) if COUNTS.exists() else {}
    summary = {
        "date": date.today().isoformat(), "seconds": round(time.perf_counter() - started, 1), "args": sys.argv[1:],
        "inputs": int(done.group(1)) if done else None, "coverage": _last(r"cov: (\d+)", proc.stderr),
        "outcomes (sampled every 50 inputs)": counts, "crashed": proc.returncode != 0,
        "crash inputs": sorted(str(p) for p in CRASHES.iterdir()),
        "tail": proc.stderr.strip().splitlines()[-12:] if proc.returncode else [],
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"fuzz-ingest-{summary['date']}.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False))
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    sys.exit(1 if summary["crashed"] else 0)


def _last(pattern: str, text: str) -> int | None:
    found = re.findall(pattern, text)
    return int(found[-1]) if found else None


if __name__ == "__main__":
    main()

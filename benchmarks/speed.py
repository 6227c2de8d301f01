"""End-to-end speed on one generated case, and the anchor a user would pick today on the same pages.

    .venv/bin/python -m benchmarks.speed --pages 200 [--seed 7001] [--no-anchor]

Generates the case, compiles its scans with `dossier compile` (a child process, so its peak memory
is its own) and scores the result against the truth. The same pages, merged into one PDF, go
through OCRmyPDF with Tesseract's chi_sim (`--rotate-pages --deskew`), timed in the same run, and
its text layer is scored with the same CER. Writes benchmarks/results/speed-<date>-<pages>p.json,
.md and .png, with the device, versions and settings.

On a GPU the same command measures the GPU path; the settings come from the environment:

    DOSSIER_INFERENCE_BACKEND=torch DOSSIER_EXECUTION_PROVIDER=CUDAExecutionProvider \
    DOSSIER_INFERENCE_PRECISION=fp16 .venv/bin/python -m benchmarks.speed --pages 200 --no-anchor

(or DOSSIER_INFERENCE_BACKEND=onnxruntime with onnxruntime-gpu installed; fp32 first, then fp16,
whose CER must stay within 0.2 points of fp32's.)
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import date
from pathlib import Path

import pikepdf
from PIL import Image

from casegen.evaluate import evaluate_files, normalize_text, page_distance, pdf_page_texts
from casegen.synthetic import generate_case
from compiler_service.settings import Settings

# the stages in pipeline order; "ocr" is the pipeline's wait for readings, the reader's parts
# (detection .. layout) overlap rasterizing
STAGES = ("rasterize", "detection", "orientation", "recognition", "layout", "ocr", "prepare", "classify", "extract", "order", "assemble")


def merged_pdf(scans: list[Path], output: Path) -> list[tuple[int, int]]:
    """The scans as one PDF, in scan order; returns (file, page) of each of its pages."""
    pages = []
    with ExitStack() as sources, pikepdf.new() as merged:  # the sources stay open until the merge is saved
        for index, scan in enumerate(scans):
            if scan.suffix.lower() == ".pdf":
                pdf = sources.enter_context(pikepdf.open(scan))
                merged.pages.extend(pdf.pages)
                pages += [(index, n + 1) for n in range(len(pdf.pages))]
                continue
            with Image.open(scan) as img:
                for frame in range(getattr(img, "n_frames", 1)):
                    img.seek(frame)
                    buffer = io.BytesIO()
                    img.convert("RGB").save(buffer, "PDF", resolution=float(img.info.get("dpi", (200, 200))[0]))
                    merged.pages.extend(sources.enter_context(pikepdf.open(io.BytesIO(buffer.getvalue()))).pages)
                    pages.append((index, frame + 1))
        merged.save(output)
    return pages


def text_layer_cer(truth: dict, pdf: Path, pages: list[tuple[int, int]]) -> float:
    """CER of `pdf`'s text layer, page by page against the truth's text, as `dossier eval` scores it."""
    texts, where = pdf_page_texts(pdf), {ref: i for i, ref in enumerate(pages)}
    distance = length = 0
    for doc in truth["documents"]:
        for page in doc["pages"]:
            reference = normalize_text(page.get("text") or "")
            if reference:
                i = where[(page["source"]["file"], page["source"]["page"])]
                distance += page_distance(reference, texts[i] if i < len(texts) else "")[0]
                length += len(reference)
    return distance / max(1, length)


def timed_child(command: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall seconds and the peak RSS (GB) of a child process's run."""
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    wall = time.perf_counter() - start
    return wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e6


def versions() -> dict:
    import onnxruntime

    found = {"python": platform.python_version(), "onnxruntime": onnxruntime.__version__,
             "onnxruntime_providers": onnxruntime.get_available_providers()}
    for tool, flag in (("ocrmypdf", "--version"), ("tesseract", "--version")):
        if shutil.which(tool):
            out = subprocess.run([tool, flag], capture_output=True, text=True)
            found[tool] = (out.stdout or out.stderr).splitlines()[0].strip()
    return found


def device(settings: Settings) -> str:
    """What ran the models: the backend, the provider, and the GPU by name where there is one."""
    described = f"{settings.inference_backend}, {settings.execution_provider}, {settings.inference_precision}"
    if settings.execution_provider != "CPUExecutionProvider":
        import torch

        if torch.cuda.is_available():
            described += f", {torch.cuda.get_device_name(0)}"
    return described


def run(pages: int, seed: int, anchor: bool, out_dir: Path) -> dict:
    settings = Settings()
    report = {"date": date.today().isoformat(), "pages": pages, "seed": seed,
              "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.node()}", "device": device(settings),
              "versions": versions(), "settings": json.loads(settings.model_dump_json())}
    with tempfile.TemporaryDirectory(prefix="dossier-speed-") as tmp:
        root = Path(tmp)
        generate_case(pages, seed, root / "case")
        scans = sorted((root / "case" / "scans").iterdir())
        truth = json.loads((root / "case" / "truth.json").read_text(encoding="utf-8"))

        wall, rss = timed_child([sys.executable, "-m", "compiler_service.cli", "compile", *map(str, scans), "--output", str(root / "out")])
        catalog = json.loads((root / "out" / "catalog.json").read_text(encoding="utf-8"))
        ours = evaluate_files(root / "case" / "truth.json", root / "out" / "catalog.json", root / "out" / "dossier.pdf")
        report["dossier"] = {"wall_s": round(wall, 1), "pages_per_s": round(pages / wall, 3), "peak_rss_gb": round(rss, 2),
                             "stages_s": {s: round(catalog["timings"][s], 1) for s in STAGES if s in catalog["timings"]},
                             "cer": round(ours.cer, 4), "page_type": round(ours.page_type_accuracy, 4)}
        print(json.dumps(report["dossier"]), flush=True)

        if anchor and shutil.which("ocrmypdf"):
            refs = merged_pdf(scans, root / "input.pdf")
            command = ["ocrmypdf", "-l", "chi_sim", "--rotate-pages", "--deskew", "--jobs", str(os.cpu_count()), "--output-type", "pdf",
                       str(root / "input.pdf"), str(root / "ocrmypdf.pdf")]
            wall, _ = timed_child(command)
            report["ocrmypdf"] = {"command": " ".join(command[:-2]), "wall_s": round(wall, 1), "pages_per_s": round(pages / wall, 3),
                                  "cer": round(text_layer_cer(truth, root / "ocrmypdf.pdf", refs), 4)}
            report["speedup"] = round(report["ocrmypdf"]["wall_s"] / report["dossier"]["wall_s"], 2)
            print(json.dumps(report["ocrmypdf"]), flush=True)
        else:
            report["ocrmypdf"] = "not run" + ("" if anchor else " (--no-anchor)") + ("" if shutil.which("ocrmypdf") else ": ocrmypdf is not installed")

    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"speed-{report['date']}-{pages}p"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    stem.with_suffix(".md").write_text(markdown(report), encoding="utf-8")
    plot(report, stem.with_suffix(".png"))
    return report


def markdown(report: dict) -> str:
    ours, anchor = report["dossier"], report["ocrmypdf"]
    lines = [f"# Speed, {report['pages']} pages ({report['date']}, {report['machine']}, {report['device']})", "",
             "| | wall time | pages/s | peak memory | text-layer CER |", "|---|---|---|---|---|",
             f"| dossier | {ours['wall_s']} s | {ours['pages_per_s']} | {ours['peak_rss_gb']} GB | {ours['cer']:.4f} |"]
    if isinstance(anchor, dict):
        lines.append(f"| OCRmyPDF + Tesseract chi_sim | {anchor['wall_s']} s | {anchor['pages_per_s']} | | {anchor['cer']:.4f} |")
    else:
        lines.append(f"| OCRmyPDF | {anchor} | | | |")
    lines += ["", "Stages (seconds; `ocr` is the pipeline's wait for readings, which the reader's parts overlap):", "",
              "| " + " | ".join(ours["stages_s"]) + " |", "|" + "---|" * len(ours["stages_s"]),
              "| " + " | ".join(str(v) for v in ours["stages_s"].values()) + " |", "",
              f"Versions: `{json.dumps(report['versions'], ensure_ascii=False)}`", ""]
    return "\n".join(lines)


def plot(report: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    stages = {k: v for k, v in report["dossier"]["stages_s"].items() if v and k != "ocr"}
    walls = {"dossier": report["dossier"]["wall_s"]}
    if isinstance(report["ocrmypdf"], dict):
        walls["OCRmyPDF"] = report["ocrmypdf"]["wall_s"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.5), gridspec_kw={"width_ratios": [2, 1]})
    left.barh(list(stages), list(stages.values()), color="#4a7ab5")
    left.invert_yaxis()
    left.set_xlabel("seconds (compute per stage)")
    right.bar(list(walls), list(walls.values()), color=["#4a7ab5", "#b5654a"][: len(walls)])
    right.set_ylabel("wall seconds, end to end")
    fig.suptitle(f"{report['pages']} pages, {report['machine']}, {report['device']}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7001)
    parser.add_argument("--no-anchor", dest="anchor", action="store_false", help="skip OCRmyPDF")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    args = parser.parse_args()
    print(markdown(run(args.pages, args.seed, args.anchor, args.out)))


if __name__ == "__main__":
    main()

"""The one place that wires the stages: ingest → read (orient, OCR, layout) → prepare → classify →
segment → extract → order → assemble → catalog. The CLI calls it in process; the service
(`api.py`, `serve_app.py`) runs the same functions, handing in `Stages` whose heavy work happens
in its Ray Serve deployments.
"""

from __future__ import annotations

import json
import platform
import tempfile
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np

from cataloging import extract as fields
from cataloging.assemble import AssembledPdf, AssemblyOptions, assemble
from cataloging.audit import AuditLog
from cataloging.catalog import build_catalog, write_catalog
from cataloging.checks import assess, foot_signed, load_checks
from cataloging.corrections import CORRECTIONS
from cataloging.dossier import Dossier
from cataloging.manifest import MANIFEST, SIGNATURE, WORKING, load_or_create_key, write_manifest
from cataloging.order import order_documents, order_pages, volumes
from cataloging.pades import load_signer, sign_pdf
from cataloging.segment import segment, settle_statement_roles
from classification.page_model import RULES, PageModel, model_roots, resolve
from classification.rules import RuleClassifier
from classification.taxonomy import Taxonomy, load_taxonomy
from compiler_service.settings import Settings
from ocr.batching import ReadBatcher
from ocr.detect import DetectOptions
from ocr.inference import SHIPPED, RuntimeOptions, shipped_model
from ocr.ingest import IngestOptions, PageTask, collect_inputs, open_sources, rasterize, sha256_file
from ocr.output import atomic_folder
from ocr.page import Page, PageLabel, SourceFile, page_record, preview_name
from ocr.prepare import PrepareOptions, ink_ratio, is_blank, mark_duplicates, page_hash, worth_reading
from ocr.reader import PageReader, ReaderOptions, Reading
from ocr.sandbox import Limits

# Progress callback: (stage, done, total) for the long stages, "ocr" (pages read) and "assemble".
Progress = Callable[[str, int, int], None]


@dataclass
class CompileResult:
    output: Path
    pdf: Path
    catalog: Path
    documents: int
    pages: int
    excluded: int
    timings: dict[str, float] = field(default_factory=dict)
    findings: dict[str, int] = field(default_factory=dict)  # the quality checks' findings by severity


class Timer:
    """Seconds per stage. "ocr" is what the pipeline waited for readings; the reader's own parts
    (detection, orientation, recognition, layout) overlap rasterizing and are added as measured."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.started = time.perf_counter()

    def add(self, seconds: dict[str, float]) -> None:
        for stage, spent in seconds.items():
            self.seconds[stage] += spent

    @contextmanager
    def __call__(self, stage: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] += time.perf_counter() - start


def runtime_options(settings: Settings) -> RuntimeOptions:
    return RuntimeOptions(settings.inference_backend, settings.execution_provider, settings.inference_threads,
                          settings.inference_precision, settings.triton_url, settings.streamline_graphs)


def ingest_options(settings: Settings) -> IngestOptions:
    return IngestOptions(
        settings.dpi, settings.raster_threads, settings.max_page_pixels, settings.max_image_pixels, settings.max_pages,
        settings.max_unpacked_bytes, Limits(settings.worker_memory_mb, settings.stage_seconds), settings.unreadable_pages,
    )


def reader_options(settings: Settings) -> ReaderOptions:
    return ReaderOptions(
        runtime=runtime_options(settings),
        detect=DetectOptions(max_side=settings.detection_max_side),
        recognition_batch=settings.recognition_batch,
        detection_batch=settings.read_batch,
    )


PageLabeler = Callable[[list[Page]], list[PageLabel]]


class StageUnavailable(Exception):
    """A stage's service is away (a replica died, the service is stopping): the job should be
    tried again later, not failed."""


@dataclass(frozen=True)
class Stages:
    """The heavy stages as plain callables. Left out, they run in this process (the models
    made from the settings); the service hands in proxies of its deployments instead."""

    rasterize: Callable[[list[PageTask], IngestOptions], Iterator[Page]] = rasterize
    read: Callable[[np.ndarray], Reading] | None = None  # default: a PageReader's read
    label: PageLabeler | None = None  # default: page_labeler(settings)
    assemble: Callable[..., AssembledPdf] = assemble  # cataloging.assemble.assemble's signature


@contextmanager
def local_reader(settings: Settings) -> Iterator[Callable[[np.ndarray], Reading]]:
    """`read(image)` in this process; with `read_batch` > 1 the pages that the read-ahead threads
    send are gathered into batches, as the service's Reader deployment does."""
    reader = PageReader(reader_options(settings))
    if settings.read_batch <= 1:
        yield reader.read
        return
    batcher = ReadBatcher(reader.read_many, settings.read_batch)
    try:
        yield batcher.read
    finally:
        batcher.close()


def read_pages(
    inputs: list[Path], settings: Settings, workdir: Path, progress: Progress, timer: Timer, stages: Stages = Stages()
) -> tuple[list[SourceFile], list[Page]]:
    """Ingest and OCR every source page, in scan order. Up to `read_ahead` pages are being read
    while the next is rasterized and the last finished (thumbnail, hash, JPEG): a pipeline, so
    the cores and the OCR deployment (which batches what arrives together) are kept busy. The
    stage timings are the time spent waiting on each."""
    ingest = ingest_options(settings)
    files = collect_inputs(inputs, workdir, ingest.max_unpacked_bytes)
    sources, tasks = open_sources(files, ingest, workdir)
    prep = PrepareOptions(settings.blank_ink_ratio, settings.duplicate_hash_distance, settings.duplicate_text_similarity)
    pages: list[Page] = []
    looks = {}

    def finish(page: Page, ink: float, reading: Future[Reading] | None) -> None:
        if reading is not None:
            with timer("ocr"):
                done = reading.result()
            timer.add(done.seconds)
            page.image, page.lines, page.regions = done.image, done.lines, done.regions
            page.rotation, page.skew = done.orientation.rotation, done.orientation.skew
        page.blank = page.unreadable is None and is_blank(page, ink, prep)
        page.foot_signed = foot_signed(page)  # while the scan is at hand
        page.make_thumbnail()
        looks[page.ref] = page_hash(page)
        page.keep_as_jpeg(settings.jpeg_quality, settings.clean_scans)
        pages.append(page)
        progress("ocr", len(pages), len(tasks))

    progress("ocr", 0, len(tasks))
    stream = stages.rasterize(tasks, ingest)
    reading: deque[tuple[Page, float, Future[Reading] | None]] = deque()
    reader = nullcontext(stages.read) if stages.read else local_reader(settings)
    with reader as read, ThreadPoolExecutor(settings.read_ahead, thread_name_prefix="read") as pool:
        while True:
            with timer("rasterize"):
                page = next(stream, None)
            if page is None:
                break
            ink = ink_ratio(page.image)
            wanted = page.unreadable is None and worth_reading(ink, prep)
            reading.append((page, ink, pool.submit(read, page.image) if wanted else None))
            while len(reading) > settings.read_ahead:
                finish(*reading.popleft())
        while reading:
            finish(*reading.popleft())
    with timer("prepare"):
        mark_duplicates(pages, looks, prep)
    return sources, pages


def page_labeler(settings: Settings, taxonomy: Taxonomy) -> PageLabeler:
    """The learned page model the settings name, or the rule baseline."""
    if settings.page_model == RULES:
        rules = RuleClassifier(taxonomy)
        return lambda pages: [rules(p) for p in pages]
    folder = resolve(settings.page_model, model_roots(settings.page_models_dir()))
    runtime = runtime_options(settings)
    if runtime.backend == "torch":
        # onnx2torch lacks operators of torch's own export; the model takes a millisecond a page
        # on the CPU, where onnxruntime is always installed
        runtime = replace(runtime, backend="onnxruntime", provider="CPUExecutionProvider")
    return PageModel(folder, taxonomy, runtime)


def catalog_dossier(sources: list[SourceFile], pages: list[Page], taxonomy: Taxonomy, settings: Settings, timer: Timer,
                    labeler: PageLabeler) -> Dossier:
    with timer("classify"):
        kept = [p for p in pages if not p.excluded]
        for page, label in zip(kept, labeler(kept), strict=True):
            page.label = label
        docs = segment(kept, taxonomy.codes)
    with timer("extract"):
        context = fields.case_context(kept)
        for doc in docs:
            order_pages(doc)  # first and last page as printed: where 文号 and date stand
            fields.apply(doc, fields.extract(doc, taxonomy, context))
        settle_statement_roles(docs, "\n".join(p.text for p in kept))
        for doc in docs:  # types are final now
            doc.title = taxonomy.type(doc.type).label
        case_number, case_title = fields.case_info(pages)
    with timer("order"):
        ordered = order_documents(docs, taxonomy)
        vols = volumes(ordered, taxonomy, settings.volume_page_limit)
    excluded = [p for p in pages if p.excluded]
    dossier = Dossier(sources, vols, excluded, settings.case_number or case_number, case_title, taxonomy.profile, **cover_defaults(settings, taxonomy))
    with timer("check"):
        assess(dossier, load_checks(settings.taxonomy), {t.code: t.label for t in taxonomy.types})
    return dossier


def cover_defaults(settings: Settings, taxonomy: Taxonomy) -> dict[str, str | None]:
    """立卷人 and 立卷单位: the setting (an option, a DOSSIER_ variable), else the profile's."""
    return {"compiled_unit": settings.compiled_unit or taxonomy.compiled_unit, "compiled_by": settings.compiled_by or taxonomy.compiled_by}


def assembly_options(dossier: Dossier, settings: Settings, compiled_at: datetime) -> AssemblyOptions:
    # a 立卷人 nobody named is a blank line on the cover, filled in by hand
    return AssemblyOptions(jpeg_quality=settings.jpeg_quality, clean_scans=settings.clean_scans, compiled_by=dossier.compiled_by or "", compiled_unit=dossier.compiled_unit,
                           compiled_at=compiled_at)


def compile_dossier(inputs: list[Path], output: Path, settings: Settings, progress: Progress | None = None,
                    stages: Stages = Stages(), audit: AuditLog | None = None) -> CompileResult:
    """Compile scans into `output/dossier.pdf` and `output/catalog.json`, atomically; `audit`
    may hold what happened before (the service's job events)."""
    progress = progress or (lambda stage, done, total: None)
    timer = Timer()
    # a bad profile, a missing model version or an unusable signing key fails now, not after minutes of reading
    stages = replace(stages, label=stages.label or page_labeler(settings, load_taxonomy(settings.taxonomy)))
    load_or_create_key(settings.signing_key_path())
    if settings.pdf_signing_cert and settings.pdf_signing_key:
        load_signer(settings.pdf_signing_key, settings.pdf_signing_cert)
    output = output.resolve()
    check_output(output, inputs)
    audit = audit or AuditLog()
    audit.record("compile started", inputs=[p.name for p in inputs])
    with atomic_folder(output) as staging:
        # zips unpack beside the output: in the service that is the shared volume the Rasterizer reads
        with tempfile.TemporaryDirectory(prefix=".unpack-", dir=output.parent) as unpack:
            sources, pages = read_pages(inputs, settings, Path(unpack), progress, timer, stages)
        audit.record(
            "pages read", sources=[{"name": s.name, "sha256": s.sha256, "pages": s.pages} for s in sources],
            pages=len(pages), blank=sum(p.blank for p in pages), duplicates=sum(p.duplicate_of is not None for p in pages),
        )
        result = write_dossier(sources, pages, staging, settings, progress, timer, stages, audit)
    return replace(result, output=output, pdf=output / "dossier.pdf", catalog=output / "catalog.json")


def write_dossier(sources: list[SourceFile], pages: list[Page], folder: Path, settings: Settings,
                  progress: Progress | None = None, timer: Timer | None = None, stages: Stages = Stages(),
                  audit: AuditLog | None = None) -> CompileResult:
    """Everything after reading: classify, segment, extract, order, assemble, and write
    dossier.pdf, catalog.json and pages.json into `folder`, from pages already read, with the
    signed manifest and the audit log beside them."""
    progress = progress or (lambda stage, done, total: None)
    timer = timer or Timer()
    audit = audit or AuditLog()
    taxonomy = load_taxonomy(settings.taxonomy)
    dossier = catalog_dossier(sources, pages, taxonomy, settings, timer, stages.label or page_labeler(settings, taxonomy))
    audit.record("cataloged", page_model=settings.page_model, profile=taxonomy.profile, documents=len(dossier.documents),
                 volumes=len(dossier.volumes), excluded=len(dossier.excluded))
    pdf = folder / "dossier.pdf"
    with timer("assemble"):
        assembled = stages.assemble(dossier, taxonomy, pdf, assembly_options(dossier, settings, datetime.now()),
                                    progress=lambda d, t: progress("assemble", d, t))
        if settings.pdf_signing_cert and settings.pdf_signing_key:
            sign_pdf(pdf, settings.pdf_signing_key, settings.pdf_signing_cert, reason=f"{dossier.compiled_by or dossier.compiled_unit or ''}立卷")
    dossier.timings = {k: round(v, 3) for k, v in timer.seconds.items()}
    dossier.timings["total"] = round(time.perf_counter() - timer.started, 3)
    catalog = build_catalog(dossier, taxonomy, assembled, pdf)
    write_catalog(catalog, folder / "catalog.json")
    write_page_results(folder, pages)
    audit.record("dossier written", pdf_pages=assembled.page_count,
                 files={name: sha256_file(folder / name) for name in ("dossier.pdf", "catalog.json", "pages.json")})
    write_manifest(folder, sources, pages, audit, load_or_create_key(settings.signing_key_path()),
                   software=software(settings), settings=settings.recorded())
    return CompileResult(
        folder, pdf, folder / "catalog.json",
        documents=len(dossier.documents), pages=len(pages), excluded=len(dossier.excluded), timings=dossier.timings,
        findings=dict(Counter(f.severity for f in dossier.findings)),
    )


def write_page_results(folder: Path, pages: list[Page]) -> None:
    """Every page's OCR, layout, thumbnail and label (`pages.json`): what review and retraining
    rebuild from; and the review page's previews, made once, when the page was read."""
    (folder / "pages.json").write_text(json.dumps([page_record(p) for p in pages], ensure_ascii=False), encoding="utf-8")
    for page in pages:
        if page.preview:
            (folder / preview_name(page.ref)).parent.mkdir(exist_ok=True)
            (folder / preview_name(page.ref)).write_bytes(page.preview)


def software(settings: Settings) -> dict:
    """Versions of the code and the SHA-256 of every model file that read and classified the pages."""
    import onnxruntime

    found = {"dossier": metadata.version("dossier"), "python": platform.python_version(), "onnxruntime": onnxruntime.__version__,
             "inference": f"{settings.inference_backend}, {settings.execution_provider}, {settings.inference_precision}"}
    models = {name: _file_sha256(shipped_model(name)) for name in SHIPPED}
    if settings.page_model != RULES:
        models[f"page_model {settings.page_model}"] = _file_sha256(resolve(settings.page_model, model_roots(settings.page_models_dir())) / "model.onnx")
    return {**found, "models": models}


@lru_cache(maxsize=16)
def _file_sha256(path: Path) -> str:
    return sha256_file(path)


class OutputError(Exception):
    """An output folder we must not write: it holds other files or a clerk's review, or overlaps the inputs."""


def check_output(output: Path, inputs: list[Path]) -> None:
    """A result replaces the whole folder, so it may only replace an earlier result: none of a
    clerk's corrections, and no file that result's manifest does not list."""
    if output.exists() and not output.is_dir():
        raise OutputError(f"{output}: exists and is not a folder")
    if output.is_dir() and any(output.iterdir()):
        review = [name for name in (CORRECTIONS, WORKING) if (output / name).exists()]
        if review:
            raise OutputError(f"{output}: holds a clerk's review ({', '.join(review)}) that compiling again would delete; "
                              "compile into a new folder, or move those away first to discard the review")
        try:
            listed = set(json.loads((output / MANIFEST).read_text(encoding="utf-8"))["files"]) | {MANIFEST, SIGNATURE}
        except (OSError, ValueError, KeyError, TypeError):
            raise OutputError(f"{output}: not empty and not an earlier dossier result; choose an empty or new folder") from None
        others = sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file() and p.relative_to(output).as_posix() not in listed)
        if others:
            raise OutputError(f"{output}: an earlier dossier result, but it also holds {', '.join(others[:5])}{' ...' if len(others) > 5 else ''} "
                              "that compiling again would delete; move them away or choose an empty or new folder")
    for source in inputs:
        source = source.resolve()
        if source == output or output in source.parents or source in output.parents:
            raise OutputError(f"{output}: overlaps the input {source}; write the dossier elsewhere")

"""`dossier`: compile scans, generate synthetic cases, score a compiled case, train page models."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from compiler_service.settings import Settings
from ocr.ingest import IngestError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Compile scanned criminal case files into electronic dossiers.")
console = Console(stderr=True)

STAGE_NAMES = {
    "ocr": "read pages (rasterize, orient, OCR, layout)", "assemble": "assemble PDF", "synth": "render pages",
    "cases": "training cases (generate, read once, cache)", "features": "featurize pages", "train": "train (epochs)",
}


def _progress() -> tuple[Progress, Callable[[str, int, int], None]]:
    bar = Progress(
        TextColumn("{task.description:<44}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
        console=console, transient=False,
    )
    tasks: dict[str, int] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(STAGE_NAMES.get(stage, stage), total=total)
        bar.update(tasks[stage], completed=done, total=total)

    return bar, update


@app.command()
def compile(
    inputs: list[Path] = typer.Argument(..., help="PDF, TIFF, JPEG or PNG files, folders or .zip archives, in scan order"),
    output: Path = typer.Option(..., "--output", "-o", help="folder to write dossier.pdf and catalog.json into"),
    dpi: int = typer.Option(None, help="rasterizing resolution (default 200, or DOSSIER_DPI)"),
    profile: Path = typer.Option(None, help="ordering profile: a taxonomy YAML (default: the shipped one)"),
    model: str = typer.Option(None, "--model", help="page model version (see `dossier models list`) or 'rules' (default: rules, or DOSSIER_PAGE_MODEL)"),
) -> None:
    """Compile scans into out/dossier.pdf and out/catalog.json."""
    from cataloging.pades import SigningError
    from classification.page_model import ModelError
    from compiler_service.pipeline import OutputError, compile_dossier

    overrides = {k: v for k, v in {"dpi": dpi, "taxonomy": profile, "page_model": model}.items() if v is not None}
    settings = Settings(**overrides)
    bar, update = _progress()
    try:
        with bar:
            result = compile_dossier(inputs, output, settings, update)
    except (IngestError, OutputError, ModelError, SigningError) as exc:
        console.print(f"[red]error:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(2) from exc
    table = Table(title=f"dossier written to {result.output}", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    table.add_row("documents", str(result.documents))
    table.add_row("pages", str(result.pages))
    table.add_row("excluded pages", str(result.excluded))
    for stage, seconds in result.timings.items():
        table.add_row(f"{stage} (s)", f"{seconds:.1f}")
    Console().print(table)


@app.command()
def verify(
    folder: Path = typer.Argument(..., help="a compiled dossier's folder (dossier.pdf, catalog.json, manifest.json, ...)"),
    key: Path = typer.Option(None, "--key", help="the trusted public key (PEM) the manifest must be signed with (default: this installation's signing key)"),
) -> None:
    """Check a compiled dossier against its signed manifest and name what changed; exit 1 if anything did."""
    from cataloging.manifest import load_public_key, verify as check

    settings = Settings()
    trusted_path = key or (settings.signing_key_path() if settings.signing_key_path().exists() else None)
    try:
        trusted = load_public_key(trusted_path) if trusted_path else None
    except (OSError, ValueError) as exc:
        console.print(f"[red]error:[/red] {trusted_path}: {exc}")
        raise typer.Exit(2) from exc
    result = check(folder, trusted)
    for problem in result.problems:
        console.print(f"[red]changed:[/red] {problem}", soft_wrap=True)
    if not result.ok:
        raise typer.Exit(1)
    signer = f"key {result.key_id}" + ("" if result.trusted else " (no trusted key given: only the manifest's own key was checked)")
    signer += "".join(f"; the PDF signed by {name}, intact" for name in result.pdf_signers)
    console.print(f"[green]verified:[/green] {folder}: every file, PDF page and audit entry as signed by {signer}", soft_wrap=True)


@app.command()
def review(
    folder: Path = typer.Argument(..., help="a compiled dossier's folder"),
    port: int = typer.Option(8765, "--port"),
    reviewer: str = typer.Option(None, "--reviewer", help="who reviews: recorded with every correction (default: the login name)"),
) -> None:
    """Review and correct a compiled dossier in the browser, on this machine (no service needed)."""
    import getpass
    import secrets

    import uvicorn

    from compiler_service.review import ReviewError
    from compiler_service.review_app import local_review_app

    token = secrets.token_urlsafe(24)
    try:
        server = local_review_app(folder.resolve(), Settings(), token, reviewer or getpass.getuser())
    except ReviewError as exc:
        console.print(f"[red]error:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(2) from exc
    # the link signs the browser in once; it works for this run only
    console.print(f"review {folder} at http://127.0.0.1:{port}/review/login?key={token}&next=/review/local/", soft_wrap=True)
    uvicorn.run(server, host="127.0.0.1", port=port, log_level="warning")


@app.command()
def synth(
    pages: int = typer.Option(60, "--pages", min=5, help="scanned pages in the case"),
    seed: int = typer.Option(0, "--seed", help="random seed: the same seed gives the same case"),
    output: Path = typer.Option(..., "--output", "-o", help="folder for scans/ and truth.json"),
    hard: bool = typer.Option(False, "--hard", help="hard evaluation split: damaged titles, odd layouts, heavy noise, lost first pages"),
) -> None:
    """Generate a synthetic scanned case file with its ground truth."""
    from classification.synthetic import generate_case

    bar, update = _progress()
    with bar:
        truth = generate_case(pages, seed, output, progress=lambda d, t: update("synth", d, t), hard=hard)
    Console().print(f"scans in {output / 'scans'}, ground truth in {truth}")


@app.command("eval")
def evaluate(
    truth: Path = typer.Option(..., "--truth", help="truth.json written by `dossier synth`"),
    catalog: Path = typer.Option(..., "--catalog", help="catalog.json written by `dossier compile`"),
    pdf: Path = typer.Option(None, "--pdf", help="the compiled PDF, to score its text layer (CER)"),
    json_out: Path = typer.Option(None, "--json", help="also write the figures as JSON"),
) -> None:
    """Score a compiled case against its ground truth."""
    from cataloging.evaluate import evaluate_files, format_table

    ev = evaluate_files(truth, catalog, pdf)
    Console().print(format_table(ev))
    if json_out:
        json_out.write_text(json.dumps(ev.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")


models_app = typer.Typer(no_args_is_help=True, help="Page model versions and the Triton model repository.")
keys_app = typer.Typer(no_args_is_help=True, help="API keys of the agencies that use the service.")
app.add_typer(keys_app, name="keys")
data_app = typer.Typer(no_args_is_help=True, help="Training data for the page models.")
app.add_typer(models_app, name="models")
app.add_typer(data_app, name="data")
corrections_app = typer.Typer(no_args_is_help=True, help="What clerks corrected in the review page, as training data.")
app.add_typer(corrections_app, name="corrections")


@app.command()
def train(
    output: Path = typer.Option(..., "--output", "-o", help="the new version's folder, e.g. models/page-model/v2"),
    synth_pages: int = typer.Option(0, "--synth-pages", min=0, help="generate (or reuse from the cache) this many pages of synthetic cases"),
    data: list[Path] = typer.Option([], "--data", help="a training case folder (pages.json + labels.json) or a folder of them; repeatable"),
    cache: Path = typer.Option(Path(".cache/training"), "--cache", help="where generated cases and their OCR are kept between runs"),
    case_pages: int = typer.Option(60, "--case-pages", min=5, help="pages per generated case"),
    epochs: int = typer.Option(30, "--epochs", min=1),
    seed: int = typer.Option(0, "--seed", help="the same data and seed give the same model"),
    init: str = typer.Option(None, "--init", help="fine-tune from this model version instead of training from scratch"),
) -> None:
    """Train a page model (type + document starts), export it to ONNX and check the export."""
    from cataloging.taxonomy import load_taxonomy
    from classification.dataset import DatasetError
    from classification.page_model import MODELS_DIR, ModelError, resolve
    from classification.training import AgreementError, TrainConfig
    from classification.training import train as train_model
    from compiler_service.datasets import case_folders, synthetic_cases

    settings = Settings()
    if not synth_pages and not data:
        console.print("[red]error:[/red] nothing to train on: give --synth-pages N and/or --data DIR")
        raise typer.Exit(2)
    bar, update = _progress()
    try:
        with bar:
            folders = case_folders(data)
            if synth_pages:
                folders += synthetic_cases(synth_pages, cache, settings, case_pages, progress=update)
            init_dir = resolve(init, settings.models_dir or MODELS_DIR) if init else None
            meta = train_model(folders, output, load_taxonomy(settings.taxonomy), TrainConfig(epochs=epochs, seed=seed), init=init_dir, progress=update)
    except (DatasetError, ModelError, AgreementError, IngestError) as exc:
        console.print(f"[red]error:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(2) from exc
    metrics = meta["metrics"]
    Console().print(
        f"model {meta['version']} written to {output}: validation page type accuracy {metrics['page_type_accuracy']:.3f}, "
        f"boundary F1 {metrics['boundary_f1']:.3f}, {meta['training']['seconds']:.0f} s; ONNX agrees with torch on "
        f"{meta['agreement']['same_decision']:.1%} of {meta['agreement']['pages']} pages"
    )


@models_app.command("list")
def models_list() -> None:
    """The page model versions `dossier compile` can use (setting DOSSIER_PAGE_MODEL)."""
    from classification.page_model import MODELS_DIR, list_models

    settings = Settings()
    table = Table(title=f"page models in {settings.models_dir or MODELS_DIR} (in use: {settings.page_model})")
    for column in ("version", "created", "page type acc.", "boundary F1", "training data", "path"):
        table.add_column(column)
    for info in list_models(settings.models_dir or MODELS_DIR):
        mark = " *" if info.version == settings.page_model else ""
        table.add_row(
            info.version + mark, info.created, f"{info.metrics.get('page_type_accuracy', 0):.3f}", f"{info.metrics.get('boundary_f1', 0):.3f}",
            f"{len(info.data.get('cases', []))} cases, {info.data.get('sha256', '')[:12]}", str(info.path),
        )
    Console().print(table)


@models_app.command("triton")
def models_triton(
    output: Path = typer.Option(Path("models/triton"), "--output", "-o", help="the model repository folder"),
    kind: str = typer.Option("gpu", "--kind", help="gpu: one instance per GPU (KIND_GPU); cpu: KIND_CPU"),
    flavour: str = typer.Option("onnxruntime", "--flavour", help="onnxruntime: Triton's onnxruntime backend (NGC images); "
                                "python: onnxruntime inside Triton's Python backend, for servers without it"),
    tensorrt: bool = typer.Option(False, "--tensorrt", help="let the onnxruntime backend build TensorRT FP16 engines (gpu)"),
    configs_only: bool = typer.Option(False, "--configs-only", help="write config.pbtxt files only, not the ONNX files"),
) -> None:
    """Fill a Triton model repository with the reader's models and every page model version."""
    from classification.page_model import MODELS_DIR, list_models, triton_name
    from ocr.inference import SHIPPED, shipped_model
    from ocr.triton import FLAVOURS, KINDS, write_repository

    if kind not in KINDS or flavour not in FLAVOURS:
        console.print(f"[red]error:[/red] --kind is one of {', '.join(KINDS)}; --flavour one of {', '.join(FLAVOURS)}")
        raise typer.Exit(2)
    settings = Settings()
    models = {name: shipped_model(name) for name in SHIPPED}
    models |= {triton_name(info.path): info.path / "model.onnx" for info in list_models(settings.models_dir or MODELS_DIR)}
    written = write_repository(output, models, kind, flavour, tensorrt, with_models=not configs_only,
                               streamline=settings.streamline_graphs)
    Console().print(f"{len(written)} models in {output}: {', '.join(models)}; serve it with "
                    f"tritonserver --model-repository {output.resolve()}, then DOSSIER_INFERENCE_BACKEND=triton")


@data_app.command("import")
def data_import(
    dossier: Path = typer.Argument(..., help="a compiled dossier folder (with pages.json) whose catalog a person corrected"),
    into: Path = typer.Option(..., "--into", help="the new training case folder, e.g. data/case-0042"),
    catalog: Path = typer.Option(None, "--catalog", help="the corrected catalog (default: the dossier's catalog.json)"),
    sources: list[Path] = typer.Option([], "--sources", help="the source scans, in scan order: checked against the catalog; read again when there is no pages.json"),
) -> None:
    """Turn a corrected dossier into a training case for `dossier train --data`."""
    from classification.dataset import DatasetError, load_case
    from compiler_service.datasets import import_dossier

    bar, update = _progress()
    try:
        with bar:
            folder = import_dossier(dossier, into, Settings(), catalog, sources or None, update)
    except (DatasetError, IngestError) as exc:
        console.print(f"[red]error:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(2) from exc
    pages = load_case(folder)
    docs = len({p.document for p in pages if p.document is not None})
    Console().print(f"training case written to {folder}: {len(pages)} pages, {docs} documents, {sum(p.excluded is not None for p in pages)} excluded")


@corrections_app.command("export")
def corrections_export(
    roots: list[Path] = typer.Argument(..., help="reviewed dossier folders, or folders holding them (e.g. the service's data folder)"),
    output: Path = typer.Option(..., "--output", "-o", help="the folder of training cases `dossier train --data` reads"),
) -> None:
    """Write every reviewed dossier as a training case (its stage results and corrected catalog)."""
    from classification.dataset import DatasetError, load_case
    from compiler_service.datasets import export_corrections

    try:
        cases = export_corrections(roots, output, Settings())
    except DatasetError as exc:
        console.print(f"[red]error:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(2) from exc
    pages = sum(len(load_case(c)) for c in cases)
    Console().print(f"{len(cases)} reviewed dossiers ({pages} pages) written to {output}; train on them with "
                    f"`dossier train --data {output} --output models/page-model/vN`")


@keys_app.command("create")
def keys_create(agency: str = typer.Option(..., "--agency", help="the agency the key belongs to; it sees only its own jobs")) -> None:
    """Create an API key (printed once, on the last line; only its digest is stored)."""
    from compiler_service.store import JobStore

    settings = Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    key = JobStore(settings.database()).create_key(agency)
    console.print(f"API key for {agency.strip()} (store it now: it cannot be shown again); send it as `Authorization: Bearer KEY`:")
    print(key)


@keys_app.command("signing")
def keys_signing(output: Path = typer.Option(None, "--output", "-o", help="also write the public key (PEM) to this file")) -> None:
    """The public half of the key that signs each dossier's manifest (made on first use): give it
    to whoever checks dossiers with `dossier verify --key`."""
    from cataloging.manifest import key_id, load_or_create_key, public_pem

    settings = Settings()
    public = load_or_create_key(settings.signing_key_path()).public_key()
    if output:
        output.write_bytes(public_pem(public))
    console.print(f"signing key {key_id(public)} ({settings.signing_key_path()}); its public half:")
    print(public_pem(public).decode(), end="")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
    ray: bool = typer.Option(True, "--ray/--no-ray", help="start a local Ray and run the heavy stages as Ray Serve deployments "
                             "(default), or run everything in this process"),
) -> None:
    """Run the compile service: the HTTP API and a compiling worker."""
    settings = Settings()
    if not ray:
        import uvicorn

        from compiler_service.api import create_app

        console.print(f"dossier service on http://{host}:{port} (API docs at /docs), data in {settings.data_dir}")
        uvicorn.run(create_app(settings, worker=True), host=host, port=port, log_level="warning")
        return
    import os
    import signal
    import threading

    import ray as ray_core
    from ray import serve as ray_serve

    from compiler_service.serve_app import build

    console.print("starting a local Ray and the Serve application ...")
    # the deployments' CPU shares need 2 logical CPUs, even on a smaller machine
    ray_core.init(address="local", num_cpus=max(2, os.cpu_count() or 1), include_dashboard=False, log_to_driver=False)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())  # after ray.init, whose handler would abort without cleaning up
    try:
        ray_serve.start(http_options={"host": host, "port": port})
        ray_serve.run(build(settings), name="dossier", route_prefix="/")
        console.print(f"dossier service on http://{host}:{port} (API docs at /docs), data in {settings.data_dir}; "
                      "Ray's logs in /tmp/ray/session_latest/logs")
        try:
            stopped.wait()
        except KeyboardInterrupt:
            pass
    finally:
        ray_serve.shutdown()
        ray_core.shutdown()


if __name__ == "__main__":
    app()

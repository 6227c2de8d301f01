"""`dossier`: compile scans, generate synthetic cases, score a compiled case, train page models."""

from __future__ import annotations

import errno
import functools
import json
import shlex
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table
from typer.core import TyperGroup

try:  # typer 0.24 and later carry their own click
    from typer._click import exceptions as click_errors
except ImportError:
    from click import exceptions as click_errors

from compiler_service.settings import Settings, problems
from ocr.ingest import IngestError

console = Console(stderr=True)


def _fail(*lines: str, code: int = 2) -> NoReturn:
    for line in lines:
        console.print("[red]error:[/red]", escape(line), soft_wrap=True, highlight=False)
    raise typer.Exit(code)


# What each extra of the package (pyproject.toml) brings; `pip install .` alone compiles, serves and reviews.
EXTRAS = {"train": {"torch", "transformers", "onnxscript", "onnx2torch", "matplotlib"}, "synth": {"faker"}, "ray": {"ray"}}


def _needs(command: str, *extras: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A command that needs an extra: one `error:` line naming it (exit 2) when its packages are missing, not a traceback."""
    def wrap(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except ModuleNotFoundError as exc:
                missing = (exc.name or "").partition(".")[0]
                extra = next((e for e in extras if missing in EXTRAS[e]), None)
                if extra is None:
                    raise
                _fail(f"dossier {command} needs the {extra} extra: pip install 'dossier[{extra}]'")
        return run
    return wrap


@contextmanager
def _one_line(argv: list[str]) -> Iterator[None]:
    """A usage mistake or a bad DOSSIER_ variable ends in `error:` lines, not a usage box or a traceback."""
    try:
        yield
    except click_errors.NoArgsIsHelpError:
        raise
    except click_errors.UsageError as exc:
        message = exc.format_message().rstrip(".")
        given = _given(argv, exc.param.opts) if isinstance(exc, click_errors.BadParameter) and exc.param is not None else None
        if given is not None:
            message = f"{'/'.join(exc.param.opts)} {given}: {exc.message}"
        _fail(message[:1].lower() + message[1:] + (f" (see `{exc.ctx.command_path} --help`)" if exc.ctx else ""))
    except ValidationError as exc:
        if exc.title != Settings.__name__:
            raise
        _fail(*problems(exc))


def _given(argv: list[str], opts: list[str]) -> str | None:
    """The value an option was given on the command line, for the error line."""
    for i, arg in enumerate(argv):
        for opt in opts:
            if arg == opt and i + 1 < len(argv):
                return argv[i + 1]
            if arg.startswith(f"{opt}="):
                return arg.split("=", 1)[1]
    return None


class _Commands(TyperGroup):
    def make_context(self, info_name: str | None, args: list[str], parent: typer.Context | None = None, **extra: Any) -> typer.Context:
        argv = list(args)  # parsing consumes args
        with _one_line(argv):
            ctx = super().make_context(info_name, args, parent, **extra)
        ctx.meta["argv"] = argv
        return ctx

    def invoke(self, ctx: typer.Context) -> Any:
        with _one_line(ctx.meta.get("argv", [])):
            return super().invoke(ctx)


app = typer.Typer(cls=_Commands, add_completion=False, no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]},
                  help="Compile scanned criminal case files into electronic dossiers.")


def _version(shown: bool) -> None:
    if shown:
        from importlib import metadata

        print(f"dossier {metadata.version('dossier')}")
        raise typer.Exit()


@app.callback()
def _options(version: bool = typer.Option(False, "--version", is_eager=True, callback=_version, help="print the version and exit")) -> None:
    from compiler_service.storage import owner_only

    owner_only()  # case files are evidence: what any command writes is for this account alone (0700, 0600)


def _settings(given: dict[str, tuple[str, Any]]) -> Settings:
    """The environment's settings with the command's options over them: field -> (option, value or None)."""
    values = {name: value for name, (_, value) in given.items() if value is not None}
    try:
        return Settings(**values)
    except ValidationError as exc:
        _fail(*problems(exc, {name: option for name, (option, _) in given.items() if name in values}))


def _listen(host: str, port: int) -> socket.socket:
    """The server's socket, listening before the line that says it is ready: a port in use is
    reported first, and a client that connects at once waits in the backlog instead of being refused."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except OSError as exc:
        _fail(f"--host {host}: not an address to listen on ({exc.strerror})")
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn and Ray do: a server just stopped does not hold the port
    try:
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            _fail(f"--port {port}: already in use on {host} (another server listens there); choose another --port")
        _fail(f"--host {host} --port {port}: cannot listen there ({exc.strerror})")
    return sock


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
@_needs("compile with DOSSIER_INFERENCE_BACKEND=torch", "train")
def compile(
    inputs: list[Path] = typer.Argument(..., help="PDF, TIFF, JPEG or PNG files, folders or .zip archives, in scan order"),
    output: Path = typer.Option(..., "--output", "-o", help="folder to write dossier.pdf and catalog.json into"),
    dpi: int = typer.Option(None, help="rasterizing resolution (default 200, or DOSSIER_DPI)"),
    profile: Path = typer.Option(None, help="ordering profile: a taxonomy YAML (default: the shipped one)"),
    model: str = typer.Option(None, "--model", help="page model version (see `dossier models list`) or 'rules' (default: rules, or DOSSIER_PAGE_MODEL)"),
    compiled_by: str = typer.Option(None, "--compiled-by", help="立卷人 on the cover and the 卷内备考表 (default: DOSSIER_COMPILED_BY, "
                                    "else the profile's cover: compiled_by, else a blank line)"),
    compiled_unit: str = typer.Option(None, "--compiled-unit", help="立卷单位 on the cover (default: DOSSIER_COMPILED_UNIT, "
                                      "else the profile's cover: compiled_unit, else a blank line)"),
    case_number: str = typer.Option(None, "--case-number", help="案件编号 (default: the number the pages print, else blank)"),
) -> None:
    """Compile scans into out/dossier.pdf and out/catalog.json."""
    from cataloging.pades import SigningError
    from classification.page_model import ModelError
    from compiler_service.pipeline import OutputError, compile_dossier

    settings = _settings({"dpi": ("--dpi", dpi), "taxonomy": ("--profile", profile), "page_model": ("--model", model),
                          "compiled_by": ("--compiled-by", compiled_by), "compiled_unit": ("--compiled-unit", compiled_unit),
                          "case_number": ("--case-number", case_number)})
    bar, update = _progress()
    try:
        with bar:
            result = compile_dossier(inputs, output, settings, update)
    except (IngestError, OutputError, ModelError, SigningError) as exc:
        console.print(f"[red]error:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(2) from exc
    # its own line, never wrapped: a path broken across lines cannot be copied
    Console().print(f"dossier written to {result.output}", soft_wrap=True, highlight=False, markup=False)
    table = Table(show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    table.add_row("documents", str(result.documents))
    table.add_row("pages", str(result.pages))
    table.add_row("excluded pages", str(result.excluded))
    # what the quality checks found (catalog.json "checks"): fixed before the file is sent on
    table.add_row("check errors", str(result.findings.get("error", 0)))
    table.add_row("check warnings", str(result.findings.get("warning", 0)))
    for stage, seconds in result.timings.items():
        table.add_row(f"{stage} (s)", f"{seconds:.1f}")
    Console().print(table)


@app.command()
def verify(
    folder: Path = typer.Argument(..., help="a compiled dossier's folder (dossier.pdf, catalog.json, manifest.json, ...)"),
    key: Path = typer.Option(None, "--key", help="the trusted public key (PEM) the manifest must be signed with (default: this installation's signing key)"),
) -> None:
    """Check a compiled dossier against its signed manifest and print the verdict.

    Exit 0 if it is as signed, 1 if anything changed or another key signed it, 2 if it is not a compiled dossier."""
    from cataloging.manifest import MANIFEST, key_id, load_public_key, verify as check

    if not (folder / MANIFEST).is_file():
        _fail(f"{folder}: not a compiled dossier (it has no {MANIFEST}, the signed record `dossier compile` writes)")
    settings = Settings()
    trusted_path = key or (settings.signing_key_path() if settings.signing_key_path().exists() else None)
    try:
        trusted = load_public_key(trusted_path) if trusted_path else None
    except (OSError, ValueError) as exc:
        _fail(f"{trusted_path}: {exc}")
    result = check(folder, trusted)
    verdict = Console()  # the command's answer: stdout
    if trusted is not None and result.key_id and not result.trusted:
        whose = f"the key in {key}" if key else "this installation's key"
        verdict.print(f"[red]not verified:[/red] {escape(str(folder))}: signed by another key ({result.key_id}), not by {whose} ({key_id(trusted)})"
                      + ("" if key else ": pass --key PUBLIC_KEY, the signer's public key (their `dossier keys signing --output`)"),
                      soft_wrap=True, highlight=False)
        raise typer.Exit(1)
    for problem in result.problems:
        verdict.print(f"[red]changed:[/red] {escape(problem)}", soft_wrap=True, highlight=False)
    if not result.ok:
        raise typer.Exit(1)
    signer = f"key {result.key_id}" + ("" if result.trusted else " (no trusted key given: only the manifest's own key was checked)")
    signer += "".join(f"; the PDF signed by {name}, intact" for name in result.pdf_signers)
    verdict.print(f"[green]verified:[/green] {escape(str(folder))}: every file, PDF page and audit entry as signed by {escape(signer)}",
                  soft_wrap=True, highlight=False)


@app.command()
def review(
    folder: Path = typer.Argument(..., help="a compiled dossier's folder"),
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on: another than loopback (0.0.0.0: all) lets other "
                             "machines open the page, each with the link"),
    port: int = typer.Option(8765, "--port", min=0, max=65535, help="0: any free port (the link names it)"),
    open_page: bool = typer.Option(False, "--open", help="open the page in this machine's web browser"),
    reviewer: str = typer.Option(None, "--reviewer", help="who reviews: recorded with every correction (default: the login name)"),
) -> None:
    """Review and correct a compiled dossier in the browser, on this machine (no service needed)."""
    import getpass
    import secrets
    import threading
    import webbrowser

    import uvicorn

    from compiler_service.review import ReviewError
    from compiler_service.review_app import local_review_app

    token = secrets.token_urlsafe(24)
    sock = _listen(host, port)
    try:  # the port names the session cookie: cookies ignore ports, and each review on this host needs its own
        server = local_review_app(folder.resolve(), Settings(), token, reviewer or getpass.getuser(), sock.getsockname()[1])
    except ReviewError as exc:
        sock.close()
        _fail(str(exc))
    shown = socket.gethostname() if host in ("0.0.0.0", "::", "") else f"[{host}]" if ":" in host else host  # a name others can use
    # the link signs one browser in, once, for this run only; that browser then holds a session cookie
    link = f"http://{shown}:{sock.getsockname()[1]}/review/login?key={token}&next=/review/local/"
    console.print(f"review {folder} at {link}", soft_wrap=True, highlight=False, markup=False)

    def open_link() -> None:  # a browser run as a command returns only when it closes
        if not webbrowser.open(link):
            console.print("no web browser found here: open the link above", soft_wrap=True)

    if open_page:
        threading.Thread(target=open_link, daemon=True).start()
    uvicorn.Server(uvicorn.Config(server, log_level="warning", proxy_headers=False)).run(sockets=[sock])  # no proxy in front


@app.command("settings")
def settings_list() -> None:
    """Every setting: its DOSSIER_ variable and value now, what it accepts, its default and what it does."""
    import shutil
    import textwrap

    from compiler_service.settings import allowed, env_name

    current = Settings()
    width = max(40, shutil.get_terminal_size().columns) - 4

    def shown(value: Any) -> str:
        return "(unset)" if value is None else str(value).lower() if isinstance(value, bool) else str(value)

    for name, info in Settings.model_fields.items():
        default = info.get_default(call_default_factory=True)
        print(f"{env_name(name)}={shown(getattr(current, name))}")
        about = f"{info.description}. {allowed(name)[0].upper()}{allowed(name)[1:]}; default {shown(default)}."
        print(textwrap.fill(about, width, initial_indent="    ", subsequent_indent="    ", break_long_words=False, break_on_hyphens=False))


@app.command()
@_needs("synth", "synth")
def synth(
    pages: int = typer.Option(60, "--pages", min=5, help="scanned pages in the case"),
    seed: int = typer.Option(0, "--seed", help="random seed: the same seed gives the same case"),
    output: Path = typer.Option(..., "--output", "-o", help="folder for scans/ and truth.json"),
    hard: bool = typer.Option(False, "--hard", help="hard evaluation split: damaged titles, odd layouts, heavy noise, lost first pages"),
) -> None:
    """Generate a synthetic scanned case file with its ground truth."""
    from casegen.synthetic import generate_case

    bar, update = _progress()
    with bar:
        truth = generate_case(pages, seed, output, progress=lambda d, t: update("synth", d, t), hard=hard)
    Console().print(f"scans in {output / 'scans'}, ground truth in {truth}", soft_wrap=True, highlight=False)


@app.command("eval")
def evaluate(
    truth: Path = typer.Option(..., "--truth", help="truth.json written by `dossier synth`"),
    catalog: Path = typer.Option(..., "--catalog", help="catalog.json written by `dossier compile`"),
    pdf: Path = typer.Option(None, "--pdf", help="the compiled PDF, to score its text layer (CER)"),
    json_out: Path = typer.Option(None, "--json", help="also write the figures as JSON"),
) -> None:
    """Score a compiled case against its ground truth."""
    from casegen.evaluate import evaluate_files, format_table

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
@_needs("train", "train", "synth")
def train(
    output: str = typer.Option(..., "--output", "-o", help="a version name (v2: into the models folder, DOSSIER_MODELS_DIR) "
                               "or a folder path (./v2, classification/page_models/v2)"),
    synth_pages: int = typer.Option(0, "--synth-pages", min=0, help="generate (or reuse from the cache) this many pages of synthetic cases"),
    data: list[Path] = typer.Option([], "--data", help="a training case folder (pages.json + labels.json) or a folder of them; repeatable"),
    cache: Path = typer.Option(Path(".cache/training"), "--cache", help="where generated cases and their OCR are kept between runs"),
    case_pages: int = typer.Option(60, "--case-pages", min=5, help="pages per generated case"),
    epochs: int = typer.Option(30, "--epochs", min=1),
    seed: int = typer.Option(0, "--seed", help="the same data and seed give the same model"),
    init: str = typer.Option(None, "--init", help="fine-tune from this model (a version name or a folder path) instead of training from scratch"),
    force: bool = typer.Option(False, "--force", help="replace the page model already at --output"),
) -> None:
    """Train a page model (type + document starts), export it to ONNX, check the export, and print the --model value that uses it."""
    if not synth_pages and not data:
        _fail("nothing to train on: give --synth-pages N and/or --data DIR")
    from classification.taxonomy import load_taxonomy
    from classification.dataset import DatasetError
    from classification.page_model import ModelError, model_roots, new_version_folder, read_info, reference, resolve
    from classification.training import AgreementError, TrainConfig, split
    from classification.training import train as train_model
    from compiler_service.datasets import case_folders, synthetic_cases

    settings = Settings()
    roots = model_roots(settings.page_models_dir())
    bar, update = _progress()
    try:
        # refused now, not after the minutes that generating and reading cases take
        target = new_version_folder(output, roots, replace=force)
        init_dir = resolve(init, roots) if init else None
        with bar:
            folders = case_folders(data)
            if synth_pages:
                folders += synthetic_cases(synth_pages, cache, settings, case_pages, progress=update)
            train_cases, validation_cases = split(folders)
            if validation_cases == train_cases:
                console.print(f"[yellow]warning:[/yellow] {len(folders)} training case{'s' if len(folders) != 1 else ''}: too few to hold "
                              "one out (every fifth is, from 5 cases on), so the model is validated on the pages it learns from and "
                              "its figures will flatter it; give more --data cases or --synth-pages", soft_wrap=True)
            meta = train_model(folders, target, load_taxonomy(settings.taxonomy), TrainConfig(epochs=epochs, seed=seed), init=init_dir, progress=update)
    except (DatasetError, ModelError, AgreementError, IngestError) as exc:
        _fail(str(exc))
    info, agreement, out = read_info(target), meta["agreement"], Console(highlight=False, markup=False)
    out.print(f"page model {info.version} written to {target} in {meta['training']['seconds']:.0f} s", soft_wrap=True)
    out.print(f"trained on {info.trained_on()}", soft_wrap=True)
    out.print(f"validation on {info.measured_on()}: page type accuracy {info.metrics['page_type_accuracy']:.3f}, boundary F1 "
              f"{info.metrics['boundary_f1']:.3f} (the model alone, before the rules); ONNX agrees with torch on "
              f"{agreement['same_decision']:.1%} of {agreement['pages']} pages", soft_wrap=True)
    value = reference(target, roots)
    found_in = f" (found in DOSSIER_MODELS_DIR={shlex.quote(str(settings.models_dir))})" if settings.models_dir and value == target.name else ""
    out.print(f"use it with --model {shlex.quote(value)}{found_in}, e.g. dossier compile scans/ --output out/ --model {shlex.quote(value)}",
              soft_wrap=True)


@models_app.command("list")
def models_list() -> None:
    """Every page model `dossier compile --model` finds: the models folder's (DOSSIER_MODELS_DIR), then the shipped ones."""
    from classification.page_model import RULES, ModelError, list_models, model_roots, reference, resolve

    settings = Settings()
    roots = model_roots(settings.page_models_dir())
    try:
        in_use = None if settings.page_model == RULES else resolve(settings.page_model, roots).resolve()
    except ModelError:
        in_use = None
    out = Console(highlight=False, markup=False)
    out.print(f"page models in {' and '.join(map(str, roots))}; in use: {settings.page_model}"
              f"{'' if in_use or settings.page_model == RULES else ' (not found)'}", soft_wrap=True)
    for root in roots:
        for info in list_models(root):
            out.print(f"\n{reference(info.path, roots)}{' (in use)' if info.path.resolve() == in_use else ''}  {info.path}  "
                      f"created {info.created[:10]}", soft_wrap=True)
            out.print(f"  trained on  {info.trained_on()}", soft_wrap=True)
            out.print(f"  validation  page type accuracy {info.metrics.get('page_type_accuracy', 0):.3f}, boundary F1 "
                      f"{info.metrics.get('boundary_f1', 0):.3f}, on {info.measured_on()}", soft_wrap=True)
    out.print("\nValidation figures are the model alone (before the rules and segmentation) on the cases named; the README's "
              "Accuracy table scores the whole compiler on unseen cases of every generator (benchmarks/RESULTS.md).", soft_wrap=True)


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
    from classification.page_model import list_models, model_roots, triton_name
    from ocr.inference import SHIPPED, shipped_model
    from ocr.triton import FLAVOURS, KINDS, write_repository

    if kind not in KINDS or flavour not in FLAVOURS:
        console.print(f"[red]error:[/red] --kind is one of {', '.join(KINDS)}; --flavour one of {', '.join(FLAVOURS)}")
        raise typer.Exit(2)
    settings = Settings()
    models = {name: shipped_model(name) for name in SHIPPED}
    # a version in the models folder hides a shipped one of its name, as in `resolve`: it comes last here
    models |= {triton_name(info.path): info.path / "model.onnx" for root in reversed(model_roots(settings.page_models_dir())) for info in list_models(root)}
    written = write_repository(output, models, kind, flavour, tensorrt, with_models=not configs_only,
                               streamline=settings.streamline_graphs)
    Console().print(f"{len(written)} models in {output}: {', '.join(models)}; serve it with "
                    f"tritonserver --model-repository {output.resolve()}, then DOSSIER_INFERENCE_BACKEND=triton", soft_wrap=True, highlight=False)


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
    # a version name goes into the models folder, where `--model vN` finds it from any folder
    Console().print(f"{len(cases)} reviewed dossiers ({pages} pages) written to {output}; train on them with "
                    f"`dossier train --data {shlex.quote(str(output))} --output vN`, vN a new version name", soft_wrap=True, highlight=False)


def _job_store():
    from compiler_service.storage import owner_only
    from compiler_service.store import JobStore

    settings = Settings()
    owner_only(settings.data_dir)
    return JobStore(settings.database())


@keys_app.command("create")
def keys_create(
    agency: str = typer.Option(..., "--agency", help="the agency the key belongs to; it sees only its own jobs"),
    person: str = typer.Option(..., "--person", help="who uses the key (a program's name for a program's key): named as the "
                               "reviewer of every correction made with it, and in the dossier's audit log"),
) -> None:
    """Create an API key for a person of an agency (printed once, on the last line; only its digest is stored)."""
    try:
        key = _job_store().create_key(agency, person)
    except ValueError as exc:
        _fail(f"--agency {agency!r} --person {person!r}: {exc}")
    console.print(f"API key {key.split('_')[1]} for {person.strip()} of {agency.strip()} (store it now: it cannot be shown again); "
                  "send it as `Authorization: Bearer KEY`:", soft_wrap=True, highlight=False, markup=False)
    print(key)


@keys_app.command("list")
def keys_list(agency: str = typer.Option(None, "--agency", help="only this agency's keys")) -> None:
    """Every API key: its id, agency, person, when it was made and revoked (never the key itself, which is not stored)."""
    print("id\tagency\tperson\tcreated\trevoked")
    for key in _job_store().keys(agency.strip() if agency else None):
        when = [moment.astimezone().isoformat(timespec="seconds") if moment else "-" for moment in (key.created, key.revoked)]
        print("\t".join([key.id, key.agency, key.person or "-", *when]))


@keys_app.command("revoke")
def keys_revoke(key_id: str = typer.Argument(..., help="the key's id (`dossier keys list`; in a key dsk_ID_SECRET, the ID)")) -> None:
    """Revoke an API key at once: its API calls and its review sessions are refused from the next request on."""
    store = _job_store()
    before = store.key(key_id)
    key = store.revoke_key(key_id)
    if key is None:
        _fail(f"{key_id}: no such key (see `dossier keys list`)")
    done = "was already revoked" if before is not None and before.revoked is not None else "revoked"
    Console(highlight=False, markup=False).print(f"key {key.id} of {key.holder} ({key.agency}) {done} at "
                                                 f"{key.revoked.astimezone().isoformat(timespec='seconds')}", soft_wrap=True)


@keys_app.command("signing")
def keys_signing(output: Path = typer.Option(None, "--output", "-o", help="also write the public key (PEM) to this file")) -> None:
    """The public half of the key that signs each dossier's manifest (made on first use): give it
    to whoever checks dossiers with `dossier verify --key`."""
    from cataloging.manifest import key_id, load_or_create_key, public_pem

    settings = Settings()
    public = load_or_create_key(settings.signing_key_path()).public_key()
    if output:
        output.write_bytes(public_pem(public))
    console.print(f"signing key {key_id(public)} ({settings.signing_key_path()}); its public half:", soft_wrap=True)
    print(public_pem(public).decode(), end="")


@app.command()
@_needs("serve --ray", "ray")
def serve(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
    ray: bool = typer.Option(None, "--ray/--no-ray", help="start a local Ray and run the heavy stages as Ray Serve deployments "
                             "(default when Ray is installed: the ray extra), or run everything in this process"),
) -> None:
    """Run the compile service: the HTTP API and a compiling worker."""
    settings = Settings()
    if ray is None:
        import importlib.util

        ray = importlib.util.find_spec("ray") is not None
        if not ray:
            console.print(escape("Ray is not installed (pip install 'dossier[ray]'): serving in this process, as with --no-ray"), soft_wrap=True)
    sock = _listen(host, port)
    if not ray:
        import uvicorn

        from compiler_service.api import create_app

        service = create_app(settings, worker=True)
        console.print(f"dossier service on http://{host}:{port} (API docs at /docs with the operator token), data in {settings.data_dir}",
                      soft_wrap=True)
        # the app believes X-Forwarded-* from DOSSIER_TRUSTED_PROXIES alone; uvicorn's own default trusts loopback
        uvicorn.Server(uvicorn.Config(service, log_level="warning", proxy_headers=False)).run(sockets=[sock])
        return
    sock.close()  # Ray's proxy binds it; tried here so that a port in use is named before Ray starts
    import os
    import signal
    import threading

    import ray as ray_core
    from ray import serve as ray_serve

    from compiler_service.serve_app import build

    console.print("starting a local Ray and the Serve application ...")
    # the deployments' CPU shares need 2 logical CPUs, even on a smaller machine
    # Ray's HTTP proxy runs uvicorn, which believes X-Forwarded-For from FORWARDED_ALLOW_IPS (loopback unless
    # set): the trusted proxies only, in the processes this Ray starts
    os.environ["FORWARDED_ALLOW_IPS"] = settings.trusted_proxies
    ray_core.init(address="local", num_cpus=max(2, os.cpu_count() or 1), include_dashboard=False, log_to_driver=False)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())  # after ray.init, whose handler would abort without cleaning up
    try:
        ray_serve.start(http_options={"host": host, "port": port})
        ray_serve.run(build(settings), name="dossier", route_prefix="/")
        console.print(f"dossier service on http://{host}:{port} (API docs at /docs with the operator token), data in {settings.data_dir}; "
                      "Ray's logs in /tmp/ray/session_latest/logs")
        try:
            stopped.wait()
        except KeyboardInterrupt:
            pass
    finally:
        ray_serve.shutdown()
        ray_core.shutdown()


@app.command()
def submit(
    scans: list[Path] = typer.Argument(..., help="PDF, TIFF, JPEG or PNG files, folders or .zip archives, in scan order"),
    server: str = typer.Option(..., "--server", help="the compile service, e.g. http://dossier.internal:8000"),
    key: str = typer.Option(None, "--key", help="the agency's API key (default: DOSSIER_API_KEY)"),
    output: Path = typer.Option(..., "--output", "-o", help="folder to download dossier.pdf, catalog.json and the signed manifest into"),
    idempotency_key: str = typer.Option(None, "--idempotency-key", help="names this submission: submitting again with it follows "
                                        "the same job instead of making another (default: a new one)"),
) -> None:
    """Compile scans on a compile service: upload, show the progress, download the results.
    Exit 0 once the files are downloaded, 1 if the job failed, 2 for any other error."""
    import uuid

    from compiler_service.client import DossierClient, JobFailed, ServiceError
    from compiler_service.pipeline import OutputError, check_output

    idempotency_key = idempotency_key or str(uuid.uuid4())
    bar, update = _progress()
    try:
        check_output(output.resolve(), scans)  # before the upload, not after the compile
        with DossierClient(server, key, Settings()) as client:
            job = client.submit(scans, idempotency_key)
            console.print(f"job {job.id} {job.state} (Idempotency-Key {idempotency_key})", soft_wrap=True)
            with bar:
                job = client.wait(job, update)
            files = client.download(job, output)
    except JobFailed as exc:
        console.print(f"[red]error:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(1) from exc
    except (ServiceError, OutputError) as exc:
        console.print(f"[red]error:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(2) from exc
    catalog = json.loads((output / "catalog.json").read_text(encoding="utf-8"))
    pages = sum(source["pages"] for source in catalog["sources"])
    Console().print(f"job {job.id} done: {len(catalog['documents'])} documents, {pages} pages ({len(catalog['excluded'])} excluded); "
                    f"{', '.join(f.name for f in files)} in {output}", soft_wrap=True)


if __name__ == "__main__":
    app()

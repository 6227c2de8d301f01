"""`dossier`: compile scans, generate synthetic cases, score a compiled case."""

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

STAGE_NAMES = {"ocr": "read pages (rasterize, orient, OCR, layout)", "assemble": "assemble PDF", "synth": "render pages"}


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
) -> None:
    """Compile scans into out/dossier.pdf and out/catalog.json."""
    from compiler_service.pipeline import OutputError, compile_dossier

    overrides = {k: v for k, v in {"dpi": dpi, "taxonomy": profile}.items() if v is not None}
    settings = Settings(**overrides)
    bar, update = _progress()
    try:
        with bar:
            result = compile_dossier(inputs, output, settings, update)
    except (IngestError, OutputError) as exc:
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

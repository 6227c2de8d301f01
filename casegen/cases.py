"""The case generators the benchmarks score on, by name. Each writes `scans/` and `truth.json`
(`dossier-truth/1`) into a folder and returns the truth's path.

- `normal`, `hard`: `casegen/synthetic`, the generator the shipped page model learned from;
- `independent`: `casegen/independent`, written apart from it (other fonts, wording, layouts);
- `forms`: `casegen/forms`, a third, written from the published forms without reading either.
- `county`: `casegen/county`, a fourth, written from the published forms without reading the others
  (a county bureau's files: pre-printed forms filled by hand, repeat interrogations, mixed scans).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path


def _synthetic(hard: bool) -> Callable[[int, int, Path], Path]:
    def make(seed: int, pages: int, output: Path) -> Path:
        from casegen.synthetic import generate_case

        return generate_case(pages, seed, output, hard=hard)

    return make


def _written_apart(package: str) -> Callable[[int, int, Path], Path]:
    """A generator package with `generate_case(seed, pages, output)` (imported when used: each
    brings its own fonts and dependencies)."""
    def make(seed: int, pages: int, output: Path) -> Path:
        importlib.import_module(f"casegen.{package}").generate_case(seed, pages, output)
        return output / "truth.json"

    return make


GENERATORS: dict[str, Callable[[int, int, Path], Path]] = {
    "normal": _synthetic(False),
    "hard": _synthetic(True),
    "independent": _written_apart("independent"),
    "forms": _written_apart("forms"),
    "county": _written_apart("county"),
}


def generate(generator: str, seed: int, pages: int, output: Path) -> Path:
    """A case from the named generator; the path of its truth."""
    if generator not in GENERATORS:
        raise ValueError(f"unknown generator {generator!r}; choose from {', '.join(GENERATORS)}")
    return GENERATORS[generator](seed, pages, output)

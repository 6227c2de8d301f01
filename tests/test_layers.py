"""One direction of imports: ocr → classification → cataloging → compiler_service, with the test
benches (casegen, benchmarks) on top. A module may import its own floor and the floors below it,
never one above; the walk reads every module's source (ast), lazy imports inside functions included.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FLOORS = {"ocr": 0, "classification": 1, "cataloging": 2, "compiler_service": 3, "benchmarks": 4, "casegen": 4}

# (importing module, imported package): why the upward import is allowed
ALLOWED = {
    ("compiler_service.cli", "casegen"): "`dossier synth` and `dossier eval` run the case generator and "
    "the scorer; imported inside those command functions only, so compiling never loads them",
    ("compiler_service.datasets", "casegen"): "`dossier train` generates its training cases; imported "
    "inside synthetic_cases only",
}
# an allowed upward import must stay lazy: inside a function, never at module level
LAZY_ONLY = {module for module, _ in ALLOWED}


def modules() -> list[tuple[str, Path]]:
    found = []
    for package in FLOORS:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found.append((".".join(parts), path))
    return found


def imports(path: Path) -> list[tuple[str, int, bool]]:
    """(imported module, line, at module level) for every absolute import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    top_level = {id(node) for node in tree.body}
    # an import under `if`/`try` at module level still runs on import
    for node in tree.body:
        if isinstance(node, (ast.If, ast.Try)):
            top_level |= {id(n) for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom))}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno, id(node) in top_level) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, node.lineno, id(node) in top_level))
    return found


def test_the_walk_finds_every_package():
    names = {name for name, _ in modules()}
    assert set(FLOORS) <= names
    assert {"casegen.synthetic", "casegen.evaluate", "classification.taxonomy", "ocr.output"} <= names


@pytest.mark.parametrize("package", list(FLOORS))
def test_no_import_from_a_lower_floor_to_a_higher_one(package):
    wrong = []
    for name, path in modules():
        if name.split(".")[0] != package:
            continue
        floor = FLOORS[package]
        for imported, line, module_level in imports(path):
            target = imported.split(".")[0]
            if target not in FLOORS or FLOORS[target] <= floor:
                continue
            where = f"{path.relative_to(ROOT)}:{line}: {imported}"
            if (name, target) not in ALLOWED:
                wrong.append(where)
            elif module_level:
                wrong.append(f"{where} (allowed only inside the command function, not at module level)")
    assert not wrong, "imports up the floors:\n" + "\n".join(wrong)


def test_the_allowlist_is_still_needed():
    """An exception nobody uses any more is removed, not kept for later."""
    by_name = dict(modules())
    for module, target in ALLOWED:
        assert any(imported.split(".")[0] == target for imported, _, _ in imports(by_name[module])), (module, target)


def test_the_floors_below_the_service_never_name_it_or_the_benches():
    """Strings too: a lower floor that names a higher one in code (importlib, a path) is the same
    dependency in disguise."""
    wrong = []
    for name, path in modules():
        floor = FLOORS[name.split(".")[0]]
        if floor >= 3:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in {"import_module", "__import__", "files"}:
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        target = arg.value.split(".")[0]
                        if target in FLOORS and FLOORS[target] > floor:
                            wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}: {arg.value}")
    assert not wrong, wrong

"""Imports run one way, down the layers, with no exceptions.

A package may import its own modules and the packages of any layer below its own, never one
beside or above it: every package may check outside input with untrusted/, the channels and
carriers know nothing of the bot, the engine nothing of the HTTP edge, and tracking, scheduler
and handlers nothing of each other (app/ wires them together).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [  # bottom to top
    {"untrusted"},
    {"content", "channels", "carriers", "sources"},
    {"bot"},
    {"tracking", "scheduler", "handlers"},
    {"app"},
]
PACKAGES = sorted(set().union(*LAYERS))


def layer_of(package: str) -> int:
    return next(level for level, packages in enumerate(LAYERS) if package in packages)


def may_import(importer: str, imported: str) -> bool:
    return imported == importer or layer_of(imported) < layer_of(importer)


def imported_packages(path: Path) -> set[str]:
    """Every package of ours this module names in an import, typing-only imports included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & set(PACKAGES)


# Parsed once, as the module is collected: before any test has started a thread. CPython 3.11's
# AST constructor keeps one recursion counter for the whole interpreter (python/cpython#106905),
# and one CI run's parse here failed with "SystemError: AST constructor recursion depth mismatch"
# while earlier tests' threads were still about.
IMPORTS = {path: imported_packages(path) for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))}


def test_every_package_of_the_project_has_a_layer() -> None:
    found = {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"tests", "bench"}
    assert found == set(PACKAGES)


@pytest.mark.parametrize("package", PACKAGES)
def test_a_package_imports_only_itself_and_the_layers_below(package: str) -> None:
    modules = [path for path in IMPORTS if path.is_relative_to(ROOT / package)]
    offenders = [
        f"{path.relative_to(ROOT)} imports {sorted(names)}"
        for path in modules
        if (names := {name for name in IMPORTS[path] if not may_import(package, name)})
    ]
    assert modules
    assert not offenders, "\n".join(offenders)

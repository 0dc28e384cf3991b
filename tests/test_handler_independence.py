"""Handlers never import each other: what two of them share lives in handlers/common.py.

A handler that imported another would depend on its registrations and its priority in
`build_router`; the package's __init__ is exempt because registering them all is its job.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

HANDLERS = Path(__file__).resolve().parent.parent / "handlers"
SHARED = {"handlers.common"}


def handlers_modules_imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names |= {node.module} if node.module != "handlers" else {f"handlers.{a.name}" for a in node.names}
        elif isinstance(node, ast.ImportFrom):  # relative: from . import x, from .x import y
            names.add("handlers.relative")
    return {name for name in names if name.split(".")[0] == "handlers"}


# Parsed as the module is collected, before any test has started a thread (see tests/test_layers.py).
IMPORTED = {p: handlers_modules_imported(p) for p in sorted(HANDLERS.glob("*.py")) if p.name != "__init__.py"}


@pytest.mark.parametrize("path", IMPORTED, ids=lambda p: p.stem)
def test_a_handler_imports_no_other_handler_only_the_shared_helpers(path: Path) -> None:
    assert IMPORTED[path] <= SHARED

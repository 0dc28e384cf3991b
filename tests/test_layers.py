"""Imports flow one way: channels, carriers and content know nothing of the bot."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "channels": {"bot", "handlers", "scheduler", "content", "carriers"},
    "carriers": {"bot", "handlers", "scheduler", "content", "channels"},
    "content": {"bot", "handlers", "scheduler", "carriers"},
    "bot": {"scheduler", "handlers"},
    "untrusted": {"bot", "handlers", "scheduler", "content", "carriers", "channels"},
}
ALLOWED = {("bot", "runtime.py")}  # the wiring that assembles everything


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_package_never_imports_the_layers_above_it(package: str) -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {sorted(imported_packages(path) & FORBIDDEN[package])}"
        for path in (ROOT / package).rglob("*.py")
        if imported_packages(path) & FORBIDDEN[package] and (package, path.name) not in ALLOWED
    ]
    assert not offenders, "\n".join(offenders)

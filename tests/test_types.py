"""The whole code base type-checks: mypy, as configured in pyproject.toml, reports no error.

Run from the suite so that the README's one test command (and .ci/run, which runs it) checks
types too; the per-package strictness lives in pyproject.toml's [tool.mypy].
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mypy import api

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_reports_no_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the configured `files` are relative to the project root
    report, errors, status = api.run([])
    assert status == 0, report + errors

"""A shop's whole history at once: 100,000 rows imported in one go (the import prints its rows/s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.importer import write_history
from tests.conftest import Backend
from tests.importing.files import haumai_import, order_count

ROWS = 100_000


@pytest.mark.slow
def test_a_100000_row_file_is_imported_whole(tmp_path: Path, backend: Backend, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "lich-su.csv"
    write_history(path, ROWS)  # the benchmark's file: Excel's, in a Vietnamese locale
    assert haumai_import(path, backend.database_url) == 0
    summary = capsys.readouterr().out.strip().splitlines()[-1]
    with capsys.disabled():
        print(f"\n[{backend.name}] {summary}")
    assert f"imported {ROWS} rows: {ROWS} orders created" in summary
    assert order_count(backend.database_url) == ROWS

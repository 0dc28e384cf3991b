"""A wrong file is reported row by row and nothing is written; --dry-run shows the report first."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Backend
from tests.importing.files import haumai_import, order_count

BROKEN = """Mã đơn;Tên khách;SĐT;Sản phẩm;Tổng tiền;Ngày đặt
DH1;Lan;0987654321;Áo x2 @150000;300.000đ;01/12/2026
DH2;Minh;12345;;;
DH3;Hoa;0912345678;Túi x1 150000;;
DH4;Tuấn;;;ba trăm nghìn;
DH5;Mai;;;;31/02/2026
;Không mã;;;;
"""


def test_a_broken_file_is_reported_row_by_row_and_nothing_is_written(
    tmp_path: Path, backend: Backend, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.csv"
    path.write_text(BROKEN, encoding="utf-8")
    assert haumai_import(path, backend.database_url) == 1
    report = capsys.readouterr().out
    assert "line 3: customer.phone" in report
    assert "line 4: item 'Túi x1 150000'" in report
    assert "line 5: 'ba trăm nghìn' is not an amount" in report
    assert "line 6: '31/02/2026' is not a date" in report
    assert "line 7: code" in report
    assert "5 of 6 rows are wrong; nothing was imported" in report
    assert order_count(backend.database_url) == 0


def test_a_dry_run_of_a_good_file_writes_nothing(tmp_path: Path, backend: Backend, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "good.csv"
    path.write_text("code,phone\nDH1,0987654321\nDH2,\n", encoding="utf-8")
    assert haumai_import(path, backend.database_url, "--dry-run") == 0
    assert "dry run: all 2 rows are valid" in capsys.readouterr().out
    assert order_count(backend.database_url) == 0


def test_a_file_without_an_order_code_column_is_a_clear_error(tmp_path: Path, backend: Backend, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("name,phone\nLan,0987654321\n", encoding="utf-8")
    assert haumai_import(path, backend.database_url) == 2
    assert "no order code column" in capsys.readouterr().err


def test_a_file_that_is_not_a_workbook_is_a_clear_error(tmp_path: Path, backend: Backend, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "orders.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    assert haumai_import(path, backend.database_url) == 2
    assert "not a readable .xlsx" in capsys.readouterr().err

"""A shop's whole history at once: 100,000 rows imported in one go (the import prints its rows/s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Backend
from tests.importing.files import haumai_import, order_count

ROWS = 100_000
CARRIERS = ("Giao Hàng Nhanh", "GHTK", "Viettel Post", "J&T Express")
STATUSES = ("Đã xác nhận", "Đang vận chuyển", "Đang giao", "Đã giao")


def write_history(path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        out.write("Mã đơn;Tên khách;SĐT;Sản phẩm;Tổng tiền;Đơn vị vận chuyển;Mã vận đơn;Trạng thái;Ngày đặt\r\n")
        for n in range(ROWS):
            out.write(f"HS{n:06d};Khách {n};09{n % 100_000_000:08d};Áo thun x{1 + n % 3} @150.000;"
                      f"{(1 + n % 3) * 150}.000đ;{CARRIERS[n % 4]};TRK{n:08d};{STATUSES[n % 4]};"
                      f"{1 + n % 28:02d}/{1 + n % 12:02d}/2026\r\n")


@pytest.mark.slow
def test_a_100000_row_file_is_imported_whole(tmp_path: Path, backend: Backend, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "lich-su.csv"
    write_history(path)
    assert haumai_import(path, backend.database_url) == 0
    summary = capsys.readouterr().out.strip().splitlines()[-1]
    with capsys.disabled():
        print(f"\n[{backend.name}] {summary}")
    assert f"imported {ROWS} rows: {ROWS} orders created" in summary
    assert order_count(backend.database_url) == ROWS

"""`haumai orders import` reads the files shops have: every separator, encoding and header language."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.conftest import Backend
from tests.importing.files import VIETNAMESE_HEADER, VIETNAMESE_ROWS, csv_text, haumai_import, orders_in, to_cp1258

ENCODINGS = {
    "utf-8 with comma": lambda: csv_text(VIETNAMESE_HEADER, VIETNAMESE_ROWS, ",").encode("utf-8"),
    "utf-8 with BOM and semicolon (Excel, CSV UTF-8)": lambda: b"\xef\xbb\xbf" + csv_text(VIETNAMESE_HEADER, VIETNAMESE_ROWS, ";").encode(),
    "windows-1258 with semicolon (Excel, CSV)": lambda: to_cp1258(csv_text(VIETNAMESE_HEADER, VIETNAMESE_ROWS, ";")),
    "utf-16 with tabs (Excel, Unicode Text)": lambda: csv_text(VIETNAMESE_HEADER, VIETNAMESE_ROWS, "\t").encode("utf-16"),
}


@pytest.mark.parametrize("written_as", list(ENCODINGS))
def test_vietnamese_files_in_every_encoding_excel_writes_are_read_alike(tmp_path: Path, backend: Backend, written_as: str) -> None:
    path = tmp_path / "don-hang.csv"
    path.write_bytes(ENCODINGS[written_as]())
    assert haumai_import(path, backend.database_url) == 0
    lan = orders_in(backend.database_url)["DH1001"]
    assert (lan.customer_name, lan.phone, lan.total, lan.carrier, lan.tracking_code, lan.status) == (
        "Nguyễn Thị Lan", "0987654321", 1250000, "ghn", "GAN6D8A9", "out_for_delivery")
    assert lan.items == [{"name": "Áo thun", "quantity": 2, "price": 150000}]


def test_local_dates_are_in_the_shops_timezone_day_first(tmp_path: Path, backend: Backend) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("code,placed_at\nA1,01/12/2026\nA2,2026-12-01\nA3,02/12/2026 14:30\nA4,2026-12-01T08:00:00+00:00\n")
    assert haumai_import(path, backend.database_url) == 0
    placed = {code: order.placed_at for code, order in orders_in(backend.database_url).items()}
    assert placed["A1"] == placed["A2"] == datetime(2026, 11, 30, 17, 0, tzinfo=timezone.utc)
    assert placed["A3"] == datetime(2026, 12, 2, 7, 30, tzinfo=timezone.utc)
    assert placed["A4"] == datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)


def test_english_headers_and_plain_numbers_are_read_too(tmp_path: Path, backend: Backend) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("Order code,Customer name,Phone,Total,Carrier,Tracking number\nEN1,Lan,+84987654321,300000,Viettel Post,VTP1\n")
    assert haumai_import(path, backend.database_url) == 0
    order = orders_in(backend.database_url)["EN1"]
    assert (order.customer_name, order.phone, order.total, order.carrier) == ("Lan", "0987654321", 300000, "viettelpost")


def test_an_xlsx_workbook_is_read_with_its_numbers_and_dates(tmp_path: Path, backend: Backend) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(VIETNAMESE_HEADER)
    sheet.append(["DH2001", "Lê Hoa", 912345678, "Túi tote x1 @250000", 250000, "J&T Express", "JT0001", "", datetime(2026, 12, 1, 9, 0)])
    path = tmp_path / "don-hang.xlsx"
    book.save(path)
    assert haumai_import(path, backend.database_url) == 0
    order = orders_in(backend.database_url)["DH2001"]
    assert (order.phone, order.total, order.carrier, order.placed_at) == (
        "0912345678", 250000, "jnt", datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc))


def test_lines_sharing_an_order_code_are_one_order_with_all_its_products(tmp_path: Path, backend: Backend) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("Mã đơn;Sản phẩm;Tổng tiền\nDH9;Áo x1 @100000;300000\nDH9;Quần x1 @200000;\n", encoding="utf-8")
    assert haumai_import(path, backend.database_url) == 0
    order = orders_in(backend.database_url)["DH9"]
    assert [i["name"] for i in order.items] == ["Áo", "Quần"] and order.total == 300000


def test_importing_the_same_file_twice_changes_nothing(tmp_path: Path, backend: Backend, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(csv_text(VIETNAMESE_HEADER, VIETNAMESE_ROWS, ","), encoding="utf-8")
    haumai_import(path, backend.database_url)
    first = {code: o.updated_at for code, o in orders_in(backend.database_url).items()}
    capsys.readouterr()
    assert haumai_import(path, backend.database_url) == 0
    assert "0 orders created, 0 updated, 2 unchanged" in capsys.readouterr().out
    assert {code: o.updated_at for code, o in orders_in(backend.database_url).items()} == first


def test_a_changed_row_updates_its_order(tmp_path: Path, backend: Backend) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("code,tracking_code\nU1,\n", encoding="utf-8")
    haumai_import(path, backend.database_url)
    path.write_text("code,tracking_code,carrier\nU1,GHN777,ghn\n", encoding="utf-8")
    assert haumai_import(path, backend.database_url) == 0
    assert orders_in(backend.database_url)["U1"].tracking_code == "GHN777"

"""`haumai orders import`: good rows imported, bad rows reported with line and reason."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import Backend

ROOT = Path(__file__).resolve().parents[2]
CSV = """code,customer_name,phone,channel,channel_user_id,items,total,carrier,tracking_code,eta,status,placed_at
HM5001,Chị Lan,0987654321,,,Áo thun x2 @150000,300000,ghn,GAN6D8A9,2026-11-26,in_transit,
HM5002,Anh Minh,12345,,,,0,,,,,
HM5003,Chị Hoa,0912345678,,,Túi x1 150000,,,,,,
"""


def test_good_rows_are_imported_and_bad_rows_reported(tmp_path: Path, backend: Backend) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text(CSV, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "orders", "import", str(orders)], capture_output=True, text=True, cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "HAUMAI_DATABASE_URL": backend.database_url}, timeout=120,
    )
    assert result.returncode == 1
    assert "imported 1 of 3 orders" in result.stdout
    assert "line 3: customer.phone" in result.stdout and "line 4: item 'Túi x1 150000'" in result.stdout


def test_a_file_without_a_header_is_a_clear_error(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("HM1,Lan\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "bot", "orders", "import", str(orders)],
                            capture_output=True, text=True, cwd=ROOT, env={"PATH": "/usr/bin:/bin"}, timeout=60)
    assert result.returncode == 2 and "header" in result.stderr

"""`haumai orders import` as a user runs it (tests/importing/ has the formats and reports)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parents[2]


def test_a_file_without_a_header_is_a_clear_error(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("HM1,Lan\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "bot", "orders", "import", str(orders)],
                            capture_output=True, text=True, cwd=ROOT, env={"PATH": "/usr/bin:/bin"}, timeout=60)
    assert result.returncode == 2 and "header" in result.stderr

"""`haumai orders import` of a shop's history: rows/s for a 100,000-row CSV (SQLite by default).

    python -m bench.importer [--database-url URL] [--rows N]

The file is what Excel writes in a Vietnamese locale (`;`, a BOM, Vietnamese headers, VND as
"450.000đ", dates day first); the import runs in-process, as the command does, and prints its
own summary (rows/s included) for a first import and for the same file again (nothing changes).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from app.cli import main as haumai
from bench.webhook import reset_postgres

CARRIERS = ("Giao Hàng Nhanh", "GHTK", "Viettel Post", "J&T Express")
STATUSES = ("Đã xác nhận", "Đang vận chuyển", "Đang giao", "Đã giao")


def write_history(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        out.write("Mã đơn;Tên khách;SĐT;Sản phẩm;Tổng tiền;Đơn vị vận chuyển;Mã vận đơn;Trạng thái;Ngày đặt\r\n")
        for n in range(rows):
            out.write(f"HS{n:06d};Khách {n};09{n % 100_000_000:08d};Áo thun x{1 + n % 3} @150.000;"
                      f"{(1 + n % 3) * 150}.000đ;{CARRIERS[n % 4]};TRK{n:08d};{STATUSES[n % 4]};"
                      f"{1 + n % 28:02d}/{1 + n % 12:02d}/2026\r\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", help="PostgreSQL to import into (reset first); default: a fresh SQLite file")
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the file (default 100,000)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite+aiosqlite:///{folder}/bench.db"
        if args.database_url:
            asyncio.run(reset_postgres(url))
        path = Path(folder) / "lich-su.csv"
        write_history(path, args.rows)
        for attempt in ("first import", "same file again"):
            print(f"-- {attempt}", flush=True)
            haumai(["orders", "import", str(path), "--database-url", url])


if __name__ == "__main__":
    main()

"""`haumai orders import FILE`: a shop's orders from the file it has (CSV or .xlsx).

Columns, in Vietnamese or English (app/import_columns.py has every name): code (Mã đơn),
customer_name (Tên khách), phone (SĐT), channel, channel_user_id, items (Sản phẩm:
"Áo x2 @150.000; Quần x1 @300000"), total (Tổng tiền), carrier (Đơn vị vận chuyển),
tracking_code (Mã vận đơn), eta, status (Trạng thái), placed_at (Ngày đặt). Only the code is
required; other columns are ignored. Rows sharing a code are one order (exports list one
line per product). Every row is checked first: if any is wrong, each is reported with its
line and reason and nothing is written; `--dry-run` stops there either way.
"""

from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from app import import_columns as columns
from app.api.schemas import OrderIn
from app.import_files import Table, UnreadableFile, read_table
from app.import_writer import Written, write_orders
from bot.clock import utcnow
from bot.config import Settings
from bot.storage.engine import make_engine, make_sessionmaker
from bot.storage.migrate import upgrade

@dataclass
class ImportReport:
    rows: int = 0
    orders: list[OrderIn] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def column_fields(header: list[str]) -> tuple[dict[int, str], list[str]]:
    """Which Haumai field each column holds, and the columns nothing reads."""
    fields: dict[int, str] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        found = columns.field_of(name)
        if found is None or found in fields.values():
            ignored.append(name)
        else:
            fields[index] = found
    if "code" not in fields.values():
        raise UnreadableFile("the header (first line) has no order code column: name one 'Mã đơn' or 'code'")
    return fields, [name for name in ignored if name]


def row_to_order(cells: dict[str, Any], zone: ZoneInfo) -> OrderIn:
    text = columns.text
    return OrderIn.model_validate(_present({
        "code": text(cells.get("code")), "total": columns.vnd(cells.get("total")),
        "carrier": columns.carrier(cells.get("carrier")), "tracking_code": text(cells.get("tracking_code")),
        "eta": columns.day(cells.get("eta"), zone), "status": columns.status(cells.get("status")),
        "placed_at": columns.moment(cells.get("placed_at"), zone), "items": columns.items(cells.get("items")),
        "customer": _present({"name": text(cells.get("customer_name")), "phone": columns.phone(cells.get("phone")),
                              "channel": text(cells.get("channel")), "channel_user_id": text(cells.get("channel_user_id"))}),
    }))


def _present(values: dict[str, Any]) -> dict[str, Any]:
    """A blank cell is no value: the order keeps (or defaults) what it has."""
    return {k: v for k, v in values.items() if v not in (None, "", [])}


def check_rows(table: Table, zone: ZoneInfo) -> ImportReport:
    fields, ignored = column_fields(table.header)
    report = ImportReport(rows=len(table.rows), ignored_columns=ignored)
    by_code: dict[str, OrderIn] = {}
    for line, row in table.rows:
        cells = {name: row[index] for index, name in fields.items() if index < len(row)}
        try:
            order = row_to_order(cells, zone)
        except (ValidationError, ValueError) as failure:
            report.errors.append((line, _reason(failure)))
            continue
        known = by_code.get(order.code)
        by_code[order.code] = order if known is None else _merged(known, order)
    report.orders = list(by_code.values())
    return report


def _merged(first: OrderIn, more: OrderIn) -> OrderIn:
    """Another line of the same order: its products added, blanks of the first filled."""
    blanks = {k: v for k, v in more.model_dump(exclude={"items", "customer"}).items() if v and not getattr(first, k)}
    return first.model_copy(update={**blanks, "items": [*first.items, *more.items]})


def _reason(failure: Exception) -> str:
    if isinstance(failure, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in failure.errors(include_url=False))
    return str(failure)


async def _write(settings: Settings, orders: list[OrderIn]) -> Written:
    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine).begin() as session:  # one transaction: all or nothing
            return await write_orders(session, orders, utcnow(), lambda done: _progress(done, len(orders)))
    finally:
        await engine.dispose()


def _progress(done: int, total: int) -> None:
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    sys.stderr.flush()


def run_import(settings: Settings, path: str, *, dry_run: bool = False) -> int:
    """0 when every row was imported (or would be), 1 when rows were wrong (nothing written), 2 unreadable."""
    started = time.perf_counter()
    try:
        report = check_rows(read_table(Path(path)), settings.zone)
    except UnreadableFile as failure:
        print(f"haumai: {failure}", file=sys.stderr)
        return 2
    if report.ignored_columns:
        print(f"columns not read: {', '.join(report.ignored_columns)}")
    for line, reason in report.errors:
        print(f"  line {line}: {reason}")
    if report.errors:
        print(f"{len(report.errors)} of {report.rows} rows are wrong; nothing was imported. Fix them and import again.")
        return 1
    if dry_run:
        print(f"dry run: all {report.rows} rows are valid ({len(report.orders)} orders); nothing was written")
        return 0
    upgrade(settings.database_url)
    written = asyncio.run(_write(settings, report.orders))
    seconds = time.perf_counter() - started
    print(f"\nimported {report.rows} rows: {written.created} orders created, {written.updated} updated, "
          f"{written.unchanged} unchanged ({seconds:.1f} s, {report.rows / max(seconds, 1e-9):,.0f} rows/s)")
    return 0

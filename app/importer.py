"""`haumai orders import FILE.csv`: bulk orders through the same upsert as the REST API.

Columns: code, customer_name, phone, channel, channel_user_id, items ("Áo x2 @150000; Quần
x1 @300000"), total, carrier, tracking_code, eta, status, placed_at. A bad row is reported
with its number and reason and skipped; the other rows are imported.
"""

from __future__ import annotations

import asyncio
import csv
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.orders import upsert_order
from app.api.schemas import OrderIn
from bot.clock import utcnow
from bot.config import Settings
from bot.orders import StatusChange
from bot.storage.engine import make_engine, make_sessionmaker
from bot.storage.migrate import upgrade
from bot.storage.models import Order

ITEM = re.compile(r"^\s*(?P<name>.+?)\s+x(?P<quantity>\d+)\s*@\s*(?P<price>\d+)\s*$")


@dataclass
class ImportReport:
    imported: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def row_to_order(row: dict[str, str]) -> OrderIn:
    items = []
    for part in filter(None, (p.strip() for p in (row.get("items") or "").split(";"))):
        match = ITEM.match(part)
        if match is None:
            raise ValueError(f"item {part!r} should look like 'Áo thun x2 @150000'")
        items.append(match.groupdict())
    blank = {k: v for k, v in row.items() if v not in (None, "")}
    return OrderIn.model_validate({
        **{k: blank[k] for k in ("code", "total", "carrier", "tracking_code", "eta", "status", "placed_at") if k in blank},
        "customer": {"name": blank.get("customer_name", ""), "phone": blank.get("phone"),
                     "channel": blank.get("channel"), "channel_user_id": blank.get("channel_user_id")},
        "items": items,
    })


def _reason(failure: Exception) -> str:
    if isinstance(failure, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in failure.errors())
    return str(failure)


async def import_rows(settings: Settings, rows: Iterable[dict[str, str]], total: int) -> ImportReport:
    report, engine = ImportReport(), make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    try:
        for number, row in enumerate(rows, start=2):  # line 1 is the header
            try:
                data = row_to_order(row)
                async with sessions.begin() as session:
                    await upsert_order(session, data, now=utcnow(), on_change=_no_notices)
                report.imported += 1
            except (ValidationError, ValueError) as failure:
                report.errors.append((number, _reason(failure)))
            _progress(number - 1, total)
    finally:
        await engine.dispose()
    return report


async def _no_notices(session: AsyncSession, order: Order, change: StatusChange) -> None:
    """Imported history is not news: nobody is messaged about it."""


def _progress(done: int, total: int) -> None:
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    sys.stderr.flush()


def run_import(settings: Settings, path: str) -> int:
    """Exit code 0 when every row was imported, 1 when some were not (all reported)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as failure:
        print(f"haumai: cannot read {path}: {failure}", file=sys.stderr)
        return 2
    reader = csv.DictReader(text.splitlines())
    if "code" not in (reader.fieldnames or []):
        print("haumai: the CSV needs a header row with at least a 'code' column", file=sys.stderr)
        return 2
    rows = list(reader)
    upgrade(settings.database_url)
    report = asyncio.run(import_rows(settings, rows, len(rows)))
    print(f"\nimported {report.imported} of {len(rows)} orders")
    for line, reason in report.errors:
        print(f"  line {line}: {reason}")
    return 1 if report.errors else 0

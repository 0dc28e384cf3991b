"""Order files as shops' tools write them, and what an import left in the database."""

from __future__ import annotations

import asyncio
import unicodedata
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.cli import main
from bot.storage.engine import make_engine, make_sessionmaker
from bot.storage.models import Order

TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
VIETNAMESE_HEADER = ["Mã đơn", "Tên khách", "SĐT", "Sản phẩm", "Tổng tiền", "Đơn vị vận chuyển", "Mã vận đơn", "Trạng thái", "Ngày đặt"]
VIETNAMESE_ROWS = [
    ["DH1001", "Nguyễn Thị Lan", "0987 654 321", "Áo thun x2 @150.000", "1.250.000đ", "Giao Hàng Nhanh", "GAN6D8A9", "Đang giao", "01/12/2026"],
    ["DH1002", "Trần Văn Minh", "0903123456", "Giày thể thao x1 @890000", "890.000 ₫", "GHTK", "S1234567", "Đã xác nhận", "02/12/2026 14:30"],
]


def to_cp1258(text: str) -> bytes:
    """As Excel saves Vietnamese in Windows-1258: letters precomposed with their vowel marks where the
    code page has them (â, ơ, ư…), the five tone marks apart as combining characters."""
    encoded = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in decomposed if c in TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
        encoded.append(char.encode("cp1258") if not tones and char != base else (base + tones).encode("cp1258"))
    return b"".join(encoded)


def csv_text(header: list[str], rows: list[list[str]], separator: str) -> str:
    return "\r\n".join(separator.join(cells) for cells in [header, *rows]) + "\r\n"


def haumai_import(path: Path, database_url: str, *options: str) -> int:
    return main(["orders", "import", str(path), "--database-url", database_url, *options])


def orders_in(database_url: str) -> dict[str, Order]:
    async def read() -> dict[str, Order]:
        engine = make_engine(database_url)
        try:
            async with make_sessionmaker(engine)() as session:
                return {o.code: o for o in await session.scalars(select(Order))}
        finally:
            await engine.dispose()

    return asyncio.run(read())


def order_count(database_url: str) -> Any:
    async def count() -> Any:
        engine = make_engine(database_url)
        try:
            async with engine.connect() as connection:
                return await connection.scalar(select(func.count()).select_from(Order))
        finally:
            await engine.dispose()

    return asyncio.run(count())

"""A database error on a customer's row is logged without the customer: no name, no phone."""

from __future__ import annotations

import io
import logging
from typing import AsyncIterator, Callable, Iterator

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import text

from app.log import configure_logging
from tests.apps import Api, runtime_of

NAME, PHONE = "Trần Thị Bích Ngọc", "0912345678"
ORDER = {"code": "HM9001", "customer": {"name": NAME, "phone": PHONE}, "total": 250000,
         "items": [{"name": "Áo len", "quantity": 1, "price": 250000}]}
REFUSE = {
    "postgresql": ("ALTER TABLE orders ADD CONSTRAINT ck_orders_refused CHECK (false) NOT VALID",
                   "ALTER TABLE orders DROP CONSTRAINT ck_orders_refused"),
    "sqlite": ("CREATE TRIGGER orders_refused BEFORE INSERT ON orders BEGIN SELECT RAISE(ABORT, 'refused'); END",
               "DROP TRIGGER orders_refused"),
}


@pytest.fixture
def logged() -> Iterator[Callable[[], str]]:
    """What the app's own log configuration (as `haumai serve` installs it) writes."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    configure_logging([])
    written = io.StringIO()
    handler = root.handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(written)
    yield written.getvalue
    root.handlers[:], root.level = handlers, level


@pytest.fixture
async def refusing_orders(client: TestClient) -> AsyncIterator[None]:
    """The database refuses every new order row, as a violated constraint would."""
    engine = runtime_of(client).engine
    add, drop = REFUSE[engine.dialect.name]
    async with engine.begin() as connection:
        await connection.execute(text(add))
    yield
    async with engine.begin() as connection:
        await connection.execute(text(drop))


async def test_a_refused_order_row_logs_the_error_without_the_customers_name_or_phone(
    client: TestClient, refusing_orders: None, logged: Callable[[], str]
) -> None:
    status, _ = await Api(client).post("/api/v1/orders", ORDER)
    log = logged()
    assert status >= 400 and "IntegrityError" in log
    assert NAME not in log and PHONE not in log

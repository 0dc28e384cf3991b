"""A batch of turns reads the labels taught for its texts and the orders they name once, and a
turn still sees what an earlier turn of the same batch wrote to an order."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, AsyncIterator, Iterator

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.batch_reads import share_batch
from bot.contacts import resolve_many
from bot.nlu import Intent
from bot.orders import facts_by_code
from bot.storage.models import LabelSource, Order
from bot.teaching import add_label, understood
from channels.models import Address, ChannelKind, Kind, Message

NOW = datetime(2026, 12, 3, 3, 0, tzinfo=timezone.utc)
LAN, MAI = Address(ChannelKind.TELEGRAM, "1"), Address(ChannelKind.TELEGRAM, "2")
TAUGHT = "shop ơi giao nhanh giúp em"


def message(sender: Address, text: str) -> Message:
    return Message(id=text, sender=sender, kind=Kind.TEXT, received_at=NOW, text=text)


BATCH = [message(LAN, "đơn HM1001 tới đâu rồi shop?"), message(MAI, "HM1002 sao chưa giao"), message(MAI, TAUGHT)]


@pytest.fixture
async def shop(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    async with sessions.begin() as session:
        for code in ("HM1001", "HM1002"):
            session.add(Order(code=code, phone="0901234567", created_at=NOW, updated_at=NOW))
        add_label(session, TAUGHT, Intent.REDELIVERY, LabelSource.STAFF, "lan@shop.vn", NOW)
    yield sessions


@pytest.fixture
def selects(engine: AsyncEngine) -> Iterator[list[str]]:
    """The SELECT statements sent while the test runs."""
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    yield sent
    event.remove(engine.sync_engine, "before_cursor_execute", record)


async def batch_session(session: AsyncSession) -> None:
    parties = await resolve_many(session, [(m.sender, "Lan") for m in BATCH], NOW)
    share_batch(session, parties.values(), BATCH, None)


async def test_a_batch_reads_the_labels_of_its_texts_and_the_orders_they_name_in_one_statement_each(
    shop: async_sessionmaker[AsyncSession], selects: list[str]
) -> None:
    async with shop.begin() as session:
        await batch_session(session)
        readings = [await understood(session, m.text) for m in BATCH]
        found = [await facts_by_code(session, code) for code in ("HM1001", "HM1002", "HM1001")]
    assert [r.intent for r in readings][2] == Intent.REDELIVERY
    assert [order.code if order else None for order in found] == ["HM1001", "HM1002", "HM1001"]
    assert len([s for s in selects if "nlu_labels" in s]) == 1
    assert len([s for s in selects if "FROM orders" in s]) == 1


async def test_a_code_typed_in_lower_case_still_finds_its_order(shop: async_sessionmaker[AsyncSession]) -> None:
    async with shop.begin() as session:
        await batch_session(session)
        order = await facts_by_code(session, "hm1001")
    assert order is not None and order.code == "HM1001"


async def test_an_order_linked_by_an_earlier_turn_of_the_batch_is_read_as_linked(
    shop: async_sessionmaker[AsyncSession],
) -> None:
    async with shop.begin() as session:
        await batch_session(session)
        before = await facts_by_code(session, "HM1001")
        await session.execute(update(Order).where(Order.phone == "0901234567").values(contact_id=None, customer_name="Lan"))
        after = await facts_by_code(session, "HM1001")
    assert before is not None and before.customer_name == ""
    assert after is not None and after.customer_name == "Lan"


async def test_an_order_changed_as_an_object_and_flushed_is_read_as_changed(shop: async_sessionmaker[AsyncSession]) -> None:
    async with shop.begin() as session:
        await batch_session(session)
        assert (await facts_by_code(session, "HM1002")) is not None
        order = await session.scalar(select(Order).where(Order.code == "HM1002"))
        assert order is not None
        order.customer_name = "Mai"
        await session.flush()
        after = await facts_by_code(session, "HM1002")
    assert after is not None and after.customer_name == "Mai"

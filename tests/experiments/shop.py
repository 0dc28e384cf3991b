"""Writing a shop's customers, orders and questions as rows, many at a time (Core executemany):
an experiment is measured from rows, so a month of them needs no conversations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.experiments.assignment import Candidate, Running, assign
from bot.storage.models import Contact, Conversation, ExperimentAssignment, MessageRecord, Order


@dataclass
class Shop:
    """Ids are handed out here, so rows of every table can be written in one statement each."""

    next_id: int = 1
    messages: list[dict[str, Any]] = field(default_factory=list)

    async def customers_order(self, session: AsyncSession, count: int, at: datetime, *,
                              opted_out: bool = False) -> list[Candidate]:
        """`count` new customers, each with a chat and one order placed `at`."""
        ids = range(self.next_id, self.next_id + count)
        self.next_id += count
        await session.execute(insert(Contact), [
            {"id": i, "name": f"Khách {i}", "created_at": at, "opted_out_at": at if opted_out else None} for i in ids])
        await session.execute(insert(Conversation), [{"id": i, "contact_id": i, "created_at": at} for i in ids])
        await session.execute(insert(Order), [
            {"id": i, "code": f"SALE{i}", "contact_id": i, "status": "delivered", "total": 250_000,
             "created_at": at, "updated_at": at} for i in ids])
        return [Candidate(i, f"SALE{i}", i) for i in ids]

    def asks_where(self, contact_id: int, at: datetime) -> None:
        """The customer asks where the order is (written by `flush`)."""
        self.messages.append({"conversation_id": contact_id, "direction": "in", "author": "customer",
                              "channel": "telegram", "text": "đơn của mình tới đâu rồi?",
                              "intent": "where_is_my_order", "created_at": at})

    async def flush(self, session: AsyncSession) -> None:
        if self.messages:
            await session.execute(insert(MessageRecord), self.messages)
            self.messages = []


async def cancel(session: AsyncSession, order_ids: Sequence[int]) -> None:
    if order_ids:
        statement = update(Order.__table__).where(Order.__table__.c.id == bindparam("oid")).values(status="cancelled")
        await session.execute(statement, [{"oid": i} for i in order_ids])


async def assigned(session: AsyncSession, experiment: Running, candidates: Sequence[Candidate],
                   now: datetime) -> dict[int, str]:
    """Assign the orders as the journey would, and read back the arm recorded for each."""
    await assign(session, experiment, candidates, now)
    rows = await session.execute(select(ExperimentAssignment.order_id, ExperimentAssignment.arm).where(
        ExperimentAssignment.order_id.in_([c.order_id for c in candidates])))
    return {order_id: arm for order_id, arm in rows}

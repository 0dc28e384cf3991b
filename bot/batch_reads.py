"""What a batch of turns will read, named before its first turn runs, so that each kind of read
is one SELECT for the whole batch instead of one a turn: the order-code tries of its identities
(`bot.lookups`), the labels taught for its texts (`bot.teaching`), the orders its texts name by
code (`bot.orders`). On PostgreSQL every statement is a round trip; on both backends, each one
saved is a statement built, executed and read less.

Texts are classified here, once, for the same reason: the classifier's reading tells which order
codes the batch asks about, and the turn uses that same reading.
"""

from __future__ import annotations

from typing import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from bot import lookups, orders, teaching
from bot.contacts import Party
from channels.models import Kind, Message


def share_batch(session: AsyncSession, parties: Iterable[Party], messages: Iterable[Message],
                order_code_pattern: str | None) -> None:
    lookups.share_batch(session, (party.identity.id for party in parties))
    texts = (message.text for message in messages if message.kind == Kind.TEXT)
    classified = teaching.share_batch(session, texts, order_code_pattern)
    orders.share_batch(session, (c.entities.order_code for c in classified if c.entities.order_code))

"""A tap as the customer saw it: the title of the button whose payload came back.

A tap arrives as its payload ("o:12~…", "sv:nps:4:2~…"), which means nothing to staff reading
the conversation. Every sent message's record keeps its buttons as (title, payload), and the
conversation remembers the last ones offered, so the title is found where the payload was sent.
"""

from __future__ import annotations

from typing import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Direction, MessageRecord

LOOK_BACK = 20  # sent messages searched for a tap on an older message's button


def title_in(action: str, buttons: Sequence[Sequence[str]]) -> str | None:
    return next((title for title, payload in buttons if payload == action), None)


async def tapped_title(session: AsyncSession, conversation_id: int, action: str,
                       offered: Sequence[Sequence[str]]) -> str | None:
    """The buttons last offered answer most taps without a query; an older message's button is
    looked up among the conversation's recent sent messages. None for a payload never sent here."""
    title = title_in(action, offered)
    if title is not None:
        return title
    sent = await session.scalars(
        select(MessageRecord.data)
        .where(MessageRecord.conversation_id == conversation_id, MessageRecord.direction == Direction.OUT)
        .order_by(MessageRecord.id.desc()).limit(LOOK_BACK)
    )
    return next((t for data in sent if (t := title_in(action, data.get("buttons") or [])) is not None), None)


def shown_text(record: MessageRecord) -> str:
    """What a message said to whoever reads it back: a tap's button title, else its text."""
    return str(record.data.get("tapped") or record.text)

"""What every turn changes on its conversation (the buttons offered, the time of the last message),
written with the batch's deferred rows rather than flushed as changed ORM objects.

Every answered message changes both, so a batch of turns used to end in a unit-of-work flush of
every conversation it touched; the flush's bookkeeping cost more than the UPDATE it sent. The
object shows the new values at once (a later turn of the same batch reads them), and one
`executemany` per attribute writes them with the batch (`bot.storage.deferred`), in turn order,
so the latest value stays. Changes that are not every turn's (a handoff, `unread` while a person
owns the chat) stay ORM changes: they are rare, and the flush after the deferred rows keeps them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Update, bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from bot.storage.deferred import defer
from bot.storage.models import Conversation

_conversations = Conversation.__table__
TOUCHED = ("offered", "last_message_at")  # what a turn may touch this way


def _set(column: str) -> Update:
    return update(_conversations).where(_conversations.c.id == bindparam("conversation")).values(
        {column: bindparam("value")}
    )


_SET = {column: _set(column) for column in TOUCHED}  # built once: every turn writes them


def touch(session: AsyncSession, conversation: Conversation, column: str, value: Any) -> None:
    """Set one of `TOUCHED` on the conversation now, and write it with the batch."""
    set_committed_value(conversation, column, value)
    defer(session, _SET[column], {"conversation": conversation.id, "value": value})

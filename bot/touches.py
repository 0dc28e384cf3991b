"""What most turns change on the customer's rows (the conversation's buttons offered and time of
the last message, the contact's language), written with the batch's deferred rows rather than
flushed as changed ORM objects.

Nearly every answered message changes them, so a batch of turns used to end in a unit-of-work
flush of every conversation and new contact it touched; the flush's bookkeeping cost more than
the UPDATEs it sent. The object shows the new value at once (a later turn of the same batch
reads it), and one `executemany` per attribute writes them with the batch
(`bot.storage.deferred`), in turn order, so the latest value stays. Rarer changes (a handoff,
`unread` while a person owns the chat, a merge) stay ORM changes: the flush after the deferred
rows keeps them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Update, bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from bot.storage.deferred import defer
from bot.storage.models import Contact, Conversation

Touchable = Contact | Conversation
TOUCHED: dict[type[Touchable], tuple[str, ...]] = {  # what a turn may touch this way
    Conversation: ("offered", "last_message_at"),
    Contact: ("language",),
}


def _set(model: type[Touchable], column: str) -> Update:
    table = model.__table__
    return update(table).where(table.c.id == bindparam("row")).values({column: bindparam("value")})


_SET = {(model, column): _set(model, column) for model, columns in TOUCHED.items() for column in columns}  # built once


def touch(session: AsyncSession, row: Touchable, column: str, value: Any) -> None:
    """Set one of `TOUCHED` on the row's object now, and write it with the batch."""
    set_committed_value(row, column, value)
    defer(session, _SET[type(row), column], {"row": row.id, "value": value})

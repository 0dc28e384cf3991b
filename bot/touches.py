"""What every turn changes on the customer's rows (who wrote when and through which channel, the
conversation's buttons offered and time of the last message, the contact's language), written
with the batch's deferred rows rather than flushed as changed ORM objects.

Nearly every answered message changes them, so a batch of turns used to end in a unit-of-work
flush of every conversation and new contact it touched; the flush's bookkeeping cost more than
the UPDATEs it sent. The object shows the new value at once (a later turn of the same batch
reads it), and the batch writes each row's latest values in one UPDATE per table and set of
columns (`bot.storage.deferred`). Rarer changes (a handoff, `unread` while a person owns the
chat, a merge) stay ORM changes: the flush after the deferred rows keeps them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from bot.storage.deferred import defer_patch
from bot.storage.models import Contact, Conversation, Identity

Touchable = Contact | Conversation | Identity
TOUCHED: dict[type[Touchable], frozenset[str]] = {  # what a turn may touch this way
    Identity: frozenset({"last_inbound_at", "display_name"}),
    Conversation: frozenset({"offered", "last_message_at"}),
    Contact: frozenset({"language", "last_inbound_at", "last_channel", "name"}),
}


def touch(session: AsyncSession, row: Touchable, column: str, value: Any) -> None:
    """Set one of `TOUCHED` on the row's object now, and write it with the batch."""
    if column not in TOUCHED[type(row)]:
        raise ValueError(f"{type(row).__name__}.{column} is not written as a touch")
    set_committed_value(row, column, value)
    defer_patch(session, type(row).__table__, row.id, column, value)

"""Writing to the outbox: every outgoing message, reply or proactive, is a row first.

Handlers and planners only ever call `enqueue`; the dispatcher alone talks to channels.
The dedupe key makes a retried handler or planner a no-op instead of a second message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.storable import storable
from bot.storage.deferred import defer
from bot.storage.dialect import insert_ignoring_conflicts
from bot.storage.models import Outbox
from bot.storage.results import rows_changed
from channels.models import Address, Button, Purpose

PROACTIVE_KINDS = frozenset({"notice", "thanks", "survey", "reminder", "holding"})


@dataclass(frozen=True, slots=True)
class Draft:
    """A rendered message waiting for its row."""

    text: str
    buttons: tuple[Button, ...] = ()
    request_phone: str = ""  # the share-phone control's label, where the channel has one
    extra: dict[str, Any] = field(default_factory=dict)

    def body(self, purpose: Purpose) -> dict[str, Any]:
        return {
            "text": self.text,
            "buttons": [[b.title, b.action] for b in self.buttons],
            "request_phone": self.request_phone,
            "purpose": purpose.value,
            **self.extra,
        }


def buttons_of(body: dict[str, Any]) -> tuple[Button, ...]:
    return tuple(Button(title, action) for title, action in body.get("buttons", ()))


def outbox_row(
    *,
    key: str,
    kind: str,
    to: Address,
    draft: Draft,
    due_at: datetime,
    now: datetime,
    contact_id: int | None,
    conversation_id: int | None,
    order_id: int | None = None,
    purpose: Purpose = Purpose.REPLY,
) -> dict[str, Any]:
    """The row for one message, its text cleaned so that no character of it can fail a write."""
    return storable({
        "dedupe_key": key, "kind": kind, "contact_id": contact_id, "conversation_id": conversation_id,
        "order_id": order_id, "channel": to.channel.value, "recipient": str(to), "body": draft.body(purpose),
        "due_at": due_at, "status": "pending", "attempts": 0, "created_at": now,
    })


async def enqueue(session: AsyncSession, row: dict[str, Any]) -> bool:
    """Add one message (an `outbox_row`) now; False when a row with this dedupe key already exists."""
    result = await session.execute(insert_ignoring_conflicts(session, Outbox.__table__), row)
    return bool(rows_changed(result))


def enqueue_with_batch(session: AsyncSession, row: dict[str, Any]) -> None:
    """Add one message (an `outbox_row`) when the batch writes its deferred rows (bot.storage.deferred)."""
    defer(session, insert_ignoring_conflicts(session, Outbox.__table__), row)

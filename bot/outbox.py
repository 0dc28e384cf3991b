"""The outbox contract: every outgoing message, reply or proactive, is a row first.

Writers (turns, journey planners, the inbox) only ever call `enqueue`; the dispatcher alone
talks to channels and reads a row's body back through `OutboxBody.read`. The row's kinds,
statuses and body shape live here, once, so the writers and the scheduler cannot drift apart.
The dedupe key makes a retried handler or planner a no-op instead of a second message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storable import storable
from bot.storage.deferred import defer
from bot.storage.dialect import insert_ignoring_conflicts
from bot.storage.models import Outbox
from channels.models import Address, Button, Purpose


class OutboxStatus(StrEnum):
    """pending → claimed → sending (its provider request started) → one of the last five."""

    PENDING = "pending"
    CLAIMED = "claimed"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNKNOWN = "unknown"  # its request started but nobody knows whether it arrived: never resent blindly
    SKIPPED_POLICY = "skipped_policy"
    CANCELLED = "cancelled"


class OutboxKind(StrEnum):
    REPLY = "reply"
    STAFF_REPLY = "staff_reply"
    NOTICE = "notice"
    THANKS = "thanks"
    SURVEY = "survey"
    REMINDER = "reminder"
    HOLDING = "holding"
    CARE = "care"  # issue 16: care/usage after delivery, the check-in, win-back
    CHECKIN = "checkin"
    WINBACK = "winback"


PROACTIVE_KINDS = frozenset({OutboxKind.NOTICE, OutboxKind.THANKS, OutboxKind.SURVEY, OutboxKind.REMINDER,
                             OutboxKind.HOLDING, OutboxKind.CARE, OutboxKind.CHECKIN, OutboxKind.WINBACK})


def _button_from_pair(value: Any) -> Any:
    """Stored as `[title, action]`; anything else is refused (ValueError), failing its row alone."""
    if isinstance(value, (list, tuple)):
        title, action = value
        return Button(title, action)
    return value


StoredButton = Annotated[Button, BeforeValidator(_button_from_pair), PlainSerializer(lambda b: [b.title, b.action])]
# Older rows stored the share-phone control as a flag or null; read as the dispatcher always did.
Label = Annotated[str, BeforeValidator(lambda value: str(value or ""))]
TemplateValue = Annotated[str, BeforeValidator(str)]
TemplateValues = Annotated[dict[str, TemplateValue], BeforeValidator(lambda value: value or {})]


@dataclass(frozen=True, slots=True)
class OutboxBody:
    """What a row sends: the rendered message, and what an approved provider template would need
    instead (`vars`, bot.template_vars) should the channel's window have closed by send time."""

    text: str = ""
    buttons: tuple[StoredButton, ...] = ()
    request_phone: Label = ""  # the share-phone control's label, where the channel has one
    purpose: Purpose = Purpose.REPLY
    vars: TemplateValues = field(default_factory=dict)
    numbered_hint: Label = ""  # the localised "answer with the option's number", where buttons become a list

    @staticmethod
    def read(stored: Any) -> OutboxBody:
        """The body of a stored row; raises (pydantic's ValidationError) for a shape no version wrote."""
        return _BODY.validate_python(stored)

    def stored(self) -> dict[str, Any]:
        return _BODY.dump_python(self, mode="json")

    def offered(self) -> list[list[str]]:
        """The buttons as a conversation remembers them (a typed "2" then answers the second)."""
        return [[button.title, button.action] for button in self.buttons]


_BODY = TypeAdapter(OutboxBody)


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboxMessage:
    """One message to queue, addressed and keyed."""

    key: str
    kind: OutboxKind
    to: Address
    body: OutboxBody
    due_at: datetime
    contact_id: int | None
    conversation_id: int | None
    order_id: int | None = None

    def row(self, now: datetime) -> dict[str, Any]:
        """Its row, the text cleaned so that no character of it can fail a write."""
        return storable({
            "dedupe_key": self.key, "kind": self.kind.value, "contact_id": self.contact_id,
            "conversation_id": self.conversation_id, "order_id": self.order_id, "channel": self.to.channel.value,
            "recipient": str(self.to), "body": self.body.stored(), "due_at": self.due_at,
            "status": OutboxStatus.PENDING.value, "attempts": 0, "created_at": now,
        })


@dataclass(slots=True)
class Written:
    """What one transaction enqueued: the replies its turn batch may claim itself (bot.handover)
    and how many other rows, which a dispatch round must be woken for."""

    to_hand_over: list[str] = field(default_factory=list)  # dedupe keys
    others: int = 0


_WRITTEN = "haumai.outbox.written"


def written_by(session: AsyncSession) -> Written:
    """What the session's transaction enqueued so far; asking forgets it."""
    written: Written = session.info.pop(_WRITTEN, Written())
    return written


async def enqueue(
    session: AsyncSession, message: OutboxMessage, *, now: datetime, with_batch: bool = False, hand_over: bool = False
) -> None:
    """Add one message; nothing happens when a row with its dedupe key already exists.

    `with_batch`: written when the chat batch writes its deferred rows (bot.storage.deferred),
    so a batch's replies go in one executemany instead of one INSERT each. `hand_over`: a reply
    due now that the turn batch claims itself before it commits (bot.handover).
    """
    written: Written = session.info.setdefault(_WRITTEN, Written())
    if hand_over:
        written.to_hand_over.append(message.key)
    else:
        written.others += 1
    statement = insert_ignoring_conflicts(session, Outbox.__table__)
    if with_batch:
        defer(session, statement, message.row(now))
    else:
        await session.execute(statement, message.row(now))

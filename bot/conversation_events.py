"""The inbox's event log and handoff records, written in the transaction of the change."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Conversation, ConversationMode, Handoff, InboxEvent

TOPIC = "inbox"  # pub/sub only wakes browsers; what changed is read from the log


class InboxEventKind(StrEnum):
    MESSAGE = "message"  # the customer wrote while a person owns the conversation
    HANDOFF = "handoff"
    TAKEN = "taken"
    ASSIGNED = "assigned"
    RELEASED = "released"
    RESOLVED = "resolved"
    REPLY = "reply"
    NOTE = "note"
    OVERDUE = "overdue"  # nobody answered in time; the customer got a holding message


def record_event(
    session: AsyncSession, conversation_id: int, kind: InboxEventKind, payload: dict[str, Any], now: datetime
) -> None:
    session.add(InboxEvent(conversation_id=conversation_id, kind=kind, payload=payload, created_at=now))


def open_handoff(session: AsyncSession, conversation: Conversation, reason: str, now: datetime) -> None:
    """Give the conversation to people; the bot stays silent until it is released."""
    conversation.mode, conversation.handoff_reason = ConversationMode.HUMAN, reason
    conversation.handoff_at, conversation.assigned_staff_id = now, None
    conversation.version += 1
    session.add(Handoff(conversation_id=conversation.id, reason=reason, requested_at=now))
    record_event(session, conversation.id, InboxEventKind.HANDOFF, {"reason": reason}, now)


async def current_handoff(session: AsyncSession, conversation_id: int) -> Handoff | None:
    return await session.scalar(
        select(Handoff).where(Handoff.conversation_id == conversation_id, Handoff.resolved_at.is_(None))
        .order_by(Handoff.id.desc()).limit(1)
    )

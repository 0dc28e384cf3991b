"""What staff do to a conversation. Taking over is a conditional UPDATE: of two people
clicking at once, exactly one wins and the other is told."""

from __future__ import annotations

from datetime import datetime
from typing import Awaitable, Callable

from sqlalchemy import or_, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.contacts import recipient_of
from bot.conversation_events import InboxEventKind, current_handoff, open_handoff, record_event
from bot.outbox import OutboxBody, OutboxKind, OutboxMessage, enqueue
from bot.storable import storable_text
from bot.storage.models import Conversation, ConversationMode, Note
from bot.storage.results import rows_changed
from channels.models import Purpose


class Conflict(Exception):
    """Someone else changed the conversation first."""


async def take_over(session: AsyncSession, conversation_id: int, staff_id: int, version: int, now: datetime) -> None:
    taken = await session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.version == version,
               or_(Conversation.assigned_staff_id.is_(None), Conversation.assigned_staff_id == staff_id))
        .values(mode=ConversationMode.HUMAN, assigned_staff_id=staff_id, version=Conversation.version + 1, unread=0)
        .execution_options(synchronize_session=False)
    )
    if not rows_changed(taken):
        raise Conflict("another staff member took this conversation first")
    conversation = await session.get_one(Conversation, conversation_id, populate_existing=True)
    if await current_handoff(session, conversation_id) is None:  # staff stepped in unasked
        open_handoff(session, conversation, "staff_initiated", now)
        conversation.assigned_staff_id = staff_id
    record_event(session, conversation_id, InboxEventKind.TAKEN, {"staff_id": staff_id}, now)


async def assign(session: AsyncSession, conversation: Conversation, staff_id: int, now: datetime) -> None:
    """Hand the conversation to a colleague (who then owns it as if they had taken it)."""
    if await current_handoff(session, conversation.id) is None:
        open_handoff(session, conversation, "staff_initiated", now)
    conversation.mode, conversation.assigned_staff_id = ConversationMode.HUMAN, staff_id
    conversation.version += 1
    record_event(session, conversation.id, InboxEventKind.ASSIGNED, {"staff_id": staff_id}, now)


async def release(session: AsyncSession, conversation: Conversation, now: datetime) -> None:
    """Back to the bot, without closing the handoff's clock (it was not resolved)."""
    conversation.mode, conversation.assigned_staff_id = ConversationMode.BOT, None
    conversation.version += 1
    record_event(session, conversation.id, InboxEventKind.RELEASED, {}, now)


AfterResolution = Callable[[AsyncSession, Conversation], Awaitable[None]]


async def resolve(
    session: AsyncSession, conversation: Conversation, after_resolution: AfterResolution, now: datetime
) -> None:
    conversation.mode, conversation.assigned_staff_id, conversation.resolved_at = ConversationMode.BOT, None, now
    conversation.version += 1
    handoff = await current_handoff(session, conversation.id)
    if handoff is not None:
        handoff.resolved_at = now
    record_event(session, conversation.id, InboxEventKind.RESOLVED, {}, now)
    await after_resolution(session, conversation)  # CES: how easy was it?


async def reply(session: AsyncSession, conversation: Conversation, text: str, client_id: str, now: datetime) -> bool:
    """Through the outbox like every message, to the channel the customer used last."""
    text = storable_text(text)  # also stored in the inbox's event log, not only in the outbox
    recipient = await recipient_of(session, conversation.contact_id)
    if recipient is None:
        return False
    await enqueue(session, OutboxMessage(
        key=f"staff:{client_id}", kind=OutboxKind.STAFF_REPLY, to=recipient.address,
        body=OutboxBody(text[:4000], purpose=Purpose.STAFF), due_at=now, contact_id=conversation.contact_id,
        conversation_id=conversation.id,
    ), now=now)
    handoff = await current_handoff(session, conversation.id)
    if handoff is not None and handoff.first_response_at is None:
        handoff.first_response_at, handoff.staff_id = now, conversation.assigned_staff_id
    record_event(session, conversation.id, InboxEventKind.REPLY, {"text": text[:200]}, now)
    return True


def add_note(session: AsyncSession, conversation_id: int, staff_id: int, text: str, now: datetime) -> None:
    session.add(Note(conversation_id=conversation_id, staff_id=staff_id, text=storable_text(text[:4000]), created_at=now))
    record_event(session, conversation_id, InboxEventKind.NOTE, {}, now)

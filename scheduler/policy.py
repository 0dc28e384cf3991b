"""Send-time policy: re-checked when a message is due, not only when it was planned.

Replies answer the customer and always go. Proactive kinds wait out quiet hours, are held
while a person owns the conversation, are cancelled for customers who opted out, and
beyond delivery notices at most `daily_cap` reach one customer a day.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.hours import window_end
from bot.outbox import PROACTIVE_KINDS, OutboxKind, OutboxStatus
from bot.storage.models import Contact, Conversation, ConversationMode
from scheduler.claims import Claimed
from scheduler.retry import Outcome

HOLD_WHILE_HUMAN = timedelta(minutes=15)


def opted_out_of(contact: Contact, kind: str) -> bool:
    """Opting out stops everything proactive; a customer may keep delivery notices only."""
    if kind == OutboxKind.NOTICE:
        return contact.notices_off
    return contact.opted_out_at is not None


def check(
    row: Claimed,
    contact: Contact | None,
    conversation: Conversation | None,
    now: datetime,
    quiet: tuple[time, time] | None,
    zone: ZoneInfo,
    *,
    sent_today: int = 0,
    daily_cap: int = 2,
) -> Outcome | None:
    """None = send now; otherwise what happens to the row instead."""
    if row.kind not in PROACTIVE_KINDS:
        return None
    if contact is not None and opted_out_of(contact, row.kind):
        return Outcome(OutboxStatus.CANCELLED, error=f"customer opted out of {row.kind} messages")
    if conversation is not None and conversation.mode == ConversationMode.HUMAN and row.kind != OutboxKind.HOLDING:
        held = "held: a person owns the conversation"
        return Outcome(OutboxStatus.PENDING, due_at=now + HOLD_WHILE_HUMAN, error=held)
    resume = window_end(now, quiet, zone)
    if resume is not None:
        return Outcome(OutboxStatus.PENDING, due_at=resume, error="deferred: quiet hours")
    if row.kind != OutboxKind.NOTICE and sent_today >= daily_cap:
        tomorrow = datetime.combine(now.astimezone(zone).date() + timedelta(days=1), time(9), tzinfo=zone)
        return Outcome(OutboxStatus.PENDING, due_at=tomorrow, error=f"deferred: daily cap of {daily_cap} reached")
    return None

"""Send-time policy: re-checked when a message is due, not only when it was planned.

Replies answer the customer and always go. Proactive kinds wait out quiet hours, are held
while a person owns the conversation, and are cancelled for customers who opted out.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.outbox import PROACTIVE_KINDS
from bot.storage.models import Contact, Conversation, Outbox
from scheduler.retry import Outcome

HOLD_WHILE_HUMAN = timedelta(minutes=15)


def quiet_until(now: datetime, quiet: tuple[time, time] | None, zone: ZoneInfo) -> datetime | None:
    """The end of the quiet period `now` falls in, or None outside it."""
    if quiet is None:
        return None
    start, end = quiet
    local = now.astimezone(zone)
    clock = local.time()
    inside = start <= clock or clock < end if start > end else start <= clock < end
    if not inside:
        return None
    end_day = local.date() + timedelta(days=1) if start > end and clock >= start else local.date()
    return datetime.combine(end_day, end, tzinfo=zone)


def check(
    row: Outbox,
    contact: Contact | None,
    conversation: Conversation | None,
    now: datetime,
    quiet: tuple[time, time] | None,
    zone: ZoneInfo,
) -> Outcome | None:
    """None = send now; otherwise what happens to the row instead."""
    if row.kind not in PROACTIVE_KINDS:
        return None
    if contact is not None and contact.opted_out_at is not None:
        return Outcome("cancelled", error="customer opted out of proactive messages")
    if conversation is not None and conversation.mode == "human":
        return Outcome("pending", due_at=now + HOLD_WHILE_HUMAN, error="held: a person owns the conversation")
    resume = quiet_until(now, quiet, zone)
    if resume is not None:
        return Outcome("pending", due_at=resume, error="deferred: quiet hours")
    return None

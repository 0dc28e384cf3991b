"""Storing what became of a dispatched batch: each row's outcome, fenced by its claim token.

A batch's outcomes go in one transaction (group commit keeps SQLite fast). When that write
fails, each row is stored alone, so one row the database refuses (a provider id it cannot
encode, text written before it was cleaned) does not leave the whole batch `sending` until
the sweeper calls it `unknown`. A row refused even alone keeps its outcome without the
details that were refused.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, null, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.outbox import OutboxBody, OutboxKind, OutboxStatus
from bot.storage.many import execute_many
from bot.storage.models import Author, Conversation, Direction, MessageRecord, MessageStatus, Outbox
from channels.fit import fit
from channels.models import Address, ChannelKind, OutboundMessage
from channels.registry import capabilities_of
from scheduler.claims import Claimed
from scheduler.retry import Outcome

log = logging.getLogger("scheduler.outcomes")

_table = Outbox.__table__
_FINISH = (
    update(_table)
    .where(_table.c.id == bindparam("row_id"), _table.c.claim_token == bindparam("token"))
    .values(
        status=bindparam("new_status"),
        due_at=bindparam("new_due_at"),
        last_error=bindparam("error"),
        provider_message_id=bindparam("provider_id"),
        channel=bindparam("new_channel"),
        recipient=bindparam("new_recipient"),
        sent_at=bindparam("new_sent_at"),
        attempts=_table.c.attempts + bindparam("tried"),
        lease_until=null(),  # literals, not parameters: the rows then bind as plain tuples (bot.storage.many)
        claim_token=null(),
    )
)
_RECORD_SENT = insert(MessageRecord.__table__)
_conversations = Conversation.__table__
_OFFER = (
    update(_conversations)
    .where(_conversations.c.id == bindparam("conversation"))
    .values(offered=bindparam("buttons"))
)


@dataclass(slots=True)
class Finished:
    row: Claimed
    outcome: Outcome
    tried: int
    body: OutboxBody | None = None  # what was sent, read once by the dispatcher; None if it never was


async def store_outcomes(sessions: async_sessionmaker[AsyncSession], finished: list[Finished], now: datetime) -> None:
    """Raises only when the database refuses even a bare outcome (it is down): the batch's
    claims then expire and the sweeper settles them."""
    try:
        await _store(sessions, finished, now)
    except Exception as error:
        log.warning("storing a batch's outcomes failed; storing them row by row",
                    extra={"rows": len(finished), "error": type(error).__name__})
        for item in finished:
            await _store_alone(sessions, item, now)


async def _store_alone(sessions: async_sessionmaker[AsyncSession], item: Finished, now: datetime) -> None:
    try:
        await _store(sessions, [item], now)
    except Exception as error:
        log.warning("an outbox row's outcome was refused; storing it without details",
                    extra={"outbox_id": item.row.id, "error": type(error).__name__})
        await _store(sessions, [_bare(item, error)], now, with_records=False)


def _bare(item: Finished, error: Exception) -> Finished:
    """The outcome alone (sent, failed, retry at…), without what the database refused."""
    outcome = Outcome(item.outcome.status, due_at=item.outcome.due_at,
                      error=f"the outcome's details could not be stored ({type(error).__name__})")
    return Finished(item.row, outcome, item.tried, item.body)


async def _store(
    sessions: async_sessionmaker[AsyncSession], finished: list[Finished], now: datetime, *, with_records: bool = True
) -> None:
    async with sessions.begin() as session:
        await execute_many(session, _FINISH, [_finish_params(item, now) for item in finished])
        sent = [
            (item, item.body) for item in finished
            if item.outcome.status == OutboxStatus.SENT and item.body is not None
            and item.row.conversation_id is not None
        ]
        if sent and with_records:
            await _record(session, sent, now)


async def _record(session: AsyncSession, sent: list[tuple[Finished, OutboxBody]], now: datetime) -> None:
    """The sent messages in their conversations' timelines, and the buttons they offered."""
    await execute_many(session, _RECORD_SENT, [_sent_record(item, body, now) for item, body in sent])
    offered = [
        {"conversation": item.row.conversation_id, "buttons": body.offered()}
        for item, body in sent if body.buttons and not _offered_by_its_turn(item.row)
    ]
    if offered:  # a typed "2" or "9" then answers these buttons
        await execute_many(session, _OFFER, offered)


def _offered_by_its_turn(row: Claimed) -> bool:
    """A reply sent at its first attempt: the turn that wrote it recorded its buttons as it did
    (`Turn.reply`), and writing them again here could only put back an older reply's buttons
    over a newer one's. A reply sent on a retry records them again: a notice may have come between."""
    return row.kind == OutboxKind.REPLY and row.attempts == 0


def _finish_params(item: Finished, now: datetime) -> dict[str, Any]:
    outcome, row = item.outcome, item.row
    channel, recipient = _delivered_to(item)
    return {
        "new_channel": channel,
        "new_recipient": recipient,
        "row_id": row.id,
        "token": row.claim_token,
        "new_status": outcome.status,
        "new_due_at": outcome.due_at or row.due_at,
        "error": outcome.error,
        "provider_id": outcome.provider_id,
        "new_sent_at": now if outcome.status == OutboxStatus.SENT else None,
        "tried": item.tried,
    }


def _delivered_to(item: Finished) -> tuple[str, str]:
    """Channel and address it went to: the row's own, or the linked channel that took it instead
    (the row's own recipient is not parsed: a malformed one must still be storable as failed)."""
    if item.outcome.via is None:
        return item.row.channel, item.row.recipient
    via = Address.parse(item.outcome.via)
    return via.channel.value, str(via)


def as_shown(body: OutboxBody, channel: str) -> OutboundMessage:
    """The message as its channel showed it, fit() applied as the dispatcher applied it: the inbox
    and the web chat's history show what the customer saw (a score scale listed on Zalo, buttons
    on the web chat), while the conversation remembers every button offered for a typed number."""
    kind = ChannelKind(channel)
    message = OutboundMessage(key="", to=Address(kind, ""), text=body.text, buttons=body.buttons,
                              request_phone=body.request_phone)
    return fit(message, capabilities_of(kind), numbered_hint=body.numbered_hint)


def _sent_record(item: Finished, body: OutboxBody, now: datetime) -> dict[str, Any]:
    row = item.row
    shown = as_shown(body, _delivered_to(item)[0])
    return {
        "conversation_id": row.conversation_id,
        "direction": Direction.OUT.value,
        "author": (Author.STAFF if row.kind == OutboxKind.STAFF_REPLY else Author.BOT).value,
        "channel": _delivered_to(item)[0],
        "kind": row.kind,
        "text": shown.text,
        "data": {"buttons": [[b.title, b.action] for b in shown.buttons], "key": row.dedupe_key},
        "status": MessageStatus.SENT.value,
        "intent": None,
        "provider_message_id": item.outcome.provider_id,
        "outbox_id": row.id,
        "created_at": now,
    }

"""A turn batch claims the replies it wrote, in its own transaction, and hands them over.

A committed reply used to wait for a dispatch round to claim it: a wake-up hop, then a claim
transaction queued behind the next turn batch (on SQLite the batch holds the one connection
and the loop), 25–34 ms p50 under load (docs/performance.md). The batch now claims its own
replies due now just before it commits, on the same terms as a round's claim (a fresh claim
token, this replica, a lease), and the dispatcher sends them as soon as it has committed
(`HandOver.send`, `Dispatcher.send_claimed`). Should the replica die in between, the lease
expires and the sweeper makes them due again, as for any claimed row: nothing is lost.

The claim is one UPDATE by dedupe key at the end of the batch, not rows inserted already
claimed: a merge or a "forget me" later in the same batch moves or cancels what the batch
wrote (bot.contacts, bot.privacy), and only a row still pending and due is taken, with the
values it ends with. Every other row (not due yet, staff replies, notices) stays pending for
a round, which the batch still wakes (`Taken.left`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any, Callable

from sqlalchemy import ColumnElement, Update, bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.outbox import OutboxStatus, written_by
from bot.storage.dialect import one_of
from bot.storage.models import Outbox

_outbox = Outbox.__table__


@dataclass(frozen=True, slots=True)
class Claimed:
    """An outbox row this replica holds the claim on: what sending and finishing it need."""

    id: int
    dedupe_key: str
    kind: str
    contact_id: int | None
    conversation_id: int | None
    order_id: int | None
    channel: str
    recipient: str
    body: dict[str, Any]
    due_at: datetime
    attempts: int
    claim_token: str


def claiming(*where: ColumnElement[bool]) -> Update:
    """The one claim statement's shape, for a round's due rows (scheduler.claims) and a batch's
    own replies alike: `claimed` under `:token` by `:instance` until `:lease_until`, returned
    as `Claimed` columns."""
    return (
        update(_outbox)
        .where(*where)
        .values(status=OutboxStatus.CLAIMED.value, claimed_by=bindparam("instance"), claim_token=bindparam("token"),
                lease_until=bindparam("lease_until"))
        .returning(*(_outbox.c[column.name] for column in fields(Claimed)))
    )


_CLAIM_WRITTEN = claiming(
    one_of(_outbox.c.dedupe_key, "keys"), _outbox.c.status == OutboxStatus.PENDING.value, _outbox.c.due_at <= bindparam("now")
)


@dataclass(frozen=True, slots=True)
class HandOver:
    """The claim's terms and where the claimed rows go once committed (the dispatcher's)."""

    instance: str
    lease: timedelta
    send: Callable[[list[Claimed]], None]


@dataclass(frozen=True, slots=True)
class Taken:
    rows: list[Claimed]
    left: bool  # some row written stays pending: a dispatch round must be woken for it


async def take(session: AsyncSession, terms: HandOver | None, *, now: datetime, token: str) -> Taken:
    """Claim the replies noted in this transaction (none without `terms`), oldest first."""
    written = written_by(session)
    if terms is None or not written.to_hand_over:
        return Taken([], bool(written.others or written.to_hand_over))
    found = await session.execute(_CLAIM_WRITTEN, {
        "keys": written.to_hand_over, "now": now, "instance": terms.instance, "token": token,
        "lease_until": now + terms.lease,
    })
    rows = sorted((Claimed(*row) for row in found), key=lambda row: (row.due_at, row.id))
    return Taken(rows, bool(written.others) or len(rows) < len(written.to_hand_over))

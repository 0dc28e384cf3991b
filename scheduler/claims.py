"""The dispatcher's claim and start statements, built once, and the claimed rows they return.

Every dispatch round runs them, so they are Core statements built at import (SQLAlchemy then
only looks their compiled form up) whose rows come back as plain values, not ORM objects: a
round of 200 rows loaded as `Outbox` objects cost more than the statements themselves.

Rows a round claims are started with `id IN (…) AND claim_token = :token`, not with
`(id, claim_token) IN (VALUES …)`: SQLite cannot use the primary key for a row-value list and
scans the whole outbox, and the token is the same for every row a claim took anyway.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterable

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handover import Claimed, claiming
from bot.outbox import OutboxStatus
from bot.storage.dialect import one_of
from bot.storage.models import Outbox

__all__ = ["Claimed", "claim", "start"]  # Claimed is bot.handover's: a turn batch claims its own replies too
_outbox = Outbox.__table__
_DUE = (
    select(_outbox.c.id)
    .where(_outbox.c.status == OutboxStatus.PENDING.value, _outbox.c.due_at <= bindparam("now"))
    .order_by(_outbox.c.due_at, _outbox.c.id)
    .limit(bindparam("batch", type_=_outbox.c.attempts.type))
    .with_for_update(skip_locked=True)  # PostgreSQL: replicas claim disjoint rows; SQLite: BEGIN IMMEDIATE
)
CLAIM = claiming(_outbox.c.id.in_(_DUE.scalar_subquery()))
START = (
    update(_outbox)
    .where(one_of(_outbox.c.id, "ids"), _outbox.c.claim_token == bindparam("token"))
    .values(status=OutboxStatus.SENDING.value)
    .returning(_outbox.c.id)
)


async def claim(
    session: AsyncSession, *, now: datetime, lease: timedelta, batch: int, instance: str, token: str
) -> list[Claimed]:
    """Up to `batch` due rows, oldest first, now `claimed` under `token` until `now + lease`."""
    found = await session.execute(
        CLAIM, {"now": now, "batch": batch, "instance": instance, "token": token, "lease_until": now + lease}
    )
    return [Claimed(*row) for row in found]


async def start(session: AsyncSession, rows: Iterable[Claimed]) -> set[int]:
    """Mark rows `sending`; returns the ids still under their claim (one UPDATE per claim token)."""
    by_token: dict[str, list[int]] = {}
    for row in rows:
        by_token.setdefault(row.claim_token, []).append(row.id)
    started: set[int] = set()
    for token, ids in by_token.items():
        started.update(await session.scalars(START, {"ids": ids, "token": token}))
    return started

"""Order codes looked up by someone who has not proven the order is theirs, throttled per identity.

Shops number their orders, so an order code is a guessable key, and whoever holds one learns
that order's status and ETA. Each chat identity may try a few distinct codes it does not own
per hour; asking again about a code already tried costs nothing, so a customer checking their
own (not yet linked) order keeps getting answers. The record lives in the database rather than
Redis: it must hold on every replica, while Redis is down, and commit with the turn that used it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Iterable

from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.deferred import defer
from bot.storage.dialect import insert_ignoring_conflicts, one_of
from bot.storage.models import Identity, OrderLookup

log = logging.getLogger("bot.lookups")
CODES_PER_WINDOW = 5
WINDOW = timedelta(hours=1)
_lookups = OrderLookup.__table__
_PENDING = "haumai.lookups"  # codes recorded this transaction, not yet written (bot.storage.deferred)
_BATCH = "haumai.lookups.batch"  # the identities whose turns share this transaction (share_batch)
_TRIES = "haumai.lookups.tries"  # identity id → its stored tries, read once per transaction
# Built once: asked on every turn that names an order code (building a statement cost more than running it).
_TRIED = select(_lookups.c.identity_id, _lookups.c.code, _lookups.c.looked_up_at).where(
    one_of(_lookups.c.identity_id, "identities")
)
_EXPIRED = delete(_lookups).where(
    _lookups.c.identity_id == bindparam("identity"), _lookups.c.looked_up_at <= bindparam("cutoff")
)


def share_batch(session: AsyncSession, identity_ids: Iterable[int]) -> None:
    """Name the identities whose turns run in this transaction: the first lookup then reads the
    tries of all of them in one SELECT, instead of one SELECT (one round trip) a turn."""
    session.info[_BATCH] = sorted(set(identity_ids))


async def may_look_up(session: AsyncSession, identity: Identity, code: str, now: datetime) -> bool:
    """Whether this identity may be told about an order code it does not own; records the try.

    At most one SELECT a batch: the new row joins the batch's deferred writes, and the codes this
    batch recorded are counted from the session, so a burst inside one batch is held to the limit too.
    """
    code, cutoff = code.upper()[:64], now - WINDOW
    found = await _stored_tries(session, identity.id)
    pending = session.info.setdefault(_PENDING, {}).setdefault(identity.id, set())
    tried = {known for known, at in found if at > cutoff} | pending
    if code in tried:
        return True
    if len(tried) >= CODES_PER_WINDOW:
        log.warning(
            "order code lookup refused: too many codes this identity does not own",
            extra={"identity_id": identity.id, "channel": identity.channel, "codes_in_window": len(tried)},
        )
        return False
    if any(at <= cutoff for _, at in found):  # tries older than the window make room
        await session.execute(_EXPIRED, {"identity": identity.id, "cutoff": cutoff})
        session.info[_TRIES][identity.id] = [(known, at) for known, at in found if at > cutoff]
    pending.add(code)
    defer(session, insert_ignoring_conflicts(session, _lookups), {"identity_id": identity.id, "code": code, "looked_up_at": now})
    return True


async def _stored_tries(session: AsyncSession, identity_id: int) -> list[tuple[str, datetime]]:
    """This identity's stored tries; on the batch's first call, every batch identity's at once."""
    tries: dict[int, list[tuple[str, datetime]]] = session.info.setdefault(_TRIES, {})
    if identity_id not in tries:  # first lookup of the batch, or an identity the batch did not name
        batch = session.info.get(_BATCH, [])
        wanted = [i for i in batch if i not in tries] if identity_id in batch else [identity_id]
        tries.update({i: [] for i in wanted})
        for owner, known, at in await session.execute(_TRIED, {"identities": wanted}):
            tries[owner].append((known, at))
    return tries[identity_id]

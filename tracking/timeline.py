"""Order timelines merged from several sources, each with its own clock.

An order hears from the shop (REST API, import) and from its carrier (webhooks, polling).
Their clocks disagree by minutes, webhooks arrive late, and the shop's system often reports
a step a minute after the carrier did, so "the newest time wins" loses real steps. The rule:

1. Every event is recorded once (UNIQUE order + event_key), at the time its source gave.
   A shop status sent without a time, or a time more than `FUTURE_TOLERANCE` past its
   arrival (a wrong clock), is placed at its arrival and counts as *untimed*.
2. Within one source, the source's own clock orders events: an event older than a timed
   status that source already reported is history, recorded and nothing more. Untimed
   events take no part in this: they are never history, and hide nothing.
3. Across sources the lifecycle orders statuses, not the clocks (`lifecycle_move`:
   created → confirmed → picked_up → in_transit → out_for_delivery → delivered, and the
   return branch). A later step becomes the status whatever its time, so a shop status
   without a time never hides a later carrier step; an earlier step never does, so a
   carrier step behind what the shop reported is on the timeline but moves nothing back.
4. The legitimate moves back (another attempt after delivery_failed, a parcel back in
   transit, an exception) are taken only when newer than the current status's time.
5. A terminal status (delivered, returned, cancelled) ends the journey, except a partial
   return after delivered; carriers' terminal statuses reach this module only once their
   own API confirmed them (tracking.ingest), the shop's are trusted (it holds the API key).

Only real changes of the merged status are returned: they alone drive customer notices,
so each step is told once however many sources report it (GHTK 45 then 5 is one "delivered").
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Protocol, Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.orders import StatusChange
from bot.storage.dialect import insert_ignoring_conflicts
from bot.storage.models import Order, OrderEvent
from carriers.models import Move, lifecycle_move

log = logging.getLogger("tracking.timeline")
FUTURE_TOLERANCE = timedelta(minutes=5)
RAW_CODE_LENGTH = 64  # order_events.raw_code: a carrier's code is short, a forged one need not be


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    status: str | None  # None: an info event (fee, weight, COD) that changes nothing
    occurred_at: datetime
    source: str  # "shop", a carrier id, "sandbox", "customer"
    event_key: str
    raw_code: str | None = None
    description: str = ""
    location: str | None = None
    shipper_name: str | None = None
    shipper_phone: str | None = None
    eta: date | None = None
    timed: bool = True  # False: `occurred_at` is our arrival time, the source gave none


class OrderChangeHook(Protocol):
    """Who hears of each real change of an order's status: the journey planner, wired in by app/.

    A protocol rather than an import, so tracking/ stays independent of scheduler/.
    """

    async def __call__(self, session: AsyncSession, order: Order, change: StatusChange) -> None: ...


SourceTimes = dict[tuple[int, str], datetime]  # (order id, source) → its newest timed status


def shop_event_key(status: str, occurred_at: datetime, description: str) -> str:
    digest = hashlib.sha256(f"{status}|{occurred_at.isoformat()}|{description}".encode()).hexdigest()
    return f"shop:{digest[:32]}"


async def apply_event(
    session: AsyncSession, order: Order, event: TimelineEvent, *, now: datetime
) -> StatusChange | None:
    """Record `event` on the order's timeline; the status change it caused, if any."""
    return (await apply_events(session, [(order, event)], now=now))[0]


async def apply_events(
    session: AsyncSession, items: Sequence[tuple[Order, TimelineEvent]], *, now: datetime
) -> list[StatusChange | None]:
    """Many events in three statements, however many: carriers send bursts, SQLite has one writer.

    Events earlier in the batch count as already on the timeline for the ones after them.
    """
    if not items:
        return []
    items = [(order, _believable(event, now)) for order, event in items]
    newest = await _newest_timed(session, {order.id for order, _ in items})
    table = OrderEvent.__table__
    statement = insert_ignoring_conflicts(session, table, table.c.order_id, table.c.event_key)
    stored = await session.execute(statement, [_row(order, event, now) for order, event in items])
    fresh = {(order_id, key) for order_id, key in stored.all()}
    changes: list[StatusChange | None] = []
    for order, event in items:
        if (order.id, event.event_key) not in fresh:
            changes.append(None)
            continue
        fresh.discard((order.id, event.event_key))  # the same event twice in one batch is new once
        changes.append(_apply(order, event, newest, now))
    return changes


def _believable(event: TimelineEvent, arrived_at: datetime) -> TimelineEvent:
    """The event, placed at its arrival (untimed) when its source's clock is clearly ahead."""
    ahead = event.occurred_at - arrived_at
    if ahead <= FUTURE_TOLERANCE:
        return event
    log.warning("event time in the future, placed at its arrival",
                extra={"source": event.source, "ahead_seconds": int(ahead.total_seconds())})
    return replace(event, occurred_at=arrived_at, timed=False)


def _apply(order: Order, event: TimelineEvent, newest: SourceTimes, now: datetime) -> StatusChange | None:
    order.updated_at = now
    if _is_history(order, event, newest):
        return None
    _take_details(order, event)
    if event.status is None or not _moves_status(order, event.status, event.occurred_at):
        return None
    previous = order.status
    order.status, order.status_at = event.status, event.occurred_at
    return StatusChange(order.id, previous, event.status, event.occurred_at)


def _is_history(order: Order, event: TimelineEvent, newest: SourceTimes) -> bool:
    """Rule 2: older, by its own source's clock, than a status that source already reported."""
    if not event.timed:
        return False
    key = (order.id, event.source)
    reported = newest.get(key)
    if event.status is not None and (reported is None or event.occurred_at > reported):
        newest[key] = event.occurred_at
    return reported is not None and event.occurred_at < reported


def _moves_status(order: Order, status: str, occurred_at: datetime) -> bool:
    """Rules 3 to 5: the lifecycle decides; the clock only for a legitimate move back."""
    move = lifecycle_move(order.status, status)
    if move is Move.BACK:
        return order.status_at is None or occurred_at > order.status_at
    return move is Move.AHEAD


async def _newest_timed(session: AsyncSession, order_ids: set[int]) -> SourceTimes:
    events = OrderEvent.__table__.c
    found = await session.execute(
        select(events.order_id, events.source, func.max(events.occurred_at))
        .where(events.order_id.in_(sorted(order_ids)), events.status.is_not(None), events.timed.is_(True))
        .group_by(events.order_id, events.source)
    )
    return {(order_id, source): at for order_id, source, at in found.all() if at is not None}


def _row(order: Order, event: TimelineEvent, now: datetime) -> dict[str, Any]:
    return {
        "order_id": order.id, "event_key": event.event_key, "status": event.status, "source": event.source,
        "raw_code": event.raw_code[:RAW_CODE_LENGTH] if event.raw_code else event.raw_code,
        "description": event.description, "location": event.location,
        "shipper_name": event.shipper_name, "shipper_phone": event.shipper_phone,
        "occurred_at": event.occurred_at, "recorded_at": now, "timed": event.timed,
    }


def _take_details(order: Order, event: TimelineEvent) -> None:
    order.shipper_name = event.shipper_name or order.shipper_name
    order.shipper_phone = event.shipper_phone or order.shipper_phone
    order.last_location = event.location or order.last_location
    order.eta = event.eta or order.eta

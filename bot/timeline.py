"""Order timelines: events kept in carrier-time order, the status never moved backwards.

A carrier may report the same step twice, late, or out of order. Each event is stored once
(UNIQUE order+event_key); the order's status changes only when an event is real progress
(`is_progress`), and only real changes of canonical status are returned, because those
alone drive customer notices (GHTK 45 then 5 is one "delivered").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.dialect import insert_ignoring_conflicts
from bot.storage.models import Order, OrderEvent
from carriers.models import is_progress


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


@dataclass(frozen=True, slots=True)
class StatusChange:
    order_id: int
    previous: str
    current: str
    occurred_at: datetime


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

    Each event is stored once (the UNIQUE key decides); an event becomes the order's status
    only if no status event newer than it is on the timeline, counting those earlier in the batch.
    """
    if not items:
        return []
    newest = await _newest_status_times(session, {order.id for order, _ in items})
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


def _apply(order: Order, event: TimelineEvent, newest: dict[int, datetime], now: datetime) -> StatusChange | None:
    _take_details(order, event, now)
    if event.status is None:
        return None
    later = newest.get(order.id)
    newest[order.id] = max(later, event.occurred_at) if later is not None else event.occurred_at
    if not _is_latest_progress(order, event, later):
        return None
    previous = order.status
    order.status, order.status_at = event.status, event.occurred_at
    return StatusChange(order.id, previous, event.status, event.occurred_at)


async def _newest_status_times(session: AsyncSession, order_ids: set[int]) -> dict[int, datetime]:
    events = OrderEvent.__table__.c
    found = await session.execute(
        select(events.order_id, func.max(events.occurred_at))
        .where(events.order_id.in_(sorted(order_ids)), events.status.is_not(None))
        .group_by(events.order_id)
    )
    return {order_id: at for order_id, at in found.all() if at is not None}


def _row(order: Order, event: TimelineEvent, now: datetime) -> dict[str, Any]:
    return {
        "order_id": order.id, "event_key": event.event_key, "status": event.status, "source": event.source,
        "raw_code": event.raw_code, "description": event.description, "location": event.location,
        "shipper_name": event.shipper_name, "shipper_phone": event.shipper_phone,
        "occurred_at": event.occurred_at, "recorded_at": now,
    }


def _take_details(order: Order, event: TimelineEvent, now: datetime) -> None:
    order.updated_at = now
    order.shipper_name = event.shipper_name or order.shipper_name
    order.shipper_phone = event.shipper_phone or order.shipper_phone
    order.last_location = event.location or order.last_location
    order.eta = event.eta or order.eta


def _is_latest_progress(order: Order, event: TimelineEvent, newest: datetime | None) -> bool:
    """A late event is kept in place on the timeline but never overrides a newer status."""
    if order.status_at is not None and event.occurred_at < order.status_at:
        return False
    if newest is not None and newest > event.occurred_at:
        return False
    return event.status is not None and is_progress(order.status, event.status)

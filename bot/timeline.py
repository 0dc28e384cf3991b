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

from sqlalchemy import select
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
    inserted = await session.execute(
        insert_ignoring_conflicts(session, OrderEvent).values(
            order_id=order.id, event_key=event.event_key, status=event.status, source=event.source,
            raw_code=event.raw_code, description=event.description, location=event.location,
            shipper_name=event.shipper_name, shipper_phone=event.shipper_phone,
            occurred_at=event.occurred_at, recorded_at=now,
        )
    )
    if not inserted.rowcount:
        return None
    _take_details(order, event, now)
    if event.status is None or not await _is_latest_progress(session, order, event):
        return None
    previous = order.status
    order.status, order.status_at = event.status, event.occurred_at
    return StatusChange(order.id, previous, event.status, event.occurred_at)


def _take_details(order: Order, event: TimelineEvent, now: datetime) -> None:
    order.updated_at = now
    order.shipper_name = event.shipper_name or order.shipper_name
    order.shipper_phone = event.shipper_phone or order.shipper_phone
    order.last_location = event.location or order.last_location
    order.eta = event.eta or order.eta


async def _is_latest_progress(session: AsyncSession, order: Order, event: TimelineEvent) -> bool:
    """A late event is kept in place on the timeline but never overrides a newer status."""
    if order.status_at is not None and event.occurred_at < order.status_at:
        return False
    newer = await session.scalar(
        select(OrderEvent.id).where(
            OrderEvent.order_id == order.id, OrderEvent.status.is_not(None),
            OrderEvent.occurred_at > event.occurred_at,
        ).limit(1)
    )
    return newer is None and event.status is not None and is_progress(order.status, event.status)

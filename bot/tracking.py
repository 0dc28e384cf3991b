"""Carrier tracking events onto order timelines, whether they came by webhook or by polling.

No big Vietnamese carrier signs its webhooks, so a forged one could otherwise tell a
customer "delivered": before `delivered` or `returned` is applied from a webhook, the order
is re-fetched from the carrier wherever a pull API exists, and applied only if confirmed.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from typing import Any

import aiohttp
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.appkeys import OrderChangeHook
from bot.clock import Clock
from bot.storage.models import Order, SetAsideEvent
from bot.timeline import TimelineEvent, apply_event
from carriers.base import Carrier, CarrierUnavailable, TrackingNotFound
from carriers.models import TrackingEvent

log = logging.getLogger("bot.tracking")
NEEDS_CONFIRMATION = frozenset({"delivered", "returned"})


@dataclass(frozen=True, slots=True)
class Applied:
    order_code: str | None
    applied: bool
    reason: str = ""


async def find_order(session: AsyncSession, event: TrackingEvent) -> Order | None:
    clauses = [Order.tracking_code == event.tracking_code] if event.tracking_code else []
    if event.order_code:
        clauses.append(Order.code == event.order_code)
    if not clauses:
        return None
    return await session.scalar(select(Order).where(or_(*clauses)).limit(1))


def as_timeline_event(event: TrackingEvent) -> TimelineEvent:
    status = event.status.value if event.status is not None else None
    return TimelineEvent(
        status=status, occurred_at=event.occurred_at, source=event.carrier,
        event_key=f"{event.carrier}:{event.provider_event_id}", raw_code=event.raw_code,
        description=event.description, location=event.location, shipper_name=event.shipper_name,
        shipper_phone=event.shipper_phone, eta=event.eta,
    )


async def confirmed_by_carrier(
    carrier: Carrier, http: aiohttp.ClientSession, event: TrackingEvent
) -> bool | None:
    """True/False when the carrier's own API answers; None when it cannot be asked."""
    if not carrier.can_pull or not event.tracking_code:
        return None
    try:
        fetched = await carrier.fetch(http, event.tracking_code)
    except (CarrierUnavailable, TrackingNotFound):
        return False
    return any(e.status == event.status for e in fetched)


class TrackingIngest:
    def __init__(self, on_change: OrderChangeHook, http: aiohttp.ClientSession, clock: Clock) -> None:
        self._on_change = on_change
        self._http = http
        self._clock = clock

    async def from_webhook(self, session: AsyncSession, carrier: Carrier, event: TrackingEvent) -> Applied:
        order = await find_order(session, event)
        if order is None:
            return await self._set_aside(session, event, "unknown_tracking_code")
        status = event.status.value if event.status is not None else None
        if status in NEEDS_CONFIRMATION and await confirmed_by_carrier(carrier, self._http, event) is False:
            log.warning("unconfirmed terminal status", extra={"carrier": event.carrier, "order": order.code})
            return await self._set_aside(session, event, "unconfirmed")
        return await self.apply(session, order, event)

    async def apply(self, session: AsyncSession, order: Order, event: TrackingEvent) -> Applied:
        change = await apply_event(session, order, as_timeline_event(event), now=self._clock())
        if change is not None:
            await self._on_change(session, order, change)
        return Applied(order.code, True)

    async def _set_aside(self, session: AsyncSession, event: TrackingEvent, reason: str) -> Applied:
        session.add(
            SetAsideEvent(
                carrier=event.carrier, tracking_code=event.tracking_code, reason=reason,
                payload=_jsonable(event), received_at=self._clock(),
            )
        )
        return Applied(None, False, reason)


def _jsonable(event: TrackingEvent) -> dict[str, Any]:
    return {
        key: value.isoformat() if hasattr(value, "isoformat") else value
        for key, value in dataclasses.asdict(event).items()
    }

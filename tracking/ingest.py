"""Carrier tracking events onto order timelines, whether they came by webhook or by polling.

No big Vietnamese carrier signs its webhooks, so a forged one could otherwise tell a
customer "delivered", or end an order's journey for good: before a terminal status
(delivered, returned, cancelled) is applied from a webhook, the order is re-fetched from the
carrier wherever a pull API exists, and applied only if confirmed. How the carrier's events
merge with the shop's is tracking.timeline's rule.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from typing import Any

import aiohttp
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.storage.models import Order, SetAsideEvent
from carriers.base import Carrier, CarrierUnavailable, TrackingNotFound
from carriers.models import TERMINAL, TrackingEvent
from tracking.timeline import OrderChangeHook, TimelineEvent, apply_events

log = logging.getLogger("tracking.ingest")
NEEDS_CONFIRMATION = frozenset(status.value for status in TERMINAL)


@dataclass(frozen=True, slots=True)
class Applied:
    order_code: str | None
    applied: bool
    reason: str = ""


async def find_orders(session: AsyncSession, events: list[TrackingEvent]) -> dict[tuple[str, str | None], Order]:
    """The orders these events are about, by tracking code and by the shop's order code."""
    codes = sorted({e.tracking_code for e in events if e.tracking_code})
    order_codes = sorted({e.order_code for e in events if e.order_code})
    if not codes and not order_codes:
        return {}
    found = await session.scalars(select(Order).where(or_(Order.tracking_code.in_(codes), Order.code.in_(order_codes))))
    orders: dict[tuple[str, str | None], Order] = {}
    for order in found:
        orders.setdefault(("tracking", order.tracking_code), order)
        orders.setdefault(("code", order.code), order)
    return orders


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


@dataclass(frozen=True, slots=True)
class Delivery:
    """One webhook call's events, each with what the carrier's own API said of it (None: not asked)."""

    events: list[TrackingEvent]
    confirmed: list[bool | None]


class TrackingIngest:
    def __init__(self, on_change: OrderChangeHook, http: aiohttp.ClientSession, clock: Clock) -> None:
        self._on_change = on_change
        self._http = http
        self._clock = clock

    async def checked(self, carrier: Carrier, events: list[TrackingEvent]) -> Delivery:
        """Ask the carrier about terminal statuses first, outside any transaction (it takes up to 3 s)."""
        confirmed = [
            await confirmed_by_carrier(carrier, self._http, event)
            if event.status is not None and event.status.value in NEEDS_CONFIRMATION else None
            for event in events
        ]
        return Delivery(events, confirmed)

    async def store(self, session: AsyncSession, deliveries: list[Delivery]) -> list[list[Applied]]:
        """Many webhook calls at once: one lookup of their orders, one insert of their events."""
        pairs = [(event, confirmed) for d in deliveries for event, confirmed in zip(d.events, d.confirmed)]
        orders = await find_orders(session, [event for event, _ in pairs])
        outcomes: list[Applied | tuple[Order, TrackingEvent]] = []
        for event, confirmed in pairs:
            order = orders.get(("tracking", event.tracking_code)) or orders.get(("code", event.order_code))
            if order is None:
                outcomes.append(await self._set_aside(session, event, "unknown_tracking_code"))
            elif confirmed is False:
                log.warning("unconfirmed terminal status", extra={"carrier": event.carrier, "order": order.code})
                outcomes.append(await self._set_aside(session, event, "unconfirmed"))
            else:
                outcomes.append((order, event))
        applied = iter(await self._apply_all(session, [o for o in outcomes if isinstance(o, tuple)]))
        results = iter([o if isinstance(o, Applied) else next(applied) for o in outcomes])
        return [[next(results) for _ in d.events] for d in deliveries]

    async def apply(self, session: AsyncSession, order: Order, event: TrackingEvent) -> Applied:
        return (await self._apply_all(session, [(order, event)]))[0]

    async def _apply_all(self, session: AsyncSession, pairs: list[tuple[Order, TrackingEvent]]) -> list[Applied]:
        timeline = [(order, as_timeline_event(event)) for order, event in pairs]
        changes = await apply_events(session, timeline, now=self._clock())
        for (order, _), change in zip(pairs, changes):
            if change is not None:
                await self._on_change(session, order, change)
        return [Applied(order.code, True) for order, _ in pairs]

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

"""Polling carriers for orders whose carrier has a pull API but no webhook (or went silent).

Orders near delivery are asked often, orders in long transit rarely, finished orders never.
Claiming an order for a poll is moving its `next_poll_at` forward under a row lock, so
replicas never poll the same order twice; each carrier gets its own concurrency limit,
shared rate budget and circuit breaker, and a failed poll leaves the last known state as is.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from datetime import timedelta
from typing import Mapping

import aiohttp
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.breaker import CircuitBreaker
from bot.clock import Clock
from bot.coordination import Coordinator
from bot.storage.models import Order
from carriers.base import Carrier, CarrierUnavailable, TrackingNotFound
from carriers.models import TERMINAL, TrackingEvent
from tracking.ingest import TrackingIngest

log = logging.getLogger("tracking.polling")
POLL_EVERY = {
    "out_for_delivery": timedelta(minutes=10),
    "delivery_failed": timedelta(minutes=30),
    "in_transit": timedelta(hours=2),
    "picked_up": timedelta(hours=2),
}
DEFAULT_EVERY = timedelta(hours=3)
PER_CARRIER_CONCURRENCY = 4
PER_CARRIER_RATE = (5, 1.0)  # calls per second, shared across replicas
ATTEMPTS = 2  # a tracking GET is idempotent: one retry is safe


class Poller:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], carriers: Mapping[str, Carrier],
        ingest: TrackingIngest, http: aiohttp.ClientSession, coordinator: Coordinator, clock: Clock,
    ) -> None:
        self._sessions = sessions
        self._carriers = {cid: c for cid, c in carriers.items() if c.can_pull}
        self._ingest = ingest
        self._http = http
        self._coordinator = coordinator
        self._clock = clock
        self.breakers: defaultdict[str, CircuitBreaker] = defaultdict(CircuitBreaker)
        self._slots: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(PER_CARRIER_CONCURRENCY)
        )

    async def run_once(self, limit: int = 50) -> int:
        """Poll the orders that are due; returns how many were asked about."""
        claimed = await self._claim(limit)
        await asyncio.gather(*(self._poll(order_id, carrier, code) for order_id, carrier, code in claimed))
        return len(claimed)

    async def _claim(self, limit: int) -> list[tuple[int, str, str]]:
        now = self._clock()
        open_carriers = [cid for cid in self._carriers if self.breakers[cid].allows()]
        if not open_carriers:
            return []
        async with self._sessions.begin() as session:
            orders = list(await session.scalars(
                select(Order)
                .where(
                    Order.carrier.in_(open_carriers), Order.tracking_code.is_not(None),
                    Order.status.not_in(TERMINAL),
                    or_(Order.next_poll_at.is_(None), Order.next_poll_at <= now),
                )
                .order_by(Order.next_poll_at.nulls_first())
                .limit(limit)
                .with_for_update(skip_locked=True)
            ))
            for order in orders:
                order.next_poll_at = now + POLL_EVERY.get(order.status, DEFAULT_EVERY)
            return [(o.id, o.carrier or "", o.tracking_code or "") for o in orders]

    async def _poll(self, order_id: int, carrier_id: str, tracking_code: str) -> None:
        carrier, breaker = self._carriers[carrier_id], self.breakers[carrier_id]
        async with self._slots[carrier_id]:
            if not breaker.allows():
                return
            events = await self._fetch(carrier, tracking_code)
        if events is None:
            breaker.failed()
            return
        breaker.succeeded()
        async with self._sessions.begin() as session:
            order = await session.get(Order, order_id)
            for event in sorted(events, key=lambda e: e.occurred_at):
                if order is not None:
                    await self._ingest.apply(session, order, event)

    async def _fetch(self, carrier: Carrier, tracking_code: str) -> list[TrackingEvent] | None:
        for _ in range(ATTEMPTS):
            while (wait := await self._coordinator.take(f"carrier:{carrier.id}", *PER_CARRIER_RATE)) > 0:
                await asyncio.sleep(wait)
            try:
                return await carrier.fetch(self._http, tracking_code)
            except TrackingNotFound:
                return []
            except CarrierUnavailable as failure:
                log.warning("carrier unavailable", extra={"carrier": carrier.id, "reason": str(failure)})
        return None

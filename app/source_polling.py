"""The pull fallback: orders a missed webhook never brought, asked of the platform since a cursor.

Each platform that documents an orders-since API (Shopify, WooCommerce) and has credentials is
asked every `HAUMAI_SOURCE_POLL_SECONDS`, behind the same shared rate budget and circuit breaker
as carrier polling (bot/breaker.py, tracking/polling.py). Pulled copies go through the same
apply as webhooks, so an order both pulled and pushed is applied once, and an older copy
changes nothing. The cursor (the newest `updated_at` seen) is stored in `kv`; the first poll
looks back `LOOKBACK`.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Mapping

import aiohttp
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.order_sources import Outcome, apply_source_event, pulled
from app.runtime import Runtime
from bot.breaker import CircuitBreaker
from bot.clock import Clock
from bot.coordination import Coordinator
from bot.storage.models import KeyValue
from sources.base import OrderSource, SourceUnavailable
from sources.models import SourceOrder
from tracking.timeline import OrderChangeHook
from untrusted.refused import Refused

log = logging.getLogger("app.source_polling")
LOOKBACK = timedelta(days=1)
PER_SOURCE_RATE = (2, 1.0)  # calls per second, shared across replicas (Shopify allows 2/s on a standard plan)


class SourcePoller:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], sources: Mapping[str, OrderSource],
                 http: aiohttp.ClientSession, coordinator: Coordinator, clock: Clock, on_change: OrderChangeHook) -> None:
        self._sessions = sessions
        self._sources = {sid: s for sid, s in sources.items() if s.can_pull}
        self._http = http
        self._coordinator = coordinator
        self._clock = clock
        self._on_change = on_change
        self.breakers: defaultdict[str, CircuitBreaker] = defaultdict(CircuitBreaker)

    @property
    def pulls(self) -> bool:
        """Whether any platform is configured for pulling."""
        return bool(self._sources)

    async def run_once(self) -> int:
        """Ask every platform whose breaker allows it; returns how many orders changed."""
        changed = 0
        for source in self._sources.values():
            if self.breakers[source.id].allows():
                changed += await self._poll(source)
        return changed

    async def _poll(self, source: OrderSource) -> int:
        while (wait := await self._coordinator.take(f"source:{source.id}", *PER_SOURCE_RATE)) > 0:
            await asyncio.sleep(wait)
        since = await self._cursor(source.id)
        try:
            orders = await source.pull(self._http, since)
        except SourceUnavailable as failure:
            self.breakers[source.id].failed()
            log.warning("order source unavailable", extra={"platform": source.id, "reason": str(failure)})
            return 0
        self.breakers[source.id].succeeded()
        try:
            return await self._apply(source.id, orders, since)
        except IntegrityError:  # another replica stored the same copies first; the next poll goes on
            return 0

    async def _apply(self, platform: str, orders: list[SourceOrder], since: datetime) -> int:
        changed = 0
        async with self._sessions.begin() as session:
            for order in orders:
                try:
                    async with session.begin_nested():
                        outcome = await apply_source_event(session, platform, pulled(order), now=self._clock(),
                                                           on_change=self._on_change)
                except Refused as failure:  # one invalid order does not hold back the others
                    log.warning("pulled order refused", extra={"platform": platform, "reason": str(failure)})
                    continue
                changed += outcome is Outcome.APPLIED
            newest = max((o.updated_at for o in orders if o.updated_at is not None), default=since)
            await session.merge(KeyValue(key=_key(platform), value=max(newest, since).isoformat(), updated_at=self._clock()))
        return changed

    async def _cursor(self, platform: str) -> datetime:
        async with self._sessions() as session:
            stored = await session.get(KeyValue, _key(platform))
        return datetime.fromisoformat(stored.value) if stored is not None else self._clock() - LOOKBACK


def _key(platform: str) -> str:
    return f"source_cursor:{platform}"


def start_source_polling(runtime: Runtime, sources: dict[str, OrderSource]) -> SourcePoller | None:
    """Poll the platforms configured for it on the runtime's clock, supervised like every job."""
    poller = SourcePoller(runtime.sessions, sources, runtime.http, runtime.coordinator, runtime.clock, runtime.planner)
    if not poller.pulls or runtime.scheduler is None:
        return None

    async def poll() -> None:
        if await poller.run_once():
            runtime.dispatcher.wake()

    seconds = runtime.settings.source_poll_seconds
    runtime.scheduler.add_job(runtime.supervisor.guarded("source_poll", poll), "interval", seconds=seconds,
                              id="source_poll", replace_existing=True, coalesce=True, max_instances=1,
                              misfire_grace_time=seconds)
    return poller

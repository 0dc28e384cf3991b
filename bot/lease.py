"""A named lease in the database: at most one replica holds it at a time, for a bounded time.

The scheduler's once-per-deployment jobs (outbox sweep, reminders, carrier polling, the Zalo
token refresh) run only on the replica that holds the "scheduler" lease, so N workers do not
each sweep and poll. The holder renews well before expiry; a replica that dies simply stops
renewing, and another takes over once the lease has expired. Taking or renewing is one
conditional UPDATE (the row locked by PostgreSQL, the file by SQLite's BEGIN IMMEDIATE), so two
contenders can never both win. Time comes from the injected clock: tests move it, never sleep.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.storage.dialect import insert_ignoring_conflicts
from bot.storage.models import LeaseRow
from bot.storage.results import rows_changed

log = logging.getLogger("bot.lease")
SCHEDULER = "scheduler"
TTL = timedelta(seconds=30)
RENEW_SECONDS = 10.0  # a third of TTL: two missed renewals still keep the lead


class Lease:
    """One replica's view of a named lease: `held` is true only while it is ours and unexpired."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], name: str, holder: str, clock: Clock, ttl: timedelta = TTL
    ) -> None:
        self._sessions, self.name, self.holder, self._clock, self._ttl = sessions, name, holder, clock, ttl
        self._until: datetime | None = None

    @property
    def held(self) -> bool:
        return self._until is not None and self._clock() < self._until

    async def renew(self) -> bool:
        """Take the lease if it is free or expired, extend it if already ours; whether we hold it."""
        now = self._clock()
        was_held, until = self.held, now + self._ttl
        async with self._sessions.begin() as session:
            await session.execute(insert_ignoring_conflicts(session, LeaseRow), {
                "name": self.name, "holder": self.holder, "expires_at": until, "acquired_at": now})
            taken = await session.execute(
                update(LeaseRow)
                .where(LeaseRow.name == self.name, or_(LeaseRow.holder == self.holder, LeaseRow.expires_at <= now))
                .values(holder=self.holder, expires_at=until,
                        acquired_at=LeaseRow.acquired_at if was_held else now)
                .execution_options(synchronize_session=False)
            )
        self._until = until if rows_changed(taken) == 1 else None
        if self.held != was_held:
            log.info("lease taken" if self.held else "lease lost", extra={"lease": self.name, "holder": self.holder})
        return self.held

    async def release(self) -> None:
        """Give the lease up at shutdown, so another replica takes over without waiting for expiry."""
        if not self.held:
            return
        async with self._sessions.begin() as session:
            await session.execute(
                update(LeaseRow)
                .where(LeaseRow.name == self.name, LeaseRow.holder == self.holder)
                .values(expires_at=self._clock())
                .execution_options(synchronize_session=False)
            )
        self._until = None

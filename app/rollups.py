"""The dashboard's daily roll-ups, built by the scheduler leader.

Each run (1) marks dirty the closed days that rows changed since the last run say were touched
(orders updated, coupons redeemed, handoffs opened, answered or resolved, identities linked),
(2) builds every closed day within the horizon that has no roll-up yet, is marked dirty, or lies
in the trailing window (receipts and a person stepping in after a WISMO question land within
days), and (3) leaves out the days that still have messages waiting to be sent, whose "held
back" count is not settled. The page counts whatever is not rolled up live, so a roll-up is
only ever a shortcut to the figure the definitions give.
"""

from __future__ import annotations

import json
import logging
import time as clock_time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Callable
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.figures import CHANNELS, HANDOFF_WINDOW, MAX_PERIOD, Scope, daily
from bot.dashboard_days import (
    ALL, contact_moments, dirty_days, local_day, mark_dirty, mark_moments, midnight, present_days, replace_days,
)
from bot.clock import Clock
from bot.outbox import OutboxStatus
from bot.storage.models import (
    Conversation, Coupon, DashboardDay, Handoff, Identity, KeyValue, Order, OrderEvent, Outbox, SurveyAnswer,
)
from carriers.models import CanonicalStatus

log = logging.getLogger("app.rollups")
ROLLUP_SECONDS = 300.0  # how often the leader brings the roll-ups up to date
HORIZON = timedelta(days=2 * MAX_PERIOD.days)  # the longest period and the one before it
TRAILING_DAYS = 3  # closed days built again on every run, whatever changed
CHUNK_DAYS = 92  # days built in one transaction (one query per part and channel)
OVERLAP = timedelta(minutes=5)  # changes are looked for from this long before the last run began: a transaction open then
SINCE_KEY = "dashboard_rollups_since"
UNSETTLED = (OutboxStatus.PENDING, OutboxStatus.CLAIMED, OutboxStatus.SENDING)


@dataclass(frozen=True, slots=True)
class Built:
    """What one run did, for the log and the bench."""

    days: int
    seconds: float


class Rollups:
    """Keeps `dashboard_days` up to date; run by the leader only (app/runtime.py)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock, zone: Callable[[], ZoneInfo]) -> None:
        self._sessions, self._clock, self._zone = sessions, clock, zone

    async def run(self) -> Built:
        started, began, zone = self._clock(), clock_time.monotonic(), self._zone()
        today = local_day(started, zone)
        async with self._sessions.begin() as session:
            since = await _since(session, zone)
            if since is None:  # never built, or built in another time zone: every day is built afresh
                await session.execute(delete(DashboardDay))
            else:
                await mark_moments(session, await changed_moments(session, since - OVERLAP), zone, started)
            unsettled = await unsettled_days(session, today, zone)
            await mark_dirty(session, unsettled, started)
            first = today - timedelta(days=HORIZON.days)
            wanted = {first + timedelta(days=n) for n in range((today - first).days)}
            missing = wanted - await present_days(session, first)
            trailing = {today - timedelta(days=n) for n in range(1, TRAILING_DAYS + 1)}
            build = sorted((missing | (await dirty_days(session, today) & wanted) | trailing) - unsettled)
        for run in _chunks(build):
            await self._build(run, zone, started)
        async with self._sessions.begin() as session:
            await session.merge(KeyValue(key=SINCE_KEY, value=json.dumps({"at": started.isoformat(), "zone": zone.key}),
                                         updated_at=started))
        built = Built(len(build), clock_time.monotonic() - began)
        if build:
            log.info("dashboard roll-ups built", extra={"days": built.days, "seconds": round(built.seconds, 1)})
        return built

    async def _build(self, days: list[date], zone: ZoneInfo, started: datetime) -> None:
        """Consecutive days, for every channel and all together, in one transaction."""
        first, last = days[0], days[-1]
        rows: list[dict[str, Any]] = []
        for channel in (None, *CHANNELS):
            counted = await daily(self._sessions, Scope(midnight(first, zone), midnight(last + timedelta(days=1), zone),
                                                        zone, channel))
            rows += [{"day": day, "channel": channel or ALL, "parts": counted.get(day, {})} for day in days]
        async with self._sessions.begin() as session:
            await replace_days(session, rows, started)


def _chunks(days: list[date]) -> list[list[date]]:
    """Runs of consecutive days, at most CHUNK_DAYS long."""
    runs: list[list[date]] = []
    for day in days:
        if runs and runs[-1][-1] == day - timedelta(days=1) and len(runs[-1]) < CHUNK_DAYS:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


async def _since(session: AsyncSession, zone: ZoneInfo) -> datetime | None:
    """When the last run in this time zone began (the days are the shop's days)."""
    value = await session.scalar(select(KeyValue.value).where(KeyValue.key == SINCE_KEY))
    last = json.loads(value) if value else {}
    return datetime.fromisoformat(last["at"]) if last.get("zone") == zone.key else None


async def changed_moments(session: AsyncSession, since: datetime) -> list[datetime]:
    """The moments whose closed days rows changed since `since` say were touched. Each change
    stamps its own row (updated_at, redeemed_at, first_response_at…), so this finds them."""
    orders = (await session.execute(
        select(Order.created_at, Order.status_at).where(Order.updated_at >= since))).all()
    changed = select(Order.id).where(Order.updated_at >= since)  # a subquery again: a big import would not fit as parameters
    handed = or_(Handoff.requested_at >= since, Handoff.first_response_at >= since, Handoff.resolved_at >= since)
    queries = (
        # an order no longer delivered: its status_at had been the time of the event that said so
        select(OrderEvent.occurred_at).where(OrderEvent.order_id.in_(changed), OrderEvent.status == CanonicalStatus.DELIVERED),
        select(Coupon.issued_at).where(Coupon.redeemed_at >= since),
        select(Coupon.issued_at).where(Coupon.redeemed_order_code.in_(  # the revenue of a changed order
            select(Order.code).where(Order.id.in_(changed)))),
        select(Handoff.requested_at).where(handed),
        # a person answering reaches the low scores the customer gave before
        select(SurveyAnswer.answered_at)
        .join(Conversation, Conversation.contact_id == SurveyAnswer.contact_id)
        .join(Handoff, Handoff.conversation_id == Conversation.id)
        .where(Handoff.first_response_at >= since, SurveyAnswer.answered_at <= Handoff.requested_at),
        contact_moments(select(Identity.contact_id).where(Identity.created_at >= since)),
    )
    moments = [moment for order in orders for moment in (order.created_at, order.status_at)]  # placed, delivered
    for query in queries:
        moments += (await session.scalars(query)).all()
    opened = (await session.scalars(select(Handoff.requested_at).where(Handoff.requested_at >= since))).all()
    return moments + [at - HANDOFF_WINDOW for at in opened]  # it counts against the WISMO questions of the day before


async def unsettled_days(session: AsyncSession, today: date, zone: ZoneInfo) -> set[date]:
    """Closed days with messages still waiting to be sent: they may yet be held back."""
    due = await session.scalars(
        select(Outbox.due_at).where(and_(Outbox.status.in_(UNSETTLED), Outbox.due_at < midnight(today, zone))))
    return {local_day(moment, zone) for moment in due}

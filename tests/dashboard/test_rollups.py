"""The daily roll-ups: the figures are the same read from them as counted live, and a late event
on a closed day reaches the figure (at once when marked dirty, after the next run otherwise)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Awaitable, Callable
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app import figures
from app.figures import Scope
from app.history import History, generate, write
from app.rollups import Rollups
from bot.dashboard_days import dirty_days, local_day, mark_contacts, mark_moments, midnight
from bot.storage.models import Coupon, DashboardDay, MessageRecord, Order, OrderEvent
from tests.apps import runtime_of
from tests.dashboard.expected import assert_figures_match, expected

Sessions = async_sessionmaker[AsyncSession]
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)  # 10:00 in the shop
TODAY = local_day(NOW, ZONE)
LAST_30_DAYS = Scope(midnight(TODAY - timedelta(days=29), ZONE), midnight(TODAY + timedelta(days=1), ZONE), ZONE)


class Moment:
    """The roll-up job's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def shop(sessions: Sessions) -> History:
    history = generate(200, NOW, 8, [], seed=3)
    await write(sessions, history)
    return history


def roll_up(sessions: Sessions, clock: Moment | None = None) -> Rollups:
    return Rollups(sessions, clock or Moment(), lambda: ZONE)


async def both(sessions: Sessions, scope: Scope) -> tuple[dict[str, Any], dict[str, Any]]:
    return await figures.figures(sessions, scope), await figures.figures(sessions, scope, rolled=False)


@pytest.mark.parametrize("scope", [
    LAST_30_DAYS, LAST_30_DAYS.previous(), Scope(LAST_30_DAYS.start, LAST_30_DAYS.end, ZONE, "zalo"),
    Scope(NOW - timedelta(days=30, hours=5), NOW, ZONE),  # neither end at a midnight
], ids=["30 days", "the 30 before", "one channel", "from and to within days"])
async def test_the_figures_read_from_roll_ups_are_the_figures_counted_live(sessions: Sessions, shop: History, scope: Scope) -> None:
    await roll_up(sessions).run()
    rolled, live = await both(sessions, scope)
    assert rolled == live


async def test_the_roll_ups_cover_the_closed_days_and_leave_today_live(sessions: Sessions, shop: History) -> None:
    await roll_up(sessions).run()
    async with sessions() as session:
        found, live = await figures.rolled_up(session, LAST_30_DAYS)
    assert (len(found), [(s.start, s.end) for s in live]) == (29, [(midnight(TODAY, ZONE), LAST_30_DAYS.end)])


async def test_every_figure_read_from_roll_ups_matches_a_count_by_the_definitions(sessions: Sessions, shop: History) -> None:
    await roll_up(sessions).run()
    got, want = await figures.figures(sessions, LAST_30_DAYS), expected(shop, LAST_30_DAYS.start, LAST_30_DAYS.end)
    assert_figures_match(got, want)


async def after_a_late_change(
    sessions: Sessions, later: timedelta, part: tuple[str, str], change: Callable[[AsyncSession, datetime], Awaitable[None]]
) -> tuple[int, dict[str, Any], dict[str, Any]]:
    """A figure before a change made `later` (once closed days are built), then the page as the
    roll-ups and as live counting show it after the job ran again."""
    clock = Moment()
    job = roll_up(sessions, clock)
    await job.run()
    before: int = (await figures.figures(sessions, LAST_30_DAYS))[part[0]][part[1]]
    clock.now = NOW + later
    async with sessions.begin() as session:
        await change(session, clock.now)
    await job.run()
    rolled, live = await both(sessions, LAST_30_DAYS)
    return before, rolled, live


async def test_a_coupon_redeemed_days_later_counts_on_its_closed_day_once_the_roll_up_runs(sessions: Sessions, shop: History) -> None:
    async def redeem(session: AsyncSession, now: datetime) -> None:
        coupon = await session.scalar(select(Coupon).where(Coupon.redeemed_at.is_(None),
                                                           Coupon.issued_at >= LAST_30_DAYS.start).limit(1))
        assert coupon is not None
        coupon.redeemed_at, coupon.redeemed_order_code = now, None

    # the coupon's day is long past the trailing window 10 days later
    before, rolled, live = await after_a_late_change(sessions, timedelta(days=10), ("coupons", "redeemed"), redeem)
    assert (rolled["coupons"]["redeemed"], rolled) == (before + 1, live)


async def test_an_order_cancelled_weeks_later_counts_on_the_day_it_was_placed_once_the_roll_up_runs(
        sessions: Sessions, shop: History) -> None:
    async def cancel(session: AsyncSession, now: datetime) -> None:
        order = await session.scalar(select(Order).where(Order.status == "delivered", Order.created_at >= LAST_30_DAYS.start,
                                                         Order.created_at < midnight(TODAY - timedelta(days=5), ZONE)).limit(1))
        assert order is not None
        order.status, order.updated_at = "cancelled", now

    before, rolled, live = await after_a_late_change(sessions, timedelta(days=20), ("orders", "cancelled"), cancel)
    assert (rolled["orders"]["cancelled"], rolled) == (before + 1, live)


async def test_an_order_brought_back_after_delivery_no_longer_counts_as_delivered_on_its_day(
        sessions: Sessions, shop: History) -> None:
    clock = Moment()
    job = roll_up(sessions, clock)
    async with sessions.begin() as session:
        order = await session.scalar(select(Order).where(Order.status == "delivered", Order.status_at >= LAST_30_DAYS.start,
                                                         Order.status_at < midnight(TODAY - timedelta(days=5), ZONE)).limit(1))
        assert order is not None
        session.add(OrderEvent(order_id=order.id, event_key="ghn:delivered", status="delivered", source="ghn",
                               occurred_at=order.status_at, recorded_at=order.status_at))
    await job.run()
    before = (await figures.figures(sessions, LAST_30_DAYS))["wismo"]["delivered_orders"]
    clock.now = NOW + timedelta(days=2)
    async with sessions.begin() as session:
        await session.execute(update(Order).where(Order.id == order.id).values(
            status="returning", status_at=clock.now, updated_at=clock.now))
    await job.run()
    rolled, live = await both(sessions, LAST_30_DAYS)
    assert (rolled["wismo"]["delivered_orders"], rolled) == (before - 1, live)


async def test_a_day_marked_dirty_is_counted_live_until_it_is_built_again(sessions: Sessions, shop: History) -> None:
    await roll_up(sessions).run()
    async with sessions.begin() as session:
        sent = await session.scalar(select(MessageRecord).where(
            MessageRecord.channel == "zalo", MessageRecord.kind == "notice", MessageRecord.status == "sent",
            MessageRecord.created_at >= LAST_30_DAYS.start, MessageRecord.created_at < midnight(TODAY - timedelta(days=5), ZONE)
        ).limit(1))
        assert sent is not None
        await session.execute(update(MessageRecord).where(MessageRecord.id == sent.id).values(status="read"))
        await mark_moments(session, [sent.created_at], ZONE, NOW)  # as a late receipt does
    rolled, live = await both(sessions, LAST_30_DAYS)
    assert rolled == live
    await roll_up(sessions).run()
    async with sessions() as session:
        found, _ = await figures.rolled_up(session, LAST_30_DAYS)
    assert local_day(sent.created_at, ZONE) in found


async def test_the_dashboard_page_reads_the_same_with_and_without_roll_ups(owner: tuple[TestClient, History]) -> None:
    client, _ = owner
    runtime = runtime_of(client)

    async def summary() -> str:
        response = await client.get("/dashboard", params={"format": "csv", "table": "summary"})
        assert response.status == 200
        return await response.text()

    live = await summary()
    await Rollups(runtime.sessions, runtime.clock, lambda: runtime.settings.zone).run()
    async with runtime.sessions() as session:
        assert await session.scalar(select(DashboardDay.day).limit(1)) is not None
    assert await summary() == live


async def test_a_customer_linked_to_their_orders_marks_the_days_their_rows_count_on(sessions: Sessions, shop: History) -> None:
    order = next(o for o in shop.rows["orders"] if o["created_at"] < midnight(TODAY, ZONE))
    async with sessions.begin() as session:
        await mark_contacts(session, [order["contact_id"]], ZONE, NOW)
    async with sessions() as session:
        assert local_day(order["created_at"], ZONE) in await dirty_days(session, TODAY)


async def test_roll_ups_built_in_another_time_zone_are_built_afresh(sessions: Sessions, shop: History) -> None:
    await roll_up(sessions).run()
    utc = ZoneInfo("UTC")
    await Rollups(sessions, Moment(), lambda: utc).run()
    day = NOW.date()
    scope = Scope(datetime.combine(day - timedelta(days=29), datetime.min.time(), timezone.utc),
                  datetime.combine(day, datetime.min.time(), timezone.utc), utc)
    rolled, live = await both(sessions, scope)
    assert rolled == live

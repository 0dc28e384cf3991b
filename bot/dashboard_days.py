"""Where the dashboard's daily roll-ups live: closed days' additive figure parts by channel, and
the days marked dirty since their roll-up. app/figures.py reads them, app/rollups.py builds
them, and the few writes that change a closed day's figures without stamping a time on the row
they change (a late receipt, a customer merged or linked to orders) mark its days here."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, union
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.nlu import Intent
from bot.storage.models import (
    Conversation, Coupon, DashboardDay, DashboardDirty, Handoff, MessageRecord, Order, SurveyAnswer,
)

ALL = ""  # the channel column's value for every channel together


def midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), zone)


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def whole_days(start: datetime, end: datetime, zone: ZoneInfo) -> tuple[date, date]:
    """The first and last shop day lying wholly within [start, end) (first > last: none)."""
    first = local_day(start, zone)
    if midnight(first, zone) < start:
        first += timedelta(days=1)
    last = local_day(end, zone) - timedelta(days=1)
    return first, last


async def stored(session: AsyncSession, first: date, last: date, channel: str | None) -> dict[date, dict[str, Any]]:
    """The roll-ups of the clean days in [first, last] for one channel (or all), by day."""
    rows = await session.execute(
        select(DashboardDay.day, DashboardDay.parts)
        .where(DashboardDay.channel == (channel or ALL), DashboardDay.day >= first, DashboardDay.day <= last,
               DashboardDay.day.not_in(select(DashboardDirty.day)))
    )
    return {day: parts for day, parts in rows}


async def mark_dirty(session: AsyncSession, days: Iterable[date], now: datetime) -> None:
    """These closed days changed: counted live until built again (a newer mark survives a build
    that started before it)."""
    rows = [{"day": day, "marked_at": now} for day in sorted(set(days))]
    if not rows:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(DashboardDirty)
    await session.execute(statement.on_conflict_do_update(index_elements=[DashboardDirty.day],
                                                          set_={"marked_at": statement.excluded.marked_at}), rows)


async def mark_moments(session: AsyncSession, moments: Iterable[datetime | None], zone: ZoneInfo, now: datetime) -> None:
    """Mark the closed shop days these moments fall on (today is counted live anyway)."""
    today = local_day(now, zone)
    await mark_dirty(session, {day for m in moments if m is not None and (day := local_day(m, zone)) < today}, now)


def contact_moments(contact_ids: Any) -> Any:
    """The moments whose days a customer's channel reach or conversation counts on (orders placed,
    WISMO questions, answers, coupons issued, handoffs opened): linking them to a channel or
    merging them into another customer moves them."""
    conversations = select(Conversation.id).where(Conversation.contact_id.in_(contact_ids))
    return union(
        select(Order.created_at.label("at")).where(Order.contact_id.in_(contact_ids)),
        select(MessageRecord.created_at).where(MessageRecord.conversation_id.in_(conversations),  # whose handoffs count
                                               MessageRecord.intent == Intent.WHERE_IS_MY_ORDER),
        select(SurveyAnswer.answered_at).where(SurveyAnswer.contact_id.in_(contact_ids)),
        select(Coupon.issued_at).where(Coupon.contact_id.in_(contact_ids)),
        select(Handoff.requested_at).where(Handoff.conversation_id.in_(conversations)),
    )


async def mark_contacts(session: AsyncSession, contact_ids: list[int], zone: ZoneInfo, now: datetime) -> None:
    """A customer's reach changed (merged with another, linked to orders by phone)."""
    if contact_ids:
        await mark_moments(session, (await session.scalars(contact_moments(contact_ids))).all(), zone, now)


async def dirty_days(session: AsyncSession, before: date) -> set[date]:
    return set((await session.scalars(select(DashboardDirty.day).where(DashboardDirty.day < before))).all())


async def present_days(session: AsyncSession, first: date) -> set[date]:
    return set((await session.scalars(
        select(DashboardDay.day).where(DashboardDay.channel == ALL, DashboardDay.day >= first))).all())


async def replace_days(session: AsyncSession, rows: list[dict[str, Any]], built_at: datetime) -> None:
    """Store freshly built days (every channel of each), clearing the marks made before the build began."""
    days = sorted({row["day"] for row in rows})
    if not days:
        return
    await session.execute(delete(DashboardDay).where(DashboardDay.day.in_(days)))
    await session.execute(DashboardDay.__table__.insert(), [{**row, "built_at": built_at} for row in rows])
    await session.execute(delete(DashboardDirty).where(DashboardDirty.day.in_(days), DashboardDirty.marked_at <= built_at))

"""The shop owner's figures: one computation for `/api/v1/metrics` and `/dashboard`, so the
JSON an integrator reads and the page the owner reads can never disagree.

Every figure is counted over a `Scope` (a period and, optionally, one channel). A channel
narrows messages and outgoing rows by their own channel, and orders, surveys and handoffs by
their customer: one reachable on that channel (an identity there), as the inbox filters.
Aggregates run in the database (counts, sums, weekly groups), so a large shop costs index
scans, not rows shipped to Python; only handoff durations come back row by row, for their
median and 90th percentile.
"""

from __future__ import annotations

import asyncio
import math
import statistics
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Awaitable, Callable
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Interval, and_, case, exists, func, literal, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.nlu import Intent
from bot.outbox import OutboxKind, OutboxStatus
from bot.storage.models import (
    Conversation, Coupon, Direction, Handoff, Identity, MessageRecord, MessageStatus, Order, Outbox, ReturnEvent,
    ReturnRequest, Staff, SurveyAnswer,
)
from bot.surveys import LOW, SurveyKind
from carriers.models import CanonicalStatus

PROACTIVE = (OutboxKind.NOTICE, OutboxKind.THANKS, OutboxKind.SURVEY, OutboxKind.REMINDER, OutboxKind.HOLDING,
             OutboxKind.CARE, OutboxKind.CHECKIN, OutboxKind.WINBACK)  # the last three: issue 16
RECEIPTS = frozenset({"messenger", "zalo"})  # the channels whose webhooks say a message was delivered, then read
RETURNS = (CanonicalStatus.RETURNING, CanonicalStatus.RETURNED)
HANDOFF_WINDOW = timedelta(hours=24)  # a person stepping in this soon after a WISMO question means the bot did not settle it
BY_FIRST_TWO = (text("1"), text("2"))  # by position: an expression with bound values differs from its repeat on PostgreSQL
SATISFIED = 4  # CSAT 4 or 5 of 5
PROMOTER, DETRACTOR = 9, 6  # NPS: 9-10 promote, 0-6 detract


@dataclass(frozen=True, slots=True)
class Scope:
    """What a figure counts over: [start, end) and maybe one channel; `zone` draws the weeks."""

    start: datetime
    end: datetime
    zone: ZoneInfo
    channel: str | None = None

    def previous(self) -> Scope:
        """The period of the same length just before, for the figure beside each one."""
        length = self.end - self.start
        return replace(self, start=self.start - length, end=self.start)

    def within(self, column: Any) -> ColumnElement[bool]:
        return and_(column >= self.start, column < self.end)

    def on_channel(self, column: Any) -> ColumnElement[bool]:
        """A row's own channel column, when the scope names a channel."""
        return column == self.channel if self.channel else literal(True)

    def reaches(self, contact_column: Any) -> ColumnElement[bool]:
        """A customer reachable on the scope's channel."""
        if not self.channel:
            return literal(True)
        reachable: ColumnElement[bool] = contact_column.in_(select(Identity.contact_id).where(Identity.channel == self.channel))
        return reachable


async def figures(sessions: async_sessionmaker[AsyncSession], scope: Scope) -> dict[str, Any]:
    """Every figure of the period, as JSON-ready data. Each part runs on its own connection, so
    PostgreSQL answers them side by side (SQLite's one connection takes them in turn)."""

    async def part(compute: Callable[[AsyncSession, Scope], Awaitable[Any]]) -> Any:
        async with sessions() as session:
            return await compute(session, scope)

    values = await asyncio.gather(*(part(compute) for compute in PARTS.values()))
    return {"from": scope.start.isoformat(), "to": scope.end.isoformat(), "channel": scope.channel,
            **dict(zip(PARTS, values))}


def wismo_questions(scope: Scope) -> ColumnElement[bool]:
    """Customers asking where their order is, in the scope."""
    return and_(MessageRecord.intent == Intent.WHERE_IS_MY_ORDER, MessageRecord.direction == Direction.IN,
                scope.within(MessageRecord.created_at), scope.on_channel(MessageRecord.channel))


def went_to_a_person(session: AsyncSession) -> ColumnElement[bool]:
    """A person had the conversation when the question came, or took it within a day after."""
    return exists().where(
        Handoff.conversation_id == MessageRecord.conversation_id,
        Handoff.requested_at <= later(session, MessageRecord.created_at, HANDOFF_WINDOW),
        or_(Handoff.resolved_at.is_(None), Handoff.resolved_at >= MessageRecord.created_at),
    )


async def wismo(session: AsyncSession, scope: Scope) -> dict[str, Any]:
    """Deflection: the share of WISMO questions the bot settled with no person involved."""
    asked, escalated = (await session.execute(
        select(func.count(), func.count(case((went_to_a_person(session), 1)))).where(wismo_questions(scope))
    )).one()
    delivered = await _count(session, delivered_orders(scope))
    deflected = asked - escalated
    return {"questions": asked, "deflected": deflected, "deflection_pct": pct(deflected, asked),
            "delivered_orders": delivered, "per_100_delivered": per_100(asked, delivered)}


def delivered_orders(scope: Scope) -> ColumnElement[bool]:
    return and_(Order.status == CanonicalStatus.DELIVERED, scope.within(Order.status_at), scope.reaches(Order.contact_id),
                Order.direction == OUTBOUND)


async def notices(session: AsyncSession, scope: Scope) -> list[dict[str, Any]]:
    """Proactive messages sent (the outbox's truth), and how many the channel then reported
    delivered or read (the receipts update the message records, which carry the outbox kind)."""
    sent = await session.execute(
        select(Outbox.kind, Outbox.channel, func.count())
        .where(Outbox.kind.in_(PROACTIVE), scope.within(Outbox.sent_at), Outbox.status == OutboxStatus.SENT,
               scope.on_channel(Outbox.channel))
        .group_by(Outbox.kind, Outbox.channel)
    )
    receipts = await session.execute(
        select(MessageRecord.kind, MessageRecord.channel,
               func.count(case((MessageRecord.status.in_((MessageStatus.DELIVERED, MessageStatus.READ)), 1))),
               func.count(case((MessageRecord.status == MessageStatus.READ, 1))))
        .where(MessageRecord.kind.in_(PROACTIVE), scope.within(MessageRecord.created_at),
               MessageRecord.direction == Direction.OUT, scope.on_channel(MessageRecord.channel))
        .group_by(MessageRecord.kind, MessageRecord.channel)
    )
    seen = {(kind, channel): (got, read) for kind, channel, got, read in receipts}
    return [{"kind": kind, "channel": channel, "sent": n,
             **({"delivered": seen.get((kind, channel), (0, 0))[0], "read": seen.get((kind, channel), (0, 0))[1]}
                if channel in RECEIPTS else {"delivered": None, "read": None})}
            for kind, channel, n in sorted(sent.all())]


async def skipped(session: AsyncSession, scope: Scope) -> list[dict[str, Any]]:
    """Messages the sending rules held back (window closed, opted out, quiet hours…), by reason."""
    rows = await session.execute(
        select(Outbox.kind, Outbox.channel, Outbox.last_error, func.count())
        .where(Outbox.status == OutboxStatus.SKIPPED_POLICY, scope.within(Outbox.due_at), scope.on_channel(Outbox.channel))
        .group_by(Outbox.kind, Outbox.channel, Outbox.last_error).order_by(func.count().desc())
    )
    return [{"kind": kind, "channel": channel, "reason": reason or "", "count": n} for kind, channel, reason, n in rows]


def _asked_kind() -> ColumnElement[str]:
    """Which survey an outgoing row asked: CSAT rides on the thank-you, NPS and CES are keyed by kind."""
    return case(
        (Outbox.kind == OutboxKind.THANKS, SurveyKind.CSAT.value),
        (Outbox.dedupe_key.like("nps:%"), SurveyKind.NPS.value),
        else_=SurveyKind.CES.value,
    )


async def surveys(session: AsyncSession, scope: Scope) -> dict[str, Any]:
    """CSAT, NPS and CES over the period and week by week, with the share of askings answered."""
    asked_week = week_of(session, Outbox.sent_at, scope.zone)
    asked_rows = await session.execute(
        select(_asked_kind(), asked_week, func.count())
        .where(Outbox.status == OutboxStatus.SENT, scope.within(Outbox.sent_at), scope.on_channel(Outbox.channel),
               Outbox.kind.in_((OutboxKind.THANKS, OutboxKind.SURVEY)),
               or_(Outbox.kind == OutboxKind.THANKS, Outbox.dedupe_key.like("nps:%"), Outbox.dedupe_key.like("ces:%")))
        .group_by(*BY_FIRST_TWO)
    )
    asked: dict[tuple[str, date], int] = {(kind, as_date(week)): n for kind, week, n in asked_rows}
    answer_week = week_of(session, SurveyAnswer.answered_at, scope.zone)
    score = SurveyAnswer.score
    answer_rows = await session.execute(
        select(SurveyAnswer.kind, answer_week, func.count(), func.sum(score),
               func.count(case((score >= SATISFIED, 1))), func.count(case((score >= PROMOTER, 1))),
               func.count(case((score <= DETRACTOR, 1))))
        .where(scope.within(SurveyAnswer.answered_at), scope.reaches(SurveyAnswer.contact_id))
        .group_by(*BY_FIRST_TWO)
    )
    weeks: dict[str, dict[date, list[int]]] = {kind.value: {} for kind in SurveyKind}
    for kind, week, n, total, satisfied, promoters, detractors in answer_rows:
        weeks.setdefault(kind, {})[as_date(week)] = [n, int(total or 0), satisfied, promoters, detractors]
    return {kind.value: _survey(kind, weeks[kind.value], asked) for kind in SurveyKind}


def _survey(kind: SurveyKind, weeks: dict[date, list[int]], asked: dict[tuple[str, date], int]) -> dict[str, Any]:
    every = sorted(set(weeks) | {week for k, week in asked if k == kind.value})
    sums = [sum(weeks.get(w, [0] * 5)[i] for w in every) for i in range(5)]
    asked_total = sum(n for (k, _), n in asked.items() if k == kind.value)
    return {
        **_score(kind, sums), "asked": asked_total, "response_rate_pct": pct(sums[0], asked_total),
        "weeks": [{"week": w.isoformat(), "asked": asked.get((kind.value, w), 0),
                   "response_rate_pct": pct(weeks.get(w, [0])[0], asked.get((kind.value, w), 0)),
                   **_score(kind, weeks.get(w, [0] * 5))} for w in every],
    }


def _score(kind: SurveyKind, sums: list[int]) -> dict[str, Any]:
    """The headline of answers summed as [count, score total, satisfied, promoters, detractors]."""
    n, total, satisfied, promoters, detractors = sums
    mean = round(total / n, 2) if n else None
    if kind is SurveyKind.NPS:
        return {"answers": n, "score": round(100 * (promoters - detractors) / n, 1) if n else None, "promoters": promoters,
                "passives": n - promoters - detractors, "detractors": detractors}
    if kind is SurveyKind.CSAT:
        return {"answers": n, "mean": mean, "satisfied_pct": pct(satisfied, n)}
    return {"answers": n, "mean": mean}


def low_answers(scope: Scope) -> ColumnElement[bool]:
    """Answers at or below each survey's low mark, which open a recovery handoff."""
    return and_(scope.within(SurveyAnswer.answered_at), scope.reaches(SurveyAnswer.contact_id),
                or_(*(and_(SurveyAnswer.kind == kind.value, SurveyAnswer.score <= mark) for kind, mark in LOW.items())))


def recovery_reached() -> ColumnElement[bool]:
    """A person answered the customer after their low score (whose turn opened the recovery handoff)."""
    return exists().where(
        Conversation.contact_id == SurveyAnswer.contact_id, Handoff.conversation_id == Conversation.id,
        Handoff.requested_at >= SurveyAnswer.answered_at, Handoff.first_response_at.is_not(None),
    )


async def low_scores(session: AsyncSession, scope: Scope) -> dict[str, Any]:
    low, reached = (await session.execute(
        select(func.count(), func.count(case((recovery_reached(), 1)))).where(low_answers(scope))
    )).one()
    return {"count": low, "reached": reached, "reached_pct": pct(reached, low)}


def redeemed_coupons(scope: Scope) -> ColumnElement[bool]:
    return and_(scope.within(Coupon.issued_at), Coupon.redeemed_at.is_not(None), scope.reaches(Coupon.contact_id))


async def coupons(session: AsyncSession, scope: Scope) -> dict[str, Any]:
    """Coupons issued in the period, those redeemed, and what the orders they paid for were worth."""
    issued = await _count(session, and_(scope.within(Coupon.issued_at), scope.reaches(Coupon.contact_id)))
    redeemed, revenue = (await session.execute(
        select(func.count(Coupon.id), func.coalesce(func.sum(Order.total), 0))
        .select_from(Coupon).outerjoin(Order, Order.code == Coupon.redeemed_order_code).where(redeemed_coupons(scope))
    )).one()
    return {"issued": issued, "redeemed": redeemed, "redemption_rate_pct": pct(redeemed, issued), "revenue": int(revenue)}


async def handoffs(session: AsyncSession, scope: Scope) -> dict[str, Any]:
    """Handoffs opened in the period: time to the first staff reply and to resolution, overall and by who replied."""
    rows = (await session.execute(
        select(Handoff.staff_id, Staff.name, Handoff.requested_at, Handoff.first_response_at, Handoff.resolved_at)
        .outerjoin(Staff, Staff.id == Handoff.staff_id)
        .where(scope.within(Handoff.requested_at), scope.reaches(_contact_of(Handoff.conversation_id)))
    )).all()
    people: dict[int | None, list[Any]] = {}
    for row in rows:
        people.setdefault(row[0], []).append(row)
    by_staff = [{"staff_id": staff_id, "name": group[0][1] or "", **_times(group)}
                for staff_id, group in sorted(people.items(), key=lambda item: (item[0] is None, item[1][0][1] or ""))]
    return {**_times(rows), "by_staff": by_staff}


def _contact_of(conversation_id: Any) -> Any:
    return select(Conversation.contact_id).where(Conversation.id == conversation_id).scalar_subquery()


def _times(rows: Any) -> dict[str, Any]:
    first = [(f - r).total_seconds() for _, _, r, f, _ in rows if f is not None]
    resolved = [(d - r).total_seconds() for _, _, r, _, d in rows if d is not None]
    return {"opened": len(rows), "resolved": len(resolved),
            "first_response_median_s": median(first), "first_response_p90_s": p90(first),
            "resolution_median_s": median(resolved), "resolution_p90_s": p90(resolved)}


def placed_orders(scope: Scope) -> ColumnElement[bool]:
    return and_(scope.within(Order.created_at), scope.reaches(Order.contact_id), Order.direction == OUTBOUND)


async def orders(session: AsyncSession, scope: Scope) -> dict[str, Any]:
    """Of the orders placed in the period: cancelled, and returned or on their way back as the
    carrier reports them (refused at the door); the customers' own returns are under "returns"."""
    placed, cancelled, returned = (await session.execute(
        select(func.count(), func.count(case((Order.status == CanonicalStatus.CANCELLED, 1))),
               func.count(case((Order.status.in_(RETURNS), 1))))
        .where(placed_orders(scope))
    )).one()
    return {"placed": placed, "cancelled": cancelled, "cancelled_per_100": per_100(cancelled, placed),
            "returns": returned, "returns_per_100": per_100(returned, placed)}


async def _count(session: AsyncSession, where: ColumnElement[bool]) -> int:
    return int(await session.scalar(select(func.count()).where(where)) or 0)


# --- returns and exchanges (issue 15) --------------------------------------------------------
OUTBOUND = "outbound"  # orders.direction of the shop's own parcels; a customer's return parcel is "return"
RESOLVED = ("refunded", "exchanged_shipped")


async def return_figures(session: AsyncSession, scope: Scope) -> dict[str, Any]:
    """Of the return requests made in the period: per 100 orders delivered, by reason and outcome,
    the time from request to refund, and the share settled with no person stepping in."""
    requested = and_(scope.within(ReturnRequest.requested_at), scope.reaches(ReturnRequest.contact_id))
    by_reason = dict((await session.execute(
        select(ReturnRequest.reason, func.count()).where(requested).group_by(ReturnRequest.reason))).all())
    by_resolution = dict((await session.execute(
        select(ReturnRequest.resolution, func.count()).where(requested).group_by(ReturnRequest.resolution))).all())
    staff_touched = exists().where(ReturnEvent.request_id == ReturnRequest.id, ReturnEvent.actor == "staff")
    total, without_person = (await session.execute(
        select(func.count(), func.count(case((~staff_touched, 1)))).where(requested))).one()
    refunds = (await session.execute(
        select(ReturnRequest.requested_at, ReturnEvent.occurred_at).join(ReturnEvent, ReturnEvent.request_id == ReturnRequest.id)
        .where(requested, ReturnEvent.state == "refunded"))).all()
    resolved = await _count(session, and_(requested, ReturnRequest.state.in_((*RESOLVED, "closed"))))
    waits = [(done - asked).total_seconds() for asked, done in refunds if asked is not None]
    delivered = await _count(session, delivered_orders(scope))
    return {"requests": total, "return_rate_per_100_delivered": per_100(total, delivered),
            "reasons": {str(k): v for k, v in by_reason.items()},
            "resolutions": {str(k): v for k, v in by_resolution.items()}, "resolved": resolved,
            "request_to_refund_median_s": median(waits), "request_to_refund_p90_s": p90(waits),
            "without_a_person": without_person, "without_a_person_pct": pct(without_person, total)}


PARTS: dict[str, Callable[[AsyncSession, Scope], Awaitable[Any]]] = {
    "wismo": wismo, "notices": notices, "skipped": skipped, "surveys": surveys, "low_scores": low_scores,
    "coupons": coupons, "handoffs": handoffs, "orders": orders, "returns": return_figures,
}


def week_of(session: AsyncSession, column: Any, zone: ZoneInfo) -> ColumnElement[Any]:
    """The Monday (shop time) of the week a moment falls in. SQLite has no time zones, so it
    shifts by the zone's offset now (Vietnam keeps one offset all year)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date_trunc("week", func.timezone(zone.key, column))
    offset = datetime.now(zone).utcoffset() or timedelta()
    return func.date(column, f"{int(offset.total_seconds()) // 60:+d} minutes", "weekday 0", "-6 days")


def later(session: AsyncSession, column: Any, delta: timedelta) -> ColumnElement[Any]:
    """A moment column moved by `delta`, in SQL: SQLite keeps moments as text, compared as text."""
    if session.get_bind().dialect.name == "postgresql":
        moved: ColumnElement[Any] = column + literal(delta, Interval())
        return moved
    return func.strftime("%Y-%m-%d %H:%M:%f", column, f"+{int(delta.total_seconds())} seconds")


def as_date(value: Any) -> date:
    """A week key as either dialect returns it (a timestamp, or 'YYYY-MM-DD' text)."""
    return value.date() if isinstance(value, datetime) else date.fromisoformat(str(value)[:10])


def pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def per_100(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 2) if whole else None


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def p90(values: list[float]) -> float | None:
    """Nearest rank: the smallest value at or above which 10 % of the values lie."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[math.ceil(0.9 * len(ordered)) - 1], 1)


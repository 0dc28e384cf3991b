"""The shop owner's figures: one computation for `/api/v1/metrics` and `/dashboard`, so the
JSON an integrator reads and the page the owner reads can never disagree.

Every figure is counted over a `Scope` (a period and, optionally, one channel). A channel
narrows messages and outgoing rows by their own channel, and orders, surveys and handoffs by
their customer: one reachable on that channel (an identity there), as the inbox filters.
Aggregates run in the database by shop day, each part in an additive shape (`merge`), so any
set of days sums to the period: the closed days come from roll-ups (app/rollups.py builds them,
docs/dashboard.md says when they are built again) and only the rest is counted live. Handoff
durations are kept one by one, so their median and 90th percentile stay exact.
"""

from __future__ import annotations

import asyncio
import json
import math
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Awaitable, Callable, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Interval, and_, case, exists, func, literal, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.dashboard_days import midnight, stored, whole_days
from bot.nlu import Intent
from bot.outbox import OutboxKind, OutboxStatus
from bot.storage.models import (
    Conversation, Coupon, Direction, Handoff, Identity, MessageRecord, MessageStatus, Order, Outbox, ReturnEvent,
    ReturnRequest, Staff, SurveyAnswer,
)
from bot.surveys import LOW, SurveyKind
from carriers.models import CanonicalStatus
from channels.models import ChannelKind

CHANNELS = tuple(kind.value for kind in ChannelKind)
MAX_PERIOD = timedelta(days=400)  # the longest period asked for
PROACTIVE = (OutboxKind.NOTICE, OutboxKind.THANKS, OutboxKind.SURVEY, OutboxKind.REMINDER, OutboxKind.HOLDING,
             OutboxKind.CARE, OutboxKind.CHECKIN, OutboxKind.WINBACK)  # the last three: issue 16
RECEIPTS = frozenset({"messenger", "zalo"})  # the channels whose webhooks say a message was delivered, then read
RETURNS = (CanonicalStatus.RETURNING, CanonicalStatus.RETURNED)
HANDOFF_WINDOW = timedelta(hours=24)  # a person stepping in this soon after a WISMO question means the bot did not settle it
BY_FIRST_TWO = (text("1"), text("2"))  # by position: an expression with bound values differs from its repeat on PostgreSQL
BY_FIRST_THREE = (*BY_FIRST_TWO, text("3"))
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


Days = dict[date, dict[str, Any]]  # a part's additive counts by shop day (see `merge`)
Summed = TypeVar("Summed", bound=dict[Any, Any])


async def figures(sessions: async_sessionmaker[AsyncSession], scope: Scope, *, rolled: bool = True) -> dict[str, Any]:
    """Every figure of the period, as JSON-ready data: the roll-ups of its closed days (unless
    `rolled` is False) plus live counts over the rest, summed, then turned into figures. Each
    query runs on its own connection, so PostgreSQL answers them side by side (SQLite's one
    connection takes them in turn)."""

    async def run(compute: Callable[[AsyncSession, Scope], Awaitable[Any]], over: Scope) -> Any:
        async with sessions() as session:
            return await compute(session, over)

    found: Days = {}
    live = [scope]
    if rolled:
        async with sessions() as session:
            found, live = await rolled_up(session, scope)
    counted = [run(compute, over) for over in live for compute in DAILY.values()]
    returns, staff, *days = await asyncio.gather(run(return_figures, scope), run(staff_names, scope), *counted)
    total: dict[str, Any] = {}
    for parts in [*found.values(), *(parts for by_day in days for parts in by_day.values())]:
        merge(total, parts)
    return {"from": scope.start.isoformat(), "to": scope.end.isoformat(), "channel": scope.channel,
            **finish(total, staff),
            "returns": {**returns, "return_rate_per_100_delivered": per_100(returns["requests"], total.get("delivered", 0))}}


async def rolled_up(session: AsyncSession, scope: Scope) -> tuple[Days, list[Scope]]:
    """The stored roll-ups of the scope's whole, clean days, and the stretches left to count live
    (today, days not built yet or marked dirty, a period's partial first and last days)."""
    first, last = whole_days(scope.start, scope.end, scope.zone)
    found = await stored(session, first, last, scope.channel) if first <= last else {}
    live, cursor = [], scope.start
    for day in sorted(found):
        if cursor < midnight(day, scope.zone):
            live.append(replace(scope, start=cursor, end=midnight(day, scope.zone)))
        cursor = midnight(day + timedelta(days=1), scope.zone)
    if cursor < scope.end:
        live.append(replace(scope, start=cursor, end=scope.end))
    return found, live


async def daily(sessions: async_sessionmaker[AsyncSession], scope: Scope) -> Days:
    """Every rolled-up part of the scope by shop day, counted live: what the roll-up job stores."""
    async def run(compute: Callable[[AsyncSession, Scope], Awaitable[Days]]) -> Days:
        async with sessions() as session:
            return await compute(session, scope)

    result: Days = {}
    for by_day in await asyncio.gather(*(run(compute) for compute in DAILY.values())):
        for day, parts in by_day.items():
            merge(result.setdefault(day, {}), parts)
    return result


def merge(total: Summed, more: Summed) -> Summed:
    """Add `more` into `total`: numbers add, lists (of durations) join, dicts merge key by key.
    Every part is stored in this additive shape, so any set of days sums to the period."""
    for key, value in more.items():
        if isinstance(value, dict):
            merge(total.setdefault(key, {}), value)
        elif isinstance(value, list):
            total.setdefault(key, []).extend(value)
        else:
            total[key] = total.get(key, 0) + value
    return total


def finish(total: dict[str, Any], staff: dict[int, str]) -> dict[str, Any]:
    """The figures from the period's summed parts."""
    return {"wismo": finish_wismo(total.get("wismo", {}), total.get("delivered", 0)), "notices": finish_notices(total.get("notices", {})),
            "skipped": finish_skipped(total.get("skipped", {})), "surveys": finish_surveys(total.get("surveys", {})),
            "low_scores": finish_low_scores(total.get("low_scores", {})), "coupons": finish_coupons(total.get("coupons", {})),
            "handoffs": finish_handoffs(total.get("handoffs", {}), staff), "orders": finish_orders(total.get("orders", {}))}


def key(*values: Any) -> str:
    """A group's dimensions as one JSON object key, unambiguous whatever text a reason holds."""
    return json.dumps(values, ensure_ascii=False)


def by_day(rows: Any, shape: Callable[..., dict[str, Any]]) -> Days:
    """Rows whose first column is a shop day, each shaped into a part, merged per day."""
    result: Days = {}
    for day, *values in rows:
        merge(result.setdefault(as_date(day), {}), shape(*values))
    return result


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


async def wismo(session: AsyncSession, scope: Scope) -> Days:
    """Deflection: WISMO questions, and those a person stepped into, by the day they were asked."""
    rows = await session.execute(
        select(day_of(session, MessageRecord.created_at, scope.zone), func.count(),
               func.count(case((went_to_a_person(session), 1)))).where(wismo_questions(scope)).group_by(text("1"))
    )
    return by_day(rows, lambda asked, escalated: {"wismo": {"questions": asked, "escalated": escalated}})


def finish_wismo(part: dict[str, Any], delivered: int) -> dict[str, Any]:
    """The share of WISMO questions the bot settled with no person involved."""
    asked = part.get("questions", 0)
    deflected = asked - part.get("escalated", 0)
    return {"questions": asked, "deflected": deflected, "deflection_pct": pct(deflected, asked),
            "delivered_orders": delivered, "per_100_delivered": per_100(asked, delivered)}


async def delivered(session: AsyncSession, scope: Scope) -> Days:
    """Orders delivered, by the day they were (their status_at): what WISMO questions and
    return requests are counted per 100 of."""
    rows = await session.execute(
        select(day_of(session, Order.status_at, scope.zone), func.count()).where(delivered_orders(scope)).group_by(text("1")))
    return by_day(rows, lambda n: {"delivered": n})


def delivered_orders(scope: Scope) -> ColumnElement[bool]:
    return and_(Order.status == CanonicalStatus.DELIVERED, scope.within(Order.status_at), scope.reaches(Order.contact_id),
                Order.direction == OUTBOUND)


async def notices(session: AsyncSession, scope: Scope) -> Days:
    """Proactive messages sent (the outbox's truth) by the day sent, and how many the channel
    then reported delivered or read (the receipts update the message records, which carry the
    outbox kind) by the day the message went out."""
    sent = await session.execute(
        select(day_of(session, Outbox.sent_at, scope.zone), Outbox.kind, Outbox.channel, func.count())
        .where(Outbox.kind.in_(PROACTIVE), scope.within(Outbox.sent_at), Outbox.status == OutboxStatus.SENT,
               scope.on_channel(Outbox.channel))
        .group_by(*BY_FIRST_THREE)
    )
    receipts = await session.execute(
        select(day_of(session, MessageRecord.created_at, scope.zone), MessageRecord.kind, MessageRecord.channel,
               func.count(case((MessageRecord.status.in_((MessageStatus.DELIVERED, MessageStatus.READ)), 1))),
               func.count(case((MessageRecord.status == MessageStatus.READ, 1))))
        .where(MessageRecord.kind.in_(PROACTIVE), scope.within(MessageRecord.created_at),
               MessageRecord.direction == Direction.OUT, scope.on_channel(MessageRecord.channel))
        .group_by(*BY_FIRST_THREE)
    )
    return merge(by_day(sent, lambda kind, channel, n: {"notices": {key(kind, channel): {"sent": n}}}),
                 by_day(receipts, lambda kind, channel, got, read: {"notices": {key(kind, channel): {"got": got, "read": read}}}))


def finish_notices(part: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for group, counts in sorted(part.items(), key=lambda item: json.loads(item[0])):
        kind, channel = json.loads(group)
        if counts.get("sent"):
            rows.append({"kind": kind, "channel": channel, "sent": counts["sent"],
                         **({"delivered": counts.get("got", 0), "read": counts.get("read", 0)}
                            if channel in RECEIPTS else {"delivered": None, "read": None})})
    return rows


async def skipped(session: AsyncSession, scope: Scope) -> Days:
    """Messages the sending rules held back (window closed, opted out, quiet hours…), by reason."""
    rows = await session.execute(
        select(day_of(session, Outbox.due_at, scope.zone), Outbox.kind, Outbox.channel, Outbox.last_error, func.count())
        .where(Outbox.status == OutboxStatus.SKIPPED_POLICY, scope.within(Outbox.due_at), scope.on_channel(Outbox.channel))
        .group_by(*BY_FIRST_THREE, text("4"))
    )
    return by_day(rows, lambda kind, channel, reason, n: {"skipped": {key(kind, channel, reason or ""): n}})


def finish_skipped(part: dict[str, int]) -> list[dict[str, Any]]:
    """The most frequent first (ties in a stable order)."""
    rows = [dict(zip(("kind", "channel", "reason"), json.loads(group)), count=n) for group, n in part.items()]
    return sorted(rows, key=lambda row: (-row["count"], row["kind"], row["channel"], row["reason"]))


def _asked_kind() -> ColumnElement[str]:
    """Which survey an outgoing row asked: CSAT rides on the thank-you, NPS and CES are keyed by kind."""
    return case(
        (Outbox.kind == OutboxKind.THANKS, SurveyKind.CSAT.value),
        (Outbox.dedupe_key.like("nps:%"), SurveyKind.NPS.value),
        else_=SurveyKind.CES.value,
    )


ANSWER_SUMS = ("answers", "total", "satisfied", "promoters", "detractors")


async def surveys(session: AsyncSession, scope: Scope) -> Days:
    """Askings by the day sent and answers by the day answered, per survey kind; the weeks
    (shop time) are drawn from the days when the figures are finished."""
    asked = await session.execute(
        select(day_of(session, Outbox.sent_at, scope.zone), _asked_kind(), func.count())
        .where(Outbox.status == OutboxStatus.SENT, scope.within(Outbox.sent_at), scope.on_channel(Outbox.channel),
               Outbox.kind.in_((OutboxKind.THANKS, OutboxKind.SURVEY)),
               or_(Outbox.kind == OutboxKind.THANKS, Outbox.dedupe_key.like("nps:%"), Outbox.dedupe_key.like("ces:%")))
        .group_by(*BY_FIRST_TWO)
    )
    score = SurveyAnswer.score
    answers = await session.execute(
        select(day_of(session, SurveyAnswer.answered_at, scope.zone), SurveyAnswer.kind, func.count(), func.sum(score),
               func.count(case((score >= SATISFIED, 1))), func.count(case((score >= PROMOTER, 1))),
               func.count(case((score <= DETRACTOR, 1))))
        .where(scope.within(SurveyAnswer.answered_at), scope.reaches(SurveyAnswer.contact_id))
        .group_by(*BY_FIRST_TWO)
    )
    days = by_day(asked, lambda kind, n: {kind: {"asked": n}})
    merge(days, by_day(answers, lambda kind, n, total, *counts: {kind: dict(zip(ANSWER_SUMS, (n, int(total or 0), *counts)))}))
    return {day: {"surveys": {monday(day).isoformat(): kinds}} for day, kinds in days.items()}


def finish_surveys(part: dict[str, dict[str, dict[str, int]]]) -> dict[str, Any]:
    """CSAT, NPS and CES over the period and week by week, with the share of askings answered."""
    return {kind.value: _survey(kind, {date.fromisoformat(week): kinds.get(kind.value, {}) for week, kinds in part.items()})
            for kind in SurveyKind}


def _survey(kind: SurveyKind, weeks: dict[date, dict[str, int]]) -> dict[str, Any]:
    every = sorted(week for week, sums in weeks.items() if sums)
    sums = {name: sum(weeks[w].get(name, 0) for w in every) for name in ("asked", *ANSWER_SUMS)}
    return {
        **_score(kind, sums), "asked": sums["asked"], "response_rate_pct": pct(sums["answers"], sums["asked"]),
        "weeks": [{"week": w.isoformat(), "asked": weeks[w].get("asked", 0),
                   "response_rate_pct": pct(weeks[w].get("answers", 0), weeks[w].get("asked", 0)),
                   **_score(kind, weeks[w])} for w in every],
    }


def _score(kind: SurveyKind, sums: dict[str, int]) -> dict[str, Any]:
    """The headline of summed answers (count, score total, satisfied, promoters, detractors)."""
    n, total, satisfied, promoters, detractors = (sums.get(name, 0) for name in ANSWER_SUMS)
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


async def low_scores(session: AsyncSession, scope: Scope) -> Days:
    rows = await session.execute(
        select(day_of(session, SurveyAnswer.answered_at, scope.zone), func.count(), func.count(case((recovery_reached(), 1))))
        .where(low_answers(scope)).group_by(text("1"))
    )
    return by_day(rows, lambda low, reached: {"low_scores": {"count": low, "reached": reached}})


def finish_low_scores(part: dict[str, int]) -> dict[str, Any]:
    low, reached = part.get("count", 0), part.get("reached", 0)
    return {"count": low, "reached": reached, "reached_pct": pct(reached, low)}


def redeemed_coupons(scope: Scope) -> ColumnElement[bool]:
    return and_(scope.within(Coupon.issued_at), Coupon.redeemed_at.is_not(None), scope.reaches(Coupon.contact_id))


async def coupons(session: AsyncSession, scope: Scope) -> Days:
    """Coupons issued, those redeemed, and what the orders they paid for were worth, by the day issued."""
    issued = await session.execute(
        select(day_of(session, Coupon.issued_at, scope.zone), func.count())
        .where(scope.within(Coupon.issued_at), scope.reaches(Coupon.contact_id)).group_by(text("1"))
    )
    redeemed = await session.execute(
        select(day_of(session, Coupon.issued_at, scope.zone), func.count(Coupon.id), func.coalesce(func.sum(Order.total), 0))
        .select_from(Coupon).outerjoin(Order, Order.code == Coupon.redeemed_order_code).where(redeemed_coupons(scope))
        .group_by(text("1"))
    )
    return merge(by_day(issued, lambda n: {"coupons": {"issued": n}}),
                 by_day(redeemed, lambda n, revenue: {"coupons": {"redeemed": n, "revenue": int(revenue)}}))


def finish_coupons(part: dict[str, int]) -> dict[str, Any]:
    issued, redeemed = part.get("issued", 0), part.get("redeemed", 0)
    return {"issued": issued, "redeemed": redeemed, "redemption_rate_pct": pct(redeemed, issued),
            "revenue": part.get("revenue", 0)}


async def handoffs(session: AsyncSession, scope: Scope) -> Days:
    """Handoffs opened, by day and by who replied: every duration is kept (to the second's
    fraction), so medians and 90th percentiles over any set of days stay exact."""
    rows = (await session.execute(
        select(day_of(session, Handoff.requested_at, scope.zone), Handoff.staff_id, Handoff.requested_at,
               Handoff.first_response_at, Handoff.resolved_at)
        .where(scope.within(Handoff.requested_at), scope.reaches(_contact_of(Handoff.conversation_id)))
    )).all()
    days = by_day(rows, lambda staff_id, at, first, done: {"handoffs": {"" if staff_id is None else str(staff_id): {
        "opened": 1, "first": [] if first is None else [(first - at).total_seconds()],
        "resolved": [] if done is None else [(done - at).total_seconds()]}}})
    for parts in days.values():  # sorted runs: the period's durations then sort as a merge of them
        for times in parts["handoffs"].values():
            times["first"].sort()
            times["resolved"].sort()
    return days


async def staff_names(session: AsyncSession, _scope: Scope) -> dict[int, str]:
    """Names as they are now, for the handoff table (a roll-up keeps only who it was)."""
    return {staff_id: name for staff_id, name in await session.execute(select(Staff.id, Staff.name))}


def finish_handoffs(part: dict[str, dict[str, Any]], staff: dict[int, str]) -> dict[str, Any]:
    """Time to the first staff reply and to resolution, overall and by who replied."""
    people = [(None if who == "" else int(who), times) for who, times in part.items()]
    every: dict[str, Any] = {}
    for _, times in people:
        merge(every, times)
    by_staff = [{"staff_id": staff_id, "name": staff.get(staff_id, "") if staff_id is not None else "", **_times(times)}
                for staff_id, times in people]
    by_staff.sort(key=lambda row: (row["staff_id"] is None, row["name"]))
    return {**_times(every), "by_staff": by_staff}


def _contact_of(conversation_id: Any) -> Any:
    return select(Conversation.contact_id).where(Conversation.id == conversation_id).scalar_subquery()


def _times(times: dict[str, Any]) -> dict[str, Any]:
    first, resolved = sorted(times.get("first", [])), sorted(times.get("resolved", []))
    return {"opened": times.get("opened", 0), "resolved": len(resolved),
            "first_response_median_s": median(first), "first_response_p90_s": p90(first),
            "resolution_median_s": median(resolved), "resolution_p90_s": p90(resolved)}


def placed_orders(scope: Scope) -> ColumnElement[bool]:
    return and_(scope.within(Order.created_at), scope.reaches(Order.contact_id), Order.direction == OUTBOUND)


async def orders(session: AsyncSession, scope: Scope) -> Days:
    """Of the orders placed, by the day placed: cancelled, and returned or on their way back as
    the carrier reports them (refused at the door); the customers' own returns are under "returns"."""
    rows = await session.execute(
        select(day_of(session, Order.created_at, scope.zone), func.count(),
               func.count(case((Order.status == CanonicalStatus.CANCELLED, 1))),
               func.count(case((Order.status.in_(RETURNS), 1))))
        .where(placed_orders(scope)).group_by(text("1"))
    )
    return by_day(rows, lambda placed, cancelled, returned: {"orders": {
        "placed": placed, "cancelled": cancelled, "returns": returned}})


def finish_orders(part: dict[str, int]) -> dict[str, Any]:
    placed, cancelled, returned = part.get("placed", 0), part.get("cancelled", 0), part.get("returns", 0)
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
    waits = sorted((done - asked).total_seconds() for asked, done in refunds if asked is not None)
    return {"requests": total,  # per 100 orders delivered: `figures` adds it from the delivered part
            "reasons": {str(k): v for k, v in by_reason.items()},
            "resolutions": {str(k): v for k, v in by_resolution.items()}, "resolved": resolved,
            "request_to_refund_median_s": median(waits), "request_to_refund_p90_s": p90(waits),
            "without_a_person": without_person, "without_a_person_pct": pct(without_person, total)}


DAILY: dict[str, Callable[[AsyncSession, Scope], Awaitable[Days]]] = {
    "wismo": wismo, "notices": notices, "skipped": skipped, "surveys": surveys, "low_scores": low_scores,
    "coupons": coupons, "handoffs": handoffs, "orders": orders, "delivered": delivered,
}  # the parts rolled up by day; "returns" (a few rows, whose states move for weeks) is always counted live


def day_of(session: AsyncSession, column: Any, zone: ZoneInfo) -> ColumnElement[Any]:
    """The shop day a moment falls on (SQLite has no time zones: it shifts by
    the zone's offset now, as Vietnam keeps one offset all year)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone(zone.key, column))
    offset = datetime.now(zone).utcoffset() or timedelta()
    return func.date(column, f"{int(offset.total_seconds()) // 60:+d} minutes")


def monday(day: date) -> date:
    """The Monday of a day's week, as PostgreSQL's date_trunc('week') draws it."""
    return day - timedelta(days=day.weekday())


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


def median(ordered: list[float]) -> float | None:
    """Of values already in order (a year of handoffs is sorted once, not once per figure)."""
    if not ordered:
        return None
    middle = len(ordered) // 2
    return round(ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2, 1)


def p90(ordered: list[float]) -> float | None:
    """Nearest rank, of values already in order: the smallest value at or above which 10 % of the values lie."""
    return round(ordered[math.ceil(0.9 * len(ordered)) - 1], 1) if ordered else None


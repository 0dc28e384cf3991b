"""What each assigned order's customer did afterwards, read from the rows Haumai already keeps.

WISMO contacts: inbound messages classified `where_is_my_order` from the order's customer within
WISMO_WINDOW of the order (a message goes to their latest order placed before it). Cancellation:
the order's status. CSAT and NPS: the surveys answered about the order. Coupon redemption: the
order's thank-you coupon, where one was issued. Repeat purchase within 30/60/90 days: another
order of the same customer, known only once the window has passed (None before, so young orders
do not count as "did not come back"). Returns: the order's status (returning or returned), the
only record of a return until the returns issue adds its own table. Customers who opted out
since are left out altogether: an opt-out is never counted as an arm's effect.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.nlu import Intent
from bot.storage.models import (
    Contact, Conversation, Coupon, ExperimentAssignment, MessageRecord, Order, SurveyAnswer,
)
from carriers.models import CanonicalStatus

WISMO_WINDOW = timedelta(days=14)
RETURNS = (CanonicalStatus.RETURNING, CanonicalStatus.RETURNED)
REPEAT_DAYS = (30, 60, 90)


@dataclass(slots=True)
class OrderOutcome:
    order_id: int
    arm: str
    contact_id: int | None
    placed_at: datetime
    cancelled: bool
    returned: bool
    wismo: int = 0
    csat: int | None = None
    nps: int | None = None
    coupon_redeemed: bool | None = None
    repeat: dict[int, bool | None] = field(default_factory=dict)


async def outcomes_of(session: AsyncSession, experiment_id: int, now: datetime) -> list[OrderOutcome]:
    """Every counted order of the experiment with what followed it."""
    orders = await _assigned(session, experiment_id)
    await _add_wismo(session, experiment_id, orders)
    await _add_surveys(session, experiment_id, orders)
    await _add_coupons(session, experiment_id, orders)
    await _add_repeats(session, experiment_id, orders, now)
    return list(orders.values())


def _assigned_ids(experiment_id: int) -> Any:
    return select(ExperimentAssignment.order_id).where(ExperimentAssignment.experiment_id == experiment_id)


def _assigned_contacts(experiment_id: int) -> Any:
    return select(ExperimentAssignment.contact_id).where(ExperimentAssignment.experiment_id == experiment_id)


async def _assigned(session: AsyncSession, experiment_id: int) -> dict[int, OrderOutcome]:
    rows = await session.execute(
        select(ExperimentAssignment.order_id, ExperimentAssignment.arm, Order.contact_id, Order.created_at, Order.status)
        .join(Order, Order.id == ExperimentAssignment.order_id)
        .outerjoin(Contact, Contact.id == Order.contact_id)
        .where(ExperimentAssignment.experiment_id == experiment_id,
               Contact.opted_out_at.is_(None), Contact.notices_off.is_not(True))
    )
    return {
        row.order_id: OrderOutcome(row.order_id, row.arm, row.contact_id, row.created_at,
                                   cancelled=row.status == CanonicalStatus.CANCELLED, returned=row.status in RETURNS)
        for row in rows
    }


def _by_contact(orders: dict[int, OrderOutcome]) -> dict[int, list[OrderOutcome]]:
    """Each customer's counted orders, oldest first."""
    grouped: dict[int, list[OrderOutcome]] = defaultdict(list)
    for outcome in sorted(orders.values(), key=lambda o: o.placed_at):
        if outcome.contact_id is not None:
            grouped[outcome.contact_id].append(outcome)
    return grouped


async def _add_wismo(session: AsyncSession, experiment_id: int, orders: dict[int, OrderOutcome]) -> None:
    asked = await session.execute(
        select(Conversation.contact_id, MessageRecord.created_at)
        .join(Conversation, Conversation.id == MessageRecord.conversation_id)
        .where(MessageRecord.intent == Intent.WHERE_IS_MY_ORDER, MessageRecord.direction == "in",
               Conversation.contact_id.in_(_assigned_contacts(experiment_id)))
    )
    by_contact = _by_contact(orders)
    placed = {contact: [o.placed_at for o in outcomes] for contact, outcomes in by_contact.items()}
    for contact_id, at in asked:
        times = placed.get(contact_id, [])
        index = bisect.bisect_right(times, at) - 1
        if index >= 0 and at - times[index] < WISMO_WINDOW:
            by_contact[contact_id][index].wismo += 1


async def _add_surveys(session: AsyncSession, experiment_id: int, orders: dict[int, OrderOutcome]) -> None:
    answers = await session.execute(
        select(SurveyAnswer.subject_id, SurveyAnswer.kind, SurveyAnswer.score)
        .where(SurveyAnswer.kind.in_(("csat", "nps")), SurveyAnswer.subject_id.in_(_assigned_ids(experiment_id)))
    )
    for order_id, kind, score in answers:
        if order_id in orders:
            setattr(orders[order_id], kind, score)


async def _add_coupons(session: AsyncSession, experiment_id: int, orders: dict[int, OrderOutcome]) -> None:
    coupons = await session.execute(
        select(Coupon.order_id, Coupon.redeemed_at).where(Coupon.order_id.in_(_assigned_ids(experiment_id)))
    )
    for order_id, redeemed_at in coupons:
        if order_id in orders:
            orders[order_id].coupon_redeemed = redeemed_at is not None


async def _add_repeats(session: AsyncSession, experiment_id: int, orders: dict[int, OrderOutcome], now: datetime) -> None:
    later = await session.execute(
        select(Order.contact_id, Order.created_at)
        .where(and_(Order.contact_id.in_(_assigned_contacts(experiment_id)), Order.status != CanonicalStatus.CANCELLED))
    )
    bought: dict[int | None, list[datetime]] = defaultdict(list)
    for contact_id, at in later:
        bought[contact_id].append(at)
    for times in bought.values():
        times.sort()
    for outcome in orders.values():
        times = bought.get(outcome.contact_id, []) if outcome.contact_id is not None else []
        following = times[bisect.bisect_right(times, outcome.placed_at):]
        for days in REPEAT_DAYS:
            window = timedelta(days=days)
            if now - outcome.placed_at < window:
                outcome.repeat[days] = None
            else:
                outcome.repeat[days] = any(at - outcome.placed_at <= window for at in following)

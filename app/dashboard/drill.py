"""The rows behind a figure: the conversations or orders it counted, through the very
predicates app/figures.py counts with, so a list never disagrees with its number."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from sqlalchemy import case, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.figures import (
    RETURNS, Scope, low_answers, placed_orders, recovery_reached, redeemed_coupons, went_to_a_person, wismo_questions,
)
from bot.outbox import OutboxStatus
from bot.storage.models import Contact, Conversation, Coupon, Handoff, MessageRecord, Order, Outbox, Staff, SurveyAnswer
from carriers.models import CanonicalStatus

LIMIT = 500  # newest first; the figure itself counts them all


@dataclass(frozen=True, slots=True)
class Drill:
    """One list: its columns (word keys), and the query giving rows as dicts with `link`."""

    columns: tuple[str, ...]
    rows: Callable[[AsyncSession, Scope], Awaitable[list[dict[str, Any]]]]


def conversation_link(conversation_id: int | None) -> str:
    return f"/inbox/c/{conversation_id}" if conversation_id else ""


def order_link(code: str) -> str:
    """The inbox finds the customer behind an order code."""
    return f"/inbox?q={code}"


async def _wismo(session: AsyncSession, scope: Scope) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(MessageRecord.created_at, MessageRecord.conversation_id, Contact.name, MessageRecord.channel,
               MessageRecord.text, case((went_to_a_person(session), False), else_=True))
        .join(Conversation, Conversation.id == MessageRecord.conversation_id).join(Contact, Contact.id == Conversation.contact_id)
        .where(wismo_questions(scope)).order_by(MessageRecord.created_at.desc()).limit(LIMIT)
    )
    return [{"at": at, "customer": name, "channel": channel, "text": text[:120], "deflected": deflected,
             "link": conversation_link(cid)} for at, cid, name, channel, text, deflected in rows]


async def _low_scores(session: AsyncSession, scope: Scope) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(SurveyAnswer.answered_at, SurveyAnswer.kind, SurveyAnswer.score, Contact.name, Conversation.id,
               case((recovery_reached(), True), else_=False))
        .outerjoin(Contact, Contact.id == SurveyAnswer.contact_id).outerjoin(Conversation, Conversation.contact_id == Contact.id)
        .where(low_answers(scope)).order_by(SurveyAnswer.answered_at.desc()).limit(LIMIT)
    )
    return [{"at": at, "kind": kind, "score": score, "customer": name or "", "reached": reached,
             "link": conversation_link(cid)} for at, kind, score, name, cid, reached in rows]


async def _coupons(session: AsyncSession, scope: Scope) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(Coupon.redeemed_at, Coupon.code, Coupon.redeemed_order_code, Order.total)
        .outerjoin(Order, Order.code == Coupon.redeemed_order_code)
        .where(redeemed_coupons(scope)).order_by(Coupon.redeemed_at.desc()).limit(LIMIT)
    )
    return [{"at": at, "coupon": code, "order": order_code or "", "total": total,
             "link": order_link(order_code) if order_code else ""} for at, code, order_code, total in rows]


async def _handoffs(session: AsyncSession, scope: Scope) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(Handoff.requested_at, Handoff.conversation_id, Contact.name, Handoff.reason, Staff.name,
               Handoff.first_response_at, Handoff.resolved_at)
        .join(Conversation, Conversation.id == Handoff.conversation_id).join(Contact, Contact.id == Conversation.contact_id)
        .outerjoin(Staff, Staff.id == Handoff.staff_id)
        .where(scope.within(Handoff.requested_at), scope.reaches(Conversation.contact_id))
        .order_by(Handoff.requested_at.desc()).limit(LIMIT)
    )
    return [{"at": at, "customer": customer, "reason": reason, "staff": staff or "",
             "first_response_s": (first - at).total_seconds() if first else None,
             "resolution_s": (done - at).total_seconds() if done else None, "link": conversation_link(cid)}
            for at, cid, customer, reason, staff, first, done in rows]


def _orders_in(*statuses: str) -> Callable[[AsyncSession, Scope], Awaitable[list[dict[str, Any]]]]:
    async def rows(session: AsyncSession, scope: Scope) -> list[dict[str, Any]]:
        found = await session.execute(
            select(Order.created_at, Order.code, Order.customer_name, Order.status, Order.total)
            .where(placed_orders(scope), Order.status.in_(statuses)).order_by(Order.created_at.desc()).limit(LIMIT)
        )
        return [{"at": at, "order": code, "customer": name, "status": status, "total": total, "link": order_link(code)}
                for at, code, name, status, total in found]
    return rows


async def _skipped(session: AsyncSession, scope: Scope) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(Outbox.due_at, Outbox.kind, Outbox.channel, Outbox.last_error, Outbox.conversation_id, Order.code)
        .outerjoin(Order, Order.id == Outbox.order_id)
        .where(Outbox.status == OutboxStatus.SKIPPED_POLICY, scope.within(Outbox.due_at), scope.on_channel(Outbox.channel))
        .order_by(Outbox.due_at.desc()).limit(LIMIT)
    )
    return [{"at": at, "kind": kind, "channel": channel, "reason": reason or "", "order": code or "",
             "link": order_link(code) if code else conversation_link(cid)} for at, kind, channel, reason, cid, code in rows]


DRILLS = {
    "wismo": Drill(("at", "customer", "channel", "text", "deflected"), _wismo),
    "low_scores": Drill(("at", "kind", "score", "customer", "reached"), _low_scores),
    "coupons": Drill(("at", "coupon", "order", "total"), _coupons),
    "handoffs": Drill(("at", "customer", "reason", "staff", "first_response_s", "resolution_s"), _handoffs),
    "cancelled": Drill(("at", "order", "customer", "status", "total"), _orders_in(CanonicalStatus.CANCELLED)),
    "returns": Drill(("at", "order", "customer", "status", "total"), _orders_in(*RETURNS)),
    "skipped": Drill(("at", "kind", "channel", "reason", "order"), _skipped),
}

"""What staff see: the conversation list (people-needed first) and one customer, whole."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVarTuple, Unpack

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.orders import order_view, orders_of
from bot.storage.models import (
    Contact, Conversation, ConversationMode, Coupon, Identity, MessageRecord, Note, Order, OrderEvent, SurveyAnswer,
)

PAGE = 50
_Row = TypeVarTuple("_Row")


@dataclass(frozen=True, slots=True)
class Filters:
    channel: str | None = None
    status: str | None = None  # human | bot | mine
    search: str = ""
    page: int = 1


def _filtered(query: Select[Unpack[_Row]], filters: Filters, staff_id: int) -> Select[Unpack[_Row]]:
    if filters.status == "mine":
        query = query.where(Conversation.assigned_staff_id == staff_id)
    elif filters.status in (ConversationMode.HUMAN, ConversationMode.BOT):
        query = query.where(Conversation.mode == filters.status)
    if filters.channel:
        query = query.where(Conversation.contact_id.in_(select(Identity.contact_id).where(Identity.channel == filters.channel)))
    if filters.search:
        like = f"%{filters.search.strip()}%"
        orders = select(Order.contact_id).where(Order.code.ilike(like))
        query = query.where(or_(Contact.name.ilike(like), Contact.phone.ilike(like), Contact.id.in_(orders)))
    return query


async def conversation_list(session: AsyncSession, filters: Filters, staff_id: int) -> list[dict[str, Any]]:
    """Waiting for a person first, then mine, then the rest; newest activity first."""
    waiting = case((Conversation.assigned_staff_id.is_(None), 0), else_=1)
    needs_person = case((Conversation.mode == ConversationMode.HUMAN, waiting), else_=2)
    mine = case((Conversation.assigned_staff_id == staff_id, 0), else_=1)
    query = _filtered(
        select(Conversation, Contact).join(Contact, Contact.id == Conversation.contact_id), filters, staff_id
    ).order_by(needs_person, mine, Conversation.last_message_at.desc().nulls_last(), Conversation.id.desc())
    rows = await session.execute(query.limit(PAGE).offset((max(filters.page, 1) - 1) * PAGE))
    return [_row(conversation, contact) for conversation, contact in rows.all()]


def _row(conversation: Conversation, contact: Contact) -> dict[str, Any]:
    return {
        "id": conversation.id, "name": contact.name or f"#{contact.id}", "phone": contact.phone,
        "mode": conversation.mode, "reason": conversation.handoff_reason, "assigned": conversation.assigned_staff_id,
        "unread": conversation.unread,
        "waiting_since": conversation.handoff_at if conversation.mode == ConversationMode.HUMAN else None,
        "last_message_at": conversation.last_message_at,
    }


async def waiting_count(session: AsyncSession) -> int:
    return int(await session.scalar(
        select(func.count())
        .where(Conversation.mode == ConversationMode.HUMAN, Conversation.assigned_staff_id.is_(None))
    ) or 0)


async def customer_card(session: AsyncSession, conversation: Conversation) -> dict[str, Any]:
    contact = await session.get_one(Contact, conversation.contact_id)
    orders = await orders_of(session, contact)
    return {
        "contact": contact, "segment": segment(len(orders)),
        "identities": list(await session.scalars(select(Identity).where(Identity.contact_id == contact.id))),
        "orders": [{**order_view(o), "timeline": await _timeline(session, o.id)} for o in orders[:10]],
        "coupons": list(await session.scalars(select(Coupon).where(Coupon.contact_id == contact.id))),
        "surveys": list(await session.scalars(select(SurveyAnswer).where(SurveyAnswer.contact_id == contact.id))),
    }


def segment(order_count: int) -> str:
    """A glance at who this is: first order, returning, or loyal customer."""
    return "loyal" if order_count >= 5 else "returning" if order_count >= 2 else "new"


async def _timeline(session: AsyncSession, order_id: int) -> list[OrderEvent]:
    return list(await session.scalars(
        select(OrderEvent).where(OrderEvent.order_id == order_id).order_by(OrderEvent.occurred_at)
    ))


async def history(session: AsyncSession, conversation_id: int, limit: int = 200) -> list[MessageRecord | Note]:
    """Messages across every channel of the customer, with staff notes in between."""
    messages = list(await session.scalars(
        select(MessageRecord).where(MessageRecord.conversation_id == conversation_id).order_by(MessageRecord.id.desc()).limit(limit)
    ))
    notes = list(await session.scalars(select(Note).where(Note.conversation_id == conversation_id)))
    return sorted([*messages, *notes], key=lambda item: (item.created_at, item.id))


def waited(since: datetime | None, now: datetime) -> str:
    if since is None:
        return ""
    minutes = int((now - since).total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"

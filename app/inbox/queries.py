"""What staff see: the conversation list (people-needed first) and one customer, whole."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVarTuple, Unpack

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.orders import order_view, orders_of
from bot.returns.views import requests_of
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
    rows = (await session.execute(query.limit(PAGE).offset((max(filters.page, 1) - 1) * PAGE))).all()
    names = await order_names(session, [contact for _, contact in rows if not contact.name])
    return [_row(conversation, contact, names.get(contact.id, "")) for conversation, contact in rows]


async def order_names(session: AsyncSession, contacts: list[Contact]) -> dict[int, str]:
    """The name on each contact's latest order, for customers whose chat told us none (web chat, Zalo)."""
    if not contacts:
        return {}
    found = await session.execute(
        select(Order.contact_id, Order.customer_name)
        .where(Order.contact_id.in_([c.id for c in contacts]), Order.customer_name != "")
        .order_by(Order.id)
    )
    return {contact_id: name for contact_id, name in found.all() if contact_id is not None}  # the latest wins


def masked(phone: str | None) -> str:
    """Enough of a phone to tell customers apart at a glance, not enough to call them."""
    if not phone:
        return ""
    return phone[:3] + "•" * max(len(phone) - 6, 0) + phone[-3:] if len(phone) > 6 else "•" * len(phone)


def display_name(contact: Contact, order_name: str = "") -> str:
    """The customer's name, from their chat or their orders; else their masked phone ("" if neither)."""
    return contact.name or order_name or masked(contact.phone)


def state_of(conversation: Conversation) -> str:
    """The state a person reading the list needs: waiting for someone, with someone, resolved by
    staff and back with the bot, or simply with the bot (a handoff released unresolved included)."""
    if conversation.mode == ConversationMode.HUMAN:
        return "with_staff" if conversation.assigned_staff_id is not None else "waiting"
    resolved, handed = conversation.resolved_at, conversation.handoff_at
    if conversation.mode == ConversationMode.BOT and resolved is not None and (handed is None or resolved >= handed):
        return "resolved"
    return str(conversation.mode)


def _row(conversation: Conversation, contact: Contact, order_name: str) -> dict[str, Any]:
    state = state_of(conversation)
    return {
        "id": conversation.id, "name": display_name(contact, order_name), "contact_id": contact.id,
        "phone": contact.phone, "state": state, "mode": conversation.mode,
        "reason": conversation.handoff_reason if state in ("waiting", "with_staff") else None,
        "assigned": conversation.assigned_staff_id, "unread": conversation.unread,
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
        "contact": contact, "segment": segment(len(orders)), "state": state_of(conversation),
        "name": display_name(contact, next((o.customer_name for o in orders if o.customer_name), "")),
        "identities": list(await session.scalars(select(Identity).where(Identity.contact_id == contact.id))),
        "orders": [{**order_view(o), "timeline": await _timeline(session, o.id)} for o in orders[:10]],
        "coupons": list(await session.scalars(select(Coupon).where(Coupon.contact_id == contact.id))),
        "surveys": list(await session.scalars(select(SurveyAnswer).where(SurveyAnswer.contact_id == contact.id))),
        "returns": await requests_of(session, contact.id),  # returns and exchanges (issue 15)
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


def waited(since: datetime | None, now: datetime, words: dict[str, Any]) -> str:
    """How long a customer has waited, in the reader's language."""
    if since is None:
        return ""
    minutes = int((now - since).total_seconds() // 60)
    if minutes >= 60:
        return str(words["waited_hours"]).format(h=minutes // 60, m=minutes % 60)
    return str(words["waited_minutes"]).format(m=minutes)

"""Finding a customer's orders and presenting one to a template, without leaking others'."""

from __future__ import annotations

from datetime import datetime, timedelta
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Contact, Order
from carriers.models import TERMINAL
from carriers.registry import tracking_url

RECENT = timedelta(days=14)


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A real change of an order's merged status (tracking.timeline), which drives customer notices."""

    order_id: int
    previous: str
    current: str
    occurred_at: datetime


def _owned_by(contact: Contact) -> Any:
    if contact.phone and contact.phone_verified:
        return or_(Order.contact_id == contact.id, Order.phone == contact.phone)
    return Order.contact_id == contact.id


def owns(contact: Contact, order: Order) -> bool:
    """`_owned_by` for an order already loaded: linked to this contact, or their verified phone's."""
    return order.contact_id == contact.id or bool(contact.phone_verified and contact.phone and order.phone == contact.phone)


_NEWEST_FIRST = (Order.created_at.desc(), Order.id.desc())
_OF_CONTACT = select(Order).where(Order.contact_id == bindparam("contact")).order_by(*_NEWEST_FIRST).limit(50)
_OF_CONTACT_OR_PHONE = (
    select(Order)
    .where(or_(Order.contact_id == bindparam("contact"), Order.phone == bindparam("phone")))
    .order_by(*_NEWEST_FIRST)
    .limit(50)
)


async def orders_of(session: AsyncSession, contact: Contact) -> list[Order]:
    """The customer's orders, newest first: those linked to them, and their verified phone's.

    Asked on every "where is my order?", so both forms of the statement are built once
    (`_owned_by` spells the same rule for statements that take more criteria).
    """
    if contact.phone and contact.phone_verified:
        found = await session.scalars(_OF_CONTACT_OR_PHONE, {"contact": contact.id, "phone": contact.phone})
    else:
        found = await session.scalars(_OF_CONTACT, {"contact": contact.id})
    return list(found)


async def orders_to_report(session: AsyncSession, contact: Contact, now: datetime) -> list[Order]:
    """Active orders; if none, the latest one finished recently (its outcome is the answer)."""
    orders = await orders_of(session, contact)
    active = [o for o in orders if o.status not in TERMINAL]
    if active:
        return active
    recent = [o for o in orders if o.updated_at >= now - RECENT]
    return recent[:1]


_BY_CODE = select(Order).where(Order.code == bindparam("code"))
_BY_CODE_ANY_CASE = select(Order).where(func.upper(Order.code) == bindparam("code")).limit(1)


async def order_by_code(session: AsyncSession, code: str) -> Order | None:
    """Asked on most turns, so the statements are built once (building them cost more than running them)."""
    exact = await session.scalar(_BY_CODE, {"code": code})
    if exact is not None:
        return exact
    return await session.scalar(_BY_CODE_ANY_CASE, {"code": code.upper()})


async def owned_order(session: AsyncSession, contact: Contact, **criteria: str | int) -> Order | None:
    """An order matching `id=`, `code=` or `tracking_code=` only if it belongs to this contact."""
    conditions = [getattr(Order, field) == value for field, value in criteria.items()]
    return await session.scalar(select(Order).where(_owned_by(contact), *conditions).limit(1))


def status_view(order: Order) -> dict[str, Any]:
    """What an order code alone may tell whoever holds it: no tracking, location or shipper."""
    return {"code": order.code, "status": order.status, "eta": order.eta}


def order_view(order: Order) -> dict[str, Any]:
    """The mapping templates receive; identical for replies and proactive notices."""
    return {
        "code": order.code,
        "status": order.status,
        "carrier": order.carrier,
        "tracking_code": order.tracking_code,
        "tracking_url": tracking_url(order.carrier, order.tracking_code),
        "eta": order.eta,
        "total": order.total,
        "items": order.items,
        "shipper_name": order.shipper_name,
        "shipper_phone": order.shipper_phone,
        "last_location": order.last_location,
        "updated_at": order.status_at or order.updated_at,
        "customer_name": order.customer_name,
    }

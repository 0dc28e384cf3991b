"""Finding a customer's orders and presenting one to a template, without leaking others'."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any, Iterable

from sqlalchemy import bindparam, event, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session

from bot.storage.dialect import one_of
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


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """An order as a turn reads it, straight from its row: a turn only reads the order it talks
    about, and loading it as an ORM object cost more than the query (issue 12's profile)."""

    id: int
    code: str
    contact_id: int | None
    customer_name: str
    phone: str | None
    items: list[Any]
    total: int
    carrier: str | None
    tracking_code: str | None
    eta: date | None
    status: str
    status_at: datetime | None
    shipper_name: str | None
    shipper_phone: str | None
    last_location: str | None
    updated_at: datetime


OrderRead = Order | OrderFacts  # what presenting an order needs; both have these attributes
_orders = Order.__table__
_FACTS = [_orders.c[field.name] for field in fields(OrderFacts)]


def _owned_by(contact: Contact) -> Any:
    if contact.phone and contact.phone_verified:
        return or_(Order.contact_id == contact.id, Order.phone == contact.phone)
    return Order.contact_id == contact.id


def owns(contact: Contact, order: OrderRead) -> bool:
    """`_owned_by` for an order already loaded: linked to this contact, or their verified phone's."""
    return order.contact_id == contact.id or bool(contact.phone_verified and contact.phone and order.phone == contact.phone)


_NEWEST_FIRST = (_orders.c.created_at.desc(), _orders.c.id.desc())
_OF_CONTACT = select(*_FACTS).where(_orders.c.contact_id == bindparam("contact")).order_by(*_NEWEST_FIRST).limit(50)
_OF_CONTACT_OR_PHONE = (
    select(*_FACTS)
    .where(or_(_orders.c.contact_id == bindparam("contact"), _orders.c.phone == bindparam("phone")))
    .order_by(*_NEWEST_FIRST)
    .limit(50)
)


async def orders_of(session: AsyncSession, contact: Contact) -> list[OrderFacts]:
    """The customer's orders, newest first: those linked to them, and their verified phone's.

    Asked on every "where is my order?", so both forms of the statement are built once
    (`_owned_by` spells the same rule for statements that take more criteria).
    """
    if contact.phone and contact.phone_verified:
        found = await session.execute(_OF_CONTACT_OR_PHONE, {"contact": contact.id, "phone": contact.phone})
    else:
        found = await session.execute(_OF_CONTACT, {"contact": contact.id})
    return [OrderFacts(*row) for row in found]


async def orders_to_report(session: AsyncSession, contact: Contact, now: datetime) -> list[OrderFacts]:
    """Active orders; if none, the latest one finished recently (its outcome is the answer)."""
    orders = await orders_of(session, contact)
    active = [o for o in orders if o.status not in TERMINAL]
    if active:
        return active
    recent = [o for o in orders if o.updated_at >= now - RECENT]
    return recent[:1]


def _by_code(*columns: Any) -> tuple[Any, Any]:
    """The exact code first (its unique index), then any case (shops' codes are often typed in lower case)."""
    return (select(*columns).where(_orders.c.code == bindparam("code")),
            select(*columns).where(func.upper(_orders.c.code) == bindparam("code")).limit(1))


# Asked on most turns, so the statements are built once (building them cost more than running them).
_BY_CODE = _by_code(Order)
_FACTS_BY_CODE = _by_code(*_FACTS)


async def order_by_code(session: AsyncSession, code: str) -> Order | None:
    """The order to change (link, update) by its code."""
    exact, any_case = _BY_CODE
    found = await session.scalar(exact, {"code": code})
    return found if found is not None else await session.scalar(any_case, {"code": code.upper()})


_ASKED = "haumai.orders.asked"  # the order codes the batch's turns ask about (share_batch)
_READ = "haumai.orders.read"  # code → its order's facts (None: no order has exactly this code)
_FACTS_OF_CODES = select(*_FACTS).where(one_of(_orders.c.code, "codes"))


def share_batch(session: AsyncSession, codes: Iterable[str]) -> None:
    """Name the order codes this transaction's turns ask about: the first lookup then reads all
    of them in one SELECT. On PostgreSQL the lookup was the last statement, and round trip, left
    per turn (docs/performance.md).

    What was read is dropped as soon as the transaction writes to orders (a turn linking a
    verified phone's orders, a merge, an erasure), so a later turn reads again and sees it."""
    session.info[_ASKED] = set(codes)
    session.info.pop(_READ, None)
    sync = session.sync_session
    if not event.contains(sync, "do_orm_execute", _forget_on_write):
        event.listen(sync, "do_orm_execute", _forget_on_write)
        event.listen(sync, "before_flush", _forget_on_flush)


def _forget_on_write(state: ORMExecuteState) -> None:
    table = getattr(state.statement, "table", None)  # `update(Order)` names an annotated copy of the table
    if getattr(table, "name", None) == _orders.name and not state.is_select:
        state.session.info.pop(_READ, None)


def _forget_on_flush(session: Session, *_: Any) -> None:
    if any(isinstance(row, Order) for row in (*session.new, *session.dirty, *session.deleted)):
        session.info.pop(_READ, None)


async def facts_by_code(session: AsyncSession, code: str) -> OrderFacts | None:
    """The order a customer asks about by its code, to answer them (read only)."""
    found = await _exactly(session, code)
    if found is not None:
        return found
    row = (await session.execute(_FACTS_BY_CODE[1], {"code": code.upper()})).first()
    return None if row is None else OrderFacts(*row)


async def _exactly(session: AsyncSession, code: str) -> OrderFacts | None:
    asked: set[str] = session.info.get(_ASKED, set())
    if code not in asked:  # a code the batch did not name (a button's, a clarified message's)
        row = (await session.execute(_FACTS_BY_CODE[0], {"code": code})).first()
        return None if row is None else OrderFacts(*row)
    read: dict[str, OrderFacts | None] | None = session.info.get(_READ)
    if read is None:
        read = session.info[_READ] = dict.fromkeys(asked)
        for row in await session.execute(_FACTS_OF_CODES, {"codes": sorted(asked)}):
            read[row.code] = OrderFacts(*row)
    return read[code]


async def owned_order(session: AsyncSession, contact: Contact, **criteria: str | int) -> Order | None:
    """An order matching `id=`, `code=` or `tracking_code=` only if it belongs to this contact."""
    conditions = [getattr(Order, field) == value for field, value in criteria.items()]
    return await session.scalar(select(Order).where(_owned_by(contact), *conditions).limit(1))


def status_view(order: OrderRead) -> dict[str, Any]:
    """What an order code alone may tell whoever holds it: no tracking, location or shipper."""
    return {"code": order.code, "status": order.status, "eta": order.eta}


def order_view(order: OrderRead) -> dict[str, Any]:
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

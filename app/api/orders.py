"""Orders from the shop's system: upsert by code, read with timeline, report status events."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.errors import problem, read_model
from app.api.schemas import EventIn, OrderIn, iso
from app.appkeys import CLOCK, ORDER_CHANGED, RUNTIME, SESSIONS
from app.runtime import Runtime
from bot.contacts import identity_for
from bot.linktokens import make_token
from bot.orders import order_by_code, order_view
from bot.storage.models import Contact, Order, OrderEvent, Outbox
from carriers.models import CanonicalStatus
from channels.models import Address, ChannelKind
from tracking.timeline import OrderChangeHook, TimelineEvent, apply_event, shop_event_key

LINK_VALIDITY = timedelta(days=30)


async def upsert_order(
    session: AsyncSession, data: OrderIn, *, now: datetime, on_change: OrderChangeHook
) -> tuple[Order, bool]:
    """Create or update by code; one code path for the API and the CSV importer."""
    order = await order_by_code(session, data.code)
    created = order is None
    if order is None:
        order = Order(code=data.code, status=CanonicalStatus.CREATED, created_at=now, updated_at=now)
        session.add(order)
    _copy_fields(order, data, now)
    await session.flush()
    order.contact_id = await _contact_id(session, data, now) or order.contact_id
    if data.status is not None and data.status not in (order.status, await _last_shop_status(session, order)):
        event = TimelineEvent(
            status=data.status.value, occurred_at=now, source="shop",
            event_key=shop_event_key(data.status.value, now, "order upsert"), timed=False,
        )
        await _apply(session, order, event, now, on_change)
    return order, created


async def _last_shop_status(session: AsyncSession, order: Order) -> str | None:
    """What the shop said last: a shop re-sending a status the carrier has moved past is not news."""
    return await session.scalar(
        select(OrderEvent.status)
        .where(OrderEvent.order_id == order.id, OrderEvent.source == "shop", OrderEvent.status.is_not(None))
        .order_by(OrderEvent.id.desc()).limit(1)
    )


def _copy_fields(order: Order, data: OrderIn, now: datetime) -> None:
    order.customer_name = data.customer.name or order.customer_name
    order.phone = data.customer.phone or order.phone
    order.items = [item.model_dump() for item in data.items] or order.items
    order.total, order.currency = data.total or order.total, data.currency
    order.carrier = data.carrier or order.carrier
    order.tracking_code = data.tracking_code or order.tracking_code
    order.eta = data.eta or order.eta
    order.placed_at = data.placed_at or order.placed_at
    order.updated_at = now


async def _contact_id(session: AsyncSession, data: OrderIn, now: datetime) -> int | None:
    """The chat identity the shop names, else the customer whose phone was verified."""
    customer = data.customer
    if customer.channel and customer.channel_user_id:
        address = Address(ChannelKind(customer.channel), customer.channel_user_id)
        identity = await identity_for(session, address, customer.name, now)
        contact = await session.get_one(Contact, identity.contact_id)
        contact.name = contact.name or customer.name
        contact.phone = contact.phone or customer.phone
        return contact.id
    if customer.phone:
        return await session.scalar(
            select(Contact.id).where(Contact.phone == customer.phone, Contact.phone_verified.is_(True)).limit(1)
        )
    return None


async def _apply(
    session: AsyncSession, order: Order, event: TimelineEvent, now: datetime, on_change: OrderChangeHook
) -> bool:
    change = await apply_event(session, order, event, now=now)
    if change is not None:
        await on_change(session, order, change)
    return change is not None


async def describe(session: AsyncSession, order: Order) -> dict[str, Any]:
    events = await session.scalars(
        select(OrderEvent).where(OrderEvent.order_id == order.id).order_by(OrderEvent.occurred_at, OrderEvent.id)
    )
    messages = await session.scalars(select(Outbox).where(Outbox.order_id == order.id).order_by(Outbox.id))
    view = order_view(order)
    return {
        **{k: iso(v) if k in ("eta", "updated_at") else v for k, v in view.items()},
        "phone": order.phone, "currency": order.currency, "placed_at": iso(order.placed_at),
        "timeline": [
            {"status": e.status, "description": e.description, "location": e.location, "source": e.source,
             "shipper_name": e.shipper_name, "shipper_phone": e.shipper_phone, "occurred_at": iso(e.occurred_at)}
            for e in events
        ],
        "messages": [
            {"kind": m.kind, "status": m.status, "channel": m.channel, "due_at": iso(m.due_at),
             "sent_at": iso(m.sent_at), "reason": m.last_error}
            for m in messages
        ],
    }


async def post_order(request: web.Request) -> web.Response:
    data = await read_model(request, OrderIn)
    if isinstance(data, web.Response):
        return data
    try:
        body, created = await _store_order(request, data)
    except IntegrityError:  # a concurrent request created this code first: ours is now an update
        body, created = await _store_order(request, data)
    request.app[RUNTIME].get().dispatcher.wake()  # notices planned by this change go now
    return web.json_response(body, status=201 if created else 200)


async def _store_order(request: web.Request, data: OrderIn) -> tuple[dict[str, Any], bool]:
    async with request.app[SESSIONS].begin() as session:
        order, created = await upsert_order(
            session, data, now=request.app[CLOCK](), on_change=request.app[ORDER_CHANGED]
        )
        return await describe(session, order), created


async def get_order(request: web.Request) -> web.Response:
    async with request.app[SESSIONS]() as session:
        order = await order_by_code(session, request.match_info["code"])
        if order is None:
            return problem(404, "order_not_found", f"no order with code {request.match_info['code']!r}")
        body = await describe(session, order)
    return web.json_response({**body, "links": chat_links(request.app[RUNTIME].get(), order.code)})


def chat_links(runtime: Runtime, code: str) -> dict[str, str]:
    """Signed links the shop sends the customer: opening one links that chat to the order."""
    token = make_token(runtime.secret, code, (runtime.clock() + LINK_VALIDITY).date())
    links = {name: channel.link(token) for name, channel in runtime.channels.items()}
    return {name: url for name, url in links.items() if url is not None}


async def post_event(request: web.Request) -> web.Response:
    data = await read_model(request, EventIn)
    if isinstance(data, web.Response):
        return data
    now = request.app[CLOCK]()
    async with request.app[SESSIONS].begin() as session:
        order = await order_by_code(session, request.match_info["code"])
        if order is None:
            return problem(404, "order_not_found", f"no order with code {request.match_info['code']!r}")
        event = _timeline_event(data, now)
        inserted = await session.scalar(
            select(OrderEvent.id).where(OrderEvent.order_id == order.id, OrderEvent.event_key == event.event_key)
        ) is None
        await _apply(session, order, event, now, request.app[ORDER_CHANGED])
        body = {"duplicate": not inserted, "order": await describe(session, order)}
    request.app[RUNTIME].get().dispatcher.wake()
    return web.json_response(body, status=201 if inserted else 200)


def _timeline_event(data: EventIn, now: datetime) -> TimelineEvent:
    """A status sent without a time is shown at its arrival, never ordered by it (tracking.timeline)."""
    occurred = data.occurred_at or now
    status = data.status.value if data.status else None
    return TimelineEvent(
        status=status, occurred_at=occurred, source="shop",
        event_key=shop_event_key(status or "info", occurred, data.description),
        description=data.description, location=data.location, shipper_name=data.shipper_name,
        shipper_phone=data.shipper_phone, eta=data.eta, timed=data.occurred_at is not None,
    )

"""The return parcel: an order row with direction `return`, tracked by carrier webhooks and
polling like any parcel, whose status changes move the return request instead of sending
delivery notices (scheduler.journey hands them here).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Mapping

import aiohttp
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.orders import StatusChange
from bot.returns.states import Actor, Move, State, move
from bot.storage.models import Order, ReturnRequest
from bot.turn import Services
from carriers.base import CarrierUnavailable
from carriers.models import CanonicalStatus as S
from carriers.returns import PickupRequest, ReturnPickup

log = logging.getLogger("bot.returns.parcels")
RETURN = "return"
IN_TRANSIT = frozenset({S.PICKED_UP, S.IN_TRANSIT, S.OUT_FOR_DELIVERY})
ARRIVED = frozenset({S.DELIVERED, S.RETURNED})  # delivered to the shop


@dataclass(frozen=True, slots=True)
class Pickups:
    """The carriers that can book a return pickup, and the HTTP client to ask them with."""

    http: aiohttp.ClientSession
    carriers: Mapping[str, ReturnPickup]


async def open_parcel(
    session: AsyncSession, request: ReturnRequest, order: Order, *, carrier: str, tracking_code: str,
    pickup_on: date | None, now: datetime,
) -> Order:
    """The return parcel's order row (no contact: it never shows among the customer's orders)."""
    parcel = Order(
        code=f"{order.code}-R{request.id}", direction=RETURN, customer_name=order.customer_name, items=request.items,
        carrier=carrier, tracking_code=tracking_code, eta=pickup_on, status=S.CONFIRMED.value, status_at=now,
        created_at=now, updated_at=now,
    )
    session.add(parcel)
    await session.flush()
    request.return_order_id = parcel.id
    return parcel


async def schedule_pickup(
    session: AsyncSession, services: Services, request: ReturnRequest, pickups: Pickups, *, now: datetime,
) -> bool:
    """Book the return with the shop's pickup carrier, when it has one that can; False leaves it to staff."""
    carrier = pickups.carriers.get(services.settings.returns_pickup_carrier)
    order = await session.get(Order, request.order_id)
    if carrier is None or order is None or request.return_order_id is not None:
        return False
    today = now.astimezone(services.settings.zone).date()
    booking_request = PickupRequest(
        reference=str(request.id), order_code=order.code, customer_name=order.customer_name, phone=order.phone,
        items=tuple(str(item) for item in request.items), today=today,
    )
    try:
        booking = await carrier.book_return(pickups.http, booking_request)
    except CarrierUnavailable:
        log.warning("return pickup could not be booked", extra={"carrier": carrier.id, "request": request.id})
        return False
    await open_parcel(session, request, order, carrier=carrier.id, tracking_code=booking.tracking_code,
                      pickup_on=booking.pickup_on, now=now)
    return await move(session, services, request, Move(State.PICKUP_SCHEDULED, Actor.BOT), at=now)


async def parcel_moved(session: AsyncSession, services: Services, parcel: Order, change: StatusChange) -> None:
    """A carrier status of the return parcel, as the request's state: on its way, or back at the shop."""
    request = await session.scalar(select(ReturnRequest).where(ReturnRequest.return_order_id == parcel.id))
    if request is None:
        return
    current = S(change.current)
    target = State.IN_RETURN_TRANSIT if current in IN_TRANSIT else State.RECEIVED if current in ARRIVED else None
    if target is not None:
        await move(session, services, request, Move(target, Actor.CARRIER, note=change.current), at=change.occurred_at)

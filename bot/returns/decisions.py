"""What staff (inbox) and the shop's system (REST API) do to a return request, in one place.

Approving books the return pickup where the shop's pickup carrier can; a return tracking code
entered by hand opens the return parcel instead; an exchange shipped keeps its tracking code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.returns.parcels import open_parcel, schedule_pickup
from bot.returns.states import Actor, Move, State, allowed, move
from bot.storage.models import Order, ReturnEvent, ReturnRequest
from bot.turn import Services


@dataclass(frozen=True, slots=True)
class Report:
    """One step reported for a request: the state reached and what came with it."""

    state: State
    actor: Actor
    note: str = ""
    staff_id: int | None = None
    carrier: str | None = None  # pickup_scheduled: the return parcel's carrier …
    tracking_code: str | None = None  # … and code; exchanged_shipped: the new parcel's code


class Refused(Exception):
    """The step cannot be taken from the request's state now, or lacks what it needs; the reason says which."""


async def report(session: AsyncSession, services: Services, request: ReturnRequest, step: Report, *, now: datetime) -> bool:
    """Take the step; False when the request was there already (a repeat, recorded once); Refused otherwise."""
    reached = await session.scalar(select(ReturnEvent.id).where(ReturnEvent.request_id == request.id,
                                                                ReturnEvent.state == step.state.value))
    if reached is not None or request.state == step.state:
        return False
    if not allowed(request.state, step.state):
        raise Refused(f"a request {request.state} cannot become {step.state}")
    if step.state == State.PICKUP_SCHEDULED:
        if not (step.carrier and step.tracking_code):
            raise Refused("pickup_scheduled needs the return parcel's carrier and tracking_code")
        order = await session.get_one(Order, request.order_id)
        await open_parcel(session, request, order, carrier=step.carrier, tracking_code=step.tracking_code,
                          pickup_on=None, now=now)
    if step.state == State.EXCHANGED_SHIPPED and step.tracking_code:
        request.exchange_tracking_code = step.tracking_code
    if step.state in (State.APPROVED, State.REJECTED):
        request.decision_note = step.note[:500] or None
    moved = await move(session, services, request, Move(step.state, step.actor, step.staff_id, step.note), at=now)
    if moved and step.state == State.APPROVED and services.returns is not None:
        await schedule_pickup(session, services, request, services.returns.pickups, now=now)
    return moved

"""A return request's states and the one way to move between them.

requested → approved | rejected → pickup_scheduled → in_return_transit → received →
refunded | exchanged_shipped → closed (a draft is the conversation before the customer
confirms). Every move is a compare-and-set on the request's state plus one return_events row
unique per (request, state): a double tap, a replayed carrier event or two staff clicking at
once move it once, record it once and tell the customer once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.returns.notices import tell
from bot.storage.dialect import insert_ignoring_conflicts
from bot.storage.models import ReturnEvent, ReturnRequest
from bot.turn import Services


class State(StrEnum):
    DRAFT = "draft"
    CANCELLED = "cancelled"  # the customer stopped before confirming
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    PICKUP_SCHEDULED = "pickup_scheduled"
    IN_RETURN_TRANSIT = "in_return_transit"
    RECEIVED = "received"
    REFUNDED = "refunded"
    EXCHANGED_SHIPPED = "exchanged_shipped"
    CLOSED = "closed"


class Actor(StrEnum):
    CUSTOMER = "customer"
    BOT = "bot"  # the policy decided (auto-approval)
    STAFF = "staff"
    CARRIER = "carrier"
    SHOP = "shop"  # the shop's system, through the REST API


NEXT: dict[State, frozenset[State]] = {
    State.DRAFT: frozenset({State.REQUESTED, State.CANCELLED}),
    State.REQUESTED: frozenset({State.APPROVED, State.REJECTED}),
    State.APPROVED: frozenset({State.PICKUP_SCHEDULED, State.IN_RETURN_TRANSIT, State.RECEIVED}),
    State.PICKUP_SCHEDULED: frozenset({State.IN_RETURN_TRANSIT, State.RECEIVED}),
    State.IN_RETURN_TRANSIT: frozenset({State.RECEIVED}),
    State.RECEIVED: frozenset({State.REFUNDED, State.EXCHANGED_SHIPPED}),
    State.REFUNDED: frozenset({State.CLOSED}),
    State.EXCHANGED_SHIPPED: frozenset({State.CLOSED}),
    State.REJECTED: frozenset({State.CLOSED}),
}
DONE = (State.CANCELLED.value, State.CLOSED.value, State.REJECTED.value)  # the order may have a new request
PENDING = frozenset({State.REQUESTED})  # waiting for a person: first in the inbox


@dataclass(frozen=True, slots=True)
class Move:
    to: State
    actor: Actor
    staff_id: int | None = None
    note: str = ""


def allowed(current: str, to: State) -> bool:
    return to in NEXT.get(State(current), frozenset())


async def move(
    session: AsyncSession, services: Services, request: ReturnRequest, step: Move, *, at: datetime, notify: bool = True,
) -> bool:
    """Move the request on, if that move is allowed from the state it is in now; False otherwise
    (nothing written). `notify`: tell the customer through the outbox (a reply already did when
    they moved it in the chat)."""
    if not allowed(request.state, step.to):
        return False
    table = ReturnRequest.__table__
    changed = await session.execute(
        update(table).where(table.c.id == request.id, table.c.state == request.state)
        .values(state=step.to.value, updated_at=at)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]  # another writer moved it first
        return False
    await session.execute(insert_ignoring_conflicts(session, ReturnEvent.__table__), {
        "request_id": request.id, "state": step.to.value, "actor": step.actor.value, "staff_id": step.staff_id,
        "note": step.note[:500], "occurred_at": at,
    })
    request.state = step.to.value
    request.updated_at = at
    if step.to == State.REQUESTED:
        request.requested_at = at
    if notify:
        await tell(session, services, request, step.note)
    return True

"""Return requests for the shop's system: list them, open one for a customer, report its steps
(refund done, exchange shipped, return parcel handed over) — issue 15."""

from __future__ import annotations

from typing import Any, Literal

from aiohttp import web
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.errors import problem, read_model
from app.api.schemas import CARRIERS, Strict, iso
from app.appkeys import CLOCK, RUNTIME, SESSIONS
from bot.config import RETURN_REASONS
from bot.orders import order_by_code
from bot.returns.decisions import Refused, Report, report
from bot.returns.policy import Policy, Verdict, masked
from bot.returns.states import DONE, Actor, Move, State, move
from bot.storage.models import Order, ReturnEvent, ReturnPhoto, ReturnRequest
from untrusted.fields import whole_number

LIST_LIMIT = 200
Reason = Literal["too_small", "too_big", "colour", "not_as_pictured", "broken", "wrong_item", "missing_item", "changed_my_mind"]
assert set(Reason.__args__) == set(RETURN_REASONS)  # type: ignore[attr-defined]
Reported = Literal["approved", "rejected", "pickup_scheduled", "in_return_transit", "received", "refunded",
                   "exchanged_shipped", "closed"]


class ReturnIn(Strict):
    """A return the customer asked for elsewhere (the shop's counter, a phone call)."""

    order_code: str = Field(min_length=1, max_length=64)
    items: list[str] = Field(default_factory=list, max_length=100)
    reason: Reason
    resolution: Literal["exchange", "refund"]
    exchange_wish: str | None = Field(default=None, max_length=200)
    refund_method: Literal["bank", "credit", "cod_reversal"] | None = None


class ReturnEventIn(Strict):
    state: Reported
    note: str = Field(default="", max_length=500)
    carrier: CARRIERS | None = None
    tracking_code: str | None = Field(default=None, min_length=1, max_length=64)


async def describe(session: AsyncSession, request: ReturnRequest) -> dict[str, Any]:
    order = await session.get_one(Order, request.order_id)
    parcel = await session.get(Order, request.return_order_id) if request.return_order_id else None
    events = await session.scalars(select(ReturnEvent).where(ReturnEvent.request_id == request.id).order_by(ReturnEvent.id))
    photos = await session.scalars(select(ReturnPhoto.id).where(ReturnPhoto.request_id == request.id))
    return {
        "id": request.id, "order_code": order.code, "state": request.state, "items": request.items,
        "reason": request.reason, "resolution": request.resolution, "exchange_wish": request.exchange_wish,
        "refund_method": request.refund_method, "refund_account": masked(request.refund_account),
        "verdict": request.verdict, "decision_note": request.decision_note, "channel": request.channel,
        "return_parcel": {"carrier": parcel.carrier, "tracking_code": parcel.tracking_code, "status": parcel.status} if parcel else None,
        "exchange_tracking_code": request.exchange_tracking_code, "photos": len(list(photos)),
        "requested_at": iso(request.requested_at), "updated_at": iso(request.updated_at),
        "events": [{"state": e.state, "actor": e.actor, "staff_id": e.staff_id, "note": e.note, "at": iso(e.occurred_at)}
                   for e in events],
    }


async def list_returns(request: web.Request) -> web.Response:
    """`?state=` (e.g. requested), newest first; drafts the customer has not confirmed are not shown."""
    state = request.query.get("state")
    if state is not None and state not in set(State) - {State.DRAFT}:
        return problem(400, "bad_state", f"state must be one of {', '.join(s.value for s in State if s != State.DRAFT)}")
    query = select(ReturnRequest).where(ReturnRequest.state != State.DRAFT)
    if state is not None:
        query = query.where(ReturnRequest.state == state)
    async with request.app[SESSIONS]() as session:
        found = await session.scalars(query.order_by(ReturnRequest.id.desc()).limit(LIST_LIMIT))
        body = [await describe(session, r) for r in found]
    return web.json_response({"returns": body})


async def post_return(request: web.Request) -> web.Response:
    data = await read_model(request, ReturnIn)
    if isinstance(data, web.Response):
        return data
    runtime, now = request.app[RUNTIME].get(), request.app[CLOCK]()
    policy = Policy.of(runtime.settings)
    async with request.app[SESSIONS].begin() as session:
        order = await order_by_code(session, data.order_code)
        if order is None:
            return problem(404, "order_not_found", f"no order with code {data.order_code!r}")
        refusal = policy.refusal(order, now)
        if refusal is not None:
            return problem(422, refusal.value, f"order {order.code} cannot be returned: {refusal.value}")
        open_request = await session.scalar(select(ReturnRequest.id).where(
            ReturnRequest.order_id == order.id, ReturnRequest.state.not_in((State.DRAFT.value, *DONE))))
        if open_request is not None:
            return problem(409, "already_requested", f"order {order.code} has return request {open_request}", id=open_request)
        row = ReturnRequest(
            order_id=order.id, contact_id=order.contact_id, state=State.DRAFT.value, items=data.items or policy.returnable(order),
            reason=data.reason, resolution=data.resolution, exchange_wish=data.exchange_wish,
            refund_method=data.refund_method, verdict=policy.verdict(data.reason).value, channel="api",
            created_at=now, updated_at=now,
        )
        session.add(row)
        await session.flush()
        await move(session, runtime.services, row, Move(State.REQUESTED, Actor.SHOP), at=now, notify=False)
        if row.verdict == Verdict.AUTO_APPROVED:
            await report(session, runtime.services, row, Report(State.APPROVED, Actor.BOT, "free reason"), now=now)
        body = await describe(session, row)
    runtime.dispatcher.wake()
    return web.json_response(body, status=201)


async def post_return_event(request: web.Request) -> web.Response:
    data = await read_model(request, ReturnEventIn)
    if isinstance(data, web.Response):
        return data
    runtime, now = request.app[RUNTIME].get(), request.app[CLOCK]()
    request_id = request.match_info["id"]
    number = whole_number(request_id)
    async with request.app[SESSIONS].begin() as session:
        row = await session.get(ReturnRequest, number) if number is not None else None
        if row is None or row.state == State.DRAFT:
            return problem(404, "return_not_found", f"no return request {request_id!r}")
        step = Report(State(data.state), Actor.SHOP, data.note, carrier=data.carrier, tracking_code=data.tracking_code)
        try:
            moved = await report(session, runtime.services, row, step, now=now)
        except Refused as refused:
            return problem(409, "not_allowed", str(refused), state=row.state)
        body = {"duplicate": not moved, "return": await describe(session, row)}
    runtime.dispatcher.wake()
    return web.json_response(body, status=201 if moved else 200)

"""Return requests in the inbox (issue 15): pending ones first, each with the customer's photos,
the order and the policy's verdict; staff approve or reject in one click, enter a return
tracking code, and mark what the shop did. Posts carry the inbox's CSRF token (app.inbox.auth)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiohttp import web
from sqlalchemy import case, select

from app.appkeys import RUNTIME
from app.inbox.auth import signed_in
from app.inbox.texts import TEXTS
from app.inbox.views import _field, _lang, _page
from bot.returns.decisions import Refused, Report, report
from bot.returns.policy import masked
from bot.returns.states import Actor, State
from bot.storage.models import Order, ReturnEvent, ReturnPhoto, ReturnRequest
from untrusted.fields import whole_number

LIMIT = 100
CARRIERS = ("ghn", "ghtk", "viettelpost", "jnt", "ninjavan", "vnpost", "ahamove", "spx", "best", "sandbox", "other")
ACTIONS = {"approve": State.APPROVED, "reject": State.REJECTED, "pickup": State.PICKUP_SCHEDULED,
           "received": State.RECEIVED, "refunded": State.REFUNDED, "shipped": State.EXCHANGED_SHIPPED, "close": State.CLOSED}


@dataclass(frozen=True, slots=True)
class Card:
    request: ReturnRequest
    order: Order
    parcel: Order | None
    photos: list[int]
    events: list[ReturnEvent]


async def returns_page(request: web.Request, *, refused: str | None = None) -> web.Response:
    staff, runtime = signed_in(request), request.app[RUNTIME].get()
    pending_first = case((ReturnRequest.state == State.REQUESTED.value, 0), else_=1)
    async with runtime.sessions() as db:
        rows = list(await db.scalars(
            select(ReturnRequest).where(ReturnRequest.state.not_in((State.DRAFT.value, State.CANCELLED.value)))
            .order_by(pending_first, ReturnRequest.updated_at.desc(), ReturnRequest.id.desc()).limit(LIMIT)))
        cards = [await _card(db, row) for row in rows]
    return await _page(request, "returns.html.j2", staff, cards=cards, carriers=CARRIERS, refused=refused, masked=masked,
                       http_status=409 if refused else 200)


async def _card(db: Any, row: ReturnRequest) -> Card:
    order = await db.get_one(Order, row.order_id)
    parcel = await db.get(Order, row.return_order_id) if row.return_order_id else None
    photos = list(await db.scalars(select(ReturnPhoto.id).where(ReturnPhoto.request_id == row.id).order_by(ReturnPhoto.id)))
    events = list(await db.scalars(select(ReturnEvent).where(ReturnEvent.request_id == row.id).order_by(ReturnEvent.id)))
    return Card(row, order, parcel, photos, events)


async def photo(request: web.Request) -> web.Response:
    """A stored photo, served as the type its bytes were checked to be, never sniffed as anything else."""
    signed_in(request)
    number = whole_number(request.match_info["id"])
    async with request.app[RUNTIME].get().sessions() as db:
        found = await db.get(ReturnPhoto, number) if number is not None else None
    if found is None:
        raise web.HTTPNotFound(reason="no such photo")
    return web.Response(body=found.data, content_type=found.content_type,
                        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=3600"})


async def act(request: web.Request) -> web.Response:
    staff, runtime = signed_in(request), request.app[RUNTIME].get()
    state = ACTIONS.get(request.match_info["action"])
    number = whole_number(request.match_info["id"])
    if state is None or number is None:
        raise web.HTTPNotFound(reason="no such return action")
    form = await request.post()
    carrier = _field(form, "carrier", 20)
    step = Report(state, Actor.STAFF, _field(form, "note", 500), staff.id, carrier=carrier if carrier in CARRIERS else None,
                  tracking_code=_field(form, "tracking_code", 64) or None)
    if state == State.REJECTED and not step.note:
        return await returns_page(request, refused=TEXTS[_lang(request)]["returns"]["reject_reason"])
    try:
        async with runtime.sessions.begin() as db:
            row = await db.get(ReturnRequest, number)
            if row is None or row.state == State.DRAFT:
                raise web.HTTPNotFound(reason="no such return request")
            await report(db, runtime.services, row, step, now=runtime.clock())
    except Refused as refused:
        return await returns_page(request, refused=str(refused))
    runtime.dispatcher.wake()
    raise web.HTTPFound(f"/inbox/returns#r{number}")


def setup_returns_inbox(app: web.Application) -> None:
    app.router.add_get("/inbox/returns", returns_page)
    app.router.add_get("/inbox/returns/photo/{id}", photo)
    app.router.add_post("/inbox/returns/{id}/{action}", act)

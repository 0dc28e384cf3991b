"""Returns and exchanges in the chat: which order and items, why, a photo when the policy asks,
exchange or refund, a summary and one tap to confirm (issue 15).

Every tap names the request it is about and is sealed to the customer (bot.actions); the
request is loaded only among this customer's own, so a forwarded or crafted payload changes
nothing. What the customer types or sends while a step waits for it (a photo, the size
wanted, a bank account) is taken by `take_awaited` before routing, so "size M" or an
account number is not read as a question.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import select

from bot.config import RETURN_REASONS
from bot.nlu import Intent
from bot.orders import order_by_code, orders_of, owns
from bot.pipeline import Next
from bot.returns.notices import request_view
from bot.returns.parcels import schedule_pickup
from bot.returns.photos import UPLOAD, PhotoRefused
from bot.returns.policy import Policy, Verdict, masked
from bot.returns.states import DONE, Actor, Move, State, move
from bot.returns.store import claim_upload, keep_photo
from bot.router import Router
from bot.storage.models import Order, ReturnRequest
from bot.turn import Turn
from carriers.models import CanonicalStatus
from channels.models import Attachment, Button, Kind
from handlers.common import HUMAN, ask_for_proof
from untrusted.fields import whole_number

router = Router("returns")
AWAITING = "rt-"  # conversation.awaiting: rt-photo:<id>, rt-wish:<id>, rt-bank:<id>
MAX_CHOICES = 8


def _policy(turn: Turn) -> Policy:
    return Policy.of(turn.services.settings)


@router.intent(Intent.RETURN_OR_EXCHANGE)
async def start(turn: Turn) -> None:
    """From the customer's own orders; an order code they do not own gets the status lookups' proof rules.
    An unhappy customer hears an apology first (bot.router sends their complaint here, to the remedy)."""
    if turn.classification and turn.classification.complaint:
        await turn.reply("return/sorry")
    entities = turn.classification.entities if turn.classification else None
    if entities and entities.order_code:
        order = await order_by_code(turn.session, entities.order_code)
        if order is None or not owns(turn.party.contact, order):
            await ask_for_proof(turn, "return/ask_proof")
            return
        await _pick_order(turn, order)
        return
    orders = await orders_of(turn.session, turn.party.contact)
    delivered = [o for o in orders if o.status == CanonicalStatus.DELIVERED]
    if len(delivered) == 1:
        await _pick_order(turn, await turn.session.get_one(Order, delivered[0].id))  # returns are no hot path
    elif delivered:
        buttons = [Button(o.code, f"rt:o:{o.id}") for o in delivered[:MAX_CHOICES]]
        await turn.reply("return/choose_order", orders=[{"code": o.code} for o in delivered], buttons=[*buttons, HUMAN])
    elif orders:
        await turn.reply("return/not_delivered", order={"code": orders[0].code}, buttons=[HUMAN])
    else:
        await ask_for_proof(turn, "return/ask_proof")


@router.action("rt")
async def tapped(turn: Turn) -> None:
    """`rt:o:<order>` then `rt:<step>:<request>:<value>`; anything not this customer's own is shown their orders."""
    args = turn.action_args
    order_id = whole_number(args[1]) if len(args) >= 2 and args[0] == "o" else None
    if order_id is not None:
        order = await turn.session.scalar(select(Order).where(Order.id == order_id))
        if order is not None and owns(turn.party.contact, order):
            await _pick_order(turn, order)
            return
    request = await _own_request(turn, args[1]) if len(args) >= 2 else None
    step = STEPS.get(args[0]) if args else None
    if request is None or step is None:
        await start(turn)
        return
    await step(turn, request, args[2] if len(args) > 2 else "")


async def _own_request(turn: Turn, request_id: str) -> ReturnRequest | None:
    number = whole_number(request_id)
    if number is None:
        return None
    return await turn.session.scalar(select(ReturnRequest).where(
        ReturnRequest.id == number, ReturnRequest.contact_id == turn.party.contact.id))


async def _pick_order(turn: Turn, order: Order) -> None:
    policy = _policy(turn)
    refusal = policy.refusal(order, turn.now)
    if refusal is not None:
        await turn.reply(f"return/{refusal.value}", order={"code": order.code, "status": order.status},
                         delivered_at=order.status_at, deadline=policy.deadline(order), buttons=[HUMAN])
        return
    request = await _draft_for(turn, order)
    if request.state != State.DRAFT:
        await turn.reply("return/already", request=request_view(request, order, None), buttons=[HUMAN])
        return
    items = policy.returnable(order)
    if len(items) > 1:
        buttons = [Button(name[:40], f"rt:i:{request.id}:{n}") for n, name in enumerate(items[:MAX_CHOICES])]
        await turn.reply("return/choose_items", order={"code": order.code},
                         buttons=[*buttons, ("all", f"rt:i:{request.id}:all")])
        return
    request.items = items
    await _ask_reason(turn, request)


async def _draft_for(turn: Turn, order: Order) -> ReturnRequest:
    """The order's request still open or in the making, else a new draft (one per order at a time)."""
    existing = await turn.session.scalar(
        select(ReturnRequest).where(ReturnRequest.order_id == order.id, ReturnRequest.state.not_in(DONE))
        .order_by(ReturnRequest.id.desc()).limit(1))
    if existing is not None:
        return existing
    request = ReturnRequest(order_id=order.id, contact_id=turn.party.contact.id, state=State.DRAFT.value, items=[],
                            channel=turn.message.sender.channel.value, created_at=turn.now, updated_at=turn.now)
    turn.session.add(request)
    await turn.session.flush()
    return request


async def _ask_reason(turn: Turn, request: ReturnRequest) -> None:
    await turn.reply("return/ask_reason", buttons=[(r, f"rt:r:{request.id}:{r}") for r in RETURN_REASONS])


async def _items(turn: Turn, request: ReturnRequest, value: str) -> None:
    order = await turn.session.get_one(Order, request.order_id)
    items = _policy(turn).returnable(order)
    if value == "all":
        request.items = items
    elif (index := whole_number(value, at_most=len(items) - 1)) is not None:
        request.items = [items[index]]
    else:
        return
    await _ask_reason(turn, request)


async def _reason(turn: Turn, request: ReturnRequest, value: str) -> None:
    if value not in RETURN_REASONS or request.state != State.DRAFT:
        return
    request.reason = value
    request.verdict = _policy(turn).verdict(value).value
    if _policy(turn).needs_photo(value):
        turn.party.conversation.awaiting = f"{AWAITING}photo:{request.id}"
        await turn.reply("return/ask_photo", reason=value, buttons=[HUMAN])
    else:
        await _ask_resolution(turn, request)


async def _ask_resolution(turn: Turn, request: ReturnRequest) -> None:
    order = await turn.session.get_one(Order, request.order_id)
    options = _policy(turn).resolutions(order, turn.now)
    await turn.reply("return/ask_resolution", buttons=[(o, f"rt:x:{request.id}:{o}") for o in options])


async def _resolution(turn: Turn, request: ReturnRequest, value: str) -> None:
    order = await turn.session.get_one(Order, request.order_id)
    if value not in _policy(turn).resolutions(order, turn.now) or request.state != State.DRAFT:
        return
    request.resolution = value
    if value == "exchange":
        turn.party.conversation.awaiting = f"{AWAITING}wish:{request.id}"
        await turn.reply("return/ask_wish", reason=request.reason)
    else:
        methods = _policy(turn).refund_methods
        await turn.reply("return/ask_method", buttons=[(m, f"rt:m:{request.id}:{m}") for m in methods])


async def _method(turn: Turn, request: ReturnRequest, value: str) -> None:
    if value not in _policy(turn).refund_methods or request.state != State.DRAFT:
        return
    request.refund_method = value
    if value == "bank":
        turn.party.conversation.awaiting = f"{AWAITING}bank:{request.id}"
        await turn.reply("return/ask_account")
    else:
        await _summary(turn, request)


async def _summary(turn: Turn, request: ReturnRequest) -> None:
    order = await turn.session.get_one(Order, request.order_id)
    policy = _policy(turn)
    await turn.reply("return/summary", request=request_view(request, order, None),
                     automatic=request.verdict == Verdict.AUTO_APPROVED, deadline=policy.deadline(order),
                     buttons=[("confirm", f"rt:c:{request.id}"), ("cancel", f"rt:n:{request.id}")])


async def _confirm(turn: Turn, request: ReturnRequest, _value: str) -> None:
    """Requested, and at once approved where the reason is free; a double tap moves nothing twice."""
    if not await move(turn.session, turn.services, request, Move(State.REQUESTED, Actor.CUSTOMER), at=turn.now,
                      notify=False):
        return
    order = await turn.session.get_one(Order, request.order_id)
    view = request_view(request, order, None)
    if request.verdict != Verdict.AUTO_APPROVED:
        await turn.reply("return/requested", request=view)
        return
    await move(turn.session, turn.services, request, Move(State.APPROVED, Actor.BOT, note="free reason"),
               at=turn.now, notify=False)
    await turn.reply("return/approved_now", request=view)
    tools = turn.services.returns
    if tools is not None:
        await schedule_pickup(turn.session, turn.services, request, tools.pickups, now=turn.now)


async def _cancel(turn: Turn, request: ReturnRequest, _value: str) -> None:
    if await move(turn.session, turn.services, request, Move(State.CANCELLED, Actor.CUSTOMER), at=turn.now,
                  notify=False):
        turn.party.conversation.awaiting = None
        await turn.reply("return/cancelled")


STEPS = {"i": _items, "r": _reason, "x": _resolution, "m": _method, "c": _confirm, "n": _cancel}


async def take_awaited(turn: Turn, next_step: Next) -> None:
    """After the human-mode check, before routing: while a return step waits for a photo, a size or
    an account, what the customer sends is that answer, unless they ask for a person or to stop
    messages (then the step is dropped and routing answers them). While a photo is awaited, a
    question is answered and the photo still awaited."""
    awaiting = turn.party.conversation.awaiting or ""
    intent = turn.classification.intent if turn.classification else None
    what, _, request_id = awaiting[len(AWAITING):].partition(":")
    if (not awaiting.startswith(AWAITING) or turn.message.kind not in (Kind.TEXT, Kind.MEDIA)
            or intent in (Intent.TALK_TO_HUMAN, Intent.OPT_OUT)):
        if awaiting.startswith(AWAITING) and turn.message.kind == Kind.TEXT:
            turn.party.conversation.awaiting = None
        await next_step(turn)
        return
    if what == "photo" and intent not in (None, Intent.OTHER):  # a question while the photo is awaited: answered,
        await next_step(turn)  # and the photo still awaited (a size or an account can read like anything)
        return
    request = await _own_request(turn, request_id)
    if request is None or request.state != State.DRAFT:
        turn.party.conversation.awaiting = None
        await next_step(turn)
        return
    answer = AWAITED.get(what)
    if answer is not None:
        await answer(turn, request)


async def _photo(turn: Turn, request: ReturnRequest) -> None:
    images = [a for a in turn.message.attachments if a.type in ("image", "file")]
    if not images:
        await turn.reply("return/ask_photo", reason=request.reason, buttons=[HUMAN])
        return
    try:
        await _keep(turn, request, images[0])
    except PhotoRefused as refused:
        await turn.reply("return/photo_refused", problem=refused.reason,
                         limit_mb=turn.services.settings.returns_photo_max_bytes // (1024 * 1024), buttons=[HUMAN])
        return
    turn.party.conversation.awaiting = None
    await _ask_resolution(turn, request)


async def _keep(turn: Turn, request: ReturnRequest, attachment: Attachment) -> None:
    sender = turn.message.sender
    if attachment.url.startswith(UPLOAD):  # the web chat stored it when it was uploaded
        await claim_upload(turn.session, str(sender), attachment.url, request.id)
        return
    tools = turn.services.returns
    if tools is None:
        raise PhotoRefused("unavailable")
    photo = await tools.photos.fetch(sender, attachment)
    await keep_photo(turn.session, str(sender), photo, request.id, turn.now)


async def _wish(turn: Turn, request: ReturnRequest) -> None:
    text = turn.message.text.strip()
    if not text:
        await turn.reply("return/ask_wish", reason=request.reason)
        return
    request.exchange_wish = text[:200]
    turn.party.conversation.awaiting = None
    await _summary(turn, request)


async def _account(turn: Turn, request: ReturnRequest) -> None:
    """Kept for the shop's refund; from here on shown only as its last four characters."""
    text = " ".join(turn.message.text.split())
    if sum(ch.isdigit() for ch in text) < 6:
        await turn.reply("return/ask_account", retry=True)
        return
    request.refund_account = text[:100]
    turn.read_as(dataclasses.replace(turn.message, text=masked(text)))  # the chat's record keeps it masked too
    turn.party.conversation.awaiting = None
    await _summary(turn, request)


AWAITED = {"photo": _photo, "wish": _wish, "bank": _account}

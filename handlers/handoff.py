"""Handing the conversation to a person, for asking or for requests only a person can grant."""

from __future__ import annotations

from typing import Any

from bot.nlu import Intent
from bot.orders import order_view, orders_to_report
from bot.router import Router
from bot.turn import Turn
from handlers.common import hand_off_and_tell, named_code, own_named_order

router = Router("handoff")

_REQUEST_TEMPLATES = {
    Intent.RETURN_OR_EXCHANGE: "handoff/return_or_exchange",
    Intent.CANCEL_ORDER: "handoff/cancel_order",
    Intent.CHANGE_DELIVERY: "handoff/change_delivery",
}


@router.intent(Intent.TALK_TO_HUMAN)
async def talk_to_human(turn: Turn) -> None:
    await hand_off_and_tell(turn, "requested")


@router.intent(*_REQUEST_TEMPLATES)
async def request_for_staff(turn: Turn) -> None:
    """Returns, cancellations and delivery changes need the shop's decision, so a person. About
    the order the message names when it names one (shown in full only to its owner), else
    about the customer's latest."""
    assert turn.classification is not None
    turn.hand_off(turn.classification.intent.value)
    await turn.reply(_REQUEST_TEMPLATES[turn.classification.intent], order=await _order_meant(turn))


async def _order_meant(turn: Turn) -> dict[str, Any] | None:
    code = named_code(turn)
    if code is not None:
        named = await own_named_order(turn)
        return order_view(named) if named is not None else {"code": code}
    orders = await orders_to_report(turn.session, turn.party.contact, turn.now)
    return order_view(orders[0]) if orders else None

"""Handing the conversation to a person, for asking or for requests only a person can grant."""

from __future__ import annotations

from bot.nlu import Intent
from bot.orders import order_view, orders_to_report
from bot.router import Router
from bot.turn import Turn
from handlers.common import hand_off_and_tell

router = Router("handoff")

_REQUEST_TEMPLATES = {
    Intent.CANCEL_ORDER: "handoff/cancel_order",
    Intent.CHANGE_DELIVERY: "handoff/change_delivery",
}


@router.intent(Intent.TALK_TO_HUMAN)
async def talk_to_human(turn: Turn) -> None:
    await hand_off_and_tell(turn, "requested")


@router.intent(*_REQUEST_TEMPLATES)
async def request_for_staff(turn: Turn) -> None:
    """Cancellations and delivery changes need the shop's decision, so a person (returns: handlers.returns)."""
    assert turn.classification is not None
    orders = await orders_to_report(turn.session, turn.party.contact, turn.now)
    turn.hand_off(turn.classification.intent.value)
    await turn.reply(
        _REQUEST_TEMPLATES[turn.classification.intent],
        order=order_view(orders[0]) if orders else None,
    )

"""The two doors every bot message offers: look up my order, or talk to a person."""

from __future__ import annotations

from bot.router import Router
from bot.turn import Turn
from handlers.handoff import talk_to_human
from handlers.order_status import show_own_orders

router = Router("menu")


@router.action("m")
async def menu(turn: Turn) -> None:
    if turn.action_args[:1] == ["human"]:
        await talk_to_human(turn)
    else:
        await show_own_orders(turn)

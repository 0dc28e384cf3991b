"""The two doors every bot message offers: look up my order, or talk to a person."""

from __future__ import annotations

from bot.router import Router
from bot.turn import Turn
from handlers.common import hand_off_and_tell, show_own_orders

router = Router("menu")


@router.action("m")
async def menu(turn: Turn) -> None:
    if turn.action_args[:1] == ["human"]:
        await hand_off_and_tell(turn, "requested")
    else:
        await show_own_orders(turn)

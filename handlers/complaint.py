"""An unhappy customer: an apology and a person, whatever else the message asked."""

from __future__ import annotations

from bot.router import Router
from bot.turn import Turn
from handlers.common import hand_off_and_tell

router = Router("complaint")


@router.complaint
async def apologise_and_hand_off(turn: Turn) -> None:
    """Never "thanks for your feedback" (bot.router routes a complaint before its intent)."""
    await hand_off_and_tell(turn, "complaint", "complaint/apology")

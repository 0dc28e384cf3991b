"""A tapped payload the bot never sealed for this customer: refused politely, never acted on."""

from __future__ import annotations

import logging

from bot.router import Router
from bot.turn import Turn

log = logging.getLogger("handlers.refused_button")
router = Router("refused_button")


@router.refused
async def refuse_unsealed_button(turn: Turn) -> None:
    """Crafted, or sent to another chat: the payload itself is not logged, it is whatever they typed."""
    identity = turn.party.identity
    log.warning("tapped payload refused: not sealed for this customer",
                extra={"identity_id": identity.id, "channel": identity.channel})
    await turn.reply("errors/button_refused", buttons=[("track", "m:track"), ("human", "m:human")])

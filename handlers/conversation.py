"""Small talk: greetings and thanks, answered warmly and briefly."""

from __future__ import annotations

from bot.nlu import Intent
from bot.router import Router
from bot.turn import Turn
from channels.models import Kind

router = Router("conversation")


@router.intent(Intent.GREETING)
@router.kind(Kind.FOLLOW)
async def greet(turn: Turn) -> None:
    name = turn.party.contact.name or None
    await turn.reply(
        "greeting", customer_name=name, buttons=[("track", "m:track"), ("human", "m:human")]
    )


@router.intent(Intent.THANKS)
async def thank(turn: Turn) -> None:
    await turn.reply("thanks")


@router.kind(Kind.UNFOLLOW)
async def stay_silent(turn: Turn) -> None:
    """Nobody is listening any more: recording the event is all there is to do."""

"""Unsure what the customer meant: one question, the likeliest intents as buttons (bot.clarification)."""

from __future__ import annotations

from bot.clarification import PREFIX, choices
from bot.router import Router
from bot.turn import Turn
from handlers.common import handed_off_after_misses

router = Router("clarification")


@router.unsure
async def ask_which(turn: Turn) -> None:
    """A question back, counted like the fallback's: a second doubt in a row brings a person in."""
    assert turn.classification is not None
    if await handed_off_after_misses(turn):
        return
    likely = choices(turn.classification, turn.services.settings.nlu_confidence)
    await turn.reply("clarify/which", buttons=[(intent.value, f"{PREFIX}:{intent.value}") for intent in likely])

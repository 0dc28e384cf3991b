"""When the bot did not understand: ask once, then bring a person in."""

from __future__ import annotations

from bot.router import Router
from bot.turn import Turn
from handlers.common import handed_off_after_misses

router = Router("fallback")


@router.fallback
async def clarify(turn: Turn) -> None:
    """Restart keywords and survey comments never get here: their steps run first (build_pipeline)."""
    if not await handed_off_after_misses(turn):
        await turn.reply("fallback/clarify", buttons=[("track", "m:track"), ("human", "m:human")])

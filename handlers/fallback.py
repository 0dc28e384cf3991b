"""When the bot did not understand: ask once, then bring a person in."""

from __future__ import annotations

from bot.router import Router
from bot.turn import Turn
from handlers.common import hand_off_and_tell

router = Router("fallback")
MISSES_BEFORE_HANDOFF = 2


@router.fallback
async def clarify(turn: Turn) -> None:
    """Restart keywords and survey comments never get here: their steps run first (build_pipeline)."""
    conversation = turn.party.conversation
    conversation.misses += 1
    if conversation.misses >= MISSES_BEFORE_HANDOFF:
        conversation.misses = 0
        await hand_off_and_tell(turn, "bot_could_not_help")
        return
    await turn.reply("fallback/clarify", buttons=[("track", "m:track"), ("human", "m:human")])

"""Stopping (and restarting) proactive messages, recorded and confirmed."""

from __future__ import annotations

from bot.nlu import Intent, fold
from bot.pipeline import Next
from bot.router import Router
from bot.turn import Turn

router = Router("opt_out")
OPT_IN_PHRASES = frozenset({"bat dau", "start", "dang ky lai", "nhan tin lai"})


@router.intent(Intent.OPT_OUT)
async def opt_out(turn: Turn) -> None:
    turn.party.contact.opted_out_at = turn.now
    turn.party.contact.notices_off = True
    await turn.reply("opt_out/confirmed", buttons=[("keep_notices", "oo:keep_notices")])


@router.action("oo")
async def keep_delivery_notices(turn: Turn) -> None:
    turn.party.contact.notices_off = False
    await turn.reply("opt_out/notices_kept")


async def opt_in_by_keyword(turn: Turn, next_step: Next) -> None:
    """After routing, only where no handler understood the message (it chose the fallback, or a
    question of which intent was meant): the restart phrases are exact keywords the classifier has
    no intent for, and a message some handler understood is that handler's. Stops the chain: the
    keyword is answered, not clarified, however unsure the classifier was of it."""
    if not ((turn.fell_back or turn.asking) and fold(turn.message.text) in OPT_IN_PHRASES):
        await next_step(turn)
        return
    turn.party.contact.opted_out_at = None
    turn.party.contact.notices_off = False
    await turn.reply("opt_in/confirmed")

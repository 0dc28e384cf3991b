"""Stopping (and restarting) proactive messages, recorded and confirmed."""

from __future__ import annotations

from bot.nlu import Intent, fold
from bot.router import Router
from bot.turn import Turn

router = Router("opt_out")
OPT_IN_PHRASES = frozenset({"bat dau", "start", "dang ky lai", "nhan tin lai"})


def is_opt_in(text: str) -> bool:
    return fold(text) in OPT_IN_PHRASES


@router.intent(Intent.OPT_OUT)
async def opt_out(turn: Turn) -> None:
    turn.party.contact.opted_out_at = turn.now
    turn.party.contact.notices_off = True
    await turn.reply("opt_out/confirmed", buttons=[("keep_notices", "oo:keep_notices")])


@router.action("oo")
async def keep_delivery_notices(turn: Turn) -> None:
    turn.party.contact.notices_off = False
    await turn.reply("opt_out/notices_kept")


async def opt_in(turn: Turn) -> None:
    turn.party.contact.opted_out_at = None
    turn.party.contact.notices_off = False
    await turn.reply("opt_in/confirmed")

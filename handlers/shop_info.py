"""Questions about the shop itself (address, opening hours, hotline), answered from its settings."""

from __future__ import annotations

from bot.nlu import Intent
from bot.router import Router
from bot.turn import Turn
from handlers.common import HUMAN, hand_off_and_tell

router = Router("shop_info")


@router.intent(Intent.SHOP_INFO)
async def tell_about_the_shop(turn: Turn) -> None:
    """What the shop set is answered at once; a shop that set none of it has a person answer."""
    settings = turn.services.settings
    hours = settings.open_hours
    if not (settings.shop_address or settings.shop_hotline or hours):
        await hand_off_and_tell(turn, "shop_info")
        return
    await turn.reply(
        "shop_info/answer", address=settings.shop_address, hotline=settings.shop_hotline,
        opens=f"{hours[0]:%H:%M}" if hours else None, closes=f"{hours[1]:%H:%M}" if hours else None,
        buttons=[HUMAN],
    )

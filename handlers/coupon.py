""""Mã giảm giá của em": the customer's valid coupons with their expiry."""

from __future__ import annotations

from bot.coupons import valid_coupons
from bot.nlu import Intent
from bot.router import Router
from bot.turn import Turn

router = Router("coupon")


@router.intent(Intent.COUPON)
async def list_coupons(turn: Turn) -> None:
    coupons = await valid_coupons(turn.session, turn.party.contact.id, turn.now)
    if not coupons:
        await turn.reply("coupon/none")
        return
    zone = turn.services.settings.zone
    await turn.reply(
        "coupon/list",
        coupons=[
            {"code": c.code, "percent": c.percent, "expires_at": c.expires_at.astimezone(zone).date()}
            for c in coupons
        ],
    )

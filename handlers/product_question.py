"""Questions before buying (stock, sizes, materials): the shop's FAQ when it has one, else a person."""

from __future__ import annotations

from bot.nlu import Intent
from bot.router import Router
from bot.turn import Turn
from handlers.common import HUMAN, hand_off_and_tell

router = Router("product_question")


@router.intent(Intent.PRODUCT_QUESTION)
async def answer_product_question(turn: Turn) -> None:
    """The bot knows no catalogue: it points to the FAQ (a person stays one tap away) or hands over."""
    faq = turn.services.settings.faq
    if faq:
        await turn.reply("product_question/faq", faq=faq, buttons=[HUMAN])
    else:
        await hand_off_and_tell(turn, "product_question", "product_question/to_person")

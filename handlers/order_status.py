"""Where is my order: answered from the order timeline, in full only to the order's owner.

The owner is the contact the order is linked to: placed from this chat, a signed link opened,
or a phone the platform verified. An order code alone proves nothing (shops number orders in
sequence), so whoever else types one learns its status and ETA, a few distinct codes an hour.
"""

from __future__ import annotations

from bot.nlu import Intent
from bot.lookups import may_look_up
from bot.orders import facts_by_code, owned_order, owns, status_view
from bot.phones import normalise_phone
from bot.router import Router
from bot.turn import Turn
from handlers.common import HUMAN, ask_for_proof, own_order_in, show_order, show_own_orders

router = Router("order_status")


@router.intent(Intent.WHERE_IS_MY_ORDER)
async def where_is_my_order(turn: Turn) -> None:
    entities = turn.classification.entities if turn.classification else None
    if entities and entities.order_code:
        await _by_code(turn, entities.order_code)
    elif entities and entities.tracking_code:
        await _by_tracking_code(turn, entities.tracking_code)
    elif entities and entities.phone:
        await _by_phone(turn, entities.phone)
    else:
        await show_own_orders(turn)


async def _by_code(turn: Turn, code: str) -> None:
    order = await facts_by_code(turn.session, code)
    if order is not None and owns(turn.party.contact, order):
        await show_order(turn, order)
    elif not await may_look_up(turn.session, turn.party.identity, code, turn.now):
        await turn.reply("order_status/too_many_lookups", buttons=[HUMAN])
    elif order is None:
        await turn.reply("order_status/not_found", code=code, buttons=[HUMAN])
    else:
        await ask_for_proof(turn, "order_status/status_only", order=status_view(order))


async def _by_tracking_code(turn: Turn, code: str) -> None:
    order = await owned_order(turn.session, turn.party.contact, tracking_code=code)
    if order is None:
        await turn.reply("order_status/not_found", code=code, buttons=[HUMAN])
    else:
        await show_order(turn, order)


async def _by_phone(turn: Turn, written: str) -> None:
    """A phone is only a key to orders when the platform verified it is this customer's."""
    contact = turn.party.contact
    if contact.phone_verified and contact.phone == normalise_phone(written):
        await show_own_orders(turn)
    else:
        await ask_for_proof(turn, "order_status/phone_unverified", phone=written)


@router.action("o")
async def picked_order(turn: Turn) -> None:
    """`o:<order id>` from `choose_order`: ids, because a 64-character code would not fit Telegram's 64 bytes."""
    order = await own_order_in(turn)
    if order is None:  # no longer linked to them (their data was deleted): show what is
        await show_own_orders(turn)
    else:
        await show_order(turn, order)


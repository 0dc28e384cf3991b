"""Where is my order: answered from the order timeline, in full only to the order's owner.

The owner is the contact the order is linked to: placed from this chat, a signed link opened,
or a phone the platform verified. An order code alone proves nothing (shops number orders in
sequence), so whoever else types one learns its status and ETA, a few distinct codes an hour.
"""

from __future__ import annotations

from typing import Any

from bot.nlu import Intent
from bot.lookups import may_look_up
from bot.orders import order_by_code, order_view, orders_to_report, owned_order, owns, status_view
from bot.phones import normalise_phone
from bot.router import Router
from bot.storage.models import Order
from bot.turn import Turn
from carriers.models import CanonicalStatus
from channels.models import Button, ChannelKind
from content.filters import status_label

router = Router("order_status")
HUMAN = ("human", "m:human")


async def show_order(turn: Turn, order: Order) -> None:
    await turn.reply(
        "order_status/current",
        order=order_view(order),
        show_shipper=order.status == CanonicalStatus.OUT_FOR_DELIVERY,  # the shipper's phone matters that day
        buttons=[HUMAN],
    )


async def ask_for_proof(turn: Turn, template: str = "order_status/ask_code", **variables: Any) -> None:
    """Telegram vouches for a phone shared in one tap; elsewhere the shop's signed link is the proof."""
    can_share = turn.message.sender.channel == ChannelKind.TELEGRAM
    await turn.reply(template, request_phone=can_share, can_share_phone=can_share, buttons=[HUMAN], **variables)


async def show_own_orders(turn: Turn) -> None:
    orders = await orders_to_report(turn.session, turn.party.contact, turn.now)
    if not orders:
        if turn.party.contact.phone_verified:
            await turn.reply("order_status/none_active", customer_name=turn.party.contact.name)
        else:
            await ask_for_proof(turn)
    elif len(orders) == 1:
        await show_order(turn, orders[0])
    else:
        await choose_order(turn, orders)


async def choose_order(turn: Turn, orders: list[Order]) -> None:
    buttons = [
        Button(f"{o.code} · {status_label(o.status, turn.language)}", f"o:{o.id}")
        for o in orders[:8]
    ]
    await turn.reply("order_status/choose", orders=[order_view(o) for o in orders], buttons=buttons)


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
    order = await order_by_code(turn.session, code)
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


async def own_order_in(turn: Turn) -> Order | None:
    """The customer's order a button names by id (`o:<id>`, `rd:<id>`)."""
    order_id = turn.action_args[0] if turn.action_args else ""
    return await owned_order(turn.session, turn.party.contact, id=int(order_id)) if order_id.isdigit() else None

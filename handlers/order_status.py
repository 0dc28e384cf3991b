"""Where is my order: answered from the order timeline, never to an unverified identity."""

from __future__ import annotations

from bot.nlu import Intent
from bot.orders import order_by_code, order_view, orders_to_report, owned_order
from bot.phones import normalise_phone
from bot.router import Router
from bot.storage.models import Order
from bot.turn import Turn
from channels.models import Button, ChannelKind
from content.filters import status_label

router = Router("order_status")
HUMAN = ("human", "m:human")


async def show_order(turn: Turn, order: Order) -> None:
    await turn.reply(
        "order_status/current",
        order=order_view(order),
        show_shipper=order.status == "out_for_delivery",  # the shipper's phone matters that day
        buttons=[HUMAN],
    )


async def ask_for_code(turn: Turn, template: str = "order_status/ask_code", **variables: str) -> None:
    """Telegram can share a verified phone in one tap; elsewhere the order code is the way."""
    can_share = turn.message.sender.channel == ChannelKind.TELEGRAM
    await turn.reply(template, request_phone=can_share, buttons=[HUMAN], **variables)


async def show_own_orders(turn: Turn) -> None:
    orders = await orders_to_report(turn.session, turn.party.contact, turn.now)
    if not orders:
        if turn.party.contact.phone_verified:
            await turn.reply("order_status/none_active", customer_name=turn.party.contact.name)
        else:
            await ask_for_code(turn)
    elif len(orders) == 1:
        await show_order(turn, orders[0])
    else:
        await choose_order(turn, orders)


async def choose_order(turn: Turn, orders: list[Order]) -> None:
    buttons = [
        Button(f"{o.code} · {status_label(o.status, turn.language)}", f"o:{o.code}")
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
    if order is None:
        await turn.reply("order_status/not_found", code=code, buttons=[HUMAN])
    else:
        await show_order(turn, order)


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
        await ask_for_code(turn, "order_status/phone_unverified", phone=written)


@router.action("o")
async def picked_order(turn: Turn) -> None:
    code = ":".join(turn.action_args)
    order = await owned_order(turn.session, turn.party.contact, code=code)
    if order is None:
        await _by_code(turn, code)
    else:
        await show_order(turn, order)

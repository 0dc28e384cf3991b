"""Answers more than one handler gives: the customer's orders, and a person brought in.

The one handlers module others may import (tests/test_handler_independence.py), so that a
handler never depends on another handler's registrations.
"""

from __future__ import annotations

from typing import Any, Sequence

from bot.hours import next_opening
from bot.orders import OrderRead, order_view, orders_to_report, owned_order
from bot.storage.models import Order
from bot.turn import Turn
from carriers.models import CanonicalStatus
from channels.base import PhoneShare
from channels.models import Button
from channels.registry import capabilities_of
from content.filters import status_label

HUMAN = ("human", "m:human")
MISSES_BEFORE_HANDOFF = 2


async def handed_off_after_misses(turn: Turn) -> bool:
    """Count an answer that did not help (a question back); the second in a row brings a person
    in instead, so the customer is asked once, never in a loop."""
    conversation = turn.party.conversation
    conversation.misses += 1
    if conversation.misses < MISSES_BEFORE_HANDOFF:
        return False
    conversation.misses = 0
    await hand_off_and_tell(turn, "bot_could_not_help")
    return True


async def hand_off_and_tell(turn: Turn, reason: str, template: str = "handoff/requested") -> None:
    """A person will answer: now, or (outside business hours) when they are back; `template` says
    why in its own words, with the same `within_hours` and `opens_at`."""
    turn.hand_off(reason)
    settings = turn.services.settings
    opening = next_opening(turn.now, settings.open_hours, settings.zone)
    opens_at = None
    if opening is not None:
        opens_at = f"{opening:%H:%M}" + ("" if opening.date() == turn.now.astimezone(settings.zone).date() else f" {opening:%d/%m}")
    await turn.reply(template, within_hours=opening is None, opens_at=opens_at)


async def show_order(turn: Turn, order: OrderRead) -> None:
    await turn.reply(
        "order_status/current",
        order=order_view(order),
        show_shipper=order.status == CanonicalStatus.OUT_FOR_DELIVERY,  # the shipper's phone matters that day
        buttons=[HUMAN],
    )


async def ask_for_proof(turn: Turn, template: str = "order_status/ask_code", **variables: Any) -> None:
    """The share-my-phone control is offered only where the platform vouches that the phone is the
    sender's own (docs/platforms.md §4); elsewhere the shop's signed link is the proof."""
    can_share = capabilities_of(turn.message.sender.channel).phone_share is PhoneShare.VERIFIED
    await turn.reply(template, request_phone=can_share, can_share_phone=can_share, buttons=[HUMAN], **variables)


async def show_own_orders(turn: Turn) -> None:
    orders = await orders_to_report(turn.session, turn.party.contact, turn.now)
    if not orders:
        await no_orders_known(turn)
    elif len(orders) == 1:
        await show_order(turn, orders[0])
    else:
        await choose_order(turn, orders)


async def no_orders_known(turn: Turn) -> None:
    """None to report: nothing active for a customer we know, else a way to prove who they are."""
    if turn.party.contact.phone_verified:
        await turn.reply("order_status/none_active", customer_name=turn.party.contact.name)
    else:
        await ask_for_proof(turn)


async def choose_order(turn: Turn, orders: Sequence[OrderRead], action: str = "o") -> None:
    """One button an order; `action` is the prefix its tap goes to (`o`: show it, `rd`: redeliver it)."""
    buttons = [
        Button(f"{o.code} · {status_label(o.status, turn.language)}", f"{action}:{o.id}")
        for o in orders[:8]
    ]
    await turn.reply("order_status/choose", orders=[order_view(o) for o in orders], buttons=buttons)


async def own_order_in(turn: Turn) -> Order | None:
    """The customer's order a button names by id (`o:<id>`, `rd:<id>`)."""
    order_id = turn.action_args[0] if turn.action_args else ""
    return await owned_order(turn.session, turn.party.contact, id=int(order_id)) if order_id.isdigit() else None


def named_code(turn: Turn) -> str | None:
    """The order or tracking code the message names, as written: an intent beside it is about that order."""
    entities = turn.classification.entities if turn.classification else None
    return (entities.order_code or entities.tracking_code) if entities else None


async def own_named_order(turn: Turn) -> Order | None:
    """The order the message names, if it is this customer's (a code alone proves nothing)."""
    entities = turn.classification.entities if turn.classification else None
    if entities is None:
        return None
    if entities.order_code:
        return await owned_order(turn.session, turn.party.contact, code=entities.order_code)
    if entities.tracking_code:
        return await owned_order(turn.session, turn.party.contact, tracking_code=entities.tracking_code)
    return None

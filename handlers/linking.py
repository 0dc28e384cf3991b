"""Linking a chat account to the customer's orders: a verified phone or a signed link."""

from __future__ import annotations

from bot.contacts import verify_phone
from bot.dashboard_days import mark_contacts, mark_moments
from bot.linktokens import read_token
from bot.orders import order_by_code, orders_of
from bot.phones import normalise_phone
from bot.router import Router
from bot.turn import Turn
from channels.models import Kind
from handlers.common import show_own_orders

router = Router("linking")


@router.kind(Kind.CONTACT)
async def phone_shared(turn: Turn) -> None:
    phone = normalise_phone(turn.message.phone or "")
    if phone is None:
        await turn.reply("link/invalid")
        return
    await _link(turn, phone)


@router.kind(Kind.LINK)
async def link_opened(turn: Turn) -> None:
    code = read_token(turn.services.secret, turn.message.link_token or "", turn.now.date())
    order = await order_by_code(turn.session, code) if code else None
    phone = normalise_phone(order.phone or "") if order else None
    if order is None or phone is None:
        await turn.reply("link/invalid")
        return
    await _link(turn, phone)
    order.contact_id = turn.party.contact.id
    await mark_moments(turn.session, [order.created_at], turn.services.settings.zone, turn.now)  # the dashboard counts it by channel now


async def _link(turn: Turn, phone: str) -> None:
    turn.party = await verify_phone(turn.session, turn.party, phone, turn.now)
    # merged with the phone's owner, linked to orders by phone: the days the dashboard counted them on change
    await mark_contacts(turn.session, [turn.party.contact.id], turn.services.settings.zone, turn.now)
    orders = await orders_of(turn.session, turn.party.contact)
    await turn.reply(
        "link/linked", customer_name=turn.party.contact.name or None, order_count=len(orders)
    )
    if orders:
        await show_own_orders(turn)

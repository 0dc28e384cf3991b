"""Another delivery attempt: asked in one tap under a failed-delivery notice, or in words
("shipper gọi mà em không bắt máy, giao lại giúp em")."""

from __future__ import annotations

from bot.nlu import Intent
from bot.orders import OrderRead, orders_to_report
from bot.router import Router
from bot.storage.dialect import insert_ignoring_conflicts
from bot.storage.models import OrderEvent
from bot.turn import Turn
from handlers.common import ask_for_proof, choose_order, named_code, no_orders_known, own_named_order, own_order_in, show_own_orders

router = Router("redelivery")


@router.action("rd")
async def ask_for_redelivery(turn: Turn) -> None:
    order = await own_order_in(turn)
    if order is None:  # its owner's data was deleted since the notice went out
        await show_own_orders(turn)
        return
    await _record_request(turn, order)


@router.intent(Intent.REDELIVERY)
async def redeliver(turn: Turn) -> None:
    """For the order the message names if it is theirs; else their one order, or a choice among
    them (each button a one-tap request). Only an owner may ask: a code alone proves nothing."""
    if named_code(turn) is not None:
        order = await own_named_order(turn)
        await (_record_request(turn, order) if order is not None else ask_for_proof(turn))
        return
    orders = await orders_to_report(turn.session, turn.party.contact, turn.now)
    if not orders:
        await no_orders_known(turn)
    elif len(orders) == 1:
        await _record_request(turn, orders[0])
    else:
        await choose_order(turn, orders, action="rd")


async def _record_request(turn: Turn, order: OrderRead) -> None:
    """Recorded on the order's timeline (no status change) so the shop sees it in the API and the
    inbox and arranges the new attempt with the carrier; the customer is told what happens next."""
    await turn.session.execute(
        insert_ignoring_conflicts(turn.session, OrderEvent).values(
            order_id=order.id, event_key=f"redeliver:{turn.event_id}", status=None,
            source="customer", description="customer asked for another delivery attempt",
            occurred_at=turn.now, recorded_at=turn.now,
        )
    )
    await turn.reply("redelivery/requested", order={"code": order.code})

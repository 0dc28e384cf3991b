"""A failed delivery awaiting the shop's decision: the customer asks, in one tap, for another try."""

from __future__ import annotations

from bot.router import Router
from bot.storage.dialect import insert_ignoring_conflicts
from bot.storage.models import OrderEvent
from bot.turn import Turn
from handlers.common import own_order_in, show_own_orders

router = Router("redelivery")


@router.action("rd")
async def ask_for_redelivery(turn: Turn) -> None:
    """Recorded on the order's timeline (no status change) so the shop sees it in the API and inbox."""
    order = await own_order_in(turn)
    if order is None:  # its owner's data was deleted since the notice went out
        await show_own_orders(turn)
        return
    await turn.session.execute(
        insert_ignoring_conflicts(turn.session, OrderEvent).values(
            order_id=order.id, event_key=f"redeliver:{turn.event_id}", status=None,
            source="customer", description="customer asked for another delivery attempt",
            occurred_at=turn.now, recorded_at=turn.now,
        )
    )
    await turn.reply("redelivery/requested", order={"code": order.code})

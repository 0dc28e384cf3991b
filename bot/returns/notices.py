"""Telling the customer where their return stands, through the outbox like every notice.

Each state the shop, a carrier or a person reaches gets one message (`return/<state>`), keyed
by request and state so it is queued once; it is a proactive notice, so the journey's rules
apply at send time (opt-out of notices, quiet hours, a person holding the chat, the
messaging window with the shop's approved template outside it).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.contacts import recipient_of
from bot.outbox import OutboxBody, OutboxKind, OutboxMessage, enqueue
from bot.returns.policy import masked
from bot.storage.models import Order, ReturnRequest
from bot.template_vars import template_vars
from bot.turn import Services
from channels.models import Purpose

TOLD = frozenset({"approved", "rejected", "pickup_scheduled", "in_return_transit", "received", "refunded",
                  "exchanged_shipped"})


def request_view(request: ReturnRequest, order: Order, parcel: Order | None) -> dict[str, Any]:
    """What a return template receives: never the full bank account."""
    return {
        "id": request.id, "order_code": order.code, "items": request.items, "reason": request.reason,
        "resolution": request.resolution, "exchange_wish": request.exchange_wish, "refund_method": request.refund_method,
        "account": masked(request.refund_account), "state": request.state,
        "carrier": parcel.carrier if parcel else None, "tracking_code": parcel.tracking_code if parcel else None,
        "pickup_date": parcel.eta if parcel else None, "exchange_tracking_code": request.exchange_tracking_code,
    }


async def tell(session: AsyncSession, services: Services, request: ReturnRequest, note: str) -> None:
    if request.state not in TOLD:
        return
    recipient = await recipient_of(session, request.contact_id)
    order = await session.get(Order, request.order_id)
    if recipient is None or order is None:
        return
    parcel = await session.get(Order, request.return_order_id) if request.return_order_id else None
    settings = services.settings
    language = recipient.contact.language or settings.language
    rendered = services.renderer.render(
        f"return/{request.state}", language=language, channel=recipient.address.channel.value,
        shop_name=settings.shop_name, request=request_view(request, order, parcel), note=note,
    )
    variables = template_vars(order, recipient.contact, shop=settings.shop_name, language=language, zone=settings.zone)
    now = services.clock()
    await enqueue(session, OutboxMessage(
        key=f"return:{request.id}:{request.state}", kind=OutboxKind.NOTICE, to=recipient.address,
        body=OutboxBody(rendered.text, purpose=Purpose.UPDATE, vars=variables), due_at=now,
        contact_id=recipient.contact.id, conversation_id=recipient.conversation_id,
    ), now=now)

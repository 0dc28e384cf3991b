"""A shop platform's order event applied once: deduplicated, older copies ignored, then the
same upsert as the REST API and the import, so the journey follows as for any order.

`source_events` remembers each delivery (a replay is a no-op) and, per platform object
(an order, a fulfilment), the platform's `updated_at` of the newest copy applied: webhooks
arrive out of order, and an `orders/updated` older than one applied would put back a
customer's old address or an old tracking code. Statuses are safe either way (the timeline
merges them by the lifecycle), but the rest of the order is not.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.orders import upsert_order
from app.api.schemas import OrderIn
from bot.config import Settings
from bot.phones import normalise_phone
from bot.storage.models import SourceEventRecord
from sources.base import OrderSource
from sources.models import SourceEvent, SourceOrder
from sources.registry import SourceSecrets, build_sources
from tracking.timeline import OrderChangeHook
from untrusted.refused import refusal


class Outcome(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"  # this event was applied before: nothing changes
    STALE = "stale"  # a newer copy of the same object was applied: recorded, nothing changes
    IGNORED = "ignored"  # a topic that carries no order (a ping, a topic we do not follow)


def sources_of(settings: Settings) -> dict[str, OrderSource]:
    def reveal(value: Any) -> str | None:
        return value.get_secret_value() if value is not None else None

    return build_sources(SourceSecrets(
        shopify_webhook_secret=reveal(settings.shopify_webhook_secret), shopify_shop_url=settings.shopify_shop_url,
        shopify_access_token=reveal(settings.shopify_access_token),
        haravan_webhook_secret=reveal(settings.haravan_webhook_secret),
        woocommerce_webhook_secret=reveal(settings.woocommerce_webhook_secret), woocommerce_url=settings.woocommerce_url,
        woocommerce_consumer_key=reveal(settings.woocommerce_consumer_key),
        woocommerce_consumer_secret=reveal(settings.woocommerce_consumer_secret),
        signed_webhook_secret=reveal(settings.signed_webhook_secret),
    ))


def as_order_in(order: SourceOrder) -> OrderIn:
    """Haumai's order from the platform's; a phone that is not Vietnamese is left out, not refused,
    so an order from abroad still arrives (its customer is reached through their chat)."""
    try:
        return OrderIn.model_validate({
            "code": order.code, "items": [{"name": i.name or "?", "quantity": i.quantity, "price": i.price} for i in order.items],
            "customer": {"name": order.customer_name, "phone": normalise_phone(order.phone or "") or None,
                         "channel": order.channel, "channel_user_id": order.channel_user_id},
            "total": order.total, "carrier": order.carrier, "tracking_code": order.tracking_code,
            "status": order.status, "placed_at": order.placed_at,
        })
    except ValidationError as failure:
        raise refusal(failure, "order") from None


def pulled(order: SourceOrder) -> SourceEvent:
    """A copy read from the platform's API: the same copy pulled twice is one event."""
    stamp = order.updated_at.isoformat() if order.updated_at else "undated"
    return SourceEvent(f"pull:{order.object_key}:{stamp}"[:200], "pull", order)


async def apply_source_event(
    session: AsyncSession, platform: str, event: SourceEvent, *, now: datetime, on_change: OrderChangeHook
) -> Outcome:
    """Apply `event` in the caller's transaction; Refused (nothing written) when its order is invalid."""
    if await session.scalar(select(SourceEventRecord.id).where(
            SourceEventRecord.platform == platform, SourceEventRecord.event_id == event.event_id)) is not None:
        return Outcome.DUPLICATE
    order = event.order
    outcome = Outcome.IGNORED if order is None else (
        Outcome.STALE if await _superseded(session, platform, order) else Outcome.APPLIED)
    if order is not None and outcome is Outcome.APPLIED:
        await upsert_order(session, as_order_in(order), now=now, on_change=on_change)
    session.add(SourceEventRecord(
        platform=platform, event_id=event.event_id, topic=event.topic[:60], outcome=outcome.value, received_at=now,
        object_key=order.object_key if order else None, order_code=order.code if order else None,
        platform_updated_at=order.updated_at if order else None,
    ))
    await session.flush()
    return outcome


async def _superseded(session: AsyncSession, platform: str, order: SourceOrder) -> bool:
    if order.updated_at is None:
        return False
    newer = await session.scalar(select(SourceEventRecord.id).where(
        SourceEventRecord.platform == platform, SourceEventRecord.object_key == order.object_key,
        SourceEventRecord.outcome == Outcome.APPLIED.value, SourceEventRecord.platform_updated_at > order.updated_at,
    ).limit(1))
    return newer is not None

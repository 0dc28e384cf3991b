"""Care after delivery (seed 003): how to use or look after what was bought, a check-in before
the customer has to complain, and a win-back for customers who have not bought again.

Each is off until configured (HAUMAI_CARE_MESSAGES, HAUMAI_CHECKIN_AFTER, HAUMAI_WINBACK_AFTER),
limited to the segments its `*_SEGMENTS` setting names, and, like every proactive message,
an outbox row with a deterministic key: the dispatcher applies opt-out, quiet hours, the daily
cap and the channel windows when it falls due. Win-back is also capped per customer per quarter.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from sqlalchemy import String, and_, cast, exists, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.config import CareSpec, parse_duration
from bot.contacts import Recipient, recipient_of
from bot.nlu.text import fold
from bot.orders import order_view
from bot.outbox import OutboxBody, OutboxKind, OutboxStatus
from bot.segments import is_targeted
from bot.storage.models import Order, Outbox
from bot.turn import Services
from carriers.models import CanonicalStatus
from channels.models import Button

if TYPE_CHECKING:
    from scheduler.journey import JourneyPlanner

LOOKBACK = timedelta(days=7)  # a win-back missed (the bot was down) is still sent this much later
COUNTED = (OutboxStatus.PENDING, OutboxStatus.CLAIMED, OutboxStatus.SENDING, OutboxStatus.SENT, OutboxStatus.UNKNOWN)
BATCH = 200


def care_for(items: Iterable[Mapping[str, Any]], messages: Mapping[str, CareSpec]) -> dict[str, timedelta]:
    """The care templates an order's items call for (a key's whole words found in an item's
    category or name, with or without diacritics: "ao" is in "Áo thun", not in "Giao"), each
    once, with its delay."""
    found: dict[str, timedelta] = {}
    for item in items:
        described = fold(f"{item.get('category', '')} {item.get('name', '')}")
        for key, spec in messages.items():
            if re.search(rf"\b{re.escape(fold(key))}\b", described):
                found.setdefault(spec.template, parse_duration(spec.delay))
    return found


def _winback_key(order_id: int, delay: timedelta) -> str:
    return f"winback:{order_id}:{delay.days}d"


def _winback_key_sql(delay: timedelta) -> Any:
    """The same key, spelled in SQL for the order at hand (`||` on both databases)."""
    return literal("winback:") + cast(Order.id, String) + literal(f":{delay.days}d")


def quarter_start(now: datetime, zone: Any) -> datetime:
    local = now.astimezone(zone).date()
    first = local.replace(month=(local.month - 1) // 3 * 3 + 1, day=1)
    return datetime.combine(first, time(0), tzinfo=zone)


class CarePlanner:
    def __init__(self, planner: JourneyPlanner, services: Services) -> None:
        self._planner = planner
        self._services = services

    async def after_delivery(self, session: AsyncSession, order: Order, delivered_at: datetime,
                             recipient: Recipient) -> None:
        settings, now = self._services.settings, self._services.clock()
        if settings.care_messages and await is_targeted(session, recipient.contact.id, settings.care_segments,
                                                        settings, now):
            for template, after in care_for(order.items or (), settings.care_messages).items():
                text, _ = self._planner.render(recipient, template, order=order_view(order))
                await self._planner.add(session, recipient, order, key=f"care:{order.id}:{template}",
                                        kind=OutboxKind.CARE, body=OutboxBody(text), due_at=delivered_at + after)
        delay = settings.checkin_delay
        if delay is not None and await is_targeted(session, recipient.contact.id, settings.checkin_segments,
                                                   settings, now):
            await self._checkin(session, order, delivered_at + delay, recipient)

    async def _checkin(self, session: AsyncSession, order: Order, due: datetime, recipient: Recipient) -> None:
        text, labels = self._planner.render(recipient, "care/checkin", order=order_view(order))
        buttons = (Button(labels["ok"], f"ci:{order.id}:ok"), Button(labels["no"], f"ci:{order.id}:no"))
        await self._planner.add(session, recipient, order, key=f"checkin:{order.id}", kind=OutboxKind.CHECKIN,
                                body=OutboxBody(text, buttons), due_at=due)

    async def win_back(self, session: AsyncSession) -> None:
        """Customers whose last purchase was a win-back delay ago (within LOOKBACK) get one
        message per delay, unless they had their quarter's win-backs already."""
        settings, now = self._services.settings, self._services.clock()
        for delay in settings.winback_delays:
            for order in await self._last_purchases(session, now - delay, delay):
                await self._win_back(session, order, delay, now)

    async def _last_purchases(self, session: AsyncSession, before: datetime, delay: timedelta) -> list[Order]:
        """Orders placed a win-back delay ago whose customer has not bought since, and whose
        win-back for this delay was not decided yet (sent, or recorded as refused)."""
        later = aliased(Order)
        bought_again = exists().where(and_(later.contact_id == Order.contact_id, later.created_at > Order.created_at,
                                           later.status != CanonicalStatus.CANCELLED))
        decided = exists().where(and_(Outbox.order_id == Order.id, Outbox.kind == OutboxKind.WINBACK,
                                      Outbox.dedupe_key == _winback_key_sql(delay)))
        return list(await session.scalars(
            select(Order).where(Order.created_at <= before, Order.created_at > before - LOOKBACK,
                                Order.contact_id.is_not(None), Order.status != CanonicalStatus.CANCELLED,
                                ~bought_again, ~decided).limit(BATCH)
        ))

    async def _win_back(self, session: AsyncSession, order: Order, delay: timedelta, now: datetime) -> None:
        """Planned, or, past the quarter's cap or outside the wanted segments, kept as cancelled
        with the reason: either way decided once, so the next look moves on to other customers."""
        recipient = await recipient_of(session, order.contact_id) if order.contact_id is not None else None
        if recipient is None:
            return
        key = _winback_key(order.id, delay)
        text, _ = self._planner.render(recipient, "care/winback", order=order_view(order))
        refusal = await self._refusal(session, recipient.contact.id, now)
        await self._planner.add(session, recipient, order, key=key, kind=OutboxKind.WINBACK, body=OutboxBody(text),
                                due_at=now)
        if refusal is not None:
            await session.execute(update(Outbox).where(Outbox.dedupe_key == key, Outbox.status == OutboxStatus.PENDING)
                                  .values(status=OutboxStatus.CANCELLED, last_error=refusal))

    async def _refusal(self, session: AsyncSession, contact_id: int, now: datetime) -> str | None:
        settings = self._services.settings
        if await self._quarter_count(session, contact_id, now) >= settings.winback_per_quarter:
            return f"win-back cap of {settings.winback_per_quarter} per quarter reached"
        if not await is_targeted(session, contact_id, settings.winback_segments, settings, now):
            return "not in the win-back segments"
        return None

    async def _quarter_count(self, session: AsyncSession, contact_id: int, now: datetime) -> int:
        found = await session.scalar(select(func.count()).select_from(Outbox).where(
            Outbox.contact_id == contact_id, Outbox.kind == OutboxKind.WINBACK, Outbox.status.in_(COUNTED),
            Outbox.due_at >= quarter_start(now, self._services.settings.zone),
        ))
        return int(found or 0)

"""The proactive journey: order-timeline changes become outbox rows with deterministic keys.

A status change schedules its notice now; `delivered` also schedules the thank-you (with
the personal coupon and the CSAT question) and, at most once per customer per 90 days,
the NPS question. A newer status cancels still-pending notices of older ones, so a late
or out-of-order status never sends an older notice after a newer one. While an experiment runs,
each order's arm (`_variant`) decides which of these messages go, when, and with which template.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions import sealed
from bot.contacts import Recipient, recipient_of
from bot.conversation_events import InboxEventKind, record_event
from bot.coupons import issue_for
from bot.experiments.assignment import variant_for
from bot.experiments.spec import Choices, choices_for
from bot.orders import StatusChange, order_view
from bot.outbox import OutboxBody, OutboxKind, OutboxMessage, OutboxStatus, enqueue
from bot.returns.parcels import RETURN, parcel_moved
from bot.storage.models import Conversation, ConversationMode, Coupon, Handoff, Order, Outbox
from bot.surveys import SurveyKind
from bot.template_vars import template_vars
from bot.turn import NUMBERED_HINT, Services
from carriers.models import CanonicalStatus as S
from scheduler.care import CarePlanner
from channels.models import Button, Purpose

NOTICE_STATUSES = frozenset(
    {S.CONFIRMED, S.PICKED_UP, S.IN_TRANSIT, S.OUT_FOR_DELIVERY, S.DELIVERED, S.DELIVERY_FAILED, S.RETURNING,
     S.CANCELLED}
)
IN_FLIGHT = (S.CONFIRMED, S.PICKED_UP, S.IN_TRANSIT, S.OUT_FOR_DELIVERY, S.DELIVERY_FAILED)
STILL_PLANNED_OR_SENT = (
    OutboxStatus.PENDING, OutboxStatus.CLAIMED, OutboxStatus.SENDING, OutboxStatus.SENT, OutboxStatus.UNKNOWN
)
NPS_EVERY = timedelta(days=90)
STALE_AFTER = timedelta(days=2)
CSAT_SCALE = range(1, 6)
NPS_SCALE = range(0, 11)


def survey_buttons(kind: SurveyKind, subject: str, labels: dict[str, str], scale: range) -> tuple[Button, ...]:
    return tuple(Button(labels[str(n)], f"sv:{kind}:{subject}:{n}") for n in scale)


class JourneyPlanner:
    def __init__(self, services: Services) -> None:
        self._services = services
        self.care = CarePlanner(self, services)

    async def __call__(self, session: AsyncSession, order: Order, change: StatusChange) -> None:
        if order.direction == RETURN:  # a customer's return parcel moves their return request instead
            await parcel_moved(session, self._services, order, change)
            return
        if order.contact_id is None:  # nobody to tell, so nothing was planned that could be superseded
            return
        await self._supersede(session, order, change)
        recipient = await recipient_of(session, order.contact_id)
        stale = change.occurred_at < self._services.clock() - STALE_AFTER  # a replayed old journey
        if recipient is None or change.current not in NOTICE_STATUSES or stale:
            return
        variant = await self._variant(session, order)
        if variant.notices:
            await self._notice(session, order, change, recipient, variant)
        if change.current == S.DELIVERED:
            await self._thanks(session, order, change.occurred_at, recipient, variant)
            await self._nps(session, order, change.occurred_at, recipient)
            await self.care.after_delivery(session, order, change.occurred_at, recipient)

    async def _variant(self, session: AsyncSession, order: Order) -> Choices:
        """Which messages and timings apply to this order: its experiment arm's, else the settings'."""
        arm = await variant_for(session, order, self._services.clock())
        return choices_for(self._services.settings, arm)

    async def _supersede(self, session: AsyncSession, order: Order, change: StatusChange) -> None:
        outbox = Outbox.__table__
        await session.execute(
            update(outbox)
            .where(outbox.c.order_id == order.id, outbox.c.kind == OutboxKind.NOTICE,
                   outbox.c.status == OutboxStatus.PENDING)
            .values(status=OutboxStatus.CANCELLED, last_error=f"superseded by status {change.current}")
        )

    def render(self, recipient: Recipient, name: str, **variables: Any) -> tuple[str, dict[str, str]]:
        settings = self._services.settings
        rendered = self._services.renderer.render(
            name, language=recipient.contact.language or settings.language,
            channel=recipient.address.channel.value, shop_name=settings.shop_name, **variables,
        )
        return rendered.text, dict(rendered.labels)

    def _with_vars(self, body: OutboxBody, recipient: Recipient, order: Order | None, **extra: Any) -> OutboxBody:
        """Seal the buttons to the recipient (bot.actions) and attach what an approved provider
        template needs, in case the window is closed by then."""
        settings = self._services.settings
        variables = template_vars(
            order, recipient.contact, shop=settings.shop_name, zone=settings.zone,
            language=recipient.contact.language or settings.language, **extra,
        )
        buttons = sealed(self._services.secret, recipient.contact.id, body.buttons)
        hint = self.render(recipient, NUMBERED_HINT)[0] if buttons else ""
        return replace(body, buttons=buttons, purpose=Purpose.UPDATE, vars=variables, numbered_hint=hint)

    async def add(
        self, session: AsyncSession, recipient: Recipient, order: Order, *, key: str, kind: OutboxKind,
        body: OutboxBody, due_at: datetime, **extra: Any,
    ) -> None:
        await enqueue(session, OutboxMessage(
            key=key, kind=kind, to=recipient.address, body=self._with_vars(body, recipient, order, **extra),
            due_at=due_at, contact_id=recipient.contact.id, conversation_id=recipient.conversation_id,
            order_id=order.id,
        ), now=self._services.clock())

    async def _notice(
        self, session: AsyncSession, order: Order, change: StatusChange, recipient: Recipient, variant: Choices
    ) -> None:
        view = order_view(order) if variant.shipper_phone else {**order_view(order), "shipper_phone": None}
        text, labels = self.render(recipient, variant.template(f"notice/{change.current}"), order=view)
        buttons: tuple[Button, ...] = ()
        if change.current == S.DELIVERY_FAILED:
            buttons = (Button(labels["redeliver"], f"rd:{order.id}"), Button(labels["human"], "m:human"))
        key = f"notice:{order.id}:{change.current}:{change.occurred_at.isoformat()}"
        await self.add(session, recipient, order, key=key, kind=OutboxKind.NOTICE, body=OutboxBody(text, buttons),
                        due_at=self._services.clock())

    async def _thanks(
        self, session: AsyncSession, order: Order, delivered_at: datetime, recipient: Recipient, variant: Choices
    ) -> None:
        settings = self._services.settings
        coupon = await issue_for(
            session, order, percent=variant.coupon_percent,
            valid=timedelta(days=settings.coupon_valid_days), now=self._services.clock(),
        )
        text, labels = self.render(
            recipient, variant.template("thanks_coupon"), order=order_view(order), coupon_code=coupon.code,
            coupon_percent=coupon.percent, coupon_expires=coupon.expires_at.astimezone(settings.zone).date(),
        )
        body = OutboxBody(text, survey_buttons(SurveyKind.CSAT, str(order.id), labels, CSAT_SCALE))
        await self.add(session, recipient, order, key=f"thanks:{order.id}", kind=OutboxKind.THANKS, body=body,
                        due_at=delivered_at + variant.thanks_after, coupon_code=coupon.code,
                        coupon_percent=coupon.percent, coupon_expires=coupon.expires_at.astimezone(settings.zone).date())

    async def _nps(
        self, session: AsyncSession, order: Order, delivered_at: datetime, recipient: Recipient
    ) -> None:
        due = delivered_at + self._services.settings.nps_after
        if await recent_nps(session, recipient.contact.id, due):
            return
        text, labels = self.render(recipient, "survey/nps")
        body = OutboxBody(text, survey_buttons(SurveyKind.NPS, str(order.id), labels, NPS_SCALE))
        await self.add(session, recipient, order, key=f"nps:{order.id}", kind=OutboxKind.SURVEY, body=body, due_at=due)

    async def after_resolution(self, session: AsyncSession, conversation: Conversation) -> None:
        """CES: how easy was it, asked once per resolved staff conversation."""
        recipient = await recipient_of(session, conversation.contact_id)
        if recipient is None:
            return
        subject = f"{conversation.id}.{conversation.version}"
        text, labels = self.render(recipient, "survey/ces")
        body = OutboxBody(text, survey_buttons(SurveyKind.CES, subject, labels, CSAT_SCALE))
        await enqueue(session, OutboxMessage(
            key=f"ces:{subject}", kind=OutboxKind.SURVEY, to=recipient.address,
            body=self._with_vars(body, recipient, None), due_at=self._services.clock(),
            contact_id=recipient.contact.id, conversation_id=conversation.id,
        ), now=self._services.clock())

    async def holding_message(self, session: AsyncSession, conversation: Conversation, handoff_id: int) -> None:
        recipient = await recipient_of(session, conversation.contact_id)
        if recipient is None:
            return
        text, _ = self.render(recipient, "handoff/holding")
        now = self._services.clock()
        await enqueue(session, OutboxMessage(
            key=f"holding:{handoff_id}", kind=OutboxKind.HOLDING, to=recipient.address,
            body=OutboxBody(text, purpose=Purpose.UPDATE), due_at=now, contact_id=recipient.contact.id,
            conversation_id=conversation.id,
        ), now=now)

    async def coupon_reminder(self, session: AsyncSession, coupon: Coupon) -> None:
        recipient = await recipient_of(session, coupon.contact_id)
        order = await session.get(Order, coupon.order_id)
        if recipient is None or order is None:
            return
        expires = coupon.expires_at.astimezone(self._services.settings.zone).date()
        text, _ = self.render(
            recipient, "coupon/reminder", coupon_code=coupon.code,
            coupon_percent=coupon.percent, coupon_expires=expires,
        )
        await self.add(session, recipient, order, key=f"reminder:{coupon.id}", kind=OutboxKind.REMINDER,
                        body=OutboxBody(text), due_at=self._services.clock(), coupon_code=coupon.code,
                        coupon_percent=coupon.percent, coupon_expires=expires)

    async def delay_notice(self, session: AsyncSession, order: Order, *, new_eta: date) -> None:
        recipient = await recipient_of(session, order.contact_id)
        if recipient is None or order.eta is None or not (await self._variant(session, order)).notices:
            return
        text, _ = self.render(recipient, "notice/delayed", order=order_view(order), new_eta=new_eta)
        await self.add(session, recipient, order, key=f"delayed:{order.id}:{order.eta.isoformat()}",
                        kind=OutboxKind.NOTICE, body=OutboxBody(text), due_at=self._services.clock())


async def recent_nps(session: AsyncSession, contact_id: int, around: datetime) -> bool:
    """Whether an NPS question was sent or is planned within 90 days of `around`."""
    found = await session.scalar(
        select(Outbox.id).where(
            Outbox.contact_id == contact_id,
            Outbox.dedupe_key.like("nps:%"),
            Outbox.status.in_(STILL_PLANNED_OR_SENT),
            Outbox.due_at > around - NPS_EVERY,
            Outbox.due_at < around + NPS_EVERY,
        ).limit(1)
    )
    return found is not None


class Reminders:
    """Periodic checks that add journey messages nobody's status change would trigger."""

    def __init__(self, planner: JourneyPlanner, services: Services) -> None:
        self._planner = planner
        self._services = services

    async def run(self, session: AsyncSession) -> None:
        await self.remind_expiring_coupons(session)
        await self._planner.care.win_back(session)
        await self.apologise_for_delays(session)
        await self.hold_unanswered_handoffs(session)

    async def hold_unanswered_handoffs(self, session: AsyncSession) -> None:
        """Nobody answered a waiting customer in time: reassure them once, flag it for staff."""
        now = self._services.clock()
        waiting = await session.execute(
            select(Handoff, Conversation).join(Conversation, Conversation.id == Handoff.conversation_id).where(
                Handoff.resolved_at.is_(None), Handoff.first_response_at.is_(None), Handoff.held_at.is_(None),
                Handoff.requested_at < now - self._services.settings.holding_delay,
                Conversation.mode == ConversationMode.HUMAN,
            ).limit(200)
        )
        for handoff, conversation in waiting.all():
            handoff.held_at = now
            record_event(session, conversation.id, InboxEventKind.OVERDUE, {}, now)
            await self._planner.holding_message(session, conversation, handoff.id)

    async def remind_expiring_coupons(self, session: AsyncSession) -> None:
        """Once, three days before an unused coupon expires."""
        now = self._services.clock()
        coupons = await session.scalars(
            select(Coupon).where(
                Coupon.redeemed_at.is_(None), Coupon.reminded_at.is_(None),
                Coupon.expires_at > now, Coupon.expires_at <= now + timedelta(days=3),
            ).limit(200)
        )
        for coupon in coupons:
            coupon.reminded_at = now
            await self._planner.coupon_reminder(session, coupon)

    async def apologise_for_delays(self, session: AsyncSession) -> None:
        """Orders still on their way after their ETA get an apology and a new estimate."""
        today = self._services.clock().astimezone(self._services.settings.zone).date()
        late = await session.scalars(
            select(Order).where(Order.eta < today, Order.status.in_(IN_FLIGHT)).limit(200)
        )
        for order in late:
            await self._planner.delay_notice(session, order, new_eta=today + timedelta(days=1))

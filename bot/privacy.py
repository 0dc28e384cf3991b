"""Forgetting a customer who asked the platform to delete their data (Zalo `user_withdraw`).

What identifies or was said by the person goes: names, phone, message texts and
attachments, survey comments, staff notes, the raw webhook payloads, return photos and
refund accounts. What the shop counts stays, anonymous: how many messages, which scores, which orders were delivered. Orders
themselves are the shop's own records from its system; they are only unlinked from the chat.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.contacts import Party
from bot.outbox import OutboxStatus
from bot.returns.store import forget_returns
from bot.storage.deferred import write_deferred
from bot.storage.models import (
    Contact, Direction, Identity, InboundEvent, MessageRecord, Note, Order, OrderLookup, Outbox, SurveyAnswer,
)


async def forget(session: AsyncSession, party: Party, now: datetime) -> None:
    await write_deferred(session)  # the statements below must see everything this batch wrote so far
    await session.flush()
    contact, conversation = party.contact, party.conversation
    said = select(MessageRecord.provider_message_id).where(
        MessageRecord.conversation_id == conversation.id, MessageRecord.direction == Direction.IN,
        MessageRecord.provider_message_id.is_not(None),
    )
    await session.execute(
        update(InboundEvent).where(InboundEvent.provider_event_id.in_(said)).values(payload={})
    )
    await session.execute(
        update(MessageRecord).where(MessageRecord.conversation_id == conversation.id).values(text="", data={})
    )
    await session.execute(delete(Note).where(Note.conversation_id == conversation.id))
    await session.execute(update(SurveyAnswer).where(SurveyAnswer.contact_id == contact.id).values(comment=None))
    await session.execute(
        update(Outbox).where(Outbox.contact_id == contact.id, Outbox.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.CANCELLED, last_error="the customer asked for their data to be deleted")
    )
    await forget_returns(session, contact.id)  # before the identities and orders are unlinked
    await session.execute(update(Order).where(Order.contact_id == contact.id).values(contact_id=None))
    their_identities = select(Identity.id).where(Identity.contact_id == contact.id)
    await session.execute(delete(OrderLookup).where(OrderLookup.identity_id.in_(their_identities)))  # codes they typed
    await session.execute(update(Identity).where(Identity.contact_id == contact.id).values(display_name=""))
    await session.execute(
        update(Contact).where(Contact.id == contact.id).values(
            name="", phone=None, phone_verified=False, opted_out_at=now, notices_off=True,
        )
    )
    await session.refresh(contact)

"""Who is writing: channel identities resolved to one contact and one conversation.

A customer is one contact with several channel identities. Identities meet when a phone is
verified by a platform (Telegram contact share, Zalo user_submit_info) or a signed link
token is opened: then the newer contact is folded into the one that already owns the phone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.dialect import insert_ignoring_conflicts
from bot.storage.models import Contact, Conversation, Identity, MessageRecord, Order, Outbox
from channels.models import Address, ChannelKind


@dataclass(slots=True)
class Party:
    identity: Identity
    contact: Contact
    conversation: Conversation


async def resolve(session: AsyncSession, address: Address, name: str, now: datetime) -> Party:
    """The identity, contact and conversation behind an address, created on first contact."""
    identity = await identity_for(session, address, name, now)
    contact = await session.get_one(Contact, identity.contact_id)
    conversation = await conversation_of(session, contact, now)
    identity.last_inbound_at = now
    if name and not identity.display_name:
        identity.display_name = name
    contact.last_inbound_at, contact.last_channel = now, address.channel.value
    if name and not contact.name:
        contact.name = name
    return Party(identity, contact, conversation)


async def identity_for(session: AsyncSession, address: Address, name: str, now: datetime) -> Identity:
    """The identity behind an address, created (with its contact) the first time."""
    identity = await _find_identity(session, address)
    return identity if identity is not None else await _create_identity(session, address, name, now)


async def _find_identity(session: AsyncSession, address: Address) -> Identity | None:
    return await session.scalar(
        select(Identity).where(
            Identity.channel == address.channel.value, Identity.user_id == address.user
        )
    )


async def _create_identity(
    session: AsyncSession, address: Address, name: str, now: datetime
) -> Identity:
    contact = Contact(name=name, created_at=now)
    session.add(contact)
    await session.flush()
    await session.execute(
        insert_ignoring_conflicts(session, Identity).values(
            contact_id=contact.id,
            channel=address.channel.value,
            user_id=address.user,
            display_name=name,
            created_at=now,
        )
    )
    identity = await _find_identity(session, address)
    assert identity is not None
    if identity.contact_id != contact.id:  # another replica created it first
        await session.delete(contact)
    return identity


async def conversation_of(session: AsyncSession, contact: Contact, now: datetime) -> Conversation:
    conversation = await session.scalar(
        select(Conversation).where(Conversation.contact_id == contact.id)
    )
    if conversation is None:
        conversation = Conversation(contact_id=contact.id, mode="bot", created_at=now, offered=[])
        session.add(conversation)
        await session.flush()
    return conversation


async def verify_phone(session: AsyncSession, party: Party, phone: str, now: datetime) -> Party:
    """Record a platform-verified phone, folding this contact into the phone's owner."""
    owner = await session.scalar(
        select(Contact)
        .where(Contact.phone == phone, Contact.phone_verified.is_(True), Contact.id != party.contact.id)
        .order_by(Contact.id)
        .limit(1)
    )
    if owner is not None:
        await _merge(session, source=party.contact, target=owner)
        party = Party(party.identity, owner, await conversation_of(session, owner, now))
    party.contact.phone, party.contact.phone_verified = phone, True
    await session.execute(
        update(Order).where(Order.phone == phone, Order.contact_id.is_(None)).values(
            contact_id=party.contact.id
        )
    )
    return party


async def _merge(session: AsyncSession, *, source: Contact, target: Contact) -> None:
    """Move everything of `source` to `target`, then drop `source`."""
    old = await session.scalar(select(Conversation).where(Conversation.contact_id == source.id))
    new = await conversation_of(session, target, source.created_at)
    if old is not None:
        await session.execute(
            update(MessageRecord)
            .where(MessageRecord.conversation_id == old.id)
            .values(conversation_id=new.id)
        )
        await session.execute(
            update(Outbox).where(Outbox.conversation_id == old.id).values(conversation_id=new.id)
        )
        await session.execute(delete(Conversation).where(Conversation.id == old.id))
    for model in (Identity, Order, Outbox):
        await session.execute(
            update(model).where(model.contact_id == source.id).values(contact_id=target.id)
        )
    target.name = target.name or source.name
    target.language = target.language or source.language
    await session.execute(delete(Contact).where(Contact.id == source.id))
    await session.flush()


@dataclass(frozen=True, slots=True)
class Recipient:
    contact: Contact
    conversation_id: int | None
    address: Address


async def recipient_of(session: AsyncSession, contact_id: int | None) -> Recipient | None:
    """The channel the customer used last; None when we have no way to reach them."""
    if contact_id is None:
        return None
    contact = await session.get(Contact, contact_id)
    identity = await session.scalar(
        select(Identity)
        .where(Identity.contact_id == contact_id)
        .order_by(Identity.last_inbound_at.desc().nulls_last(), Identity.id.desc())
        .limit(1)
    )
    if contact is None or identity is None:
        return None
    conversation_id = await session.scalar(
        select(Conversation.id).where(Conversation.contact_id == contact_id)
    )
    return Recipient(contact, conversation_id, Address(ChannelKind(identity.channel), identity.user_id))

"""Who is writing: channel identities resolved to one contact and one conversation.

A customer is one contact with several channel identities. Identities meet when a phone is
verified by a platform (Telegram contact share of the own number) or a signed link
token is opened: then the newer contact is folded into the one that already owns the phone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.deferred import write_deferred
from bot.storage.dialect import insert_ignoring_conflicts, one_of
from bot.storage.many import execute_many
from bot.storage.models import Contact, Conversation, ConversationMode, Identity, MessageRecord, Order, Outbox
from bot.touches import touch
from channels.models import Address, ChannelKind


# Built once: every chat batch runs them. Identities are looked up one channel at a time because
# `(channel, user_id) IN (VALUES …)` makes SQLite scan the whole table instead of using its UNIQUE index.
_contacts, _identities, _conversations = Contact.__table__, Identity.__table__, Conversation.__table__
_IDENTITIES_ON_CHANNEL = select(Identity).where(
    Identity.channel == bindparam("channel"), one_of(Identity.user_id, "users")
)
_CONTACTS = select(Contact).where(one_of(Contact.id, "ids"))
_CONVERSATIONS_OF = select(Conversation).where(one_of(Conversation.contact_id, "contacts"))
# First contact is written with Core (one statement each), not flushed as new ORM objects: in a
# burst of new customers the unit of work's inserts cost more than everything else a turn does.
# New contacts differ only by name, so each id comes back with its name and goes to an address
# of that name: RETURNING's order does not matter, and SQLite (which does not promise it) gets
# one INSERT for the batch, where `sort_by_parameter_order` sent one per new customer.
_NEW_CONTACTS = insert(_contacts).returning(_contacts.c.id, _contacts.c.name)
_SPARE_CONTACTS = delete(_contacts).where(one_of(_contacts.c.id, "ids"))


@dataclass(slots=True)
class Party:
    identity: Identity
    contact: Contact
    conversation: Conversation


async def resolve(session: AsyncSession, address: Address, name: str, now: datetime) -> Party:
    """The identity, contact and conversation behind an address, created on first contact."""
    return (await resolve_many(session, [(address, name)], now))[address]


async def resolve_many(
    session: AsyncSession, senders: Sequence[tuple[Address, str]], now: datetime
) -> dict[Address, Party]:
    """Everyone writing in one batch, found or created together in a handful of statements."""
    names: dict[Address, str] = {}
    for address, name in senders:
        names[address] = names.get(address) or name
    identities = await identities_for(session, names, now)
    contact_ids = sorted({i.contact_id for i in identities.values()})
    contacts = {contact.id: contact for contact in await session.scalars(_CONTACTS, {"ids": contact_ids})}
    conversations = await conversations_of(session, list(contacts.values()), now)
    parties = {}
    for address, identity in identities.items():
        contact = contacts[identity.contact_id]
        _seen(session, identity, contact, address, names[address], now)
        parties[address] = Party(identity, contact, conversations[contact.id])
    return parties


def _seen(session: AsyncSession, identity: Identity, contact: Contact, address: Address, name: str,
          now: datetime) -> None:
    """Record the message's time and channel (and a first name) as touches (bot.touches), written
    with the batch's other changes to these rows, not as changes to flush."""
    touch(session, identity, "last_inbound_at", now)
    touch(session, identity, "display_name", identity.display_name or name)
    touch(session, contact, "last_inbound_at", now)
    touch(session, contact, "last_channel", address.channel.value)
    touch(session, contact, "name", contact.name or name)


async def identity_for(session: AsyncSession, address: Address, name: str, now: datetime) -> Identity:
    """The identity behind an address, created (with its contact) the first time."""
    return (await identities_for(session, {address: name}, now))[address]


async def identities_for(session: AsyncSession, names: dict[Address, str], now: datetime) -> dict[Address, Identity]:
    """Identities for these addresses; new ones get a contact each. Another replica creating the
    same identity at the same time wins the UNIQUE race, and our spare contact is dropped."""
    found = await _find_identities(session, list(names))
    missing = [address for address in names if address not in found]
    if not missing:
        return found
    named: dict[str, list[Address]] = {}
    for address in missing:
        named.setdefault(names[address], []).append(address)
    created = await session.execute(_NEW_CONTACTS, [{"name": names[a], "created_at": now} for a in missing])
    fresh = {named[name].pop(): contact_id for contact_id, name in created}
    await execute_many(session, insert_ignoring_conflicts(session, _identities), [
        {"contact_id": fresh[a], "channel": a.channel.value, "user_id": a.user, "display_name": names[a], "created_at": now}
        for a in missing
    ])
    found.update(await _find_identities(session, missing))
    spare = [contact_id for address, contact_id in fresh.items() if found[address].contact_id != contact_id]
    if spare:
        await session.execute(_SPARE_CONTACTS, {"ids": spare})
    return found


async def _find_identities(session: AsyncSession, addresses: list[Address]) -> dict[Address, Identity]:
    users_by_channel: dict[str, list[str]] = {}
    for address in addresses:
        users_by_channel.setdefault(address.channel.value, []).append(address.user)
    found = {}
    for channel, users in users_by_channel.items():
        for identity in await session.scalars(_IDENTITIES_ON_CHANNEL, {"channel": channel, "users": users}):
            found[Address(ChannelKind(identity.channel), identity.user_id)] = identity
    return found


async def conversation_of(session: AsyncSession, contact: Contact, now: datetime) -> Conversation:
    return (await conversations_of(session, [contact], now))[contact.id]


async def conversations_of(session: AsyncSession, contacts: list[Contact], now: datetime) -> dict[int, Conversation]:
    """Each contact's one conversation, started on first contact."""
    ids = sorted({contact.id for contact in contacts})
    found = {c.contact_id: c for c in await session.scalars(_CONVERSATIONS_OF, {"contacts": ids})}
    missing = [i for i in ids if i not in found]
    if missing:
        await session.execute(insert_ignoring_conflicts(session, _conversations), [
            {"contact_id": i, "mode": ConversationMode.BOT.value, "created_at": now, "offered": []} for i in missing
        ])
        found.update({c.contact_id: c for c in await session.scalars(_CONVERSATIONS_OF, {"contacts": missing})})
    return found


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
    await write_deferred(session)  # what this batch added so far must move too
    await session.flush()
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
    addresses = await linked_addresses(session, contact_id)
    if contact is None or not addresses:
        return None
    conversation_id = await session.scalar(
        select(Conversation.id).where(Conversation.contact_id == contact_id)
    )
    return Recipient(contact, conversation_id, addresses[0][0])


async def linked_addresses(session: AsyncSession, contact_id: int) -> list[tuple[Address, datetime | None]]:
    """Every channel the customer is linked on, with when they last wrote there, latest first."""
    found = await session.execute(
        select(Identity.channel, Identity.user_id, Identity.last_inbound_at)
        .where(Identity.contact_id == contact_id)
        .order_by(Identity.last_inbound_at.desc().nulls_last(), Identity.id.desc())
    )
    return [(Address(ChannelKind(channel), user), at) for channel, user, at in found.all()]

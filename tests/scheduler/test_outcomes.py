"""A sent message's buttons become the ones a typed number answers; a reply's first send leaves
them to the turn that wrote it, so it never puts back older buttons over a newer reply's."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.outbox import OutboxBody, OutboxKind, OutboxStatus
from bot.storage.models import Contact, Conversation
from channels.models import Button
from scheduler.claims import Claimed
from scheduler.outcomes import Finished, store_outcomes
from scheduler.retry import Outcome

NOW = datetime(2026, 12, 3, 3, 0, tzinfo=timezone.utc)
NEWER = [["Gặp nhân viên", "m:human"]]
SENT = OutboxBody("Dạ", buttons=(Button("Hủy đơn", "cancel"),))


async def _conversation(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions.begin() as session:
        contact = Contact(name="Lan", created_at=NOW)
        session.add(contact)
        await session.flush()
        conversation = Conversation(contact_id=contact.id, created_at=NOW, offered=NEWER)
        session.add(conversation)
        await session.flush()
        return conversation.id


async def _offered_after_sending(sessions: async_sessionmaker[AsyncSession], kind: OutboxKind, attempts: int) -> object:
    conversation = await _conversation(sessions)
    row = Claimed(id=1, dedupe_key="k", kind=kind.value, contact_id=None, conversation_id=conversation, order_id=None,
                  channel="telegram", recipient="telegram:1", body=SENT.stored(), due_at=NOW, attempts=attempts,
                  claim_token="t")
    await store_outcomes(sessions, [Finished(row, Outcome(OutboxStatus.SENT, provider_id="9"), 1, SENT)], NOW)
    async with sessions() as session:
        found = await session.get(Conversation, conversation)
        return found.offered if found else None


async def test_a_replys_first_send_keeps_the_buttons_its_turn_left(sessions: async_sessionmaker[AsyncSession]) -> None:
    assert await _offered_after_sending(sessions, OutboxKind.REPLY, attempts=0) == NEWER


@pytest.mark.parametrize(("kind", "attempts"), [(OutboxKind.REPLY, 1), (OutboxKind.NOTICE, 0), (OutboxKind.STAFF_REPLY, 0)])
async def test_other_sends_offer_their_buttons(
    sessions: async_sessionmaker[AsyncSession], kind: OutboxKind, attempts: int
) -> None:
    assert await _offered_after_sending(sessions, kind, attempts) == SENT.offered()

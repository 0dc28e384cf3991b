"""A batch's rows reach the driver as plain tuples with exactly the values SQLAlchemy's own
executemany sent (aware datetimes made UTC, JSON serialised, None kept), on both backends; a
statement or rows that need more than binding still go through SQLAlchemy, which fills
defaults and refuses what it refused."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import event, insert, select
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.handover import Claimed
from bot.outbox import OutboxStatus
from bot.storage.deferred import patching
from bot.storage.dialect import insert_ignoring_conflicts
from bot.storage.many import execute_many, plan
from bot.storage.models import Contact, Conversation, Identity, MessageRecord, Outbox
from scheduler.outcomes import _FINISH, _OFFER, Finished, _finish_params
from scheduler.retry import Outcome

NOW = datetime(2026, 12, 3, 3, 0, 0, 250_000, tzinfo=timezone.utc)
HANOI = timezone(timedelta(hours=7))
_INSERT_MESSAGE = insert(MessageRecord.__table__)
_PATCH_CONVERSATION = patching(Conversation.__table__, ("last_message_at", "offered"))
_PATCH_CONTACT = patching(Contact.__table__, ("language", "last_inbound_at"))


async def _conversation(sessions: async_sessionmaker[AsyncSession]) -> tuple[int, int]:
    async with sessions.begin() as session:
        contact = Contact(name="Lan", created_at=NOW)
        session.add(contact)
        await session.flush()
        conversation = Conversation(contact_id=contact.id, created_at=NOW)
        session.add(conversation)
        await session.flush()
        return contact.id, conversation.id


def _messages(conversation: int) -> list[dict[str, Any]]:
    return [
        {"conversation_id": conversation, "direction": "in", "author": "customer", "channel": "telegram", "kind": "text",
         "text": "đơn của em tới đâu rồi", "data": {"attachments": []}, "intent": "where_is_my_order", "status": "received",
         "provider_message_id": "7", "outbox_id": None, "created_at": NOW.astimezone(HANOI)},
        {"conversation_id": conversation, "direction": "out", "author": "bot", "channel": "telegram", "kind": "text",
         "text": "Dạ", "data": {"buttons": [["1", "Hủy"]], "n": None}, "intent": None, "status": "queued",
         "provider_message_id": None, "outbox_id": 3, "created_at": NOW + timedelta(microseconds=1)},
    ]


def _outbox(contact: int, conversation: int) -> list[dict[str, Any]]:
    return [{
        "dedupe_key": f"reply:{n}", "kind": "reply", "contact_id": contact, "conversation_id": conversation,
        "order_id": None, "channel": "telegram", "recipient": "telegram:42", "body": {"text": "Dạ", "buttons": []},
        "due_at": NOW.astimezone(HANOI), "status": "pending", "attempts": 0, "created_at": NOW,
    } for n in range(2)]


def _outcomes(outbox_id: int) -> list[dict[str, Any]]:
    """A dispatch round's outcomes as `scheduler.outcomes` writes them: one sent, one to retry later."""
    def claimed(n: int) -> Claimed:
        return Claimed(id=outbox_id + n, dedupe_key=f"reply:{n}", kind="reply", contact_id=None, conversation_id=None,
                       order_id=None, channel="telegram", recipient="telegram:42", body={}, due_at=NOW, attempts=0,
                       claim_token="t" * 32)
    outcomes = [Outcome(OutboxStatus.SENT, provider_id="77"),
                Outcome(OutboxStatus.PENDING, due_at=NOW.astimezone(HANOI), error="429")]
    return [_finish_params(Finished(claimed(n), outcome, 1), NOW) for n, outcome in enumerate(outcomes)]


def _identities(contact: int) -> list[dict[str, Any]]:
    return [{"contact_id": contact, "channel": "telegram", "user_id": str(40 + n), "display_name": "Lan", "created_at": NOW}
            for n in range(2)]


async def _sent(sessions: async_sessionmaker[AsyncSession], run: Callable[[AsyncSession], Awaitable[None]]) -> list[Any]:
    """What the driver was given (SQL and parameters) while `run` wrote, rolled back after."""
    sent: list[Any] = []

    def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        sent.append((statement, [tuple(p) for p in parameters] if _many else tuple(parameters)))

    async with sessions() as session:
        sync_engine = session.get_bind()
        event.listen(sync_engine, "before_cursor_execute", seen)
        try:
            await run(session)
        finally:
            event.remove(sync_engine, "before_cursor_execute", seen)
            await session.rollback()
    return sent


async def test_the_driver_is_given_the_values_sqlalchemy_gave_it(sessions: async_sessionmaker[AsyncSession]) -> None:
    contact, conversation = await _conversation(sessions)
    async with sessions() as session:
        ignoring = insert_ignoring_conflicts(session, Outbox.__table__)
        new_identities = insert_ignoring_conflicts(session, Identity.__table__)
    writes: list[tuple[Any, list[dict[str, Any]]]] = [
        (_INSERT_MESSAGE, _messages(conversation)),
        (ignoring, _outbox(contact, conversation)),
        (new_identities, _identities(contact)),
        (_FINISH, _outcomes(1)),
        (_OFFER, [{"conversation": conversation, "buttons": [["1", "Hủy đơn"]]}]),
        (_PATCH_CONVERSATION, [{"row_id": conversation, "new_offered": [["1", "Hủy đơn"]], "new_last_message_at": NOW.astimezone(HANOI)},
                               {"row_id": conversation, "new_offered": [], "new_last_message_at": None}]),
        (_PATCH_CONTACT, [{"row_id": contact, "new_language": "vi", "new_last_inbound_at": NOW}]),
    ]
    for statement, rows in writes:
        async def through_sqlalchemy(session: AsyncSession, statement: Any = statement, rows: Any = rows) -> None:
            await session.execute(statement, rows)

        async def plainly(session: AsyncSession, statement: Any = statement, rows: Any = rows) -> None:
            await execute_many(session, statement, rows)

        assert await _sent(sessions, plainly) == await _sent(sessions, through_sqlalchemy), statement


async def test_a_batchs_deferred_statements_are_bound_plainly(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session:
        dialect = (await session.connection()).dialect
        ignoring = insert_ignoring_conflicts(session, Outbox.__table__)
    assert plan(_INSERT_MESSAGE, dialect, frozenset(_messages(1)[0])) is not None
    assert plan(ignoring, dialect, frozenset(_outbox(1, 1)[0])) is not None
    assert plan(_PATCH_CONVERSATION, dialect, frozenset({"row_id", "new_offered", "new_last_message_at"})) is not None
    assert plan(_PATCH_CONTACT, dialect, frozenset({"row_id", "new_language", "new_last_inbound_at"})) is not None


async def test_a_dispatch_rounds_outcomes_and_new_identities_are_bound_plainly(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session:
        dialect = (await session.connection()).dialect
        new_identities = insert_ignoring_conflicts(session, Identity.__table__)
    assert plan(_FINISH, dialect, frozenset(_outcomes(1)[0])) is not None
    assert plan(_OFFER, dialect, frozenset({"conversation", "buttons"})) is not None
    assert plan(new_identities, dialect, frozenset(_identities(1)[0])) is not None


async def test_rows_that_leave_a_default_to_fill_are_written_by_sqlalchemy(sessions: async_sessionmaker[AsyncSession]) -> None:
    _, conversation = await _conversation(sessions)
    rows = _messages(conversation)
    for row in rows:
        del row["kind"], row["data"]  # Python-side defaults: "text" and {}
    async with sessions() as session:
        assert plan(_INSERT_MESSAGE, (await session.connection()).dialect, frozenset(rows[0])) is None
    async with sessions.begin() as session:
        await execute_many(session, _INSERT_MESSAGE, rows)
    async with sessions() as session:
        written = (await session.execute(select(MessageRecord.kind, MessageRecord.data))).all()
    assert [tuple(row) for row in written] == [("text", {}), ("text", {})]


async def test_rows_with_different_keys_are_refused_as_sqlalchemy_refuses_them(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    _, conversation = await _conversation(sessions)
    first, second = _messages(conversation)
    del second["kind"]
    with pytest.raises(StatementError, match="'kind'"):
        async with sessions.begin() as session:
            await execute_many(session, _INSERT_MESSAGE, [first, second])

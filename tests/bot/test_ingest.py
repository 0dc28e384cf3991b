"""Inbound events are stored once, durably, before anyone is told they were accepted."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.ingest import Ingestor
from bot.storage.engine import make_engine, make_sessionmaker
from bot.storage.models import InboundEvent
from bot.supervisor import Supervisor
from channels.models import Address, ChannelKind, Kind, Message
from tests.conftest import Backend

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)


def message(n: int, channel: ChannelKind = ChannelKind.TELEGRAM) -> Message:
    return Message(id=str(n), sender=Address(channel, f"u{n % 7}"), kind=Kind.TEXT, received_at=NOW, text=f"hi {n}")


@pytest.fixture
async def ingestor(backend: Backend) -> AsyncIterator[Ingestor]:
    engine = make_engine(backend.database_url)
    made, supervisor = Ingestor(make_sessionmaker(engine), instance_id="t", clock=lambda: NOW), Supervisor()
    made.start(supervisor)
    yield made
    await supervisor.stop()
    await engine.dispose()


async def stored(ingestor: Ingestor) -> int:
    async with ingestor._sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(InboundEvent)) or 0)


async def test_a_new_event_is_stored_and_returned(ingestor: Ingestor) -> None:
    accepted = await ingestor.accept([message(1)])
    assert [a.message.id for a in accepted] == ["1"]
    assert await stored(ingestor) == 1


async def test_the_same_event_delivered_five_times_is_accepted_once(ingestor: Ingestor) -> None:
    results = await asyncio.gather(*(ingestor.accept([message(1)]) for _ in range(5)))
    results += [await ingestor.accept([message(1)])]
    assert sum(len(r) for r in results) == 1
    assert await stored(ingestor) == 1


async def test_the_same_id_on_two_channels_is_two_events(ingestor: Ingestor) -> None:
    await ingestor.accept([message(1, ChannelKind.TELEGRAM)])
    accepted = await ingestor.accept([message(1, ChannelKind.WEB)])
    assert len(accepted) == 1 and await stored(ingestor) == 2


async def test_many_concurrent_requests_are_all_stored(ingestor: Ingestor) -> None:
    results = await asyncio.gather(*(ingestor.accept([message(n)]) for n in range(300)))
    assert sum(len(r) for r in results) == 300
    assert await stored(ingestor) == 300

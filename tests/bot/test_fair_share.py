"""Under a burst, webhooks are acknowledged first, but turns and sends still get their share."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import AsyncIterator

import pytest
from prometheus_client import REGISTRY
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.ingest import Accepted, Ingestor
from bot.live_settings import LiveSettings
from bot.pipeline import Pipeline
from bot.processing import TURN_BATCH, Processor
from bot.storage.engine import make_sessionmaker
from bot.supervisor import Supervisor
from bot.turn import Services
from channels.models import Address, ChannelKind, Kind, Message
from content.renderer import Renderer

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)


def message(n: int) -> Message:
    return Message(id=str(n), sender=Address(ChannelKind.TELEGRAM, f"u{n}"), kind=Kind.TEXT, received_at=NOW,
                   text=f"hi {n}")


def gauge(name: str) -> float:
    return REGISTRY.get_sample_value(name) or 0.0


@pytest.fixture
async def ingestor(engine: AsyncEngine) -> AsyncIterator[Ingestor]:
    """Not started: its acks wait until a test starts the writer."""
    yield Ingestor(make_sessionmaker(engine), instance_id="t", clock=lambda: NOW)


async def waiting(acks: float) -> None:
    """Until `acks` webhook requests wait for their commit."""
    for _ in range(500):
        if gauge("haumai_acks_waiting") >= acks:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{acks} acks never waited")


async def settled() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


async def test_work_waits_for_the_acks_already_waiting(ingestor: Ingestor) -> None:
    ack = asyncio.create_task(ingestor.accept([message(1)]))
    await waiting(gauge("haumai_acks_waiting") + 1)
    turns = asyncio.create_task(ingestor.take_turns(max_wait=60))
    await settled()
    assert not turns.done()
    supervisor = Supervisor()
    ingestor.start(supervisor)
    await turns
    assert ack.done() and len(ack.result()) == 1
    await supervisor.stop()


async def test_work_does_not_wait_longer_than_its_bound(ingestor: Ingestor) -> None:
    ack = asyncio.create_task(ingestor.accept([message(1)]))
    await waiting(gauge("haumai_acks_waiting") + 1)
    await ingestor.take_turns(max_wait=0.01)
    assert not ack.done()  # never stored (the writer was not started): the work went ahead anyway
    ack.cancel()


async def test_with_no_ack_waiting_work_goes_at_once(ingestor: Ingestor) -> None:
    await asyncio.wait_for(ingestor.take_turns(max_wait=60), timeout=5)


async def test_waiting_acks_are_counted_for_prometheus(ingestor: Ingestor) -> None:
    before = gauge("haumai_acks_waiting")
    ack = asyncio.create_task(ingestor.accept([message(1)]))
    await waiting(before + 1)
    assert gauge("haumai_acks_waiting") == before + 1
    supervisor = Supervisor()
    ingestor.start(supervisor)
    await ack
    assert gauge("haumai_acks_waiting") == before
    await supervisor.stop()


async def test_a_backlog_of_turns_is_taken_in_capped_batches(engine: AsyncEngine) -> None:
    services = Services(LiveSettings(Settings.from_env({}, read_dotenv=False)), Renderer(), b"s" * 32, lambda: NOW)
    batches: list[bool] = []
    shares: list[None] = []

    async def committed(replied: bool) -> None:
        batches.append(replied)

    async def take_turns() -> None:
        shares.append(None)

    processor = Processor(make_sessionmaker(engine), Pipeline(), services, {}, committed, take_turns=take_turns)
    backlog = 2 * TURN_BATCH + 1
    before = gauge("haumai_turns_waiting")
    for n in range(backlog):
        processor.submit(Accepted(n + 1, message(n)))
    assert gauge("haumai_turns_waiting") == before + backlog
    supervisor = Supervisor()
    processor.start(supervisor)
    for _ in range(500):
        if len(batches) == 3:
            break
        await asyncio.sleep(0.01)
    await supervisor.stop()
    assert len(batches) == 3  # 100 + 100 + 1: no batch holds the loop for the whole backlog
    assert len(shares) == len(batches)  # every batch first let the webhooks owed before it go
    assert gauge("haumai_turns_waiting") == before

"""Several processes dispatching one outbox: every message sent once, none lost, even after
a kill -9 in the middle (only in-flight messages may be duplicated, and they are marked)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy import func, select

from bot.outbox import Draft, enqueue, outbox_row
from bot.storage.engine import make_engine, make_sessionmaker
from bot.storage.models import Outbox
from channels.models import Address, ChannelKind
from scheduler.sweeper import expire_claims
from tests.conftest import Backend
from tests.scheduler.dispatch_worker import NOON

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


class Recorder:
    def __init__(self) -> None:
        self.keys: Counter[str] = Counter()

    async def handle(self, request: web.Request) -> web.Response:
        self.keys[(await request.json())["key"]] += 1
        return web.json_response({"ok": True})


async def _fill(url: str, count: int) -> None:
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    async with sessions.begin() as session:
        for n in range(count):
            await enqueue(session, outbox_row(
                key=f"m{n}", kind="reply", to=Address(ChannelKind.WEB, f"u{n % 97}"),
                draft=Draft(f"message {n}"), due_at=NOON, now=NOON, contact_id=None, conversation_id=None,
            ))
    await engine.dispose()


async def _statuses(url: str) -> dict[str, int]:
    engine = make_engine(url)
    async with make_sessionmaker(engine)() as session:
        rows = (await session.execute(select(Outbox.status, func.count()).group_by(Outbox.status))).all()
    await engine.dispose()
    return dict(rows)  # type: ignore[arg-type]


async def _spawn(url: str, recorder_url: str, name: str, workers: int) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.scheduler.dispatch_worker", url, recorder_url, name, str(workers),
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.fixture
async def recorder(aiohttp_server) -> tuple[Recorder, str]:  # type: ignore[no-untyped-def]
    made = Recorder()
    app = web.Application()
    app.router.add_post("/send", made.handle)
    server = await aiohttp_server(app)
    return made, str(server.make_url("/send"))


async def test_three_processes_send_each_message_exactly_once(
    backend: Backend, recorder: tuple[Recorder, str]
) -> None:
    record, url = recorder
    await _fill(backend.database_url, 600)
    processes = [await _spawn(backend.database_url, url, f"p{i}", 3) for i in range(3)]
    assert [await p.wait() for p in processes] == [0, 0, 0]
    assert len(record.keys) == 600 and set(record.keys.values()) == {1}
    assert await _statuses(backend.database_url) == {"sent": 600}


async def test_a_killed_dispatcher_loses_nothing_and_marks_what_was_in_flight(
    backend: Backend, recorder: tuple[Recorder, str]
) -> None:
    record, url = recorder
    await _fill(backend.database_url, 5000)
    victim = await _spawn(backend.database_url, url, "victim", 4)
    while sum(record.keys.values()) < 1000:
        await asyncio.sleep(0.02)
    victim.send_signal(signal.SIGKILL)
    await victim.wait()
    engine = make_engine(backend.database_url)
    await expire_claims(make_sessionmaker(engine), lambda: NOON.replace(year=2027))
    await engine.dispose()
    survivor = await _spawn(backend.database_url, url, "survivor", 4)
    assert await survivor.wait() == 0
    statuses = await _statuses(backend.database_url)
    assert sum(statuses.values()) == 5000 and set(statuses) <= {"sent", "unknown"}
    duplicated = {key for key, n in record.keys.items() if n > 1}
    assert not duplicated, "in-flight rows are marked unknown, never resent"
    assert statuses.get("unknown", 0) <= 4 * 20  # at most one claimed batch per killed worker
    assert len(record.keys) >= statuses["sent"]  # everything marked sent really arrived

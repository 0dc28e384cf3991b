"""`haumai serve --workers 2`: two real processes on one port, a dead one started again.

Each test starts the real command as a subprocess, on either database, with Redis (the shared
test Redis on the scaled backend, a private redis-server on the embedded one), and talks to it
over HTTP only; the Telegram Bot API is the local fake.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path
from typing import Any, AsyncIterator

import aiohttp
import pytest

from app.workers import GIVE_UP_AFTER, Parent
from bench.server import free_port, wait_until_up, workers_answering
from tests.apps import eventually
from tests.conftest import Backend
from tests.fakes.redis_process import redis_server
from tests.fakes.telegram import TOKEN, FakeTelegram, text_update

pytestmark = pytest.mark.slow
SECRET = "workers-webhook-secret"


@pytest.fixture
async def redis_url(backend: Backend) -> AsyncIterator[str]:
    if backend.redis_url is not None:
        yield backend.redis_url
        return
    async with redis_server() as private:
        yield private.url


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    yield fake
    await fake.close()


def server_env(database_url: str, redis_url: str | None, api_base: str) -> dict[str, str]:
    return {
        **os.environ, "HAUMAI_DATABASE_URL": database_url, "HAUMAI_TELEGRAM_TOKEN": TOKEN,
        "HAUMAI_TELEGRAM_WEBHOOK_SECRET": SECRET, "HAUMAI_TELEGRAM_API_BASE": api_base,
        "HAUMAI_TELEGRAM_RATE_LIMIT": "0", "HAUMAI_SECRET_KEY": "workers-test-secret-key-long-enough",
        "HAUMAI_QUIET_HOURS": "off", **({"HAUMAI_REDIS_URL": redis_url} if redis_url else {}),
    }


class Served:
    """The `haumai serve` parent process, its port, and what it wrote to stderr."""

    def __init__(self, process: asyncio.subprocess.Process, port: int, log: Path) -> None:
        self.process, self.port, self.log = process, port, log
        self.base = f"http://127.0.0.1:{port}"

    def workers(self) -> set[int]:
        """The pids of the parent's worker processes, as the kernel lists its children."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        return {int(pid) for pid in children.split()}

    async def readyz(self) -> dict[str, Any]:
        """One /readyz on a fresh connection, so the kernel may hand it to any worker."""
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as http:
            async with http.get(f"{self.base}/readyz") as response:
                return dict(await response.json())

    async def post_update(self, chat_id: int) -> int:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as http:
            async with http.post(f"{self.base}/webhooks/telegram", json=text_update(chat_id, "xin chào shop"),
                                 headers=headers) as response:
                return response.status


async def serve(tmp_path: Path, env: dict[str, str], workers: int) -> Served:
    port, log = free_port(), tmp_path / "serve.log"
    with log.open("wb") as stderr:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "serve", "--port", str(port), "--workers", str(workers),
            env=env, stdout=asyncio.subprocess.DEVNULL, stderr=stderr)
    await wait_until_up(process, port)
    return Served(process, port, log)


async def stop(served: Served) -> int:
    if served.process.returncode is None:
        served.process.send_signal(signal.SIGTERM)
    return await asyncio.wait_for(served.process.wait(), 60)


@pytest.fixture
async def two_workers(backend: Backend, redis_url: str, telegram: FakeTelegram, tmp_path: Path) -> AsyncIterator[Served]:
    served = await serve(tmp_path, server_env(backend.database_url, redis_url, await telegram.start()), 2)
    await workers_answering(served.port, {0, 1})  # both listening, not only the first one up
    yield served
    await stop(served)


async def test_two_workers_answer_on_one_port_and_one_of_them_leads(two_workers: Served) -> None:
    answers = await workers_answering(two_workers.port, {0, 1})
    leaders = {answer["instance"] for answer in answers if answer["leader"]}
    assert len(two_workers.workers()) == 2
    assert len({answer["instance"] for answer in answers}) == 2
    assert len(leaders) == 1


async def test_webhooks_to_either_worker_are_all_answered(two_workers: Served, telegram: FakeTelegram) -> None:
    chats = range(7_100_001, 7_100_021)
    assert [await two_workers.post_update(chat) for chat in chats] == [200] * len(chats)

    async def all_answered() -> bool:
        return {int(sent["chat_id"]) for sent in telegram.sent()} >= set(chats)

    await eventually(all_answered, timeout=60)


async def test_a_killed_worker_is_started_again(two_workers: Served) -> None:
    first = two_workers.workers()
    killed = min(first)
    os.kill(killed, signal.SIGKILL)

    async def replaced() -> bool:
        now = two_workers.workers()
        return len(now) == 2 and killed not in now

    await eventually(replaced, timeout=30)
    await workers_answering(two_workers.port, {0, 1})


async def test_sigterm_stops_every_worker_and_the_command_exits_cleanly(two_workers: Served) -> None:
    workers = two_workers.workers()
    assert await stop(two_workers) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)


async def test_several_workers_without_redis_serve_as_one_and_say_why(
    backend: Backend, telegram: FakeTelegram, tmp_path: Path
) -> None:
    served = await serve(tmp_path, server_env(backend.database_url, None, await telegram.start()), 2)
    try:
        assert (await served.readyz())["worker"] == 0
        assert served.workers() == set()  # the command serves in its own process
    finally:
        await stop(served)
    assert "serving with 1 worker, not 2: several workers need HAUMAI_REDIS_URL" in served.log.read_text()


async def test_a_worker_count_that_is_not_a_number_is_refused_with_a_message(tmp_path: Path) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", "--workers", "zero",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    _, stderr = await process.communicate()
    assert process.returncode == 2
    assert b"'zero' is not a number of workers" in stderr


async def test_a_port_already_taken_is_refused_with_a_message_before_any_worker_starts(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "serve", "--port", str(port), "--workers", "2", cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(Path.cwd())},
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        _, stderr = await process.communicate()
    assert process.returncode == 2
    assert f"haumai: cannot listen on 127.0.0.1:{port}: Address already in use" in stderr.decode()


def test_a_worker_that_keeps_failing_to_start_stops_the_command() -> None:
    parent = Parent(1, [sys.executable, "-c", "raise SystemExit(3)"])
    assert parent.run() == 1
    assert parent.failure == f"worker 0 failed to start {GIVE_UP_AFTER} times in a row (exit code 3)"

"""A dispatcher replica in its own process, for the multi-process exactly-once tests.

Usage: python -m tests.scheduler.dispatch_worker DATABASE_URL RECORDER_URL NAME WORKERS
It sends every due outbox row to RECORDER_URL (a local recording server standing in for a
provider) and exits once the outbox has had nothing due for a second.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime, timezone
from typing import ClassVar

import aiohttp

from bot.config import Settings
from bot.coordination import LocalCoordinator
from bot.storage.engine import make_engine, make_sessionmaker
from channels.base import DeliveryUnknown
from channels.models import ChannelKind, OutboundMessage, SendResult
from scheduler.dispatcher import Dispatcher
from tests.recording_channel import RecordingChannel

NOON = datetime(2026, 11, 24, 5, 0, tzinfo=timezone.utc)
# Fewer requests at once than rows claimed, as in production (64 of 200): a kill then finds
# claimed rows that no request was started for, besides the requests in flight.
BATCH, CONCURRENCY = 40, 8


class HttpRecordingChannel(RecordingChannel):
    kind: ClassVar[ChannelKind] = ChannelKind.WEB

    def __init__(self, session: aiohttp.ClientSession, url: str, name: str) -> None:
        super().__init__()
        self._session, self._url, self._name = session, url, name

    async def send(self, message: OutboundMessage) -> SendResult:
        try:
            async with self._session.post(self._url, json={"key": message.key, "by": self._name}) as reply:
                reply.raise_for_status()
        except aiohttp.ClientError as failure:
            raise DeliveryUnknown(str(failure)) from failure
        return SendResult(provider_id=message.key)


async def main(url: str, recorder: str, name: str, workers: int) -> None:
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    settings = Settings.from_env({"HAUMAI_DATABASE_URL": url, "HAUMAI_QUIET_HOURS": "off"}, read_dotenv=False)
    async with aiohttp.ClientSession() as http:
        channel = HttpRecordingChannel(http, recorder, name)

        async def worker(index: int) -> None:
            dispatcher = Dispatcher(
                sessions, {"web": channel}, LocalCoordinator(), settings, clock=lambda: NOON,
                instance_id=f"{name}-{index}", batch_size=BATCH, concurrency=CONCURRENCY,
            )
            idle_since = asyncio.get_running_loop().time()
            while asyncio.get_running_loop().time() - idle_since < 1.0:
                if await dispatcher.run_once():
                    idle_since = asyncio.get_running_loop().time()
                else:
                    await asyncio.sleep(0.05)

        await asyncio.gather(*(worker(i) for i in range(workers)))
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])))

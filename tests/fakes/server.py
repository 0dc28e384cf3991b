"""The part every fake provider server shares: an aiohttp app on a free loopback port."""

from __future__ import annotations

import itertools
from typing import Any, AsyncIterator, Generic, TypeVar

from aiohttp import web
from aiohttp.test_utils import TestServer


class FakeServer:
    base = ""  # the URL to give the bot, set by start()

    def __init__(self) -> None:
        self._server: TestServer | None = None

    def routes(self, app: web.Application) -> None:
        raise NotImplementedError

    async def start(self) -> str:
        """Start listening; returns the base URL to give the bot as the provider's API base."""
        app = web.Application()
        self.routes(app)
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server()
        self.base = str(self._server.make_url("")).rstrip("/")
        return self.base

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()


Failure = TypeVar("Failure")


class RecordingFake(FakeServer, Generic[Failure]):
    """A send API that records every request and answers the scripted failures (`Failure`) first, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[dict[str, Any]] = []
        self._errors: list[Failure] = []
        self._ids = itertools.count(1)


Fake = TypeVar("Fake", bound=FakeServer)


async def running(fake: Fake) -> AsyncIterator[Fake]:
    """Fixture body: start a fake provider, hand it over, close it afterwards."""
    await fake.start()
    yield fake
    await fake.close()

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
        self.files: dict[str, tuple[bytes, str]] = {}  # what the provider's CDN serves: name → (bytes, content type)

    def host_file(self, name: str, data: bytes, content_type: str = "image/jpeg") -> str:
        """Put a file on the fake's CDN (an attachment a customer sent); returns its URL (`cdn/<name>`)."""
        self.files[name] = (data, content_type)
        return f"{self.base}/cdn/{name}"

    def file_routes(self, app: web.Application, path: str = "/cdn/{name}") -> None:
        async def serve(request: web.Request) -> web.Response:
            name = request.match_info["name"]
            if name not in self.files:
                return web.Response(status=404)
            data, content_type = self.files[name]
            return web.Response(body=data, content_type=content_type)

        app.router.add_get(path, serve)

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

"""Server-sent events shared by the web chat and the staff inbox.

A stream lives exactly as long as its client. Silence sends a keepalive comment without touching
the subscription (cancelling a pending read would close the subscription's generator and end the
stream). aiohttp does not cancel a handler whose client left, so the stream looks for that, and
for the server shutting down, every second; then it releases its subscription, and on Redis its
share of the pub/sub connection. A client that left, or anything else that ends a stream once its headers are out,
ends the chunked body cleanly: an error page written into an open stream is a broken stream.
"""

from __future__ import annotations

import asyncio
import json
import logging
from types import TracebackType
from typing import Any, AsyncIterator

from aiohttp import web
from prometheus_client import Gauge

from bot.coordination.base import Subscription

KEEPALIVE = web.AppKey("sse_keepalive_seconds", float)  # set on the app to shorten it (tests)
SHUTTING_DOWN = web.AppKey("sse_shutting_down", asyncio.Event)
KEEPALIVE_SECONDS = 15.0
END_CHECK_SECONDS = 1.0
STREAMS_OPEN = Gauge("haumai_sse_streams_open", "Live SSE streams open in this process", ["stream"])

log = logging.getLogger("app.sse")
_UNSAFE_IN_ID = str.maketrans("", "", "\r\n\0")  # each would end or corrupt the `id:` field


def setup_streams(app: web.Application) -> None:
    """Live streams end when the server shuts down: aiohttp would otherwise wait out its grace
    period (60 s) for each open one, and the browsers reconnect to another replica anyway."""
    shutting_down = asyncio.Event()
    app[SHUTTING_DOWN] = shutting_down

    async def end_streams(_app: web.Application) -> None:
        shutting_down.set()

    app.on_shutdown.append(end_streams)


class EventStream:
    """`async with EventStream(request, name) as events:` an open stream; `events.response` after."""

    def __init__(self, request: web.Request, name: str) -> None:
        self._request = request
        self._name = name
        self._keepalive = request.app.get(KEEPALIVE, KEEPALIVE_SECONDS)
        self._shutting_down = request.app[SHUTTING_DOWN]
        self._pending: asyncio.Task[Any] | None = None
        self.response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})

    async def __aenter__(self) -> EventStream:
        STREAMS_OPEN.labels(self._name).inc()
        try:
            await self.response.prepare(self._request)
        except BaseException:
            STREAMS_OPEN.labels(self._name).dec()
            raise
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _trace: TracebackType | None
    ) -> bool:
        STREAMS_OPEN.labels(self._name).dec()
        if self._pending is not None:
            self._pending.cancel()
        if isinstance(error, ConnectionResetError):
            return True  # the client went away: the normal end of a stream
        if isinstance(error, Exception):
            log.error("live stream ended by an error", extra={"stream": self._name, "error": type(error).__name__})
            return True  # the browser reconnects with Last-Event-ID and misses nothing
        return False

    def _over(self) -> bool:
        transport = self._request.transport
        return transport is None or transport.is_closing() or self._shutting_down.is_set()

    async def follow(self, subscription: Subscription) -> AsyncIterator[dict[str, Any] | None]:
        """Items as they come, and None after each keepalive interval of silence, until the client
        goes or the server shuts down.

        The read in progress is one task kept across intervals: waiting on it with a timeout never
        cancels it, so silence cannot end the subscription."""
        items = aiter(subscription)
        loop = asyncio.get_running_loop()
        quiet_since = loop.time()
        while not self._over():
            if self._pending is None:
                self._pending = asyncio.ensure_future(anext(items))
            quiet_for = loop.time() - quiet_since
            await asyncio.wait({self._pending}, timeout=min(END_CHECK_SECONDS, self._keepalive - quiet_for))
            if self._pending.done():
                item, self._pending = self._pending.result(), None
                quiet_since = loop.time()
                yield item
            elif loop.time() - quiet_since >= self._keepalive:
                quiet_since = loop.time()
                yield None

    async def send(self, event_id: str, data: dict[str, Any]) -> None:
        payload = json.dumps(data, ensure_ascii=False, default=str)
        await self.response.write(f"id: {event_id.translate(_UNSAFE_IN_ID)}\ndata: {payload}\n\n".encode())

    async def ping(self) -> None:
        await self.response.write(b": keepalive\n\n")

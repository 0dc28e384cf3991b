"""Server-sent events shared by the web chat and the staff inbox."""

from __future__ import annotations

import asyncio
import json
from typing import Any, AsyncIterator

from aiohttp import web

KEEPALIVE_SECONDS = 15.0


async def open_stream(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
    await response.prepare(request)
    return response


async def with_keepalive(subscription: Any) -> AsyncIterator[dict[str, Any] | None]:
    """Items as they come, and None every 15 s of silence so proxies keep the stream open."""
    iterator = aiter(subscription)
    while True:
        try:
            yield await asyncio.wait_for(anext(iterator), KEEPALIVE_SECONDS)
        except TimeoutError:
            yield None


async def send(response: web.StreamResponse, event_id: str, data: dict[str, Any]) -> None:
    payload = json.dumps(data, ensure_ascii=False, default=str)
    await response.write(f"id: {event_id}\ndata: {payload}\n\n".encode())


async def ping(response: web.StreamResponse) -> None:
    await response.write(b": keepalive\n\n")

"""A customer on the web chat, driven over the real HTTP API and SSE stream."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from aiohttp.test_utils import TestClient


class WebCustomer:
    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.session = ""
        self.received: list[dict[str, Any]] = []
        self._reader: asyncio.Task[None] | None = None

    async def open(self, session: str | None = None) -> WebCustomer:
        """A new chat, or the page reloaded in the browser that holds `session`."""
        self.session = session or (await (await self.client.post("/chat/api/session")).json())["session"]
        stream = await self.client.get("/chat/api/stream", params={"session": self.session})
        assert stream.status == 200
        self._reader = asyncio.create_task(self._read(stream))
        return self

    async def _read(self, stream: Any) -> None:
        async for line in stream.content:
            text = line.decode().strip()
            if text.startswith("data: "):
                self.received.append(json.loads(text[6:]))

    async def say(self, text: str | None = None, **fields: str) -> int:
        body = {"session": self.session, "id": uuid.uuid4().hex, **({"text": text} if text else {}), **fields}
        response = await self.client.post("/chat/api/messages", json=body)
        return response.status

    async def reply(self, count: int = 1, timeout: float = 5.0) -> dict[str, Any]:
        """Wait until `count` bot messages arrived since the start; return the last one."""
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.bot_messages()) < count:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"no reply #{count}; got {self.bot_messages()}")
            await asyncio.sleep(0.02)
        return self.bot_messages()[count - 1]

    def bot_messages(self) -> list[dict[str, Any]]:
        return [m for m in self.received if m.get("from", "bot") != "customer"]

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()

"""Reading a live stream the way a browser's EventSource does: events with ids, and keepalives."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

from aiohttp import ClientResponse


@dataclass(frozen=True)
class Event:
    id: str
    data: dict[str, Any]


KEEPALIVE = Event("", {})  # what a keepalive comment reads as


class EventReader:
    def __init__(self, response: ClientResponse) -> None:
        assert response.status == 200 and response.headers["Content-Type"] == "text/event-stream"
        self.response = response

    async def next(self, timeout: float = 5.0) -> Event:
        event_id, data = "", ""
        while True:
            line = (await asyncio.wait_for(self.response.content.readline(), timeout)).decode()
            if not line:
                raise AssertionError("the server ended the stream")
            line = line.rstrip("\n")
            if line == ": keepalive":
                return KEEPALIVE
            if line.startswith("id: "):
                event_id = line[4:]
            elif line.startswith("data: "):
                data = line[6:]
            elif not line and data:
                return Event(event_id, json.loads(data))

    async def until_keepalive(self) -> list[Event]:
        """Every event up to the next keepalive: what the server had to say, complete."""
        events = []
        while (event := await self.next()) is not KEEPALIVE:
            events.append(event)
        return events

    async def until(self, count: int) -> list[Event]:
        """The first `count` events, skipping keepalives."""
        events: list[Event] = []
        while len(events) < count:
            if (event := await self.next()) is not KEEPALIVE:
                events.append(event)
        return events

    def close(self) -> None:
        self.response.close()

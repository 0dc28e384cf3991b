"""In-process coordinator for the single-machine mode (no Redis)."""

from __future__ import annotations

import asyncio
import math
import time
from collections import defaultdict
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator


class _Queue:
    def __init__(self) -> None:
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=10_000)

    def __aiter__(self) -> AsyncIterator[dict[str, Any]]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[dict[str, Any]]:
        while True:
            yield await self.queue.get()


class LocalCoordinator:
    def __init__(self) -> None:
        self._subscribers: defaultdict[str, set[_Queue]] = defaultdict(set)
        self._windows: dict[str, tuple[int, int]] = {}

    async def publish(self, topic: str, message: dict[str, Any]) -> None:
        for subscriber in list(self._subscribers.get(topic, ())):
            if not subscriber.queue.full():  # a stalled browser must not block the bot
                subscriber.queue.put_nowait(message)

    @asynccontextmanager
    async def subscribe(self, topic: str) -> AsyncIterator[_Queue]:
        subscription = _Queue()
        self._subscribers[topic].add(subscription)
        try:
            yield subscription
        finally:
            self._subscribers[topic].discard(subscription)
            if not self._subscribers[topic]:  # a web chat visitor is a topic: forget it when they go
                del self._subscribers[topic]

    async def take(self, budget: str, limit: int, per_seconds: float) -> float:
        now = time.time()
        window = math.floor(now / per_seconds)
        current, used = self._windows.get(budget, (window, 0))
        if current != window:
            current, used = window, 0
        if used >= limit:
            return (window + 1) * per_seconds - now
        self._windows[budget] = (current, used + 1)
        return 0.0

    async def ping(self) -> bool:
        return True

    async def aclose(self) -> None:
        self._subscribers.clear()

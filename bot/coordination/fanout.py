"""Redis pub/sub fan-out: one subscriber connection per replica, shared by every local subscriber.

A browser's live stream must cost its replica no more than a share of one Redis connection: a
listener per topic (a web chat visitor is a topic) kept its connection after the visitor left,
and 64 of them emptied the pool the webhooks need. The listener has its own connection, outside
that pool; it subscribes a topic when its first local subscriber arrives, unsubscribes it when
the last one leaves, and closes when nobody listens. A Redis restart is ridden out: the listener
reconnects with backoff and subscribes again, so live updates resume (what was published while
Redis was away is lost: fan-out is at most once, and the streams replay from the database).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import Counter
from contextlib import asynccontextmanager, suppress
from typing import Any, AsyncIterator, Awaitable, Callable

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

from bot.coordination.base import Subscription
from bot.coordination.local import LocalCoordinator

log = logging.getLogger("bot.coordination.fanout")
CONFIRM_SECONDS = 1.0  # a subscriber waits this long for Redis to confirm, then goes on regardless
FIRST_BACKOFF, MAX_BACKOFF = 0.1, 5.0
CLOSE_SECONDS = 2.0


class RedisFanout:
    def __init__(self, url: str, *, prefix: str) -> None:
        self._redis: Redis = Redis.from_url(url, decode_responses=True)
        self._prefix = prefix  # channel = prefix + topic
        self._local = LocalCoordinator()  # hands each message to this replica's subscribers
        self._listeners: Counter[str] = Counter()  # local subscribers per topic
        self._confirmed: dict[str, asyncio.Event] = {}
        self._pubsub: PubSub | None = None  # set while the listener is connected
        self._task: asyncio.Task[None] | None = None
        self._closing = False

    @asynccontextmanager
    async def subscribe(self, topic: str) -> AsyncIterator[Subscription]:
        async with self._local.subscribe(topic) as subscription:
            self._listeners[topic] += 1
            try:
                if self._listeners[topic] == 1:
                    await self._start_listening(topic)
                with suppress(TimeoutError):
                    await asyncio.wait_for(self._confirmed[topic].wait(), CONFIRM_SECONDS)
                yield subscription
            finally:
                await self._stop_listening(topic)

    async def _start_listening(self, topic: str) -> None:
        self._confirmed[topic] = asyncio.Event()
        if self._task is None:
            self._task = asyncio.create_task(self._listen())  # it subscribes every wanted topic
        elif self._pubsub is not None:
            await _quietly(self._pubsub.subscribe, self._prefix + topic)

    async def _stop_listening(self, topic: str) -> None:
        self._listeners[topic] -= 1
        if self._listeners[topic] > 0:
            return
        del self._listeners[topic], self._confirmed[topic]
        if not self._listeners and self._task is not None:
            self._task.cancel()  # nobody listens: the connection closes
            self._task = None
        elif self._pubsub is not None:
            await _quietly(self._pubsub.unsubscribe, self._prefix + topic)

    async def _listen(self) -> None:
        backoff, lost = FIRST_BACKOFF, False
        while not self._closing:
            pubsub = self._redis.pubsub()
            try:
                await pubsub.connect()
                self._pubsub = pubsub  # from here on a new topic subscribes itself
                await pubsub.subscribe(*(self._prefix + topic for topic in self._listeners))
                if lost:
                    log.info("redis pub/sub resumed")
                backoff, lost = FIRST_BACKOFF, False
                await self._relay(pubsub)
            except Exception as failure:  # noqa: BLE001 - whatever broke, live streams need the listener back
                if not lost:
                    log.warning("redis pub/sub lost; reconnecting", extra={"error": type(failure).__name__})
                lost = True
            finally:
                if self._pubsub is pubsub:
                    self._pubsub = None
                await pubsub.aclose()
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)

    async def _relay(self, pubsub: PubSub) -> None:
        while True:
            message = await pubsub.get_message(timeout=None)
            if message is None:
                continue
            topic = str(message["channel"])[len(self._prefix):]
            if message["type"] == "subscribe" and topic in self._confirmed:
                self._confirmed[topic].set()
            elif message["type"] == "message":
                await self.publish_here(topic, json.loads(message["data"]))

    async def publish_here(self, topic: str, message: dict[str, Any]) -> None:
        """This replica's subscribers only: the fallback while Redis cannot carry it further."""
        await self._local.publish(topic, message)

    async def aclose(self) -> None:
        """Bounded: a cancellation swallowed inside the Redis client must not hold a shutdown up."""
        self._closing = True
        if self._task is not None:
            self._task.cancel()
            await asyncio.wait({self._task}, timeout=CLOSE_SECONDS)
            self._task = None
        await self._redis.aclose()


async def _quietly(command: Callable[[str], Awaitable[Any]], channel: str) -> None:
    """A (un)subscribe that fails means the connection is gone: the listener reconnects and
    subscribes to exactly the topics wanted then, so the failure itself needs no handling."""
    with suppress(RedisError, OSError):
        await command(channel)

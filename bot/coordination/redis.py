"""Redis coordinator for scale-out: SET NX pre-check, pub/sub fan-out, fixed-window budget."""

from __future__ import annotations

import json
import math
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError


class _RedisSubscription:
    def __init__(self, pubsub: PubSub) -> None:
        self._pubsub = pubsub

    def __aiter__(self) -> AsyncIterator[dict[str, Any]]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[dict[str, Any]]:
        async for item in self._pubsub.listen():
            if item.get("type") == "message":
                yield json.loads(item["data"])


class RedisCoordinator:
    def __init__(self, url: str, *, namespace: str = "haumai") -> None:
        self._redis: Redis = Redis.from_url(url, decode_responses=True)
        self._ns = namespace

    def _key(self, *parts: str) -> str:
        return ":".join((self._ns, *parts))

    async def known(self, keys: list[str]) -> set[str]:
        if not keys:
            return set()
        values = await self._redis.mget([self._key("seen", key) for key in keys])
        return {key for key, value in zip(keys, values, strict=True) if value is not None}

    async def remember(self, keys: list[str], ttl_seconds: int) -> None:
        async with self._redis.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.set(self._key("seen", key), "1", ex=ttl_seconds)
            await pipe.execute()

    async def publish(self, topic: str, message: dict[str, Any]) -> None:
        await self._redis.publish(self._key("topic", topic), json.dumps(message))

    @asynccontextmanager
    async def subscribe(self, topic: str) -> AsyncIterator[_RedisSubscription]:
        pubsub = self._redis.pubsub()
        await pubsub.subscribe(self._key("topic", topic))
        try:
            yield _RedisSubscription(pubsub)
        finally:
            await pubsub.unsubscribe()
            await pubsub.aclose()

    async def take(self, budget: str, limit: int, per_seconds: float) -> float:
        now = time.time()
        window = math.floor(now / per_seconds)
        key = self._key("budget", budget, str(window))
        async with self._redis.pipeline(transaction=True) as pipe:
            used, _ = await pipe.incr(key).expire(key, math.ceil(per_seconds) + 1).execute()
        if int(used) <= limit:
            return 0.0
        return (window + 1) * per_seconds - now

    async def ping(self) -> bool:
        try:
            return bool(await self._redis.ping())
        except (RedisError, OSError):
            return False

    async def aclose(self) -> None:
        await self._redis.aclose()

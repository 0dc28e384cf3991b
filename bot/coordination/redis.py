"""Redis coordinator for scale-out: seen-key pre-check, pub/sub fan-out, fixed-window budget."""

from __future__ import annotations

import json
import math
import time
from contextlib import AbstractAsyncContextManager
from typing import Any

from redis.asyncio import BlockingConnectionPool, Redis
from redis.exceptions import RedisError

from bot.coordination.base import Subscription
from bot.coordination.fanout import RedisFanout


class RedisCoordinator:
    def __init__(self, url: str, *, namespace: str = "haumai") -> None:
        # Bursts of webhooks wait for a connection instead of failing on a full pool.
        pool = BlockingConnectionPool.from_url(url, decode_responses=True, max_connections=64, timeout=5)
        self._redis: Redis = Redis(connection_pool=pool)
        self._ns = namespace
        self._fanout = RedisFanout(url, prefix=self._key("topic", ""))  # one subscription for all browsers

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

    def subscribe(self, topic: str) -> AbstractAsyncContextManager[Subscription]:
        return self._fanout.subscribe(topic)

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
        await self._fanout.aclose()
        await self._redis.aclose()

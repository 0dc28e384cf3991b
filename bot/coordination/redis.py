"""Redis coordinator for scale-out: pub/sub fan-out and fixed-window budgets.

Redis is an accelerator: when it is unreachable every call falls back to this replica's
in-process coordinator (fan-out and budgets become per-replica) and processing goes on. Calls
use their own pool with short timeouts and no waiting for a free connection, and after a
failure Redis is skipped for a second, so a dead Redis never holds a turn or a send up.
"""

from __future__ import annotations

import json
import logging
import math
import time
from contextlib import AbstractAsyncContextManager
from typing import Any, Awaitable, Callable, TypeVar

from redis.asyncio import ConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from bot.breaker import BreakerState, CircuitBreaker
from bot.coordination.base import Subscription
from bot.coordination.fanout import RedisFanout
from bot.coordination.local import LocalCoordinator

log = logging.getLogger("bot.coordination")
T = TypeVar("T")
COMMAND_TIMEOUT = 0.5  # seconds; Redis answers in well under a millisecond when it is well
SKIP_AFTER_FAILURE = 1.0  # seconds during which calls go straight to the fallback


def _command_client(url: str) -> Redis:
    """One reconnect attempt (a connection left dead by a Redis restart), then fall back."""
    pool = ConnectionPool.from_url(
        url, decode_responses=True, max_connections=64, socket_timeout=COMMAND_TIMEOUT,
        socket_connect_timeout=COMMAND_TIMEOUT, retry=Retry(NoBackoff(), 1),
    )
    return Redis.from_pool(pool)


class RedisCoordinator:
    def __init__(self, url: str, *, namespace: str = "haumai") -> None:
        self._commands = _command_client(url)
        self._breaker = CircuitBreaker(failures_to_open=1, cool_down=SKIP_AFTER_FAILURE)
        self._ns = namespace
        self._local = LocalCoordinator()  # the fallback while Redis is away
        self._fanout = RedisFanout(url, prefix=self._key("topic", ""))  # one subscription for all browsers

    def _key(self, *parts: str) -> str:
        return ":".join((self._ns, *parts))

    async def _or_local(self, call: Callable[[], Awaitable[T]], fallback: Callable[[], Awaitable[T]]) -> T:
        """`call` on Redis; `fallback` in-process when Redis fails or failed a moment ago."""
        if self._breaker.allows():
            try:
                result = await call()
            except (RedisError, OSError) as failure:
                self._went_down(failure)
            else:
                self._came_back()
                return result
        return await fallback()

    def _went_down(self, failure: Exception) -> None:
        if self._breaker.state == BreakerState.CLOSED:
            log.warning("redis unreachable; coordinating in-process until it returns", extra={"error": type(failure).__name__})
        self._breaker.failed()

    def _came_back(self) -> None:
        if self._breaker.state != BreakerState.CLOSED:
            log.info("redis reachable again")
        self._breaker.succeeded()

    async def publish(self, topic: str, message: dict[str, Any]) -> None:
        """Without Redis, this replica's own subscribers still hear it (others catch up from the log)."""

        async def in_redis() -> None:
            await self._commands.publish(self._key("topic", topic), json.dumps(message))

        await self._or_local(in_redis, lambda: self._fanout.publish_here(topic, message))

    def subscribe(self, topic: str) -> AbstractAsyncContextManager[Subscription]:
        return self._fanout.subscribe(topic)

    async def take(self, budget: str, limit: int, per_seconds: float) -> float:
        """Without Redis the budget is this replica's alone (generous, never blocking)."""

        async def in_redis() -> float:
            now = time.time()
            window = math.floor(now / per_seconds)
            key = self._key("budget", budget, str(window))
            async with self._commands.pipeline(transaction=True) as pipe:
                pipe.incr(key)
                pipe.expire(key, math.ceil(per_seconds) + 1)
                used, _ = await pipe.execute()
            return 0.0 if int(used) <= limit else (window + 1) * per_seconds - now

        return await self._or_local(in_redis, lambda: self._local.take(budget, limit, per_seconds))

    async def ping(self) -> bool:
        """Asks Redis even while calls are skipping it, so /readyz sees it return at once."""
        try:
            answered = bool(await self._commands.ping())
        except (RedisError, OSError) as failure:
            self._went_down(failure)
            return False
        self._came_back()
        return answered

    async def aclose(self) -> None:
        await self._fanout.aclose()
        await self._commands.aclose()

"""Cross-replica helpers (pub/sub, rate budget): Redis or in-process.

Redis only speeds things up and fans them out; every exactly-once decision stays a
database constraint or lease, so the in-process implementation is correct on one machine.
"""

from __future__ import annotations

from bot.coordination.base import Coordinator
from bot.coordination.local import LocalCoordinator
from bot.coordination.redis import RedisCoordinator


def make_coordinator(redis_url: str | None, *, namespace: str = "haumai") -> Coordinator:
    if redis_url:
        return RedisCoordinator(redis_url, namespace=namespace)
    return LocalCoordinator()


__all__ = ["Coordinator", "LocalCoordinator", "RedisCoordinator", "make_coordinator"]

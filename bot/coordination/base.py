"""The one interface both the Redis and the in-process implementations satisfy."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any, AsyncIterator, Protocol


class Subscription(Protocol):
    def __aiter__(self) -> AsyncIterator[dict[str, Any]]: ...


class Coordinator(Protocol):
    async def publish(self, topic: str, message: dict[str, Any]) -> None:
        """At-most-once fan-out to every replica's subscribers of `topic`."""

    def subscribe(self, topic: str) -> AbstractAsyncContextManager[Subscription]:
        """Receive what is published to `topic` from now on."""

    async def take(self, budget: str, limit: int, per_seconds: float) -> float:
        """Take one unit of a shared budget; 0 when granted, else seconds to wait first."""

    async def ping(self) -> bool:
        """Whether the backing service answers (for /readyz)."""

    async def aclose(self) -> None: ...

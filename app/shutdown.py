"""Closing a replica's parts within a bound, each in turn.

A step that hangs on the way down (a client library that swallows its cancellation, a peer that
never answers a goodbye) must not keep the replica from exiting or the steps after it (the
database pool last) from running: after CLOSE_SECONDS it is abandoned with a warning naming it.
`asyncio.wait_for` would not do, since it waits for the cancelled step to finish.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import AsyncExitStack
from typing import Awaitable, Callable

log = logging.getLogger("app.shutdown")
CLOSE_SECONDS = 10.0


def close_within(
    stack: AsyncExitStack, name: str, close: Callable[[], Awaitable[None]], *, seconds: float = CLOSE_SECONDS
) -> None:
    """Push `close` onto `stack`, bounded by `seconds`."""

    async def bounded() -> None:
        step = asyncio.ensure_future(close())
        done, _ = await asyncio.wait({step}, timeout=seconds)
        if not done:
            step.cancel()
            log.warning("shutdown step hung; abandoned", extra={"step": name})
        elif step.exception() is not None:
            log.warning("shutdown step failed", extra={"step": name, "error": type(step.exception()).__name__})

    stack.push_async_callback(bounded)

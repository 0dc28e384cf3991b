"""What the dispatcher owes before the next turn batch: claims woken for and sends not yet started.

A turn batch holds the event loop (SQLite runs inline) and, on SQLite, the one connection for
its whole length. A reply it committed used to wait behind the next batch for its claim, and
behind the one after for its start: two batches between "answered" and "on its way". The turn
worker therefore waits (bounded, like the acks owed) for what is owed here: a wake-up an idle
round has yet to claim for, and each claimed row until its request is started. A row that
would wait for something else first (its send budget, an earlier round's row to the same
recipient, a free request slot) is settled at once: turns never wait for a provider.
"""

from __future__ import annotations

import asyncio
from typing import Hashable, Iterable

WOKEN = object()  # a wake-up an idle round took and has not claimed for yet


class Starting:
    def __init__(self) -> None:
        self._owed: set[Hashable] = set()
        self._settled = asyncio.Event()
        self._settled.set()

    def owe(self, keys: Iterable[Hashable]) -> None:
        self._owed.update(keys)
        if self._owed:
            self._settled.clear()

    def settle(self, key: Hashable) -> None:
        """Idempotent: every path a row takes settles it, the first one counts."""
        self._owed.discard(key)
        if not self._owed:
            self._settled.set()

    async def settled(self, max_wait: float) -> None:
        """Returns once nothing is owed, or after `max_wait` seconds."""
        if self._owed:
            try:
                await asyncio.wait_for(self._settled.wait(), max_wait)
            except TimeoutError:
                pass

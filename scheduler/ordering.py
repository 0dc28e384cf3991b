"""Sends to one recipient in claim order, across dispatch rounds that run side by side.

A round no longer waits for the one before it to finish (the next turn batch's replies would
wait behind its slowest send and its outcome write), so two rounds can hold rows for the same
recipient. Each round takes its places in line the moment its claim returns, before it awaits
anything, and a recipient's group of rows starts only once the earlier round's group for that
recipient has been sent.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Iterable


@dataclass(slots=True)
class Place:
    """One round's turn at one recipient: wait for `after`, then release `done` when sent."""

    after: asyncio.Future[None] | None
    done: asyncio.Future[None]

    @property
    def free(self) -> bool:
        """Nothing earlier to wait for."""
        return self.after is None or self.after.done()

    async def reached(self) -> None:
        if self.after is not None:
            await self.after  # always resolved with None (`release`), even if that round failed


class InOrder:
    def __init__(self) -> None:
        self._last: dict[str, Place] = {}  # each recipient's latest place not yet released

    def reserve(self, recipients: Iterable[str]) -> dict[str, Place]:
        """Places behind every round that reserved earlier; synchronous, so claim order is kept."""
        loop = asyncio.get_running_loop()
        places = {}
        for recipient in recipients:
            earlier = self._last.get(recipient)
            places[recipient] = self._last[recipient] = Place(
                earlier.done if earlier is not None else None, loop.create_future())
        return places

    def release(self, recipient: str, place: Place) -> None:
        """Idempotent: a round releases every place it reserved, sent or not (failure, cancellation)."""
        if not place.done.done():
            place.done.set_result(None)
        if self._last.get(recipient) is place:
            del self._last[recipient]

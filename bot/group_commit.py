"""Many requests' writes in one transaction: the group commit that makes SQLite fast.

A request that must not answer before its write is durable hands the work to one writer
and waits. The writer applies whatever queued up meanwhile in a single transaction, so one
commit serves many requests. If the batch fails, each item is retried alone so one bad item
fails only its own request; if the database is unreachable, the whole batch fails at once
(its requests answer 503) rather than retrying item by item against a dead connection.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Awaitable, Callable, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.outage import is_outage
from bot.supervisor import Supervisor

Item = TypeVar("Item")
Result = TypeVar("Result")
log = logging.getLogger("bot.group_commit")


@dataclass(slots=True)
class _Waiting(Generic[Item, Result]):
    item: Item
    done: asyncio.Future[Result]


class GroupCommit(Generic[Item, Result]):
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        apply: Callable[[AsyncSession, list[Item]], Awaitable[list[Result]]],
        *,
        max_batch: int = 200,
        name: str = "group-commit",
    ) -> None:
        self._sessions, self._apply, self._max_batch, self._name = sessions, apply, max_batch, name
        self._queue: asyncio.Queue[_Waiting[Item, Result]] = asyncio.Queue()
        self._started = False

    def start(self, supervisor: Supervisor) -> None:
        """Idempotent, so a user that only sometimes writes can start it on first use."""
        if not self._started:
            self._started = True
            supervisor.run(self._name, self.write_next)

    async def submit(self, item: Item) -> Result:
        """Apply `item` in the next batch; returns once its transaction committed."""
        waiting: _Waiting[Item, Result] = _Waiting(item, asyncio.get_running_loop().create_future())
        self._queue.put_nowait(waiting)
        return await waiting.done

    async def write_next(self) -> None:
        """Wait for work, then write everything queued meanwhile (the supervised step)."""
        batch = [await self._queue.get()]
        while not self._queue.empty() and len(batch) < self._max_batch:
            batch.append(self._queue.get_nowait())
        try:
            await self._write(batch)
        finally:  # whatever happened, nobody waits forever
            for waiting in batch:
                _fail(waiting)

    async def _write(self, batch: list[_Waiting[Item, Result]]) -> None:
        try:
            async with self._sessions.begin() as session:
                results = await self._apply(session, [waiting.item for waiting in batch])
        except Exception as failure:
            if is_outage(failure):
                log.warning("database unreachable; batch refused", extra={"writer": self._name, "items": len(batch)})
                for waiting in batch:
                    _fail(waiting, failure)
                return
            if len(batch) == 1:
                log.exception("write failed", extra={"writer": self._name})
                _fail(batch[0])
                return
            for waiting in batch:  # find the bad one; the others still commit
                await self._write([waiting])
            return
        for waiting, result in zip(batch, results):
            _succeed(waiting, result)


class WriteFailed(Exception):
    """The item could not be stored; its request answers 5xx so the sender retries."""


def _succeed(waiting: _Waiting[Item, Result], result: Result) -> None:
    if not waiting.done.done():
        waiting.done.set_result(result)


def _fail(waiting: _Waiting[Item, Result], cause: Exception | None = None) -> None:
    if waiting.done.done():
        return
    failed = WriteFailed("could not store the item")
    failed.__cause__ = cause  # an outage stays recognisable to whoever answers the request
    waiting.done.set_exception(failed)

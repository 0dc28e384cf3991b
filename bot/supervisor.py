"""Background work that cannot die quietly.

A long-lived task that raises used to vanish: webhooks kept answering 200 while nothing was
processed, and nobody was told. Every long-lived task is therefore a *step* repeated by the
supervisor: a step that raises is logged (its class and frames once per failing streak, then a line at
the 2nd, 4th, 8th… repeat), retried after a growing pause, and reported by /readyz until a step succeeds.
Periodic jobs (APScheduler) go through the same bookkeeping via `guarded`, their interval being
their backoff.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import traceback
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Awaitable, Callable

from bot.clock import Clock, utcnow

log = logging.getLogger("bot.supervisor")
Step = Callable[[], Awaitable[None]]
FIRST_DELAY = 0.1
MAX_DELAY = 5.0  # short: a writer paused by an outage must pick up soon after it ends
FAILING_AFTER = 3  # consecutive failures before /readyz calls a task failing rather than unlucky


@dataclass(slots=True)
class Streak:
    """A task's current run of failures (none once a step succeeds)."""

    since: datetime
    last_error: str
    failures: int = 1


class Supervisor:
    def __init__(self, *, clock: Clock = utcnow, first_delay: float = FIRST_DELAY, max_delay: float = MAX_DELAY) -> None:
        self._clock = clock
        self._first_delay, self._max_delay = first_delay, max_delay
        self._streaks: dict[str, Streak] = {}
        self._tasks: list[asyncio.Task[None]] = []

    def run(self, name: str, step: Step) -> None:
        """Repeat `step` until stopped, pausing longer after each consecutive failure."""
        self._tasks.append(asyncio.create_task(self._repeat(name, step), name=name))

    def guarded(self, name: str, job: Callable[[], Any]) -> Step:
        """`job` (sync or async) as a step whose failures are recorded instead of raised."""

        async def call() -> None:
            result = job()
            if inspect.isawaitable(result):
                await result

        async def attempt_job() -> None:
            await self.attempt(name, call)

        return attempt_job

    async def attempt(self, name: str, step: Step) -> bool:
        """Run `step` once; whether it succeeded."""
        try:
            await step()
        except Exception as failure:
            self._failed(name, failure)
            return False
        self._succeeded(name)
        return True

    def failing(self) -> dict[str, dict[str, Any]]:
        """Tasks that failed at least FAILING_AFTER times in a row and have not succeeded since."""
        return {
            name: {"failing_since": streak.since.isoformat(), "last_error": streak.last_error, "failures": streak.failures}
            for name, streak in self._streaks.items()
            if streak.failures >= FAILING_AFTER
        }

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    async def _repeat(self, name: str, step: Step) -> None:
        delay = self._first_delay
        while True:
            if await self.attempt(name, step):
                delay = self._first_delay
                await asyncio.sleep(0)  # a step that never waits must not starve the event loop
                continue
            await asyncio.sleep(delay)
            delay = min(delay * 2, self._max_delay)

    def _failed(self, name: str, failure: Exception) -> None:
        error = type(failure).__name__
        streak = self._streaks.get(name)
        if streak is None:
            self._streaks[name] = Streak(self._clock(), error)
            log.error("background task failed; restarting it", extra={"task": name, "error": error, "at": _frames(failure)})
            return
        streak.failures += 1
        streak.last_error = error
        if streak.failures & (streak.failures - 1) == 0:  # 2, 4, 8…: a stuck task cannot flood the log
            log.warning("background task still failing", extra={"task": name, "error": error, "failures": streak.failures})

    def _succeeded(self, name: str) -> None:
        streak = self._streaks.pop(name, None)
        if streak is not None:
            log.info("background task recovered", extra={"task": name, "failures": streak.failures})


def _frames(failure: Exception) -> str:
    """Where it failed, without the message: an error's text may quote a customer's data."""
    return "".join(traceback.format_tb(failure.__traceback__, limit=-6))

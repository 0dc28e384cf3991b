"""The ordered steps every inbound message goes through, ending in the handler routing chose.

Modelled on aiogram's middlewares: a step is `async def step(turn, next_step)`; it may act
before calling `next_step`, after it (it then wraps every later step and the handler), or
not call it at all, which ends the message's path there. `handlers.build_pipeline` registers
them in one place, in order. Steps share the batch's session and must only change objects or
defer rows (`bot.storage.deferred`): the batch flushes once, whatever the steps.
"""

from __future__ import annotations

import functools
from typing import Awaitable, Callable

from bot.turn import Turn

Next = Callable[[Turn], Awaitable[None]]
Step = Callable[[Turn, Next], Awaitable[None]]


class Pipeline:
    def __init__(self) -> None:
        self._steps: list[Step] = []

    @property
    def steps(self) -> tuple[Step, ...]:
        return tuple(self._steps)

    def register(self, *steps: Step) -> None:
        """Registration order is running order; the handler runs after the last step."""
        self._steps.extend(steps)

    async def run(self, turn: Turn) -> None:
        await self._run_from(0, turn)

    async def _run_from(self, index: int, turn: Turn) -> None:
        if index < len(self._steps):
            await self._steps[index](turn, functools.partial(self._run_from, index + 1))
        elif turn.handler is not None:
            await turn.handler(turn)

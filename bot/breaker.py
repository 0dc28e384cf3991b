"""A circuit breaker per carrier: stop hammering a carrier that keeps failing, try again later."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Callable


class BreakerState(StrEnum):
    CLOSED = "closed"  # calls go through
    OPEN = "open"  # calls are refused until the cool-down ends
    HALF_OPEN = "half_open"  # one trial call decides


@dataclass
class CircuitBreaker:
    failures_to_open: int = 5
    cool_down: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _failures: int = field(default=0, init=False)
    _opened_at: float | None = field(default=None, init=False)

    @property
    def state(self) -> BreakerState:
        if self._opened_at is None:
            return BreakerState.CLOSED
        return BreakerState.HALF_OPEN if self.clock() - self._opened_at >= self.cool_down else BreakerState.OPEN

    def allows(self) -> bool:
        """Closed, or cooled down enough for one trial call."""
        return self.state != BreakerState.OPEN

    def succeeded(self) -> None:
        self._failures, self._opened_at = 0, None

    def failed(self) -> None:
        self._failures += 1
        if self.state == BreakerState.HALF_OPEN or self._failures >= self.failures_to_open:
            self._opened_at = self.clock()

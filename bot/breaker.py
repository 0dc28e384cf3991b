"""A circuit breaker per carrier: stop hammering a carrier that keeps failing, try again later."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class CircuitBreaker:
    failures_to_open: int = 5
    cool_down: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _failures: int = field(default=0, init=False)
    _opened_at: float | None = field(default=None, init=False)

    @property
    def state(self) -> str:
        if self._opened_at is None:
            return "closed"
        return "half_open" if self.clock() - self._opened_at >= self.cool_down else "open"

    def allows(self) -> bool:
        """Closed, or cooled down enough for one trial call."""
        return self.state != "open"

    def succeeded(self) -> None:
        self._failures, self._opened_at = 0, None

    def failed(self) -> None:
        self._failures += 1
        if self.state == "half_open" or self._failures >= self.failures_to_open:
            self._opened_at = self.clock()

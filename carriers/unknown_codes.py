"""Unknown carrier status codes, reported within fixed bounds whatever a webhook carries.

A carrier may introduce a code any day, and that is worth one log line; but a status field
can hold any string, 50 kB or a new one per request, and remembering or logging each in
full grew memory and logs without limit. So: the code is cut to `CODE_LENGTH` characters,
the last `capacity` codes are remembered (least recently seen forgotten first), and each
carrier logs at most `lines_per_minute` lines; lines held back are counted in the next one.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

log = logging.getLogger("carriers")
CODE_LENGTH = 64


@dataclass
class _Window:
    started: float
    lines: int = 0
    held_back: int = 0


class UnknownCodes:
    def __init__(
        self, capacity: int = 256, lines_per_minute: int = 20, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._seen: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._capacity = capacity
        self._lines_per_minute = lines_per_minute
        self._clock = clock
        self._windows: dict[str, _Window] = {}

    def report(self, carrier: str, raw: str) -> None:
        """Log `raw` once while it is remembered, if `carrier`'s budget this minute allows."""
        key = (carrier, raw[:CODE_LENGTH])
        if key in self._seen:
            self._seen.move_to_end(key)
            return
        self._seen[key] = None
        if len(self._seen) > self._capacity:
            self._seen.popitem(last=False)
        window = self._window(carrier)
        if window.lines >= self._lines_per_minute:
            window.held_back += 1
            return
        window.lines += 1
        log.warning("unknown carrier status code", extra={
            "carrier": carrier, "raw_code": key[1], "truncated": len(raw) > CODE_LENGTH,
            "held_back": window.held_back,
        })
        window.held_back = 0

    def _window(self, carrier: str) -> _Window:
        now = self._clock()
        window = self._windows.get(carrier)
        if window is None or now - window.started >= 60:
            window = self._windows[carrier] = _Window(now, held_back=window.held_back if window else 0)
        return window

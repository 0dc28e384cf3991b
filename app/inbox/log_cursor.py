"""How far a live inbox has read the event log, and the ids it stepped over.

PostgreSQL hands out `inbox_events.id` when a row is inserted, not when it commits: with replicas'
turn batches and staff actions committing side by side, a stream can read id 11 while id 10 is still
in flight, and a cursor that only moves forward would never look back for it. So an id stepped
over is looked for again on each catch-up until it turns up or `GAP_SECONDS` pass (an insert that
was rolled back leaves a hole for good). SQLite has one writer, so there ids commit in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, or_

from bot.storage.models import InboxEvent

GAP_SECONDS = 30.0  # far longer than any transaction; a wake after commit re-reads well before
MAX_GAPS = 200  # a hostile or ancient Last-Event-ID must not make every catch-up a long IN list


@dataclass
class LogCursor:
    last: int
    missing: dict[int, float] = field(default_factory=dict)  # id stepped over → when to stop looking

    def unread(self) -> ColumnElement[bool]:
        after = InboxEvent.id > self.last
        return or_(after, InboxEvent.id.in_(sorted(self.missing))) if self.missing else after

    def read(self, ids: list[int], now: float) -> None:
        """`ids`: what a catch-up found, in order. Whatever it stepped over is awaited a while."""
        found = set(ids)
        for event_id in found:
            self.missing.pop(event_id, None)
        newest = max(found, default=self.last)
        if newest > self.last:
            stepped_over = [gap for gap in range(max(self.last + 1, newest - MAX_GAPS), newest) if gap not in found]
            self.missing.update(dict.fromkeys(stepped_over, now + GAP_SECONDS))
            self.last = newest
        for event_id, until in list(self.missing.items()):
            if until <= now:
                del self.missing[event_id]
        while len(self.missing) > MAX_GAPS:
            del self.missing[min(self.missing)]

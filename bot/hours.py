"""Daily time windows in the shop's timezone (quiet hours, business hours)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


def window_end(now: datetime, window: tuple[time, time] | None, zone: ZoneInfo) -> datetime | None:
    """The end of the daily window `now` falls in (windows may cross midnight), or None."""
    if window is None:
        return None
    start, end = window
    local = now.astimezone(zone)
    clock = local.time()
    inside = start <= clock or clock < end if start > end else start <= clock < end
    if not inside:
        return None
    end_day = local.date() + timedelta(days=1) if start > end and clock >= start else local.date()
    return datetime.combine(end_day, end, tzinfo=zone)


def next_opening(now: datetime, open_hours: tuple[time, time] | None, zone: ZoneInfo) -> datetime | None:
    """When people are next at work, or None if they are now (or always)."""
    if open_hours is None:
        return None
    opens, closes = open_hours
    return window_end(now, (closes, opens), zone)

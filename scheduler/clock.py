"""APScheduler as the clock only: it decides when to look, never what to send."""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler

Job = Callable[[], Awaitable[Any]] | Callable[[], Any]


def make_clock(jobs: dict[str, tuple[Job, float]], timezone: str) -> AsyncIOScheduler:
    """One interval job per name; fixed ids, coalesced, never overlapping itself."""
    scheduler = AsyncIOScheduler(timezone=timezone)
    for name, (job, seconds) in jobs.items():
        scheduler.add_job(
            job,
            "interval",
            seconds=seconds,
            id=name,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=max(1, int(seconds)),
        )
    return scheduler

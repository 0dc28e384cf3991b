"""A replica's shutdown cannot hang on one part."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack

import pytest

from app.shutdown import close_within


async def test_a_step_that_swallows_its_cancellation_is_abandoned_and_the_steps_after_it_still_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    closed: list[str] = []
    release = asyncio.Event()

    async def stubborn() -> None:
        while not release.is_set():
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:  # as a misbehaving client library might
                continue

    async def database() -> None:
        closed.append("database")

    async with AsyncExitStack() as stack:
        close_within(stack, "database", database, seconds=0.1)
        close_within(stack, "stubborn client", stubborn, seconds=0.1)
    release.set()
    assert closed == ["database"]
    assert [vars(r)["step"] for r in caplog.records if r.getMessage() == "shutdown step hung; abandoned"] == ["stubborn client"]


async def test_a_step_that_fails_is_logged_and_the_steps_after_it_still_run(caplog: pytest.LogCaptureFixture) -> None:
    closed: list[str] = []

    async def broken() -> None:
        raise ConnectionResetError

    async def database() -> None:
        closed.append("database")

    async with AsyncExitStack() as stack:
        close_within(stack, "database", database)
        close_within(stack, "broken", broken)
    assert closed == ["database"]
    assert [r.getMessage() for r in caplog.records] == ["shutdown step failed"]

"""A background task that raises is restarted, and one that keeps failing shows on /readyz."""

from __future__ import annotations

import asyncio

from aiohttp.test_utils import TestClient

from tests.apps import eventually, runtime_of


class FlakyStep:
    """A step that raises `failures` times, then succeeds from then on (each time after a short wait)."""

    def __init__(self, failures: int) -> None:
        self.left, self.calls = failures, 0

    async def __call__(self) -> None:
        self.calls += 1
        if self.left:
            self.left -= 1
            raise ConnectionError("the dependency hung up")
        await asyncio.sleep(0.01)


async def failing_tasks(client: TestClient) -> tuple[int, dict[str, dict[str, object]]]:
    response = await client.get("/readyz")
    return response.status, (await response.json())["tasks"]


async def test_a_task_that_keeps_failing_makes_the_replica_unready_and_says_which(client: TestClient) -> None:
    runtime_of(client).supervisor.run("stuck", FlakyStep(failures=10**6))

    async def reported() -> dict[str, object] | None:
        status, tasks = await failing_tasks(client)
        return tasks["stuck"] if status == 503 and "stuck" in tasks else None

    stuck = await eventually(reported)
    assert stuck["last_error"] == "ConnectionError" and stuck["failures"] >= 3 and stuck["failing_since"]


async def test_a_task_that_fails_is_restarted_until_it_succeeds_and_then_reads_healthy(client: TestClient) -> None:
    step = FlakyStep(failures=4)
    runtime_of(client).supervisor.run("flaky", step)
    await eventually(lambda: _more_calls_than(step, 5))
    assert await failing_tasks(client) == (200, {})


async def _more_calls_than(step: FlakyStep, count: int) -> bool:
    return step.calls > count

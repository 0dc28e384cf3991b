"""Polling a carrier's pull API: answers come from the last known state while it is down."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from tests.apps import Api, MovableClock, runtime_of
from tests.fakes.carriers import FakeGhn
from tests.fakes.telegram import FakeTelegram
from tests.flows.test_carrier_webhooks import CHAT, order
from tests.flows.test_telegram_wismo import replies


async def status_of(client: TestClient, code: str = "HM4001") -> str:
    return (await Api(client).get(f"/api/v1/orders/{code}"))[1]["status"]


async def test_a_poll_brings_the_latest_status_and_tells_only_the_newest_step(
    carrier_client: TestClient, telegram: FakeTelegram, ghn: FakeGhn
) -> None:
    await order(carrier_client, "HM4001", "ghn", "GAN6D8A9")
    ghn.status = "delivering"
    assert await runtime_of(carrier_client).poller.run_once() == 1
    assert await status_of(carrier_client) == "out_for_delivery"
    runtime_of(carrier_client).dispatcher.wake()
    notice = (await replies(telegram, 1, CHAT))[0]  # the older "picked up" step is superseded
    assert "HM4001" in notice and "đang được giao" in notice


async def test_an_order_is_not_polled_again_before_its_next_poll_time(carrier_client: TestClient, ghn: FakeGhn) -> None:
    await order(carrier_client, "HM4001", "ghn", "GAN6D8A9")
    await runtime_of(carrier_client).poller.run_once()
    assert await runtime_of(carrier_client).poller.run_once() == 0
    assert len(ghn.requests) == 1


async def test_a_failing_carrier_keeps_the_last_known_state_and_opens_the_breaker(
    carrier_client: TestClient, ghn: FakeGhn, clock: MovableClock
) -> None:
    runtime = runtime_of(carrier_client)
    await order(carrier_client, "HM4001", "ghn", "GAN6D8A9")
    await runtime.poller.run_once()
    ghn.mode = "error"
    for _ in range(5):
        clock.advance(hours=4)
        await runtime.poller.run_once()
    assert await status_of(carrier_client) == "out_for_delivery"
    assert runtime.poller.breakers["ghn"].state == "open"
    requests = len(ghn.requests)
    clock.advance(hours=4)
    await runtime.poller.run_once()
    assert len(ghn.requests) == requests  # an open breaker spares the carrier


async def test_a_hanging_carrier_times_out_within_three_seconds(carrier_client: TestClient, ghn: FakeGhn) -> None:
    await order(carrier_client, "HM4001", "ghn", "GAN6D8A9")
    ghn.mode = "hang"
    loop_time = __import__("asyncio").get_running_loop().time
    started = loop_time()
    await runtime_of(carrier_client).poller.run_once()
    assert loop_time() - started < 2 * 3.5  # two attempts of at most 3 s each
    assert await status_of(carrier_client) == "created"


async def test_the_breaker_closes_when_the_carrier_recovers(
    carrier_client: TestClient, ghn: FakeGhn, clock: MovableClock
) -> None:
    runtime = runtime_of(carrier_client)
    await order(carrier_client, "HM4001", "ghn", "GAN6D8A9")
    breaker = runtime.poller.breakers["ghn"]
    breaker.cool_down = 0.0
    ghn.mode = "error"
    for _ in range(5):
        clock.advance(hours=4)
        await runtime.poller.run_once()
    ghn.mode, ghn.status = "ok", "delivering"
    clock.advance(hours=4)
    await runtime.poller.run_once()
    assert breaker.state == "closed" and await status_of(carrier_client) == "out_for_delivery"

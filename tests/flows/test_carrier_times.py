"""Carrier times reach the timeline as meant: sloppy offsets read, impossible futures placed at arrival."""

from __future__ import annotations

import logging

import pytest
from aiohttp.test_utils import TestClient

from tests.apps import Api, MovableClock
from tests.flows.test_carrier_webhooks import order, post


async def test_ghtks_documented_form_sample_with_an_unencoded_plus_is_accepted(carrier_client: TestClient) -> None:
    await order(carrier_client, "HM3002", "ghtk", "S1.A1.17373471")
    form = b"partner_id=HM3002&label_id=S1.A1.17373471&status_id=3&action_time=2026-11-24T09:18:39+07:00"
    assert await post(carrier_client, "ghtk", form, content_type="application/x-www-form-urlencoded") == 200
    _, placed = await Api(carrier_client).get("/api/v1/orders/HM3002")
    assert placed["status"] == "picked_up"
    assert [e["occurred_at"] for e in placed["timeline"] if e["source"] == "ghtk"] == ["2026-11-24T02:18:39+00:00"]


async def test_a_carrier_time_hours_in_the_future_is_placed_at_arrival_and_logged_without_personal_data(
    carrier_client: TestClient, clock: MovableClock, caplog: pytest.LogCaptureFixture
) -> None:
    await order(carrier_client, "HM3001", "ghn", "GAN6D8A9")
    ahead = b'{"OrderCode": "GAN6D8A9", "Type": "switch_status", "Status": "picked", "Time": "2026-11-24T06:00:00Z"}'
    with caplog.at_level(logging.WARNING, logger="tracking.timeline"):
        assert await post(carrier_client, "ghn", ahead) == 200
    _, placed = await Api(carrier_client).get("/api/v1/orders/HM3001")
    assert [e["occurred_at"] for e in placed["timeline"] if e["source"] == "ghn"] == [clock().isoformat()]
    [record] = [r for r in caplog.records if r.name == "tracking.timeline"]
    assert (vars(record)["source"], vars(record)["ahead_seconds"]) == ("ghn", 3 * 3600)
    logged = f"{record.getMessage()} {vars(record)}"
    assert not any(private in logged for private in ("GAN6D8A9", "HM3001", "Chị Lan", str(888001)))


async def test_a_carrier_clock_a_few_minutes_ahead_is_believed(carrier_client: TestClient) -> None:
    await order(carrier_client, "HM3001", "ghn", "GAN6D8A9")
    skewed = b'{"OrderCode": "GAN6D8A9", "Type": "switch_status", "Status": "picked", "Time": "2026-11-24T03:04:00Z"}'
    assert await post(carrier_client, "ghn", skewed) == 200
    _, placed = await Api(carrier_client).get("/api/v1/orders/HM3001")
    assert [e["occurred_at"] for e in placed["timeline"] if e["source"] == "ghn"] == ["2026-11-24T03:04:00+00:00"]

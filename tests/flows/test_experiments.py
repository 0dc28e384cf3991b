"""Experiments through the REST API, and the journey each arm's orders get on Telegram."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp.test_utils import TestClient

from tests.apps import Api, MovableClock, runtime_of
from tests.fakes.telegram import FakeTelegram
from tests.flows.test_journey import CHAT, ORDER, event, texts

ALMOST_NEVER = 0.001  # an arm this light against 1000 is practically never drawn


async def running(client: TestClient, *arms: dict[str, Any]) -> int:
    status, created = await Api(client).post("/api/v1/experiments", {"name": "test", "arms": list(arms)})
    assert status == 201, created
    status, started = await Api(client).post(f"/api/v1/experiments/{created['id']}/start", {})
    assert status == 200 and started["status"] == "running"
    return int(created["id"])


async def test_a_holdout_order_gets_no_status_notices_but_still_its_thanks(
    client: TestClient, telegram: FakeTelegram, clock: MovableClock
) -> None:
    await running(client, {"name": "holdout", "weight": 1000, "holdout": True}, {"name": "control", "weight": ALMOST_NEVER})
    await Api(client).post("/api/v1/orders", ORDER)
    await event(client, "picked_up")
    await event(client, "delivered")
    await asyncio.sleep(0.3)
    assert telegram.texts_to(CHAT) == []
    clock.advance(hours=3, seconds=1)
    runtime_of(client).dispatcher.wake()
    assert "10%" in (await texts(telegram, 1))[0]


async def test_a_variant_arm_gets_its_own_coupon_and_thanks_delay(
    client: TestClient, telegram: FakeTelegram, clock: MovableClock
) -> None:
    await running(client, {"name": "control", "weight": ALMOST_NEVER},
                  {"name": "fast15", "weight": 1000, "thanks_delay": "2h", "coupon_percent": 15})
    await Api(client).post("/api/v1/orders", ORDER)
    await event(client, "delivered")
    await texts(telegram, 1)
    clock.advance(hours=2, seconds=1)
    runtime_of(client).dispatcher.wake()
    assert "15%" in (await texts(telegram, 2))[1]


async def test_the_results_count_each_arms_orders(client: TestClient, telegram: FakeTelegram) -> None:
    experiment = await running(client, {"name": "control", "weight": 1}, {"name": "b", "weight": 1})
    await Api(client).post("/api/v1/orders", ORDER)
    await event(client, "confirmed")
    status, report = await Api(client).get(f"/api/v1/experiments/{experiment}")
    assert status == 200 and sum(report["results"]["orders"].values()) == 1
    verdict = report["results"]["outcomes"]["wismo_contacts_per_order"]["vs_control"]["b"]
    assert verdict["verdict"] == "not enough data yet" and verdict["orders_needed"] > 0
    assert report["results"]["outcomes"]["returns_per_order"]["arms"]["control"]["n"] in (0, 1)
    status, metrics = await Api(client).get("/api/v1/metrics")
    assert status == 200 and [e["id"] for e in metrics["experiments"]] == [experiment]


async def test_an_experiment_without_a_control_arm_is_refused_with_the_reason(client: TestClient) -> None:
    status, body = await Api(client).post("/api/v1/experiments", {"name": "x", "arms": [
        {"name": "a", "weight": 1}, {"name": "b", "weight": 1}]})
    assert status == 422 and "control" in str(body["fields"])


async def test_an_arm_naming_an_unknown_template_is_refused(client: TestClient) -> None:
    status, body = await Api(client).post("/api/v1/experiments", {"name": "x", "arms": [
        {"name": "control", "weight": 1}, {"name": "b", "weight": 1, "templates": {"thanks_coupon": "nope/none"}}]})
    assert status == 422 and body["error"] == "unusable_template" and "nope/none" in body["detail"]


async def test_an_arm_template_without_the_buttons_the_journey_needs_is_refused(client: TestClient) -> None:
    status, body = await Api(client).post("/api/v1/experiments", {"name": "x", "arms": [
        {"name": "control", "weight": 1}, {"name": "b", "weight": 1, "templates": {"thanks_coupon": "thanks"}}]})
    assert status == 422 and "button labels missing" in body["detail"]


async def test_a_variant_without_the_shippers_phone_leaves_it_out_of_the_notice(
    client: TestClient, telegram: FakeTelegram
) -> None:
    await running(client, {"name": "control", "weight": ALMOST_NEVER}, {"name": "nophone", "weight": 1000, "shipper_phone": False})
    await Api(client).post("/api/v1/orders", ORDER)
    await event(client, "out_for_delivery", shipper_name="Anh Tuấn", shipper_phone="0901234567")
    notice = (await texts(telegram, 1))[0]
    assert "đang được giao" in notice and "0901234567" not in notice


async def test_a_second_experiment_cannot_start_while_one_runs(client: TestClient) -> None:
    await running(client, {"name": "control", "weight": 1}, {"name": "b", "weight": 1})
    _, second = await Api(client).post("/api/v1/experiments", {"name": "two", "arms": [
        {"name": "control", "weight": 1}, {"name": "b", "weight": 1}]})
    status, body = await Api(client).post(f"/api/v1/experiments/{second['id']}/start", {})
    assert status == 409 and body["error"] == "another_running"
    assert (await Api(client).post("/api/v1/experiments/999999/stop", {}))[0] == 404


async def test_the_experiment_routes_are_in_the_openapi_document(client: TestClient) -> None:
    _, document = await Api(client).get("/api/v1/openapi.json")
    assert {"/api/v1/experiments", "/api/v1/experiments/{id}", "/api/v1/experiments/{id}/start",
            "/api/v1/experiments/{id}/stop"} <= set(document["paths"])
    assert "ExperimentSpec" in document["components"]["schemas"]


async def test_a_variant_sends_its_own_template_in_place_of_the_journeys(client: TestClient, telegram: FakeTelegram) -> None:
    await running(client, {"name": "control", "weight": ALMOST_NEVER},
                  {"name": "wording", "weight": 1000, "templates": {"notice/picked_up": "notice/in_transit"}})
    await Api(client).post("/api/v1/orders", ORDER)
    await event(client, "picked_up")
    assert "đang trên đường" in (await texts(telegram, 1))[0]

"""The shop's system and returns: open a request, report its steps, list them, read the figures."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.apps import Api, MovableClock

pytestmark = pytest.mark.usefixtures("backend")
ORDER: dict[str, Any] = {"code": "HM8001", "customer": {"name": "Chị Mai", "phone": "0987658001"}, "total": 420000,
                         "items": [{"name": "Áo sơ mi", "quantity": 1, "price": 420000}], "status": "delivered"}
RETURN = {"order_code": "HM8001", "reason": "too_big", "resolution": "refund", "refund_method": "credit"}


async def _opened(shop: TestClient) -> dict[str, Any]:
    await Api(shop).post("/api/v1/orders", ORDER)
    status, body = await Api(shop).post("/api/v1/returns", RETURN)
    assert status == 201
    return dict(body)


async def test_a_return_for_a_free_reason_is_approved_at_once_and_a_second_is_refused(shop: TestClient) -> None:
    body = await _opened(shop)
    assert (body["state"], body["verdict"]) == ("approved", "auto_approved")
    assert [(e["state"], e["actor"]) for e in body["events"]] == [("requested", "shop"), ("approved", "bot")]
    status, again = await Api(shop).post("/api/v1/returns", RETURN)
    assert (status, again["error"], again["id"]) == (409, "already_requested", body["id"])


@pytest.mark.parametrize("order, error", [({**ORDER, "status": "in_transit"}, "not_delivered"), (None, "order_not_found")])
async def test_an_order_not_delivered_or_unknown_cannot_be_returned(shop: TestClient, order: dict[str, Any] | None, error: str) -> None:
    if order is not None:
        await Api(shop).post("/api/v1/orders", order)
    status, body = await Api(shop).post("/api/v1/returns", RETURN)
    assert (status, body["error"]) == (422 if order else 404, error)


async def test_steps_are_recorded_once_in_order_and_refused_out_of_order(shop: TestClient) -> None:
    body = await _opened(shop)
    path = f"/api/v1/returns/{body['id']}/events"
    status, refused = await Api(shop).post(path, {"state": "refunded"})
    assert (status, refused["error"]) == (409, "not_allowed")
    assert (await Api(shop).post(path, {"state": "pickup_scheduled"}))[0] == 409  # needs the parcel's code
    assert (await Api(shop).post(path, {"state": "received"}))[0] == 201
    assert (await Api(shop).post(path, {"state": "received"}))[0] == 200
    status, done = await Api(shop).post(path, {"state": "refunded", "note": "Đã tạo phiếu mua hàng"})
    assert status == 201 and [e["state"] for e in done["return"]["events"]] == ["requested", "approved", "received", "refunded"]
    assert (await Api(shop).post("/api/v1/returns/99999999999999999999/events", {"state": "closed"}))[0] == 404


async def test_the_list_filters_by_state(shop: TestClient) -> None:
    body = await _opened(shop)
    assert [r["id"] for r in (await Api(shop).get("/api/v1/returns?state=approved"))[1]["returns"]] == [body["id"]]
    assert (await Api(shop).get("/api/v1/returns?state=requested"))[1]["returns"] == []
    assert (await Api(shop).get("/api/v1/returns?state=draft"))[0] == 400


async def test_the_figures_count_returns_their_reasons_time_to_refund_and_those_settled_without_a_person(
    shop: TestClient, clock: MovableClock
) -> None:
    body = await _opened(shop)
    path = f"/api/v1/returns/{body['id']}/events"
    await Api(shop).post(path, {"state": "received"})
    clock.advance(hours=30)
    await Api(shop).post(path, {"state": "refunded"})
    status, metrics = await Api(shop).get("/api/v1/metrics")
    assert status == 200
    returns = metrics["returns"]
    assert (returns["requests"], returns["reasons"], returns["resolutions"]) == (1, {"too_big": 1}, {"refund": 1})
    assert (returns["return_rate_per_100_delivered"], returns["request_to_refund_median_s"]) == (100.0, 30 * 3600)
    assert (returns["without_a_person"], returns["without_a_person_pct"], returns["resolved"]) == (1, 100.0, 1)


async def test_the_openapi_document_describes_the_returns_endpoints(shop: TestClient) -> None:
    document = await (await shop.get("/api/v1/openapi.json")).json()
    assert {"get", "post"} <= set(document["paths"]["/api/v1/returns"])
    assert "ReturnEventIn" in document["components"]["schemas"]

"""Every documented carrier code has an expected canonical status (research/carriers.md §12)."""

from __future__ import annotations

import pytest

from carriers import ghn, ghtk, viettelpost

GHN = {
    "draft": "created", "ready_to_pick": "created", "picking": "created", "money_collect_picking": "created",
    "picked": "picked_up", "storing": "in_transit", "transporting": "in_transit", "sorting": "in_transit",
    "delivering": "out_for_delivery", "money_collect_delivering": "out_for_delivery", "delivered": "delivered",
    "delivery_fail": "delivery_failed", "waiting_to_return": "delivery_failed", "return": "returning",
    "return_transporting": "returning", "return_sorting": "returning", "returning": "returning",
    "return_fail": "returning", "returned": "returned", "cancel": "cancelled", "exception": "exception",
    "lost": "exception", "damage": "exception",
}
GHTK = {
    "-1": "cancelled", "1": "created", "2": "created", "12": "created", "8": "created", "128": "created",
    "127": "created", "7": "exception", "123": "picked_up", "3": "picked_up", "4": "out_for_delivery",
    "45": "delivered", "5": "delivered", "6": "delivered", "49": "delivery_failed", "9": "delivery_failed",
    "410": "delivery_failed", "10": "delivery_failed", "20": "returning", "21": "returned", "11": "returned",
    "13": "exception",
}
VTP = {
    **dict.fromkeys((-100, 100, 102, 103, -108, -109, -110, 104), "created"), **dict.fromkeys((105, 200), "picked_up"),
    **dict.fromkeys((106, 101, 107, 201, 503), "cancelled"), **dict.fromkeys((202, 570), None),
    **dict.fromkeys((300, 301, 302, 303, 310, 320, 400, 401, 402, 403, 509, 510, 508, 550), "in_transit"),
    500: "out_for_delivery", **dict.fromkeys((506, 507, 505), "delivery_failed"),
    **dict.fromkeys((515, 502), "returning"), 504: "returned", 501: "delivered",
}


@pytest.mark.parametrize("code, expected", sorted(GHN.items()))
def test_ghn_status_maps_to_its_canonical_status(code: str, expected: str) -> None:
    assert ghn.map_status(code)[0] == expected


@pytest.mark.parametrize("code, expected", sorted(GHTK.items()))
def test_ghtk_status_id_maps_to_its_canonical_status(code: str, expected: str) -> None:
    assert ghtk.map_status(code)[0] == expected


@pytest.mark.parametrize("code, expected", sorted(VTP.items()))
def test_viettelpost_order_status_maps_to_its_canonical_status(code: int, expected: str | None) -> None:
    assert viettelpost.map_status(code)[0] == expected


def test_an_unknown_code_falls_back_to_the_description_and_never_crashes() -> None:
    assert ghn.map_status("brand_new_status", "Giao hàng thành công")[0] == "delivered"
    assert ghtk.map_status("999")[0] is None


def test_an_unknown_code_is_logged_once_with_its_raw_value(caplog: pytest.LogCaptureFixture) -> None:
    viettelpost.map_status(777)
    viettelpost.map_status(777)
    assert [r.raw_code for r in caplog.records if getattr(r, "raw_code", None) == "777"] == ["777"]


def test_a_returning_parcel_in_transit_is_returning() -> None:
    assert viettelpost.map_status(302, returning=True)[0] == "returning"


def test_awaiting_the_shops_decision_is_a_failed_delivery_with_return_pending() -> None:
    assert ghn.map_status("waiting_to_return") == ("delivery_failed", "return_pending")
    assert viettelpost.map_status(505) == ("delivery_failed", "return_pending")

"""Every documented carrier code has an expected canonical status (the mapping tables of docs/carriers.md §2–§8)."""

from __future__ import annotations

import pytest

from carriers import ahamove, ghn, ghtk, jnt, ninjavan, viettelpost, vnpost

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
    assert [vars(r)["raw_code"] for r in caplog.records if vars(r).get("raw_code") == "777"] == ["777"]


def test_a_returning_parcel_in_transit_is_returning() -> None:
    assert viettelpost.map_status(302, returning=True)[0] == "returning"


def test_awaiting_the_shops_decision_is_a_failed_delivery_with_return_pending() -> None:
    assert ghn.map_status("waiting_to_return") == ("delivery_failed", "return_pending")
    assert viettelpost.map_status(505) == ("delivery_failed", "return_pending")


JNT = {
    "103": "created", "104": "created", "105": "cancelled", "106": "picked_up", "10": "picked_up",
    "109": "in_transit", "110": "in_transit", "50": "in_transit", "92": "in_transit", "112": "out_for_delivery",
    "94": "out_for_delivery", "118": "delivery_failed", "113": "delivered", "100": "delivered",
    "116": "returning", "120": "returning", "117": "returned", "121": None,
}
NINJAVAN = {
    "Pending Pickup": "created", "Driver dispatched for Pickup": "created", "Pickup Exception": "created",
    "Picked Up": "picked_up", "Picked Up, In Transit To Origin Hub": "picked_up", "Arrived at Origin Hub": "in_transit",
    "In Transit to Next Sorting Hub": "in_transit", "Arrived at Transit Hub": "in_transit",
    "Arrived at Destination Hub": "in_transit", "International Transit": "in_transit",
    "On Vehicle for Delivery": "out_for_delivery", "At PUDO": "out_for_delivery", "Delivered": "delivered",
    "Delivered, Received by Customer": "delivered", "Delivered, Left at Doorstep": "delivered",
    "Delivered, Collected by Customer": "delivered", "Delivery Exception": "delivery_failed",
    "Return to Sender Triggered": "returning", "Returned to Sender": "returned", "Return to Shipper Exception": "returning",
    "Cancelled": "cancelled", "Parcel Measurements Update": None, "Parcel Size": None, "Parcel Weight": None,
    "DELIVERY_SUCCESS": "delivered", "Staging": "created", "Van en-route to pickup": "created", "Pickup fail": "created",
    "Pending Pickup at Distribution Point": "created", "Successful Pickup": "picked_up",
    "En-route to Sorting Hub": "picked_up", "Arrived at Sorting Hub": "in_transit", "Cross Border Transit": "in_transit",
    "Customs Cleared": "in_transit", "Customs Held": "in_transit", "Arrived at Distribution Point": "out_for_delivery",
    "Pending Reschedule": "delivery_failed", "First Attempt Delivery Fail": "delivery_failed", "Completed": "delivered",
    "Successful Delivery": "delivered",
}
VNPOST = {"20": "created", "61": None, "10": "cancelled", "60": "cancelled", "62": "cancelled", "70": "picked_up",
          "91": "delivery_failed", "100": "delivered", "110": "delivered", "120": "delivered", "161": "returning",
          "170": "returned"}
AHAMOVE = [
    ({"status": "IDLE"}, "created"), ({"status": "ASSIGNING"}, "created"), ({"status": "CONFIRMING"}, "created"),
    ({"status": "PAYING"}, "created"), ({"status": "ACCEPTED"}, "created"),
    ({"status": "ACCEPTED", "sub_status": "BOARDED"}, "picked_up"), ({"status": "PICKED_UP"}, "picked_up"),
    ({"status": "TRANSPORTING"}, "in_transit"), ({"status": "IN PROCESS", "sub_status": "COMPLETING"}, "out_for_delivery"),
    ({"status": "COMPLETED", "path": [{"status": "COMPLETED"}, {"status": "COMPLETED"}]}, "delivered"),
    ({"status": "COMPLETED", "path": [{"status": "COMPLETED"}, {"status": "FAILED"}]}, "delivery_failed"),
    ({"status": "FAILED_2"}, "delivery_failed"), ({"status": "COMPLETED", "sub_status": "IN_RETURN"}, "returning"),
    ({"status": "COMPLETED", "sub_status": "RETURNED"}, "returned"), ({"status": "RETURN_FAILED"}, "exception"),
    ({"status": "CANCELLED"}, "cancelled"),
]


@pytest.mark.parametrize("code, expected", sorted(JNT.items()))
def test_jnt_scan_type_maps_to_its_canonical_status(code: str, expected: str | None) -> None:
    assert jnt.map_status(code)[0] == expected


@pytest.mark.parametrize("status, expected", sorted(NINJAVAN.items()))
def test_ninjavan_status_maps_to_its_canonical_status(status: str, expected: str | None) -> None:
    assert ninjavan.map_status(status)[0] == expected


@pytest.mark.parametrize("code, expected", sorted(VNPOST.items()))
def test_vnpost_order_status_maps_to_its_canonical_status(code: str, expected: str | None) -> None:
    assert vnpost.map_status(code)[0] == expected


@pytest.mark.parametrize("order, expected", AHAMOVE)
def test_ahamove_order_maps_to_its_canonical_status(order: dict[str, object], expected: str) -> None:
    assert ahamove.map_order(order)[0] == expected


def test_a_ninjavan_parcel_on_its_return_leg_is_returning_or_returned() -> None:
    assert ninjavan.map_status("On Vehicle for Delivery", on_return_leg=True)[0] == "returning"
    assert ninjavan.map_status("Delivered", on_return_leg=True)[0] == "returned"


def test_a_jnt_unknown_scan_falls_back_to_its_text() -> None:
    assert jnt.map_status("999", "Giao hàng thành công")[0] == "delivered"

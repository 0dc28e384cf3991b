"""The demo's sandbox carrier walks a parcel along one journey and says who delivers it."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from carriers.models import CanonicalStatus
from carriers.sandbox import HUBS, JOURNEY, SHIPPER_NAME, SHIPPER_PHONE, next_step, step_event, steps_to

AT = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("status, expected", [
    ("confirmed", "picked_up"), ("picked_up", "in_transit"), ("in_transit", "out_for_delivery"),
    ("out_for_delivery", "delivered"),
])
def test_each_step_leads_to_the_next(status: str, expected: str) -> None:
    assert next_step(status) == expected


def test_the_last_step_stays_where_it_is() -> None:
    assert next_step("delivered") == "delivered"


@pytest.mark.parametrize("status", ["created", "delivery_failed", "returned", "cancelled"])
def test_a_status_off_the_journey_is_left_alone(status: str) -> None:
    assert next_step(status) == status


def test_the_history_of_a_step_is_the_journey_up_to_it() -> None:
    assert steps_to("in_transit") == ("confirmed", "picked_up", "in_transit")


def test_the_history_of_a_status_off_the_journey_is_that_status_alone() -> None:
    assert steps_to("cancelled") == ("cancelled",)


def test_the_out_for_delivery_event_names_the_shipper() -> None:
    event = step_event("HM1004", "HMX10004", "out_for_delivery", AT)
    assert (event.shipper_name, event.shipper_phone) == (SHIPPER_NAME, SHIPPER_PHONE)


@pytest.mark.parametrize("status", [s for s in JOURNEY if s != "out_for_delivery"])
def test_no_other_step_names_a_shipper(status: str) -> None:
    event = step_event("HM1004", "HMX10004", status, AT)
    assert (event.shipper_name, event.shipper_phone) == (None, None)


@pytest.mark.parametrize("status", JOURNEY)
def test_an_event_is_the_step_at_its_hub(status: str) -> None:
    event = step_event("HM1004", "HMX10004", status, AT)
    expected = ("sandbox", status, HUBS.get(CanonicalStatus(status)), AT)
    assert (event.carrier, event.status, event.location, event.occurred_at) == expected


def test_a_step_reported_twice_has_one_id() -> None:
    first, again = (step_event("HM1004", None, "picked_up", at) for at in (AT, AT.replace(hour=9)))
    assert first.provider_event_id == again.provider_event_id

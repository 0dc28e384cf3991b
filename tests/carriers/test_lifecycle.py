"""The lifecycle alone says whether a reported status is ahead, a legitimate move back, or neither."""

from __future__ import annotations

import pytest

from carriers.models import Move, lifecycle_move

AHEAD = [
    ("created", "confirmed"), ("confirmed", "in_transit"), ("picked_up", "delivered"),
    ("out_for_delivery", "delivery_failed"), ("delivery_failed", "returning"), ("returning", "returned"),
    ("in_transit", "cancelled"), ("exception", "delivered"), ("delivered", "returning"),
]
BACK = [
    ("delivery_failed", "out_for_delivery"), ("delivery_failed", "in_transit"), ("exception", "in_transit"),
    ("exception", "out_for_delivery"), ("exception", "picked_up"), ("in_transit", "exception"),
    ("created", "exception"),
]
NONE = [
    ("out_for_delivery", "in_transit"), ("in_transit", "confirmed"), ("picked_up", "picked_up"),
    ("delivered", "out_for_delivery"), ("cancelled", "delivered"), ("returned", "exception"),
    ("exception", "created"), ("returning", "delivered"),
]


@pytest.mark.parametrize("current, new", AHEAD)
def test_a_later_step_is_ahead(current: str, new: str) -> None:
    assert lifecycle_move(current, new) is Move.AHEAD


@pytest.mark.parametrize("current, new", BACK)
def test_another_attempt_a_parcel_found_and_an_exception_are_legitimate_moves_back(current: str, new: str) -> None:
    assert lifecycle_move(current, new) is Move.BACK


@pytest.mark.parametrize("current, new", NONE)
def test_the_same_step_an_earlier_one_or_anything_after_the_end_moves_nothing(current: str, new: str) -> None:
    assert lifecycle_move(current, new) is Move.NONE

"""Carrier times are read leniently: as carriers' own samples write them, in their documented zone."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from carriers.ghn import GhnCarrier
from carriers.ghtk import GhtkCarrier

FORM = "application/x-www-form-urlencoded"


def ghtk_time(action_time: bytes) -> datetime:
    body = b"label_id=S1.A1.17373471&partner_id=HM3002&status_id=3&action_time=" + action_time
    return GhtkCarrier().parse_webhook(body, FORM, {})[0].occurred_at


def ghn_time(time: str) -> datetime:
    body = f'{{"OrderCode": "GAN6D8A9", "Type": "switch_status", "Status": "picked", "Time": "{time}"}}'.encode()
    return GhnCarrier().parse_webhook(body, "application/json", {})[0].occurred_at


def test_ghtks_documented_unencoded_plus_in_the_offset_is_read_as_a_plus() -> None:
    assert ghtk_time(b"2016-11-02T12:18:39+07:00") == datetime(2016, 11, 2, 5, 18, 39, tzinfo=timezone.utc)


@pytest.mark.parametrize("written", ["2016-11-02T12:18:39 07:00", "2016-11-02 12:18:39 07:00", "2016-11-02T12:18:39.000 0700"])
def test_an_offset_whose_plus_became_a_space_keeps_its_sign(written: str) -> None:
    assert ghn_time(written) == datetime(2016, 11, 2, 5, 18, 39, tzinfo=timezone.utc)


def test_a_time_without_an_offset_is_vietnam_time() -> None:
    assert ghn_time("2026-11-24T09:00:00").utcoffset() == timedelta(hours=7)
    assert ghtk_time(b"2026-11-24 09:00:00") == datetime(2026, 11, 24, 2, 0, tzinfo=timezone.utc)


def test_a_negative_offset_is_left_alone() -> None:
    assert ghn_time("2026-11-24T09:00:00-03:00") == datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)

"""Segments come from orders and answers: who is new, repeat, VIP, at risk, a detractor or a promoter."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st
from pydantic import ValidationError

from bot.config import SEGMENT_NAMES, Settings
from bot.segments import Facts, Segment, segments_of

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)


def segments(found: Facts) -> set[Segment]:
    return segments_of(found, vip_spend=5_000_000, at_risk_after=timedelta(days=90), now=NOW)


def facts(orders: int = 1, spend: int = 300_000, days_ago: int = 1, nps: int | None = None) -> Facts:
    return Facts(orders, spend, NOW - timedelta(days=days_ago + 30), NOW - timedelta(days=days_ago), nps)


def test_a_first_order_makes_a_new_customer() -> None:
    assert segments(facts()) == {Segment.NEW}


def test_a_second_order_makes_a_repeat_customer() -> None:
    assert segments(facts(orders=2)) == {Segment.REPEAT}


def test_spending_past_the_threshold_makes_a_vip() -> None:
    assert Segment.VIP in segments(facts(orders=3, spend=5_000_000))


def test_no_purchase_for_the_at_risk_time_puts_a_customer_at_risk() -> None:
    assert Segment.AT_RISK in segments(facts(days_ago=90))
    assert Segment.AT_RISK not in segments(facts(days_ago=89))


@given(score=st.integers(min_value=0, max_value=10))
def test_the_latest_nps_answer_makes_a_detractor_or_a_promoter(score: int) -> None:
    found = segments(facts(nps=score))
    assert (Segment.DETRACTOR in found) == (score <= 6) and (Segment.PROMOTER in found) == (score >= 9)


def test_the_settings_know_every_segment_by_name() -> None:
    assert SEGMENT_NAMES == {segment.value for segment in Segment}


def test_a_setting_naming_an_unknown_segment_is_refused() -> None:
    with pytest.raises(ValidationError, match="unknown segments: vvip"):
        Settings.from_env({"HAUMAI_WINBACK_SEGMENTS": "at_risk, vvip"}, read_dotenv=False)

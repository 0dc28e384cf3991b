from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

from bot.hours import next_opening, window_end as quiet_until

VN = ZoneInfo("Asia/Ho_Chi_Minh")
QUIET = (time(21, 0), time(8, 0))


def test_a_message_due_at_22_waits_until_8_next_morning() -> None:
    due = datetime(2026, 11, 24, 22, 0, tzinfo=VN)
    assert quiet_until(due, QUIET, VN) == datetime(2026, 11, 25, 8, 0, tzinfo=VN)


def test_a_message_due_at_6_waits_until_8_the_same_morning() -> None:
    due = datetime(2026, 11, 25, 6, 0, tzinfo=VN)
    assert quiet_until(due, QUIET, VN) == datetime(2026, 11, 25, 8, 0, tzinfo=VN)


def test_a_message_due_in_the_day_goes_now() -> None:
    assert quiet_until(datetime(2026, 11, 25, 14, 0, tzinfo=VN), QUIET, VN) is None


def test_quiet_hours_are_read_in_the_shop_timezone() -> None:
    utc_15 = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)  # 22:00 in Vietnam
    assert quiet_until(utc_15, QUIET, VN) == datetime(2026, 11, 25, 8, 0, tzinfo=VN)


def test_quiet_hours_off_never_defers() -> None:
    assert quiet_until(datetime(2026, 11, 24, 23, 0, tzinfo=VN), None, VN) is None


def test_a_daytime_quiet_window_is_supported() -> None:
    lunch = (time(12, 0), time(13, 30))
    due = datetime(2026, 11, 25, 12, 15, tzinfo=VN)
    assert quiet_until(due, lunch, VN) == datetime(2026, 11, 25, 13, 30, tzinfo=VN)


def test_outside_business_hours_the_next_opening_is_named() -> None:
    evening = datetime(2026, 11, 24, 22, 30, tzinfo=VN)
    assert next_opening(evening, (time(8), time(21)), VN) == datetime(2026, 11, 25, 8, 0, tzinfo=VN)


def test_during_business_hours_there_is_no_wait() -> None:
    assert next_opening(datetime(2026, 11, 24, 10, 0, tzinfo=VN), (time(8), time(21)), VN) is None

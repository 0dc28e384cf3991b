"""A live inbox's place in the event log: ids stepped over are looked for again, for a while."""

from __future__ import annotations

from app.inbox.log_cursor import GAP_SECONDS, MAX_GAPS, LogCursor


def test_an_id_stepped_over_is_looked_for_again() -> None:
    cursor = LogCursor(9)
    cursor.read([11], now=0.0)
    assert cursor.last == 11 and set(cursor.missing) == {10}


def test_an_id_found_later_is_no_longer_looked_for() -> None:
    cursor = LogCursor(9)
    cursor.read([11], now=0.0)
    cursor.read([10, 12], now=1.0)
    assert cursor.last == 12 and not cursor.missing


def test_a_hole_left_by_a_rolled_back_insert_is_given_up_after_a_while() -> None:
    cursor = LogCursor(9)
    cursor.read([11], now=0.0)
    cursor.read([], now=GAP_SECONDS)
    assert not cursor.missing


def test_a_replay_from_far_back_looks_for_a_bounded_number_of_holes() -> None:
    cursor = LogCursor(0)
    cursor.read([1, 100_000], now=0.0)
    assert len(cursor.missing) <= MAX_GAPS and max(cursor.missing) == 99_999

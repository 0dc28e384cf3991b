"""Unknown carrier status codes cost bounded memory and bounded log lines, whatever is sent."""

from __future__ import annotations

import tracemalloc
from typing import Any

import pytest

from carriers import jnt
from carriers.unknown_codes import CODE_LENGTH, UnknownCodes


class ManualClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def logged(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    """The fields (with the `extra` ones) of each unknown-code line."""
    return [vars(r) for r in caplog.records if r.getMessage() == "unknown carrier status code"]


def test_a_thousand_distinct_50_kb_codes_leave_memory_flat(caplog: pytest.LogCaptureFixture) -> None:
    jnt.map_status("warm-up")
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        for n in range(1000):
            jnt.map_status(f"{n}:" + "x" * 50_000)
        grown = sum(stat.size_diff for stat in tracemalloc.take_snapshot().compare_to(before, "filename"))
    finally:
        tracemalloc.stop()
    assert grown < 1_000_000  # unbounded, this was 50 MB
    assert all(len(r["raw_code"]) <= CODE_LENGTH for r in logged(caplog))


def test_a_long_code_is_logged_cut_short_and_marked(caplog: pytest.LogCaptureFixture) -> None:
    UnknownCodes().report("ghn", "y" * 50_000)
    [record] = logged(caplog)
    assert record["raw_code"] == "y" * CODE_LENGTH and record["truncated"] is True


def test_each_carrier_logs_a_few_lines_a_minute_and_counts_the_rest(caplog: pytest.LogCaptureFixture) -> None:
    clock = ManualClock()
    codes = UnknownCodes(lines_per_minute=3, clock=clock)
    for n in range(10):
        codes.report("ghtk", f"code-{n}")
    assert len(logged(caplog)) == 3
    clock.now += 60
    codes.report("ghtk", "code-next-minute")
    assert len(logged(caplog)) == 4 and logged(caplog)[-1]["held_back"] == 7


def test_one_noisy_carrier_does_not_silence_another(caplog: pytest.LogCaptureFixture) -> None:
    codes = UnknownCodes(lines_per_minute=2, clock=ManualClock())
    for n in range(5):
        codes.report("ghtk", f"code-{n}")
    codes.report("ghn", "new_status")
    assert [r["carrier"] for r in logged(caplog)] == ["ghtk", "ghtk", "ghn"]


def test_a_code_is_logged_once_while_remembered_and_again_once_forgotten(caplog: pytest.LogCaptureFixture) -> None:
    codes = UnknownCodes(capacity=2, clock=ManualClock())
    for raw in ("a", "a", "b", "a", "c", "b"):  # "c" makes room by forgetting "b", seen longest ago
        codes.report("vnpost", raw)
    assert [r["raw_code"] for r in logged(caplog)] == ["a", "b", "c", "b"]

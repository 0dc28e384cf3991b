"""bench.peers compares Haumai with a yardstick round by round, not median against median."""

from __future__ import annotations

from bench.peers.measure import Run
from bench.peers.report import Result, paired, ratios, targets
from bench.peers.systems import SYSTEMS

SYSTEM = {system.key: system for system in SYSTEMS}


def run(replies: float | None, cpu_ms: float | None = 1.0) -> Run:
    return Run(acks_per_s=1000.0, ack_p99_ms=50.0, replies_loading=replies, replies_sustained=replies,
               unanswered=0, cpu_ms_per_reply=cpu_ms, peak_rss_mb=150.0)


def replies(result: Run) -> float | None:
    return result.replies_sustained


def test_a_ratio_is_the_median_of_the_rounds_ratios() -> None:
    # The machine slows down in round 2, and both systems with it: rounds of 1.1, 1.1 and 0.9,
    # where the medians over the session (900 and 1,000) would say 0.9.
    haumai = Result(SYSTEM["haumai-sqlite"], [run(1100), run(660), run(900)])
    aiogram = Result(SYSTEM["aiogram"], [run(1000), run(600), run(1000)])

    assert abs((paired(haumai, aiogram, replies) or 0.0) - 1.1) < 1e-9


def test_a_round_without_the_figure_on_either_side_is_left_out() -> None:
    haumai = Result(SYSTEM["haumai-sqlite"], [run(900), run(None)])
    aiogram = Result(SYSTEM["aiogram"], [run(1000), run(1000)])

    assert paired(haumai, aiogram, replies) == 0.9


def test_no_yardstick_in_the_run_gives_no_ratio() -> None:
    assert paired(Result(SYSTEM["haumai-sqlite"], [run(900)]), None, replies) is None


def test_the_ratio_table_shows_the_rounds_median() -> None:
    haumai = Result(SYSTEM["haumai-sqlite"], [run(1200), run(600)])
    aiogram = Result(SYSTEM["aiogram"], [run(1000), run(500)])

    assert "| Haumai, SQLite, 1 worker | – | 1.20 × |" in "\n".join(ratios([aiogram, haumai]))


def test_a_target_shows_its_verdict_with_the_range_of_the_rounds() -> None:
    haumai = Result(SYSTEM["haumai-sqlite"], [run(1050, 0.9), run(950, 1.1), run(1100, 0.8)])
    aiogram = Result(SYSTEM["aiogram"], [run(1000), run(1000), run(1000)])

    lines = targets([aiogram, haumai])

    assert "- replies/s sustained ≥ 1.0 × aiogram fixed text, 1 worker: met (1.05 ×; rounds 0.95–1.10 ×)" in lines
    assert "- CPU per reply ≤ aiogram fixed text's: met (0.90 ×; rounds 0.80–1.10 ×)" in lines


def test_the_ack_path_alone_is_set_beside_the_acks_target() -> None:
    def acking(acks_per_s: float) -> Run:
        return Run(acks_per_s, 5.0, None, None, None, None, 100.0)

    bare = Result(SYSTEM["bare"], [acking(18_000.0)])
    acks_only = Result(SYSTEM["haumai-acks"], [acking(6_000.0)])

    lines = targets([bare, acks_only])

    assert ("-   the same with turns stopped (the ack path alone: the ceiling under that target): UNMET (0.33 ×)"
            in lines)

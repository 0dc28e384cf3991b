"""The printed result: one table of every system, Haumai's ratios to each yardstick, the targets."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Callable

from bench.peers.measure import Run
from bench.peers.steady import Latency
from bench.peers.systems import System

Figure = Callable[[Run], float | None]


@dataclass
class Result:
    system: System
    runs: list[Run]
    skipped: str | None = None  # why the system was not run
    latency: Latency | None = None  # from the steady-load mode

    def values(self, figure: Figure) -> list[float]:
        return [value for run in self.runs if (value := figure(run)) is not None]

    def median(self, figure: Figure) -> float | None:
        values = self.values(figure)
        return statistics.median(values) if values else None


def spread(values: list[float], show: Callable[[float], str]) -> str:
    """One figure, or the range over the runs."""
    if not values:
        return "–"
    low, high = show(min(values)), show(max(values))
    return low if low == high else f"{low}–{high}"


def rate(value: float) -> str:
    return f"{value:,.0f}"


def millis(value: float) -> str:
    return f"{value / 1000:.1f} s" if value >= 1000 else f"{value:.0f} ms"


def exact(value: float) -> str:
    return f"{value:.1f} ms"


def megabytes(value: float) -> str:
    return f"{value:.0f} MB"


COLUMNS: list[tuple[str, Figure, Callable[[float], str]]] = [
    ("acks/s", lambda r: r.acks_per_s, rate),
    ("ack p99", lambda r: r.ack_p99_ms, millis),
    ("replies/s while loading", lambda r: r.replies_loading, rate),
    ("replies/s sustained (until drained)", lambda r: r.replies_sustained, rate),
    ("unanswered", lambda r: None if r.unanswered is None else float(r.unanswered), rate),
    ("server CPU per reply", lambda r: r.cpu_ms_per_reply, exact),
    ("peak RSS", lambda r: r.peak_rss_mb, megabytes),
]


def table(results: list[Result]) -> list[str]:
    lines = ["| system | " + " | ".join(name for name, _, _ in COLUMNS) + " |", "|---" * (len(COLUMNS) + 1) + "|"]
    for result in results:
        title = f"**{result.system.title}**" if result.system.haumai_workers else result.system.title
        if result.skipped:
            lines.append(f"| {title} | skipped: {result.skipped} |" + " |" * (len(COLUMNS) - 1))
        else:
            cells = [spread(result.values(figure), show) for _, figure, show in COLUMNS]
            lines.append(f"| {title} | " + " | ".join(cells) + " |")
    return lines


def _by_key(results: list[Result]) -> dict[str, Result]:
    return {result.system.key: result for result in results if result.runs}


def round_ratios(mine: Result, theirs: Result, figure: Figure) -> list[float]:
    """Each round's ratio of the two systems' figures (bench.peers runs every system once per round)."""
    return [m / t for a, b in zip(mine.runs, theirs.runs) if (m := figure(a)) is not None and (t := figure(b))]


def paired(mine: Result, theirs: Result | None, figure: Figure) -> float | None:
    """The median of the rounds' ratios: runs made minutes apart are compared with each other,
    not with the other system's median over the whole session."""
    found = round_ratios(mine, theirs, figure) if theirs is not None else []
    return statistics.median(found) if found else None


def ratios(results: list[Result]) -> list[str]:
    """Haumai over each yardstick, the median of the rounds' ratios: above 1 is better, except CPU per reply."""
    found = _by_key(results)
    against: list[tuple[str, str, Figure]] = [
        ("acks ÷ bare", "bare", lambda r: r.acks_per_s),
        ("replies ÷ aiogram fixed text", "aiogram", lambda r: r.replies_sustained),
        ("replies ÷ aiogram + ORM", "aiogram-orm", lambda r: r.replies_sustained),
        ("replies ÷ PTB fixed text", "ptb", lambda r: r.replies_sustained),
        ("CPU per reply ÷ aiogram fixed text", "aiogram", lambda r: r.cpu_ms_per_reply),
    ]
    lines = ["| Haumai | " + " | ".join(name for name, _, _ in against) + " |", "|---" * (len(against) + 1) + "|"]
    for key, result in found.items():
        if result.system.haumai_workers:
            cells = []
            for _, yardstick, figure in against:
                value = paired(result, found.get(yardstick), figure)
                cells.append("–" if value is None else f"{value:.2f} ×")
            lines.append(f"| {result.system.title} | " + " | ".join(cells) + " |")
    return lines


def targets(results: list[Result]) -> list[str]:
    """The issue's "done when", each met, unmet, or not measured in this run (and why)."""
    found = _by_key(results)
    one, two, acks_only = found.get("haumai-sqlite"), found.get("haumai-pg-2"), found.get("haumai-acks")
    bare, fixed = found.get("bare"), found.get("aiogram")

    def compare(mine: Result | None, theirs: Result | None, figure: Figure, factor: float, higher: bool) -> str:
        if mine is None or theirs is None:
            return "not measured (run both systems)"
        rounds = round_ratios(mine, theirs, figure)
        if not rounds:
            return "not measured"
        value = statistics.median(rounds)
        met = value >= factor if higher else value <= factor
        each = f"; rounds {min(rounds):.2f}–{max(rounds):.2f} ×" if len(rounds) > 1 else ""
        return f"{'met' if met else 'UNMET'} ({value:.2f} ×{each})"

    def latency() -> str:
        if one is None or one.latency is None:
            return "not measured (run with --steady)"
        p95 = one.latency.p95_ms
        return f"{'met' if p95 <= 100 else 'UNMET'} (p95 {p95:.0f} ms at {one.latency.rate:.0f} updates/s)"

    checks = [
        ("durable acks/s ≥ 0.5 × bare aiohttp (Haumai SQLite, 1 worker)",
         compare(one, bare, lambda r: r.acks_per_s, 0.5, True)),
        ("  the same with turns stopped (the ack path alone: the ceiling under that target)",
         compare(acks_only, bare, lambda r: r.acks_per_s, 0.5, True)),
        ("replies/s sustained ≥ 1.0 × aiogram fixed text, 1 worker",
         compare(one, fixed, lambda r: r.replies_sustained, 1.0, True)),
        ("replies/s sustained ≥ 1.8 × aiogram fixed text, --workers 2 on PostgreSQL + Redis",
         compare(two, fixed, lambda r: r.replies_sustained, 1.8, True)),
        ("reply latency p95 ≤ 100 ms at half the fixed-text bot's capacity", latency()),
        ("CPU per reply ≤ aiogram fixed text's", compare(one, fixed, lambda r: r.cpu_ms_per_reply, 1.0, False)),
        ("RSS ≤ 150 MB with 1,000,000 pending outbox rows", "see python -m bench.outbox"),
    ]
    return [f"- {name}: {verdict}" for name, verdict in checks]


def latencies(results: list[Result]) -> list[str]:
    measured = [result for result in results if result.latency is not None]
    if not measured:
        return []
    lines = ["| system | updates/s | reply p50 | reply p95 | unanswered |", "|---|---|---|---|---|"]
    for result in measured:
        assert result.latency is not None
        latency = result.latency
        p95 = millis(latency.p95_ms) if latency.p95_ms != float("inf") else "unanswered"
        lines.append(f"| {result.system.title} | {latency.rate:.0f} | {millis(latency.p50_ms)} | {p95} | {latency.unanswered} |")
    return lines

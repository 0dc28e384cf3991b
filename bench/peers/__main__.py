"""python -m bench.peers: see bench/peers/__init__.py and the README's "Speed beside its peers"."""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from bench.peers.load import generator
from bench.peers.measure import Options, measure
from bench.peers.report import Result, latencies, ratios, table, targets
from bench.peers.steady import steady_latency
from bench.peers.systems import SYSTEMS, System, Where
from bench.shop import HISTORY_WEEKS
from bench.webhook import history_option
from tests.fakes.telegram import FakeTelegram


def arguments() -> argparse.Namespace:
    keys = ", ".join(system.key for system in SYSTEMS)
    parser = argparse.ArgumentParser(prog="python -m bench.peers", description="Haumai beside its yardsticks and peers.")
    parser.add_argument("--seconds", type=float, default=10.0, help="load per run (default 10)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections (default 32)")
    parser.add_argument("--runs", type=int, default=1, help="rounds, each running every system once; the table shows the range")
    parser.add_argument("--only", help=f"comma-separated systems: {keys}")
    parser.add_argument("--database-url", help="PostgreSQL for the Haumai PostgreSQL rows (its schema is dropped)")
    parser.add_argument("--redis-url", help="Redis for the Haumai rows with Redis (its database is flushed)")
    parser.add_argument("--drain-seconds", type=float, default=120.0, help="longest wait for replies after the load")
    parser.add_argument("--steady", action="store_true", help="also reply latency at half the fixed-text bot's capacity")
    parser.add_argument("--steady-seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=float, help="the steady rate, when aiogram is not measured in this run")
    history_option(parser)
    args = parser.parse_args()
    wanted = set(args.only.split(",")) if args.only else {system.key for system in SYSTEMS}
    unknown = wanted - {system.key for system in SYSTEMS}
    if unknown:
        parser.error(f"unknown systems {', '.join(sorted(unknown))}; choose from {keys}")
    args.systems = [system for system in SYSTEMS if system.key in wanted]
    return args


async def run_rounds(systems: list[System], where: Where, fake: FakeTelegram, args: argparse.Namespace) -> list[Result]:
    """Every system once per round, round after round, in the reverse order every other round.

    A shared VM's speed drifts by ±10 % over minutes, and systems measured back to back drift
    alike, so each round's ratios hold where whole blocks of runs per system compared different
    moments of the machine. The order alternates in case it matters too: in five rounds each way
    (2026-12-05), Haumai SQLite answered 1.22 × aiogram when run second and 1.06 × when run first.
    """
    results = [Result(system, [], skipped=system.cannot_run(where)) for system in systems]
    options = Options(args.seconds, args.connections, args.drain_seconds)
    for run in range(args.runs):
        for result in results if run % 2 == 0 else results[::-1]:
            if result.skipped is None:
                print(f"{result.system.title}: run {run + 1} of {args.runs}…", file=sys.stderr, flush=True)
                result.runs.append(await measure(result.system, where, fake, options, run))
    return results


def steady_rate(results: list[Result], args: argparse.Namespace) -> float | None:
    fixed = next((r for r in results if r.system.key == "aiogram" and r.runs), None)
    capacity = fixed.median(lambda run: run.replies_sustained) if fixed else None
    return capacity / 2 if capacity else args.rate


async def main(args: argparse.Namespace) -> None:
    fake, scratch = FakeTelegram(), tempfile.TemporaryDirectory(prefix="haumai-peers-")
    where = Where(await fake.start(), Path(scratch.name), args.database_url, args.redis_url, args.history)
    try:
        results = await run_rounds(args.systems, where, fake, args)
        rate = steady_rate(results, args) if args.steady else None
        for result in results:
            if rate and result.runs and result.system.replies:
                result.latency = await steady_latency(result.system, where, fake, rate, args.steady_seconds)
    finally:
        await fake.close()
        scratch.cleanup()
    print(f"Load: {generator()}, {args.connections} connections, {args.seconds:g} s per run, {args.runs} round(s), "
          "each running every system once; unique Telegram text updates; replies counted at a local fake Bot API; "
          "CPU and RSS of the server's process tree (not PostgreSQL's or Redis's). " + _database_of(args.history) + "\n")
    print("\n".join(table(results)))
    print("\nRatios (the median of the rounds' ratios; above 1 is better, except CPU per reply):\n")
    print("\n".join(ratios(results)))
    if args.steady and rate is None:
        print("\nSteady load: not measured (run aiogram in the same run, or give --rate)")
    elif args.steady:
        print(f"\nReply latency at a steady {rate:.0f} updates/s (half the fixed-text bot's sustained replies/s):\n")
        print("\n".join(latencies(results)))
    print("\nTargets (issue 12):\n")
    print("\n".join(targets(results)))


def _database_of(history: int) -> str:
    if not history:
        return "Haumai's database: an empty schema."
    return (f"Haumai's database: a shop's past of {history:,} orders over {HISTORY_WEEKS} weeks (bench.shop), "
            "analysed on PostgreSQL, seeded before the server starts.")


if __name__ == "__main__":
    asyncio.run(main(arguments()))

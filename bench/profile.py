"""Where `haumai serve` spends its CPU on the Telegram hot path, by area, sampled with py-spy.

    python -m bench.profile                      # SQLite, in-process coordination
    python -m bench.profile --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test \
                            --redis-url redis://127.0.0.1:6379/0

Optimising by guess misses: the issue's first profile found statement building and ORM loading,
not SQL, dominating a turn. The server runs alone in its process; py-spy samples it (without
pausing it) while a burst of unique updates is acknowledged and answered at the fake Bot API.
Each sample counts for the area of its innermost frame that belongs to one (standard-library
frames count for whoever called them). Also printed: server CPU ms per reply over the same
window. py-spy is in the `bench` extra (`pip install -e '.[bench]'`); it needs ptrace rights.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from bench.webhook import backend_of, history_option, serving, throughput

# py-spy names a file by its path under sys.path (`sqlalchemy/orm/session.py`, `bot/turn.py`). First match
# wins, so the SQLite adapter (a project file) counts with the database and bot/nlu with NLU.
AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("SQLAlchemy + driver", ("sqlalchemy/", "asyncpg/", "aiosqlite/", "sqlite3/", "greenlet/", "bot/storage/inline_sqlite.py")),
    ("aiohttp (server + client)", ("aiohttp/", "multidict/", "yarl/", "propcache/", "aiohappyeyeballs/")),
    ("PTB (python-telegram-bot)", ("telegram/",)),
    ("NLU", ("bot/nlu/",)),
    ("json / pydantic", ("json/", "pydantic/", "pydantic_core/", "pydantic_settings/")),
    ("jinja", ("jinja2/", "markupsafe/", "babel/")),
    ("logging", ("logging/", "structlog/")),
    ("redis", ("redis/",)),
    ("prometheus", ("prometheus_client/",)),
    ("app (Haumai's own code)", ("app/", "bot/", "handlers/", "channels/", "scheduler/", "carriers/", "tracking/",
                                "content/", "untrusted/")),
)
LOOP = "event loop, stdlib, other"


def area_of(filename: str) -> str | None:
    for area, markers in AREAS:
        if any(filename.startswith(marker) or f"/{marker}" in filename for marker in markers):
            return area
    return None


def _filename(frame: str) -> str:
    """py-spy writes a frame as `function (path/to/file.py:123)`."""
    inner = frame.rpartition(" (")[2]
    return inner.rstrip(")").rpartition(":")[0]


def shares(collapsed: Iterable[str]) -> Counter[str]:
    """Samples per area from py-spy's raw (collapsed-stack) output: `frame;frame;…;leaf COUNT`."""
    counts: Counter[str] = Counter()
    for line in collapsed:
        stack, _, count = line.rstrip().rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = reversed(stack.split(";"))
        area = next((a for a in (area_of(_filename(f)) for f in frames) if a is not None), LOOP)
        counts[area] += int(count)
    return counts


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True, slots=True)
class Profile:
    samples: Counter[str]
    replies: int
    cpu: float

    def report(self, backend: str) -> str:
        total = sum(self.samples.values()) or 1
        lines = [f"backend: {backend}", f"samples: {total}", ""]
        lines += [f"{area:<28} {n / total:6.1%}" for area, n in self.samples.most_common()]
        lines += ["", f"server CPU per reply: {self.cpu * 1000 / max(self.replies, 1):.2f} ms "
                      f"({self.replies} replies, {self.cpu:.1f} s CPU)"]
        return "\n".join(lines)


async def _record(pid: int, output: Path, rate: int) -> asyncio.subprocess.Process:
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    return await asyncio.create_subprocess_exec(
        py_spy, "record", "--pid", str(pid), "--format", "raw", "--output", str(output),
        "--rate", str(rate), "--nonblocking", stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )


async def profile(args: argparse.Namespace) -> Profile:
    output = Path(args.raw) if args.raw else Path(tempfile.mkdtemp()) / "haumai.txt"
    async with serving(args.database_url, args.redis_url, args.history) as (load, server):
        await throughput(load, args.warmup)  # imports, caches and first statements out of the way
        before, cpu_before = len(load.fake.sent()), cpu_seconds(server.pid)
        spy = await _record(server.pid, output, args.rate)
        await asyncio.sleep(0.5)  # py-spy attached
        await throughput(load, args.count)
        cpu, replies = cpu_seconds(server.pid) - cpu_before, len(load.fake.sent()) - before
        spy.send_signal(signal.SIGINT)
        _, errors = await spy.communicate()
    if not output.exists():
        raise SystemExit(f"py-spy recorded nothing (ptrace allowed?): {errors.decode(errors='replace')[-500:]}")
    return Profile(shares(output.read_text().splitlines()), replies, cpu)


def main() -> None:
    parser = history_option(argparse.ArgumentParser(description=__doc__.split("\n")[0]))
    parser.add_argument("--count", type=int, default=3000, help="updates in the profiled burst")
    parser.add_argument("--warmup", type=int, default=300, help="updates answered before profiling starts")
    parser.add_argument("--rate", type=int, default=250, help="py-spy samples per second")
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url")
    parser.add_argument("--raw", help="keep py-spy's collapsed stacks in this file (to find the functions behind a share)")
    args = parser.parse_args()
    print(asyncio.run(profile(args)).report(backend_of(args.database_url)))


if __name__ == "__main__":
    main()

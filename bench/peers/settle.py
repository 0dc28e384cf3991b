"""Each measurement starts on a settled machine.

A run leaves work behind that is not the next system's: PostgreSQL vacuuming and analysing the
tables a burst filled, a stopped server's last writes reaching the disk. Measured right after,
the next system paid for it: Haumai on SQLite, whose steady-load p95 read 56–77 ms when measured
alone, read 211 ms in a full run, where its steady load came after the PostgreSQL bursts. So each
run starts once the machine's CPUs have been idle for a whole second (waiting at most a minute).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

IDLE_SHARE = 0.9  # of all CPUs' time over one second
PATIENCE = 60.0  # seconds: a machine busy with something else is measured anyway
_STAT = Path("/proc/stat")


def _cpu_times() -> tuple[int, int] | None:
    """(idle, total) jiffies of all CPUs, None where the kernel does not say (not Linux)."""
    try:
        fields = [int(value) for value in _STAT.read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return idle, sum(fields)


async def settled(patience: float = PATIENCE) -> None:
    """Returns after a second in which the CPUs were at least IDLE_SHARE idle, or after `patience`."""
    waited = 0.0
    while waited < patience:
        before = _cpu_times()
        if before is None:
            return
        await asyncio.sleep(1.0)
        waited += 1.0
        after = _cpu_times()
        if after is None:
            return
        idle, total = after[0] - before[0], after[1] - before[1]
        if total > 0 and idle / total >= IDLE_SHARE:
            return

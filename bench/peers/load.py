"""Driving a server: `wrk` with wrk.lua when it is installed, else bench.peers.pyload; both in
their own process, both printing one JSON summary line."""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.peers.serving import SECRET

WRK_SCRIPT = Path(__file__).with_name("wrk.lua")


@dataclass(frozen=True)
class Load:
    requests: int
    non_2xx: int
    errors: int
    seconds: float
    p99_ms: float

    @property
    def acked(self) -> int:
        return self.requests - self.non_2xx


def generator() -> str:
    return "wrk" if shutil.which("wrk") else "python (bench.peers.pyload; `apt-get install wrk` for the faster one)"


async def drive(port: int, seconds: float, connections: int, first_id: int) -> Load:
    url = f"http://127.0.0.1:{port}/webhooks/telegram"
    if shutil.which("wrk"):
        command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(WRK_SCRIPT),
                   url, "--", str(first_id), SECRET]
    else:
        command = [sys.executable, "-m", "bench.peers.pyload", url, str(seconds), str(connections), str(first_id), SECRET]
    process = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE)
    output, _ = await process.communicate()
    lines = [line for line in output.decode().splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"{command[0]} gave no summary: {output.decode()[-500:]}")
    summary = json.loads(lines[-1])
    return Load(int(summary["requests"]), int(summary["non_2xx"]), int(summary["errors"]),
                float(summary["seconds"]), float(summary["p99_ms"]))

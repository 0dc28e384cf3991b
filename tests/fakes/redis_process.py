"""A private redis-server on a free loopback port, which a test may stop and start again.

Outage tests must never touch the shared Redis; this one lives and dies with the test.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

from bench.server import free_port


class RedisProcess:
    def __init__(self) -> None:
        self.port = free_port()
        self._dir = Path(tempfile.mkdtemp(prefix="haumai-redis-"))
        self._process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> None:
        """Start on the same port every time, and return once it accepts connections."""
        self._process = await asyncio.create_subprocess_exec(
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", str(self._dir), stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )
        for _ in range(200):
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
            except OSError:
                await asyncio.sleep(0.02)
                continue
            writer.close()
            return
        raise RuntimeError("redis-server did not start")

    async def stop(self) -> None:
        """Kill it outright, as a crash or a restart would: open connections die with it."""
        if self._process is not None and self._process.returncode is None:
            self._process.kill()
            await self._process.wait()
        self._process = None

    async def close(self) -> None:
        await self.stop()
        shutil.rmtree(self._dir, ignore_errors=True)

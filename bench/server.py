"""Starting a server (`haumai serve`, or a reference) in its own process, and waiting until it answers."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from typing import Any

import aiohttp


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def start_haumai(
    env: dict[str, str], port: int, workers: int = 1, module: str = "bot"
) -> asyncio.subprocess.Process:
    """`python -m <module> serve`: `bot`, or an instrument that runs it with a part stopped."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", module, "serve", "--port", str(port), "--workers", str(workers), env={**os.environ, **env},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )
    await wait_until_up(process, port)
    await workers_answering(port, set(range(workers)))
    return process


async def wait_until_up(process: asyncio.subprocess.Process, port: int, timeout: float = 90.0) -> asyncio.subprocess.Process:
    """The process once its /healthz answers 200; stopped, and an error, if it exits or never does
    (a busy machine takes seconds to import and start several workers)."""
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline and process.returncode is None:
            try:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        return process
            except aiohttp.ClientError:
                await asyncio.sleep(0.1)
    if process.returncode is None:
        process.terminate()
    raise RuntimeError("server did not start")


async def workers_answering(port: int, wanted: set[int], timeout: float = 60.0) -> list[dict[str, Any]]:
    """/readyz answers, each on a fresh connection (the kernel may hand it to any worker of
    `haumai serve --workers N`), until every wanted worker number has answered at least once."""
    answers: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as http:
        while not wanted <= {answer["worker"] for answer in answers}:
            if time.monotonic() > deadline:
                raise RuntimeError(f"workers {sorted(wanted)} did not all answer")
            async with http.get(f"http://127.0.0.1:{port}/readyz") as response:
                answers.append(dict(await response.json()))
    return answers

"""The Python load generator, for machines without wrk: the same unique updates, the same JSON
summary line as wrk.lua's. It runs in its own process, as wrk does, so it does not share a core's
time with the fake Bot API.

    python -m bench.peers.pyload URL SECONDS CONNECTIONS FIRST_ID SECRET
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import time

import aiohttp

from tests.fakes.telegram import text_update

TEXT = "đơn HM1001 tới đâu rồi shop?"


async def drive(url: str, seconds: float, connections: int, first_id: int, secret: str) -> dict[str, float]:
    ids = itertools.count(first_id + 1)
    latencies: list[float] = []
    counts = {"requests": 0, "non_2xx": 0, "errors": 0}
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret, "Content-Type": "application/json"}
    start = time.monotonic()
    end = start + seconds

    async def connection(http: aiohttp.ClientSession) -> None:
        while time.monotonic() < end:
            n = next(ids)
            body = json.dumps(text_update(n, TEXT, update_id=n), ensure_ascii=False).encode()
            sent = time.monotonic()
            try:
                async with http.post(url, data=body, headers=headers) as response:
                    await response.read()
                    counts["requests"] += 1
                    counts["non_2xx"] += response.status >= 300
            except (aiohttp.ClientError, asyncio.TimeoutError):
                counts["errors"] += 1
                continue
            latencies.append(time.monotonic() - sent)

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=connections)) as http:
        await asyncio.gather(*(connection(http) for _ in range(connections)))
    latencies.sort()
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000 if latencies else 0.0
    return {**counts, "seconds": time.monotonic() - start, "p99_ms": p99}


if __name__ == "__main__":
    url, seconds, connections, first_id, secret = sys.argv[1:6]
    print(json.dumps(asyncio.run(drive(url, float(seconds), int(connections), int(first_id), secret))))
